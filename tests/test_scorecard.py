"""`tracker scorecard` and `tracker due`, end to end through the CLI on both backends."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from tests import builders
from tests.conftest import REPO, Run
from tracker.app.changes import changes
from tracker.app.due import due_from
from tracker.app.logs import resolutions
from tracker.app.metrics import metric_row
from tracker.app.scorecard import scorecard_from
from tracker.core.logs import Logs, logs_as_of
from tracker.report import due as due_report
from tracker.report import metrics as metrics_report
from tracker.report.scorecard import render

STATUSES = ["materialised", "partly", "not_materialised", "annulled", "overdue", "on_track", "behind", "no_data", "open", "in_progress"]

# The SPEC §7 example: trade reached 497 in 2025 (published 2026-02-10), an analyst said 60%.
RESOLVED = """\
    metrics:
      - id: by-az-trade
        name: Belarus-Azerbaijan trade turnover
        unit: USD million
        period: year
        observations:
          - {as_of: 2023, value: 450, source: huseynov-2024}
          - {as_of: 2025, value: 497, source: belstat-2026}
    forecasts:  # recorded when its source was published, not months later: scored, not a retrodiction
      - {proposition: by-az-trade-1bn, by: analyst-a, probability: 0.6, on: 2025-01-10, source: huseynov-2024}
"""

SCENARIO = """\
    id: baku-minsk
    title: Where Belarus-Azerbaijan relations go by 2027
    scenarios:
      - {id: deepening, title: Deepening, prior: 0.4}
      - {id: stagnation, title: Stagnation, prior: 0.4}
      - {id: rupture, title: Rupture, prior: 0.2}
    indicators:
      - proposition: by-az-trade-1bn
        likelihood: {deepening: 0.6, stagnation: 0.15, rupture: 0.02}
