"""`tracker list` as a terminal table: one row per proposition.

The status in words (an overdue proposition reads "deadline passed, not yet checked", never like
one that did not happen); a target's latest figure as published, with its projection from a
partial figure when one is newer.
"""

from __future__ import annotations

import io
from datetime import date

from rich.console import Console
from rich.table import Table

from tracker.core.results import PropositionRow
from tracker.report.scorecard import latest
from tracker.report.text import DASH, cells, percent, status_label


def table(rows: list[PropositionRow], day: date, *, width: int | None = None) -> str:
    """The propositions as a rich table rendered to plain text (titles cut to fit)."""
    grid = Table(title=f"Propositions as of {day} ({len(rows)})", title_justify="left")
    grid.add_column("id", no_wrap=True)
    grid.add_column("title", overflow="ellipsis", no_wrap=True, max_width=48)
    grid.add_column("speaker", no_wrap=True)
    for column in ("status", "progress", "latest", "deadline"):
        grid.add_column(column, no_wrap=True)
    for row in rows:
        shown = latest(row) if row["kind"] == "target" else (row["best_evidence"] or DASH)
        grid.add_row(*cells(row["id"], row["title"], row["stated_by"], status_label(row["status"]), percent(row["progress"]), shown,
                            row["deadline"]))
    console = Console(file=io.StringIO(), width=width or 200, record=True, highlight=False, color_system=None)
    console.print(grid)
    return console.export_text()
