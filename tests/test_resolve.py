"""Resolution (SPEC §4): one hand-computed case per status and per as-of subtlety.

The running example is SPEC §3's: trade of 450 in 2023 should reach 1000 by 2025-12-31,
stated on 2024-05-16, measured by year. Expected progress uses the end of the baseline
period (2023-12-31) and the deadline: 731 days apart.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.core.models import Metric, Proposition
from tracker.core.periods import parse_period
from tracker.core.records import Observation, Ruling
from tracker.core.resolve import meets_grade, meets_target, resolve, resolve_all, status_history
from tracker.core.values import convert, parse_value

YEARLY = Metric(id="trade", name="Trade", unit="USD million", period="year")
MONTHLY = Metric(id="output", name="Output", unit="tonne", period="month")


def target(**changes) -> Proposition:
    """SPEC §3's target proposition, with some fields changed."""
    fields = dict(
        id="trade-1bn",
        kind="target",
        title="Trade reaches $1 billion",
        quote="...to reach the $1 billion mark.",
        source="src",
        stated_by="lukashenka",
        stated_on=date(2024, 5, 16),
        deadline=date(2025, 12, 31),
        metric="trade",
        baseline={"value": 450, "as_of": 2023},
        target={"op": ">=", "value": 1000},
    )
    fields.update(changes)
    return Proposition(**fields)


def event(**changes) -> Proposition:
    fields = dict(
        id="plant",
        kind="event",
        title="A joint plant is built",
        quote="...joint fertilizer production...",
        source="src",
        stated_by="huseynov",
        stated_on=date(2024, 5, 20),
        deadline=date(2025, 12, 31),
    )
    fields.update(changes)
    return Proposition(**fields)


def obs(as_of, value, recorded: str, target: str = "trade", grade: str | None = None, id: int | None = None, source: str = "src"):
    return Observation(
        target=target,
        as_of=parse_period(as_of),
        value=value,
        recorded_at=datetime.fromisoformat(recorded),
        source=source,
        grade=grade,
        id=id,
    )


def ruling(status: str, on: str, why: str = "analyst's reading", id: int | None = None) -> Ruling:
    made_on = date.fromisoformat(on)
    return Ruling("trade-1bn", status, why, made_on, datetime.combine(made_on, datetime.min.time()), id=id)


def at(day: str, proposition=None, observations=(), rulings=(), metric=YEARLY, min_grade=None):
    proposition = proposition or target()
    return resolve(proposition, metric, observations, rulings, date.fromisoformat(day), min_grade)


# --- target statuses -----------------------------------------------------------------------


def test_no_data_without_observations():
    result = at("2024-06-01")
    assert (result.status, result.progress, result.latest, result.final, result.resolved_on) == (
        "no_data",
        None,
        None,
        False,
        None,
    )
    assert result.expected_progress == pytest.approx(153 / 731)  # 2023-12-31 -> 2024-06-01


def test_no_data_and_null_progress_when_latest_period_is_the_baseline_period():
    baseline_figure = obs(2023, 450.0, "2024-02-01")
    result = at("2024-06-01", observations=[baseline_figure])
    assert result.status == "no_data"
    assert result.latest == baseline_figure
    assert result.progress is None


def test_on_track():
    # progress (800-450)/550 = 0.636; expected 386/731 = 0.528
    result = at("2025-01-20", observations=[obs(2024, 800.0, "2025-01-15")])
    assert result.status == "on_track"
    assert result.progress == pytest.approx(350 / 550)
    assert result.expected_progress == pytest.approx(386 / 731)


def test_behind():
    # progress 30/550 = 0.055 < expected 0.528 - 0.1
    result = at("2025-01-20", observations=[obs(2024, 480.0, "2025-01-15")])
    assert result.status == "behind"


def test_on_track_boundary_is_inclusive():
    # Monthly: baseline 2023-12 ends 2023-12-31, deadline 2024-12-31 (366 days).
    # As of 2024-07-01 expected progress is 183/366 = 0.5: progress 0.4 is on track, 0.399 behind.
    prop = target(metric="output", baseline={"value": 0, "as_of": "2023-12"}, target={"op": ">=", "value": 100},
                  stated_on=date(2024, 1, 1), deadline=date(2024, 12, 31))
    on = at("2024-07-01", prop, [obs("2024-06", 40.0, "2024-07-01", "output")], metric=MONTHLY)
    off = at("2024-07-01", prop, [obs("2024-06", 39.9, "2024-07-01", "output")], metric=MONTHLY)
    assert on.expected_progress == 0.5
    assert (on.status, off.status) == ("on_track", "behind")


def test_materialised_from_the_day_recorded():
    figure = obs(2024, 1010.0, "2025-02-01")
    assert at("2025-01-31", observations=[figure]).status == "no_data"
    result = at("2025-02-01", observations=[figure])
    assert (result.status, result.final, result.resolved_on) == ("materialised", True, date(2025, 2, 1))
    assert result.latest == figure
    assert result.progress == pytest.approx(560 / 550)


def test_materialised_before_the_deadline_stays_after_it():
    result = at("2026-06-01", observations=[obs(2024, 1010.0, "2025-02-01")])
    assert result.status == "materialised"


def test_not_materialised_spec_example():
    observations = [obs(2024, 480.0, "2025-02-01"), obs(2025, 497.0, "2026-02-01")]
    result = at("2026-11-23", observations=observations)
    assert result.status == "not_materialised"
    assert round(result.progress, 2) == 0.09
    assert result.expected_progress == 1.0
    assert result.latest.value == 497.0 and result.latest.as_of.label == "2025"
    assert result.resolved_on == date(2026, 2, 1)


