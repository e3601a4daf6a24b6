"""Scores (SPEC §5): hand-computed values, and properties checked against independent formulas."""

from __future__ import annotations

import math
import subprocess
import sys
from datetime import date, datetime, timedelta

import properscoring
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import beta

from tracker.core.models import Actor, Proposition
from tracker.core.periods import parse_period
from tracker.core.records import Forecast, Observation
from tracker.core.resolve import Resolution, resolve
from tracker.core.scores import (
    EPSILON,
    baseline_score,
    beta_quantile,
    brier,
    calibration,
    calibration_pairs,
    forecaster_scores,
    jeffreys_interval,
    log_score,
    outcome_of,
    time_averaged_brier,
    track_records,
    unscored_reason,
)

# --- single forecasts --------------------------------------------------------------------------


def test_outcome_of():
    assert [outcome_of(s) for s in ("materialised", "partly", "not_materialised", "annulled", "overdue", "open")] == [
        1.0,
        0.5,
        0.0,
        None,
        None,
        None,
    ]


def test_brier_by_hand():
    assert brier(0.6, 0.0) == pytest.approx(0.36)  # SPEC §7
    assert brier(0.6, 1.0) == pytest.approx(0.16)
    assert brier(0.7, 0.5) == pytest.approx(0.04)


def test_log_score_by_hand():
    assert log_score(0.6, 0.0) == pytest.approx(-math.log(0.4))  # 0.92, SPEC §7
    assert round(log_score(0.6, 0.0), 2) == 0.92
    assert log_score(0.8, 1.0) == pytest.approx(-math.log(0.8))
    assert log_score(0.8, 0.5) == pytest.approx((-math.log(0.8) - math.log(0.2)) / 2)
    assert log_score(0.5, 0.5) == pytest.approx(math.log(2))


def test_log_score_is_finite_at_certainty():
    assert log_score(0.0, 1.0) == pytest.approx(-math.log(EPSILON))
    assert log_score(1.0, 1.0) == pytest.approx(-math.log(1 - EPSILON))


def test_baseline_score_by_hand():
    assert baseline_score(0.5, 1.0) == pytest.approx(0.0)
    assert baseline_score(0.25, 1.0) == pytest.approx(-100.0)
    assert baseline_score(0.6, 0.0) == pytest.approx(100 * (1 + math.log2(0.4)))  # -32.19
    assert baseline_score(1.0, 1.0) == pytest.approx(100.0, abs=1e-3)
    partly = (100 * (1 + math.log2(0.8)) + 100 * (1 + math.log2(0.2))) / 2
    assert baseline_score(0.8, 0.5) == pytest.approx(partly)


# --- time-averaged Brier -----------------------------------------------------------------------


def forecast(p: float, on: str, who: str = "analyst-a", prop: str = "p", recorded: str | None = None, id=None) -> Forecast:
    made_on = date.fromisoformat(on)
    return Forecast(prop, p, who, made_on, datetime.fromisoformat(recorded or on), id=id)


def test_time_averaged_brier_by_hand():
    # Open 2025-01-01 to 2025-01-10 (10 days). 0.2 stands on days 3-5, 0.8 on days 6-10; outcome 1.
    # Days 1-2 precede the first forecast and are excluded: (3*0.64 + 5*0.04) / 8 = 0.265.
    forecasts = [forecast(0.8, "2025-01-06"), forecast(0.2, "2025-01-03")]
    assert time_averaged_brier(forecasts, date(2025, 1, 1), date(2025, 1, 10), 1.0) == pytest.approx(0.265)


def test_time_averaged_brier_forecast_before_opening_stands_from_opening():
    # 0.5 made before the opening stands on days 1-2: (2*0.25 + 3*0.64 + 5*0.04) / 10 = 0.262.
    forecasts = [forecast(0.5, "2024-12-01"), forecast(0.2, "2025-01-03"), forecast(0.8, "2025-01-06")]
    assert time_averaged_brier(forecasts, date(2025, 1, 1), date(2025, 1, 10), 1.0) == pytest.approx(0.262)


def test_time_averaged_brier_ignores_forecasts_after_resolution():
    forecasts = [forecast(0.6, "2025-01-01"), forecast(0.0, "2025-01-11")]
    assert time_averaged_brier(forecasts, date(2025, 1, 1), date(2025, 1, 10), 0.0) == pytest.approx(0.36)


