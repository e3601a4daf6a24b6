"""Logging figures as the world reports them, and forecasts that count from when they were logged.

`tracker observe` (units, bounds and ranges, numbers as published, partial periods, the jump
warning), `tracker forecast` (--note, --by, the day it claims) and the same through the Python
API and import files: each path stores the same thing, and each refuses the same mistake with
the same message under its own name for the field. The real CLI on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

import tracker
from tests.conftest import Run
from tracker.api import JumpWarning
from tracker.errors import InputError

SUMMED = """\
metrics:
  - id: trade-sum
    name: Belarus-Azerbaijan trade, the total of its months
    unit: USD million
    period: year
    aggregate: sum
  - id: oil
    name: Oil supplies
    unit: tonne
    period: quarter
    aggregate: sum
"""


@pytest.fixture
def figures(sample: Run) -> Run:
    """The sample workspace, with two metrics whose period's figure is the sum of its parts."""
    sample.write("forecasts/summed.yaml", SUMMED)
    return sample


@pytest.fixture
def api(figures: Run) -> Iterator[tracker.Tracker]:
    with tracker.open(figures.root, db=figures.db_url, user="tester") as opened:
        yield opened


def logged(run: Run) -> list[dict]:  # type: ignore[type-arg]
    """Every logged record, as `tracker export --format jsonl` writes it."""
    result = run("export", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def refused(result) -> str:  # type: ignore[no-untyped-def]
    """The one line of a refused command (exit 2, nothing on standard output)."""
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    assert "Traceback" not in result.output
    [line] = result.stderr.splitlines()
    return line


def imported(run: Run, name: str, text: str) -> object:
    path = run.root / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return run("import", str(path))


# --- units ------------------------------------------------------------------------------------------


def test_a_value_in_a_scaled_unit_is_converted_and_kept_as_written(figures: Run) -> None:
    result = figures("observe", "by-az-trade", "1.5", "--unit", "USD billion", "--as-of", "2024", "--source", "Belstat")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(" by-az-trade 2024 = 1500.0 (written 1.5 USD billion) (by tester)\n")
    for value, unit in (("360.1", "thousand tonne"), ("0.3601", "million tonne"), ("360.1", "kilotonne")):
        assert figures("observe", "oil", value, "--unit", unit, "--as-of", "2021-Q1", "--source", "Belneftekhim").exit_code == 0
    rows = logged(figures)
    assert [(r["value"], r.get("unit")) for r in rows] == [
        ("1.5", "USD billion"), ("360.1", "thousand tonne"), ("0.3601", "million tonne"), ("360.1", "kilotonne")]
    latest = json.loads(figures("list", "--format", "json").stdout)["propositions"]
    assert next(p for p in latest if p["id"] == "by-az-trade-1bn")["latest"]["value"] == 1500.0


def test_a_unit_of_the_metrics_own_is_no_unit_at_all(api: tracker.Tracker) -> None:
    observation = api.observe("by-az-trade", 497, as_of="2024", source="Belstat", unit="USD  million")
    assert (observation.value, observation.written) == (497.0, None)


@pytest.mark.parametrize(("target", "unit", "message"), [
    ("by-az-trade", "EUR million", "EUR million does not convert into USD million: currencies never convert into each other; "
                                   "give the value in USD million"),
    ("oil", "widgets", "widgets does not convert into tonne: 'widgets' is not a unit tracker knows, so only tonne or its "
                       "scaled forms (thousand, million, billion) fit"),
    ("oil", "USD", "USD does not convert into tonne: USD is a currency; give the value in tonne (or tonne thousand, million, "
                   "billion)"),
    ("fertilizer-jv", "tonne", "an event's observation has no unit: its value is yes, partly or no"),
])
def test_a_unit_that_does_not_convert_is_refused_on_every_path(figures: Run, api: tracker.Tracker, target: str, unit: str,
                                                               message: str) -> None:
    value, as_of = ("yes", "2025-10-28") if target == "fertilizer-jv" else ("3", "2024" if target == "by-az-trade" else "2024-Q1")
    assert refused(figures("observe", target, value, "--unit", unit, "--as-of", as_of, "--source", "s")) == f"--unit: {message}"
    with pytest.raises(InputError) as raised:
        api.observe(target, value, as_of=as_of, source="s", unit=unit)
    assert str(raised.value) == f"unit: {message}"
    result = imported(figures, "rows.csv", f"type,target,value,unit,as_of\nobservation,{target},{value},{unit},{as_of}\n")
    assert result.stderr.splitlines()[0].endswith(f"rows.csv:2: unit: {message}")  # type: ignore[attr-defined]
    assert logged(figures) == []


# --- numbers and bounds --------------------------------------------------------------------------------


def _log_value(run: Run, api: tracker.Tracker, path: str, value: str) -> object:
    """Log `value` for by-az-trade 2024 by one path; returns the outcome as the user sees it."""
    if path == "cli":
        return run("observe", "by-az-trade", value, "--as-of", "2024", "--source", "s")
    if path == "api":
        return api.observe("by-az-trade", value, as_of="2024", source="s")
    if path == "csv":
        return imported(run, "rows.csv", f'type,target,value,as_of,source\nobservation,by-az-trade,"{value}",2024,s\n')
    row = {"type": "observation", "target": "by-az-trade", "value": value, "as_of": "2024", "source": "s"}
    return imported(run, "rows.jsonl", json.dumps(row) + "\n")


PATHS = ["cli", "api", "csv", "jsonl"]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("written", ["1,500", "1 500", "1\u202f500"])
def test_grouped_thousands_are_one_number_on_every_path(figures: Run, api: tracker.Tracker, path: str, written: str) -> None:
    _log_value(figures, api, path, written)
    [row] = logged(figures)
    assert row["value"] == written.replace("\u202f", " ")  # kept as written (spaces as plain spaces)
    latest = json.loads(figures("list", "--format", "json").stdout)["propositions"]
    assert next(p for p in latest if p["id"] == "by-az-trade-1bn")["latest"]["value"] == 1500.0


AMBIGUOUS = {
    "1,5": "1,5 is ambiguous: 1.5 or 15? write 1.5 (decimal point) or 15",
    "1,50": "1,50 is ambiguous: 1.50 or 150? write 1.50 (decimal point) or 150",
    "1.234,5": "1.234,5 uses a comma as the decimal mark: write 1234.5 (decimal point, no thousands separator)",
    "1,2,3": "1,2,3 is not one number: commas only separate groups of three digits (1,500); write 123 if that is meant",
}


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("written", list(AMBIGUOUS))
def test_a_decimal_comma_is_refused_naming_the_readings_on_every_path(figures: Run, api: tracker.Tracker, path: str,
                                                                      written: str) -> None:
    if path == "api":
        with pytest.raises(InputError) as raised:
            _log_value(figures, api, path, written)
        assert str(raised.value) == f"value: {AMBIGUOUS[written]}"
    else:
        result = _log_value(figures, api, path, written)
        expected = {"cli": "VALUE: ", "csv": f"{figures.root / 'rows.csv'}:2: value: ",
                    "jsonl": f"{figures.root / 'rows.jsonl'}:1: value: "}[path] + AMBIGUOUS[written]
        assert result.stderr.splitlines()[0] == expected  # type: ignore[attr-defined]
        assert result.exit_code == 2  # type: ignore[attr-defined]
    assert logged(figures) == []


@pytest.mark.parametrize(("written", "status", "progress"), [
    (">400", "overdue", None),  # above 400 might be 1200: decides nothing
    ("<500", "not_materialised", 0.09),  # every value it allows misses 1000
    (">1000", "materialised", None),
    ("400..500", "not_materialised", 0.0),  # the middle, 450, is the baseline
])
def test_a_bound_or_range_decides_only_where_every_value_it_allows_does(figures: Run, written: str, status: str,
                                                                         progress: float | None) -> None:
    result = figures("observe", "by-az-trade", written, "--as-of", "2025", "--source", "Belstat")
    assert result.exit_code == 0, result.output
    assert f"(written {written})" in result.stdout
    rows = json.loads(figures("list", "--format", "json").stdout)["propositions"]
    row = next(p for p in rows if p["id"] == "by-az-trade-1bn")
    assert row["status"] == status
    if progress is not None:
        assert round(row["progress"], 2) == progress
    assert logged(figures)[0]["value"] == written


@pytest.mark.parametrize(("written", "message"), [
    (">>400", ">>400 is not a number or a bound: write 400, >400, >=400, <500, <=500 or a range 400..500"),
    ("500..400", "500..400: the range runs backwards; write 400..500"),
    ("400-500", "400-500 is not a number; a range is written with two dots: 400..500"),
])
def test_a_malformed_bound_is_refused(figures: Run, written: str, message: str) -> None:
    assert refused(figures("observe", "by-az-trade", written, "--as-of", "2025", "--source", "s")) == f"VALUE: {message}"


# --- partial periods -----------------------------------------------------------------------------------


def test_a_partial_figure_runs_through_a_period_inside_as_of(figures: Run, api: tracker.Tracker) -> None:
    result = figures("observe", "trade-sum", "274", "--as-of", "2025", "--through", "2025-08", "--source", "Belstat")
    assert result.exit_code == 0, result.output
    assert " trade-sum 2025 (through 2025-08) = 274.0 (by tester)" in result.stdout
    observation = api.observe("oil", "360.1", unit="thousand tonne", as_of="2021-Q1", through="2021-02", source="x")
    assert (observation.through.label if observation.through else None, observation.value) == ("2021-02", 360100.0)
    assert [(r["as_of"], r.get("through")) for r in logged(figures)] == [("2025", "2025-08"), ("2021-Q1", "2021-02")]


@pytest.mark.parametrize(("target", "as_of", "through", "message"), [
    ("by-az-trade", "2025", "2025-08",
     "metric 'by-az-trade' does not say `aggregate: sum`, so a figure for part of a period cannot stand for the whole; "
     "add `aggregate: sum` to the metric if its period's figure is the total of its parts"),
    ("trade-sum", "2025", "2026-03",
     "through 2026-03 lies outside as_of 2025: a partial figure covers the start of its period, from 2025-01-01 to the end "
     "of through"),
    ("trade-sum", "2025", "2025-12", "through 2025-12 reaches the end of as_of 2025: that is the whole period's figure; "
                                     "leave out through"),
    ("trade-sum", "2025", "August", "not a period: 'August' (use 2024, 2024-Q2, 2024-05 or 2024-05-16)"),
    ("fertilizer-jv", "2025-10-28", "2025-10",
     "an event's observation has no through: through marks a partial figure of a metric"),
])
def test_through_is_refused_outside_its_period_or_metric(figures: Run, api: tracker.Tracker, target: str, as_of: str,
                                                          through: str, message: str) -> None:
    value = "no" if target == "fertilizer-jv" else "274"
    assert refused(figures("observe", target, value, "--as-of", as_of, "--through", through, "--source", "s")) == \
        f"--through: {message}"
    with pytest.raises(InputError, match="^through: "):
        api.observe(target, value, as_of=as_of, through=through, source="s")
    result = imported(figures, "rows.csv", f"type,target,value,as_of,through\nobservation,{target},{value},{as_of},{through}\n")
    assert result.stderr.splitlines()[0] == f"{figures.root / 'rows.csv'}:2: through: {message}"  # type: ignore[attr-defined]
    assert logged(figures) == []


# --- jumps ------------------------------------------------------------------------------------------------


JUMP = ("5600 is more than ten times the nearest known value (497 for 2024); logged all the same: check the digits "
        "and the unit")


def test_a_tenfold_jump_is_logged_with_a_one_line_warning(figures: Run, api: tracker.Tracker) -> None:
    assert figures("observe", "by-az-trade", "497", "--as-of", "2024", "--source", "Belstat").exit_code == 0
    result = figures("observe", "by-az-trade", "5600", "--as-of", "2025", "--source", "Belstat")
    assert result.exit_code == 0
    assert result.stdout.startswith("logged: o-")
    assert result.stderr == f"by-az-trade 2025: {JUMP} (warning)\n"
    assert figures("observe", "by-az-trade", "4970", "--as-of", "2023", "--source", "Belstat").stderr == ""  # ten times: fine
    with pytest.warns(JumpWarning, match="^by-az-trade 2022: 49 is less than a tenth of the nearest known value"):
        api.observe("by-az-trade", 49, as_of="2022", source="Belstat")


def test_an_import_warns_of_a_jump_at_its_line_once(figures: Run) -> None:
    text = "type,target,value,as_of,source\nobservation,by-az-trade,497,2024,s\nobservation,by-az-trade,5600,2025,s\n"
    first = imported(figures, "rows.csv", text)
    assert first.exit_code == 0  # type: ignore[attr-defined]
    assert first.stderr == f"{figures.root / 'rows.csv'}:3: by-az-trade 2025: {JUMP} (warning)\n"  # type: ignore[attr-defined]
    again = imported(figures, "rows.csv", text)
    assert again.stderr == ""  # type: ignore[attr-defined]  # nothing added: nothing to warn about


def test_validate_lists_jumps_in_definition_files_as_warnings(figures: Run) -> None:
    figures.write("forecasts/yearbook.yaml", """\
        observations:
          - {target: by-az-trade, as_of: 2024, value: 4600, source: huseynov-2024}
        """)
    result = figures("validate")
    assert result.exit_code == 0
    check = "logged all the same: check the digits and the unit (warning)"
    assert result.stderr.splitlines() == [  # each figure against the nearest other period of its metric
        f"forecasts/sample.yaml:19: by-az-trade 2023: 450 is less than a tenth of the nearest known value (4600 for 2024); {check}",
        f"forecasts/yearbook.yaml:2: by-az-trade 2024: 4600 is more than ten times the nearest known value (450 for 2023); {check}",
    ]


# --- forecasts --------------------------------------------------------------------------------------------


def test_a_forecast_keeps_its_note_and_is_by_the_session_user(figures: Run, api: tracker.Tracker) -> None:
    result = figures("forecast", "fertilizer-jv", "0.2", "--note", "  base rate: 1 in 5 such plans  ")
    assert result.exit_code == 0, result.output
    assert " tester gives fertilizer-jv 20% on " in result.stdout
    forecast = api.forecast("fertilizer-jv", 0.3, by="analyst-a", note="after the visit")
    assert (forecast.forecaster, forecast.note, forecast.recorded_by) == ("analyst-a", "after the visit", "tester")
    assert [(r["forecaster"], r["note"]) for r in logged(figures)] == [
        ("tester", "  base rate: 1 in 5 such plans  "), ("analyst-a", "after the visit")]


def test_a_forecast_made_later_than_today_or_before_the_statement_is_refused(figures: Run, api: tracker.Tracker) -> None:
    tomorrow = date.today() + timedelta(days=1)
    later = f"{tomorrow} is later than today ({date.today()}): a forecast is logged on or after the day it is made"
    before = "2024-05-19 is before fertilizer-jv was stated (2024-05-20): a forecast cannot be made about a statement not yet made"
    assert refused(figures("forecast", "fertilizer-jv", "0.2", "--on", str(tomorrow))) == f"--on: {later}"
    assert refused(figures("forecast", "fertilizer-jv", "0.2", "--on", "2024-05-19")) == f"--on: {before}"
    for on, message in ((tomorrow, later), ("2024-05-19", before)):
        with pytest.raises(InputError) as raised:
            api.forecast("fertilizer-jv", 0.2, on=on)
        assert str(raised.value) == f"on: {message}"
        result = imported(figures, "rows.csv", f"type,target,probability,forecaster,made_on\nforecast,fertilizer-jv,0.2,a,{on}\n")
        assert result.stderr.splitlines()[0] == f"{figures.root / 'rows.csv'}:2: made_on: {message}"  # type: ignore[attr-defined]
    assert figures("forecast", "fertilizer-jv", "0.2", "--on", "2024-05-20").exit_code == 0  # the day it was stated
    assert len(logged(figures)) == 1


def test_an_imported_forecast_keeps_its_recorded_at_and_note(figures: Run) -> None:
    result = imported(figures, "rows.jsonl", """\
        {"type": "forecast", "target": "fertilizer-jv", "probability": "25%", "forecaster": "analyst-a", "made_on": "2025-01-10", "recorded_at": "2025-01-10T09:00:00+02:00", "note": "base rate"}
        {"type": "forecast", "target": "by-az-trade-1bn", "probability": 0.4, "forecaster": "analyst-b", "made_on": "2024-06-01"}
        """)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    second, first = logged(figures)  # by the day made
    assert (first["recorded_at"], first["note"], first["probability"]) == ("2025-01-10T07:00:00.000000", "base rate", 0.25)
    assert second["recorded_at"] > first["recorded_at"]  # the time of the import
    assert "note" not in second


# --- one set of checks ----------------------------------------------------------------------------------


MISTAKES = [  # (the command line, its flag; the API call, its argument; an import row, its column; the message)
    (("observe", "by-az-trade", "3", "--as-of", "2024-Q2", "--source", "s"), "--as-of",
     lambda t: t.observe("by-az-trade", 3, as_of="2024-Q2", source="s"), "as_of",
     "type,target,value,as_of\nobservation,by-az-trade,3,2024-Q2\n", "2024-Q2 is a quarter, but by-az-trade is measured by year"),
    (("observe", "by-az-trade", "3", "--as-of", "2024", "--source", "s", "--grade", "Z9"), "--grade",
     lambda t: t.observe("by-az-trade", 3, as_of="2024", source="s", grade="Z9"), "grade",
     "type,target,value,as_of,grade\nobservation,by-az-trade,3,2024,Z9\n",
     "'Z9' is not an Admiralty grade like B2 (reliability A-F, credibility 1-6)"),
    (("observe", "fertilizer-jv", "maybe", "--as-of", "2025-10-28", "--source", "s"), "VALUE",
     lambda t: t.observe("fertilizer-jv", "maybe", as_of="2025-10-28", source="s"), "value",
     "type,target,value,as_of\nobservation,fertilizer-jv,maybe,2025-10-28\n", "an event takes yes, partly or no, got 'maybe'"),
    (("observe", "nowhere", "3", "--as-of", "2024", "--source", "s"), "TARGET",
     lambda t: t.observe("nowhere", 3, as_of="2024", source="s"), "target",
     "type,target,value,as_of\nobservation,nowhere,3,2024\n", "no metric or event proposition 'nowhere'; `tracker metrics` lists the metrics, `tracker list` the propositions"),
    (("forecast", "fertilizer-jv", "120%"), "PROBABILITY", lambda t: t.forecast("fertilizer-jv", "120%"), "probability",
     "type,target,probability,forecaster\nforecast,fertilizer-jv,120%,a\n",
     "120% is not a probability: give a number from 0 to 1 (0.7) or a percentage (70%)"),
    (("resolve", "fertilizer-jv", "--status", "done", "--why", "w"), "--status",
     lambda t: t.resolve("fertilizer-jv", status="done", why="w"), "status",
     "type,target,status,why\nruling,fertilizer-jv,done,w\n", "'done' is not one of materialised, partly, not_materialised, annulled"),
]


@pytest.mark.parametrize(("args", "flag", "call", "argument", "row", "message"), MISTAKES)
def test_the_same_mistake_reads_the_same_on_every_path(figures: Run, api: tracker.Tracker, args: tuple[str, ...], flag: str,
                                                       call, argument: str, row: str, message: str) -> None:  # type: ignore[no-untyped-def]
    assert refused(figures(*args)) == f"{flag}: {message}"
    with pytest.raises(InputError) as raised:
        call(api)
    assert str(raised.value) == f"{argument}: {message}"
    result = imported(figures, "rows.csv", row)
    assert result.stderr.splitlines()[0] == f"{figures.root / 'rows.csv'}:2: {argument}: {message}"  # type: ignore[attr-defined]
    assert logged(figures) == []
