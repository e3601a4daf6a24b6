"""Values as people write them: the one set of parsers behind the command line, the Python API,
import files and definition files.

Each parser takes what a user wrote (text, or an already typed value) and returns a typed value,
or raises `ValueProblem` with a message that names the mistake and its fix but no argument or
flag: the caller knows whether it came from `--as-of`, `as_of=` or an import column, and
prefixes that. So the same mistake reads the same wherever it is made.

Numbers follow what figures in articles look like: `1,500`, `1 500` (also with a thin or
no-break space) and `1_500` are fifteen hundred, the point is the decimal mark, and a comma
that could be a decimal mark (`1,5`, `1,50`, `1.234,5`) is refused, naming the readings, rather
than guessed. A metric value may also be a bound (`>400`, `>=400`, `<500`, `<=500`) or a range
(`400..500`), and it may come in a unit of its own (`1.5 USD billion` for a metric in
`USD million`), converted with pint.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Literal

from tracker.core.periods import Period, PeriodError
from tracker.core.periods import parse_date as _parse_date
from tracker.core.periods import parse_period as _parse_period

if TYPE_CHECKING:
    from collections.abc import Callable

    import pint

EventWord = Literal["yes", "partly", "no"]
EVENT_WORDS: tuple[EventWord, ...] = ("yes", "partly", "no")
GRADE_PATTERN = re.compile(r"[A-F][1-6]")
SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
JUMP_FACTOR = 10.0  # a value more than 10x, or under a tenth of, its neighbour is worth a second look


class ValueProblem(ValueError):
    """A value that cannot be read; the message says what is wrong and how to write it."""


# --- numbers -------------------------------------------------------------------------------------

_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_SPACES = re.compile(r"[ \u00a0\u2009\u202f]")  # space, no-break, thin and narrow no-break spaces
_GROUPED = re.compile(r"([+-]?)(\d{1,3}(?:([,_ ])\d{3})(?:\3\d{3})*)(\.\d+)?")
_DIGITS_MAX = 400  # more digits than a float can hold
_DASHED_RANGE = re.compile(r"(\d+(?:\.\d+)?)\s*[-\u2013\u2014]\s*(\d+(?:\.\d+)?)")  # 400-500, 400–500


def parse_number(value: object) -> float:
    """A finite number: an int or float, or text such as `1500`, `1,500`, `1 500`, `1_500.5`, `-2.5e3`."""
    if isinstance(value, bool):
        raise ValueProblem(f"{str(value).lower()} is not a number")
    if isinstance(value, int):
        return _from_int(value)
    if isinstance(value, float):
        return _finite(value, repr(value))
    if value is None:
        raise ValueProblem("no number given")
    if not isinstance(value, str):
        raise ValueProblem(f"{_shown(value)} is not a number")
    return _from_text(value)


def _from_int(value: int) -> float:
    if value.bit_length() > 1020:  # float() would overflow; str() of a huge int may refuse too
        digits = int(value.bit_length() * math.log10(2)) + 1
        raise ValueProblem(f"a number of about {digits} digits is too large")
    return float(value)


def _finite(number: float, written: str) -> float:
    if not math.isfinite(number):
        raise ValueProblem(f"{_clip(written)} is not a finite number")
    return number


def _from_text(value: str) -> float:
    text = _SPACES.sub(" ", value.strip())
    if not text:
        raise ValueProblem("no number given")
    if len(text) > _DIGITS_MAX:
        raise ValueProblem(f"{_clip(text)} is too long for a number ({len(text)} characters)")
    if _PLAIN.fullmatch(text):
        return _finite(float(text), text)
    grouped = _GROUPED.fullmatch(text)
    if grouped:
        sign, digits, separator, decimals = grouped.groups()
        return _finite(float(sign + digits.replace(separator, "") + (decimals or "")), text)
    raise ValueProblem(_not_a_number(text))


def _not_a_number(text: str) -> str:
    """Why `text` is not a number, naming its possible readings where a comma makes it ambiguous."""
    compact = text.replace(" ", "")
    if re.fullmatch(r"[+-]?\d+\.\d{3},\d+", compact) or re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+,\d+", compact):
        reading = compact.replace(".", "").replace(",", ".")
        return f"{text} uses a comma as the decimal mark: write {reading} (decimal point, no thousands separator)"
    if re.fullmatch(r"[+-]?\d+,\d+", compact):
        whole, part = compact.split(",")
        joined = format_number(float(whole + part))
        return f"{text} is ambiguous: {whole}.{part} or {joined}? write {whole}.{part} (decimal point) or {joined}"
    if re.fullmatch(r"[+-]?\d+(,\d+)+(\.\d+)?", compact):
        joined = compact.replace(",", "")
        return f"{text} is not one number: commas only separate groups of three digits (1,500); write {joined} if that is meant"
    if re.fullmatch(r"[+-]?\d+([ _]\d+)+(\.\d+)?", text):
        return f"{text} is not one number: spaces and _ only separate groups of three digits (1 500)"
    dashed = _DASHED_RANGE.fullmatch(text)
    if dashed:
        return f"{text} is not a number; a range is written with two dots: {dashed[1]}..{dashed[2]}"
    return f"{_clip(text)} is not a number"


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _shown(value: object) -> str:
    """A value for a message: text quoted and clipped, anything else by its type."""
    if isinstance(value, str):
        return repr(_clip(value))
    if value is None:
        return "nothing"
    return f"a {type(value).__name__}"


def format_number(number: float) -> str:
    """A number as tracker writes it in messages: `274`, `1.5`, `411.2757`."""
    number = float(number)
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return format(number, ".7g")


# --- bounds and ranges ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Bound:
    """An interval of values: `>400` is (400, ∞), `<=500` is (−∞, 500], `400..500` is [400, 500].

    An end that is None is unbounded. Used for a value published as a bound or range, and for
    the values that meet a target, so "does this bound decide the target?" is interval algebra.
    """

    low: float | None = None
    high: float | None = None
    low_closed: bool = True
    high_closed: bool = True

    @property
    def text(self) -> str:
        """The bound as written: `>400`, `>=400`, `<500`, `<=500` or `400..500`."""
        if self.high is None and self.low is not None:
            return (">=" if self.low_closed else ">") + format_number(self.low)
        if self.low is None and self.high is not None:
            return ("<=" if self.high_closed else "<") + format_number(self.high)
        if self.low is not None and self.high is not None:
            return f"{format_number(self.low)}..{format_number(self.high)}"
        return "any value"

    @property
    def representative(self) -> float:
        """The one number that stands for the bound: a one-sided bound's value, a range's middle."""
        if self.low is not None and self.high is not None:
            return (self.low + self.high) / 2.0
        end = self.low if self.low is not None else self.high
        if end is None:
            raise ValueProblem("an unbounded interval has no representative value")
        return end

    def allows(self, number: float) -> bool:
        """Whether `number` lies in the interval."""
        above = self.low is None or number > self.low or (number == self.low and self.low_closed)
        below = self.high is None or number < self.high or (number == self.high and self.high_closed)
        return above and below

    def inside(self, other: Bound) -> bool:
        """Whether every value this bound allows, `other` allows too."""
        return _end_within(self.low, self.low_closed, other.low, other.low_closed, -1) and _end_within(
            self.high, self.high_closed, other.high, other.high_closed, 1
        )

    def apart(self, other: Bound) -> bool:
        """Whether no value is allowed by both."""
        low, low_closed = _tighter(self.low, self.low_closed, other.low, other.low_closed, max)
        high, high_closed = _tighter(self.high, self.high_closed, other.high, other.high_closed, min)
        if low is None or high is None:
            return False
        return low > high or (low == high and not (low_closed and high_closed))

    def scaled(self, convert: Callable[[float], float]) -> Bound:
        """The same bound with each end converted (an increasing conversion, as units are)."""
        return replace(
            self,
            low=None if self.low is None else convert(self.low),
            high=None if self.high is None else convert(self.high),
        )


def _end_within(end: float | None, closed: bool, outer: float | None, outer_closed: bool, direction: int) -> bool:
    """Whether an interval end lies within an outer end (direction −1: lower ends, +1: upper ends)."""
    if outer is None:
        return True
    if end is None:
        return False
    if end == outer:
        return outer_closed or not closed
    return (end - outer) * direction < 0


def _tighter(a: float | None, a_closed: bool, b: float | None, b_closed: bool,
             pick: Callable[[float, float], float]) -> tuple[float | None, bool]:
    """The tighter of two lower (pick=max) or upper (pick=min) ends; at a tie, open wins."""
    if a is None:
        return b, b_closed
    if b is None:
        return a, a_closed
    if a == b:
        return a, a_closed and b_closed
    return (a, a_closed) if pick(a, b) == a else (b, b_closed)


@dataclass(frozen=True)
class Reading:
    """A metric value as read: the number that stands for it, its bound (if any), and the text."""

    number: float
    bound: Bound | None = None
    written: str | None = None  # the text as written, when the value came as text


_ONE_SIDED = re.compile(r"(>=|<=|≥|≤|>|<)\s*(.+)")
_RANGE = re.compile(r"(.+?)\s*\.\.\s*(.+)")
_OPERATOR_TEXT = {"≥": ">=", "≤": "<="}
BOUND_FORMS = "write 400, >400, >=400, <500, <=500 or a range 400..500"


def parse_value(value: object) -> Reading:
    """A metric value: a number, a one-sided bound (`>400`, `>=400`, `<500`, `<=500`) or a range (`400..500`)."""
    if not isinstance(value, str):
        return Reading(parse_number(value))
    text = _SPACES.sub(" ", value.strip())
    one_sided = _ONE_SIDED.fullmatch(text)
    if one_sided:
        return _one_sided(text, _OPERATOR_TEXT.get(one_sided[1], one_sided[1]), one_sided[2])
    if ".." in text:
        return _range(text)
    if text[:1] in ("<", ">", "≥", "≤"):
        raise ValueProblem(f"{_clip(text)} is not a number or a bound: {BOUND_FORMS}")
    return Reading(parse_number(text), None, text)


def _one_sided(text: str, op: str, rest: str) -> Reading:
    end = _bound_end(text, rest)
    closed = op.endswith("=")
    bound = Bound(low=end, low_closed=closed) if op.startswith(">") else Bound(high=end, high_closed=closed)
    return Reading(end, bound, text)


def _range(text: str) -> Reading:
    parts = _RANGE.fullmatch(text)
    if parts is None:
        raise ValueProblem(f"{_clip(text)} is not a number or a bound: {BOUND_FORMS}")
    low, high = _bound_end(text, parts[1]), _bound_end(text, parts[2])
    if low > high:
        raise ValueProblem(f"{text}: the range runs backwards; write {format_number(high)}..{format_number(low)}")
    if low == high:
        raise ValueProblem(f"{text} is a range of one value: write {format_number(low)}")
    bound = Bound(low=low, high=high)
    return Reading(bound.representative, bound, text)


def _bound_end(text: str, part: str) -> float:
    if any(mark in part for mark in "<>=≥≤") or ".." in part:
        raise ValueProblem(f"{_clip(text)} is not a number or a bound: {BOUND_FORMS}")
    try:
        return parse_number(part)
    except ValueProblem as exc:
        if part.strip() == text:
            raise
        raise ValueProblem(f"{_clip(text)}: {exc}") from None


def plain_number_text(text: str) -> bool:
    """Whether text is a plain number (`1500`, `-2.5`): nothing about how it was written is lost."""
    return _PLAIN.fullmatch(text.strip()) is not None


# --- probabilities, grades, event values, periods and dates ------------------------------------------

PROBABILITY_FORMS = "give a number from 0 to 1 (0.7) or a percentage (70%)"


def parse_probability(value: object) -> float:
    """A probability in [0, 1], written as a number (`0.7`) or a percentage (`70%`)."""
    percent = isinstance(value, str) and value.strip().endswith("%")
    text = value.strip().removesuffix("%") if isinstance(value, str) else value
    try:
        number = parse_number(text)
    except ValueProblem as exc:
        raise ValueProblem(f"{exc}; {PROBABILITY_FORMS}") from None
    if percent:
        number /= 100.0
    if not 0.0 <= number <= 1.0:
        shown = value.strip() if isinstance(value, str) else format_number(number)
        raise ValueProblem(f"{_clip(shown)} is not a probability: {PROBABILITY_FORMS}")
    return number


def parse_grade(value: object) -> str:
    """An Admiralty grade such as `B2` (any case): reliability A–F, then credibility 1–6."""
    text = value.strip().upper() if isinstance(value, str) else None
    if text is None or not GRADE_PATTERN.fullmatch(text):
        raise ValueProblem(f"{_shown(value)} is not an Admiralty grade like B2 (reliability A-F, credibility 1-6)")
    return text


def parse_event_value(value: object) -> EventWord:
    """What an observation says of an event: `yes`, `partly` or `no` (any case)."""
    word = value.strip().lower() if isinstance(value, str) else None
    for event_word in EVENT_WORDS:
        if word == event_word:
            return event_word
    raise ValueProblem(f"an event takes yes, partly or no, got {_shown(value)}")


def parse_period(value: object) -> Period:
    """A period: `2024`, `2024-Q2`, `2024-05` or `2024-05-16` (a date is its day)."""
    try:
        return _parse_period(value)
    except PeriodError as exc:
        raise ValueProblem(str(exc)) from None


def parse_date(value: object) -> date:
    """A calendar date, `2024-05-16` (a datetime gives its date)."""
    try:
        return _parse_date(value)
    except PeriodError as exc:
        raise ValueProblem(str(exc)) from None


# --- units ------------------------------------------------------------------------------------------

_CURRENCY = re.compile(r"[A-Z]{3}")
_UNIT_TEXT = re.compile(r"[^\d\s+-][^\n\r\t]{0,59}")


@dataclass(frozen=True)
class _Unit:
    """A unit split into its scale words and the rest: `USD billion` is 1e9 × `USD`."""

    written: str
    scale: float
    base: str

    @classmethod
    def of(cls, text: str) -> _Unit:
        written = " ".join(text.split())
        if not _UNIT_TEXT.fullmatch(written):
            raise ValueProblem(f"{_shown(text)} is not a unit")
        words = written.split(" ")
        scale = math.prod(SCALE_WORDS.get(word.lower(), 1.0) for word in words)
        base = " ".join(word for word in words if word.lower() not in SCALE_WORDS)
        return cls(written, scale, base)

    @property
    def currency(self) -> bool:
        return _CURRENCY.fullmatch(self.base) is not None


def convert(value: float, unit_written: str, metric_unit: str) -> float:
    """`value` in `unit_written`, expressed in `metric_unit` (a scaled or convertible form of it).

    Scale words (thousand, million, billion, trillion) combine with any unit; physical units
    convert through pint; currencies (any three-letter capital code) never convert into each
    other; a unit pint does not know converts only from itself or its scaled forms.
    """
    written, metric = _Unit.of(unit_written), _Unit.of(metric_unit)
    if written.base == metric.base or (metric.currency and written.base.upper() == metric.base):
        return value * written.scale / metric.scale
    if written.currency and metric.currency:
        raise ValueProblem(f"{written.written} does not convert into {metric.written}: currencies never convert "
                           f"into each other; give the value in {metric.written}")
    if written.currency or metric.currency:
        money = metric if metric.currency else written
        raise ValueProblem(f"{written.written} does not convert into {metric.written}: {money.base} is a currency; "
                           f"give the value in {metric.written} (or {metric.base} thousand, million, billion)")
    converted = _convert_physical(value * written.scale, written, metric)
    return converted / metric.scale


def _convert_physical(value: float, written: _Unit, metric: _Unit) -> float:
    registry = _registry()
    source, target = _pint_unit(registry, written), _pint_unit(registry, metric)
    if source is None or target is None:
        unknown = written if source is None else metric
        raise ValueProblem(f"{written.written} does not convert into {metric.written}: {unknown.base!r} is not a unit "
                           f"tracker knows, so only {metric.written} or its scaled forms (thousand, million, billion) fit")
    try:
        return float(registry.Quantity(value, source).to(target).magnitude)
    except Exception:  # noqa: BLE001 - pint raises DimensionalityError, OffsetUnitCalculusError and others
        raise ValueProblem(f"{written.written} does not convert into {metric.written}") from None


def _pint_unit(registry: pint.UnitRegistry, unit: _Unit) -> pint.Unit | None:
    """The pint unit for a unit's base, or None where pint cannot read it."""
    try:
        return registry.parse_units(unit.base.replace("·", "*"))
    except Exception:  # noqa: BLE001 - pint's parser raises many kinds of error on odd text
        return None


