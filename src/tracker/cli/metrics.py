"""`tracker metrics`: the metrics, their newest figures, and which propositions use them."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from tracker.cli.common import choice, echo_data, open_session, parse_day, width

app = typer.Typer()

FORMATS = ("table", "md", "json")


@app.command()
def metrics(
    ctx: typer.Context,
    as_of: Annotated[date | None, typer.Option("--as-of", parser=parse_day, metavar="DATE", help="What was known at the end of this day (default: today).")] = None,
    format: Annotated[str, typer.Option("--format", "-f", parser=choice(*FORMATS), help=", ".join(FORMATS) + ".")] = "table",
) -> None:
    """The metrics: id, name, unit, period, basis, latest value (and latest partial figure), which propositions use it."""
    from tracker.app.metrics import metrics as build
    from tracker.report.metrics import render

    session = open_session(ctx)
    echo_data(render(build(session, as_of or date.today()), format, width=width()), json_text=format == "json")
