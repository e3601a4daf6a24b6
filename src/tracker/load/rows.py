"""Import rows: CSV or JSON Lines files -> checked log rows, streamed, each error at FILE:LINE.

The file is read one bounded line at a time (a line longer than `MAX_LINE` characters, a field
longer than `MAX_FIELD`, a CSV row spanning more than `MAX_LINE` characters, or a NUL byte is
refused at its line), so memory stays flat whatever the file holds. Each row becomes one tuple
of the import columns (`COLUMNS`, absent values None), whichever the format, and is checked
field by field with the checks `tracker observe` and the Python API use (tracker.core.fields),
so the same mistake gets the same message, here after `FILE:LINE: column:`. A checked row comes
out as a tuple in the store's column order (`OBSERVATION_COLUMNS`, ...), ready for one
`executemany`. LINE is the physical line where a row starts, so a quoted CSV field spanning lines
does not shift the numbers of the rows after it.

The columns (docs/import-export.md): `type` and `target` always, and `id` (the record's own id)
for any row; observation: value, unit, as_of, through, source, grade, note, recorded_by,
recorded_at; forecast: probability, forecaster, made_on, recorded_at, recorded_by, source, note;
ruling: status, why, made_on, recorded_at, recorded_by, source; retraction (target is the id of the
record withdrawn): why, recorded_at, recorded_by. An empty cell (or a JSON null or "") is an
absent value.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any, Literal, NamedTuple, cast

from tracker.core import fields, keys
from tracker.core.cells import unprotect
from tracker.core.ids import record_uid, retraction_key
from tracker.core.periods import Period
from tracker.core.values import ValueProblem, parse_date, parse_period, parse_probability
from tracker.errors import InputError
from tracker.load.yamlfile import short

Format = Literal["csv", "jsonl"]
Kind = Literal["observation", "forecast", "ruling", "retraction"]
KINDS: tuple[Kind, ...] = ("observation", "forecast", "ruling", "retraction")
_KIND_NAMES: dict[str, Kind] = {kind: kind for kind in KINDS}

COLUMNS = ("type", "id", "target", "value", "unit", "as_of", "through", "source", "grade", "note", "recorded_by",
           "recorded_at", "probability", "forecaster", "made_on", "status", "why")
(TYPE, ID, TARGET, VALUE, UNIT, AS_OF, THROUGH, SOURCE, GRADE, NOTE, RECORDED_BY, RECORDED_AT, PROBABILITY,
 FORECASTER, MADE_ON, STATUS, WHY) = range(len(COLUMNS))
ALLOWED: dict[Kind, frozenset[str]] = {
    "observation": frozenset({"type", "id", "target", "value", "unit", "as_of", "through", "source", "grade", "note",
                              "recorded_by", "recorded_at"}),
    "forecast": frozenset({"type", "id", "target", "probability", "forecaster", "made_on", "recorded_at", "recorded_by",
                           "source", "note"}),
    "ruling": frozenset({"type", "id", "target", "status", "why", "made_on", "recorded_at", "recorded_by", "source"}),
    "retraction": frozenset({"type", "id", "target", "why", "recorded_at", "recorded_by"}),
}
_MISPLACED = {kind: tuple(i for i, name in enumerate(COLUMNS) if name not in allowed) for kind, allowed in ALLOWED.items()}
Getter = Callable[[tuple[Any, ...]], tuple[Any, ...]]


def _getter(indices: tuple[int, ...]) -> Getter | None:
    """The fields at these indices, always as a tuple; None for no index."""
    if not indices:
        return None
    return itemgetter(*indices) if len(indices) > 1 else itemgetter(indices[0], indices[0])


_ELSEWHERE = {kind: _getter(indices) for kind, indices in _MISPLACED.items()}  # the fields another kind takes

# The store's columns for each kind, in the order of a checked row's values. `uid` comes first and
# `row_key` at KEY_AT (retractions have no row key: a record is withdrawn once). An observation
# that is a plain full figure (no through, bound or value as written) has only the first
# PLAIN_WIDTH values: most rows, written with a narrower INSERT.
OBSERVATION_COLUMNS = ("uid", "target", "as_of", "period_end", "value_num", "value_text", "recorded_at", "source", "grade",
                       "note", "recorded_by", "origin", "row_key", "through", "through_end", "bound", "bound_low",
                       "bound_high", "written", "unit")
FORECAST_COLUMNS = ("uid", "proposition", "probability", "forecaster", "made_on", "recorded_at", "recorded_by", "source",
                    "note", "origin", "row_key")
RULING_COLUMNS = ("uid", "proposition", "status", "why", "made_on", "recorded_at", "recorded_by", "source", "origin",
                  "row_key")
RETRACTION_COLUMNS = ("uid", "target_uid", "why", "recorded_at", "recorded_by")
PLAIN_WIDTH = OBSERVATION_COLUMNS.index("through")  # a plain full figure's row: the columns before `through`
STORE_COLUMNS: dict[Kind, tuple[str, ...]] = {"observation": OBSERVATION_COLUMNS, "forecast": FORECAST_COLUMNS,
                                              "ruling": RULING_COLUMNS, "retraction": RETRACTION_COLUMNS}
KEY_AT = {kind: columns.index("row_key") for kind, columns in STORE_COLUMNS.items() if "row_key" in columns}
TIME_AT = {kind: columns.index("recorded_at") for kind, columns in STORE_COLUMNS.items()}

MAX_LINE = 1 << 22  # characters in a line (and in a CSV row spanning lines): 4 MiB, a few copies of it in memory at most
MAX_FIELD = 131_072  # characters in a field: the csv module's own limit, on JSON Lines too
MAX_DIGITS = 4_000  # digits of a JSON integer read at all (Python refuses more than 4,300)
PERIODS_KEPT = 65_536  # distinct as_of texts remembered (an import repeats a few)
_row = tuple.__new__  # Row(...) without its keyword handling: a million rows per import


class RowError(ValueError):
    """One bad row; the message says what is wrong and how to fix it."""


class Row(NamedTuple):
    """A checked row: its kind, its values in the store's column order, whether the file gave its
    time and its id, and the line where it starts. A named tuple: a million are made per import."""

    kind: Kind
    values: tuple[Any, ...]
    timed: bool
    given: bool = False
    line: int = 0


# --- reading -----------------------------------------------------------------------------------


class _CountingReader(io.RawIOBase):
    """A binary file that counts the bytes read, so a progress bar can follow a text stream."""

    def __init__(self, raw: io.BufferedReader):
        self.raw = raw
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self.raw.readinto(buffer)
        self.consumed += count or 0
        return count or 0

    def close(self) -> None:
        self.raw.close()
        super().close()


def detect_format(path: Path, chosen: str | None) -> Format:
    """The format chosen (`csv` or `jsonl`), else the suffix (.jsonl/.ndjson/.json -> jsonl), else CSV."""
    if chosen is not None:
        if chosen not in ("csv", "jsonl"):
            raise InputError(f"{chosen!r} is not csv or jsonl", argument="fmt")
        return "jsonl" if chosen == "jsonl" else "csv"
    return "jsonl" if path.suffix.lower() in (".jsonl", ".ndjson", ".json") else "csv"


Fields = tuple[Any, ...]  # one value per COLUMNS name, None where absent


class ImportFile:
    """An import file opened for streaming: `rows()` yields (line, fields or RowError); `consumed` counts bytes."""

    def __init__(self, path: Path, fmt: Format, display: str | None = None):
        self.path = path
        self.display = display or str(path)
        self.fmt = fmt
        try:
            self.size = path.stat().st_size
            self._counter = _CountingReader(open(path, "rb"))  # noqa: SIM115 - closed in close()
        except FileNotFoundError:
            raise InputError(f"{self.display} does not exist", argument="file") from None
        except IsADirectoryError:
            raise InputError(f"{self.display} is a folder, not a CSV or JSON Lines file", argument="file") from None
        except PermissionError:
            raise InputError(f"{self.display} cannot be read (permission denied)", argument="file") from None
        self._header_seen = False
        self.header: list[str] = []
        self._line = 0  # physical lines read
        self._row_chars = 0  # characters of the CSV row being read
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

    def rows(self) -> Iterator[tuple[int, Fields | RowError]]:
        """(line where the row starts, its fields or what is wrong with it), blank lines skipped."""
        return self._guarded(self._csv_rows() if self.fmt == "csv" else self._jsonl_rows())

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

    def _lines(self) -> Iterator[str]:
        """The file's physical lines, each refused at its number if too long or binary."""
        readline = self._text.readline
        while True:
            line = readline(MAX_LINE + 1)
            if not line:
                return
            self._line += 1
            if "\x00" in line:
                raise InputError(f"{self.display}:{self._line}: binary data (a NUL byte): not a CSV or JSON Lines text file")
            if len(line) > MAX_LINE:
                raise InputError(f"{self.display}:{self._line}: a line longer than {MAX_LINE:,} characters; "
                                 "split what it holds over several rows")
            self._row_chars += len(line)
            yield line

    # CSV -------------------------------------------------------------------------------------

    def _csv_rows(self) -> Iterator[tuple[int, Fields | RowError]]:
        cells_of: Callable[[list[str]], Fields | RowError] | None = None
        for start, cells in self._csv_cells():
            if cells_of is None:
                cells_of = _csv_fields(self.header)
            yield start, cells_of(cells)

    def _csv_cells(self) -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(self._lines(), strict=True)  # an unclosed quote is an error, not the rest of the file in one cell
        header: list[str] | None = None
        end = 0
        while True:
            self._row_chars = 0
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise InputError(f"{self.display}:{end + 1}: malformed CSV: {_csv_reason(exc)}") from None
            if self._row_chars > MAX_LINE:
                raise InputError(f"{self.display}:{end + 1}: a row longer than {MAX_LINE:,} characters; "
                                 "split what it holds over several rows")
            start, end = end + 1, self._line
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
        unknown = [n for n in dict.fromkeys(names) if n and n not in COLUMNS]
        if unknown:
            shown = ", ".join(map(repr, unknown[:5])) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
            raise InputError(f"{self.display}:{line}: unknown column {shown}; columns are {', '.join(COLUMNS)}")
        seen: set[str] = set()
        for name in names:  # a set, not a scan of the names before each: 200,000 names take no time
            if name and name in seen:
                raise InputError(f"{self.display}:{line}: column {name!r} appears twice in the header")
            seen.add(name)
        return names

    # JSON Lines ------------------------------------------------------------------------------

    def _jsonl_rows(self) -> Iterator[tuple[int, Fields | RowError]]:
        for text in self._lines():
            if not text.strip():
                continue
            yield self._line, _json_fields(text)


