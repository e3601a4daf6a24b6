"""Article text in, draft definitions out: the source, its actors, metrics and propositions.

The draft is plain dicts in the `forecasts/` format (docs/format.md) with `draft: true` at
its top and a `span` on each proposition. Every rule that fired is named in the entry's
`note`: which words made it a candidate, who was taken as the speaker and why, where the
deadline came from, what made it a target and where its metric and baseline came from.
Given the workspace, actors and metrics it already defines are referred to by their ids and
not defined again (the draft then loads together with the workspace).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from tracker.errors import InputError
from tracker.extract import article
from tracker.extract.amounts import find_amounts
from tracker.extract.cues import classify
from tracker.extract.horizons import Deadline, Timeline, cited_date, find_deadline, find_nearest
from tracker.extract.names import name_key, slug
from tracker.extract.speakers import QUESTION, UNNAMED, Actor, Attribution, Cast, attribute_all, known_actor, read_cast
from tracker.extract.targets import (
    Aim,
    Figure,
    KnownMetric,
    aims,
    article_currency,
    baseline,
    metric_kind,
    metric_name,
    reported_figures,
    suggest_metric,
)
from tracker.extract.titles import event_title, target_title

if TYPE_CHECKING:
    from tracker.core.workspace import Workspace

YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
POINTS_TO_FIGURE = re.compile(  # a figure named before: "somewhere around that", "that level", "if we achieve it by 2030"
    r"\b(?:(?:somewhere\s+)?(?:around|about|roughly|close to|near)|at)\s+(?:that|this)(?:\s+(?:level|figure|mark|rate)\b|(?=\s*[.,;:!?”\"’)]|$))|"
    r"\b(?:that|the same)\s+(?:level|figure|mark|rate)\b|"
    r"\b(?:achiev|reach|attain|hit|meet|fulfil)\w*\s+(?:it|this|that|them)\b(?!\s+(?:is|was|will|year|week|month)\b)", re.IGNORECASE)
FORECAST = re.compile(r"\b(?:predicts?|predicted|forecasts?|expects?|expected|projected|estimates?|anticipates?|will (?:amount to|be|reach))\b",
                      re.IGNORECASE)
SOURCE_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")


@dataclass
class Draft:
    """What extraction builds up: the sections of a definition file."""

    source: dict[str, Any]
    cast: Cast
    author: Actor
    context: str
    currency: str | None
    known_metrics: list[KnownMetric] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    metrics: list[dict[str, Any]] = field(default_factory=list)
    propositions: list[dict[str, Any]] = field(default_factory=list)
    used_actors: set[str] = field(default_factory=set)
    timeline: Timeline = field(default_factory=Timeline)

    def as_dict(self) -> dict[str, Any]:
        """The draft in the definition-file layout, `draft: true` first."""
        everyone = [*self.cast.actors, self.author]
        actors = [_actor_entry(a) for a in _unique(everyone) if a.id in self.used_actors and not a.known]
        sections: dict[str, Any] = {"draft": True, "sources": [self.source], "actors": actors}
        if self.metrics:
            sections["metrics"] = self.metrics
        sections["propositions"] = self.propositions
        return sections


def extract(text: str, source_id: str | None = None, published: date | None = None,
            file_name: str | None = None, today: date | None = None,
            workspace: Workspace | None = None) -> dict[str, Any]:
    """A draft of the propositions an article states, as a definition-file mapping.

    `published` wins over the article's own date line; `workspace` (the core Workspace, read
    only) gives the actors and metrics to match.
    """
    if source_id is not None and not SOURCE_ID.fullmatch(source_id):
        raise InputError(f"{source_id!r}: use lowercase letters, digits and dashes", argument="source_id")
    sentences = article.sentences(text)
    draft = _start(text, sentences, source_id, published, file_name, today or date.today(), workspace)
    speakers = attribute_all(text, sentences, draft.cast)
    draft.figures = [f for s in sentences for f in reported_figures(s.text, draft.source["published"])]
    context: article.Sentence | None = None
    for index, (sentence, speaker) in enumerate(zip(sentences, speakers, strict=True)):
        draft.timeline.note(sentence.text, draft.source["published"], index, sentence.paragraph)
        before = len(draft.propositions)
        recent = [s for s in sentences[max(0, index - 2):index] if s.paragraph == sentence.paragraph][::-1]
        _read(draft, _with_context(text, sentence, context), speaker, index, recent)
        context = None if len(draft.propositions) > before else sentence
    return draft.as_dict()


def _start(text: str, sentences: list[article.Sentence], source_id: str | None, published: date | None,
           file_name: str | None, today: date, workspace: Workspace | None) -> Draft:
    head = article.header(text, dated=published is None)
    notes = list(head.notes)
    if published is not None:
        notes.append("published: given")
    day = published or head.published or today
    if published is None and head.published is None:
        notes.append("published: unknown, set to today: fix it")
    known_actors = [known_actor(a.id, a.name, a.role, a.country) for a in (workspace.actors.values() if workspace else [])]
    cast = read_cast(article.masked(text, sentences), known_actors)
    stem = (file_name or "article").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    title = head.title or _first_words(sentences) or stem
    lead = head.author.split()[-1] if head.author else head.publisher or " ".join(re.findall(r"[A-Za-z]+", title)[:3]) or stem
    sid = source_id or f"{slug(lead)}-{day.year}"
    source: dict[str, Any] = {"id": sid, "title": title, "published": day}
    source |= {k: v for k, v in (("publisher", head.publisher), ("author", head.author), ("file", file_name)) if v}
    if notes:
        source["note"] = "; ".join(notes)
    author = _author(cast, head, sid, known_actors)
    metrics = _known_metrics(workspace, day)
    prose = " ".join(s.text for s in sentences)
    return Draft(source, cast, author, text[:article.HEADER_CHARS], article_currency(prose), metrics)


def _first_words(sentences: list[article.Sentence]) -> str | None:
    if not sentences:
        return None
    words = sentences[0].text.split()
    return " ".join(words[:12]) + ("…" if len(words) > 12 else "")


def _author(cast: Cast, head: article.Header, sid: str, known: list[Actor]) -> Actor:
    """Who speaks where nobody else does: the byline, else the publisher, else the source's author."""
    if head.author:
        key = name_key(head.author.split()[-1])
        found = next((a for a in cast.actors if key in a.keys), None) or next((k for k in known if key in k.keys), None)
        return found or Actor(slug(head.author.split()[-1]), head.author, "analyst", keys={key}, how="the article's author (byline)")
    if head.publisher:
        key = name_key(head.publisher)
        found = next((k for k in known if key in k.keys), None)
        return found or Actor(slug(head.publisher), head.publisher, "organisation", keys={key}, how="the article's publisher")
    return Actor(f"{sid}-author", f"Author of {sid}", "analyst", how="the article's author (no byline found)")


