"""`tracker scenarios`: which future is unfolding — scenario weights, their history, what to watch."""

from __future__ import annotations

from typing import Annotated

import typer

from tracker.cli.common import open_tracker

app = typer.Typer()


@app.command()
def scenarios(
    ctx: typer.Context,
    as_of: Annotated[str | None, typer.Option("--as-of", help="What was known at the end of this day (default: today).")] = None,
    set_id: Annotated[str | None, typer.Option("--set", help="Show only this scenario set (its id).")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table, json or md.")] = "table",
) -> None:
    """Scenario weights now, their history, each indicator's diagnosticity, and the open indicators to watch.

    A set whose resolved indicators every scenario rules out is still shown, up to the
    offending indicator; the command then names it on standard error and exits 2.
    """
    from tracker import app as use
    from tracker.cli.common import console
    from tracker.errors import InputError, TrackerError
    from tracker.report.scenarios import FORMATS, render

    if format not in FORMATS:
        raise InputError(f"--format: {format!r} is not one of {', '.join(FORMATS)}")
    day = use.as_of_date(as_of)
    tracker = open_tracker(ctx)
    entries = use.scenario_results(tracker, day, set_id)
    typer.echo(render(day.isoformat(), entries, format, width=max(80, console().width)), nl=False)
    problems = [entry["inconsistency"]["message"] for entry in entries if entry["inconsistency"]]
    if problems:
        raise TrackerError("\n".join(problems))
