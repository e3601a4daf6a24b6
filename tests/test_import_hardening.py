"""Issue 19, the items of logging and import: each reproduced as the tester found it, then held.

6: padded notes break the round trip; 7: a decimal comma is misread; 12: `recorded_at` offsets at
the calendar's edge crash; 13: JSON Lines hazards (huge integers, a lone surrogate, deep nesting,
NUL); 18: a header of 200,000 repeated names is quadratic; 19: lines and fields of any length
(and /dev/zero) are read whole; 22: PostgreSQL import counts go wrong under concurrent observe.
Each refusal: one line at FILE:LINE, exit 2, database unchanged; SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from typer.testing import CliRunner

import tracker
from tests.conftest import Run
from tracker.errors import InputError
from tracker.load.rows import MAX_FIELD, MAX_LINE


def export(run: Run, fmt: str = "csv") -> str:
    result = run("export", "--format", fmt)
    assert result.exit_code == 0, result.output
    return result.stdout


def refused(run: Run, name: str, content: str | bytes) -> list[str]:
    """Import a file that must be refused: its lines on standard error; nothing imported."""
    before = export(run)
    path = run.root / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
    result = run("import", str(path))
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    assert "Traceback" not in result.output
    assert export(run) == before
    return [line.replace(str(path), name) for line in result.stderr.splitlines()]


def jsonl(**row: object) -> str:
    return json.dumps({"type": "observation", "target": "by-az-trade", "as_of": "2024", "source": "x", **row}) + "\n"


# --- item 6 -------------------------------------------------------------------------------------------------


def test_item_06_padded_text_round_trips_exactly(sample: Run, tmp_path: Path) -> None:
    for command in (
        ("observe", "by-az-trade", "497", "--as-of", "2024", "--source", "  Belstat  ", "--note", "  padded note  "),
        ("observe", "fertilizer-jv", "no", "--as-of", "2025-10-28", "--source", "BelTA", "--note", "\ttab and newline\n"),
        ("forecast", "fertilizer-jv", "0.3", "--note", " reasoning "),
        ("resolve", "fertilizer-jv", "--status", "annulled", "--why", "  the partner withdrew  ", "--by", " ana "),
    ):
        assert sample(*command).exit_code == 0
    notes = [row.get("note") for row in map(json.loads, export(sample, "jsonl").splitlines())]
    assert notes == ["  padded note  ", "\ttab and newline\n", " reasoning ", None]
    for fmt in ("csv", "jsonl"):
        path = sample.root / f"all.{fmt}"
        path.write_text(export(sample, fmt), encoding="utf-8")
        again = sample("import", str(path))
        assert again.stdout.endswith("; added 0 observations, 0 forecasts, 0 rulings, 0 retractions; 4 already logged\n")
        fresh = Run(sample.root, f"sqlite:///{tmp_path / f'fresh-{fmt}.db'}", CliRunner())
        assert fresh("import", str(path)).exit_code == 0
        assert export(fresh, fmt) == path.read_text(encoding="utf-8")


# --- item 7 -------------------------------------------------------------------------------------------------


def test_item_07_a_decimal_comma_is_refused_on_every_path(sample: Run) -> None:
    reading = "1,5 is ambiguous: 1.5 or 15? write 1.5 (decimal point) or 15"
    line = sample("observe", "by-az-trade", "1,5", "--as-of", "2024", "--source", "x")
    assert (line.exit_code, line.stderr) == (2, f"VALUE: {reading}\n")
    with tracker.open(sample.root, db=sample.db_url) as api, pytest.raises(InputError) as raised:
        api.observe("by-az-trade", "1,5", as_of="2024", source="x")
    assert str(raised.value) == f"value: {reading}"
    assert refused(sample, "rows.csv", 'type,target,value,as_of\nobservation,by-az-trade,"1,5",2024\n')[0] == f"rows.csv:2: value: {reading}"
    assert refused(sample, "rows.jsonl", jsonl(value="1.234,5"))[0] == (
        "rows.jsonl:1: value: 1.234,5 uses a comma as the decimal mark: write 1234.5 (decimal point, no thousands separator)")
    assert refused(sample, "rows.jsonl", jsonl(value="1,2,3"))[0] == (
        "rows.jsonl:1: value: 1,2,3 is not one number: commas only separate groups of three digits (1,500); write 123 if that is meant")
    assert refused(sample, "rows.jsonl", jsonl(type="forecast", target="fertilizer-jv", probability="0,5", forecaster="a",
                                               as_of=None, source=None))[0] == (
        "rows.jsonl:1: probability: 0,5 is ambiguous: 0.5 or 5? write 0.5 (decimal point) or 5; give a number from 0 to 1 "
        "(0.7) or a percentage (70%)")


# --- item 12 ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("moment", "edge"), [("0001-01-01T00:00:00+01:00", "before the first"),
                                              ("9999-12-31T23:59:59-01:00", "after the last")])
def test_item_12_recorded_at_past_the_calendars_edge_is_refused_at_its_line(sample: Run, moment: str, edge: str) -> None:
    lines = refused(sample, "rows.csv", f"type,target,value,as_of,recorded_at\nobservation,by-az-trade,497,2024,{moment}\n")
    assert lines == [f"rows.csv:2: recorded_at: {moment} is {edge} moment tracker can store in UTC "
                     "(0001-01-01T00:00:00 to 9999-12-31T23:59:59.999999)", "rows.csv: 1 row is bad; nothing was imported"]


def test_item_12_the_calendars_edges_themselves_are_stored(sample: Run) -> None:
    path = sample.root / "edges.csv"
    path.write_text("type,target,value,as_of,recorded_at\nobservation,by-az-trade,497,2024,0001-01-01T00:00:00\n"
                    "observation,by-az-trade,498,2024,9999-12-31T23:59:59.999999+00:00\n", encoding="utf-8")
    assert sample("import", str(path)).exit_code == 0
    assert [row["recorded_at"] for row in map(json.loads, export(sample, "jsonl").splitlines())] == [
        "0001-01-01T00:00:00.000000", "9999-12-31T23:59:59.999999"]


# --- item 13 ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("line", "message"), [
    (jsonl(value=int("9" * 400)), "value: a number of about 401 digits is too large"),
    ('{"type": "forecast", "target": "fertilizer-jv", "forecaster": "a", "probability": ' + "7" * 400 + "}\n",
     "probability: a number of about 401 digits is too large; give a number from 0 to 1 (0.7) or a percentage (70%)"),
    ('{"type": "observation", "target": "by-az-trade", "as_of": "2024", "value": ' + "1" * 5000 + "}\n",
     "a number of 5,000 digits is too large"),
    (jsonl(value=497, note="caf\ud800"), "note: holds a lone surrogate (\\ud800), half of a character; write the whole character"),
    (jsonl(value=497, note="a\x00b"), "note: holds a NUL character (\\x00), which text cannot hold; remove it"),
    ("[" * 100_000 + "]" * 100_000 + "\n", "nested too deeply: a row is one JSON object of text and numbers"),
    ('{"type": "observation", "target": "by-az-trade", "value": ' + "[" * 100_000 + "]" * 100_000 + "}\n",
     "nested too deeply: a row is one JSON object of text and numbers"),
])
def test_item_13_json_lines_hazards_are_refused_at_their_line(sample: Run, line: str, message: str) -> None:
    good = jsonl(value=497)
    assert refused(sample, "rows.jsonl", good + line) == [f"rows.jsonl:2: {message}", "rows.jsonl: 1 row is bad; nothing was imported"]


# --- item 18 ------------------------------------------------------------------------------------------------


def test_item_18_a_header_of_200000_repeated_names_answers_at_once(sample: Run) -> None:
    started = time.perf_counter()
    lines = refused(sample, "rows.csv", "type,target," + ",".join(["value"] * 200_000) + "\n")
    assert time.perf_counter() - started < 5  # the test's own imports and the database included; was 78 s
    assert lines == ["rows.csv:1: column 'value' appears twice in the header"]
    started = time.perf_counter()
    lines = refused(sample, "rows.csv", "type,target," + ",".join(f"c{i}" for i in range(100_000)) + "\n")
    assert time.perf_counter() - started < 5
    assert lines == ["rows.csv:1: unknown column 'c0', 'c1', 'c2', 'c3', 'c4' and 99995 more; columns are "
                     "type, id, target, value, unit, as_of, through, source, grade, note, recorded_by, recorded_at, "
                     "probability, forecaster, made_on, status, why"]


# --- item 19 ------------------------------------------------------------------------------------------------


LONG = f"a line longer than {MAX_LINE:,} characters; split what it holds over several rows"


def test_item_19_every_line_and_field_is_bounded_on_both_formats(sample: Run) -> None:
    header = "type,target,value,as_of,note\n"
    assert refused(sample, "rows.csv", header + "observation,by-az-trade,497,2024," + "x" * (MAX_FIELD + 1) + "\n") == [
        "rows.csv:2: malformed CSV: field larger than field limit (131072)"]
    assert refused(sample, "rows.csv", header + "observation,by-az-trade,497,2024,ok\n" + "," * (MAX_LINE + 1) + "\n") == [
        f"rows.csv:3: {LONG}"]
    spanning = "observation,by-az-trade,497,2024," + ",".join(['"' + "x\n" * 60_000 + '"'] * (MAX_LINE // 120_000 + 1)) + "\n"
    assert refused(sample, "rows.csv", header + spanning) == [
        f"rows.csv:2: a row longer than {MAX_LINE:,} characters; split what it holds over several rows"]
    assert refused(sample, "rows.jsonl", jsonl(value=497, note="x" * (MAX_LINE + 10))) == [f"rows.jsonl:1: {LONG}"]
    assert refused(sample, "rows.jsonl", jsonl(value=497) + jsonl(value=497, note="x" * (MAX_FIELD + 1))) == [
        f"rows.jsonl:2: note: {MAX_FIELD + 1:,} characters is longer than a field may be ({MAX_FIELD:,})",
        "rows.jsonl: 1 row is bad; nothing was imported"]


def test_item_19_memory_does_not_follow_the_longest_line(sample: Run) -> None:
    path = sample.root / "huge.jsonl"
    with path.open("w", encoding="utf-8") as out:
        out.write('{"type": "observation", "note": "')
        for _ in range(48):
            out.write("x" * 1_000_000)  # a 48 MB line
        out.write('"}\n')
    with tracker.open(sample.root, db=sample.db_url) as api:
        tracemalloc.start()
        try:
            with pytest.raises(InputError) as raised:
                api.import_file(path)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert str(raised.value) == f"{path}:1: {LONG}"
    assert peak < 4 * MAX_LINE  # a few copies of one bounded line, not the 48 MB


def test_item_19_importing_dev_zero_ends_at_once_with_one_line(sample: Run) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    started = time.perf_counter()
    result = sample("import", "/dev/zero", "--format", "jsonl")
    assert time.perf_counter() - started < 10
    assert (result.exit_code, result.stderr) == (2, "/dev/zero:1: binary data (a NUL byte): not a CSV or JSON Lines text file\n")
    assert sample("import", "/dev/zero").stderr == "/dev/zero:1: binary data (a NUL byte): not a CSV or JSON Lines text file\n"


# --- item 22 ------------------------------------------------------------------------------------------------


@pytest.mark.postgres
def test_item_22_import_counts_stay_right_under_concurrent_observe(sample: Run) -> None:
    rows = 30_000
    path = sample.root / "many.csv"
    path.write_text("type,target,value,as_of,source,note\n"
                    + "".join(f"observation,by-az-trade,{500 + i % 97},{1000 + i % 1000},bulk,row {i}\n" for i in range(rows)),
                    encoding="utf-8")
    assert sample("list").exit_code == 0  # definitions synced before the race
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}, "TRACKER_USER": "tester"}
    base = [sys.executable, "-m", "tracker", "--workspace", str(sample.root), "--db", sample.db_url]
    importing = subprocess.Popen([*base, "import", str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    observers = []
    while importing.poll() is None and len(observers) < 40:  # each commits while the import's transaction is open
        observers.append(subprocess.Popen([*base, "observe", "fertilizer-jv", "no", "--as-of", f"2025-01-{len(observers) % 28 + 1:02d}",
                                           "--source", f"concurrent {len(observers)}"], stdout=subprocess.PIPE,
                                          stderr=subprocess.PIPE, text=True, env=env))
        time.sleep(0.1)
    out, err = importing.communicate(timeout=300)
    assert importing.returncode == 0, err
    assert all(observer.wait(timeout=120) == 0 for observer in observers)
    assert out.endswith(f": {rows} rows read; added {rows} observations, 0 forecasts, 0 rulings, 0 retractions; 0 already logged\n")
    assert len(observers) >= 2
