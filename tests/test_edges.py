"""Issue 19, items 15 and 16: dates at the calendar's edges and finite numbers whose arithmetic overflows.

Every command either gives the right answer or one line and exit 2; none fails with an internal
error, prints NaN (which is not JSON) or shows `nan%`. The pure pieces are checked directly first,
then the reproductions of the issue through the real command line on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import math
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from tests.conftest import Run
from tracker.core.models import Metric, Proposition
from tracker.core.periods import parse_period
from tracker.core.records import Observation
from tracker.core.resolve import finite, progress_between, project, resolve, status_history

YEARLY = Metric(id="m1", name="M", unit="USD million", period="year")


def event(deadline: date) -> Proposition:
    return Proposition(id="e1", kind="event", title="E", quote="q", source="src", stated_by="a1",
                       stated_on=date(2024, 5, 16), deadline=deadline)


def target(base: float, goal: float, base_as_of: str = "2023", deadline: date = date(2025, 12, 31)) -> Proposition:
    return Proposition(id="p1", kind="target", title="T", quote="q", source="src", stated_by="a1", stated_on=date(2024, 5, 16),
                       deadline=deadline, metric="m1", baseline={"value": base, "as_of": base_as_of}, target={"op": ">=", "value": goal})


def observed(target_id: str, as_of: str, value: float | str, recorded: str = "2024-06-01T00:00:00", through: str | None = None) -> Observation:
    return Observation(target=target_id, as_of=parse_period(as_of), value=value, recorded_at=datetime.fromisoformat(recorded),
                       source="src", through=parse_period(through) if through else None)


# --- item 15: the pure pieces at the calendar's edges -------------------------------------------------------------


def test_item_15_a_deadline_on_the_calendars_last_day_never_passes() -> None:
    prop = event(date.max)
    evidence = [observed("e1", "9999-12-31", "yes", "2024-06-01T00:00:00")]
    history = status_history(prop, None, evidence, [], date.max)
    assert [change.status for change in history] == ["open", "materialised"]
    assert resolve(prop, None, evidence, [], date.max).status == "materialised"
    assert [c.status for c in status_history(prop, None, [], [], date.max)] == ["open"]


def test_item_15_a_target_from_year_one_to_the_last_day() -> None:
    prop = target(450, 1000, base_as_of="0001", deadline=date.max)
    series = [observed("m1", "0002", 900.0), observed("m1", "9999", 1000.0, "9999-12-31T00:00:00")]
    assert resolve(prop, YEARLY, series[:1], [], date(2026, 1, 1)).status == "on_track"
    history = status_history(prop, YEARLY, series, [], date.max)
    assert [c.status for c in history] == ["no_data", "on_track", "behind", "materialised"]  # behind from about 9180


# --- item 16: overflowing arithmetic on finite numbers ------------------------------------------------------------


@pytest.mark.parametrize(("value", "base", "goal", "expected"), [
    (1e308, -1e308, 1e308, 1.0),          # 1e308 − (−1e308) overflows; on halves it does not
    (0.0, -1e308, 1e308, 0.5),
    (-1e308, -1e308, 1e308, 0.0),
    (1e308, 0.0, -1e308, -1.0),
    (1e308, 1e-308, 2e-308, sys.float_info.max),  # a share past the largest float is that float
    (-1e308, 1e-308, 2e-308, -sys.float_info.max),
    (497.0, 450.0, 1000.0, (497 - 450) / 550),
])
def test_item_16_progress_is_never_nan_nor_infinite(value: float, base: float, goal: float, expected: float) -> None:
    found = progress_between(value, base, goal)
    assert math.isfinite(found) and found == pytest.approx(expected)


def test_item_16_a_projection_past_the_largest_float_is_that_float() -> None:
    partial = observed("m1", "2024", 1e308, through="2024-03")
    assert project(partial).value == sys.float_info.max
    assert finite(float("-inf")) == -sys.float_info.max and finite(2.5) == 2.5


def test_item_16_resolving_extremes_gives_finite_progress() -> None:
    for base, goal, value in [(-1e308, 1e308, 1e308), (1e-308, 2e-308, 1e308), (-1e308, 0.0, 1e308), (1e308, -1e308, -1e308)]:
        resolution = resolve(target(base, goal), YEARLY, [observed("m1", "2024", value)], [], date(2025, 1, 1))
        assert resolution.progress is not None and math.isfinite(resolution.progress), (base, goal, value)


# --- the reproductions, through the command line ----------------------------------------------------------------------

DEFINITIONS = """\
sources:
  - {{id: src, title: S, publisher: P, published: 2024-05-20}}
