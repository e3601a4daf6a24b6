"""What analysts log: observations, forecasts and rulings, as plain records.

These are slotted dataclasses rather than pydantic models: the store builds millions of them
from rows it has already checked, and resolution only reads them. Values entering from the
outside (the command line, an import file) are checked on the way in, not here.

They are not `frozen`: a frozen dataclass's `__init__` sets each field through
`object.__setattr__`, which made building a million observations cost over a second more than
plain slot assignments. Treat them as read-only all the same (nothing in tracker assigns to
one); `unsafe_hash` keeps them hashable by value, as the frozen ones were.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from tracker.core.periods import Period
from tracker.core.values import Bound

Origin = Literal["definition", "log"]
EVENT_VALUES = ("no", "partly", "yes")  # weakest to strongest


@dataclass(slots=True, unsafe_hash=True)
class Observation:
    """A dated fact on a metric (a number) or on an event proposition (yes, partly or no)."""

    target: str
    as_of: Period
    value: float | str
    recorded_at: datetime
    source: str | None = None
    grade: str | None = None
    note: str | None = None
    recorded_by: str | None = None
    origin: Origin = "log"
    id: int | None = None
    uid: str | None = None
    through: Period | None = None
    bound: Bound | None = None
    written: str | None = None

    @property
    def covers(self) -> Period:
        """The stretch the value covers: its period, or for a partial figure the start of it up to `through`."""
        if self.through is None:
            return self.as_of
        return Period(self.through.end, self.as_of.start, self.as_of.kind)

    @property
    def partial(self) -> bool:
        """Whether the value covers only the start of its period (`through`)."""
        return self.through is not None

    @property
    def known_on(self) -> date:
        """The day the observation counts from: what it covers has ended and it was recorded."""
        recorded = self.recorded_at.date()
        end = self.as_of.end if self.through is None else self.through.end
        return recorded if recorded > end else end


@dataclass(slots=True, unsafe_hash=True)
class Forecast:
    """A probability, by a named forecaster on a date, that a proposition materialises."""

    proposition: str
    probability: float
    forecaster: str
    made_on: date
    recorded_at: datetime
    recorded_by: str | None = None
    source: str | None = None
    note: str | None = None
    origin: Origin = "log"
    id: int | None = None
    uid: str | None = None


@dataclass(slots=True, unsafe_hash=True)
class Ruling:
    """A manual status for a proposition from `made_on` on, with the reason."""

    proposition: str
    status: str
    why: str
    made_on: date
    recorded_at: datetime
    recorded_by: str | None = None
    source: str | None = None
    origin: Origin = "log"
    id: int | None = None
    uid: str | None = None


@dataclass(slots=True, unsafe_hash=True)
class Retraction:
    """The withdrawal of a logged observation or ruling (`target_uid`) from `recorded_at` on."""

    uid: str
    target_uid: str
    why: str
    recorded_at: datetime
    recorded_by: str | None = None


def retracted_as_of(retractions: Iterable[Retraction], moment: datetime) -> set[str]:
    """The uids withdrawn by retractions recorded before `moment` (as of an earlier moment they still count)."""
    return {r.target_uid for r in retractions if r.recorded_at < moment}


def superseded_ids(observations: list[Observation]) -> set[int]:
    """Ids of observations revised by a later-recorded one for the same target, period and span.

    A partial figure (`through`) revises only a partial figure of the same span; it never
    revises the period's full figure, nor a partial figure covering less or more of the period.
    """
    latest: dict[tuple[str, str, str | None], Observation] = {}
    for obs in observations:
        key = (obs.target, obs.as_of.label, obs.through.end.isoformat() if obs.through is not None else None)
        current = latest.get(key)
        if current is None or _later(obs, current):
            latest[key] = obs
    keep = {id(obs) for obs in latest.values()}
    return {obs.id for obs in observations if id(obs) not in keep and obs.id is not None}


def _later(a: Observation, b: Observation) -> bool:
    """Whether `a` was recorded after `b`; the insertion order breaks ties."""
    return (a.recorded_at, a.id or 0) > (b.recorded_at, b.id or 0)
