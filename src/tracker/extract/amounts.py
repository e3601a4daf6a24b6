"""Amounts in article text: `$1 billion`, `6.647 million tons`, `63.1 percent`.

Each amount is normalised to the units the definition files use (docs/format.md): money in
millions of its currency (`$1 billion` -> 1000 `USD million`), mass in tonnes, oil in
barrels, shares in percent, counted things in their own noun (`at least 25 projects` -> 25
`project`). Numbers may be grouped with commas or spaces (`1,500`, `3 700`) or written in
words (`two billion`, `a two-billion-dollar turnover`, `1 billion US dollars`); a scaled number without a unit ("a trade turnover of two billion")
is kept with an empty unit, for the caller to read from its context. Hand-written on purpose: a handful of currencies and units covers the articles we
track, and quantity libraries measured on the seeds cost seconds of start-up and misread
things like "153 T-72 tanks" (see docs/extract.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SCALES = {
    "thousand": 1e3, "k": 1e3,
    "million": 1e6, "mln": 1e6, "mn": 1e6, "m": 1e6,
    "billion": 1e9, "bln": 1e9, "bn": 1e9, "b": 1e9,
    "trillion": 1e12, "tn": 1e12,
}
CURRENCY_SIGNS = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "₽": "RUB"}
CURRENCY_WORDS = {
    "dollar": "USD", "usd": "USD", "euro": "EUR", "eur": "EUR", "ruble": "RUB",
    "rouble": "RUB", "rub": "RUB", "manat": "AZN", "azn": "AZN", "yuan": "CNY",
}
UNIT_WORDS = {
    "ton": "tonne", "tonne": "tonne", "metric ton": "tonne",
    "barrel": "barrel", "bbl": "barrel",
    "percent": "percent", "per cent": "percent", "%": "percent",
    "cubic meter": "cubic metre", "cubic metre": "cubic metre",
}

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_UPPER = rf"(?:\s?[-–—]\s?(?P<num2>{_NUMBER}))?"  # the upper end of a range: "2-3 billion", "0–1%"
NUMBER_WORDS = {
    "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "twenty": 20, "fifty": 50, "hundred": 100, "half a": 0.5, "one and a half": 1.5,
}
_WORDS = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_SCALE = r"thousand|million|billion|trillion|mln|bln|mn|bn|tn|k|m|b"
_SIGN = r"US\$|\$|€|£|₽"
_CUR_WORD = r"dollars?|USD|euros?|EUR|rubles?|roubles?|RUB|manats?|AZN|yuan"
_UNIT = r"metric tons?|tonnes?|tons?|barrels?|bbl|per ?cent|percent|%|cubic met(?:er|re)s?"

MONEY_BEFORE = re.compile(
    rf"(?P<sign>{_SIGN})\s?\\?(?:(?P<num>{_NUMBER}){_UPPER}|(?P<word>{_WORDS}))(?:[\s-]?(?P<scale>{_SCALE})\b)?", re.IGNORECASE
)
MONEY_AFTER = re.compile(
    rf"(?<![\w.])(?:(?P<num>{_NUMBER}){_UPPER}|(?P<word>{_WORDS}))(?:[\s-]?(?P<scale>{_SCALE}))?[\s-](?:US\s|U\.S\.\s|American\s)?"
    rf"(?P<cur>{_CUR_WORD})\b", re.IGNORECASE
)
BARE_SCALED = re.compile(
    rf"(?<![\w.$€£₽])(?:(?P<num>{_NUMBER})|(?P<word>{_WORDS}))\s(?P<scale>thousand|million|billion|trillion)\b"
    rf"(?!\s+(?:[a-z]{{3,}})\b(?<!\band)(?<!\bin)(?<!\bper)(?<!\bby)(?<!\bthis)(?<!\bnext)(?<!\bannually))",
    re.IGNORECASE,
)
# a count: a number, up to three lowercase modifiers (never a unit or a scale: "a 15.8 percent gross …" is no count),
# and its plural head noun ("gross", "business" are none)
COUNT = re.compile(rf"(?<![\w.$€£₽%-])(?P<num>{_NUMBER})\s(?P<modifiers>(?:(?!{{stop}}\b)[a-z-]{{2,}}\s){{0,3}}?)(?P<noun>[a-z]{{2,}}[a-rt-z]s)\b"
                   .replace("{stop}", r"(?:of|in|on|at|to|for|by|from|with|and|or|the|a|an|per|than|are|is|were|was|will|have|has|had|more|less|"
                                      rf"(?i:{_SCALE}|{_CUR_WORD}|{_UNIT}))"))
NOT_COUNTED = {"times", "years", "months", "days", "weeks", "decades", "percent", "points", "hours", "minutes", "thanks"}
QUANTITY = re.compile(
    rf"(?<![\w.$])(?P<num>{_NUMBER}){_UPPER}(?:\s?(?P<scale>{_SCALE}))?\s?(?P<unit>{_UNIT})(?!\w)", re.IGNORECASE
)


@dataclass(frozen=True)
class Amount:
    """A number with its unit as the definition files write it, and where it stood; a range keeps its upper end."""

    value: float
    unit: str
    start: int
    end: int
    surface: str
    high: float | None = None  # "2-3 billion dollars": value 2000, high 3000


def find_amounts(text: str) -> list[Amount]:
    """Every money amount and unit quantity in `text`, in order, without overlaps."""
    found = [_money(m, m["sign"]) for m in MONEY_BEFORE.finditer(text)]
    found += [_money(m, m["cur"]) for m in MONEY_AFTER.finditer(text)]
    found += [_quantity(m) for m in QUANTITY.finditer(text)]
    found += [_bare(m) for m in BARE_SCALED.finditer(text)]
    starts = {a.start for a in found}  # a count never takes the number of a money amount or a unit's quantity
    found += [_count(m) for m in COUNT.finditer(text) if _is_count(m) and m.start() not in starts]
    return _without_overlaps(sorted(found, key=lambda a: (a.start, -a.end)))


def _digits(written: str) -> float:
    return float(re.sub(r"[,\s\u00a0\u202f]", "", written))


def _number(match: re.Match[str], group: str = "num") -> float:
    value = _digits(match[group]) if match[group] else NUMBER_WORDS[match["word"].lower()]
    scale = (match["scale"] or "").lower()
    return value * SCALES.get(scale, 1.0)


def _upper(match: re.Match[str], scaled: bool = True) -> float | None:
    """The upper end of a range ("2-3 billion"), when it is one."""
    if "num2" not in match.re.groupindex or not match["num2"]:
        return None
    return _number(match, "num2") if scaled else _digits(match["num2"])


def _bare(match: re.Match[str]) -> Amount:
    """A scaled number without its unit: the value as written, the unit left for the context."""
    return Amount(_number(match), "", match.start(), match.end(), match.group(0))


def _is_count(match: re.Match[str]) -> bool:
    value = _digits(match["num"])
    year_like = 1900 <= value <= 2100 and "," not in match["num"] and " " not in match["num"]
    return match["noun"] not in NOT_COUNTED and not year_like


def _count(match: re.Match[str]) -> Amount:
    noun = match["noun"]
    single = noun[:-2] if re.search(r"(?:ses|xes|ches|shes)$", noun) else noun[:-1]
    return Amount(_digits(match["num"]), single, match.start(), match.end(), match.group(0))


def _money(match: re.Match[str], currency: str) -> Amount:
    key = currency.lower()
    code = CURRENCY_SIGNS.get(key) or CURRENCY_WORDS.get(key.rstrip("s"), key.upper())
    millions = round(_number(match) / 1e6, 6)
    high = _upper(match)
    return Amount(millions, f"{code} million", match.start(), match.end(), match.group(0), round(high / 1e6, 6) if high else None)


def _quantity(match: re.Match[str]) -> Amount:
    word = re.sub(r"\s+", " ", match["unit"].lower())
    unit = UNIT_WORDS.get(word) or UNIT_WORDS.get(word.rstrip("s"), word)
    value = _digits(match["num"]) if unit == "percent" else _number(match)
    high = _upper(match, scaled=unit != "percent")
    return Amount(round(value, 6), unit, match.start(), match.end(), match.group(0), round(high, 6) if high is not None else None)


def _without_overlaps(amounts: list[Amount]) -> list[Amount]:
    kept: list[Amount] = []
    for amount in amounts:
        if not kept or amount.start >= kept[-1].end:
            kept.append(amount)
    return kept
