"""The seed corpus and its bundled propositions, read for measuring extraction.

Reads `forecasts/*.yaml` with PyYAML alone (not the project's loader), so recall can be
measured on any checkout; an unreadable file is skipped, not fatal.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from tracker.extract.draft import extract
from tracker.extract.recall import ArticleScore, score_article


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
    """Bundled proposition quotes keyed by the seed file their source names."""
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
