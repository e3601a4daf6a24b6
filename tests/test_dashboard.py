"""`tracker dashboard`: the files written, their links, escaping, plotly.js once, --as-of, safe rebuilds."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from tests import builders
from tests.conftest import past
from tracker.app.config import Config
from tracker.app.dashboard import dashboard_data, site_from
from tracker.app.detail import proposition_detail
from tracker.app.session import open_session
from tracker.report.dashboard import MARKER, write_dashboard

HOSTILE = "<script>alert('note')</script><img src=x onerror=alert(1)>"

SCENARIOS = """\
id: baku-minsk
title: Where relations go
scenarios:
  - {id: deepening, title: Deepening <b>fast</b>, prior: 0.4}
  - {id: stagnation, title: Stagnation, prior: 0.6}
indicators:
  - proposition: by-az-trade-1bn
    likelihood: {deepening: 0.6, stagnation: 0.1}
  - proposition: fertilizer-jv
    likelihood: {deepening: 0.7, stagnation: 0.2}
"""

HOSTILE_SOURCE = """\
sources:
  - id: bad-source
    title: "<script>alert('source')</script> Daily"
    published: 2024-06-01
    url: "javascript:alert('url')"
actors:
  - {id: mallory, name: "Mallory <img src=x onerror=alert(2)>", role: analyst}
propositions:
  - id: hostile-event
    kind: event
    title: "A plant opens </script><script>alert('title')</script>"
    quote: "we will <b>open</b> it"
    source: bad-source
    stated_by: mallory
    stated_on: 2024-06-01
    deadline: 2027-06-30
    tags: [industry]
