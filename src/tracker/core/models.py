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
    Discriminator,
    Field,
    ModelWrapValidatorHandler,
    PlainSerializer,
    PlainValidator,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    StrictStr,
    Tag,
    ValidationInfo,
    field_serializer,
    field_validator,
    model_serializer,
    model_validator,
)

from tracker.core.periods import PeriodKind, parse_period
from tracker.core.status import RULING_STATUSES, Status
from tracker.core.values import Reading, ValueProblem, format_number, parse_value, plain_number_text

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


RulingStatus = Annotated[Status, PlainValidator(_ruling_status), PlainSerializer(str, return_type=str)]


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


def _figure(value: object) -> object:
    """Text that writes a figure (`1,500`, `1 500`, `>400`, `400..500`) becomes its number; an ambiguous
    one (`1,5`) is refused here, naming its readings. Other text is left for the value's own type."""
    if isinstance(value, str) and not plain_number_text(value) and any(ch.isdigit() for ch in value):
        return parse_value(value).number
    return value


class ObservationDef(Entry):
    """A documented value written in a definition file; it counts as recorded on its source's date.

    The value may be written as published: `1,500`, `>400`, `400..500`, in a `unit` of its own
    (converted to the metric's when the workspace is assembled); `through` makes it a partial
    figure covering the start of `as_of` up to the end of `through`.
    """

    as_of: PeriodText
    value: Annotated[Finite | EventValue, BeforeValidator(_figure)]
    source: Id
    grade: Grade | None = None
    note: Text | None = None
    unit: Text | None = None
    through: PeriodText | None = None
    _written: str | None = PrivateAttr(None)  # the value's text, when it was written as text

    @model_validator(mode="wrap")
    @classmethod
    def _keep_text(cls, data: object, handler: ModelWrapValidatorHandler[ObservationDef]) -> ObservationDef:
        entry = handler(data)
        value = data.get("value") if isinstance(data, dict) else None
        if isinstance(value, str) and isinstance(entry.value, float):
            entry._written = value.strip()
        return entry

    @field_serializer("value")
    def _as_written(self, value: float | str) -> float | str:
        """Dumped as written, so a stored copy validates back to the same bound or range."""
        return self._written if self._written is not None else value

    @field_validator("through")
    @classmethod
    def _inside_as_of(cls, through: str | None, info: ValidationInfo) -> str | None:
        as_of = info.data.get("as_of")
        if through is None or as_of is None:
            return through
        whole, part = parse_period(as_of), parse_period(through)
        if part.start < whole.start or part.end > whole.end:
            raise ValueError(f"through {part.label} lies outside as_of {whole.label}: a partial figure covers "
                             f"the start of its period, from {whole.start} to the end of through")
        if part.end == whole.end:
            raise ValueError(f"through {part.label} reaches the end of as_of {whole.label}: that is the whole "
                             "period's figure; leave out through")
        return through

    @property
    def reading(self) -> Reading:
        """A metric value as written: its number, and its bound or range if it is one."""
        if isinstance(self.value, str):
            raise ValueProblem(f"{self.value!r} is an event's value, not a figure")
        if self._written is not None:
            return parse_value(self._written)
        return Reading(float(self.value))


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
    """A measured series. `aggregate: sum` says a period's figure is the total of its parts (trade,
    tonnes shipped), so a figure for the start of a period (`through`) can be projected to the whole."""

    id: Id
    name: Text
    unit: Text
    period: PeriodKind
    basis: Text | None = None
    note: Text | None = None
    aggregate: Literal["sum"] | None = None
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
    """The target: a `value`, or a `change` relative to the baseline (0.25: baseline × 1.25)."""

    op: Operator
    value: Finite | None = None
    change: Finite | None = None

    @field_validator("change")
    @classmethod
    def _not_both(cls, change: float | None, info: ValidationInfo) -> float | None:
        if change is not None and info.data.get("value") is not None:
            raise ValueError("give value or change, not both (change is relative to the baseline: 0.25 for +25%)")
        return change

    @model_validator(mode="after")
    def _one_of(self) -> TargetValue:
        if self.value is None and self.change is None:
            raise ValueError("give value (the target) or change (relative to the baseline: 0.25 for +25%)")
        return self

    @model_serializer(mode="wrap")
    def _as_written(self, handler: SerializerFunctionWrapHandler) -> dict[str, object]:
        """Only the form written (value or change): reports and stored copies keep their old shape."""
        return {key: item for key, item in handler(self).items() if item is not None}

    def of(self, baseline: float) -> float:
        """The target value itself, given the baseline's value."""
        if self.value is not None:
            return self.value
        assert self.change is not None
        return baseline * (1.0 + self.change)


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
        if self.target_value == self.baseline.value and self.target.op not in (">", "<"):
            raise ValueError(self._equal_target_message())
        if self.observations:
            raise ValueError("a target's observations belong on its metric, not on the proposition")
        return self

    def _equal_target_message(self) -> str:
        assert self.baseline is not None and self.target is not None
        if self.target.change is None:
            return f"target {format_number(self.target_value)} equals the baseline; a target must differ from it"
        return (f"change {format_number(self.target.change)} makes the target equal the baseline "
                f"({format_number(self.baseline.value)}); with {self.target.op} that is already met: "
                "use > for 'keeps growing' or < for 'keeps falling'")

    @property
    def target_value(self) -> float:
        """The value to reach: the target's own, or the baseline changed by the target's `change`."""
        assert self.baseline is not None and self.target is not None, "only a target proposition has a target value"
        return self.target.of(self.baseline.value)

    @property
    def keeps_level(self) -> bool:
        """A strict target equal to its baseline: "keeps growing" (>) or "keeps falling" (<)."""
        if self.baseline is None or self.target is None:
            return False
        return self.target_value == self.baseline.value

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