def test_overdue_until_the_deadline_period_is_observed():
    observations = [obs(2024, 480.0, "2025-02-01"), obs(2025, 497.0, "2026-02-01")]
    result = at("2026-01-15", observations=observations)
    assert (result.status, result.latest.as_of.label, result.final) == ("overdue", "2024", False)


def test_partly_when_progress_reaches_half():
    # progress (800-450)/550 = 0.636 >= 0.5
    result = at("2026-03-01", observations=[obs(2025, 800.0, "2026-02-01")])
    assert (result.status, result.resolved_on) == ("partly", date(2026, 2, 1))


def test_partial_threshold_per_proposition():
    result = at("2026-03-01", target(partial=0.7), [obs(2025, 800.0, "2026-02-01")])
    assert result.status == "not_materialised"


def test_deadline_period_recorded_before_the_deadline_passes():
    # A figure for 2025 recorded on 2025-12-31: still before the deadline that day, final the next.
    figure = obs(2025, 497.0, "2025-12-31")
    assert at("2025-12-31", observations=[figure]).status == "behind"
    result = at("2026-01-01", observations=[figure])
    assert (result.status, result.resolved_on) == ("not_materialised", date(2026, 1, 1))


def test_deadline_inside_a_period_is_decided_by_that_period():
    # Deadline mid-2025 with annual data: the 2025 figure is the deadline's period.
    prop = target(deadline=date(2025, 6, 30))
    assert at("2025-09-01", prop, [obs(2024, 600.0, "2025-02-01")]).status == "overdue"
    assert at("2026-03-01", prop, [obs(2025, 1001.0, "2026-02-01")]).status == "materialised"
    assert at("2026-03-01", prop, [obs(2025, 500.0, "2026-02-01")]).status == "not_materialised"


def test_values_outside_the_window_do_not_materialise():
    # 2022 ended before stated_on; 2026 starts after the deadline.
    observations = [obs(2022, 1200.0, "2023-02-01"), obs(2025, 500.0, "2026-02-01"), obs(2026, 1200.0, "2027-01-15")]
    result = at("2027-02-01", observations=observations)
    assert result.status == "not_materialised"
    assert result.latest.as_of.label == "2025"


# --- as-of subtleties ------------------------------------------------------------------------


def test_period_not_ended_does_not_count():
    # A 2025 figure recorded in June 2025 counts only once 2025 has ended.
    figure = obs(2025, 1200.0, "2025-06-01")
    assert at("2025-07-01", observations=[figure]).status == "no_data"
    result = at("2025-12-31", observations=[figure])
    assert (result.status, result.resolved_on) == ("materialised", date(2025, 12, 31))


def test_recorded_after_as_of_does_not_count():
    assert at("2025-02-01", observations=[obs(2024, 800.0, "2025-02-02")]).status == "no_data"


def test_recorded_time_of_day_counts_by_its_date():
    assert at("2025-02-02", observations=[obs(2024, 800.0, "2025-02-02T23:59:00")]).status == "on_track"


def test_revision_by_a_later_record():
    first, revised = obs(2024, 1010.0, "2025-02-01"), obs(2024, 990.0, "2025-03-01")
    assert at("2025-02-15", observations=[revised, first]).status == "materialised"
    result = at("2025-03-01", observations=[revised, first])
    assert (result.status, result.latest) == ("on_track", revised)


def test_revision_tie_goes_to_the_higher_id():
    a = obs(2024, 1010.0, "2025-02-01", id=2)
    b = obs(2024, 990.0, "2025-02-01", id=1)
    assert at("2025-03-01", observations=[a, b]).status == "materialised"
    assert at("2025-03-01", observations=[obs(2024, 1010.0, "2025-02-01", id=1), obs(2024, 990.0, "2025-02-01", id=2)]).status == "on_track"


def test_revision_that_changes_nothing_keeps_the_resolution_date():
    observations = [obs(2024, 1010.0, "2025-02-01"), obs(2024, 1020.0, "2025-03-01")]
    assert at("2025-04-01", observations=observations).resolved_on == date(2025, 2, 1)


def test_revision_that_crosses_the_target_dates_from_the_revision():
    observations = [obs(2024, 990.0, "2025-02-01"), obs(2024, 1010.0, "2025-03-01")]
    assert at("2025-04-01", observations=observations).resolved_on == date(2025, 3, 1)


# --- rulings -----------------------------------------------------------------------------------


def test_ruling_overrides_from_its_date():
    figure = [obs(2024, 800.0, "2025-01-15")]
    rulings = [ruling("not_materialised", "2025-06-01")]
    assert at("2025-05-31", observations=figure, rulings=rulings).status == "on_track"
    result = at("2025-06-01", observations=figure, rulings=rulings)
    assert (result.status, result.final, result.resolved_on, result.ruling) == (
        "not_materialised",
        True,
        date(2025, 6, 1),
        rulings[0],
    )
    assert result.progress == pytest.approx(350 / 550)  # still shown


def test_latest_ruling_in_force_wins():
    rulings = [ruling("materialised", "2025-08-01"), ruling("not_materialised", "2025-06-01")]
    assert at("2025-07-01", rulings=rulings).status == "not_materialised"
    assert at("2025-08-01", rulings=rulings).status == "materialised"


def test_annulled_only_by_ruling():
    result = at("2026-03-01", observations=[obs(2025, 497.0, "2026-02-01")], rulings=[ruling("annulled", "2026-02-15", "statement withdrawn")])
    assert (result.status, result.final, result.resolved_on) == ("annulled", True, date(2026, 2, 15))


