"""Fuzzing: generated documents, rows and periods either load or raise the project's own error.

Hypothesis throws at each reader what a user (or a broken export, or a hostile file) could give
it. The loader must return problems, never raise; the period parser may only raise PeriodError;
the import row checker only RowError, and what it accepts must be storable; reading an import
file may only raise InputError; a whole import (file to database) only a TrackerError, and then
the database holds nothing of it.
"""

from __future__ import annotations

import json
import math
import os
import textwrap
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.conftest import SAMPLE
from tracker.core import fields
from tracker.core.periods import Period, PeriodError, parse_date, parse_period
from tracker.core.values import ValueProblem
from tracker.errors import InputError, TrackerError
from tracker.load.loader import load_files
from tracker.load.rows import (
    COLUMNS,
    OBSERVATION_COLUMNS,
    Defaults,
    ImportFile,
    MetricFacts,
    PropositionFacts,
    Row,
    RowChecker,
    RowError,
    Targets,
)
from tracker.load.yamlfile import parse

EXAMPLES = int(os.environ.get("TRACKER_FUZZ_EXAMPLES", "200"))  # raise it for a longer hunt
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# --- values a user could write ----------------------------------------------------------------------

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30), st.dates(),
    st.sampled_from(["2024", "2024-Q2", "2024-05", "2024-05-16", "2024-13-01", "2024-Q5", "yes", "no", "partly",
                     "by-az-trade", "fertilizer-jv", "by-az-trade-1bn", "huseynov-2024", "lukashenka", ">=", "B2",
                     "1e999", "-0", "nan", "", " ", "0.5", "50%", "target", "event", "year", "\x00", "é"]),
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                      max_leaves=12)

# Field names of every definition, so generated entries get past "unknown field" to the checks behind it.
FIELDS = ["id", "title", "published", "publisher", "name", "role", "country", "unit", "period", "observations",
          "kind", "quote", "source", "stated_by", "stated_on", "deadline", "metric", "baseline", "target", "op",
          "value", "as_of", "tags", "forecasts", "rulings", "status", "why", "on", "by", "probability", "proposition",
          "partial", "min_grade", "grade", "note", "span", "scenarios", "indicators", "prior", "likelihood", "draft"]
ENTRY = st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=10)
DOCUMENT = st.dictionaries(
    st.sampled_from(["sources", "actors", "metrics", "propositions", "observations", "forecasts", "rulings",
                     "scenarios", "indicators", "id", "title", "draft", "other"]),
    st.one_of(st.lists(ENTRY, max_size=3), VALUES),
    max_size=5,
)


def _json(value: object) -> str:
    return json.dumps(value, default=str)


def _dump(document: object) -> bytes:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode("utf-8")


def _load_one(tmp_path: Path, folder: str, raw: bytes):  # type: ignore[no-untyped-def]
    path = tmp_path / folder / "fuzz.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    sample = tmp_path / "forecasts" / "sample.yaml"
    sample.parent.mkdir(exist_ok=True)
    sample.write_text(SAMPLE, encoding="utf-8")
    return load_files([sample, path], tmp_path)


# --- periods -----------------------------------------------------------------------------------------


@FUZZ
@given(st.one_of(SCALARS, VALUES, st.from_regex(r"\A-?\d{1,6}(-(Q\d|\d{1,3})(-\d{1,3})?)?\Z")))
def test_parse_period_returns_a_period_or_raises_period_error(text: object) -> None:
    try:
        period = parse_period(text)
    except PeriodError:
        return
    assert isinstance(period, Period)
    assert period.start <= period.end
    assert parse_period(period.label) == period


@FUZZ
@given(st.one_of(SCALARS, VALUES, st.datetimes()))
def test_parse_date_returns_a_date_or_raises_period_error(text: object) -> None:
    try:
        day = parse_date(text)
    except PeriodError:
        return
    assert type(day) is date


# --- definition files -----------------------------------------------------------------------------------


@FUZZ
@given(raw=st.binary(max_size=400))
def test_yaml_parser_takes_any_bytes(raw: bytes) -> None:
    document, problems = parse(raw, "fuzz.yaml")
    assert document is not None or problems
    assert all(p.path == "fuzz.yaml" and "\n" not in p.message for p in problems)


