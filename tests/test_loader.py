"""The loader: every problem in every file, each at its file and line, the offending entry shown."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tracker.load.loader import load_files, load_workspace

GOOD_HEAD = """\
sources:
  - {id: src, title: A source, published: 2024-05-20}
actors:
  - {id: speaker, name: A Speaker, role: official, country: BY}
metrics:
  - {id: trade, name: Trade, unit: USD million, period: year}
"""


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(root: Path) -> list[str]:
    return [str(p) for p in load_workspace(root).problems]


def test_valid_workspace_counts_what_it_read(tmp_path: Path) -> None:
    write(tmp_path, "forecasts/a.yaml", GOOD_HEAD + """\
propositions:
  - id: p1
    kind: event
    title: Something happens
    quote: it will happen
    source: src
    stated_by: speaker
    stated_on: 2024-05-20
    deadline: 2025-12-31
    observations:
      - {as_of: 2025-03-01, value: no, source: src}
""")
    result = load_workspace(tmp_path)
    assert not result.problems, result.problems
    assert result.workspace.counts() == {"sources": 1, "actors": 1, "metrics": 1, "propositions": 1, "scenario sets": 0}
    # `value: no` is the word, not YAML 1.1's boolean false
    assert result.workspace.observations[0].value == "no"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("  - id: p1\n    kind: target\n    title: T\n    quote: q\n    source: src\n    stated_by: speaker\n    stated_on: 2024-05-20\n"
         "    deadline: 2025-12-31\n    metric: trade\n    baseline: {value: 450, as_of: 2023}\n    target: {op: '>=', value: 450}\n",
         "a.yaml:8: proposition 'p1': target 450 equals the baseline; a target must differ from it"),
        ("  - id: p1\n    kind: event\n    title: T\n    quote: q\n    source: nowhere\n    stated_by: speaker\n    stated_on: 2024-05-20\n    deadline: 2025-12-31\n",
         "a.yaml:12: unknown source 'nowhere'"),
        ("  - id: p1\n    kind: event\n    title: T\n    quote: q\n    source: src\n    stated_by: nobody\n    stated_on: 2024-05-20\n    deadline: 2025-12-31\n",
         "a.yaml:13: unknown actor 'nobody' in stated_by"),
        ("  - id: p1\n    kind: event\n    title: T\n    quote: q\n    source: src\n    stated_by: speaker\n    stated_on: 2024-05-20\n    deadline: 2024-13-01\n",
         "a.yaml:15: proposition 'p1': deadline: Input should be a valid date or datetime, month value is outside expected range of 1-12"),
        ("  - id: p1\n    kind: target\n    title: T\n    quote: q\n    source: src\n    stated_by: speaker\n    stated_on: 2024-05-20\n"
         "    deadline: 2025-12-31\n    metric: trade\n    baseline: {value: 450, as_of: 2023-Q4}\n    target: {op: '>=', value: 1000}\n",
         "a.yaml:17: baseline as_of 2023-Q4 is a quarter, but metric 'trade' is by year"),
        ("  - id: p1\n    kind: target\n    title: T\n    quote: q\n    source: src\n    stated_by: speaker\n    stated_on: 2024-05-20\n"
         "    deadline: 2025-12-31\n    metric: trade\n    baseline: {value: .nan, as_of: 2023}\n    target: {op: '>=', value: 1000}\n",
         "a.yaml:17: proposition 'p1': baseline.value: must be a finite number"),
        ("  - id: p1\n    kind: event\n    title: T\n    qoute: q\n    source: src\n    stated_by: speaker\n    stated_on: 2024-05-20\n    deadline: 2025-12-31\n",
         "a.yaml:8: proposition 'p1': quote: required field is missing\n"
         "a.yaml:11: proposition 'p1': qoute: unknown field; did you mean 'quote'?"),
        ("  - id: p1\n    kind: event\n    title: T\n    quote: q\n    source: src\n    stated_by: speaker\n    stated_on: 2024-05-20\n    deadline: 2025-12-31\n"
         "    observations:\n      - {as_of: 2025-03-01, value: maybe, source: src}\n",
         "a.yaml:17: proposition 'p1': observations.0.value: Input should be a valid number, unable to parse string as a number or Input should be 'yes', 'partly' or 'no'"),
    ],
    ids=["target-equals-baseline", "unknown-source", "unknown-actor", "impossible-date", "period-mismatch", "nan", "typo", "event-value"],
)
def test_each_problem_at_its_line(tmp_path: Path, body: str, expected: str) -> None:
    write(tmp_path, "forecasts/a.yaml", GOOD_HEAD + "propositions:\n" + body)
    assert [p.removeprefix("forecasts/") for p in problems_of(tmp_path)] == expected.split("\n")


def test_every_file_reports_its_own_problems(tmp_path: Path) -> None:
    write(tmp_path, "forecasts/a.yaml", GOOD_HEAD)
    write(tmp_path, "forecasts/b.yaml", "sources:\n\t- id: x\n")
    (tmp_path / "forecasts/c.yaml").write_bytes(b"actors:\n  - {id: x, name: \xff\xfe, role: official}\n")
    write(tmp_path, "forecasts/d.yaml", "- just\n- a list\n")
    write(tmp_path, "forecasts/e.yaml", "actors:\n  - {id: speaker, name: Again, role: official}\n")
    write(tmp_path, "scenarios/s.yaml", """\
        id: set
        title: A set
        scenarios:
          - {id: a, title: A, prior: 0.5}
          - {id: b, title: B, prior: 0.4}
        """)
    assert problems_of(tmp_path) == [
        "forecasts/b.yaml:2: YAML syntax error: a tab character: YAML indents with spaces only",
        "forecasts/c.yaml:2: not UTF-8: byte 0xff cannot be decoded; save the file as UTF-8",
        "forecasts/d.yaml:1: expected a mapping of sections at the top, got a list",
        "scenarios/s.yaml:3: scenario set 'set': scenarios: priors sum to 0.9, not 1 (within 1e-6)",
        "forecasts/e.yaml:2: duplicate id 'speaker': already defined at forecasts/a.yaml:4",
    ]


def test_problem_carries_the_offending_entry(tmp_path: Path) -> None:
    write(tmp_path, "forecasts/a.yaml", "actors:\n  - id: x\n    name: X\n    role: king\n")
    [problem] = load_workspace(tmp_path).problems
    assert str(problem) == "forecasts/a.yaml:4: actor 'x': role: Input should be 'official', 'analyst' or 'organisation'"
    assert problem.entry == "  - id: x\n    name: X\n    role: king"


def test_scenario_likelihoods_are_checked_against_the_set(tmp_path: Path) -> None:
    write(tmp_path, "forecasts/a.yaml", GOOD_HEAD)
    write(tmp_path, "scenarios/s.yaml", """\
        id: set
        title: A set
        scenarios:
          - {id: a, title: A, prior: 0.5}
          - {id: b, title: B, prior: 0.5}
        indicators:
          - proposition: nothing
            likelihood: {a: 0.5, c: 0.2}
        """)
    assert problems_of(tmp_path) == [
        "scenarios/s.yaml:7: unknown proposition 'nothing'",
        "scenarios/s.yaml:8: unknown scenario 'c' in likelihood",
        "scenarios/s.yaml:8: no likelihood for scenario 'b'",
    ]


def test_duplicate_key_and_unknown_section(tmp_path: Path) -> None:
    write(tmp_path, "forecasts/a.yaml", "sources:\n  - {id: a, title: A, title: B, published: 2024-01-01}\nprophecies: []\n")
    assert problems_of(tmp_path) == [
        "forecasts/a.yaml:2: key 'title' appears twice in one mapping",
        "forecasts/a.yaml:3: unknown section 'prophecies' (known: sources, actors, metrics, propositions, observations, forecasts, rulings, draft)",
    ]


def test_draft_files_are_checked_but_not_tracked(tmp_path: Path) -> None:
    write(tmp_path, "forecasts/a.yaml", GOOD_HEAD)
    write(tmp_path, "forecasts/draft.yaml", "draft: true\nactors:\n  - {id: someone, name: S, role: analyst}\n")
    result = load_workspace(tmp_path)
    assert not result.problems
    assert [str(w) for w in result.warnings] == ["forecasts/draft.yaml:1: draft: not tracked until `draft: true` is removed"]
    assert "someone" not in result.workspace.actors


def test_empty_file_is_fine_and_load_files_takes_explicit_paths(tmp_path: Path) -> None:
    empty = write(tmp_path, "x/empty.yaml", "")
    result = load_files([empty])
    assert not result.problems and result.workspace.counts()["propositions"] == 0


def test_quotes_are_checked_against_the_source_text(tmp_path: Path) -> None:
    write(tmp_path, "tracker.yaml", "sources: [texts]\n")
    write(tmp_path, "texts/article.txt", "The president said trade\nwill reach $1 billion within a year and a half.\n")
    write(tmp_path, "forecasts/a.yaml", """\
        sources:
          - {id: src, title: A, published: 2024-05-20, file: article.txt}
          - {id: elsewhere, title: B, published: 2024-05-20, file: missing.txt}
        actors:
          - {id: speaker, name: S, role: official}
        propositions:
          - {id: ok, kind: event, title: T, quote: "trade will reach...within a year", source: src,
             stated_by: speaker, stated_on: 2024-05-20, deadline: 2025-12-31}
          - {id: wrong, kind: event, title: T, quote: "trade will reach $2 billion", source: src,
             stated_by: speaker, stated_on: 2024-05-20, deadline: 2025-12-31}
          - {id: unchecked, kind: event, title: T, quote: "anything", source: elsewhere,
             stated_by: speaker, stated_on: 2024-05-20, deadline: 2025-12-31}
        """)
    result = load_workspace(tmp_path)
    assert [str(p) for p in result.problems] == ["forecasts/a.yaml:9: quote is not verbatim: 'trade will reach $2 billion' is not in article.txt"]
    assert [str(w).split(" in ")[0] for w in result.unchecked] == ["source file 'missing.txt' not found"]


def test_bad_settings_are_reported_at_their_line(tmp_path: Path) -> None:
    write(tmp_path, "tracker.yaml", "sources: []\nmin_grade: G7\n")
    assert problems_of(tmp_path) == ["tracker.yaml:2: min_grade: grade 'G7' is not an Admiralty code like B2 (A-F then 1-6)"]


# --- figures as published, growth targets, per-outcome likelihoods -----------------------------------


def test_figures_as_published_become_records_in_the_metric_unit(tmp_path: Path) -> None:
    write(tmp_path, "forecasts/a.yaml", """\
        sources:
          - {id: src, title: A source, published: 2025-10-01}
        actors:
          - {id: speaker, name: A Speaker, role: official}
        metrics:
          - id: trade
            name: Trade
            unit: USD million
            period: year
            aggregate: sum
            observations:
              - {as_of: 2023, value: ">400", source: src}
              - {as_of: 2024, value: 1.5, unit: USD billion, source: src}
              - {as_of: 2025, through: 2025-08, value: "274", source: src}
              - {as_of: 2022, value: 1 500, source: src}
        propositions:
          - id: grows
            kind: target
            title: Trade keeps growing
            quote: q
            source: src
            stated_by: speaker
            stated_on: 2024-05-16
            deadline: 2025-12-31
            metric: trade
            baseline: {value: 450, as_of: 2023}
            target: {op: ">", change: 0}
            forecasts:
              - {by: someone, probability: 0.4, on: 2024-06-01, source: src}
        """)
    result = load_workspace(tmp_path)
    assert not result.problems, result.problems
    bound, converted, partial, spaced = result.workspace.observations
    assert (bound.value, bound.bound.text, bound.written) == (400.0, ">400", ">400")
    assert (converted.value, converted.bound, converted.written) == (1500.0, None, "1.5 USD billion")
    assert (partial.value, partial.through.label, partial.covers.end.isoformat(), partial.written) == (274.0, "2025-08", "2025-08-31", None)
    assert (spaced.value, spaced.written) == (1500.0, "1 500")
    proposition = result.workspace.propositions["grows"]
    assert (proposition.target_value, proposition.keeps_level) == (450.0, True)
    [forecast] = result.workspace.forecasts
    assert (forecast.made_on.isoformat(), forecast.recorded_at.date().isoformat()) == ("2024-06-01", "2025-10-01")


def test_a_stored_copy_validates_back_to_the_same_definitions(tmp_path: Path) -> None:
    from tracker.core.models import Metric, ScenarioSet

    metric = Metric.model_validate({"id": "m", "name": "M", "unit": "tonne", "period": "year", "aggregate": "sum",
                                    "observations": [{"as_of": 2023, "value": "400..500", "source": "s", "unit": "thousand tonne"}]})
    again = Metric.model_validate_json(metric.model_dump_json())
    assert again == metric and again.observations[0].reading.bound.text == "400..500"
    scenario_set = ScenarioSet.model_validate({"id": "s", "title": "S", "scenarios": [{"id": "a", "title": "A", "prior": 0.5},
                                               {"id": "b", "title": "B", "prior": 0.5}],
                                               "indicators": [{"proposition": "p", "likelihood": {"a": {"yes": 0.5, "partly": 0.3, "no": 0.2}, "b": 0.1}}]})
    assert ScenarioSet.model_validate_json(scenario_set.model_dump_json()) == scenario_set


BLOCK_METRIC = """\
  - id: oil
    name: Oil supplies
    unit: tonne
    period: quarter
    observations:
      - as_of: 2021-Q1
        value: 360.1
        unit: thousand barrels of joy
        source: src
      - as_of: 2021-Q2
        through: 2021-04
        value: 12
        source: src