@functools.cache
def _registry() -> pint.UnitRegistry:
    """pint's registry, built on first use: importing pint and building it costs about half a second,
    and start-up time is measured (benchmarks/), so commands that convert no unit never pay it."""
    import pint

    return pint.UnitRegistry()


def convert_reading(reading: Reading, unit_written: str | None, metric_unit: str) -> Reading:
    """A reading in `unit_written` expressed in the metric's unit (bound included); unchanged without a unit."""
    if unit_written is None or " ".join(unit_written.split()) == " ".join(metric_unit.split()):
        return reading
    number = convert(reading.number, unit_written, metric_unit)
    bound = reading.bound.scaled(lambda end: convert(end, unit_written, metric_unit)) if reading.bound else None
    return Reading(number, bound, reading.written)


def as_written(reading: Reading, unit_written: str | None, metric_unit: str) -> str | None:
    """The value and unit as written, where they say more than the number in the metric's unit."""
    text = reading.written if reading.written is not None else format_number(reading.number)
    other_unit = unit_written is not None and " ".join(unit_written.split()) != " ".join(metric_unit.split())
    if other_unit:
        return f"{text} {' '.join(str(unit_written).split())}"
    if reading.bound is not None or not plain_number_text(text):
        return text
    return None


# --- warnings --------------------------------------------------------------------------------------


def jump(value: float, neighbour: float, period: str | None = None) -> str | None:
    """The warning for a value more than ten times, or under a tenth of, its nearest known neighbour.

    None when the value is within that range, or when the two cannot be compared as a ratio
    (either is zero, or they differ in sign).
    """
    if value == 0 or neighbour == 0 or (value > 0) != (neighbour > 0):
        return None
    ratio = value / neighbour
    if 1 / JUMP_FACTOR <= ratio <= JUMP_FACTOR:
        return None
    size = "more than ten times" if ratio > JUMP_FACTOR else "less than a tenth of"
    where = f" for {period}" if period else ""
    return (f"{format_number(value)} is {size} the nearest known value ({format_number(neighbour)}{where}); "
            "logged all the same: check the digits and the unit")
