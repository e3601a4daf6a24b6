"""The scorecard and the due list: what the workspace looks like as of a day, as plain data.

`scorecard` joins one read of everything logged, one `resolve_all` pass and the pure scoring
and weighing functions into ONE JSON-ready dict (SPEC §7 plus extra keys), which every report
format renders. It is set-based: the logs are read once and grouped, never queried per
proposition, so it scales to large workspaces.

What counts as of T (the end of that day), so a past scorecard never changes when later data
arrive: observations whose period has ended and which were recorded by T (resolution checks
both); rulings and forecasts made on or before T (their date is what the import format keeps).
Numbers are rounded to 4 decimals; lists come in a stable order and no database id appears,
so an export and re-import of the same logs gives the same JSON byte for byte.
"""

from __future__ import annotations

import gc
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from tracker.app import Logs, Tracker, group_by, logs, resolutions
from tracker.core.models import Proposition
from tracker.core.records import Forecast, Observation
from tracker.core.resolve import FINAL, STATUSES, Resolution
from tracker.errors import InputError

DIGITS = 4
GROUPINGS = ("role", "country", "tag")


def number(value: float | None) -> float | None:
    """A computed number as shown: 4 decimals, never `-0.0`."""
    return None if value is None else round(float(value), DIGITS) + 0.0


# --- what was known as of T --------------------------------------------------------------------


def known_on(obs: Observation) -> date:
    """The day an observation starts to count: its period has ended and it has been recorded."""
    return max(obs.as_of.end, obs.recorded_at.date())


def logs_as_of(recorded: Logs, as_of: date) -> Logs:
    """Forecasts and rulings made by T; observations are left whole (resolution filters them)."""
    rulings = {p: kept for p, items in recorded.rulings.items() if (kept := [r for r in items if r.made_on <= as_of])}
    return Logs(recorded.observations, [f for f in recorded.forecasts if f.made_on <= as_of], rulings)


def relevant_logs(tracker: Tracker, as_of: date) -> Logs:
    """The logs with only the observations that can change a resolution as of T (same statuses, less read).

    A metric's decades of history before a target's baseline and statement count only as the
    target's `latest` when nothing later is known (`tracker.core.resolve.relevant_from`): each
    metric's series is read from the earliest such day of the propositions on it (one indexed
    range per metric; metrics no proposition names are not read), and the last counting period
    before it is fetched only for a target that would otherwise have no `latest`. Events read all.
    """
    from tracker.core.resolve import needs_earlier_period, relevant_from

    workspace = tracker.workspace
    bounds: dict[str, date | None] = {}
    for prop_id, prop in workspace.propositions.items():
        target = prop.metric if prop.kind == "target" else prop_id
        if target is None:
            continue
        bound = relevant_from(prop, workspace.metrics.get(target)) if prop.kind == "target" else None
        known = bounds.get(target, bound)
        bounds[target] = None if known is None or bound is None else min(known, bound)
    observations = tracker.store.observations_from(bounds)
    extended: set[str] = set()
    for prop in workspace.propositions.values():
        target = prop.metric if prop.kind == "target" else None
        bound = bounds.get(target) if target is not None else None
        if target is None or bound is None or target in extended:
            continue
        if needs_earlier_period(observations.get(target, ()), as_of, prop.deadline):
            extended.add(target)
            observations[target] = tracker.store.last_period_before(target, bound, as_of) + observations.get(target, [])
    return Logs(observations, tracker.store.forecasts(), group_by(tracker.store.rulings(), "proposition"))


def resolve_as_of(tracker: Tracker, recorded: Logs, as_of: date) -> dict[str, Resolution]:
    """Every proposition resolved as of T (one pass, the workspace's grade threshold applied)."""
    return resolutions(tracker, as_of, recorded)


# --- the scorecard -------------------------------------------------------------------------------


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a report builds a million records.

    The records hold no reference cycles, yet each batch of allocations made the collector walk
    every record built so far: about half of resolution's time on a large workspace.
    Reference counting still frees everything; collection resumes when the report is built.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def scorecard(tracker: Tracker, as_of: date, since: date | None = None) -> dict[str, Any]:
    """The scorecard as of the end of `as_of` (SPEC §7), with a `changes` section when `since` is given."""
    if since is not None and since >= as_of:
        raise InputError(f"--since: {since} is not before the scorecard's date {as_of}")
    with collector_paused():
        return _scorecard(tracker, as_of, since)


