"""Who says what: the people and institutions an article names, and the speaker of each sentence.

Actors are people introduced with a title before or after their name ("Belarusian Ambassador
to Azerbaijan Andrei Ravkov", "Khanlar Fatiyev, Chief of the Plant's Supervisory Board"),
people named beside a reporting verb ("Marshalov told reporters"), the heads of state the
extractor knows (names.LEADERS: "Alexander Lukashenko met …", or only "the Belarusian leader"),
and institutions ("the World Bank", "Belarus' Ministry of Industry", "the Belarusian
authorities"; an acronym and its full name are one). Every mention of them — full name,
surname in any transliteration, title ("the head of state", "the Belarusian leader", "the
diplomat"), kind ("the bank", "the ministry") — is indexed once, in one pass over the text,
so reading stays linear in the article's length.

A sentence's speaker comes, in this order, from: the quotation it stands in (“…”, "…", ‘…’,
a paragraph opening with a dash) and that quotation's reporting clause ("…,” he explained;
said Shuleiko; the report says); "according to X", "in his words"; a reporting or planning
verb next to a mention ("Ravkov told journalists", "the World Bank expects", "emphasized the
Russian leader"); a speaker line before its paragraph and the quoted paragraphs after it
("Vladimir Borovikov, Ambassador …:", "He said:"); an interview's answer turns (dashes, Q/A,
or labels such as "Ravkov:"); the sentence before it in the same paragraph when that one
reported someone ("He also noted … It is expected that …"); a forecast in the passive voice
("is forecast at") goes to the institution last cited for forecasts; a paragraph opening
with "This figure …" goes on with the speaker of the one before. Last, a claim whose speaker
the next sentence names ("… This was stated by X", "X told reporters about this") is X's.
"He" and "she" are the last named speaker, else the first person named in the last sentence
naming one; in a quotation's reporting clause ("…,” he believes") the person who spoke in
the three sentences before, if anyone did. A quoted phrase inside a sentence that names its
own speaker ("Most likely, Chaly predicts, …, in which “…”") is that speaker's, not a
continuation of the quotation before. A source the article does not name ("according to
official sources", "the expert community is confident") is the author's word and carries
nothing on. Otherwise the sentence is the author's.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from tracker.extract.article import Sentence
from tracker.extract.names import (
    ACRONYM_HEADS,
    ACRONYM_NAMES,
    ACRONYMS,
    COUNTRY_NAMES,
    INSTITUTION_HEADS,
    NATIONALITIES,
    NOT_NAMES,
    ascii_lower,
    country_of,
    is_institution,
    leader,
    leader_of,
    name_key,
    person_tokens,
    slug,
)

TITLES = {  # title -> role
    "first deputy prime minister": "official", "deputy prime minister": "official", "prime minister": "official",
    "vice president": "official", "president": "official", "foreign minister": "official", "minister": "official",
    "deputy minister": "official", "ambassador": "official", "chargé d'affaires": "official", "consul": "official",
    "chairman": "official", "chairwoman": "official", "chair": "official", "speaker": "official",
    "director general": "official", "general director": "official", "director": "official", "ceo": "official",
    "head": "official", "governor": "official", "mayor": "official", "spokesperson": "official",
    "spokesman": "official", "spokeswoman": "official", "secretary": "official", "member": "official",
    "deputy": "official", "chief": "official", "co-chair": "official", "senator": "official",
    "leader": "official", "supreme leader": "official", "counselor": "official", "adviser": "analyst",
    "advisor": "analyst", "expert": "analyst", "analyst": "analyst", "economist": "analyst",
    "political scientist": "analyst", "political analyst": "analyst", "professor": "analyst",
    "researcher": "analyst", "candidate": "analyst", "pundit": "analyst", "journalist": "analyst",
}
TITLE_ALIASES = {  # references whose noun is not the title's own -> the titles they stand for
    "head of state": ("president", "leader"), "leader": ("president", "leader", "supreme leader"),
    "president": ("president",), "premier": ("prime minister",), "head of government": ("prime minister",),
    "vice premier": ("deputy prime minister", "first deputy prime minister"),
    "diplomat": ("ambassador", "chargé d'affaires", "consul", "counselor"),
    "official": tuple(t for t, r in TITLES.items() if r == "official"),
}
ANALYST_NOUNS = {"expert", "analyst", "economist", "political scientist", "political analyst", "scientist", "researcher",
                 "specialist", "professor", "observer", "pundit"}
VAGUE_TITLES = {"head", "member", "deputy", "chief", "chair", "speaker", "candidate", "journalist", "secretary"}
ALIASES = sorted(set(TITLE_ALIASES) | ANALYST_NOUNS | (set(TITLES) - VAGUE_TITLES), key=len, reverse=True)


def fits(actor: Actor, alias: str) -> bool:
    """Whether "the <alias>" can refer to a person: a title of the same kind ("the minister": the Minister of
    Foreign Affairs or a deputy minister, not the prime minister; "the economist": any analyst)."""
    if alias in TITLE_ALIASES:
        return actor.title in TITLE_ALIASES[alias]
    if alias in ANALYST_NOUNS:
        return actor.role == "analyst"
    title = (actor.title or "").split()
    return bool(title) and title[-1] == alias.split()[-1] and set(alias.split()) <= set(title) and (
        "prime" not in title or "prime" in alias)


REPORTING = (
    r"said|says|say|stated|states|noted|notes|emphasi[sz]ed|emphasi[sz]es|stressed|stresses|declared|declares|"
    r"added|adds|announced|announces|argued|argues|suggested|suggests|promised|promises|pledged|pledges|vowed|"
    r"admitted|told|tells|claimed|claims|predicted|predicts|forecasts?|projects|estimates?|expects|believes|"
    r"hopes|warned|warns|assured|assures|insisted|reiterated|confirmed|recalled|reminded|explained|explains|"
    r"highlighted|highlights|remarked|remarks|pointed out|points out|underlined|underlines|observed|"
    r"mentioned|revealed|reveals|disclosed|discloses|expressed|informed|reported|commented|specified|"
    r"clarified|shared|indicated|outlined|voiced|proposed|proposes|asserted|asserts|acknowledged|"
    r"summari[sz]ed|spoke|speaking|reckons|thinks|is confident|was confident|is convinced|was convinced|"
    r"plans|planned|plan|intends|intended|intend|aims|aimed|seeks|sought|wants|wanted|agreed|signed|offered|decided|"
    r"is ready|are ready|was ready|is prepared|stated this|advocates|called for|urged|set the task|has set|quoted|"
    r"expect|predict|anticipate|anticipates|believe|warn|note|argue|estimate|assume|assumes"
)
REPORTING_VERB = re.compile(rf"\b(?:{REPORTING})\b", re.IGNORECASE)
ACCORDING = re.compile(
    r"\baccording to\b|\bas quoted by\b|\bin the (?:words|opinion|view) of\b|\bin (?:his|her) (?:words|opinion|view)\b|"
    r"\bas (?:he|she) put it\b", re.IGNORECASE)
PASSIVE_FORECAST = re.compile(
    r"\b(?:is|are|was|were)\s+(?:forecast|projected|predicted|estimated|expected|seen)\b|"
    r"\b(?:forecast|projection|outlook|estimate)s?\s+(?:for|of|at|also|notes|says)\b", re.IGNORECASE,
)
DOCUMENT = re.compile(
    r"\b(?:the|its|their|this|that|a|an|new|latest)\s+(?:[\w-]+\s+){0,2}?(?:report|review|statement|document|forecast|"
    r"outlook|survey|study|communiqu[eé]|press release|analysis|assessment|update|bulletin)s?\b", re.IGNORECASE)
PRONOUN = re.compile(r"\b(?:he|she|him|her)\b", re.IGNORECASE)
_TITLE_WORDS = "|".join(sorted((re.escape(t) for t in TITLES), key=len, reverse=True))
_NAT = "|".join(re.escape(n) for n in sorted(NATIONALITIES, key=len, reverse=True))
_CAP = r"[A-Z][\w'’-]*"
_PLACE = rf"[A-Z][\w'’-]+(?:\s+{_CAP})?"
# a title's complements: prepositional phrases of capitalised words, "of" and "and" inside them
# ("Minister of Foreign Affairs of Belarus", "Ambassador Extraordinary and Plenipotentiary of the Islamic
# Republic of Iran to the Republic of Belarus", "State Secretary of the Union State"); places keep their case
_COMPLEMENT = rf"(?:the\s+)?{_CAP}(?:\s+(?:(?:and|of|for)\s+(?:the\s+)?)?{_CAP}){{0,5}}"
_PREP = r"(?i:of|to|in|for|at|under)"
TITLE_BEFORE = re.compile(
    rf"(?:\b(?P<nat>(?i:{_NAT}))\s+(?:[A-Z][a-z]+\s+){{0,2}}?|\b(?P<owner>{_PLACE})['’]s?\s+)?\b(?P<title>(?i:{_TITLE_WORDS}))"
    rf"(?:\s+(?i:extraordinary\s+and\s+plenipotentiary|extraordinary|plenipotentiary))?"
    rf"(?P<of>(?:\s+{_PREP}\s+{_COMPLEMENT}){{0,3}})"
    rf",?\s+(?i:the\s+)?$"
)
TITLE_AFTER = re.compile(
    rf"^,\s+(?i:the\s+|a\s+)?(?:(?P<nat>(?i:{_NAT}))\s+)?(?P<title>(?i:{_TITLE_WORDS}))\b"
    rf"(?P<of>(?:[^,.;:]*?\b{_PREP}\s+{_COMPLEMENT})?)"
)
PERSON = re.compile(r"\b[A-Z][a-zà-ÿ'’]+(?:-[A-Za-zà-ÿ'’]+)*(?:[ \t]+[A-Z][a-zà-ÿ'’]+(?:-[A-Za-zà-ÿ'’]+)*){0,5}\b")
_HEADS = "|".join(INSTITUTION_HEADS)
INSTITUTION = re.compile(
    rf"\b(?:(?P<owner>{_PLACE})['’]s?\s+)?(?P<name>(?:(?:[A-Z][\w’'-]*|of|and|for|on|the)\s+){{0,6}}?(?:{_HEADS})s?"
    rf"(?:\s+(?:of|for|on)\s+(?:the\s+)?[A-Z][\w-]*(?:\s+(?:and\s+)?[A-Z][\w-]*){{0,4}})?)"
    rf"|\b(?P<acronym>{'|'.join(sorted(ACRONYMS, key=len, reverse=True))})\b"
    rf"|\b[Tt]he\s+(?P<nat_body>(?i:{_NAT}))\s+(?P<body>authorities|government|side|leadership|cabinet)\b",
)
TITLE_MENTION = re.compile(
    rf"\b(?:the|this|our|their)\s+(?:(?P<nat>{_NAT})\s+)?(?P<alias>{'|'.join(re.escape(a) for a in ALIASES)}"
    rf"|head of the (?P<state_nat>{_NAT}) state)\b"
    rf"(?:\s+of\s+(?P<country>[A-Z]\w+))?",
    re.IGNORECASE,
)
INTERVIEWEE = re.compile(
    r"\binterview (?:with|to)\s+(?:the\s+)?|\bspoke (?:with|to) \w+ in an? (?:exclusive )?interview|\binterviewed\s+|"
    r"\b(?:gave|granted|gives|grants) an? (?:exclusive |special )?interview\b|\banswered (?:our|the|\w+['’]s) questions\b|"
    r"\b(?:talked|spoke|speaks|talks) (?:to|with)\s+(?:the\s+)?",
    re.IGNORECASE)
TURN = re.compile(r"^\s*(?:[-–—]\s+|Q\s*[:.]\s*|A\s*[:.]\s*|(?P<label>[A-Z][\w.’' -]{1,40}?)\s*:\s+)")


@dataclass
class Actor:
    """Someone the article names: an id, a display name, a role and a country."""

    id: str
    name: str
    role: str
    country: str | None = None
    title: str | None = None
    keys: set[str] = field(default_factory=set)
    known: bool = False  # an actor of the workspace: referred to, not defined again
    how: str = ""


@dataclass(frozen=True)
class Mention:
    """Where an actor is named (by name, surname or title) in the text."""

    start: int
    end: int
    actor: Actor


@dataclass(frozen=True)
class Attribution:
    """The speaker of a sentence and the words that told us."""

    actor_id: str
    evidence: str
    reported: bool = True  # a reporting clause named the speaker (others carry it on)
    pronoun: bool = False  # "…,” he believes": the reading passes it to whoever spoke just before, if anyone did
    carried: bool = False  # a quotation without a clause of its own, carrying on the one before


@dataclass
class Cast:
    """The article's actors and every place they are mentioned, sorted by offset."""

    actors: list[Actor]
    mentions: list[Mention]
    text: str = ""
    starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.mentions.sort(key=lambda m: (m.start, -m.end))
        self.starts = [m.start for m in self.mentions]

    def between(self, start: int, end: int) -> list[Mention]:
        """Mentions that begin within [start, end)."""
        low, high = bisect.bisect_left(self.starts, start), bisect.bisect_left(self.starts, end)
        return self.mentions[low:high]

    def antecedent(self, offset: int) -> Actor | None:
        """Whom "he" or "she" at `offset` stands for: the first person named in the last sentence naming one
        ("Lukashenko met Tokayev. He said …" -> Lukashenko)."""
        index = bisect.bisect_left(self.starts, offset) - 1
        while index >= 0 and self.mentions[index].actor.role == "organisation":
            index -= 1
        if index < 0:
            return None
        last = self.mentions[index]
        reach = max(0, last.start - 400)  # a sentence's length at most: keeps reading linear
        opening = max(self.text.rfind(". ", reach, last.start), self.text.rfind("\n", reach, last.start), reach - 1) + 1
        same = [m for m in self.between(opening, last.start + 1) if m.actor.role != "organisation"]
        return same[0].actor if same else last.actor

    def last_before(self, offset: int, kind: str = "person") -> Actor | None:
        """The last person (or `kind="organisation"`) mentioned before `offset`."""
        index = bisect.bisect_left(self.starts, offset) - 1
        while index >= 0:
            actor = self.mentions[index].actor
            if (actor.role == "organisation") == (kind == "organisation"):
                return actor
            index -= 1
        return None