# --- grades ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grade", "threshold", "meets"),
    [
        ("B2", None, True),
        (None, None, True),
        ("B2", "C3", True),
        ("C3", "C3", True),
        ("D2", "C3", False),  # worse letter
        ("B4", "C3", False),  # worse digit
        ("A1", "C3", True),
        (None, "C3", False),  # ungraded reads as F6
        (None, "F6", True),
    ],
)
def test_meets_grade(grade, threshold, meets):
    assert meets_grade(grade, threshold) is meets


def test_weak_observation_shows_progress_but_does_not_resolve():
    weak = obs(2024, 1010.0, "2025-02-01", grade="D2")
    result = at("2025-03-01", target(min_grade="C3"), [weak])
    assert (result.status, result.latest, result.final) == ("on_track", weak, False)


def test_weak_observation_of_the_deadline_period_leaves_it_overdue():
    result = at("2026-03-01", target(min_grade="C3"), [obs(2025, 497.0, "2026-02-01", grade="B4")])
    assert result.status == "overdue"


def test_ungraded_observation_below_a_threshold():
    assert at("2026-03-01", target(min_grade="C3"), [obs(2025, 497.0, "2026-02-01")]).status == "overdue"


def test_strong_observation_resolves_despite_a_later_weak_revision():
    strong, weak = obs(2025, 497.0, "2026-02-01", grade="B2"), obs(2025, 1200.0, "2026-02-10", grade="E5")
    result = at("2026-03-01", target(min_grade="C3"), [strong, weak])
    assert (result.status, result.latest) == ("not_materialised", strong)


def test_proposition_threshold_overrides_the_argument():
    figure = [obs(2025, 497.0, "2026-02-01", grade="C3")]
    assert at("2026-03-01", target(), figure, min_grade="B2").status == "overdue"
    assert at("2026-03-01", target(min_grade="C3"), figure, min_grade="B2").status == "not_materialised"


# --- operators ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "op", "goal", "meets"),
    [
        (1000.0, ">=", 1000.0, True),
        (1000.0, ">", 1000.0, False),
        (50.0, "<=", 50.0, True),
        (50.0, "<", 50.0, False),
        (49.9, "<", 50.0, True),
        (0.1 + 0.2, "==", 0.3, True),
        (0.31, "==", 0.3, False),
    ],
)
def test_meets_target(value, op, goal, meets):
    assert meets_target(value, op, goal) is meets


def test_decreasing_target_with_less_or_equal():
    # Imports of 100 in 2023 should fall to 50 or less: 2024 = 70 is 60% of the way, 2025 = 50 meets.
    prop = target(baseline={"value": 100, "as_of": 2023}, target={"op": "<=", "value": 50})
    result = at("2025-02-01", prop, [obs(2024, 70.0, "2025-01-15")])
    assert result.progress == pytest.approx(0.6)
    assert at("2026-02-01", prop, [obs(2025, 50.0, "2026-01-15")]).status == "materialised"
    assert at("2026-02-01", target(baseline={"value": 100, "as_of": 2023}, target={"op": "<", "value": 50}), [obs(2025, 50.0, "2026-01-15")]).status == "partly"


def test_equal_target():
    prop = target(target={"op": "==", "value": 1000})
    assert at("2025-03-01", prop, [obs(2024, 1000.0, "2025-02-01")]).status == "materialised"
    assert at("2025-03-01", prop, [obs(2024, 1001.0, "2025-02-01")]).status == "on_track"


# --- events ------------------------------------------------------------------------------------


def ev(day: str, observations=(), prop=None, rulings=(), min_grade=None):
    return resolve(prop or event(), None, observations, rulings, date.fromisoformat(day), min_grade)


def eobs(as_of: str, value: str, recorded: str, grade=None, id=None):
    return obs(as_of, value, recorded, target="plant", grade=grade, id=id)


def test_event_open():
    result = ev("2025-01-01", [eobs("2024-10-01", "no", "2024-10-02")])
    assert (result.status, result.best_evidence, result.progress, result.expected_progress) == ("open", "no", None, None)
    assert ev("2025-01-01").best_evidence is None


def test_event_in_progress():
    result = ev("2025-01-01", [eobs("2024-10-01", "no", "2024-10-02"), eobs("2024-11-01", "partly", "2024-11-02")])
    assert (result.status, result.best_evidence) == ("in_progress", "partly")


def test_event_materialised_from_the_day_yes_is_known():
    yes = eobs("2025-03-01", "yes", "2025-03-05")
    assert ev("2025-03-04", [yes]).status == "open"
    result = ev("2025-03-05", [eobs("2024-11-01", "partly", "2024-11-02"), yes])
    assert (result.status, result.best_evidence, result.latest, result.resolved_on) == ("materialised", "yes", yes, date(2025, 3, 5))


def test_event_partly_after_the_deadline():
    result = ev("2026-01-01", [eobs("2025-06-01", "partly", "2025-06-02")])
    assert (result.status, result.final, result.resolved_on) == ("partly", True, date(2026, 1, 1))


def test_event_silence_after_the_deadline_is_overdue_not_failure():
    result = ev("2026-01-01")
    assert (result.status, result.final, result.resolved_on) == ("overdue", False, None)
    # A `no` dated before the deadline says only "not yet".
    not_yet = ev("2026-03-01", [eobs("2025-06-01", "no", "2025-06-02")])
    assert (not_yet.status, not_yet.best_evidence) == ("overdue", "no")


