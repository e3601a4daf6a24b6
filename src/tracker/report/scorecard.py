"""The scorecard in five formats, each a pure function from the scorecard dict to text.

The dict is `tracker.app.scorecard`'s (SPEC §7 and its extra keys); nothing here reads the
database. User text (titles, quotes, notes, causes) is escaped for the format it lands in:
Markdown punctuation and HTML in `md`, autoescaping in `html`, formula prefixes in `csv`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

FORMATS = ("table", "md", "json", "csv", "html")
FINAL = ("materialised", "partly", "not_materialised", "annulled")
STATUS_ORDER = ("materialised", "partly", "not_materialised", "annulled", "overdue", "behind", "on_track",
                "in_progress", "open", "no_data")

Card = dict[str, Any]


def render(card: Card, format: str, *, width: int | None = None) -> str:
    """The scorecard as text in one of FORMATS (`width` only matters for `table`)."""
    if format == "table":
        return table(card, width=width)
    renderer: Callable[[Card], str] = {"md": markdown, "json": to_json, "csv": to_csv, "html": html}[format]
    return renderer(card)


# --- shared wording --------------------------------------------------------------------------------


def ordered(propositions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Propositions as a reader scans them: by status (settled first), then deadline, then id."""
    rank = {status: index for index, status in enumerate(STATUS_ORDER)}
    return sorted(propositions, key=lambda p: (rank.get(p["status"], len(rank)), p["deadline"], p["id"]))