def read_cast(text: str, known: Iterable[Actor] = ()) -> Cast:
    """Find the article's actors and index their mentions; reuse `known` actors where they match."""
    actors: list[Actor] = []
    spans = list(_name_spans(text))
    for start, end, tokens in spans:
        _person(text, start, end, tokens, actors)
    for _start, _end, tokens in spans:
        _lengthen(tokens, actors)
    for match in INSTITUTION.finditer(text):
        _institution(match, actors)
    _leaders_by_title(text, actors)
    _adopt(actors, list(known))
    return Cast(actors, _mentions(text, actors, spans), text)


NAME_WORDS = 3  # a person's name is at most this many words


def _name_spans(text: str) -> Iterable[tuple[int, int, list[str]]]:
    """Runs of name words in capitalised runs: "Belarusian Ambassador to Azerbaijan Andrei Ravkov" -> Andrei Ravkov."""
    for run in PERSON.finditer(text):
        if " " not in run.group(0) and run.group(0).lower() in NOT_NAMES:
            continue
        words = list(re.finditer(r"\S+", run.group(0)))
        index = 0
        while index < len(words):
            tokens = person_tokens(run.group(0)[words[index].start():])
            longest = person_tokens(run.group(0)[words[index].start():], most=NAME_WORDS + 3)
            skip = _title_words_opening(text, run.start(), words[index:index + len(longest)])
            if skip:  # "Agriculture Yuri Gorlov" after "Minister of": a name closes the run, a title's words open it
                index += skip
                continue
            if tokens:
                start = run.start() + words[index].start()
                last = words[min(index + len(tokens), len(words)) - 1]
                yield start, run.start() + last.start() + len(tokens[-1]), tokens
                index += len(tokens)
            else:
                index += 1


