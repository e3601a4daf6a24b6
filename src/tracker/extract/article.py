"""An article's text cut into what the extractor reads: sentences, paragraphs and header facts.

Sentences keep exact character spans into the original text, so every quote in a draft is
verbatim and locatable. A news date line ("AGHDAM, Azerbaijan, May 6.", "MINSK, 18 June
(BelTA) –", a stored page's "date 2025-05-06") is cut from the sentence it leads and read
for the publication date and the publisher; headings, menus, exchange-rate tickers and other
page furniture are never sentences and never people. A "Similar articles" tail is read too
(its teasers make predictions of their own), but its dates do not date the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from tracker.extract import segment
from tracker.extract.horizons import MONTHS, find_full_dates
from tracker.extract.names import is_institution, person_tokens

TAIL_MARKERS = re.compile(
    r"^\s*(?:Similar articles|Related articles|Related posts|Read more|Read also|Source »)",
    re.IGNORECASE | re.MULTILINE,
)
HEADER_CHARS = 600
_MONTH = "|".join(sorted((m for m in MONTHS if len(m) > 2), key=len, reverse=True))
DATELINE = re.compile(
    r"^(?:date\s+\d{4}-\d{2}-\d{2}\s*)?"
    r"(?:(?P<place>[A-ZÀ-Ý][A-Za-zÀ-ÿ' .-]{1,30}?(?:,\s*[A-Z][A-Za-z' .-]{1,30}?)?)"
    r"(?:,\s*(?:(?P<d1>\d{1,2})\s+(?P<m1>" + _MONTH + r")|(?P<m2>" + _MONTH + r")\.?\s+(?P<d2>\d{1,2}))(?:,?\s*\d{4})?)?"
    r"\s*(?:\((?P<agency>[^()]{2,40})\))?\s*(?:[.:]|--|[–—-])(?:\s+|$))?",
    re.IGNORECASE,
)
STORED_DATE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b")
REPORTS = re.compile(r"\b(?P<name>[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)\s+reports?\b")
FURNITURE = re.compile(r"currency|rates?\b|exchange|weather|°|\bBYN\b|\bUZS\b|\bUSD\b|\bEUR\b|₽|€|updated|©", re.IGNORECASE)
WEEKDAY_DATE = re.compile(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+\d{1,2}\s+[A-Z][a-z]+\s+\d{4}\b")
DAY_FIRST = re.compile(r"\b(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<year>(?:19|20)\d{2})\b")


@dataclass(frozen=True)
class Sentence:
    """A sentence, its offsets in the article (`text == article[start:end]`) and its paragraph."""

    text: str
    start: int
    end: int
    paragraph: int = 0
    opens_paragraph: bool = False


@dataclass(frozen=True)
class Header:
    """What the article says about itself, and how each fact was found."""

    title: str | None
    author: str | None
    publisher: str | None
    published: date | None
    notes: tuple[str, ...] = ()


def body_end(text: str) -> int:
    """Where the article proper ends: before a "Similar articles" list, if there is one."""
    match = TAIL_MARKERS.search(text)
    return match.start() if match else len(text)


def sentences(text: str) -> list[Sentence]:
    """The article's prose sentences, date lines cut off, with exact spans and paragraphs."""
    found: list[Sentence] = []
    paragraph, last_line_end = -1, -1
    for span in segment.split(text):
        line_start = text.rfind("\n", 0, span.start) + 1
        opens = text[line_start:span.start].strip() == ""
        if opens and line_start != last_line_end:
            paragraph += 1
        last_line_end = line_start
        piece = _without_dateline(span) if opens else span
        if piece is not None and _is_prose(piece.text):
            found.append(Sentence(piece.text, piece.start, piece.end, paragraph, opens))
    return found


def masked(text: str, sentences: list[Sentence]) -> str:
    """The text with everything but its sentences and short lines blanked out (offsets kept), so
    people are looked for in prose and speaker lines, not in menus, tickers or a megabyte of junk."""
    keep = [" "] * len(text)
    for sentence in sentences:
        keep[sentence.start:sentence.end] = text[sentence.start:sentence.end]
    for line in re.finditer(r"^[^\n]{1,300}$", text, re.MULTILINE):
        keep[line.start():line.end()] = line.group(0)
    for newline in re.finditer("\n", text):
        keep[newline.start()] = "\n"
    return "".join(keep)


def _without_dateline(span: segment.Span) -> segment.Span | None:
    """The sentence after a leading date line; None when the date line is all there is."""
    match = DATELINE.match(span.text)
    cut = match.end() if match and (match["m1"] or match["m2"] or match["agency"] or STORED_DATE.match(span.text)) else 0
    if cut == 0:
        stored = STORED_DATE.match(span.text)
        cut = stored.end() if stored else 0
    rest = span.text[cut:].lstrip()
    if not rest:
        return None
    begin = span.start + len(span.text) - len(rest)
    return segment.Span(rest, begin, span.end)


LONGEST = 2000  # characters: a longer "sentence" is a list, a table or garbage, not a claim
UNENDED = 20  # words: a line this long without a full stop is a lead or a sentence the stored page cut off, not a heading


