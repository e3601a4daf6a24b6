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
from tracker.core.results import (
    Changes,
    DueRow,
    ForecasterRow,
    NewObservation,
    Projection,
    PropositionRow,
    Scorecard,
    TrackRecordRow,
)
from tracker.core.status import FINAL, Status
from tracker.report.text import (
    DASH,
    READING_ORDER,
    cells,
    md,
    md_table,
    number,
    percent,
    score,
    status_label,
    target_text,
    value_text,
)

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
            return DASH
        expected = prop["expected_progress"]
        shown = percent(prop["progress"])
        return shown if expected is None or prop["status"] in FINAL else f"{shown} (exp. {percent(expected)})"
    return prop["best_evidence"] or DASH


def latest(prop: PropositionRow | DueRow) -> str:
    """The latest value a row rests on, as published, with its unit and period; and its projection
    from a partial figure, when one is newer (a proposition or a due row)."""
    found, projection = prop["latest"], prop["projection"]
    shown = DASH if found is None else f"{value_text(found['value'], found['written'], prop['unit'])} ({found['as_of']})"
    return shown if projection is None else f"{shown}; {projected(projection)}"


def projected(projection: Projection) -> str:
    """`projected 411.564 for 2025 (from 274 through 2025-08)`."""
    partial = value_text(projection["partial"], projection["written"], None)
    return f"projected {number(projection['value'])} for {projection['as_of']} (from {partial} through {projection['through']})"


def target(prop: PropositionRow) -> str:
    """The target as readers need it (`>= 562.5 USD million (baseline × 1.25)`), or the event's deadline only."""
    return DASH if prop["target"] is None else target_text(prop["target"], prop["unit"])


def interval(record: TrackRecordRow) -> str:
    low, high = record["interval"]
    return f"{percent(low)}–{percent(high)}"


def group_of(record: TrackRecordRow, by: str) -> str:
    """The actor, role, country or tag a track record is about."""
    return str(cast(Mapping[str, Any], record)[by])


def headline(card: Card) -> str:
    """`40 propositions: 3 happened · 20 did not happen · 6 deadline passed, not yet checked · ...` (non-zero only)."""
    parts = [f"{count} {status_label(status)}" for status, count in card["summary"].items() if count]
    return f"{len(card['propositions'])} propositions: " + (" · ".join(parts) if parts else "none")


def overdue_note(card: Card) -> str | None:
    """Why overdue propositions count nowhere yet, when there are any."""
    count = card["summary"][Status.OVERDUE]
    if not count:
        return None
    return (f"{count} deadline{'s' if count != 1 else ''} passed with nothing yet checked (overdue): not a failure, so not "
            "in track records or scores; `tracker due` lists what would settle each.")


def unscored(forecaster: ForecasterRow) -> str:
    """`2 (1 retrodiction, 1 logged after the outcome)`: forecasts left unscored, and why."""
    counts = forecaster["unscored"]
    parts = [f"{counts['retrodiction']} retrodiction{'s' if counts['retrodiction'] != 1 else ''}" if counts["retrodiction"] else "",
             f"{counts['after_resolution']} logged after the outcome" if counts["after_resolution"] else ""]
    reasons = ", ".join(p for p in parts if p)
    return str(forecaster["retrodictions"]) + (f" ({reasons})" if reasons else "")


# --- json ------------------------------------------------------------------------------------------