def _title_words_opening(text: str, offset: int, words: list[re.Match[str]]) -> int:
    """How many of a run's name words belong to the title before the name: those a title's complement ends
    with ("Minister of Foreign Affairs Sergei Aleinik"), or all but two where the run is longer than a name."""
    for skip in range(1, len(words) - 1):
        at = offset + words[skip].start()
        titled = TITLE_BEFORE.search(text[max(0, at - 160):at])
        if titled and titled["of"]:
            return skip
    return len(words) - 2 if len(words) > NAME_WORDS else 0


def _person(text: str, start: int, end: int, tokens: list[str], actors: list[Actor]) -> None:
    """Register the person a name stands for, when a title or a reporting verb vouches for it."""
    if is_institution(" ".join(tokens)) or _in_institution(text, end):
        return
    before = TITLE_BEFORE.search(text[max(0, start - 120):start])
    after = TITLE_AFTER.match(text[end:end + 160])
    speaks = _speaks(text, start, end)
    known = leader(tokens)
    honoured = bool(HONORIFIC.search(text[max(0, start - 6):start]))
    if not (before or after or speaks or known or honoured) or (len(tokens) == 1 and not (before or known or _says(text, start, end))):
        return
    titled = before or after
    title = known[2] if known else titled["title"].lower() if titled else None
    country = known[3] if known else _country(titled)
    existing = _same_person(actors, tokens)
    if existing:
        existing.title = existing.title or title
        existing.country = existing.country or country
        if len(tokens) > len(existing.name.split()):
            existing.name = " ".join(tokens)
        return
    role = TITLES.get(title or "", "official")
    how = (f"introduced as {titled.group(0).strip(' ,')!r}" if titled else
           f"the president of {COUNTRY_NAMES.get(country or '', country)} (a head of state the extractor knows)" if known else
           "named beside a reporting verb" if speaks or not honoured else "named with an honorific")
    keys = {name_key(tokens[-1])} | ({name_key(known[1])} if known else set())
    actors.append(Actor(_free_id(actors, slug(known[1] if known else tokens[-1]), slug(" ".join(tokens))), " ".join(tokens),
                        role, country, title, keys, how=how))


def _alias(match: re.Match[str]) -> tuple[str, str | None]:
    """A title mention's alias and country: "the head of the Belarusian state" -> ("head of state", "BY")."""
    if match["state_nat"]:
        return "head of state", country_of(match["state_nat"])
    return match["alias"].lower(), country_of(match["nat"]) or country_of(match["country"])


def _leaders_by_title(text: str, actors: list[Actor]) -> None:
    """A head of state the article calls only by title ("the Belarusian leader", "the President of Belarus")."""
    for match in TITLE_MENTION.finditer(text):
        alias, country = _alias(match)
        if alias not in ("president", "head of state", "leader") or country is None:
            continue
        if any(a.role != "organisation" and fits(a, alias) and a.country in (country, None) for a in actors):
            continue
        known = leader_of(country)
        if known:
            name, surname, title, _ = known
            how = f"named only by title ({match.group(0)!r}): the president of {COUNTRY_NAMES.get(country, country)}"
            actors.append(Actor(_free_id(actors, slug(surname), slug(name)), name, "official", country, title,
                                {name_key(surname), name_key(name.split()[-1])}, how=how))


def _lengthen(tokens: list[str], actors: list[Actor]) -> None:
    """A fuller form of a known person's name elsewhere in the text ("Marshalov" -> "Igor Marshalov")."""
    existing = _same_person(actors, tokens)
    if existing and len(tokens) > len(existing.name.split()):
        existing.name = " ".join(tokens)


def _in_institution(text: str, end: int) -> bool:
    """Whether the capitalised run is the start of an institution's name ("Ganja Automobile Plant")."""
    following = re.match(r"\s+([A-Z]\w+)", text[end:end + 40])
    return bool(following and following.group(1) in INSTITUTION_HEADS)


def _speaks(text: str, start: int, end: int) -> bool:
    after = REPORTING_VERB.match(text, end + 1) if text[end:end + 1] == " " else None
    before = re.search(rf"\b(?:{REPORTING}|according to)\s+$", text[max(0, start - 40):start], re.IGNORECASE)
    return bool(after or before)


SPEECH = re.compile(r"\s(?:said|says|told|tells|noted|stated|added|stressed|emphasi[sz]ed|explained|remarked|believes|recalled)\b")


