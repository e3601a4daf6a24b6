"""Import rows: CSV or JSON Lines files -> checked log rows, streamed, each error at FILE:LINE.

The file is read one row at a time (bounded memory whatever its size); each row is checked
against the workspace's ids with plain typed parsing — no pydantic model per row — and comes
out as a tuple in the store's column order (`OBSERVATION_COLUMNS`, ...), ready for one
`executemany`. LINE is the physical line where a row starts, so a quoted CSV field spanning
lines does not shift the numbers of the rows after it.

The columns (SPEC §6, extended): `type` and `target` always; observation: value, as_of, source,
grade, note, recorded_by, recorded_at; forecast: probability, forecaster, made_on, and
optionally recorded_at, recorded_by, source, note; ruling: status, why, made_on, and
optionally recorded_at, recorded_by, source. An empty cell (or a JSON null) is an absent value.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any, Literal, NamedTuple

from tracker.core import keys
from tracker.core.cells import unprotect
from tracker.core.models import GRADE_PATTERN
from tracker.core.periods import Period, PeriodError, parse_date, parse_period
from tracker.core.records import EVENT_VALUES
from tracker.core.status import RULING_STATUSES
from tracker.errors import InputError
from tracker.load.yamlfile import short

Format = Literal["csv", "jsonl"]
Kind = Literal["observation", "forecast", "ruling"]
KINDS: tuple[Kind, ...] = ("observation", "forecast", "ruling")

COLUMNS = ("type", "target", "value", "as_of", "source", "grade", "note", "recorded_by", "recorded_at",
           "probability", "forecaster", "made_on", "status", "why")
ALLOWED: dict[Kind, frozenset[str]] = {
    "observation": frozenset({"type", "target", "value", "as_of", "source", "grade", "note", "recorded_by", "recorded_at"}),
    "forecast": frozenset({"type", "target", "probability", "forecaster", "made_on", "recorded_at", "recorded_by", "source", "note"}),
    "ruling": frozenset({"type", "target", "status", "why", "made_on", "recorded_at", "recorded_by", "source"}),
}
OBSERVATION_COLUMNS = ("target", "as_of", "period_end", "value_num", "value_text", "recorded_at", "source", "grade",
                       "note", "recorded_by", "origin", "row_key")
FORECAST_COLUMNS = ("proposition", "probability", "forecaster", "made_on", "recorded_at", "recorded_by", "source",
                    "note", "origin", "row_key")
RULING_COLUMNS = ("proposition", "status", "why", "made_on", "recorded_at", "recorded_by", "source", "origin", "row_key")


PERIODS_KEPT = 65_536  # distinct as_of texts remembered by the fast check (an import repeats a few)


class RowError(ValueError):
    """One bad row; the message says what is wrong and how to fix it."""


class Row(NamedTuple):
    """A checked row: its kind, its values in the store's column order, and whether the file gave its time.

    A named tuple rather than a dataclass: a million of them are made per import.
    """

    kind: Kind
    values: tuple[Any, ...]
    timed: bool


# --- reading -----------------------------------------------------------------------------------


class _CountingReader(io.RawIOBase):
    """A binary file that counts the bytes read, so a progress bar can follow a text stream."""

    def __init__(self, raw: io.BufferedReader):
        self.raw = raw
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def, override]
        count = self.raw.readinto(buffer)
        self.consumed += count or 0
        return count  # type: ignore[return-value]

    def close(self) -> None:
        self.raw.close()
        super().close()


def detect_format(path: Path, chosen: str | None) -> Format:
    """`--format`, else the suffix (.jsonl/.ndjson/.json -> jsonl), else CSV."""
    if chosen is not None:
        if chosen not in ("csv", "jsonl"):
            raise InputError(f"--format: {chosen!r} is not csv or jsonl")
        return chosen  # type: ignore[return-value]
    return "jsonl" if path.suffix.lower() in (".jsonl", ".ndjson", ".json") else "csv"


class ImportFile:
    """An import file opened for streaming: `rows()` yields (line, mapping); `consumed` counts bytes."""

    def __init__(self, path: Path, fmt: Format, display: str | None = None):
        self.path = path
        self.display = display or str(path)
        self.fmt = fmt
        try:
            self.size = path.stat().st_size
            self._counter = _CountingReader(open(path, "rb"))  # noqa: SIM115 - closed in close()
        except FileNotFoundError:
            raise InputError(f"FILE: {self.display} does not exist") from None
        except IsADirectoryError:
            raise InputError(f"FILE: {self.display} is a folder, not a CSV or JSON Lines file") from None
        except PermissionError:
            raise InputError(f"FILE: {self.display} cannot be read (permission denied)") from None
        self._header_seen = False
        self.header: list[str] = []
        self._text = io.TextIOWrapper(io.BufferedReader(self._counter, 1 << 16), encoding="utf-8-sig", newline="")

    @property
    def consumed(self) -> int:
        return self._counter.consumed

    def close(self) -> None:
        self._text.close()

    def __enter__(self) -> ImportFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(line where the row starts, column -> value), blank lines skipped; empty cells dropped."""
        return self._guarded(self._csv_rows() if self.fmt == "csv" else self._jsonl_rows())

    def csv_cells(self) -> Iterator[tuple[int, list[str]]]:
        """CSV only: (line where the row starts, its cells as read); `header` holds the column names.

        The raw form of `rows()`, for a checker that reads the common row without a mapping;
        `row_mapping` turns cells into what `rows()` would have yielded.
        """
        return self._guarded(self._csv_cells())

    def row_mapping(self, cells: list[str]) -> dict[str, Any]:
        """The mapping `rows()` yields for these cells of a CSV row."""
        return _cells(self.header, cells)

    def _guarded(self, reader: Iterator[tuple[int, Any]]) -> Iterator[tuple[int, Any]]:
        empty = True
        try:
            for item in reader:
                empty = False
                yield item
        except UnicodeDecodeError:
            line, byte = _undecodable(self.path)
            raise InputError(f"{self.display}:{line}: not UTF-8: byte 0x{byte:02x} cannot be decoded; save the file as UTF-8") from None
        if empty and not self._header_seen:  # a header without rows imports nothing, but is not empty
            raise InputError(f"{self.display}: the file is empty; expected {self._expected()}")

    def _expected(self) -> str:
        if self.fmt == "csv":
            return "a header row such as type,target,value,as_of,source and one row per observation, forecast or ruling"
        return 'one JSON object per line, such as {"type": "observation", "target": ..., "value": ..., "as_of": ...}'

    def _csv_rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        for start, cells in self._csv_cells():
            yield start, _cells(self.header, cells)

    def _csv_cells(self) -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(self._text, strict=True)  # an unclosed quote is an error, not the rest of the file in one cell
        header: list[str] | None = None
        end = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise InputError(f"{self.display}:{end + 1}: malformed CSV: {_csv_reason(exc)}") from None
            start, end = end + 1, reader.line_num
            if not cells or (not cells[0].strip() and all(not c.strip() for c in cells)):  # blank: skipped
                continue
            if header is None:
                header = self.header = self._header(cells, start)
                self._header_seen = True
                continue
            yield start, cells

    def _header(self, cells: list[str], line: int) -> list[str]:
        names = [c.strip().lower() for c in cells]
        if "type" not in names or "target" not in names:
            raise InputError(f"{self.display}:{line}: no header row: the first line must name the columns, "
                             f"at least type and target (e.g. type,target,value,as_of,source)")
        unknown = [n for n in names if n and n not in COLUMNS]
        if unknown:
            raise InputError(f"{self.display}:{line}: unknown column {', '.join(map(repr, unknown))}; columns are {', '.join(COLUMNS)}")
        seen = [n for i, n in enumerate(names) if n and n in names[:i]]
        if seen:
            raise InputError(f"{self.display}:{line}: column {seen[0]!r} appears twice in the header")
        return names

    def _jsonl_rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        for number, text in enumerate(self._text, start=1):
            if not text.strip():
                continue
            try:
                item = json.loads(text.rstrip("\r\n"))
            except json.JSONDecodeError as exc:
                yield number, {"__error__": f"not valid JSON: {exc.msg} at column {exc.colno}"}
                continue
            if not isinstance(item, dict):
                yield number, {"__error__": f"expected a JSON object with type and target, got {type(item).__name__}"}
                continue
            nested = next((key for key, value in item.items() if isinstance(value, (dict, list))), None)
            if nested is not None:
                kind = "object" if isinstance(item[nested], dict) else "array"
                name = nested if nested in COLUMNS else short(nested)
                yield number, {"__error__": f"{name}: expected text or a number, got a JSON {kind}"}
                continue
            yield number, {k: v for k, v in item.items() if v is not None and v != ""}