"""


def card(run: Run, *args: str) -> dict:
    result = run("scorecard", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def by_id(scorecard: dict) -> dict[str, dict]:
    return {p["id"]: p for p in scorecard["propositions"]}


def spec_example(sample: Run) -> Run:
    """The sample workspace with the 2025 figure, an analyst's forecast (in a file, so recorded on its
    date: logged today it would be a retrodiction) and a scenario set."""
    sample.write("forecasts/trade.yaml", RESOLVED)
    text = (sample.root / "forecasts/sample.yaml").read_text()
    metrics = text[text.index("metrics:"):text.index("propositions:")]
    (sample.root / "forecasts/sample.yaml").write_text(text.replace(metrics, ""))
    sample.write("scenarios/baku-minsk.yaml", SCENARIO)
    return sample


# --- the JSON contract ---------------------------------------------------------------------------


def test_json_matches_the_spec_example(sample: Run) -> None:
    scorecard = card(spec_example(sample), "--as-of", "2026-11-23")
    assert list(scorecard)[:6] == ["as_of", "propositions", "summary", "track_records", "track_records_by", "forecasters"]
    assert {"as_of", "propositions", "summary", "track_records", "forecasters", "scenarios"} <= set(scorecard)
    assert scorecard["as_of"] == "2026-11-23"
    trade = by_id(scorecard)["by-az-trade-1bn"]
    assert {k: trade[k] for k in ("kind", "status", "progress", "expected_progress", "deadline", "stated_by", "tags", "latest")} == {
        "kind": "target", "status": "not_materialised", "progress": 0.0855, "expected_progress": 1.0,
        "deadline": "2025-12-31", "stated_by": "lukashenka", "tags": ["trade"],
        "latest": {"value": 497.0, "as_of": "2025", "source": "belstat-2026", "grade": None, "written": None},
    }
    assert (trade["projected"], trade["projection"]) == (None, None)
    assert trade["target"] == {"op": ">=", "value": 1000.0, "change": None}
    assert list(scorecard["summary"]) == STATUSES
    assert scorecard["summary"] == dict.fromkeys(STATUSES, 0) | {"not_materialised": 1, "open": 1}
    [record] = scorecard["track_records"]
    assert record["actor"] == "lukashenka" and record["resolved"] == 1 and record["not_materialised"] == 1
    assert record["rate"] == 0.0 and record["interval"][0] == 0.0 and 0.77 <= record["interval"][1] < 0.78
    [forecaster] = scorecard["forecasters"]
    assert forecaster["forecaster"] == "analyst-a" and forecaster["n"] == 1
    assert (forecaster["brier"], forecaster["log"], forecaster["time_averaged_brier"]) == (0.36, 0.9163, 0.36)
    [scenarios] = scorecard["scenarios"]
    assert scenarios["id"] == "baku-minsk"
    assert scenarios["weights"] == {"deepening": 0.2299, "stagnation": 0.4885, "rupture": 0.2816}


def test_json_extra_keys_group_track_records_and_describe_indicators(sample: Run) -> None:
    scorecard = card(spec_example(sample), "--as-of", "2026-11-23")
    assert scorecard["track_records_by"]["role"][0]["role"] == "official"
    assert scorecard["track_records_by"]["country"][0]["country"] == "BY"
    assert [r["tag"] for r in scorecard["track_records_by"]["tag"]] == ["trade"]
    assert len(scorecard["calibration"]) == 10 and scorecard["calibration"][6]["n"] == 1
    [indicator] = scorecard["scenarios"][0]["indicators"]
    assert indicator["status"] == "not_materialised" and indicator["diagnosticity"] == 0.58
    assert scorecard["scenarios"][0]["history"][0]["on"] == "2026-02-10"
    event = by_id(scorecard)["fertilizer-jv"]
    assert (event["title"], event["best_evidence"], event["role"], event["country"]) == (
        "A joint fertilizer plant is built in Azerbaijan", None, "analyst", "AZ")


def test_json_is_deterministic(sample: Run) -> None:
    spec_example(sample)
    first = sample("scorecard", "--format", "json", "--as-of", "2026-11-23").stdout
    assert sample("scorecard", "--format", "json", "--as-of", "2026-11-23").stdout == first


# --- as of a past date -----------------------------------------------------------------------------


def test_as_of_rebuilds_what_was_known_then(sample: Run) -> None:
    before = sample("scorecard", "--format", "json", "--as-of", "2026-06-30").stdout
    assert sample("observe", "by-az-trade", "1200", "--as-of", "2025", "--source", "belstat").exit_code == 0
    assert sample("resolve", "fertilizer-jv", "--status", "annulled", "--why", "plan dropped", "--on", "2026-07-01").exit_code == 0
    assert sample("forecast", "fertilizer-jv", "0.3", "--by", "analyst-a", "--on", "2026-07-02").exit_code == 0
    # Recorded today (after 2026-06-30), ruled and forecast later: the earlier scorecard is unchanged.
    assert sample("scorecard", "--format", "json", "--as-of", "2026-06-30").stdout == before
    now = by_id(card(sample))
    assert now["by-az-trade-1bn"]["status"] == "materialised"
    assert now["fertilizer-jv"]["status"] == "annulled"


def test_an_observation_counts_only_once_its_period_has_ended(sample: Run) -> None:
    sample.write("forecasts/more.yaml", """\
        observations:
          - {target: fertilizer-jv, as_of: 2024-Q4, value: partly, source: huseynov-2024}
    """)
    assert by_id(card(sample, "--as-of", "2024-12-30"))["fertilizer-jv"]["status"] == "open"
    assert by_id(card(sample, "--as-of", "2024-12-31"))["fertilizer-jv"]["status"] == "in_progress"


# --- what changed since ----------------------------------------------------------------------------


def test_since_lists_status_moves_with_their_cause(sample: Run) -> None:
    spec_example(sample)
    assert sample("resolve", "fertilizer-jv", "--status", "annulled", "--why", "plan dropped", "--on", "2026-03-01").exit_code == 0
    changes = card(sample, "--as-of", "2026-03-31", "--since", "2026-01-15")["changes"]
    assert changes["since"] == "2026-01-15"
    assert changes["status_changes"] == [
        {"id": "by-az-trade-1bn", "title": "Belarus-Azerbaijan trade reaches $1 billion", "from": "overdue",
         "to": "not_materialised", "on": "2026-02-10", "cause": "observation 2025: 497 (belstat-2026)"},
        {"id": "fertilizer-jv", "title": "A joint fertilizer plant is built in Azerbaijan", "from": "open",
         "to": "annulled", "on": "2026-03-01", "cause": "ruling: annulled — plan dropped"},
    ]
    assert [(o["target"], o["as_of"], o["value"], o["known_on"]) for o in changes["new_observations"]] == [
        ("by-az-trade", "2025", 497.0, "2026-02-10")]
    assert [(r["proposition"], r["forecaster"], r["probability"], r["brier"]) for r in changes["newly_resolved"]] == [
        ("by-az-trade-1bn", "analyst-a", 0.6, 0.36)]


def test_since_in_markdown_names_the_moves(sample: Run) -> None:
    spec_example(sample)
    text = sample("scorecard", "--format", "md", "--as-of", "2026-03-31", "--since", "2026-01-15").stdout
    assert "## Since 2026-01-15" in text
    assert ("| Belarus-Azerbaijan trade reaches $1 billion (`by-az-trade-1bn`) | deadline passed, not yet checked | did not happen "
            "| 2026-02-10 | observation 2025: 497 (belstat-2026) |") in text


def test_since_must_come_before_the_scorecard_date(sample: Run) -> None:
    result = sample("scorecard", "--as-of", "2026-01-01", "--since", "2026-02-01")
    assert result.exit_code == 2
    assert result.stderr == "--since: 2026-02-01 is not before the scorecard's date 2026-01-01\n"


# --- formats -------------------------------------------------------------------------------------


@pytest.mark.parametrize("format", ["table", "md", "json", "csv", "html"])
def test_every_format_prints_every_proposition(sample: Run, format: str) -> None:
    result = sample("scorecard", "--format", format, "--as-of", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert "by-az-trade-1bn" in result.stdout and "fertilizer-jv" in result.stdout


def test_table_summarises_statuses(sample: Run) -> None:
    text = sample("scorecard", "--as-of", "2026-11-23").stdout
    assert text.splitlines()[:3] == [
        "Scorecard as of 2026-11-23", "2 propositions: 1 deadline passed, not yet checked · 1 open",
        "1 deadline passed with nothing yet checked (overdue): not a failure, so not in track records or scores; `tracker due` lists what would settle each.",
    ]


def test_output_file_and_html_is_self_contained(sample: Run, tmp_path: Path) -> None:
    target = tmp_path / "card.html"
    result = sample("scorecard", "--format", "html", "-o", str(target), "--as-of", "2026-11-23")
    assert result.exit_code == 0 and result.stdout == ""
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Scorecard as of 2026-11-23" in page
    assert "<script" not in page and "http://" not in page and "https://" not in page and "<link" not in page


def test_csv_has_one_row_per_proposition(sample: Run) -> None:
    rows = list(csv.DictReader(io.StringIO(sample("scorecard", "--format", "csv", "--as-of", "2026-11-23").stdout)))
    assert [(r["id"], r["status"], r["latest_value"], r["tags"]) for r in rows] == [
        ("by-az-trade-1bn", "overdue", "450.0", "trade"), ("fertilizer-jv", "open", "", "industry")]


HOSTILE = """\
    propositions:
      - id: hostile
        kind: event
        title: "=HYPERLINK(\\"http://evil\\")|*bold* <script>alert(1)</script>"
        quote: "| broken | row"
        source: huseynov-2024
        stated_by: huseynov
        stated_on: 2024-05-20
        deadline: 2024-06-30
        observations:
          - {as_of: 2024-06-01, value: "no", source: huseynov-2024, note: "@SUM(A1) <b>x</b>"}