def _says(text: str, start: int, end: int) -> bool:
    """A bare surname is a person beside a verb of speech ("Marshalov told reporters", "said Fatiyev") or after an
    honorific ("Mr. Kovalenko")."""
    return bool(SPEECH.match(text, end) or re.search(r"\b(?:said|told|noted|according to)\s+$", text[max(0, start - 20):start])
                or HONORIFIC.search(text[max(0, start - 6):start]))


HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+$")


def _country(titled: re.Match[str] | None) -> str | None:
    """The country a title names: its nationality or owner, else the first country of its complements
    (for an ambassador, the one he is "of", not the one he is accredited "to")."""
    if titled is None:
        return None
    groups = titled.groupdict()
    direct = country_of(groups.get("nat")) or country_of(groups.get("owner"))
    if direct:
        return direct
    ambassador = (groups.get("title") or "").lower() == "ambassador"
    for complement in COMPLEMENT.finditer(groups.get("of") or ""):
        if ambassador and complement["prep"].lower() == "to":
            continue
        words = complement["words"].split()
        found = next((c for w in words if (c := country_of(w))), None) or country_of(" ".join(words))
        if found:
            return found
    return None


COMPLEMENT = re.compile(rf"\b(?P<prep>{_PREP})\s+(?:the\s+)?(?P<words>{_CAP}(?:\s+{_CAP})*)")


def _same_person(actors: list[Actor], tokens: list[str]) -> Actor | None:
    key = name_key(tokens[-1])
    return next((a for a in actors if a.role != "organisation" and key in a.keys), None)


def _free_id(actors: list[Actor], preferred: str, fallback: str) -> str:
    taken = {a.id for a in actors}
    if preferred not in taken:
        return preferred
    return fallback if fallback not in taken else f"{fallback}-{len(actors)}"


def _institution(match: re.Match[str], actors: list[Actor]) -> None:
    """Register an institution: a named body, a known acronym, or "the Belarusian authorities"."""
    if match["body"]:
        nat = match["nat_body"]
        name = f"{nat.capitalize()} {match['body']}" if match["body"] != "side" else f"{nat.capitalize()} government"
        country = country_of(nat)
    else:
        name = (match["name"] or match["acronym"]).strip()
        name = re.sub(r"^(?:the|of|and|for|on)\s+", "", name, flags=re.IGNORECASE)
        if not name or name.split()[0].lower() in ("of", "and", "for", "on") or len(name) < 2 or _is_title_word(name.split()[0]):
            return
        country = country_of(match["owner"]) if match["owner"] else country_of(name.split()[0])
        if match["owner"] and country:
            name = f"{match['owner']}'s {name}" if not name.startswith(match["owner"]) else name
    key = name_key(name.replace("'s", ""))
    if any(key in a.keys for a in actors):
        return
    keys = {key, name_key(re.sub(r"^.*?['’]s\s+", "", name))}
    acronym = _acronym_of(match, name)
    how = "an institution the article names" + (f" (also {acronym})" if acronym else "")
    if acronym:
        keys |= {name_key(acronym), name_key(ACRONYM_NAMES.get(acronym, name))}
        if any(keys & a.keys for a in actors):
            return
        name = ACRONYM_NAMES.get(acronym, name)
    preferred = slug(acronym) if acronym else slug(name)
    actors.append(Actor(_free_id(actors, preferred, slug(name) + "-org"), name, "organisation", country, None, keys, how=how))


TITLE_HEADS = {title.split()[-1] for title in TITLES} - {"general", "member", "deputy"}


def _is_title_word(word: str) -> bool:
    """A title's head noun, which starts a person's title ("Chief of the Plant's Supervisory Board") and not an
    institution's name; a modifier such as "Foreign" ("the Foreign Office") does."""
    return word.lower() in TITLE_HEADS


def _acronym_of(match: re.Match[str], name: str) -> str | None:
    """The acronym an institution goes by: a known one, or one the text gives in brackets ("… Bank (EDB)")."""
    if name in ACRONYM_NAMES:
        return name
    known = next((a for a, full in ACRONYM_NAMES.items() if name_key(full) == name_key(name)), None)
    given = re.match(r"\s*\((?P<acronym>[A-Z][A-Za-z]{1,6})\)", match.string[match.end():match.end() + 12])
    return known or (given["acronym"] if given else None)


def _adopt(actors: list[Actor], known: list[Actor]) -> None:
    """Give an article's actor the id of the workspace actor it matches (by surname spelling key)."""
    for actor in actors:
        match = next((k for k in known if actor.keys & k.keys and _compatible(actor, k)), None)
        if match:
            actor.id, actor.known = match.id, True
            actor.how += f"; the workspace's actor {match.id} ({match.name})"


def _compatible(actor: Actor, known: Actor) -> bool:
    same_kind = (actor.role == "organisation") == (known.role == "organisation")
    return same_kind and (actor.country is None or known.country is None or actor.country == known.country)


def known_actor(actor_id: str, name: str, role: str, country: str | None) -> Actor:
    """A workspace actor, keyed for matching: by surname (people) or by full name (institutions)."""
    words = name.split()
    keys = {name_key(name)} if role == "organisation" else {name_key(words[-1])} if words else set()
    return Actor(actor_id, name, role, country, keys=keys, known=True)


# --- mentions ---------------------------------------------------------------------------


def _mentions(text: str, actors: list[Actor], spans: list[tuple[int, int, list[str]]]) -> list[Mention]:
    """Every mention of an actor: names and surnames, institutions, and titles."""
    people = [a for a in actors if a.role != "organisation"]
    by_key = {k: a for a in people for k in a.keys}
    found: list[Mention] = []
    for start, end, tokens in spans:
        actor = next((by_key[name_key(t)] for t in reversed(tokens) if name_key(t) in by_key), None)
        if actor:
            found.append(Mention(start, end, actor))
    institutions = {k: a for a in actors if a.role == "organisation" for k in a.keys}
    for match in INSTITUTION.finditer(text):
        actor = _institution_of(match, institutions)
        if actor:
            found.append(Mention(match.start(), match.end(), actor))
    found += _title_mentions(text, people)
    found += _institution_aliases(text, found)
    return found


INSTITUTION_ALIAS = re.compile(
    r"\b[Tt]he\s+(?P<head>bank|fund|ministry|committee|commission|organi[sz]ation|agency|union|company|plant|"
    r"government|authorities|council|chamber|secretariat)(?:['’]s)?\b")


def _institution_aliases(text: str, named: list[Mention]) -> list[Mention]:
    """"The bank", "the fund", "the ministry": the institution of that kind named last before."""
    bodies = sorted((m for m in named if m.actor.role == "organisation"), key=lambda m: m.start)
    starts = [m.start for m in bodies]
    found: list[Mention] = []
    for match in INSTITUTION_ALIAS.finditer(text):
        head = match["head"].lower().replace("organis", "organiz")
        before = bisect.bisect_left(starts, match.start())
        actor = next((m.actor for m in reversed(bodies[max(0, before - 50):before]) if _is_a(m.actor, head)), None)
        if actor:
            found.append(Mention(match.start(), match.end(), actor))
    return found


