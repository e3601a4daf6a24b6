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

from tracker.report import chart_files, figures

SNAPSHOTS = Path(__file__).parent / "snapshots"
HAS_CHROMIUM = chart_files.find_browser() is not None

TARGET = {
    "as_of": "2026-11-24",
    "proposition": {
        "id": "by-az-trade-1bn", "kind": "target", "title": "Belarus-Azerbaijan trade reaches $1 billion",
        "quote": "within a year and a half, to reach the $1 billion mark", "source": "huseynov-2024",
        "stated_by": "lukashenka", "stated_on": "2024-05-16", "deadline": "2025-12-31", "metric": "by-az-trade",
        "baseline": {"value": 450.0, "as_of": "2023"}, "target": {"op": ">=", "value": 1000.0}, "tags": ["trade"],
    },
    "source": {"id": "huseynov-2024", "title": "Lukashenko's visit to Baku", "publisher": "Example Daily", "published": "2024-05-20"},
    "stated_by": {"id": "lukashenka", "name": "Alyaksandr Lukashenka", "role": "official", "country": "BY"},
    "metric": {"id": "by-az-trade", "name": "Belarus-Azerbaijan trade turnover", "unit": "USD million", "period": "year"},
    "status": "not_materialised", "progress": 0.0855, "expected_progress": 1.0, "best_evidence": None,
    "observations": [
        {"as_of": "2024", "value": 480.0, "source": "belstat-2025", "grade": "B2", "note": "first estimate",
         "recorded_at": "2025-02-01T00:00:00", "superseded": True},
        {"as_of": "2024", "value": 470.0, "source": "belstat-2026", "grade": "A1", "note": "<script>alert(1)</script> revised",
         "recorded_at": "2026-02-10T00:00:00", "superseded": False},
        {"as_of": "2025", "value": 497.0, "source": "belstat-2026", "grade": None, "note": None,
         "recorded_at": "2026-02-10T00:00:00", "superseded": False},
    ],
    "forecasts": [], "rulings": [], "history": [],
}

EVENT = {
    "as_of": "2026-11-24",
    "proposition": {
        "id": "fertilizer-jv", "kind": "event", "title": "A joint fertilizer plant is built in Azerbaijan",
        "quote": "the organization of joint fertilizer production", "source": "huseynov-2024", "stated_by": "huseynov",
        "stated_on": "2024-05-20", "deadline": "2027-12-31", "tags": ["industry"],
    },
    "source": {"id": "huseynov-2024", "title": "Lukashenko's visit to Baku", "publisher": None, "published": "2024-05-20"},
    "stated_by": None, "metric": None,
    "status": "in_progress", "progress": None, "expected_progress": None, "best_evidence": "partly",
    "observations": [
        {"as_of": "2025-03-01", "value": "no", "source": "azernews", "grade": "C3", "note": "talks only",
         "recorded_at": "2025-03-02T00:00:00", "superseded": False},
        {"as_of": "2025-10-28", "value": "partly", "source": "apa.az", "grade": "B2", "note": "site chosen",
         "recorded_at": "2025-10-29T00:00:00", "superseded": False},
    ],
    "forecasts": [], "rulings": [], "history": [],
}

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
    "id": "baku-minsk", "title": "Where relations go by 2027", "as_of": "2026-11-24",
    "scenarios": [{"id": "deepening", "title": "Deepening", "prior": 0.4}, {"id": "stagnation", "title": "Stagnation", "prior": 0.6}],
    "history": [{"on": "2026-01-01", "indicator": "by-az-trade-1bn", "outcome": "not_materialised",
                 "weights": {"deepening": 0.1905, "stagnation": 0.8095}}],
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
    "target": lambda: figures.proposition_spec(TARGET),
    "event": lambda: figures.proposition_spec(EVENT),
    "statuses_by_tag": lambda: figures.statuses_by_spec(ROWS, "tags", "tag", "2026-11-24"),
    "statuses_by_speaker": lambda: figures.statuses_by_spec(ROWS, "speaker", "speaker", "2026-11-24"),
    "track_records": lambda: figures.track_record_spec(TRACK_RECORDS, "actor", {"lukashenka": "Alyaksandr Lukashenka"}),
    "calibration": lambda: figures.calibration_spec(CALIBRATION),
    "scenario": lambda: figures.scenario_spec(SCENARIO_SET, "2024-05-16"),
}


