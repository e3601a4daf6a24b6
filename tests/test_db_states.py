"""Databases in states a user cannot fix by retyping a value: each gets one line saying what to do.

Missing (a SQLite folder that is not there, a server database never created), locked by another
writer beyond the busy timeout, read-only, and of a newer schema than this tracker knows. In each
case the command exits 2, prints one line, shows no traceback, and writes nothing.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from tests.conftest import SAMPLE, Run, _admin, _database_url
from tracker.core.periods import parse_period
from tracker.core.records import Observation
from tracker.errors import DatabaseError, InputError
from tracker.store.db import Store
from tracker.store.engine import connect, parse_busy_timeout

OBSERVE = ("observe", "by-az-trade", "497", "--as-of", "2024", "--source", "Belstat")


def unnamed(line: str, name: str) -> str:
    """The message without the argument it names: the library's name (`db`) or the CLI's flag (`--db`)."""
    for shown in (f"--{name}: ", f"{name}: "):
        if line.startswith(shown):
            return line.removeprefix(shown)
    return line


def one_line(result) -> str:  # type: ignore[no-untyped-def]
    """The single line on standard error of a refused command."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def query(url: str, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    finally:
        engine.dispose()


def execute(url: str, sql: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(sql))
    finally:
        engine.dispose()


# --- missing ---------------------------------------------------------------------------------------


def test_a_sqlite_database_in_a_missing_folder(workspace: Path, tmp_path: Path) -> None:
    run = Run(workspace, f"sqlite:///{tmp_path / 'gone' / 'tracker.db'}", CliRunner())
    run.write("forecasts/sample.yaml", SAMPLE)
    assert unnamed(one_line(run("list")), "db") == f"folder {tmp_path / 'gone'} does not exist"
    assert not (tmp_path / "gone").exists()


