"""Targets in a stated plan or forecast: the amount aimed at, its operator, metric and baseline.

An amount is a target when a goal verb or a forecast leads it ("to $1 billion", "reach",
"exceed the $500 million mark", "will amount to 1.7%", "will be around 4%", "at least 25
projects", "is forecast at 7.4%", "to export food worth $9 billion"); an amount followed by a past year is history, not an aim. A sentence that pairs
several amounts with years ("7.4% in 2024, 6.1% in 2025 and 5.8% in 2026") holds one target
per year. The metric is named from the nouns and countries around the amount ("Belarus–
Uzbekistan trade turnover"), or is the workspace's metric with that unit and the most words
in common. The baseline is, in order: an earlier figure of the same unit in the sentence;
the latest figure of the same kind the article reports for an earlier year; the workspace
metric's latest documented value; otherwise a placeholder the note tells the analyst to fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from tracker.extract.amounts import Amount, find_amounts
from tracker.extract.names import COUNTRY_NAMES, country_of

GOAL_LEAD = re.compile(
    r"\b(?:reach\w*|to|double\w*|tripl\w*|exceed\w*|surpass\w*|increas\w*|rais\w*|elevat\w*|bring\w*|boost\w*|"
    r"at least|more than|above|over|up to|below|less than|under|cut\w*|reduc\w*|no more than|mark|amount\w*(?: to)?|"
    r"at|of|by|total\w*|hit|achiev\w*|aim\w* (?:for|at)|worth|(?:will|would|should|could|may|to) be)\s+(?:the\s+|a\s+|another\s+|an\s+|about\s+|almost\s+|nearly\s+|around\s+|some\s+)?"
    r"(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
OPERATORS = (
    (re.compile(r"\b(?:below|less than|under|no more than|up to|cut\w* to|reduc\w* to|not exceed)\s+(?:\w+\s+){0,2}$", re.IGNORECASE), "<="),
    (re.compile(r"\b(?:at least|no less than|minimum of)\s+(?:\w+\s+){0,2}$", re.IGNORECASE), ">="),
    (re.compile(r"\b(?:more than|above|over|exceed\w*|surpass\w*)\s+(?:\w+\s+){0,3}$", re.IGNORECASE), ">"),
)
LOWER_IS_BETTER = re.compile(r"\b(?:inflation|deficit|debt|unemployment|prices?|poverty|losses)\b", re.IGNORECASE)
PAST_PAIR = re.compile(r"^\s*(?:in|for|as of|since)\s+((?:19|20)\d{2})\b(?!\s*[-–—])", re.IGNORECASE)
YEAR_PAIR = re.compile(r"^[^.;]{0,12}?\b(?:in|for|by)\s+((?:19|20)\d{2})\b", re.IGNORECASE)
METRIC_NOUNS = re.compile(
    r"\b(?:GDP growth|economic growth|real GDP|GDP|inflation|trade turnover|mutual trade|bilateral trade|trade in services|"
    r"trade volume|trade|turnover|exports?|imports?|supplies|supply|deliveries|production|output|investments?|"
    r"surplus|deficit|transactions|share|volumes?|contracts?|loans?|debt|sales|shipments?|harvest|yield|growth|"
    r"incomes?|wages|salar(?:y|ies)|prices|unemployment|reserves|budget|revenues?|earnings|profits?)\b",
    re.IGNORECASE,
)
KINDS = {  # metric nouns that name the same series
    "trade turnover": "trade", "mutual trade": "trade", "bilateral trade": "trade", "trade volume": "trade",
    "turnover": "trade", "trade": "trade", "gdp growth": "gdp growth", "economic growth": "gdp growth",
    "real gdp": "gdp growth", "growth": "gdp growth", "export": "exports", "exports": "exports",
    "import": "imports", "imports": "imports",
}
COUNTRY_WORDS = re.compile(r"\b[A-Z][\w'’]+\b")
PLACEHOLDER = 0.0


@dataclass(frozen=True)
class Aim:
    """An amount a plan or forecast aims at, its operator, and the year paired with it, if any."""

    amount: Amount
    op: str
    year: int | None = None


@dataclass(frozen=True)
class Figure:
    """A figure the article reports for a past period: its value, unit, year and kind of series."""

    value: float
    unit: str
    year: int
    kind: str
    surface: str


@dataclass(frozen=True)
class KnownMetric:
    """A workspace metric a target may be suggested on."""

    id: str
    name: str
    unit: str
    latest: tuple[int, float] | None = None  # (year, value) of its latest documented figure


def aims(sentence: str, amounts: list[Amount], said: date, currency: str | None) -> list[Aim]:
    """The targets a candidate sentence aims at: one per year it pairs, else one per clause or list item
    ("GDP growth of 102.8 percent, and inflation of no more than 7 percent"; "20 new kindergartens, 27
    schools"), the best of each (money before shares before volumes before counts, then the last: "from 2% to 5%")."""
    led = [_with_unit(a, currency) for a in amounts if _is_led(sentence, a) and not _is_history(sentence, a, said)]
    led = [a for a in led if a.unit]
    paired = [(a, _paired_year(sentence, a)) for a in led]
    by_year = [(a, y) for a, y in paired if y is not None and y >= said.year]
    if len(by_year) >= 2 and len({y for _, y in by_year}) == len(by_year) and len({a.unit for a, _ in by_year}) == 1:
        return [_aim(sentence, a, y) for a, y in by_year]
    return [_aim(sentence, best, _paired_year(sentence, best)) for best in _one_per_clause(sentence, led)]


def _one_per_clause(sentence: str, led: list[Amount]) -> list[Amount]:
    """The best amount of each metric a sentence aims at: a clause or list item that names another metric or
    unit ("GDP growth of 102.8 percent, and inflation of no more than 7 percent") starts another target; one
    that goes on with the same ("to bring the turnover to $500 million, and then to reach the $1 billion
    mark") does not."""
    groups: list[list[Amount]] = []
    metric = ""
    for amount in led:
        previous = groups[-1][-1] if groups else None
        span = sentence[previous.end if previous else 0:amount.start]
        nouns = METRIC_NOUNS.findall(span)
        own = KINDS.get(nouns[-1].lower(), nouns[-1].lower()) if nouns else metric or metric_kind(sentence, amount)
        if previous is not None and not (SEPARATED.search(span) and (own != metric or amount.unit != previous.unit)):
            groups[-1].append(amount)
        else:
            groups.append([amount])
        metric = own
    return [max(group, key=lambda a: (_rank(a.unit), a.start)) for group in groups]


SEPARATED = re.compile(r"[;,]|\b(?:and|or|while|whereas|but)\b")


def _aim(sentence: str, amount: Amount, year: int | None) -> Aim:
    """An amount as a target: a range aims at its lower end, or its upper end where the operator looks down or
    past it ("exceed the 315-320 million" -> > 320; "inflation within 5-6%" -> <= 6)."""
    op = _operator(sentence, amount)
    if amount.high is not None and op in (">", "<="):
        amount = replace(amount, value=amount.high)
    return Aim(amount, op, year)


def _with_unit(amount: Amount, currency: str | None) -> Amount:
    """A scaled number without a unit takes the article's currency ("a turnover of two billion")."""
    if amount.unit or not currency:
        return amount
    return replace(amount, value=round(amount.value / 1e6, 6), unit=f"{currency} million")


def _is_led(sentence: str, amount: Amount) -> bool:
    """Whether a plan or forecast aims at the amount: a goal word leads it ("to", "reach", "at least", "of"), it
    is next in a list after one ("at 7.4% in 2024, 6.1% in 2025"), or it stands in apposition to one ("to
    reach that level of trade – approximately $500 million")."""
    before = sentence[max(0, amount.start - 60):amount.start]
    if GOAL_LEAD.search(before) or LISTED.search(before):
        return True
    return bool(APPOSED.search(before) and GOAL_WORD.search(sentence[max(0, amount.start - 120):amount.start]))


LISTED = re.compile(r"[\d.]+\s?(?:%|percent|per cent|million|billion)?\s+(?:in|for)\s+(?:19|20)\d{2},?\s+(?:and\s+)?(?:by\s+)?$")
APPOSED = re.compile(r"[-–—:]\s*(?:approximately|about|around|some|nearly|almost|roughly|at least|over|more than)?\s*$", re.IGNORECASE)
GOAL_WORD = re.compile(r"\b(?:reach\w*|exceed\w*|achiev\w*|targets?|goals?|aim\w*|plan\w*|increas\w*|rais\w*|bring\w*|boost\w*|"
                       r"doubl\w*|level|mark|bar)\b", re.IGNORECASE)


def _is_history(sentence: str, amount: Amount, said: date) -> bool:
    paired = PAST_PAIR.match(sentence[amount.end:amount.end + 20])
    return bool(paired and int(paired.group(1)) < said.year)


def _paired_year(sentence: str, amount: Amount) -> int | None:
    paired = YEAR_PAIR.match(sentence[amount.end:amount.end + 25])
    return int(paired.group(1)) if paired else None


def _rank(unit: str) -> int:
    return 3 if unit.endswith("million") else 2 if unit == "percent" else 1 if unit in ("tonne", "barrel", "cubic metre") else 0


def _operator(sentence: str, amount: Amount) -> str:
    before = sentence[max(0, amount.start - 40):amount.start]
    explicit = next((op for pattern, op in OPERATORS if pattern.search(before)), None)
    if explicit:
        return explicit
    return "<=" if LOWER_IS_BETTER.search(sentence[max(0, amount.start - 80):amount.start]) else ">="


def article_currency(text: str) -> str | None:
    """The currency the article's money amounts are in, when they agree on one."""
    currencies = {a.unit.split()[0] for a in find_amounts(text) if a.unit.endswith(" million")}
    return currencies.pop() if len(currencies) == 1 else None


def metric_kind(text: str, amount: Amount) -> str:
    """The kind of series an amount measures: the metric noun nearest before it (else after)."""
    nouns = METRIC_NOUNS.findall(text[max(0, amount.start - 120):amount.start]) or METRIC_NOUNS.findall(text[amount.end:amount.end + 60])
    noun = nouns[-1].lower() if nouns else "figure"
    return KINDS.get(noun, noun)


def metric_name(sentence: str, amount: Amount, context: str) -> str:
    """A metric name an analyst would write: "Belarus–Uzbekistan trade turnover", "Belarus GDP growth"."""
    kind = metric_kind(sentence, amount)
    countries = _countries(sentence)
    if kind in ("trade", "exports", "imports") and len(countries) < 2:
        countries = _countries(" ".join((sentence, context)))
    countries = countries or _countries(context)
    noun = {"trade": "trade turnover", "gdp growth": "GDP growth"}.get(kind, kind)
    if kind in ("trade", "exports", "imports") and len(countries) >= 2:
        return f"{COUNTRY_NAMES[countries[0]]}–{COUNTRY_NAMES[countries[1]]} {noun}"
    if countries:
        return f"{COUNTRY_NAMES[countries[0]]} {noun}"
    return noun


def _countries(text: str) -> list[str]:
    """Countries named in a text, Belarus first, in order, each once."""
    found: list[str] = []
    for word in COUNTRY_WORDS.findall(text):
        code = country_of(re.sub(r"['’]s?$", "", word))
        if code and code in COUNTRY_NAMES and code not in found:
            found.append(code)
    return sorted(found, key=lambda c: c != "BY")


def reported_figures(sentence: str, said: date) -> list[Figure]:
    """Figures a sentence reports for a past year (the year near the amount; "current" is last year)."""
    figures: list[Figure] = []
    for amount in find_amounts(sentence):
        year = _year_near(sentence, amount) or (said.year - 1 if re.search(r"\bcurrent(?:ly)?\b", sentence, re.IGNORECASE) else None)
        if year is not None and year <= said.year and amount.unit:
            figures.append(Figure(amount.value, amount.unit, year, metric_kind(sentence, amount), amount.surface))
    return figures


def _year_near(text: str, amount: Amount) -> int | None:
    """The year closest after an amount in its clause, else the closest before it."""
    clause_end = re.search(r"[;(]|\bbut\b|, and\b", text[amount.end:])
    after = text[amount.end: amount.end + (clause_end.start() if clause_end else len(text))]
    years = re.findall(r"\b(?:19|20)\d{2}\b", after[:40]) or re.findall(r"\b(?:19|20)\d{2}\b", text[max(0, amount.start - 60):amount.start])[-1:]
    return int(years[0]) if years else None


def baseline(sentence: str, aim: Aim, said: date, figures: Iterable[Figure], kind: str,
             metric: KnownMetric | None) -> tuple[float, int, str]:
    """The baseline of a target: value, year, and where it came from (for the note)."""
    for amount in find_amounts(sentence[:aim.amount.start]):
        if amount.unit == aim.amount.unit and amount.value != aim.amount.value:
            year = _year_near(sentence, amount) or said.year - 1
            return amount.value, year, f"'{amount.surface}' earlier in the sentence"
    last_year = (aim.year or said.year) - 1
    earlier = [f for f in figures if f.unit == aim.amount.unit and f.kind == kind and f.year <= min(last_year, said.year)
               and f.value != aim.amount.value]
    if earlier:
        figure = max(earlier, key=lambda f: f.year)
        return figure.value, figure.year, f"'{figure.surface}' reported for {figure.year} in the article"
    if metric and metric.latest and metric.latest[1] != aim.amount.value:
        return metric.latest[1], metric.latest[0], f"the workspace metric {metric.id}'s figure for {metric.latest[0]}"
    return PLACEHOLDER, said.year - 1, "NOT IN THE ARTICLE: 0 is a placeholder, replace it with the latest figure before the statement"


def suggest_metric(name: str, unit: str, known: Iterable[KnownMetric]) -> KnownMetric | None:
    """The workspace metric with the same unit whose name shares the most words (at least two) with `name`."""
    wanted = _stems(name)
    scored = [(len(wanted & _stems(m.name)), m) for m in known if m.unit == unit]
    scored = [(score, m) for score, m in scored if score >= min(2, len(wanted))]
    return max(scored, key=lambda pair: pair[0])[1] if scored else None


def _stems(name: str) -> set[str]:
    words = re.findall(r"[a-z]+", name.lower().replace("–", " "))
    return {w.rstrip("s")[:6] for w in words if w not in ("the", "of", "and", "in", "to", "usd", "million")}