def _known_metrics(workspace: Workspace | None, said: date) -> list[KnownMetric]:
    if workspace is None:
        return []
    found: list[KnownMetric] = []
    for metric in workspace.metrics.values():
        values = [(int(str(o.as_of)[:4]), float(o.value)) for o in metric.observations
                  if isinstance(o.value, (int, float)) and int(str(o.as_of)[:4]) < said.year]
        found.append(KnownMetric(metric.id, metric.name, metric.unit, max(values) if values else None))
    return found


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
    if classify(sentence.text, False, False) is None or re.match(r"[“\"«]", sentence.text):
        return sentence
    return article.Sentence(text[context.start:sentence.end], context.start, sentence.end, sentence.paragraph)


def _read(draft: Draft, sentence: article.Sentence, speaker: Attribution | None, index: int,
          recent: list[article.Sentence] | None = None) -> None:
    """Add what one sentence states to the draft (the `index`th of the article; `recent`: the two before it in its
    paragraph, nearest first)."""
    if speaker and speaker.actor_id == QUESTION:
        return
    amounts = find_amounts(sentence.text)
    cue = classify(sentence.text, bool(amounts), speaker is not None, draft.source["published"].year)
    if cue is None:
        return
    if cue.kind == "observation":
        _observe(draft, sentence)
        return
    actor, why = _speaker(draft, speaker)
    stated_on = cited_date(sentence.text, draft.source["published"]) or draft.source["published"]
    found = aims(sentence.text, amounts, stated_on, draft.currency)
    notes = [f"candidate: '{cue.words}'", f"speaker: {why}"]
    figures = sentence.text
    pointer = POINTS_TO_FIGURE.search(sentence.text)
    pointed: article.Sentence | None = None
    if not amounts and pointer is not None:
        for nearness, before in enumerate(recent or []):
            found = aims(before.text, find_amounts(before.text), stated_on, draft.currency)[:1]
            if found:
                pointed, figures = before, before.text
                which = "an earlier sentence of its paragraph" if nearness else "the sentence before"
                notes.append(f"target: '{pointer.group(0)}' is the figure of {which} ('{found[0].amount.surface}')")
                break
    if not found:
        deadline = _in_context(draft, sentence, index, find_deadline(sentence.text, stated_on, cue.at), None, cue.at)
        _propose(draft, sentence, actor, stated_on, deadline, None, notes)
    for aim in found:
        deadline = _in_context(draft, sentence, index, _deadline_for(sentence.text, aim, stated_on, cue.at), aim, cue.at)
        _propose(draft, sentence, actor, stated_on, deadline, aim, notes, figures)
        if pointed is not None and pointer is not None and deadline.basis == "explicit":
            _date_the_figure(draft, pointed, aim, deadline, pointer)


