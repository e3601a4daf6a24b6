"""`tracker scenarios` end to end: weights as indicators resolve, history, as-of, signposts, errors.

Weights are checked against hand computations with the priors and likelihoods of SPEC §3:
priors deepening 0.4, stagnation 0.4, rupture 0.2; `by-az-trade-1bn` likelihoods 0.6 / 0.15 /
0.02; `fertilizer-jv` 0.5 / 0.1 / 0.0.
"""

from __future__ import annotations

import json
import shutil
from datetime import date

import pytest

from tests.conftest import REPO

SET = """\
id: baku-minsk
title: Where Belarus-Azerbaijan relations go by 2027
scenarios:
  - {id: deepening, title: Deepening, prior: 0.4}
  - {id: stagnation, title: Stagnation, prior: 0.4}
  - {id: rupture, title: Rupture, prior: 0.2}
indicators:
  - proposition: by-az-trade-1bn
    likelihood: {deepening: 0.6, stagnation: 0.15, rupture: 0.02}
    why: Doubling trade needs the new projects running.
  - proposition: fertilizer-jv
    likelihood: {deepening: 0.5, stagnation: 0.1, rupture: 0.0}
    why: A large investment that only deep cooperation brings.
"""

# After by-az-trade-1bn did not materialise: 0.4·0.4, 0.4·0.85, 0.2·0.98 = 0.16, 0.34, 0.196 (total 0.696)
AFTER_TRADE = {"deepening": 0.2299, "stagnation": 0.4885, "rupture": 0.2816}
# Then fertilizer-jv materialised: 0.16·0.5, 0.34·0.1, 0.196·0 = 0.08, 0.034, 0 (total 0.114)
AFTER_BOTH = {"deepening": 0.7018, "stagnation": 0.2982, "rupture": 0.0}


