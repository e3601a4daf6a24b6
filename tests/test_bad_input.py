"""The bad-input corpus: every case exits 2, says exactly what is wrong, and changes nothing.

Each case starts from the same state: the `sample` workspace (metric `by-az-trade` by year,
target `by-az-trade-1bn`, event `fertilizer-jv`) synced into a database that already holds an
observation, a forecast and a ruling logged by hand. The case writes its bad input (a
definition file, an import file) into the workspace, or passes a bad value on the command line,
and runs the real CLI from the workspace folder. It must:

- exit with code 2 and print nothing on standard output;
- print on standard error exactly the expected lines: one per problem naming the file and line
  (or the argument), plus, for an import, one summary line;
- show no traceback;
- leave the database exactly as it was: every table, row for row, and `tracker export`.

The prepared database is built once per backend and copied for each case (a SQLite backup, or a
PostgreSQL database cloned from a template), so the corpus runs on both backends in seconds.
"""

from __future__ import annotations

import shutil
import sqlite3
import textwrap
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, literal_column, select, table
from typer.testing import CliRunner

from tests.conftest import SAMPLE, Run, _admin, _database_url
from tracker.load.rows import MAX_LINE

SCENARIOS = """\
id: baku-minsk
title: Where relations go
scenarios:
  - {id: deepening, title: Deepening, prior: 0.6}
  - {id: stagnation, title: Stagnation, prior: 0.4}
indicators:
  - proposition: by-az-trade-1bn
    likelihood: {deepening: 0.6, stagnation: 0.15}
"""


@dataclass(frozen=True)
class Bad:
    """One bad input: files written into the workspace, the command line, and stderr exactly."""

    args: tuple[str, ...]
    lines: tuple[str, ...]
    files: dict[str, str | bytes] = field(default_factory=dict)


def definition(text: str | bytes, *lines: str, name: str = "forecasts/bad.yaml") -> Bad:
    """A bad definition file next to the sample's; `tracker list` syncs and must refuse it."""
    return Bad(("list",), lines, {name: text})


def scenario(text: str, *lines: str) -> Bad:
    return definition(text, *lines, name="scenarios/bad.yaml")


def rows(text: str | bytes, *lines: str, name: str = "rows.csv", options: tuple[str, ...] = ()) -> Bad:
    """A bad import file; the last expected line is the summary `FILE: N row(s) bad; nothing was imported`."""
    return Bad(("import", name, *options), lines, {name: text})


def command(*args: str, line: str) -> Bad:
    return Bad(tuple(args), (line,))


def summary(count: int = 1, name: str = "rows.csv") -> str:
    rows_are = "row is" if count == 1 else "rows are"
    return f"{name}: {count} {rows_are} bad; nothing was imported"


SOURCE_LINE = "  - {id: s2, title: Second source, published: 2024-06-01}\n"

