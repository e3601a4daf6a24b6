"""The scorecard in five formats, each a pure function from the scorecard dict to text.

The `Scorecard` is `tracker.app.scorecard.scorecard`'s; nothing here reads the database. User text (titles, quotes, notes, causes) is escaped for the format it lands in:
Markdown punctuation and HTML in `md`, autoescaping in `html`, formula prefixes in `csv`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from jinja2 import Environment, PackageLoader, select_autoescape
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tracker.core.cells import protect
from tracker.core.results import Changes, PropositionRow, Scorecard, TrackRecordRow
from tracker.core.status import FINAL
from tracker.report.text import READING_ORDER, cells, md, md_table, number, percent, score, words

FORMATS = ("table", "md", "json", "csv", "html")

Card = Scorecard


def render(card: Card, format: str, *, width: int | None = None) -> str:
    """The scorecard as text in one of FORMATS (`width` only matters for `table`)."""
    if format == "table":
        return table(card, width=width)
    renderer: Callable[[Card], str] = {"md": markdown, "json": to_json, "csv": to_csv, "html": html}[format]
    return renderer(card)


# --- shared wording --------------------------------------------------------------------------------


def ordered(propositions: Sequence[PropositionRow]) -> list[PropositionRow]:
    """Propositions as a reader scans them: by status (settled first), then deadline, then id."""
    rank = {str(status): index for index, status in enumerate(READING_ORDER)}
    return sorted(propositions, key=lambda p: (rank.get(p["status"], len(rank)), p["deadline"], p["id"]))


def evidence(prop: PropositionRow) -> str:
    """Progress for a target (against what was expected by now), the best evidence for an event."""
    if prop["kind"] == "target":
        if prop["progress"] is None:
            return "–"
        expected = prop["expected_progress"]
        shown = percent(prop["progress"])
        return shown if expected is None or prop["status"] in FINAL else f"{shown} (exp. {percent(expected)})"
    return prop["best_evidence"] or "–"


def latest(prop: Mapping[str, Any]) -> str:
    """The latest value a row rests on, with its unit and period (a proposition or a due row)."""
    found = prop["latest"]
    if not found:
        return "–"
    unit = f" {prop['unit']}" if prop.get("unit") and not isinstance(found["value"], str) else ""
    return f"{number(found['value'])}{unit} ({found['as_of']})"


def interval(record: TrackRecordRow) -> str:
    low, high = record["interval"]
    return f"{percent(low)}–{percent(high)}"


def group_of(record: TrackRecordRow, by: str) -> str:
    """The actor, role, country or tag a track record is about."""
    return str(cast(Mapping[str, Any], record)[by])


def headline(card: Card) -> str:
    """`40 propositions: 3 materialised, 20 not materialised, ...` (non-zero statuses only)."""
    parts = [f"{count} {status.replace('_', ' ')}" for status, count in card["summary"].items() if count]
    return f"{len(card['propositions'])} propositions: " + (", ".join(parts) if parts else "none")


# --- json ------------------------------------------------------------------------------------------


def to_json(card: Card) -> str:
    """Indented, keys in the scorecard's order, UTF-8 as is; deterministic for a given card."""
    return json.dumps(card, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


# --- csv -------------------------------------------------------------------------------------------

CSV_COLUMNS = ("id", "title", "kind", "status", "progress", "expected_progress", "deadline", "stated_by", "speaker",
               "role", "country", "stated_on", "source", "tags", "metric", "unit", "baseline", "baseline_as_of",
               "target_op", "target", "latest_value", "latest_as_of", "best_evidence", "resolved_on", "ruling_why",
               "forecasts")
def _csv_row(prop: PropositionRow) -> list[Any]:
    baseline, target = prop["baseline"] or {}, prop["target"] or {}
    found: Mapping[str, Any] = prop["latest"] or {}
    ruling: Mapping[str, Any] = prop["ruling"] or {}
    row = [prop["id"], prop["title"], prop["kind"], prop["status"], prop["progress"], prop["expected_progress"],
           prop["deadline"], prop["stated_by"], prop["speaker"], prop["role"], prop["country"],
           prop["stated_on"], prop["source"], ";".join(prop["tags"]), prop["metric"], prop["unit"],
           baseline.get("value"), baseline.get("as_of"), target.get("op"), target.get("value"), found.get("value"),
           found.get("as_of"), prop["best_evidence"], prop["resolved_on"], ruling.get("why"), prop["forecasts"]]
    return ["" if cell is None else protect(cell) if isinstance(cell, str) else cell for cell in row]


def to_csv(card: Card) -> str:
    """One row per proposition, in id order, with a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_csv_row(prop) for prop in card["propositions"])
    return out.getvalue()


# --- markdown --------------------------------------------------------------------------------------

def markdown(card: Card) -> str:
    """GitHub-flavoured Markdown, ready to paste into a weekly report."""
    lines = [f"# Scorecard as of {card['as_of']}", "", md(headline(card)), ""]
    if "changes" in card:
        lines += _md_changes(card["changes"])
    lines += ["## Propositions", ""]
    lines += md_table(
        ["Proposition", "Status", "Progress / evidence", "Latest", "Deadline", "Stated by"],
        [[f"**{md(p['title'])}**<br>`{p['id']}`", words(p["status"]), md(evidence(p)), md(latest(p)), p["deadline"],
          md(p["speaker"] or p["stated_by"])] for p in ordered(card["propositions"])],
    )
    lines += _md_track_records(card)
    lines += _md_forecasters(card)
    lines += _md_scenarios(card)
    return "\n".join(lines).rstrip("\n") + "\n"


def _md_changes(changes: Changes) -> list[str]:
    lines = [f"## Since {changes['since']}", ""]
    moves = changes["status_changes"]
    lines += [f"**{len(moves)} status changes**, {len(changes['new_observations'])} new observations, "
              f"{len(changes['newly_resolved'])} newly resolved forecasts.", ""]
    if moves:
        lines += md_table(["Proposition", "From", "To", "On", "Cause"],
                           [[f"{md(c['title'])} (`{c['id']}`)", words(c["from"]), words(c["to"]), c["on"], md(c["cause"])] for c in moves])
    if changes["new_observations"]:
        lines += ["### New observations", ""]
        lines += md_table(["Target", "Period", "Value", "Source", "Grade", "Note"],
                           [[f"`{o['target']}`", md(o["as_of"]), md(number(o["value"])), md(o["source"] or "–"),
                             md(o["grade"] or "–"), md(o["note"] or "")] for o in changes["new_observations"]])
    if changes["newly_resolved"]:
        lines += ["### Newly resolved forecasts", ""]
        lines += md_table(["Proposition", "Forecaster", "Probability", "Made on", "Outcome", "Brier"],
                           [[f"`{r['proposition']}`", md(r["forecaster"]), percent(r["probability"]), r["made_on"],
                             words(r["status"]), score(r["brier"])] for r in changes["newly_resolved"]])
    return lines


def _md_track_records(card: Card) -> list[str]:
    lines = ["## Track records", ""]
    if not card["track_records"]:
        return lines + ["No proposition has resolved yet.", ""]
    header = ["Speaker", "Resolved", "Materialised", "Partly", "Not", "Rate", "90% interval"]
    lines += md_table(header, [_md_record(md(r.get("name") or r.get("actor")), r) for r in card["track_records"]])
    for by, records in card["track_records_by"].items():
        if records:
            lines += [f"### By {by}", ""]
            lines += md_table([by.capitalize(), *header[1:]], [_md_record(md(group_of(r, by)), r) for r in records])
    return lines


def _md_record(name: str, record: TrackRecordRow) -> list[str]:
    return [name, str(record["resolved"]), str(record["materialised"]), str(record["partly"]),
            str(record["not_materialised"]), percent(record["rate"]), interval(record)]


def _md_forecasters(card: Card) -> list[str]:
    lines = ["## Forecasters", ""]
    if not card["forecasters"]:
        return lines + ["No forecast has been scored yet.", ""]
    return lines + md_table(
        ["Forecaster", "Forecasts", "Brier", "Log", "Time-averaged Brier", "Baseline score"],
        [[md(f["forecaster"]), str(f["n"]), score(f["brier"]), score(f["log"]), score(f["time_averaged_brier"]),
          "–" if f["baseline"] is None else f"{f['baseline']:.1f}"] for f in card["forecasters"]],
    )


def _md_scenarios(card: Card) -> list[str]:
    lines: list[str] = []
    for scenario_set in card["scenarios"]:
        lines += [f"## Scenarios: {md(scenario_set['title'] or scenario_set['id'])}", ""]
        titles = {s["id"]: s["title"] for s in scenario_set["scenarios"]}
        priors = {s["id"]: s["prior"] for s in scenario_set["scenarios"]}
        lines += md_table(["Scenario", "Prior", "Weight now"],
                           [[md(titles.get(s, s)) + f" (`{s}`)", percent(priors.get(s)), percent(w)] for s, w in scenario_set["weights"].items()])
    return lines


# --- table (rich) ----------------------------------------------------------------------------------


def table(card: Card, *, width: int | None = None) -> str:
    """Rich tables rendered to plain text: what `tracker scorecard` prints in a terminal."""
    console = Console(file=io.StringIO(), width=width or 160, record=True, highlight=False, color_system=None)
    console.print(f"Scorecard as of {card['as_of']}", style="bold")
    console.print(Text(headline(card)))
    if "changes" in card:
        _rich_changes(console, card["changes"])
    console.print(_rich_propositions(card))
    for part in (_rich_track_records(card), _rich_forecasters(card), *_rich_scenarios(card)):
        if part is not None:
            console.print(part)
    return console.export_text()


def _rich_table(title: str, columns: list[str]) -> Table:
    grid = Table(title=title, title_justify="left", show_lines=False)
    for column in columns:
        grid.add_column(column, overflow="fold")
    return grid


def _rich_propositions(card: Card) -> Table:
    grid = _rich_table(f"Propositions ({len(card['propositions'])})", ["id", "status", "progress / evidence", "latest", "deadline", "stated by"])
    grid.add_column("title", overflow="ellipsis", no_wrap=True, max_width=44)
    for p in ordered(card["propositions"]):
        grid.add_row(*cells(p["id"], p["status"], evidence(p), latest(p), p["deadline"], p["stated_by"], p["title"]))
    return grid


def _rich_track_records(card: Card) -> Table | None:
    if not card["track_records"]:
        return None
    grid = _rich_table("Track records", ["speaker", "resolved", "yes", "partly", "no", "rate", "90% interval"])
    rows = [(r["actor"], r) for r in card["track_records"]]
    rows += [(f"{by}: {group_of(r, by)}", r) for by, records in card["track_records_by"].items() for r in records]
    for name, r in rows:
        grid.add_row(*cells(name, r["resolved"], r["materialised"], r["partly"], r["not_materialised"], percent(r["rate"]),
                            interval(r)))
    return grid


def _rich_forecasters(card: Card) -> Table | None:
    if not card["forecasters"]:
        return None
    grid = _rich_table("Forecasters", ["forecaster", "n", "Brier", "log", "time-avg Brier"])
    for f in card["forecasters"]:
        grid.add_row(*cells(f["forecaster"], f["n"], score(f["brier"]), score(f["log"]), score(f["time_averaged_brier"])))
    return grid


def _rich_scenarios(card: Card) -> list[Table]:
    grids = []
    for scenario_set in card["scenarios"]:
        grid = _rich_table(f"Scenarios: {scenario_set['id']}", ["scenario", "weight"])
        for scenario, weight in scenario_set["weights"].items():
            grid.add_row(*cells(scenario, percent(weight)))
        grids.append(grid)
    return grids


def _rich_changes(console: Console, changes: Changes) -> None:
    moves = _rich_table(f"Status changes since {changes['since']} ({len(changes['status_changes'])})", ["id", "from", "to", "on", "cause"])
    for c in changes["status_changes"]:
        moves.add_row(*cells(c["id"], c["from"] or "–", c["to"], c["on"], c["cause"]))
    console.print(moves)
    fresh = _rich_table(f"New observations ({len(changes['new_observations'])})", ["target", "period", "value", "source"])
    for o in changes["new_observations"]:
        fresh.add_row(*cells(o["target"], o["as_of"], number(o["value"]), o["source"] or "–"))
    console.print(fresh)
    if changes["newly_resolved"]:
        scored = _rich_table("Newly resolved forecasts", ["proposition", "forecaster", "p", "outcome", "Brier"])
        for r in changes["newly_resolved"]:
            scored.add_row(*cells(r["proposition"], r["forecaster"], percent(r["probability"]), r["status"], score(r["brier"])))
        console.print(scored)


# --- html ------------------------------------------------------------------------------------------


def html(card: Card) -> str:
    """One self-contained HTML file (inline style, no scripts, no external requests)."""
    environment = Environment(loader=PackageLoader("tracker.report", "templates"), autoescape=select_autoescape(default=True),
                              trim_blocks=True, lstrip_blocks=True)
    environment.filters.update(number=number, percent=percent, score=score)
    template = environment.get_template("scorecard.html")
    return template.render(card=card, propositions=ordered(card["propositions"]), headline=headline(card),
                           evidence=evidence, latest=latest, interval=interval, final=FINAL)