def _is_prose(sentence: str) -> bool:
    if len(sentence) > LONGEST:
        return False
    words = sentence.split()
    ends = sentence.rstrip("”’\"')*_ ")[-1:] in (".", "!", "?", ":", ";") if sentence else False
    return (len(words) >= UNENDED or (len(words) >= 5 and ends)) and not sentence.startswith("#")


def header(text: str, dated: bool = True) -> Header:
    """Title, author, publisher and (unless `dated` is False) publication date as the article gives them."""
    published, how = _published(text) if dated else (None, "")
    publisher, who = _publisher(text)
    notes = tuple(n for n in (how, who) if n)
    return Header(title(text), author(text), publisher, published, notes)


def title(text: str) -> str | None:
    """The article's title: a `# ` heading, else its first headline-like line in the header."""
    heading = re.search(r"^#\s+(.+)$", text, re.MULTILINE)
    if heading:
        return heading.group(1).strip()
    for line in text[:HEADER_CHARS].splitlines():
        line = line.strip()
        words = line.split()
        if (4 <= len(words) <= 20 and not line.endswith((".", ":", "?")) and not FURNITURE.search(line)
                and not STORED_DATE.match(line) and sum(w[0].islower() for w in words) < len(words) - 1
                and not re.search(r"\d{1,2}[./:]\d{2}", line) and not re.fullmatch(r"[\W\d_ ]+", line)):
            return line
    return None


def author(text: str) -> str | None:
    """The byline: `## Name`, "By Name", or a line near the top or the end that is only a name."""
    for pattern in (r"^##\s+(.+?)\s*$", r"^\s*By\s+(.+?)\s*$"):
        for match in re.finditer(pattern, text[:HEADER_CHARS * 2], re.MULTILINE):
            tokens = person_tokens(match.group(1))
            if len(tokens) >= 2 and len(match.group(1).split()) <= 4:
                return " ".join(tokens)
    lines = [line.strip() for line in text[:HEADER_CHARS].splitlines()] + [line.strip() for line in text.strip().splitlines()[-3:]]
    for line in lines:
        tokens = person_tokens(line)
        if 2 <= len(tokens) == len(line.split()) and not is_institution(line):
            return " ".join(tokens)
    return None


def _published(text: str) -> tuple[date | None, str]:
    """The publication date and how it was found: a date line, a header date, or a guess.

    Of several header dates, the one the news date line agrees with ("MINSK, 7 March (BelTA)")
    wins; a date after a weekday's name ("Flag Monday, 7 April 2025") is the site's calendar,
    the day the page was stored, and is read only when the header has no other date.
    """
    stored = STORED_DATE.match(text)
    if stored:
        return date.fromisoformat(stored.group(1)), "published: the page's date line"
    dated = [(line, found[0][1]) for line in text[:HEADER_CHARS].splitlines()
             if not FURNITURE.search(line) and (found := find_full_dates(line) or _day_first(line))]
    if dated:
        agreed = _dateline_day(text[:HEADER_CHARS * 2])
        calendar = [pair for pair in dated if not WEEKDAY_DATE.search(pair[0])] or dated
        line, day = next((pair for pair in calendar if agreed and (pair[1].month, pair[1].day) == agreed), calendar[0])
        return day, f"published: the date in the header line {line.strip()[:60]!r}"
    cited = find_full_dates(text[: body_end(text)])
    if cited:
        return max(d for _, d in cited), "published: the latest full date the article cites (a guess: check it)"
    return None, ""


def _day_first(line: str) -> list[tuple[int, date]]:
    """`07/02/2024` read day first, as the region's sites write it; `1/31/2026`, which cannot be, month first."""
    found: list[tuple[int, date]] = []
    for match in DAY_FIRST.finditer(line):
        first, second, year = int(match["d"]), int(match["m"]), int(match["year"])
        for month, day in ((second, first), (first, second)):
            try:
                found.append((match.start(), date(year, month, day)))
                break
            except ValueError:
                continue
    return found


def _dateline_day(head: str) -> tuple[int, int] | None:
    """The (month, day) of the news date line ("MINSK, 7 March (BelTA) –"), when the article has one."""
    for line in head.splitlines():
        match = DATELINE.match(line.strip())
        if match and (match["m1"] or match["m2"]) and match["agency"]:
            month = MONTHS[(match["m1"] or match["m2"]).lower()]
            return month, int(match["d1"] or match["d2"])
    return None


def _publisher(text: str) -> tuple[str | None, str]:
    """The publisher the article names: the agency in its date line, or "X reports" near the top."""
    for line in text[:HEADER_CHARS * 2].splitlines():
        match = DATELINE.match(line.strip())
        agency = match["agency"] if match else None
        if agency and not re.search(r"\d", agency):
            return agency.strip(), "publisher: the agency in the date line"
    for sentence in segment.split(text[:HEADER_CHARS * 2])[:6]:
        match = REPORTS.search(sentence.text)
        if match and match["name"].split()[0] not in ("He", "She", "It", "The", "This"):
            return match["name"], f"publisher: {match.group(0)!r}"
    return None, ""