def _csv_fields(header: list[str]) -> Callable[[list[str]], Fields | RowError]:
    """A CSV row's cells -> fields, for files with this header: cells under no column name are
    dropped, empty cells are absent, and a `'` that an export put before formula-like text is
    taken off (tracker.core.cells)."""
    width = len(header)
    pick = itemgetter(*(header.index(name) if name in header else width for name in COLUMNS))

    def fields_of(cells: list[str]) -> Fields | RowError:
        if len(cells) != width:
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                return RowError(f"{len(cells)} fields but the header names {width}; quote fields that contain commas")
            cells = cells[:width] + [""] * (width - len(cells))
        values: list[str | None] = [(unprotect(c) if c[0] == "'" else c) if c else None for c in cells]
        values.append(None)
        picked: Fields = pick(values)
        return picked

    return fields_of


class _HugeNumber(ValueError):
    """A JSON integer with more digits than any figure has (Python would refuse to read it)."""


def _bounded_int(digits: str) -> int:
    if len(digits) > MAX_DIGITS:
        raise _HugeNumber(f"a number of {len(digits.lstrip('-')):,} digits is too large")
    return int(digits)


_JSON = json.JSONDecoder(parse_int=_bounded_int)
_KNOWN = frozenset(COLUMNS)


def _json_fields(text: str) -> Fields | RowError:
    """One JSON Lines row -> fields, or what is wrong with it."""
    try:
        item = _JSON.decode(text.rstrip("\r\n"))
    except json.JSONDecodeError as exc:
        return RowError(f"not valid JSON: {exc.msg} at column {exc.colno}")
    except _HugeNumber as exc:
        return RowError(str(exc))
    except RecursionError:
        return RowError("nested too deeply: a row is one JSON object of text and numbers")
    if not isinstance(item, dict):
        return RowError(f"expected a JSON object with type and target, got {type(item).__name__}")
    return item_fields(item)


