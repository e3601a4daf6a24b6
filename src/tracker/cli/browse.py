"""Looking at what is tracked: `list` and `show`."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from tracker.cli.common import choice, echo_json, open_session, parse_day, width

app = typer.Typer()

AS_OF_HELP = "Status as of the end of this day (default: today)."


@app.command("list")
def list_(
    ctx: typer.Context,
    tag: Annotated[str | None, typer.Option("--tag", help="Only propositions with this tag.")] = None,
    status: Annotated[str | None, typer.Option("--status", help="Only propositions with this status.")] = None,
    as_of: Annotated[date | None, typer.Option("--as-of", parser=parse_day, metavar="DATE", help=AS_OF_HELP)] = None,
    format: Annotated[str, typer.Option("--format", help="table or json.", parser=choice("table", "json"))] = "table",
) -> None:
    """List propositions with status, progress, latest observation and deadline."""
    from tracker.app.listing import propositions
    from tracker.report.listing import table

    session = open_session(ctx)
    day = as_of or date.today()
    rows = propositions(session, day, tag=tag, status=status)
    if format == "json":
        echo_json({"as_of": day.isoformat(), "propositions": rows})
        return
    typer.echo(table(rows, day, width=width()), nl=False)


@app.command()
def show(
    ctx: typer.Context,
    proposition_id: Annotated[str, typer.Argument(metavar="ID", help="The proposition.")],
    as_of: Annotated[date | None, typer.Option("--as-of", parser=parse_day, metavar="DATE", help=AS_OF_HELP)] = None,
    format: Annotated[str, typer.Option("--format", help="text or json.", parser=choice("text", "json"))] = "text",
) -> None:
    """One proposition: quote, source, baseline, target, observations, forecasts, rulings, status history."""
    from tracker.app.detail import proposition_detail
    from tracker.report.show import render_detail

    session = open_session(ctx)
    detail = proposition_detail(session, proposition_id, as_of or date.today())
    if format == "json":
        echo_json(detail)
    else:
        typer.echo(render_detail(detail))
