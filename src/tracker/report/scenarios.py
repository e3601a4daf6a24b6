"""Scenario results as text: a terminal table, Markdown, or JSON (pure: dict in, text out).

The input is `tracker.app.scenarios.scenario_results` (one entry per set, the same entries as the
scorecard's `scenarios`). For each set a reader sees, in the order an analyst asks: where the
weights stand against the priors; how they got there (one row per resolved indicator, with the
share of belief it moved); every indicator with its likelihoods and diagnosticity; and the open
signposts ranked by how much their resolution is expected to move the weights, with the
weights each answer would leave.
"""

from __future__ import annotations

import io
import json

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tracker.core.results import IndicatorEntry, OutcomeLikelihoods, ScenarioEntry
from tracker.report.text import cells, md, md_table

FORMATS = ("table", "json", "md")
NO_EVIDENCE = ("Basis `no evidence`: an indicator settled with no observation on file; check that nothing was "
               "missed before trusting the move it made.")
Entry = ScenarioEntry


def render(as_of: str, entries: list[Entry], format: str, *, width: int | None = None) -> str:
    """The scenario sets as text in one of FORMATS (`width` only matters for `table`)."""
    if format == "json":
        return to_json(as_of, entries)
    if format == "md":
        return markdown(as_of, entries)
    return table(as_of, entries, width=width)