def test_event_not_materialised_on_a_no_that_covers_the_deadline():
    checked = eobs("2026-01-31", "no", "2026-02-03")  # "checked after the deadline: it did not happen"
    assert ev("2026-02-02", [checked]).status == "overdue"
    result = ev("2026-02-03", [eobs("2025-06-01", "no", "2025-06-02"), checked])
    assert (result.status, result.final, result.latest, result.best_evidence, result.resolved_on) == (
        "not_materialised", True, checked, "no", date(2026, 2, 3))
    # A `no` for a period ending on the deadline day covers it; final the day after the deadline.
    on_the_day = ev("2026-01-05", [obs("2025-12", "no", "2025-12-31", target="plant")])
    assert (on_the_day.status, on_the_day.resolved_on) == ("not_materialised", date(2026, 1, 1))
    # A year's `no` (period ending after a mid-year deadline) covers it too.
    mid_year = ev("2026-01-05", [obs(2025, "no", "2026-01-02", target="plant")], event(deadline=date(2025, 6, 30)))
    assert mid_year.status == "not_materialised"


def test_event_checked_no_below_the_grade_threshold_decides_nothing():
    weak = eobs("2026-01-31", "no", "2026-02-03", grade="E5")
    assert ev("2026-03-01", [weak], event(min_grade="B2")).status == "overdue"
    assert ev("2026-03-01", [weak], event()).status == "not_materialised"


def test_event_late_yes_decides_nothing():
    # yes for a period starting after the deadline is not evidence of meeting it
    assert ev("2026-03-01", [eobs("2026-02-01", "yes", "2026-02-02")]).status == "overdue"


def test_event_late_record_of_timely_evidence_changes_the_outcome():
    late = eobs("2025-12-20", "yes", "2026-02-01")
    assert ev("2026-01-15", [late]).status == "overdue"
    result = ev("2026-02-01", [late])
    assert (result.status, result.resolved_on) == ("materialised", date(2026, 2, 1))


def test_event_revision():
    observations = [eobs("2025-03-01", "yes", "2025-03-02"), eobs("2025-03-01", "no", "2025-04-01")]
    assert ev("2025-03-15", observations).status == "materialised"
    assert ev("2025-04-15", observations).status == "open"


def test_event_weak_yes_is_in_progress_then_overdue():
    weak = [eobs("2025-03-01", "yes", "2025-03-02", grade="E5")]
    prop = event(min_grade="B2")
    assert ev("2025-04-01", weak, prop).status == "in_progress"
    assert ev("2026-01-01", weak, prop).status == "overdue"
    assert ev("2026-01-01", weak + [eobs("2025-04-01", "partly", "2025-04-02", grade="A1")], prop).status == "partly"


# --- resolve_all ---------------------------------------------------------------------------------


def test_resolve_all_matches_resolve():
    propositions = {
        "trade-1bn": target(),
        "trade-half": target(id="trade-half", target={"op": ">=", "value": 700}),
        "trade-graded": target(id="trade-graded", min_grade="B2"),
        "plant": event(),
    }
    observations = {
        "trade": [obs(2024, 480.0, "2025-02-01", grade="C3"), obs(2025, 720.0, "2026-02-01", grade="A1")],
        "plant": [eobs("2025-06-01", "partly", "2025-06-02")],
    }
    rulings = {"trade-1bn": [ruling("annulled", "2026-01-10")]}
    as_of = date(2026, 3, 1)
    results = resolve_all(propositions, {"trade": YEARLY}, observations, rulings, as_of)
    for prop_id, prop in propositions.items():
        metric = YEARLY if prop.kind == "target" else None
        target_id = prop.metric or prop_id
        expected = resolve(prop, metric, observations.get(target_id, []), rulings.get(prop_id, []), as_of)
        assert results[prop_id] == expected
    assert {k: r.status for k, r in results.items()} == {
        "trade-1bn": "annulled",
        "trade-half": "materialised",
        "trade-graded": "not_materialised",
        "plant": "partly",
    }


# --- bounds and ranges ---------------------------------------------------------------------------


def bobs(as_of, text: str, recorded: str, **kwargs) -> Observation:
    """An observation published as a bound or range (`>400`, `400..500`)."""
    reading = parse_value(text)
    return Observation(target="trade", as_of=parse_period(as_of), value=reading.number, recorded_at=datetime.fromisoformat(recorded),
                       source="src", bound=reading.bound, written=text, **kwargs)


def test_a_bound_decides_only_where_every_value_it_allows_lands_on_one_side():
    # Target >= 1000: ">1000" and ">=1000" meet it whatever the true value; ">400" might or might not.
    assert at("2025-03-01", observations=[bobs(2024, ">1000", "2025-02-01")]).status == "materialised"
    assert at("2025-03-01", observations=[bobs(2024, ">=1000", "2025-02-01")]).status == "materialised"
    assert at("2025-03-01", observations=[bobs(2024, "900..1100", "2025-02-01")]).status == "on_track"
    # After the deadline: a straddling figure for the deadline's period is as if unobserved ...
    for straddling in (">400", "900..1100", "<1200"):
        result = at("2026-03-01", observations=[bobs(2025, straddling, "2026-02-01")])
        assert (result.status, result.latest.written) == ("overdue", straddling)
    # ... while one wholly below the target decides, and the split uses the representative value.
    result = at("2026-03-01", observations=[bobs(2025, "<500", "2026-02-01")])
    assert (result.status, result.progress) == ("not_materialised", pytest.approx(50 / 550))
    result = at("2026-03-01", observations=[bobs(2025, "700..900", "2026-02-01")])
    assert (result.status, result.progress) == ("partly", pytest.approx(350 / 550))  # middle 800


def test_a_one_sided_bound_counts_as_its_value_for_progress():
    # "above $400 million" for 2024: progress (400 - 450) / 550, shown as written
    result = at("2025-03-01", observations=[bobs(2024, ">400", "2025-02-01")])
    assert (result.status, result.progress, result.latest.written, result.latest.bound.text) == (
        "behind", pytest.approx(-50 / 550), ">400", ">400")


