"""Hostile text is shown as text: HTML, JavaScript, Markdown and spreadsheet formulas in names,
titles, quotes, sources, notes, forecasters and rulings never run in an output.

HTML outputs (scorecard, dashboard pages, charts) escape it; the Markdown scorecard escapes
HTML and table punctuation so each row keeps its columns; CSV outputs (scorecard, export) give a
cell that a spreadsheet would run as a formula a leading `'`, and an export still imports back
to exactly what was logged.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests import builders
from tests.conftest import Run
from tracker.app.changes import changes
from tracker.app.dashboard import site_from
from tracker.app.logs import resolutions
from tracker.app.scorecard import scorecard_from
from tracker.core.logs import Logs, logs_as_of
from tracker.report.dashboard import write_dashboard
from tracker.report.scorecard import markdown
from tracker.report.show import render_detail

SCRIPT = "<script>alert('xss')</script>"
DEFINITIONS = """\
sources:
  - {id: src, title: "<b>Src</b> =HYPERLINK(\\"http://evil.example\\",\\"x\\")", published: 2024-05-20}
actors:
  - {id: spk, name: "=HYPERLINK(\\"http://evil.example\\",\\"click\\") <img src=x onerror=alert(1)>", role: official}
metrics:
  - {id: m, name: "<script>alert('metric')</script>", unit: "| pipe |", period: year}
propositions:
  - id: tgt
    kind: target
    title: "<script>alert('xss')</script> | *bold* [x](javascript:alert(1))"
    quote: "\\"><img src=x onerror=alert(1)></script><script>alert(2)</script>"
    source: src
    stated_by: spk
    stated_on: 2024-05-16
    metric: m
    baseline: {value: 1, as_of: 2023}
    target: {op: ">=", value: 10}
    deadline: 2025-12-31
  - id: evt
    kind: event
    title: "@SUM(1+1)*cmd|' /C calc'!A0\\nsecond | line"
    quote: "+cmd"
    source: src
    stated_by: spk
    stated_on: 2024-05-16
    deadline: 2027-12-31
"""
RAW = ["<script>alert(", "<img src=x", "</script><script>", 'href="javascript:', "onerror=alert(1)>"]
FORMULA = re.compile(r"^[=+\-@\t\r]")


@pytest.fixture
def hostile(workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """A workspace whose every free-text field carries a payload, with hostile logs on top."""
    monkeypatch.setenv("TRACKER_USER", "=cmd|' /C calc'!A0")
    monkeypatch.chdir(tmp_path)
    run = Run(workspace, f"sqlite:///{tmp_path / 'tracker.db'}", CliRunner())
    run.write("forecasts/hostile.yaml", DEFINITIONS)
    for args in (
        ("observe", "m", "5", "--as-of", "2024", "--source", '=HYPERLINK("http://evil.example","s")',
         "--note", '</script><script>alert("note")</script>'),
        ("observe", "--as-of", "2025", "--source", "<img src=x onerror=alert(3)>", "--note=-2+3", "--", "m", "-12.5"),
        ("observe", "evt", "partly", "--as-of", "2025-01-01", "--source", "[x](javascript:alert(1))", "--note", "@SUM(A1)"),
        ("forecast", "evt", "0.4", "--by", "=1+2"),
        ("resolve", "evt", "--status", "partly", "--why", '<script>alert("why")</script> | =1+1', "--on", "2026-01-01"),
    ):
        result = run(*args)
        assert result.exit_code == 0, result.output
    return run


def _ok(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.output
    return result.stdout


# --- HTML -----------------------------------------------------------------------------------------


def _assert_inert_html(page: str, where: str) -> None:
    for payload in RAW:
        assert payload not in page, (where, payload)


def test_html_scorecard_shows_the_payloads_as_text(hostile: Run, tmp_path: Path) -> None:
    _ok(hostile("scorecard", "--format", "html", "-o", str(tmp_path / "card.html")))
    page = (tmp_path / "card.html").read_text(encoding="utf-8")
    _assert_inert_html(page, "scorecard")
    assert "&lt;script&gt;alert(" in page  # shown, not dropped


def test_dashboard_and_charts_show_the_payloads_as_text(hostile: Run, tmp_path: Path) -> None:
    _ok(hostile("dashboard", "-o", str(tmp_path / "site")))
    pages = sorted((tmp_path / "site").rglob("*.html"))
    assert len(pages) >= 3
    for page in pages:
        _assert_inert_html(page.read_text(encoding="utf-8"), str(page))
    proposition = next(p for p in pages if "tgt" in p.name).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in proposition
    assert "&lt;/script&gt;&lt;script&gt;alert(&#34;note&#34;)" in proposition
    for target in ("tgt", "evt"):
        _ok(hostile("chart", target, "-o", str(tmp_path / f"{target}.html")))
        _assert_inert_html((tmp_path / f"{target}.html").read_text(encoding="utf-8"), target)


# --- Markdown ------------------------------------------------------------------------------------------


def test_markdown_scorecard_escapes_html_and_keeps_table_rows_whole(hostile: Run) -> None:
    card = _ok(hostile("scorecard", "--format", "md"))
    for payload in RAW:
        assert payload not in card, payload
    table: list[str] = []
    for line in card.splitlines():
        if line.startswith("|"):
            table.append(line)
            continue
        if table:
            columns = _cells(table[0])
            assert all(_cells(row) == columns for row in table), table
            table = []
    assert "\\| \\*bold\\* \\[x\\]" in card


def _cells(row: str) -> int:
    return len(re.findall(r"(?<!\\)\|", row))


# --- CSV ---------------------------------------------------------------------------------------------


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _assert_no_formula(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            if FORMULA.match(cell):
                float(cell)  # only a number (-12.5) may start like a formula


def test_csv_scorecard_prefixes_formula_cells(hostile: Run) -> None:
    rows = _rows(_ok(hostile("scorecard", "--format", "csv")))
    _assert_no_formula(rows)
    cells = {cell for row in rows for cell in row}
    assert any(cell.startswith("'=HYPERLINK(") for cell in cells)
    assert any(cell.startswith("'@SUM(1+1)") for cell in cells)


def test_csv_export_prefixes_formula_cells_and_imports_back_exactly(hostile: Run, tmp_path: Path) -> None:
    exported = _ok(hostile("export"))
    rows = _rows(exported)
    _assert_no_formula(rows)
    cells = [cell for row in rows for cell in row]
    for prefixed in ("'=HYPERLINK(\"http://evil.example\",\"s\")", "'-2+3", "'@SUM(A1)", "'=1+2", "'=cmd|' /C calc'!A0"):
        assert prefixed in cells, prefixed
    assert "-12.5" in cells  # a negative number stays a number
    (tmp_path / "logs.csv").write_text(exported, encoding="utf-8")
    again = Run(hostile.root, f"sqlite:///{tmp_path / 'again.db'}", CliRunner())
    _ok(again("import", str(tmp_path / "logs.csv")))
    assert _ok(again("export")) == exported
    shown = _ok(again("show", "evt", "--format", "json"))
    assert '"forecaster": "=1+2"' in shown  # the text itself, without the export's prefix


def test_an_apostrophe_before_a_formula_survives_the_round_trip(hostile: Run, tmp_path: Path) -> None:
    _ok(hostile("observe", "evt", "yes", "--as-of", "2025-06-01", "--source", "'=already quoted", "--note", "'Tis plain"))
    exported = _ok(hostile("export"))
    assert "''=already quoted" in exported and ",'Tis plain," in exported
    (tmp_path / "logs.csv").write_text(exported, encoding="utf-8")
    again = Run(hostile.root, f"sqlite:///{tmp_path / 'again.db'}", CliRunner())
    _ok(again("import", str(tmp_path / "logs.csv")))
    assert _ok(again("export")) == exported


# --- the terminal --------------------------------------------------------------------------------------


def test_terminal_control_sequences_are_shown_not_sent(hostile: Run) -> None:
    """A note that would retitle the terminal (OSC) or clear it (CSI 2J) is printed as escapes."""
    _ok(hostile("observe", "evt", "yes", "--as-of", "2025-02-01", "--source", "s", "--note", "\x1b]0;pwned\x07\x1b[2Jcleared"))
    shown = _ok(hostile("show", "evt"))
    assert "\x1b" not in shown and "\x07" not in shown
    assert "note: \\x1b]0;pwned\\x07\\x1b[2Jcleared" in shown
    assert "\x1b" not in _ok(hostile("list"))


# --- the new displays: withdrawal reasons, forecast notes, values as written --------------------------

TERMINAL = "\x1b]0;pwned\x07\x1b[2J"


def hostile_logs() -> Logs:
    """The worked records (tests/builders.py) with hostile text where analysts write it."""
    recorded = builders.all_logs()
    retractions = {uid: replace(r, why=f"{SCRIPT} {TERMINAL} =cmd|' /C calc'!A0") for uid, r in recorded.retractions.items()}
    forecasts = [replace(f, note=f"{SCRIPT}{TERMINAL}") for f in recorded.forecasts]
    observations = {t: [replace(o, written=f"<b>{o.written}</b>") if o.written else o for o in items]
                    for t, items in recorded.observations.items()}
    return Logs(observations, forecasts, recorded.rulings, retractions)


def test_withdrawal_reasons_notes_and_written_values_are_text_everywhere(tmp_path: Path) -> None:
    session = builders.session(tmp_path / "worked")
    site = site_from(session, hostile_logs(), date(2026, 3, 1))
    folder = write_dashboard(site, tmp_path / "site").folder
    for page in folder.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not any(raw in html for raw in RAW), page.name
    page = (folder / "p" / "by-az-trade-1bn.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in page and "&lt;b&gt;400..500&lt;/b&gt;" in page
    text = render_detail(site["details"]["by-az-trade-1bn"])
    assert "\x1b" not in text and "\\x1b]0;pwned\\x07" in text
    changes = dict(card_changes(session, hostile_logs(), "2025-03-02", "2025-03-10"))
    md = markdown({**scorecard_from(session, logs_as_of(hostile_logs(), date(2025, 3, 10)),
                                    resolutions(session, date(2025, 3, 10), logs_as_of(hostile_logs(), date(2025, 3, 10))),
                                    date(2025, 3, 10)), "changes": changes})  # type: ignore[typeddict-item]
    assert "<script" not in md and "&lt;script&gt;" in md and "\x1b" not in md


def card_changes(session, recorded: Logs, since: str, as_of: str):  # type: ignore[no-untyped-def]
    day = date.fromisoformat(as_of)
    return changes(session, recorded, resolutions(session, day, logs_as_of(recorded, day)), date.fromisoformat(since), day)
