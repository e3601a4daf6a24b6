"""Record ids, withdrawals, and figures as published.

- Every logged observation, forecast and ruling gets `uid`, its stable public id (unique among
  logged rows). Rows that exist already get the id this code gives a new row: the kind's prefix
  and twelve base32 characters made from their row key and `recorded_at` (this script's own
  frozen copy of tracker.core.ids.record_uid), so the same record has the same id in every
  database, upgraded or not.
- A `retraction` table: a logged record withdrawn from `recorded_at` on (one retraction per record).
- Observations keep what was published: `through` (a partial figure's end, label and date), a bound
  or range (`bound` is its operator, `bound_low`/`bound_high` its ends), and the value and unit as
  written (`written`, `unit`). Rows that exist already are plain full figures: all empty.
- The definitions' copy gains the columns an import checks against: a metric's `unit` and
  `aggregate`, a proposition's `stated_on`, filled from the stored definitions. The record of which
  definition files were synced is cleared, so the next command syncs them again and gives the
  records written in them their ids (where they are written).

No row is removed; the upgrade counts them (tracker.store.engine.upgrade).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

import json
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BATCH = 10_000
PREFIXES = {"observation": "o-", "forecast": "f-", "ruling": "r-"}
LOGGED = sa.text("origin = 'log'")


# Record ids as of this revision (frozen) ------------------------------------------------------


_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"
_PAIRS = [_BASE32[i >> 5] + _BASE32[i & 31] for i in range(1024)]


def record_uid(kind: str, key: str, recorded_at: datetime) -> str:
    moment = ((recorded_at.toordinal() * 86_400 + recorded_at.hour * 3_600 + recorded_at.minute * 60 + recorded_at.second)
              * 1_000_000 + recorded_at.microsecond)
    bits = (int(key[:15], 16) ^ (moment * 0x9E3779B97F4A7C15)) & ((1 << 60) - 1)
    return PREFIXES[kind] + "".join(_PAIRS[(bits >> shift) & 1023] for shift in (50, 40, 30, 20, 10, 0))


# The migration ----------------------------------------------------------------------------------


def upgrade() -> None:
    _observation_columns()
    for name in PREFIXES:
        if name != "observation":
            op.add_column(name, sa.Column("uid", sa.String(), nullable=True))
        _give_ids(name)
        op.create_index(f"ux_{name}_uid", name, ["uid"], unique=True, sqlite_where=LOGGED, postgresql_where=LOGGED)
    _retraction_table()
    _definition_columns()
    op.execute(sa.text("DELETE FROM definition_file"))  # the next command syncs, giving file records their ids


def _observation_columns() -> None:
    for column in (
        sa.Column("uid", sa.String(), nullable=True),
        sa.Column("through", sa.String(), nullable=True),
        sa.Column("through_end", sa.Date(), nullable=True),
        sa.Column("bound", sa.String(), nullable=True),
        sa.Column("bound_low", sa.Float(), nullable=True),
        sa.Column("bound_high", sa.Float(), nullable=True),
        sa.Column("written", sa.String(), nullable=True),
        sa.Column("unit", sa.String(), nullable=True),
    ):
        op.add_column("observation", column)


def _give_ids(name: str) -> None:
    """The id of every logged row, from its row key and recording time."""
    table = sa.table(name, sa.column("id", sa.Integer), sa.column("row_key", sa.String), sa.column("uid", sa.String),
                     sa.column("recorded_at", sa.DateTime), sa.column("origin", sa.String))
    connection = op.get_bind()
    rows = connection.execute(sa.select(table.c.id, table.c.row_key, table.c.recorded_at).where(table.c.origin == "log")).all()
    update = sa.update(table).where(table.c.id == sa.bindparam("row_id")).values(uid=sa.bindparam("new_uid"))
    for start in range(0, len(rows), BATCH):
        batch = [{"row_id": row_id, "new_uid": record_uid(name, key, at)} for row_id, key, at in rows[start:start + BATCH]]
        connection.execute(update, batch)


def _retraction_table() -> None:
    op.create_table(
        "retraction",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("uid", sa.String(), nullable=False),
        sa.Column("target_uid", sa.String(), nullable=False),
        sa.Column("why", sa.String(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=True),
    )
    op.create_index("ux_retraction_uid", "retraction", ["uid"], unique=True)
    op.create_index("ux_retraction_target_uid", "retraction", ["target_uid"], unique=True)


def _definition_columns() -> None:
    op.add_column("metric", sa.Column("unit", sa.String(), nullable=True))
    op.add_column("metric", sa.Column("aggregate", sa.String(), nullable=True))
    op.add_column("proposition", sa.Column("stated_on", sa.Date(), nullable=True))
    connection = op.get_bind()
    metric = sa.table("metric", sa.column("id", sa.String), sa.column("data", sa.Text), sa.column("unit", sa.String),
                      sa.column("aggregate", sa.String))
    metrics = [{"row_id": row_id, "new_unit": fields.get("unit"), "new_aggregate": fields.get("aggregate")}
               for row_id, fields in _definitions(metric)]
    if metrics:
        connection.execute(sa.update(metric).where(metric.c.id == sa.bindparam("row_id"))
                           .values(unit=sa.bindparam("new_unit"), aggregate=sa.bindparam("new_aggregate")), metrics)
    proposition = sa.table("proposition", sa.column("id", sa.String), sa.column("data", sa.Text),
                           sa.column("stated_on", sa.Date))
    propositions = [{"row_id": row_id, "new_stated_on": date.fromisoformat(fields["stated_on"]) if fields.get("stated_on") else None}
                    for row_id, fields in _definitions(proposition)]
    if propositions:
        connection.execute(sa.update(proposition).where(proposition.c.id == sa.bindparam("row_id"))
                           .values(stated_on=sa.bindparam("new_stated_on")), propositions)


def _definitions(table: sa.TableClause) -> list[tuple[str, dict[str, Any]]]:
    """(id, fields) of every stored definition in a table of the definitions' copy."""
    rows = op.get_bind().execute(sa.select(table.c.id, table.c.data)).all()
    return [(row_id, json.loads(data)) for row_id, data in rows]


def downgrade() -> None:
    op.drop_table("retraction")
    for name in PREFIXES:
        op.drop_index(f"ux_{name}_uid", name)
    with op.batch_alter_table("observation") as batch:
        for column in ("uid", "through", "through_end", "bound", "bound_low", "bound_high", "written", "unit"):
            batch.drop_column(column)
    for name in ("forecast", "ruling"):
        with op.batch_alter_table(name) as batch:
            batch.drop_column("uid")
    with op.batch_alter_table("metric") as batch:
        batch.drop_column("unit")
        batch.drop_column("aggregate")
    with op.batch_alter_table("proposition") as batch:
        batch.drop_column("stated_on")
