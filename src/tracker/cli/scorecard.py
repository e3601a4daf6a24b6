"""`tracker scorecard` and `tracker due`: the reports an analyst reads each week."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from tracker.cli.common import choice, echo_data, open_session, parse_day, width, wrote

app = typer.Typer()

SCORECARD_FORMATS = ("table", "md", "json", "csv", "html")
DUE_FORMATS = ("table", "md", "json")
SUFFIXES = {".txt": "table", ".md": "md", ".json": "json", ".csv": "csv", ".html": "html", ".htm": "html"}
OUTPUT_HELP = "Write to this file instead of standard output (its suffix chooses the format when --format is not given)."
DUE_SUFFIXES = {suffix: format for suffix, format in SUFFIXES.items() if format in DUE_FORMATS}


def _emit(session_text: str, output: Path | None, protected: list[Path], format: str) -> None:
    """Print to standard output (inert on a terminal), or write the file whole (its folder must exist)."""
    from tracker.report.output import write_text

    if output is None:
        echo_data(session_text, json_text=format == "json")
        return
    write_text(output, session_text, protected=protected)
    wrote(output)


@app.command()
def scorecard(
    ctx: typer.Context,
    as_of: Annotated[date | None, typer.Option("--as-of", parser=parse_day, metavar="DATE", help="What was known at the end of this day (default: today).")] = None,
    since: Annotated[date | None, typer.Option("--since", parser=parse_day, metavar="DATE", help="Add what changed after this date: status moves, new observations, resolved forecasts.")] = None,
    format: Annotated[str | None, typer.Option("--format", "-f", parser=choice(*SCORECARD_FORMATS), help=", ".join(SCORECARD_FORMATS) + " (default: by -o's suffix .txt, .md, .json, .csv, .html; else table).")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help=OUTPUT_HELP)] = None,
) -> None:
    """The scorecard: statuses, progress, track records, forecaster scores and scenario weights."""
    from tracker.app.scorecard import scorecard as build
    from tracker.report.output import format_for
    from tracker.report.scorecard import render

    chosen = format_for(output, format, SUFFIXES, "table")
    session = open_session(ctx)
    card = build(session, as_of or date.today(), since)
    _emit(render(card, chosen, width=width(output)), output, session.database_files(), chosen)


@app.command()
def due(
    ctx: typer.Context,
    within: Annotated[str, typer.Option("--within", help="Also list deadlines this close: 30d, 6w, 3m, 1y.")] = "30d",
    as_of: Annotated[date | None, typer.Option("--as-of", parser=parse_day, metavar="DATE", help="As of the end of this day (default: today).")] = None,
    format: Annotated[str | None, typer.Option("--format", "-f", parser=choice(*DUE_FORMATS), help=", ".join(DUE_FORMATS) + " (default: by -o's suffix .txt, .md, .json; else table).")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help=OUTPUT_HELP)] = None,
) -> None:
    """Propositions past their deadline without a final status, and those due soon."""
    from tracker.app.due import due as build
    from tracker.app.due import horizon
    from tracker.report.due import render
    from tracker.report.output import format_for

    chosen = format_for(output, format, DUE_SUFFIXES, "table")
    day = as_of or date.today()
    until = horizon(within, day)
    session = open_session(ctx)
    _emit(render(build(session, day, until), chosen, width=width(output)), output, session.database_files(), chosen)
