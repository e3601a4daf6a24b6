"""Team mode on PostgreSQL: the same answers as SQLite, who logged what, and a server treated with care.

The parity test runs the same session on a SQLite file and on a PostgreSQL database (created
with an ICU en-US collation, as many servers are, so an ORDER BY that relies on SQLite's byte
order shows up) and compares every JSON output. The other tests check what an operator of a
shared server expects: tables are never created behind anyone's back, errors name the fix in
one line, and a password in the URL never reaches the screen, even with --debug.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect
from typer.testing import CliRunner

from tests.conftest import REPO, SAMPLE, Run

SECRET = "s3cret-Pw"
SESSION = [
    ("observe", "by-az-trade-belstat", "497", "--as-of", "2025", "--source", "Belstat 2026", "--grade", "A1", "--by", "ana"),
    ("observe", "by-az-trade-belstat", "512.5", "--as-of", "2025", "--source", "Belstat revision", "--by", "ben"),
    ("observe", "fertilizer-jv", "partly", "--as-of", "2025-10-28", "--source", "BelTA", "--note", "site chosen"),
    ("forecast", "by-az-trade-1bn", "0.6", "--by", "analyst-a", "--on", "2024-06-01"),
    ("forecast", "by-az-trade-1bn", "35%", "--by", "Analyst-B", "--on", "2025-03-01"),
    ("forecast", "fertilizer-jv", "0.2", "--by", "analyst-a", "--on", "2025-01-10"),
    ("resolve", "fertilizer-jv", "--status", "annulled", "--why", "the partner withdrew", "--on", "2026-01-05"),
]
VOLATILE = {"id", "uid", "recorded_at", "generated_at"}  # uid: from the record and when it was logged


def _stable(value):  # type: ignore[no-untyped-def]
    """JSON output without the fields that differ between two runs of the same session."""
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    return value


def _outputs(run: Run) -> dict[str, object]:
    import json

    for command in SESSION:
        assert run(*command).exit_code == 0, command
    outputs: dict[str, object] = {}
    for command in (("list", "--format", "json"), ("scorecard", "--format", "json"),
                    ("show", "by-az-trade-1bn", "--format", "json"), ("show", "fertilizer-jv", "--format", "json"),
                    ("scorecard", "--format", "json", "--as-of", "2025-12-31")):
        result = run(*command)
        assert result.exit_code == 0, (command, result.output)
        outputs[" ".join(command)] = _stable(json.loads(result.stdout))
    return outputs


@pytest.mark.postgres
def test_postgresql_answers_exactly_as_sqlite(workspace: Path, tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch):
    for folder in ("forecasts", "scenarios"):
        shutil.copytree(REPO / folder, workspace / folder, dirs_exist_ok=True)
    monkeypatch.setenv("TRACKER_USER", "tester")
    on_sqlite = _outputs(Run(workspace, f"sqlite:///{tmp_path / 'parity.db'}", CliRunner()))
    on_postgres = _outputs(Run(workspace, pg_url, CliRunner()))
    assert on_sqlite["list --format json"]["propositions"]  # type: ignore[index]
    for command, output in on_sqlite.items():
        assert on_postgres[command] == output, command


def test_every_record_says_who_logged_it_and_when(sample: Run, monkeypatch: pytest.MonkeyPatch):
    import getpass
    import json

    assert sample("observe", "by-az-trade", "497", "--as-of", "2025", "--source", "Belstat", "--by", "ana").exit_code == 0
    assert sample("forecast", "by-az-trade-1bn", "0.4", "--by", "analyst-a").exit_code == 0  # logged by TRACKER_USER
    monkeypatch.delenv("TRACKER_USER")
    assert sample("resolve", "fertilizer-jv", "--status", "annulled", "--why", "withdrawn").exit_code == 0
    login = getpass.getuser()

    trade = json.loads(sample("show", "by-az-trade-1bn", "--format", "json").stdout)
    plant = json.loads(sample("show", "fertilizer-jv", "--format", "json").stdout)
    observation = [o for o in trade["observations"] if o["origin"] == "log"][0]
    assert (observation["recorded_by"], trade["forecasts"][0]["recorded_by"], plant["rulings"][0]["recorded_by"]) == ("ana", "tester", login)
    today = datetime.now(UTC).date().isoformat()  # recorded_at is UTC
    assert all(record["recorded_at"].startswith(today) for record in (observation, trade["forecasts"][0], plant["rulings"][0]))
    text = sample("show", "by-az-trade-1bn").stdout + sample("show", "fertilizer-jv").stdout
    assert f"recorded {today} by ana" in text
    assert f"analyst-a: 40%  (logged {today} by tester)" in text
    assert f"annulled: withdrawn  (logged {today} by {login})" in text

    exported = sample("export", "--format", "jsonl")
    assert exported.exit_code == 0
    rows = [json.loads(line) for line in exported.stdout.splitlines()]
    assert sorted((row["type"], row["recorded_by"]) for row in rows) == [("forecast", "tester"), ("observation", "ana"), ("ruling", login)]
    assert all(row["recorded_at"].startswith(today) for row in rows)


@pytest.fixture
def server(workspace: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> Run:
    """The CLI on an empty workspace and a PostgreSQL database at the current schema."""
    monkeypatch.setenv("TRACKER_USER", "tester")
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    return Run(workspace, pg_url, CliRunner())


@pytest.mark.postgres
def test_an_empty_server_database_is_refused_until_db_upgrade(server: Run, pg_empty_url: str):
    run = server
    run.db_url = pg_empty_url
    run.write("forecasts/sample.yaml", SAMPLE)

    refused = run("list")
    assert refused.exit_code == 2
    assert refused.stderr.strip().endswith("is empty: run `tracker db upgrade` once to create tracker's tables in it")
    assert inspect(create_engine(pg_empty_url)).get_table_names() == []  # nothing was created

    upgraded = run("db", "upgrade")
    assert upgraded.exit_code == 0
    assert "schema (empty) -> " in upgraded.stdout
    assert run("observe", "by-az-trade", "497", "--as-of", "2025", "--source", "Belstat").exit_code == 0
    assert run("list", "--format", "json").exit_code == 0


def test_an_empty_sqlite_file_is_initialised_by_any_command(workspace: Path, tmp_path: Path):
    run = Run(workspace, f"sqlite:///{tmp_path / 'fresh.db'}", CliRunner())
    run.write("forecasts/sample.yaml", SAMPLE)
    assert "no database file yet" in run("db", "current").stdout
    assert not (tmp_path / "fresh.db").exists()
    assert run("list").exit_code == 0
    assert "up to date" in run("db", "current").stdout


@pytest.mark.postgres
def test_a_database_that_is_not_trackers_is_refused(server: Run, pg_empty_url: str):
    run = server
    from sqlalchemy import text

    engine = create_engine(pg_empty_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE invoices (id integer)"))
    engine.dispose()
    run.db_url = pg_empty_url
    for command in (("list",), ("db", "upgrade")):
        result = run(*command)
        assert result.exit_code == 2
        assert "holds tables but is not a tracker database" in result.stderr
    assert inspect(create_engine(pg_empty_url)).get_table_names() == ["invoices"]


def _with_password(url: str, **changes: object) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(password=SECRET, **changes).render_as_string(hide_password=False)


@pytest.mark.postgres
def test_a_password_in_the_url_never_reaches_the_screen(server: Run, pg_url: str, pg_empty_url: str):
    run = server
    run.write("forecasts/sample.yaml", SAMPLE)
    cases = {
        "unreachable server": (_with_password(pg_url, port=1), "Connection refused"),
        "missing database": (_with_password(pg_url, database="tracker_no_such_db"), "'tracker_no_such_db' does not exist; create it"),
        "malformed URL": (f"postgresql+psycopg://postgres:{SECRET}@127.0.0.1:notaport/x", "malformed database URL"),
        "unknown driver": (f"postgresql+nosuchdriver://postgres:{SECRET}@127.0.0.1/x", "no driver for"),
        "empty database": (_with_password(pg_empty_url), "run `tracker db upgrade`"),
        "password in the query": (pg_empty_url + f"?password={SECRET}", "run `tracker db upgrade`"),
    }
    for case, (url, expected) in cases.items():
        run.db_url = url
        result = run("list")
        assert result.exit_code == 2, case
        assert expected in result.stderr, (case, result.stderr)
        assert SECRET not in result.output + result.stderr, case
        assert "***" in result.stderr or case == "malformed URL", (case, result.stderr)
    run.db_url = _with_password(pg_url)
    for command in (("db", "current"), ("db", "check"), ("db", "upgrade"), ("list",)):
        result = run(*command)
        assert result.exit_code == 0, command
        assert SECRET not in result.output + result.stderr, command


def _tracker(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tracker", *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})})


@pytest.mark.postgres
def test_nor_in_a_debug_traceback_or_the_help(workspace: Path, pg_url: str):
    for url in (_with_password(pg_url, port=1), _with_password(pg_url, database="tracker_no_such_db"),
                f"postgresql+psycopg://postgres:{SECRET}@127.0.0.1:notaport/x"):
        shown = _tracker("--debug", "--workspace", str(workspace), "--db", url, "list")
        assert shown.returncode != 0
        assert "Traceback" in shown.stderr or "DatabaseError" in shown.stderr
        assert SECRET not in shown.stdout + shown.stderr
    shown = _tracker("--help", env={"TRACKER_DATABASE_URL": _with_password(pg_url)})
    assert shown.returncode == 0
    assert "TRACKER_DATABASE_URL" in shown.stdout and SECRET not in shown.stdout
