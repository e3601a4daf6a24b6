"""An article's text cut into what the extractor reads: sentences with offsets, header facts.

Sentences come from pysbd (rule-based, handles abbreviations such as "U.S." and "Mr.") with
character spans into the original text, so every quote in a draft is verbatim and
locatable. Headings and bylines are left out; a "Similar articles" tail is read too (its
teasers make predictions of their own), but its dates do not date the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from tracker.extract.horizons import find_full_dates

TAIL_MARKERS = re.compile(
    r"^\s*(?:Similar articles|Related articles|Related posts|Read more|Read also|Source »)",
    re.IGNORECASE | re.MULTILINE,
)
HEADER_CHARS = 600


@dataclass(frozen=True)
class Sentence:
    """A sentence and its offsets in the article: `text == article[start:end]`."""

    text: str
    start: int
    end: int


def body_end(text: str) -> int:
    """Where the article proper ends: before a "Similar articles" list, if there is one."""
    match = TAIL_MARKERS.search(text)
    return match.start() if match else len(text)


def sentences(text: str) -> list[Sentence]:
    """The article's sentences, headings and short fragments left out, with exact spans."""
    import pysbd  # imported here: loading its rules is the slowest step of start-up

    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    found: list[Sentence] = []
    for span in segmenter.segment(text):
        for piece in _lines(span.sent, span.start):
            if _is_prose(piece.text):
                found.append(piece)
    return found


def _lines(chunk: str, offset: int) -> list[Sentence]:
    """Split a chunk at line breaks and trim it, keeping offsets exact."""
    pieces: list[Sentence] = []
    for match in re.finditer(r"[^\n]+", chunk):
        stripped = match.group(0).strip()
        if stripped:
            start = offset + match.start() + match.group(0).index(stripped)
            pieces.append(Sentence(stripped, start, start + len(stripped)))
    return pieces


def _is_prose(sentence: str) -> bool:
    words = sentence.split()
    ends = sentence.rstrip("”’\"')*_ ")[-1:] in (".", "!", "?", ":", ";") if sentence else False
    return len(words) >= 6 and ends and not sentence.startswith("#")


def title(text: str, fallback: str) -> str:
    """The article's title: a `# ` heading, else its first short line without a full stop."""
    heading = re.search(r"^#\s+(.+)$", text, re.MULTILINE)
    if heading:
        return heading.group(1).strip()
    for line in text[:HEADER_CHARS].splitlines():
        line = line.strip()
        if 3 <= len(line.split()) <= 20 and not line.endswith((".", ":")) and not re.match(r"^[\d.\s:,]+$", line):
            return line
    return fallback


def author(text: str) -> str | None:
    """The byline: a `## Name` heading, "By Name", or a closing line that is only a name."""
    patterns = (
        r"^##\s+([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,2})\s*$",
        r"^By\s+([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,2})\s*$",
    )
    for pattern in patterns:
        match = re.search(pattern, text, re.MULTILINE)
        if match:
            return match.group(1)
    tail = [line.strip() for line in text.strip().splitlines()[-3:]]
    names = [line for line in tail if re.fullmatch(r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,2}", line)]
    return names[-1] if names else None


def published(text: str) -> tuple[date | None, str]:
    """The publication date and how it was found: in the header, or the latest date cited."""
    header = find_full_dates(text[:HEADER_CHARS])
    if header:
        return header[0][1], "date in the article's header"
    cited = find_full_dates(text[: body_end(text)])
    if cited:
        return max(d for _, d in cited), "latest full date the article cites (a guess: check it)"
    return None, ""
