"""Who says what: the actors an article names, and the speaker of each sentence.

Actors are found where the article introduces them with a title ("Belarusian President
Alyaksandr Lukashenka", "Belarusian analyst, Arsen Sivitsky") or by "according to". Later
mentions are matched by surname, allowing for transliteration (Lukashenka/Lukashenko), or
by title ("the Belarusian president"). A sentence's speaker comes from a reporting verb
("Lukashenka said", "emphasized the President of Belarus", "according to Sivitsky"); a
sentence without one is the author's own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

NATIONALITIES = {
    "belarusian": "BY", "azerbaijani": "AZ", "russian": "RU", "iranian": "IR",
    "armenian": "AM", "turkish": "TR", "ukrainian": "UA", "kazakh": "KZ",
    "chinese": "CN", "hungarian": "HU", "georgian": "GE", "american": "US", "polish": "PL",
    "lithuanian": "LT", "french": "FR", "german": "DE", "british": "GB", "european": None,
}
COUNTRIES = {
    "belarus": "BY", "azerbaijan": "AZ", "russia": "RU", "iran": "IR", "armenia": "AM",
    "turkey": "TR", "ukraine": "UA", "kazakhstan": "KZ", "china": "CN", "hungary": "HU",
}
TITLES = {  # title -> role
    "president": "official", "prime minister": "official", "foreign minister": "official",
    "minister": "official", "deputy prime minister": "official", "ambassador": "official",
    "supreme leader": "official", "leader": "official", "chairman": "official",
    "spokesperson": "official", "spokesman": "official", "expert": "analyst",
    "analyst": "analyst", "economist": "analyst", "political scientist": "analyst",
}
REPORTING = (
    r"said|says|say|stated|states|noted|notes|emphasi[sz]ed|emphasi[sz]es|stressed|stresses|"
    r"declared|declares|added|adds|announced|announces|argued|argues|suggested|suggests|"
    r"promised|promises|pledged|pledges|vowed|admitted|told|tells|claimed|claims|"
    r"predicted|predicts|expects|expected|believes|hopes|warned|warns|assured|insisted|"
    r"plans|planned|intends|intended|aims|wants|proposed|proposes|reiterated|confirmed|"
    r"recalled|explained|highlighted|spoke|asked|offered|expressed"
)
_TITLE = "|".join(sorted(TITLES, key=len, reverse=True))
_NAT = "|".join(NATIONALITIES)
_NAME_WORD = r"[^\W\d_][\w'’-]*"
INTRODUCED = re.compile(
    rf"(?:\b(?P<nat>{_NAT})\s+)?\b(?P<title>{_TITLE})s?\b,?\s+(?:of\s+(?P<of>[A-Z]\w+)\s+)?"
    rf"(?=(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}))", re.IGNORECASE
)
ACCORDING = re.compile(rf"\baccording to\s+(?:the\s+)?(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,7}})", re.IGNORECASE)
TITLE_MENTION = re.compile(
    rf"\b(?:the\s+)?(?:(?P<nat>{_NAT})\s+(?P<title>{_TITLE})|(?P<title2>{_TITLE})\s+of\s+(?P<country>[A-Z]\w+))\b",
    re.IGNORECASE,
)
REPORTING_VERB = re.compile(rf"\b(?:{REPORTING})\b")
_SMALL_WORDS = {"of", "the", "de", "van", "von", "al", "bin"}


@dataclass
class Actor:
    """Someone the article names: an id, a display name, a role and a country."""

    id: str
    name: str
    role: str
    country: str | None = None
    title: str | None = None
    stems: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Attribution:
    """The speaker of a sentence and the words that told us."""

    actor_id: str
    evidence: str


def slug(words: str) -> str:
    """A kebab-case id from words: `Alyaksandr Lukashenka` -> `alyaksandr-lukashenka`."""
    decomposed = unicodedata.normalize("NFKD", words.lower())
    ascii_words = decomposed.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_words).strip("-") or "x"


def stem(word: str) -> str:
    """A surname reduced so that transliterations meet: Lukashenka, Lukashenko -> lukashenk."""
    lowered = slug(word)
    return lowered[:-1] if len(lowered) > 4 and lowered[-1] in "aeiouy" else lowered


def _name_tokens(raw: str) -> list[str]:
    tokens: list[str] = []
    for token in raw.split():
        if token[0].isupper():
            tokens.append(re.sub(r"[’']s?$", "", token.rstrip(",.;:")))
        elif token.lower() in _SMALL_WORDS and tokens:
            tokens.append(token)
        else:
            break
        if token[-1] in ",.;:" or re.search(r"[’']s?$", token):
            break
    while tokens and tokens[-1].lower() in _SMALL_WORDS:
        tokens.pop()
    return [t for t in tokens if t]


def find_actors(text: str) -> list[Actor]:
    """The people and organisations the article introduces, in order of first mention."""
    actors: dict[str, Actor] = {}
    for match in INTRODUCED.finditer(text):
        _introduce(actors, match)
    for match in ACCORDING.finditer(text):
        tokens = _name_tokens(match["name"])
        if tokens and tokens[0].lower() not in NATIONALITIES and not _known(actors, tokens):
            name = " ".join(tokens)
            actors.setdefault(slug(name), Actor(slug(name), name, "organisation", stems={stem(name)}))
    _assign_countries(text, list(actors.values()))
    return list(actors.values())


def _assign_countries(text: str, actors: list[Actor]) -> None:
    """Give "the President of Belarus" to the last president without a country named before it."""
    for match in TITLE_MENTION.finditer(text):
        nat = (match["nat"] or "").lower()
        country = NATIONALITIES.get(nat) or COUNTRIES.get((match["country"] or "").lower())
        title = (match["title"] or match["title2"]).lower()
        if not country or any(a.country == country and a.title == title for a in actors):
            continue
        earlier = [(pos, a) for pos, a in mentions(text[: match.start()], actors)
                   if a.country is None and a.title == title]
        if earlier:
            earlier[-1][1].country = country


def _introduce(actors: dict[str, Actor], match: re.Match[str]) -> None:
    tokens = _name_tokens(match["name"])
    if not tokens or tokens[0].lower() in NATIONALITIES or tokens[0].lower() in COUNTRIES:
        return
    title = match["title"].lower()
    nat = (match["nat"] or "").lower()
    country = NATIONALITIES.get(nat) or COUNTRIES.get((match["of"] or "").lower())
    existing = _known(actors, tokens)
    if existing:
        if len(tokens) > len(existing.name.split()):
            existing.name = " ".join(tokens)
        existing.country = existing.country or country
        existing.title = existing.title or title
        return
    actor_id = slug(tokens[-1])
    actors[actor_id] = Actor(
        actor_id, " ".join(tokens), TITLES[title], country, title,
        {stem(tokens[-1])},
    )


def _known(actors: dict[str, Actor], tokens: list[str]) -> Actor | None:
    stems = {stem(t) for t in tokens}
    return next((a for a in actors.values() if a.stems & stems), None)


def mentions(sentence: str, actors: list[Actor]) -> list[tuple[int, Actor]]:
    """Where actors are mentioned in a sentence, by surname or by title, in order."""
    found: list[tuple[int, Actor]] = []
    for match in re.finditer(_NAME_WORD, sentence):
        if match.group(0)[0].isupper():
            word_stem = stem(match.group(0))
            found += [(match.start(), a) for a in actors if word_stem in a.stems]
    for match in TITLE_MENTION.finditer(sentence):
        actor = _by_title(match, actors)
        if actor:
            found.append((match.start(), actor))
    return sorted(found, key=lambda pair: pair[0])


def _by_title(match: re.Match[str], actors: list[Actor]) -> Actor | None:
    title = (match["title"] or match["title2"]).lower()
    nat = (match["nat"] or "").lower()
    country = NATIONALITIES.get(nat) or COUNTRIES.get((match["country"] or "").lower())
    candidates = [a for a in actors if a.country == country and a.title in (title, "president")]
    if title == "leader":
        candidates = [a for a in candidates if a.title in ("president", "leader")]
    return candidates[0] if candidates else None


def attribute(sentence: str, actors: list[Actor]) -> Attribution | None:
    """The speaker a sentence names: by "according to", or next to a reporting verb."""
    according = ACCORDING.search(sentence)
    if according:
        named = [a for pos, a in mentions(sentence, actors) if pos >= according.start()]
        if named:
            return Attribution(named[0].id, according.group(0))
    found = mentions(sentence, actors)
    for verb in REPORTING_VERB.finditer(sentence):
        before = [(pos, a) for pos, a in found if pos < verb.start() and verb.start() - pos < 80]
        after = [a for pos, a in found if 0 < pos - verb.end() < 40]
        if before:
            pos, actor = before[-1]
            return Attribution(actor.id, sentence[pos:verb.end()])
        if after:
            return Attribution(after[0].id, f"{verb.group(0)} {after[0].name}")
    return None