"""


def test_new_fields_are_reported_at_their_own_lines(tmp_path: Path) -> None:
    write(tmp_path, "forecasts/a.yaml", GOOD_HEAD + BLOCK_METRIC + """\
propositions:
  - id: p1
    kind: target
    title: T
    quote: q
    source: src
    stated_by: speaker
    stated_on: 2024-05-20
    deadline: 2025-12-31
    metric: trade
    baseline: {value: 450, as_of: 2023}
    target:
      op: ">="
      value: 500
      change: 0.1
""")
    write(tmp_path, "scenarios/s.yaml", """\
        id: set
        title: A set
        scenarios:
          - {id: a, title: A, prior: 0.5}
          - {id: b, title: B, prior: 0.5}
        indicators:
          - proposition: p1
            likelihood:
              a: 0.3
              b:
                yes: 0.5
                partly: 0.3
                no: 0.3
        """)
    assert problems_of(tmp_path) == [
        "forecasts/a.yaml:34: proposition 'p1': target.change: give value or change, not both (change is relative to the baseline: 0.25 for +25%)",
        "scenarios/s.yaml:10: scenario set 'set': indicators.0.likelihood.b: yes, partly and no sum to 1.1, not 1 (within 1e-6)",
        "forecasts/a.yaml:14: unit: thousand barrels of joy does not convert into tonne: 'barrels of joy' is not a unit tracker knows, "
        "so only tonne or its scaled forms (thousand, million, billion) fit",
        "forecasts/a.yaml:17: through: metric 'oil' does not say `aggregate: sum`, so a figure for part of a period cannot stand "
        "for the whole; add `aggregate: sum` to the metric if its period's figure is the total of its parts",
    ]


# --- YAML: libyaml composes, PyYAML reports -------------------------------------------------------

DEFINITIONS = b"""\
metrics:
  - id: m
    name: M
    unit: t
    period: year
