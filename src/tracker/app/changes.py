"""What changed after an earlier date: the weekly report of `tracker scorecard --since DATE`.

Status moves with their causes, observations that started to count, forecasts newly resolved,
forecasts whose outcome changed (with the old and the new score), and records withdrawn. A
cause is only ever a record that counted on the day of the move: a value already revised, or
withdrawn, by the day it would have counted is never given as one; a withdrawal is a cause of
its own ("withdrawn: ruling: annulled — why — logged on the wrong proposition").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta

from tracker.app.detail import describe_ruling, describe_withdrawal, standing, withdrawal
from tracker.app.logs import resolutions
from tracker.app.session import Session
from tracker.core.logs import Logs, end_of, known_on, logs_as_of
from tracker.core.models import Proposition
from tracker.core.records import Forecast, Observation, Ruling
from tracker.core.resolve import Resolution, describe_observation, resolve
from tracker.core.results import (
    Changes,
    NewObservation,
    OutcomeChange,
    ResolvedForecast,
    StatusMove,
    WithdrawnRecord,
    day,
    figure,
    moment,
    rounded,
)
from tracker.core.scores import brier, exists_as_of, log_score, outcome_of, scored_forecasts, unscored_reason
from tracker.core.status import FINAL

_DAY = timedelta(days=1)


def changes(session: Session, everything: Logs, resolved: Mapping[str, Resolution], since: date, as_of: date) -> Changes:
    """What changed after `since` up to `as_of`. `everything`: the logs as stored (nothing filtered);
    `resolved`: the resolutions as of `as_of`."""
    before = resolutions(session, since, logs_as_of(everything, since))
    now = logs_as_of(everything, as_of)
    moved = sorted(p for p, r in resolved.items() if before[p].status != r.status)
    grace = session.settings.forecast_grace_days
    return {
        "since": since.isoformat(),
        "status_changes": [c for p in moved for c in _moves(session, everything, p, before[p].status, since, as_of)],
        "new_observations": _new_observations(session, now.observations, since, as_of),
        "newly_resolved": _newly_resolved(now.forecasts, before, resolved, as_of, grace),
        "outcome_changes": _outcome_changes(now.forecasts, before, resolved, since, grace),
        "withdrawn": _withdrawn(everything, since, as_of),
    }


# --- status moves ----------------------------------------------------------------------------------


def _moves(session: Session, everything: Logs, prop_id: str, start: str, since: date, as_of: date) -> list[StatusMove]:
    """Each status change of one proposition after `since`, chained from its status then.

    Only days after `since` are replayed (not the whole life since `stated_on`, as
    `status_history` does), so a weekly report stays fast on long series: the status is
    resolved on each day something happens (an observation becomes known, a ruling, a
    withdrawal, the day after the deadline) from what stood that day, and a move with no such
    cause (a target falling behind as time passes) is found by bisecting the quiet stretch
    before the next such day.
    """
    prop = session.workspace.propositions[prop_id]
    metric = session.workspace.metrics.get(prop.metric) if prop.metric else None
    observations = everything.observations.get(prop.metric or prop.id, [])
    rulings = everything.rulings.get(prop_id, [])
    min_grade = session.settings.min_grade
    records: list[Observation | Ruling] = [*observations, *rulings]
    touched = any(r.uid in everything.retractions for r in records if r.uid is not None)

    def status(day: date) -> str:
        if not touched:
            return resolve(prop, metric, observations, rulings, day, min_grade).status
        return resolve(prop, metric, standing(everything, day, observations), standing(everything, day, rulings), day, min_grade).status

    causes = causes_between(prop, everything, observations, rulings, since, as_of)
    moves: list[StatusMove] = []
    # Days as ordinals: the day after as_of need not exist (as_of may be 9999-12-31).
    previous, quiet_from = start, since.toordinal() + 1
    for day_ in [*sorted(causes), None]:  # None: the quiet stretch up to as_of, after the last cause
        quiet_to = as_of.toordinal() if day_ is None else day_.toordinal() - 1
        if quiet_from <= quiet_to and (drifted := status(date.fromordinal(quiet_to))) != previous:
            moved_on = _first_day(date.fromordinal(quiet_from), date.fromordinal(quiet_to), lambda d: status(d) == drifted)
            moves.append(_move(prop, previous, drifted, moved_on, "expected progress overtook progress"))
            previous = drifted
        if day_ is None:
            break
        current = status(day_)
        if current != previous:
            moves.append(_move(prop, previous, current, day_, "; ".join(causes[day_])))
            previous = current
        quiet_from = day_.toordinal() + 1
    return moves


def causes_between(prop: Proposition, everything: Logs, observations: Sequence[Observation], rulings: Sequence[Ruling],
                   since: date, as_of: date) -> dict[date, list[str]]:
    """The days in (since, as_of] on which something happens to a proposition, and what.

    An observation is a cause on the day it starts to count only if it still stands then: not
    withdrawn, and not revised by a record logged by that day. A ruling likewise on its day.
    """
    causes: dict[date, list[str]] = defaultdict(list)

    def add(on: date, cause: str) -> None:
        if since < on <= as_of:
            causes[on].append(cause)

    add(prop.stated_on, "stated")
    spans: dict[tuple[str, date, date, date | None], list[Observation]] = defaultdict(list)
    for obs in observations:
        spans[_span(obs)].append(obs)
    for obs in sorted(observations, key=lambda o: (o.as_of.end, o.recorded_at, o.id or 0)):
        counts_from = max(known_on(obs), prop.stated_on)
        if _stands(obs, spans[_span(obs)], everything, counts_from):
            add(counts_from, describe_observation(obs))
    for ruling in sorted(rulings, key=lambda r: (r.made_on, r.recorded_at, r.id or 0)):
        if withdrawal(ruling, everything.retractions, ruling.made_on) is None:
            add(max(ruling.made_on, prop.stated_on), describe_ruling(ruling))
    records: list[Observation | Ruling] = [*observations, *rulings]
    for record in records:
        retraction = withdrawal(record, everything.retractions, as_of)
        if retraction is not None:
            add(max(retraction.recorded_at.date(), prop.stated_on), describe_withdrawal(record, retraction))
    if prop.deadline < date.max:  # a deadline on the calendar's last day never passes
        add(prop.deadline + _DAY, "deadline passed")
    return causes


def _span(obs: Observation) -> tuple[str, date, date, date | None]:
    """What an observation describes: its target, period and (for a partial figure) span."""
    return obs.target, obs.as_of.start, obs.as_of.end, obs.through.end if obs.through is not None else None


def _stands(obs: Observation, same_span: Sequence[Observation], everything: Logs, on: date) -> bool:
    """Whether an observation counts on day `on`: not withdrawn by then, nor revised by a record of
    the same period and span (`same_span`) logged by then and itself not withdrawn."""
    if withdrawal(obs, everything.retractions, on) is not None:
        return False
    moment_after = end_of(on)
    return not any(
        other is not obs and other.recorded_at < moment_after
        and (other.recorded_at, other.id or 0) > (obs.recorded_at, obs.id or 0)
        and withdrawal(other, everything.retractions, on) is None
        for other in same_span
    )


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


# --- observations, forecasts and withdrawals in the window ---------------------------------------------


def _new_observations(session: Session, by_target: Mapping[str, list[Observation]], since: date,
                      as_of: date) -> list[NewObservation]:
    """Observations that started to count after `since` and by `as_of`, with the propositions they bear on."""
    bearing: dict[str, list[str]] = defaultdict(list)
    for prop in sorted(session.workspace.propositions.values(), key=lambda p: p.id):
        bearing[prop.metric or prop.id].append(prop.id)
    fresh = [obs for items in by_target.values() for obs in items if since < known_on(obs) <= as_of]
    fresh.sort(key=lambda o: (known_on(o), o.target, o.as_of, o.recorded_at, str(o.value)))
    return [
        {"uid": o.uid, "target": o.target, "as_of": o.as_of.label, "through": o.through.label if o.through else None,
         "value": figure(o.value), "written": o.written, "source": o.source, "grade": o.grade, "note": o.note,
         "recorded_by": o.recorded_by, "recorded_at": moment(o.recorded_at), "known_on": known_on(o).isoformat(),
         "propositions": bearing.get(o.target, [])}
        for o in fresh
    ]


def _newly_resolved(forecasts: list[Forecast], before: Mapping[str, Resolution], after: Mapping[str, Resolution],
                    as_of: date, grace_days: int) -> list[ResolvedForecast]:
    """Forecasts scored now whose proposition had no final status at `since`."""
    earlier = {p for p, r in before.items() if r.status in FINAL}
    scored = [item for item in scored_forecasts(forecasts, after, as_of=as_of, grace_days=grace_days)
              if item[0].proposition not in earlier]
    scored.sort(key=lambda item: (item[0].proposition, item[0].forecaster, item[0].made_on, item[0].probability))
    return [
        {"proposition": f.proposition, "forecaster": f.forecaster, "probability": rounded(f.probability),
         "made_on": f.made_on.isoformat(), "status": resolution.status, "resolved_on": day(resolution.resolved_on),
         "brier": rounded(brier(f.probability, outcome)), "log": rounded(log_score(f.probability, outcome))}
        for f, resolution, outcome in scored
    ]


def _outcome(forecast: Forecast, resolution: Resolution | None, on: date, grace_days: int) -> float | None:
    """The outcome a forecast was scored against as of a day; None when it was not scored then."""
    if resolution is None or not exists_as_of(forecast, on) or forecast.made_on > on:
        return None
    if unscored_reason(forecast, resolution, grace_days) is not None:
        return None
    return outcome_of(resolution.status)


def _outcome_changes(forecasts: list[Forecast], before: Mapping[str, Resolution], after: Mapping[str, Resolution],
                     since: date, grace_days: int) -> list[OutcomeChange]:
    """Forecasts scored at `since` whose outcome is different now (or no longer scored), both scores given."""
    found: list[OutcomeChange] = []
    for forecast in forecasts:
        old = _outcome(forecast, before.get(forecast.proposition), since, grace_days)
        new = _outcome(forecast, after.get(forecast.proposition), date.max, grace_days)
        if old is None or old == new:
            continue
        p = forecast.probability
        found.append({
            "proposition": forecast.proposition, "forecaster": forecast.forecaster, "probability": rounded(p),
            "made_on": forecast.made_on.isoformat(), "old_status": before[forecast.proposition].status,
            "new_status": after[forecast.proposition].status, "old_brier": rounded(brier(p, old)),
            "new_brier": None if new is None else rounded(brier(p, new)), "old_log": rounded(log_score(p, old)),
            "new_log": None if new is None else rounded(log_score(p, new)),
        })
    found.sort(key=lambda c: (c["proposition"], c["forecaster"], c["made_on"], c["probability"] or 0.0))
    return found


def _withdrawn(everything: Logs, since: date, as_of: date) -> list[WithdrawnRecord]:
    """Observations and rulings whose retraction was recorded after `since` and by `as_of`."""
    found: list[WithdrawnRecord] = []
    records: list[Observation | Ruling] = [o for items in everything.observations.values() for o in items]
    records += [r for items in everything.rulings.values() for r in items]
    for record in records:
        retraction = withdrawal(record, everything.retractions, as_of)
        if retraction is None or retraction.recorded_at < end_of(since) or record.uid is None:
            continue
        found.append({
            "uid": record.uid, "kind": "observation" if isinstance(record, Observation) else "ruling",
            "target": record.target if isinstance(record, Observation) else record.proposition,
            "said": describe_observation(record) if isinstance(record, Observation) else describe_ruling(record),
            "why": retraction.why, "recorded_at": moment(retraction.recorded_at), "recorded_by": retraction.recorded_by,
        })
    found.sort(key=lambda w: (w["recorded_at"], w["uid"]))
    return found
