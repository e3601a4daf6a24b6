"""What definition files say: sources, actors, metrics, propositions and scenario sets.

These pydantic models check one entry at a time (types, ranges, a target differing from its
baseline, priors summing to one). Checks that need the whole workspace (references, periods
matching a metric) live in `tracker.core.workspace`.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StrictStr,
    field_validator,
    model_validator,
)

from tracker.core.periods import PeriodKind, parse_period
from tracker.core.status import RULING_STATUSES, Status

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=200)]
EventValue = Literal["yes", "partly", "no"]
Operator = Literal[">=", "<=", ">", "<", "=="]
Role = Literal["official", "analyst", "organisation"]
GRADE_PATTERN = re.compile(r"^[A-F][1-6]$")


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


def _period_text(value: object) -> str:
    """Keep a period as its canonical label; the metric's kind is checked by the workspace."""
    return parse_period(value).label


def _grade(value: str) -> str:
    if not GRADE_PATTERN.match(value):
        raise ValueError(f"grade {value!r} is not an Admiralty code like B2 (A-F then 1-6)")
    return value


def _no_boolean(value: object) -> object:
    # YAML's `true` would otherwise count as 1.0.
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {str(value).lower()}")
    return value


def _calendar_date(value: object) -> object:
    # pydantic reads a bare number as Unix time: `published: 0` would become 1970-01-01.
    if isinstance(value, (int, float)):
        raise ValueError(f"expected a date like 2024-05-16, got {str(value).lower()}")
    return value


Finite = Annotated[float, BeforeValidator(_no_boolean), AfterValidator(_finite)]
Day = Annotated[date, BeforeValidator(_calendar_date)]
PeriodText = Annotated[str | int | date, AfterValidator(_period_text)]
Grade = Annotated[str, AfterValidator(_grade)]
Probability = Annotated[float, BeforeValidator(_no_boolean), Field(ge=0.0, le=1.0), AfterValidator(_finite)]
Text = Annotated[StrictStr, Field(min_length=1)]


def _ruling_status(value: object) -> Status:
    """A status a ruling may set; the message lists them as pydantic lists a Literal's choices."""
    if isinstance(value, str) and value in RULING_STATUSES:
        return Status(value)
    choices = [repr(str(status)) for status in RULING_STATUSES]
    raise ValueError(f"Input should be {', '.join(choices[:-1])} or {choices[-1]}")


RulingStatus = Annotated[Status, PlainValidator(_ruling_status)]


class Entry(BaseModel):
    """Base for every definition: unknown keys are errors, so typos are caught."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Source(Entry):
    id: Id
    title: Text
    published: Day
    publisher: Text | None = None
    author: Text | None = None
    file: Text | None = None
    url: Text | None = None
    note: Text | None = None


class Actor(Entry):
    id: Id
    name: Text
    role: Role
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    note: Text | None = None


class ObservationDef(Entry):
    """A documented value written in a definition file; it counts as recorded on its source's date."""

    as_of: PeriodText
    value: Finite | EventValue
    source: Id
    grade: Grade | None = None
    note: Text | None = None


class ForecastDef(Entry):
    """A probability a source states for a proposition (never invented)."""

    by: Id
    probability: Probability
    on: Day
    source: Id | None = None
    note: Text | None = None


class RulingDef(Entry):
    """A manual ruling written in a definition file."""

    status: RulingStatus
    why: Text
    on: Day
    source: Id | None = None


class Metric(Entry):
    id: Id
    name: Text
    unit: Text
    period: PeriodKind
    basis: Text | None = None
    note: Text | None = None
    observations: list[ObservationDef] = []

    @field_validator("observations")
    @classmethod
    def _numbers_only(cls, observations: list[ObservationDef]) -> list[ObservationDef]:
        for obs in observations:
            if isinstance(obs.value, str):
                raise ValueError(f"a metric's observation value must be a number, got {obs.value!r}")
        return observations


class Baseline(Entry):
    value: Finite
    as_of: PeriodText


class TargetValue(Entry):
    op: Operator
    value: Finite


class Proposition(Entry):
    id: Id
    kind: Literal["target", "event"]
    title: Text
    quote: Text
    source: Id
    stated_by: Id
    stated_on: Day
    deadline: Day
    deadline_basis: Literal["explicit", "implied"] = "explicit"
    criteria: Text | None = None
    tags: list[Id] = []
    note: Text | None = None
    metric: Id | None = None
    baseline: Baseline | None = None
    target: TargetValue | None = None
    partial: Annotated[float, Field(gt=0.0, le=1.0)] = 0.5
    min_grade: Grade | None = None
    observations: list[ObservationDef] = []
    forecasts: list[ForecastDef] = []
    rulings: list[RulingDef] = []
    span: tuple[int, int] | None = None

    @model_validator(mode="after")
    def _kind_fields(self) -> Proposition:
        if self.deadline < self.stated_on:
            raise ValueError(f"deadline {self.deadline} is before stated_on {self.stated_on}")
        if self.kind == "target":
            return self._check_target()
        return self._check_event()

    def _check_target(self) -> Proposition:
        missing = [name for name in ("metric", "baseline", "target") if getattr(self, name) is None]
        if missing:
            raise ValueError(f"a target proposition needs {', '.join(missing)}")
        assert self.baseline is not None and self.target is not None
        if self.baseline.value == self.target.value:
            raise ValueError(f"target {self.target.value:g} equals the baseline; a target must differ from it")
        if self.observations:
            raise ValueError("a target's observations belong on its metric, not on the proposition")
        return self

    def _check_event(self) -> Proposition:
        extra = [name for name in ("metric", "baseline", "target") if getattr(self, name) is not None]
        if extra:
            raise ValueError(f"an event proposition has no {', '.join(extra)} (use kind: target)")
        for obs in self.observations:
            if not isinstance(obs.value, str):
                raise ValueError(f"an event's observation value is yes, partly or no, got {obs.value!r}")
        return self


class ObservationEntry(ObservationDef):
    """A top-level observation in a definition file, naming its metric or event proposition."""

    target: Id


class ForecastEntry(ForecastDef):
    proposition: Id


class RulingEntry(RulingDef):
    proposition: Id


class Scenario(Entry):
    id: Id
    title: Text
    prior: Probability
    description: Text | None = None


class Indicator(Entry):
    proposition: Id
    likelihood: dict[Id, Probability]
    why: Text | None = None


class ScenarioSet(Entry):
    id: Id
    title: Text
    note: Text | None = None
    scenarios: Annotated[list[Scenario], Field(min_length=2)]
    indicators: list[Indicator] = []

    @field_validator("scenarios")
    @classmethod
    def _consistent(cls, scenarios: list[Scenario]) -> list[Scenario]:
        """Reported at the `scenarios:` line, where the fix is made."""
        ids = [s.id for s in scenarios]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"scenario id {', '.join(map(repr, repeated))} repeats within the set")
        total = sum(s.prior for s in scenarios)
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"priors sum to {total:.6g}, not 1 (within 1e-6)")
        return scenarios