def item_fields(item: Mapping[str, Any]) -> Fields | RowError:
    """A JSON object (or any mapping of column names) -> fields, or what is wrong with it."""
    unknown = sorted(str(key) for key in item if key not in _KNOWN)
    if unknown:
        return RowError(f"unknown key {', '.join(short(k) for k in unknown[:5])}; keys are {', '.join(COLUMNS)}")
    for key, value in item.items():
        problem = _json_value_problem(value)
        if problem is not None:
            return RowError(f"{key}: {problem}")
    return tuple(_json_field(item.get(name), index) for index, name in enumerate(COLUMNS))


def _json_field(value: object, index: int) -> Any:
    """A JSON value as a field: "" is absent; a number stays one where a number is read (value,
    probability), elsewhere it is text as written (an `as_of` of 2024 is "2024")."""
    if value is None or value == "":
        return None
    if isinstance(value, str) or index in (VALUE, PROBABILITY):
        return value
    return str(value).lower() if isinstance(value, bool) else str(value)


def _json_value_problem(value: object) -> str | None:
    """What is wrong with a JSON value as a field (nested, too long, not storable text), if anything."""
    if isinstance(value, (dict, list)):
        return f"expected text or a number, got a JSON {'object' if isinstance(value, dict) else 'array'}"
    if isinstance(value, str):
        if len(value) > MAX_FIELD:
            return f"{len(value):,} characters is longer than a field may be ({MAX_FIELD:,})"
        try:
            fields.text(value)
        except ValueProblem as exc:
            return str(exc)
    return None


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


