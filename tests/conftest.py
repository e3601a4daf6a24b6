"""Shared fixtures: a workspace written inside the test, a real database, the real CLI.

`db_url` is parametrised over SQLite (a file in tmp_path) and PostgreSQL (a fresh database
per test on the server at TRACKER_TEST_PG, default postgresql+psycopg://postgres@127.0.0.1:5432).
A PostgreSQL test database is cloned from a template made once per session at the current
schema (CREATE DATABASE ... TEMPLATE takes ~40 ms; migrating each database would take ~300 ms),
and after the test cleaned and reused rather than dropped (DROP DATABASE waits for a
checkpoint, which takes seconds on a busy server); see `PgServer`. Test databases sort text with ICU's en-US collation where
the server has ICU (as many production servers sort by language rules), so a query whose order
depends on SQLite's byte order fails on PostgreSQL here rather than at a user's. Where no PostgreSQL server answers, the PostgreSQL cases
skip and say why; in CI (CI=true) they fail instead, so a missing server can never pass
unnoticed.
"""

from __future__ import annotations

import os
import textwrap
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from tracker.cli import app

# Property tests measure correctness, not speed: on a shared 2-core machine one example can take a
# second when other work runs, and hypothesis's default 200 ms deadline then fails a correct test.
settings.register_profile("tracker", deadline=None)
settings.load_profile("tracker")

def past(deadline: str) -> bool:
    """Whether today is after a deadline: a test that logs records now (they count from now) and reads
    a status as of today says what it expects either side of the deadline, so it passes on any date."""
    from datetime import date

    return date.today() > date.fromisoformat(deadline)