def _is_a(actor: Actor, head: str) -> bool:
    """Whether an institution is of a kind ("bank") by a word of its name or by its acronym."""
    words = {w.lower().replace("organis", "organiz").rstrip("s") for w in actor.name.replace("’", "'").split("'s ")[-1].split()}
    return head.rstrip("s") in words or ACRONYM_HEADS.get(actor.name) == head


def _institution_of(match: re.Match[str], institutions: dict[str, Actor]) -> Actor | None:
    if match["body"]:
        return institutions.get(name_key(f"{match['nat_body']} {match['body'] if match['body'] != 'side' else 'government'}"))
    name = re.sub(r"^(?:the|of|and|for|on)\s+", "", (match["name"] or match["acronym"]).strip(), flags=re.IGNORECASE)
    return institutions.get(name_key(name))


def _title_mentions(text: str, people: list[Actor]) -> list[Mention]:
    """"The head of state", "the Belarusian leader", "the diplomat": the actor with that title."""
    found: list[Mention] = []
    named = _Namings(text)
    for match in TITLE_MENTION.finditer(text):
        alias, country = _alias(match)
        candidates = [a for a in people if fits(a, alias) and (country is None or a.country in (country, None))]
        if not candidates and country:
            continue
        if not candidates and alias in ANALYST_NOUNS:  # an expert introduced by a long description ("head of the … centre")
            candidates = [a for a in people if a.title is None and named.before(a, match.start())]
        actor = _protagonist(named, match.start(), candidates)
        if actor:
            found.append(Mention(match.start(), match.end(), actor))
            named.titled[actor.id] = named.titled.get(actor.id, 0) + 1
    return found


class _Namings:
    """Where each person's surname occurs in the text, found once per surname, so that counting the namings before
    an offset is a bisection (it was a count over the text before it, quadratic in long texts)."""

    def __init__(self, text: str) -> None:
        table = {ord(c): (ascii_lower(c)[:1] or "\x00") for c in set(text) if ord(c) > 127}
        self.text = text.translate(table).lower()  # offsets kept: one ASCII character for each character
        self.offsets: dict[str, list[int]] = {}
        self.titled: dict[str, int] = {}  # mentions by title so far, per actor id

    def of(self, actor: Actor) -> list[int]:
        surname = ascii_lower(actor.name.split()[-1])[:5]
        if surname not in self.offsets:
            self.offsets[surname] = [m.start() for m in re.finditer(re.escape(surname), self.text)] if surname else []
        return self.offsets[surname]

    def before(self, actor: Actor, offset: int) -> int:
        return bisect.bisect_left(self.of(actor), offset)


def _protagonist(named: _Namings, offset: int, candidates: list[Actor]) -> Actor | None:
    """The candidate the text has named most often before `offset`, by name or by title (news
    calls its protagonist "the President"); on a tie, the one the text itself gave the title,
    then the one named first (news leads with its protagonist)."""
    if len(candidates) <= 1:
        return candidates[0] if candidates else None

    def weight(actor: Actor) -> tuple[int, bool, int]:
        count = named.before(actor, offset)
        first = named.of(actor)[0] if count else offset
        return count + named.titled.get(actor.id, 0), actor.how.startswith("introduced as"), -first
    return max(candidates, key=weight)


# --- attribution ------------------------------------------------------------------------


BACK_REFERENCE = re.compile(
    r"^(?:This|That|These words|It|Such)\s+(?:was|were|has been|had been|is)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:stated|said|announced|emphasi[sz]ed|noted|reported|declared|stressed|underlined|pointed out|highlighted|"
    r"voiced|confirmed|explained|told|mentioned|revealed|expressed)\b"
    r"|\b(?:told|informed|said|spoke|wrote)\s+(?:[\w-]+\s+){0,3}?about (?:this|it)\b"
    r"|\b(?:said|stated|announced|noted|reported|emphasi[sz]ed|stressed|declared) (?:this|so)\b",
    re.IGNORECASE,
)
ANAPHORA = re.compile(  # a paragraph that refers back ("This figure …") or elaborates the one before ("In particular, …")
    r"^(?:(?:This|These|Such|That)\s+(?!(?:was|is|were|are|has|had|year|week|month)\b)[a-z]+\b|"
    r"(?:In particular|Specifically|In addition|Additionally|Moreover|Furthermore|Besides|Likewise|Similarly|"
    r"For example|For instance|In this regard|In this context)\b)")


def attribute_all(text: str, sentences: list[Sentence], cast: Cast) -> list[Attribution | None]:
    """The speaker of each sentence (None: the author's own words), in order."""
    quotes = _quote_speakers(text, sentences, cast)
    lines = _speaker_lines(text, sentences, cast)
    turns = _interview_turns(text, sentences, cast)
    if not turns:
        quotes = _dash_quotes(text, sentences, cast) | quotes
    found: list[Attribution | None] = []
    last_speaker: Actor | None = None
    forecaster: Actor | None = None
    recent = _RecentSpeaker()
    for index, sentence in enumerate(sentences):
        quoted = quotes.get(index)
        if quoted and quoted.carried and not QUOTED_START.match(sentence.text):
            quoted = _in_sentence(text, sentence, cast, last_speaker) or quoted  # a quoted phrase in a sentence naming its speaker
        own = recent.resolve(quoted, index, sentence) if quoted else _in_sentence(text, sentence, cast, last_speaker)
        if own and index and _party_plans(cast, own) and _reports_person(cast, found[-1], sentences[index - 1], sentence):
            own = None  # "Lukashenko noted … The Belarusian side is ready to supply …": his report goes on
        attribution = own or lines.get(sentence.paragraph) or turns.get(sentence.paragraph)
        if attribution is None and index and found[-1] and found[-1].reported and sentences[index - 1].paragraph == sentence.paragraph:
            previous = found[-1]
            attribution = Attribution(previous.actor_id, f"continues the report of {previous.actor_id} before it", True)
        if attribution is None and forecaster and PASSIVE_FORECAST.search(sentence.text):
            attribution = Attribution(forecaster.id, f"a forecast in the passive, by {forecaster.name} cited before it")
        if attribution is None and index and sentence.opens_paragraph and ANAPHORA.match(sentence.text):
            attribution = _refers_back(sentences, index, found[-1])
        found.append(attribution)
        if attribution:
            actor = _actor(cast, attribution.actor_id)
            last_speaker = actor if actor and actor.role != "organisation" else last_speaker
            recent.saw(actor, attribution, index, sentence)
        forecaster = _forecaster(text, sentence, cast) or forecaster
        if own and ACCORDING.search(own.evidence):
            actor = _actor(cast, own.actor_id)
            forecaster = actor if actor and actor.role == "organisation" else forecaster
    _named_after(text, sentences, cast, found)
    return found