@FUZZ
@given(text=st.text(alphabet=st.sampled_from(list("-:[]{},&*!|>'\"#%@`? \n\tab01.") + ["\u2028", "\ufeff"]), max_size=200))
def test_yaml_parser_takes_any_yaml_punctuation(text: str) -> None:
    document, problems = parse(text.encode("utf-8"), "fuzz.yaml")
    assert document is not None or problems


@FUZZ
@given(document=DOCUMENT, folder=st.sampled_from(["forecasts", "scenarios"]))
def test_loader_returns_problems_for_any_document(tmp_path: Path, document: dict, folder: str) -> None:  # type: ignore[type-arg]
    result = _load_one(tmp_path, folder, _dump(document))
    for problem in result.problems:
        assert problem.path and problem.line, problem
        assert "\n" not in problem.message


@FUZZ
@given(cuts=st.lists(st.tuples(st.integers(0, len(SAMPLE)), st.integers(0, 12), st.text(max_size=6)), min_size=1, max_size=4))
def test_loader_returns_problems_for_a_mangled_sample(tmp_path: Path, cuts: list[tuple[int, int, str]]) -> None:
    """The sample file with bits deleted and replaced: every result is a workspace or located problems."""
    text = SAMPLE
    for at, length, insert in cuts:
        text = text[:at] + insert + text[at + length:]
    result = _load_one(tmp_path, "forecasts", text.encode("utf-8"))
    assert all(problem.path for problem in result.problems)
    assert all("\n" not in problem.message for problem in result.problems)


# --- import rows ------------------------------------------------------------------------------------

METRIC = MetricFacts("by-az-trade", "year", "USD million")
TARGETS = Targets(metrics={"by-az-trade": METRIC, "tonnes": MetricFacts("tonnes", "quarter", "tonne", "sum")},
                  propositions={"by-az-trade-1bn": PropositionFacts("target", "by-az-trade", date(2024, 5, 16)),
                                "fertilizer-jv": PropositionFacts("event", None, date(2024, 5, 20))})
DEFAULTS = Defaults(recorded_at=datetime(2026, 11, 24, 9, 0), today=date(2026, 11, 24), recorded_by="tester")
STORABLE = (str, int, float, date, datetime, type(None))

VALID_ROWS = st.sampled_from([
    {"type": "observation", "target": "by-az-trade", "value": "1020.5", "as_of": "2025", "source": "Belstat", "grade": "B2"},
    {"type": "observation", "target": "fertilizer-jv", "value": "no", "as_of": "2025-10-28", "recorded_at": "2025-10-29T10:00:00"},
    {"type": "forecast", "target": "fertilizer-jv", "probability": "0.3", "forecaster": "analyst-a", "made_on": "2024-06-01"},
    {"type": "ruling", "target": "fertilizer-jv", "status": "partly", "why": "Site chosen", "made_on": "2026-01-15",
     "recorded_by": "tester"},
])
# A valid row with one or two cells replaced: reaches every check behind the first.
MUTATED = st.builds(lambda base, changes: {**base, **changes}, VALID_ROWS,
                    st.dictionaries(st.sampled_from([*COLUMNS, "extra"]), SCALARS, min_size=1, max_size=2))
RANDOM_ROW = st.fixed_dictionaries(
    {"type": st.sampled_from(["observation", "forecast", "ruling", "Observation", " forecast ", "other"]),
     "target": st.sampled_from(["by-az-trade", "fertilizer-jv", "by-az-trade-1bn"]) | SCALARS},
    optional={name: SCALARS for name in COLUMNS if name not in ("type", "target")} | {"extra": SCALARS},
)
ROW = MUTATED | RANDOM_ROW
NESTED_ROW = st.builds(lambda base, changes: {**base, **changes}, VALID_ROWS,
                       st.dictionaries(st.sampled_from([*COLUMNS, "extra"]), VALUES, min_size=1, max_size=2))


@FUZZ
@given(raw=ROW)
def test_row_checker_accepts_storable_rows_or_raises_row_error(raw: dict) -> None:  # type: ignore[type-arg]
    try:
        row = RowChecker(TARGETS, DEFAULTS).check(raw)
    except RowError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert isinstance(row, Row)
    assert all(isinstance(value, STORABLE) for value in row.values), row
    assert all(math.isfinite(v) for v in row.values if isinstance(v, float))


