"""Amounts in article text: `$1 billion`, `6.647 million tons`, `63.1 percent`.

Each amount is normalised to the units the definition files use: money in millions of its
currency (`$1 billion` -> 1000 `USD million`), mass in tonnes, oil in barrels, shares in
percent. Hand-written on purpose: a handful of currencies and units covers the articles we
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

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"thousand|million|billion|trillion|mln|bln|mn|bn|tn|k|m|b"
_SIGN = r"US\$|\$|€|£|₽"
_CUR_WORD = r"dollars?|USD|euros?|EUR|rubles?|roubles?|RUB|manats?|AZN|yuan"
_UNIT = r"metric tons?|tonnes?|tons?|barrels?|bbl|per ?cent|percent|%|cubic met(?:er|re)s?"

MONEY_BEFORE = re.compile(
    rf"(?P<sign>{_SIGN})\s?\\?(?P<num>{_NUMBER})(?:\s?(?P<scale>{_SCALE})\b)?", re.IGNORECASE
)
MONEY_AFTER = re.compile(
    rf"(?<![\w.])(?P<num>{_NUMBER})(?:\s?(?P<scale>{_SCALE}))?\s(?P<cur>{_CUR_WORD})\b", re.IGNORECASE
)
QUANTITY = re.compile(
    rf"(?<![\w.$])(?P<num>{_NUMBER})(?:\s?(?P<scale>{_SCALE}))?\s?(?P<unit>{_UNIT})(?!\w)", re.IGNORECASE
)


@dataclass(frozen=True)
class Amount:
    """A number with its unit as the definition files write it, and where it stood."""

    value: float
    unit: str
    start: int
    end: int
    surface: str


def find_amounts(text: str) -> list[Amount]:
    """Every money amount and unit quantity in `text`, in order, without overlaps."""
    found = [_money(m, m["sign"]) for m in MONEY_BEFORE.finditer(text)]
    found += [_money(m, m["cur"]) for m in MONEY_AFTER.finditer(text)]
    found += [_quantity(m) for m in QUANTITY.finditer(text)]
    return _without_overlaps(sorted(found, key=lambda a: (a.start, -a.end)))


def _number(match: re.Match[str]) -> float:
    value = float(match["num"].replace(",", ""))
    scale = (match["scale"] or "").lower()
    return value * SCALES.get(scale, 1.0)


def _money(match: re.Match[str], currency: str) -> Amount:
    key = currency.lower()
    code = CURRENCY_SIGNS.get(key) or CURRENCY_WORDS.get(key.rstrip("s"), key.upper())
    millions = round(_number(match) / 1e6, 6)
    return Amount(millions, f"{code} million", match.start(), match.end(), match.group(0))


def _quantity(match: re.Match[str]) -> Amount:
    word = re.sub(r"\s+", " ", match["unit"].lower())
    unit = UNIT_WORDS.get(word) or UNIT_WORDS.get(word.rstrip("s"), word)
    value = float(match["num"].replace(",", "")) if unit == "percent" else _number(match)
    return Amount(round(value, 6), unit, match.start(), match.end(), match.group(0))


def _without_overlaps(amounts: list[Amount]) -> list[Amount]:
    kept: list[Amount] = []
    for amount in amounts:
        if not kept or amount.start >= kept[-1].end:
            kept.append(amount)
    return kept
