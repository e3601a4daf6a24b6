"""The dashboard in a real browser: Debian's chromium driven by playwright, from disk, offline.

Never runs `playwright install`: it launches /usr/bin/chromium. Where that or playwright is
missing the test skips and says why; in CI (CI=true) it fails instead, since CI installs chromium.

`python tests/test_browser.py` (re)writes docs/dashboard.png, the overview of the bundled data.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

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


def screenshot(out: Path) -> None:
    """Build the dashboard of the bundled data and save a screenshot of its overview."""
    import tempfile

    from playwright.sync_api import sync_playwright
    from typer.testing import CliRunner

    from tracker.cli import app

    repo = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        result = CliRunner().invoke(app, ["--workspace", str(repo), "--db", f"sqlite:///{tmp}/t.db", "dashboard", "-o", f"{tmp}/site"])
        assert result.exit_code == 0, result.output
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
            page = chromium.new_page(viewport={"width": 1280, "height": 1500})
            page.goto(Path(f"{tmp}/site/index.html").as_uri())
            _charts_drawn(page, ".chart svg.main-svg", 2)
            page.wait_for_timeout(500)
            page.screenshot(path=str(out))
            chromium.close()


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "docs" / "dashboard.png"
    screenshot(target)
    print(f"wrote {target}")