def _scorecard(tracker: Tracker, as_of: date, since: date | None) -> dict[str, Any]:
    # `changes` lists every observation that became known since the earlier date: it reads all.
    recorded = logs_as_of(logs(tracker) if since is not None else relevant_logs(tracker, as_of), as_of)
    resolutions = resolve_as_of(tracker, recorded, as_of)
    card = scorecard_from(tracker, recorded, resolutions, as_of)
    if since is not None:
        card["changes"] = changes(tracker, recorded, resolutions, since, as_of)
    return card


def scorecard_from(tracker: Tracker, recorded: Logs, resolutions: Mapping[str, Resolution], as_of: date) -> dict[str, Any]:
    """The scorecard as of T from logs and resolutions the caller already has (no `changes`).

    `recorded` holds what was made by T (`logs_as_of`) and `resolutions` resolve it as of T, so
    the dashboard reads the logs and resolves them once for its pages and its scorecard alike.
    """
    workspace = tracker.workspace
    ordered = sorted(workspace.propositions.values(), key=lambda p: p.id)
    forecast_counts = Counter(f.proposition for f in recorded.forecasts)
    card: dict[str, Any] = {
        "as_of": as_of.isoformat(),
        "propositions": [_proposition(tracker, p, resolutions[p.id], forecast_counts[p.id]) for p in ordered],
        "summary": summary(resolutions.values()),
        "track_records": _track_records(tracker, resolutions, "actor"),
        "track_records_by": {by: _track_records(tracker, resolutions, by) for by in GROUPINGS},
        **_forecasting(tracker, recorded.forecasts, resolutions),
        "scenarios": _scenarios(tracker, resolutions, as_of),
    }
    return card


def summary(resolutions: Iterable[Resolution]) -> dict[str, int]:
    """How many propositions have each of the ten statuses (zeros included)."""
    counts = Counter(r.status for r in resolutions)
    return {status: counts.get(status, 0) for status in STATUSES}


def _proposition(tracker: Tracker, prop: Proposition, resolution: Resolution, forecasts: int) -> dict[str, Any]:
    workspace = tracker.workspace
    actor = workspace.actors.get(prop.stated_by)
    metric = workspace.metrics.get(prop.metric) if prop.metric else None
    ruling = resolution.ruling
    return {
        "id": prop.id,
        "title": prop.title,
        "kind": prop.kind,
        "status": resolution.status,
        "progress": number(resolution.progress),
        "expected_progress": number(resolution.expected_progress),
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
        "latest": _latest(resolution.latest),
        "best_evidence": resolution.best_evidence,
        "resolved_on": resolution.resolved_on.isoformat() if resolution.resolved_on else None,
        "ruling": None if ruling is None else {"status": ruling.status, "why": ruling.why, "made_on": ruling.made_on.isoformat()},
        "forecasts": forecasts,
    }


def _latest(obs: Observation | None) -> dict[str, Any] | None:
    if obs is None:
        return None
    return {"value": _value(obs.value), "as_of": obs.as_of.label, "source": obs.source, "grade": obs.grade}


def _value(value: float | str) -> float | str:
    return value if isinstance(value, str) else float(value)


def _track_records(tracker: Tracker, resolutions: Mapping[str, Resolution], by: str) -> list[dict[str, Any]]:
    from tracker.core.scores import track_records

    workspace = tracker.workspace
    rows = []
    for record in track_records(resolutions, workspace.propositions, workspace.actors, by):
        row: dict[str, Any] = {by: record.key}
        if by == "actor":
            actor = workspace.actors.get(record.key)
            row["name"] = actor.name if actor else record.key
        row.update(
            resolved=record.resolved, materialised=record.materialised, partly=record.partly,
            not_materialised=record.not_materialised, rate=number(record.rate),
            interval=[number(record.interval[0]), number(record.interval[1])],
        )
        rows.append(row)
    return rows


