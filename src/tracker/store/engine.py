"""Opening the database: the URL, each backend's settings, and the schema check.

SQLite is the default (a `tracker.db` file in the workspace), in WAL mode with a busy timeout
so several analysts' commands can run at once; a write transaction takes the write lock at its
start (BEGIN IMMEDIATE) and retries if SQLite still answers "busy". Every commit is flushed to
disk before it is acknowledged (`synchronous = FULL`): in WAL mode NORMAL can lose the last
commits on a power cut, and an analyst told "logged" does not log it again. Any SQLAlchemy URL
works; PostgreSQL is the one a team shares.

The schema is owned by Alembic migrations (`migrations/versions/`). This code reads and writes
the schema `HEAD`; Alembic is asked about the other revisions only when a database is at
another one (importing Alembic costs about 130 ms, more than half of this module's start-up).
A database at an older revision is refused until someone runs `tracker db upgrade`, and one at
a newer revision until tracker is upgraded: a shared server is never migrated behind anyone's
back. An empty SQLite file is initialised automatically (it is the workspace's own database);
an empty server database is not, because a URL that points at the wrong database (the
server's `postgres` database, a colleague's) should fail, not fill it with tables: the team
creates the schema once with `tracker db upgrade`.

Nothing here reads the environment: the caller passes the URL and the busy timeout.
"""

from __future__ import annotations

import math
import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError
from sqlalchemy.pool import SingletonThreadPool

from tracker.errors import DatabaseError, InputError

MIGRATIONS = Path(__file__).with_name("migrations")
HEAD = "0003"  # the schema revision this code reads and writes; a test checks it is Alembic's head
DEFAULT_BUSY_TIMEOUT = 30.0  # seconds a command waits for another writer's lock
BUSY_OPTION = "tracker_busy_timeout"  # the engine's execution option holding it, for messages
BUSY_RETRIES = 5  # extra attempts at BEGIN IMMEDIATE after the busy timeout ran out
CONNECT_TIMEOUT_S = 10  # a server that does not answer fails within this, instead of hanging
MIGRATION_LOCK = 7_461_000  # PostgreSQL advisory lock key held while migrating
LOG_TABLES = ("observation", "forecast", "ruling", "retraction")
SECRET_QUERY_KEYS = ("password", "sslpassword")
UNPARSEABLE = "<unparseable database URL>"
DRIVER_ARGUMENTS = frozenset({"timeout", "isolation_level", "detect_types", "check_same_thread", "cached_statements", "uri"})
SQLITE_URI_PARAMETERS = ("mode", "immutable", "cache", "nolock", "psow", "vfs", "modeof")
EXAMPLE_URLS = "expected e.g. sqlite:///tracker.db or postgresql+psycopg://user@host/dbname"


# Configuration text ------------------------------------------------------------------------------


def parse_busy_timeout(setting: str | None) -> float:
    """Seconds to wait for another writer, from configuration text (the CLI's TRACKER_BUSY_TIMEOUT):
    the default when unset or blank; an InputError naming `busy_timeout` when not a number >= 0."""
    if setting is None or not setting.strip():
        return DEFAULT_BUSY_TIMEOUT
    try:
        seconds = float(setting)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds >= 0):
        raise InputError(f"{setting.strip()[:40]!r} is not a number of seconds", argument="busy_timeout")
    return seconds


def database_url(option: str | None, root: Path) -> str | URL:
    """The URL given, else the workspace's SQLite file. The file's path is kept as a path (a URL
    object, never text to parse again), so a folder named `100%41`, `what?` or in bytes that are
    not UTF-8 stays the folder, instead of becoming `100A`, a query string or an error."""
    if option:
        return option
    return URL.create("sqlite", database=str(root / "tracker.db"))


# Showing a URL -----------------------------------------------------------------------------------


def redact(url: str | URL) -> str:
    """The URL as messages show it: passwords (in the address or the query string) as `***`, a
    SQLite path as written (not percent-encoded), control characters escaped."""
    try:
        parsed = make_url(url)
        shown = _sqlite_shown(parsed) if parsed.get_backend_name() == "sqlite" else _server_shown(parsed)
    except (ArgumentError, ValueError, TypeError):
        return UNPARSEABLE
    return _printable(shown)


