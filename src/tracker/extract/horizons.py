"""Dates and horizons in article text: when a thing was said, and by when it should happen.

A deadline comes from a phrase: a calendar one ("by November", "until 2025", "in 2021",
"by the end of 2024", "by 2030", "around 2030") is `explicit`; so is one relative to when it
was said ("this year", "by the end of the current year", "next year", "in the first
quarter", "in the second half of the year", "next week", "by the end of the month", "this
autumn", "on April 16", "from November 25 to November 27", "today we will sign", "tomorrow")
and a duration ("within a year and a half", "over the next two years", "in two weeks"),
counted from the date of the statement. A month is read by one grammar: a preposition in any
case ("On May 14, …"), modifiers ("in mid-September" -> the 15th, "in coming October", "at the
end of June", "by early May"), a second month of a list or span ("in March and June 2025") and
a year; the modal "may" is never a month, and "back in May", "In March, the presidents met",
"the agreement signed on May 5", a span of months that has ended ("1.6% in January-September")
and a day without a year in the weeks before the statement are the past. "Today" is a deadline
only beside the future it dates. Of several horizons in a sentence, the one nearest its plan or
prediction dates it (the first after its words, else the last before them); a time that dates
the statement ("…, the minister said in the first quarter") and the period of a document still to
be signed or drafted ("a roadmap for 2026-2028 will be signed") are not deadlines. A vague
horizon ("in the near future", "in the coming months", "in the coming years") or no phrase at
all gives an `implied` deadline from a fixed default. The draft's note gives the phrase and
the reading.
Standard library only: dateparser was measured and reads "until 2025" as 2025-05-20 (the
day of the reference date), where a deadline needs the end of the period.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?:19|20)\d{2}"
_COUNT_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "eighteen": 18,
    "a couple of": 2, "a few": 3, "several": 3,
}
_COUNT = r"\d+(?:\.\d+)?|a couple of|a few|several|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|eighteen"
_UNIT_MONTHS = {"month": 1, "year": 12, "decade": 120}

VAGUE_HORIZONS = {  # phrase -> months from the statement, an analyst's default
    r"in the (?:coming|next few|next several) months|in the months ahead": 6,
    r"in the (?:very )?near future|shortly|soon|upcoming|in the (?:very )?near term": 12,
    r"in the (?:coming|next few|years to come) years|in the medium term|over time": 36,
    r"in the long term|in the long run|long-term": 60,
}
DEFAULT_MONTHS = 24  # no horizon stated at all

_CAPITAL_MONTH = r"(?:" + "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True)) + r")\.?"
# a month as written: a preposition, modifiers ("mid-", "early", "the end of", "coming", "next"), the month, a second
# month of a list or span ("March and June", "January-September"), and a year: one grammar for every month phrase
_MONTH_PREP = r"(?i:by|until|till|before|no later than|through|in|at|on|from|as early as)"
_MONTH_MOD = r"(?i:early|late|mid|middle|the middle of|the end of|end of|the beginning of|beginning of|the start of|start of|coming|the coming|next|this)"
BY_MONTH = re.compile(
    rf"(?<![Bb]ack )(?<![Ss]ince )\b(?P<prep>{_MONTH_PREP})\s+(?:(?P<mod>{_MONTH_MOD})(?:\s+|-))?(?:(?:{_MONTH_MOD})(?:\s+|-))?"
    rf"(?P<month>{_CAPITAL_MONTH})(?:\s*(?P<link>and|or|[-–—]|to|through)\s*(?P<month2>{_CAPITAL_MONTH}))?"
    rf"(?:,?\s+(?P<year>{_YEAR}))?\b(?!\s*\d)"
)
ON_DAY = re.compile(
    rf"\b(?i:on|by|until|before)\s+(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?"
    rf"(?:(?P<m1>{_CAPITAL_MONTH})\s+(?:\d{{1,2}}\s?[-–]\s?)?(?P<d1>\d{{1,2}})|(?:\d{{1,2}}\s?[-–]\s?)?(?P<d2>\d{{1,2}})\s+(?P<m2>{_CAPITAL_MONTH}))"
    rf"(?:st|nd|rd|th)?(?:,?\s+(?P<year>{_YEAR}))?\b"
)
_DAY = r"(?P<{d}>\d{{1,2}})(?:st|nd|rd|th)?"
DAY_RANGE = re.compile(
    rf"\b(?i:from)\s+(?:(?P<m1>{_CAPITAL_MONTH})\s+{_DAY.format(d='d1')}|{_DAY.format(d='d2')}(?:\s+(?P<m2>{_CAPITAL_MONTH}))?)"
    rf"\s*(?:to|till|until|through|[-–])\s*"
    rf"(?:(?P<m3>{_CAPITAL_MONTH})\s+{_DAY.format(d='d3')}|{_DAY.format(d='d4')}(?:\s+(?P<m4>{_CAPITAL_MONTH}))?)"
    rf"(?:,?\s+(?P<year>{_YEAR}))?\b"
)
TODAY = re.compile(
    r"\b(?P<day>[Tt]oday|[Tt]omorrow|[Tt]onight),?\s+(?:[\w'’]+\s+){0,2}?(?:will|shall|is to|are to|is going to|are going to)\b|"
    r"\b(?:will|shall|is to|are to|is scheduled|are scheduled)\s+(?:[\w'’]+\s+){0,5}?(?P<after>today|tomorrow|tonight)\b(?!['’])"
)
FUTURE_FORM = re.compile(r"\b(?:will|shall|is to|are to|is going to|are going to|is scheduled|are scheduled|is planned|are planned|"
                         r"is expected|are expected|plans? to|intends? to)\b")
THIS_YEAR = re.compile(
    r"\b(?:(?:by|until|before|at|towards?) the end of |by )?(?:this|the current|current)\s+year\b|"
    r"\b(?:by|until|before|at) (?:the )?(?:end of the year|year-end|year end)\b|\bby the end of the year\b",
    re.IGNORECASE,
)
NEXT_YEAR = re.compile(r"\b(?:(?:by|until|before|at) the end of )?next year\b", re.IGNORECASE)
QUARTER = re.compile(
    rf"\b(?:(?P<n>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter|Q(?P<q>[1-4]))"
    rf"(?:\s+of\s+(?:the\s+)?(?P<which>this|next|current)\s+year|(?:\s+of)?\s+(?P<year>{_YEAR}))?\b", re.IGNORECASE
)
HALF = re.compile(
    rf"\b(?:(?P<n>first|second)\s+half|H(?P<h>[12]))"
    rf"(?:\s+of\s+(?:the\s+)?(?P<which>this|next|current)\s+year|(?:\s+of)?\s+(?P<year>{_YEAR}))?\b", re.IGNORECASE
)
NEXT_PERIOD = re.compile(
    r"\b(?:(?:by|until|before|at|towards?) the end of |by |until |before )?(?P<which>next|this|the coming|the current|current)\s+"
    r"(?P<unit>week|month)\b|\b(?:by|until|before|at) the end of the (?P<the>week|month)\b", re.IGNORECASE)
SEASON = re.compile(r"\b(?:(?:this|next|coming)\s+|(?:in|by|until|before) (?:the )?(?:(?:coming|next)\s+)?)"
                    r"(?P<season>spring|summer|autumn|fall|winter)\b", re.IGNORECASE)
SEASON_ENDS = {"spring": 5, "summer": 8, "autumn": 11, "fall": 11, "winter": 2}
FIVE_YEAR_PLAN = re.compile(
    r"\b(?:the end of |by the end of )?(?:the |a |this )?(?P<which>new|next|coming|current|present)\s+five[-‑‐ ]year\s+(?:plan|period|programme|program)\b",
    re.IGNORECASE)
DECADE = re.compile(r"\b(?:by|until|before|at|towards?) the end of (?:the|this) decade\b", re.IGNORECASE)
PART_OF_YEAR = re.compile(
    rf"\b(?P<part>early|in early|at the beginning of|the beginning of|at the start of|the start of|mid-?|in the middle of|the middle of)\s*"
    rf"(?:(?P<which>this|next|the current|current)\s+year|(?P<year>{_YEAR}))\b", re.IGNORECASE)
AROUND_YEAR = re.compile(rf"\b(?:around|about|approximately|circa|towards?)\s+(?P<year>{_YEAR})\b", re.IGNORECASE)
BY_YEAR = re.compile(
    rf"\b(?:by|until|till|before|no later than|through|up to)\s+(?:the end of\s+|the beginning of\s+)?"
    rf"(?P<year>{_YEAR})\b", re.IGNORECASE
)
YEAR_RANGE = re.compile(rf"\b(?:{_YEAR})\s?[-–—]\s?(?P<year>{_YEAR})\b")
IN_YEAR = re.compile(rf"\b(?:in|during|for|this|next)\s+(?:the year\s+)?(?P<year>{_YEAR})\b", re.IGNORECASE)
WITHIN = re.compile(
    rf"\b(?:within|in|over|during)\s+(?:the\s+)?(?:next\s+|coming\s+)?(?P<count>{_COUNT})"
    r"\s+(?P<unit>day|week|month|year|decade)s?(?P<half>\s+and\s+a\s+half)?\b", re.IGNORECASE
)
FULL_DATE = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})\s+(?P<m1>{_MONTH})|(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}}))"
    rf"(?:st|nd|rd|th)?,?\s+(?P<year>{_YEAR})\b", re.IGNORECASE
)
NUMERIC_DATE = re.compile(r"\b(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<year>(?:19|20)\d{2})\b")
ISO_DATE = re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})\b")
CITED_DAY = re.compile(rf"\(\s*[^()]*?(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})(?:,\s*(?P<year>{_YEAR}))?\s*\)", re.IGNORECASE)


@dataclass(frozen=True)
class Deadline:
    """By when a proposition should materialise, and the words it came from."""

    on: date
    basis: str  # explicit | implied
    phrase: str
    why: str
    scope: str = ""  # "occasion" (a day, a run of days, a week, a month: when something happens), "year" (one calendar year)
    at: int = -1  # where the phrase starts in its sentence (-1: not in it)


def end_of_month(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(start: date, months: float) -> date:
    """`start` moved on by a (possibly fractional) number of months, to the month's end."""
    total = start.year * 12 + start.month - 1 + round(months)
    return end_of_month(total // 12, total % 12 + 1)


def find_deadline(sentence: str, stated_on: date, cue_at: int | None = None) -> Deadline:
    """The deadline a sentence states, or an implied one from its horizon or the default.

    Of several horizon phrases, the one nearest the plan or prediction's own words (`cue_at`)
    dates it: the first after them, else the last before them ("in Q1-2026 activity is tracking
    …, which increases the likelihood of low growth … by the end of the year" -> the year's end).
    Given `cue_at`, a year that dates a document being handled ("the roadmap for 2026-2028 will be
    signed") is the document's period, not a deadline. Without it, the most specific phrase wins.
    """
    found = horizons(sentence, stated_on, handled=cue_at is not None)
    if not found:
        return _vague(sentence, stated_on)
    return found[0] if cue_at is None else find_nearest(found, cue_at)


def find_nearest(deadlines: list[Deadline], cue_at: int) -> Deadline:
    """Of horizons placed in a sentence, the one that dates its plan or prediction: the first after its words,
    else the last before them."""
    after = [d for d in deadlines if d.at >= cue_at]
    return min(after, key=lambda d: d.at) if after else max(deadlines, key=lambda d: d.at)


def horizons(sentence: str, stated_on: date, handled: bool = False) -> list[Deadline]:
    """The explicit horizons a sentence states, most specific first, none overlapping another or in the past;
    with `handled`, without the period of a document the sentence signs or drafts (which remains the period
    a later "the latter provides for …" speaks of)."""
    periods = _document_periods(sentence) if handled else []
    found: list[Deadline] = []
    for finder in FINDERS:
        deadline = finder(sentence, stated_on)
        if deadline is None or deadline.on < stated_on:  # "by 2020" said in 2024 is history
            continue
        at = sentence.find(deadline.phrase)
        end = at + len(deadline.phrase)
        if any(at < stop and end > start for start, stop in periods) or SAID_WHEN.search(sentence[max(0, at - 40):at]):
            continue
        if all(end <= d.at or at >= d.at + len(d.phrase) for d in found):
            found.append(replace(deadline, at=at))
    return found


# a time that dates the statement, not what it states: "…, the minister said in the first quarter", "told reporters on Monday"
SAID_WHEN = re.compile(r"\b(?:said|told|noted|stated|announced|reported|added|stressed|emphasi[sz]ed|explained|wrote|remarked)"
                       r"(?:\s+(?!that\b|it\b|by\b|until\b|before\b)[\w.]+){0,3}?\s+$", re.IGNORECASE)
DOCUMENT_PERIOD = re.compile(
    rf"\b(?:plan|programme|program|roadmap|road map|strategy|concept|treaty|agreement|directive|memorandum|contract)s?\b"
    rf"[^.;:]{{0,80}}?\s(?P<prep>for|of|until|till|through|to|on)\s+(?:the\s+(?:period|years?)\s+(?:of\s+)?)?"
    rf"(?P<period>{_YEAR}(?:\s?[-–—]\s?{_YEAR})?)\b",
    re.IGNORECASE)
_HANDLING = r"sign|adopt|approv|submit|prepar|draft|discuss|consider|review|conclud|finali[sz]|ratif|elaborat"
HANDLED = re.compile(  # a document still to be signed or drafted: a noun of the act, or the act to come
    r"\b(?:signing|adoption|approval|submission|preparation|drafting|draft|discussion|consideration|review|conclusion|"
    r"ratification|elaboration|finali[sz]ation)\b|"
    rf"\b(?:to|will|shall|would|must|should|could|may|being)\s+(?:also\s+)?(?:be\s+)?(?:{_HANDLING})\w*", re.IGNORECASE)


def _document_periods(sentence: str) -> list[tuple[int, int]]:
    """Spans of years that date a document still to be signed, adopted or drafted ("a roadmap for 2026-2028 will be
    signed"); a document already signed ("signed a roadmap for 2026-2028") is dated by its period, which its
    content is to meet."""
    if not HANDLED.search(sentence):
        return []
    return [(m.start("prep"), m.end("period")) for m in DOCUMENT_PERIOD.finditer(sentence)]


PAST_EVENT = re.compile(
    r"\b(?:signed|held|adopted|reached|concluded|approved|took place|began|started|visited|arrived|established|"
    r"founded|published|issued|released|launched|opened|ended|finished)\s+$", re.IGNORECASE)
TO_COME = re.compile(r"\b(?:be|been|being|to|will)\s+\w+\s+$", re.IGNORECASE)
RECENT_DAYS = 92  # a day named without a year this long before the statement is news, not a deadline


def _first_to_come(pattern: re.Pattern[str], sentence: str) -> re.Match[str] | None:
    """The first match of a date phrase that does not date something already done ("signed on May 5")."""
    for match in pattern.finditer(sentence):
        before = sentence[max(0, match.start() - 40):match.start()]
        if not PAST_EVENT.search(before) or TO_COME.search(before):
            return match
    return None


def _by_month(sentence: str, stated_on: date) -> Deadline | None:
    """A month phrase: the end of that month ("by November", "in coming October"), the 15th in its middle
    ("in mid-September"); the later month of a list ("in March and June 2025"). A span of months without a
    year that has ended ("1.6% in January-September") is a period reported on, not a deadline."""
    match = _first_to_come(BY_MONTH, sentence)
    if not match:
        return None
    if match["prep"] == "In" and not FUTURE_FORM.search(sentence, match.end()):
        return None  # "In May, the presidents met": a sentence opening with a month narrates, unless it looks ahead
    month = MONTHS[(match["month2"] or match["month"]).lower().rstrip(".")]
    modifier = (match["mod"] or "").lower()
    ahead = modifier in ("coming", "the coming", "next")
    if match["year"]:
        year = int(match["year"])
    elif match["link"] in ("-", "–", "—") and month < stated_on.month:
        return None
    else:
        year = stated_on.year + (month < stated_on.month or (ahead and month == stated_on.month))
    day = 15 if modifier in ("mid", "middle", "the middle of") else calendar.monthrange(year, month)[1]
    why = "the middle of that month" if day == 15 else "end of that month"
    return Deadline(date(year, month, day), "explicit", match.group(0), why, scope="occasion")


def _day_range(sentence: str, stated_on: date) -> Deadline | None:
    """"From November 25 to November 27", "from 25 to 27 November 2024": the last day of the run."""
    match = _first_to_come(DAY_RANGE, sentence)
    if not match or not (match["m1"] or match["m2"] or match["m3"] or match["m4"]):
        return None
    month = MONTHS[(match["m3"] or match["m4"] or match["m1"] or match["m2"]).lower().rstrip(".")]
    day = int(match["d3"] or match["d4"])
    year = int(match["year"]) if match["year"] else stated_on.year
    found = _valid(0, year, month, day)
    if found and not match["year"] and found[0][1] < stated_on - timedelta(days=RECENT_DAYS):
        found = _valid(0, year + 1, month, day)
    return Deadline(found[0][1], "explicit", match.group(0), "the last day of that run of days", scope="occasion") if found else None


def _today(sentence: str, stated_on: date) -> Deadline | None:
    """"Today we will sign …", "… will be signed tomorrow": the day it was said, or the next one."""
    match = TODAY.search(sentence)
    if not match:
        return None
    word = (match["day"] or match["after"]).lower()
    on = stated_on + timedelta(days=word == "tomorrow")
    return Deadline(on, "explicit", match.group(0), f"{word}, counted from the day it was said", scope="occasion")


def _on_day(sentence: str, stated_on: date) -> Deadline | None:
    match = _first_to_come(ON_DAY, sentence)
    if not match:
        return None
    month = MONTHS[(match["m1"] or match["m2"]).lower().rstrip(".")]
    day = int(match["d1"] or match["d2"])
    year = int(match["year"]) if match["year"] else stated_on.year
    found = _valid(0, year, month, day)
    if found and not match["year"] and found[0][1] < stated_on:
        if (stated_on - found[0][1]).days <= RECENT_DAYS:
            return None
        found = _valid(0, year + 1, month, day)
    return Deadline(found[0][1], "explicit", match.group(0), "that day", scope="occasion") if found else None


def _this_year(sentence: str, stated_on: date) -> Deadline | None:
    match = THIS_YEAR.search(sentence)
    if not match:
        return None
    return Deadline(date(stated_on.year, 12, 31), "explicit", match.group(0), f"end of {stated_on.year}, the year it was said", "year")


def _next_year(sentence: str, stated_on: date) -> Deadline | None:
    match = NEXT_YEAR.search(sentence)
    if not match:
        return None
    return Deadline(date(stated_on.year + 1, 12, 31), "explicit", match.group(0), f"end of {stated_on.year + 1}, the year after it was said",
                    "year")


def _next_period(sentence: str, stated_on: date) -> Deadline | None:
    """"Next week", "this month", "by the end of the month": the end of that week or month."""
    match = NEXT_PERIOD.search(sentence)
    if not match:
        return None
    unit = (match["unit"] or match["the"]).lower()
    ahead = (match["which"] or "").lower() in ("next", "the coming")
    if unit == "week":
        end = stated_on + timedelta(days=6 - stated_on.weekday() + 7 * ahead)
        return Deadline(end, "explicit", match.group(0), "end of that week (Sunday)", scope="occasion")
    end = add_months(stated_on, 1) if ahead else end_of_month(stated_on.year, stated_on.month)
    return Deadline(end, "explicit", match.group(0), "end of that month", scope="occasion")


def _season(sentence: str, stated_on: date) -> Deadline | None:
    """"This autumn", "by the summer", "next spring": the end of that season (northern hemisphere)."""
    match = SEASON.search(sentence)
    if not match:
        return None
    last_month = SEASON_ENDS[match["season"].lower()]
    end = end_of_month(stated_on.year, last_month)
    in_it = 0 <= (last_month - stated_on.month) % 12 <= 2
    if end < stated_on or (match.group(0).lower().startswith("next") and in_it):
        end = end_of_month(end.year + 1, last_month)
    return Deadline(end, "explicit", match.group(0), f"end of the coming {match['season'].lower()}")


def _part_of_year(sentence: str, stated_on: date) -> Deadline | None:
    """"In the first quarter", "Q3 2025", "in the second half of next year": the end of that part."""
    for pattern, parts in ((QUARTER, 4), (HALF, 2)):
        match = pattern.search(sentence)
        if not match:
            continue
        number = _ORDINALS.get((match["n"] or "").lower()) or int(match["q"] if parts == 4 else match["h"])
        which = (match["which"] or "").lower()
        year = int(match["year"]) if match["year"] else stated_on.year + (which == "next")
        end = end_of_month(year, number * 12 // parts)
        if end < stated_on and not match["year"] and not which:
            end = end_of_month(year + 1, number * 12 // parts)
        return Deadline(end, "explicit", match.group(0), f"end of that {'quarter' if parts == 4 else 'half-year'}")
    return None


_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}


def _five_year_plan(sentence: str, stated_on: date) -> Deadline | None:
    """"The current five-year plan", "the new five-year plan": Belarus plans in five-year periods (2021–2025,
    2026–2030); the new one is the next, or the one just begun in its first year."""
    match = FIVE_YEAR_PLAN.search(sentence)
    if not match:
        return None
    current = stated_on.year + (-stated_on.year) % 5
    which = match["which"].lower()
    if which in ("current", "present") or (which == "new" and stated_on.year % 5 == 1):
        return Deadline(date(current, 12, 31), "explicit", match.group(0), f"end of the five-year period {current - 4}–{current}")
    return Deadline(date(current + 5, 12, 31), "explicit", match.group(0), f"end of the next five-year period {current + 1}–{current + 5}")


def _decade(sentence: str, stated_on: date) -> Deadline | None:
    match = DECADE.search(sentence)
    if not match:
        return None
    year = stated_on.year + 10 - stated_on.year % 10 if stated_on.year % 10 else stated_on.year
    return Deadline(date(year, 12, 31), "explicit", match.group(0), f"end of {year}, the decade's last year")


def _early_or_mid_year(sentence: str, stated_on: date) -> Deadline | None:
    """"Early next year", "at the beginning of 2026" -> the first quarter's end; "mid-2026" -> the first half's."""
    match = PART_OF_YEAR.search(sentence)
    if not match:
        return None
    which = (match["which"] or "").lower()
    year = int(match["year"]) if match["year"] else stated_on.year + (which == "next")
    middle = "mid" in match["part"].lower() or "middle" in match["part"].lower()
    end = end_of_month(year, 6 if middle else 3)
    return Deadline(end, "explicit", match.group(0), "end of the first half-year" if middle else "end of the first quarter")


def _around_year(sentence: str, stated_on: date) -> Deadline | None:
    match = AROUND_YEAR.search(sentence)
    if not match:
        return None
    return Deadline(date(int(match["year"]), 12, 31), "explicit", match.group(0), "end of that year (an approximate year, read as its end)")


def _by_year(sentence: str, stated_on: date) -> Deadline | None:
    match = BY_YEAR.search(sentence)
    if not match:
        return None
    return Deadline(date(int(match["year"]), 12, 31), "explicit", match.group(0), "end of that year")


def _year_range(sentence: str, stated_on: date) -> Deadline | None:
    for match in YEAR_RANGE.finditer(sentence):
        if int(match["year"]) >= stated_on.year:
            return Deadline(date(int(match["year"]), 12, 31), "explicit", match.group(0), "end of the range")
    return None


def _in_year(sentence: str, stated_on: date) -> Deadline | None:
    for match in IN_YEAR.finditer(sentence):
        if int(match["year"]) >= stated_on.year:
            return Deadline(date(int(match["year"]), 12, 31), "explicit", match.group(0), "end of that year", "year")
    return None


def _within(sentence: str, stated_on: date) -> Deadline | None:
    match = WITHIN.search(sentence)
    if not match:
        return None
    count = match["count"].lower()
    number = float(count) if count[0].isdigit() else _COUNT_WORDS[count]
    unit = match["unit"].lower()
    if unit in ("day", "week"):
        days = round((number + (0.5 if match["half"] else 0)) * (7 if unit == "week" else 1))
        return Deadline(stated_on + timedelta(days=days), "explicit", match.group(0), f"{days} days after the statement")
    months = (number + (0.5 if match["half"] else 0)) * _UNIT_MONTHS[unit]
    why = f"{months:g} months after the statement, to the month's end"
    return Deadline(add_months(stated_on, months), "explicit", match.group(0), why)


def _vague(sentence: str, stated_on: date) -> Deadline:
    for pattern, months in VAGUE_HORIZONS.items():
        match = re.search(rf"\b(?:{pattern})\b", sentence, re.IGNORECASE)
        if match:
            why = f"vague horizon, taken as {months} months"
            return Deadline(add_months(stated_on, months), "implied", match.group(0), why)
    why = f"no horizon stated, default of {DEFAULT_MONTHS} months"
    return Deadline(add_months(stated_on, DEFAULT_MONTHS), "implied", "", why)


FINDERS = (_day_range, _on_day, _today, _by_month, _early_or_mid_year, _by_year, _year_range, _five_year_plan, _decade, _part_of_year, _this_year,
           _next_year, _next_period, _season, _within, _around_year, _in_year)


BACK_TO_OCCASION = re.compile(
    r"\b(?:on|at|during|after|following|for|in the course of)\s+(?:this|that|the|these|his|her|their)\s+"
    r"(?:occasion|meeting|visit|stay|tour|talks|negotiations|event|forum|summit|session|trip|ceremony|conference|exhibition)s?\b",
    re.IGNORECASE)
BACK_TO_SENTENCE = re.compile(r"\b(?:the latter|this figure|these figures|this document|this roadmap|this plan)\b", re.IGNORECASE)
OCCASION_VERB = re.compile(
    r"\b(?:be|being|(?<!has )(?<!have )(?<!had )been)\s+(?:signed|inked|discussed|held|reviewed|adopted|approved)\b|"
    r"\b(?:will|shall)\s+(?:also\s+)?(?:sign|discuss|meet|hold|review|exchange|adopt|approve|attend)\b|"
    r"\b(?:signing|adoption|approval|discussion|exchange)\s+of\b",
    re.IGNORECASE)


@dataclass(frozen=True)
class Mark:
    """An explicit horizon a sentence of the article gave, and where."""

    deadline: Deadline
    index: int
    paragraph: int


@dataclass
class Timeline:
    """The explicit horizons an article has given so far, for sentences that give none of their own.

    A sentence refers back to an occasion ("on this occasion", "at this meeting", "during his
    stay") -> the last day or month named within six sentences; to the sentence before ("the
    latter", "this figure") -> that sentence's horizon; a signing or a discussion ("MoUs are
    expected to be signed", "the signing of … is planned") -> the day or month named within six
    sentences; a forecast of a rate ("growth will amount to 1.7%") -> the calendar year named
    within three paragraphs ("this year"). Only the last few horizons are kept, so reading stays
    linear.
    """

    marks: list[Mark] = field(default_factory=list)
    KEEP = 12
    REACH = 6  # sentences back to the occasion a sentence refers to (one-sentence paragraphs make paragraphs a poor measure)

    def note(self, sentence: str, stated_on: date, index: int, paragraph: int) -> None:
        """Record the horizon a sentence gives, if it gives one."""
        deadline = find_deadline(sentence, stated_on)
        if deadline.basis == "explicit":
            self.marks = [*self.marks[-self.KEEP + 1:], Mark(deadline, index, paragraph)]

    def inherited(self, sentence: str, index: int, paragraph: int, rate: bool) -> Deadline | None:
        """The horizon a sentence without one takes from its context, if it refers to one; a reference by words
        ("during the visit", "this figure") is placed where those words stand (`at`), so it can compete with a
        horizon of the sentence's own that dates something else."""
        earlier = [m for m in reversed(self.marks) if m.index < index]
        back = BACK_TO_OCCASION.search(sentence)
        if back:
            return self._from(earlier, back, lambda m: m.deadline.scope == "occasion" and index - m.index <= self.REACH)
        back = BACK_TO_SENTENCE.search(sentence)
        if back:
            return self._from(earlier, back, lambda m: m.paragraph == paragraph and index - m.index <= 2)
        verb = OCCASION_VERB.search(sentence)
        if verb:
            found = self._from(earlier, verb, lambda m: m.deadline.scope == "occasion" and index - m.index <= self.REACH)
            return replace(found, at=-1) if found else None
        if rate:
            return self._from(earlier, None, lambda m: m.deadline.scope == "year" and paragraph - m.paragraph <= 3)
        return None

    @staticmethod
    def _from(marks: list[Mark], words: re.Match[str] | None, fits: Callable[[Mark], bool]) -> Deadline | None:
        mark = next((m for m in marks if fits(m)), None)
        if mark is None:
            return None
        told = mark.deadline
        said = repr(words.group(0)) if words else "a rate forecast without a year"
        return Deadline(told.on, "explicit", told.phrase, f"{told.why}; from the context: {said} refers to it", told.scope,
                        words.start() if words else -1)


def find_full_dates(text: str) -> list[tuple[int, date]]:
    """Complete dates (day, month, year) with their offsets: `06.06.2024`, `May 20, 2024`."""
    found: list[tuple[int, date]] = []
    for match in FULL_DATE.finditer(text):
        month = MONTHS[(match["m1"] or match["m2"]).lower().rstrip(".")]
        found += _valid(match.start(), int(match["year"]), month, int(match["d1"] or match["d2"]))
    for pattern in (NUMERIC_DATE, ISO_DATE):
        for match in pattern.finditer(text):
            found += _valid(match.start(), int(match["year"]), int(match["m"]), int(match["d"]))
    return sorted(found)


def _valid(offset: int, year: int, month: int, day: int) -> list[tuple[int, date]]:
    try:
        return [(offset, date(year, month, day))]
    except ValueError:
        return []


def cited_date(sentence: str, published: date) -> date | None:
    """The date of a citation such as "(President.gov.by, March 13)", when the sentence has one.

    A missing year is the latest that does not put the date after publication.
    """
    match = CITED_DAY.search(sentence)
    if not match:
        return None
    month, day = MONTHS[match["month"].lower().rstrip(".")], int(match["day"])
    year = int(match["year"]) if match["year"] else published.year
    found = _valid(0, year, month, day)
    if found and not match["year"] and found[0][1] > published:
        found = _valid(0, year - 1, month, day)
    return found[0][1] if found else None
