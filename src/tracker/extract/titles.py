"""Short proposition titles in the analyst's words, not sentences cut at a fixed length.

A target reads "<metric> reaches <value> by <year>" ("Belarus–Azerbaijan trade turnover
reaches $1 billion by 2030"). An event keeps the claim of its sentence: the attribution ("X
told journalists that", "according to X", ", he said"), discourse openers ("Furthermore,")
and quotation marks are dropped, and the claim is cut at a clause boundary near 90 characters.
"""

from __future__ import annotations

import re
from datetime import date

VERBS = {">=": "reaches", ">": "exceeds", "<=": "stays at or below", "<": "falls below", "==": "is"}
OPENERS = re.compile(
    r"^(?:[-–—]\s*)?(?:(?:In addition|Additionally|Furthermore|Moreover|Meanwhile|Also|At the same time|However|"
    r"And|But|So|Thus|Therefore|In general|First of all|Now|Today|Currently|In my opinion|I think|I believe|"
    r"I reckon|Of course|Besides|In turn|For example),?\s+)+",
    re.IGNORECASE,
)
ATTRIBUTION = re.compile(
    r"^(?:[^,“\"]{0,90}?\b(?:said|stated|noted|told [\w ]{0,20}?|stressed|emphasi[sz]ed|announced|explained|added|"
    r"remarked|believes|expects|confirmed|reported|revealed|disclosed|pointed out|highlighted)\s+(?:that\s+)?|"
    r"according to [^,]{1,60},\s*)",
    re.IGNORECASE,
)
TRAILING = re.compile(r",?\s*(?:[^,]{0,60}\b(?:said|says|stated|noted|explained|added|reports?|stressed|emphasi[sz]ed|remarked)\b[^,]{0,60})$", re.IGNORECASE)
LIMIT = 90


def target_title(metric: str, op: str, value: float, unit: str, deadline: date, explicit: bool) -> str:
    """"Belarus–Uzbekistan trade turnover reaches $1 billion by 2030"."""
    when = f" by {deadline.year}" if explicit else ""
    if explicit and deadline.month == 12 and deadline.day == 31 and op in ("==", "<="):
        when = f" in {deadline.year}"
    return f"{metric[:1].upper()}{metric[1:]} {VERBS.get(op, 'reaches')} {written(value, unit)}{when}"


def written(value: float, unit: str) -> str:
    """A value as an analyst writes it: `$1 billion`, `1.7%`, `25 projects`."""
    if unit.endswith(" million"):
        currency = unit.split()[0]
        sign = "$" if currency == "USD" else "€" if currency == "EUR" else f"{currency} "
        return f"{sign}{value / 1000:g} billion" if value >= 1000 else f"{sign}{value:g} million"
    if unit == "percent":
        return f"{value:g}%"
    return f"{value:g} {unit}{'' if value == 1 or unit.endswith('s') else 's'}"


def event_title(sentence: str) -> str:
    """The claim of a sentence, without its attribution, at most about 90 characters."""
    plain = re.sub(r"\s*\([^()]*\)", "", sentence)
    plain = re.sub(r"[“”\"]", "", plain).strip().rstrip(".:;!")
    plain = OPENERS.sub("", plain)
    plain = ATTRIBUTION.sub("", plain, count=1)
    plain = TRAILING.sub("", plain) if len(plain) > 40 else plain
    plain = _cut(plain.strip(" ,-–—"))
    return plain[:1].upper() + plain[1:] if plain else sentence[:LIMIT]


def _cut(text: str) -> str:
    if len(text) <= LIMIT:
        return text
    for boundary in (r";\s", r",\s+(?:which|while|where|as|including|ensuring|in order|so that)\b", r"\s[–—-]\s", r",\s"):
        cuts = [m.start() for m in re.finditer(boundary, text) if 35 <= m.start() <= LIMIT + 10]
        if cuts:
            return text[:cuts[-1]]
    return text[:LIMIT].rsplit(" ", 1)[0]
