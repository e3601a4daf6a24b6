"""Opening the database: the URL, each backend's settings, and the schema check.

SQLite is the default (a `tracker.db` file in the workspace), in WAL mode with a busy timeout
so several analysts' commands can run at once; a write transaction takes the write lock at its
start (BEGIN IMMEDIATE) and retries if SQLite still answers "busy". Any SQLAlchemy URL works;
PostgreSQL is the one a team shares.

The schema is owned by Alembic migrations (`migrations/versions/`). This code expects the
newest of them (`HEAD`, read from the scripts themselves, cheaply, without importing Alembic).
A database at an older revision is refused until someone runs `tracker db upgrade`, and one at
a newer revision until tracker is upgraded: a shared server is never migrated behind anyone's
back. An empty SQLite file is initialised automatically (it is the workspace's own database);
an empty server database is not, because a URL that points at the wrong database (the
server's `postgres` database, a colleague's) should fail, not fill it with tables: the team
creates the schema once with `tracker db upgrade`.
"""

from __future__ import annotations

import math
import os
import random
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError

from tracker.errors import DatabaseError

MIGRATIONS = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 30_000  # default; TRACKER_BUSY_TIMEOUT (seconds) overrides it
BUSY_TIMEOUT_ENV = "TRACKER_BUSY_TIMEOUT"
BUSY_RETRIES = 5  # extra attempts at BEGIN IMMEDIATE after the busy timeout ran out
CONNECT_TIMEOUT_S = 10  # a server that does not answer fails within this, instead of hanging
MIGRATION_LOCK = 7_461_000  # PostgreSQL advisory lock key held while migrating
LOG_TABLES = ("observation", "forecast", "ruling")
SECRET_QUERY_KEYS = ("password", "sslpassword")
UNPARSEABLE = "<unparseable database URL>"