def test_bounds_with_a_falling_target():
    prop = target(baseline={"value": 100, "as_of": 2023}, target={"op": "<=", "value": 50})
    assert at("2025-03-01", prop, [bobs(2024, "<40", "2025-02-01")]).status == "materialised"
    assert at("2026-03-01", prop, [bobs(2025, ">80", "2026-02-01")]).status == "not_materialised"  # progress 0.4
    assert at("2026-03-01", prop, [bobs(2025, ">60", "2026-02-01")]).status == "partly"  # progress (60 - 100) / -50 = 0.8
    assert at("2026-03-01", prop, [bobs(2025, "<60", "2026-02-01")]).status == "overdue"


# --- partial periods ------------------------------------------------------------------------------

SUMMED = Metric(id="trade", name="Trade", unit="USD million", period="year", aggregate="sum")
JAN_AUG_2025 = 274 * 365 / 243  # $274 million in January–August 2025 (243 days), at the same rate all year


def pobs(as_of, through, value: float, recorded: str, target: str = "trade", source: str = "src", **kwargs) -> Observation:
    """A partial figure: `as_of`'s period from its start to the end of `through`."""
    return Observation(target=target, as_of=parse_period(as_of), value=value, recorded_at=datetime.fromisoformat(recorded),
                       source=source, through=parse_period(through), **kwargs)


def test_lukashenkas_billion_with_january_to_august_2025():
    # Baseline 450 (2023), target >= 1000 by 2025-12-31; 2024 = 480; Jan–Aug 2025 = 274, known 2025-10-20.
    observations = [obs(2024, 480.0, "2025-02-01"), pobs(2025, "2025-08", 274.0, "2025-10-20")]
    before = at("2025-10-19", observations=observations, metric=SUMMED)
    assert (before.status, before.progress, before.projected) == ("behind", pytest.approx(30 / 550), None)
    known = at("2025-10-20", observations=observations, metric=SUMMED)
    # The deadline period's projection stands in for latest: progress (411.56 - 450) / 550 = -0.07.
    assert known.projected.value == pytest.approx(JAN_AUG_2025) and round(known.projected.value, 2) == 411.56
    assert (known.status, known.latest.as_of.label, known.projected.as_of.label) == ("behind", "2024", "2025")
    assert known.progress == pytest.approx((JAN_AUG_2025 - 450) / 550)
    # After the deadline the projection decides nothing: overdue, with the projection shown.
    after = at("2026-01-05", observations=observations, metric=SUMMED)
    assert (after.status, after.final, after.progress) == ("overdue", False, pytest.approx(30 / 550))
    assert after.projected.value == pytest.approx(JAN_AUG_2025)
    # The full-year figure, once known, decides; the partial one is moot.
    settled = at("2026-03-01", observations=observations + [obs(2025, 497.0, "2026-02-10")], metric=SUMMED)
    assert (settled.status, settled.latest.value, settled.projected, settled.resolved_on) == (
        "not_materialised", 497.0, None, date(2026, 2, 10))


def test_a_known_partial_figure_ends_no_data():
    only_partial = [pobs(2025, "2025-08", 274.0, "2025-10-20")]
    assert at("2025-10-19", observations=only_partial, metric=SUMMED).status == "no_data"
    result = at("2025-10-20", observations=only_partial, metric=SUMMED)
    assert (result.status, result.latest) == ("behind", None)


def test_a_partial_figure_counts_once_its_span_has_ended_and_it_was_recorded():
    early = [pobs(2025, "2025-08", 274.0, "2025-08-15")]  # recorded before August ended
    assert at("2025-08-30", observations=early, metric=SUMMED).projected is None
    assert at("2025-08-31", observations=early, metric=SUMMED).projected.value == pytest.approx(JAN_AUG_2025)


def test_a_partial_figure_that_already_meets_a_rising_target_is_final():
    met = [pobs(2025, "2025-08", 1010.0, "2025-10-20")]
    result = at("2025-10-20", observations=met, metric=SUMMED)
    assert (result.status, result.final, result.resolved_on) == ("materialised", True, date(2025, 10, 20))
    assert at("2026-06-01", observations=met, metric=SUMMED).resolved_on == date(2025, 10, 20)
    not_yet = at("2025-10-20", target(target={"op": ">", "value": 1010}), met, metric=SUMMED)
    assert (not_yet.status, not_yet.final) == ("on_track", False)  # 1010 is not > 1010; its projection is


def test_a_partial_figure_that_already_breaks_a_cap_is_final_before_the_deadline():
    cap = target(baseline={"value": 450, "as_of": 2023}, target={"op": "<=", "value": 300})
    broken = at("2025-10-20", cap, [pobs(2025, "2025-08", 310.0, "2025-10-20")], metric=SUMMED)
    assert (broken.status, broken.final, broken.resolved_on) == ("not_materialised", True, date(2025, 10, 20))
    # Not broken yet: the projection (200 × 365 / 243 = 300.4) stands in: progress 0.997.
    pace = at("2025-10-20", cap, [pobs(2025, "2025-08", 200.0, "2025-10-20")], metric=SUMMED)
    assert (pace.status, pace.progress) == ("on_track", pytest.approx((450 - 200 * 365 / 243) / 150))
    # A cap broken by a partial figure of an earlier period is not final: the deadline's period decides.
    earlier = at("2025-03-01", cap, [pobs(2024, "2024-08", 310.0, "2024-10-20")], metric=SUMMED)
    assert earlier.status == "no_data" and earlier.projected.value == pytest.approx(310 * 366 / 244)