DEFINITIONS: dict[str, Bad] = {
    # --- YAML itself ---------------------------------------------------------------------------
    "yaml-unclosed-bracket": definition(
        "sources: [\n  {id: s2, title: T, published: 2024-06-01}\n",
        "forecasts/bad.yaml:3: YAML syntax error: expected ',' or ']', but got '<stream end>' (while parsing a flow sequence)"),
    "yaml-tab-indent": definition(
        "sources:\n\t- {id: s2, title: T, published: 2024-06-01}\n",
        "forecasts/bad.yaml:2: YAML syntax error: a tab character: YAML indents with spaces only"),
    "yaml-mapping-in-scalar": definition(
        "sources: a: b\n",
        "forecasts/bad.yaml:1: YAML syntax error: mapping values are not allowed here"),
    "yaml-bad-indent": definition(
        "sources:\n  - id: s2\n   title: T\n",
        "forecasts/bad.yaml:3: YAML syntax error: expected <block end>, but found '<block mapping start>' (while parsing a block collection)"),
    "yaml-unclosed-quote": definition(
        'sources:\n  - {id: s2, title: "T, published: 2024-06-01}\n',
        "forecasts/bad.yaml:3: YAML syntax error: found unexpected end of stream (while scanning a quoted scalar)"),
    "yaml-two-documents": definition(
        "sources: []\n---\nactors: []\n",
        "forecasts/bad.yaml:2: YAML syntax error: but found another document (expected a single document in the stream)"),
    "yaml-duplicate-key": definition(
        "sources:\n  - id: s2\n    title: T\n    title: U\n    published: 2024-06-01\n",
        "forecasts/bad.yaml:4: key 'title' appears twice in one mapping"),
    "yaml-key-not-text": definition(
        "sources:\n  - {[a, b]: 1, id: s2, title: T, published: 2024-06-01}\n",
        "forecasts/bad.yaml:2: a key must be text, got ['a', 'b']"),
    "yaml-undefined-alias": definition(
        "sources: *nothing\n",
        "forecasts/bad.yaml:1: YAML syntax error: found undefined alias 'nothing'"),
    "yaml-recursive-alias": definition(
        "sources:\n  - &a [*a]\n",
        "forecasts/bad.yaml:2: an alias refers to the anchor that contains it (a cycle); remove the alias"),
    "yaml-alias-bomb": definition(
        "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 9))
        + "sources: *a8\n",
        "forecasts/bad.yaml:5: aliases expand to far more values than the file holds; write the entries out"),
    "yaml-deep-nesting": definition(
        "sources: " + "[" * 1000 + "]" * 1000 + "\n",
        "forecasts/bad.yaml:1: nested more than 64 levels deep; definitions need only a few"),
    "yaml-nesting-past-the-limit": definition(
        "sources:\n" + "".join("  " * depth + "- \n" for depth in range(1, 70)),
        "forecasts/bad.yaml:66: nested more than 64 levels deep; definitions need only a few"),
    "yaml-control-character": definition(
        "sources:\n  - {id: s2, title: \"T\x01\", published: 2024-06-01}\n",
        "forecasts/bad.yaml:2: control character #x0001 is not allowed in YAML text; remove it"),
    "not-utf8": definition(
        "sources:\n  - {id: s2, title: Caf\xe9, published: 2024-06-01}\n".encode("latin-1"),
        "forecasts/bad.yaml:2: not UTF-8: byte 0xe9 cannot be decoded; save the file as UTF-8"),
    "utf16-file": definition(
        "sources: []\n".encode("utf-16"),
        "forecasts/bad.yaml:1: not UTF-8: byte 0xff cannot be decoded; save the file as UTF-8"),
    "binary-garbage": definition(
        bytes(range(256)) * 4,
        "forecasts/bad.yaml:2: not UTF-8: byte 0x80 cannot be decoded; save the file as UTF-8"),
    "binary-nul": definition(
        b"sources: []\n\x00\x00\x00\n",
        "forecasts/bad.yaml:2: binary data (a NUL byte): not a YAML text file"),
    "top-level-list": definition(
        "- id: s2\n  title: T\n",
        "forecasts/bad.yaml:1: expected a mapping of sections at the top, got a list"),
    "top-level-scalar": definition(
        "just some words\n",
        "forecasts/bad.yaml:1: expected a mapping of sections at the top, got a str"),
    "unknown-section": definition(
        "propositons: []\n",
        "forecasts/bad.yaml:1: unknown section 'propositons' (known: sources, actors, metrics, propositions, observations, forecasts, rulings, draft)"),
    "section-not-a-list": definition(
        "sources: huseynov-2024\n",
        "forecasts/bad.yaml:1: section 'sources' must be a list of entries"),
    "entry-not-a-mapping": definition(
        "sources:\n  - huseynov-2024\n",
        "forecasts/bad.yaml:2: sources: each entry must be a mapping, got str"),
    "huge-line": definition(
        "sources:\n  - {id: " + "x" * 300_000 + ", title: T, published: 2024-06-01}\n",
        "forecasts/bad.yaml:2: source 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…: id: String should have at most 200 characters"),
    # --- sources and actors ---------------------------------------------------------------------
    "source-missing-title": definition(
        "sources:\n  - {id: s2, published: 2024-06-01}\n",
        "forecasts/bad.yaml:2: source 's2': title: required field is missing"),
    "source-impossible-date": definition(
        "sources:\n  - {id: s2, title: T, published: 2024-13-01}\n",
        "forecasts/bad.yaml:2: source 's2': published: Input should be a valid date or datetime, month value is outside expected range of 1-12"),
    "source-february-30": definition(
        "sources:\n  - {id: s2, title: T, published: 2024-02-30}\n",
        "forecasts/bad.yaml:2: source 's2': published: Input should be a valid date or datetime, day value is outside expected range"),
    "source-date-as-number": definition(
        "sources:\n  - {id: s2, title: T, published: 0}\n",
        "forecasts/bad.yaml:2: source 's2': published: expected a date like 2024-05-16, got 0"),
    "source-year-only-date": definition(
        "sources:\n  - {id: s2, title: T, published: 2024}\n",
        "forecasts/bad.yaml:2: source 's2': published: expected a date like 2024-05-16, got 2024"),
    "source-title-a-list": definition(
        "sources:\n  - {id: s2, title: [a, b], published: 2024-06-01}\n",
        "forecasts/bad.yaml:2: source 's2': title: Input should be a valid string"),
    "source-empty-title": definition(
        "sources:\n  - {id: s2, title: '', published: 2024-06-01}\n",
        "forecasts/bad.yaml:2: source 's2': title: String should have at least 1 character"),
    "source-unknown-field": definition(
        "sources:\n  - {id: s2, title: T, published: 2024-06-01, publsher: X}\n",
        "forecasts/bad.yaml:2: source 's2': publsher: unknown field; did you mean 'publisher'?"),
    "id-with-capitals": definition(
        "sources:\n  - {id: Huseynov 2024, title: T, published: 2024-06-01}\n",
        "forecasts/bad.yaml:2: source 'Huseynov 2024': id: 'Huseynov 2024' is not an id: use lowercase letters, digits, '.', '_' and '-'"),
    "actor-bad-role": definition(
        "actors:\n  - {id: a2, name: A, role: president}\n",
        "forecasts/bad.yaml:2: actor 'a2': role: Input should be 'official', 'analyst' or 'organisation'"),
    "actor-bad-country": definition(
        "actors:\n  - {id: a2, name: A, role: official, country: belarus}\n",
        "forecasts/bad.yaml:2: actor 'a2': country: String should match pattern '^[A-Z]{2}$'"),
    "duplicate-id-across-files": definition(
        "sources:\n  - {id: huseynov-2024, title: Again, published: 2024-06-01}\n",
        "forecasts/sample.yaml:2: duplicate id 'huseynov-2024': already defined at forecasts/bad.yaml:2"),
    "duplicate-id-in-one-file": definition(
        "sources:\n" + SOURCE_LINE + SOURCE_LINE,
        "forecasts/bad.yaml:3: duplicate id 's2': already defined at forecasts/bad.yaml:2"),
    # --- metrics and observations -----------------------------------------------------------------
    "metric-bad-period": definition(
        "metrics:\n  - {id: m2, name: M, unit: t, period: week}\n",
        "forecasts/bad.yaml:2: metric 'm2': period: Input should be 'year', 'quarter', 'month' or 'day'"),
    "metric-observation-word": definition(
        "metrics:\n  - id: m2\n    name: M\n    unit: t\n    period: year\n    observations:\n      - {as_of: 2024, value: lots, source: huseynov-2024}\n",
        "forecasts/bad.yaml:7: metric 'm2': observations.0.value: Input should be a valid number, unable to parse string as a number or Input should be 'yes', 'partly' or 'no'"),
    "metric-observation-nan": definition(
        "observations:\n  - {target: by-az-trade, as_of: 2024, value: .nan, source: huseynov-2024}\n",
        "forecasts/bad.yaml:2: observation 'by-az-trade': value: must be a finite number or Input should be 'yes', 'partly' or 'no'"),
    "metric-observation-inf": definition(
        "observations:\n  - {target: by-az-trade, as_of: 2024, value: 1e999, source: huseynov-2024}\n",
        "forecasts/bad.yaml:2: observation 'by-az-trade': value: must be a finite number or Input should be 'yes', 'partly' or 'no'"),
    "metric-observation-true": definition(
        "observations:\n  - {target: by-az-trade, as_of: 2024, value: true, source: huseynov-2024}\n",
        "forecasts/bad.yaml:2: observation 'by-az-trade': value: expected a number, got true or Input should be 'yes', 'partly' or 'no'"),
    "observation-impossible-period": definition(
        "observations:\n  - {target: by-az-trade, as_of: 2024-13, value: 3, source: huseynov-2024}\n",
        "forecasts/bad.yaml:2: observation 'by-az-trade': as_of: impossible date in '2024-13': month must be in 1..12"),
    "observation-impossible-date": definition(
        "observations:\n  - {target: fertilizer-jv, as_of: 2024-13-01, value: 'no', source: huseynov-2024}\n",
        "forecasts/bad.yaml:2: observation 'fertilizer-jv': as_of: impossible date in '2024-13-01': month must be in 1..12"),
    "observation-period-mismatch": definition(
        "observations:\n  - {target: by-az-trade, as_of: 2024-05, value: 3, source: huseynov-2024}\n",
        "forecasts/bad.yaml:2: as_of 2024-05 is a month, but the metric's period is year"),
    "observation-unknown-target": definition(
        "observations:\n  - {target: no-such-metric, as_of: 2024, value: 3, source: huseynov-2024}\n",
        "forecasts/bad.yaml:2: unknown target 'no-such-metric': name a metric or an event proposition"),
    "observation-unknown-source": definition(
        "observations:\n  - {target: by-az-trade, as_of: 2024, value: 3, source: no-such-source}\n",
        "forecasts/bad.yaml:2: unknown source 'no-such-source'"),
    "observation-bad-grade": definition(
        "observations:\n  - {target: by-az-trade, as_of: 2024, value: 3, source: huseynov-2024, grade: Z9}\n",
        "forecasts/bad.yaml:2: observation 'by-az-trade': grade: grade 'Z9' is not an Admiralty code like B2 (A-F then 1-6)"),
    "observation-missing-value": definition(
        "observations:\n  - {target: by-az-trade, as_of: 2024, source: huseynov-2024}\n",
        "forecasts/bad.yaml:2: observation 'by-az-trade': value: required field is missing"),
    "event-observation-bad-word": definition(
        "observations:\n  - {target: fertilizer-jv, as_of: 2025-10-28, value: maybe, source: huseynov-2024}\n",
        "forecasts/bad.yaml:2: observation 'fertilizer-jv': value: Input should be a valid number, unable to parse string as a number or Input should be 'yes', 'partly' or 'no'"),
    # --- figures as published: units, numbers, bounds, partial periods ------------------------------
    "observation-unknown-unit": definition(
        "metrics:\n  - {id: m2, name: M, unit: tonne, period: year}\n"
        "observations:\n  - {target: m2, as_of: 2024, value: 3, unit: widgets, source: huseynov-2024}\n",
        "forecasts/bad.yaml:4: unit: widgets does not convert into tonne: 'widgets' is not a unit tracker knows, "
        "so only tonne or its scaled forms (thousand, million, billion) fit"),
    "observation-currency-mismatch": definition(
        "observations:\n  - {target: by-az-trade, as_of: 2024, value: 3, unit: EUR million, source: huseynov-2024}\n",
        "forecasts/bad.yaml:2: unit: EUR million does not convert into USD million: currencies never convert into each other; "
        "give the value in USD million"),
    "observation-ambiguous-number": definition(
        "observations:\n  - target: by-az-trade\n    as_of: 2024\n    value: 1,5\n    source: huseynov-2024\n",
        "forecasts/bad.yaml:4: observation 'by-az-trade': value: 1,5 is ambiguous: 1.5 or 15? write 1.5 (decimal point) or 15"),
    "observation-malformed-bound": definition(
        "observations:\n  - {target: by-az-trade, as_of: 2024, value: '>>400', source: huseynov-2024}\n",
        "forecasts/bad.yaml:2: observation 'by-az-trade': value: >>400 is not a number or a bound: "
        "write 400, >400, >=400, <500, <=500 or a range 400..500"),
    "observation-through-outside-as-of": definition(
        "metrics:\n  - id: m2\n    name: M\n    unit: tonne\n    period: year\n    aggregate: sum\n    observations:\n"
        "      - as_of: 2024\n        through: 2025-03\n        value: 3\n        source: huseynov-2024\n",
        "forecasts/bad.yaml:9: metric 'm2': observations.0.through: through 2025-03 lies outside as_of 2024: "
        "a partial figure covers the start of its period, from 2024-01-01 to the end of through"),
    "observation-through-whole-period": definition(
        "metrics:\n  - id: m2\n    name: M\n    unit: tonne\n    period: quarter\n    aggregate: sum\n    observations:\n"
        "      - {as_of: 2021-Q1, through: 2021-03, value: 3, source: huseynov-2024}\n",
        "forecasts/bad.yaml:8: metric 'm2': observations.0.through: through 2021-03 reaches the end of as_of 2021-Q1: "
        "that is the whole period's figure; leave out through"),
    "observation-through-without-aggregate": definition(
        "observations:\n  - {target: by-az-trade, as_of: 2025, through: 2025-08, value: 274, source: huseynov-2024}\n",
        "forecasts/bad.yaml:2: through: metric 'by-az-trade' does not say `aggregate: sum`, so a figure for part of a period "
        "cannot stand for the whole; add `aggregate: sum` to the metric if its period's figure is the total of its parts"),
    "target-change-with-value": definition(
        "propositions:\n  - {id: p2, kind: target, title: T, quote: q, source: huseynov-2024, stated_by: lukashenka,"
        " stated_on: 2024-05-16, deadline: 2025-12-31, metric: by-az-trade, baseline: {value: 450, as_of: 2023},"
        " target: {op: '>=', value: 1000, change: 0.25}}\n",
        "forecasts/bad.yaml:2: proposition 'p2': target.change: give value or change, not both "
        "(change is relative to the baseline: 0.25 for +25%)"),
    "target-equal-to-baseline-with-greater-or-equal": definition(
        "propositions:\n  - {id: p2, kind: target, title: T, quote: q, source: huseynov-2024, stated_by: lukashenka,"
        " stated_on: 2024-05-16, deadline: 2025-12-31, metric: by-az-trade, baseline: {value: 450, as_of: 2023},"
        " target: {op: '>=', change: 0}}\n",
        "forecasts/bad.yaml:2: proposition 'p2': change 0 makes the target equal the baseline (450); with >= that is "
        "already met: use > for 'keeps growing' or < for 'keeps falling'"),
    # --- propositions -------------------------------------------------------------------------------
    "proposition-missing-kind": definition(
        "propositions:\n  - id: p2\n    title: T\n    quote: q\n    source: huseynov-2024\n    stated_by: lukashenka\n"
        "    stated_on: 2024-05-16\n    deadline: 2025-12-31\n",
        "forecasts/bad.yaml:2: proposition 'p2': kind: required field is missing"),
    "proposition-bad-kind": definition(
        "propositions:\n  - {id: p2, kind: promise, title: T, quote: q, source: huseynov-2024, stated_by: lukashenka,"
        " stated_on: 2024-05-16, deadline: 2025-12-31}\n",
        "forecasts/bad.yaml:2: proposition 'p2': kind: Input should be 'target' or 'event'"),
    "target-without-metric": definition(
        "propositions:\n  - {id: p2, kind: target, title: T, quote: q, source: huseynov-2024, stated_by: lukashenka,"
        " stated_on: 2024-05-16, deadline: 2025-12-31}\n",
        "forecasts/bad.yaml:2: proposition 'p2': a target proposition needs metric, baseline, target"),
    "target-equals-baseline": definition(
        "propositions:\n  - {id: p2, kind: target, title: T, quote: q, source: huseynov-2024, stated_by: lukashenka,"
        " stated_on: 2024-05-16, deadline: 2025-12-31, metric: by-az-trade, baseline: {value: 450, as_of: 2023},"
        " target: {op: '>=', value: 450}}\n",
        "forecasts/bad.yaml:2: proposition 'p2': target 450 equals the baseline; a target must differ from it"),
    "target-bad-operator": definition(
        "propositions:\n  - {id: p2, kind: target, title: T, quote: q, source: huseynov-2024, stated_by: lukashenka,"
        " stated_on: 2024-05-16, deadline: 2025-12-31, metric: by-az-trade, baseline: {value: 450, as_of: 2023},"
        " target: {op: '=>', value: 1000}}\n",
        "forecasts/bad.yaml:2: proposition 'p2': target.op: Input should be '>=', '<=', '>', '<' or '=='"),
    "target-nan-value": definition(
        "propositions:\n  - {id: p2, kind: target, title: T, quote: q, source: huseynov-2024, stated_by: lukashenka,"
        " stated_on: 2024-05-16, deadline: 2025-12-31, metric: by-az-trade, baseline: {value: 450, as_of: 2023},"
        " target: {op: '>=', value: .nan}}\n",
        "forecasts/bad.yaml:2: proposition 'p2': target.value: must be a finite number"),
    "baseline-period-mismatch": definition(
        "propositions:\n  - {id: p2, kind: target, title: T, quote: q, source: huseynov-2024, stated_by: lukashenka,"
        " stated_on: 2024-05-16, deadline: 2025-12-31, metric: by-az-trade, baseline: {value: 450, as_of: 2023-Q4},"
        " target: {op: '>=', value: 1000}}\n",
        "forecasts/bad.yaml:2: baseline as_of 2023-Q4 is a quarter, but metric 'by-az-trade' is by year"),
    "target-unknown-metric": definition(
        "propositions:\n  - {id: p2, kind: target, title: T, quote: q, source: huseynov-2024, stated_by: lukashenka,"
        " stated_on: 2024-05-16, deadline: 2025-12-31, metric: no-such-metric, baseline: {value: 450, as_of: 2023},"
        " target: {op: '>=', value: 1000}}\n",
        "forecasts/bad.yaml:2: unknown metric 'no-such-metric'"),
    "event-with-target": definition(
        "propositions:\n  - {id: p2, kind: event, title: T, quote: q, source: huseynov-2024, stated_by: lukashenka,"
        " stated_on: 2024-05-16, deadline: 2025-12-31, target: {op: '>=', value: 1000}}\n",
        "forecasts/bad.yaml:2: proposition 'p2': an event proposition has no target (use kind: target)"),
    "deadline-before-statement": definition(
        "propositions:\n  - {id: p2, kind: event, title: T, quote: q, source: huseynov-2024, stated_by: lukashenka,"
        " stated_on: 2024-05-16, deadline: 2023-12-31}\n",
        "forecasts/bad.yaml:2: proposition 'p2': deadline 2023-12-31 is before stated_on 2024-05-16"),
    "deadline-impossible": definition(
        "propositions:\n  - {id: p2, kind: event, title: T, quote: q, source: huseynov-2024, stated_by: lukashenka,"
        " stated_on: 2024-05-16, deadline: 2025-02-29}\n",
        "forecasts/bad.yaml:2: proposition 'p2': deadline: Input should be a valid date or datetime, day value is outside expected range"),
    "proposition-unknown-actor": definition(
        "propositions:\n  - {id: p2, kind: event, title: T, quote: q, source: huseynov-2024, stated_by: nobody,"
        " stated_on: 2024-05-16, deadline: 2025-12-31}\n",
        "forecasts/bad.yaml:2: unknown actor 'nobody' in stated_by"),
    "proposition-unknown-source": definition(
        "propositions:\n  - {id: p2, kind: event, title: T, quote: q, source: nowhere, stated_by: lukashenka,"
        " stated_on: 2024-05-16, deadline: 2025-12-31}\n",
        "forecasts/bad.yaml:2: unknown source 'nowhere'"),
    "proposition-typo-field": definition(
        "propositions:\n  - {id: p2, kind: event, title: T, quote: q, source: huseynov-2024, stated_by: lukashenka,"
        " stated_on: 2024-05-16, deadlin: 2025-12-31}\n",
        "forecasts/bad.yaml:2: proposition 'p2': deadline: required field is missing", "forecasts/bad.yaml:2: proposition 'p2': deadlin: unknown field; did you mean 'deadline'?"),
    "proposition-tags-not-a-list": definition(
        "propositions:\n  - {id: p2, kind: event, title: T, quote: q, source: huseynov-2024, stated_by: lukashenka,"
        " stated_on: 2024-05-16, deadline: 2025-12-31, tags: trade}\n",
        "forecasts/bad.yaml:2: proposition 'p2': tags: Input should be a valid list"),
    "proposition-partial-out-of-range": definition(
        "propositions:\n  - {id: p2, kind: event, title: T, quote: q, source: huseynov-2024, stated_by: lukashenka,"
        " stated_on: 2024-05-16, deadline: 2025-12-31, partial: 1.5}\n",
        "forecasts/bad.yaml:2: proposition 'p2': partial: Input should be less than or equal to 1"),
    "proposition-id-clashes-with-metric": definition(
        "propositions:\n  - {id: by-az-trade, kind: event, title: T, quote: q, source: huseynov-2024, stated_by: lukashenka,"
        " stated_on: 2024-05-16, deadline: 2025-12-31}\n",
        "forecasts/sample.yaml:14: duplicate id 'by-az-trade': already defined at forecasts/bad.yaml:2"),
    # --- forecasts and rulings in files -------------------------------------------------------------------
    "file-forecast-probability-above-one": definition(
        "forecasts:\n  - {proposition: fertilizer-jv, by: analyst-a, probability: 1.5, on: 2024-06-06}\n",
        "forecasts/bad.yaml:2: forecast 'fertilizer-jv': probability: Input should be less than or equal to 1"),
    "file-forecast-probability-negative": definition(
        "forecasts:\n  - {proposition: fertilizer-jv, by: analyst-a, probability: -0.1, on: 2024-06-06}\n",
        "forecasts/bad.yaml:2: forecast 'fertilizer-jv': probability: Input should be greater than or equal to 0"),
    "file-forecast-probability-nan": definition(
        "forecasts:\n  - {proposition: fertilizer-jv, by: analyst-a, probability: .nan, on: 2024-06-06}\n",
        "forecasts/bad.yaml:2: forecast 'fertilizer-jv': probability: Input should be greater than or equal to 0"),
    "forecast-probability-percent-text": definition(
        "forecasts:\n  - {proposition: fertilizer-jv, by: analyst-a, probability: 30%, on: 2024-06-06}\n",
        "forecasts/bad.yaml:2: forecast 'fertilizer-jv': probability: Input should be a valid number, unable to parse string as a number"),
    "forecast-unknown-proposition": definition(
        "forecasts:\n  - {proposition: no-such-thing, by: analyst-a, probability: 0.3, on: 2024-06-06}\n",
        "forecasts/bad.yaml:2: unknown proposition 'no-such-thing'"),
    "ruling-bad-status": definition(
        "rulings:\n  - {proposition: fertilizer-jv, status: done, why: built, on: 2026-01-15}\n",
        "forecasts/bad.yaml:2: ruling 'fertilizer-jv': status: Input should be 'materialised', 'partly', 'not_materialised' or 'annulled'"),
    "ruling-missing-why": definition(
        "rulings:\n  - {proposition: fertilizer-jv, status: materialised, on: 2026-01-15}\n",
        "forecasts/bad.yaml:2: ruling 'fertilizer-jv': why: required field is missing"),
    # --- scenario sets -------------------------------------------------------------------------------
    "priors-not-summing-to-one": scenario(
        SCENARIOS.replace("prior: 0.4", "prior: 0.3"),
        "scenarios/bad.yaml:3: scenario set 'baku-minsk': scenarios: priors sum to 0.9, not 1 (within 1e-6)"),
    "prior-negative": scenario(
        SCENARIOS.replace("prior: 0.6", "prior: 1.4").replace("prior: 0.4", "prior: -0.4"),
        "scenarios/bad.yaml:4: scenario set 'baku-minsk': scenarios.0.prior: Input should be less than or equal to 1", "scenarios/bad.yaml:5: scenario set 'baku-minsk': scenarios.1.prior: Input should be greater than or equal to 0"),
    "one-scenario-only": scenario(
        "id: s\ntitle: T\nscenarios:\n  - {id: only, title: Only, prior: 1.0}\n",
        "scenarios/bad.yaml:3: scenario set 's': scenarios: List should have at least 2 items after validation, not 1"),
    "likelihood-above-one": scenario(
        SCENARIOS.replace("deepening: 0.6,", "deepening: 1.6,"),
        "scenarios/bad.yaml:8: scenario set 'baku-minsk': indicators.0.likelihood.deepening: Input should be less than or equal to 1"),
    "likelihood-per-outcome-not-summing-to-one": scenario(
        SCENARIOS.replace("likelihood: {deepening: 0.6, stagnation: 0.15}",
                          "likelihood:\n      deepening: {yes: 0.5, partly: 0.3, no: 0.1}\n      stagnation: 0.15"),
        "scenarios/bad.yaml:9: scenario set 'baku-minsk': indicators.0.likelihood.deepening: yes, partly and no sum to 0.9, "
        "not 1 (within 1e-6)"),
    "likelihood-unknown-scenario": scenario(
        SCENARIOS.replace("stagnation: 0.15", "stagnation: 0.15, rupture: 0.02"),
        "scenarios/bad.yaml:8: unknown scenario 'rupture' in likelihood"),
    "likelihood-missing-scenario": scenario(
        SCENARIOS.replace(", stagnation: 0.15", ""),
        "scenarios/bad.yaml:8: no likelihood for scenario 'stagnation'"),
    "indicator-unknown-proposition": scenario(
        SCENARIOS.replace("proposition: by-az-trade-1bn", "proposition: no-such-thing"),
        "scenarios/bad.yaml:7: unknown proposition 'no-such-thing'"),
    "scenario-id-repeated": scenario(
        SCENARIOS.replace("id: stagnation", "id: deepening").replace(", stagnation: 0.15", ""),
        "scenarios/bad.yaml:3: scenario set 'baku-minsk': scenarios: scenario id 'deepening' repeats within the set"),
    "scenario-set-missing-title": scenario(
        SCENARIOS.replace("title: Where relations go\n", ""),
        "scenarios/bad.yaml:1: scenario set 'baku-minsk': title: required field is missing"),
    # --- workspace settings ---------------------------------------------------------------------------
    "settings-bad-min-grade": definition(
        "min_grade: excellent\n",
        "tracker.yaml:1: min_grade: grade 'excellent' is not an Admiralty code like B2 (A-F then 1-6)", name="tracker.yaml"),
}

