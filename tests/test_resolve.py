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


def test_event_not_materialised_after_the_deadline():
    assert ev("2026-01-01").status == "not_materialised"
    result = ev("2026-01-01", [eobs("2025-06-01", "no", "2025-06-02")])
    assert (result.status, result.resolved_on) == ("not_materialised", date(2026, 1, 1))


def test_event_evidence_dated_after_the_deadline_is_ignored():
    assert ev("2026-03-01", [eobs("2026-02-01", "yes", "2026-02-02")]).status == "not_materialised"


def test_event_late_record_of_timely_evidence_changes_the_outcome():
    late = eobs("2025-12-20", "yes", "2026-02-01")
    assert ev("2026-01-15", [late]).status == "not_materialised"
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


# --- status history: the incremental walk against re-resolving every day ---------------------------


def history_by_re_resolving(prop, metric, observations, rulings, as_of, min_grade=None):
    """The straightforward status history: `resolve` from scratch on every candidate day."""
    import heapq

    from tracker.core.resolve import StatusChange, _candidate_causes, _falls_behind_on

    if as_of < prop.stated_on:
        return []
    causes = _candidate_causes(prop, list(observations), list(rulings), prop.stated_on, as_of)
    queue, changes, seen = sorted(causes), [], set()
    while queue:
        day = heapq.heappop(queue)
        if day in seen:
            continue
        seen.add(day)
        resolution = resolve(prop, metric, observations, rulings, day, min_grade)
        if not changes or changes[-1].status != resolution.status:
            changes.append(StatusChange(day, resolution.status, "; ".join(causes.get(day, ["expected progress overtook progress"]))))
        crossing = _falls_behind_on(prop, resolution, day)
        if crossing is not None and crossing <= as_of and crossing not in seen:
            heapq.heappush(queue, crossing)
    return changes


GRADES = [None, "A1", "B2", "C3", "E5"]


@st.composite
def history_cases(draw):
    """A monthly target or an event, with revised, graded, late-recorded observations and rulings."""
    from datetime import timedelta

    is_target = draw(st.booleans())
    stated = date(2024, 1, 1) + timedelta(days=draw(st.integers(0, 400)))
    deadline = stated + timedelta(days=draw(st.integers(0, 700)))
    min_grade = draw(st.sampled_from(GRADES))
    if is_target:
        base_month = draw(st.integers(1, 12))
        base, goal = draw(st.sampled_from([(100.0, 200.0), (200.0, 100.0), (0.0, 50.0)]))
        prop = target(metric="output", baseline={"value": base, "as_of": f"2023-{base_month:02d}"},
                      target={"op": draw(st.sampled_from([">=", "<=", ">", "<", "=="])), "value": goal},
                      stated_on=stated, deadline=deadline, partial=draw(st.sampled_from([0.25, 0.5, 1.0])),
                      min_grade=draw(st.sampled_from([None, "B2"])))
        values = st.sampled_from([0.0, 50.0, 100.0, 120.0, 150.0, 180.0, 200.0, 250.0])
        months = st.integers(0, 48).map(lambda k: f"{2023 + k // 12}-{k % 12 + 1:02d}")
        metric, name = MONTHLY, "output"
    else:
        prop = event(stated_on=stated, deadline=deadline, min_grade=draw(st.sampled_from([None, "B2"])))
        values = st.sampled_from(["yes", "partly", "no"])
        months = st.integers(0, 48 * 30).map(lambda k: (date(2023, 1, 1) + timedelta(days=k)).isoformat())
        metric, name = None, "plant"
    observations = [
        Observation(target=name, as_of=parse_period(period), value=value, grade=grade, id=ident, source="s",
                    recorded_at=datetime.combine(parse_period(period).end, datetime.min.time()) + timedelta(days=late, hours=hour))
        for period, value, grade, ident, late, hour in draw(st.lists(st.tuples(
            months, values, st.sampled_from(GRADES), st.one_of(st.none(), st.integers(1, 5)),
            st.integers(-40, 200), st.sampled_from([0, 12])), max_size=25))
    ]
    rulings = [ruling(status, (stated + timedelta(days=offset)).isoformat(), id=ident)
               for status, offset, ident in draw(st.lists(st.tuples(
                   st.sampled_from(["materialised", "partly", "not_materialised", "annulled"]),
                   st.integers(-20, 900), st.integers(1, 3)), max_size=2))]
    as_of = stated + timedelta(days=draw(st.integers(-10, 1200)))
    return prop, metric, observations, rulings, as_of, min_grade


@settings(max_examples=400, deadline=None)
@given(history_cases())
def test_status_history_equals_re_resolving_every_day(case):
    prop, metric, observations, rulings, as_of, min_grade = case
    expected = history_by_re_resolving(prop, metric, observations, rulings, as_of, min_grade)
    assert status_history(prop, metric, observations, rulings, as_of, min_grade) == expected