PLANNING_VERB = re.compile(
    r"\b(?:plans|planned|plan|intends|intended|intend|aims|aimed|seeks|sought|wants|wanted|agreed|offered|decided|"
    r"is ready|are ready|was ready|is prepared)$", re.IGNORECASE)


def _party_plans(cast: Cast, attribution: Attribution) -> bool:
    """A country's side, government or authorities as the subject of a plan ("the Belarusian side is ready to"):
    a party to the plan, who is not thereby its speaker."""
    actor = _actor(cast, attribution.actor_id)
    party = actor is not None and actor.role == "organisation" and re.search(r" (?:government|authorities|leadership|cabinet)$", actor.name)
    return bool(party and PLANNING_VERB.search(attribution.evidence))


def _reports_person(cast: Cast, previous: Attribution | None, before: Sentence, sentence: Sentence) -> bool:
    """Whether the sentence before, in the same paragraph, reports a person."""
    if previous is None or not previous.reported or before.paragraph != sentence.paragraph:
        return False
    actor = _actor(cast, previous.actor_id)
    return actor is not None and actor.role != "organisation"


@dataclass
class _RecentSpeaker:
    """Who spoke in the last few sentences, for "…,” he believes" (a pronoun in a quotation's reporting
    clause): the analyst quoted just before, not whoever the last sentence happened to name."""

    actor: Actor | None = None
    index: int = -10
    paragraph: int = -10
    renamed: tuple[str, str] | None = None  # (the pronoun's first reading, the speaker it went to)

    REACH = 3  # sentences

    def saw(self, actor: Actor | None, attribution: Attribution, index: int, sentence: Sentence) -> None:
        if actor and actor.role != "organisation" and attribution.reported:
            self.actor, self.index, self.paragraph = actor, index, sentence.paragraph

    def resolve(self, quoted: Attribution, index: int, sentence: Sentence) -> Attribution:
        if not quoted.pronoun:
            return quoted
        if quoted.carried:
            if self.renamed and self.renamed[0] == quoted.actor_id:
                return Attribution(self.renamed[1], f"continues the quotation of {self.renamed[1]}", carried=True)
            return quoted
        near = index - self.index <= self.REACH and sentence.paragraph - self.paragraph <= 1
        if self.actor is None or not near or self.actor.id == quoted.actor_id:
            self.renamed = None
            return quoted
        self.renamed = (quoted.actor_id, self.actor.id)
        return Attribution(self.actor.id, f"{quoted.evidence}: {self.actor.name}, who speaks in the sentences before")


def _refers_back(sentences: list[Sentence], index: int, previous: Attribution | None) -> Attribution | None:
    """A paragraph opening with "This figure …", "These projects …" or "In particular, …" goes on with the speaker of
    the paragraph before."""
    if previous is None or not previous.reported or previous.actor_id == QUESTION:
        return None
    if sentences[index - 1].paragraph != sentences[index].paragraph - 1:
        return None
    opener = ANAPHORA.match(sentences[index].text)
    assert opener is not None
    return Attribution(previous.actor_id, f"'{opener.group(0)}' refers back to what {previous.actor_id} said before it")


def _named_after(text: str, sentences: list[Sentence], cast: Cast, found: list[Attribution | None]) -> None:
    """A claim whose speaker the next sentence names: "… This was stated by X", "X told reporters about this"."""
    for index, sentence in enumerate(sentences):
        reference = BACK_REFERENCE.search(sentence.text)
        if not index or not reference:
            continue
        own = found[index]
        at = sentence.start + reference.end()
        named = cast.between(at, min(sentence.end, at + 120))
        actor_id = own.actor_id if own and own.actor_id != QUESTION else named[0].actor.id if named else None
        if actor_id is None:
            continue
        paragraphs = {sentence.paragraph, sentence.paragraph - 1} if sentence.opens_paragraph else {sentence.paragraph}
        earlier = index - 1
        while earlier >= 0 and found[earlier] is None and sentences[earlier].paragraph in paragraphs:
            found[earlier] = Attribution(actor_id, f"named in the sentence after it: {reference.group(0)!r}")
            earlier -= 1


FORECASTING = re.compile(r"^.{0,25}?\b(?:forecasts?|predicts?|projects?|projections?|expects?|estimates?|outlook)\b", re.IGNORECASE)


def _forecaster(text: str, sentence: Sentence, cast: Cast) -> Actor | None:
    """The institution a sentence cites for a forecast ("according to the World Bank forecast")."""
    for mention in reversed(cast.between(sentence.start, sentence.end)):
        if mention.actor.role == "organisation" and FORECASTING.match(text[mention.end:sentence.end]):
            return mention.actor
    return None


def _actor(cast: Cast, actor_id: str) -> Actor | None:
    return next((a for a in cast.actors if a.id == actor_id), None)


def _in_sentence(text: str, sentence: Sentence, cast: Cast, last_speaker: Actor | None) -> Attribution | None:
    """A speaker the sentence names itself: "according to X", or X beside a reporting verb."""
    unnamed = _unnamed(sentence.text)
    if unnamed:
        return unnamed
    according = ACCORDING.search(sentence.text)
    if according and re.search(r"\b(?:his|her|he|she)\b", according.group(0), re.IGNORECASE):
        who = last_speaker or cast.antecedent(sentence.start)
        if who:
            return Attribution(who.id, according.group(0))
    if according:
        who = _first_after(text, sentence, according.end(), cast, last_speaker, 50)
        if who:
            return Attribution(who.id, sentence.text[according.start():according.end() + 40].split(",")[0])
    for verb in REPORTING_VERB.finditer(sentence.text):
        who = _subject(text, sentence, verb, cast, last_speaker)
        if who is None and _inverts(sentence.text, verb):  # an agent ("by First Deputy Prime Minister X") reaches past its title
            reach = 100 if re.match(r"\s+by\b", sentence.text[verb.end():]) else 30
            who = _first_after(text, sentence, verb.end(), cast, last_speaker, reach)
        if who:
            return Attribution(who.id, f"{_clip(sentence.text, verb)}")
    return None


UNNAMED = "?unnamed"
_UNNAMED_WHO = (
    r"(?:(?:the|some|many|most|several|other|independent|official|informed|diplomatic|unnamed|anonymous|western|"
    r"local|foreign|government|industry|market|well-informed)\s+)*"
    r"(?:expert community|experts|analysts|observers|sources|insiders|economists|specialists|commentators|"
    r"pundits|media reports)\b(?!\s+(?:of|from|at|with|in|close to)\b)(?!['’])"
)
UNNAMED_SOURCE = re.compile(
    rf"\baccording to\s+{_UNNAMED_WHO}|(?:^|[,;:]\s+|\b(?:but|and|as|while|that)\s+){_UNNAMED_WHO}"
    rf"(?=(?:\s+\w+){{0,2}}?\s+(?:{REPORTING})\b)",
    re.IGNORECASE,
)


