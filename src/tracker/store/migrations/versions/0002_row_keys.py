"""Row keys on the logs, so importing the same file twice adds nothing the second time.

Each observation, forecast and ruling gets `row_key`, a digest of what the row says; a unique
index over logged rows on (row_key, recorded_at) lets a bulk import skip rows already there
with `ON CONFLICT DO NOTHING`, on SQLite and PostgreSQL alike. Rows that exist already get
their keys computed here, with this script's own copy of the key functions (as they were when
it was written: tracker.core.keys may change, this migration must not).

A database of the first schema can hold logged rows that the index forbids: the same file
imported twice gave identical rows. Rows identical in every column are merged into the earliest
(lowest id), and the upgrade reports which (tracker.store.engine.Upgrade.merged). Rows that say
the same at the same time but differ in who logged them cannot be merged without choosing one:
the upgrade stops, changes nothing, and says which rows to look at.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from collections.abc import Callable, Sequence
from datetime import date
from hashlib import blake2b
from typing import Any

import sqlalchemy as sa
from alembic import context, op

from tracker.errors import DatabaseError

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BATCH = 10_000
SEPARATOR = "\x1f"

_TABLES = {
    "observation": (
        ("target", sa.String), ("as_of", sa.String), ("value_num", sa.Float), ("value_text", sa.String),
        ("source", sa.String), ("grade", sa.String), ("note", sa.Text),
    ),
    "forecast": (
        ("proposition", sa.String), ("probability", sa.Float), ("forecaster", sa.String), ("made_on", sa.Date),
        ("source", sa.String), ("note", sa.Text),
    ),
    "ruling": (
        ("proposition", sa.String), ("status", sa.String), ("why", sa.Text), ("made_on", sa.Date), ("source", sa.String),
    ),
}
_OTHER_COLUMNS = {  # what the first schema holds beside the keyed columns (id aside)
    "observation": (("period_end", sa.Date), ("recorded_at", sa.DateTime), ("recorded_by", sa.String), ("origin", sa.String)),
    "forecast": (("recorded_at", sa.DateTime), ("recorded_by", sa.String), ("origin", sa.String)),
    "ruling": (("recorded_at", sa.DateTime), ("recorded_by", sa.String), ("origin", sa.String)),
}


# The row keys as of this revision (frozen) ------------------------------------------------------


def _digest(parts: Sequence[object]) -> str:
    text = SEPARATOR.join("" if part is None else str(part) for part in parts)
    return blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def observation_key(target: str, as_of: str, value_num: float | None, value_text: str | None,
                    source: str | None, grade: str | None, note: str | None) -> str:
    value = f"t:{value_text}" if value_num is None else f"n:{float(value_num)!r}"
    return _digest((target, as_of, value, source or "", grade or "", note or ""))


def forecast_key(proposition: str, probability: float, forecaster: str, made_on: date,
                 source: str | None, note: str | None) -> str:
    return _digest((proposition, repr(float(probability)), forecaster, made_on.isoformat(), source, note))


def ruling_key(proposition: str, status: str, why: str, made_on: date, source: str | None) -> str:
    return _digest((proposition, status, why, made_on.isoformat(), source))


_KEY: dict[str, Callable[..., str]] = {"observation": observation_key, "forecast": forecast_key, "ruling": ruling_key}


# The migration ----------------------------------------------------------------------------------


def upgrade() -> None:
    merged: dict[str, dict[int, list[int]]] = {}
    for name in _TABLES:
        op.add_column(name, sa.Column("row_key", sa.String(32), nullable=True))
        _backfill(name)
        merged[name] = _merge_identical(name)
        op.create_index(f"ux_{name}_row_key", name, ["row_key", "recorded_at"], unique=True,
                        sqlite_where=sa.text("origin = 'log'"), postgresql_where=sa.text("origin = 'log'"))
    context.config.attributes.setdefault("merged", {}).update({name: rows for name, rows in merged.items() if rows})


def _table(name: str) -> sa.TableClause:
    columns = _TABLES[name] + _OTHER_COLUMNS[name]
    return sa.table(name, sa.column("id", sa.Integer), sa.column("row_key", sa.String), *(sa.column(c, t) for c, t in columns))


def _backfill(name: str) -> None:
    table = _table(name)
    connection = op.get_bind()
    rows = connection.execute(sa.select(table.c.id, *(table.c[c] for c, _ in _TABLES[name]))).all()
    update = sa.update(table).where(table.c.id == sa.bindparam("row_id")).values(row_key=sa.bindparam("key"))
    for start in range(0, len(rows), BATCH):
        batch = [{"row_id": row[0], "key": _KEY[name](*row[1:])} for row in rows[start:start + BATCH]]
        connection.execute(update, batch)


def _merge_identical(name: str) -> dict[int, list[int]]:
    """Delete logged rows identical in every column to an earlier one; returns kept id -> removed ids.
    Rows that would still collide on the new unique index stop the upgrade with advice."""
    table = _table(name)
    columns = [table.c[c] for c, _ in _TABLES[name] + _OTHER_COLUMNS[name]] + [table.c.row_key]
    rows = op.get_bind().execute(sa.select(table.c.id, *columns).where(table.c.origin == "log").order_by(table.c.id)).all()
    first: dict[tuple[Any, ...], int] = {}
    removed: dict[int, list[int]] = {}
    for row in rows:
        kept = first.setdefault(tuple(row[1:]), row[0])
        if kept != row[0]:
            removed.setdefault(kept, []).append(row[0])
    _check_no_collision(name, [row for row in rows if first[tuple(row[1:])] == row[0]], [c.name for c in columns])
    doomed = [row_id for ids in removed.values() for row_id in ids]
    for start in range(0, len(doomed), BATCH):
        op.get_bind().execute(sa.delete(table).where(table.c.id.in_(doomed[start:start + BATCH])))
    return removed


def _check_no_collision(name: str, rows: list[Any], columns: list[str]) -> None:
    """Stop, with the rows to look at, if two distinct rows share (row_key, recorded_at)."""
    seen: dict[tuple[Any, Any], Any] = {}
    recorded_at = columns.index("recorded_at") + 1
    for row in rows:
        other = seen.setdefault((row[-1], row[recorded_at]), row)
        if other is not row:
            differ = [column for index, column in enumerate(columns, start=1) if other[index] != row[index]]
            raise DatabaseError(
                f"cannot upgrade: {name} rows {other[0]} and {row[0]} record the same at the same time "
                f"({row[recorded_at]}) but differ in {', '.join(differ)}; delete the one logged by mistake "
                f"(DELETE FROM {name} WHERE id = {row[0]}), then run `tracker db upgrade` again; nothing was changed")


def downgrade() -> None:
    for name in _TABLES:
        op.drop_index(f"ux_{name}_row_key", name)
        with op.batch_alter_table(name) as batch:
            batch.drop_column("row_key")
