"""Spreadsheet-safe CSV cells, reversibly.

A cell that starts like a formula (`=`, `+`, `-`, `@`, a tab or a carriage return) is run by
Excel or LibreOffice when the CSV is opened: `=HYPERLINK(...)` in a note becomes a live link.
Exports write such text with a leading `'`, which spreadsheets show as text; imports take the
`'` off again, so an export imports back to exactly what was logged. A number (`-12.5`) is
left alone, and text that already starts with `'` before a formula gets one more, so the round
trip holds for it too.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _formula_like(text: str) -> bool:
    if not text.startswith(FORMULA_START):
        return False
    try:
        float(text)
    except ValueError:
        return True
    return False


def protect(text: str) -> str:
    """The cell as written to a CSV: a leading `'` where a spreadsheet would see a formula."""
    if _formula_like(text) or (text.startswith("'") and _formula_like(text.lstrip("'"))):
        return "'" + text
    return text


def unprotect(text: str) -> str:
    """The cell as read from a CSV: the `'` that `protect` added taken off."""
    if text.startswith("'") and _formula_like(text.lstrip("'")):
        return text[1:]
    return text