# --- checking ------------------------------------------------------------------------------------


class MetricFacts(NamedTuple):
    """What an import checks a metric's values against (tracker.core.fields.MetricFacts)."""

    id: str
    period: str
    unit: str
    aggregate: str | None = None


class PropositionFacts(NamedTuple):
    """What an import checks against a proposition: its kind, its metric (a target's), and when it was stated."""

    kind: str
    metric: str | None = None
    stated_on: date | None = None


@dataclass(frozen=True)
class Targets:
    """What rows may name: metrics and propositions by id."""

    metrics: Mapping[str, MetricFacts]
    propositions: Mapping[str, PropositionFacts]


@dataclass(frozen=True)
class Defaults:
    """What an absent cell means: the import's time, today, and who is importing."""

    recorded_at: datetime
    today: date
    recorded_by: str


class RowChecker:
    """Checks rows against the workspace and turns them into store-ready tuples."""

    def __init__(self, targets: Targets, defaults: Defaults):
        self.targets = targets
        self.defaults = defaults
        self._checks: dict[str, Callable[[Fields, int], Row]] = {
            "observation": self._observation, "forecast": self._forecast, "ruling": self._ruling,
            "retraction": self._retraction,
        }
        self._elsewhere = _ELSEWHERE  # narrowed to a CSV header's columns: a column it lacks is never misplaced

    def check(self, raw: Mapping[str, Any] | Fields | RowError, line: int = 0) -> Row:
        """The row checked, or RowError saying what is wrong with it (a mapping of column names is
        read as a JSON Lines row is; a RowError from reading the row is raised)."""
        found = cast(Fields, raw) if type(raw) is tuple else _as_fields(raw)  # type(): cheaper than isinstance
        kind = found[TYPE]
        check = self._checks.get(kind) if type(kind) is str else None
        if check is None:
            kind, check = self._kind(found)
        getter = self._elsewhere[kind]
        elsewhere = getter(found) if getter is not None else ()
        if elsewhere.count(None) != len(elsewhere):
            misplaced = [COLUMNS[i] for i in _MISPLACED[kind] if found[i] is not None]
            raise RowError(f"{', '.join(misplaced)} does not apply to {_a(kind)}; leave it empty")
        return check(found, line)

    def checked(self, source: ImportFile) -> Iterator[tuple[int, Row | RowError]]:
        """Each row of the file with its line: the checked row, or the RowError saying what is wrong."""
        check = self.check
        for line, found in source.rows():
            if source.header and self._elsewhere is _ELSEWHERE:
                self._elsewhere = {kind: _getter(tuple(i for i in indices if COLUMNS[i] in source.header))
                                   for kind, indices in _MISPLACED.items()}
            try:
                yield line, check(found, line)
            except RowError as exc:
                yield line, exc

    def _kind(self, found: Fields) -> tuple[Kind, Callable[[Fields, int], Row]]:
        kind = _text(found[TYPE])
        if kind is None:
            raise RowError("type is missing: give observation, forecast, ruling or retraction")
        named = _KIND_NAMES.get(kind.strip().lower())
        if named is None:
            raise RowError(f"type {short(kind)} is not observation, forecast, ruling or retraction")
        return named, self._checks[named]

    # observations --------------------------------------------------------------------------

    def _observation(self, found: Fields, line: int) -> Row:
        target = _required(found, TARGET)
        metric = self.targets.metrics.get(target)
        field = "as_of"
        try:
            if metric is None:
                self._check_event_target(target)
            period, label = _as_of(found[AS_OF], metric)
            field = "value"
            if metric is not None:
                number = fields.plain_figure(found[VALUE]) if found[UNIT] is None else None
                figure = None if number is not None else fields.figure(_present(found, VALUE), found[UNIT], metric)
                number = figure.number if figure is not None else number
                field = "through"
                through = None if found[THROUGH] is None else fields.through(found[THROUGH], period, metric)
                word = None
            else:
                word, figure, through, number = fields.event_value(_present(found, VALUE), found[UNIT], found[THROUGH]), None, None, None
            field = "grade"
            grade = _GRADES.get(found[GRADE]) or fields.grade(found[GRADE])
        except ValueProblem as exc:
            raise RowError(f"{getattr(exc, 'field', None) or field}: {exc}") from None
        source, note = _stripped(found[SOURCE]), _note(found[NOTE])
        recorded_at, timed = self._recorded_at(found)
        through_label = None if through is None else through.label
        written = None if figure is None else fields.shown_written(figure.written, figure.unit)
        key = keys.observation_key(target, label, number, word, source, grade, note, through_label, written)
        given = found[ID]
        uid = record_uid("observation", key, recorded_at) if given is None else _given_id(given)
        by = found[RECORDED_BY]
        values: tuple[Any, ...] = (uid, target, label, period.end, number, word, recorded_at, source, grade, note,
                                   (by.strip() if by else None) or self.defaults.recorded_by, "log", key)
        kept = _figure_columns(figure)
        if through is not None or kept is not None:  # a plain full figure stops at row_key (PLAIN_WIDTH)
            values += (through_label, None if through is None else through.end, *(kept or (None,) * 5))
        return _row(Row, ("observation", values, timed, given is not None, line))

    def _check_event_target(self, target: str) -> None:
        found = self.targets.propositions.get(target)
        if found is not None and found.kind == "target":
            raise RowError(f"target: {fields.target_proposition(target, found.metric)}")
        if found is None:
            raise RowError(f"target: {fields.unknown_target(target)}")

    # forecasts and rulings ---------------------------------------------------------------------

    def _forecast(self, found: Fields, line: int) -> Row:
        target, stated_on = self._proposition(found)
        field = "probability"
        try:
            probability = parse_probability(_present(found, PROBABILITY))
            forecaster = _required(found, FORECASTER, "name who made the forecast")
            field = "made_on"
            made_on = self.defaults.today if found[MADE_ON] is None else fields.made_on(found[MADE_ON], self.defaults.today, stated_on, target)
        except ValueProblem as exc:
            raise RowError(f"{getattr(exc, 'field', None) or field}: {exc}") from None
        source, note = _stripped(found[SOURCE]), _note(found[NOTE])
        recorded_at, timed = self._recorded_at(found)
        key = keys.forecast_key(target, probability, forecaster, made_on, source, note)
        uid, given = self._uid(found, "forecast", key, recorded_at)
        values = (uid, target, probability, forecaster, made_on, recorded_at, self._recorded_by(found), source, note, "log", key)
        return Row("forecast", values, timed, given, line)

    def _ruling(self, found: Fields, line: int) -> Row:
        target, _ = self._proposition(found)
        field = "status"
        try:
            status = fields.ruling_status(_present(found, STATUS))
            why = _required(found, WHY, "give the reason for the ruling")
            field = "made_on"
            made_on = self.defaults.today if found[MADE_ON] is None else parse_date(found[MADE_ON])
        except ValueProblem as exc:
            raise RowError(f"{getattr(exc, 'field', None) or field}: {exc}") from None
        source = _stripped(found[SOURCE])
        recorded_at, timed = self._recorded_at(found)
        key = keys.ruling_key(target, status, why, made_on, source)
        uid, given = self._uid(found, "ruling", key, recorded_at)
        values = (uid, target, status, why, made_on, recorded_at, self._recorded_by(found), source, "log", key)
        return Row("ruling", values, timed, given, line)

    def _retraction(self, found: Fields, line: int) -> Row:
        target = _required(found, TARGET, "give the id of the record withdrawn")
        why = _required(found, WHY, "give the reason for withdrawing it")
        recorded_at, timed = self._recorded_at(found)
        uid, given = self._uid(found, "retraction", retraction_key(target, why), recorded_at)
        return Row("retraction", (uid, target, why, recorded_at, self._recorded_by(found)), timed, given, line)

    def _proposition(self, found: Fields) -> tuple[str, date | None]:
        target = _required(found, TARGET)
        facts = self.targets.propositions.get(target)
        if facts is None:
            raise RowError(f"target: {fields.unknown_proposition(target)}")
        return target, facts.stated_on

    # every kind -----------------------------------------------------------------------------------

    def _recorded_at(self, found: Fields) -> tuple[datetime, bool]:
        value = found[RECORDED_AT]
        if value is None:
            return self.defaults.recorded_at, False
        try:
            return fields.moment(value), True
        except ValueProblem as exc:
            raise RowError(f"recorded_at: {exc}") from None

    def _recorded_by(self, found: Fields) -> str:
        return _stripped(found[RECORDED_BY]) or self.defaults.recorded_by

    @staticmethod
    def _uid(found: Fields, kind: Kind, key: str, recorded_at: datetime) -> tuple[str, bool]:
        """The row's own id if it brings one, else the one its key and time give."""
        given = found[ID]
        if given is None:
            return record_uid(kind, key, recorded_at), False
        return _given_id(given), True


