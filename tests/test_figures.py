"""Figure builders: snapshots of the plotly JSON, escaping, and the `tracker chart` command.

Snapshots live in tests/snapshots/<name>.json. To refresh them after an intended change, run
`TRACKER_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/test_figures.py` and review the diff.
Values that change from run to run (today's date, times of recording, temporary paths) are
replaced by placeholders before comparing.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests import builders
from tracker.core.results import Detail
from tracker.core.workspace import Workspace
from tracker.report import chart_files, figures

SNAPSHOTS = Path(__file__).parent / "snapshots"
HAS_CHROMIUM = chart_files.find_browser() is not None

@pytest.fixture(scope="module")
def space(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return builders.workspace(tmp_path_factory.mktemp("worked"))


def target_detail(space: Workspace) -> Detail:
    """Lukashenka's billion as of 2026-03-01 (tests/builders.py), with a hostile note on the 2024 figure."""
    detail = builders.detail_as_of(space, builders.billion_logs(), "by-az-trade-1bn", "2026-03-01")
    detail["observations"][2]["note"] = "<script>alert(1)</script> first estimate"
    return detail


def event_detail(space: Workspace) -> Detail:
    return builders.detail_as_of(space, builders.event_logs(), "fertilizer-jv", "2026-03-01")


ROWS = [
    {"id": "a", "status": "materialised", "tags": ["trade", "energy"], "speaker": "Alyaksandr Lukashenka"},
    {"id": "b", "status": "not_materialised", "tags": ["trade"], "speaker": "Alyaksandr Lukashenka"},
    {"id": "c", "status": "overdue", "tags": [], "speaker": "Ilham Aliyev"},
]

TRACK_RECORDS = [
    {"actor": "lukashenka", "name": "Alyaksandr Lukashenka", "resolved": 3, "materialised": 1, "partly": 1,
     "not_materialised": 1, "rate": 0.5, "interval": [0.1772, 0.8228]},
    {"actor": "aliyev", "name": "Ilham Aliyev", "resolved": 1, "materialised": 0, "partly": 0,
     "not_materialised": 1, "rate": 0.0, "interval": [0.0, 0.7723]},
]

CALIBRATION = [
    {"lower": i / 10, "upper": (i + 1) / 10, "n": n, "mean_forecast": m, "observed_frequency": o}
    for i, (n, m, o) in enumerate([(0, None, None)] * 2 + [(2, 0.25, 0.0)] + [(0, None, None)] * 3
                                  + [(3, 0.6333, 0.6667)] + [(0, None, None)] * 2 + [(1, 0.95, 1.0)])
]

SCENARIO_SET = {
    "id": "baku-minsk", "title": "Where relations go by 2027", "as_of": "2026-11-24", "note": None,
    "scenarios": [{"id": "deepening", "title": "Deepening", "description": None, "prior": 0.4, "weight": 0.1905},
                  {"id": "stagnation", "title": "Stagnation", "description": None, "prior": 0.6, "weight": 0.8095}],
    "history": [{"on": "2025-06-01", "indicator": "igc-meetings", "title": None, "outcome": "partly", "basis": "observation",
                 "weights": {"deepening": 0.4, "stagnation": 0.6}, "shift": 0.0, "note": "partly: no likelihood given, weights unchanged"},
                {"on": "2026-01-01", "indicator": "by-az-trade-1bn", "title": None, "outcome": "not_materialised", "basis": "observation",
                 "weights": {"deepening": 0.1905, "stagnation": 0.8095}, "shift": 0.2095, "note": None}],
}


