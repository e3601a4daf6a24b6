"""The scorecard: statuses, progress, track records, forecaster scores and scenario weights as of a day.

One read of the logs, one `resolve_all` pass and the pure scoring and weighing functions make
ONE `Scorecard` (tracker.core.results), which every report format renders. What counts as of T
(the end of that day), so a past scorecard never changes when later data arrive: observations
whose period has ended and which were recorded by T; rulings and forecasts made on or before T.
Numbers are rounded to 4 decimals; lists come in a stable order and no database id appears, so
an export and re-import of the same logs gives the same JSON byte for byte.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date
from typing import cast

from tracker.app.changes import changes
from tracker.app.logs import collector_paused, logs, relevant_logs, resolutions
from tracker.app.scenarios import scenario_entries
from tracker.app.session import Session
from tracker.core.logs import Logs, logs_as_of
from tracker.core.models import Proposition
from tracker.core.records import Forecast
from tracker.core.resolve import Resolution
from tracker.core.results import (
    CalibrationBin,
    ForecasterRow,
    PropositionRow,
    Scorecard,
    TrackRecordRow,
    Unscored,
    baseline_of,
    day,
    latest_of,
    projection_of,
    rounded,
    ruling_in_force,
    target_of,
)
from tracker.core.scores import (
    RETRODICTION,
    calibration,
    calibration_pairs,
    exists_as_of,
    forecaster_scores,
    track_records,
    unscored_reason,
)
from tracker.core.status import ORDER
from tracker.errors import InputError

GROUPINGS = ("role", "country", "tag")


def scorecard(session: Session, as_of: date, since: date | None = None) -> Scorecard:
    """The scorecard as of the end of `as_of`, with a `changes` section when `since` is given."""
    if since is not None and since >= as_of:
        raise InputError(f"{since} is not before the scorecard's date {as_of}", argument="since")
    with collector_paused():
        # `changes` lists every observation that became known since the earlier date: it reads all.
        everything = logs(session) if since is not None else relevant_logs(session, as_of)
        recorded = logs_as_of(everything, as_of)
        resolved = resolutions(session, as_of, recorded)
        card = scorecard_from(session, recorded, resolved, as_of)
        if since is not None:
            card["changes"] = changes(session, everything, resolved, since, as_of)
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
    projection = projection_of(resolution.projected)
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
        "baseline": baseline_of(prop),
        "target": target_of(prop),
        "latest": latest_of(resolution.latest),
        "projected": projection["value"] if projection is not None else None,
        "projection": projection,
        "best_evidence": resolution.best_evidence,
        "resolved_on": day(resolution.resolved_on),
        "ruling": ruling_in_force(resolution.ruling),
        "forecasts": forecasts,
    }


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
    unscored = _unscored(forecasts, resolved, as_of, grace)
    forecasters: list[ForecasterRow] = [
        {"forecaster": s.forecaster, "n": s.n, "propositions": s.propositions, "brier": rounded(s.brier),
         "log": rounded(s.log), "baseline": rounded(s.baseline), "time_averaged_brier": rounded(s.time_averaged_brier),
         "retrodictions": s.retrodictions,
         "unscored": unscored.get(s.forecaster, {"retrodiction": 0, "after_resolution": 0})}
        for s in scores
    ]
    bins: list[CalibrationBin] = [
        {"lower": rounded(b.lower), "upper": rounded(b.upper), "n": b.n, "mean_forecast": rounded(b.mean_forecast),
         "observed_frequency": rounded(b.observed_frequency)}
        for b in calibration(calibration_pairs(forecasts, resolved, as_of=as_of, grace_days=grace))
    ]
    return forecasters, bins


def _unscored(forecasts: Iterable[Forecast], resolved: Mapping[str, Resolution], as_of: date, grace: int) -> dict[str, Unscored]:
    """Per forecaster, the forecasts existing as of T left unscored, by reason (docs/rules.md, section 6)."""
    counts: dict[str, Unscored] = {}
    for forecast in forecasts:
        reason = unscored_reason(forecast, resolved.get(forecast.proposition), grace) if exists_as_of(forecast, as_of) else None
        if reason is not None:
            tally = counts.setdefault(forecast.forecaster, {"retrodiction": 0, "after_resolution": 0})
            tally["retrodiction" if reason == RETRODICTION else "after_resolution"] += 1
    return counts