def _server_shown(url: URL) -> str:
    if url.host and "@" in url.host:  # an unencoded '@' in the password: all before the last '@' is secret
        url = url.set(host=url.host.rsplit("@", 1)[1], password="***")
    secret = {key: "***" for key in url.query if key.lower() in SECRET_QUERY_KEYS}
    return url.update_query_dict(secret).render_as_string(hide_password=True).replace("%2A%2A%2A", "***")


def _sqlite_shown(url: URL) -> str:
    path = "" if url.database is None else "/" + url.database
    query = "&".join(f"{key}={_query_text(value)}" for key, value in url.query.items())
    return f"{url.drivername}://{path}" + (f"?{query}" if query else "")


def sqlite_file(engine: Engine) -> Path | None:
    """The file a SQLite engine from `connect` opens; None for a database in memory or on a server."""
    if not is_sqlite(engine) or _in_memory(engine.url):
        return None
    return Path(engine.url.database or "")


def _query_text(value: str | tuple[str, ...]) -> str:
    return value if isinstance(value, str) else ",".join(value)


def _printable(shown: str) -> str:
    """Control characters (a newline in a folder name) escaped, so a message stays one line; a
    byte of a path that is not UTF-8 shown as \\xNN, as file names are."""
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in shown)


def _escape(ch: str) -> str:
    if "\udc80" <= ch <= "\udcff":  # an undecodable byte, as the OS hands it over
        return f"\\x{ord(ch) - 0xDC00:02x}"
    return ch.encode("unicode_escape").decode("ascii")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


# Connecting -----------------------------------------------------------------------------------


