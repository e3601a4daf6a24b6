"""Bulk paths of the store: checked import rows in, every logged row out, set-based.

Rows go in by batches with one `executemany` each, inside the caller's ONE transaction, so an
import is all or nothing. No ORM object is built per row: on SQLite the DBAPI cursor gets plain
tuples (dates formatted the way SQLAlchemy stores them); on PostgreSQL a Core `insert()` with
multi-row VALUES.

Duplicates are skipped by the database itself: the unique index over logged rows on
(row_key, recorded_at) (migration 0002) and `ON CONFLICT DO NOTHING`. A row whose file gave no
`recorded_at` (it gets the import's time) is also skipped when a logged row with the same key
exists at any time: its keys are looked up per batch, one indexed `IN` query each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import methodcaller
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert

from tracker.load.rows import FORECAST_COLUMNS, OBSERVATION_COLUMNS, RULING_COLUMNS, Kind, Row, Targets
from tracker.store.tables import FORECAST, METRIC, OBSERVATION, PROPOSITION, RULING

BATCH = 10_000
SQLITE_CACHE_KIB = 131_072  # page cache for the import transaction: the key index stays in memory
_IMPORT_LOCK = 7_461_002  # PostgreSQL advisory lock key: one import at a time

TABLES = {"observation": OBSERVATION, "forecast": FORECAST, "ruling": RULING}
COLUMNS: dict[Kind, tuple[str, ...]] = {
    "observation": OBSERVATION_COLUMNS, "forecast": FORECAST_COLUMNS, "ruling": RULING_COLUMNS,
}
_KEY_INDEX = ("row_key", "recorded_at")


def import_targets(connection: Connection) -> Targets:
    """What import rows may name, read from two narrow columns (no definition is parsed)."""
    metrics = METRIC
    propositions = PROPOSITION
    return Targets(
        metrics=dict(connection.execute(select(metrics.c.id, metrics.c.period)).all()),
        propositions=dict(connection.execute(select(propositions.c.id, propositions.c.kind)).all()),
    )


@dataclass
class BulkWriter:
    """Collects checked rows and writes them in batches on one connection (one transaction)."""

    connection: Connection
    batch_size: int = BATCH
    _pending: dict[str, list[Row]] = field(default_factory=lambda: {kind: [] for kind in COLUMNS})
    _before: dict[str, int] = field(default_factory=dict)
    _added: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLUMNS, 0))

    def __post_init__(self) -> None:
        self.sqlite = self.connection.dialect.name == "sqlite"
        if self.sqlite:
            self.connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        elif self.connection.dialect.name == "postgresql":
            self.connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _IMPORT_LOCK})
        if not self.sqlite:  # SQLite counts the rows each executemany adds (conflicts not counted); no scans
            self._before = self.logged_counts()
        self._statements = {kind: self._statement(kind) for kind in COLUMNS}
        self._processors = {kind: self._bind_processors(kind) for kind in COLUMNS}

    def add(self, row: Row) -> None:
        pending = self._pending[row.kind]
        pending.append(row)
        if len(pending) >= self.batch_size:
            self.flush(row.kind)

    def flush(self, kind: str | None = None) -> None:
        """Write what is pending (of one kind, or of all)."""
        for name in [kind] if kind else list(COLUMNS):
            rows, self._pending[name] = self._pending[name], []
            if rows:
                self._write(name, self._new(name, rows))  # type: ignore[arg-type]

    def inserted(self) -> dict[str, int]:
        """Rows added so far, by kind (duplicates skipped are not counted)."""
        self.flush()
        if self.sqlite:
            return dict(self._added)
        after = self.logged_counts()
        return {kind: after[kind] - self._before[kind] for kind in COLUMNS}

    def logged_counts(self) -> dict[str, int]:
        return {kind: self.connection.execute(
            select(func.count()).select_from(table).where(table.c.origin == "log")).scalar_one()
            for kind, table in TABLES.items()}

    def _new(self, kind: Kind, rows: list[Row]) -> list[tuple[Any, ...]]:
        """The rows' values, without untimed rows whose key is already logged."""
        untimed = {row.values[-1] for row in rows if not row.timed}
        known = self._known_keys(kind, untimed) if untimed else set()
        return [row.values for row in rows if row.timed or row.values[-1] not in known]

    def _known_keys(self, kind: Kind, candidates: set[str]) -> set[str]:
        table = TABLES[kind].name
        query = text(f"SELECT row_key FROM {table} WHERE origin = 'log' AND row_key IN :keys")  # noqa: S608
        query = query.bindparams(bindparam("keys", expanding=True))
        found: set[str] = set()
        ordered = sorted(candidates)
        for start in range(0, len(ordered), 5_000):
            found.update(self.connection.execute(query, {"keys": ordered[start:start + 5_000]}).scalars())
        return found

    def _write(self, kind: Kind, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if self.sqlite:
            processors = self._processors[kind]
            if processors:
                rows = _processed(rows, processors)
            result = self.connection.exec_driver_sql(self._statements[kind], rows)  # type: ignore[arg-type]
            self._added[kind] += result.rowcount
            return
        columns = COLUMNS[kind]
        self.connection.execute(self._statements[kind], [dict(zip(columns, row, strict=True)) for row in rows])  # type: ignore[arg-type]

    def _statement(self, kind: Kind) -> Any:
        table, columns = TABLES[kind], COLUMNS[kind]
        if self.sqlite:
            marks = ", ".join("?" for _ in columns)
            return (f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks}) "
                    f"ON CONFLICT (row_key, recorded_at) WHERE origin = 'log' DO NOTHING")
        if self.connection.dialect.name == "postgresql":
            return pg_insert(table).on_conflict_do_nothing(index_elements=list(_KEY_INDEX), index_where=text("origin = 'log'"))
        return insert(table)

    def _bind_processors(self, kind: Kind) -> list[tuple[int, Any]]:
        """Where dates and times need turning into the text SQLAlchemy stores on SQLite.

        The same text SQLAlchemy's own SQLite types write (`2026-11-24 10:30:00.000000`, `2026-11-24`),
        made by the C `isoformat` instead of SQLAlchemy's per-value Python processors.
        """
        table = TABLES[kind]
        found: list[tuple[int, Callable[[Any], str]]] = []
        for index, name in enumerate(COLUMNS[kind]):
            python_type = getattr(table.c[name].type, "python_type", None) if name != "row_key" else None
            if python_type is datetime:
                found.append((index, _sqlite_datetime))
            elif python_type is date:
                found.append((index, date.isoformat))
        return found


