"""One proposition in full: its statement, its evidence, its forecasts, rulings and status history.

`show`, `chart` and each dashboard page read the same `Detail` (tracker.core.results). The
detail lists what was recorded by the end of the as-of date T, withdrawn records included and
marked (struck through by the reports, with the reason): a record withdrawn after T still
stands as of T. The status, its history and the scores rest only on what stands.

The builder (`detail`) is pure: it takes the definitions (`Context`), the resolution and the
logs, so tests build a detail from records they write by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

from tracker.app.logs import collector_paused, logs, resolutions
from tracker.app.session import Session, proposition
from tracker.core.logs import Logs, end_of, logs_as_of, withdrawn
from tracker.core.models import Metric, Proposition
from tracker.core.records import Forecast, Observation, Retraction, Ruling, superseded_ids
from tracker.core.resolve import Resolution, StatusChange, describe_observation, resolve, status_history
from tracker.core.results import (
    ActorView,
    Detail,
    ForecastView,
    HistoryStep,
    MetricView,
    ObservationView,
    PropositionView,
    RulingView,
    SourceView,
    baseline_of,
    day,
    figure,
    latest_of,
    moment,
    partial_projection,
    projection_of,
    rounded,
    ruling_in_force,
    target_of,
    withdrawal_of,
)
from tracker.core.scores import GRACE_DAYS, unscored_reason
from tracker.core.workspace import Workspace

Record = TypeVar("Record", Observation, Ruling)
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Context:
    """What a detail needs besides the logs: the definitions and the workspace's settings."""

    workspace: Workspace
    min_grade: str | None = None
    grace_days: int = GRACE_DAYS

    @classmethod
    def of(cls, session: Session) -> Context:
        return cls(session.workspace, session.settings.min_grade, session.settings.forecast_grace_days)


def proposition_detail(session: Session, proposition_id: str, as_of: date) -> Detail:
    """Everything known about one proposition as of the end of `as_of`."""
    proposition(session, proposition_id)
    with collector_paused():
        recorded = logs(session, [proposition_id])
        resolution = resolutions(session, as_of, logs_as_of(recorded, as_of))[proposition_id]
        return detail(Context.of(session), session.workspace.propositions[proposition_id], resolution, recorded, as_of)


def detail(context: Context, prop: Proposition, resolution: Resolution, recorded: Logs, as_of: date,
           shown: list[Observation] | None = None) -> Detail:
    """The detail of one proposition from its resolution (as of T) and everything logged about it.

    `recorded` holds the logs as stored (nothing filtered by date or withdrawal); `shown`: the
    observations to list, when not all of them (the dashboard shows a window).
    """
    workspace = context.workspace
    observations = recorded.observations.get(prop.metric or prop.id, []) if shown is None else shown
    metric = workspace.metrics.get(prop.metric) if prop.metric else None
    return {
        "as_of": as_of.isoformat(),
        "proposition": proposition_view(prop),
        "source": source_view(workspace, prop.source),
        "stated_by": actor_view(workspace, prop.stated_by),
        "metric": metric_view(metric),
        "status": resolution.status,
        "progress": resolution.progress,
        "expected_progress": resolution.expected_progress,
        "best_evidence": resolution.best_evidence,
        "latest": latest_of(resolution.latest),
        "projection": projection_of(resolution.projected),
        "resolved_on": day(resolution.resolved_on),
        "ruling": ruling_in_force(resolution.ruling),
        "observations": observation_views(observations, recorded.retractions, as_of),
        "forecasts": forecast_views(recorded.forecasts, prop.id, resolution, as_of, context.grace_days),
        "rulings": ruling_views(recorded.rulings.get(prop.id, []), recorded.retractions, resolution, as_of),
        "history": history_steps(history(context, prop, recorded, as_of)),
        "observations_omitted": 0,
    }


# --- the definitions ------------------------------------------------------------------------------


def proposition_view(prop: Proposition) -> PropositionView:
    return {
        "id": prop.id, "kind": prop.kind, "title": prop.title, "quote": prop.quote, "source": prop.source,
        "stated_by": prop.stated_by, "stated_on": prop.stated_on.isoformat(), "deadline": prop.deadline.isoformat(),
        "deadline_basis": prop.deadline_basis, "criteria": prop.criteria, "tags": list(prop.tags), "note": prop.note,
        "metric": prop.metric, "baseline": baseline_of(prop), "target": target_of(prop), "partial": prop.partial,
        "min_grade": prop.min_grade,
    }


