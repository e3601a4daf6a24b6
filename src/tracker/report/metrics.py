"""`tracker metrics` as text: a terminal table, Markdown, or JSON (pure: a `MetricList` in, text out)."""

from __future__ import annotations

import io
import json

from rich.console import Console
from rich.table import Table

from tracker.core.results import MetricList, MetricRow
from tracker.report.text import DASH, cells, md, md_table, number, value_text

FORMATS = ("table", "md", "json")


def render(listed: MetricList, format: str, *, width: int | None = None) -> str:
    """The metrics as `table`, `md` or `json`."""
    if format == "json":
        return json.dumps(listed, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    if format == "md":
        return markdown(listed)
    return table(listed, width=width)


def latest(row: MetricRow) -> str:
    """`480 USD million (2024)`, as published."""
    found = row["latest"]
    return DASH if found is None else f"{value_text(found['value'], found['written'], row['unit'])} ({found['as_of']})"


def partial(row: MetricRow) -> str:
    """`274 USD million (2025 through 2025-08), projected 411.564 for 2025`."""
    found = row["latest_partial"]
    if found is None:
        return DASH
    shown = value_text(found["value"], found["written"], row["unit"])
    return f"{shown} ({found['as_of']} through {found['through']}), projected {number(found['projected'])} for {found['as_of']}"


def kind(row: MetricRow) -> str:
    """`year`, or `year, sum of its parts` when partial figures are allowed."""
    return row["period"] + (", sum of its parts" if row["aggregate"] == "sum" else "")


COLUMNS = ("id", "name", "unit", "period", "basis", "latest", "latest partial", "used by")


def _cells(row: MetricRow) -> list[str]:
    return [row["id"], row["name"], row["unit"], kind(row), row["basis"] or DASH, latest(row), partial(row),
            ", ".join(row["propositions"]) or DASH]


def table(listed: MetricList, *, width: int | None = None) -> str:
    """A rich table rendered to plain text."""
    grid = Table(title=f"Metrics as of {listed['as_of']} ({len(listed['metrics'])})", title_justify="left")
    for column in COLUMNS:
        grid.add_column(column, overflow="fold")
    for row in listed["metrics"]:
        grid.add_row(*cells(*_cells(row)))
    console = Console(file=io.StringIO(), width=width or 200, record=True, highlight=False, color_system=None)
    console.print(grid if listed["metrics"] else "No metrics are defined (metrics: in forecasts/*.yaml).")
    return console.export_text()


def markdown(listed: MetricList) -> str:
    """GitHub-flavoured Markdown."""
    lines = [f"# Metrics as of {listed['as_of']}", ""]
    if not listed["metrics"]:
        return "\n".join([*lines, "No metrics are defined."]) + "\n"
    rows = [[f"`{r['id']}`", *(md(cell) for cell in _cells(r)[1:])] for r in listed["metrics"]]
    return "\n".join(lines + md_table([c.capitalize() for c in COLUMNS], rows)).rstrip("\n") + "\n"