def _forecasting(tracker: Tracker, forecasts: list[Forecast], resolutions: Mapping[str, Resolution]) -> dict[str, Any]:
    """Forecaster scores and the calibration table."""
    from tracker.core.scores import calibration, calibration_pairs, forecaster_scores

    scores = forecaster_scores(forecasts, resolutions, tracker.workspace.propositions)
    return {
        "forecasters": [
            {"forecaster": s.forecaster, "n": s.n, "propositions": s.propositions, "brier": number(s.brier),
             "log": number(s.log), "baseline": number(s.baseline), "time_averaged_brier": number(s.time_averaged_brier)}
            for s in scores
        ],
        "calibration": [
            {"lower": number(b.lower), "upper": number(b.upper), "n": b.n, "mean_forecast": number(b.mean_forecast),
             "observed_frequency": number(b.observed_frequency)}
            for b in calibration(calibration_pairs(forecasts, resolutions))
        ],
    }


def _scenarios(tracker: Tracker, resolutions: Mapping[str, Resolution], as_of: date) -> list[dict[str, Any]]:
    """Each scenario set as `tracker scenarios --format json` shows it (one builder for both)."""
    from tracker.scenarios_app import scenario_entries

    return scenario_entries(tracker, resolutions, as_of)


# --- what changed since an earlier date -----------------------------------------------------------


def changes(tracker: Tracker, recorded: Logs, resolutions: Mapping[str, Resolution], since: date, as_of: date) -> dict[str, Any]:
    """Status moves (with their cause), observations that became known, forecasts newly resolved."""
    before = resolve_as_of(tracker, logs_as_of(recorded, since), since)
    moved = sorted(p for p, r in resolutions.items() if before[p].status != r.status)
    return {
        "since": since.isoformat(),
        "status_changes": [c for p in moved for c in _moves(tracker, recorded, p, before[p].status, since, as_of)],
        "new_observations": _new_observations(tracker, recorded.observations, since, as_of),
        "newly_resolved": _newly_resolved(recorded.forecasts, before, resolutions),
    }


def _moves(tracker: Tracker, recorded: Logs, prop_id: str, start: str, since: date, as_of: date) -> list[dict[str, Any]]:
    """Each status change of one proposition after `since`, chained from its status then.

    Only days after `since` are replayed (not the whole life since `stated_on`, as
    `status_history` does), so a weekly report stays fast on long series: the status is
    resolved on each day something happens (an observation becomes known, a ruling, the day
    after the deadline), and a move with no such cause (a target falling behind as time
    passes) is found by bisecting the quiet stretch before the next such day.
    """
    from tracker.core.resolve import resolve

    prop = tracker.workspace.propositions[prop_id]
    metric = tracker.workspace.metrics.get(prop.metric) if prop.metric else None
    observations = recorded.observations.get(prop.metric or prop.id, [])
    rulings = recorded.rulings.get(prop_id, [])
    min_grade = tracker.settings.min_grade

    def status(day: date) -> str:
        return resolve(prop, metric, observations, rulings, day, min_grade).status

    causes = _causes_between(prop, observations, rulings, since, as_of)
    moves, previous, quiet_from = [], start, since + _DAY
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


_DAY = timedelta(days=1)


def _causes_between(prop: Proposition, observations: list[Observation], rulings: list, since: date, as_of: date) -> dict[date, list[str]]:  # type: ignore[type-arg]
    """The days in (since, as_of] on which something happens to a proposition, and what."""
    from tracker.core.resolve import describe_observation

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


def _move(prop: Proposition, before: str, after: str, on: date, cause: str) -> dict[str, Any]:
    return {"id": prop.id, "title": prop.title, "from": before, "to": after, "on": on.isoformat(), "cause": cause}


def _new_observations(tracker: Tracker, by_target: Mapping[str, list[Observation]], since: date, as_of: date) -> list[dict[str, Any]]:
    """Observations that started to count after `since` and by `as_of`, with the propositions they bear on."""
    bearing: dict[str, list[str]] = defaultdict(list)
    for prop in sorted(tracker.workspace.propositions.values(), key=lambda p: p.id):
        bearing[prop.metric or prop.id].append(prop.id)
    fresh = [obs for items in by_target.values() for obs in items if since < known_on(obs) <= as_of]
    fresh.sort(key=lambda o: (known_on(o), o.target, o.as_of, o.recorded_at, str(o.value)))
    return [
        {"target": o.target, "as_of": o.as_of.label, "value": _value(o.value), "source": o.source, "grade": o.grade,
         "note": o.note, "recorded_by": o.recorded_by, "recorded_at": o.recorded_at.isoformat(timespec="seconds"),
         "known_on": known_on(o).isoformat(), "propositions": bearing.get(o.target, [])}
        for o in fresh
    ]