def source_view(workspace: Workspace, source_id: str) -> SourceView | None:
    source = workspace.sources.get(source_id)
    if source is None:
        return None
    return {"id": source.id, "title": source.title, "published": source.published.isoformat(), "publisher": source.publisher,
            "author": source.author, "file": source.file, "url": source.url}


def actor_view(workspace: Workspace, actor_id: str) -> ActorView | None:
    actor = workspace.actors.get(actor_id)
    if actor is None:
        return None
    return {"id": actor.id, "name": actor.name, "role": actor.role, "country": actor.country}


def metric_view(metric: Metric | None) -> MetricView | None:
    if metric is None:
        return None
    return {"id": metric.id, "name": metric.name, "unit": metric.unit, "period": metric.period, "basis": metric.basis,
            "aggregate": metric.aggregate}


# --- the records ----------------------------------------------------------------------------------


def recorded_by(when: datetime, as_of: date) -> bool:
    """Whether a record was logged by the end of day `as_of`."""
    return when < end_of(as_of)


def withdrawal(record: Observation | Ruling, retractions: Mapping[str, Retraction], as_of: date) -> Retraction | None:
    """The retraction withdrawing this record by the end of T, if any."""
    found = retractions.get(record.uid) if record.uid is not None else None
    return found if found is not None and recorded_by(found.recorded_at, as_of) else None


def observation_views(observations: Sequence[Observation], retractions: Mapping[str, Retraction],
                      as_of: date) -> list[ObservationView]:
    """The observations recorded by T: each with its id, value as written, span, and whether it was
    revised (among those still standing) or withdrawn."""
    listed = [o for o in observations if recorded_by(o.recorded_at, as_of)]
    gone = {id(o): w for o in listed if (w := withdrawal(o, retractions, as_of)) is not None}
    superseded = superseded_ids([o for o in listed if id(o) not in gone])
    return [observation_view(o, o.id in superseded and id(o) not in gone, gone.get(id(o))) for o in listed]


def observation_view(obs: Observation, superseded: bool, withdrawn_by: Retraction | None = None) -> ObservationView:
    """An observation as pages and `show --format json` list it."""
    bound = obs.bound
    return {
        "id": obs.id, "uid": obs.uid, "as_of": obs.as_of.label, "through": obs.through.label if obs.through else None,
        "value": figure(obs.value), "written": obs.written,
        "bound": None if bound is None else {"low": bound.low, "high": bound.high, "text": bound.text},
        "projected": partial_projection(obs), "source": obs.source, "grade": obs.grade, "note": obs.note,
        "recorded_by": obs.recorded_by, "recorded_at": moment(obs.recorded_at), "known_on": obs.known_on.isoformat(),
        "origin": obs.origin, "superseded": superseded, "withdrawn": withdrawal_of(withdrawn_by),
    }


def forecast_views(forecasts: Iterable[Forecast], prop_id: str, resolution: Resolution, as_of: date,
                   grace_days: int) -> list[ForecastView]:
    """The forecasts on a proposition that exist as of T (made and recorded by then), each with why it
    is never scored, if it is not (a retrodiction, or recorded after the resolution)."""
    chosen = [f for f in forecasts if f.proposition == prop_id and f.made_on <= as_of and recorded_by(f.recorded_at, as_of)]
    chosen.sort(key=lambda f: (f.made_on, f.recorded_at, f.id or 0))
    return [forecast_view(f, unscored_reason(f, resolution, grace_days)) for f in chosen]


def forecast_view(forecast: Forecast, unscored: str | None) -> ForecastView:
    return {
        "id": forecast.id, "uid": forecast.uid, "forecaster": forecast.forecaster, "probability": rounded(forecast.probability) or 0.0,
        "made_on": forecast.made_on.isoformat(), "recorded_at": moment(forecast.recorded_at),
        "recorded_by": forecast.recorded_by, "source": forecast.source, "note": forecast.note, "origin": forecast.origin,
        "unscored": unscored,
    }