HEADER = "type,target,value,as_of,source,probability,forecaster,made_on,status,why\n"
TODAY = "<today>"  # the day the test runs, put in at comparison time (a run may cross midnight)
TOMORROW = "2999-12-31"  # later than today for centuries; the test must not turn on midnight
GOOD_ROW = "observation,by-az-trade,1020.5,2025,Belstat,,,,,\n"


def csv_rows(*bad: str, lines: tuple[str, ...]) -> Bad:
    """A CSV with the header, one good row, then the bad rows (from line 3 on)."""
    return rows(HEADER + GOOD_ROW + "".join(f"{row}\n" for row in bad), *lines)


def jsonl(*bad: str, lines: tuple[str, ...]) -> Bad:
    good = '{"type": "observation", "target": "by-az-trade", "value": 1020.5, "as_of": "2025", "source": "Belstat"}\n'
    return rows(good + "".join(f"{row}\n" for row in bad), *lines, name="rows.jsonl")


IMPORTS: dict[str, Bad] = {
    # --- the file as a whole ---------------------------------------------------------------------
    "import-empty-file": rows("", 'rows.csv: the file is empty; expected a header row such as type,target,value,as_of,source and one row per observation, forecast or ruling'),
    "import-blank-lines-only": rows("\n\n  \n", 'rows.csv: the file is empty; expected a header row such as type,target,value,as_of,source and one row per observation, forecast or ruling'),
    "import-no-header": rows("observation,by-az-trade,1020.5,2025,Belstat\n", 'rows.csv:1: no header row: the first line must name the columns, at least type and target (e.g. type,target,value,as_of,source)'),
    "import-unknown-column": rows("type,target,value,as_of,sauce\n", "rows.csv:1: unknown column 'sauce'; columns are type, id, target, value, unit, as_of, through, source, grade, note, recorded_by, recorded_at, probability, forecaster, made_on, status, why"),
    "import-column-twice": rows("type,target,value,value,as_of\n", "rows.csv:1: column 'value' appears twice in the header"),
    "import-not-utf8": rows((HEADER + "observation,by-az-trade,3,2025,Caf\xe9,,,,,\n").encode("latin-1"), 'rows.csv:2: not UTF-8: byte 0xe9 cannot be decoded; save the file as UTF-8'),
    "import-utf16": rows((HEADER + GOOD_ROW).encode("utf-16"), 'rows.csv:1: not UTF-8: byte 0xff cannot be decoded; save the file as UTF-8'),
    "import-binary-garbage": rows(bytes(range(256)) * 4, 'rows.csv:2: not UTF-8: byte 0x80 cannot be decoded; save the file as UTF-8'),
    "import-nul-bytes": rows((HEADER + GOOD_ROW).encode() + b"observation,by-az-trade,\x00\x00,2024,x,,,,,\n", 'rows.csv:3: binary data (a NUL byte): not a CSV or JSON Lines text file'),
    "import-huge-field": rows(HEADER + "observation,by-az-trade,3,2025,Belstat," + "x" * 200_000 + ",,,,\n", 'rows.csv:2: malformed CSV: field larger than field limit (131072)'),
    "import-unclosed-quote": rows(HEADER + GOOD_ROW + 'observation,by-az-trade,3,2024,"Belstat,,,,,\n',
                                  'rows.csv:3: malformed CSV: a quote opened on this row is never closed'),
    "import-missing-file": Bad(("import", "no-such-file.csv"), ('FILE: no-such-file.csv does not exist',)),
    "import-a-folder": Bad(("import", "forecasts"), ('FILE: forecasts is a folder, not a CSV or JSON Lines file',)),
    "import-unknown-format": rows(HEADER + GOOD_ROW, "--format: 'xml' is not csv or jsonl", options=("--format", "xml")),
    # --- CSV rows --------------------------------------------------------------------------------
    "import-missing-column": rows("type,target,value,source\nobservation,by-az-trade,3,Belstat\n", 'rows.csv:2: as_of is missing: give the period it describes, e.g. 2024, 2024-Q2, 2024-05 or 2024-05-16', summary()),
    "import-unknown-row-type": csv_rows("observaton,by-az-trade,3,2024,Belstat,,,,,", lines=("rows.csv:3: type 'observaton' is not observation, forecast, ruling or retraction", summary(),)),
    "import-missing-type": csv_rows(",by-az-trade,3,2024,Belstat,,,,,", lines=('rows.csv:3: type is missing: give observation, forecast, ruling or retraction', summary(),)),
    "import-unknown-target": csv_rows("observation,no-such-metric,3,2024,Belstat,,,,,", lines=("rows.csv:3: target: no metric or event proposition 'no-such-metric'; `tracker metrics` lists the metrics, `tracker list` the propositions", summary(),)),
    "import-observation-on-target-proposition": csv_rows("observation,by-az-trade-1bn,3,2024,Belstat,,,,,", lines=("rows.csv:3: target: 'by-az-trade-1bn' is a target proposition; log its observations on its metric 'by-az-trade'", summary(),)),
    "import-value-not-a-number": csv_rows("observation,by-az-trade,lots,2024,Belstat,,,,,", lines=('rows.csv:3: value: lots is not a number', summary(),)),
    "import-value-nan": csv_rows("observation,by-az-trade,NaN,2024,Belstat,,,,,", lines=('rows.csv:3: value: NaN is not a number', summary(),)),
    "import-value-overflow": csv_rows("observation,by-az-trade,1e999,2024,Belstat,,,,,", lines=('rows.csv:3: value: 1e999 is not a finite number', summary(),)),
    "import-event-bad-word": csv_rows("observation,fertilizer-jv,maybe,2025-10-28,news,,,,,", lines=("rows.csv:3: value: an event takes yes, partly or no, got 'maybe'", summary(),)),
    "import-impossible-date": csv_rows("observation,fertilizer-jv,no,2024-13-01,news,,,,,", lines=("rows.csv:3: as_of: impossible date in '2024-13-01': month must be in 1..12", summary(),)),
    "import-period-mismatch": csv_rows("observation,by-az-trade,3,2024-05,Belstat,,,,,", lines=('rows.csv:3: as_of: 2024-05 is a month, but by-az-trade is measured by year', summary(),)),
    "import-probability-above-one": csv_rows("forecast,fertilizer-jv,,,,1.5,analyst-a,2024-06-01,,", lines=('rows.csv:3: probability: 1.5 is not a probability: give a number from 0 to 1 (0.7) or a percentage (70%)', summary(),)),
    "import-probability-word": csv_rows("forecast,fertilizer-jv,,,,likely,analyst-a,2024-06-01,,", lines=('rows.csv:3: probability: likely is not a number; give a number from 0 to 1 (0.7) or a percentage (70%)', summary(),)),
    "import-forecast-unknown-proposition": csv_rows("forecast,no-such-thing,,,,0.3,analyst-a,2024-06-01,,", lines=("rows.csv:3: target: no proposition 'no-such-thing'; `tracker list` shows the ids", summary(),)),
    "import-forecast-missing-forecaster": csv_rows("forecast,fertilizer-jv,,,,0.3,,2024-06-01,,", lines=('rows.csv:3: forecaster is missing: name who made the forecast', summary(),)),
    "import-forecast-impossible-date": csv_rows("forecast,fertilizer-jv,,,,0.3,analyst-a,2024-02-30,,", lines=("rows.csv:3: made_on: not a date: '2024-02-30' (use YYYY-MM-DD)", summary(),)),
    "import-ruling-bad-status": csv_rows("ruling,fertilizer-jv,,,,,,2026-01-15,done,built", lines=("rows.csv:3: status: 'done' is not one of materialised, partly, not_materialised, annulled", summary(),)),
    "import-ruling-missing-why": csv_rows("ruling,fertilizer-jv,,,,,,2026-01-15,partly,", lines=('rows.csv:3: why is missing: give the reason for the ruling', summary(),)),
    "import-field-of-another-type": csv_rows("observation,by-az-trade,3,2024,Belstat,0.3,,,,", lines=('rows.csv:3: probability does not apply to an observation; leave it empty', summary(),)),
    "import-too-many-fields": csv_rows("observation,by-az-trade,3,2024,Belstat,,,,,,extra", lines=('rows.csv:3: 11 fields but the header names 10; quote fields that contain commas', summary(),)),
    "import-bad-grade": rows("type,target,value,as_of,source,grade\nobservation,by-az-trade,3,2024,Belstat,Z9\n", "rows.csv:2: grade: 'Z9' is not an Admiralty grade like B2 (reliability A-F, credibility 1-6)", summary()),
    "import-bad-recorded-at": rows("type,target,value,as_of,source,recorded_at\nobservation,by-az-trade,3,2024,Belstat,noon\n", "rows.csv:2: recorded_at: 'noon' is not an ISO date and time like 2026-11-24T10:30:00", summary()),
    "import-several-bad-rows": csv_rows("observation,no-such-metric,3,2024,Belstat,,,,,", "forecast,fertilizer-jv,,,,2,analyst-a,,,",
                                        lines=("rows.csv:3: target: no metric or event proposition 'no-such-metric'; `tracker metrics` lists the metrics, `tracker list` the propositions", 'rows.csv:4: probability: 2 is not a probability: give a number from 0 to 1 (0.7) or a percentage (70%)', summary(2),)),
    # --- JSON Lines rows ---------------------------------------------------------------------------
    "jsonl-empty-file": rows("", 'rows.jsonl: the file is empty; expected one JSON object per line, such as {"type": "observation", "target": ..., "value": ..., "as_of": ...}', name="rows.jsonl"),
    "jsonl-broken-row": jsonl('{"type": "observation", "target": "by-az-trade", "value": 3,', lines=('rows.jsonl:2: not valid JSON: Expecting property name enclosed in double quotes at column 61', summary(name='rows.jsonl'),)),
    "jsonl-not-an-object": jsonl('["observation", "by-az-trade", 3, "2024"]', lines=('rows.jsonl:2: expected a JSON object with type and target, got list', summary(name='rows.jsonl'),)),
    "jsonl-value-true": jsonl('{"type": "observation", "target": "by-az-trade", "value": true, "as_of": "2024", "source": "x"}', lines=('rows.jsonl:2: value: true is not a number', summary(name='rows.jsonl'),)),
    "jsonl-value-nan": jsonl('{"type": "observation", "target": "by-az-trade", "value": NaN, "as_of": "2024", "source": "x"}', lines=('rows.jsonl:2: value: nan is not a finite number', summary(name='rows.jsonl'),)),
    "jsonl-value-infinity": jsonl('{"type": "observation", "target": "by-az-trade", "value": 1e999, "as_of": "2024", "source": "x"}', lines=('rows.jsonl:2: value: inf is not a finite number', summary(name='rows.jsonl'),)),
    "jsonl-value-an-object": jsonl('{"type": "observation", "target": "by-az-trade", "value": {"usd": 3}, "as_of": "2024", "source": "x"}',
                                   lines=("rows.jsonl:2: value: expected text or a number, got a JSON object", summary(name="rows.jsonl"))),
    "jsonl-unknown-key": jsonl('{"type": "forecast", "target": "fertilizer-jv", "probability": 0.3, "forecaster": "a", "confidence": "high"}',
                               lines=("rows.jsonl:2: unknown key 'confidence'; keys are type, id, target, value, unit, as_of, through, source, grade, note, recorded_by, recorded_at, probability, forecaster, made_on, status, why", summary(name='rows.jsonl'),)),
    "jsonl-probability-text": jsonl('{"type": "forecast", "target": "fertilizer-jv", "probability": "high", "forecaster": "a"}', lines=('rows.jsonl:2: probability: high is not a number; give a number from 0 to 1 (0.7) or a percentage (70%)', summary(name='rows.jsonl'),)),
    "jsonl-as-of-a-number": jsonl('{"type": "observation", "target": "fertilizer-jv", "value": "no", "as_of": 20241301, "source": "x"}',
                                  lines=("rows.jsonl:2: as_of: not a period: '20241301' (use 2024, 2024-Q2, 2024-05 or 2024-05-16)", summary(name='rows.jsonl'),)),

    # --- figures as published, ids and withdrawals, hazards (issues 13, 14, 15, 19) ------------------------
    "import-unknown-unit": rows("type,target,value,unit,as_of\nobservation,by-az-trade,3,widgets,2024\n",
                                "rows.csv:2: unit: widgets does not convert into USD million: USD is a currency; give the value in "
                                "USD million (or USD thousand, million, billion)", summary()),
    "import-currency-mismatch": rows("type,target,value,unit,as_of\nobservation,by-az-trade,3,EUR million,2024\n",
                                     "rows.csv:2: unit: EUR million does not convert into USD million: currencies never convert into "
                                     "each other; give the value in USD million", summary()),
    "import-unit-on-event": rows("type,target,value,unit,as_of\nobservation,fertilizer-jv,no,tonne,2025-10-28\n",
                                 "rows.csv:2: unit: an event's observation has no unit: its value is yes, partly or no", summary()),
    "import-ambiguous-number": rows('type,target,value,as_of\nobservation,by-az-trade,"1,5",2024\n',
                                    "rows.csv:2: value: 1,5 is ambiguous: 1.5 or 15? write 1.5 (decimal point) or 15", summary()),
    "import-decimal-comma": rows('type,target,value,as_of\nobservation,by-az-trade,"1.234,5",2024\n',
                                 "rows.csv:2: value: 1.234,5 uses a comma as the decimal mark: write 1234.5 (decimal point, no "
                                 "thousands separator)", summary()),
    "import-malformed-bound": rows("type,target,value,as_of\nobservation,by-az-trade,>>400,2024\n",
                                   "rows.csv:2: value: >>400 is not a number or a bound: write 400, >400, >=400, <500, <=500 or a "
                                   "range 400..500", summary()),
    "import-backwards-range": rows("type,target,value,as_of\nobservation,by-az-trade,500..400,2024\n",
                                   "rows.csv:2: value: 500..400: the range runs backwards; write 400..500", summary()),
    "import-through-without-aggregate": rows("type,target,value,as_of,through\nobservation,by-az-trade,274,2025,2025-08\n",
                                             "rows.csv:2: through: metric 'by-az-trade' does not say `aggregate: sum`, so a figure "
                                             "for part of a period cannot stand for the whole; add `aggregate: sum` to the metric if "
                                             "its period's figure is the total of its parts", summary()),
    "import-through-on-event": rows("type,target,value,as_of,through\nobservation,fertilizer-jv,no,2025-10-28,2025-10\n",
                                    "rows.csv:2: through: an event's observation has no through: through marks a partial figure of "
                                    "a metric", summary()),
    "import-bad-id": rows("type,id,target,value,as_of\nobservation,has space,by-az-trade,3,2024\n",
                          "rows.csv:2: id: 'has space' is not an id: use letters, digits, '-', '_' and '.' (at most 64)", summary()),
    "import-id-taken": rows("type,id,target,value,as_of\nobservation,withdrawn-obs,by-az-trade,3,2024\n",
                            "rows.csv:2: id: withdrawn-obs is already the id of another observation (logged 2025-01-01 10:00:00 "
                            "UTC); give this row another id, or leave id empty for one to be given", summary()),
    "import-id-of-another-kind": rows("type,id,target,probability,forecaster\nforecast,withdrawn-obs,fertilizer-jv,0.3,a\n",
                                      "rows.csv:2: id: withdrawn-obs is already the id of another observation (logged 2025-01-01 "
                                      "10:00:00 UTC); give this row another id, or leave id empty for one to be given", summary()),
    "import-retraction-unknown-target": rows("type,target,why\nretraction,nothing-here,wrong\n",
                                             "rows.csv:2: target: no logged record 'nothing-here'; `tracker show` lists the ids of "
                                             "a proposition's records", summary()),
    "import-retraction-twice": rows("type,target,why\nretraction,withdrawn-obs,another reason\n",
                                    "rows.csv:2: target: withdrawn-obs was already withdrawn (its-withdrawal, 2025-02-01 10:00:00 UTC "
                                    "by tester: wrong year)", summary()),
    "import-retraction-of-a-retraction": rows("type,target,why\nretraction,its-withdrawal,undo\n",
                                              "rows.csv:2: target: its-withdrawal is a withdrawal, which cannot itself be withdrawn: "
                                              "log the record again if it should count", summary()),
    "import-retraction-of-a-forecast": rows("type,target,why\nretraction,a-forecast,changed my mind\n",
                                            "rows.csv:2: target: a-forecast is a forecast; forecasts are not withdrawn: log a new "
                                            "one, which supersedes it", summary()),
    "import-retraction-of-a-file-record": rows("type,target,why\nretraction,forecasts/sample.yaml:19,typo\n",
                                               "rows.csv:2: target: forecasts/sample.yaml:19 is written in a definition file, not "
                                               "logged: edit forecasts/sample.yaml (line 19) to correct or remove it", summary()),
    "import-retraction-without-why": rows("type,target\nretraction,withdrawn-obs\n",
                                          "rows.csv:2: why is missing: give the reason for withdrawing it", summary()),
    "import-retraction-with-a-value": rows("type,target,why,value\nretraction,withdrawn-obs,x,3\n",
                                           "rows.csv:2: value does not apply to a retraction; leave it empty", summary()),
    "import-forecast-made-later-than-today": rows(f"type,target,probability,forecaster,made_on\nforecast,fertilizer-jv,0.3,a,{TOMORROW}\n",
                                                  f"rows.csv:2: made_on: {TOMORROW} is later than today ({TODAY}): a forecast is "
                                                  "logged on or after the day it is made", summary()),
    "import-forecast-made-before-the-statement": rows("type,target,probability,forecaster,made_on\nforecast,fertilizer-jv,0.3,a,2024-05-19\n",
                                                      "rows.csv:2: made_on: 2024-05-19 is before fertilizer-jv was stated (2024-05-20): "
                                                      "a forecast cannot be made about a statement not yet made", summary()),
    "import-recorded-at-before-the-calendar": rows("type,target,value,as_of,recorded_at\nobservation,by-az-trade,3,2024,0001-01-01T00:00:00+01:00\n",
                                                   "rows.csv:2: recorded_at: 0001-01-01T00:00:00+01:00 is before the first moment "
                                                   "tracker can store in UTC (0001-01-01T00:00:00 to 9999-12-31T23:59:59.999999)", summary()),
    "import-recorded-at-after-the-calendar": rows("type,target,value,as_of,recorded_at\nobservation,by-az-trade,3,2024,9999-12-31T23:59:59-01:00\n",
                                                  "rows.csv:2: recorded_at: 9999-12-31T23:59:59-01:00 is after the last moment "
                                                  "tracker can store in UTC (0001-01-01T00:00:00 to 9999-12-31T23:59:59.999999)", summary()),
    "import-line-too-long": rows("type,target,value,as_of,note\n" + "," * (MAX_LINE + 1) + "\n",
                                 f"rows.csv:2: a line longer than {MAX_LINE:,} characters; split what it holds over several rows"),
    "import-header-repeated-200000-times": rows("type,target," + ",".join(["value"] * 200_000) + "\n",
                                                "rows.csv:1: column 'value' appears twice in the header"),
    "jsonl-string-of-commas": jsonl('{"type": "observation", "target": "by-az-trade", "value": "1,2,3", "as_of": "2024"}',
                                    lines=("rows.jsonl:2: value: 1,2,3 is not one number: commas only separate groups of three "
                                           "digits (1,500); write 123 if that is meant", summary(name="rows.jsonl"))),
    "jsonl-400-digit-integer": jsonl('{"type": "observation", "target": "by-az-trade", "value": ' + "9" * 400 + ', "as_of": "2024"}',
                                     lines=("rows.jsonl:2: value: a number of about 401 digits is too large", summary(name="rows.jsonl"))),
    "jsonl-5000-digit-integer": jsonl('{"type": "observation", "target": "by-az-trade", "value": ' + "9" * 5000 + ', "as_of": "2024"}',
                                      lines=("rows.jsonl:2: a number of 5,000 digits is too large", summary(name="rows.jsonl"))),
    "jsonl-lone-surrogate": jsonl('{"type": "observation", "target": "by-az-trade", "value": 3, "as_of": "2024", "note": "caf\\ud800"}',
                                  lines=("rows.jsonl:2: note: holds a lone surrogate (\\ud800), half of a character; write the whole "
                                         "character", summary(name="rows.jsonl"))),
    "jsonl-nul-in-a-note": jsonl('{"type": "observation", "target": "by-az-trade", "value": 3, "as_of": "2024", "note": "a\\u0000b"}',
                                 lines=("rows.jsonl:2: note: holds a NUL character (\\x00), which text cannot hold; remove it",
                                        summary(name="rows.jsonl"))),
    "jsonl-deep-nesting": jsonl("[" * 100_000 + "]" * 100_000,
                                lines=("rows.jsonl:2: nested too deeply: a row is one JSON object of text and numbers",
                                       summary(name="rows.jsonl"))),
    "jsonl-field-too-long": jsonl('{"type": "observation", "target": "by-az-trade", "value": 3, "as_of": "2024", "note": "' + "x" * 131_073 + '"}',
                                  lines=("rows.jsonl:2: note: 131,073 characters is longer than a field may be (131,072)",
                                         summary(name="rows.jsonl"))),
}

