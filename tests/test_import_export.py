"""`tracker import` and `tracker export`: all or nothing, FILE:LINE errors, no duplicates, round trip.

Every case runs the real CLI on SQLite and on PostgreSQL against the small `sample` workspace
(metric `by-az-trade` by year, target `by-az-trade-1bn`, event `fertilizer-jv`).
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from tests.conftest import PG_SERVER, Run

AS_OF = "2026-11-24"

MIXED = """\
type,target,value,as_of,source,grade,note,recorded_at,probability,forecaster,made_on,status,why
observation,by-az-trade,497,2024,belstat-2025,B2,,2025-02-10T09:00:00,,,,,
observation,by-az-trade,"1,020.5",2025,belstat-2026,B2,"preliminary, revised
in March",2026-02-10T09:00:00,,,,,
observation,fertilizer-jv,no,2025-10-28,news,,,,,,,,
forecast,by-az-trade-1bn,,,,,,,0.6,analyst-a,2024-06-01,,
forecast,fertilizer-jv,,,,,,,30%,analyst-a,2024-06-01,,
ruling,fertilizer-jv,,,,,,,,,2026-01-15,not_materialised,"No plant, no partner named"
"""


def write(run: Run, name: str, text: str, *, encoding: str = "utf-8", newline: str = "\n") -> str:
    """An import file in the workspace, dedented; returns the path to pass to the CLI."""
    path = run.root / name
    path.write_bytes(textwrap.dedent(text).replace("\n", newline).encode(encoding))
    return str(path)


def export(run: Run, *args: str) -> str:
    result = run("export", *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def scorecard(run: Run) -> str:
    result = run("scorecard", "--format", "json", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def empty_db(db_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A second database with nothing logged, on the same backend as `db_url`."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'second.db'}"
        return
    server = request.getfixturevalue("pg_server")
    name = server.create()
    yield make_url(PG_SERVER).set(database=name).render_as_string(hide_password=False)
    server.drop(name)


def test_import_logs_a_mix_of_observations_forecasts_and_rulings(sample: Run) -> None:
    result = sample("import", write(sample, "logs.csv", MIXED))
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("6 rows read; added 3 observations, 2 forecasts, 1 ruling, 0 retractions; 0 already logged\n")
    shown = json.loads(sample("show", "by-az-trade-1bn", "--format", "json").stdout)
    notes = [o["note"] for o in shown["observations"] if o["origin"] == "log"]
    assert notes == [None, "preliminary, revised\nin March"]
    assert json.loads(sample("show", "fertilizer-jv", "--format", "json").stdout)["status"] == "not_materialised"
    exported = export(sample)
    assert ",by-az-trade,\"1,020.5\",,2025,,belstat-2026,B2,\"preliminary, revised\nin March\",tester,2026-02-10T09:00:00.000000" in exported
    assert ",fertilizer-jv,,,,,,,,tester," in exported and ",0.3,analyst-a,2024-06-01,," in exported


def test_one_bad_row_imports_nothing_and_names_every_bad_line(sample: Run) -> None:
    path = write(sample, "bad.csv", """\
        type,target,value,as_of,probability,forecaster
        observation,by-az-trade,497,2024,,
        observation,by-az-trade,lots,2024,,
        observation,by-az-trade-1bn,500,2024,,
        observation,by-az-trade,500,2024-05,,
        forecast,by-az-trade-1bn,,,1.2,analyst-a
        forecast,nowhere,,,0.5,analyst-a
        comment,by-az-trade,,,,
        """)
    result = sample("import", path)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{path}:3: value: lots is not a number",
        f"{path}:4: target: 'by-az-trade-1bn' is a target proposition; log its observations on its metric 'by-az-trade'",
        f"{path}:5: as_of: 2024-05 is a month, but by-az-trade is measured by year",
        f"{path}:6: probability: 1.2 is not a probability: give a number from 0 to 1 (0.7) or a percentage (70%)",
        f"{path}:7: target: no proposition 'nowhere'; `tracker list` shows the ids",
        f"{path}:8: type 'comment' is not observation, forecast, ruling or retraction",
        f"{path}: 6 rows are bad; nothing was imported",
    ]
    assert export(sample) == ("type,id,target,value,unit,as_of,through,source,grade,note,recorded_by,recorded_at,probability,"
                              "forecaster,made_on,status,why\n")


def test_errors_past_twenty_are_counted_not_listed(sample: Run) -> None:
    rows = "".join(f"observation,by-az-trade,x{i},2024\n" for i in range(25))
    path = write(sample, "many.csv", "type,target,value,as_of\n" + rows)
    result = sample("import", path)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 21
    assert lines[0] == f"{path}:2: value: x0 is not a number"
    assert lines[19].startswith(f"{path}:21: ")
    assert lines[20] == f"{path}: 25 rows are bad (5 more not shown); nothing was imported"


def test_bom_crlf_and_quoted_newlines_keep_line_numbers(sample: Run) -> None:
    path = write(sample, "excel.csv", """\
        type,target,value,as_of,note
        observation,by-az-trade,497,2024,"three
        line
        note"
        observation,by-az-trade,oops,2025,
        """, encoding="utf-8-sig", newline="\r\n")
    result = sample("import", path)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == f"{path}:5: value: oops is not a number"
    write(sample, "excel.csv", Path(path).read_text(encoding="utf-8-sig").replace("oops", "1020"), encoding="utf-8-sig")
    assert sample("import", path).exit_code == 0
    shown = json.loads(sample("show", "by-az-trade-1bn", "--format", "json").stdout)
    assert [o["note"] for o in shown["observations"] if o["origin"] == "log"] == ["three\nline\nnote", None]


def test_json_lines_with_a_bad_line(sample: Run) -> None:
    path = write(sample, "logs.jsonl", """\
        {"type": "observation", "target": "by-az-trade", "value": 497, "as_of": 2024, "source": "belstat"}

        {"type": "forecast", "target": "fertilizer-jv", "probability": 0.3, "forecaster": "analyst-a"
        {"type": "ruling", "target": "fertilizer-jv", "status": "won", "why": "x"}
        """)
    result = sample("import", path)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{path}:3: not valid JSON: Expecting ',' delimiter at column 94",
        f"{path}:4: status: 'won' is not one of materialised, partly, not_materialised, annulled",
        f"{path}: 2 rows are bad; nothing was imported",
    ]


def test_empty_file_and_missing_header_are_bad_input(sample: Run) -> None:
    empty = write(sample, "empty.csv", "")
    result = sample("import", empty)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{empty}: the file is empty; expected a header row")
    headless = write(sample, "headless.csv", "observation,by-az-trade,497,2024\n")
    result = sample("import", headless)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{headless}:1: no header row: the first line must name the columns")
    typo = write(sample, "typo.csv", "type,target,value,asof\n")
    assert sample("import", typo).stderr.startswith(f"{typo}:1: unknown column 'asof'; columns are type, id, target, value, unit, as_of")
    result = sample("import", str(sample.root / "missing.csv"))
    assert (result.exit_code, result.stderr) == (2, f"FILE: {sample.root / 'missing.csv'} does not exist\n")


def test_dry_run_checks_and_counts_but_writes_nothing(sample: Run) -> None:
    path = write(sample, "logs.csv", MIXED)
    result = sample("import", "--dry-run", path)
    assert result.exit_code == 0
    assert "would add 3 observations, 2 forecasts, 1 ruling, 0 retractions; 0 already logged (dry run: nothing written)" in result.stdout
    assert export(sample).count("\n") == 1


def test_reimport_adds_nothing_even_without_recorded_at(sample: Run) -> None:
    path = write(sample, "logs.csv", MIXED)
    assert sample("import", path).exit_code == 0
    first = export(sample)
    again = sample("import", path)
    assert again.exit_code == 0
    assert again.stdout.endswith("6 rows read; added 0 observations, 0 forecasts, 0 rulings, 0 retractions; 6 already logged\n")
    assert export(sample) == first
    exported = write(sample, "export.jsonl", export(sample, "--format", "jsonl"))
    assert "6 already logged" in sample("import", exported).stdout
    assert export(sample) == first


def test_a_row_repeated_within_one_file_is_logged_once(sample: Run) -> None:
    path = write(sample, "twice.csv", """\
        type,target,value,as_of,source
        observation,by-az-trade,497,2024,belstat
        observation,by-az-trade,497,2024,belstat
        """)
    assert "added 1 observation, 0 forecasts, 0 rulings, 0 retractions; 1 already logged" in sample("import", path).stdout


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_export_imported_into_an_empty_database_gives_the_same_scorecard(sample: Run, empty_db: str, fmt: str) -> None:
    assert sample("import", write(sample, "logs.csv", MIXED)).exit_code == 0
    assert sample("observe", "by-az-trade", "1010", "--as-of", "2025", "--source", "belstat revision").exit_code == 0
    assert sample("resolve", "by-az-trade-1bn", "--status", "partly", "--why", "close enough", "--on", "2026-03-01").exit_code == 0
    exported = sample.root / f"all.{fmt}"
    assert sample("export", "-o", str(exported)).exit_code == 0
    fresh = Run(sample.root, empty_db, CliRunner())
    imported = fresh("import", str(exported))
    assert imported.exit_code == 0, imported.output
    assert scorecard(fresh) == scorecard(sample)
    assert export(fresh) == export(sample)