def test_time_averaged_brier_last_of_a_day_stands():
    forecasts = [forecast(0.9, "2025-01-01", recorded="2025-01-01T18:00"), forecast(0.1, "2025-01-01", recorded="2025-01-01T09:00")]
    assert time_averaged_brier(forecasts, date(2025, 1, 1), date(2025, 1, 2), 1.0) == pytest.approx(0.01)


def test_time_averaged_brier_forecast_on_the_resolution_day_counts_one_day():
    assert time_averaged_brier([forecast(0.3, "2025-01-10")], date(2025, 1, 1), date(2025, 1, 10), 1.0) == pytest.approx(0.49)


def test_time_averaged_brier_without_forecasts():
    assert time_averaged_brier([], date(2025, 1, 1), date(2025, 1, 10), 1.0) is None


# --- calibration --------------------------------------------------------------------------------


def test_calibration_bins_by_hand():
    pairs = [(0.05, 0.0), (0.15, 0.0), (0.15, 1.0), (0.3, 1.0), (0.7, 0.5), (1.0, 1.0)]
    bins = calibration(pairs)
    assert len(bins) == 10
    assert [(b.lower, b.upper) for b in bins][:2] == [(0.0, 0.1), (0.1, 0.2)]
    assert [b.n for b in bins] == [1, 2, 0, 1, 0, 0, 0, 1, 0, 1]
    assert (bins[1].mean_forecast, bins[1].observed_frequency) == (pytest.approx(0.15), 0.5)
    assert bins[7].observed_frequency == 0.5  # partly counts a half
    assert (bins[2].mean_forecast, bins[2].observed_frequency) == (None, None)
    assert bins[9].n == 1  # 1.0 belongs to the last bin


def test_calibration_other_bin_counts():
    assert [b.n for b in calibration([(0.5, 1.0), (0.49, 0.0)], bins=2)] == [1, 1]


# --- forecasters --------------------------------------------------------------------------------


def resolution(prop: str, status: str, resolved_on: date | None) -> Resolution:
    final = status in ("materialised", "partly", "not_materialised", "annulled")
    return Resolution(prop, "target", status, None, None, None, None, None, final, resolved_on)


def proposition(prop_id: str, stated_by: str = "lukashenka", tags=("trade",), stated_on=date(2024, 5, 16)) -> Proposition:
    return Proposition(
        id=prop_id,
        kind="event",
        title="t",
        quote="q",
        source="src",
        stated_by=stated_by,
        stated_on=stated_on,
        deadline=date(2025, 12, 31),
        tags=list(tags),
    )


def test_forecaster_scores_spec_example():
    resolutions = {"by-az-trade-1bn": resolution("by-az-trade-1bn", "not_materialised", date(2026, 2, 1))}
    propositions = {"by-az-trade-1bn": proposition("by-az-trade-1bn")}
    [score] = forecaster_scores([forecast(0.6, "2024-06-06", prop="by-az-trade-1bn")], resolutions, propositions)
    assert (score.forecaster, score.n, score.propositions) == ("analyst-a", 1, 1)
    assert score.brier == pytest.approx(0.36)
    assert round(score.log, 2) == 0.92
    assert score.time_averaged_brier == pytest.approx(0.36)
    assert score.baseline == pytest.approx(100 * (1 + math.log2(0.4)))


def test_forecaster_scores_which_forecasts_count():
    resolutions = {
        "a": resolution("a", "materialised", date(2025, 1, 10)),
        "b": resolution("b", "annulled", date(2025, 1, 10)),
        "c": resolution("c", "on_track", None),
        "d": resolution("d", "partly", date(2025, 1, 10)),
    }
    propositions = {k: proposition(k, stated_on=date(2025, 1, 1)) for k in resolutions}
    forecasts = [
        forecast(0.2, "2025-01-03", prop="a"),
        forecast(0.8, "2025-01-06", prop="a"),
        forecast(0.0, "2025-01-11", prop="a"),  # after resolution: not a forecast
        forecast(0.5, "2025-01-03", prop="b"),  # annulled: not scored
        forecast(0.5, "2025-01-03", prop="c"),  # unresolved: not scored
        forecast(0.7, "2025-01-01", prop="d"),
        forecast(0.9, "2025-01-01", who="analyst-b", prop="a"),
    ]
    a, b = forecaster_scores(forecasts, resolutions, propositions)
    assert (a.forecaster, a.n, a.propositions) == ("analyst-a", 3, 2)
    assert a.brier == pytest.approx((0.64 + 0.04 + 0.04) / 3)
    # per proposition: a = 0.265 (see above); d = 0.04 throughout; mean = 0.1525
    assert a.time_averaged_brier == pytest.approx((0.265 + 0.04) / 2)
    assert (b.forecaster, b.n, b.brier) == ("analyst-b", 1, pytest.approx(0.01))
    assert sorted(calibration_pairs(forecasts, resolutions)) == [(0.2, 1.0), (0.7, 0.5), (0.8, 1.0), (0.9, 1.0)]