def connect(url: str | URL, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> Engine:
    """An engine for the URL: SQLite tuned for concurrent writers, a server with a connect timeout.

    A URL that cannot be used is a DatabaseError naming the argument `db`; `busy_timeout` is how
    many seconds a SQLite command waits for another writer's lock.
    """
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(parsed, busy_timeout)
        _check_address(parsed)
        return create_engine(parsed, pool_pre_ping=True, connect_args=_server_options(parsed))
    except NoSuchModuleError:  # before ArgumentError, its base class
        raise DatabaseError(f"no driver for {redact(url)!r}; for PostgreSQL use postgresql+psycopg:// "
                            "and install tracker[postgres]", argument="db") from None
    except (ArgumentError, ValueError, TypeError):
        raise DatabaseError(f"{_malformed(url)}; {EXAMPLE_URLS}", argument="db") from None
    except ImportError as exc:
        raise DatabaseError(f"the driver for {redact(url)!r} is not installed ({exc.name}); "
                            "install tracker[postgres]", argument="db") from None


def _malformed(url: str | URL) -> str:
    shown = redact(url)  # an URL that does not parse is not shown: it may hold a password
    if shown == UNPARSEABLE:
        return "malformed database URL (not shown: check its scheme, host and port)"
    return f"malformed database URL {shown!r}"


def _check_address(url: URL) -> None:
    """Refuse a user name or password holding an unencoded '@': the address would be misread, and
    the driver would echo the password's tail as part of a host name it cannot find."""
    if url.host and "@" in url.host:
        raise DatabaseError(f"the user name or password in {redact(url)} holds an '@': write it as %40 "
                            "(user:pa%40ss@host); nothing was sent to the server", argument="db")


def _server_options(url: URL) -> dict[str, object]:
    if url.get_backend_name() != "postgresql":
        return {}
    options: dict[str, object] = {}
    if "connect_timeout" not in url.query:
        options["connect_timeout"] = CONNECT_TIMEOUT_S
    if "application_name" not in url.query:
        options["application_name"] = "tracker"  # what a DBA sees in pg_stat_activity
    return options


# SQLite ---------------------------------------------------------------------------------------


def _sqlite_engine(url: URL, busy_timeout: float) -> Engine:
    target = sqlite_target(url)
    # In memory, one connection per thread holds the database (SQLAlchemy's choice, named so
    # that it does not warn about choosing it from the URL).
    pool = SingletonThreadPool if _in_memory(target.url) else None
    engine = create_engine(target.url, poolclass=pool, connect_args={"timeout": busy_timeout},
                           execution_options={BUSY_OPTION: busy_timeout})

    def on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        _sqlite_pragmas(dbapi_connection, busy_timeout)

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", _sqlite_begin)
    if target.filename is not None:
        event.listen(engine, "do_connect", target.open)
    return engine


@dataclass(frozen=True)
class SqliteTarget:
    """A SQLite database as tracker opens it: the URL SQLAlchemy is given (and messages show), and
    the `file:` URI SQLite opens when the URL carries SQLite's own parameters (None otherwise)."""

    url: URL
    filename: str | None = None

    def open(self, _dialect: object, _record: object, cargs: list[object], cparams: dict[str, object]) -> None:
        """SQLAlchemy's do_connect hook: open the URI, not SQLAlchemy's rendering of the URL."""
        cargs[:] = [self.filename]
        cparams["uri"] = True


def sqlite_target(url: URL) -> SqliteTarget:
    """A SQLite URL opened as it says.

    SQLite's own parameters (`mode=ro`, `immutable=1`, ...) reach SQLite in a `file:` URI, the
    path percent-encoded, whether or not the URL said `uri=true` or `file:` (SQLAlchemy would
    drop them with a warning and open the file read-write, or open a file named
    `tracker.db?mode=ro`); unknown parameters are refused. A database in a folder tracker cannot
    write, with no WAL files beside it, is opened immutable, so reading works on read-only media.
    """
    driver = {key: value for key, value in url.query.items() if key in DRIVER_ARGUMENTS and key != "uri"}
    params = {key: _query_text(value) for key, value in url.query.items() if key not in DRIVER_ARGUMENTS}
    _check_parameters(params)
    database = url.database or ""
    path = database.removeprefix("file:")
    _check_folder(path)
    if _read_only_media(path) and "immutable" not in params and params.get("mode") != "memory":
        params = {**params, "mode": "ro", "immutable": "1"}
    if not params and not database.startswith("file:"):
        return SqliteTarget(url.set(query=driver))
    shown = url.set(database=path or None, query={**driver, **params, "uri": "true"})
    query = "&".join(f"{key}={quote(value, safe='')}" for key, value in params.items())
    return SqliteTarget(shown, _uri(path, params.get("mode") == "memory") + (f"?{query}" if query else ""))


def _in_memory(url: URL) -> bool:
    return not _on_disk(url.database or "") or url.query.get("mode") == "memory"


def _check_parameters(params: Mapping[str, str]) -> None:
    unknown = sorted(set(params) - set(SQLITE_URI_PARAMETERS))
    if unknown:
        raise DatabaseError(f"unknown parameter {unknown[0][:40]!r} in a SQLite URL; SQLite takes "
                            f"{', '.join(SQLITE_URI_PARAMETERS)} (e.g. ?mode=ro)", argument="db")


def _uri(path: str, in_memory: bool) -> str:
    """A SQLite URI for a path (absolute, so a later change of folder does not move it) or the
    name of a database in memory, with %, ? and # encoded so they stay in the path."""
    if in_memory or not _on_disk(path):
        return "file:" + quote(path, safe="/:")
    return "file:" + quote(os.path.abspath(path), safe="/")


def _check_folder(path: str) -> None:
    if _on_disk(path) and not Path(path).parent.is_dir():
        raise DatabaseError(f"folder {_printable(str(Path(path).parent))} does not exist", argument="db")


def _on_disk(path: str) -> bool:
    return path not in ("", ":memory:")


def _read_only_media(path: str) -> bool:
    """Whether SQLite could not keep its WAL index beside an existing database: its folder cannot
    be written and no other connection has the database open (no -shm file), nor left commits in
    a -wal file (which an immutable reader would miss)."""
    if not _on_disk(path) or not os.path.isfile(path):
        return False
    folder = os.path.dirname(os.path.abspath(path))
    companions = (os.path.exists(path + suffix) for suffix in ("-shm", "-wal"))
    return not os.access(folder, os.W_OK) and not any(companions)


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, busy_timeout: float) -> None:
    # Let SQLAlchemy issue BEGIN itself (see _sqlite_begin), so a write transaction takes
    # its lock at the start instead of failing half-way with "database is locked".
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    try:
        _retry_busy(lambda: cursor.execute("PRAGMA journal_mode = WAL"), busy_timeout)
    except sqlite3.OperationalError as exc:
        if not _read_only(exc):
            raise  # a read-only database keeps its journal mode: reading works, a write is refused later
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()