def _csv_reason(exc: csv.Error) -> str:
    reason = str(exc)
    if reason == "unexpected end of data":
        return "a quote opened on this row is never closed"
    if "expected after" in reason:
        return 'a quoted field must end at its closing quote (write "" for a quote inside it)'
    return reason


def _undecodable(path: Path) -> tuple[int, int]:
    """The line and value of the first byte that is not UTF-8 (read again: only on that error)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with open(path, "rb") as raw:
        for chunk in iter(lambda: raw.read(1 << 16), b""):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return line + exc.object[: exc.start].count(b"\n"), exc.object[exc.start]
            line += chunk.count(b"\n")
    return line, 0


def _cells(header: list[str], cells: list[str]) -> dict[str, Any]:
    if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
        return {"__error__": f"{len(cells)} fields but the header names {len(header)}; quote fields that contain commas"}
    return {name: unprotect(cell) if cell[:1] == "'" else cell for name, cell in zip(header, cells, strict=False) if name and cell != ""}


# --- checking ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Targets:
    """What rows may name: metric ids with their period kind, and proposition ids with their kind."""

    metrics: dict[str, str]
    propositions: dict[str, str]


@dataclass(frozen=True)
class Defaults:
    """What an absent cell means: the import's time, today, and who is importing."""

    recorded_at: datetime
    today: date
    recorded_by: str


