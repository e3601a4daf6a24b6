"""Scenario weighing: hand-computed updates, per-outcome likelihoods, edge cases and order independence."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.core.models import ScenarioSet
from tracker.core.resolve import Resolution
from tracker.core.scenarios import ScenarioInconsistency, weigh
from tracker.errors import TrackerError

BAKU_MINSK = ScenarioSet(
    id="baku-minsk",
    title="Where Belarus–Azerbaijan relations go by 2027",
    scenarios=[
        {"id": "deepening", "title": "Deepening", "prior": 0.4},
        {"id": "stagnation", "title": "Stagnation", "prior": 0.4},
        {"id": "rupture", "title": "Rupture", "prior": 0.2},
    ],
    indicators=[
        {"proposition": "by-az-trade-1bn", "likelihood": {"deepening": 0.6, "stagnation": 0.15, "rupture": 0.02}},
        {"proposition": "fertilizer-jv", "likelihood": {"deepening": 0.5, "stagnation": 0.1, "rupture": 0.0}},
        {"proposition": "embassy", "likelihood": {"deepening": 0.5, "stagnation": 0.5, "rupture": 0.5}},
    ],
)


def resolved(prop: str, status: str, on: date | None = date(2026, 2, 1)) -> Resolution:
    final = status in ("materialised", "partly", "not_materialised", "annulled")
    return Resolution(prop, "target", status, None, None, None, None, None, final, on if final else None)


def test_spec_example_not_materialised():
    # 0.4·0.4 = 0.16, 0.4·0.85 = 0.34, 0.2·0.98 = 0.196; total 0.696
    result = weigh(BAKU_MINSK, {"by-az-trade-1bn": resolved("by-az-trade-1bn", "not_materialised")})
    assert result.set_id == "baku-minsk"
    assert result.weights == {
        "deepening": pytest.approx(0.16 / 0.696),
        "stagnation": pytest.approx(0.34 / 0.696),
        "rupture": pytest.approx(0.196 / 0.696),
    }
    assert {k: round(v, 2) for k, v in result.weights.items()} == {"deepening": 0.23, "stagnation": 0.49, "rupture": 0.28}
    [step] = result.history
    assert (step.on, step.indicator, step.outcome) == (date(2026, 2, 1), "by-az-trade-1bn", "not_materialised")
    assert step.weights == result.weights


def test_materialised():
    # 0.4·0.6 = 0.24, 0.4·0.15 = 0.06, 0.2·0.02 = 0.004; total 0.304
    result = weigh(BAKU_MINSK, {"by-az-trade-1bn": resolved("by-az-trade-1bn", "materialised")})
    assert result.weights["deepening"] == pytest.approx(0.24 / 0.304)
    assert result.weights["rupture"] == pytest.approx(0.004 / 0.304)


def test_partly_under_the_short_form_leaves_weights_unchanged_and_says_so():
    result = weigh(BAKU_MINSK, {"by-az-trade-1bn": resolved("by-az-trade-1bn", "partly")})
    assert result.weights == {"deepening": 0.4, "stagnation": 0.4, "rupture": 0.2}
    [step] = result.history
    assert (step.outcome, step.note) == ("partly", "partly: no likelihood given, weights unchanged")
    materialised = weigh(BAKU_MINSK, {"by-az-trade-1bn": resolved("by-az-trade-1bn", "materialised")})
    assert materialised.history[0].note is None


PER_OUTCOME = ScenarioSet(
    id="baku-minsk",
    title="Where Belarus–Azerbaijan relations go by 2027",
    scenarios=[
        {"id": "deepening", "title": "Deepening", "prior": 0.4},
        {"id": "stagnation", "title": "Stagnation", "prior": 0.4},
        {"id": "rupture", "title": "Rupture", "prior": 0.2},
    ],
    indicators=[
        {"proposition": "karabakh", "likelihood": {"deepening": {"yes": 0.5, "partly": 0.3, "no": 0.2},
                                                   "stagnation": {"yes": 0.1, "partly": 0.3, "no": 0.6},
                                                   "rupture": {"yes": 0.0, "partly": 0.1, "no": 0.9}}},
        {"proposition": "mixed", "likelihood": {"deepening": {"yes": 0.5, "partly": 0.3, "no": 0.2},
                                                "stagnation": 0.15, "rupture": 0.02}},
    ],
)


def test_per_outcome_likelihoods_move_weights_on_partly():
    # 0.4·0.3 = 0.12, 0.4·0.3 = 0.12, 0.2·0.1 = 0.02; total 0.26
    result = weigh(PER_OUTCOME, {"karabakh": resolved("karabakh", "partly")})
    assert result.weights == {"deepening": pytest.approx(0.12 / 0.26), "stagnation": pytest.approx(0.12 / 0.26),
                              "rupture": pytest.approx(0.02 / 0.26)}
    assert result.history[0].note is None
    # no: 0.4·0.2 = 0.08, 0.4·0.6 = 0.24, 0.2·0.9 = 0.18; total 0.5
    result = weigh(PER_OUTCOME, {"karabakh": resolved("karabakh", "not_materialised")})
    assert result.weights == {"deepening": pytest.approx(0.16), "stagnation": pytest.approx(0.48), "rupture": pytest.approx(0.36)}


def test_partly_moves_nothing_unless_every_scenario_gives_its_likelihood():
    result = weigh(PER_OUTCOME, {"mixed": resolved("mixed", "partly")})
    assert (result.weights, result.history[0].note) == (
        {"deepening": 0.4, "stagnation": 0.4, "rupture": 0.2}, "partly: no likelihood given, weights unchanged")
    # yes and no still move it: the short form's no is 1 − L, the per-outcome form's its own
    result = weigh(PER_OUTCOME, {"mixed": resolved("mixed", "not_materialised")})
    raw = {"deepening": 0.4 * 0.2, "stagnation": 0.4 * 0.85, "rupture": 0.2 * 0.98}
    assert result.weights == {k: pytest.approx(v / sum(raw.values())) for k, v in raw.items()}


def test_overdue_never_moves_weights():
    result = weigh(PER_OUTCOME, {"karabakh": resolved("karabakh", "overdue")})
    assert (result.weights, result.history) == ({"deepening": 0.4, "stagnation": 0.4, "rupture": 0.2}, [])
    assert "karabakh" in {i.proposition for i in result.open_indicators}


def test_open_and_annulled_indicators_do_not_move_weights():
    resolutions = {
        "by-az-trade-1bn": resolved("by-az-trade-1bn", "annulled"),
        "fertilizer-jv": resolved("fertilizer-jv", "overdue"),
    }
    result = weigh(BAKU_MINSK, resolutions)
    assert result.weights == {"deepening": 0.4, "stagnation": 0.4, "rupture": 0.2}
    assert result.history == []
    # annulled is neither applied nor open; overdue and unknown are open
    assert {i.proposition for i in result.open_indicators} == {"fertilizer-jv", "embassy"}


def test_history_in_order_of_resolution_date_then_id():
    resolutions = {
        "fertilizer-jv": resolved("fertilizer-jv", "not_materialised", date(2026, 1, 1)),
        "embassy": resolved("embassy", "materialised", date(2026, 1, 1)),
        "by-az-trade-1bn": resolved("by-az-trade-1bn", "not_materialised", date(2025, 6, 1)),
    }
    result = weigh(BAKU_MINSK, resolutions)
    assert [s.indicator for s in result.history] == ["by-az-trade-1bn", "embassy", "fertilizer-jv"]
    # fertilizer-jv not materialised: × 0.5, 0.9, 1.0 after the trade update
    w = {"deepening": 0.16, "stagnation": 0.34, "rupture": 0.196}
    raw = {"deepening": w["deepening"] * 0.5, "stagnation": w["stagnation"] * 0.9, "rupture": w["rupture"] * 1.0}
    total = sum(raw.values())
    assert result.weights == {k: pytest.approx(v / total) for k, v in raw.items()}


def test_zero_total_raises_a_clear_error():
    ruled_out = ScenarioSet(
        id="binary",
        title="Binary",
        scenarios=[{"id": "yes-world", "title": "Y", "prior": 0.5}, {"id": "no-world", "title": "N", "prior": 0.5}],
        indicators=[
            {"proposition": "a", "likelihood": {"yes-world": 1.0, "no-world": 0.0}},
            {"proposition": "b", "likelihood": {"yes-world": 0.0, "no-world": 0.3}},
        ],
    )
    resolutions = {"a": resolved("a", "materialised", date(2025, 1, 1)), "b": resolved("b", "materialised", date(2025, 2, 1))}
    with pytest.raises(ScenarioInconsistency, match="scenario set 'binary': indicator 'b' resolved materialised") as error:
        weigh(ruled_out, resolutions)
    assert isinstance(error.value, TrackerError)


def test_diagnosticity_and_expected_shift():
    result = weigh(BAKU_MINSK, {})
    impacts = {i.proposition: i for i in result.open_indicators}
    trade = impacts["by-az-trade-1bn"]
    assert trade.diagnosticity == pytest.approx(0.58)
    # P(yes) = 0.4·0.6 + 0.4·0.15 + 0.2·0.02 = 0.304
    assert trade.p_materialise == pytest.approx(0.304)
    # Σ w |L − P(yes)| = 0.4·0.296 + 0.4·0.154 + 0.2·0.284 = 0.2368
    assert trade.expected_shift == pytest.approx(0.2368)
    # Same as the expected total-variation distance, computed the long way:
    yes = {"deepening": 0.24 / 0.304, "stagnation": 0.06 / 0.304, "rupture": 0.004 / 0.304}
    no = {"deepening": 0.16 / 0.696, "stagnation": 0.34 / 0.696, "rupture": 0.196 / 0.696}
    prior = {"deepening": 0.4, "stagnation": 0.4, "rupture": 0.2}

    def tv(a, b):
        return sum(abs(a[k] - b[k]) for k in a) / 2

    assert trade.expected_shift == pytest.approx(0.304 * tv(prior, yes) + 0.696 * tv(prior, no))
    embassy = impacts["embassy"]
    assert (embassy.diagnosticity, embassy.expected_shift) == (0.0, pytest.approx(0.0))
    assert [i.proposition for i in result.open_indicators] == ["by-az-trade-1bn", "fertilizer-jv", "embassy"]


def test_impact_of_a_per_outcome_indicator_by_hand():
    [karabakh, _] = weigh(PER_OUTCOME, {}).open_indicators
    # P(yes) = 0.2 + 0.04 + 0 = 0.24, P(partly) = 0.12 + 0.12 + 0.02 = 0.26, P(no) = 0.08 + 0.24 + 0.18 = 0.5
    prior = {"deepening": 0.4, "stagnation": 0.4, "rupture": 0.2}
    posteriors = {
        0.24: {"deepening": 0.2 / 0.24, "stagnation": 0.04 / 0.24, "rupture": 0.0},
        0.26: {"deepening": 0.12 / 0.26, "stagnation": 0.12 / 0.26, "rupture": 0.02 / 0.26},
        0.5: {"deepening": 0.16, "stagnation": 0.48, "rupture": 0.36},
    }
    shift = sum(p * sum(abs(prior[k] - w[k]) for k in prior) / 2 for p, w in posteriors.items())
    assert karabakh.expected_shift == pytest.approx(shift)
    assert karabakh.p_materialise == pytest.approx(0.24)
    assert karabakh.diagnosticity == pytest.approx(0.7)  # no: 0.9 − 0.2


# --- order independence ------------------------------------------------------------------------

likelihoods = st.floats(min_value=0.01, max_value=0.99, allow_nan=False)


@st.composite
def outcome_likelihoods(draw):
    raw = draw(st.lists(st.floats(0.01, 1.0), min_size=3, max_size=3))
    yes, partly = raw[0] / sum(raw), raw[1] / sum(raw)
    return {"yes": yes, "partly": partly, "no": 1.0 - yes - partly}


@given(st.lists(st.floats(0.05, 1.0), min_size=2, max_size=4), st.data())
def test_expected_shift_is_the_expected_distance_to_each_outcome_posterior(raw, data):
    priors = [r / sum(raw) for r in raw]
    priors[-1] = 1.0 - sum(priors[:-1])
    ids = [f"s{i}" for i in range(len(priors))]
    per_outcome = data.draw(st.booleans())
    given_ = {s: data.draw(outcome_likelihoods() if per_outcome else likelihoods) for s in ids}
    scenario_set = ScenarioSet(id="drawn", title="Drawn", scenarios=[{"id": s, "title": s, "prior": p} for s, p in zip(ids, priors, strict=True)],
                               indicators=[{"proposition": "i", "likelihood": given_}])
    [result] = weigh(scenario_set, {}).open_indicators
    prior = dict(zip(ids, priors, strict=True))
    table = ([{s: given_[s][o] for s in ids} for o in ("yes", "partly", "no")] if per_outcome
             else [{s: given_[s] for s in ids}, {s: 1 - given_[s] for s in ids}])
    expected = 0.0
    for row in table:
        p_outcome = sum(prior[s] * row[s] for s in ids)
        if p_outcome > 0:
            posterior = {s: prior[s] * row[s] / p_outcome for s in ids}
            expected += p_outcome * sum(abs(posterior[s] - prior[s]) for s in ids) / 2
    assert result.expected_shift == pytest.approx(expected, abs=1e-12)


@st.composite
def sets_and_outcomes(draw):
    n_scenarios = draw(st.integers(2, 4))
    raw = draw(st.lists(st.floats(0.05, 1.0), min_size=n_scenarios, max_size=n_scenarios))
    priors = [r / sum(raw) for r in raw]
    priors[-1] = 1.0 - sum(priors[:-1])
    scenario_ids = [f"s{i}" for i in range(n_scenarios)]
    n_indicators = draw(st.integers(1, 6))
    indicators = [
        {"proposition": f"i{j}", "likelihood": {s: draw(st.one_of(likelihoods, outcome_likelihoods())) for s in scenario_ids}}
        for j in range(n_indicators)
    ]
    scenario_set = ScenarioSet(
        id="drawn",
        title="Drawn",
        scenarios=[{"id": s, "title": s, "prior": p} for s, p in zip(scenario_ids, priors, strict=True)],
        indicators=indicators,
    )
    statuses = draw(
        st.lists(st.sampled_from(["materialised", "not_materialised", "partly", "annulled", "open"]), min_size=n_indicators, max_size=n_indicators)
    )
    return scenario_set, statuses


@given(sets_and_outcomes(), st.data())
def test_order_of_resolution_does_not_change_final_weights(drawn, data):
    scenario_set, statuses = drawn
    ids = [i.proposition for i in scenario_set.indicators]
    first_days = data.draw(st.permutations(range(len(ids))))
    second_days = data.draw(st.permutations(range(len(ids))))

    def resolutions(days):
        return {p: resolved(p, s, date(2025, 1, 1 + d)) for p, s, d in zip(ids, statuses, days, strict=True)}

    one = weigh(scenario_set, resolutions(first_days))
    two = weigh(scenario_set, resolutions(second_days))
    assert one.weights == {k: pytest.approx(v, abs=1e-9) for k, v in two.weights.items()}
    assert sum(one.weights.values()) == pytest.approx(1.0)
