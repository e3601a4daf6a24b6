"""The core commands end to end, as a user runs them, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
import time

import pytest

from tests.conftest import Run, past


def listed(run: Run, *args: str) -> dict[str, dict]:
    result = run("list", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return {row["id"]: row for row in json.loads(result.stdout)["propositions"]}


def test_validate_counts_a_good_workspace(sample: Run) -> None:
    result = sample("validate")
    assert result.exit_code == 0
    assert result.stdout.strip() == "ok: 2 sources, 2 actors, 1 metrics, 2 propositions, 0 scenario sets in 1 file(s)"


def test_validate_reports_every_problem_with_its_entry(sample: Run) -> None:
    sample.write("forecasts/bad.yaml", """\
        actors:
          - id: x
            name: X
            role: king
          - {id: lukashenka, name: Again, role: official}
        """)
    result = sample("validate")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "forecasts/bad.yaml:4: actor 'x': role: Input should be 'official', 'analyst' or 'organisation'",
        "      - id: x",
        "        name: X",
        "        role: king",
        "forecasts/sample.yaml:11: duplicate id 'lukashenka': already defined at forecasts/bad.yaml:5",
        "2 problem(s) in 2 file(s)",
    ]


def test_list_shows_status_latest_and_deadline(sample: Run) -> None:
    rows = listed(sample, "--as-of", "2025-06-30")
    assert rows["by-az-trade-1bn"]["status"] == "no_data"
    assert rows["by-az-trade-1bn"]["deadline"] == "2025-12-31"
    assert rows["fertilizer-jv"]["status"] == "open"
    table = sample("list")
    assert table.exit_code == 0
    assert "by-az-trade-1bn" in table.stdout and "fertilizer-jv" in table.stdout


def test_observe_then_list_shows_the_latest_value(sample: Run) -> None:
    result = sample("observe", "by-az-trade", "497", "--as-of", "2024", "--source", "Belstat", "--grade", "b2")
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"logged: o-[a-z2-7]{12} by-az-trade 2024 = 497\.0 \(by tester\)", result.stdout.strip())
    row = listed(sample)["by-az-trade-1bn"]
    assert row["latest"] == {"value": 497.0, "as_of": "2024", "source": "Belstat", "grade": "B2", "written": None}
    assert row["progress"] == pytest.approx((497 - 450) / (1000 - 450), abs=1e-4)


def test_a_correction_supersedes_and_both_stay_visible(sample: Run) -> None:
    assert sample("observe", "by-az-trade", "497", "--as-of", "2024", "--source", "BelTA").exit_code == 0
    time.sleep(0.01)
    assert sample("observe", "by-az-trade", "512", "--as-of", "2024", "--source", "Belstat revision", "--by", "ana").exit_code == 0
    detail = json.loads(sample("show", "by-az-trade-1bn", "--format", "json").stdout)
    logged = [o for o in detail["observations"] if o["as_of"] == "2024"]
    assert [(o["value"], o["superseded"], o["recorded_by"]) for o in logged] == [(497.0, True, "tester"), (512.0, False, "ana")]
    text = sample("show", "by-az-trade-1bn").stdout
    assert "SUPERSEDED" in text and "Belstat revision" in text


def test_event_observation_forecast_and_ruling_show_up(sample: Run) -> None:
    assert sample("observe", "fertilizer-jv", "partly", "--as-of", "2025-10-28", "--source", "Trend", "--note", "site chosen").exit_code == 0
    assert sample("forecast", "fertilizer-jv", "0.3", "--by", "analyst-a", "--on", "2025-01-10").exit_code == 0
    assert sample("resolve", "by-az-trade-1bn", "--status", "not_materialised", "--why", "2025 total was $497M", "--on", "2026-02-10").exit_code == 0
    assert listed(sample)["fertilizer-jv"]["status"] == ("partly" if past("2027-12-31") else "in_progress")
    assert listed(sample)["by-az-trade-1bn"]["status"] == "not_materialised"
    text = sample("show", "fertilizer-jv").stdout
    for expected in ("the organization of joint fertilizer production in Azerbaijan", "Rasim Huseynov", "2027-12-31",
                     "Construction has started", "partly", "site chosen", "analyst-a: 30%"):
        assert expected in text


def test_definitions_are_synced_when_a_file_changes(sample: Run) -> None:
    assert "fertilizer-jv" in listed(sample)
    text = (sample.root / "forecasts/sample.yaml").read_text()
    (sample.root / "forecasts/sample.yaml").write_text(text.replace("title: A joint fertilizer plant", "title: A joint potash plant"))
    rows = listed(sample)
    assert rows["fertilizer-jv"]["title"] == "A joint potash plant is built in Azerbaijan"


def test_logged_observations_survive_a_definition_change(sample: Run) -> None:
    assert sample("observe", "by-az-trade", "497", "--as-of", "2024", "--source", "Belstat").exit_code == 0
    sample.write("forecasts/more.yaml", "actors:\n  - {id: newcomer, name: N, role: analyst}\n")
    assert listed(sample)["by-az-trade-1bn"]["latest"] == {"value": 497.0, "as_of": "2024", "source": "Belstat", "grade": None, "written": None}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["observe", "by-az-trade", "lots", "--as-of", "2024", "--source", "x"], "VALUE: lots is not a number"),
        (["observe", "by-az-trade", "inf", "--as-of", "2024", "--source", "x"], "VALUE: inf is not a number"),
        (["observe", "by-az-trade", "1", "--as-of", "2024-13", "--source", "x"], "--as-of: impossible date in '2024-13': month must be in 1..12"),
        (["observe", "by-az-trade", "1", "--as-of", "2024-Q2", "--source", "x"], "--as-of: 2024-Q2 is a quarter, but by-az-trade is measured by year"),
        (["observe", "by-az-trade", "1", "--as-of", "2024", "--source", "x", "--grade", "Z9"], "--grade: 'Z9' is not an Admiralty grade like B2 (reliability A-F, credibility 1-6)"),
        (["observe", "by-az-trade-1bn", "1", "--as-of", "2024", "--source", "x"], "TARGET: 'by-az-trade-1bn' is a target proposition; log its observations on its metric 'by-az-trade'"),
        (["observe", "nothing", "1", "--as-of", "2024", "--source", "x"], "TARGET: no metric or event proposition 'nothing'; `tracker metrics` lists the metrics, `tracker list` the propositions"),
        (["observe", "fertilizer-jv", "maybe", "--as-of", "2025", "--source", "x"], "VALUE: an event takes yes, partly or no, got 'maybe'"),
        (["forecast", "fertilizer-jv", "1.5", "--by", "a"], "PROBABILITY: 1.5 is not a probability: give a number from 0 to 1 (0.7) or a percentage (70%)"),
        (["forecast", "nothing", "0.5", "--by", "a"], "ID: no proposition 'nothing'; `tracker list` shows the ids"),
        (["forecast", "fertilizer-jv", "0.5", "--by", "a", "--on", "yesterday"], "--on: not a date: 'yesterday' (use YYYY-MM-DD)"),
        (["resolve", "fertilizer-jv", "--status", "done", "--why", "x"], "--status: 'done' is not one of materialised, partly, not_materialised, annulled"),
        (["list", "--as-of", "2025-02-30"], "--as-of: not a date: '2025-02-30' (use YYYY-MM-DD)"),
        (["list", "--format", "xml"], "--format: 'xml' is not one of table, json"),
        (["show", "nothing"], "ID: no proposition 'nothing'; `tracker list` shows the ids"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_changes_nothing(sample: Run, args: list[str], message: str) -> None:
    assert sample("observe", "by-az-trade", "497", "--as-of", "2024", "--source", "Belstat").exit_code == 0
    before = sample("show", "fertilizer-jv", "--format", "json").stdout + sample("show", "by-az-trade-1bn", "--format", "json").stdout
    result = sample(*args)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [message]
    assert "Traceback" not in result.output
    after = sample("show", "fertilizer-jv", "--format", "json").stdout + sample("show", "by-az-trade-1bn", "--format", "json").stdout
    assert after == before


def test_broken_definitions_stop_commands_with_their_lines(sample: Run) -> None:
    sample.write("forecasts/bad.yaml", "actors:\n  - {id: x, name: X}\n")
    result = sample("list")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["forecasts/bad.yaml:2: actor 'x': role: required field is missing"]


def test_help_for_every_command(run: Run) -> None:
    result = run("--help")
    assert result.exit_code == 0
    for command in ("validate", "list", "show", "observe", "forecast", "resolve", "retract", "db"):
        assert command in result.stdout
        assert run(command, "--help").exit_code == 0
