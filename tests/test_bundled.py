"""The bundled data set: it loads cleanly, every quote stands in its seed article, and every verdict rests on logged, sourced, graded evidence."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

import pytest

from tests.conftest import REPO, SEEDS
from tracker.core.resolve import resolve_all
from tracker.core.status import FINAL
from tracker.load.loader import load_workspace

OMISSION = re.compile(r"\.\.\.|…")


def fold(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def bundled():  # type: ignore[no-untyped-def]
    result = load_workspace(REPO)
    assert not result.problems, "\n".join(str(p) for p in result.problems)
    return result.workspace


def test_bundled_data_loads_and_tracks_enough(bundled) -> None:  # type: ignore[no-untyped-def]
    assert len(bundled.propositions) >= 30
    kinds = {p.kind for p in bundled.propositions.values()}
    roles = {bundled.actors[p.stated_by].role for p in bundled.propositions.values()}
    assert kinds == {"target", "event"}
    assert {"official", "analyst"} <= roles


def test_every_observation_names_its_source(bundled) -> None:  # type: ignore[no-untyped-def]
    assert bundled.observations
    assert all(o.source in bundled.sources for o in bundled.observations)


def test_every_quote_occurs_in_its_seed_article(bundled) -> None:  # type: ignore[no-untyped-def]
    if not SEEDS.is_dir():
        pytest.skip(f"the seed articles are not at {SEEDS} (they sit beside the repo in CI)")
    checked = 0
    missing = []
    for prop in bundled.propositions.values():
        source = bundled.sources[prop.source]
        if not source.file:
            continue
        text = fold((SEEDS / source.file).read_text(encoding="utf-8"))
        position = 0
        for fragment in filter(None, (fold(f) for f in OMISSION.split(prop.quote))):
            found = text.find(fragment, position)
            if found < 0:
                missing.append(f"{prop.id}: {fragment!r} not in {source.file}")
                break
            position = found + len(fragment)
        checked += 1
    assert not missing, "\n".join(missing)
    assert checked >= 30


def test_bundled_scorecard_is_the_reviewed_one(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The bundled scorecard as of a fixed day, byte for byte: a refactoring changes nothing; a change of
    rules or data shows here, and is reviewed and written with TRACKER_UPDATE_SNAPSHOTS=1."""
    import os
    import shutil

    import tracker

    for folder in ("forecasts", "scenarios"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    with tracker.open(tmp_path) as t:
        printed = t.scorecard(as_of="2026-12-01").to_json()
    golden = REPO / "tests" / "snapshots" / "bundled_scorecard.json"
    if os.environ.get("TRACKER_UPDATE_SNAPSHOTS"):
        golden.write_text(printed, encoding="utf-8")
    assert printed == golden.read_text(encoding="utf-8")


def test_every_observation_is_graded_and_explained(bundled) -> None:  # type: ignore[no-untyped-def]
    """Each logged figure or verdict says how far to trust it (a grade) and what it says (a note)."""
    missing = [f"{o.target} {o.as_of}: grade {o.grade!r}, note {bool(o.note)}" for o in bundled.observations
               if not o.grade or not o.note]
    assert not missing, "\n".join(missing)


def test_every_source_can_be_found(bundled) -> None:  # type: ignore[no-untyped-def]
    """A source is a seed file or a public address; the one exception is the search log, which says where one looked."""
    unlocated = [s.id for s in bundled.sources.values() if not (s.file or s.url) and not s.id.startswith("search-")]
    assert not unlocated


def test_every_ruling_cites_its_sources(bundled) -> None:  # type: ignore[no-untyped-def]
    """A ruling decides what the data cannot, so its reason names the sources it rests on."""
    uncited = [r.proposition for r in bundled.rulings
               if r.source not in bundled.sources or not any(source in r.why for source in bundled.sources)]
    assert not uncited


def test_every_final_status_rests_on_logged_evidence(bundled) -> None:  # type: ignore[no-untyped-def]
    """As of a fixed day, a final status comes from a ruling in force or from observations of the
    proposition (an event) or its metric (a target) - never from silence."""
    observations = defaultdict(list)
    for o in bundled.observations:
        observations[o.target].append(o)
    rulings = defaultdict(list)
    for r in bundled.rulings:
        rulings[r.proposition].append(r)
    statuses = resolve_all(bundled.propositions, bundled.metrics, observations, rulings, date(2026, 12, 1))
    unbacked = []
    for pid, resolution in statuses.items():
        prop = bundled.propositions[pid]
        target = prop.metric if prop.kind == "target" else pid
        if resolution.status in FINAL and resolution.ruling is None and not observations[target]:
            unbacked.append(pid)
    assert not unbacked
    answered = [pid for pid, r in statuses.items() if r.status in FINAL or r.status in ("in_progress", "on_track", "behind")]
    assert len(answered) >= 40, f"{len(answered)} of {len(statuses)} answered"