"""


def assert_tables_intact(md: str) -> None:
    """Every Markdown table row has as many cell separators as its header (an escaped `\\|` is text)."""
    columns = None
    for line in md.splitlines():
        if not line.startswith("|"):
            columns = None
            continue
        separators = len(re.findall(r"(?<!\\)\|", line))
        columns = columns or separators
        assert separators == columns, line


def test_hostile_text_is_escaped_in_md_html_and_csv(sample: Run) -> None:
    sample.write("forecasts/hostile.yaml", HOSTILE)
    md = sample("scorecard", "--format", "md", "--as-of", "2024-07-10", "--since", "2024-05-30").stdout
    assert "<script" not in md and "<b>" not in md
    assert "\\|\\*bold\\* &lt;script&gt;alert(1)&lt;/script&gt;" in md
    assert_tables_intact(md)
    html = sample("scorecard", "--format", "html", "--as-of", "2024-07-10", "--since", "2024-05-30").stdout
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;b&gt;x&lt;/b&gt;" in html
    rows = list(csv.DictReader(io.StringIO(sample("scorecard", "--format", "csv", "--as-of", "2024-07-10").stdout)))
    hostile = next(r for r in rows if r["id"] == "hostile")
    assert hostile["title"].startswith("'=HYPERLINK(")


# --- bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "message"), [
    (["--as-of", "next week"], "--as-of: not a date: 'next week' (use YYYY-MM-DD)\n"),
    (["--since", "2026-13-01"], "--since: not a date: '2026-13-01' (use YYYY-MM-DD)\n"),
    (["--format", "pdf"], "--format: 'pdf' is not one of table, md, json, csv, html\n"),
])
def test_bad_options_exit_2_with_one_line(sample: Run, args: list[str], message: str) -> None:
    result = sample("scorecard", *args)
    assert (result.exit_code, result.stderr) == (2, message)


def test_output_folder_must_exist(sample: Run, tmp_path: Path) -> None:
    result = sample("scorecard", "-o", str(tmp_path / "missing" / "card.md"))
    assert result.exit_code == 2
    assert result.stderr == f"-o: folder {tmp_path / 'missing'} does not exist\n"


# --- due -----------------------------------------------------------------------------------------


def due(run: Run, *args: str) -> dict:
    result = run("due", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_due_lists_overdue_and_due_soon(sample: Run) -> None:
    listed = due(sample, "--as-of", "2027-12-10", "--within", "30d")
    assert [(r["id"], r["status"], r["days"]) for r in listed["overdue"]] == [("by-az-trade-1bn", "overdue", -709)]
    assert listed["overdue"][0]["needs"] == "the 2025 figure of by-az-trade (a full figure, not a partial one) or a ruling"
    assert [step["command"] for step in listed["overdue"][0]["settle"]] == [
        'tracker observe by-az-trade VALUE --as-of 2025 --source "…"', 'tracker resolve by-az-trade-1bn --status STATUS --why "…"']
    assert [(r["id"], r["days"]) for r in listed["due_soon"]] == [("fertilizer-jv", 21)]
    assert listed["until"] == "2028-01-09"


def test_due_leaves_out_what_is_settled_or_far_off(sample: Run) -> None:
    sample.write("forecasts/trade.yaml", """\
        observations:
          - {target: by-az-trade, as_of: 2025, value: 1100, source: belstat-2026}
    """)
    listed = due(sample, "--as-of", "2026-11-24")
    assert listed["overdue"] == [] and listed["due_soon"] == []
    assert [r["id"] for r in due(sample, "--as-of", "2026-11-24", "--within", "2y")["due_soon"]] == ["fertilizer-jv"]


@pytest.mark.parametrize(("within", "until"), [("6w", "2026-01-11"), ("3m", "2026-02-28"), ("1y", "2026-11-30"), ("10", "2025-12-10")])
def test_due_within_takes_days_weeks_months_years(sample: Run, within: str, until: str) -> None:
    assert due(sample, "--as-of", "2025-11-30", "--within", within)["until"] == until


def test_due_table_and_bad_within(sample: Run) -> None:
    text = sample("due", "--as-of", "2026-11-24").stdout
    assert "by-az-trade-1bn" in text and "328 days overdue" in text
    result = sample("due", "--within", "soon")
    assert (result.exit_code, result.stderr) == (2, "--within: 'soon' is not a span like 30d, 6w, 3m or 1y\n")


# --- the bundled data set --------------------------------------------------------------------------


def test_bundled_workspace_scorecard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "bundled"
    for folder in ("forecasts", "scenarios"):
        shutil.copytree(REPO / folder, root / folder)
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    before = _state(REPO / "tracker.db")  # README command 1 may have made one: it must be left as it is
    from tracker.cli import app

    result = CliRunner().invoke(app, ["--workspace", str(root), "scorecard", "--as-of", "2026-11-23", "--format", "json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    scorecard = json.loads(result.stdout)
    defined = sorted(p["id"] for f in (root / "forecasts").glob("*.yaml") for p in (yaml.safe_load(f.read_text()) or {}).get("propositions", []))
    assert len(defined) >= 40
    assert [p["id"] for p in scorecard["propositions"]] == defined
    assert sum(scorecard["summary"].values()) == len(defined)
    assert {s["id"] for s in scorecard["scenarios"]} == {"baku-minsk", "belarus-orientation"}
    assert (root / "tracker.db").exists() and _state(REPO / "tracker.db") == before


def _state(path: Path) -> tuple[int, int] | None:
    """A file's size and modification time, or None where there is none."""
    return (path.stat().st_size, path.stat().st_mtime_ns) if path.exists() else None