COMMANDS: dict[str, Bad] = {
    # --- ids ---------------------------------------------------------------------------------------------
    "show-unknown-id": command("show", "no-such-thing", line="ID: no proposition 'no-such-thing'; `tracker list` shows the ids"),
    "forecast-unknown-id": command("forecast", "no-such-thing", "0.3", "--by", "a",
                                   line="ID: no proposition 'no-such-thing'; `tracker list` shows the ids"),
    "resolve-unknown-id": command("resolve", "no-such-thing", "--status", "partly", "--why", "w",
                                  line="ID: no proposition 'no-such-thing'; `tracker list` shows the ids"),
    "observe-unknown-target": command("observe", "no-such-metric", "3", "--as-of", "2024", "--source", "s",
                                      line="TARGET: no metric or event proposition 'no-such-metric'; `tracker metrics` lists the metrics, `tracker list` the propositions"),
    "observe-on-target-proposition": command("observe", "by-az-trade-1bn", "3", "--as-of", "2024", "--source", "s",
                                             line="TARGET: 'by-az-trade-1bn' is a target proposition; log its observations on its metric 'by-az-trade'"),
    # --- values ---------------------------------------------------------------------------------------------
    "observe-value-not-a-number": command("observe", "by-az-trade", "lots", "--as-of", "2024", "--source", "s", line='VALUE: lots is not a number'),
    "observe-value-nan": command("observe", "by-az-trade", "nan", "--as-of", "2024", "--source", "s", line='VALUE: nan is not a number'),
    "observe-value-inf": command("observe", "by-az-trade", "1e999", "--as-of", "2024", "--source", "s", line='VALUE: 1e999 is not a finite number'),
    "observe-event-bad-word": command("observe", "fertilizer-jv", "maybe", "--as-of", "2025-10-28", "--source", "s", line="VALUE: an event takes yes, partly or no, got 'maybe'"),
    "observe-impossible-date": command("observe", "fertilizer-jv", "no", "--as-of", "2024-13-01", "--source", "s", line="--as-of: impossible date in '2024-13-01': month must be in 1..12"),
    "observe-impossible-month": command("observe", "by-az-trade", "3", "--as-of", "2024-13", "--source", "s", line="--as-of: impossible date in '2024-13': month must be in 1..12"),
    "observe-impossible-quarter": command("observe", "by-az-trade", "3", "--as-of", "2024-Q5", "--source", "s", line="--as-of: not a period: '2024-Q5' (use 2024, 2024-Q2, 2024-05 or 2024-05-16)"),
    "observe-period-mismatch": command("observe", "by-az-trade", "3", "--as-of", "2024-Q2", "--source", "s", line='--as-of: 2024-Q2 is a quarter, but by-az-trade is measured by year'),
    "observe-period-garbage": command("observe", "by-az-trade", "3", "--as-of", "last year", "--source", "s", line="--as-of: not a period: 'last year' (use 2024, 2024-Q2, 2024-05 or 2024-05-16)"),
    "observe-empty-source": command("observe", "by-az-trade", "3", "--as-of", "2024", "--source", "  ", line='--source: say where the figure comes from'),
    "observe-bad-grade": command("observe", "by-az-trade", "3", "--as-of", "2024", "--source", "s", "--grade", "Z9", line="--grade: 'Z9' is not an Admiralty grade like B2 (reliability A-F, credibility 1-6)"),
    "forecast-probability-above-one": command("forecast", "fertilizer-jv", "1.5", "--by", "a", line='PROBABILITY: 1.5 is not a probability: give a number from 0 to 1 (0.7) or a percentage (70%)'),
    "forecast-probability-negative": command("forecast", "fertilizer-jv", "--by", "a", "--", "-0.1", line='PROBABILITY: -0.1 is not a probability: give a number from 0 to 1 (0.7) or a percentage (70%)'),
    "forecast-probability-percent-over": command("forecast", "fertilizer-jv", "150%", "--by", "a", line='PROBABILITY: 150% is not a probability: give a number from 0 to 1 (0.7) or a percentage (70%)'),
    "forecast-probability-word": command("forecast", "fertilizer-jv", "likely", "--by", "a", line='PROBABILITY: likely is not a number; give a number from 0 to 1 (0.7) or a percentage (70%)'),
    "forecast-probability-nan": command("forecast", "fertilizer-jv", "nan", "--by", "a", line='PROBABILITY: nan is not a number; give a number from 0 to 1 (0.7) or a percentage (70%)'),
    "forecast-empty-forecaster": command("forecast", "fertilizer-jv", "0.3", "--by", " ", line='--by: name the forecaster'),
    "forecast-bad-date": command("forecast", "fertilizer-jv", "0.3", "--by", "a", "--on", "2024-02-30", line="--on: not a date: '2024-02-30' (use YYYY-MM-DD)"),
    "resolve-bad-status": command("resolve", "fertilizer-jv", "--status", "done", "--why", "w", line="--status: 'done' is not one of materialised, partly, not_materialised, annulled"),
    "resolve-empty-why": command("resolve", "fertilizer-jv", "--status", "partly", "--why", " ", line='--why: give the reason for the ruling'),
    "resolve-bad-date": command("resolve", "fertilizer-jv", "--status", "partly", "--why", "w", "--on", "yesterday", line="--on: not a date: 'yesterday' (use YYYY-MM-DD)"),
    # --- options of reports ---------------------------------------------------------------------------------
    "list-as-of-impossible": command("list", "--as-of", "2024-13-01", line="--as-of: not a date: '2024-13-01' (use YYYY-MM-DD)"),
    "list-as-of-garbage": command("list", "--as-of", "soon", line="--as-of: not a date: 'soon' (use YYYY-MM-DD)"),
    "list-unknown-format": command("list", "--format", "xml", line="--format: 'xml' is not one of table, json"),
    "list-unknown-status": command("list", "--status", "done", line="--status: 'done' is not one of materialised, partly, not_materialised, annulled, overdue, on_track, behind, no_data, open, in_progress"),
    "show-unknown-format": command("show", "fertilizer-jv", "--format", "xml", line="--format: 'xml' is not one of text, json"),
    "show-as-of-garbage": command("show", "fertilizer-jv", "--as-of", "2024-1-1x", line="--as-of: not a date: '2024-1-1x' (use YYYY-MM-DD)"),
    "scorecard-unknown-format": command("scorecard", "--format", "pdf", line="--format: 'pdf' is not one of table, md, json, csv, html"),
    "scorecard-as-of-garbage": command("scorecard", "--as-of", "2024-13-01", line="--as-of: not a date: '2024-13-01' (use YYYY-MM-DD)"),
    "validate-missing-path": command("validate", "no/such/file.yaml", line="PATH: no/such/file.yaml does not exist"),
    "db-upgrade-unknown-revision": command("db", "upgrade", "--to", "9999", line="--to: unknown revision '9999'; this tracker knows 0001, 0002, 0003"),
    "usage-missing-option": command("observe", "by-az-trade", "3", "--source", "s", line="tracker observe: Missing option '--as-of' (see 'tracker observe --help')"),
    "usage-unknown-option": command("list", "--colour", "red", line="tracker list: No such option: --colour (see 'tracker list --help')"),
    "usage-unknown-command": command("lsit", line="tracker: No such command 'lsit'. Did you mean 'list'? (see 'tracker --help')"),
    "usage-extra-argument": command("show", "fertilizer-jv", "by-az-trade-1bn", line="tracker show: Got unexpected extra argument(s) (by-az-trade-1bn) (see 'tracker show --help')"),
    "usage-negative-probability": command("forecast", "fertilizer-jv", "-0.1", "--by", "a", line="tracker forecast: No such option: -0 (see 'tracker forecast --help')"),
    "workspace-missing": command("--workspace", "no-such-folder", "list", line="--workspace: no-such-folder is not a folder"),
    # --- database URLs ----------------------------------------------------------------------------------
    "db-url-unknown-driver": command("--db", "foo://", "list",
                                     line="--db: no driver for 'foo://'; for PostgreSQL use postgresql+psycopg:// and install tracker[postgres]"),
    "db-url-malformed": command("--db", "not a url", "list", line="--db: malformed database URL (not shown: check its scheme, host and port); expected e.g. sqlite:///tracker.db or postgresql+psycopg://user@host/dbname"),
    "db-url-missing-folder": command("--db", "sqlite:///no/such/folder/t.db", "list", line="--db: folder no/such/folder does not exist"),
    "db-url-a-folder": command("--db", "sqlite:///forecasts", "list", line='cannot open database sqlite:///forecasts: unable to open database file'),
    "db-url-not-a-database": command("--db", "sqlite:///forecasts/sample.yaml", "list", line='database error on sqlite:///forecasts/sample.yaml: file is not a database'),
    "db-url-unreachable-server": command("--db", "postgresql+psycopg://postgres@127.0.0.1:1/tracker", "list", line='cannot open database postgresql+psycopg://postgres@127.0.0.1:1/tracker: connection failed: connection to server at "127.0.0.1", port 1 failed: Connection refused'),
    "db-url-missing-server-database": command("--db", "postgresql+psycopg://postgres@127.0.0.1:5432/no_such_db_p8", "list", line="cannot open database postgresql+psycopg://postgres@127.0.0.1:5432/no_such_db_p8: database 'no_such_db_p8' does not exist; create it (createdb no_such_db_p8), then run `tracker db upgrade`"),
    "db-url-bad-port": command("--db", "postgresql+psycopg://postgres@127.0.0.1:notaport/tracker", "list", line="--db: malformed database URL (not shown: check its scheme, host and port); expected e.g. sqlite:///tracker.db or postgresql+psycopg://user@host/dbname"),

    # --- figures as published, forecasts, withdrawals (issues 13, 14, 15) ------------------------------------
    "observe-unknown-unit": command("observe", "by-az-trade", "3", "--as-of", "2024", "--source", "s", "--unit", "widgets",
                                    line="--unit: widgets does not convert into USD million: USD is a currency; give the value in USD "
                                         "million (or USD thousand, million, billion)"),
    "observe-currency-mismatch": command("observe", "by-az-trade", "3", "--as-of", "2024", "--source", "s", "--unit", "EUR million",
                                         line="--unit: EUR million does not convert into USD million: currencies never convert into "
                                              "each other; give the value in USD million"),
    "observe-unit-on-event": command("observe", "fertilizer-jv", "no", "--as-of", "2025-10-28", "--source", "s", "--unit", "t",
                                     line="--unit: an event's observation has no unit: its value is yes, partly or no"),
    "observe-ambiguous-number": command("observe", "by-az-trade", "1,50", "--as-of", "2024", "--source", "s",
                                        line="VALUE: 1,50 is ambiguous: 1.50 or 150? write 1.50 (decimal point) or 150"),
    "observe-malformed-bound": command("observe", "by-az-trade", "<>400", "--as-of", "2024", "--source", "s",
                                       line="VALUE: <>400 is not a number or a bound: write 400, >400, >=400, <500, <=500 or a range 400..500"),
    "observe-range-of-one-value": command("observe", "by-az-trade", "400..400", "--as-of", "2024", "--source", "s",
                                          line="VALUE: 400..400 is a range of one value: write 400"),
    "observe-through-without-aggregate": command("observe", "by-az-trade", "274", "--as-of", "2025", "--through", "2025-08", "--source", "s",
                                                 line="--through: metric 'by-az-trade' does not say `aggregate: sum`, so a figure for "
                                                      "part of a period cannot stand for the whole; add `aggregate: sum` to the metric if "
                                                      "its period's figure is the total of its parts"),
    "observe-through-not-a-period": command("observe", "fertilizer-jv", "no", "--as-of", "2025-10-28", "--through", "soon", "--source", "s",
                                            line="--through: an event's observation has no through: through marks a partial figure of a metric"),
    "observe-note-not-utf8": command("observe", "fertilizer-jv", "no", "--as-of", "2025-10-28", "--source", "s", "--note", "caf\udce9",
                                     line="--note: holds a byte that is not UTF-8 (0xe9); write the text in UTF-8"),
    "forecast-made-later-than-today": command("forecast", "fertilizer-jv", "0.3", "--on", TOMORROW,
                                              line=f"--on: {TOMORROW} is later than today ({TODAY}): a forecast is logged on or after "
                                                   "the day it is made"),
    "forecast-made-before-the-statement": command("forecast", "fertilizer-jv", "0.3", "--on", "2024-05-19",
                                                  line="--on: 2024-05-19 is before fertilizer-jv was stated (2024-05-20): a forecast "
                                                       "cannot be made about a statement not yet made"),
    "retract-unknown-id": command("retract", "nothing-here", "--why", "w",
                                  line="ID: no logged record 'nothing-here'; `tracker show` lists the ids of a proposition's records"),
    "retract-twice": command("retract", "withdrawn-obs", "--why", "again",
                             line="ID: withdrawn-obs was already withdrawn (its-withdrawal, 2025-02-01 10:00:00 UTC by tester: wrong year)"),
    "retract-a-retraction": command("retract", "its-withdrawal", "--why", "undo",
                                    line="ID: its-withdrawal is a withdrawal, which cannot itself be withdrawn: log the record again "
                                         "if it should count"),
    "retract-a-forecast": command("retract", "a-forecast", "--why", "changed my mind",
                                  line="ID: a-forecast is a forecast; forecasts are not withdrawn: log a new one, which supersedes it"),
    "retract-a-file-record": command("retract", "forecasts/sample.yaml:19", "--why", "typo",
                                     line="ID: forecasts/sample.yaml:19 is written in a definition file, not logged: edit "
                                          "forecasts/sample.yaml (line 19) to correct or remove it"),
    "retract-without-why": command("retract", "withdrawn-obs", "--why", "  ", line="--why: give the reason for withdrawing it"),
    "import-dev-zero": Bad(("import", "/dev/zero"), ("/dev/zero:1: binary data (a NUL byte): not a CSV or JSON Lines text file",)),
}