def placeholders(value: Any, volatile: dict[str, str]) -> Any:
    """The JSON with every volatile string (dates, times, paths) replaced by its placeholder."""
    text = json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False)
    for needle, placeholder in volatile.items():
        text = text.replace(needle, placeholder)
    text = re.sub(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", "<TIMESTAMP>", text)
    return json.loads(text)


def assert_snapshot(name: str, spec: dict[str, Any], volatile: dict[str, str] | None = None) -> None:
    """Compare the validated figure's JSON with tests/snapshots/<name>.json (or write it when refreshing)."""
    actual = placeholders(chart_files.figure(spec).to_plotly_json(), volatile or {})
    path = SNAPSHOTS / f"{name}.json"
    if os.environ.get("TRACKER_UPDATE_SNAPSHOTS"):
        path.write_text(json.dumps(actual, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    if not path.exists():
        pytest.fail(f"snapshot {path.name} is missing; write it with TRACKER_UPDATE_SNAPSHOTS=1, check it, and commit it")
    assert actual == json.loads(path.read_text(encoding="utf-8"))


SPECS = {
    "target": lambda space: figures.proposition_spec(target_detail(space)),
    "event": lambda space: figures.proposition_spec(event_detail(space)),
    "event_ruled_only": lambda space: figures.proposition_spec(
        builders.detail_as_of(space, builders.ruled_only_logs(), "fertilizer-jv", "2026-03-01")),
    "forecasts": lambda space: figures.forecasts_spec(target_detail(space)),
    "statuses_by_tag": lambda space: figures.statuses_by_spec(ROWS, "tags", "tag", "2026-11-24"),
    "statuses_by_speaker": lambda space: figures.statuses_by_spec(ROWS, "speaker", "speaker", "2026-11-24"),
    "track_records": lambda space: figures.track_record_spec(TRACK_RECORDS, "actor", {"lukashenka": "Alyaksandr Lukashenka"}),
    "calibration": lambda space: figures.calibration_spec(CALIBRATION),
    "scenario": lambda space: figures.scenario_spec(SCENARIO_SET, "2024-05-16"),
}


@pytest.mark.parametrize("name", sorted(SPECS))
def test_figure_snapshot(name: str, space: Workspace) -> None:
    assert_snapshot(name, SPECS[name](space))


@pytest.mark.parametrize("name", sorted(SPECS))
def test_plotly_validation_changes_nothing(name: str, space: Workspace) -> None:
    """The dashboard writes specs unvalidated (for speed); plotly must accept each as it is."""
    spec = SPECS[name](space)
    assert chart_files.figure(spec).to_plotly_json() == json.loads(json.dumps(spec))


def traces(spec: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The traces of a figure by name (several share a name when one draws lines and another the dots)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for trace in spec["data"]:
        found.setdefault(trace["name"], []).append(trace)
    return found


def test_a_target_draws_each_figure_across_its_period(space: Workspace) -> None:
    spec = figures.proposition_spec(target_detail(space))
    names = list(traces(spec))
    assert names == ["expected path (straight line)", "target &gt;= 1,000 USD million", "baseline (2023)",
                     "observed (each figure across its period)", "observed", "published as a bound or range",
                     "partial figure (the start of its period)", "projection for the whole period (same rate)",
                     "withdrawn (no longer counts)"]
    [segments] = traces(spec)["observed (each figure across its period)"]
    assert segments["x"] == ["2021-01-01", "2021-12-31", None, "2022-01-01", "2022-12-31", None, "2024-01-01", "2024-12-31", None]
    assert segments["y"] == [885.5, 885.5, None, 450.0, 450.0, None, 480.0, 480.0, None]
    dots = traces(spec)["observed"][0]
    assert dots["x"] == ["2021-07-02", "2024-07-01"] and dots["y"] == [885.5, 480.0]  # the middle of each year, not its end
    path = spec["data"][0]
    assert path["x"] == ["2023-12-31", "2025-12-31"] and path["y"] == [450.0, 1000.0]


def test_a_partial_figure_covers_its_span_and_its_projection_is_dashed_across_the_period(space: Workspace) -> None:
    spec = figures.proposition_spec(target_detail(space))
    partial, dots = traces(spec)["partial figure (the start of its period)"]
    assert partial["x"] == ["2025-01-01", "2025-08-31", None] and partial["y"] == [274.0, 274.0, None]
    assert "through 2025-08" in dots["customdata"][0][0]
    projection = traces(spec)["projection for the whole period (same rate)"][0]
    assert projection["x"] == ["2025-01-01", "2025-12-31", None] and projection["y"] == [411.5638, 411.5638, None]
    assert projection["line"]["dash"] == "dash"
    assert "2025 projected at 411.564 from the figure through 2025-08" in spec["layout"]["title"]["subtitle"]["text"]


def test_a_range_is_drawn_as_a_range_and_a_unit_as_written(space: Workspace) -> None:
    spec = figures.proposition_spec(target_detail(space))
    [bounds] = traces(spec)["published as a bound or range"]
    assert bounds["y"] == [450.0] and bounds["error_y"]["array"] == [50.0] and bounds["error_y"]["arrayminus"] == [50.0]
    assert bounds["customdata"][0][4] == "400..500 USD million"
    dots = traces(spec)["observed"][0]
    assert dots["customdata"][0][4] == "0.8855 USD billion (= 885.5 USD million)"


def test_withdrawn_and_revised_values_are_faint_and_never_set_the_axis(space: Workspace) -> None:
    spec = figures.proposition_spec(target_detail(space))
    [withdrawn] = traces(spec)["withdrawn (no longer counts)"]
    assert withdrawn["y"] == [4800.0] and withdrawn["opacity"] < 1
    assert "withdrawn 2025-03-05: typo: the release says 480" in withdrawn["customdata"][0][5]
    low, high = spec["layout"]["yaxis"]["range"]
    assert low == 0 and 1000 < high < 1200 and spec["layout"]["yaxis"]["autorange"] is False
    as_of_then = builders.detail_as_of(space, builders.billion_logs(), "by-az-trade-1bn", "2025-03-04")
    [revised] = traces(figures.proposition_spec(as_of_then))["revised (superseded)"]
    assert revised["y"] == [480.0] and revised["opacity"] < 1


def test_a_ruling_is_a_marked_date_with_its_reason(space: Workspace) -> None:
    detail = builders.detail_as_of(space, builders.billion_logs(), "by-az-trade-1bn", "2026-01-15")
    notes = {n["text"]: n for n in figures.proposition_spec(detail)["layout"]["annotations"]}
    assert notes["ruling: did not happen"]["x"] == "2026-01-10"
    assert notes["ruling: did not happen"]["hovertext"] == "Belstat says 2025 fell short"
    later = {n["text"]: n for n in figures.proposition_spec(target_detail(space))["layout"]["annotations"]}
    assert later["ruling: did not happen (withdrawn)"]["hovertext"].replace("<br>", " ") == (
        "Belstat says 2025 fell short (withdrawn: ruled on the wrong proposition)")
    assert "deadline passed, not yet checked" in later  # overdue again: the stretch since the deadline is marked


def test_an_event_resolved_by_a_ruling_alone_is_never_an_empty_chart(space: Workspace) -> None:
    spec = figures.proposition_spec(builders.detail_as_of(space, builders.ruled_only_logs(), "fertilizer-jv", "2026-03-01"))
    [ruling] = spec["data"]
    assert ruling["name"] == "ruling" and ruling["x"] == ["2026-02-01"] and ruling["y"] == ["no"]
    assert ruling["customdata"][0][1] == "the partner withdrew"


def test_an_event_draws_its_evidence_revisions_and_withdrawals(space: Workspace) -> None:
    spec = figures.proposition_spec(event_detail(space))
    by_name = traces(spec)
    no_line, no_dots = by_name["evidence: no"]
    assert no_line["x"] == ["2025-10-01", "2025-10-31", None] and no_dots["x"] == ["2025-06-01", "2025-10-31"]
    assert by_name["revised (superseded)"][0]["y"] == ["partly"]
    assert by_name["withdrawn (no longer counts)"][0]["y"] == ["yes"]
    assert by_name["ruling"][0]["y"] == ["no"]
    assert "evidence: yes" not in by_name


def test_forecasts_over_time_mark_retrodictions(space: Workspace) -> None:
    spec = figures.forecasts_spec(target_detail(space))
    assert spec is not None
    by_name = traces(spec)
    line, dots = by_name["analyst-a"]
    assert line["line"]["shape"] == "hv" and line["x"] == ["2024-06-01", "2026-03-01"] and line["y"] == [0.6, 0.6]
    assert dots["customdata"][0][2] == "base rate of such pledges"
    lag, crosses = by_name["cheater: not scored"]
    assert lag["x"] == ["2024-06-01", "2026-02-20", None] and crosses["marker"]["symbol"] == "x-thin-open"
    assert crosses["customdata"][0][3].startswith("retrodiction: logged more than the grace period")
    assert figures.forecasts_spec(event_detail(space)) is None


def test_calibration_counts_are_whole_numbers_on_an_axis_clear_of_its_title() -> None:
    layout = figures.calibration_spec(CALIBRATION)["layout"]
    axis = layout["yaxis"]
    assert axis["side"] == "right" and layout["yaxis2"]["overlaying"] == "y"  # the dots are drawn over the bars
    assert axis["tickformat"] == "d" and axis["dtick"] == 1 and axis["tick0"] == 0 and axis["range"][0] == 0
    assert axis["title"]["standoff"] >= 10 and axis["automargin"] is True
    many = [b | {"n": b["n"] * 37} for b in CALIBRATION]
    assert figures.calibration_spec(many)["layout"]["yaxis"]["dtick"] == 23


def test_statuses_by_group_counts_each_tag_and_says_overdue_in_words() -> None:
    spec = figures.statuses_by_spec(ROWS, "tags", "tag", "2026-11-24")
    counts = {trace["name"]: dict(zip(trace["y"], trace["x"], strict=True)) for trace in spec["data"]}
    assert counts["happened"] == {"(none)": 0, "energy": 1, "trade": 1}
    assert counts["did not happen"]["trade"] == 1 and counts["deadline passed, not yet checked"]["(none)"] == 1
    overdue = next(t for t in spec["data"] if t["name"] == "deadline passed, not yet checked")
    failed = next(t for t in spec["data"] if t["name"] == "did not happen")
    assert overdue["marker"]["pattern"]["shape"] == "/" and "pattern" not in failed["marker"]
    assert overdue["marker"]["color"] != failed["marker"]["color"]


def test_user_text_in_hover_labels_is_escaped(space: Workspace) -> None:
    spec = figures.proposition_spec(target_detail(space))
    notes = [row[3] for row in traces(spec)["observed"][0]["customdata"]]
    assert notes[1] == "&lt;script&gt;alert(1)&lt;/script&gt; first estimate"
    assert "<script>" not in json.dumps(spec)


def test_many_groups_are_summed_as_other() -> None:
    rows = [{"id": str(i), "status": "open", "speaker": f"speaker {i:02d}"} for i in range(25)]
    spec = figures.statuses_by_spec(rows, "speaker", "speaker", "2026-11-24")  # type: ignore[arg-type]
    assert spec["data"][0]["y"][0] == "other (5)" and len(spec["data"][0]["y"]) == 21


def test_no_chart_cites_the_spec(space: Workspace) -> None:
    assert "SPEC" not in json.dumps([make(space) for make in SPECS.values()])


# --- the real pipeline and the command ----------------------------------------------------------


def test_chart_of_a_logged_proposition_snapshot(sample) -> None:  # type: ignore[no-untyped-def]
    """What `tracker chart` draws for the sample after an analyst logs and revises a figure."""
    from tracker.app.config import Config
    from tracker.app.detail import proposition_detail
    from tracker.app.session import open_session

    assert sample("observe", "by-az-trade", "480", "--as-of", "2024", "--source", "Belstat", "--grade", "B2").exit_code == 0
    assert sample("observe", "by-az-trade", "470", "--as-of", "2024", "--source", "Belstat revision").exit_code == 0
    tracker = open_session(Config(sample.root, sample.db_url))
    today = date.today()
    detail = proposition_detail(tracker, "by-az-trade-1bn", today)
    spec = figures.proposition_spec(detail)
    first, last = spec["layout"]["xaxis"].pop("range")  # it reaches a little past today: checked here, not snapshotted
    assert first < "2023-01-01" and last > today.isoformat()
    logged_ids = {o["uid"]: f"<LOGGED-ID-{o['as_of']}-{o['value']}>" for o in detail["observations"] if o["origin"] == "log"}
    assert_snapshot("target_logged", spec, {today.isoformat(): "<TODAY>", str(sample.root): "<WORKSPACE>", **logged_ids})


def test_chart_html_opens_offline(sample, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "progress.html"
    result = sample("chart", "by-az-trade-1bn", "-o", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "Belarus-Azerbaijan trade reaches $1 billion" in page
    assert 'src="http' not in page and len(page) > 1_000_000  # plotly.js is inside the file, nothing is fetched


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<svg")])
def test_chart_image(sample, tmp_path: Path, suffix: str, magic: bytes) -> None:  # type: ignore[no-untyped-def]
    if not HAS_CHROMIUM:
        pytest.skip("no Chrome/Chromium on PATH (apt-get install chromium)")
    if not sample.db_url.startswith("sqlite"):
        pytest.skip("writing an image does not depend on the database; run once")
    out = tmp_path / f"jv{suffix}"
    result = sample("chart", "fertilizer-jv", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:200].lstrip().startswith(magic) or magic in out.read_bytes()[:400]


def test_chart_without_a_browser_names_the_fix(sample, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    result = sample("chart", "by-az-trade-1bn", "-o", str(tmp_path / "x.png"))
    assert result.exit_code == 2
    assert result.output.strip() == (
        "-o: writing .png needs Chrome or Chromium, and none was found; install it "
        "(Debian: apt-get install chromium, or set BROWSER_PATH) or write .html instead")
    assert not (tmp_path / "x.png").exists()


@pytest.mark.parametrize("args, message", [
    (["by-az-trade-1bn", "-o", "chart.pdf"], "-o: chart.pdf should end in .html, .png or .svg"),
    (["no-such", "-o", "chart.html"], "ID: no proposition 'no-such'; `tracker list` shows the ids"),
    (["by-az-trade-1bn", "-o", "missing/chart.html"], "-o: folder missing does not exist"),
    (["by-az-trade-1bn", "-o", "c.html", "--as-of", "tomorrow"], None),
])
def test_chart_bad_input(sample, args: list[str], message: str | None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    result = sample("chart", *args)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    if message:
        assert lines[0] == message
    else:
        assert lines[0].startswith("--as-of: ")