_sqlite_datetime = methodcaller("isoformat", " ", "microseconds")


def _processed(rows: list[tuple[Any, ...]], processors: list[tuple[int, Any]]) -> list[tuple[Any, ...]]:
    """The rows with their date and time columns turned into text, a column at a time (in C, no call per row)."""
    columns: list[Any] = list(zip(*rows, strict=True))
    for index, processor in processors:
        if processor is date.isoformat:  # an import repeats a few periods' ends: each formatted once
            texts = {day: day.isoformat() for day in set(columns[index])}
            columns[index] = map(texts.__getitem__, columns[index])
        else:
            columns[index] = map(processor, columns[index])
    return list(zip(*columns, strict=True))


# --- out ---------------------------------------------------------------------------------------

EXPORT_ORDER = {
    "observation": ("recorded_at", "id"),
    "forecast": ("made_on", "recorded_at", "id"),
    "ruling": ("made_on", "recorded_at", "id"),
}


def logged_rows(connection: Connection, kind: Kind) -> Iterator[Any]:
    """Every row analysts logged of one kind (not those written in definition files), in a stable order.

    The order keeps ties as the store breaks them (by id), so rows imported from an export
    supersede each other exactly as the originals did.
    """
    table = TABLES[kind]
    names = [c for c in COLUMNS[kind] if c not in ("origin", "row_key", "period_end")]
    query = (select(*(table.c[n] for n in names)).where(table.c.origin == "log")
             .order_by(*(table.c[n] for n in EXPORT_ORDER[kind])))
    result = connection.execution_options(stream_results=True, yield_per=BATCH).execute(query)
    yield from result