@lru_cache(maxsize=65536)
def _period(text: str) -> tuple[Period, str]:
    """The period and its canonical label (cached: an import repeats the same few periods)."""
    period = parse_period(text)
    return period, period.label


def _plain_id(name: str) -> bool:
    """An id that a cell names exactly as written (no spaces to strip, no `'` to take off)."""
    return name == name.strip() and not name.startswith("'")


def _remember(periods: dict[str, tuple[date, str, str] | None], text: str) -> tuple[date, str, str] | None:
    """(end, label, kind) of a period as written, or None where `_as_of` would complain; kept in `periods`."""
    try:
        period, label = _period(text.strip())
        found: tuple[date, str, str] | None = (period.end, label, period.kind)
    except PeriodError:
        found = None
    if len(periods) >= PERIODS_KEPT:  # bounded memory, whatever a file holds
        periods.clear()
    periods[text] = found
    return found


@lru_cache(maxsize=4096)
def _date(text: str) -> date:
    return parse_date(text)


class RowChecker:
    """Checks raw rows against the workspace and turns them into store-ready tuples."""

    def __init__(self, targets: Targets, defaults: Defaults):
        self.targets = targets
        self.defaults = defaults
        self._checks: dict[str, Callable[[dict[str, Any]], Row]] = {
            "observation": self._observation, "forecast": self._forecast, "ruling": self._ruling,
        }

    def check(self, raw: dict[str, Any]) -> Row:
        """The row checked, or RowError saying what is wrong with it."""
        kind = raw.get("type")
        check = self._checks.get(kind) if isinstance(kind, str) else None
        if check is None:
            kind, check = self._kind(raw)
        if not raw.keys() <= ALLOWED[kind]:  # type: ignore[index]
            self._misplaced(raw, kind)  # type: ignore[arg-type]
        return check(raw)

    def checked(self, source: ImportFile) -> Iterator[tuple[int, Row | RowError]]:
        """Each row of the file with its line: the checked row, or the RowError saying what is wrong.

        A CSV observation row that passes the common-case checks (`_fast_observations`) is built
        straight from its cells; any other row goes through `check`, so every message is its.
        """
        if source.fmt != "csv":
            for line, raw in source.rows():
                yield line, self._checked(raw)
            return
        fast: Callable[[list[str]], Row | None] | None = None
        for line, cells in source.csv_cells():
            if fast is None:
                fast = self._fast_observations(source.header)
            row = fast(cells)
            yield line, row if row is not None else self._checked(source.row_mapping(cells))

    def _checked(self, raw: dict[str, Any]) -> Row | RowError:
        try:
            return self.check(raw)
        except RowError as exc:
            return exc

    def _fast_observations(self, header: list[str]) -> Callable[[list[str]], Row | None]:
        """A check of a well-formed observation row straight from its cells, for files with this header.

        It returns the very Row `check` would, or None for anything it does not handle (a
        fault, a forecast, a `'`-protected cell, a time zone...): `check` then decides, with its
        own message. It never raises.
        """
        if not {"type", "target", "value", "as_of"} <= set(header):
            return lambda cells: None
        width = len(header)
        names = ("type", "target", "value", "as_of", "source", "grade", "note", "recorded_by", "recorded_at")
        pick = itemgetter(*(header.index(n) if n in header else width for n in names))  # absent: the "" added below
        misplaced = [i for i, n in enumerate(header) if n and n not in ALLOWED["observation"]]
        elsewhere = itemgetter(*misplaced, width) if misplaced else None  # `width`: always a tuple, its last ""
        plain = _plain_id
        metrics = {name: kind for name, kind in self.targets.metrics.items() if plain(name)}
        events = {name for name, kind in self.targets.propositions.items() if kind == "event" and plain(name)}
        periods: dict[str, tuple[date, str, str] | None] = {}  # as_of as written -> (end, label, kind)
        default_at, default_by = self.defaults.recorded_at, self.defaults.recorded_by
        observation_key, grades, event_values, isfinite = keys.observation_key, _GRADES, EVENT_VALUES, math.isfinite
        fromisoformat, new_row = datetime.fromisoformat, tuple.__new__

        def fast(cells: list[str]) -> Row | None:
            if len(cells) != width:
                return None
            cells = cells + [""]
            kind, target, value, as_of, source, grade, note, by, at = pick(cells)
            if kind != "observation" or (elsewhere is not None and any(elsewhere(cells))):
                return None
            period = periods[as_of] if as_of in periods else _remember(periods, as_of)
            if period is None:
                return None
            end, label, period_kind = period
            if target in metrics:
                if metrics[target] != period_kind:
                    return None
                try:
                    number: float | None = float(value)
                except ValueError:
                    return None
                if not isfinite(number):  # type: ignore[arg-type]
                    return None
                word = None
            elif target in events and value in event_values:
                number, word = None, value
            else:
                return None
            if "'" in (as_of[:1], source[:1], note[:1], by[:1]):  # unprotect() may change them
                return None
            if grade:
                grade = grades.get(grade)
                if grade is None:
                    return None
            source, note, grade = source.strip() or None, note.strip() or None, grade or None
            if at:
                try:
                    moment = fromisoformat(at)
                except ValueError:
                    return None
                if moment.tzinfo is not None:
                    return None
            key = observation_key(target, label, number, word, source, grade, note)
            values = (target, label, end, number, word, moment if at else default_at, source, grade, note,
                      by.strip() or default_by, "log", key)
            return new_row(Row, ("observation", values, bool(at)))  # type: ignore[no-any-return]

        return fast

    def _kind(self, raw: dict[str, Any]) -> tuple[str, Callable[[dict[str, Any]], Row]]:
        if "__error__" in raw:
            raise RowError(raw["__error__"])
        kind = _text(raw, "type")
        if kind is None:
            raise RowError("type is missing: give observation, forecast or ruling")
        check = self._checks.get(kind.lower())
        if check is None:
            raise RowError(f"type {kind!r} is not observation, forecast or ruling")
        return kind.lower(), check

    @staticmethod
    def _misplaced(raw: dict[str, Any], kind: Kind) -> None:
        unknown = sorted(k for k in raw if k not in COLUMNS)
        if unknown:
            raise RowError(f"unknown key {', '.join(map(repr, unknown))}; keys are {', '.join(COLUMNS)}")
        extra = sorted(k for k in raw if k not in ALLOWED[kind])
        raise RowError(f"{', '.join(extra)} does not apply to a {kind}; leave it empty")

    def _observation(self, raw: dict[str, Any]) -> Row:
        target = _required(raw, "target")
        period_kind = self.targets.metrics.get(target)
        if period_kind is None:
            self._check_event_target(target)
        period, label = _as_of(raw)
        if period_kind is not None and period.kind != period_kind:
            raise RowError(f"as_of {label} is a {period.kind}, but {target} is measured by {period_kind}")
        number, word = _metric_value(raw, target) if period_kind is not None else (None, _event_value(raw))
        source, grade, note = _text(raw, "source"), _grade(raw.get("grade")), _text(raw, "note")
        recorded_at, timed = self._recorded_at(raw)
        key = keys.observation_key(target, label, number, word, source, grade, note)
        values = (target, label, period.end, number, word, recorded_at, source, grade, note,
                  self._recorded_by(raw), "log", key)
        return Row("observation", values, timed)

    def _check_event_target(self, target: str) -> None:
        kind = self.targets.propositions.get(target)
        if kind == "target":
            raise RowError(f"{target!r} is a target proposition: log its observations on its metric")
        if kind is None:
            raise RowError(f"unknown target {target!r}: name a metric or an event proposition")

    def _forecast(self, raw: dict[str, Any]) -> Row:
        target = self._proposition(raw)
        probability = _probability(raw)
        forecaster = _required(raw, "forecaster", "name who made the forecast")
        made_on = self._made_on(raw)
        source, note = _text(raw, "source"), _text(raw, "note")
        recorded_at, timed = self._recorded_at(raw)
        key = keys.forecast_key(target, probability, forecaster, made_on, source, note)
        values = (target, probability, forecaster, made_on, recorded_at, self._recorded_by(raw), source, note, "log", key)
        return Row("forecast", values, timed)

    def _ruling(self, raw: dict[str, Any]) -> Row:
        target = self._proposition(raw)
        status = _required(raw, "status").lower()
        if status not in RULING_STATUSES:
            raise RowError(f"status {status!r} is not one of {', '.join(RULING_STATUSES)}")
        why = _required(raw, "why", "give the reason for the ruling")
        made_on = self._made_on(raw)
        source = _text(raw, "source")
        recorded_at, timed = self._recorded_at(raw)
        key = keys.ruling_key(target, status, why, made_on, source)
        values = (target, status, why, made_on, recorded_at, self._recorded_by(raw), source, "log", key)
        return Row("ruling", values, timed)

    def _proposition(self, raw: dict[str, Any]) -> str:
        target = _required(raw, "target")
        if target not in self.targets.propositions:
            raise RowError(f"unknown proposition {target!r}; `tracker list` shows the ids")
        return target

    def _made_on(self, raw: dict[str, Any]) -> date:
        text = _text(raw, "made_on")
        if text is None:
            return self.defaults.today
        try:
            return _date(text)
        except PeriodError as exc:
            raise RowError(f"made_on: {exc}") from None

    def _recorded_at(self, raw: dict[str, Any]) -> tuple[datetime, bool]:
        text = raw.get("recorded_at")
        if text is None:
            return self.defaults.recorded_at, False
        return _moment(text), True

    def _recorded_by(self, raw: dict[str, Any]) -> str:
        return _text(raw, "recorded_by") or self.defaults.recorded_by


