"""`tracker show ID`: the status history, each change with its date and cause, end to end."""

from __future__ import annotations

import json

import pytest

from tests import builders
from tests.conftest import Run, past
from tracker.core.results import Detail
from tracker.core.workspace import Workspace
from tracker.report.show import render_detail

# 2024 = 750 published 2025-02-15 (on track), 2025 = 497 published 2026-02-10 (missed).
FIGURES = """\
    sources:
      - {id: belstat-2025, title: Foreign trade 2024, publisher: Belstat, published: 2025-02-15}
    observations:
      - {target: by-az-trade, as_of: 2024, value: 750, source: belstat-2025}
      - {target: by-az-trade, as_of: 2025, value: 497, source: belstat-2026, grade: B2}
"""


def history(run: Run, proposition: str, *args: str) -> list[dict]:
    result = run("show", proposition, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["history"]


def test_target_history_names_each_cause(sample: Run) -> None:
    sample.write("forecasts/figures.yaml", FIGURES)
    assert sample("resolve", "by-az-trade-1bn", "--status", "annulled", "--why", "figures disputed", "--on", "2026-03-01").exit_code == 0
    assert [(c["on"], c["status"], c["cause"]) for c in history(sample, "by-az-trade-1bn", "--as-of", "2026-11-24")] == [
        ("2024-05-16", "no_data", "stated"),
        ("2025-02-15", "on_track", "observation 2024: 750 (belstat-2025)"),
        ("2025-04-16", "behind", "expected progress overtook progress"),
        ("2026-01-01", "overdue", "deadline passed"),
        ("2026-02-10", "not_materialised", "observation 2025: 497 (belstat-2026) [B2]"),
        ("2026-03-01", "annulled", "ruling: annulled — figures disputed"),
    ]


def test_history_stops_at_as_of(sample: Run) -> None:
    sample.write("forecasts/figures.yaml", FIGURES)
    assert [c["status"] for c in history(sample, "by-az-trade-1bn", "--as-of", "2025-12-31")] == ["no_data", "on_track", "behind"]
    assert history(sample, "by-az-trade-1bn", "--as-of", "2024-01-01") == []


def test_text_shows_the_history_section(sample: Run) -> None:
    sample.write("forecasts/figures.yaml", FIGURES)
    text = sample("show", "by-az-trade-1bn", "--as-of", "2026-11-24").stdout
    section = text[text.index("  status history:"):].splitlines()
    assert section == [
        "  status history:",
        "    2024-05-16  no_data  <- stated",
        "    2025-02-15  on_track  <- observation 2024: 750 (belstat-2025)",
        "    2025-04-16  behind  <- expected progress overtook progress",
        "    2026-01-01  overdue  <- deadline passed",
        "    2026-02-10  not_materialised  <- observation 2025: 497 (belstat-2026) [B2]",
    ]


def test_event_history_from_logged_evidence(sample: Run) -> None:
    assert sample("observe", "fertilizer-jv", "partly", "--as-of", "2025-03-01", "--source", "site visit").exit_code == 0
    changes = history(sample, "fertilizer-jv")
    if past("2027-12-31"):  # logged after the deadline: the deadline passes unchecked, then the evidence arrives
        assert [(c["status"], c["cause"]) for c in changes] == [
            ("open", "stated"), ("overdue", "deadline passed"), ("partly", "observation 2025-03-01: partly (site visit)")]
    else:
        assert [(c["status"], c["cause"]) for c in changes] == [
            ("open", "stated"), ("in_progress", "observation 2025-03-01: partly (site visit)")]
    # Logged today, so it counts from today: an earlier date does not see it.
    assert [c["status"] for c in history(sample, "fertilizer-jv", "--as-of", "2025-12-31")] == ["open"]


# --- honest verdicts and figures as published, from worked records (tests/builders.py) ---------------


@pytest.fixture(scope="module")
def space(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return builders.workspace(tmp_path_factory.mktemp("worked"))


def billion(space: Workspace, as_of: str) -> Detail:
    return builders.detail_as_of(space, builders.billion_logs(), "by-az-trade-1bn", as_of)


def section(text: str, title: str) -> list[str]:
    """The lines of one section of `show`'s text (up to the next section)."""
    lines = text.splitlines()
    start = lines.index(f"  {title}:") + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("  ") and not lines[i].startswith("    ")), len(lines))
    return lines[start:end]


