"""Reading the logs (tracker.app.logs): the scorecard reads only the observations that can change a
resolution as of T (a metric from its targets' baselines on, plus the last period before when
nothing later is known), and resolves exactly as if it had read everything."""

from __future__ import annotations

import json

import pytest

IMPORT = """\
type,target,value,as_of,source,grade,recorded_at
observation,by-az-trade,300,2021,belstat,A1,2022-02-01T09:00:00
observation,by-az-trade,400,2022,belstat,A1,2023-02-01T09:00:00
observation,by-az-trade,410,2022,belstat,B2,2023-03-01T09:00:00
observation,by-az-trade,600,2024,belstat,A1,2025-02-01T09:00:00
"""


def _card(sample, *options: str) -> dict:  # type: ignore[type-arg]

    result = sample("scorecard", "--format", "json", *options)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize("as_of", ["2023-06-01", "2024-12-31", "2025-03-01", "2026-11-24"])
def test_scorecard_reading_only_the_relevant_periods_changes_nothing(sample, as_of):
    """The scorecard reads a metric from the target's baseline on (plus the last period before
    when nothing later is known); `--since` reads everything: both resolve alike."""
    sample.write("logs.csv", IMPORT)
    assert sample("import", str(sample.root / "logs.csv")).exit_code == 0
    windowed = _card(sample, "--as-of", as_of)
    everything = _card(sample, "--as-of", as_of, "--since", "2020-01-01")
    assert windowed["propositions"] == everything["propositions"]
    assert windowed["summary"] == everything["summary"]
    assert windowed["track_records"] == everything["track_records"]


def test_latest_before_the_baseline_when_nothing_later_is_known(sample):
    """As of mid-2023 the 2023 figure is not in yet: the target's latest is the revised 2022 one."""
    sample.write("logs.csv", IMPORT)
    assert sample("import", str(sample.root / "logs.csv")).exit_code == 0
    [target] = [p for p in _card(sample, "--as-of", "2023-06-01")["propositions"] if p["id"] == "by-az-trade-1bn"]
    assert target["latest"] == {"value": 410.0, "as_of": "2022", "source": "belstat", "grade": "B2", "written": None}