def test_two_partial_figures_of_a_period_the_one_covering_more_is_used():
    jan_jun, jan_aug = pobs(2025, "2025-06", 200.0, "2025-08-01"), pobs(2025, "2025-08", 274.0, "2025-10-20")
    later_jan_jun = pobs(2025, "2025-06", 150.0, "2025-11-01")  # a revision of Jan–Jun only
    result = at("2025-11-15", observations=[jan_jun, jan_aug, later_jan_jun], metric=SUMMED)
    assert result.projected.partial == jan_aug
    revised = pobs(2025, "2025-08", 270.0, "2025-11-10")  # same span: revises Jan–Aug
    assert at("2025-11-15", observations=[jan_aug, revised], metric=SUMMED).projected.partial == revised


def test_an_early_decision_is_dated_from_the_first_partial_figure_that_gave_it():
    jan_jun, jan_aug = pobs(2025, "2025-06", 1005.0, "2025-08-01"), pobs(2025, "2025-08", 1010.0, "2025-10-20")
    assert at("2025-11-01", observations=[jan_jun, jan_aug], metric=SUMMED).resolved_on == date(2025, 8, 1)
    short_of_it = pobs(2025, "2025-06", 990.0, "2025-08-01")
    assert at("2025-11-01", observations=[short_of_it, jan_aug], metric=SUMMED).resolved_on == date(2025, 10, 20)


def test_the_periods_own_figure_overrules_its_partial_one():
    observations = [pobs(2024, "2024-08", 1010.0, "2024-10-20"), obs(2024, 990.0, "2025-02-01")]
    assert at("2025-01-31", observations=observations, metric=SUMMED).status == "materialised"
    result = at("2025-02-01", observations=observations, metric=SUMMED)
    assert (result.status, result.latest.value, result.projected) == ("on_track", 990.0, None)


def test_only_a_partial_figure_newer_than_latest_is_projected():
    observations = [pobs(2024, "2024-06", 200.0, "2024-08-01"), obs(2025, 600.0, "2026-01-10")]
    assert at("2024-09-01", observations=observations, metric=SUMMED).projected.value == pytest.approx(200 * 366 / 182)
    result = at("2026-01-15", observations=observations, metric=SUMMED)
    assert (result.status, result.projected) == ("not_materialised", None)


def test_partial_figures_count_only_on_a_metric_that_sums_its_parts():
    result = at("2025-10-20", observations=[pobs(2025, "2025-08", 1010.0, "2025-10-20")], metric=YEARLY)
    assert (result.status, result.projected) == ("no_data", None)


def test_oil_2021_first_quarter_on_a_quarterly_metric():
    # 360.1 thousand tonnes in Q1 2021, none in April; "keeps growing" on Q1 through the second quarter.
    quarterly = Metric(id="oil", name="Oil supplies", unit="tonne", period="quarter", aggregate="sum")
    q1 = convert(360.1, "thousand tonne", "tonne")
    assert q1 == pytest.approx(360_100)
    prop = target(metric="oil", stated_on=date(2021, 4, 14), deadline=date(2021, 6, 30),
                  baseline={"value": q1, "as_of": "2021-Q1"}, target={"op": ">", "change": 0})
    april = [obs("2021-Q1", q1, "2021-04-10", "oil"), pobs("2021-Q2", "2021-04", 0.0, "2021-05-15", "oil")]
    assert at("2021-05-14", prop, april, metric=quarterly).status == "no_data"  # only the baseline quarter
    result = at("2021-05-15", prop, april, metric=quarterly)
    assert (result.status, result.progress, result.projected.value) == ("behind", None, 0.0)
    assert at("2021-07-01", prop, april, metric=quarterly).status == "overdue"


def test_oil_2021_as_a_growth_target_on_a_yearly_metric():
    # 2020: 720,000 t; "considerably exceed" read as +25% (900,000 t). Jan–Mar 2021: 360,100 t, none in April.
    yearly = Metric(id="oil", name="Oil supplies", unit="tonne", period="year", aggregate="sum")
    prop = target(metric="oil", stated_on=date(2021, 4, 14), deadline=date(2021, 12, 31),
                  baseline={"value": 720_000, "as_of": 2020}, target={"op": ">=", "change": 0.25})
    assert prop.target_value == 900_000
    march = [pobs(2021, "2021-03", 360_100.0, "2021-04-14", "oil")]
    result = at("2021-04-14", prop, march, metric=yearly)
    assert (result.status, result.projected.value) == ("on_track", pytest.approx(360_100 * 365 / 90))
    assert result.progress == pytest.approx((360_100 * 365 / 90 - 720_000) / 180_000)  # 4.11
    april = march + [pobs(2021, "2021-04", 360_100.0, "2021-05-20", "oil")]
    assert at("2021-05-20", prop, april, metric=yearly).projected.value == pytest.approx(360_100 * 365 / 120)
    assert at("2022-03-01", prop, april, metric=yearly).status == "overdue"


# --- growth targets -----------------------------------------------------------------------------


def test_a_target_relative_to_its_baseline():
    prop = target(target={"op": ">=", "change": 0.25})  # 450 × 1.25 = 562.5
    assert at("2025-03-01", prop, [obs(2024, 562.5, "2025-02-01")]).status == "materialised"
    result = at("2025-03-01", prop, [obs(2024, 540.0, "2025-02-01")])
    assert (result.status, result.progress) == ("on_track", pytest.approx(90 / 112.5))


