"""Schema migrations: `tracker db upgrade` from the first revision keeps every row and the scorecard.

A database is created at the first migration only and filled the way that revision's code
wrote rows; upgrading it to the head must keep every observation, forecast and ruling, with
who logged it and when, and give the same scorecard as a database written at the head.
Meanwhile every other command refuses the older schema and leaves it as it was.

A database written by the release before record ids (schema 0002, tests/fixtures: a SQLite file
and a PostgreSQL dump, both made by that release's own command line) upgrades with every row kept
and each logged record given the id this code gives it; the upgraded schema is the one the
table classes describe.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path
from random import Random

import pytest
from sqlalchemy import text

from tests.conftest import Run
from tracker.core.ids import record_uid
from tracker.core.periods import parse_period
from tracker.core.records import Forecast, Observation, Ruling
from tracker.store.db import Store
from tracker.store.engine import HEAD, KNOWN_REVISIONS, MIGRATIONS, connect, upgrade

FIRST = KNOWN_REVISIONS[0]
OBSERVATIONS = [  # target, as_of, period_end, value_num, value_text, recorded_at, source, grade, note, recorded_by
    ("by-az-trade", "2024", date(2024, 12, 31), 700.0, None, datetime(2025, 2, 1, 9, 30), "Belstat 2025", "A1", None, "ana"),
    ("by-az-trade", "2025", date(2025, 12, 31), 497.0, None, datetime(2026, 2, 10, 8, 0), "Belstat 2026", "A1", None, "ana"),
    ("by-az-trade", "2025", date(2025, 12, 31), 512.5, None, datetime(2026, 3, 1, 16, 45), "Belstat revision", "A2", "revised", "ben"),
    ("fertilizer-jv", "2025-10-28", date(2025, 10, 28), None, "partly", datetime(2025, 10, 29, 12, 0), "BelTA", "B2", "site chosen", "ana"),
]
FORECASTS = [  # proposition, probability, forecaster, made_on, recorded_at, recorded_by
    ("by-az-trade-1bn", 0.6, "analyst-a", date(2024, 6, 1), datetime(2024, 6, 1, 10, 0), "ana"),
    ("by-az-trade-1bn", 0.3, "analyst-b", date(2025, 3, 1), datetime(2025, 3, 1, 11, 0), "ben"),
    ("fertilizer-jv", 0.25, "analyst-a", date(2025, 1, 10), datetime(2025, 1, 10, 9, 0), "ana"),
]
RULINGS = [  # proposition, status, why, made_on, recorded_at, recorded_by
    ("fertilizer-jv", "annulled", "the partner withdrew", date(2026, 1, 5), datetime(2026, 1, 6, 9, 0), "cleo"),
]
AS_OF = "2026-06-30"


def _write_as_first_revision(url: str) -> None:
    """Rows as the code of the first revision wrote them (its columns, nothing newer)."""
    engine = connect(url)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO observation (target, as_of, period_end, value_num, value_text, recorded_at, source, grade, note,"
            " recorded_by, origin) VALUES (:t, :a, :e, :n, :v, :r, :s, :g, :note, :by, 'log')"),
            [dict(zip(("t", "a", "e", "n", "v", "r", "s", "g", "note", "by"), row, strict=True)) for row in OBSERVATIONS])
        connection.execute(text(
            "INSERT INTO forecast (proposition, probability, forecaster, made_on, recorded_at, recorded_by, origin)"
            " VALUES (:p, :q, :f, :m, :r, :by, 'log')"),
            [dict(zip(("p", "q", "f", "m", "r", "by"), row, strict=True)) for row in FORECASTS])
        connection.execute(text(
            "INSERT INTO ruling (proposition, status, why, made_on, recorded_at, recorded_by, origin)"
            " VALUES (:p, :s, :w, :m, :r, :by, 'log')"),
            [dict(zip(("p", "s", "w", "m", "r", "by"), row, strict=True)) for row in RULINGS])
    engine.dispose()


def _write_at_head(url: str) -> None:
    """The same records, written by this code into a database at the head."""
    store = Store(connect(url))
    store.add_observations([Observation(target=t, as_of=parse_period(a), value=v if n is None else n, recorded_at=r, source=s,
                                        grade=g, note=note, recorded_by=by) for t, a, _e, n, v, r, s, g, note, by in OBSERVATIONS])
    store.add_forecasts([Forecast(proposition=p, probability=q, forecaster=f, made_on=m, recorded_at=r, recorded_by=by)
                         for p, q, f, m, r, by in FORECASTS])
    store.add_rulings([Ruling(proposition=p, status=s, why=w, made_on=m, recorded_at=r, recorded_by=by) for p, s, w, m, r, by in RULINGS])
    store.engine.dispose()


def _revision(url: str) -> str | None:
    from tracker.store.engine import schema_revision

    engine = connect(url)
    try:
        return schema_revision(engine)
    finally:
        engine.dispose()


def _scorecard(run: Run) -> dict:  # type: ignore[type-arg]
    result = run("scorecard", "--format", "json", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_upgrade_from_the_first_revision_keeps_every_row_and_the_scorecard(sample: Run, empty_db_url: str):
    assert sample("list").exit_code == 0  # the reference: a database of the same backend at the head
    _write_at_head(sample.db_url)
    reference = _scorecard(sample)

    sample.db_url = empty_db_url
    assert sample("db", "upgrade", "--to", FIRST).exit_code == 0
    _write_as_first_revision(empty_db_url)

    if HEAD != FIRST:
        refused = sample("list")
        assert refused.exit_code == 2
        assert refused.stderr.strip().endswith(f"has schema {FIRST}, older than this tracker's ({HEAD}): run `tracker db upgrade`")
        assert "older: run `tracker db upgrade`" in sample("db", "current").stdout
        assert sample("db", "check").exit_code == 2
        assert _revision(empty_db_url) == FIRST  # refused, not migrated behind the user's back

    upgraded = sample("db", "upgrade")
    assert upgraded.exit_code == 0
    assert upgraded.stdout.strip().endswith(f"schema {FIRST} -> {HEAD}; rows kept: observation 4, forecast 3, ruling 1, retraction 0")
    assert _revision(empty_db_url) == HEAD

    trade = json.loads(sample("show", "by-az-trade-1bn", "--format", "json", "--as-of", AS_OF).stdout)
    assert [(o["as_of"], o["value"], o["source"], o["grade"], o["note"], o["recorded_by"], o["recorded_at"], o["superseded"])
            for o in trade["observations"] if o["origin"] == "log"] == [
        ("2024", 700.0, "Belstat 2025", "A1", None, "ana", "2025-02-01T09:30:00", False),
        ("2025", 497.0, "Belstat 2026", "A1", None, "ana", "2026-02-10T08:00:00", True),
        ("2025", 512.5, "Belstat revision", "A2", "revised", "ben", "2026-03-01T16:45:00", False),
    ]
    assert [(f["forecaster"], f["probability"], f["made_on"], f["recorded_by"]) for f in trade["forecasts"]] == [
        ("analyst-a", 0.6, "2024-06-01", "ana"), ("analyst-b", 0.3, "2025-03-01", "ben")]
    plant = json.loads(sample("show", "fertilizer-jv", "--format", "json", "--as-of", AS_OF).stdout)
    assert [(o["value"], o["recorded_by"]) for o in plant["observations"]] == [("partly", "ana")]
    assert [(r["status"], r["why"], r["made_on"], r["recorded_by"]) for r in plant["rulings"]] == [
        ("annulled", "the partner withdrew", "2026-01-05", "cleo")]
    assert plant["status"] == "annulled"
    assert _scorecard(sample) == reference

    again = sample("db", "upgrade")
    assert again.exit_code == 0 and again.stdout.strip().endswith(f"schema {HEAD} already; nothing to do")


def test_a_newer_schema_is_refused_by_every_command(sample: Run):
    assert sample("list").exit_code == 0
    engine = connect(sample.db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    for command in (("list",), ("observe", "by-az-trade", "497", "--as-of", "2025", "--source", "x"), ("db", "upgrade"), ("db", "check")):
        result = sample(*command)
        assert result.exit_code == 2, command
        assert f"has schema 9999_future, newer than this tracker knows ({HEAD}): upgrade tracker" in result.stderr, command
    assert "newer than this tracker: upgrade tracker" in sample("db", "current").stdout
    assert _revision(sample.db_url) == "9999_future"


def test_db_upgrade_names_bad_revisions_and_does_not_downgrade(sample: Run):
    assert sample("db", "upgrade").exit_code == 0
    unknown = sample("db", "upgrade", "--to", "0099")
    assert unknown.exit_code == 2
    assert unknown.stderr.strip() == f"--to: unknown revision '0099'; this tracker knows {', '.join(KNOWN_REVISIONS)}"
    if HEAD != FIRST:
        back = sample("db", "upgrade", "--to", FIRST)
        assert back.exit_code == 2
        assert re.sub("^(--to|revision): ", "", back.stderr.strip()) == f"the database is at {HEAD}, past {FIRST}; tracker does not downgrade"
    assert _revision(sample.db_url) == HEAD


def test_head_is_alembics_head_and_the_history_is_linear():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    scripts = ScriptDirectory.from_config(config)
    assert scripts.get_heads() == [HEAD]
    assert tuple(reversed([s.revision for s in scripts.walk_revisions()])) == KNOWN_REVISIONS


@pytest.mark.parametrize("table", ["observation", "forecast", "ruling"])
def test_a_migration_that_loses_rows_is_rolled_back(table: str):
    from tracker.errors import DatabaseError
    from tracker.store.engine import _check_kept

    with pytest.raises(DatabaseError, match=f"would lose logged rows \\({table} 3 -> 2\\); nothing was changed"):
        _check_kept({table: 3}, {table: 2})


# --- a database written by the release before record ids (schema 0002) ----------------------------------------------

FIXTURES = Path(__file__).with_name("fixtures")
RELEASE_AS_OF = "2026-11-30"


def _release_database(backend: str, empty_url: str, tmp_path: Path) -> str:
    """A copy of the database the release wrote (tests/fixtures/make_release_databases.py), on this backend."""
    if backend == "sqlite":
        copy = tmp_path / "release.db"
        shutil.copyfile(FIXTURES / "release_0002.sqlite", copy)
        return f"sqlite:///{copy}"
    engine = connect(empty_url)
    upgrade(engine, "0002")
    statements = [line for line in (FIXTURES / "release_0002_postgresql.sql").read_text(encoding="utf-8").splitlines()
                  if line.startswith(("INSERT INTO", "SELECT pg_catalog.setval"))]
    with engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)
    engine.dispose()
    return empty_url


def _logged(url: str) -> dict[str, list[tuple]]:  # type: ignore[type-arg]
    """Every logged row of each log table, as the release wrote it (its columns), in id order."""
    columns = {
        "observation": "id, target, as_of, value_num, value_text, recorded_at, source, grade, note, recorded_by, row_key",
        "forecast": "id, proposition, probability, forecaster, made_on, recorded_at, recorded_by, source, note, row_key",
        "ruling": "id, proposition, status, why, made_on, recorded_at, recorded_by, source, row_key",
    }
    engine = connect(url)
    try:
        with engine.connect() as connection:
            return {table: [tuple(row) for row in connection.execute(text(
                f"SELECT {names} FROM {table} WHERE origin = 'log' ORDER BY id"))] for table, names in columns.items()}  # noqa: S608
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_database_of_the_release_before_ids_upgrades_keeping_every_row(backend: str, request: pytest.FixtureRequest,
                                                                         sample: Run, tmp_path: Path) -> None:
    empty_url = request.getfixturevalue("pg_empty_url") if backend == "postgres" else ""
    sample.db_url = _release_database(backend, empty_url, tmp_path)
    before = _logged(sample.db_url)
    assert [len(rows) for rows in before.values()] == [6, 3, 2]

    upgraded = sample("db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    assert upgraded.stdout.strip().endswith("schema 0002 -> 0003; rows kept: observation 7, forecast 3, ruling 2, retraction 0")
    assert _logged(sample.db_url) == before  # every row, column for column

    exported = sample("export", "--format", "jsonl")
    assert exported.exit_code == 0, exported.output
    records = [json.loads(line) for line in exported.stdout.splitlines()]
    for kind, rows in before.items():  # each logged record has the id this code gives it: from its row key and time
        given = {record_uid(kind, row[-1], _moment(row[5])) for row in rows}  # type: ignore[arg-type]
        assert {r["id"] for r in records if r["type"] == kind} == given
    assert [r["value"] for r in records if r.get("note") == "  revised in March  "] == [512.5]

    shown = json.loads(sample("show", "by-az-trade-1bn", "--format", "json", "--as-of", RELEASE_AS_OF).stdout)
    assert [o["origin"] for o in shown["observations"]].count("definition") == 1  # synced again after the upgrade
    ruling = next(r["id"] for r in records if r["type"] == "ruling" and r["target"] == "by-az-trade-1bn")
    assert sample("retract", ruling, "--why", "ruled on the wrong figure").exit_code == 0
    again = sample("retract", ruling, "--why", "twice")
    assert again.exit_code == 2 and again.stderr.startswith(f"ID: {ruling} was already withdrawn (x-")


def _moment(value: object) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def test_the_migration_gives_the_ids_this_code_gives() -> None:
    spec = importlib.util.spec_from_file_location("m0003", MIGRATIONS / "versions" / "0003_record_ids_and_figures.py")
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    random = Random(3)
    for _ in range(2000):
        key = f"{random.getrandbits(128):032x}"
        moment = datetime(1, 1, 1) + timedelta(microseconds=random.randrange(315_537_897_600_000_000))
        kind = random.choice(["observation", "forecast", "ruling"])
        assert migration.record_uid(kind, key, moment) == record_uid(kind, key, moment)


def test_the_upgraded_schema_is_the_one_the_tables_describe(empty_db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from tracker.store.tables import metadata

    engine = connect(empty_db_url)
    upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})  # 0001 wrote Text where the models say str
        differences = compare_metadata(context, metadata)
    engine.dispose()
    assert differences == []