# --- fields ------------------------------------------------------------------------------------


def _as_fields(raw: Mapping[str, Any] | Fields | RowError) -> Fields:
    """A row as fields: a mapping of column names read as a JSON Lines row is; a reading error raised."""
    found = item_fields(raw) if isinstance(raw, Mapping) else raw
    if isinstance(found, RowError):
        raise found
    return found


def _given_id(given: str) -> str:
    """An id a row brings (surrounding spaces aside), or RowError naming the column."""
    try:
        return fields.record_id(given.strip())
    except ValueProblem as exc:
        raise RowError(f"id: {exc}") from None


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


# Text fields reach the checks as text or None (a JSON number is text there too), already refused
# when they hold what cannot be stored (a NUL, a lone surrogate: `ImportFile` reads no such line).


def _text(value: object) -> str | None:
    """A field as text (a JSON number as written), or None."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _stripped(value: str | None) -> str | None:
    """Text without its surrounding spaces; blank is absent (tracker.core.fields.optional, minus the text check)."""
    if value is None:
        return None
    return value.strip() or None


def _note(value: str | None) -> str | None:
    """A note kept exactly as written; blank is no note (tracker.core.fields.note, minus the text check)."""
    return value if value is not None and value.strip() else None


def _present(found: Fields, index: int) -> Any:
    value = found[index]
    if value is None or (isinstance(value, str) and not value.strip()):
        raise RowError(f"{COLUMNS[index]} is missing")
    return value


def _required(found: Fields, index: int, hint: str | None = None) -> str:
    value = found[index]
    text = value.strip() if value is not None else None
    if not text:
        raise RowError(f"{COLUMNS[index]} is missing" + (f": {hint}" if hint else ""))
    return text


_GRADES = {f"{r}{c}": f"{r}{c}" for r in "ABCDEF" for c in "123456"}


@lru_cache(maxsize=PERIODS_KEPT)
def _period(as_of: str) -> tuple[Period, str]:
    """A period as written and its label (cached: an import repeats the same few)."""
    if not as_of.strip():
        raise RowError("as_of is missing: give the period it describes, e.g. 2024, 2024-Q2, 2024-05 or 2024-05-16")
    period = parse_period(as_of.strip())
    return period, period.label


def _as_of(value: str | None, metric: MetricFacts | None) -> tuple[Period, str]:
    if value is None:
        raise RowError("as_of is missing: give the period it describes, e.g. 2024, 2024-Q2, 2024-05 or 2024-05-16")
    period, label = _period(value)
    if metric is not None and period.kind != metric.period:
        fields.of_metric(period, metric)
    return period, label


def _figure_columns(figure: fields.Figure | None) -> tuple[Any, ...] | None:
    """bound, bound_low, bound_high, written, unit of a figure as the store keeps them; None for a plain number."""
    if figure is None or (figure.bound is None and figure.written is None):
        return None
    return (*fields.bound_columns(figure.bound), figure.written, figure.unit)