CELL = st.one_of(st.text(max_size=12), st.sampled_from(["2024", "2025-10-28", "yes", "0.3", "by-az-trade", "fertilizer-jv", '"', "\r\n"]))


@FUZZ
@given(header=st.lists(st.sampled_from([*COLUMNS, "other", ""]), min_size=1, max_size=8),
       cells=st.lists(st.lists(CELL, max_size=9), max_size=5))
def test_csv_reader_yields_rows_or_raises_input_error(tmp_path: Path, header: list[str], cells: list[list[str]]) -> None:
    text = "\n".join(",".join(row) for row in [header, *cells])
    _read_all(tmp_path / "fuzz.csv", text.encode("utf-8"), "csv")


# Values as figures are published, and the ways one can be off: what the import's cheap path must leave to the full checks.
FIGURE_TEXT = st.one_of(
    st.from_regex(r"\A[ <>=.≥≤+-]{0,2}\d{0,4}([,. _\u00a0]\d{1,4}){0,2}(\.\.\d{1,4})?([eE]-?\d)?\s?\Z"),
    st.sampled_from(["1,500", "1 500", "1,5", "1,50", "1.234,5", "1_500", ">400", ">=400", "<500", "<=500", "400..500",
                     "500..400", "400-500", "nan", "inf", "-0", "1e999", "١٢٣", " 497 ", "", " ", "1,2,3", "0x10"]),
    st.text(max_size=8),
)
UNITS = st.sampled_from([None, "", "USD million", "USD billion", "thousand USD", "EUR million", "widgets", "  USD   billion "])


def _via_fields(value: object, unit: str | None) -> object:
    """What the command line and the API make of a metric's value (tracker.core.fields), as stored, or its message."""
    try:
        figure = fields.figure(value, unit or None, METRIC)
    except ValueProblem as exc:
        return f"{getattr(exc, 'field', None) or 'value'}: {exc}"
    extras = (figure.bound, figure.written, figure.unit)
    return (figure.number, *fields.bound_columns(figure.bound), figure.written, figure.unit) if any(extras) else (figure.number,)


def _via_import(value: object, unit: str | None) -> object:
    row = {"type": "observation", "target": "by-az-trade", "value": value, "as_of": "2025", "unit": unit,
           "recorded_at": "2025-10-29T10:00:00"}
    try:
        checked = RowChecker(TARGETS, DEFAULTS).check(row)
    except RowError as exc:
        return str(exc)
    values = dict(zip(OBSERVATION_COLUMNS, checked.values, strict=False))
    if len(checked.values) == OBSERVATION_COLUMNS.index("through"):
        return (values["value_num"],)
    return tuple(values[name] for name in ("value_num", "bound", "bound_low", "bound_high", "written", "unit"))


@FUZZ
@given(value=FIGURE_TEXT | st.floats() | st.integers(), unit=UNITS)
def test_an_import_row_reads_a_value_as_the_command_line_does(value: object, unit: str | None) -> None:
    """The import takes a cheap path for plain numbers; whatever the value, it stores what `tracker observe`
    would, or refuses it with the same message (issue 13 item 3: one set of checks). A blank cell is no value
    at all in a file ("value is missing"), so it is left out."""
    assume(not (isinstance(value, str) and not value.strip()))
    assert _via_import(value, unit) == _via_fields(value, unit)


@FUZZ
@given(raw=VALID_ROWS, changes=st.dictionaries(st.sampled_from(["value", "as_of", "grade", "note", "source", "probability"]),
                                                 FIGURE_TEXT, max_size=2))