# --- the weekly report: withdrawals, revisions and outcomes that changed ------------------------------


@pytest.fixture
def worked(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A real session on the worked workspace (tests/builders.py); the records are handed in, not stored."""
    return builders.session(tmp_path / "worked")


def weekly(session, recorded: Logs, since: str, as_of: str) -> dict:  # type: ignore[no-untyped-def]
    """`scorecard --since SINCE --as-of AS_OF`'s changes for these records."""
    day = date.fromisoformat(as_of)
    resolved = resolutions(session, day, logs_as_of(recorded, day))
    return dict(changes(session, recorded, resolved, date.fromisoformat(since), day))


def test_a_withdrawn_value_is_a_cause_of_its_own_and_is_listed_as_withdrawn(worked) -> None:  # type: ignore[no-untyped-def]
    found = weekly(worked, builders.all_logs(), "2025-03-02", "2025-03-10")
    moves = [m for m in found["status_changes"] if m["id"] == "by-az-trade-1bn"]
    assert moves == [{"id": "by-az-trade-1bn", "title": "Belarus-Azerbaijan trade reaches $1 billion", "from": "materialised",
                      "to": "behind", "on": "2025-03-05",
                      "cause": "withdrawn: observation 2024: 4800 (Belstat) — typo: the release says 480"}]
    assert found["withdrawn"] == [{"uid": "o-typo", "kind": "observation", "target": "by-az-trade", "said": "observation 2024: 4800 (Belstat)",
                                   "why": "typo: the release says 480", "recorded_at": "2025-03-05T10:00:00", "recorded_by": "ana"}]


def test_a_withdrawn_ruling_shows_as_withdrawn_and_its_forecasts_lose_their_score(worked) -> None:  # type: ignore[no-untyped-def]
    found = weekly(worked, builders.all_logs(), "2026-01-12", "2026-01-25")
    [move] = [m for m in found["status_changes"] if m["id"] == "by-az-trade-1bn"]
    assert (move["from"], move["to"], move["on"]) == ("not_materialised", "overdue", "2026-01-20")
    assert move["cause"] == "withdrawn: ruling: not_materialised — Belstat says 2025 fell short — ruled on the wrong proposition"
    assert [w["uid"] for w in found["withdrawn"]] == ["u-wrong"]
    assert found["outcome_changes"] == [{
        "proposition": "by-az-trade-1bn", "forecaster": "analyst-a", "probability": 0.6, "made_on": "2024-06-01",
        "old_status": "not_materialised", "new_status": "overdue", "old_brier": 0.36, "new_brier": None, "old_log": 0.9163,
        "new_log": None}]


def test_a_value_revised_before_it_counted_is_never_a_cause(worked) -> None:  # type: ignore[no-untyped-def]
    trade = [builders.observation("by-az-trade", "2024", 480.0, "2025-02-01", "t-2024", 1),
             builders.observation("by-az-trade", "2025", 1200.0, "2025-06-01", "t-estimate", 2),
             builders.observation("by-az-trade", "2025", 990.0, "2025-09-01", "t-revised", 3)]
    found = weekly(worked, Logs({"by-az-trade": trade}, [], {}), "2025-12-01", "2025-12-31")
    [move] = [m for m in found["status_changes"] if m["id"] == "by-az-trade-1bn"]
    assert (move["from"], move["to"], move["on"], move["cause"]) == ("behind", "on_track", "2025-12-31", "observation 2025: 990 (Belstat)")


def test_since_lists_forecasts_whose_outcome_changed_with_both_scores(sample: Run) -> None:
    spec_example(sample)
    assert sample("resolve", "by-az-trade-1bn", "--status", "materialised", "--why", "the revised 2025 figure", "--on", "2026-03-01").exit_code == 0
    changed = card(sample, "--as-of", "2026-03-31", "--since", "2026-02-15")["changes"]["outcome_changes"]
    assert changed == [{"proposition": "by-az-trade-1bn", "forecaster": "analyst-a", "probability": 0.6, "made_on": "2025-01-10",
                        "old_status": "not_materialised", "new_status": "materialised", "old_brier": 0.36, "new_brier": 0.16,
                        "old_log": 0.9163, "new_log": 0.5108}]
    text = sample("scorecard", "--format", "md", "--as-of", "2026-03-31", "--since", "2026-02-15").stdout
    assert "### Forecasts whose outcome changed" in text
    assert "| `by-az-trade-1bn` | analyst-a | 60% | 2025-01-10 | did not happen | happened | 0.360 | 0.160 |" in text
    table = sample("scorecard", "--as-of", "2026-03-31", "--since", "2026-02-15").stdout
    assert "Forecasts whose outcome changed" in table and "1 forecast whose outcome changed" in table


# --- every format tells overdue from failure ---------------------------------------------------------


def test_every_format_tells_overdue_from_did_not_happen(sample: Run) -> None:
    spec_example(sample)
    sample.write("forecasts/more.yaml", """\
        propositions:
          - id: quiet-event
            kind: event
            title: A plant opens, unheard of since
            quote: "the organization of joint fertilizer production in Azerbaijan"
            source: huseynov-2024
            stated_by: huseynov
            stated_on: 2024-05-20
            deadline: 2025-06-30
    """)
    args = ("--as-of", "2026-11-23")
    table = sample("scorecard", *args).stdout
    assert "deadline passed, not yet checked" in table and "did not happen" in table
    md = sample("scorecard", "--format", "md", *args).stdout
    assert "| deadline passed, not yet checked |" in md and "| did not happen |" in md
    html = sample("scorecard", "--format", "html", *args).stdout
    assert '<span class="status overdue">deadline passed, not yet checked</span>' in html
    assert '<span class="status not_materialised">did not happen</span>' in html
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(sample("scorecard", "--format", "csv", *args).stdout))}
    assert (rows["quiet-event"]["status"], rows["quiet-event"]["status_label"]) == ("overdue", "deadline passed, not yet checked")
    assert rows["by-az-trade-1bn"]["status_label"] == "did not happen"
    listed = sample("list", "--as-of", "2026-11-23").stdout
    assert "deadline passed, not yet checked" in listed and "did not happen" in listed


