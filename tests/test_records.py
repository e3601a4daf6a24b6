"""Records: what a partial figure covers and when it counts, revisions by span, withdrawals by time."""

from __future__ import annotations

from datetime import date, datetime

from tracker.core.periods import parse_period
from tracker.core.records import Observation, Retraction, retracted_as_of, superseded_ids


def figure(as_of: str, value: float, recorded: str, id: int, through: str | None = None) -> Observation:
    return Observation("trade", parse_period(as_of), value, datetime.fromisoformat(recorded), "src", id=id,
                       through=parse_period(through) if through else None)


def test_a_partial_figure_covers_the_start_of_its_period_and_counts_once_that_has_ended():
    partial = figure("2025", 274.0, "2025-08-15", 1, through="2025-08")
    assert (partial.covers.start, partial.covers.end, partial.partial) == (date(2025, 1, 1), date(2025, 8, 31), True)
    assert partial.known_on == date(2025, 8, 31)
    assert figure("2025", 497.0, "2026-02-10", 2).known_on == date(2026, 2, 10)


def test_partial_figures_revise_only_the_same_span():
    records = [
        figure("2025", 200.0, "2025-08-01", 1, through="2025-06"),
        figure("2025", 274.0, "2025-10-20", 2, through="2025-08"),
        figure("2025", 210.0, "2025-11-01", 3, through="2025-06-30"),  # Jan–Jun again, written as a day
        figure("2025", 497.0, "2026-02-10", 4),
    ]
    assert superseded_ids(records) == {1}


def test_a_withdrawal_counts_from_when_it_was_recorded():
    retraction = Retraction("r1", "obs-7", "wrong period", datetime(2026, 3, 1, 12, 0), "analyst")
    assert retracted_as_of([retraction], datetime(2026, 3, 1, 12, 0)) == set()
    assert retracted_as_of([retraction], datetime(2026, 3, 2)) == {"obs-7"}


def test_observations_compare_and_hash_by_value():
    made = dict(target="m", as_of=parse_period("2025-01"), value=1.0, recorded_at=datetime(2025, 2, 1), source="s")
    a, b = Observation(**made), Observation(**made)
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert Observation(**{**made, "value": 2.0}) != a