def scenarios_json(run, *args: str) -> dict:
    result = run("scenarios", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def weighed(sample):
    sample.write("scenarios/baku-minsk.yaml", SET)
    return sample


def test_priors_until_an_indicator_resolves_and_open_indicators_ranked(weighed):
    [entry] = scenarios_json(weighed, "--as-of", "2025-06-01")["scenarios"]
    assert entry["weights"] == {"deepening": 0.4, "stagnation": 0.4, "rupture": 0.2}
    assert entry["history"] == []
    # expected shift Σ w |L − P(yes)|: trade 0.4·0.296 + 0.4·0.154 + 0.2·0.284 = 0.2368;
    # fertilizer P(yes) 0.24: 0.4·0.26 + 0.4·0.14 + 0.2·0.24 = 0.208
    assert entry["watch"] == ["by-az-trade-1bn", "fertilizer-jv"]
    trade, fertilizer = entry["indicators"]
    assert (trade["diagnosticity"], trade["expected_shift"], trade["p_materialise"]) == (0.58, 0.2368, 0.304)
    assert (fertilizer["diagnosticity"], fertilizer["expected_shift"]) == (0.5, 0.208)
    assert trade["if_not"] == AFTER_TRADE
    assert fertilizer["why"] == "A large investment that only deep cooperation brings."


def test_rulings_move_the_weights_in_order_of_date(weighed):
    weighed("resolve", "fertilizer-jv", "--status", "materialised", "--why", "Plant under construction", "--on", "2026-03-01")
    weighed("resolve", "by-az-trade-1bn", "--status", "not_materialised", "--why", "2025 total far short", "--on", "2026-01-15")
    [entry] = scenarios_json(weighed, "--as-of", "2026-11-24")["scenarios"]
    assert entry["weights"] == AFTER_BOTH
    assert entry["leading"] == "deepening"
    assert [(s["on"], s["indicator"], s["outcome"], s["basis"], s["weights"]) for s in entry["history"]] == [
        ("2026-01-15", "by-az-trade-1bn", "not_materialised", "ruling", AFTER_TRADE),
        ("2026-03-01", "fertilizer-jv", "materialised", "ruling", AFTER_BOTH),
    ]
    # the share of belief each step moved: ½ Σ |after − before|
    assert [s["shift"] for s in entry["history"]] == [0.1701, 0.4719]
    assert entry["watch"] == []
    assert all(i["expected_shift"] is None for i in entry["indicators"])


def test_as_of_shows_what_was_known_then(weighed):
    weighed("resolve", "by-az-trade-1bn", "--status", "not_materialised", "--why", "short", "--on", "2026-01-15")
    weighed("resolve", "fertilizer-jv", "--status", "materialised", "--why", "built", "--on", "2026-03-01")
    assert scenarios_json(weighed, "--as-of", "2026-01-14")["scenarios"][0]["weights"] == {"deepening": 0.4, "stagnation": 0.4, "rupture": 0.2}
    between = scenarios_json(weighed, "--as-of", "2026-02-01")["scenarios"][0]
    assert between["weights"] == AFTER_TRADE
    assert between["watch"] == ["fertilizer-jv"]


def test_an_observation_moves_the_weights_from_the_day_it_was_logged(weighed):
    result = weighed("observe", "fertilizer-jv", "yes", "--as-of", "2026-03-01", "--source", "ministry statement")
    assert result.exit_code == 0, result.output
    [entry] = scenarios_json(weighed)["scenarios"]
    # P(yes | s) = 0.5, 0.1, 0.0: 0.2, 0.04, 0 → 0.8333, 0.1667, 0
    assert entry["weights"] == {"deepening": 0.8333, "stagnation": 0.1667, "rupture": 0.0}
    [step] = entry["history"]
    assert (step["on"], step["indicator"], step["basis"]) == (date.today().isoformat(), "fertilizer-jv", "observation")


def test_partly_and_annulled_leave_the_weights(weighed):
    weighed("resolve", "by-az-trade-1bn", "--status", "annulled", "--why", "The target was restated", "--on", "2026-01-15")
    weighed("resolve", "fertilizer-jv", "--status", "partly", "--why", "Site chosen, no partner", "--on", "2026-03-01")
    [entry] = scenarios_json(weighed)["scenarios"]
    assert entry["weights"] == {"deepening": 0.4, "stagnation": 0.4, "rupture": 0.2}
    assert [(s["indicator"], s["outcome"], s["shift"], s["note"]) for s in entry["history"]] == [
        ("fertilizer-jv", "partly", 0.0, "partly: no likelihood given, weights unchanged")]
    assert entry["watch"] == []
    table = weighed("scenarios").stdout
    assert "partly: no likelihood given, weights unchanged" in table
    assert "| partly: no likelihood given, weights unchanged |" in weighed("scenarios", "--format", "md").stdout


PER_OUTCOME = """\
id: baku-minsk
title: Where Belarus-Azerbaijan relations go by 2027
scenarios:
  - {id: deepening, title: Deepening, prior: 0.4}
  - {id: stagnation, title: Stagnation, prior: 0.4}
  - {id: rupture, title: Rupture, prior: 0.2}
indicators:
  - proposition: fertilizer-jv
    likelihood:
      deepening: {yes: 0.5, partly: 0.3, no: 0.2}
      stagnation: {yes: 0.1, partly: 0.3, no: 0.6}
      rupture: {yes: 0.0, partly: 0.1, no: 0.9}
    why: A site chosen without a partner is what stagnation looks like as much as deepening.
"""


def test_a_partly_outcome_moves_per_outcome_likelihoods(sample):
    sample.write("scenarios/baku-minsk.yaml", PER_OUTCOME)
    [open_entry] = scenarios_json(sample, "--as-of", "2025-06-01")["scenarios"]
    [indicator] = open_entry["indicators"]
    assert indicator["per_outcome"] is True and indicator["likelihood"] == {"deepening": 0.5, "stagnation": 0.1, "rupture": 0.0}
    assert indicator["likelihoods"]["deepening"] == {"yes": 0.5, "partly": 0.3, "no": 0.2}
    # If partly: 0.4·0.3, 0.4·0.3, 0.2·0.1 = 0.12, 0.12, 0.02 (total 0.26)
    assert indicator["if_partly"] == {"deepening": 0.4615, "stagnation": 0.4615, "rupture": 0.0769}
    table = sample("scenarios", "--as-of", "2025-06-01").stdout
    assert "0.50 / 0.30 / 0.20" in table and "if partly:" in table
    assert "yes / partly / no where an indicator gives each outcome its own" in table
    sample("resolve", "fertilizer-jv", "--status", "partly", "--why", "Site chosen, no partner", "--on", "2026-03-01")
    [entry] = scenarios_json(sample)["scenarios"]
    assert entry["weights"] == {"deepening": 0.4615, "stagnation": 0.4615, "rupture": 0.0769}
    assert [(s["outcome"], s["note"]) for s in entry["history"]] == [("partly", None)]
    markdown = sample("scenarios", "--format", "md").stdout
    assert "| `fertilizer-jv` | partly | 2027-12-31 | 0.50 / 0.30 / 0.20 | 0.10 / 0.30 / 0.60 | 0.00 / 0.10 / 0.90 |" in markdown


def test_json_agrees_with_the_scorecard(weighed):
    weighed("resolve", "by-az-trade-1bn", "--status", "not_materialised", "--why", "short", "--on", "2026-01-15")
    card = weighed("scorecard", "--format", "json", "--as-of", "2026-06-01")
    assert card.exit_code == 0, card.output
    assert json.loads(card.stdout)["scenarios"] == scenarios_json(weighed, "--as-of", "2026-06-01")["scenarios"]
    assert json.loads(card.stdout)["scenarios"][0]["weights"] == AFTER_TRADE


def test_table_and_markdown_tell_the_story(weighed):
    weighed("resolve", "by-az-trade-1bn", "--status", "not_materialised", "--why", "short", "--on", "2026-01-15")
    table = weighed("scenarios", "--as-of", "2026-06-01")
    assert table.exit_code == 0, table.output
    assert "Where Belarus-Azerbaijan relations go by 2027 (baku-minsk)" in table.stdout
    assert "Leading: stagnation (48.9%), after 1 resolved indicator; 1 still open." in table.stdout
    assert "2026-01-15" in table.stdout and "not materialised" in table.stdout
    markdown = weighed("scenarios", "--as-of", "2026-06-01", "--format", "md")
    assert "| Deepening (`deepening`) | 40.0% | 23.0% | -17.0 pp |" in markdown.stdout
    assert "### Open indicators to watch" in markdown.stdout


def test_set_picks_one_set_and_an_unknown_set_is_named(weighed):
    weighed.write("scenarios/other.yaml", """\
        id: other
        title: Another question
        scenarios:
          - {id: a, title: A, prior: 0.5}
          - {id: b, title: B, prior: 0.5}
        """)
    assert [e["id"] for e in scenarios_json(weighed)["scenarios"]] == ["baku-minsk", "other"]
    assert [e["id"] for e in scenarios_json(weighed, "--set", "other")["scenarios"]] == ["other"]
    result = weighed("scenarios", "--set", "nope")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["--set: no scenario set 'nope' (sets: baku-minsk, other)"]
    bad = weighed("scenarios", "--format", "html")
    assert (bad.exit_code, bad.stderr.splitlines()) == (2, ["--format: 'html' is not one of table, json, md"])


def test_no_scenario_sets(sample):
    assert scenarios_json(sample)["scenarios"] == []
    assert "No scenario sets" in sample("scenarios").stdout


def test_every_scenario_ruled_out_is_a_clear_inconsistency(sample):
    sample.write("scenarios/binary.yaml", """\
        id: binary
        title: Two worlds
        scenarios:
          - {id: boom, title: Boom, prior: 0.5}
          - {id: bust, title: Bust, prior: 0.5}
        indicators:
          - proposition: by-az-trade-1bn
            likelihood: {boom: 1.0, bust: 0.0}
          - proposition: fertilizer-jv
            likelihood: {boom: 0.0, bust: 0.3}
        """)
    sample("resolve", "by-az-trade-1bn", "--status", "materialised", "--why", "reached", "--on", "2025-06-01")
    sample("resolve", "fertilizer-jv", "--status", "materialised", "--why", "built", "--on", "2025-09-01")
    message = ("scenario set 'binary': indicator 'fertilizer-jv' resolved materialised, which every scenario still in "
               "play rules out; revise its likelihoods (no 0 or 1 unless truly impossible)")
    result = sample("scenarios", "--format", "json")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [message]
    assert "Traceback" not in result.output
    [entry] = json.loads(result.stdout)["scenarios"]
    assert entry["weights"] == {"boom": 1.0, "bust": 0.0}  # as they stood before the offending indicator
    assert entry["inconsistency"] == {"message": message, "indicator": "fertilizer-jv", "outcome": "materialised", "on": "2025-09-01"}
    # the scorecard still renders, carrying the same inconsistency
    card = sample("scorecard", "--format", "json")
    assert card.exit_code == 0, card.output
    assert json.loads(card.stdout)["scenarios"][0]["inconsistency"]["indicator"] == "fertilizer-jv"


# --- validation at file:line ---------------------------------------------------------------------

HEAD = """\
id: baku-minsk
title: Where Belarus-Azerbaijan relations go
scenarios:
  - {id: deepening, title: Deepening, prior: 0.4}
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (HEAD + "  - {id: stagnation, title: Stagnation, prior: 0.5}\n",
         "scenarios/s.yaml:3: scenario set 'baku-minsk': scenarios: priors sum to 0.9, not 1 (within 1e-6)"),
        (HEAD + "  - {id: stagnation, title: Stagnation, prior: 1.6}\n",
         "scenarios/s.yaml:5: scenario set 'baku-minsk': scenarios.1.prior: Input should be less than or equal to 1"),
        (HEAD + "  - {id: deepening, title: Again, prior: 0.6}\n",
         "scenarios/s.yaml:3: scenario set 'baku-minsk': scenarios: scenario id 'deepening' repeats within the set"),
        (HEAD + "  - {id: stagnation, title: Stagnation, prior: 0.6}\nindicators:\n  - proposition: fertilizer-jv\n"
                "    likelihood:\n      deepening: 0.5\n      stagnation: 1.5\n",
         "scenarios/s.yaml:10: scenario set 'baku-minsk': indicators.0.likelihood.stagnation: Input should be less than or equal to 1"),
        (HEAD + "  - {id: stagnation, title: Stagnation, prior: 0.6}\nindicators:\n  - proposition: fertilizer-jv\n"
                "    likelihood: {deepening: 0.5, stagnation: 0.1, rupture: 0.2}\n",
         "scenarios/s.yaml:8: unknown scenario 'rupture' in likelihood"),
        (HEAD + "  - {id: stagnation, title: Stagnation, prior: 0.6}\nindicators:\n  - proposition: fertilizer-jv\n"
                "    likelihood: {deepening: 0.5}\n",
         "scenarios/s.yaml:8: no likelihood for scenario 'stagnation'"),
        (HEAD + "  - {id: stagnation, title: Stagnation, prior: 0.6}\nindicators:\n  - proposition: fertiliser-jv\n"
                "    likelihood: {deepening: 0.5, stagnation: 0.1}\n",
         "scenarios/s.yaml:7: unknown proposition 'fertiliser-jv'"),
        (HEAD + "  - {id: stagnation, title: Stagnation, prior: 0.6}\nindicators:\n  - proposition: fertilizer-jv\n"
                "    likelihood: {deepening: 0.5, stagnation: 0.1}\n  - proposition: fertilizer-jv\n"
                "    likelihood: {deepening: 0.4, stagnation: 0.2}\n",
         "scenarios/s.yaml:9: indicator 'fertilizer-jv' is listed twice (first at line 7); its evidence would count twice: keep one entry"),
    ],
    ids=["priors-sum", "prior-range", "scenario-repeats", "likelihood-range", "unknown-scenario", "missing-likelihood",
         "unknown-proposition", "indicator-twice"],
)
def test_validate_names_the_line(sample, text, expected):
    sample.write("scenarios/s.yaml", text)
    result = sample("validate")
    assert result.exit_code == 2
    problems = [line for line in result.stderr.splitlines() if line.startswith("scenarios/")]
    assert problems == [expected]
    # the same error stops `tracker scenarios`, before anything is read or written
    blocked = sample("scenarios")
    assert blocked.exit_code == 2
    assert expected in blocked.stderr.splitlines()


def test_two_sets_with_one_id_and_a_set_in_the_wrong_place(sample):
    body = "title: T\nscenarios:\n  - {id: a, title: A, prior: 0.5}\n  - {id: b, title: B, prior: 0.5}\n"
    sample.write("scenarios/one.yaml", "id: twin\n" + body)
    sample.write("scenarios/two.yaml", "id: twin\n" + body)
    sample.write("forecasts/more.yaml", "scenarios:\n  - {id: a, title: A, prior: 1.0}\n")
    result = sample("validate")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[:2] == [
        "forecasts/more.yaml:1: unknown section 'scenarios' (a scenario set is a file of its own in scenarios/, "
        "with id, title, scenarios and indicators)",
        "scenarios/two.yaml:1: duplicate id 'twin': already defined at scenarios/one.yaml:1",
    ]


# --- the bundled sets --------------------------------------------------------------------------------


def test_bundled_sets_weigh_and_explain_every_likelihood(run):
    for folder in ("forecasts", "scenarios"):
        shutil.copytree(REPO / folder, run.root / folder, dirs_exist_ok=True)
    entries = scenarios_json(run, "--as-of", "2026-11-24")["scenarios"]
    assert {e["id"] for e in entries} == {"baku-minsk", "belarus-orientation"}
    assert sum(len(e["indicators"]) for e in entries) >= 6
    for entry in entries:
        assert entry["inconsistency"] is None
        assert sum(entry["weights"].values()) == pytest.approx(1.0, abs=1e-3)
        assert all(i["why"] and i["title"] for i in entry["indicators"])
        assert all(0.0 < p < 1.0 for i in entry["indicators"] for p in i["likelihood"].values())
    # Per-outcome likelihoods where a partly outcome said something the analysts meant (docs/scenarios.md)
    moved_by_partly = [s for e in entries for s in e["history"] if s["outcome"] == "partly" and s["shift"] > 0]
    assert len(moved_by_partly) >= 4 and not any(s["note"] for s in moved_by_partly)