def to_json(card: Card) -> str:
    """Indented, keys in the scorecard's order, UTF-8 as is; deterministic for a given card."""
    return json.dumps(card, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


# --- csv -------------------------------------------------------------------------------------------

CSV_COLUMNS = ("id", "title", "kind", "status", "progress", "expected_progress", "deadline", "stated_by", "speaker",
               "role", "country", "stated_on", "source", "tags", "metric", "unit", "baseline", "baseline_as_of",
               "target_op", "target", "latest_value", "latest_as_of", "best_evidence", "resolved_on", "ruling_why",
               "forecasts", "status_label", "target_change", "latest_written", "projected", "projected_as_of",
               "projected_through", "projected_from")
"""The first 26 columns as before; those after `forecasts` were added with honest verdicts and figures as
published (the status in words, a growth target's change, values as written, projections)."""


def _csv_row(prop: PropositionRow) -> list[Any]:
    baseline, target, found, ruling, projection = prop["baseline"], prop["target"], prop["latest"], prop["ruling"], prop["projection"]
    row = [prop["id"], prop["title"], prop["kind"], prop["status"], prop["progress"], prop["expected_progress"],
           prop["deadline"], prop["stated_by"], prop["speaker"], prop["role"], prop["country"],
           prop["stated_on"], prop["source"], ";".join(prop["tags"]), prop["metric"], prop["unit"],
           *((baseline["value"], baseline["as_of"]) if baseline else (None, None)),
           *((target["op"], target["value"]) if target else (None, None)),
           *((found["value"], found["as_of"]) if found else (None, None)),
           prop["best_evidence"], prop["resolved_on"], ruling["why"] if ruling else None, prop["forecasts"],
           status_label(prop["status"]), target["change"] if target else None, found["written"] if found else None,
           *((projection["value"], projection["as_of"], projection["through"], projection["partial"]) if projection
             else (None, None, None, None))]
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
    if (note := overdue_note(card)) is not None:
        lines += [md(note), ""]
    if "changes" in card:
        lines += _md_changes(card["changes"])
    lines += ["## Propositions", ""]
    lines += md_table(
        ["Proposition", "Status", "Progress / evidence", "Target", "Latest", "Deadline", "Stated by"],
        [[f"**{md(p['title'])}**<br>`{p['id']}`", md(status_label(p["status"])), md(evidence(p)), md(target(p)), md(latest(p)),
          p["deadline"], md(p["speaker"] or p["stated_by"])] for p in ordered(card["propositions"])],
    )
    lines += _md_track_records(card)
    lines += _md_forecasters(card)
    lines += _md_scenarios(card)
    return "\n".join(lines).rstrip("\n") + "\n"


def change_count(changes: Changes) -> str:
    """`3 status changes, 2 new observations, 1 newly resolved forecast, ...`."""
    counts = [(len(changes["status_changes"]), "status change"), (len(changes["new_observations"]), "new observation"),
              (len(changes["newly_resolved"]), "newly resolved forecast"),
              (len(changes["outcome_changes"]), "forecast whose outcome changed"), (len(changes["withdrawn"]), "record withdrawn")]
    return ", ".join(f"{n} {what}" if n == 1 else f"{n} {_plural(what)}" for n, what in counts) + "."


def _plural(what: str) -> str:
    first, _, rest = what.partition(" ")
    if first in ("forecast", "record"):
        return f"{first}s {rest}".strip()
    return what[:-1] + "es" if what.endswith("ch") else what + "s"


def _md_changes(changes: Changes) -> list[str]:
    lines = [f"## Since {changes['since']}", "", md(change_count(changes)), ""]
    moves = changes["status_changes"]
    if moves:
        lines += md_table(["Proposition", "From", "To", "On", "Cause"],
                           [[f"{md(c['title'])} (`{c['id']}`)", md(status_label(c["from"])), md(status_label(c["to"])), c["on"],
                             md(c["cause"])] for c in moves])
    if changes["new_observations"]:
        lines += ["### New observations", ""]
        lines += md_table(["Id", "Target", "Period", "Value", "Source", "Grade", "Note"],
                           [[md(o["uid"] or DASH), f"`{o['target']}`", md(period(o)), md(value_text(o["value"], o["written"], None)),
                             md(o["source"] or DASH), md(o["grade"] or DASH), md(o["note"] or "")] for o in changes["new_observations"]])
    if changes["newly_resolved"]:
        lines += ["### Newly resolved forecasts", ""]
        lines += md_table(["Proposition", "Forecaster", "Probability", "Made on", "Outcome", "Brier"],
                           [[f"`{r['proposition']}`", md(r["forecaster"]), percent(r["probability"]), r["made_on"],
                             md(status_label(r["status"])), score(r["brier"])] for r in changes["newly_resolved"]])
    if changes["outcome_changes"]:
        lines += ["### Forecasts whose outcome changed", ""]
        lines += md_table(["Proposition", "Forecaster", "Probability", "Made on", "Was", "Now", "Brier was", "Brier now"],
                           [[f"`{c['proposition']}`", md(c["forecaster"]), percent(c["probability"]), c["made_on"],
                             md(status_label(c["old_status"])), md(status_label(c["new_status"])), score(c["old_brier"]),
                             score(c["new_brier"]) if c["new_brier"] is not None else "not scored"] for c in changes["outcome_changes"]])
    if changes["withdrawn"]:
        lines += ["### Withdrawn", ""]
        lines += md_table(["Id", "Record", "Withdrawn", "Why"],
                           [[md(w["uid"]), f"~~{md(w['said'])}~~ (`{w['target']}`)", w["recorded_at"][:10], md(w["why"])]
                            for w in changes["withdrawn"]])
    return lines


def period(observation: NewObservation) -> str:
    """`2025` or `2025 through 2025-08` (a partial figure)."""
    return observation["as_of"] + (f" through {observation['through']}" if observation["through"] else "")


def _md_track_records(card: Card) -> list[str]:
    lines = ["## Track records", ""]
    if not card["track_records"]:
        return lines + ["No proposition has resolved yet.", ""]
    header = ["Speaker", "Resolved", "Materialised", "Partly", "Not", "Rate", "90% interval"]
    lines += md_table(header, [_md_record(md(group_of(r, "name") if "name" in r else group_of(r, "actor")), r)
                               for r in card["track_records"]])
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
        ["Forecaster", "Forecasts", "Brier", "Log", "Time-averaged Brier", "Baseline score", "Left unscored"],
        [[md(f["forecaster"]), str(f["n"]), score(f["brier"]), score(f["log"]), score(f["time_averaged_brier"]),
          DASH if f["baseline"] is None else f"{f['baseline']:.1f}", md(unscored(f))] for f in card["forecasters"]],
    )