# --- a forecast counts from when it was logged ----------------------------------------------------------


def test_a_retrodiction_is_never_scored():
    # Issue 14's cheater: 0.99 "made" on 2024-06-01 but logged after the outcome was public.
    resolutions = {"p": resolution("p", "materialised", date(2025, 3, 1))}
    propositions = {"p": proposition("p", stated_on=date(2024, 5, 20))}
    cheater = forecast(0.99, "2024-06-01", who="cheater", recorded="2025-02-20")
    honest = forecast(0.6, "2024-06-01", who="honest", recorded="2024-06-08")  # 7 days late: within the grace period
    scores = {s.forecaster: s for s in forecaster_scores([cheater, honest], resolutions, propositions, with_unscored=True)}
    assert (scores["cheater"].n, scores["cheater"].brier, scores["cheater"].log, scores["cheater"].baseline,
            scores["cheater"].time_averaged_brier, scores["cheater"].retrodictions) == (0, None, None, None, None, 1)
    assert (scores["honest"].n, scores["honest"].brier, scores["honest"].retrodictions) == (1, pytest.approx(0.16), 0)
    assert calibration_pairs([cheater, honest], resolutions) == [(0.6, 1.0)]
    assert unscored_reason(cheater, resolutions["p"]) == "retrodiction"
    assert [s.forecaster for s in forecaster_scores([cheater], resolutions, propositions, grace_days=400)] == ["cheater"]
    assert forecaster_scores([cheater], resolutions, propositions, grace_days=400)[0].n == 1


def test_a_forecast_recorded_after_the_resolution_date_is_not_scored():
    resolutions = {"p": resolution("p", "not_materialised", date(2025, 1, 10))}
    propositions = {"p": proposition("p", stated_on=date(2025, 1, 1))}
    on_the_day = forecast(0.3, "2025-01-08", recorded="2025-01-10T18:00")
    day_after = forecast(0.1, "2025-01-08", who="late", recorded="2025-01-11")
    scores = {s.forecaster: s for s in forecaster_scores([on_the_day, day_after], resolutions, propositions, with_unscored=True)}
    assert (scores["analyst-a"].n, scores["analyst-a"].retrodictions) == (1, 0)
    assert (scores["late"].n, scores["late"].retrodictions) == (0, 1)
    assert unscored_reason(day_after, resolutions["p"]) == "recorded after the resolution"


def test_as_of_a_date_a_forecast_exists_only_once_recorded():
    resolutions = {"p": resolution("p", "materialised", date(2025, 1, 10))}
    propositions = {"p": proposition("p", stated_on=date(2025, 1, 1))}
    forecasts = [forecast(0.8, "2025-01-02", recorded="2025-01-05"), forecast(0.2, "2025-01-06", recorded="2025-01-07")]
    [early] = forecaster_scores(forecasts, resolutions, propositions, as_of=date(2025, 1, 6))
    assert (early.n, early.brier) == (1, pytest.approx(0.04))
    [later] = forecaster_scores(forecasts, resolutions, propositions, as_of=date(2025, 1, 7))
    assert later.n == 2
    assert forecaster_scores(forecasts, resolutions, propositions, as_of=date(2025, 1, 4)) == []


def test_unresolved_or_overdue_forecasts_are_not_listed_unless_logged_late():
    resolutions = {"p": resolution("p", "overdue", None), "q": resolution("q", "open", None)}
    propositions = {k: proposition(k) for k in resolutions}
    pending = [forecast(0.5, "2024-06-01", prop="p"), forecast(0.5, "2024-06-01", prop="q")]
    assert forecaster_scores(pending, resolutions, propositions) == []
    late = forecast(0.5, "2024-06-01", who="late", prop="q", recorded="2024-07-01")
    [score] = forecaster_scores(pending + [late], resolutions, propositions, with_unscored=True)
    assert (score.forecaster, score.n, score.retrodictions) == ("late", 0, 1)
    assert forecaster_scores(pending + [late], resolutions, propositions) == []  # callers that expect scores
    assert outcome_of("overdue") is None


