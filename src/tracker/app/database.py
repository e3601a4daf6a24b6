"""`db current`, `db check`, `db upgrade`: where a database's schema stands, and bringing it up to date.

These never sync definitions and never change a row analysts logged. `db check` also checks the
logged rows against the definitions last synced into the database (what `tracker import` checks
rows against): rows none of them takes any more are problems.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from tracker.app.config import Config
from tracker.core.orphans import problems
from tracker.errors import DatabaseError
from tracker.store.bulk import import_targets
from tracker.store.engine import (
    HEAD,
    Upgrade,
    connect,
    database_url,
    redact,
    require_durable,
    schema_mismatch,
    schema_revision,
    sqlite_file,
    state,
)
from tracker.store.engine import upgrade as run_upgrade
from tracker.store.logged import orphaned


@dataclass(frozen=True)
class SchemaState:
    """Where a database stands: its address (password hidden), its revision and this tracker's."""

    where: str
    revision: str | None
    head: str
    state: str  # current, empty, older, newer, or missing (no SQLite file yet)


def _engine(config: Config) -> Engine:
    return connect(database_url(config.db, config.workspace), busy_timeout=config.busy_timeout)


def current(config: Config) -> SchemaState:
    """The schema revision of the configured database, and how it relates to this tracker's."""
    engine = _engine(config)
    where = redact(engine.url)
    database = sqlite_file(engine)
    if database is not None and not database.exists():
        return SchemaState(where, None, HEAD, "missing")
    revision = schema_revision(engine)
    return SchemaState(where, revision, HEAD, state(revision))


def check(config: Config) -> SchemaState:
    """The database's state; DatabaseError saying what to do unless its schema is this tracker's and
    every logged row fits the definitions last synced into it (see `tracker.core.orphans`)."""
    engine = _engine(config)
    revision = schema_revision(engine)
    if revision != HEAD:
        raise schema_mismatch(engine, revision)
    where = redact(engine.url)
    with engine.connect() as connection:
        targets = import_targets(connection)
        found = orphaned(connection, {m: facts.period for m, facts in targets.metrics.items()},
                         {p: facts.kind for p, facts in targets.propositions.items()})
    if found:
        raise DatabaseError(problems=problems(where, found))
    return SchemaState(where, revision, HEAD, "current")


def upgrade(config: Config, revision: str | None = None) -> tuple[str, Upgrade]:
    """Bring the schema up to this tracker's (or to `revision`), keeping every row."""
    engine = _engine(config)
    require_durable(engine)
    return redact(engine.url), run_upgrade(engine, revision or "head")