def test_the_scorecard_shows_growth_targets_and_projections(worked) -> None:  # type: ignore[no-untyped-def]
    day = date(2025, 11, 1)
    recorded = logs_as_of(builders.all_logs(), day)
    card_ = scorecard_from(worked, recorded, resolutions(worked, day, recorded), day)
    rows = by_id(card_)  # type: ignore[arg-type]
    assert rows["by-az-trade-1bn"]["projected"] == 411.5638 and rows["by-az-trade-1bn"]["projection"]["through"] == "2025-08"
    assert rows["oil-2021-exceeds"]["target"] == {"op": ">=", "value": 900000.0, "change": 0.25}
    md = render(card_, "md")
    assert "480 USD million (2024); projected 411.564 for 2025 (from 274 through 2025-08)" in md
    assert "&gt;= 900,000 tonne (baseline × 1.25)" in md and "&gt; 450 USD million (keeps growing)" in md
    table = render(card_, "table", width=400)
    assert "projected 411.564 for 2025 (from 274 through 2025-08)" in table
    rows_csv = {r["id"]: r for r in csv.DictReader(io.StringIO(render(card_, "csv")))}
    assert (rows_csv["by-az-trade-1bn"]["projected"], rows_csv["by-az-trade-1bn"]["projected_through"]) == ("411.5638", "2025-08")
    assert rows_csv["oil-2021-exceeds"]["target_change"] == "0.25"
    assert "projected 411.564 for 2025 (from 274 through 2025-08)" in render(card_, "html")


