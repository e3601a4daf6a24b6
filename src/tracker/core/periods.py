"""Periods: the stretch of time an observation describes (`2024`, `2024-Q2`, `2024-05`, `2024-05-16`).

A period is a real type with a start and an end date, so resolution can ask "has this period
ended by T?" and "which period contains the deadline?" without string games.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

PeriodKind = Literal["year", "quarter", "month", "day"]

_PATTERNS: tuple[tuple[PeriodKind, re.Pattern[str]], ...] = (
    ("year", re.compile(r"(\d{4})")),
    ("quarter", re.compile(r"(\d{4})-[Qq]([1-4])")),
    ("month", re.compile(r"(\d{4})-(\d{2})")),
    ("day", re.compile(r"(\d{4})-(\d{2})-(\d{2})")),
)


class PeriodError(ValueError):
    """Text that is not a period; the message says what forms are accepted."""


@dataclass(frozen=True, order=True)
class Period:
    """A calendar period; ordered by its end, then its start."""

    end: date
    start: date
    kind: PeriodKind

    @property
    def label(self) -> str:
        """The canonical text form, as written in files and exports."""
        if self.kind == "year":
            return f"{self.start.year:04d}"
        if self.kind == "quarter":
            return f"{self.start.year:04d}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "month":
            return f"{self.start.year:04d}-{self.start.month:02d}"
        return self.start.isoformat()

    def __str__(self) -> str:
        return self.label

    def __repr__(self) -> str:
        return f"Period({self.label!r})"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def period_of(day: date, kind: PeriodKind) -> Period:
    """The period of the given kind that contains `day`."""
    if kind == "year":
        return Period(date(day.year, 12, 31), date(day.year, 1, 1), "year")
    if kind == "quarter":
        first = 3 * ((day.month - 1) // 3) + 1
        return Period(_month_end(day.year, first + 2), date(day.year, first, 1), "quarter")
    if kind == "month":
        return Period(_month_end(day.year, day.month), date(day.year, day.month, 1), "month")
    return Period(day, day, "day")


def parse_period(text: object) -> Period:
    """Parse `2024`, `2024-Q2`, `2024-05` or `2024-05-16` (also a date or a bare int year)."""
    if isinstance(text, Period):
        return text
    if isinstance(text, date):
        return period_of(text, "day")
    if isinstance(text, bool) or not isinstance(text, (str, int)):
        raise PeriodError(f"expected a period like 2024, 2024-Q2, 2024-05 or 2024-05-16, got {_shown(text)}")
    if isinstance(text, int) and text.bit_length() > 64:  # str() of over 4300 digits would fail
        raise PeriodError(f"not a period: {_shown(text)} (use 2024, 2024-Q2, 2024-05 or 2024-05-16)")
    raw = str(text).strip()
    for kind, pattern in _PATTERNS:
        match = pattern.fullmatch(raw)
        if match:
            return _build(kind, raw, [int(g) for g in match.groups()])
    raise PeriodError(f"not a period: {_shown(raw)} (use 2024, 2024-Q2, 2024-05 or 2024-05-16)")


def _build(kind: PeriodKind, raw: str, parts: list[int]) -> Period:
    year = parts[0]
    if not 1 <= year <= 9999:
        raise PeriodError(f"year out of range in {_shown(raw)}")
    try:
        if kind == "year":
            return period_of(date(year, 1, 1), kind)
        if kind == "quarter":
            return period_of(date(year, 3 * parts[1] - 2, 1), kind)
        if kind == "month":
            return period_of(date(year, parts[1], 1), kind)
        return period_of(date(year, parts[1], parts[2]), kind)
    except ValueError as exc:
        raise PeriodError(f"impossible date in {_shown(raw)}: {exc}") from None


def parse_date(text: object) -> date:
    """Parse an ISO date (`2024-05-16`); a datetime's date part is taken."""
    if isinstance(text, date):
        return text if type(text) is date else date(text.year, text.month, text.day)
    if not isinstance(text, str):
        raise PeriodError(f"expected a date like 2024-05-16, got {_shown(text)}")
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise PeriodError(f"not a date: {_shown(text.strip())} (use YYYY-MM-DD)") from None


SHOWN = 40  # characters of a value in a message: a long one is cut, so the message stays one line


def _shown(value: object) -> str:
    """A value for a message, quoted, and cut to its first characters and `…` when long."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return f"a number of about {int(value.bit_length() * math.log10(2)) + 1} digits"
    text = value if isinstance(value, str) else repr(value)
    cut = text if len(text) <= SHOWN else text[:SHOWN - 1] + "…"
    return repr(cut) if isinstance(value, str) else cut
