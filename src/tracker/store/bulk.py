"""Bulk paths of the store: checked import rows in, every logged row out, set-based.

Rows go in by batches with one `executemany` each, inside the caller's ONE transaction, so an
import is all or nothing. No ORM object is built per row: on SQLite the DBAPI cursor gets plain
tuples (dates formatted the way SQLAlchemy stores them); on PostgreSQL a Core `insert()` with
multi-row VALUES.

Duplicates are skipped by the database itself: the unique index over logged rows on
(row_key, recorded_at) (migration 0002) and `ON CONFLICT DO NOTHING`. A row whose file gave no
`recorded_at` (it gets the import's time) is also skipped when a logged row with the same key
exists at any time: its keys are looked up per batch, one indexed `IN` query each.

Rows that bring their own id are checked per batch against the ids already logged (of any kind,
earlier batches of the import included): the same id on a record that says something else is a
clash, reported at the row's line. Retractions are written after every other row of the file
(their targets may come later in it), each checked as `tracker retract` checks one.

What the import added is counted by the database: on SQLite the rows each `executemany`
inserted, on PostgreSQL the rows this transaction wrote (`xmin`), so rows logged meanwhile by
other commands never enter the count.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import methodcaller
from typing import Any

from sqlalchemy import Connection, Table, bindparam, func, insert, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert

from tracker.core import fields
from tracker.core.ids import LoggedKind, definition_place
from tracker.core.records import Retraction
from tracker.load.rows import KEY_AT, STORE_COLUMNS, TIME_AT, Kind, MetricFacts, PropositionFacts, Row, Targets
from tracker.store.tables import FORECAST, METRIC, OBSERVATION, PROPOSITION, RETRACTION, RULING

BATCH = 10_000
IN_CHUNK = 5_000  # values per IN list (SQLite allows 32,766 parameters)
SQLITE_CACHE_KIB = 131_072  # page cache for the import transaction: the key index stays in memory
_IMPORT_LOCK = 7_461_002  # PostgreSQL advisory lock key: one import at a time

TABLES: dict[Kind, Table] = {"observation": OBSERVATION, "forecast": FORECAST, "ruling": RULING, "retraction": RETRACTION}
RECORDS: tuple[Kind, ...] = ("observation", "forecast", "ruling")  # the kinds with row keys, written as they come
_KEY_INDEX = ("row_key", "recorded_at")
_THIS_TRANSACTION = "xmin = pg_current_xact_id()::xid"  # PostgreSQL: rows written by this transaction


def import_targets(connection: Connection) -> Targets:
    """What import rows may name, read from narrow columns (no definition is parsed)."""
    metrics = connection.execute(select(METRIC.c.id, METRIC.c.period, METRIC.c.unit, METRIC.c.aggregate)).all()
    propositions = connection.execute(select(PROPOSITION.c.id, PROPOSITION.c.kind, PROPOSITION.c.metric, PROPOSITION.c.stated_on)).all()
    return Targets(
        metrics={row.id: MetricFacts(row.id, row.period, row.unit or "", row.aggregate) for row in metrics},
        propositions={row.id: PropositionFacts(row.kind, row.metric, row.stated_on) for row in propositions},
    )


@dataclass(frozen=True)
class Logged:
    """A logged record with a given id, as an import compares it: its kind and what it says."""

    kind: LoggedKind
    key: str
    recorded_at: datetime


@dataclass
class BulkWriter:
    """Collects checked rows and writes them in batches on one connection (one transaction).

    `problems` holds (line, message) for rows that cannot be logged for what the database already
    holds (an id taken, a retraction of what cannot be withdrawn); the caller then rolls back.
    """

    connection: Connection
    batch_size: int = BATCH
    problems: list[tuple[int, str]] = field(default_factory=list)
    _pending: dict[Kind, list[Row]] = field(default_factory=lambda: {kind: [] for kind in TABLES})
    _deferred: list[Row] = field(default_factory=list)  # retractions whose target was not (yet) logged
    _added: dict[Kind, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))

    def __post_init__(self) -> None:
        self.sqlite = self.connection.dialect.name == "sqlite"
        if self.sqlite:
            self.connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        elif self.connection.dialect.name == "postgresql":
            self.connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _IMPORT_LOCK})
        self._statements: dict[tuple[Kind, int], Any] = {}
        self._processors: dict[tuple[Kind, int], list[tuple[int, Any]]] = {}
        self._last_id = self._last_observation() if self.sqlite else 0

    def add(self, row: Row) -> None:
        pending = self._pending[row.kind]
        pending.append(row)
        if len(pending) >= self.batch_size:
            self.flush(row.kind)

    def flush(self, kind: Kind | None = None) -> None:
        """Write what is pending (of one kind, or of all: retractions last, their targets written)."""
        for name in [kind] if kind else list(TABLES):
            if name == "retraction":
                self._flush_records()
            rows, self._pending[name] = self._pending[name], []
            if rows:
                self._write_retractions(rows) if name == "retraction" else self._write(name, self._new(name, rows))

    def finish(self) -> dict[Kind, int]:
        """Write everything pending, settle the deferred retractions; the rows added, by kind."""
        self.flush()
        deferred, self._deferred = self._deferred, []
        if deferred:
            self._write_retractions(deferred, final=True)
        return self.inserted()

    def inserted(self) -> dict[Kind, int]:
        """Rows added so far, by kind (duplicates skipped are not counted)."""
        if self.sqlite:
            return dict(self._added)
        counts: dict[Kind, int] = {}
        for kind, table in TABLES.items():
            origin = "" if kind == "retraction" else " AND origin = 'log'"
            query = f"SELECT count(*) FROM {table.name} WHERE {_THIS_TRANSACTION}{origin}"  # noqa: S608
            counts[kind] = self.connection.exec_driver_sql(query).scalar_one()
        return counts

    def _last_observation(self) -> int:
        """SQLite: the last observation's row id; rows past it are this import's (one writer at a time)."""
        return int(self.connection.execute(select(func.max(OBSERVATION.c.id))).scalar() or 0)

    def added_among(self, uids: Iterable[str]) -> set[str]:
        """Which of these observation ids this import added (not skipped as already logged)."""
        added = text(f"id > {int(self._last_id)}") if self.sqlite else text(_THIS_TRANSACTION)
        ordered = sorted(set(uids))
        found: set[str] = set()
        for start in range(0, len(ordered), IN_CHUNK):
            query = select(OBSERVATION.c.uid).where(OBSERVATION.c.uid.in_(ordered[start:start + IN_CHUNK]), added,
                                                    text("origin = 'log'"))
            found.update(self.connection.execute(query).scalars())
        return found

    def _flush_records(self) -> None:
        for kind in RECORDS:
            rows, self._pending[kind] = self._pending[kind], []
            if rows:
                self._write(kind, self._new(kind, rows))

    # records -------------------------------------------------------------------------------------

    def _new(self, kind: Kind, rows: list[Row]) -> list[tuple[Any, ...]]:
        """The rows' values to insert: rows whose own id is taken left out (a problem each), and
        rows without a time whose key is already logged left out (already logged)."""
        if any(row.given for row in rows):
            rows = self._ids_free(kind, rows)
        at = KEY_AT[kind]
        untimed = {row.values[at] for row in rows if not row.timed}
        known = self._known_keys(kind, untimed) if untimed else set()
        return [row.values for row in rows if row.timed or row.values[at] not in known]

    def _ids_free(self, kind: Kind, rows: list[Row]) -> list[Row]:
        """The rows whose own id is free, or held by a record saying the same (which skips them)."""
        logged = self._logged_ids({row.values[0] for row in rows if row.given})
        at, when = KEY_AT[kind], TIME_AT[kind]
        kept = []
        for row in rows:
            uid = row.values[0]
            mine = Logged(kind, row.values[at], row.values[when])
            other = logged.setdefault(uid, mine) if row.given else None
            if other is None or _same(other, mine, row.timed):
                kept.append(row)
            else:
                self.problems.append((row.line, f"id: {_taken(uid, other)}"))
        return kept

    def _logged_ids(self, uids: set[str]) -> dict[str, Logged]:
        """The logged records (of any kind) holding these ids."""
        found: dict[str, Logged] = {}
        ordered = sorted(uids)
        for start in range(0, len(ordered), IN_CHUNK):
            chunk = ordered[start:start + IN_CHUNK]
            for kind in RECORDS:
                table = TABLES[kind]
                query = (select(table.c.uid, table.c.row_key, table.c.recorded_at)
                         .where(table.c.uid.in_(chunk), text("origin = 'log'")))
                found.update({row.uid: Logged(kind, row.row_key, row.recorded_at) for row in self.connection.execute(query)})
            query = select(RETRACTION.c.uid, RETRACTION.c.target_uid, RETRACTION.c.why, RETRACTION.c.recorded_at).where(RETRACTION.c.uid.in_(chunk))
            found.update({row.uid: Logged("retraction", _retraction_says(row.target_uid, row.why), row.recorded_at)
                          for row in self.connection.execute(query)})
        return found

    def _known_keys(self, kind: Kind, candidates: set[str]) -> set[str]:
        table = TABLES[kind].name
        query = text(f"SELECT row_key FROM {table} WHERE origin = 'log' AND row_key IN :keys")  # noqa: S608
        query = query.bindparams(bindparam("keys", expanding=True))
        found: set[str] = set()
        ordered = sorted(candidates)
        for start in range(0, len(ordered), IN_CHUNK):
            found.update(self.connection.execute(query, {"keys": ordered[start:start + IN_CHUNK]}).scalars())
        return found

    def _write(self, kind: Kind, rows: list[tuple[Any, ...]]) -> None:
        """Insert rows of one kind: one executemany per width (a plain full figure has fewer columns)."""
        widths = {len(row) for row in rows}
        for width in sorted(widths):
            group = rows if len(widths) == 1 else [row for row in rows if len(row) == width]
            self._insert(kind, STORE_COLUMNS[kind][:width], group)

    def _insert(self, kind: Kind, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        shape = (kind, len(columns))
        if shape not in self._statements:
            self._statements[shape] = self._statement(kind, columns)
            self._processors[shape] = self._bind_processors(kind, columns)
        if self.sqlite:
            processors = self._processors[shape]
            if processors:
                rows = _processed(rows, processors)
            result = self.connection.exec_driver_sql(self._statements[shape], rows)  # type: ignore[arg-type]
            self._added[kind] += result.rowcount
            return
        self.connection.execute(self._statements[shape], [dict(zip(columns, row, strict=True)) for row in rows])

    def _statement(self, kind: Kind, columns: tuple[str, ...]) -> Any:
        table = TABLES[kind]
        conflict = kind != "retraction"
        if self.sqlite:
            marks = ", ".join("?" for _ in columns)
            skip = " ON CONFLICT (row_key, recorded_at) WHERE origin = 'log' DO NOTHING" if conflict else ""
            return f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks}){skip}"
        if self.connection.dialect.name == "postgresql" and conflict:
            return pg_insert(table).on_conflict_do_nothing(index_elements=list(_KEY_INDEX), index_where=text("origin = 'log'"))
        return insert(table)

    def _bind_processors(self, kind: Kind, columns: tuple[str, ...]) -> list[tuple[int, Any]]:
        """Where dates and times need turning into the text SQLAlchemy stores on SQLite.

        The same text SQLAlchemy's own SQLite types write (`2026-11-24 10:30:00.000000`, `2026-11-24`),
        made by the C `isoformat` instead of SQLAlchemy's per-value Python processors.
        """
        table = TABLES[kind]
        found: list[tuple[int, Any]] = []
        for index, name in enumerate(columns):
            python_type = getattr(table.c[name].type, "python_type", None) if name not in ("row_key", "uid") else None
            if python_type is datetime:
                found.append((index, _sqlite_datetime))
            elif python_type is date:
                found.append((index, date.isoformat))
        return found

    # retractions ------------------------------------------------------------------------------------

    def _write_retractions(self, rows: list[Row], *, final: bool = False) -> None:
        """Check each retraction as `tracker retract` does, then write those that withdraw something new."""
        targets = self._targets({row.values[1] for row in rows})
        withdrawn = self._withdrawals({row.values[1] for row in rows})
        logged = self._logged_ids({row.values[0] for row in rows if row.given})
        kept = []
        for row in rows:
            uid, target, why, recorded_at, recorded_by = row.values
            retraction = Retraction(uid, target, why, recorded_at, recorded_by)
            mine = Logged("retraction", _retraction_says(target, why), recorded_at)
            problem = self._retraction_problem(row, targets.get(target), withdrawn.get(target), logged.get(uid), mine, final)
            if problem == "later":
                self._deferred.append(row)
            elif problem is not None:
                self.problems.append((row.line, problem))
            elif withdrawn.get(target) is None:
                withdrawn[target] = retraction
                logged[uid] = mine
                kept.append(row.values)
        self._write("retraction", kept)

    def _retraction_problem(self, row: Row, kind: str | None, withdrawn: Retraction | None, holder: Logged | None,
                            mine: Logged, final: bool) -> str | None:
        """Why a retraction row cannot be logged; None if it can (or repeats one logged: skipped); "later"
        while its target may still come later in the file."""
        uid, target = row.values[0], row.values[1]
        if holder is not None and not _same(holder, mine, row.timed):
            return f"id: {_taken(uid, holder)}"
        if kind is None:
            return f"target: {fields.unknown_record(target)}" if final else "later"
        refused = fields.not_withdrawable(target, kind)
        if refused is not None:
            return f"target: {refused}"
        if withdrawn is not None and not _same(Logged("retraction", _retraction_says(target, withdrawn.why), withdrawn.recorded_at), mine, row.timed):
            return f"target: {fields.already_withdrawn(target, withdrawn)}"
        return None

    def _targets(self, uids: set[str]) -> dict[str, str]:
        """The kind of the record each id names (logged, or written in a definition file)."""
        found: dict[str, str] = {uid: logged.kind for uid, logged in self._logged_ids(uids).items()}
        places = sorted(uid for uid in uids if uid not in found and definition_place(uid) is not None)
        for kind in RECORDS:
            table = TABLES[kind]
            for start in range(0, len(places), IN_CHUNK):
                query = select(table.c.uid).where(table.c.uid.in_(places[start:start + IN_CHUNK]), text("origin = 'definition'"))
                found.update(dict.fromkeys(self.connection.execute(query).scalars(), "definition"))
        return found

    def _withdrawals(self, targets: set[str]) -> dict[str, Retraction]:
        """The retractions already logged of these records."""
        found: dict[str, Retraction] = {}
        ordered = sorted(targets)
        columns = (RETRACTION.c.uid, RETRACTION.c.target_uid, RETRACTION.c.why, RETRACTION.c.recorded_at, RETRACTION.c.recorded_by)
        for start in range(0, len(ordered), IN_CHUNK):
            query = select(*columns).where(RETRACTION.c.target_uid.in_(ordered[start:start + IN_CHUNK]))
            found.update({row[1]: Retraction(*row) for row in self.connection.execute(query)})
        return found


def _same(logged: Logged, row: Logged, timed: bool) -> bool:
    """Whether a logged record says what a row says (at the row's time, if the row gives one)."""
    return logged.kind == row.kind and logged.key == row.key and (not timed or logged.recorded_at == row.recorded_at)


def _taken(uid: str, other: Logged) -> str:
    return (f"{uid} is already the id of another {other.kind} (logged {other.recorded_at.isoformat(' ', 'seconds')} UTC); "
            "give this row another id, or leave id empty for one to be given")


def _retraction_says(target: str, why: str) -> str:
    return f"{target}\x1f{why}"


_sqlite_datetime = methodcaller("isoformat", " ", "microseconds")


def _processed(rows: list[tuple[Any, ...]], processors: list[tuple[int, Any]]) -> list[tuple[Any, ...]]:
    """The rows with their date and time columns turned into text, a column at a time (in C, no call per row)."""
    columns: list[Any] = list(zip(*rows, strict=True))
    for index, processor in processors:
        if processor is date.isoformat:  # an import repeats a few periods' ends: each formatted once
            texts = {day: None if day is None else day.isoformat() for day in set(columns[index])}
            columns[index] = map(texts.__getitem__, columns[index])
        else:
            columns[index] = map(processor, columns[index])
    return list(zip(*columns, strict=True))


# --- jumps ---------------------------------------------------------------------------------------


def full_figures(connection: Connection, targets: Iterable[str]) -> dict[str, list[tuple[date, str, float, datetime]]]:
    """(period end, period, value, recorded at) of every full figure of these metrics not withdrawn, by metric, in
    period order."""
    found: dict[str, list[tuple[date, str, float, datetime]]] = {}
    ordered = sorted(targets)
    table = OBSERVATION
    for start in range(0, len(ordered), IN_CHUNK):
        query = (select(table.c.target, table.c.period_end, table.c.as_of, table.c.value_num, table.c.recorded_at)
                 .where(table.c.target.in_(ordered[start:start + IN_CHUNK]), table.c.through.is_(None),
                        table.c.value_num.is_not(None), table.c.uid.not_in(select(RETRACTION.c.target_uid)))
                 .order_by(table.c.target, table.c.period_end, table.c.recorded_at, table.c.id))
        for target, end, label, value, at in connection.execute(query):
            found.setdefault(target, []).append((end, label, value, at))
    return found


# --- out ---------------------------------------------------------------------------------------

EXPORT_ORDER: dict[Kind, tuple[str, ...]] = {
    "observation": ("recorded_at", "id"),
    "forecast": ("made_on", "recorded_at", "id"),
    "ruling": ("made_on", "recorded_at", "id"),
    "retraction": ("recorded_at", "id"),
}
_NOT_EXPORTED = ("origin", "row_key", "period_end", "through_end", "bound", "bound_low", "bound_high")


def logged_rows(connection: Connection, kind: Kind) -> Iterator[Any]:
    """Every row analysts logged of one kind (not those written in definition files), in a stable order.

    The order keeps ties as the store breaks them (by id), so rows imported from an export
    supersede each other exactly as the originals did.
    """
    table = TABLES[kind]
    names = [c for c in STORE_COLUMNS[kind] if c not in _NOT_EXPORTED]
    query = select(*(table.c[n] for n in names)).order_by(*(table.c[n] for n in EXPORT_ORDER[kind]))
    if kind != "retraction":
        query = query.where(table.c.origin == "log")
    result = connection.execution_options(stream_results=True, yield_per=BATCH).execute(query)
    yield from result

