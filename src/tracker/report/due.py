"""`tracker due` as text: what needs data or a ruling, and what falls due soon.

Pure functions from `tracker.app.due`'s `DueList` to text; nothing here reads the database.
"""

from __future__ import annotations

import io
import json

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tracker.core.results import DueList, DueRow
from tracker.report.scorecard import latest
from tracker.report.text import cells, md, md_table, one_line, status_label

FORMATS = ("table", "md", "json")

Due = DueList


def render(due: Due, format: str, *, width: int | None = None) -> str:
    """The due list as `table`, `md` or `json`."""
    if format == "json":
        return json.dumps(due, indent=2, ensure_ascii=False) + "\n"
    if format == "md":
        return markdown(due)
    return table(due, width=width)


def when(row: DueRow) -> str:
    """`12 days overdue`, `due today`, `due in 5 days`."""
    days = row["days"]
    if days < 0:
        return f"{-days} day{'s' if days != -1 else ''} overdue"
    if days == 0:
        return "due today"
    return f"due in {days} day{'s' if days != 1 else ''}"


def _sections(due: Due) -> list[tuple[str, list[DueRow]]]:
    return [
        (f"Past the deadline without a final status ({len(due['overdue'])})", due["overdue"]),
        (f"Due by {due['until']} ({len(due['due_soon'])})", due["due_soon"]),
    ]


def table(due: Due, *, width: int | None = None) -> str:
    """The due list as terminal tables rendered to text, then the commands that would settle each overdue one."""
    console = Console(file=io.StringIO(), width=width or 120, record=True, highlight=False, color_system=None)
    console.print(f"Due as of {due['as_of']}", style="bold")
    for title, rows in _sections(due):
        grid = Table(title=title, title_justify="left")
        for column in ("id", "status", "deadline", "when", "latest", "forecasts", "needs"):
            grid.add_column(column, overflow="fold")
        for row in rows:
            grid.add_row(*cells(row["id"], status_label(row["status"]), row["deadline"], when(row), latest(row), row["forecasts"],
                                row["needs"]))
        console.print(grid if rows else f"{title}: none")
    for row in due["overdue"]:
        console.print()
        console.print(Text(one_line(f"To settle {row['id']} (deadline {row['deadline']} passed, not yet checked), run one of:")),
                      soft_wrap=True)
        for step in row["settle"]:
            console.print(Text(one_line(f"  {step['command']}")), soft_wrap=True)
            console.print(Text(one_line(f"      {step['says']}")), soft_wrap=True)
    return console.export_text()


def markdown(due: Due) -> str:
    """The due list as GitHub-flavoured Markdown, with the commands that would settle each overdue one."""
    lines = [f"# Due as of {due['as_of']}", ""]
    for title, rows in _sections(due):
        lines += [f"## {title}", ""]
        if not rows:
            lines += ["None.", ""]
            continue
        lines += md_table(["Proposition", "Status", "Deadline", "When", "Latest", "Forecasts", "Needs"],
                          [[f"{md(r['title'])} (`{r['id']}`)", md(status_label(r["status"])), r["deadline"], when(r), md(latest(r)),
                            str(r["forecasts"]), md(r["needs"])] for r in rows])
    if due["overdue"]:
        lines += ["## What would settle each", ""]
    for row in due["overdue"]:
        lines += [f"### `{row['id']}`: {md(row['title'])}", ""]
        lines += [f"- {md(step['says'])}:  \n  `{step['command']}`" for step in row["settle"]] + [""]
    return "\n".join(lines).rstrip("\n") + "\n"
