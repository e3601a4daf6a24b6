"""Scenario weighing: Bayes' rule over a set's scenarios as its indicators resolve.

Each scenario starts at its prior. When an indicator proposition resolves, every scenario's
weight is multiplied by the probability of that outcome under the scenario and the weights are
normalised to sum to one. An indicator's likelihood per scenario is either per outcome
(`{yes, partly, no}`, summing to 1) or the short form L = P(materialises): yes = L, no = 1 − L,
and no likelihood for `partly` — so a partly outcome under the short form leaves the weights as
they were, and the history says so. Open indicators (overdue included) do not move the weights;
annulled ones are ignored. Indicators are applied in order of resolution date (ties by
proposition id); the final weights do not depend on that order, only the history does.

For open indicators, two measures tell which would move the weights most. Their outcomes are
yes, partly and no when every scenario gives per-outcome likelihoods, else yes and no (with
no = 1 − yes):

- diagnosticity = the largest, over outcomes, of max_s L_s(o) − min_s L_s(o): how far apart the
  scenarios' likelihoods are (0: the indicator cannot tell them apart; 1: it settles between them);
- expected shift = the expected total-variation distance between the current weights w and the
  weights after the indicator resolves, over its predictive outcome probabilities
  P(o) = Σ_s w_s L_s(o). It reduces to ½ Σ_o Σ_s w_s |L_s(o) − P(o)|, which for yes and no is
  Σ_s w_s |L_s − P(yes)|, the weighted mean absolute deviation of the likelihoods.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from tracker.core.models import Indicator, ScenarioSet
from tracker.core.resolve import Resolution
from tracker.core.status import SCORED, Status
from tracker.errors import TrackerError

APPLIED = SCORED  # the outcomes that move weights; overdue and annulled never do


class ScenarioInconsistency(TrackerError):
    """Resolved indicators that every scenario of a set rules out: the likelihoods need fixing.

    Raised by `weigh`, it also says where the weighing stopped (set, indicator, outcome, date)
    and the history up to that step, so a report can still show what came before.
    """

    def __init__(self, message: str, *, set_id: str | None = None, indicator: str | None = None,
                 outcome: str | None = None, on: date | None = None, history: list[WeightStep] | None = None) -> None:
        super().__init__(message)
        self.set_id = set_id
        self.indicator = indicator
        self.outcome = outcome
        self.on = on
        self.history = list(history or [])


PARTLY_UNCHANGED = "partly: no likelihood given, weights unchanged"


@dataclass(frozen=True)
class WeightStep:
    """The weights right after one indicator resolved; `note` says why they did not move, if so."""

    on: date
    indicator: str
    outcome: str
    weights: dict[str, float]
    note: str | None = None


@dataclass(frozen=True)
class IndicatorImpact:
    """How much an open indicator could still move the weights."""

    proposition: str
    diagnosticity: float
    expected_shift: float
    p_materialise: float = 0.0  # predictive probability under the current weights


@dataclass(frozen=True)
class ScenarioWeights:
    """A set's current weights, how they got there, and what could move them next."""

    set_id: str
    weights: dict[str, float]
    history: list[WeightStep]
    open_indicators: list[IndicatorImpact]


def outcome_likelihood(likelihood: float, outcome: str) -> float | None:
    """P(outcome | scenario) under the short form L = P(materialises | scenario); None for partly."""
    if outcome == Status.MATERIALISED:
        return likelihood
    if outcome == Status.NOT_MATERIALISED:
        return 1.0 - likelihood
    if outcome == Status.PARTLY:
        return None
    raise ValueError(f"indicator outcome {outcome!r} does not update weights")


def moves(indicator: Indicator, outcome: str, scenarios: Iterable[str]) -> bool:
    """Whether the outcome has a likelihood under every scenario (a short-form partly has none)."""
    return all(indicator.outcome_likelihood(s, outcome) is not None for s in scenarios)