PG_SERVER = os.environ.get("TRACKER_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
REPO = Path(__file__).resolve().parents[1]
ICU_EN_US = "LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"

SAMPLE = """\
sources:
  - id: huseynov-2024
    title: Lukashenko's visit to Baku
    publisher: Example Daily
    published: 2024-05-20
  - id: belstat-2026
    title: Foreign trade 2025
    publisher: Belstat
    published: 2026-02-10
actors:
  - {id: lukashenka, name: Alyaksandr Lukashenka, role: official, country: BY}
  - {id: huseynov, name: Rasim Huseynov, role: analyst, country: AZ}
metrics:
  - id: by-az-trade
    name: Belarus-Azerbaijan trade turnover
    unit: USD million
    period: year
    observations:
      - {as_of: 2023, value: 450, source: huseynov-2024}
propositions:
  - id: by-az-trade-1bn
    kind: target
    title: Belarus-Azerbaijan trade reaches $1 billion
    quote: "within a year and a half, to reach the $1 billion mark"
    source: huseynov-2024
    stated_by: lukashenka
    stated_on: 2024-05-16
    metric: by-az-trade
    baseline: {value: 450, as_of: 2023}
    target: {op: ">=", value: 1000}
    deadline: 2025-12-31
    tags: [trade]
  - id: fertilizer-jv
    kind: event
    title: A joint fertilizer plant is built in Azerbaijan
    quote: "the organization of joint fertilizer production in Azerbaijan"
    source: huseynov-2024
    stated_by: huseynov
    stated_on: 2024-05-20
    deadline: 2027-12-31
    criteria: Construction has started, with a Belarusian partner named.
    tags: [industry]
"""


@dataclass
class Run:
    """The real CLI against one workspace and database, as a user would call it."""

    root: Path
    db_url: str
    runner: CliRunner

    def __call__(self, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        full = ["--workspace", str(self.root), "--db", self.db_url, *args]
        return self.runner.invoke(app, full, input=input, catch_exceptions=False)

    def write(self, relative: str, text: str) -> Path:
        """Write a definition (or any) file into the workspace, dedented."""
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path


def _pg_reachable() -> str | None:
    """None when the server answers, else the reason it does not."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install 'tracker[postgres]')"
    try:
        _admin().close()
    except psycopg.Error as exc:
        url = make_url(PG_SERVER)
        return f"no PostgreSQL server at {url.host}:{url.port or 5432}: {str(exc).strip().splitlines()[0]}"
    return None


def _admin(database: str = "postgres"):  # type: ignore[no-untyped-def]
    """An autocommit connection to the server's maintenance database (or the one named)."""
    import psycopg

    url = make_url(PG_SERVER)
    return psycopg.connect(host=url.host, port=url.port or 5432, user=url.username, password=url.password,
                           dbname=database, autocommit=True, connect_timeout=3)


def _database_url(name: str) -> str:
    return make_url(PG_SERVER).set(database=name).render_as_string(hide_password=False)


class PgServer:
    """Databases on the test server for one test session (one per xdist worker).

    A test gets a database at the current schema, or an empty one, that no other test can see.
    Creating one is cheap (a clone of a template migrated once per session); dropping one is
    not (DROP DATABASE waits for a checkpoint: ~50 ms on an idle server, seconds on a busy one).
    So a database a test is done with is cleaned (other connections ended, rows deleted,
    sequences restarted; an empty one loses what the test created) and handed to the next
    test; one whose schema the test changed is dropped in a background thread. The pool and
    the template are dropped at the end of the session.
    """

    def __init__(self) -> None:
        self.template = f"tracker_tpl_{uuid.uuid4().hex[:12]}"
        self.dropper = ThreadPoolExecutor(max_workers=1)
        self.locale = ""
        self.idle: dict[bool, list[str]] = {False: [], True: []}
        self.owned: dict[str, bool] = {}  # database -> whether it is handed out empty
        with _admin() as connection:
            try:  # many servers sort text by a language's rules, not by bytes as SQLite does
                connection.execute(f'CREATE DATABASE "{self.template}" TEMPLATE template0 {ICU_EN_US}')
                self.locale = ICU_EN_US
            except Exception:  # noqa: BLE001 - a server built without ICU: its default collation
                connection.execute(f'CREATE DATABASE "{self.template}"')
        from tracker.store.engine import connect, upgrade

        engine = connect(_database_url(self.template))
        upgrade(engine)
        engine.dispose()
        with _admin(self.template) as connection:
            self.tables = _tables(connection)
            self.revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()

    def acquire(self, *, empty: bool = False) -> str:
        """A clean database: at the current schema, or with no tables at all."""
        if self.idle[empty]:
            return self.idle[empty].pop()
        name = f"tracker_test_{uuid.uuid4().hex[:12]}"
        clone = f"TEMPLATE template0 {self.locale}" if empty else f'TEMPLATE "{self.template}"'
        with _admin() as connection:
            connection.execute(f'CREATE DATABASE "{name}" {clone}')
        self.owned[name] = empty
        return name

    create = acquire  # the names other tests use

    def release(self, name: str) -> None:
        """Clean the database for the next test, or drop it if that cannot be done safely."""
        import psycopg

        empty = self.owned.get(name, False)

        try:
            with _admin(name) as connection:
                connection.execute("SET lock_timeout = '2s'")
                clean = self._clean(connection, empty)
        except psycopg.Error:
            clean = False
        if clean:
            self.idle[empty].append(name)
        else:
            self.owned.pop(name, None)
            self.dropper.submit(_drop, name)

    drop = release

    def _clean(self, connection, empty: bool) -> bool:  # type: ignore[no-untyped-def]
        connection.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                           " WHERE datname = current_database() AND pid <> pg_backend_pid()")
        schemas = [row[0] for row in connection.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname NOT IN ('information_schema', 'public')")]
        if schemas:
            return False
        if empty:
            connection.execute("DROP SCHEMA public CASCADE")
            connection.execute("CREATE SCHEMA public")
            return True
        if _tables(connection) != self.tables or "alembic_version" not in self.tables:
            return False
        if connection.execute("SELECT version_num FROM alembic_version").fetchone() != self.revision:
            return False
        for table in sorted(self.tables - {"alembic_version"}):
            connection.execute(f'DELETE FROM "{table}"')
        for (sequence,) in connection.execute("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'").fetchall():
            connection.execute(f'ALTER SEQUENCE "{sequence}" RESTART')
        return True

    def close(self) -> None:
        self.dropper.shutdown(wait=True)
        for name in sorted(self.owned) + [self.template]:
            _drop(name)


def _tables(connection) -> frozenset[str]:  # type: ignore[no-untyped-def]
    return frozenset(row[0] for row in connection.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))


def _drop(name: str) -> None:
    with _admin() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_unreachable() -> str | None:
    return _pg_reachable()


@pytest.fixture(scope="session")
def pg_server(pg_unreachable: str | None) -> Iterator[PgServer]:
    """The PostgreSQL test server; skips (fails in CI) where none answers."""
    if pg_unreachable:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI: {pg_unreachable}")
        pytest.skip(pg_unreachable)
    server = PgServer()
    yield server
    server.close()


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A PostgreSQL database of this test's own at the current schema (as after `tracker db upgrade`), no rows."""
    name = pg_server.acquire()
    yield _database_url(name)
    pg_server.release(name)


@pytest.fixture
def pg_empty_url(pg_server: PgServer) -> Iterator[str]:
    """A PostgreSQL database of this test's own with no tables."""
    name = pg_server.acquire(empty=True)
    yield _database_url(name)
    pg_server.release(name)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    """The backend a test runs on: each test that asks for it runs on SQLite and on PostgreSQL."""
    return request.param


@pytest.fixture
def db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database on the test's backend, ready for every command (SQLite file, or PostgreSQL
    database already at the current schema, since tracker does not create tables on a server by itself)."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'tracker.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def empty_db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database on the test's backend with no tables at all."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    return request.getfixturevalue("pg_empty_url")


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """An empty workspace folder (forecasts/ and scenarios/ exist, no files)."""
    root = tmp_path / "ws"
    (root / "forecasts").mkdir(parents=True)
    (root / "scenarios").mkdir()
    return root


@pytest.fixture
def run(workspace: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Run:
    """The CLI on an empty workspace and a fresh database (both backends)."""
    monkeypatch.setenv("TRACKER_USER", "tester")
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    monkeypatch.delenv("TRACKER_WORKSPACE", raising=False)
    return Run(workspace, db_url, CliRunner())


@pytest.fixture
def sample(run: Run) -> Run:
    """The CLI on a small workspace: one target and one event proposition."""
    run.write("forecasts/sample.yaml", SAMPLE)
    return run
