"""What analysts logged, grouped the way resolution reads it, and what of it was known as of a day.

Pure: the use cases read the records from the store and hand them here. "As of T" is the end
of day T throughout (docs/rules.md): an observation counts once its period has ended and it
was recorded; a forecast once it was made and recorded; a ruling once it was made. A record
withdrawn by a retraction recorded by T no longer counts as of T (as of an earlier day it does).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from tracker.core.records import Forecast, Observation, Retraction, Ruling

Record = TypeVar("Record")


@dataclass(frozen=True)
class Logs:
    """Everything logged (both origins): observations by target, forecasts, rulings by proposition."""

    observations: dict[str, list[Observation]]
    forecasts: list[Forecast]
    rulings: dict[str, list[Ruling]]
    retractions: Mapping[str, Retraction] = field(default_factory=dict)  # by the uid of the record withdrawn


def group_by(records: Iterable[Record], key: Callable[[Record], str]) -> dict[str, list[Record]]:
    """Records grouped by `key`, each group in the records' order."""
    grouped: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        grouped[key(record)].append(record)
    return grouped


def known_on(obs: Observation) -> date:
    """The day an observation starts to count: what it covers has ended (its period, or for a
    partial figure its `through`) and it has been recorded."""
    return obs.known_on


def end_of(day: date) -> datetime:
    """The first moment after `day`: a record counts as of the end of `day` when recorded before it."""
    return datetime.max if day >= date.max else datetime.combine(day + timedelta(days=1), time.min)


def withdrawn(recorded: Logs, as_of: date) -> set[str]:
    """The uids of the records withdrawn by retractions recorded by the end of T."""
    moment = end_of(as_of)
    return {uid for uid, retraction in recorded.retractions.items() if retraction.recorded_at < moment}


def logs_as_of(recorded: Logs, as_of: date) -> Logs:
    """What counts as of the end of T: forecasts made and recorded by T, rulings made by T, nothing
    withdrawn by T. Observations not yet known are left in (resolution filters them by period and time)."""
    gone = withdrawn(recorded, as_of)
    moment = end_of(as_of)
    rulings = {p: kept for p, items in recorded.rulings.items()
               if (kept := [r for r in items if r.made_on <= as_of and r.uid not in gone])}
    observations = recorded.observations if not gone else {
        target: [o for o in items if o.uid not in gone] for target, items in recorded.observations.items()}
    forecasts = [f for f in recorded.forecasts if f.made_on <= as_of and f.recorded_at < moment]
    return Logs(observations, forecasts, rulings, recorded.retractions)


def known_by(recorded: Logs, as_of: date) -> Logs:
    """`logs_as_of`, with only the observations already known at the end of T (what a page lists)."""
    made = logs_as_of(recorded, as_of)
    known = {target: [o for o in items if known_on(o) <= as_of] for target, items in made.observations.items()}
    return Logs(known, made.forecasts, made.rulings, made.retractions)
