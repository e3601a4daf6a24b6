"""Scenario results: which future is unfolding, as of a day.

One `ScenarioEntry` per scenario set, shared by `tracker scenarios` and the scorecard's
`scenarios` key, so both always agree. Each holds the current weights (Bayes' rule, docs/rules.md
section 8), their history (one step per resolved indicator: date, indicator, outcome, weights
after, how far they moved, and a note when a partly outcome left them as they were), and every
indicator with its status, likelihoods (P(yes), and per outcome), diagnosticity and, while it is
open, its expected shift and the weights each outcome would leave — the analyst's "signposts":
what to watch, and what each answer would mean.

A set whose resolved indicators every scenario rules out is not an error of the tool but of
the likelihoods: its entry carries an `inconsistency` and the weights as they stood before the
offending indicator, and the other sets are unaffected.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from tracker.app.logs import logs, resolutions
from tracker.app.session import Session
from tracker.core.logs import logs_as_of
from tracker.core.models import Indicator, ScenarioSet
from tracker.core.resolve import Resolution
from tracker.core.results import Inconsistency, IndicatorEntry, OutcomeLikelihoods, ScenarioEntry, WeightEntry
from tracker.core.results import rounded as number
from tracker.core.scenarios import IndicatorImpact, ScenarioInconsistency, WeightStep, impact, moves, update, weigh
from tracker.core.status import Status
from tracker.errors import NotFound


def scenario_results(session: Session, as_of: date, set_id: str | None = None) -> list[ScenarioEntry]:
    """Every scenario set (or the one named) as of the end of `as_of`, from what was known then."""
    sets = session.workspace.scenario_sets
    if set_id is not None and set_id not in sets:
        known = ", ".join(sorted(sets)) or "none: add a file to scenarios/"
        raise NotFound(f"no scenario set {set_id!r} (sets: {known})", argument="set_id")
    chosen = [sets[set_id]] if set_id is not None else [sets[k] for k in sorted(sets)]
    indicators = sorted({i.proposition for s in chosen for i in s.indicators} & set(session.workspace.propositions))
    recorded = logs_as_of(logs(session, indicators), as_of)
    return scenario_entries(session, resolutions(session, as_of, recorded), as_of, [s.id for s in chosen])


def scenario_entries(session: Session, resolved: Mapping[str, Resolution], as_of: date,
                     set_ids: list[str] | None = None) -> list[ScenarioEntry]:
    """The entries of the given sets (default: all, by id) from resolutions already computed."""
    sets = session.workspace.scenario_sets
    titles = {p.id: p.title for p in session.workspace.propositions.values()}
    deadlines = {p.id: p.deadline for p in session.workspace.propositions.values()}
    return [set_entry(sets[i], resolved, as_of, titles, deadlines) for i in (set_ids or sorted(sets))]


def set_entry(scenario_set: ScenarioSet, resolutions: Mapping[str, Resolution], as_of: date,
              titles: Mapping[str, str], deadlines: Mapping[str, date]) -> ScenarioEntry:
    """One set's weights, history and indicators (pure: no database, no files)."""
    priors = {s.id: s.prior for s in scenario_set.scenarios}
    inconsistency: Inconsistency | None = None
    try:
        weighed = weigh(scenario_set, resolutions)
        weights, history, impacts = weighed.weights, weighed.history, {i.proposition: i for i in weighed.open_indicators}
    except ScenarioInconsistency as exc:
        history = exc.history
        weights = dict(history[-1].weights) if history else priors
        impacts = {}
        inconsistency = {"message": str(exc), "indicator": exc.indicator, "outcome": exc.outcome, "on": _day(exc.on)}
    ranked = sorted(impacts.values(), key=lambda i: (-i.expected_shift, i.proposition))
    return {
        "id": scenario_set.id,
        "title": scenario_set.title,
        "as_of": as_of.isoformat(),
        "note": scenario_set.note,
        "weights": _weights(weights),
        "leading": max(weights, key=lambda s: (weights[s], s)),
        "scenarios": [{"id": s.id, "title": s.title, "description": s.description, "prior": number(s.prior),
                       "weight": number(weights[s.id])} for s in scenario_set.scenarios],
        "history": _history(priors, history, titles, resolutions),
        "indicators": [_indicator(i, resolutions.get(i.proposition), impacts.get(i.proposition), weights, titles, deadlines)
                       for i in scenario_set.indicators],
        "watch": [i.proposition for i in ranked],
        "inconsistency": inconsistency,
    }


