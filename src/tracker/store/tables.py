"""Table models: what the database holds.

Definitions are a synchronised copy of the files (one row per entry, its validated JSON plus
the columns queries filter on). Logs (observations, forecasts, rulings, retractions) are
append-only rows; `origin` tells those written in definition files (replaced on every sync) from
those analysts logged (never updated or deleted by a normal command). Every logged row has a
stable public id (`uid`); a retraction names the uid of the record it withdraws.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, DateTime, Index, Table, text
from sqlmodel import Field, SQLModel


class DefinitionFile(SQLModel, table=True):
    __tablename__ = "definition_file"
    path: str = Field(primary_key=True)
    size: int = Field(sa_type=BigInteger)
    mtime_ns: int = Field(sa_type=BigInteger)
    sha256: str


class SourceRow(SQLModel, table=True):
    __tablename__ = "source"
    id: str = Field(primary_key=True)
    published: date
    data: str


class ActorRow(SQLModel, table=True):
    __tablename__ = "actor"
    id: str = Field(primary_key=True)
    role: str
    country: str | None = None
    data: str


class MetricRow(SQLModel, table=True):
    __tablename__ = "metric"
    id: str = Field(primary_key=True)
    period: str
    unit: str | None = None  # migration 0003: what an import converts values into
    aggregate: str | None = None  # migration 0003: `sum` where partial figures (`through`) are allowed
    data: str


class PropositionRow(SQLModel, table=True):
    __tablename__ = "proposition"
    id: str = Field(primary_key=True)
    kind: str
    metric: str | None = Field(default=None, index=True)
    stated_by: str
    deadline: date
    stated_on: date | None = None  # migration 0003: a forecast cannot predate it
    data: str


class ScenarioSetRow(SQLModel, table=True):
    __tablename__ = "scenario_set"
    id: str = Field(primary_key=True)
    data: str


class ObservationRow(SQLModel, table=True):
    __tablename__ = "observation"
    __table_args__ = (
        Index("ix_observation_target_period", "target", "period_end"),
        Index("ux_observation_row_key", "row_key", "recorded_at", unique=True, sqlite_where=text("origin = 'log'"), postgresql_where=text("origin = 'log'")),
        Index("ux_observation_uid", "uid", unique=True, sqlite_where=text("origin = 'log'"), postgresql_where=text("origin = 'log'")),
    )
    id: int | None = Field(default=None, primary_key=True)
    target: str
    as_of: str
    period_end: date
    value_num: float | None = None
    value_text: str | None = None
    recorded_at: datetime = Field(sa_type=DateTime)
    source: str | None = None
    grade: str | None = None
    note: str | None = None
    recorded_by: str | None = None
    origin: str = "log"
    row_key: str | None = Field(default=None, max_length=32)  # tracker.core.keys; migration 0002
    uid: str | None = None  # tracker.core.ids; migration 0003 (unique among logged rows)
    through: str | None = None  # a partial figure: the period (label) it runs through, inside as_of
    through_end: date | None = None
    bound: str | None = None  # a bound or range: >, >=, <, <= or ..; value_num holds its representative number
    bound_low: float | None = None
    bound_high: float | None = None
    written: str | None = None  # the value as written, where it says more than value_num
    unit: str | None = None  # the unit as written, where it is not the metric's


class ForecastRow(SQLModel, table=True):
    __tablename__ = "forecast"
    __table_args__ = (
        Index("ux_forecast_row_key", "row_key", "recorded_at", unique=True, sqlite_where=text("origin = 'log'"), postgresql_where=text("origin = 'log'")),
        Index("ux_forecast_uid", "uid", unique=True, sqlite_where=text("origin = 'log'"), postgresql_where=text("origin = 'log'")),
    )
    id: int | None = Field(default=None, primary_key=True)
    proposition: str = Field(index=True)
    probability: float
    forecaster: str
    made_on: date
    recorded_at: datetime = Field(sa_type=DateTime)
    recorded_by: str | None = None
    source: str | None = None
    note: str | None = None
    origin: str = "log"
    row_key: str | None = Field(default=None, max_length=32)
    uid: str | None = None


class RulingRow(SQLModel, table=True):
    __tablename__ = "ruling"
    __table_args__ = (
        Index("ux_ruling_row_key", "row_key", "recorded_at", unique=True, sqlite_where=text("origin = 'log'"), postgresql_where=text("origin = 'log'")),
        Index("ux_ruling_uid", "uid", unique=True, sqlite_where=text("origin = 'log'"), postgresql_where=text("origin = 'log'")),
    )
    id: int | None = Field(default=None, primary_key=True)
    proposition: str = Field(index=True)
    status: str
    why: str
    made_on: date
    recorded_at: datetime = Field(sa_type=DateTime)
    recorded_by: str | None = None
    source: str | None = None
    origin: str = "log"
    row_key: str | None = Field(default=None, max_length=32)
    uid: str | None = None


class RetractionRow(SQLModel, table=True):
    """A withdrawal: from `recorded_at` on, the logged record `target_uid` no longer counts."""

    __tablename__ = "retraction"
    __table_args__ = (
        Index("ux_retraction_uid", "uid", unique=True),
        Index("ux_retraction_target_uid", "target_uid", unique=True),  # a record is withdrawn once
    )
    id: int | None = Field(default=None, primary_key=True)
    uid: str
    target_uid: str
    why: str
    recorded_at: datetime = Field(sa_type=DateTime)
    recorded_by: str | None = None


metadata = SQLModel.metadata


def _table(model: type[SQLModel]) -> Table:
    """The Core table behind a table model (SQLModel sets it at class creation)."""
    return model.__table__  # type: ignore[attr-defined, no-any-return]


DEFINITION_FILE = _table(DefinitionFile)
SOURCE = _table(SourceRow)
ACTOR = _table(ActorRow)
METRIC = _table(MetricRow)
PROPOSITION = _table(PropositionRow)
SCENARIO_SET = _table(ScenarioSetRow)
OBSERVATION = _table(ObservationRow)
FORECAST = _table(ForecastRow)
RULING = _table(RulingRow)
RETRACTION = _table(RetractionRow)