"""


@pytest.fixture
def site(sample, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """The dashboard of the sample workspace with a scenario set, a logged revision and a hostile note."""
    sample.write("scenarios/baku-minsk.yaml", SCENARIOS)
    for args in (("by-az-trade", "480", "--as-of", "2024", "--source", "Belstat", "--grade", "B2"),
                 ("by-az-trade", "470", "--as-of", "2024", "--source", "Belstat (revised)"),
                 ("fertilizer-jv", "partly", "--as-of", "2025-10-28", "--source", "apa.az", "--note", HOSTILE)):
        assert sample("observe", *args).exit_code == 0
    assert sample("forecast", "fertilizer-jv", "0.3", "--by", "analyst-a", "--on", "2025-01-01").exit_code == 0
    out = tmp_path / "site"
    result = sample("dashboard", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.output.strip().startswith(f"wrote {out}: 2 proposition pages")
    return out


def pages(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text(encoding="utf-8") for p in folder.rglob("*.html")}


def test_files_written(site: Path) -> None:
    names = sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.is_file())
    assert names == [MARKER, "dashboard.css", "dashboard.js", "forecasters.html", "index.html", "p/by-az-trade-1bn.html",
                     "p/fertilizer-jv.html", "plotly.min.js", "scenarios.html", "track-records.html"]
    assert not list(site.parent.glob(".site.*")), "no staging folder left behind"


def test_plotly_js_is_written_once_and_shared(site: Path) -> None:
    bundle = (site / "plotly.min.js").read_text(encoding="utf-8")
    assert len(bundle) > 1_000_000
    for name, html in pages(site).items():
        assert len(html) < 100_000, f"{name} embeds something big"
        expected = "../plotly.min.js" if name.startswith("p/") else "plotly.min.js"
        assert f'<script src="{expected}" defer></script>' in html
        assert "cdn.plot.ly" not in html and 'src="http' not in html


def test_every_local_link_resolves(site: Path) -> None:
    for name, html in pages(site).items():
        for target in re.findall(r'(?:href|src)="([^"#]+)(?:#[^"]*)?"', html):
            if not target.startswith(("http://", "https://")):
                assert (site / name).parent.joinpath(target).resolve().is_file(), f"{name} links to missing {target}"


def test_overview_counts_table_and_filters(site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    assert '<a href="p/by-az-trade-1bn.html">Belarus-Azerbaijan trade reaches $1 billion</a>' in index
    assert '<a href="p/fertilizer-jv.html">' in index
    assert 'data-status="overdue" data-tags="trade" data-speaker="Alyaksandr Lukashenka" data-country="BY"' in index
    status = "partly" if past("2027-12-31") else "in_progress"
    assert f'data-status="{status}" data-tags="industry" data-speaker="Rasim Huseynov" data-country="AZ"' in index
    assert '<option value="industry">industry</option>' in index and '<option value="AZ">AZ</option>' in index
    assert 'id="chart-by-tag"' in index and 'id="chart-by-speaker"' in index
    assert re.search(r'<span class="n">1</span> <span class="label">deadline passed, not yet checked</span>', index)
    assert f"As of {date.today()}" in index and "generated " in index


def test_proposition_page_shows_statement_chart_observations_history(site: Path) -> None:
    page = (site / "p" / "by-az-trade-1bn.html").read_text(encoding="utf-8")
    for expected in ("<h1>Belarus-Azerbaijan trade reaches $1 billion</h1>", "within a year and a half, to reach the $1 billion mark",
                     "Alyaksandr Lukashenka", "Lukashenko&#39;s visit to Baku", "2025-12-31", 'id="chart-proposition"',
                     "Belstat (revised)", "(revised)", "B2", "Status history", "deadline passed"):
        assert expected in page, expected
    assert page.count('<tr class="superseded">') == 1  # the first 2024 figure, replaced by the revision
    event = (site / "p" / "fertilizer-jv.html").read_text(encoding="utf-8")
    assert "Construction has started, with a Belarusian partner named." in event
    assert "analyst-a" in event and "30%" in event


def test_hostile_note_is_text(site: Path) -> None:
    page = (site / "p" / "fertilizer-jv.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;note&#39;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "\\u0026lt;script\\u0026gt;alert" in page  # in the chart (hover text) too, escaped for plotly, then for the page


def test_scenarios_page(site: Path) -> None:
    page = (site / "scenarios.html").read_text(encoding="utf-8")
    assert 'id="baku-minsk"' in page and "Deepening &lt;b&gt;fast&lt;/b&gt;" in page
    assert '<a href="p/fertilizer-jv.html">' in page and 'id="chart-scenario-1"' in page
    assert "Indicator of" in (site / "p" / "fertilizer-jv.html").read_text(encoding="utf-8")


def test_hostile_definitions_are_escaped_and_a_javascript_url_is_no_link(sample, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sample.write("forecasts/hostile.yaml", HOSTILE_SOURCE)
    out = tmp_path / "site"
    assert sample("dashboard", "-o", str(out)).exit_code == 0
    for name, html in pages(out).items():
        assert "<script>alert" not in html and "<img src=x" not in html and "</script><script>" not in html, name
        assert "javascript:" not in html.split("address:")[0], name
    page = (out / "p" / "hostile-event.html").read_text(encoding="utf-8")
    assert "address: <code>javascript:alert(&#39;url&#39;)</code>" in page
    assert "we will &lt;b&gt;open&lt;/b&gt; it" in page


def test_as_of_leaves_out_what_was_learnt_later(site: Path, sample, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "then"
    assert sample("dashboard", "-o", str(out), "--as-of", "2025-06-30").exit_code == 0
    page = (out / "p" / "by-az-trade-1bn.html").read_text(encoding="utf-8")
    assert "Statuses as of <strong>2025-06-30</strong>" in page
    assert "Belstat (revised)" not in page  # logged today, unknown on 2025-06-30
    # The forecast claims an earlier date but was logged today: as of 2025-06-30 it did not exist yet.
    assert "No forecasts made by 2025-06-30" in (out / "p" / "fertilizer-jv.html").read_text(encoding="utf-8")


def test_dashboard_data_matches_show(sample) -> None:  # type: ignore[no-untyped-def]
    """The set-based details are what `tracker show` gives one proposition at a time."""
    assert sample("observe", "by-az-trade", "480", "--as-of", "2024", "--source", "Belstat").exit_code == 0
    assert sample("forecast", "by-az-trade-1bn", "0.6", "--by", "analyst-a", "--on", "2025-01-01").exit_code == 0
    tracker = open_session(Config(sample.root, sample.db_url))
    today = date.today()
    data = dashboard_data(tracker, today)
    assert set(data["details"]) == {"by-az-trade-1bn", "fertilizer-jv"}
    for prop_id, detail in data["details"].items():
        assert detail["observations_omitted"] == 0
        assert detail == proposition_detail(tracker, prop_id, today)
    assert data["scorecard"]["as_of"] == today.isoformat()


def test_rebuild_replaces_the_site(site: Path, sample) -> None:  # type: ignore[no-untyped-def]
    """The page of a proposition no longer defined goes with the rest of what the last build wrote
    (a file tracker did not write would stop the build: tests/test_hardening_outputs.py, item 1)."""
    sample.write("forecasts/sample.yaml", (sample.root / "forecasts" / "sample.yaml").read_text(encoding="utf-8")
                 .split("  - id: fertilizer-jv")[0])
    (sample.root / "scenarios" / "baku-minsk.yaml").unlink()
    assert (site / "p" / "fertilizer-jv.html").is_file()
    assert sample("dashboard", "-o", str(site)).exit_code == 0
    assert not (site / "p" / "fertilizer-jv.html").exists() and (site / "p" / "by-az-trade-1bn.html").is_file()
    assert sorted(p.name for p in site.parent.iterdir() if p.name.startswith(".site")) == []


def test_refuses_a_folder_it_did_not_write(sample, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.txt").write_text("precious", encoding="utf-8")
    result = sample("dashboard", "-o", str(mine))
    assert result.exit_code == 2
    assert result.output.strip() == f"-o: {mine} is a folder tracker did not write (no {MARKER} in it); choose a new or empty folder"
    assert [p.name for p in mine.iterdir()] == ["thesis.txt"]
    result = sample("dashboard", "-o", str(mine / "thesis.txt"))
    assert result.exit_code == 2 and result.output.strip() == f"-o: {mine / 'thesis.txt'} is a file; name a folder for the dashboard"


def test_bad_as_of(sample, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = sample("dashboard", "-o", str(tmp_path / "s"), "--as-of", "yesterday")
    assert result.exit_code == 2 and result.output.startswith("--as-of: ") and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "s").exists()


def test_a_failed_build_leaves_nothing(tmp_path: Path) -> None:
    """A site whose data cannot be drawn fails before anything appears at the target."""
    broken = {"as_of": "2026-11-24", "generated_at": "2026-11-24T00:00:00", "details": {"x": {"proposition": {}}},
              "scorecard": {"propositions": [], "summary": {}, "scenarios": []}}
    with pytest.raises(KeyError):
        write_dashboard(broken, tmp_path / "site")
    assert list(tmp_path.iterdir()) == []


def test_a_long_series_is_shown_from_before_the_baseline_with_the_same_history(sample, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Decades of a metric: the page lists the years around the target; statuses do not change."""
    for year in range(2000, 2023):
        assert sample("observe", "by-az-trade", str(100 + year - 2000), "--as-of", str(year), "--source", "WITS").exit_code == 0
    assert sample("observe", "by-az-trade", "1200", "--as-of", "2025", "--source", "Belstat").exit_code == 0
    tracker = open_session(Config(sample.root, sample.db_url))
    today = date.today()
    detail = dashboard_data(tracker, today)["details"]["by-az-trade-1bn"]
    full = proposition_detail(tracker, "by-az-trade-1bn", today)
    assert sorted(o["as_of"] for o in detail["observations"]) == ["2020", "2021", "2022", "2023", "2025"]
    assert detail["observations_omitted"] == 20
    assert [(c["on"], c["status"]) for c in detail["history"]] == [(c["on"], c["status"]) for c in full["history"]]
    assert detail["status"] == full["status"] == "materialised"
    out = tmp_path / "site"
    assert sample("dashboard", "-o", str(out)).exit_code == 0
    page = (out / "p" / "by-az-trade-1bn.html").read_text(encoding="utf-8")
    assert "20 earlier observations of this metric are not shown here" in page


