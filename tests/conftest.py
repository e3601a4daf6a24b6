"""Shared fixtures: a workspace written inside the test, a real database, the real CLI.

`db_url` is parametrised over SQLite (a file in tmp_path) and PostgreSQL (a fresh database
per test on the server at TRACKER_TEST_PG, default 127.0.0.1:5432). Where no PostgreSQL server
answers, the PostgreSQL cases skip and say why; in CI (CI=true) they fail instead, so a
missing server can never pass unnoticed.
"""

from __future__ import annotations

import os
import textwrap
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker.cli import app

PG_SERVER = os.environ.get("TRACKER_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
REPO = Path(__file__).resolve().parents[1]

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
    from sqlalchemy.engine import make_url

    url = make_url(PG_SERVER)
    try:
        psycopg.connect(host=url.host, port=url.port or 5432, user=url.username, dbname="postgres", connect_timeout=3).close()
    except psycopg.Error as exc:
        return f"no PostgreSQL server at {url.host}:{url.port}: {str(exc).strip().splitlines()[0]}"
    return None


@pytest.fixture(scope="session")
def pg_unreachable() -> str | None:
    return _pg_reachable()


@pytest.fixture
def pg_url(pg_unreachable: str | None) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    if pg_unreachable:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI: {pg_unreachable}")
        pytest.skip(pg_unreachable)
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(PG_SERVER)
    name = f"tracker_test_{uuid.uuid4().hex[:12]}"
    admin = dict(host=url.host, port=url.port or 5432, user=url.username, dbname="postgres", autocommit=True)
    with psycopg.connect(**admin) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield url.set(database=name).render_as_string(hide_password=False)
    from sqlalchemy import create_engine  # noqa: F401 - engines of the test are gone by now

    with psycopg.connect(**admin) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test that asks for it runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tracker.db'}"
    return request.getfixturevalue("pg_url")


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
