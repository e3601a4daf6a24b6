"""The first schema: definitions copied from files, and the append-only logs.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "definition_file",
        sa.Column("path", sa.String(), primary_key=True),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("mtime_ns", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
    )
    op.create_table(
        "source",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("published", sa.Date(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
    )
    op.create_table(
        "actor",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("country", sa.String(), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
    )
    op.create_table(
        "metric",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("period", sa.String(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
    )
    op.create_table(
        "proposition",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("metric", sa.String(), nullable=True),
        sa.Column("stated_by", sa.String(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
    )
    op.create_index("ix_proposition_metric", "proposition", ["metric"])
    op.create_table(
        "scenario_set",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("data", sa.Text(), nullable=False),
    )
    op.create_table(
        "observation",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("target", sa.String(), nullable=False),
        sa.Column("as_of", sa.String(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("value_num", sa.Float(), nullable=True),
        sa.Column("value_text", sa.String(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(), nullable=True),
        sa.Column("grade", sa.String(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(), nullable=True),
        sa.Column("origin", sa.String(), nullable=False),
    )
    op.create_index("ix_observation_target_period", "observation", ["target", "period_end"])
    op.create_table(
        "forecast",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("proposition", sa.String(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("forecaster", sa.String(), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=True),
        sa.Column("source", sa.String(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("origin", sa.String(), nullable=False),
    )
    op.create_index("ix_forecast_proposition", "forecast", ["proposition"])
    op.create_table(
        "ruling",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("proposition", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=True),
        sa.Column("source", sa.String(), nullable=True),
        sa.Column("origin", sa.String(), nullable=False),
    )
    op.create_index("ix_ruling_proposition", "ruling", ["proposition"])


def downgrade() -> None:
    for table in ("ruling", "forecast", "observation", "scenario_set", "proposition", "metric", "actor", "source", "definition_file"):
        op.drop_table(table)