actors:
  - {{id: a1, name: A, role: official}}
metrics:
  - {{id: m1, name: M, unit: USD million, period: year}}
propositions:
  - {{id: p1, kind: target, title: T, quote: q, source: src, stated_by: a1, stated_on: 2024-05-16, metric: m1,
     baseline: {{value: {base}, as_of: '{base_as_of}'}}, target: {{op: ">=", value: {goal}}}, deadline: {deadline}}}
  - {{id: e1, kind: event, title: E, quote: q, source: src, stated_by: a1, stated_on: 2024-05-16, deadline: {deadline},
     criteria: c}}
"""


def workspace(run: Run, base: str = "450", goal: str = "1000", base_as_of: str = "2023", deadline: str = "2025-12-31") -> Run:
    run.write("forecasts/a.yaml", DEFINITIONS.format(base=base, goal=goal, base_as_of=base_as_of, deadline=deadline))
    return run


def answered(result) -> bool:  # type: ignore[no-untyped-def]
    """A command gave an answer (exit 0) or refused in one line (exit 2); never an internal error."""
    if result.exit_code == 0:
        return True
    return result.exit_code == 2 and len(result.stderr.splitlines()) == 1 and "internal error" not in result.stderr


def test_item_15_chart_of_an_event_as_of_the_last_day(run: Run, tmp_path: Path) -> None:
    workspace(run)
    result = run("chart", "e1", "--as-of", "9999-12-31", "-o", str(tmp_path / "e1.html"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "e1.html").stat().st_size > 0


def test_item_15_a_dashboard_as_of_the_year_50(run: Run, tmp_path: Path) -> None:
    workspace(run)
    result = run("dashboard", "--as-of", "0050-01-01", "-o", str(tmp_path / "site"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "p" / "e1.html").is_file()


def test_item_15_every_dashboard_builds_with_a_deadline_on_the_last_day(run: Run, tmp_path: Path) -> None:
    workspace(run, deadline="9999-12-31")
    assert run("observe", "m1", "700", "--as-of", "2024", "--source", "S").exit_code == 0
    for as_of in (None, "0001-01-01", "0050-01-01", "2026-01-01", "9999-12-31"):
        result = run("dashboard", "-o", str(tmp_path / "site"), *(("--as-of", as_of) if as_of else ()))
        assert result.exit_code == 0, (as_of, result.output)


def test_item_15_an_observation_on_the_last_day_then_a_chart(run: Run, tmp_path: Path) -> None:
    workspace(run, deadline="9999-12-31")
    assert run("observe", "e1", "yes", "--as-of", "9999-12-31", "--source", "S").exit_code == 0
    assert run("observe", "m1", "1200", "--as-of", "9999", "--source", "S").exit_code == 0
    for prop_id in ("e1", "p1"):
        for as_of in (None, "9999-12-31"):
            result = run("chart", prop_id, "-o", str(tmp_path / f"{prop_id}.html"), *(("--as-of", as_of) if as_of else ()))
            assert result.exit_code == 0, (prop_id, as_of, result.output)
    shown = run("show", "e1", "--as-of", "9999-12-31", "--format", "json")
    assert json.loads(shown.stdout)["status"] == "materialised"


def test_item_15_a_baseline_in_the_year_one(run: Run, tmp_path: Path) -> None:
    workspace(run, base_as_of="0001", deadline="9999-12-31")
    assert run("observe", "m1", "0001", "--as-of", "0001", "--source", "S").exit_code in (0, 2)
    assert run("observe", "m1", "700", "--as-of", "2024", "--source", "S").exit_code == 0
    commands = [("list",), ("show", "p1"), ("scorecard", "--format", "json"), ("due",), ("scenarios",), ("export",),
                ("chart", "p1", "-o", str(tmp_path / "p1.html")), ("dashboard", "-o", str(tmp_path / "site"))]
    for command in commands:
        for as_of in ((), ("--as-of", "0001-01-01"), ("--as-of", "9999-12-31")):
            if command[0] == "export" and as_of:
                continue
            result = run(*command, *as_of)
            assert answered(result), (command, as_of, result.output)
    assert run("dashboard", "-o", str(tmp_path / "site")).exit_code == 0


def test_item_15_what_changed_up_to_the_last_day(run: Run) -> None:
    """scorecard --since replays the days after `since`, up to an as_of that has no day after it."""
    workspace(run)
    assert run("observe", "e1", "yes", "--as-of", "2025-06", "--source", "S").exit_code == 0
    for since in ("0001-01-01", "2024-01-01", "9999-12-30"):
        result = run("scorecard", "--since", since, "--as-of", "9999-12-31", "--format", "json")
        assert result.exit_code == 0, (since, result.output)
        moved = {c["id"]: c["to"] for c in json.loads(result.stdout)["changes"]["status_changes"]}
        assert moved == ({} if since == "9999-12-30" else {"e1": "materialised", "p1": "overdue"}), since


def test_item_15_due_near_the_last_day_says_so_in_one_line(run: Run) -> None:
    workspace(run, deadline="9999-12-31")
    result = run("due", "--as-of", "9999-12-31")
    assert result.exit_code == 2 and result.stderr == "--within: 30d reaches past the year 9999\n"
    assert run("due", "--as-of", "9999-12-31", "--within", "0d").exit_code == 0


# --- item 16 through the command line ------------------------------------------------------------------------------------

EXTREMES = [("-1e308", "1e308", "1e308"), ("1e308", "-1e308", "-1e308"), ("1e-308", "2e-308", "1e308"), ("-1e308", "0", "1e308"),
            ("0", "1e308", "-1e308")]


def strict_json(text: str) -> object:
    """JSON as the standard has it: NaN and Infinity are not JSON."""
    def refuse(constant: str) -> object:
        raise AssertionError(f"{constant} in JSON output")
    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize(("base", "goal", "value"), EXTREMES)
def test_item_16_finite_extremes_never_make_nan(run: Run, base: str, goal: str, value: str) -> None:
    workspace(run, base=base, goal=goal)
    assert run("observe", "--as-of", "2024", "--source", "S", "--", "m1", value).exit_code == 0
    assert run("forecast", "p1", "0.3", "--by", "f", "--on", "2024-06-01").exit_code == 0
    card = run("scorecard", "--format", "json")
    assert card.exit_code == 0, card.output
    [row] = [p for p in strict_json(card.stdout)["propositions"] if p["id"] == "p1"]  # type: ignore[index]
    assert math.isfinite(row["progress"])
    for command in (("list", "--format", "json"), ("show", "p1", "--format", "json")):
        result = run(*command)
        assert result.exit_code == 0, (command, result.output)
        strict_json(result.stdout)
    for command in (("list",), ("show", "p1"), ("scorecard",), ("scorecard", "--format", "md"), ("scorecard", "--format", "html")):
        result = run(*command)
        assert result.exit_code == 0, (command, result.output)
        assert not any(word in result.stdout.lower() for word in ("nan%", "inf%", "nan ", ": nan")), (command, result.stdout)