propositions:
  - id: e
    kind: event
    title: "E: yes or no"
    quote: q
    flag: yes
    other: on
    truth: true
    when: 2025-01-01
    list: [1, {a: no}]
"""


def test_libyaml_and_pyyaml_read_a_file_alike(monkeypatch):
    from tracker.load import yamlfile

    fast, problems = yamlfile.parse(DEFINITIONS, "f.yaml")
    monkeypatch.setattr(yamlfile, "_CLoader", None)
    slow, slow_problems = yamlfile.parse(DEFINITIONS, "f.yaml")
    assert problems == slow_problems == []
    assert fast is not None and slow is not None
    assert (fast.data, fast.lines) == (slow.data, slow.lines)
    entry = fast.data["propositions"][0]
    assert (entry["flag"], entry["other"], entry["truth"], entry["list"]) == ("yes", "on", True, [1, {"a": "no"}])


def test_deep_nesting_is_refused_without_crashing():
    """libyaml's composer recurses in C: a file nested 200,000 levels deep must not reach it."""
    from tracker.load.yamlfile import parse

    document, problems = parse(b"[" * 200_000 + b"]" * 200_000, "deep.yaml")
    assert document is None
    assert [p.message for p in problems] == ["nested more than 64 levels deep; definitions need only a few"]
