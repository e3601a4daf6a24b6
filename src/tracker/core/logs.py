"""What analysts logged, grouped the way resolution reads it, and what of it was known as of a day.

Pure: the use cases read the records from the store and hand them here. "As of T" is the end
of day T throughout (docs/rules.md): an observation counts once its period has ended and it
was recorded; forecasts and rulings once they were made.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from tracker.core.records import Forecast, Observation, Ruling

Record = TypeVar("Record")


@dataclass(frozen=True)
class Logs:
    """Everything logged (both origins): observations by target, forecasts, rulings by proposition."""

    observations: dict[str, list[Observation]]
    forecasts: list[Forecast]
    rulings: dict[str, list[Ruling]]


def group_by(records: Iterable[Record], key: Callable[[Record], str]) -> dict[str, list[Record]]:
    """Records grouped by `key`, each group in the records' order."""
    grouped: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        grouped[key(record)].append(record)
    return grouped


def known_on(obs: Observation) -> date:
    """The day an observation starts to count: its period has ended and it has been recorded."""
    return max(obs.as_of.end, obs.recorded_at.date())


def logs_as_of(recorded: Logs, as_of: date) -> Logs:
    """Forecasts and rulings made by T; observations are left whole (resolution filters them)."""
    rulings = {p: kept for p, items in recorded.rulings.items() if (kept := [r for r in items if r.made_on <= as_of])}
    return Logs(recorded.observations, [f for f in recorded.forecasts if f.made_on <= as_of], rulings)


def known_by(recorded: Logs, as_of: date) -> Logs:
    """`logs_as_of`, with only the observations already known at the end of T (what a page lists)."""
    made = logs_as_of(recorded, as_of)
    known = {target: [o for o in items if known_on(o) <= as_of] for target, items in made.observations.items()}
    return Logs(known, made.forecasts, made.rulings)