def test_keeps_growing():
    prop = target(target={"op": ">", "change": 0})
    assert at("2024-06-01", prop, [obs(2023, 450.0, "2024-02-01")]).status == "no_data"
    grew = at("2025-03-01", prop, [obs(2024, 451.0, "2025-02-01")])
    assert (grew.status, grew.progress) == ("materialised", None)
    prop = target(target={"op": ">", "change": 0}, stated_on=date(2025, 1, 1))  # 2024 is before the statement
    assert at("2025-03-01", prop, [obs(2024, 451.0, "2025-02-01")]).status == "on_track"
    assert at("2025-03-01", prop, [obs(2024, 449.0, "2025-02-01")]).status == "behind"
    assert at("2026-03-01", prop, [obs(2025, 449.0, "2026-02-01")]).status == "not_materialised"
    partial = at("2025-10-20", prop, [pobs(2025, "2025-08", 400.0, "2025-10-20")], metric=SUMMED)
    assert (partial.status, partial.progress) == ("on_track", None)  # 400 × 365/243 = 600.8 > 450


# --- status history ------------------------------------------------------------------------------


def test_status_history_of_the_spec_example():
    observations = [obs(2024, 480.0, "2025-02-01", source="belta"), obs(2025, 497.0, "2026-02-01", source="belta")]
    history = status_history(target(), YEARLY, observations, [], date(2026, 11, 23))
    assert [(c.on, c.status, c.cause) for c in history] == [
        (date(2024, 5, 16), "no_data", "stated"),
        (date(2025, 2, 1), "behind", "observation 2024: 480 (belta)"),
        (date(2026, 1, 1), "overdue", "deadline passed"),
        (date(2026, 2, 1), "not_materialised", "observation 2025: 497 (belta)"),
    ]


def test_status_history_finds_the_day_a_target_falls_behind():
    # Progress 0.1 from 2024-02-01; behind once (T - 2023-12-31) > 0.2 * 366 = 73.2 days: 2024-03-14.
    prop = target(metric="output", baseline={"value": 0, "as_of": "2023-12"}, target={"op": ">=", "value": 100},
                  stated_on=date(2024, 1, 1), deadline=date(2024, 12, 31))
    observations = [obs("2024-01", 10.0, "2024-02-01", "output")]
    history = status_history(prop, MONTHLY, observations, [], date(2024, 6, 1))
    assert [(c.on, c.status) for c in history] == [
        (date(2024, 1, 1), "no_data"),
        (date(2024, 2, 1), "on_track"),
        (date(2024, 3, 14), "behind"),
    ]
    assert at("2024-03-13", prop, observations, metric=MONTHLY).status == "on_track"


def test_status_history_with_a_ruling_and_before_stated_on():
    rulings = [ruling("annulled", "2025-01-10", "withdrawn")]
    history = status_history(target(), YEARLY, [], rulings, date(2025, 6, 1))
    assert [(c.status, c.cause) for c in history] == [("no_data", "stated"), ("annulled", "ruling: annulled — withdrawn")]
    assert status_history(target(), YEARLY, [], rulings, date(2024, 1, 1)) == []


def test_status_history_of_an_event_checked_after_its_deadline():
    observations = [eobs("2025-06-01", "no", "2025-06-02", id=1), eobs("2026-01-31", "no", "2026-02-03", id=2)]
    history = status_history(event(), None, observations, [], date(2026, 3, 1))
    assert [(c.on, c.status, c.cause) for c in history] == [
        (date(2024, 5, 20), "open", "stated"),
        (date(2026, 1, 1), "overdue", "deadline passed"),
        (date(2026, 2, 3), "not_materialised", "observation 2026-01-31: no (src)"),
    ]


def test_status_history_with_a_partial_figure():
    observations = [obs(2024, 480.0, "2025-02-01", source="belta"),
                    pobs(2025, "2025-08", 1010.0, "2025-10-20", source="trend")]
    history = status_history(target(), SUMMED, observations, [], date(2026, 3, 1))
    assert [(c.on, c.status, c.cause) for c in history] == [
        (date(2024, 5, 16), "no_data", "stated"),
        (date(2025, 2, 1), "behind", "observation 2024: 480 (belta)"),
        (date(2025, 10, 20), "materialised", "observation 2025 through 2025-08: 1010 (trend)"),
    ]


# --- status history: against resolving every single day ------------------------------------------


def statuses_every_day(prop, metric, observations, rulings, as_of, min_grade=None):
    """The status on every day from stated_on to T, each from `resolve` alone."""
    from datetime import timedelta

    days = [prop.stated_on + timedelta(days=k) for k in range((as_of - prop.stated_on).days + 1)]
    return {day: resolve(prop, metric, observations, rulings, day, min_grade).status for day in days}


def history_by_resolving_every_day(prop, metric, observations, rulings, as_of, min_grade=None):
    """The status history the slow, obvious way: the days on which the daily status changes."""
    changes = []
    for day, status in statuses_every_day(prop, metric, observations, rulings, as_of, min_grade).items():
        if not changes or changes[-1][1] != status:
            changes.append((day, status))
    return changes


GRADES = [None, "A1", "B2", "C3", "E5"]
SUMMED_MONTHLY = Metric(id="output", name="Output", unit="tonne", period="month", aggregate="sum")


@st.composite
def monthly_figure(draw, months):
    """A month's figure: a number, a bound or range, or a partial figure (its month up to a day)."""
    month = parse_period(draw(months))
    value = draw(st.sampled_from([0.0, 50.0, 100.0, 120.0, 150.0, 180.0, 200.0, 250.0]))
    form = draw(st.sampled_from(["number", "number", "bound", "partial", "partial"]))
    if form == "bound":
        reading = parse_value(draw(st.sampled_from([f">{value:g}", f"<={value:g}", f"{value:g}..{value + 60:g}"])))
        return month, reading.number, None, reading.bound
    if form == "partial":
        from datetime import timedelta

        through = parse_period(month.start + timedelta(days=draw(st.integers(0, 26))))
        return month, value / 2, through, None
    return month, value, None, None