@pytest.mark.parametrize("name", sorted(SPECS))
def test_figure_snapshot(name: str) -> None:
    assert_snapshot(name, SPECS[name]())


@pytest.mark.parametrize("name", sorted(SPECS))
def test_plotly_validation_changes_nothing(name: str) -> None:
    """The dashboard writes specs unvalidated (for speed); plotly must accept each as it is."""
    spec = SPECS[name]()
    assert chart_files.figure(spec).to_plotly_json() == json.loads(json.dumps(spec))


def test_target_chart_shows_path_target_deadline_and_revisions() -> None:
    spec = figures.proposition_spec(TARGET)
    names = [trace["name"] for trace in spec["data"]]
    assert names == ["expected path (straight line)", "target &gt;= 1,000 USD million", "baseline (2023)", "observed", "revised (superseded)"]
    path = spec["data"][0]
    assert path["x"] == ["2023-12-31", "2025-12-31"] and path["y"] == [450.0, 1000.0]
    observed, revised = spec["data"][3], spec["data"][4]
    assert observed["y"] == [470.0, 497.0] and observed["x"] == ["2024-12-31", "2025-12-31"]
    assert revised["y"] == [480.0]
    assert [a["text"] for a in spec["layout"]["annotations"][1:]] == ["stated", "deadline", "as of"]
    assert spec["layout"]["yaxis"]["title"]["text"] == "USD million"
    assert "Data: belstat-2025; belstat-2026" in spec["layout"]["annotations"][0]["text"]


def test_event_chart_colours_evidence_on_a_timeline() -> None:
    spec = figures.proposition_spec(EVENT)
    by_name = {trace["name"]: trace for trace in spec["data"]}
    assert by_name["evidence: partly"]["x"] == ["2025-10-28"] and by_name["evidence: partly"]["y"] == ["partly"]
    assert by_name["evidence: no"]["marker"]["color"] != by_name["evidence: yes"]["marker"]["color"]
    assert "best evidence: partly" in spec["layout"]["title"]["subtitle"]["text"]


def test_user_text_in_hover_labels_is_escaped() -> None:
    spec = figures.proposition_spec(TARGET)
    notes = [row[3] for row in spec["data"][3]["customdata"]]
    assert notes[0] == "&lt;script&gt;alert(1)&lt;/script&gt; revised"
    assert "<script>" not in json.dumps(spec)


def test_statuses_by_group_counts_each_tag_and_untagged() -> None:
    spec = figures.statuses_by_spec(ROWS, "tags", "tag", "2026-11-24")
    counts = {trace["name"]: dict(zip(trace["y"], trace["x"], strict=True)) for trace in spec["data"]}
    assert counts["materialised"] == {"(none)": 0, "energy": 1, "trade": 1}
    assert counts["not materialised"]["trade"] == 1 and counts["overdue"]["(none)"] == 1


def test_many_groups_are_summed_as_other() -> None:
    rows = [{"id": str(i), "status": "open", "speaker": f"speaker {i:02d}"} for i in range(25)]
    spec = figures.statuses_by_spec(rows, "speaker", "speaker", "2026-11-24")
    assert spec["data"][0]["y"][0] == "other (5)" and len(spec["data"][0]["y"]) == 21


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
    assert_snapshot("target_logged", figures.proposition_spec(detail), {today.isoformat(): "<TODAY>", str(sample.root): "<WORKSPACE>"})


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
