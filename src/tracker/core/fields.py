"""The checks of each field of a logged record: one set behind `tracker observe`, `forecast`,
`resolve` and `retract`, the Python API, and every row of an import file.

Each check takes what was given (the text as typed, or a typed value) and returns the typed
value, or raises `FieldProblem`: the message names no argument, and `field` says which of the
record's fields was wrong (a value's unit, a forecast's date). The caller names that field as its
user knows it: the command line by its flag (`--unit: ...`), the Python API by its argument
(`unit: ...`), an import file by its line and column (`rows.csv:3: unit: ...`). So the same mistake
reads the same wherever it is made. The values themselves are read by `tracker.core.values`.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import NamedTuple, Protocol

from tracker.core.ids import ID_FORMS, ID_PATTERN, definition_place
from tracker.core.periods import Period
from tracker.core.records import Retraction
from tracker.core.status import RULING_STATUSES
from tracker.core.values import (
    Bound,
    EventWord,
    ValueProblem,
    convert_reading,
    format_number,
    parse_date,
    parse_event_value,
    parse_grade,
    parse_period,
    parse_value,
    plain_number_text,
)

_NOT_TEXT = re.compile("[\x00\ud800-\udfff]")


class FieldProblem(ValueProblem):
    """A field that cannot be logged; `field` names it (None: the field being checked)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class MetricFacts(Protocol):
    """What the checks need of a metric (a `Metric`, or the few columns an import reads)."""

    @property
    def id(self) -> str: ...
    @property
    def period(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def aggregate(self) -> str | None: ...


class Figure(NamedTuple):
    """A metric value as logged: the number in the metric's unit, its bound or range (converted),
    and the value and unit as written where they say more than the number."""

    number: float
    bound: Bound | None = None
    written: str | None = None  # the value as written (`1 500`, `>400`, `1.5`), kept when it says more
    unit: str | None = None  # the unit as written, when it is not the metric's


def shown_written(written: str | None, unit: str | None) -> str | None:
    """The value and unit as written, in one text (`1.5 USD billion`), as records hold it."""
    if written is None:
        return None
    return written if unit is None else f"{written} {unit}"


def bound_columns(bound: Bound | None) -> tuple[str | None, float | None, float | None]:
    """A bound as the store keeps it: its operator (`>`, `>=`, `<`, `<=`, or `..` for a range) and its ends."""
    if bound is None:
        return None, None, None
    if bound.low is not None and bound.high is not None:
        return "..", bound.low, bound.high
    if bound.low is not None:
        return (">=" if bound.low_closed else ">"), bound.low, None
    return ("<=" if bound.high_closed else "<"), None, bound.high


_UNIT_STARTS = re.compile(r"\s+(?=[^\d.\s])")


def split_written(shown: str | None) -> tuple[str | None, str | None]:
    """(value, unit) as written, from the one text records hold (`shown_written`'s inverse).

    A value as written ends in a digit or a point and holds no letter but an exponent's `e`; a unit
    starts with neither a digit, a point nor a sign; so the unit starts after the first spaces
    followed by anything else (`400 .. 500 USD billion` is `400 .. 500` and `USD billion`).
    """
    if shown is None:
        return None, None
    parts = _UNIT_STARTS.split(shown, maxsplit=1)
    return (parts[0], parts[1]) if len(parts) == 2 else (shown, None)


# --- text --------------------------------------------------------------------------------------


def text(value: str) -> str:
    """Text that can be stored: no NUL, no lone surrogate (half of a character, or a byte that was not UTF-8)."""
    bad = _NOT_TEXT.search(value)
    if bad is None:
        return value
    char = bad.group()
    if char == "\x00":
        raise FieldProblem("holds a NUL character (\\x00), which text cannot hold; remove it")
    if "\udc80" <= char <= "\udcff":
        raise FieldProblem(f"holds a byte that is not UTF-8 (0x{ord(char) - 0xDC00:02x}); write the text in UTF-8")
    raise FieldProblem(f"holds a lone surrogate (\\u{ord(char):04x}), half of a character; write the whole character")


def note(value: str | None) -> str | None:
    """A note, kept exactly as written (spaces included); blank is no note."""
    if value is None or not value.strip():
        return None
    return text(value)


def required(value: str | None, missing: str) -> str:
    """Text that must be given (a source, a reason), without its surrounding spaces."""
    if value is None or not value.strip():
        raise FieldProblem(missing)
    return text(value.strip())


def optional(value: str | None) -> str | None:
    """Text that may be left out, without its surrounding spaces; blank is left out."""
    if value is None or not value.strip():
        return None
    return text(value.strip())


def grade(value: object) -> str | None:
    """An Admiralty grade (`B2`), or None when none is given."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_grade(value)


def record_id(value: str) -> str:
    """An id a record brings with it: letters, digits, `-`, `_` and `.`."""
    if not ID_PATTERN.fullmatch(value):
        raise FieldProblem(f"{_clip(value)!r} is not an id: {ID_FORMS}")
    return value


# --- observations ------------------------------------------------------------------------------------


def figure(value: object, unit: str | None, metric: MetricFacts) -> Figure:
    """A metric's value as written: a number (`1,500`, `1 500`), a bound (`>400`) or a range
    (`400..500`), in the metric's unit or a scaled or convertible one (`unit`), converted."""
    if unit is None:
        number = plain_figure(value)
        if number is not None:
            return Figure(number)
    reading = parse_value(text(value) if isinstance(value, str) else value)
    written = reading.written if reading.written is not None else _typed_text(reading.number)
    unit_written = _unit_text(unit, metric)
    if unit_written is not None:
        try:
            reading = convert_reading(reading, unit_written, metric.unit)
        except ValueProblem as exc:
            raise FieldProblem(str(exc), "unit") from None
        return Figure(reading.number, reading.bound, written, unit_written)
    if reading.bound is None and plain_number_text(written):
        return Figure(reading.number)
    return Figure(reading.number, reading.bound, written)


def plain_figure(value: object) -> float | None:
    """The number, where the value is text of a plain finite number (`497`, `-2.5e3`) and so says no
    more than the number; else None, and `figure` reads it. The common case, and a cheap one."""
    if isinstance(value, str) and plain_number_text(value):
        number = float(value.strip())  # str.strip takes more than float() does (\x1c-\x1f)
        if number - number == 0.0:  # finite
            return number
    return None


def _unit_text(unit: str | None, metric: MetricFacts) -> str | None:
    """The unit as written (spaces normalised), or None where none is given or it is the metric's."""
    if unit is None or not unit.strip():
        return None
    given = " ".join(text(unit).split())
    return None if given == " ".join(metric.unit.split()) else given


def _typed_text(number: float) -> str:
    """A typed number as text that reads back exactly (`1.5`, `0.1234567891`)."""
    shown = format_number(number)
    return shown if float(shown) == number else repr(float(number))


def event_value(value: object, unit: str | None = None, through: object = None) -> EventWord:
    """What an observation says of an event: yes, partly or no; an event has no unit and no `through`."""
    if unit is not None and str(unit).strip():
        raise FieldProblem("an event's observation has no unit: its value is yes, partly or no", "unit")
    if through is not None and str(through).strip():
        raise FieldProblem("an event's observation has no through: through marks a partial figure of a metric",
                           "through")
    return parse_event_value(text(value) if isinstance(value, str) else value)


def period(as_of: object, metric: MetricFacts | None) -> Period:
    """The period an observation describes, of the metric's kind."""
    return of_metric(parse_period(as_of), metric)


def of_metric(found: Period, metric: MetricFacts | None) -> Period:
    """The period, if it is of the metric's kind (any period describes an event)."""
    if metric is not None and found.kind != metric.period:
        raise FieldProblem(f"{found.label} is a {found.kind}, but {metric.id} is measured by {metric.period}")
    return found


def through(value: object, as_of: Period, metric: MetricFacts) -> Period | None:
    """The end of a partial figure: a date or period inside `as_of`, on a metric that sums its parts."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if metric.aggregate != "sum":
        raise FieldProblem(f"metric {metric.id!r} does not say `aggregate: sum`, so a figure for part of a period "
                           "cannot stand for the whole; add `aggregate: sum` to the metric if its period's figure is "
                           "the total of its parts")
    part = parse_period(value)
    if part.start < as_of.start or part.end > as_of.end:
        raise FieldProblem(f"through {part.label} lies outside as_of {as_of.label}: a partial figure covers the start "
                           f"of its period, from {as_of.start} to the end of through")
    if part.end == as_of.end:
        raise FieldProblem(f"through {part.label} reaches the end of as_of {as_of.label}: that is the whole period's "
                           "figure; leave out through")
    return part


# --- forecasts and rulings -------------------------------------------------------------------------


def made_on(value: object, today: date, stated_on: date | None, proposition: str) -> date:
    """The day a forecast claims: not later than today, not before the proposition was stated."""
    day = parse_date(value)
    if day > today:
        raise FieldProblem(f"{day} is later than today ({today}): a forecast is logged on or after the day it is made")
    if stated_on is not None and day < stated_on:
        raise FieldProblem(f"{day} is before {proposition} was stated ({stated_on}): a forecast cannot be made "
                           "about a statement not yet made")
    return day


def ruling_status(value: object) -> str:
    """A status a ruling may set."""
    status = value.strip().lower() if isinstance(value, str) else value
    if status not in RULING_STATUSES:
        shown = value.strip() if isinstance(value, str) else value
        raise FieldProblem(f"{_clip(str(shown))!r} is not one of {', '.join(RULING_STATUSES)}")
    return str(status)


MOMENT_FORMS = "an ISO date and time like 2026-11-24T10:30:00"


def moment(value: object) -> datetime:
    """When a record was recorded: an ISO date and time; one with a UTC offset becomes UTC, as stored."""
    written = value.strip() if isinstance(value, str) else str(value)
    try:
        found = datetime.fromisoformat(written) if isinstance(value, str) else None
    except ValueError:
        found = None
    if found is None:
        raise FieldProblem(f"{_clip(written)!r} is not {MOMENT_FORMS}")
    if found.tzinfo is None:
        return found
    try:
        return found.astimezone(UTC).replace(tzinfo=None)
    except OverflowError:
        edge = "before the first" if found.year == 1 else "after the last"
        raise FieldProblem(f"{written} is {edge} moment tracker can store in UTC "
                           "(0001-01-01T00:00:00 to 9999-12-31T23:59:59.999999)") from None


# --- what a record names ---------------------------------------------------------------------------


def unknown_target(target: str) -> str:
    """The message for an observation on an id that is neither a metric nor an event proposition."""
    return (f"no metric or event proposition {_clip(target)!r}; `tracker metrics` lists the metrics, "
            "`tracker list` the propositions")


def target_proposition(target: str, metric: str | None) -> str:
    """The message for an observation on a target proposition (its figures belong on its metric)."""
    return f"{target!r} is a target proposition; log its observations on its metric {metric!r}"


def unknown_proposition(proposition: str) -> str:
    """The message for a forecast or ruling on an id that is no proposition."""
    return f"no proposition {_clip(proposition)!r}; `tracker list` shows the ids"


# --- withdrawals ----------------------------------------------------------------------------------------


def unknown_record(uid: str) -> str:
    """The message for an id no logged record has."""
    return f"no logged record {_clip(uid)!r}; `tracker show` lists the ids of a proposition's records"


def not_withdrawable(uid: str, kind: str) -> str | None:
    """Why a record cannot be withdrawn (a forecast, a retraction, a record written in a file); None if it can."""
    place = definition_place(uid)
    if place is not None:
        return (f"{uid} is written in a definition file, not logged: edit {place[0]} (line {place[1]}) to correct "
                "or remove it")
    if kind == "forecast":
        return f"{uid} is a forecast; forecasts are not withdrawn: log a new one, which supersedes it"
    if kind == "retraction":
        return f"{uid} is a withdrawal, which cannot itself be withdrawn: log the record again if it should count"
    return None


def already_withdrawn(uid: str, retraction: Retraction) -> str:
    """The message for withdrawing a record twice."""
    when = retraction.recorded_at.isoformat(" ", "seconds")
    by = f" by {retraction.recorded_by}" if retraction.recorded_by else ""
    return f"{uid} was already withdrawn ({retraction.uid}, {when} UTC{by}: {_clip(retraction.why, 60)})"


def _clip(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"
