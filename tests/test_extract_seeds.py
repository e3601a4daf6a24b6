"""`tracker extract` on the seed articles: drafts load, and recall of the bundled quotes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tracker.extract import extract

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))  # evaluation code lives with the benchmarks, not in the product

from extract_scoring import bundled_quotes, default_seeds, max_per_proposition, recall, score_article, score_seeds, shares_most  # noqa: E402

SEEDS = default_seeds(REPO)
ARTICLES = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
needs_seeds = pytest.mark.skipif(not ARTICLES, reason=f"seed articles not found at {SEEDS}")


@needs_seeds
@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.name)
def test_seed_drafts_quote_verbatim(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    draft = extract(text, file_name=path.name)
    assert draft["propositions"], "every seed states some plan or prediction"
    for proposition in draft["propositions"]:
        start, end = proposition["span"]
        assert text[start:end] == proposition["quote"]


@needs_seeds
@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.name)
def test_seed_drafts_load(path: Path, tmp_path: Path) -> None:
    loader = pytest.importorskip("tracker.load.loader", reason="the project's loader is not there yet")
    from tracker.extract import to_yaml

    draft_file = tmp_path / "draft.yaml"
    draft_file.write_text(to_yaml(extract(path.read_text(encoding="utf-8"), file_name=path.name)), encoding="utf-8")
    result = loader.load_files([draft_file])
    assert [str(p) for p in result.problems] == []
    assert [w.message for w in result.warnings] == [loader.DRAFT_WARNING]


@needs_seeds
def test_seed_recall_of_bundled_quotes() -> None:
    known = bundled_quotes(REPO / "forecasts")
    if not known:
        pytest.skip("no bundled propositions with quotes in forecasts/ yet")
    scores = score_seeds(SEEDS, known)
    print(f"recall {recall(scores):.2f}, max candidates per proposition {max_per_proposition(scores):.2f}")
    assert recall(scores) >= 0.8
    assert max_per_proposition(scores) <= 3


def test_recall_counts_a_candidate_holding_most_words() -> None:
    quote = "...within a year and a half, to reach the $1 billion mark."
    assert shares_most(quote, "and then, within a year and a half, to reach the $1 billion mark.")
    assert not shares_most(quote, "Trade reached $1 billion.")
    score = score_article("a.txt", [quote, "A plant will be built."], ["Then, within a year and a half, to reach the $1 billion mark."])
    assert (score.known, score.recovered, score.candidates) == (2, 1, 1)
