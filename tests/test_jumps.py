"""Jump warnings: a figure far from its metric's nearest known period, by hand."""

from __future__ import annotations

from datetime import datetime

from tracker.core.jumps import jump_warning, jump_warnings, nearest
from tracker.core.periods import parse_period
from tracker.core.records import Observation


def figure(as_of: str, value: float, target: str = "trade", through: str | None = None) -> Observation:
    return Observation(target, parse_period(as_of), value, datetime(2026, 1, 1), "src",
                       through=parse_period(through) if through else None)


def test_the_nearest_period_is_compared():
    known = [figure("2021", 885.5), figure("2023", 450.0), figure("2024", 480.0, through="2024-06")]
    assert nearest(parse_period("2024"), known).as_of.label == "2023"  # the partial 2024 figure is not compared
    assert nearest(parse_period("2022"), known).as_of.label == "2021"  # equally near: the earlier
    assert jump_warning(5600.0, parse_period("2024"), known) == (
        "5600 is more than ten times the nearest known value (450 for 2023); logged all the same: check the digits and the unit")
    assert jump_warning(497.0, parse_period("2024"), known) is None
    assert jump_warning(497.0, parse_period("2024"), []) is None


def test_definition_files_list_each_jump():
    observations = [figure("2022", 560.0), figure("2023", 6000.0), figure("2024", 580.0), figure("2023", 12.0, target="other"),
                    figure("2025", 30.0, through="2025-01")]
    warnings = jump_warnings(observations)
    assert [(obs.as_of.label, obs.value) for obs, _ in warnings] == [("2022", 560.0), ("2023", 6000.0), ("2024", 580.0)]
    assert warnings[1][1].startswith("6000 is more than ten times the nearest known value (560 for 2022)")
    assert jump_warnings([figure("2022", 560.0), figure("2023", 5600.0)]) == []  # exactly ten times