class OutcomeLikelihood(Entry):
    """P(outcome | scenario) for each outcome of an indicator; the three sum to 1."""

    yes: Probability
    partly: Probability
    no: Probability

    @model_validator(mode="after")
    def _sums_to_one(self) -> OutcomeLikelihood:
        total = self.yes + self.partly + self.no
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"yes, partly and no sum to {total:.6g}, not 1 (within 1e-6)")
        return self


# Tags bracketed like pydantic's own type tags, which error locations leave out (see the loader):
# a problem reads `likelihood.deepening: ...`, at the scenario's line.
_SHORT, _PER_OUTCOME = "short[probability]", "per-outcome[yes, partly, no]"


def _likelihood_form(value: object) -> str:
    return _PER_OUTCOME if isinstance(value, (dict, OutcomeLikelihood)) else _SHORT


Likelihood = Annotated[
    Annotated[Probability, Tag(_SHORT)] | Annotated[OutcomeLikelihood, Tag(_PER_OUTCOME)],
    Discriminator(_likelihood_form),
]
_OUTCOME_FIELD = {Status.MATERIALISED: "yes", Status.PARTLY: "partly", Status.NOT_MATERIALISED: "no"}


class Indicator(Entry):
    """A proposition whose outcome tells the scenarios apart.

    `likelihood[s]` is P(it materialises | s) (the short form: no = 1 − yes, partly not given),
    or per outcome, `{yes, partly, no}`.
    """

    proposition: Id
    likelihood: dict[Id, Likelihood]
    why: Text | None = None

    def outcome_likelihood(self, scenario: str, outcome: str) -> float | None:
        """P(outcome | scenario); None where the short form gives none (a partly outcome)."""
        given = self.likelihood.get(scenario, 0.5)
        if isinstance(given, OutcomeLikelihood):
            return float(getattr(given, _OUTCOME_FIELD[Status(outcome)]))
        if outcome == Status.MATERIALISED:
            return given
        if outcome == Status.NOT_MATERIALISED:
            return 1.0 - given
        if outcome == Status.PARTLY:
            return None
        raise ValueError(f"indicator outcome {outcome!r} does not update weights")

    def p_yes(self, scenario: str) -> float:
        """P(it materialises | scenario)."""
        given = self.likelihood.get(scenario, 0.5)
        return given.yes if isinstance(given, OutcomeLikelihood) else given


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
