"""docs/rules.md: every worked example recomputed with the core, and each number the page gives checked."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

from tracker.core.models import Metric, Proposition, ScenarioSet
from tracker.core.periods import parse_period
from tracker.core.records import Forecast, Observation
from tracker.core.resolve import Resolution, resolve
from tracker.core.scenarios import weigh
from tracker.core.scores import forecaster_scores, jeffreys_interval
from tracker.core.values import ValueProblem, convert, jump, parse_number

RULES = " ".join((Path(__file__).resolve().parents[1] / "docs" / "rules.md").read_text(encoding="utf-8").split())
TRADE = Metric(id="trade", name="Trade", unit="USD million", period="year", aggregate="sum")
OIL = Metric(id="oil", name="Oil supplies", unit="tonne", period="year", aggregate="sum")


def says(*phrases: str) -> None:
    """The page says each phrase (whitespace folded)."""
    for phrase in phrases:
        assert " ".join(phrase.split()) in RULES, phrase


def figure(as_of, value: float, recorded: str, target: str = "trade", through: str | None = None, bound_text: str | None = None) -> Observation:
    from tracker.core.values import parse_value

    reading = parse_value(bound_text) if bound_text else None
    return Observation(target, parse_period(as_of), reading.number if reading else value, datetime.fromisoformat(recorded), "src",
                       through=parse_period(through) if through else None, bound=reading.bound if reading else None)


def trade_target(**changes) -> Proposition:
    fields = dict(id="trade-1bn", kind="target", title="T", quote="q", source="src", stated_by="lukashenka",
                  stated_on=date(2024, 5, 16), deadline=date(2025, 12, 31), metric="trade",
                  baseline={"value": 450, "as_of": 2023}, target={"op": ">=", "value": 1000})
    fields.update(changes)
    return Proposition(**fields)


def at(day: str, observations, proposition=None, metric=TRADE) -> Resolution:
    return resolve(proposition or trade_target(), metric, observations, [], date.fromisoformat(day))


def test_the_target_example():
    observations = [figure(2024, 480, "2025-02-01"), figure(2025, 497, "2026-02-01")]
    early = at("2025-02-01", observations)
    assert (early.status, round(early.progress, 2), round(early.expected_progress, 2)) == ("behind", 0.05, 0.54)
    assert at("2026-01-15", observations).status == "overdue"
    late = at("2026-02-01", observations)
    assert (late.status, round(late.progress, 2)) == ("not_materialised", 0.09)
    says("(480 − 450) / 550 = 0.05 against an expected 398 / 731 = 0.54: `behind`", "(497 − 450) / 550 = 0.09")


def test_growth_targets():
    assert trade_target(target={"op": ">=", "change": 0.25}).target_value == 562.5
    says("450 × 1.25 = 562.5")
    keeps = trade_target(target={"op": ">", "change": 0}, stated_on=date(2025, 1, 1))
    assert at("2025-03-01", [figure(2024, 451, "2025-02-01")], keeps).status == "on_track"
    assert at("2025-03-01", [figure(2024, 449, "2025-02-01")], keeps).status == "behind"
    says("a 2024 figure of 451 is `on_track`, 449 `behind`")


def test_the_event_example():
    plant = Proposition(id="plant", kind="event", title="T", quote="q", source="src", stated_by="x",
                        stated_on=date(2024, 5, 20), deadline=date(2025, 12, 31))
    not_yet = figure("2025-06-01", 0, "2025-06-02", "plant")
    not_yet.value = "no"
    checked = figure("2026-01-31", 0, "2026-02-03", "plant")
    checked.value = "no"
    statuses = [resolve(plant, None, [not_yet, checked], [], date.fromisoformat(d)).status
                for d in ("2025-12-31", "2026-01-01", "2026-02-02", "2026-02-03")]
    assert statuses == ["open", "overdue", "overdue", "not_materialised"]
    says("leaves it `open` until the deadline and `overdue` from 2026-01-01", "`not_materialised` from 2026-02-03")


def test_the_retrodiction_example():
    outcome = {"p": Resolution("p", "event", "materialised", None, None, None, None, None, True, date(2025, 3, 1))}
    propositions = {"p": Proposition(id="p", kind="event", title="T", quote="q", source="s", stated_by="x",
                                     stated_on=date(2024, 5, 20), deadline=date(2025, 12, 31))}
    cheater = Forecast("p", 0.99, "cheater", date(2024, 6, 1), datetime(2025, 2, 20))
    honest = Forecast("p", 0.6, "honest", date(2024, 6, 1), datetime(2024, 6, 8))
    scores = {s.forecaster: s for s in forecaster_scores([cheater, honest], outcome, propositions, with_unscored=True)}
    assert (date(2025, 2, 20) - date(2024, 6, 1)).days == 264
    assert (scores["cheater"].n, scores["cheater"].retrodictions) == (0, 1)
    assert scores["honest"].brier == pytest.approx(0.16)
    says("recorded 264 days after its date", "(`n` 0, `retrodictions` 1)", "Brier (0.6 − 1)² = 0.16")


def test_the_track_record_example():
    assert [round(x, 2) for x in jeffreys_interval(0, 1)] == [0.0, 0.77]
    says("gives 0 and [0.0, 0.77]")


def test_the_scenario_examples():
    def scenario_set(likelihood) -> ScenarioSet:
        return ScenarioSet(id="s", title="S", scenarios=[{"id": "d", "title": "D", "prior": 0.4}, {"id": "s", "title": "S", "prior": 0.4},
                                                          {"id": "r", "title": "R", "prior": 0.2}],
                           indicators=[{"proposition": "p", "likelihood": likelihood}])

    def weights(likelihood, status):
        resolution = Resolution("p", "event", status, None, None, None, None, None, True, date(2026, 1, 1))
        return [round(w, 2) for w in weigh(scenario_set(likelihood), {"p": resolution}).weights.values()]

    short = {"d": 0.6, "s": 0.15, "r": 0.02}
    assert weights(short, "not_materialised") == [0.23, 0.49, 0.28]
    assert weights(short, "partly") == [0.4, 0.4, 0.2]
    per_outcome = {"d": {"yes": 0.5, "partly": 0.3, "no": 0.2}, "s": {"yes": 0.1, "partly": 0.3, "no": 0.6},
                   "r": {"yes": 0.0, "partly": 0.1, "no": 0.9}}
    assert weights(per_outcome, "partly") == [0.46, 0.46, 0.08]
    says("total 0.696 → 0.23 / 0.49 / 0.28", "total 0.26 → 0.46 / 0.46 / 0.08")


def test_numbers_units_and_jumps():
    assert [parse_number(t) for t in ("1,500", "1 500", "1\u2009500", "1_500")] == [1500] * 4
    with pytest.raises(ValueProblem) as error:
        parse_number("1,5")
    says(str(error.value))
    assert convert(1.5, "USD billion", "USD million") == 1500
    assert convert(360.1, "thousand tonne", "tonne") == pytest.approx(360_100)
    says("`1.5 USD billion` on a metric in `USD million` is 1500", "`360.1 thousand tonne` on a metric in `tonne` is 360,100")
    assert jump(5601, 560) is not None and jump(5600, 560) is None
    says("Next to 560, 5601 warns; 5600 (exactly ten times) does not")


def test_the_bounds_example():
    assert at("2026-03-01", [figure(2025, 0, "2026-02-01", bound_text=">400")]).status == "overdue"
    below = at("2026-03-01", [figure(2025, 0, "2026-02-01", bound_text="<500")])
    assert (below.status, round(below.progress, 2)) == ("not_materialised", 0.09)
    assert at("2026-03-01", [figure(2025, 0, "2026-02-01", bound_text=">1000")]).status == "materialised"
    says("(500 − 450) / 550 = 0.09")


def test_lukashenkas_billion():
    observations = [figure(2024, 480, "2025-02-01"), figure(2025, 274, "2025-10-20", through="2025-08")]
    known = at("2025-10-20", observations)
    assert round(known.projected.value, 2) == 411.56 == round(274 * 365 / 243, 2)
    assert (known.status, round(known.progress, 2), round(known.expected_progress, 2)) == ("behind", -0.07, 0.90)
    after = at("2026-01-05", observations)
    assert (after.status, round(after.projected.value, 2)) == ("overdue", 411.56)
    met = at("2025-10-20", [figure(2025, 1010, "2025-10-20", through="2025-08")])
    assert (met.status, met.resolved_on) == ("materialised", date(2025, 10, 20))
    cap = trade_target(target={"op": "<=", "value": 300})
    broken = at("2025-10-20", [figure(2025, 310, "2025-10-20", through="2025-08")], cap)
    assert (broken.status, broken.resolved_on) == ("not_materialised", date(2025, 10, 20))
    says("274 × 365 / 243 = 411.56", "(411.56 − 450) / 550 = −0.07 against an expected 0.90: `behind`", "`overdue`, projected 411.56")


def test_oil_in_2021():
    prop = trade_target(metric="oil", stated_on=date(2021, 4, 14), deadline=date(2021, 12, 31),
                        baseline={"value": 720_000, "as_of": 2020}, target={"op": ">=", "change": 0.25})
    assert prop.target_value == 900_000
    march = [figure(2021, 360_100, "2021-04-14", "oil", through="2021-03")]
    result = resolve(prop, OIL, march, [], date(2021, 4, 14))
    assert (result.status, round(result.projected.value), round(result.progress, 2)) == ("on_track", 1_460_406, 4.11)
    april = march + [figure(2021, 360_100, "2021-05-20", "oil", through="2021-04")]
    assert round(resolve(prop, OIL, april, [], date(2021, 5, 20)).projected.value) == 1_095_304
    assert resolve(prop, OIL, april, [], date(2022, 1, 1)).status == "overdue"
    says("360,100 × 365 / 90 = 1,460,406 t: progress 4.11, `on_track`", "360,100 × 365 / 120 = 1,095,304 t")


def test_the_page_cites_no_spec_section():
    assert not re.search(r"SPEC\s*§", RULES)