def test_forecasters_say_how_many_were_left_unscored_and_why(worked) -> None:  # type: ignore[no-untyped-def]
    day = date(2026, 2, 25)
    recorded = logs_as_of(builders.all_logs(), day)
    card_ = scorecard_from(worked, recorded, resolutions(worked, day, recorded), day)
    forecasters = {f["forecaster"]: f for f in card_["forecasters"]}
    assert (forecasters["cheater"]["n"], forecasters["cheater"]["retrodictions"], forecasters["cheater"]["unscored"]) == (
        0, 1, {"retrodiction": 1, "after_resolution": 0})
    assert "| cheater | 0 | – | – | – | – | 1 (1 retrodiction) |" in render(card_, "md")


def test_due_gives_the_exact_commands_that_settle_an_overdue_event(sample: Run) -> None:
    assert sample("observe", "fertilizer-jv", "no", "--as-of", "2025-06-01", "--source", "BelTA").exit_code == 0
    listed = due(sample, "--as-of", "2028-02-01")
    event = next(r for r in listed["overdue"] if r["id"] == "fertilizer-jv")
    assert event["status"] == "overdue"
    assert [(s["command"], s["says"]) for s in event["settle"]] == [
        ('tracker observe fertilizer-jv no --as-of 2028-02-01 --source "where you looked…"',
         "checked after the deadline: it did not happen (name the sources searched and up to when)"),
        ('tracker observe fertilizer-jv yes --as-of DATE --source "…"', "it happened: DATE is when, on or before 2027-12-31"),
        ('tracker observe fertilizer-jv partly --as-of DATE --source "…"', "it partly happened by 2027-12-31"),
        ('tracker resolve fertilizer-jv --status STATUS --why "…"',
         "a ruling (STATUS: materialised, partly, not_materialised or annulled), with the reason"),
    ]
    text = sample("due", "--as-of", "2028-02-01").stdout
    assert "To settle fertilizer-jv (deadline 2027-12-31 passed, not yet checked), run one of:" in text
    assert '  tracker observe fertilizer-jv no --as-of 2028-02-01 --source "where you looked…"' in text.splitlines()
    assert "deadline passed, not yet checked" in text
    md = sample("due", "--as-of", "2028-02-01", "--format", "md").stdout
    assert "### `fertilizer-jv`: A joint fertilizer plant is built in Azerbaijan" in md
    assert '  `tracker observe fertilizer-jv no --as-of 2028-02-01 --source "where you looked…"`' in md


