"""Logging what the world answers: `observe`, `forecast`, `resolve`."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from tracker.cli.common import open_session, parse_day

app = typer.Typer()


@app.command()
def observe(
    ctx: typer.Context,
    target: Annotated[str, typer.Argument(help="A metric id, or an event proposition id.")],
    value: Annotated[str, typer.Argument(help="A number for a metric; yes, partly or no for an event.")],
    as_of: Annotated[str, typer.Option("--as-of", help="The period it describes: 2024, 2024-Q2, 2024-05 or 2024-05-16.")],
    source: Annotated[str, typer.Option("--source", help="Where it comes from (publisher, title, address).")],
    grade: Annotated[str | None, typer.Option("--grade", help="Admiralty grade, e.g. B2.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note, e.g. why a figure is approximate.")] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who logs it (default: TRACKER_USER or the login name).")] = None,
) -> None:
    """Log one observation; a value for a period already observed supersedes the earlier one."""
    from tracker.app.log import observe as log_observation
    from tracker.report.text import one_line

    session = open_session(ctx)
    record = log_observation(session, target, value, as_of, source, grade=grade, note=note, by=by)
    typer.echo(one_line(f"logged: {record.target} {record.as_of.label} = {record.value} (by {record.recorded_by})"))


@app.command()
def forecast(
    ctx: typer.Context,
    proposition_id: Annotated[str, typer.Argument(metavar="ID", help="The proposition.")],
    probability: Annotated[str, typer.Argument(help="Probability it materialises by its deadline: 0.7 or 70%.")],
    by: Annotated[str | None, typer.Option("--by", help="The forecaster (default: TRACKER_USER or the login name).")] = None,
    on: Annotated[date | None, typer.Option("--on", parser=parse_day, metavar="DATE", help="Date the forecast was made (default: today).")] = None,
) -> None:
    """Log a probability forecast."""
    from tracker.app.log import forecast as log_forecast
    from tracker.report.text import one_line

    session = open_session(ctx)
    record = log_forecast(session, proposition_id, probability, by=by, on=on)
    typer.echo(one_line(f"logged: {record.forecaster} gives {record.proposition} {record.probability:.0%} on {record.made_on}"))


@app.command()
def resolve(
    ctx: typer.Context,
    proposition_id: Annotated[str, typer.Argument(metavar="ID", help="The proposition.")],
    status: Annotated[str, typer.Option("--status", help="materialised, partly, not_materialised or annulled.")],
    why: Annotated[str, typer.Option("--why", help="The reason, with the evidence.")],
    on: Annotated[date | None, typer.Option("--on", parser=parse_day, metavar="DATE", help="Date the ruling takes effect (default: today).")] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who rules (default: TRACKER_USER or the login name).")] = None,
) -> None:
    """Rule on a proposition by hand; the ruling overrides the computed status from its date on."""
    from tracker.app.log import rule
    from tracker.report.text import one_line

    session = open_session(ctx)
    record = rule(session, proposition_id, status, why, on=on, by=by)
    typer.echo(one_line(f"logged: {record.proposition} ruled {record.status} from {record.made_on} (by {record.recorded_by})"))