def test_show_gives_ids_values_as_written_partial_figures_and_withdrawals(space: Workspace) -> None:
    text = render_detail(billion(space, "2026-03-01"))
    assert "  status as of 2026-03-01: overdue (deadline passed, not yet checked)" in text
    assert "  latest: 480 USD million (2024)" in text
    assert "  projected: 411.564 USD million for 2025, projected from 274 through 2025-08" in text
    assert section(text, "observations") == [
        "    [o-2021]  2021        0.8855 USD billion (= 885.5 USD million)  source: Belstat  recorded 2022-02-01 by ana",
        "    [o-2022]  2022        400..500 USD million  source: Belstat  recorded 2023-02-01 by ana",
        "    [o-2024]  2024        480 USD million  source: Belstat  grade B2  recorded 2025-02-01 by ana",
        "    [o-typo]  2024        4,800 USD million  source: Belstat  recorded 2025-03-01 by ana",
        "      WITHDRAWN on 2025-03-05 by ana (r-typo): typo: the release says 480",
        "      note: typed from the release",
        "    [o-jan-aug]  2025 through 2025-08  274 USD million  (projected 411.564 for 2025)  source: Belstat  recorded 2025-10-20 by ana",
    ]
    assert section(text, "rulings") == [
        "    [u-wrong]  2026-01-10  not_materialised: Belstat says 2025 fell short  (logged 2026-01-10 by ana)",
        "      WITHDRAWN on 2026-01-20 by ana (r-wrong): ruled on the wrong proposition; the computed status stands again",
    ]


def test_a_withdrawn_record_stands_as_of_a_date_before_its_retraction(space: Workspace) -> None:
    then = billion(space, "2025-03-04")
    typo = next(o for o in then["observations"] if o["uid"] == "o-typo")
    first = next(o for o in then["observations"] if o["uid"] == "o-2024")
    assert (typo["withdrawn"], typo["superseded"], first["superseded"]) == (None, False, True)
    assert then["status"] == "materialised" and "WITHDRAWN" not in render_detail(then)
    ruled = billion(space, "2026-01-15")
    assert ruled["status"] == "not_materialised" and ruled["ruling"] is not None
    [ruling] = ruled["rulings"]
    assert (ruling["in_force"], ruling["withdrawn"]) == (True, None)
    assert "  IN FORCE" in section(render_detail(ruled), "rulings")[0]
    later = billion(space, "2026-03-01")
    assert later["status"] == "overdue" and later["ruling"] is None
    assert later["rulings"][0]["in_force"] is False
    assert later["rulings"][0]["withdrawn"] == {"uid": "r-wrong", "why": "ruled on the wrong proposition",
                                                "recorded_at": "2026-01-20T10:00:00", "recorded_by": "ana"}


def test_the_history_counts_a_withdrawn_record_until_its_retraction(space: Workspace) -> None:
    assert [(c["on"], c["status"], c["cause"]) for c in billion(space, "2026-03-01")["history"][1:]] == [
        ("2025-02-01", "behind", "observation 2024: 480 (Belstat) [B2]"),
        ("2025-03-01", "materialised", "observation 2024: 4800 (Belstat)"),
        ("2025-03-05", "behind", "withdrawn: observation 2024: 4800 (Belstat) — typo: the release says 480"),
        ("2026-01-01", "overdue", "deadline passed"),
        ("2026-01-10", "not_materialised", "ruling: not_materialised — Belstat says 2025 fell short"),
        ("2026-01-20", "overdue", "withdrawn: ruling: not_materialised — Belstat says 2025 fell short — ruled on the wrong proposition"),
    ]
    event = builders.detail_as_of(space, builders.event_logs(), "fertilizer-jv", "2026-03-01")
    assert [(c["on"], c["status"]) for c in event["history"]] == [
        ("2024-05-20", "open"), ("2025-11-02", "in_progress"), ("2025-11-16", "materialised"), ("2025-11-18", "in_progress"),
        ("2025-11-20", "open"), ("2026-01-01", "overdue"), ("2026-02-01", "not_materialised")]


def test_forecasts_show_when_made_and_logged_their_note_and_retrodictions(space: Workspace) -> None:
    detail = billion(space, "2026-03-01")
    assert [(f["forecaster"], f["made_on"], f["recorded_at"], f["note"], f["unscored"]) for f in detail["forecasts"]] == [
        ("analyst-a", "2024-06-01", "2024-06-08T00:00:00", "base rate of such pledges", None),
        ("cheater", "2024-06-01", "2026-02-20T00:00:00", "hindsight", "retrodiction")]
    assert section(render_detail(detail), "forecasts") == [
        "    2024-06-01  analyst-a: 60%  (logged 2024-06-08 by analyst-a)",
        "      note: base rate of such pledges",
        "    2024-06-01  cheater: 1%  (logged 2026-02-20 by cheater)",
        "      RETRODICTION: logged more than the grace period after the date it claims; not scored",
        "      note: hindsight",
    ]
    # As of a date before it was logged, the retrodiction does not exist yet.
    assert [f["forecaster"] for f in billion(space, "2026-02-19")["forecasts"]] == ["analyst-a"]