@st.composite
def history_cases(draw):
    """A monthly target (bounds, partial figures, growth) or an event, with revised, graded,
    late-recorded observations and rulings."""
    from datetime import timedelta

    is_target = draw(st.booleans())
    stated = date(2024, 1, 1) + timedelta(days=draw(st.integers(0, 300)))
    deadline = stated + timedelta(days=draw(st.integers(0, 400)))
    min_grade = draw(st.sampled_from([None, None, None, "C3"]))
    prop_grade = st.sampled_from([None, None, "B2"])
    if is_target:
        base_month = draw(st.integers(1, 12))
        base, goal = draw(st.sampled_from([(100.0, 200.0), (200.0, 100.0), (0.0, 50.0), (100.0, 100.0)]))
        ops = [">", "<"] if base == goal else [">=", "<=", ">", "<", "=="]
        written = {"value": goal} if draw(st.booleans()) or base == 0 else {"change": goal / base - 1}
        prop = target(metric="output", baseline={"value": base, "as_of": f"2023-{base_month:02d}"},
                      target={"op": draw(st.sampled_from(ops)), **written},
                      stated_on=stated, deadline=deadline, partial=draw(st.sampled_from([0.25, 0.5, 1.0])),
                      min_grade=draw(prop_grade))
        first = 12 * (deadline.year - 2023) + deadline.month - 15  # months around the deadline's
        months = st.integers(max(first, 0), first + 17).map(lambda k: f"{2023 + k // 12}-{k % 12 + 1:02d}")
        figures = draw(st.lists(monthly_figure(months), max_size=10))
        metric, name = draw(st.sampled_from([MONTHLY, SUMMED_MONTHLY, SUMMED_MONTHLY])), "output"
    else:
        prop = event(stated_on=stated, deadline=deadline, min_grade=draw(prop_grade))
        days = st.integers(-300, 120).map(lambda k: parse_period(deadline + timedelta(days=k)))
        figures = [(day, value, None, None) for day, value in draw(st.lists(st.tuples(days, st.sampled_from(["yes", "partly", "no"])), max_size=8))]
        metric, name = None, "plant"
    observations = []
    for period, value, through, bound in figures:
        late, hour = draw(st.integers(-40, 150)), draw(st.sampled_from([0, 12]))
        ends = (through or period).end
        observations.append(Observation(
            target=name, as_of=period, value=value, grade=draw(st.sampled_from(GRADES)), id=draw(st.one_of(st.none(), st.integers(1, 5))),
            source="s", recorded_at=datetime.combine(ends, datetime.min.time()) + timedelta(days=late, hours=hour),
            through=through, bound=bound))
    rulings = [ruling(status, (stated + timedelta(days=offset)).isoformat(), id=ident)
               for status, offset, ident in draw(st.lists(st.tuples(
                   st.sampled_from(["materialised", "partly", "not_materialised", "annulled"]),
                   st.integers(-20, 700), st.integers(1, 3)), max_size=2))]
    as_of = max(stated - timedelta(days=10), deadline + timedelta(days=draw(st.integers(-300, 300))))
    return prop, metric, observations, rulings, as_of, min_grade


@settings(max_examples=400, deadline=None)
@given(history_cases())
def test_status_history_equals_resolving_every_day(case):
    prop, metric, observations, rulings, as_of, min_grade = case
    history = status_history(prop, metric, observations, rulings, as_of, min_grade)
    assert [(change.on, change.status) for change in history] == history_by_resolving_every_day(
        prop, metric, observations, rulings, as_of, min_grade)
    assert all(change.cause for change in history)
    assert not history or history[0].cause.startswith("stated")


@settings(max_examples=200, deadline=None)
@given(history_cases())
def test_a_final_status_has_held_every_day_since_its_resolution_date(case):
    prop, metric, observations, rulings, as_of, min_grade = case
    result = resolve(prop, metric, observations, rulings, as_of, min_grade)
    if not result.final or as_of < prop.stated_on:
        return
    assert result.resolved_on is not None and result.resolved_on <= as_of
    daily = statuses_every_day(prop, metric, observations, rulings, as_of, min_grade)
    assert {status for day, status in daily.items() if day >= result.resolved_on} == {result.status}


@settings(max_examples=150, deadline=None)
@given(history_cases())
def test_resolve_all_equals_resolve(case):
    prop, metric, observations, rulings, as_of, min_grade = case
    target_id = prop.metric or prop.id
    metrics = {metric.id: metric} if metric is not None else {}
    results = resolve_all({prop.id: prop}, metrics, {target_id: observations}, {prop.id: rulings}, as_of, min_grade)
    assert results[prop.id] == resolve(prop, metric, observations, rulings, as_of, min_grade)


def test_resolution_groups_revisions_of_one_period_whatever_the_objects():
    """Two equal periods that are different objects are still one period (the later record wins)."""
    from tracker.core.models import Proposition

    prop = Proposition.model_validate({
        "id": "e", "kind": "event", "title": "E", "quote": "q", "source": "s", "stated_by": "a",
        "stated_on": "2025-01-01", "deadline": "2025-12-31", "criteria": "c",
    })
    first = Observation("e", parse_period("2025-03-01"), "yes", datetime(2025, 3, 2), id=1)
    revised = Observation("e", parse_period("2025-03-01"), "no", datetime(2025, 3, 5), id=2)
    assert resolve(prop, None, [first, revised], [], date(2025, 3, 10)).status == "open"
    assert resolve(prop, None, [first, revised], [], date(2025, 3, 3)).status == "materialised"
    assert resolve(prop, None, [first], [], date.max).status == "materialised"