def number(value: Any) -> str:
    """A value as shown in a cell: thousands separators, at most 6 significant digits."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.6g}"
    return str(value)


def words(status: str | None) -> str:
    """`not_materialised` as `not materialised`, for readers."""
    return "–" if status is None else status.replace("_", " ")


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def evidence(prop: dict[str, Any]) -> str:
    """Progress for a target (against what was expected by now), the best evidence for an event."""
    if prop["kind"] == "target":
        if prop["progress"] is None:
            return "–"
        expected = prop.get("expected_progress")
        shown = percent(prop["progress"])
        return shown if expected is None or prop["status"] in FINAL else f"{shown} (exp. {percent(expected)})"
    return prop.get("best_evidence") or "–"


def latest(prop: dict[str, Any]) -> str:
    found = prop.get("latest")
    if not found:
        return "–"
    unit = f" {prop['unit']}" if prop.get("unit") and not isinstance(found["value"], str) else ""
    return f"{number(found['value'])}{unit} ({found['as_of']})"


def interval(record: dict[str, Any]) -> str:
    low, high = record["interval"]
    return f"{percent(low)}–{percent(high)}"


def headline(card: Card) -> str:
    """`40 propositions: 3 materialised, 20 not materialised, ...` (non-zero statuses only)."""
    parts = [f"{count} {status.replace('_', ' ')}" for status, count in card["summary"].items() if count]
    return f"{len(card['propositions'])} propositions: " + (", ".join(parts) if parts else "none")


def score(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


# --- json ------------------------------------------------------------------------------------------


def to_json(card: Card) -> str:
    """Indented, keys in the scorecard's order, UTF-8 as is; deterministic for a given card."""
    return json.dumps(card, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


# --- csv -------------------------------------------------------------------------------------------

CSV_COLUMNS = ("id", "title", "kind", "status", "progress", "expected_progress", "deadline", "stated_by", "speaker",
               "role", "country", "stated_on", "source", "tags", "metric", "unit", "baseline", "baseline_as_of",
               "target_op", "target", "latest_value", "latest_as_of", "best_evidence", "resolved_on", "ruling_why",
               "forecasts")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading `'`; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv_row(prop: dict[str, Any]) -> list[Any]:
    baseline, target, found, ruling = prop.get("baseline") or {}, prop.get("target") or {}, prop.get("latest") or {}, prop.get("ruling") or {}
    row = [prop["id"], prop["title"], prop["kind"], prop["status"], prop["progress"], prop["expected_progress"],
           prop["deadline"], prop["stated_by"], prop.get("speaker"), prop.get("role"), prop.get("country"),
           prop.get("stated_on"), prop.get("source"), ";".join(prop["tags"]), prop.get("metric"), prop.get("unit"),
           baseline.get("value"), baseline.get("as_of"), target.get("op"), target.get("value"), found.get("value"),
           found.get("as_of"), prop.get("best_evidence"), prop.get("resolved_on"), ruling.get("why"), prop.get("forecasts")]
    return ["" if cell is None else safe_cell(cell) for cell in row]


def to_csv(card: Card) -> str:
    """One row per proposition, in id order, with a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_csv_row(prop) for prop in card["propositions"])
    return out.getvalue()


# --- markdown --------------------------------------------------------------------------------------

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
    for char in " ".join(str(text).split()):
        if char in _HTML_ENTITIES:
            out.append(_HTML_ENTITIES[char])
        elif char in _MD_SPECIAL:
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines + [""]


def markdown(card: Card) -> str:
    """GitHub-flavoured Markdown, ready to paste into a weekly report."""
    lines = [f"# Scorecard as of {card['as_of']}", "", md(headline(card)), ""]
    if "changes" in card:
        lines += _md_changes(card["changes"])
    lines += ["## Propositions", ""]
    lines += _md_table(
        ["Proposition", "Status", "Progress / evidence", "Latest", "Deadline", "Stated by"],
        [[f"**{md(p['title'])}**<br>`{p['id']}`", words(p["status"]), md(evidence(p)), md(latest(p)), p["deadline"],
          md(p.get("speaker") or p["stated_by"])] for p in ordered(card["propositions"])],
    )
    lines += _md_track_records(card)
    lines += _md_forecasters(card)
    lines += _md_scenarios(card)
    return "\n".join(lines).rstrip("\n") + "\n"


def _md_changes(changes: dict[str, Any]) -> list[str]:
    lines = [f"## Since {changes['since']}", ""]
    moves = changes["status_changes"]
    lines += [f"**{len(moves)} status changes**, {len(changes['new_observations'])} new observations, "
              f"{len(changes['newly_resolved'])} newly resolved forecasts.", ""]
    if moves:
        lines += _md_table(["Proposition", "From", "To", "On", "Cause"],
                           [[f"{md(c['title'])} (`{c['id']}`)", words(c["from"]), words(c["to"]), c["on"], md(c["cause"])] for c in moves])
    if changes["new_observations"]:
        lines += ["### New observations", ""]
        lines += _md_table(["Target", "Period", "Value", "Source", "Grade", "Note"],
                           [[f"`{o['target']}`", md(o["as_of"]), md(number(o["value"])), md(o["source"] or "–"),
                             md(o["grade"] or "–"), md(o["note"] or "")] for o in changes["new_observations"]])
    if changes["newly_resolved"]:
        lines += ["### Newly resolved forecasts", ""]
        lines += _md_table(["Proposition", "Forecaster", "Probability", "Made on", "Outcome", "Brier"],
                           [[f"`{r['proposition']}`", md(r["forecaster"]), percent(r["probability"]), r["made_on"],
                             words(r["status"]), score(r["brier"])] for r in changes["newly_resolved"]])
    return lines


def _md_track_records(card: Card) -> list[str]:
    lines = ["## Track records", ""]
    if not card["track_records"]:
        return lines + ["No proposition has resolved yet.", ""]
    header = ["Speaker", "Resolved", "Materialised", "Partly", "Not", "Rate", "90% interval"]
    lines += _md_table(header, [_md_record(md(r.get("name") or r["actor"]), r) for r in card["track_records"]])
    for by, records in card.get("track_records_by", {}).items():
        if records:
            lines += [f"### By {by}", ""]
            lines += _md_table([by.capitalize(), *header[1:]], [_md_record(md(r[by]), r) for r in records])
    return lines


def _md_record(name: str, record: dict[str, Any]) -> list[str]:
    return [name, str(record["resolved"]), str(record["materialised"]), str(record["partly"]),
            str(record["not_materialised"]), percent(record["rate"]), interval(record)]


def _md_forecasters(card: Card) -> list[str]:
    lines = ["## Forecasters", ""]
    if not card["forecasters"]:
        return lines + ["No forecast has been scored yet.", ""]
    return lines + _md_table(
        ["Forecaster", "Forecasts", "Brier", "Log", "Time-averaged Brier", "Baseline score"],
        [[md(f["forecaster"]), str(f["n"]), score(f["brier"]), score(f["log"]), score(f["time_averaged_brier"]),
          "–" if f.get("baseline") is None else f"{f['baseline']:.1f}"] for f in card["forecasters"]],
    )


def _md_scenarios(card: Card) -> list[str]:
    lines: list[str] = []
    for scenario_set in card["scenarios"]:
        lines += [f"## Scenarios: {md(scenario_set.get('title') or scenario_set['id'])}", ""]
        titles = {s["id"]: s["title"] for s in scenario_set.get("scenarios", [])}
        priors = {s["id"]: s["prior"] for s in scenario_set.get("scenarios", [])}
        lines += _md_table(["Scenario", "Prior", "Weight now"],
                           [[md(titles.get(s, s)) + f" (`{s}`)", percent(priors.get(s)), percent(w)] for s, w in scenario_set["weights"].items()])
    return lines


# --- table (rich) ----------------------------------------------------------------------------------


def table(card: Card, *, width: int | None = None) -> str:
    """Rich tables rendered to plain text: what `tracker scorecard` prints in a terminal."""
    from rich.console import Console

    console = Console(file=io.StringIO(), width=width or 160, record=True, highlight=False, color_system=None)
    console.print(f"Scorecard as of {card['as_of']}", style="bold")
    console.print(headline(card))
    if "changes" in card:
        _rich_changes(console, card["changes"])
    console.print(_rich_propositions(card))
    for part in (_rich_track_records(card), _rich_forecasters(card), *_rich_scenarios(card)):
        if part is not None:
            console.print(part)
    return console.export_text()


def _rich_table(title: str, columns: list[str]):  # type: ignore[no-untyped-def]
    from rich.table import Table

    grid = Table(title=title, title_justify="left", show_lines=False)
    for column in columns:
        grid.add_column(column, overflow="fold")
    return grid


def _rich_propositions(card: Card):  # type: ignore[no-untyped-def]
    grid = _rich_table(f"Propositions ({len(card['propositions'])})", ["id", "status", "progress / evidence", "latest", "deadline", "stated by"])
    grid.add_column("title", overflow="ellipsis", no_wrap=True, max_width=44)
    for p in ordered(card["propositions"]):
        grid.add_row(p["id"], p["status"], evidence(p), latest(p), p["deadline"], p["stated_by"], p.get("title", ""))
    return grid


def _rich_track_records(card: Card):  # type: ignore[no-untyped-def]
    if not card["track_records"]:
        return None
    grid = _rich_table("Track records", ["speaker", "resolved", "yes", "partly", "no", "rate", "90% interval"])
    rows = [(r["actor"], r) for r in card["track_records"]]
    rows += [(f"{by}: {r[by]}", r) for by, records in card.get("track_records_by", {}).items() for r in records]
    for name, r in rows:
        grid.add_row(name, str(r["resolved"]), str(r["materialised"]), str(r["partly"]), str(r["not_materialised"]),
                     percent(r["rate"]), interval(r))
    return grid


def _rich_forecasters(card: Card):  # type: ignore[no-untyped-def]
    if not card["forecasters"]:
        return None
    grid = _rich_table("Forecasters", ["forecaster", "n", "Brier", "log", "time-avg Brier"])
    for f in card["forecasters"]:
        grid.add_row(f["forecaster"], str(f["n"]), score(f["brier"]), score(f["log"]), score(f["time_averaged_brier"]))
    return grid


def _rich_scenarios(card: Card) -> list:  # type: ignore[type-arg]
    grids = []
    for scenario_set in card["scenarios"]:
        grid = _rich_table(f"Scenarios: {scenario_set['id']}", ["scenario", "weight"])
        for scenario, weight in scenario_set["weights"].items():
            grid.add_row(scenario, percent(weight))
        grids.append(grid)
    return grids


def _rich_changes(console, changes: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    moves = _rich_table(f"Status changes since {changes['since']} ({len(changes['status_changes'])})", ["id", "from", "to", "on", "cause"])
    for c in changes["status_changes"]:
        moves.add_row(c["id"], c["from"] or "–", c["to"], c["on"], c["cause"])
    console.print(moves)
    fresh = _rich_table(f"New observations ({len(changes['new_observations'])})", ["target", "period", "value", "source"])
    for o in changes["new_observations"]:
        fresh.add_row(o["target"], o["as_of"], number(o["value"]), o["source"] or "–")
    console.print(fresh)
    if changes["newly_resolved"]:
        scored = _rich_table("Newly resolved forecasts", ["proposition", "forecaster", "p", "outcome", "Brier"])
        for r in changes["newly_resolved"]:
            scored.add_row(r["proposition"], r["forecaster"], percent(r["probability"]), r["status"], score(r["brier"]))
        console.print(scored)


# --- html ------------------------------------------------------------------------------------------


def html(card: Card) -> str:
    """One self-contained HTML file (inline style, no scripts, no external requests)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    environment = Environment(loader=PackageLoader("tracker.report", "templates"), autoescape=select_autoescape(default=True),
                              trim_blocks=True, lstrip_blocks=True)
    environment.filters.update(number=number, percent=percent, score=score)
    template = environment.get_template("scorecard.html")
    return template.render(card=card, propositions=ordered(card["propositions"]), headline=headline(card),
                           evidence=evidence, latest=latest, interval=interval, final=FINAL)