def test_the_commands_due_gives_do_settle_it(sample: Run) -> None:
    """Run the `no` command `due` printed (with a source): the event is settled, not overdue."""
    [event] = [r for r in due(sample, "--as-of", "2028-02-01")["overdue"] if r["id"] == "fertilizer-jv"]
    command = event["settle"][0]["command"].replace("where you looked…", "BelTA and Report.az through 2028-01-31").split()
    words = [w.strip('"') for w in command[1:]]
    source_at = words.index("--source")
    words[source_at + 1:] = [" ".join(words[source_at + 1:])]
    assert sample(*words).exit_code == 0
    settled = by_id(card(sample, "--as-of", "2028-02-01"))["fertilizer-jv"]
    assert settled["status"] == "not_materialised"


def test_due_shows_the_projection_when_a_partial_figure_stands_in(worked) -> None:  # type: ignore[no-untyped-def]
    day = date(2026, 3, 1)
    listed = due_from(worked, logs_as_of(builders.all_logs(), day), day, date(2026, 4, 1))
    trade = next(r for r in listed["overdue"] if r["id"] == "by-az-trade-1bn")
    assert trade["projection"] == {"value": 411.5638, "as_of": "2025", "through": "2025-08", "partial": 274.0, "written": None,
                                   "source": "Belstat"}
    assert [s["command"] for s in trade["settle"]] == ['tracker observe by-az-trade VALUE --as-of 2025 --source "…"',
                                                        'tracker resolve by-az-trade-1bn --status STATUS --why "…"']
    assert "480 USD million (2024); projected 411.564 for 2025 (from 274 through 2025-08)" in due_report.render(listed, "md")