def _md_scenarios(card: Card) -> list[str]:
    lines: list[str] = []
    for scenario_set in card["scenarios"]:
        lines += [f"## Scenarios: {md(scenario_set['title'] or scenario_set['id'])}", ""]
        lines += md_table(["Scenario", "Prior", "Weight now"],
                           [[md(s["title"]) + f" (`{s['id']}`)", percent(s["prior"]), percent(s["weight"])]
                            for s in scenario_set["scenarios"]])
    return lines


# --- table (rich) ----------------------------------------------------------------------------------


def table(card: Card, *, width: int | None = None) -> str:
    """Rich tables rendered to plain text: what `tracker scorecard` prints in a terminal."""
    console = Console(file=io.StringIO(), width=width or 160, record=True, highlight=False, color_system=None)
    console.print(f"Scorecard as of {card['as_of']}", style="bold")
    console.print(Text(headline(card)))
    if (note := overdue_note(card)) is not None:
        console.print(Text(note))
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
    grid = _rich_table(f"Propositions ({len(card['propositions'])})",
                       ["id", "status", "progress / evidence", "target", "latest", "deadline", "stated by"])
    grid.add_column("title", overflow="ellipsis", no_wrap=True, max_width=44)
    for p in ordered(card["propositions"]):
        grid.add_row(*cells(p["id"], status_label(p["status"]), evidence(p), target(p), latest(p), p["deadline"], p["stated_by"],
                            p["title"]))
    return grid


def _rich_track_records(card: Card) -> Table | None:
    if not card["track_records"]:
        return None
    grid = _rich_table("Track records (resolved only: overdue is not a failure)",
                       ["speaker", "resolved", "yes", "partly", "no", "rate", "90% interval"])
    rows = [(group_of(r, "actor"), r) for r in card["track_records"]]
    rows += [(f"{by}: {group_of(r, by)}", r) for by, records in card["track_records_by"].items() for r in records]
    for name, r in rows:
        grid.add_row(*cells(name, r["resolved"], r["materialised"], r["partly"], r["not_materialised"], percent(r["rate"]),
                            interval(r)))
    return grid


def _rich_forecasters(card: Card) -> Table | None:
    if not card["forecasters"]:
        return None
    grid = _rich_table("Forecasters", ["forecaster", "n", "Brier", "log", "time-avg Brier", "left unscored"])
    for f in card["forecasters"]:
        grid.add_row(*cells(f["forecaster"], f["n"], score(f["brier"]), score(f["log"]), score(f["time_averaged_brier"]), unscored(f)))
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
    console.print(Text(f"Since {changes['since']}: {change_count(changes)}"))
    moves = _rich_table(f"Status changes since {changes['since']} ({len(changes['status_changes'])})", ["id", "from", "to", "on", "cause"])
    for c in changes["status_changes"]:
        moves.add_row(*cells(c["id"], status_label(c["from"]), status_label(c["to"]), c["on"], c["cause"]))
    console.print(moves)
    fresh = _rich_table(f"New observations ({len(changes['new_observations'])})", ["id", "target", "period", "value", "source"])
    for o in changes["new_observations"]:
        fresh.add_row(*cells(o["uid"] or DASH, o["target"], period(o), value_text(o["value"], o["written"], None), o["source"] or DASH))
    console.print(fresh)
    if changes["newly_resolved"]:
        scored = _rich_table("Newly resolved forecasts", ["proposition", "forecaster", "p", "outcome", "Brier"])
        for r in changes["newly_resolved"]:
            scored.add_row(*cells(r["proposition"], r["forecaster"], percent(r["probability"]), status_label(r["status"]), score(r["brier"])))
        console.print(scored)
    if changes["outcome_changes"]:
        rescored = _rich_table("Forecasts whose outcome changed", ["proposition", "forecaster", "p", "was", "now", "Brier was", "Brier now"])
        for change in changes["outcome_changes"]:
            rescored.add_row(*cells(change["proposition"], change["forecaster"], percent(change["probability"]),
                                    status_label(change["old_status"]), status_label(change["new_status"]), score(change["old_brier"]),
                                    score(change["new_brier"]) if change["new_brier"] is not None else "not scored"))
        console.print(rescored)
    if changes["withdrawn"]:
        gone = _rich_table("Withdrawn", ["id", "record", "withdrawn", "why"])
        for w in changes["withdrawn"]:
            gone.add_row(*cells(w["uid"], f"WITHDRAWN {w['said']}", w["recorded_at"][:10], w["why"]))
        console.print(gone)


# --- html ------------------------------------------------------------------------------------------


def html(card: Card) -> str:
    """One self-contained HTML file (inline style, no scripts, no external requests)."""
    environment = Environment(loader=PackageLoader("tracker.report", "templates"), autoescape=select_autoescape(default=True),
                              trim_blocks=True, lstrip_blocks=True)
    environment.filters.update(number=number, percent=percent, score=score)
    template = environment.get_template("scorecard.html")
    return template.render(card=card, propositions=ordered(card["propositions"]), headline=headline(card),
                           overdue_note=overdue_note(card), evidence=evidence, latest=latest, target=target, interval=interval,
                           final=FINAL, label=status_label, unscored=unscored, value_text=value_text, period=period,
                           change_count=change_count)
