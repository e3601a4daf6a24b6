"""How numbers, statuses and user text are written in every report: one place for each.

Numbers in JSON are rounded by `tracker.core.results.rounded`; numbers in cells are written as a reader writes them
(`number`, `percent`, `score`); user text is made inert for the medium it lands in: Markdown
(`md`, `md_table`), a terminal (`terminal`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from rich.text import Text

from tracker.core.scores import RETRODICTION, TOO_LATE
from tracker.core.status import LABELS, Status

DASH = "–"

READING_ORDER: tuple[Status, ...] = (
    Status.MATERIALISED, Status.PARTLY, Status.NOT_MATERIALISED, Status.ANNULLED, Status.OVERDUE,
    Status.BEHIND, Status.ON_TRACK, Status.IN_PROGRESS, Status.OPEN, Status.NO_DATA,
)
"""Statuses in the order a reader scans a report: settled first, then what needs attention."""


def number(value: Any) -> str:
    """A figure as a reader writes it: 885.5, 1,000, 0.25; a dash for nothing."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{value:,.6g}" if abs(value) < 1e15 else f"{value:.3g}"
    return DASH if value is None else str(value)


def percent(value: float | None) -> str:
    """A share as a reader writes it: 42%; past 1,000,000% in powers of ten (1.8e+310%); a dash for nothing."""
    if value is None or not math.isfinite(value):
        return DASH
    if abs(value) < 1e4:
        return f"{value:.0%}"
    return f"{Decimal(value) * 100:.2g}%".replace("E", "e")  # value * 100 as a float could overflow


def score(value: float | None) -> str:
    return DASH if value is None else f"{value:.3f}"


def words(status: str | None) -> str:
    """`not_materialised` as `not materialised`, for readers."""
    return DASH if status is None else status.replace("_", " ")


def status_label(status: str | None) -> str:
    """A status in a reader's words: `not_materialised` is "did not happen", `overdue` is "deadline
    passed, not yet checked" (docs/rules.md, section 2): never confused with each other."""
    if status is None:
        return "unknown"
    try:
        return LABELS[Status(status)]
    except ValueError:
        return status


# --- figures as published ----------------------------------------------------------------------------


def value_text(value: Any, written: str | None, unit: str | None) -> str:
    """A value with its unit, as written where it was published otherwise.

    `>400 USD million`, `400..500 USD million`; a value written in another unit shows that and the
    converted figure: `1.5 USD billion (= 1,500 USD million)`. An event's value is its word.
    """
    if isinstance(value, str):
        return value
    suffix = f" {unit}" if unit else ""
    if written is None:
        return f"{number(value)}{suffix}"
    if any(ch.isalpha() for ch in written):
        return f"{written} (= {number(value)}{suffix})"
    return f"{written}{suffix}"


def target_text(target: Mapping[str, Any], unit: str | None) -> str:
    """`>= 1,000 USD million`; a growth target `>= 562.5 USD million (baseline × 1.25)`, `> 450 (keeps growing)`."""
    shown = f"{target['op']} {number(target['value'])}" + (f" {unit}" if unit else "")
    change = target["change"]
    if change is None:
        return shown
    if change == 0:
        return f"{shown} ({'keeps growing' if target['op'] == '>' else 'keeps falling'})"
    return f"{shown} (baseline × {number(round(1 + change, 6))})"


def projection_text(projection: Mapping[str, Any], unit: str | None) -> str:
    """`411.56 USD million for 2025, projected from 274 through 2025-08`."""
    suffix = f" {unit}" if unit else ""
    partial = value_text(projection["partial"], projection["written"], None)
    return f"{number(projection['value'])}{suffix} for {projection['as_of']}, projected from {partial} through {projection['through']}"


def withdrawn_text(withdrawal: Mapping[str, Any]) -> str:
    """`on 2026-03-02 by ana (r-12): logged on the wrong metric`: when, by whom and why a record was withdrawn."""
    by = f" by {withdrawal['recorded_by']}" if withdrawal["recorded_by"] else ""
    return f"on {withdrawal['recorded_at'][:10]}{by} ({withdrawal['uid']}): {withdrawal['why']}"


UNSCORED = {RETRODICTION: ("retrodiction", "logged more than the grace period after the date it claims; not scored"),
            TOO_LATE: ("logged late", "logged after the outcome was known; not scored")}


def unscored_mark(reason: str | None) -> str:
    """`retrodiction` or `logged late`: the mark of a forecast that is never scored (empty when it is scored)."""
    return "" if reason is None else UNSCORED[reason][0] if reason in UNSCORED else reason


def unscored_text(reason: str | None) -> str:
    """Why a forecast is never scored, in a reader's words (empty when it is scored)."""
    return "" if reason is None else UNSCORED[reason][1] if reason in UNSCORED else "not scored"


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
