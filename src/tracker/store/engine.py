"""Opening the database: the URL, SQLite's settings, and the schema check.

SQLite is the default (a `tracker.db` file in the workspace), in WAL mode with a busy timeout
so several analysts' commands can run at once. Any SQLAlchemy URL works. The schema is owned
by Alembic migrations: an empty database is initialised; an older one is refused until the
user runs `tracker db upgrade`, so a shared server is never migrated behind anyone's back.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError

from tracker.errors import DatabaseError

HEAD = "0001"  # the schema revision this code expects; tests check it is Alembic's head
KNOWN_REVISIONS = ("0001",)
BUSY_TIMEOUT_MS = 30_000
MIGRATIONS = Path(__file__).with_name("migrations")


def database_url(option: str | None, root: Path) -> str:
    """The URL given on the command line or in the environment, else the workspace's SQLite file."""
    return option or f"sqlite:///{root / 'tracker.db'}"


def redact(url: str) -> str:
    """The URL with any password replaced, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return "<unparseable database URL>"


def connect(url: str) -> Engine:
    """An engine for the URL, with SQLite tuned for concurrent writers."""
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            _check_sqlite_folder(parsed.database)
            engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
            return engine
        return create_engine(parsed, pool_pre_ping=True)
    except (ArgumentError, ValueError) as exc:
        raise DatabaseError(f"--db: malformed database URL {redact(url)!r}: {exc}") from None
    except NoSuchModuleError:
        raise DatabaseError(f"--db: no driver for {redact(url)!r}; for PostgreSQL install tracker[postgres]") from None
    except ImportError as exc:
        raise DatabaseError(f"--db: the driver for {redact(url)!r} is not installed ({exc.name}); install tracker[postgres]") from None


def _check_sqlite_folder(database: str | None) -> None:
    if database and database != ":memory:" and not Path(database).parent.is_dir():
        raise DatabaseError(f"--db: folder {Path(database).parent} does not exist")


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # Let SQLAlchemy issue BEGIN itself (see _sqlite_begin), so a write transaction takes
    # its lock at the start instead of failing half-way with "database is locked".
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _sqlite_begin(connection) -> None:  # type: ignore[no-untyped-def]
    immediate = connection.get_execution_options().get("immediate", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def schema_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at; None for an empty database."""
    try:
        with engine.connect() as connection:
            names = set(inspect(connection).get_table_names())
            if "alembic_version" not in names:
                if names:
                    raise DatabaseError(f"{redact(str(engine.url))} holds tables but is not a tracker database")
                return None
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except OperationalError as exc:
        raise DatabaseError(f"cannot open database {redact(str(engine.url))}: {_reason(exc)}") from None
    except DBAPIError as exc:
        raise DatabaseError(f"database error on {redact(str(engine.url))}: {_reason(exc)}") from None


def _reason(exc: DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc).splitlines()[0]


def ensure_schema(engine: Engine) -> None:
    """Create the schema in an empty database; refuse one that is older or newer than the code."""
    revision = schema_revision(engine)
    if revision == HEAD:
        return
    if revision is None:
        upgrade(engine)
        return
    if revision in KNOWN_REVISIONS:
        raise DatabaseError(f"the database schema is at {revision}, older than this tracker ({HEAD}): run `tracker db upgrade`")
    raise DatabaseError(f"the database schema ({revision}) is newer than this tracker knows ({HEAD}): upgrade tracker")


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run Alembic migrations up to `revision`, in one transaction."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as connection:
        connection.execution_options(immediate=True)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        connection.commit()