def test_the_workspace_database_is_created_when_missing(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not an error: the workspace's own SQLite file is made on first use, at the current schema."""
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    (workspace / "forecasts" / "sample.yaml").write_text(SAMPLE, encoding="utf-8")
    result = CliRunner().invoke(__import__("tracker.cli", fromlist=["app"]).app, ["--workspace", str(workspace), "list", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert (workspace / "tracker.db").is_file()


@pytest.mark.postgres
def test_a_server_database_that_was_never_created(workspace: Path, pg_server) -> None:  # type: ignore[no-untyped-def]
    url = _database_url("tracker_p8_never_created")
    run = Run(workspace, url, CliRunner())
    run.write("forecasts/sample.yaml", SAMPLE)
    where = url.replace("postgresql+psycopg://", "postgresql+psycopg://", 1)
    expected = (f"cannot open database {where}: database 'tracker_p8_never_created' does not exist; create it "
                "(createdb tracker_p8_never_created), then run `tracker db upgrade`")
    assert one_line(run("list")) == expected
    assert one_line(run("db", "current")) == expected


def test_an_unreachable_server(workspace: Path) -> None:
    run = Run(workspace, "postgresql+psycopg://postgres@127.0.0.1:1/tracker", CliRunner())
    line = one_line(run("list"))
    assert line.startswith("cannot open database postgresql+psycopg://postgres@127.0.0.1:1/tracker: connection failed")
    assert "Connection refused" in line


# --- locked ---------------------------------------------------------------------------------------------


def test_a_database_locked_beyond_the_timeout(sample: Run) -> None:
    """Another process holds the write lock longer than the busy timeout: refused, nothing written;
    reading still works (WAL), and once the lock is gone the same write succeeds."""
    if not sample.db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL has row locks, not a database-wide write lock")
    assert sample("list").exit_code == 0
    store = Store(connect(sample.db_url, busy_timeout=0.2))
    observation = Observation("by-az-trade", parse_period("2024"), 497.0, datetime(2026, 1, 5), "Belstat", None, None,
                              "tester", "log", None)
    holder = sqlite3.connect(sample.db_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseError) as refused:
            store.add_observations([observation])
        assert sample("list", "--format", "json").exit_code == 0
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert str(refused.value) == (f"database {sample.db_url} is locked: another command kept writing for more than 0.2 s; "
                                  "try again when it has finished, or wait longer (TRACKER_BUSY_TIMEOUT=SECONDS)")
    assert query(sample.db_url, "SELECT count(*) FROM observation WHERE origin = 'log'") == [(0,)]
    store.add_observations([observation])
    assert query(sample.db_url, "SELECT count(*) FROM observation WHERE origin = 'log'") == [(1,)]


def test_a_bad_busy_timeout_is_named() -> None:
    """The CLI reads TRACKER_BUSY_TIMEOUT and hands the text to parse_busy_timeout."""
    with pytest.raises(InputError) as refused:
        parse_busy_timeout("soon")
    assert refused.value.lines() == ["busy_timeout: 'soon' is not a number of seconds"]


# --- read-only -----------------------------------------------------------------------------------------


def test_a_read_only_sqlite_database(sample: Run, tmp_path: Path) -> None:
    """Opened read-only (file permissions, or a read-only URI as here, which also holds for root):
    reading works, writing is refused in one line and the file is unchanged."""
    if not sample.db_url.startswith("sqlite"):
        pytest.skip("see the PostgreSQL case below")
    assert sample("list").exit_code == 0
    path = Path(sample.db_url.removeprefix("sqlite:///"))
    if os.geteuid() != 0:
        path.chmod(0o444)
        url = sample.db_url
    else:  # root writes through file permissions
        url = f"sqlite:///file:{path}?mode=ro&uri=true"
    read_only = Run(sample.root, url, CliRunner())
    assert read_only("list", "--format", "json").exit_code == 0
    line = one_line(read_only(*OBSERVE))
    assert line.startswith("database sqlite:///") and line.endswith(
        " is read-only: nothing was written; check the permissions of the file and of its folder, "
        "or use a database you can write")
    path.chmod(0o644)
    assert query(sample.db_url, "SELECT count(*) FROM observation WHERE origin = 'log'") == [(0,)]


@pytest.mark.postgres
def test_a_read_only_server_database(pg_url: str, workspace: Path) -> None:
    run = Run(workspace, pg_url, CliRunner())
    run.write("forecasts/sample.yaml", SAMPLE)
    assert run("list").exit_code == 0
    name = pg_url.rsplit("/", 1)[1]
    with _admin() as connection:
        connection.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    try:
        line = one_line(run(*OBSERVE))
        assert run("list", "--format", "json").exit_code == 0
    finally:
        with _admin() as connection:
            connection.execute(f'ALTER DATABASE "{name}" RESET default_transaction_read_only')
    assert "read-only" in line and line.endswith("or use a database you can write")
    assert query(pg_url, "SELECT count(*) FROM observation WHERE origin = 'log'") == [(0,)]


# --- a newer schema -------------------------------------------------------------------------------------


def test_a_database_of_a_newer_schema(sample: Run) -> None:
    """Written by a newer tracker: refused for every command (reading could misread it), upgrade tracker."""
    from tracker.store.engine import HEAD, redact

    assert sample(*OBSERVE).exit_code == 0
    execute(sample.db_url, "UPDATE alembic_version SET version_num = '9999'")
    expected = f"database {redact(sample.db_url)} has schema 9999, newer than this tracker knows ({HEAD}): upgrade tracker"
    for command in (OBSERVE, ("list",), ("export",), ("db", "upgrade")):
        assert one_line(sample(*command)) == expected, command
    assert query(sample.db_url, "SELECT count(*) FROM observation WHERE origin = 'log'") == [(1,)]
    current = sample("db", "current")
    assert current.exit_code == 0
    assert current.stdout.strip().endswith(f"schema 9999, this tracker {HEAD}: newer than this tracker: upgrade tracker")


def test_a_database_of_an_older_schema(sample: Run) -> None:
    from tracker.store.engine import HEAD, KNOWN_REVISIONS, redact

    if len(KNOWN_REVISIONS) < 2:
        pytest.skip("only one schema revision exists")
    assert sample("list").exit_code == 0
    older = KNOWN_REVISIONS[-2]
    execute(sample.db_url, f"UPDATE alembic_version SET version_num = '{older}'")
    assert one_line(sample("list")) == (f"database {redact(sample.db_url)} has schema {older}, older than this tracker's ({HEAD}): "
                                        "run `tracker db upgrade`")


def test_a_database_that_is_not_a_tracker_database(workspace: Path, tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    run = Run(workspace, f"sqlite:///{path}", CliRunner())
    assert unnamed(one_line(run("list")), "db") == f"sqlite:///{path} holds tables but is not a tracker database; use another database"
    with sqlite3.connect(path) as other:
        assert [r[0] for r in other.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["invoices"]


def test_a_file_that_is_not_a_database(workspace: Path, tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("meeting notes, not a database\n" * 100)
    run = Run(workspace, f"sqlite:///{path}", CliRunner())
    assert one_line(run("list")) == f"database error on sqlite:///{path}: file is not a database"
    assert path.read_text() == "meeting notes, not a database\n" * 100
