"""The scorecard: statuses, progress, track records, forecaster scores and scenario weights as of a day.

One read of the logs, one `resolve_all` pass and the pure scoring and weighing functions make
ONE `Scorecard` (tracker.core.results), which every report format renders. What counts as of T
(the end of that day), so a past scorecard never changes when later data arrive: observations
whose period has ended and which were recorded by T; rulings and forecasts made on or before T.
Numbers are rounded to 4 decimals; lists come in a stable order and no database id appears, so
an export and re-import of the same logs gives the same JSON byte for byte.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from typing import cast

from tracker.app.logs import collector_paused, logs, relevant_logs, resolutions
from tracker.app.scenarios import scenario_entries
from tracker.app.session import Session
from tracker.core.logs import Logs, known_on, logs_as_of
from tracker.core.models import Proposition
from tracker.core.records import Forecast, Observation, Ruling
from tracker.core.resolve import Resolution, describe_observation, resolve
from tracker.core.results import (
    CalibrationBin,
    Changes,
    ForecasterRow,
    Latest,
    PropositionRow,
    Scorecard,
    StatusMove,
    TrackRecordRow,
)
from tracker.core.scores import brier, calibration, calibration_pairs, forecaster_scores, log_score, scored_forecasts, track_records
from tracker.core.status import FINAL, ORDER
from tracker.errors import InputError
from tracker.report.text import rounded

GROUPINGS = ("role", "country", "tag")
_DAY = timedelta(days=1)


def scorecard(session: Session, as_of: date, since: date | None = None) -> Scorecard:
    """The scorecard as of the end of `as_of`, with a `changes` section when `since` is given."""
    if since is not None and since >= as_of:
        raise InputError(f"{since} is not before the scorecard's date {as_of}", argument="since")
    with collector_paused():
        # `changes` lists every observation that became known since the earlier date: it reads all.
        recorded = logs_as_of(logs(session) if since is not None else relevant_logs(session, as_of), as_of)
        resolved = resolutions(session, as_of, recorded)
        card = scorecard_from(session, recorded, resolved, as_of)
        if since is not None:
            card["changes"] = changes(session, recorded, resolved, since, as_of)
    return card


def scorecard_from(session: Session, recorded: Logs, resolved: Mapping[str, Resolution], as_of: date) -> Scorecard:
    """The scorecard as of T from logs and resolutions the caller already has (no `changes`).

    `recorded` holds what was made by T (`logs_as_of`) and `resolved` resolves it as of T, so
    the dashboard reads the logs and resolves them once for its pages and its scorecard alike.
    """
    workspace = session.workspace
    ordered = sorted(workspace.propositions.values(), key=lambda p: p.id)
    forecast_counts = Counter(f.proposition for f in recorded.forecasts)
    forecasters, bins = _forecasting(session, recorded.forecasts, resolved, as_of)
    return {
        "as_of": as_of.isoformat(),
        "propositions": [proposition_row(session, p, resolved[p.id], forecast_counts[p.id]) for p in ordered],
        "summary": summary(resolved.values()),
        "track_records": _track_records(session, resolved, "actor"),
        "track_records_by": {by: _track_records(session, resolved, by) for by in GROUPINGS},
        "forecasters": forecasters,
        "calibration": bins,
        "scenarios": scenario_entries(session, resolved, as_of),
    }


def summary(resolved: Iterable[Resolution]) -> dict[str, int]:
    """How many propositions have each of the ten statuses (zeros included)."""
    counts = Counter(r.status for r in resolved)
    return {status: counts.get(status, 0) for status in ORDER}


def proposition_row(session: Session, prop: Proposition, resolution: Resolution, forecasts: int) -> PropositionRow:
    """One proposition as every report lists it: its statement, status, evidence and ruling."""
    workspace = session.workspace
    actor = workspace.actors.get(prop.stated_by)
    metric = workspace.metrics.get(prop.metric) if prop.metric else None
    ruling = resolution.ruling
    return {
        "id": prop.id,
        "title": prop.title,
        "kind": prop.kind,
        "status": resolution.status,
        "progress": rounded(resolution.progress),
        "expected_progress": rounded(resolution.expected_progress),
        "deadline": prop.deadline.isoformat(),
        "stated_by": prop.stated_by,
        "speaker": actor.name if actor else prop.stated_by,
        "role": actor.role if actor else None,
        "country": actor.country if actor else None,
        "stated_on": prop.stated_on.isoformat(),
        "source": prop.source,
        "tags": list(prop.tags),
        "metric": prop.metric,
        "unit": metric.unit if metric else None,
        "baseline": prop.baseline.model_dump(mode="json") if prop.baseline else None,
        "target": prop.target.model_dump(mode="json") if prop.target else None,
        "latest": latest(resolution.latest),
        "projected": rounded(resolution.projected.value) if resolution.projected is not None else None,
        "best_evidence": resolution.best_evidence,
        "resolved_on": resolution.resolved_on.isoformat() if resolution.resolved_on else None,
        "ruling": None if ruling is None else {"status": ruling.status, "why": ruling.why, "made_on": ruling.made_on.isoformat()},
        "forecasts": forecasts,
    }


def latest(obs: Observation | None) -> Latest | None:
    """The observation a status rests on, as rows show it."""
    if obs is None:
        return None
    return {"value": _value(obs.value), "as_of": obs.as_of.label, "source": obs.source, "grade": obs.grade}


def _value(value: float | str) -> float | str:
    return value if isinstance(value, str) else float(value)


def _track_records(session: Session, resolved: Mapping[str, Resolution], by: str) -> list[TrackRecordRow]:
    workspace = session.workspace
    rows = []
    for record in track_records(resolved, workspace.propositions, workspace.actors, by):
        row = cast(TrackRecordRow, {by: record.key})  # the key is one of the four groupings
        if by == "actor":
            actor = workspace.actors.get(record.key)
            row["name"] = actor.name if actor else record.key
        row["resolved"] = record.resolved
        row["materialised"] = record.materialised
        row["partly"] = record.partly
        row["not_materialised"] = record.not_materialised
        row["rate"] = rounded(record.rate)
        row["interval"] = [rounded(record.interval[0]), rounded(record.interval[1])]
        rows.append(row)
    return rows


def _forecasting(session: Session, forecasts: list[Forecast], resolved: Mapping[str, Resolution],
                 as_of: date) -> tuple[list[ForecasterRow], list[CalibrationBin]]:
    """Forecaster scores (with how many of each forecaster's forecasts were logged too late to score)
    and the calibration table."""
    grace = session.settings.forecast_grace_days
    scores = forecaster_scores(forecasts, resolved, session.workspace.propositions, as_of=as_of, grace_days=grace,
                               with_unscored=True)
    forecasters: list[ForecasterRow] = [
        {"forecaster": s.forecaster, "n": s.n, "propositions": s.propositions, "brier": rounded(s.brier),
         "log": rounded(s.log), "baseline": rounded(s.baseline), "time_averaged_brier": rounded(s.time_averaged_brier),
         "retrodictions": s.retrodictions}
        for s in scores
    ]
    bins: list[CalibrationBin] = [
        {"lower": rounded(b.lower), "upper": rounded(b.upper), "n": b.n, "mean_forecast": rounded(b.mean_forecast),
         "observed_frequency": rounded(b.observed_frequency)}
        for b in calibration(calibration_pairs(forecasts, resolved, as_of=as_of, grace_days=grace))
    ]
    return forecasters, bins


# --- what changed since an earlier date -----------------------------------------------------------


def changes(session: Session, recorded: Logs, resolved: Mapping[str, Resolution], since: date, as_of: date) -> Changes:
    """Status moves (with their cause), observations that became known, forecasts newly resolved."""
    before = resolutions(session, since, logs_as_of(recorded, since))
    moved = sorted(p for p, r in resolved.items() if before[p].status != r.status)
    return {
        "since": since.isoformat(),
        "status_changes": [c for p in moved for c in _moves(session, recorded, p, before[p].status, since, as_of)],
        "new_observations": _new_observations(session, recorded.observations, since, as_of),
        "newly_resolved": _newly_resolved(recorded.forecasts, before, resolved, as_of, session.settings.forecast_grace_days),
    }


def _moves(session: Session, recorded: Logs, prop_id: str, start: str, since: date, as_of: date) -> list[StatusMove]:
    """Each status change of one proposition after `since`, chained from its status then.

    Only days after `since` are replayed (not the whole life since `stated_on`, as
    `status_history` does), so a weekly report stays fast on long series: the status is
    resolved on each day something happens (an observation becomes known, a ruling, the day
    after the deadline), and a move with no such cause (a target falling behind as time
    passes) is found by bisecting the quiet stretch before the next such day.
    """
    prop = session.workspace.propositions[prop_id]
    metric = session.workspace.metrics.get(prop.metric) if prop.metric else None
    observations = recorded.observations.get(prop.metric or prop.id, [])
    rulings = recorded.rulings.get(prop_id, [])
    min_grade = session.settings.min_grade

    def status(day: date) -> str:
        return resolve(prop, metric, observations, rulings, day, min_grade).status

    causes = _causes_between(prop, observations, rulings, since, as_of)
    moves: list[StatusMove] = []
    previous, quiet_from = start, since + _DAY
    for day in [*sorted(causes), as_of + _DAY]:
        quiet_to = day - _DAY
        if quiet_from <= quiet_to and (drifted := status(quiet_to)) != previous:
            moved_on = _first_day(quiet_from, quiet_to, lambda d: status(d) == drifted)
            moves.append(_move(prop, previous, drifted, moved_on, "expected progress overtook progress"))
            previous = drifted
        if day > as_of:
            break
        now = status(day)
        if now != previous:
            moves.append(_move(prop, previous, now, day, "; ".join(causes[day])))
            previous = now
        quiet_from = day + _DAY
    return moves


def _causes_between(prop: Proposition, observations: list[Observation], rulings: list[Ruling], since: date,
                    as_of: date) -> dict[date, list[str]]:
    """The days in (since, as_of] on which something happens to a proposition, and what."""
    causes: dict[date, list[str]] = defaultdict(list)

    def add(day: date, cause: str) -> None:
        if since < day <= as_of:
            causes[day].append(cause)

    add(prop.stated_on, "stated")
    for obs in sorted(observations, key=lambda o: (o.as_of.end, o.recorded_at, o.id or 0)):
        add(max(known_on(obs), prop.stated_on), describe_observation(obs))
    for ruling in sorted(rulings, key=lambda r: (r.made_on, r.recorded_at, r.id or 0)):
        add(max(ruling.made_on, prop.stated_on), f"ruling: {ruling.status} — {ruling.why}")
    add(prop.deadline + _DAY, "deadline passed")
    return causes


def _first_day(first: date, last: date, reached: Callable[[date], bool]) -> date:
    """The first day in [first, last] on which `reached` holds (it holds on `last`, and stays)."""
    low, high = first.toordinal(), last.toordinal()
    while low < high:
        middle = (low + high) // 2
        if reached(date.fromordinal(middle)):
            high = middle
        else:
            low = middle + 1
    return date.fromordinal(low)


def _move(prop: Proposition, before: str, after: str, on: date, cause: str) -> StatusMove:
    return {"id": prop.id, "title": prop.title, "from": before, "to": after, "on": on.isoformat(), "cause": cause}


def _new_observations(session: Session, by_target: Mapping[str, list[Observation]], since: date,
                      as_of: date) -> list[dict[str, object]]:
    """Observations that started to count after `since` and by `as_of`, with the propositions they bear on."""
    bearing: dict[str, list[str]] = defaultdict(list)
    for prop in sorted(session.workspace.propositions.values(), key=lambda p: p.id):
        bearing[prop.metric or prop.id].append(prop.id)
    fresh = [obs for items in by_target.values() for obs in items if since < known_on(obs) <= as_of]
    fresh.sort(key=lambda o: (known_on(o), o.target, o.as_of, o.recorded_at, str(o.value)))
    return [
        {"target": o.target, "as_of": o.as_of.label, "value": _value(o.value), "source": o.source, "grade": o.grade,
         "note": o.note, "recorded_by": o.recorded_by, "recorded_at": o.recorded_at.isoformat(timespec="seconds"),
         "known_on": known_on(o).isoformat(), "propositions": bearing.get(o.target, [])}
        for o in fresh
    ]


def _newly_resolved(forecasts: list[Forecast], before: Mapping[str, Resolution], after: Mapping[str, Resolution],
                    as_of: date, grace_days: int) -> list[dict[str, object]]:
    """Forecasts scored now whose proposition had no scored outcome at `since`."""
    earlier = {p for p, r in before.items() if r.status in FINAL}
    scored = [item for item in scored_forecasts(forecasts, after, as_of=as_of, grace_days=grace_days)
              if item[0].proposition not in earlier]
    scored.sort(key=lambda item: (item[0].proposition, item[0].forecaster, item[0].made_on, item[0].probability))
    return [
        {"proposition": f.proposition, "forecaster": f.forecaster, "probability": rounded(f.probability),
         "made_on": f.made_on.isoformat(), "status": resolution.status,
         "resolved_on": resolution.resolved_on.isoformat() if resolution.resolved_on else None,
         "brier": rounded(brier(f.probability, outcome)), "log": rounded(log_score(f.probability, outcome))}
        for f, resolution, outcome in scored
    ]
