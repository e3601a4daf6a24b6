"""`tracker metrics`: the measured series, their newest figures, and the propositions that use them.

As of the end of a day T: a metric's latest figure is its latest full period's figure known by T
(a revision replacing the figure it corrects, withdrawn records left out); its latest partial
figure, shown when it is newer than that, comes with its projection for the whole period
(docs/rules.md, section 9).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from tracker.app.logs import collector_paused, logs
from tracker.app.session import Session
from tracker.core.logs import logs_as_of
from tracker.core.models import Metric
from tracker.core.records import Observation
from tracker.core.resolve import project, used_partial
from tracker.core.results import MetricList, MetricRow, PartialFigure, latest_of, rounded


def metrics(session: Session, as_of: date) -> MetricList:
    """Every metric, in id order, with its newest figures as of the end of `as_of`."""
    workspace = session.workspace
    with collector_paused():
        recorded = logs_as_of(logs(session), as_of)
    users: dict[str, list[str]] = {}
    for prop in sorted(workspace.propositions.values(), key=lambda p: p.id):
        if prop.metric is not None:
            users.setdefault(prop.metric, []).append(prop.id)
    rows = [metric_row(metric, recorded.observations.get(metric.id, []), as_of, users.get(metric.id, []))
            for metric in sorted(workspace.metrics.values(), key=lambda m: m.id)]
    return {"as_of": as_of.isoformat(), "metrics": rows}


def metric_row(metric: Metric, observations: Sequence[Observation], as_of: date, propositions: list[str]) -> MetricRow:
    """One metric with its latest full figure and any newer partial one (pure)."""
    known = [o for o in observations if o.known_on <= as_of]
    full = [o for o in known if o.through is None]
    latest = max(full, key=_order, default=None)
    return {
        "id": metric.id, "name": metric.name, "unit": metric.unit, "period": metric.period, "basis": metric.basis,
        "aggregate": metric.aggregate, "latest": latest_of(latest),
        "latest_partial": latest_partial([o for o in known if o.through is not None], latest),
        "propositions": propositions,
    }


def _order(obs: Observation) -> tuple:  # type: ignore[type-arg]
    """Latest period first, then the revision recorded last."""
    return (obs.as_of.end, obs.recorded_at, obs.id or 0)


def latest_partial(partials: Sequence[Observation], latest: Observation | None) -> PartialFigure | None:
    """The figure used for the newest period that has only partial figures (newer than `latest`)."""
    newer = [o for o in partials if latest is None or o.as_of.end > latest.as_of.end]
    if not newer:
        return None
    end = max(o.as_of.end for o in newer)
    used = used_partial([o for o in newer if o.as_of.end == end])
    assert used.through is not None
    return {"value": float(used.value), "as_of": used.as_of.label, "through": used.through.label, "written": used.written,
            "source": used.source, "projected": rounded(project(used).value) or 0.0}
