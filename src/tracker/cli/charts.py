"""`tracker chart` and `tracker dashboard`: one proposition's chart, and the static HTML site."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tracker.cli.common import open_tracker

app = typer.Typer()

CHART_SUFFIXES = (".html", ".png", ".svg")


def _check_chart_path(output: Path) -> None:
    from tracker.errors import InputError

    if output.suffix.lower() not in CHART_SUFFIXES:
        raise InputError(f"-o: {output.name} should end in .html, .png or .svg")
    if not output.parent.is_dir():
        raise InputError(f"-o: folder {output.parent} does not exist")
    if output.is_dir():
        raise InputError(f"-o: {output} is a folder; name a file")


@app.command()
def chart(
    ctx: typer.Context,
    proposition_id: Annotated[str, typer.Argument(metavar="ID", help="The proposition.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write: .html (works offline), .png or .svg.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="Status as of this date (default: today).")] = None,
) -> None:
    """Draw one proposition: a target's values against its path, or an event's evidence over time."""
    from tracker import app as use
    from tracker.report import figures

    _check_chart_path(output)
    day = use.as_of_date(as_of)
    tracker = open_tracker(ctx)
    use.proposition(tracker, proposition_id)
    detail = use.proposition_detail(tracker, proposition_id, day)
    figures.write(figures.proposition_spec(detail), output)
    typer.echo(f"wrote {output}", err=True)


@app.command()
def dashboard(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="The folder to write the site into (replaced if tracker wrote it).")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="What was known at the end of this day (default: today).")] = None,
) -> None:
    """Write the dashboard: a folder of static HTML that opens from disk with no network."""
    from tracker import app as use
    from tracker.report.dashboard import check_target, write_dashboard

    check_target(output)
    day = use.as_of_date(as_of)
    tracker = open_tracker(ctx)
    built = write_dashboard(use.dashboard_data(tracker, day), output)
    typer.echo(f"wrote {built.folder}: {built.propositions} proposition pages, {built.files} files; open {built.folder / 'index.html'}", err=True)
