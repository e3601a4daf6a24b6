"""Article text in, draft definitions out: the source, its actors, metrics and propositions.

The draft is plain dicts in the `forecasts/` format (docs/format.md) with `draft: true` at
its top and a `span` on each proposition. Every guess carries its provenance in the
entry's `note`: which words made it a candidate, who was taken as the speaker and why,
where the deadline came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tracker.extract import article
from tracker.extract.amounts import Amount, find_amounts
from tracker.extract.cues import classify
from tracker.extract.horizons import cited_date, find_deadline
from tracker.extract.speakers import Actor, attribute, find_actors, mentions, slug

TARGET_VERBS = re.compile(
    r"\b(?:reach\w*|to|double|triple|exceed\w*|increase\w* to|bring|at least|more than|above|"
    r"over|up to|below|less than|under|cut\w* to|reduce\w* to|no more than|mark)\b", re.IGNORECASE
)
OPERATORS = (  # words just before the amount -> operator
    (re.compile(r"\b(?:below|less than|under|no more than|cut\w* to|reduce\w* to)\s*$", re.IGNORECASE), "<="),
    (re.compile(r"\b(?:more than|above|over|exceed\w*)\s*$", re.IGNORECASE), ">"),
)
METRIC_NOUNS = re.compile(
    r"\b(?:trade turnover|turnover|trade volume|trade|exports?|imports?|supplies|supply|"
    r"production|output|investments?|GDP|surplus|deficit|transactions|share|volumes?|"
    r"contracts?|loans?|debt|sales|shipments?)\b", re.IGNORECASE
)
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


@dataclass
class Draft:
    """What extraction builds up: the sections of a definition file."""

    source: dict[str, Any]
    actors: list[Actor]
    author_id: str
    metrics: list[dict[str, Any]] = field(default_factory=list)
    propositions: list[dict[str, Any]] = field(default_factory=list)
    used_actors: set[str] = field(default_factory=set)

    def as_dict(self) -> dict[str, Any]:
        """The draft in the definition-file layout, `draft: true` first."""
        actors = [_actor_entry(a) for a in self.actors if a.id in self.used_actors]
        sections: dict[str, Any] = {"draft": True, "sources": [self.source], "actors": actors}
        if self.metrics:
            sections["metrics"] = self.metrics
        sections["propositions"] = self.propositions
        return sections


def extract(text: str, source_id: str | None = None, published: date | None = None,
            file_name: str | None = None, today: date | None = None) -> dict[str, Any]:
    """A draft of the propositions an article states, as a definition-file mapping."""
    draft = _start(text, source_id, published, file_name, today or date.today())
    previous: str | None = None
    context: article.Sentence | None = None
    for sentence in article.sentences(text):
        before = len(draft.propositions)
        previous = _read(draft, _with_context(text, sentence, context), previous)
        proposed = len(draft.propositions) > before
        context = None if proposed else sentence
    return draft.as_dict()


def _with_context(text: str, sentence: article.Sentence, context: article.Sentence | None) -> article.Sentence:
    """The sentence, led by the one before it when that gives the figures it speaks of.

    Only for a sentence without a figure or year of its own, and a preceding sentence in
    the same paragraph that has one and is no candidate itself ("If we look at exports in
    2023, ... With the new corridors, transit will increase.").
    """
    if context is None or "\n" in text[context.end:sentence.start]:
        return sentence
    if YEAR.search(sentence.text) or find_amounts(sentence.text):
        return sentence
    if not (YEAR.search(context.text) or find_amounts(context.text)):
        return sentence
    if classify(sentence.text, False, False) is None:
        return sentence
    return article.Sentence(text[context.start:sentence.end], context.start, sentence.end)


def _start(text: str, source_id: str | None, published: date | None, file_name: str | None,
           today: date) -> Draft:
    notes: list[str] = []
    if published is None:
        published, how = article.published(text)
        notes.append(f"published: {how}" if published else "published: unknown, set to today: fix it")
        published = published or today
    writer = article.author(text)
    stem = (file_name or "article").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    heading = article.title(text, stem)
    lead = " ".join(heading.split()[:3]) if heading != stem else stem
    sid = source_id or f"{slug(writer.split()[-1] if writer else lead)}-{published.year}"
    source: dict[str, Any] = {"id": sid, "title": heading, "published": published}
    if writer:
        source["author"] = writer
    if file_name:
        source["file"] = file_name
    if notes:
        source["note"] = "; ".join(notes)
    actors = find_actors(text)
    author_name = writer or f"Author of {source['title']}"
    author_id = slug(writer.split()[-1]) if writer else f"{sid}-author"
    if all(a.id != author_id for a in actors):
        actors.append(Actor(author_id, author_name, "analyst", stems=set()))
    return Draft(source, actors, author_id)


def _read(draft: Draft, sentence: article.Sentence, previous: str | None) -> str | None:
    """Add what one sentence states to the draft; return its speaker for the next sentence."""
    amounts = find_amounts(sentence.text)
    named = mentions(sentence.text, draft.actors)
    cue = classify(sentence.text, bool(amounts), bool(named))
    if cue is None:
        return None
    if cue.kind == "observation":
        _observe(draft, sentence, amounts)
        return None
    speaker, why = _speaker(sentence.text, draft, previous)
    _propose(draft, sentence, amounts, speaker, f"cue '{cue.words}'; speaker: {why}")
    return speaker if any(q in sentence.text for q in "“”\"") else None


def _speaker(text: str, draft: Draft, previous: str | None) -> tuple[str, str]:
    found = attribute(text, draft.actors)
    if found:
        return found.actor_id, f"'{found.evidence}'"
    if previous and re.match(r"^[“\"]", text):
        return previous, "continues the previous sentence's quotation"
    return draft.author_id, "no reporting verb, so the author's own statement"


def _propose(draft: Draft, sentence: article.Sentence, amounts: list[Amount], speaker: str,
             why: str) -> None:
    source = draft.source
    stated_on = cited_date(sentence.text, source["published"]) or source["published"]
    deadline = find_deadline(sentence.text, stated_on)
    phrase = f"'{deadline.phrase}' ({deadline.why})" if deadline.phrase else deadline.why
    number = len(draft.propositions) + 1
    entry: dict[str, Any] = {
        "id": f"{source['id']}-p{number}", "kind": "event", "title": _title(sentence.text),
        "quote": sentence.text, "span": [sentence.start, sentence.end], "source": source["id"],
        "stated_by": speaker, "stated_on": stated_on, "deadline": deadline.on,
        "deadline_basis": deadline.basis,
    }
    target = _target_amount(sentence.text, amounts)
    if target is not None and _baseline(sentence.text, target, source["published"]):
        entry |= _target(draft, sentence.text, target, number)
    elif target is not None:
        why += f"; aims at '{target.surface}' ({target.value:g} {target.unit}) but no baseline found: add one and make it a target"
    entry["note"] = f"draft: {why}; deadline: {phrase}"
    draft.used_actors.add(speaker)
    draft.propositions.append(entry)


def _target_amount(text: str, amounts: list[Amount]) -> Amount | None:
    """The amount a plan aims at: the last one led by a verb such as "reach" or "to"."""
    led = [a for a in amounts if TARGET_VERBS.search(text[max(0, a.start - 30):a.start])]
    return led[-1] if led else None


def _target(draft: Draft, text: str, amount: Amount, number: int) -> dict[str, Any]:
    before = text[max(0, amount.start - 30):amount.start]
    op = next((op for pattern, op in OPERATORS if pattern.search(before)), ">=")
    metric_id = f"{draft.source['id']}-m{len(draft.metrics) + 1}"
    draft.metrics.append({
        "id": metric_id, "name": _metric_name(text, amount), "unit": amount.unit, "period": "year",
        "note": f"draft: the metric of proposition {draft.source['id']}-p{number}",
    })
    fields: dict[str, Any] = {"kind": "target", "metric": metric_id,
                              "target": {"op": op, "value": amount.value}}
    baseline = _baseline(text, amount, draft.source["published"])
    if baseline:
        fields["baseline"] = baseline
    return fields


def _baseline(text: str, target: Amount, published: date) -> dict[str, Any] | None:
    """An earlier figure in the same unit within the same sentence, as the baseline."""
    for amount in find_amounts(text[:target.start]):
        if amount.unit == target.unit and amount.value != target.value:
            year = _year_near(text, amount) or published.year - 1
            return {"value": amount.value, "as_of": year}
    return None


def _observe(draft: Draft, sentence: article.Sentence, amounts: list[Amount]) -> None:
    """Reported past figures become documented observations on a metric of the draft."""
    for amount in amounts:
        year = _year_near(sentence.text, amount)
        if year is None or year > draft.source["published"].year:
            continue
        metric = _metric_for(draft, _metric_name(sentence.text, amount), amount.unit)
        seen = {o["as_of"] for o in metric["observations"]}
        if year not in seen:
            metric["observations"].append({
                "as_of": year, "value": amount.value, "source": draft.source["id"],
                "note": f"'{amount.surface}' at characters {sentence.start + amount.start}-"
                        f"{sentence.start + amount.end}",
            })


def _metric_for(draft: Draft, name: str, unit: str) -> dict[str, Any]:
    for metric in draft.metrics:
        if metric["name"] == name and metric["unit"] == unit and "observations" in metric:
            return metric
    metric = {"id": f"{draft.source['id']}-m{len(draft.metrics) + 1}", "name": name, "unit": unit,
              "period": "year", "note": "draft: named after the words near its figures",
              "observations": []}
    draft.metrics.append(metric)
    return metric


def _year_near(text: str, amount: Amount) -> int | None:
    """The year closest after an amount in its clause, else the closest before it."""
    clause_end = re.search(r"[;(]|\bbut\b|, and\b", text[amount.end:])
    after = text[amount.end: amount.end + (clause_end.start() if clause_end else len(text))]
    years = YEAR.findall(after[:40]) or YEAR.findall(text[max(0, amount.start - 60):amount.start])[-1:]
    return int(years[0]) if years else None


def _metric_name(text: str, amount: Amount) -> str:
    window = text[max(0, amount.start - 120):amount.start]
    nouns = METRIC_NOUNS.findall(window) or METRIC_NOUNS.findall(text[amount.end:amount.end + 60])
    noun = nouns[-1].lower() if nouns else "figure"
    return f"{noun} ({amount.unit})"


def _title(text: str) -> str:
    """A short title from the sentence: quotation marks and citations dropped, cut at 100."""
    plain = re.sub(r"\s*\([^()]*\)", "", text)
    plain = re.sub(r"[“”\"]", "", plain).strip().rstrip(".")
    if len(plain) <= 100:
        return plain
    cut = plain[:100].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _actor_entry(actor: Actor) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": actor.id, "name": actor.name, "role": actor.role}
    if actor.country:
        entry["country"] = actor.country
    return entry
