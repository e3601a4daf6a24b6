"""How good a draft is: recall of known quotes (the seeds) and of labelled claims (the corpus).

Evaluation, not product: `tracker.extract` never imports this. Used by
`benchmarks/extract_recall.py` (seed articles against the bundled propositions),
`benchmarks/extract_corpus.py` (the labelled corpus of benchmarks/extract_corpus/) and the tests.

Seeds: a known quote is recovered when one candidate quote holds most of its words (by
default at least 60% of its distinct words, case and punctuation ignored).

Corpus: each article's labels give, per claim, key phrases found verbatim in the article, the
right speaker, kind, deadline and target. A claim is found when a drafted proposition's quote
holds one of its key phrases; one proposition answers at most one claim (a sentence holding
three forecasts must be drafted three times). A drafted proposition that answers no claim and
holds no `optional` phrase counts against precision.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

MOST = 0.6
DEADLINE_SLACK_DAYS = 31
TARGET_TOLERANCE = 0.005


# --- seeds -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleScore:
    """One seed article: how many known quotes, how many recovered, how many candidates."""

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


@dataclass
class SeedQuotes:
    """The bundled quotes drawn from one seed file, with its source id and date."""

    source_id: str
    published: date | None
    quotes: list[str] = field(default_factory=list)


def default_seeds(repo: Path) -> Path:
    """`TRACKER_SEEDS`, else `../shared/seeds` beside the repository."""
    return Path(os.environ.get("TRACKER_SEEDS", repo.parent / "shared" / "seeds"))


def bundled_quotes(forecasts: Path) -> dict[str, SeedQuotes]:
    """Bundled proposition quotes keyed by the seed file their source names (PyYAML only)."""
    documents = [_load(p) for p in sorted(forecasts.glob("*.yaml"))] if forecasts.is_dir() else []
    sources = {s["id"]: s for d in documents for s in d.get("sources") or [] if isinstance(s, dict) and "id" in s}
    found: dict[str, SeedQuotes] = {}
    for document in documents:
        if document.get("draft"):
            continue
        for proposition in document.get("propositions") or []:
            source = sources.get(proposition.get("source"), {})
            if proposition.get("quote") and source.get("file"):
                entry = found.setdefault(source["file"], SeedQuotes(source["id"], _date(source.get("published"))))
                entry.quotes.append(str(proposition["quote"]))
    return found


def score_seeds(seeds: Path, known: dict[str, SeedQuotes]) -> list[ArticleScore]:
    """Draft every seed article that has bundled quotes and score it against them."""
    from tracker.extract import extract

    scores: list[ArticleScore] = []
    for name, seed in sorted(known.items()):
        path = seeds / name
        if not path.is_file():
            continue
        draft = extract(path.read_text(encoding="utf-8"), seed.source_id, seed.published, name)
        candidates = [p["quote"] for p in draft["propositions"]]
        scores.append(score_article(name, seed.quotes, candidates))
    return scores


def _load(path: Path) -> dict[str, Any]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        return {}
    return document if isinstance(document, dict) else {}


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


# --- corpus ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """One labelled claim of an article."""

    keys: tuple[str, ...]
    speakers: tuple[str, ...]
    kind: str
    deadline: date | None  # None: the article states no deadline (an implied one is right)
    target: tuple[float, str] | None = None


@dataclass(frozen=True)
class Labels:
    """An article's labels: where it is from, and its claims."""

    name: str
    url: str
    publisher: str
    published: date
    date_in_text: bool
    claims: tuple[Claim, ...]
    optional: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClaimResult:
    """How one claim fared: found, and if so whether speaker, deadline and target are right."""

    claim: Claim
    found: bool
    speaker: bool = False
    deadline: bool = False
    target: bool = False
    got: str = ""


@dataclass
class CorpusScore:
    """One article's results: per claim, and the drafts that answered nothing."""

    name: str
    results: list[ClaimResult]
    drafted: int
    unwanted: list[str]
    published_right: bool | None = None


