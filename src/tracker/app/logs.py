"""Reading the logs: what analysts logged (and withdrew), from the store, resolved as of a day.

Set-based: the logs are read once and grouped in memory, never queried per proposition.
`relevant_logs` reads only the observations that can change a resolution as of T, so a
scorecard of a long-lived workspace does not read decades of a metric's history.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from tracker.app.session import Session, proposition
from tracker.core.logs import Logs, group_by, withdrawn
from tracker.core.records import Retraction
from tracker.core.resolve import Resolution, StatusChange, needs_earlier_period, relevant_from, resolve_all, status_history


def logs(session: Session, propositions: list[str] | None = None) -> Logs:
    """Observations, forecasts and rulings, for all propositions or the ones named."""
    workspace = session.workspace
    targets = None
    if propositions is not None:
        targets = {workspace.propositions[p].metric or p for p in propositions}
    return Logs(
        observations=group_by(session.store.observations(targets), lambda o: o.target),
        forecasts=session.store.forecasts(propositions),
        rulings=group_by(session.store.rulings(propositions), lambda r: r.proposition),
        retractions=retractions(session),
    )


def retractions(session: Session) -> dict[str, Retraction]:
    """Every retraction, by the id of the record it withdraws."""
    return {r.target_uid: r for r in session.store.retractions()}


def relevant_logs(session: Session, as_of: date) -> Logs:
    """The logs with only the observations that can change a resolution as of T (same statuses, less read).

    A metric's history before a target's baseline and statement counts only as the target's
    `latest` when nothing later is known (`tracker.core.resolve.relevant_from`): each metric is
    read from the earliest such day of the propositions on it (one indexed range per metric;
    metrics no proposition names are not read), and the last counting period before it is
    fetched only for a target that would otherwise have no `latest`. Events read all.
    """
    bounds = _read_from(session)
    observations = session.store.observations_from(bounds)
    extended: set[str] = set()
    for prop in session.workspace.propositions.values():
        target = prop.metric if prop.kind == "target" else None
        bound = bounds.get(target) if target is not None else None
        if target is None or bound is None or target in extended:
            continue
        if needs_earlier_period(observations.get(target, ()), as_of, prop.deadline):
            extended.add(target)
            observations[target] = session.store.last_period_before(target, bound, as_of) + observations.get(target, [])
    return Logs(observations, session.store.forecasts(), group_by(session.store.rulings(), lambda r: r.proposition),
                retractions(session))


def _read_from(session: Session) -> dict[str, date | None]:
    """For each observed target, the earliest period end any of its propositions can use (None: all)."""
    workspace = session.workspace
    bounds: dict[str, date | None] = {}
    for prop_id, prop in workspace.propositions.items():
        target = prop.metric if prop.kind == "target" else prop_id
        if target is None:
            continue
        bound = relevant_from(prop, workspace.metrics.get(target)) if prop.kind == "target" else None
        known = bounds.get(target, bound)
        bounds[target] = None if known is None or bound is None else min(known, bound)
    return bounds


def resolutions(session: Session, as_of: date, recorded: Logs | None = None) -> dict[str, Resolution]:
    """The status of every proposition as of the end of `as_of` (the workspace's grade threshold applied;
    records withdrawn by then left out)."""
    recorded = standing(recorded or logs(session), as_of)
    workspace = session.workspace
    return resolve_all(workspace.propositions, workspace.metrics, recorded.observations, recorded.rulings, as_of,
                       min_grade=session.settings.min_grade)


def standing(recorded: Logs, as_of: date) -> Logs:
    """The logs without the observations and rulings withdrawn by the end of `as_of` (the same logs if none were)."""
    gone = withdrawn(recorded, as_of)
    if not gone:
        return recorded
    observations = {target: [o for o in items if o.uid not in gone] for target, items in recorded.observations.items()}
    rulings = {p: [r for r in items if r.uid not in gone] for p, items in recorded.rulings.items()}
    return Logs(observations, recorded.forecasts, rulings, recorded.retractions)


def history(session: Session, proposition_id: str, as_of: date, recorded: Logs) -> list[StatusChange]:
    """Every change of one proposition's status up to `as_of`, with its cause."""
    prop = proposition(session, proposition_id)
    recorded = standing(recorded, as_of)
    metric = session.workspace.metrics.get(prop.metric) if prop.metric else None
    observations = recorded.observations.get(prop.metric or prop.id, [])
    return status_history(prop, metric, observations, recorded.rulings.get(prop.id, []), as_of,
                          min_grade=session.settings.min_grade)


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