def _read_only(exc: Exception) -> bool:
    message = str(exc).lower()
    return "readonly" in message or "read-only" in message


def _sqlite_begin(connection: Connection) -> None:
    options = connection.get_execution_options()
    statement = "BEGIN IMMEDIATE" if options.get("immediate", False) else "BEGIN"
    _retry_busy(lambda: connection.exec_driver_sql(statement), options.get(BUSY_OPTION, DEFAULT_BUSY_TIMEOUT))


def _retry_busy(step: Callable[[], object], busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> None:
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
            waited_out = time.monotonic() - started >= busy_timeout / 2
            if attempt == BUSY_RETRIES or waited_out or not _busy(exc):
                raise
            time.sleep(random.uniform(0.05, 0.2) * (attempt + 1))


def _busy(exc: Exception) -> bool:
    message = str(exc).lower()
    return "locked" in message or "busy" in message


def busy_timeout_of(engine: Engine) -> float:
    """The seconds the engine's commands wait for another writer (as passed to `connect`)."""
    return float(engine.get_execution_options().get(BUSY_OPTION, DEFAULT_BUSY_TIMEOUT))


def keeps_nothing(engine: Engine) -> bool:
    """Whether the database lives only as long as the process: SQLite in memory (`:memory:`,
    `sqlite://`, `mode=memory`) or in a temporary file (`sqlite:///`). SQLite itself says so:
    its main database then has no file name."""
    if not is_sqlite(engine):
        return False
    with _opened(engine) as connection:  # length(), not the name itself: a path need not be UTF-8
        databases = connection.exec_driver_sql("SELECT name, length(file) FROM pragma_database_list").all()
    return any(name == "main" and not length for name, length in databases)


def require_durable(engine: Engine) -> None:
    """Refuse to log into a database that keeps nothing: a command would say "logged" and lose it."""
    if keeps_nothing(engine):
        raise DatabaseError(f"the in-memory database {redact(engine.url)} keeps nothing: it is gone when the "
                            "command ends, so nothing was written; name a database file "
                            "(sqlite:///path/to/tracker.db)", argument="db")


# The schema ------------------------------------------------------------------------------------


@cache
def known_revisions() -> tuple[str, ...]:
    """The revisions of the migration scripts, oldest first, as Alembic reads them.

    Alembic is imported here rather than at the top: it would add about 130 ms to every
    command, and only an upgrade or a database at another revision than HEAD needs it.
    """
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory(str(MIGRATIONS))
    return tuple(reversed([script.revision for script in scripts.walk_revisions()]))


def __getattr__(name: str) -> Any:
    """`KNOWN_REVISIONS`, read from Alembic on first use (see `known_revisions`)."""
    if name == "KNOWN_REVISIONS":
        return known_revisions()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def schema_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at; None for an empty database."""
    with _opened(engine) as connection:
        return _revision(connection, engine)


def _revision(connection: Connection, engine: Engine) -> str | None:
    names = set(inspect(connection).get_table_names())
    if "alembic_version" not in names:
        if names:
            raise DatabaseError(f"{redact(engine.url)} holds tables but is not a tracker database; "
                                "use another database", argument="db")
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
    if _read_only(exc) and is_sqlite(engine):
        return DatabaseError(f"cannot open database {where}: {reason}; a SQLite database in a folder tracker "
                             "cannot write is read only when no -wal file is left beside it")
    if isinstance(exc, OperationalError):
        return DatabaseError(f"cannot open database {where}: {reason}")
    return DatabaseError(f"database error on {where}: {reason}")


def reason_of(exc: DBAPIError) -> str:
    """The first meaningful line of a driver error, control characters escaped."""
    lines = [line.strip() for line in str(exc.orig if exc.orig else exc).strip().splitlines() if line.strip()]
    for line in lines:
        if "FATAL:" in line:
            return _printable(line[line.index("FATAL:"):].replace("FATAL:", "", 1).strip())
    return _printable(lines[0]) if lines else type(exc).__name__


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
    """What to do about a database at `revision`, which is not HEAD."""
    where = redact(engine.url)
    if revision is None:
        return DatabaseError(f"database {where} is empty: run `tracker db upgrade` once to create tracker's tables in it")
    if revision in known_revisions():
        return DatabaseError(f"database {where} has schema {revision}, older than this tracker's ({HEAD}): run `tracker db upgrade`")
    return DatabaseError(f"database {where} has schema {revision}, newer than this tracker knows ({HEAD}): upgrade tracker")


def state(revision: str | None) -> str:
    """Where a schema revision stands relative to this tracker: current, empty, older or newer."""
    if revision == HEAD:
        return "current"
    if revision is None:
        return "empty"
    return "older" if revision in known_revisions() else "newer"


# Migrating -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upgrade:
    """What `upgrade` did: the revision before and after, the logged rows it kept (after), and
    the rows it merged into an identical one (table -> kept row id -> removed row ids)."""

    before: str | None
    after: str | None
    rows: dict[str, int] = field(default_factory=dict)
    merged: dict[str, dict[int, list[int]]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def notes(self) -> list[str]:
        """One line per table whose identical rows were merged, naming the rows."""
        return [_merge_note(table, groups) for table, groups in self.merged.items() if groups]


def _merge_note(table: str, groups: dict[int, list[int]]) -> str:
    removed = sorted(row for rows in groups.values() for row in rows)
    shown = ", ".join(map(str, removed[:10])) + (", ..." if len(removed) > 10 else "")
    kept = ", ".join(map(str, sorted(groups)[:10])) + (", ..." if len(groups) > 10 else "")
    return (f"{table}: {len(removed)} row(s) identical in every column to an earlier one were merged into it "
            f"(removed {shown}; kept {kept})")


def upgrade(engine: Engine, revision: str = "head") -> Upgrade:
    """Run the migrations up to `revision` in one transaction, under a lock, losing no logged row.

    On PostgreSQL an advisory lock makes a second `upgrade` wait and then find nothing to do;
    on SQLite the write lock does the same. The rows of the log tables are counted before and
    after: if a migration lost any (other than exact duplicates it merged and reports), the
    transaction is rolled back and nothing changes.
    """
    _check_target(revision)
    with _opened(engine, write=True) as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        before = _revision(connection, engine)
        _check_direction(engine, before, revision)
        counts = _row_counts(connection) if before else {}
        merged = _run_alembic(connection, revision)
        after = _revision(connection, engine)
        kept = _row_counts(connection)
        _check_kept(counts, kept, {table: sum(map(len, groups.values())) for table, groups in merged.items()})
    return Upgrade(before, after, kept if before else {}, merged)


def _check_target(revision: str) -> None:
    known = known_revisions()
    if revision != "head" and revision not in known:
        raise InputError(f"unknown revision {revision[:40]!r}; this tracker knows {', '.join(known)}", argument="revision")


def _check_direction(engine: Engine, before: str | None, revision: str) -> None:
    known = known_revisions()
    if before is not None and before not in known:
        raise schema_mismatch(engine, before)
    if before is not None and revision in known and known.index(revision) < known.index(before):
        raise InputError(f"the database is at {before}, past {revision}; tracker does not downgrade", argument="revision")


def _run_alembic(connection: Connection, revision: str) -> dict[str, dict[int, list[int]]]:
    """Run Alembic on this connection; returns what the migrations merged (see Upgrade.merged)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    config.attributes["merged"] = {}
    command.upgrade(config, revision)
    return dict(config.attributes["merged"])


def _row_counts(connection: Connection) -> dict[str, int]:
    present = set(inspect(connection).get_table_names())
    return {table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()  # noqa: S608
            for table in LOG_TABLES if table in present}


def _check_kept(before: dict[str, int], after: dict[str, int], merged: dict[str, int] | None = None) -> None:
    merged = merged or {}
    lost = {table: (count, after.get(table, 0)) for table, count in before.items()
            if after.get(table, 0) + merged.get(table, 0) < count}
    if lost:
        detail = ", ".join(f"{table} {was} -> {now}" for table, (was, now) in lost.items())
        raise DatabaseError(f"the migration would lose logged rows ({detail}); nothing was changed")
