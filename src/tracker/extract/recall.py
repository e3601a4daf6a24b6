"""How well drafts recover known propositions: recall of quotes and candidates per proposition.

A known quote is recovered when one candidate quote holds most of its words (by default at
least 60% of its distinct words, case and punctuation ignored); omission marks (`...`) are
not words. Used by the seed test and by `benchmarks/extract_recall.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MOST = 0.6


@dataclass(frozen=True)
class ArticleScore:
    """One article: how many known quotes, how many recovered, how many candidates."""

    name: str
    known: int
    recovered: int
    candidates: int
    missed: tuple[str, ...] = ()

    @property
    def per_proposition(self) -> float:
        """Candidates drafted per known proposition."""
        return self.candidates / self.known if self.known else float("inf")


def words(text: str) -> set[str]:
    """The distinct words of a text, lowercased, apostrophes and quotation marks dropped."""
    return set(re.findall(r"[^\W_]+", text.lower().replace("’", "").replace("'", "")))


def shares_most(quote: str, candidate: str, most: float = MOST) -> bool:
    """Whether `candidate` holds at least `most` of the distinct words of `quote`."""
    wanted = words(quote)
    return bool(wanted) and len(wanted & words(candidate)) / len(wanted) >= most


def score_article(name: str, quotes: list[str], candidates: list[str]) -> ArticleScore:
    """Recall of one article's known quotes among its draft's candidate quotes."""
    missed = tuple(q for q in quotes if not any(shares_most(q, c) for c in candidates))
    return ArticleScore(name, len(quotes), len(quotes) - len(missed), len(candidates), missed)


def recall(scores: list[ArticleScore]) -> float:
    """Recovered known quotes over all known quotes."""
    known = sum(s.known for s in scores)
    return sum(s.recovered for s in scores) / known if known else 0.0


def max_per_proposition(scores: list[ArticleScore]) -> float:
    """The largest candidates-per-known-proposition ratio over articles with known quotes."""
    ratios = [s.per_proposition for s in scores if s.known]
    return max(ratios) if ratios else 0.0