logged_days = st.integers(0, 60)


@settings(max_examples=200)
@given(st.lists(st.tuples(st.floats(0.0, 1.0), st.sampled_from("abc"), st.sampled_from(["p", "q", "r"]), st.integers(0, 40), logged_days),
                max_size=20),
       st.sampled_from(["materialised", "partly", "not_materialised", "annulled", "overdue"]), st.integers(0, 60), st.integers(0, 60))
def test_scores_and_retrodictions_match_the_rules_written_out(items, status, resolved_day, as_of_day):
    opened = date(2025, 1, 1)
    resolved_on = opened + timedelta(days=resolved_day)
    as_of = opened + timedelta(days=as_of_day)
    resolutions = {p: resolution(p, status, resolved_on) for p in "pqr"}
    propositions = {p: proposition(p, stated_on=opened) for p in "pqr"}
    forecasts = [Forecast(prop, p, who, opened + timedelta(days=made), datetime.combine(opened + timedelta(days=made + logged), datetime.min.time()), id=i)
                 for i, (p, who, prop, made, logged) in enumerate(items)]
    outcome = {"materialised": 1.0, "partly": 0.5, "not_materialised": 0.0}.get(status)
    expected_briers: dict[str, list[float]] = {}
    expected_late: dict[str, int] = {}
    for f in forecasts:
        recorded = f.recorded_at.date()
        if recorded > as_of:
            continue  # does not exist yet
        too_late = (recorded - f.made_on).days > 7 or (outcome is not None and (recorded > resolved_on or f.made_on > resolved_on))
        if too_late:
            expected_late[f.forecaster] = expected_late.get(f.forecaster, 0) + 1
        elif outcome is not None:
            expected_briers.setdefault(f.forecaster, []).append((f.probability - outcome) ** 2)
    scores = {s.forecaster: s for s in forecaster_scores(forecasts, resolutions, propositions, as_of=as_of, with_unscored=True)}
    assert set(scores) == set(expected_briers) | set(expected_late)
    for name, score in scores.items():
        briers = expected_briers.get(name, [])
        assert (score.n, score.retrodictions) == (len(briers), expected_late.get(name, 0))
        assert score.brier == (pytest.approx(sum(briers) / len(briers)) if briers else None)
    pairs = calibration_pairs(forecasts, resolutions, as_of=as_of)
    assert len(pairs) == sum(len(b) for b in expected_briers.values())


# --- track records -------------------------------------------------------------------------------


def beta_half_three_halves_cdf(x: float) -> float:
    """CDF of Beta(1/2, 3/2) in closed form: (2/π)(arcsin √x + √(x(1 − x)))."""
    return 2 / math.pi * (math.asin(math.sqrt(x)) + math.sqrt(x * (1 - x)))


def test_jeffreys_interval_by_hand():
    lower, upper = jeffreys_interval(0, 1)
    assert lower == 0.0
    assert beta_half_three_halves_cdf(upper) == pytest.approx(0.95)
    assert round(upper, 2) == 0.77  # SPEC §7
    lower, upper = jeffreys_interval(1, 1)
    assert (round(lower, 4), upper) == (round(1 - 0.7714801862, 4), 1.0)
    # Beta(1, 1) is uniform: k = ½ of n = 1 gives the 5% and 95% points.
    assert jeffreys_interval(0.5, 1) == (pytest.approx(0.05), pytest.approx(0.95))


def test_track_records_spec_example():
    resolutions = {"by-az-trade-1bn": resolution("by-az-trade-1bn", "not_materialised", date(2026, 2, 1))}
    propositions = {"by-az-trade-1bn": proposition("by-az-trade-1bn")}
    [record] = track_records(resolutions, propositions, {}, by="actor")
    assert (record.key, record.resolved, record.materialised, record.partly, record.not_materialised, record.rate) == (
        "lukashenka",
        1,
        0,
        0,
        1,
        0.0,
    )
    assert [round(x, 2) for x in record.interval] == [0.0, 0.77]