# --- honest verdicts and figures as published, from worked records (tests/builders.py) ---------------


@pytest.fixture
def worked_site(tmp_path: Path) -> Path:
    """The dashboard of the worked records as of 2026-03-01 (built from records handed in, not stored)."""
    site = site_from(builders.session(tmp_path / "worked"), builders.all_logs(), date(2026, 3, 1))
    return write_dashboard(site, tmp_path / "site").folder


def test_a_page_strikes_withdrawn_records_through_with_the_reason(worked_site: Path) -> None:
    page = (worked_site / "p" / "by-az-trade-1bn.html").read_text(encoding="utf-8")
    row = page[page.index("<code>o-typo</code>") - 40:page.index("</tr>", page.index("<code>o-typo</code>"))]
    assert '<tr class="withdrawn">' in row and "<del>4,800 USD million</del>" in row
    assert "<strong>Withdrawn</strong> on 2025-03-05 by ana (r-typo): typo: the release says 480" in row
    ruling = page[page.index("<code>u-wrong</code>"):]
    assert "<del>Belstat says 2025 fell short</del>" in ruling and "the computed status stands again" in ruling
    assert "ruled on the wrong proposition" in ruling


def test_a_page_shows_values_as_published_partial_figures_and_projections(worked_site: Path) -> None:
    page = (worked_site / "p" / "by-az-trade-1bn.html").read_text(encoding="utf-8")
    for expected in ("0.8855 USD billion (= 885.5 USD million)", "400..500 USD million", "2025 <span class=\"muted\">through 2025-08</span>",
                     "projected 411.564 for 2025", "<dt>Projected</dt><dd>411.564 USD million for 2025, projected from 274 through 2025-08",
                     "<dt>Target</dt><dd>&gt;= 1,000 USD million by 2025-12-31</dd>", "<code>o-jan-aug</code>",
                     "deadline passed, not yet checked"):
        assert expected in page, expected
    oil = (worked_site / "p" / "oil-2021-exceeds.html").read_text(encoding="utf-8")
    assert "&gt;= 900,000 tonne (baseline × 1.25)" in oil
    growing = (worked_site / "p" / "trade-keeps-growing.html").read_text(encoding="utf-8")
    assert "&gt; 450 USD million (keeps growing)" in growing