def _revision_chain(folder: Path) -> tuple[str, ...]:
    """The revisions of the migration scripts in `folder`, oldest first (one linear history)."""
    parents: dict[str, str | None] = {}
    for script in folder.glob("*.py"):
        source = script.read_text(encoding="utf-8")
        found = re.search(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", source, re.M)
        down = re.search(r"^down_revision\s*=\s*(?:['\"]([^'\"]+)['\"]|None)", source, re.M)
        if found:
            parents[found.group(1)] = down.group(1) if down else None
    chain: list[str] = []
    children = {parent: child for child, parent in parents.items()}
    current = children.get(None)
    while current is not None:
        chain.append(current)
        current = children.get(current)
    return tuple(chain)


KNOWN_REVISIONS = _revision_chain(MIGRATIONS / "versions")
HEAD = KNOWN_REVISIONS[-1]  # the schema revision this code expects; a test checks it is Alembic's head


def database_url(option: str | None, root: Path) -> str:
    """The URL given on the command line or in the environment, else the workspace's SQLite file."""
    return option or f"sqlite:///{root / 'tracker.db'}"


def redact(url: str | URL) -> str:
    """The URL with any password (in the address or its query string) replaced, for messages."""
    try:
        parsed = make_url(url)
        secret = {key: "***" for key in parsed.query if key.lower() in SECRET_QUERY_KEYS}
        return parsed.update_query_dict(secret).render_as_string(hide_password=True).replace("%2A%2A%2A", "***")
    except (ArgumentError, ValueError, TypeError):
        return UNPARSEABLE


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


# Connecting -----------------------------------------------------------------------------------


def connect(url: str) -> Engine:
    """An engine for the URL: SQLite tuned for concurrent writers, a server with a connect timeout."""
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(parsed)
        return create_engine(parsed, pool_pre_ping=True, connect_args=_server_options(parsed))
    except NoSuchModuleError:  # before ArgumentError, its base class
        raise DatabaseError(f"--db: no driver for {redact(url)!r}; for PostgreSQL use postgresql+psycopg:// "
                            "and install tracker[postgres]") from None
    except (ArgumentError, ValueError, TypeError):
        shown = redact(url)  # an URL that does not parse is not shown: it may hold a password
        what = "malformed database URL (not shown: check its scheme, host and port)" if shown == UNPARSEABLE else f"malformed database URL {shown!r}"
        raise DatabaseError(f"--db: {what}; expected e.g. sqlite:///tracker.db or postgresql+psycopg://user@host/dbname") from None
    except ImportError as exc:
        raise DatabaseError(f"--db: the driver for {redact(url)!r} is not installed ({exc.name}); "
                            "install tracker[postgres]") from None


def _server_options(url: URL) -> dict[str, object]:
    if url.get_backend_name() != "postgresql":
        return {}
    options: dict[str, object] = {}
    if "connect_timeout" not in url.query:
        options["connect_timeout"] = CONNECT_TIMEOUT_S
    if "application_name" not in url.query:
        options["application_name"] = "tracker"  # what a DBA sees in pg_stat_activity
    return options


def busy_timeout_ms() -> int:
    """How long a command waits for another writer's lock: TRACKER_BUSY_TIMEOUT seconds, else 30 s."""
    text = os.environ.get(BUSY_TIMEOUT_ENV, "").strip()
    if not text:
        return BUSY_TIMEOUT_MS
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not (math.isfinite(seconds) and seconds >= 0):
        raise DatabaseError(f"{BUSY_TIMEOUT_ENV}: {text!r} is not a number of seconds")
    return int(seconds * 1000)


def _sqlite_engine(url: URL) -> Engine:
    _check_sqlite_folder(url.database)
    engine = create_engine(url, connect_args={"timeout": busy_timeout_ms() / 1000})
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _check_sqlite_folder(database: str | None) -> None:
    if database and database.startswith("file:"):  # a URI filename (?mode=ro&uri=true): SQLite reads it
        database = database.removeprefix("file:").split("?", 1)[0]
    if database and database != ":memory:" and not Path(database).parent.is_dir():
        raise DatabaseError(f"--db: folder {Path(database).parent} does not exist")


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # Let SQLAlchemy issue BEGIN itself (see _sqlite_begin), so a write transaction takes
    # its lock at the start instead of failing half-way with "database is locked".
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
    _retry_busy(lambda: cursor.execute("PRAGMA journal_mode = WAL"))
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _sqlite_begin(connection) -> None:  # type: ignore[no-untyped-def]
    immediate = connection.get_execution_options().get("immediate", False)
    statement = "BEGIN IMMEDIATE" if immediate else "BEGIN"
    _retry_busy(lambda: connection.exec_driver_sql(statement))


def _retry_busy(step) -> None:  # type: ignore[no-untyped-def]
    """Run a SQLite step, trying again a few times while the database answers busy/locked.

    The busy timeout covers waiting for a lock; SQLite still returns SQLITE_BUSY at once in a
    few cases (a WAL recovery or checkpoint in another process, switching to WAL mode), which
    a short randomised pause resolves. A step that waited out the whole busy timeout is not
    retried: another writer really has held the lock that long, and the user is told so.
    """
    for attempt in range(BUSY_RETRIES + 1):
        started = time.monotonic()
        try:
            step()
            return
        except (sqlite3.OperationalError, OperationalError) as exc:
            waited_out = time.monotonic() - started >= busy_timeout_ms() / 1000 / 2
            if attempt == BUSY_RETRIES or waited_out or not _busy(exc):
                raise
            time.sleep(random.uniform(0.05, 0.2) * (attempt + 1))


def _busy(exc: Exception) -> bool:
    message = str(exc).lower()
    return "locked" in message or "busy" in message


# The schema ------------------------------------------------------------------------------------


def schema_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at; None for an empty database."""
    with _opened(engine) as connection:
        return _revision(connection, engine)


def _revision(connection: Connection, engine: Engine) -> str | None:
    names = set(inspect(connection).get_table_names())
    if "alembic_version" not in names:
        if names:
            raise DatabaseError(f"{redact(engine.url)} holds tables but is not a tracker database; point --db at another database")
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


@contextmanager
def _opened(engine: Engine, *, write: bool = False) -> Iterator[Connection]:
    """A connection (in a write transaction if asked) whose driver errors become one-line
    DatabaseErrors naming the redacted URL."""
    try:
        with engine.connect() as connection:
            if not write:
                yield connection
                return
            connection.execution_options(immediate=True)
            with connection.begin():
                yield connection
    except DBAPIError as exc:
        raise unreachable(exc, engine) from None


def unreachable(exc: DBAPIError, engine: Engine) -> DatabaseError:
    """The driver's error as one line, without the password, with a hint where one helps."""
    reason = reason_of(exc)
    where = redact(engine.url)
    if "does not exist" in reason and "database" in reason:
        name = engine.url.database
        return DatabaseError(f"cannot open database {where}: database {name!r} does not exist; create it "
                             f"(createdb {name}), then run `tracker db upgrade`")
    if isinstance(exc, OperationalError):
        return DatabaseError(f"cannot open database {where}: {reason}")
    return DatabaseError(f"database error on {where}: {reason}")


def reason_of(exc: DBAPIError) -> str:
    """The first meaningful line of a driver error."""
    lines = [line.strip() for line in str(exc.orig if exc.orig else exc).strip().splitlines() if line.strip()]
    for line in lines:
        if "FATAL:" in line:
            return line[line.index("FATAL:"):].replace("FATAL:", "", 1).strip()
    return lines[0] if lines else type(exc).__name__


def ensure_schema(engine: Engine) -> None:
    """Refuse a database whose schema is not this tracker's; initialise an empty SQLite file."""
    revision = schema_revision(engine)
    if revision == HEAD:
        return
    if revision is None and is_sqlite(engine):
        upgrade(engine)
        return
    raise schema_mismatch(engine, revision)


def schema_mismatch(engine: Engine, revision: str | None) -> DatabaseError:
    where = redact(engine.url)
    if revision is None:
        return DatabaseError(f"database {where} is empty: run `tracker db upgrade` once to create tracker's tables in it")
    if revision in KNOWN_REVISIONS:
        return DatabaseError(f"database {where} has schema {revision}, older than this tracker's ({HEAD}): run `tracker db upgrade`")
    return DatabaseError(f"database {where} has schema {revision}, newer than this tracker knows ({HEAD}): upgrade tracker")


def state(revision: str | None) -> str:
    """Where a schema revision stands relative to this tracker: current, empty, older or newer."""
    if revision == HEAD:
        return "current"
    if revision is None:
        return "empty"
    return "older" if revision in KNOWN_REVISIONS else "newer"


# Migrating -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upgrade:
    """What `upgrade` did: the revision before and after, and the logged rows it kept."""

    before: str | None
    after: str | None
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return self.before != self.after


def upgrade(engine: Engine, revision: str = "head") -> Upgrade:
    """Run the migrations up to `revision` in one transaction, under a lock, losing no logged row.

    On PostgreSQL an advisory lock makes a second `upgrade` wait and then find nothing to do;
    on SQLite the write lock does the same. The rows of the log tables are counted before and
    after: if a migration lost any, the transaction is rolled back and nothing changes.
    """
    with _opened(engine, write=True) as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        before = _revision(connection, engine)
        if before is not None and before not in KNOWN_REVISIONS:
            raise schema_mismatch(engine, before)
        if before is not None and revision in KNOWN_REVISIONS and KNOWN_REVISIONS.index(revision) < KNOWN_REVISIONS.index(before):
            raise DatabaseError(f"--to: the database is at {before}, past {revision}; tracker does not downgrade")
        counts = _row_counts(connection) if before else {}
        _run_alembic(connection, revision)
        after = _revision(connection, engine)
        _check_kept(counts, _row_counts(connection))
    return Upgrade(before, after, counts)


def _run_alembic(connection: Connection, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def _row_counts(connection: Connection) -> dict[str, int]:
    present = set(inspect(connection).get_table_names())
    return {table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()  # noqa: S608
            for table in LOG_TABLES if table in present}


def _check_kept(before: dict[str, int], after: dict[str, int]) -> None:
    lost = {table: (count, after.get(table, 0)) for table, count in before.items() if after.get(table, 0) < count}
    if lost:
        detail = ", ".join(f"{table} {was} -> {now}" for table, (was, now) in lost.items())
        raise DatabaseError(f"the migration would lose logged rows ({detail}); nothing was changed")