def load_labels(path: Path) -> Labels:
    """An article's labels from its YAML file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    claims = tuple(_claim(c) for c in data.get("claims") or [])
    return Labels(path.stem, data["url"], data["publisher"], data["published"], bool(data.get("date_in_text")),
                  claims, tuple(data.get("optional") or ()))


def _claim(data: dict[str, Any]) -> Claim:
    speakers = data["speaker"] if isinstance(data["speaker"], list) else [data["speaker"]]
    deadline = None if data["deadline"] in (None, "none") else data["deadline"]
    target = (float(data["target"]["value"]), data["target"]["unit"]) if data.get("target") else None
    return Claim(tuple(data["keys"]), tuple(speakers), data["kind"], deadline, target)


def load_split(corpus: Path) -> dict[str, list[str]]:
    """The recorded split: article names under `tuning` and `held-out`."""
    return yaml.safe_load((corpus / "split.yaml").read_text(encoding="utf-8"))


def normalised(text: str) -> str:
    """Text compared without case, quotation-mark, dash or spacing differences."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"[‐-―−]", "-", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def score_draft(labels: Labels, draft: dict[str, Any]) -> CorpusScore:
    """Score one article's draft against its labels."""
    propositions = draft["propositions"]
    quotes = [normalised(p["quote"]) for p in propositions]
    used: set[int] = set()
    results = [_score_claim(claim, propositions, quotes, used, draft) for claim in labels.claims]
    optional = [normalised(k) for k in labels.optional]
    answered = {i for i, q in enumerate(quotes) if any(_holds(q, c) for c in labels.claims)}
    unwanted = [propositions[i]["quote"] for i, q in enumerate(quotes)
                if i not in answered and not any(k in q for k in optional)]
    return CorpusScore(labels.name, results, len(propositions), unwanted)


def label_mistakes(labels: Labels, text: str) -> list[str]:
    """The key and optional phrases of `labels` that are not in the article's text."""
    found = normalised(text)
    phrases = [k for c in labels.claims for k in c.keys] + list(labels.optional)
    return [p for p in phrases if normalised(p) not in found]


def _holds(quote: str, claim: Claim) -> bool:
    return any(normalised(k) in quote for k in claim.keys)


def _score_claim(claim: Claim, propositions: list[dict[str, Any]], quotes: list[str], used: set[int],
                 draft: dict[str, Any]) -> ClaimResult:
    for key in claim.keys:
        candidates = [i for i, q in enumerate(quotes) if normalised(key) in q and i not in used]
        if candidates:
            best = max(candidates, key=lambda i: _target_right(claim, propositions[i], draft))
            used.add(best)
            return _judge(claim, propositions[best], draft)
    return ClaimResult(claim, False)


def _judge(claim: Claim, proposition: dict[str, Any], draft: dict[str, Any]) -> ClaimResult:
    speaker = _speaker_right(claim, proposition["stated_by"], draft)
    deadline = _deadline_right(claim, proposition)
    target = _target_right(claim, proposition, draft) if claim.target else proposition["kind"] == "event"
    aim = proposition.get("target", "")
    got = f"{proposition['stated_by']}, {proposition['deadline']} ({proposition.get('deadline_basis')}), {proposition['kind']} {aim}"
    return ClaimResult(claim, True, speaker, deadline, target, got)


def _deadline_right(claim: Claim, proposition: dict[str, Any]) -> bool:
    if claim.deadline is None:
        return proposition.get("deadline_basis") == "implied"
    return abs((proposition["deadline"] - claim.deadline).days) <= DEADLINE_SLACK_DAYS


def _target_right(claim: Claim, proposition: dict[str, Any], draft: dict[str, Any]) -> bool:
    if claim.target is None or proposition["kind"] != "target":
        return False
    value, unit = claim.target
    metric = next((m for m in draft.get("metrics") or [] if m["id"] == proposition.get("metric")), {})
    drafted = float(proposition["target"]["value"])
    return metric.get("unit") == unit and abs(drafted - value) <= TARGET_TOLERANCE * abs(value)


def _speaker_right(claim: Claim, actor_id: str, draft: dict[str, Any]) -> bool:
    actor = next((a for a in draft["actors"] if a["id"] == actor_id), {"id": actor_id, "name": actor_id})
    return any(_same_speaker(label, actor, draft) for label in claim.speakers)


def _same_speaker(label: str, actor: dict[str, Any], draft: dict[str, Any]) -> bool:
    """A person is right by surname; a body (ministry, bank, authorities) by all its words."""
    if label == "author":
        source = draft["sources"][0]
        return actor["id"].endswith("-author") or actor["name"] in (source.get("author"), source.get("publisher"))
    named = {_stem(w) for w in re.findall(r"[^\W\d_]+", actor["name"])}
    if BODY.search(label):
        return {_stem(w) for w in re.findall(r"[^\W\d_]{3,}", label) if w.lower() != "and"} <= named
    return _stem(label.split()[-1]) in named


BODY = re.compile(r"\b(?:Ministry|Committee|Administration|Bank|authorities|government|Commission)\b", re.IGNORECASE)


def _stem(word: str) -> str:
    lowered = re.sub(r"[^a-z0-9]", "", word.lower())
    return lowered[:-1] if len(lowered) > 4 and lowered[-1] in "aeiouy" else lowered
