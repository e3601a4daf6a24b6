"""`tracker scenarios`: which future is unfolding — scenario weights, their history, what to watch."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from tracker.cli.common import choice, echo_data, open_session, parse_day, width

app = typer.Typer()

FORMATS = ("table", "json", "md")


@app.command()
def scenarios(
    ctx: typer.Context,
    as_of: Annotated[date | None, typer.Option("--as-of", parser=parse_day, metavar="DATE", help="What was known at the end of this day (default: today).")] = None,
    set_id: Annotated[str | None, typer.Option("--set", help="Show only this scenario set (its id).")] = None,
    format: Annotated[str, typer.Option("--format", "-f", parser=choice(*FORMATS), help="table, json or md.")] = "table",
) -> None:
    """Scenario weights now, their history, each indicator's diagnosticity, and the open indicators to watch.

    A set whose resolved indicators every scenario rules out is still shown, up to the
    offending indicator; the command then names it on standard error and exits 2.
    """
    from tracker.app.scenarios import scenario_results
    from tracker.errors import Problem, TrackerError
    from tracker.report.scenarios import render

    day = as_of or date.today()
    session = open_session(ctx)
    entries = scenario_results(session, day, set_id)
    echo_data(render(day.isoformat(), entries, format, width=width()), json_text=format == "json")
    problems = [Problem(entry["inconsistency"]["message"]) for entry in entries if entry["inconsistency"]]
    if problems:
        raise TrackerError(problems=problems)
