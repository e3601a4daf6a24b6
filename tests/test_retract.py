"""Withdrawn records: `tracker retract ID --why TEXT`, `Tracker.retract`, and retraction rows in import files.

Every logged record has a stable id, shown when it is logged and written by export. A withdrawal
counts from the moment it was recorded: as of an earlier day the record still counts. What cannot
be withdrawn (an unknown id, a record withdrawn already, a withdrawal, a forecast, a record written
in a definition file) is refused in one line, exit 2, nothing logged. The real CLI on SQLite and
PostgreSQL.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

import tracker
from tests.conftest import Run, past
from tracker.errors import InputError, NotFound

BEFORE = "2026-06-30"  # after the figure was recorded, before anything logged while the test runs
LOGGED = """\
type,id,target,value,as_of,source,recorded_at,status,why,made_on
observation,belstat-2025,by-az-trade,1200,2025,Belstat,2026-01-15T09:00:00,,,
ruling,,fertilizer-jv,,,,2026-02-01T09:00:00,annulled,the partner withdrew,2026-02-01
"""


def write(run: Run, name: str, text: str) -> str:
    path = run.root / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


def logged(run: Run) -> list[dict]:  # type: ignore[type-arg]
    result = run("export", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def status(run: Run, proposition: str, as_of: str | None = None) -> str:
    result = run("list", "--format", "json", *(["--as-of", as_of] if as_of else []))
    assert result.exit_code == 0, result.output
    return next(p["status"] for p in json.loads(result.stdout)["propositions"] if p["id"] == proposition)


def refused(result) -> str:  # type: ignore[no-untyped-def]
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    [line] = result.stderr.splitlines()
    return line


@pytest.fixture
def history(sample: Run) -> Run:
    """The sample workspace with a 2025 figure recorded 2026-01-15 (id `belstat-2025`) and a ruling of 2026-02-01."""
    result = sample("import", write(sample, "history.csv", LOGGED))
    assert result.exit_code == 0, result.output
    return sample


@pytest.fixture
def api(history: Run) -> Iterator[tracker.Tracker]:
    with tracker.open(history.root, db=history.db_url, user="tester") as opened:
        yield opened


def test_ids_are_shown_when_logging(sample: Run) -> None:
    observed = sample("observe", "by-az-trade", "497", "--as-of", "2024", "--source", "Belstat")
    forecast = sample("forecast", "fertilizer-jv", "0.3")
    ruled = sample("resolve", "fertilizer-jv", "--status", "annulled", "--why", "withdrawn")
    ids = [re.match(r"logged: (\S+) ", result.stdout)[1] for result in (observed, forecast, ruled)]  # type: ignore[index]
    assert [i[:2] for i in ids] == ["o-", "f-", "r-"]
    assert [row["id"] for row in logged(sample)] == ids


def test_a_withdrawn_figure_counts_until_it_was_withdrawn(history: Run) -> None:
    assert status(history, "by-az-trade-1bn", BEFORE) == "materialised"
    result = history("retract", "belstat-2025", "--why", "the 2025 figure was Belarus-Georgia trade", "--by", "ana")
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"logged: x-[a-z2-7]{12} withdraws belstat-2025 \(by ana\)\n", result.stdout)
    assert status(history, "by-az-trade-1bn") == "overdue"  # nothing decides it any more
    assert status(history, "by-az-trade-1bn", BEFORE) == "materialised"  # as of an earlier day it still counts
    [*_, retraction] = logged(history)
    assert {k: retraction[k] for k in ("type", "target", "why", "recorded_by")} == {
        "type": "retraction", "target": "belstat-2025", "why": "the 2025 figure was Belarus-Georgia trade", "recorded_by": "ana"}


def test_a_withdrawn_ruling_lets_the_computed_status_stand(history: Run, api: tracker.Tracker) -> None:
    ruling = next(row["id"] for row in logged(history) if row["type"] == "ruling")
    assert status(history, "fertilizer-jv") == "annulled"
    withdrawal = api.retract(ruling, why="annulled on the wrong proposition")
    assert (withdrawal.target_uid, withdrawal.recorded_by) == (ruling, "tester")
    assert status(history, "fertilizer-jv") == ("overdue" if past("2027-12-31") else "open")
    assert status(history, "fertilizer-jv", BEFORE) == "annulled"


def test_what_cannot_be_withdrawn_is_refused_in_one_line(history: Run, api: tracker.Tracker) -> None:
    assert history("forecast", "fertilizer-jv", "0.3").exit_code == 0
    rows = {row["type"]: row["id"] for row in logged(history)}
    assert history("retract", "belstat-2025", "--why", "wrong partner").exit_code == 0
    withdrawal = next(row for row in logged(history) if row["type"] == "retraction")
    before = logged(history)
    when = withdrawal["recorded_at"][:19].replace("T", " ")
    cases = {
        "nothing-here": ("ID: no logged record 'nothing-here'; `tracker show` lists the ids of a proposition's records", NotFound),
        "belstat-2025": (f"ID: belstat-2025 was already withdrawn ({withdrawal['id']}, {when} UTC by tester: wrong partner)",
                         InputError),
        withdrawal["id"]: (f"ID: {withdrawal['id']} is a withdrawal, which cannot itself be withdrawn: log the record again "
                           "if it should count", InputError),
        rows["forecast"]: (f"ID: {rows['forecast']} is a forecast; forecasts are not withdrawn: log a new one, which "
                           "supersedes it", InputError),
        "forecasts/sample.yaml:19": ("ID: forecasts/sample.yaml:19 is written in a definition file, not logged: edit "
                                     "forecasts/sample.yaml (line 19) to correct or remove it", InputError),
    }
    for record_id, (line, error) in cases.items():
        assert refused(history("retract", record_id, "--why", "again")) == line
        with pytest.raises(error) as raised:
            api.retract(record_id, why="again")
        assert str(raised.value) == "id: " + line.removeprefix("ID: ")
    assert refused(history("retract", "belstat-2025", "--why", "  ")) == "--why: give the reason for withdrawing it"
    assert logged(history) == before


def test_retractions_in_a_file_are_checked_as_the_command_checks_them(history: Run) -> None:
    path = write(history, "withdraw.csv", """\
        type,id,target,why,recorded_at,value,as_of
        retraction,,belstat-2025,wrong partner,2026-03-01T10:00:00,,
        retraction,,belstat-2025,wrong partner,2026-03-01T10:00:00,,
        retraction,,belstat-2025,another reason,2026-03-02T10:00:00,,
        retraction,,nothing-here,why,,,
        retraction,,forecasts/sample.yaml:19,why,,,
        retraction,,later-row,withdrawn before it comes: the file is read whole,,,
        observation,later-row,by-az-trade,,,480,2024
        retraction,x-mine,later-row,a second withdrawal of it,,,
        """)
    result = history("import", path)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    first, later = (re.search(r"withdrawn \((x-[a-z2-7]{12}), ", line)[1] for line in (lines[0], lines[3]))  # type: ignore[index]
    assert lines == [  # line 3 repeats line 2: already logged, skipped
        f"{path}:4: target: belstat-2025 was already withdrawn ({first}, 2026-03-01 10:00:00 UTC by tester: wrong partner)",
        f"{path}:5: target: no logged record 'nothing-here'; `tracker show` lists the ids of a proposition's records",
        f"{path}:6: target: forecasts/sample.yaml:19 is written in a definition file, not logged: edit forecasts/sample.yaml "
        "(line 19) to correct or remove it",
        f"{path}:9: target: later-row was already withdrawn ({later}, " + lines[3].split(f"({later}, ", 1)[1],
        f"{path}: 4 rows are bad; nothing was imported",
    ]
    assert lines[3].endswith(" by tester: withdrawn before it comes: the file is read whole)")
    assert len(logged(history)) == 2


def test_export_and_import_carry_ids_and_withdrawals_exactly(history: Run, tmp_path_factory: pytest.TempPathFactory) -> None:
    assert history("retract", "belstat-2025", "--why", "wrong partner").exit_code == 0
    assert history("observe", "by-az-trade", "1,020.5", "--as-of", "2025", "--source", "Belstat", "--note", "  revised  ").exit_code == 0
    for fmt in ("csv", "jsonl"):
        exported = history.root / f"all.{fmt}"
        assert history("export", "-o", str(exported)).exit_code == 0
        again = history("import", str(exported))
        assert again.exit_code == 0, again.output
        assert again.stdout.endswith("; added 0 observations, 0 forecasts, 0 rulings, 0 retractions; 4 already logged\n")
        fresh = Run(history.root, f"sqlite:///{tmp_path_factory.mktemp('fresh') / 'fresh.db'}", CliRunner())
        assert fresh("import", str(exported)).exit_code == 0
        assert fresh("export", "--format", fmt).stdout == exported.read_text(encoding="utf-8")
        for as_of in (BEFORE, "2030-01-01"):
            card = ("scorecard", "--format", "json", "--as-of", as_of)
            assert fresh(*card).stdout == history(*card).stdout


def test_an_id_a_row_brings_is_kept_and_a_clash_is_refused(history: Run) -> None:
    taken = ("is already the id of another observation (logged {}); give this row another id, or leave id empty for one "
             "to be given")
    path = write(history, "ids.csv", """\
        type,id,target,value,as_of,source,recorded_at
        observation,belstat-2025,by-az-trade,1200,2025,Belstat,2026-01-15T09:00:00
        observation,belstat-2025,by-az-trade,1300,2025,Belstat,2026-01-15T09:00:00
        observation,mine,by-az-trade,1300,2025,Belstat,2026-04-01T09:00:00
        observation,mine,by-az-trade,1400,2025,Belstat,2026-04-01T09:00:00
        """)
    result = history("import", path)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{path}:3: id: belstat-2025 " + taken.format("2026-01-15 09:00:00 UTC"),
        f"{path}:5: id: mine " + taken.format("2026-04-01 09:00:00 UTC"),
        f"{path}: 2 rows are bad; nothing was imported",
    ]
    spaced = write(history, "spaced.csv", "type,id,target,value,as_of\nobservation,has space,by-az-trade,1300,2025\n")
    assert history("import", spaced).stderr.splitlines()[0] == (
        f"{spaced}:2: id: 'has space' is not an id: use letters, digits, '-', '_' and '.' (at most 64)")
    fine = write(history, "fine.csv", "type,id,target,value,as_of,source,recorded_at\n"
                                      "observation,belstat-2025,by-az-trade,1200,2025,Belstat,2026-01-15T09:00:00\n"
                                      "observation,my.own_id-1,by-az-trade,1300,2025,Belstat,\n")
    result = history("import", fine)
    assert result.stdout.endswith("; added 1 observation, 0 forecasts, 0 rulings, 0 retractions; 1 already logged\n")
    assert "my.own_id-1" in [row["id"] for row in logged(history)]


def test_two_analysts_withdrawing_one_record_at_once_withdraw_it_once(history: Run) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def withdraw(who: str) -> str:
        with tracker.open(history.root, db=history.db_url, user=who) as opened:
            try:
                opened.retract("belstat-2025", why=f"{who} saw the wrong partner")
            except InputError as error:
                return str(error)
            return "withdrawn"

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(withdraw, ["ana", "ben", "cleo", "dan"]))
    assert outcomes.count("withdrawn") == 1
    assert all(o.startswith("id: belstat-2025 was already withdrawn (x-") for o in outcomes if o != "withdrawn")
    assert [row["type"] for row in logged(history)].count("retraction") == 1