# --- cells -------------------------------------------------------------------------------------


def _text(raw: dict[str, Any], name: str) -> str | None:
    value = raw.get(name)
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    return str(value)


def _required(raw: dict[str, Any], name: str, hint: str | None = None) -> str:
    text = _text(raw, name)
    if text is None:
        raise RowError(f"{name} is missing" + (f": {hint}" if hint else ""))
    return text


def _as_of(raw: dict[str, Any]) -> tuple[Period, str]:
    text = raw.get("as_of")
    parse = _period if isinstance(text, (str, int)) else _period.__wrapped__  # a JSON list or object is not hashable
    try:
        return parse(text.strip() if isinstance(text, str) else text)
    except PeriodError as exc:
        if text is None:
            raise RowError("as_of is missing: give the period it describes, e.g. 2024, 2024-Q2, 2024-05 or 2024-05-16") from None
        raise RowError(f"as_of: {exc}") from None


def _metric_value(raw: dict[str, Any], target: str) -> tuple[float, None]:
    value = raw.get("value")
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = _loose_number(value, target)
    if isinstance(value, bool):
        raise RowError(f"value: {target} takes a number, got {value!r}")
    if not math.isfinite(number):
        raise RowError(f"value: {value} is not a finite number")
    return number, None


def _loose_number(value: object, target: str) -> float:
    """A number written with thousands separators (`1,020.5`, `1_020`); else RowError."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise RowError("value is missing")
    try:
        return float(str(value).replace(",", "").replace("_", ""))
    except ValueError:
        raise RowError(f"value: {value!r} is not a number ({target} is a metric)") from None


def _event_value(raw: dict[str, Any]) -> str:
    word = _required(raw, "value").lower()
    if word not in EVENT_VALUES:
        raise RowError(f"value: an event takes yes, partly or no, got {word!r}")
    return word


_GRADES = {f"{r}{c}": f"{r}{c}" for r in "ABCDEF" for c in "123456"}


def _grade(value: object) -> str | None:
    if value is None:
        return None
    grade = _GRADES.get(value) if isinstance(value, str) else None  # type: ignore[arg-type]
    if grade is not None:
        return grade
    text = str(value).strip().upper()
    if not text:
        return None
    if not GRADE_PATTERN.match(text):
        raise RowError(f"grade {value!r} is not an Admiralty grade like B2 (reliability A-F, credibility 1-6)")
    return text


def _probability(raw: dict[str, Any]) -> float:
    value = raw.get("probability")
    text = _required(raw, "probability")
    try:
        p = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else (
            float(text.rstrip("%")) / (100 if text.endswith("%") else 1))
    except ValueError:
        raise RowError(f"probability {text!r} is not a number between 0 and 1") from None
    if not 0.0 <= p <= 1.0:
        raise RowError(f"probability {text} is outside [0, 1]")
    return p


def _moment(text: Any) -> datetime:
    """An ISO date or date and time; a time with an offset is turned into UTC, as stored."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except (TypeError, ValueError, AttributeError):
        raise RowError(f"recorded_at: {text!r} is not an ISO date and time like 2026-11-24T10:30:00") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment
