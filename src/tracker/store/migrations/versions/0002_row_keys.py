"""Row keys on the logs, so importing the same file twice adds nothing the second time.

Each observation, forecast and ruling gets `row_key`, a digest of what the row says
(tracker.core.keys); a unique index over logged rows on (row_key, recorded_at) lets a bulk
import skip rows already there with `ON CONFLICT DO NOTHING`, on SQLite and PostgreSQL alike.
Rows that exist already get their keys computed here.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from tracker.core import keys

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BATCH = 10_000

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
_KEY = {"observation": keys.observation_key, "forecast": keys.forecast_key, "ruling": keys.ruling_key}


def upgrade() -> None:
    for name in _TABLES:
        op.add_column(name, sa.Column("row_key", sa.String(32), nullable=True))
        _backfill(name)
        op.create_index(f"ux_{name}_row_key", name, ["row_key", "recorded_at"], unique=True,
                        sqlite_where=sa.text("origin = 'log'"), postgresql_where=sa.text("origin = 'log'"))


def _backfill(name: str) -> None:
    columns = _TABLES[name]
    table = sa.table(name, sa.column("id", sa.Integer), sa.column("row_key", sa.String), *(sa.column(c, t) for c, t in columns))
    connection = op.get_bind()
    rows = connection.execute(sa.select(table.c.id, *(table.c[c] for c, _ in columns))).all()
    update = sa.update(table).where(table.c.id == sa.bindparam("row_id")).values(row_key=sa.bindparam("key"))
    for start in range(0, len(rows), BATCH):
        batch = [{"row_id": row[0], "key": _KEY[name](*row[1:])} for row in rows[start:start + BATCH]]  # type: ignore[operator]
        connection.execute(update, batch)


def downgrade() -> None:
    for name in _TABLES:
        op.drop_index(f"ux_{name}_row_key", name)
        with op.batch_alter_table(name) as batch:
            batch.drop_column("row_key")