def ruling_views(rulings: Iterable[Ruling], retractions: Mapping[str, Retraction], resolution: Resolution,
                 as_of: date) -> list[RulingView]:
    """The rulings made by T, the one in force marked, withdrawn ones with their retraction."""
    chosen = sorted((r for r in rulings if r.made_on <= as_of), key=lambda r: (r.made_on, r.recorded_at, r.id or 0))
    return [ruling_view(r, r == resolution.ruling, withdrawal(r, retractions, as_of)) for r in chosen]


def ruling_view(ruling: Ruling, in_force: bool, withdrawn_by: Retraction | None) -> RulingView:
    return {
        "id": ruling.id, "uid": ruling.uid, "status": str(ruling.status), "why": ruling.why,
        "made_on": ruling.made_on.isoformat(), "recorded_at": moment(ruling.recorded_at), "recorded_by": ruling.recorded_by,
        "source": ruling.source, "origin": ruling.origin, "in_force": in_force, "withdrawn": withdrawal_of(withdrawn_by),
    }


# --- the status history, withdrawals included -------------------------------------------------------


def describe_ruling(ruling: Ruling) -> str:
    """`ruling: annulled — why`: how a ruling is named in a history."""
    return f"ruling: {ruling.status} — {ruling.why}"


def describe_withdrawal(record: Observation | Ruling, retraction: Retraction) -> str:
    """`withdrawn: observation 2025: 1200 (src) — why it was withdrawn`."""
    said = describe_observation(record) if isinstance(record, Observation) else describe_ruling(record)
    return f"withdrawn: {said} — {retraction.why}"


def withdrawals(recorded: Logs, records: Iterable[Observation | Ruling], as_of: date) -> dict[date, list[str]]:
    """The days, by T, on which records of these stopped counting, and what was withdrawn each day."""
    found: dict[date, list[str]] = {}
    for record in records:
        retraction = withdrawal(record, recorded.retractions, as_of)
        if retraction is not None:
            found.setdefault(retraction.recorded_at.date(), []).append(describe_withdrawal(record, retraction))
    return found


def standing(recorded: Logs, as_of: date, records: Sequence[Record]) -> list[Record]:
    """The records not withdrawn by the end of `as_of`."""
    gone = withdrawn(recorded, as_of)
    return [r for r in records if r.uid is None or r.uid not in gone]


def history(context: Context, prop: Proposition, recorded: Logs, as_of: date) -> list[StatusChange]:
    """Every change of the proposition's status up to T, each with its cause.

    A withdrawn record counts until the day its retraction was recorded: the history is worked
    out piece by piece between those days, and the day one stops counting is a change of its
    own when the status moves ("withdrawn: ruling: annulled — why — logged on the wrong proposition").
    """
    metric = context.workspace.metrics.get(prop.metric) if prop.metric else None
    observations = recorded.observations.get(prop.metric or prop.id, [])
    rulings = recorded.rulings.get(prop.id, [])
    days = withdrawals(recorded, [*observations, *rulings], as_of)
    if not days:
        return status_history(prop, metric, observations, rulings, as_of, min_grade=context.min_grade)
    starts = [prop.stated_on, *sorted(d for d in days if d > prop.stated_on)]
    changes: list[StatusChange] = []
    for index, start in enumerate(starts):
        end = starts[index + 1] - ONE_DAY if index + 1 < len(starts) else as_of
        now_observations, now_rulings = standing(recorded, start, observations), standing(recorded, start, rulings)
        piece = status_history(prop, metric, now_observations, now_rulings, end, min_grade=context.min_grade)
        if index:
            status = resolve(prop, metric, now_observations, now_rulings, start, context.min_grade).status
            same_day = [c.cause for c in piece if c.on == start]
            _append(changes, StatusChange(start, status, "; ".join([*days[start], *same_day])))
        for change in piece:
            if change.on > start or not index:
                _append(changes, change)
    return changes


def _append(changes: list[StatusChange], change: StatusChange) -> None:
    """Add a change unless the status stays the same."""
    if not changes or changes[-1].status != change.status:
        changes.append(change)


def history_steps(changes: Iterable[StatusChange]) -> list[HistoryStep]:
    """A history as results carry it."""
    return [{"on": c.on.isoformat(), "status": c.status, "cause": c.cause} for c in changes]