def test_a_page_shows_forecasts_over_time_with_both_dates_notes_and_retrodictions(worked_site: Path) -> None:
    page = (worked_site / "p" / "by-az-trade-1bn.html").read_text(encoding="utf-8")
    assert 'id="chart-forecasts"' in page
    table = page[page.index('<table class="forecasts">'):]
    assert "<td>2024-06-01</td><td class=\"muted\">2026-02-20</td><td>cheater</td>" in table
    assert '<span class="mark">retrodiction</span>' in table and "hindsight" in table and "base rate of such pledges" in table
    plant = (worked_site / "p" / "fertilizer-jv.html").read_text(encoding="utf-8")
    assert '<span class="mark">logged late</span>' in plant


def test_the_forecasters_page_says_how_many_were_left_unscored_and_why(worked_site: Path) -> None:
    page = (worked_site / "forecasters.html").read_text(encoding="utf-8")
    cheater = page[page.index("<tr><td>cheater</td>"):page.index("</tr>", page.index("<tr><td>cheater</td>"))]
    assert re.findall(r'<td class="num"[^>]*>(\d+)</td>', cheater)[-3:] == ["1", "1", "0"]
    latecomer = page[page.index("<tr><td>latecomer</td>"):page.index("</tr>", page.index("<tr><td>latecomer</td>"))]
    assert re.findall(r'<td class="num"[^>]*>(\d+)</td>', latecomer)[-3:] == ["1", "0", "1"]
    assert "<strong>retrodiction</strong>" in page and "<strong>logged after the outcome</strong>" in page


def test_overview_and_scenarios_pages_tell_overdue_apart_and_show_per_outcome_likelihoods(worked_site: Path) -> None:
    index = (worked_site / "index.html").read_text(encoding="utf-8")
    assert '<span class="status overdue">deadline passed, not yet checked</span>' in index
    assert '<span class="status not_materialised">did not happen</span>' in index
    assert '<option value="overdue">deadline passed, not yet checked</option>' in index
    assert "2 passed their deadline with nothing checked yet" in index
    scenarios = (worked_site / "scenarios.html").read_text(encoding="utf-8")
    assert "<td>partly: no likelihood given, weights unchanged</td>" in scenarios
    assert "0.70 / 0.20 / 0.10" in scenarios and "0.50 / 0.30 / 0.20" in scenarios
    plant = (worked_site / "p" / "fertilizer-jv.html").read_text(encoding="utf-8")
    assert "yes / partly / no with probability 0.50 / 0.30 / 0.20 under “Deepening”" in plant


def test_as_of_before_the_retraction_the_record_stands(tmp_path: Path) -> None:
    site = site_from(builders.session(tmp_path / "worked"), builders.all_logs(), date(2025, 3, 4))
    page = (write_dashboard(site, tmp_path / "site").folder / "p" / "by-az-trade-1bn.html").read_text(encoding="utf-8")
    assert 'class="withdrawn"' not in page and "<code>o-typo</code>" in page and "happened" in page


def test_no_page_cites_the_spec(worked_site: Path) -> None:
    for name, html in pages(worked_site).items():
        assert "SPEC §" not in html and "SPEC \\u00a7" not in html, name
