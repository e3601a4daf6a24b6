"""The store: definitions and logs to rows and back, set-based.

Reads return core records; writes take core records and go in one transaction each. Logged
rows are only ever inserted: a correction is a new observation that supersedes the old one.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, Table, delete, func, insert, literal, select, text, union_all
from sqlalchemy.exc import DBAPIError, IntegrityError, InternalError, OperationalError

from tracker.core import keys
from tracker.core.fields import bound_columns, split_written
from tracker.core.ids import LoggedKind, definition_place, record_uid
from tracker.core.models import Actor, Metric, Proposition, ScenarioSet, Source
from tracker.core.periods import Period, parse_period
from tracker.core.records import Forecast, Observation, Retraction, Ruling
from tracker.core.values import Bound
from tracker.core.workspace import Workspace
from tracker.errors import DatabaseError
from tracker.load.loader import FileStamp
from tracker.store.engine import busy_timeout_of, redact, require_durable
from tracker.store.tables import (
    ACTOR,
    DEFINITION_FILE,
    FORECAST,
    METRIC,
    OBSERVATION,
    PROPOSITION,
    RETRACTION,
    RULING,
    SCENARIO_SET,
    SOURCE,
)

DEFINITION_TABLES = (SOURCE, ACTOR, METRIC, PROPOSITION, SCENARIO_SET)
RECORD_TABLES: dict[LoggedKind, Table] = {"observation": OBSERVATION, "forecast": FORECAST, "ruling": RULING,
                                          "retraction": RETRACTION}


@lru_cache(maxsize=65536)
def _period(label: str) -> Period:
    return parse_period(label)


class Store:
    """A tracker database behind an engine."""

    def __init__(self, engine: Engine):
        self.engine = engine

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction; on SQLite it takes the write lock at its start."""
        try:
            with self.engine.connect() as connection:
                connection.execution_options(immediate=True)
                with connection.begin():
                    yield connection
        except (OperationalError, InternalError) as exc:  # PostgreSQL's read-only transaction is an InternalError
            raise self._explain(exc) from None

    @contextmanager
    def read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as connection:
                yield connection
        except OperationalError as exc:
            raise self._explain(exc) from None

    def require_durable(self) -> None:
        """Refuse, before anything is checked or written, a database that keeps nothing (SQLite in
        memory): a command that logs would say "logged" and lose it when it ends."""
        require_durable(self.engine)

    def _explain(self, exc: DBAPIError) -> DatabaseError:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "unknown error"
        where = redact(self.engine.url)
        if "locked" in reason:
            waited = busy_timeout_of(self.engine)
            return DatabaseError(f"database {where} is locked: another command kept writing for more than {waited:g} s; "
                                 "try again when it has finished, or wait longer (TRACKER_BUSY_TIMEOUT=SECONDS)")
        if "readonly" in reason or "read-only" in reason:
            return DatabaseError(f"database {where} is read-only: nothing was written; check the permissions of the file "
                                 "and of its folder, or use a database you can write")
        return DatabaseError(f"database {where}: {reason}")

    # Definitions -------------------------------------------------------------------------

    def stamps(self) -> dict[str, FileStamp]:
        with self.read() as connection:
            rows = connection.execute(select(DEFINITION_FILE)).all()
        return {row.path: FileStamp(row.path, row.size, row.mtime_ns, row.sha256) for row in rows}

    def save_stamps(self, connection: Connection, stamps: Iterable[FileStamp]) -> None:
        connection.execute(delete(DEFINITION_FILE))
        rows = [{"path": s.path, "size": s.size, "mtime_ns": s.mtime_ns, "sha256": s.sha256} for s in stamps]
        if rows:
            connection.execute(insert(DEFINITION_FILE), rows)

    def replace_definitions(self, connection: Connection, workspace: Workspace) -> None:
        """Swap the stored copy of the definitions for `workspace`'s, logs written in files included."""
        for table in DEFINITION_TABLES:
            connection.execute(delete(table))
        for table in (OBSERVATION, FORECAST, RULING):
            connection.execute(delete(table).where(table.c.origin == "definition"))
        self._insert(connection, SOURCE, [{"id": s.id, "published": s.published, "data": s.model_dump_json()} for s in workspace.sources.values()])
        self._insert(connection, ACTOR, [{"id": a.id, "role": a.role, "country": a.country, "data": a.model_dump_json()} for a in workspace.actors.values()])
        self._insert(connection, METRIC, [{"id": m.id, "period": m.period, "unit": m.unit, "aggregate": m.aggregate,
                                            "data": m.model_dump_json()} for m in workspace.metrics.values()])
        self._insert(connection, PROPOSITION, [_proposition_row(p) for p in workspace.propositions.values()])
        self._insert(connection, SCENARIO_SET, [{"id": s.id, "data": s.model_dump_json()} for s in workspace.scenario_sets.values()])
        self.add_observations(workspace.observations, connection)
        self.add_forecasts(workspace.forecasts, connection)
        self.add_rulings(workspace.rulings, connection)

    @staticmethod
    def _insert(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
        if rows:
            connection.execute(insert(table), rows)

    def workspace(self) -> Workspace:
        """The stored definitions (logs are read separately, all origins together)."""
        with self.read() as connection:
            return Workspace(
                sources={r.id: Source.model_validate_json(r.data) for r in connection.execute(select(SOURCE.c.id, SOURCE.c.data))},
                actors={r.id: Actor.model_validate_json(r.data) for r in connection.execute(select(ACTOR.c.id, ACTOR.c.data))},
                metrics={r.id: Metric.model_validate_json(r.data) for r in connection.execute(select(METRIC.c.id, METRIC.c.data))},
                propositions={r.id: Proposition.model_validate_json(r.data) for r in connection.execute(select(PROPOSITION.c.id, PROPOSITION.c.data).order_by(PROPOSITION.c.id))},
                scenario_sets={r.id: ScenarioSet.model_validate_json(r.data) for r in connection.execute(select(SCENARIO_SET.c.id, SCENARIO_SET.c.data))},
            )

    def metric(self, metric_id: str) -> Metric | None:
        """One stored metric (one row read and validated; `observe` needs no more)."""
        with self.read() as connection:
            data = connection.execute(select(METRIC.c.data).where(METRIC.c.id == metric_id)).scalar()
        return None if data is None else Metric.model_validate_json(data)

    def proposition(self, proposition_id: str) -> Proposition | None:
        """One stored proposition (one row read and validated)."""
        with self.read() as connection:
            data = connection.execute(select(PROPOSITION.c.data).where(PROPOSITION.c.id == proposition_id)).scalar()
        return None if data is None else Proposition.model_validate_json(data)

    # Logs ------------------------------------------------------------------------------

    def add_observations(self, observations: list[Observation], connection: Connection | None = None) -> list[Observation]:
        """Log observations; returns them as stored, each logged one with its id."""
        rows = [_observation_row(o) for o in observations]
        self._add(OBSERVATION, rows, connection)
        return _with_uids(observations, rows)

    def add_forecasts(self, forecasts: list[Forecast], connection: Connection | None = None) -> list[Forecast]:
        """Log forecasts; returns them as stored, each logged one with its id."""
        rows = [_fields(f, FORECAST) for f in forecasts]
        self._add(FORECAST, rows, connection)
        return _with_uids(forecasts, rows)

    def add_rulings(self, rulings: list[Ruling], connection: Connection | None = None) -> list[Ruling]:
        """Log rulings; returns them as stored, each logged one with its id."""
        rows = [_fields(r, RULING) for r in rulings]
        self._add(RULING, rows, connection)
        return _with_uids(rulings, rows)

    def _add(self, table: Table, rows: list[dict[str, Any]], connection: Connection | None) -> None:
        if not rows:
            return
        if connection is not None:
            connection.execute(insert(table), rows)
            return
        with self.write() as own:
            own.execute(insert(table), rows)

    # Withdrawals ---------------------------------------------------------------------------

    def find(self, uid: str, connection: Connection | None = None) -> Found | None:
        """What the id names: a logged record (or one written in a definition file), and its retraction if withdrawn."""
        if connection is None:
            with self.read() as own:
                return self.find(uid, own)
        row = connection.execute(_named(uid, "log")).first()
        if row is None and definition_place(uid) is not None:
            row = connection.execute(_named(uid, "definition")).first()
        if row is None:
            return None
        withdrawn = connection.execute(select(*_RETRACTION_READ).where(RETRACTION.c.target_uid == uid)).first()
        return Found(row.kind, row.origin, None if withdrawn is None else Retraction(*withdrawn))

    def withdraw(self, retraction: Retraction, check: Callable[[Found | None], None]) -> None:
        """Log a retraction, in one transaction with `check` of what its target is (which raises to refuse).

        Two withdrawals of one record at once: the unique index lets one in; the other is checked
        again, and `check` then finds the record withdrawn.
        """
        try:
            with self.write() as connection:
                check(self.find(retraction.target_uid, connection))
                connection.execute(insert(RETRACTION), [_retraction_row(retraction)])
        except IntegrityError:
            check(self.find(retraction.target_uid))
            raise

    def retractions(self) -> list[Retraction]:
        """Every retraction, oldest first."""
        query = select(*_RETRACTION_READ).order_by(RETRACTION.c.recorded_at, RETRACTION.c.id)
        with self.read() as connection:
            return [Retraction(*row) for row in connection.execute(query)]

    def observations(self, targets: Iterable[str] | None = None) -> list[Observation]:
        """Observations of every origin, oldest record first; only those of `targets` if given."""
        query = select(*(OBSERVATION.c[name] for name in _OBSERVATION_READ)).order_by(OBSERVATION.c.recorded_at, OBSERVATION.c.id)
        if targets is not None:
            query = query.where(OBSERVATION.c.target.in_(list(targets)))
        with self.read() as connection:
            return [_observation(*row) for row in connection.execute(query)]

    def observations_from(self, bounds: Mapping[str, date | None]) -> dict[str, list[Observation]]:
        """Observations of each target whose period ends on or after its bound (all for None), by
        target, in no particular order (resolution does not need one; sorting cost more than the
        read). The index on (target, period_end) serves each range."""
        by_bound: dict[date | None, list[str]] = defaultdict(list)
        for target, bound in bounds.items():
            by_bound[bound].append(target)
        found: dict[str, list[Observation]] = defaultdict(list)
        columns = [OBSERVATION.c[name] for name in _OBSERVATION_READ]
        with self.read() as connection:
            for bound, targets in by_bound.items():
                for start in range(0, len(targets), _IN_CHUNK):
                    query = select(*columns).where(OBSERVATION.c.target.in_(targets[start:start + _IN_CHUNK]))
                    if bound is not None:
                        query = query.where(OBSERVATION.c.period_end >= bound)
                    for row in connection.execute(query):
                        found[row[0]].append(_observation(*row))
        return found

    def last_period_before(self, target: str, before: date, as_of: date) -> list[Observation]:
        """Every record of the last period of `target` ending before `before` that counts as of
        the end of `as_of` (ended, and recorded by then); none if there is no such period."""
        limit = datetime.combine(as_of + timedelta(days=1), datetime.min.time()) if as_of < date.max else datetime.max
        last = (select(func.max(OBSERVATION.c.period_end))
                .where(OBSERVATION.c.target == target, OBSERVATION.c.period_end < before,
                       OBSERVATION.c.period_end <= as_of, OBSERVATION.c.recorded_at < limit)
                .scalar_subquery())
        query = (select(*(OBSERVATION.c[name] for name in _OBSERVATION_READ))
                 .where(OBSERVATION.c.target == target, OBSERVATION.c.period_end == last)
                 .order_by(OBSERVATION.c.recorded_at, OBSERVATION.c.id))
        with self.read() as connection:
            return [_observation(*row) for row in connection.execute(query)]

    def forecasts(self, propositions: Iterable[str] | None = None) -> list[Forecast]:
        query = select(*_record_columns(FORECAST, Forecast)).order_by(FORECAST.c.made_on, FORECAST.c.id)
        if propositions is not None:
            query = query.where(FORECAST.c.proposition.in_(list(propositions)))
        with self.read() as connection:
            return [Forecast(*row) for row in connection.execute(query)]

    def rulings(self, propositions: Iterable[str] | None = None) -> list[Ruling]:
        query = select(*_record_columns(RULING, Ruling)).order_by(RULING.c.made_on, RULING.c.recorded_at, RULING.c.id)
        if propositions is not None:
            query = query.where(RULING.c.proposition.in_(list(propositions)))
        with self.read() as connection:
            return [Ruling(*row) for row in connection.execute(query)]

    def count(self, table_name: str) -> int:
        with self.read() as connection:
            return connection.execute(text(f"SELECT count(*) FROM {table_name}")).scalar_one()  # noqa: S608


@dataclass(frozen=True)
class Found:
    """What an id names: the kind of record, where it comes from, and its retraction if withdrawn."""

    kind: LoggedKind
    origin: str
    withdrawn: Retraction | None = None



def _named(uid: str, origin: str) -> Any:
    """The kind and origin of the records of one origin with this id (the partial indexes serve `origin = 'log'`)."""
    where = text(f"origin = '{origin}'")
    kinds = [select(literal(kind).label("kind"), table.c.origin).where(table.c.uid == uid, where)
             for kind, table in RECORD_TABLES.items() if kind != "retraction"]
    if origin == "log":
        kinds.append(select(literal("retraction").label("kind"), literal("log").label("origin")).where(RETRACTION.c.uid == uid))
    return union_all(*kinds)


def _record_columns(table: Table, record: type) -> list[Any]:
    """The columns a core record holds, in its fields' order (rows build records positionally:
    keyword arguments from each row's mapping cost about 10 µs a forecast). Fields the table has
    no column for yet (appended to the record, with defaults) keep their defaults."""
    return [table.c[field.name] for field in dataclasses.fields(record) if field.name in table.c]


def _proposition_row(proposition: Proposition) -> dict[str, Any]:
    return {
        "id": proposition.id,
        "kind": proposition.kind,
        "metric": proposition.metric,
        "stated_by": proposition.stated_by,
        "stated_on": proposition.stated_on,
        "deadline": proposition.deadline,
        "data": proposition.model_dump_json(),
    }


def _observation_row(obs: Observation) -> dict[str, Any]:
    value_num = None if isinstance(obs.value, str) else float(obs.value)
    value_text = obs.value if isinstance(obs.value, str) else None
    through = None if obs.through is None else obs.through.label
    written, unit = split_written(obs.written)
    bound, low, high = bound_columns(obs.bound)
    key = keys.observation_key(obs.target, obs.as_of.label, value_num, value_text, obs.source, obs.grade, obs.note,
                               through, obs.written)
    return {
        "target": obs.target, "as_of": obs.as_of.label, "period_end": obs.as_of.end,
        "value_num": value_num, "value_text": value_text, "recorded_at": obs.recorded_at,
        "source": obs.source, "grade": obs.grade, "note": obs.note, "recorded_by": obs.recorded_by,
        "origin": obs.origin, "row_key": key, "uid": _uid(obs, "observation", key),
        "through": through, "through_end": None if obs.through is None else obs.through.end,
        "bound": bound, "bound_low": low, "bound_high": high, "written": written, "unit": unit,
    }


def _uid(record: Observation | Forecast | Ruling, kind: LoggedKind, key: str) -> str | None:
    """A record's id: its own, else (a logged record) the one its key and recording time give."""
    if record.uid is not None or record.origin != "log":
        return record.uid
    return record_uid(kind, key, record.recorded_at)


def _with_uids(records: list[Any], rows: list[dict[str, Any]]) -> list[Any]:
    return [r if r.uid == row["uid"] else dataclasses.replace(r, uid=row["uid"]) for r, row in zip(records, rows, strict=True)]


@lru_cache(maxsize=4096)
def _bound(op: str, low: float | None, high: float | None) -> Bound:
    return Bound(low, high, op != ">", op != "<")


_IN_CHUNK = 5_000  # ids per IN list (SQLite allows 32,766 parameters)
_OBSERVATION_READ = ("target", "as_of", "value_num", "value_text", "recorded_at", "source", "grade", "note", "recorded_by",
                     "origin", "id", "uid", "through", "bound", "bound_low", "bound_high", "written", "unit")
_RETRACTION_READ = (RETRACTION.c.uid, RETRACTION.c.target_uid, RETRACTION.c.why, RETRACTION.c.recorded_at,
                    RETRACTION.c.recorded_by)


def _observation(target: str, as_of: str, value_num: float | None, value_text: str | None, recorded_at: datetime,
                 source: str | None, grade: str | None, note: str | None, recorded_by: str | None, origin: Any,
                 row_id: int, uid: str | None, through: str | None, bound: str | None, low: float | None,
                 high: float | None, written: str | None, unit: str | None) -> Observation:
    # Positional and flat: a scorecard builds a million of these (periods and bounds come from caches).
    return Observation(target, _period(as_of), value_text if value_num is None else value_num,  # type: ignore[arg-type]
                       recorded_at if recorded_at.tzinfo is None else recorded_at.replace(tzinfo=None),
                       source, grade, note, recorded_by, origin, row_id, uid,
                       None if through is None else _period(through),
                       None if bound is None else _bound(bound, low, high),
                       written if unit is None or written is None else f"{written} {unit}")


def _retraction_row(retraction: Retraction) -> dict[str, Any]:
    return {"uid": retraction.uid, "target_uid": retraction.target_uid, "why": retraction.why,
            "recorded_at": retraction.recorded_at, "recorded_by": retraction.recorded_by}


def _fields(record: Forecast | Ruling, table: Table) -> dict[str, Any]:
    row = {column: getattr(record, column) for column in table.c.keys() if column not in ("id", "row_key", "uid")}
    key = _record_key(record)
    row["row_key"] = key
    row["uid"] = _uid(record, "forecast" if isinstance(record, Forecast) else "ruling", key)
    return row


def _record_key(record: Forecast | Ruling) -> str:
    if isinstance(record, Forecast):
        return keys.forecast_key(record.proposition, record.probability, record.forecaster, record.made_on, record.source, record.note)
    return keys.ruling_key(record.proposition, record.status, record.why, record.made_on, record.source)
