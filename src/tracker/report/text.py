"""How numbers, statuses and user text are written in every report: one place for each.

Numbers in JSON are rounded (`rounded`); numbers in cells are written as a reader writes them
(`number`, `percent`, `score`); user text is made inert for the medium it lands in: Markdown
(`md`, `md_table`), a terminal (`terminal`).
"""

from __future__ import annotations

import math
from typing import Any

from rich.text import Text

from tracker.core.status import LABELS, Status

DIGITS = 4  # decimals of computed numbers in JSON
DASH = "–"

READING_ORDER: tuple[Status, ...] = (
    Status.MATERIALISED, Status.PARTLY, Status.NOT_MATERIALISED, Status.ANNULLED, Status.OVERDUE,
    Status.BEHIND, Status.ON_TRACK, Status.IN_PROGRESS, Status.OPEN, Status.NO_DATA,
)
"""Statuses in the order a reader scans a report: settled first, then what needs attention."""


def rounded(value: float | None) -> float | None:
    """A computed number as JSON shows it: 4 decimals, never `-0.0`."""
    return None if value is None else round(float(value), DIGITS) + 0.0


def number(value: Any) -> str:
    """A figure as a reader writes it: 885.5, 1,000, 0.25; a dash for nothing."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{value:,.6g}" if abs(value) < 1e15 else f"{value:.3g}"
    return DASH if value is None else str(value)


def percent(value: float | None) -> str:
    return DASH if value is None or not math.isfinite(value) else f"{value:.0%}"


def score(value: float | None) -> str:
    return DASH if value is None else f"{value:.3f}"


def words(status: str | None) -> str:
    """`not_materialised` as `not materialised`, for readers."""
    return DASH if status is None else status.replace("_", " ")


def status_label(status: str | None) -> str:
    """A status in a reader's words (`overdue`: deadline passed, not yet checked)."""
    return LABELS.get(status or "", status or "unknown")  # type: ignore[call-overload]


_MD_SPECIAL = set("\\`*_[]|~")
_HTML_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def md(text: Any) -> str:
    """User text made inert in GitHub Markdown and safe inside a table cell.

    The characters that start emphasis, code, links or strike-through, and the cell separator
    `|`, are backslash-escaped; `<`, `>` and `&` become entities (so no raw HTML gets through);
    line breaks become spaces (a newline would end the table row). Every line the report
    writes starts with our own text, so line-start markers (`#`, `-`, `1.`) cannot arise.
    """
    out = []
    for char in " ".join(terminal(str(text)).split()):
        if char in _HTML_ENTITIES:
            out.append(_HTML_ENTITIES[char])
        elif char in _MD_SPECIAL:
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table's lines (cells already escaped), and a blank line after it."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows] + [""]


# Control characters in logged text (a note with ESC ] 0 ; ... BEL retitles the terminal, ESC [ 2 J
# clears it) are shown as escapes, not sent to the terminal; newlines and tabs stay.
_CONTROLS = {code: f"\\x{code:02x}" for code in [*range(0x20), *range(0x7F, 0xA0)] if chr(code) not in "\n\t"}


def terminal(text: str) -> str:
    """Text made safe to print on a terminal: control characters shown as `\\x1b`, never sent."""
    return text.translate(_CONTROLS)


_LINE_BREAKS = {code: f"\\x{code:02x}" for code in (0x09, 0x0A)}


def one_line(text: str) -> str:
    """Text made safe to print as ONE terminal line: every control character shown as an escape."""
    return terminal(text).translate(_LINE_BREAKS)


def cells(*values: object) -> list[Text]:
    """A terminal table row: each value as literal text (no rich markup), control characters escaped."""
    return [Text(terminal(str(value))) for value in values]