def test_track_records_by_actor_role_country_tag():
    actors = {
        "lukashenka": Actor(id="lukashenka", name="A. Lukashenka", role="official", country="BY"),
        "aliyev": Actor(id="aliyev", name="I. Aliyev", role="official", country="AZ"),
        "expert": Actor(id="expert", name="An Expert", role="analyst"),
    }
    propositions = {
        "p1": proposition("p1", "lukashenka", ("trade",)),
        "p2": proposition("p2", "lukashenka", ("trade", "energy")),
        "p3": proposition("p3", "aliyev", ("energy",)),
        "p4": proposition("p4", "expert", ()),
        "p5": proposition("p5", "expert", ("trade",)),
        "p6": proposition("p6", "aliyev", ("trade",)),
    }
    resolutions = {
        "p1": resolution("p1", "materialised", date(2025, 1, 1)),
        "p2": resolution("p2", "partly", date(2025, 1, 1)),
        "p3": resolution("p3", "not_materialised", date(2025, 1, 1)),
        "p4": resolution("p4", "materialised", date(2025, 1, 1)),
        "p5": resolution("p5", "annulled", date(2025, 1, 1)),  # never counted
        "p6": resolution("p6", "overdue", None),  # never counted: the deadline passed, not yet checked
    }
    by_actor = {r.key: (r.resolved, r.rate) for r in track_records(resolutions, propositions, actors, "actor")}
    assert by_actor == {"aliyev": (1, 0.0), "expert": (1, 1.0), "lukashenka": (2, 0.75)}
    by_role = {r.key: (r.resolved, r.rate) for r in track_records(resolutions, propositions, actors, "role")}
    assert by_role == {"analyst": (1, 1.0), "official": (3, 0.5)}
    by_country = {r.key: r.resolved for r in track_records(resolutions, propositions, actors, "country")}
    assert by_country == {"AZ": 1, "BY": 2, "unknown": 1}
    by_tag = {r.key: (r.materialised, r.partly, r.not_materialised) for r in track_records(resolutions, propositions, actors, "tag")}
    assert by_tag == {"energy": (0, 1, 1), "trade": (1, 1, 0)}
    with pytest.raises(ValueError, match="actor, role, country or tag"):
        track_records(resolutions, propositions, actors, "party")


def test_track_record_interval_with_partly():
    from scipy.stats import beta

    resolutions = {"p1": resolution("p1", "partly", date(2025, 1, 1)), "p2": resolution("p2", "not_materialised", date(2025, 1, 1))}
    propositions = {k: proposition(k) for k in resolutions}
    [record] = track_records(resolutions, propositions, {})
    assert record.rate == 0.25
    assert record.interval == (pytest.approx(beta.ppf(0.05, 1.0, 2.0)), pytest.approx(beta.ppf(0.95, 1.0, 2.0)))
    # Beta(1, 2) has CDF 1 - (1 - x)²: the 5% point is 1 - √0.95
    assert record.interval[0] == pytest.approx(1 - math.sqrt(0.95))


# --- properties ----------------------------------------------------------------------------------

probabilities = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
outcomes = st.sampled_from([0.0, 0.5, 1.0])


@given(probabilities, st.sampled_from([0.0, 1.0]))
def test_brier_matches_properscoring(p, outcome):
    assert brier(p, outcome) == pytest.approx(float(properscoring.brier_score(outcome, p)))


@given(probabilities, outcomes)
def test_scores_lie_in_range(p, outcome):
    assert 0.0 <= brier(p, outcome) <= 1.0
    assert 0.0 <= log_score(p, outcome) <= -math.log(EPSILON) + 1e-9
    assert 100 * (1 + math.log2(EPSILON)) - 1e-6 <= baseline_score(p, outcome) <= 100.0


@given(probabilities)
def test_partly_is_the_mean_of_both(p):
    assert log_score(p, 0.5) == pytest.approx((log_score(p, 0.0) + log_score(p, 1.0)) / 2)
    assert baseline_score(p, 0.5) == pytest.approx((baseline_score(p, 0.0) + baseline_score(p, 1.0)) / 2)


@given(st.lists(st.tuples(probabilities, st.integers(0, 30)), min_size=1, max_size=8), outcomes)
def test_time_averaged_brier_lies_between_its_forecasts(items, outcome):
    opened = date(2025, 1, 1)
    forecasts = [Forecast("p", p, "a", opened + timedelta(days=d), datetime(2025, 1, 1), id=i) for i, (p, d) in enumerate(items)]
    value = time_averaged_brier(forecasts, opened, opened + timedelta(days=30), outcome)
    scores = [brier(p, outcome) for p, _ in items]
    assert min(scores) - 1e-12 <= value <= max(scores) + 1e-12