def test_csv_and_json_lines_rows_are_read_alike(tmp_path: Path, raw: dict, changes: dict) -> None:  # type: ignore[type-arg]
    """The same row written as CSV and as JSON Lines is checked into the same values, or refused alike.
    (A NUL byte in a CSV is binary data, refused for the whole line; JSON Lines can only escape one.)"""
    import csv
    import io

    assume(not any("\x00" in value for value in changes.values()))
    row = {**raw, **changes}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerow([row.get(c, "") for c in COLUMNS])
    got = []
    for fmt, text in (("csv", out.getvalue()), ("jsonl", json.dumps(row))):
        path = tmp_path / f"row.{fmt}"
        path.write_text(text, encoding="utf-8")
        try:
            with ImportFile(path, fmt, "row") as source:  # type: ignore[arg-type]
                got.append([str(row) if isinstance(row, RowError) else row._replace(line=0)
                            for _, row in RowChecker(TARGETS, DEFAULTS).checked(source)])
        except InputError as exc:
            got.append([str(exc)])
    assert got[0] == got[1]


@FUZZ
@given(raw=st.binary(max_size=300), fmt=st.sampled_from(["csv", "jsonl"]))
def test_import_reader_takes_any_bytes(tmp_path: Path, raw: bytes, fmt: str) -> None:
    _read_all(tmp_path / f"fuzz.{fmt}", raw, fmt)


@FUZZ
@given(lines=st.lists(st.one_of(st.builds(_json, VALUES), st.builds(_json, ROW), st.builds(_json, NESTED_ROW), st.text(max_size=20)),
                     max_size=5))
def test_jsonl_reader_and_checker_take_any_lines(tmp_path: Path, lines: list[str]) -> None:
    for line, raw in _read_all(tmp_path / "fuzz.jsonl", "\n".join(lines).encode("utf-8"), "jsonl"):
        assert line >= 1
        try:
            row = RowChecker(TARGETS, DEFAULTS).check(raw)
        except RowError:
            continue
        assert all(isinstance(value, STORABLE) for value in row.values), row


def _read_all(path: Path, raw: bytes, fmt: str) -> list:  # type: ignore[type-arg]
    path.write_bytes(raw)
    try:
        with ImportFile(path, fmt, "fuzz") as source:  # type: ignore[arg-type]
            return list(source.rows())
    except InputError as exc:
        assert all(line.startswith("fuzz") and "\n" not in line for line in exc.lines())
        return []


# --- a whole import, file to database ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def opened(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The sample workspace on a SQLite database, opened once for every example."""
    from tracker.app.config import Config
    from tracker.app.session import open_session

    root = tmp_path_factory.mktemp("fuzz-import")
    (root / "forecasts").mkdir()
    (root / "forecasts" / "sample.yaml").write_text(SAMPLE, encoding="utf-8")
    return open_session(Config(root, f"sqlite:///{root / 'tracker.db'}", user="tester"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(ROW, min_size=1, max_size=4), fmt=st.sampled_from(["csv", "jsonl"]))
def test_import_logs_every_row_or_nothing(opened, rows: list[dict], fmt: str) -> None:  # type: ignore[no-untyped-def, type-arg]
    from tracker.app.transfer import import_file

    path = opened.root / f"fuzz.{fmt}"
    if fmt == "csv":
        import csv
        import io

        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for raw in rows:
            writer.writerow(["" if raw.get(c) is None else str(raw[c]) for c in COLUMNS])
        path.write_text(out.getvalue(), encoding="utf-8")
    else:
        path.write_text("\n".join(map(_json, rows)), encoding="utf-8")
    before = _counts(opened)
    try:
        report = import_file(opened, path, fmt=fmt)
    except TrackerError as exc:
        assert all("\n" not in line for line in exc.lines())
        assert _counts(opened) == before
        return
    assert sum(report.added.values()) == sum(_counts(opened).values()) - sum(before.values())


def _counts(opened) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with opened.store.read() as connection:
        return {table: connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()  # noqa: S608
                for table in ("observation", "forecast", "ruling")}


def test_the_fuzz_strategies_reach_the_checks_behind_parsing(tmp_path: Path) -> None:
    """A sanity check: a generated-looking document does get to the workspace checks."""
    raw = textwrap.dedent("""\
        observations:
          - {target: by-az-trade, as_of: 2024-05, value: 3, source: huseynov-2024}
    """).encode()
    result = _load_one(tmp_path, "forecasts", raw)
    assert [str(p) for p in result.problems] == ["forecasts/fuzz.yaml:2: as_of 2024-05 is a month, but the metric's period is year"]