def _day(on: date | None) -> str | None:
    return None if on is None or on == date.max else on.isoformat()


def _weights(weights: Mapping[str, float]) -> dict[str, float | None]:
    return {scenario: number(weight) for scenario, weight in weights.items()}


def shift(before: Mapping[str, float], after: Mapping[str, float]) -> float:
    """Total-variation distance between two weightings: the share of belief that moved."""
    return sum(abs(after[s] - before[s]) for s in before) / 2


def basis(resolution: Resolution | None) -> str | None:
    """What settled a final status: a `ruling`, an `observation` (a partial figure included), or `no evidence`."""
    if resolution is None or not resolution.final:
        return None
    if resolution.ruling is not None:
        return "ruling"
    return "observation" if resolution.latest is not None or resolution.projected is not None else "no evidence"


def _history(priors: Mapping[str, float], steps: list[WeightStep], titles: Mapping[str, str],
             resolutions: Mapping[str, Resolution]) -> list[WeightEntry]:
    """One row per resolved indicator; `note` says when a partly outcome left the weights as they were."""
    rows: list[WeightEntry] = []
    before = dict(priors)
    for step in steps:
        rows.append({"on": _day(step.on), "indicator": step.indicator, "title": titles.get(step.indicator),
                     "outcome": step.outcome, "basis": basis(resolutions.get(step.indicator)),
                     "weights": _weights(step.weights), "shift": number(shift(before, step.weights)), "note": step.note})
        before = step.weights
    return rows


def _indicator(indicator: Indicator, resolution: Resolution | None, open_impact: IndicatorImpact | None,
               weights: Mapping[str, float], titles: Mapping[str, str], deadlines: Mapping[str, date]) -> IndicatorEntry:
    """One indicator; the expected shift and the weights on each outcome only while it is open."""
    measured = open_impact or impact(weights, indicator)
    per_outcome = moves(indicator, Status.PARTLY, indicator.likelihood)
    deadline = deadlines.get(indicator.proposition)
    return {
        "proposition": indicator.proposition,
        "title": titles.get(indicator.proposition),
        "status": resolution.status if resolution else None,
        "resolved_on": _day(resolution.resolved_on) if resolution and resolution.final else None,
        "basis": basis(resolution),
        "deadline": deadline.isoformat() if deadline else None,
        "likelihood": {s: number(indicator.p_yes(s)) for s in indicator.likelihood},
        "likelihoods": {s: _outcomes(indicator, s) for s in indicator.likelihood},
        "per_outcome": per_outcome,
        "diagnosticity": number(measured.diagnosticity),
        "expected_shift": number(open_impact.expected_shift) if open_impact else None,
        "p_materialise": number(open_impact.p_materialise) if open_impact else None,
        "if_materialised": _branch(weights, indicator, Status.MATERIALISED) if open_impact else None,
        "if_partly": _branch(weights, indicator, Status.PARTLY) if open_impact and per_outcome else None,
        "if_not": _branch(weights, indicator, Status.NOT_MATERIALISED) if open_impact else None,
        "why": indicator.why,
    }


def _outcomes(indicator: Indicator, scenario: str) -> OutcomeLikelihoods:
    """P(yes), P(partly) and P(no) under one scenario; partly is null under the short form."""
    return {"yes": number(indicator.outcome_likelihood(scenario, Status.MATERIALISED)),
            "partly": number(indicator.outcome_likelihood(scenario, Status.PARTLY)),
            "no": number(indicator.outcome_likelihood(scenario, Status.NOT_MATERIALISED))}


def _branch(weights: Mapping[str, float], indicator: Indicator, outcome: str) -> dict[str, float | None] | None:
    """The weights if the indicator resolved this way; None when no scenario in play allows it."""
    try:
        return _weights(update(weights, indicator, outcome))
    except ScenarioInconsistency:
        return None