@given(st.lists(st.tuples(probabilities, outcomes), max_size=40), st.integers(1, 20))
def test_calibration_counts_every_forecast_once(pairs, bins):
    result = calibration(pairs, bins)
    assert sum(b.n for b in result) == len(pairs)
    for b in result:
        if b.n:
            assert b.lower - 1e-9 <= b.mean_forecast <= b.upper + 1e-9


@given(st.integers(1, 50), st.data())
def test_jeffreys_interval_contains_the_rate(n, data):
    k = data.draw(st.integers(0, 2 * n)) / 2
    lower, upper = jeffreys_interval(k, n)
    assert 0.0 <= lower <= k / n <= upper <= 1.0


# A resolution as of T is unchanged by observations recorded after T.

PROPOSITION = Proposition(
    id="trade-1bn",
    kind="target",
    title="Trade reaches $1 billion",
    quote="q",
    source="src",
    stated_by="lukashenka",
    stated_on=date(2024, 5, 16),
    deadline=date(2025, 12, 31),
    metric="trade",
    baseline={"value": 450, "as_of": "2023-Q4"},
    target={"op": ">=", "value": 1000},
)
QUARTERS = [parse_period(f"{year}-Q{q}") for year in range(2023, 2027) for q in range(1, 5)]
DAY0 = date(2024, 1, 1)


@st.composite
def observations(draw, recorded_after: date | None = None):
    quarter = draw(st.sampled_from(QUARTERS))
    if recorded_after is None:
        recorded = DAY0 + timedelta(days=draw(st.integers(0, 1200)))
    else:
        recorded = recorded_after + timedelta(days=draw(st.integers(1, 400)))
    return Observation(
        "trade",
        quarter,
        draw(st.floats(0, 2000, allow_nan=False)),
        datetime.combine(recorded, datetime.min.time()),
        grade=draw(st.sampled_from([None, "A1", "C3", "E5"])),
        id=draw(st.integers(1, 10**6)),
    )


@settings(max_examples=200)
@given(st.data(), st.integers(0, 1200), st.sampled_from([None, "C3"]))
def test_resolution_as_of_is_unchanged_by_later_records(data, offset, threshold):
    from tracker.core.models import Metric

    metric = Metric(id="trade", name="Trade", unit="USD million", period="quarter")
    as_of = DAY0 + timedelta(days=offset)
    known = data.draw(st.lists(observations(), max_size=12))
    later = data.draw(st.lists(observations(recorded_after=as_of), min_size=1, max_size=6))
    before = resolve(PROPOSITION, metric, known, [], as_of, threshold)
    after = resolve(PROPOSITION, metric, known + later, [], as_of, threshold)
    assert after == before


# --- the pure-Python Beta quantile (scipy.stats cost ~2 s of every scorecard's start-up) ---------------


def _grid() -> list[tuple[float, int]]:
    small = [(k / 2, n) for n in range(1, 40) for k in range(0, 2 * n + 1)]
    large = [(k, n) for n in (100, 999, 5_000, 20_000) for k in (0.5, n / 7, n / 2, n - 3.5)]
    return small + large


def test_beta_quantile_agrees_with_scipy():
    worst = max(abs(beta_quantile(q, k + 0.5, n - k + 0.5) - float(beta.ppf(q, k + 0.5, n - k + 0.5)))
                for k, n in _grid() for q in (0.05, 0.95))
    assert worst < 1e-11


def test_jeffreys_interval_rounds_like_scipy():
    for k, n in _grid():
        lower, upper = jeffreys_interval(k, n)
        if k > 0:
            assert round(lower, 4) == round(float(beta.ppf(0.05, k + 0.5, n - k + 0.5)), 4)
        if k < n:
            assert round(upper, 4) == round(float(beta.ppf(0.95, k + 0.5, n - k + 0.5)), 4)


@pytest.mark.parametrize(("q", "expected"), [(0.0, 0.0), (1.0, 1.0)])
def test_beta_quantile_ends(q, expected):
    assert beta_quantile(q, 1.5, 2.5) == expected


def test_scorecard_does_not_import_scipy(sample):
    """The scorecard's start-up no longer pays for scipy.stats."""
    sample("forecast", "by-az-trade-1bn", "0.7", "--by", "ana", "--on", "2025-01-01")
    code = ("import sys; from tracker.cli import main; sys.argv = ['tracker', '--workspace', sys.argv[1], '--db', sys.argv[2], "
            "'scorecard', '--format', 'json']\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
            "assert 'scipy' not in sys.modules, 'scipy imported'")
    result = subprocess.run([sys.executable, "-c", code, str(sample.root), sample.db_url], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