def update(weights: Mapping[str, float], indicator: Indicator, outcome: str, set_id: str = "?") -> dict[str, float]:
    """The weights after one indicator resolved with `outcome`, normalised.

    Unchanged when some scenario gives no likelihood for the outcome (partly, under the short
    form). Raises ScenarioInconsistency when the outcome has probability zero under every
    scenario that still has weight.
    """
    if not moves(indicator, outcome, weights):
        return dict(weights)
    raw = {s: w * (indicator.outcome_likelihood(s, outcome) or 0.0) for s, w in weights.items()}
    total = sum(raw.values())
    if total <= 0.0:
        raise ScenarioInconsistency(
            f"scenario set {set_id!r}: indicator {indicator.proposition!r} resolved {outcome}, which every "
            f"scenario still in play rules out; revise its likelihoods (no 0 or 1 unless truly impossible)"
        )
    return {s: w / total for s, w in raw.items()}


def _resolved(scenario_set: ScenarioSet, resolutions: Mapping[str, Resolution]) -> list[tuple[date, Indicator, Status]]:
    """Resolved indicators in the order they resolved (ties by proposition id)."""
    resolved = []
    for indicator in scenario_set.indicators:
        resolution = resolutions.get(indicator.proposition)
        if resolution is not None and resolution.status in APPLIED:
            resolved.append((resolution.resolved_on or date.max, indicator, resolution.status))
    resolved.sort(key=lambda item: (item[0], item[1].proposition))
    return resolved


def _is_open(indicator: Indicator, resolutions: Mapping[str, Resolution]) -> bool:
    resolution = resolutions.get(indicator.proposition)
    return resolution is None or not resolution.final


def _outcome_table(weights: Mapping[str, float], indicator: Indicator) -> list[dict[str, float]]:
    """Per outcome, each scenario's likelihood: yes/partly/no when all give them, else yes and 1 − yes."""
    if moves(indicator, Status.PARTLY, weights):
        outcomes = (Status.MATERIALISED, Status.PARTLY, Status.NOT_MATERIALISED)
        return [{s: indicator.outcome_likelihood(s, o) or 0.0 for s in weights} for o in outcomes]
    yes = {s: indicator.p_yes(s) for s in weights}
    return [yes, {s: 1.0 - p for s, p in yes.items()}]


def impact(weights: Mapping[str, float], indicator: Indicator) -> IndicatorImpact:
    """Diagnosticity and expected shift of an open indicator under the current weights."""
    table = _outcome_table(weights, indicator)
    shift = 0.0
    for likelihoods in table:
        predictive = sum(w * likelihoods[s] for s, w in weights.items())
        shift += 0.5 * sum(w * abs(likelihoods[s] - predictive) for s, w in weights.items())
    spread = [max(row.values()) - min(row.values()) for row in table if row]
    return IndicatorImpact(
        proposition=indicator.proposition,
        diagnosticity=max(spread, default=0.0),
        expected_shift=shift,
        p_materialise=sum(w * indicator.p_yes(s) for s, w in weights.items()),
    )


def weigh(scenario_set: ScenarioSet, resolutions: Mapping[str, Resolution]) -> ScenarioWeights:
    """Current weights of a scenario set given the resolutions of its indicators.

    `resolutions` are as of some day T, so the result is the set as it stood then. Open
    indicators come ranked by expected shift, largest first (ties by proposition id).
    """
    weights = {scenario.id: scenario.prior for scenario in scenario_set.scenarios}
    history: list[WeightStep] = []
    for on, indicator, outcome in _resolved(scenario_set, resolutions):
        try:
            weights = update(weights, indicator, outcome, scenario_set.id)
        except ScenarioInconsistency as exc:
            raise ScenarioInconsistency(str(exc), set_id=scenario_set.id, indicator=indicator.proposition,
                                        outcome=outcome, on=on, history=history) from None
        note = None if moves(indicator, outcome, weights) else PARTLY_UNCHANGED
        history.append(WeightStep(on, indicator.proposition, outcome, dict(weights), note))
    impacts = [impact(weights, i) for i in scenario_set.indicators if _is_open(i, resolutions)]
    impacts.sort(key=lambda item: (-item.expected_shift, item.proposition))
    return ScenarioWeights(scenario_set.id, weights, history, impacts)
