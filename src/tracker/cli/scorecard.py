"""`tracker scorecard` and `tracker due`: the reports an analyst reads each week."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tracker.cli.common import open_tracker

app = typer.Typer()

FORMAT_HELP = "table, md, json, csv or html."


def _emit(text: str, output: Path | None) -> None:
    """Print to standard output, or write the file (its folder must exist)."""
    from tracker.errors import InputError

    if output is None:
        typer.echo(text, nl=False)
        return
    if not output.parent.is_dir():
        raise InputError(f"-o: folder {output.parent} does not exist")
    if output.is_dir():
        raise InputError(f"-o: {output} is a folder; name a file")
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"-o: cannot write {output}: {exc.strerror}") from None
    typer.echo(f"wrote {output}", err=True)


def _check_format(format: str, allowed: tuple[str, ...]) -> None:
    from tracker.errors import InputError

    if format not in allowed:
        raise InputError(f"--format: {format!r} is not one of {', '.join(allowed)}")


def _width(output: Path | None) -> int:
    from tracker.cli.common import console

    return 120 if output is not None else max(80, console().width)


@app.command()
def scorecard(
    ctx: typer.Context,
    as_of: Annotated[str | None, typer.Option("--as-of", help="What was known at the end of this day (default: today).")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Add what changed after this date: status moves, new observations, resolved forecasts.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help=FORMAT_HELP)] = "table",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of standard output.")] = None,
) -> None:
    """The scorecard: statuses, progress, track records, forecaster scores and scenario weights."""
    from tracker import app as use
    from tracker.report.scorecard import FORMATS, render

    _check_format(format, FORMATS)
    day = use.as_of_date(as_of)
    earlier = use.option_date(since, "--since") if since is not None else None
    tracker = open_tracker(ctx)
    card = use.scorecard(tracker, day, earlier)
    _emit(render(card, format, width=_width(output)), output)


@app.command()
def due(
    ctx: typer.Context,
    within: Annotated[str, typer.Option("--within", help="Also list deadlines this close: 30d, 6w, 3m, 1y.")] = "30d",
    as_of: Annotated[str | None, typer.Option("--as-of", help="As of the end of this day (default: today).")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table, md or json.")] = "table",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of standard output.")] = None,
) -> None:
    """Propositions past their deadline without a final status, and those due soon."""
    from tracker import app as use
    from tracker.report.due import FORMATS, render

    _check_format(format, FORMATS)
    day = use.as_of_date(as_of)
    until = use.horizon(within, day)
    tracker = open_tracker(ctx)
    _emit(render(use.due(tracker, day, until), format, width=_width(output)), output)