def _date_the_figure(draft: Draft, pointed: article.Sentence, aim: Aim, deadline: Deadline, pointer: re.Match[str]) -> None:
    """A target drafted without a horizon takes the one a later sentence gives it ("… approximately $500
    million. I don't want to set a date. If we achieve it by 2030, that would be excellent.")."""
    for entry in draft.propositions:
        if (entry["span"] == [pointed.start, pointed.end] and entry["kind"] == "target" and entry["deadline_basis"] == "implied"
                and entry["target"]["value"] == aim.amount.value):
            entry |= {"deadline": deadline.on, "deadline_basis": "explicit"}
            entry["note"] = re.sub(r"deadline: [^;]*", f"deadline: '{deadline.phrase}' -> {deadline.on} (given by a later sentence: "
                                   f"'{pointer.group(0)}' refers to this figure, explicit)", entry["note"])


def _speaker(draft: Draft, speaker: Attribution | None) -> tuple[Actor, str]:
    if speaker is None:
        return draft.author, f"{draft.author.name}, no one else speaks here ({draft.author.how})"
    if speaker.actor_id == UNNAMED:
        return draft.author, f"{draft.author.name}, for a source it does not name ('{speaker.evidence}'; {draft.author.how})"
    actor = next((a for a in draft.cast.actors if a.id == speaker.actor_id), draft.author)
    return actor, f"{actor.name} ('{speaker.evidence}'; {actor.how})"


def _in_context(draft: Draft, sentence: article.Sentence, index: int, own: Deadline, aim: Aim | None, cue_at: int) -> Deadline:
    """The sentence's own deadline, or the one its context gives: where it states no horizon at all, or where
    its words refer to one ("this figure", "during the visit") nearer its plan or prediction than its own
    horizon, which then dates something else ("growth in 2025 (1.6%) …, this figure could be exceeded")."""
    rate = aim is not None and aim.amount.unit == "percent" and not YEAR.search(sentence.text) and bool(FORECAST.search(sentence.text))
    context = draft.timeline.inherited(sentence.text, index, sentence.paragraph, rate)
    if own.basis == "explicit" or own.phrase:
        if context is None or context.at < 0 or own.at < 0 or (aim is not None and aim.year is not None):
            return own
        return find_nearest([own, context], cue_at)
    return context or own


def _deadline_for(sentence: str, aim: Aim, stated_on: date, cue_at: int) -> Deadline:
    if aim.year is not None and aim.year >= stated_on.year:
        return Deadline(date(aim.year, 12, 31), "explicit", str(aim.year), "end of the year the figure is given for")
    return find_deadline(sentence, stated_on, cue_at)