def to_json(as_of: str, entries: list[Entry]) -> str:
    """`{"as_of", "scenarios"}`: `scenarios` is exactly the scorecard's key of that name."""
    return json.dumps({"as_of": as_of, "scenarios": entries}, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


# --- wording shared by the formats ----------------------------------------------------------


def weight(value: float | None) -> str:
    """A weight as a percentage with one decimal (a 0.7% tail is not 1%)."""
    return "–" if value is None else f"{value:.1%}"


def points(value: float | None) -> str:
    """A change of weight, in percentage points, signed."""
    if value is None:
        return "–"
    shown = round(value * 100, 1) + 0.0
    return "0 pp" if shown == 0 else f"{shown:+.1f} pp"


def likelihood(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def outcomes(given: OutcomeLikelihoods, per_outcome: bool) -> str:
    """One scenario's likelihoods: `0.60` (P(yes), the short form), or `0.50 / 0.30 / 0.20` (yes / partly / no)."""
    if not per_outcome:
        return likelihood(given["yes"])
    return " / ".join(likelihood(given[o]) for o in ("yes", "partly", "no"))


def likelihood_cell(indicator: IndicatorEntry, scenario: str) -> str:
    """What an indicator's row shows under one scenario (per outcome when the indicator gives them)."""
    return outcomes(indicator["likelihoods"][scenario], indicator["per_outcome"])


def per_outcome_note(entry: Entry) -> str | None:
    """How to read the likelihood columns, when some indicator gives per-outcome likelihoods."""
    if not any(i["per_outcome"] for i in entry["indicators"]):
        return None
    return ("Likelihoods: P(yes | scenario), or yes / partly / no where an indicator gives each outcome its own; "
            "only then does a partly outcome move the weights.")


def words(status: str | None) -> str:
    return "no status" if status is None else status.replace("_", " ")


def summary(entry: Entry) -> str:
    """One sentence: the leading scenario, how many indicators moved the weights, how many are open."""
    leading = entry["leading"]
    resolved = len(entry["history"])
    still_open = len(entry["watch"])
    return (f"Leading: {leading} ({weight(entry['weights'][leading])}), after {resolved} resolved "
            f"indicator{'s' if resolved != 1 else ''}; {still_open} still open.")


def split(weights: dict[str, float | None] | None, order: list[str]) -> str:
    """Weights on one line in the scenarios' order: `27% / 71% / 2%`; `ruled out` when no scenario in play allows that answer."""
    if weights is None:
        return "ruled out"
    return " / ".join(f"{(weights[s] or 0.0):.0%}" for s in order)


def inconsistency_line(entry: Entry) -> str | None:
    problem = entry["inconsistency"]
    if not problem:
        return None
    return f"INCONSISTENT: {problem['message']}. The weights shown stop before it."


def _order(entry: Entry) -> list[str]:
    return [s["id"] for s in entry["scenarios"]]


def _open(entry: Entry) -> list[IndicatorEntry]:
    by_id = {i["proposition"]: i for i in entry["indicators"]}
    return [by_id[p] for p in entry["watch"]]


# --- table (rich) -----------------------------------------------------------------------------


def table(as_of: str, entries: list[Entry], *, width: int | None = None) -> str:
    """Rich tables rendered to plain text: what `tracker scenarios` prints in a terminal."""
    console = Console(file=io.StringIO(), width=width or 120, record=True, highlight=False, color_system=None)
    console.print(f"Scenarios as of {as_of}", style="bold")
    if not entries:
        console.print("No scenario sets: write one in scenarios/ (see docs/scenarios.md).")
    for entry in entries:
        console.print()
        console.print(Text(f"{entry['title']} ({entry['id']})", style="bold"))
        console.print(Text(summary(entry)))
        if (line := inconsistency_line(entry)) is not None:
            console.print(Text(line))
        for grid in (_rich_weights(entry), _rich_history(entry), _rich_indicators(entry), _rich_watch(entry)):
            if grid is not None:
                console.print(grid)
        if (note := per_outcome_note(entry)) is not None:
            console.print(Text(note))
        if any(step["basis"] == "no evidence" for step in entry["history"]):
            console.print(NO_EVIDENCE)
    return console.export_text()


def _grid(title: str, columns: list[str], right: int = 0) -> Table:
    """A table whose last `right` columns hold numbers."""
    grid = Table(title=title, title_justify="left")
    for index, column in enumerate(columns):
        grid.add_column(column, overflow="fold", justify="right" if index >= len(columns) - right else "left")
    return grid


def _rich_weights(entry: Entry) -> Table:
    grid = _grid("Weights", ["scenario", "title", "prior", "now", "change"], right=3)
    for s in entry["scenarios"]:
        grid.add_row(*cells(s["id"], s["title"], weight(s["prior"]), weight(s["weight"]), points((s["weight"] or 0) - (s["prior"] or 0))))
    return grid


def _rich_history(entry: Entry) -> Table:
    order = _order(entry)
    grid = _grid("History: the weights after each indicator resolved",
                 ["date", "indicator", "outcome", "basis", *order, "moved", "note"], right=len(order) + 1)
    grid.columns[-1].justify = "left"
    grid.add_row("(priors)", "", "", "", *[weight(s["prior"]) for s in entry["scenarios"]], "", "")
    for step in entry["history"]:
        grid.add_row(*cells(step["on"] or "–", step["indicator"], words(step["outcome"]), step["basis"] or "–",
                            *[weight(step["weights"][s]) for s in order], points(step["shift"]).lstrip("+"), step["note"] or ""))
    return grid


def _rich_indicators(entry: Entry) -> Table:
    order = _order(entry)
    title = "Indicators: P(yes | scenario), or yes / partly / no; diagnosticity = max − min"
    grid = _grid(title, ["indicator", "status", "deadline", *order, "diagnosticity"], right=len(order) + 1)
    for i in entry["indicators"]:
        grid.add_row(*cells(i["proposition"], words(i["status"]), i["deadline"] or "–",
                            *[likelihood_cell(i, s) for s in order], likelihood(i["diagnosticity"])))
    return grid


def _rich_watch(entry: Entry) -> Table | None:
    watch = _open(entry)
    if not watch:
        return None
    order = " / ".join(_order(entry))
    partly = any(i["if_partly"] is not None for i in watch)
    columns = ["indicator", "deadline", "P(yes)", "expected shift", f"if yes: {order}", *([f"if partly: {order}"] if partly else []),
               f"if no: {order}"]
    grid = _grid("Open indicators to watch, by expected shift", columns, right=len(columns) - 2)
    for i in watch:
        branches = [split(i["if_materialised"], _order(entry)), *([_partly(i, _order(entry))] if partly else []),
                    split(i["if_not"], _order(entry))]
        grid.add_row(*cells(i["proposition"], i["deadline"] or "–", weight(i["p_materialise"]), points(i["expected_shift"]).lstrip("+"),
                            *branches))
    return grid


def _partly(indicator: IndicatorEntry, order: list[str]) -> str:
    """The weights a partly outcome would leave: unchanged under the short form."""
    return split(indicator["if_partly"], order) if indicator["per_outcome"] else "unchanged"


# --- Markdown -------------------------------------------------------------------------------------


def markdown(as_of: str, entries: list[Entry]) -> str:
    """GitHub-flavoured Markdown, ready to paste into a report."""
    lines = [f"# Scenarios as of {as_of}", ""]
    if not entries:
        lines += ["No scenario sets: write one in scenarios/ (see docs/scenarios.md).", ""]
    for entry in entries:
        lines += _md_entry(entry)
    return "\n".join(lines)


def _md_entry(entry: Entry) -> list[str]:
    order = _order(entry)
    lines = [f"## {md(entry['title'])} (`{entry['id']}`)", "", md(summary(entry)), ""]
    if (line := inconsistency_line(entry)) is not None:
        lines += [f"**{md(line)}**", ""]
    lines += ["### Weights", ""]
    lines += md_table(["Scenario", "Prior", "Now", "Change"],
                       [[f"{md(s['title'])} (`{s['id']}`)", weight(s["prior"]), weight(s["weight"]),
                         points((s["weight"] or 0) - (s["prior"] or 0))] for s in entry["scenarios"]])
    lines += ["### History", ""]
    rows = [["(priors)", "", "", "", *[weight(s["prior"]) for s in entry["scenarios"]], "", ""]]
    rows += [[step["on"] or "–", f"`{step['indicator']}` {md(step['title'] or '')}".strip(), words(step["outcome"]),
              step["basis"] or "–", *[weight(step["weights"][s]) for s in order], points(step["shift"]).lstrip("+"),
              md(step["note"] or "")]
             for step in entry["history"]]
    lines += md_table(["Date", "Indicator", "Outcome", "Basis", *[f"`{s}`" for s in order], "Moved", "Note"], rows)
    if any(step["basis"] == "no evidence" for step in entry["history"]):
        lines += [NO_EVIDENCE, ""]
    lines += ["### Indicators", "", "P(yes | scenario), or yes / partly / no where an indicator gives each outcome its own "
              "(only then does a partly outcome move the weights); diagnosticity = max − min of the likelihoods.", ""]
    lines += md_table(["Indicator", "Status", "Deadline", *[f"`{s}`" for s in order], "Diagnosticity", "Why"],
                       [[f"`{i['proposition']}`", words(i["status"]), i["deadline"] or "–",
                         *[likelihood_cell(i, s) for s in order], likelihood(i["diagnosticity"]),
                         md(i["why"] or "")] for i in entry["indicators"]])
    watch = _open(entry)
    if watch:
        names = " / ".join(order)
        lines += ["### Open indicators to watch", ""]
        lines += md_table(["Indicator", "Deadline", "P(yes)", "Expected shift", f"If yes ({names})", f"If partly ({names})",
                           f"If no ({names})"],
                           [[f"`{i['proposition']}` {md(i['title'] or '')}".strip(), i["deadline"] or "–", weight(i["p_materialise"]),
                             points(i["expected_shift"]).lstrip("+"), split(i["if_materialised"], order), _partly(i, order),
                             split(i["if_not"], order)] for i in watch])
    return lines