def _newly_resolved(forecasts: list[Forecast], before: Mapping[str, Resolution], after: Mapping[str, Resolution]) -> list[dict[str, Any]]:
    """Forecasts scored now whose proposition had no scored outcome at `since`."""
    from tracker.core.scores import brier, log_score, scored_forecasts

    earlier = {p for p, r in before.items() if r.status in FINAL}
    rows = [
        {"proposition": f.proposition, "forecaster": f.forecaster, "probability": number(f.probability),
         "made_on": f.made_on.isoformat(), "status": resolution.status,
         "resolved_on": resolution.resolved_on.isoformat() if resolution.resolved_on else None,
         "brier": number(brier(f.probability, outcome)), "log": number(log_score(f.probability, outcome))}
        for f, resolution, outcome in scored_forecasts(forecasts, after)
        if f.proposition not in earlier
    ]
    rows.sort(key=lambda r: (r["proposition"], r["forecaster"], r["made_on"], r["probability"]))
    return rows


# --- what is due -----------------------------------------------------------------------------------

_WITHIN = re.compile(r"^\s*(\d+)\s*([dwmy]?)\s*$", re.IGNORECASE)


def horizon(text: str, as_of: date) -> date:
    """The last day `--within` reaches from `as_of`: `30d`, `6w`, `3m`, `1y`, or a bare number of days.

    Months and years count on the calendar (3m from 30 November is 28 February).
    """
    import calendar

    match = _WITHIN.match(text or "")
    if not match:
        raise InputError(f"--within: {text!r} is not a span like 30d, 6w, 3m or 1y")
    count, unit = int(match.group(1)), (match.group(2) or "d").lower()
    try:
        if unit in ("d", "w"):
            return as_of + timedelta(days=count * (7 if unit == "w" else 1))
        year, month = divmod(as_of.month - 1 + count * (12 if unit == "y" else 1), 12)
        year += as_of.year
        return date(year, month + 1, min(as_of.day, calendar.monthrange(year, month + 1)[1]))
    except (OverflowError, ValueError):
        raise InputError(f"--within: {text} reaches past the year 9999") from None


def due(tracker: Tracker, as_of: date, until: date) -> dict[str, Any]:
    """Propositions past their deadline without a final status, and those due by `until`."""
    with collector_paused():
        recorded = logs_as_of(relevant_logs(tracker, as_of), as_of)
        resolutions = resolve_as_of(tracker, recorded, as_of)
    forecast_counts = Counter(f.proposition for f in recorded.forecasts)
    overdue, soon = [], []
    for prop in tracker.workspace.propositions.values():
        resolution = resolutions[prop.id]
        if resolution.final:
            continue
        if prop.deadline < as_of:
            overdue.append(_due_row(tracker, prop, resolution, as_of, forecast_counts[prop.id]))
        elif prop.deadline <= until:
            soon.append(_due_row(tracker, prop, resolution, as_of, forecast_counts[prop.id]))
    order = lambda row: (row["deadline"], row["id"])  # noqa: E731
    return {"as_of": as_of.isoformat(), "until": until.isoformat(),
            "overdue": sorted(overdue, key=order), "due_soon": sorted(soon, key=order)}


def _due_row(tracker: Tracker, prop: Proposition, resolution: Resolution, as_of: date, forecasts: int) -> dict[str, Any]:
    return {
        "id": prop.id, "title": prop.title, "kind": prop.kind, "status": resolution.status,
        "deadline": prop.deadline.isoformat(), "days": (prop.deadline - as_of).days, "stated_by": prop.stated_by,
        "latest": _latest(resolution.latest), "forecasts": forecasts, "needs": needs(tracker, prop),
    }


def needs(tracker: Tracker, prop: Proposition) -> str:
    """What would settle a proposition: the figure for the deadline's period, or evidence, or a ruling."""
    from tracker.core.periods import period_of

    if prop.kind == "target" and prop.metric in tracker.workspace.metrics:
        metric = tracker.workspace.metrics[prop.metric]
        period = period_of(prop.deadline, metric.period)
        return f"the {period.label} figure of {prop.metric} (tracker observe {prop.metric} VALUE --as-of {period.label}) or a ruling"
    return f"evidence (tracker observe {prop.id} yes|partly|no --as-of DATE) or a ruling"

