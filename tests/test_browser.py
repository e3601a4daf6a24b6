"""The dashboard in a real browser: Debian's chromium driven by playwright, from disk, offline.

Never runs `playwright install`: it launches /usr/bin/chromium. Where that or playwright is
missing the test skips and says why; in CI (CI=true) it fails instead, since CI installs chromium.

`python tests/test_browser.py` (re)writes the screenshots in docs/ (docs/dashboard.md shows them):
the overview of the bundled data and the charts of the worked records (tests/builders.py).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests import builders
from tracker.app.dashboard import site_from
from tracker.report.dashboard import write_dashboard

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
NOTE = "<script>alert('note')</script><img src=x onerror=alert(1)>"

pytestmark = pytest.mark.browser


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install 'tracker[test]')"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    reason = _missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"the browser test must run in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def site(sample, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    if not sample.db_url.startswith("sqlite"):
        pytest.skip("the browser check does not depend on the database; run once")
    assert sample("observe", "fertilizer-jv", "partly", "--as-of", "2025-10-28", "--source", "apa.az", "--note", NOTE).exit_code == 0
    assert sample("observe", "by-az-trade", "480", "--as-of", "2024", "--source", "Belstat").exit_code == 0
    out = tmp_path / "site"
    assert sample("dashboard", "-o", str(out)).exit_code == 0
    return out


def _open(browser, url: str):  # type: ignore[no-untyped-def]
    """A page that records errors and dialogs (a dialog would mean injected script ran)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    page.on("console", lambda message: page.problems.append(f"console {message.type}: {message.text}") if message.type == "error" else None)
    page.on("dialog", lambda dialog: (page.problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on("request", lambda request: page.problems.append(f"network: {request.url}") if not request.url.startswith(("file:", "data:")) else None)
    page.goto(url)
    return page


def _charts_drawn(page, selector: str, count: int) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(f"document.querySelectorAll({selector!r}).length >= {count}", timeout=10_000)


def test_overview_filter_click_through_and_hostile_note(browser, site: Path) -> None:  # type: ignore[no-untyped-def]
    page = _open(browser, (site / "index.html").as_uri())
    _charts_drawn(page, ".chart svg.main-svg", 2)
    assert page.locator("#chart-by-tag svg.main-svg").count() >= 1

    page.select_option("select[name=status]", "in_progress")
    assert page.locator("#shown").inner_text() == "1 of 2 shown"
    page.locator("button.count[data-status=in_progress]").click()  # toggles the filter off again
    assert page.locator("#shown").inner_text() == "2 of 2 shown"

    page.get_by_role("link", name="A joint fertilizer plant is built in Azerbaijan").click()
    page.wait_for_url("**/p/fertilizer-jv.html")
    _charts_drawn(page, "#chart-proposition svg.main-svg", 1)
    assert NOTE in page.locator("td.note-cell").first.inner_text()
    box = page.locator("#chart-proposition .scatterlayer .point").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # plotly listens on the layer above
    page.wait_for_selector("#chart-proposition .hoverlayer .hovertext", timeout=5_000)
    assert "<script>alert('note')</script>" in page.locator("#chart-proposition .hoverlayer").text_content()
    assert page.problems == []
    page.close()


def test_every_page_draws_without_errors(browser, site: Path) -> None:  # type: ignore[no-untyped-def]
    for name, charts in (("track-records.html", 0), ("forecasters.html", 0), ("scenarios.html", 0), ("p/by-az-trade-1bn.html", 1)):
        page = _open(browser, (site / name).as_uri())
        page.wait_for_load_state("load")
        if charts:
            _charts_drawn(page, ".chart svg.main-svg", charts)
        assert page.problems == [], name
        page.close()


# --- the worked records: every new chart drawn, in the real browser -------------------------------------


@pytest.fixture(scope="module")
def worked_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The dashboard of tests/builders.py's worked records as of 2026-03-01 (records handed in, not stored)."""
    root = tmp_path_factory.mktemp("worked")
    site = site_from(builders.session(root / "ws"), builders.all_logs(), date(2026, 3, 1))
    return write_dashboard(site, root / "site").folder


def _legend(page, chart: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.strip() for t in page.locator(f"#{chart} .legendtext").all_text_contents()]


def test_the_target_page_draws_partial_figures_bounds_withdrawals_and_forecasts(browser, worked_site: Path) -> None:  # type: ignore[no-untyped-def]
    page = _open(browser, (worked_site / "p" / "by-az-trade-1bn.html").as_uri())
    _charts_drawn(page, ".chart svg.main-svg", 2)
    assert {"observed (each figure across its period)", "published as a bound or range", "partial figure (the start of its period)",
            "projection for the whole period (same rate)", "withdrawn (no longer counts)"} <= set(_legend(page, "chart-proposition"))
    assert _legend(page, "chart-forecasts") == ["analyst-a", "cheater: not scored"]
    notes = page.locator("#chart-proposition .annotation-text").all_text_contents()
    assert "ruling: did not happen (withdrawn)" in notes and "deadline passed, not yet checked" in notes
    ticks = [float(t.replace(",", "").replace("\u2212", "-")) for t in page.locator("#chart-proposition .ytick text").all_text_contents()]
    assert max(ticks) < 4800  # the withdrawn 4,800 does not set the range
    assert page.locator("tr.withdrawn del").first.inner_text() == "4,800 USD million"
    assert page.problems == []
    page.close()


def test_an_event_settled_by_a_ruling_and_the_status_charts_draw(browser, worked_site: Path) -> None:  # type: ignore[no-untyped-def]
    page = _open(browser, (worked_site / "p" / "fertilizer-jv.html").as_uri())
    _charts_drawn(page, "#chart-proposition svg.main-svg", 1)
    assert "ruling" in _legend(page, "chart-proposition")
    assert page.locator("#chart-proposition .scatterlayer .point").count() >= 4
    page.close()
    overview = _open(browser, (worked_site / "index.html").as_uri())
    _charts_drawn(overview, ".chart svg.main-svg", 2)
    assert "deadline passed, not yet checked" in _legend(overview, "chart-by-tag")
    assert overview.locator("#chart-by-tag pattern").count() >= 1  # overdue is hatched, not only coloured
    ticks = overview.locator("#chart-by-tag .xtick text").all_text_contents()
    assert all(t.isdigit() for t in ticks), ticks
    assert overview.problems == []
    overview.close()


def test_the_calibration_counts_are_whole_numbers(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.test_figures import CALIBRATION
    from tracker.report import chart_files, figures

    out = tmp_path / "calibration.html"
    chart_files.write(figures.calibration_spec(CALIBRATION), out)  # type: ignore[arg-type]
    page = _open(browser, out.as_uri())
    _charts_drawn(page, "svg.main-svg", 1)
    counts = page.locator(".yaxislayer-above .ytick text, .overaxes-above .ytick text").all_text_contents()
    right = [t for t in page.locator("g.ytick text").all_text_contents() if "%" not in t]
    assert right and all(t.isdigit() for t in right), (counts, right)
    title = page.locator("text.ytitle").all_text_contents()
    assert "forecasts in bin" in title
    boxes = [page.locator("text.ytitle", has_text="forecasts in bin").bounding_box()]
    labels = [page.locator("g.ytick text", has_text=t).first.bounding_box() for t in right]
    assert all(box["x"] + box["width"] <= boxes[0]["x"] + 1 for box in labels)  # the title sits clear of the tick labels
    page.close()


def screenshots(docs: Path) -> list[Path]:
    """The screenshots docs/dashboard.md shows: the bundled data's overview and its statuses chart (as of
    2026-11-23), and the new charts drawn from the worked records (tests/builders.py) as of 2026-03-01."""
    import shutil
    import tempfile

    from playwright.sync_api import sync_playwright
    from typer.testing import CliRunner

    from tests.test_figures import CALIBRATION
    from tracker.cli import app
    from tracker.report import chart_files, figures

    repo = Path(__file__).resolve().parents[1]
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        tmp = Path(folder)
        for copied in ("forecasts", "scenarios"):
            shutil.copytree(repo / copied, tmp / "bundled" / copied)
        result = CliRunner().invoke(app, ["--workspace", str(tmp / "bundled"), "dashboard", "-o", str(tmp / "bundled-site"),
                                          "--as-of", "2026-11-23"])
        assert result.exit_code == 0, result.output
        site = site_from(builders.session(tmp / "worked"), builders.all_logs(), date(2026, 3, 1))
        worked = write_dashboard(site, tmp / "worked-site").folder
        chart_files.write(figures.calibration_spec(CALIBRATION), tmp / "calibration.html")  # type: ignore[arg-type]
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        shots = [
            (tmp / "bundled-site" / "index.html", None, "dashboard.png", 1500),
            (tmp / "bundled-site" / "index.html", "#chart-by-tag", "chart-statuses.png", 900),
            (worked / "p" / "by-az-trade-1bn.html", None, "proposition-page.png", 2900),
            (worked / "p" / "by-az-trade-1bn.html", "#chart-proposition", "chart-target.png", 900),
            (worked / "p" / "by-az-trade-1bn.html", "#chart-forecasts", "chart-forecasts.png", 900),
            (worked / "p" / "fertilizer-jv.html", "#chart-proposition", "chart-event.png", 900),
            (tmp / "calibration.html", ".plotly-graph-div", "chart-calibration.png", 700),
        ]
        for source, selector, name, height in shots:
            page = chromium.new_page(viewport={"width": 1280, "height": height})
            page.goto(source.as_uri())
            _charts_drawn(page, "svg.main-svg", 1)
            page.wait_for_timeout(500)
            target = docs / name
            (page.locator(selector).first if selector else page).screenshot(path=str(target))
            written.append(target)
            page.close()
        chromium.close()
    return written


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "docs"
    for path in screenshots(folder):
        print(f"wrote {path}")
