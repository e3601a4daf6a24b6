"""Eight analysts at once: real processes writing to one database lose nothing and never see
"database is locked", on SQLite (WAL, busy timeout, BEGIN IMMEDIATE retried) and PostgreSQL.

Every test starts from a database no command has touched yet (on SQLite not even created), so
the writers also race to create the schema (SQLite) and to sync the definitions; the counts
afterwards show each row arrived once, and the definitions were copied once.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from tests.conftest import SAMPLE, Run
from tracker.store.engine import HEAD, _retry_busy, connect

WRITERS = 8


def _at_once(workspace: Path, db_url: str, commands: list[list[str]]) -> list[subprocess.CompletedProcess[str]]:
    """Start every command as its own `python -m tracker` process, then wait for all."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    processes = [subprocess.Popen([sys.executable, "-m", "tracker", "--workspace", str(workspace), "--db", db_url, *command],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
                 for command in commands]
    results = []
    for process, command in zip(processes, commands, strict=True):
        out, err = process.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(command, process.returncode, out, err))
    return results


def _all_succeeded(results: list[subprocess.CompletedProcess[str]]) -> None:
    for result in results:
        assert result.returncode == 0, (result.args, result.stderr)
        assert "locked" not in result.stderr.lower(), result.stderr


def _query(db_url: str, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    engine = connect(db_url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    finally:
        engine.dispose()


@pytest.fixture
def team(sample: Run) -> Run:
    """The sample workspace on a fresh database that no command has opened yet."""
    return sample


def test_eight_analysts_observing_at_once(team: Run):
    commands = [["observe", "by-az-trade", str(600 + i), "--as-of", "2025", "--source", f"report {i}", "--by", f"analyst-{i}"]
                for i in range(WRITERS)]
    _all_succeeded(_at_once(team.root, team.db_url, commands))

    logged = _query(team.db_url, "SELECT recorded_by, value_num FROM observation WHERE origin = 'log' ORDER BY value_num")
    assert logged == [(f"analyst-{i}", 600.0 + i) for i in range(WRITERS)]
    assert _query(team.db_url, "SELECT count(*) FROM observation WHERE origin = 'definition'") == [(1,)]
    assert _query(team.db_url, "SELECT count(*) FROM proposition") == [(2,)]


def _import_file(root: Path, analyst: int, rows: int) -> Path:
    lines = ["type,target,value,as_of,source,note,recorded_by,probability,forecaster,made_on"]
    for j in range(rows):
        lines.append(f"observation,by-az-trade,{1000 + j},{1900 + j},file {analyst},row {j},analyst-{analyst},,,")
    lines.append(f"forecast,by-az-trade-1bn,,,,,analyst-{analyst},0.{analyst + 1},analyst-{analyst},2025-0{analyst % 9 + 1}-15")
    path = root / f"logs-{analyst}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


MORE = """\
    propositions:
      - id: second-plant
        kind: event
        title: A second joint plant opens
        quote: "a second plant"
        source: huseynov-2024
        stated_by: huseynov
        stated_on: 2024-05-20
        deadline: 2028-12-31
        observations:
          - {as_of: 2025-06-01, value: partly, source: belstat-2026}
    """


def test_eight_analysts_importing_at_once_while_definitions_change(team: Run):
    assert team("list").exit_code == 0
    team.write("forecasts/more.yaml", MORE)  # every importer finds the definitions changed and syncs first
    rows = 50
    files = [_import_file(team.root, i, rows) for i in range(WRITERS)]
    _all_succeeded(_at_once(team.root, team.db_url, [["import", str(path)] for path in files]))

    per_analyst = _query(team.db_url, "SELECT recorded_by, count(*) FROM observation WHERE origin = 'log' GROUP BY recorded_by ORDER BY recorded_by")
    assert per_analyst == [(f"analyst-{i}", rows) for i in range(WRITERS)]
    assert _query(team.db_url, "SELECT count(*) FROM forecast") == [(WRITERS,)]
    assert _query(team.db_url, "SELECT count(*) FROM proposition") == [(3,)]
    assert _query(team.db_url, "SELECT count(*) FROM observation WHERE origin = 'definition'") == [(2,)]
    assert _query(team.db_url, "SELECT count(*) FROM definition_file") == [(2,)]


def test_db_upgrade_by_several_operators_at_once(workspace: Path, empty_db_url: str):
    results = _at_once(workspace, empty_db_url, [["db", "upgrade"]] * 4)
    _all_succeeded(results)

    said = sorted(result.stdout.split(": ", 1)[1].strip() for result in results)
    assert said == [f"schema (empty) -> {HEAD}"] + [f"schema {HEAD} already; nothing to do"] * 3
    assert _query(empty_db_url, "SELECT version_num FROM alembic_version") == [(HEAD,)]



def test_sqlite_answering_busy_at_once_is_retried_but_a_real_error_is_not():
    calls: list[str] = []

    def busy_twice() -> None:
        calls.append("try")
        if len(calls) < 3:
            raise sqlite3.OperationalError("database is locked")

    _retry_busy(busy_twice)
    assert calls == ["try"] * 3

    def broken() -> None:
        calls.append("broken")
        raise sqlite3.OperationalError("no such table: observation")

    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        _retry_busy(broken)
    assert calls.count("broken") == 1


def test_a_writer_holding_sqlite_past_the_timeout_gets_one_line_and_nothing_is_written(workspace: Path, tmp_path: Path,
                                                                                         monkeypatch: pytest.MonkeyPatch):
    run = Run(workspace, f"sqlite:///{tmp_path / 'held.db'}", CliRunner())
    run.write("forecasts/sample.yaml", SAMPLE)
    assert run("list").exit_code == 0
    monkeypatch.setenv("TRACKER_BUSY_TIMEOUT", "0.3")
    holder = sqlite3.connect(tmp_path / "held.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another analyst's long import, say
    try:
        result = run("observe", "by-az-trade", "497", "--as-of", "2025", "--source", "Belstat")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"database sqlite:///{tmp_path / 'held.db'} is locked: another command kept writing for more "
                                     "than 0.3 s; try again when it has finished, or wait longer (TRACKER_BUSY_TIMEOUT=SECONDS)")
    assert _query(run.db_url, "SELECT count(*) FROM observation WHERE origin = 'log'") == [(0,)]