# --- metrics -------------------------------------------------------------------------------------


def test_metrics_lists_each_metric_with_its_latest_figure_and_users(sample: Run) -> None:
    assert sample("observe", "by-az-trade", "480", "--as-of", "2024", "--source", "Belstat").exit_code == 0
    result = sample("metrics", "--format", "json")
    assert result.exit_code == 0, result.output
    [metric] = json.loads(result.stdout)["metrics"]
    assert metric == {"id": "by-az-trade", "name": "Belarus-Azerbaijan trade turnover", "unit": "USD million", "period": "year",
                      "basis": None, "aggregate": None,
                      "latest": {"value": 480.0, "as_of": "2024", "source": "Belstat", "grade": None, "written": None},
                      "latest_partial": None, "propositions": ["by-az-trade-1bn"]}
    table = sample("metrics").stdout
    assert "by-az-trade" in table and "480 USD million (2024)" in table and "by-az-trade-1bn" in table
    md = sample("metrics", "--format", "md", "--as-of", "2024-06-01").stdout
    assert "| `by-az-trade` | Belarus-Azerbaijan trade turnover | USD million | year | – | 450 USD million (2023) | – | by-az-trade-1bn |" in md


def test_an_unknown_metric_points_to_tracker_metrics(sample: Run) -> None:
    result = sample("observe", "by-az-trad", "480", "--as-of", "2024", "--source", "Belstat")
    assert result.exit_code == 2
    assert result.stderr == ("TARGET: no metric or event proposition 'by-az-trad'; `tracker metrics` lists the metrics, "
                             "`tracker list` the propositions\n")
    bad = sample("metrics", "--format", "csv")
    assert (bad.exit_code, bad.stderr) == (2, "--format: 'csv' is not one of table, md, json\n")


def test_metrics_show_the_latest_partial_figure_with_its_projection(worked) -> None:  # type: ignore[no-untyped-def]
    recorded = logs_as_of(builders.all_logs(), date(2026, 3, 1))
    metric = worked.workspace.metrics["by-az-trade"]
    row = metric_row(metric, recorded.observations["by-az-trade"], date(2026, 3, 1), ["by-az-trade-1bn"])
    assert row["latest"] == {"value": 480.0, "as_of": "2024", "source": "Belstat", "grade": "B2", "written": None}  # the typo withdrawn
    assert row["latest_partial"] == {"value": 274.0, "as_of": "2025", "through": "2025-08", "written": None, "source": "Belstat",
                                     "projected": 411.5638}
    text = metrics_report.render({"as_of": "2026-03-01", "metrics": [row]}, "table", width=300)
    assert "274 USD million (2025 through 2025-08), projected 411.564 for 2025" in text and "year, sum of its parts" in text
    before = metric_row(metric, logs_as_of(builders.all_logs(), date(2025, 3, 4)).observations["by-az-trade"], date(2025, 3, 4), [])
    assert before["latest"] is not None and before["latest"]["value"] == 4800.0  # as of then, the typo stood