def test_json_detail_carries_ids_bounds_spans_and_projections(space: Workspace) -> None:
    observations = {o["uid"]: o for o in billion(space, "2026-03-01")["observations"]}
    assert observations["o-2022"]["bound"] == {"low": 400.0, "high": 500.0, "text": "400..500"}
    assert (observations["o-2022"]["value"], observations["o-2022"]["written"]) == (450.0, "400..500")
    assert (observations["o-jan-aug"]["through"], observations["o-jan-aug"]["projected"], observations["o-jan-aug"]["known_on"]) == (
        "2025-08", 411.5638, "2025-10-20")
    assert observations["o-2021"]["written"] == "0.8855 USD billion"
    assert json.loads(json.dumps(billion(space, "2026-03-01")))["projection"] == {
        "value": 411.5638, "as_of": "2025", "through": "2025-08", "partial": 274.0, "written": None, "source": "Belstat"}


def test_growth_targets_read_as_their_baseline_changed(space: Workspace) -> None:
    oil = render_detail(builders.detail_as_of(space, builders.billion_logs(), "oil-2021-exceeds", "2026-03-01"))
    assert "  target: >= 900,000 tonne (baseline × 1.25)" in oil
    growing = builders.detail_as_of(space, builders.billion_logs(), "trade-keeps-growing", "2025-11-01")
    assert "  target: > 450 USD million (keeps growing)" in render_detail(growing)
    assert growing["proposition"]["target"] == {"op": ">", "value": 450.0, "change": 0.0}


# --- the parts the command line can already log -----------------------------------------------------


GROWTH = """\
    sources:
      - {id: oil-2021, title: Oil supplies in 2021, publisher: Example Daily, published: 2021-01-15}
    metrics:
      - {id: oil, name: Oil supplies to Belarus, unit: tonne, period: year}
    propositions:
      - id: oil-2021-exceeds
        kind: target
        title: Oil supplies in 2021 considerably exceed 2020's
        quote: "oil supplies in 2021 will considerably exceed last year's"
        source: oil-2021
        stated_by: lukashenka
        stated_on: 2021-01-15
        metric: oil
        baseline: {value: 720000, as_of: 2020}
        target: {op: ">=", change: 0.25}
        deadline: 2021-12-31
        forecasts:
          - {by: analyst-a, probability: 0.3, on: 2021-01-15, source: oil-2021, note: supplies depend on Baku's quota}
"""


def test_show_through_the_cli_marks_retrodictions_and_rulings(sample: Run) -> None:
    assert sample("forecast", "by-az-trade-1bn", "0.95", "--by", "cheater", "--on", "2024-06-01").exit_code == 0
    assert sample("resolve", "fertilizer-jv", "--status", "annulled", "--why", "plan dropped", "--on", "2024-07-01").exit_code == 0
    text = sample("show", "by-az-trade-1bn").stdout
    assert "cheater: 95%" in text and "RETRODICTION: logged more than the grace period after the date it claims; not scored" in text
    detail = json.loads(sample("show", "by-az-trade-1bn", "--format", "json").stdout)
    assert detail["forecasts"][0]["unscored"] == "retrodiction" and detail["forecasts"][0]["made_on"] == "2024-06-01"
    event = sample("show", "fertilizer-jv").stdout
    assert "2024-07-01  annulled: plan dropped" in event and "IN FORCE" in event
    assert "status as of" in event and "status as of" in event and ": annulled: no longer meaningful to track" in event


def test_show_through_the_cli_reads_growth_targets_and_forecast_notes(sample: Run) -> None:
    sample.write("forecasts/oil.yaml", GROWTH)
    text = sample("show", "oil-2021-exceeds", "--as-of", "2022-06-01").stdout
    assert "  target: >= 900,000 tonne (baseline × 1.25)" in text
    assert "  status as of 2022-06-01: overdue (deadline passed, not yet checked)" in text
    assert "analyst-a: 30%  (logged 2021-01-15 by definitions)  source: oil-2021" in text and "note: supplies depend on Baku's quota" in text