def _unnamed(sentence: str) -> Attribution | None:
    """A source the article does not name ("according to official sources", "the expert community is
    confident", "experts believe"): the author's word, and no one to carry on."""
    match = UNNAMED_SOURCE.search(sentence)
    if not match:
        return None
    verb = REPORTING_VERB.match(sentence, match.end() + 1) or REPORTING_VERB.search(sentence, match.end(), match.end() + 30)
    end = verb.end() if verb and not match.group(0).lower().startswith("according") else match.end()
    return Attribution(UNNAMED, sentence[match.start():end].strip(" ,;:"), reported=False)


NOT_INVERTED = re.compile(
    r"(?:plans?|planned|intends?|intended|aims?|aimed|seeks|sought|wants?|wanted|agreed|signed|offered|decided|"
    r"is ready|are ready|was ready|is prepared|set the task|has set|called for|urged|advocates|expect|predict|"
    r"anticipate|believe|warn|note|argue|estimate|assume|forecasts?|projects|estimates)$", re.IGNORECASE)


def _inverts(sentence: str, verb: re.Match[str]) -> bool:
    """Whether the verb's speaker may follow it: a verb of speech ("…, said Shuleiko", "emphasized the Russian
    leader") or a passive with its agent ("As noted by Mr. Turchin", "was signed between the city administrations");
    a plan, or a noun such as "a draft plan",
    takes its speaker only from before it."""
    return not NOT_INVERTED.match(verb.group(0)) or bool(re.match(r"\s+(?:by|between)\b", sentence[verb.end():]))


def _clip(sentence: str, verb: re.Match[str]) -> str:
    start = max(0, verb.start() - 50)
    return sentence[start:verb.end()].split("“")[-1].split('"')[-1].strip(" ,")


def _subject(text: str, sentence: Sentence, verb: re.Match[str], cast: Cast, last_speaker: Actor | None) -> Actor | None:
    """The actor just before a verb: a name, a title, an institution, or "he"/"she"."""
    verb_at = sentence.start + verb.start()
    window_start = max(sentence.start, verb_at - 140)
    candidates = cast.between(window_start, verb_at)
    if candidates:
        mention = candidates[-1]
        gap = text[mention.end:verb_at]
        if _is_subject_gap(gap):
            return mention.actor
    near = text[max(window_start, verb_at - 60):verb_at]
    document = DOCUMENT.search(near)
    if document and not near[document.end():].strip(" ,"):  # "the report says", "the bank's review expects"
        return cast.last_before(verb_at, kind="organisation")
    pronoun = re.search(r"\b(?:he|she|they)\s+(?:also\s+|further\s+|then\s+|later\s+|still\s+)?$", text[window_start:verb_at], re.IGNORECASE)
    if pronoun and pronoun.group(0)[:4].lower() == "they":
        return cast.last_before(verb_at, kind="organisation")
    if pronoun:
        return last_speaker or cast.antecedent(sentence.start)
    return None


def _is_subject_gap(gap: str) -> bool:
    """Whether words between a mention and its verb keep the mention as the verb's subject."""
    if re.search(r"\bthat\b|[“”\"]|[.;]", gap):
        return False
    if len(gap) <= 30:
        return True
    return bool(re.fullmatch(r",[^,]*(?:,[^,]*)?,\s*(?:has\s+|have\s+|also\s+)?", gap)) and len(gap) <= 130


def _first_after(text: str, sentence: Sentence, offset: int, cast: Cast, last_speaker: Actor | None, reach: int) -> Actor | None:
    """The actor named right after an offset in the sentence ("said Shuleiko", "according to him")."""
    start = sentence.start + offset
    window = text[start:min(sentence.end, start + reach)]
    mentions = cast.between(start, start + len(window))
    pronoun = PRONOUN.match(window.lstrip())
    if pronoun and (not mentions or mentions[0].start > start + len(window) - len(window.lstrip()) + pronoun.end()):
        return last_speaker or cast.antecedent(sentence.start)
    return mentions[0].actor if mentions else None


# --- quotations, speaker lines, interviews ----------------------------------------------


def _quote_speakers(text: str, sentences: list[Sentence], cast: Cast) -> dict[int, Attribution]:
    """Sentences inside a quotation get the speaker its reporting clause names."""
    found: dict[int, Attribution] = {}
    starts = [s.start for s in sentences]
    last: Attribution | None = None
    last_paragraph = -1
    for start, end in _quotations(text):
        first = max(0, bisect.bisect_right(starts, start) - 1)
        last_inside = bisect.bisect_left(starts, end)  # sentences starting before the quotation ends
        inside = [i for i in range(first, last_inside) if sentences[i].end > start]
        if not inside:
            continue
        who = _clause_after(text, start, end, cast) or _clause_inside(text, sentences[inside[-1]], start, cast)
        if who is None and last and sentences[inside[0]].paragraph in (last_paragraph, last_paragraph + 1):
            who = Attribution(last.actor_id, f"continues the quotation of {last.actor_id}", pronoun=last.pronoun, carried=True)
        if who is None:
            continue
        for index in inside:
            found[index] = who
        last, last_paragraph = who, sentences[inside[-1]].paragraph
    return found


DASHED = re.compile(r"^\s*[-–—]\s+")


def _dash_quotes(text: str, sentences: list[Sentence], cast: Cast) -> dict[int, Attribution]:
    """A paragraph opening with a dash and closing with its reporting clause ("- … , he said.") is quoted speech."""
    found: dict[int, Attribution] = {}
    by_paragraph: dict[int, list[int]] = {}
    for index, sentence in enumerate(sentences):
        by_paragraph.setdefault(sentence.paragraph, []).append(index)
    for indexes in by_paragraph.values():
        first, last = sentences[indexes[0]], sentences[indexes[-1]]
        if not DASHED.match(_line_of(text, first)):
            continue
        who = _clause_inside(text, last, first.start, cast)
        if who is not None:
            found |= dict.fromkeys(indexes, who)
    return found


def _quotations(text: str) -> list[tuple[int, int]]:
    """Spans of quoted speech: “…”, "…", ‘…’, a paragraph's quotation running into the next one."""
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    single = False  # opened with ‘: only ’ before a space or a stop closes it (not the apostrophe of "Belarus’s")
    for match in re.finditer(r"[“”\"«»‘]|’(?=[\s,.;:!?)—–-]|$)|\n\s*\n?", text):
        mark = match.group(0)
        if mark.strip() == "":
            following = text[match.end():match.end() + 1]
            if opened is not None and following not in ("“", '"', "«", "‘"):
                spans.append((opened, match.start()))
                opened = None
            continue
        if opened is None and (mark in "“«" or (mark in '"‘' and _opens(text, match.start()))):
            opened, single = match.start(), mark == "‘"
        elif opened is not None and (mark == "’" if single else mark in ("”", '"', "»")):
            spans.append((opened, match.end()))
            opened = None
    if opened is not None:
        spans.append((opened, len(text)))
    return spans


def _opens(text: str, at: int) -> bool:
    before = text[at - 1:at] if at else " "
    return before in (" ", "\n", "(", ":", "—", "-", "–") or at == 0