def _propose(draft: Draft, sentence: article.Sentence, actor: Actor, stated_on: date, deadline: Deadline,
             aim: Aim | None, notes: list[str], figures: str = "") -> None:
    """Add a proposition; a target's amount, metric and baseline are read from `figures` (the sentence, or the one before)."""
    source = draft.source
    number = len(draft.propositions) + 1
    phrase = f"'{deadline.phrase}' -> {deadline.on} ({deadline.why}, {deadline.basis})" if deadline.phrase else f"{deadline.on} ({deadline.why}, {deadline.basis})"
    entry: dict[str, Any] = {
        "id": f"{source['id']}-p{number}", "kind": "event", "title": event_title(sentence.text),
        "quote": sentence.text, "span": [sentence.start, sentence.end], "source": source["id"],
        "stated_by": actor.id, "stated_on": stated_on, "deadline": deadline.on,
        "deadline_basis": deadline.basis,
    }
    notes = [*notes, f"deadline: {phrase}"]
    if aim is not None:
        entry |= _target(draft, figures or sentence.text, aim, stated_on, deadline, notes)
    entry["note"] = "draft: " + "; ".join(notes)
    draft.used_actors.add(actor.id)
    draft.propositions.append(entry)


def _target(draft: Draft, text: str, aim: Aim, stated_on: date, deadline: Deadline, notes: list[str]) -> dict[str, Any]:
    """The target fields of a proposition, its metric (suggested or drafted) and its baseline."""
    amount = aim.amount
    name = metric_name(text, amount, draft.context)
    suggested = suggest_metric(name, amount.unit, draft.known_metrics)
    metric_id = suggested.id if suggested else _draft_metric(draft, name, amount.unit)
    kind = metric_kind(text, amount)
    value, year, where = baseline(text, aim, stated_on, draft.figures, kind, suggested)
    notes.append(f"target: '{amount.surface}' led by a goal or forecast -> {aim.op} {amount.value:g} {amount.unit}")
    notes.append(f"metric: the workspace's {suggested.id} ({suggested.name}, {suggested.unit})" if suggested
                 else f"metric: drafted as '{name}' ({amount.unit})")
    notes.append(f"baseline: {where}")
    title = target_title(suggested.name if suggested else name, aim.op, amount.value, amount.unit, deadline.on, deadline.basis == "explicit")
    return {"kind": "target", "title": title, "metric": metric_id,
            "baseline": {"value": value, "as_of": year}, "target": {"op": aim.op, "value": amount.value}}


def _draft_metric(draft: Draft, name: str, unit: str) -> str:
    for metric in draft.metrics:
        if metric["name"] == name and metric["unit"] == unit:
            return str(metric["id"])
    metric_id = f"{draft.source['id']}-m{len(draft.metrics) + 1}"
    draft.metrics.append({"id": metric_id, "name": name, "unit": unit, "period": "year",
                          "note": "draft: named after the words and countries near its figures"})
    return metric_id


def _observe(draft: Draft, sentence: article.Sentence) -> None:
    """Reported past figures become documented observations on a metric of the draft."""
    for figure in reported_figures(sentence.text, draft.source["published"]):
        if figure.year >= draft.source["published"].year:
            continue
        amount = next(a for a in find_amounts(sentence.text) if a.surface == figure.surface)
        metric_id = _draft_metric(draft, metric_name(sentence.text, amount, draft.context), figure.unit)
        metric = next(m for m in draft.metrics if m["id"] == metric_id)
        observations = metric.setdefault("observations", [])
        if figure.year not in {o["as_of"] for o in observations}:
            observations.append({
                "as_of": figure.year, "value": figure.value, "source": draft.source["id"],
                "note": f"'{figure.surface}' at characters {sentence.start + amount.start}-{sentence.start + amount.end}",
            })


def _actor_entry(actor: Actor) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": actor.id, "name": actor.name, "role": actor.role}
    if actor.country:
        entry["country"] = actor.country
    if actor.how:
        entry["note"] = f"draft: {actor.how}"
    return entry


def _unique(actors: list[Actor]) -> list[Actor]:
    seen: set[str] = set()
    kept: list[Actor] = []
    for actor in actors:
        if actor.id not in seen:
            seen.add(actor.id)
            kept.append(actor)
    return kept



