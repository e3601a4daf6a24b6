"""What the speed work (issue #6) must not change: the same numbers, the same records, fewer imports.

The pure-Python Beta quantile replaces scipy.stats (about 2 s of start-up); records are plain
slotted dataclasses (a frozen dataclass's __init__ was a second per million observations);
resolution groups periods by their dates. Each keeps what a user sees.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime

import pytest
from scipy.stats import beta

from tracker.core.periods import parse_period
from tracker.core.records import Observation
from tracker.core.resolve import resolve
from tracker.core.scores import beta_quantile, jeffreys_interval


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


def test_observations_compare_and_hash_by_value():
    made = dict(target="m", as_of=parse_period("2025-01"), value=1.0, recorded_at=datetime(2025, 2, 1), source="s")
    a, b = Observation(**made), Observation(**made)
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert Observation(**{**made, "value": 2.0}) != a


def test_resolution_groups_revisions_of_one_period_whatever_the_objects():
    """Two equal periods that are different objects are still one period (the later record wins)."""
    from tracker.core.models import Proposition

    prop = Proposition.model_validate({
        "id": "e", "kind": "event", "title": "E", "quote": "q", "source": "s", "stated_by": "a",
        "stated_on": "2025-01-01", "deadline": "2025-12-31", "criteria": "c",
    })
    first = Observation("e", parse_period("2025-03-01"), "yes", datetime(2025, 3, 2), id=1)
    revised = Observation("e", parse_period("2025-03-01"), "no", datetime(2025, 3, 5), id=2)
    assert resolve(prop, None, [first, revised], [], date(2025, 3, 10)).status == "open"
    assert resolve(prop, None, [first, revised], [], date(2025, 3, 3)).status == "materialised"
    assert resolve(prop, None, [first], [], date.max).status == "materialised"


def test_scorecard_does_not_import_scipy(sample):
    """The scorecard's start-up no longer pays for scipy.stats."""
    sample("forecast", "by-az-trade-1bn", "0.7", "--by", "ana", "--on", "2025-01-01")
    code = ("import sys; from tracker.cli import main; sys.argv = ['tracker', '--workspace', sys.argv[1], '--db', sys.argv[2], "
            "'scorecard', '--format', 'json']\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
            "assert 'scipy' not in sys.modules, 'scipy imported'")
    result = subprocess.run([sys.executable, "-c", code, str(sample.root), sample.db_url], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


IMPORT = """\
type,target,value,as_of,source,grade,recorded_at
observation,by-az-trade,300,2021,belstat,A1,2022-02-01T09:00:00
observation,by-az-trade,400,2022,belstat,A1,2023-02-01T09:00:00
observation,by-az-trade,410,2022,belstat,B2,2023-03-01T09:00:00
observation,by-az-trade,600,2024,belstat,A1,2025-02-01T09:00:00
"""


def _card(sample, *options: str) -> dict:  # type: ignore[type-arg]
    import json

    result = sample("scorecard", "--format", "json", *options)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize("as_of", ["2023-06-01", "2024-12-31", "2025-03-01", "2026-11-24"])
def test_scorecard_reading_only_the_relevant_periods_changes_nothing(sample, as_of):
    """The scorecard reads a metric from the target's baseline on (plus the last period before
    when nothing later is known); `--since` reads everything: both resolve alike."""
    sample.write("logs.csv", IMPORT)
    assert sample("import", str(sample.root / "logs.csv")).exit_code == 0
    windowed = _card(sample, "--as-of", as_of)
    everything = _card(sample, "--as-of", as_of, "--since", "2020-01-01")
    assert windowed["propositions"] == everything["propositions"]
    assert windowed["summary"] == everything["summary"]
    assert windowed["track_records"] == everything["track_records"]


def test_latest_before_the_baseline_when_nothing_later_is_known(sample):
    """As of mid-2023 the 2023 figure is not in yet: the target's latest is the revised 2022 one."""
    sample.write("logs.csv", IMPORT)
    assert sample("import", str(sample.root / "logs.csv")).exit_code == 0
    [target] = [p for p in _card(sample, "--as-of", "2023-06-01")["propositions"] if p["id"] == "by-az-trade-1bn"]
    assert target["latest"] == {"value": 410.0, "as_of": "2022", "source": "belstat", "grade": "B2"}


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