def _clause_after(text: str, start: int, end: int, cast: Cast) -> Attribution | None:
    """The reporting clause right after a closing quotation mark: `," he explained.`"""
    clause = re.match(r"[\s,]*([^“\"«\n]{0,120}?)(?:[.;:]|$)", text[end:end + 160])
    if not clause or not REPORTING_VERB.search(clause.group(1)):
        return None
    verb = REPORTING_VERB.search(clause.group(1))
    assert verb is not None
    offset = end + clause.start(1)
    mentions = cast.between(offset, offset + len(clause.group(1)))
    if mentions:
        return Attribution(mentions[0].actor.id, clause.group(1).strip())
    if PRONOUN.search(clause.group(1)[:verb.start() + 1] or clause.group(1)):
        actor = cast.antecedent(start)
        return Attribution(actor.id, clause.group(1).strip(), pronoun=True) if actor else None
    if DOCUMENT.search(clause.group(1)):
        body = cast.last_before(end, kind="organisation")
        return Attribution(body.id, f"{clause.group(1).strip()} (of {body.name}, named before it)") if body else None
    return None


def _clause_inside(text: str, last: Sentence, start: int, cast: Cast) -> Attribution | None:
    """A quotation left open to its paragraph's end that closes with `, Yuri Shuleiko said.`"""
    tail = re.search(rf",\s*([^,“\"]{{0,80}}?\b(?:{REPORTING})\b[^,“\"]{{0,40}})[.]?\s*$", last.text, re.IGNORECASE)
    if not tail:
        return None
    offset = last.start + tail.start(1)
    mentions = cast.between(offset, offset + len(tail.group(1)))
    if mentions:
        return Attribution(mentions[0].actor.id, tail.group(1).strip())
    if re.match(r"(?:he|she)\b", tail.group(1).strip(), re.IGNORECASE):
        actor = cast.antecedent(start)
        return Attribution(actor.id, tail.group(1).strip(), pronoun=True) if actor else None
    return None


def _speaker_lines(text: str, sentences: list[Sentence], cast: Cast) -> dict[int, Attribution]:
    """A paragraph after a line that ends with a colon and names someone ("He said:") is theirs, and so
    are the quoted paragraphs that follow it ("Zhang Wenchuan, Ambassador …:" then “…” and “…”)."""
    found: dict[int, Attribution] = {}
    starts = [s.start for s in sentences]
    firsts = _paragraph_texts(sentences)
    for line in re.finditer(r"[^\n]+", text):
        clause = line.group(0).strip()
        if not clause.endswith(":") or line.end() >= len(text):
            continue
        tail = clause[max(clause.rfind(". "), clause.rfind("! "), clause.rfind("? ")) + 1:].strip()
        offset = line.start() + line.group(0).rfind(tail)
        mentions = cast.between(offset, offset + len(tail))
        actor = mentions[0].actor if mentions else None
        if actor is None and re.match(r"(?:he|she)\b", tail, re.IGNORECASE):
            actor = cast.antecedent(offset)
        index = bisect.bisect_right(starts, line.end())
        if actor is None or index >= len(sentences) or len(tail.split()) > 25:
            continue
        paragraph = sentences[index].paragraph
        attribution = Attribution(actor.id, f"the line {tail[:60]!r} before the paragraph")
        found[paragraph] = attribution
        quoted = QUOTED_START.match(firsts[paragraph].text)
        while quoted and paragraph + 1 in firsts and QUOTED_START.match(firsts[paragraph + 1].text):
            paragraph += 1
            found[paragraph] = attribution
    return found


QUOTED_START = re.compile(r"[“\"«‘]")


def _interview_turns(text: str, sentences: list[Sentence], cast: Cast) -> dict[int, Attribution]:
    """In an interview, answer turns (and the paragraphs that follow them) are the interviewee's.

    Turns are paragraphs opening with a dash, `Q:`/`A:` or a label (`Ravkov:`); it is an
    interview when some turns are questions and some are not, or the text says so. A labelled
    turn is its label's; the others are the interviewee's: the one "an interview with X"
    names, else the person the headline and introduction name most.
    """
    paragraphs = _paragraph_texts(sentences)
    turns = {p: m for p, first in paragraphs.items() if (m := TURN.match(_line_of(text, first)))}
    lasts = {s.paragraph: s.text for s in sentences}
    questions = {p for p in turns if lasts[p].rstrip("”\"' ").endswith("?")}
    intro = INTERVIEWEE.search(text)
    if len(turns) < 2 or not (intro or (questions and len(questions) < len(turns))):
        return {}
    first_turn = paragraphs[min(turns)].start
    interviewee = _interviewee(text, cast, intro, first_turn)
    found: dict[int, Attribution] = {}
    answerer: Attribution | None = None
    for paragraph in sorted(paragraphs):
        if paragraph in turns:
            labelled = _label_speaker(text, paragraphs[paragraph], turns[paragraph], cast)
            if paragraph in questions:
                answerer = None
                found[paragraph] = Attribution(QUESTION, "a question turn of the interview", False)
                continue
            who = labelled or interviewee
            answerer = Attribution(who.id, f"an answer turn of the interview with {who.name}", False) if who else None
        if answerer and paragraph >= min(turns):
            found[paragraph] = answerer
    return found


def _interviewee(text: str, cast: Cast, intro: re.Match[str] | None, first_turn: int) -> Actor | None:
    """Who answers: named beside "an interview with", else the person named most before the first turn."""
    if intro:
        after = [m for m in cast.between(intro.end(), intro.end() + 80) if m.actor.role != "organisation"]
        before = [m for m in cast.between(max(0, intro.start() - 80), intro.start()) if m.actor.role != "organisation"]
        if after or before:
            return after[0].actor if after else before[-1].actor
    people = [m.actor for m in cast.between(0, first_turn) if m.actor.role != "organisation"]
    return max(people, key=lambda a: (people.count(a), -people.index(a))) if people else None


def _label_speaker(text: str, first: Sentence, turn: re.Match[str], cast: Cast) -> Actor | None:
    """The person a turn's label names (`Ravkov: …`), if it names one."""
    if not turn["label"]:
        return None
    line_start = text.rfind("\n", 0, first.start) + 1
    named = [m for m in cast.between(line_start + turn.start("label"), line_start + turn.end("label"))
             if m.actor.role != "organisation"]
    return named[0].actor if named else None


QUESTION = "?interviewer"


def _paragraph_texts(sentences: list[Sentence]) -> dict[int, Sentence]:
    firsts: dict[int, Sentence] = {}
    for sentence in sentences:
        firsts.setdefault(sentence.paragraph, sentence)
    return firsts


def _line_of(text: str, sentence: Sentence) -> str:
    start = text.rfind("\n", 0, sentence.start) + 1
    end = text.find("\n", sentence.start)
    return text[start:end if end >= 0 else len(text)]