CASES = {**DEFINITIONS, **IMPORTS, **COMMANDS}


# --- the prepared state -------------------------------------------------------------------------------


WITHDRAWN = """\
type,id,target,value,as_of,source,recorded_at,why,probability,forecaster,made_on
observation,withdrawn-obs,by-az-trade,460,2023,Belstat,2025-01-01T10:00:00,,,,
retraction,its-withdrawal,withdrawn-obs,,,,2025-02-01T10:00:00,wrong year,,,
forecast,a-forecast,fertilizer-jv,,,,2025-03-01T10:00:00,,0.4,analyst-b,2025-03-01
"""


def _prepare(root: Path, url: str) -> Prepared:
    """The sample workspace synced, with an observation, a forecast and a ruling logged by hand, and a
    withdrawn observation and a forecast imported with ids of their own."""
    from tracker.app import log
    from tracker.app.config import Config
    from tracker.app.session import open_session
    from tracker.app.transfer import import_file

    (root / "forecasts").mkdir(parents=True)
    (root / "scenarios").mkdir()
    (root / "forecasts" / "sample.yaml").write_text(SAMPLE, encoding="utf-8")
    session = open_session(Config(root, url, user="tester"))
    log.observe(session, "by-az-trade", "497", "2024", "Belstat", grade="B2", note="preliminary", by="tester")
    log.forecast(session, "fertilizer-jv", "0.3", by="analyst-a", on="2024-06-06")
    log.rule(session, "by-az-trade-1bn", "not_materialised", "Belstat: 497 in 2024", on="2026-02-10", by="tester")
    withdrawn = root / "withdrawn.csv"
    withdrawn.write_text(WITHDRAWN, encoding="utf-8")
    import_file(session, withdrawn, by="tester")
    withdrawn.unlink()
    session.store.engine.dispose()
    return Prepared(root, url, snapshot(url), export(Run(root, url, CliRunner())))


