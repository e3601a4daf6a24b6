"""`tracker show ID`: the status history, each change with its date and cause, end to end."""

from __future__ import annotations

import json

from tests.conftest import Run, past

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
