"""`tracker chart` and `tracker dashboard`: one proposition's chart, and the static HTML site."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from tracker.cli.common import config, open_session, parse_day, wrote

app = typer.Typer()


@app.command()
def chart(
    ctx: typer.Context,
    proposition_id: Annotated[str, typer.Argument(metavar="ID", help="The proposition.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The file to write: .html (works offline), .png or .svg.")],
    as_of: Annotated[date | None, typer.Option("--as-of", parser=parse_day, metavar="DATE", help="Status as of this date (default: today).")] = None,
) -> None:
    """Draw one proposition: a target's values against its path, or an event's evidence over time."""
    from tracker.app.dashboard import write_chart
    from tracker.app.session import database_files
    from tracker.report.chart_files import check_chart_path

    check_chart_path(output, protected=database_files(config(ctx)))  # before the work of opening the workspace
    session = open_session(ctx)
    write_chart(session, proposition_id, as_of or date.today(), output)
    wrote(output)


@app.command()
def dashboard(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("-o", "--output", help="The folder to write the site into (replaced if tracker wrote it).")],
    as_of: Annotated[date | None, typer.Option("--as-of", parser=parse_day, metavar="DATE", help="What was known at the end of this day (default: today).")] = None,
) -> None:
    """Write the dashboard: a folder of static HTML that opens from disk with no network."""
    from tracker.app.dashboard import build_dashboard
    from tracker.app.session import database_files
    from tracker.report.dashboard import check_target
    from tracker.report.text import one_line

    check_target(output, protected=database_files(config(ctx)))  # before the work of opening the workspace
    session = open_session(ctx)
    built = build_dashboard(session, as_of or date.today(), output)
    typer.echo(one_line(f"wrote {built.folder}: {built.propositions} proposition pages, {built.files} files; "
                        f"open {built.folder / 'index.html'}"), err=True)
