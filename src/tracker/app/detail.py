"""One proposition in full: its statement, its evidence, its forecasts, rulings and status history.

`show`, `chart` and each dashboard page read the same `Detail` (tracker.core.results).
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime

from tracker.app.logs import collector_paused, history, logs, resolutions
from tracker.app.session import Session, proposition
from tracker.core.logs import Logs
from tracker.core.models import Proposition
from tracker.core.records import Forecast, Observation, Ruling, superseded_ids
from tracker.core.resolve import Resolution
from tracker.core.results import Detail, LoggedRecord, ObservationView


def proposition_detail(session: Session, proposition_id: str, as_of: date) -> Detail:
    """Everything known about one proposition as of the end of `as_of`."""
    proposition(session, proposition_id)
    with collector_paused():
        recorded = logs(session, [proposition_id])
        resolution = resolutions(session, as_of, recorded)[proposition_id]
        return detail(session, session.workspace.propositions[proposition_id], resolution, recorded, as_of)


def detail(session: Session, prop: Proposition, resolution: Resolution, recorded: Logs, as_of: date,
           shown: list[Observation] | None = None) -> Detail:
    """The detail of one proposition from its resolution and the logs (shared by show and the dashboard).

    `shown`: the observations to list, when not all of them (the dashboard shows a window).
    """
    workspace = session.workspace
    observations = recorded.observations.get(prop.metric or prop.id, []) if shown is None else shown
    superseded = superseded_ids(observations)
    source = workspace.sources.get(prop.source)
    actor = workspace.actors.get(prop.stated_by)
    metric = workspace.metrics.get(prop.metric) if prop.metric else None
    return {
        "as_of": as_of.isoformat(),
        "proposition": prop.model_dump(mode="json", exclude={"observations", "forecasts", "rulings"}),
        "source": source.model_dump(mode="json") if source else None,
        "stated_by": actor.model_dump(mode="json") if actor else None,
        "metric": metric.model_dump(mode="json", exclude={"observations"}) if metric else None,
        "status": resolution.status,
        "progress": resolution.progress,
        "expected_progress": resolution.expected_progress,
        "best_evidence": resolution.best_evidence,
        "observations": [observation_view(o, o.id in superseded) for o in observations],
        "forecasts": [logged_record(f) for f in recorded.forecasts if f.proposition == prop.id],
        "rulings": [logged_record(r) for r in recorded.rulings.get(prop.id, [])],
        "history": [{"on": c.on.isoformat(), "status": c.status, "cause": c.cause}
                    for c in history(session, prop.id, as_of, recorded)],
    }


def observation_view(obs: Observation, superseded: bool) -> ObservationView:
    """An observation as pages and `show --format json` list it."""
    return {
        "id": obs.id, "as_of": obs.as_of.label, "value": obs.value, "source": obs.source, "grade": obs.grade,
        "note": obs.note, "recorded_by": obs.recorded_by, "recorded_at": obs.recorded_at.isoformat(timespec="seconds"),
        "origin": obs.origin, "superseded": superseded,
    }


def logged_record(record: Forecast | Ruling) -> LoggedRecord:
    """A forecast or ruling as plain data, dates as ISO text."""
    # fields(), not asdict(): the records are flat, and asdict's deep copies cost seconds on 100,000 forecasts
    data = {f.name: getattr(record, f.name) for f in fields(record)}
    return {k: v.isoformat() if isinstance(v, (date, datetime)) else v for k, v in data.items()}