def snapshot(url: str) -> dict[str, list[tuple[str, ...]]]:
    """Every row of every table, as text, in a stable order: what "unchanged" compares."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            tables = sorted(inspect(connection).get_table_names())
            return {name: sorted(tuple(map(str, row)) for row in connection.execute(
                select(literal_column("*")).select_from(table(name)))) for name in tables}
    finally:
        engine.dispose()


def export(run: Run) -> str:
    result = run("export")
    assert result.exit_code == 0, result.output
    return result.stdout


@dataclass
class Prepared:
    """The state every case starts from: its workspace, its database, their rows and export."""

    root: Path
    url: str
    rows: dict[str, list[tuple[str, ...]]]
    export: str


@pytest.fixture(scope="module")
def prepared_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    base = tmp_path_factory.mktemp("prepared")
    return _prepare(base / "ws", f"sqlite:///{base / 'tracker.db'}")


class _SharedPostgres:
    """One prepared PostgreSQL database the cases share, since a case must leave it unchanged.

    Cloning a database per case would cost a checkpoint each on a busy server. A case that
    did change it fails, and the next case gets a freshly prepared database.
    """

    def __init__(self, template: str, base: Path):
        self.template, self.base, self.names = template, base, []
        self.prepared = self._fresh()

    def _fresh(self) -> Prepared:
        name = f"tracker_bad_{uuid.uuid4().hex[:12]}"
        with _admin() as connection:
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        self.names.append(name)
        return _prepare(self.base / name, _database_url(name))

    def check(self) -> None:
        if snapshot(self.prepared.url) != self.prepared.rows:
            self.prepared = self._fresh()

    def drop(self) -> None:
        with _admin() as connection:
            for name in self.names:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def shared_postgres(pg_server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[_SharedPostgres]:  # type: ignore[no-untyped-def]
    shared = _SharedPostgres(pg_server.template, tmp_path_factory.mktemp("prepared-pg"))
    yield shared
    shared.drop()


@pytest.fixture
def logged(backend: str, request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Run, Prepared]]:
    """The prepared state: a copy of its workspace (the current folder) and of its database (SQLite),
    or the shared prepared database (PostgreSQL)."""
    shared: _SharedPostgres | None = request.getfixturevalue("shared_postgres") if backend == "postgres" else None
    prepared: Prepared = shared.prepared if shared else request.getfixturevalue("prepared_sqlite")
    root = tmp_path / "ws"
    shutil.copytree(prepared.root, root)  # copy2 keeps mtimes: the copy counts as synced
    url = prepared.url if shared else _copy_sqlite(prepared, tmp_path)
    monkeypatch.chdir(root)
    monkeypatch.setenv("TRACKER_USER", "tester")
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    monkeypatch.delenv("TRACKER_WORKSPACE", raising=False)
    yield Run(root, url, CliRunner()), prepared
    if shared:
        shared.check()


def _copy_sqlite(prepared: Prepared, tmp_path: Path) -> str:
    target = tmp_path / "tracker.db"
    with sqlite3.connect(prepared.url.removeprefix("sqlite:///")) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return f"sqlite:///{target}"


def _write(root: Path, files: dict[str, str | bytes]) -> None:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else textwrap.dedent(content).encode("utf-8"))


def _remove(root: Path, files: dict[str, str | bytes]) -> None:
    for relative in files:
        (root / relative).unlink()


# --- the corpus -----------------------------------------------------------------------------------------


def test_the_corpus_holds_at_least_100_distinct_bad_inputs() -> None:
    assert len(CASES) == len(DEFINITIONS) + len(IMPORTS) + len(COMMANDS)  # no name used twice
    assert len(CASES) >= 100
    distinct = {(case.args, tuple(sorted((k, v if isinstance(v, bytes) else v.encode()) for k, v in case.files.items())))
                for case in CASES.values()}
    assert len(distinct) == len(CASES)


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_bad_input_exits_2_with_located_lines_and_changes_nothing(logged: tuple[Run, Prepared], case: Bad) -> None:
    run, prepared = logged
    _write(run.root, case.files)
    result = run(*case.args)
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    assert "Traceback" not in result.output
    assert tuple(result.stderr.replace(date.today().isoformat(), TODAY).splitlines()) == case.lines
    _remove(run.root, case.files)
    assert snapshot(run.db_url) == prepared.rows
    assert export(run) == prepared.export
