"""Logging what the world answers: `observe`, `forecast`, `resolve`, and `retract` to withdraw a mistake."""

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
    value: Annotated[str, typer.Argument(help="For a metric a number (1500, 1,500, 1 500), a bound (>400, <=500) or a range (400..500); for an event yes, partly or no.")],
    as_of: Annotated[str, typer.Option("--as-of", help="The period it describes: 2024, 2024-Q2, 2024-05 or 2024-05-16.")],
    source: Annotated[str, typer.Option("--source", help="Where it comes from (publisher, title, address).")],
    grade: Annotated[str | None, typer.Option("--grade", help="Admiralty grade, e.g. B2.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note, e.g. why a figure is approximate.")] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who logs it (default: TRACKER_USER or the login name).")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="The value's unit, when not the metric's: 'USD billion', 'thousand tonne' (converted, kept as written).")] = None,
    through: Annotated[str | None, typer.Option("--through", metavar="PERIOD", help="A figure for the start of the period only, up to this date or period (2025-08): metrics with aggregate: sum.")] = None,
) -> None:
    """Log one observation; a value for a period already observed supersedes the earlier one.

    A value more than ten times, or under a tenth of, the nearest known period's is logged with a
    warning on standard error.
    """
    from tracker.app.log import observe as log_observation
    from tracker.report.text import one_line

    session = open_session(ctx)
    logged = log_observation(session, target, value, as_of, source, grade=grade, note=note, by=by, unit=unit, through=through)
    record = logged.observation
    span = f" (through {record.through.label})" if record.through is not None else ""
    written = f" (written {record.written})" if record.written is not None else ""
    typer.echo(one_line(f"logged: {record.uid} {record.target} {record.as_of.label}{span} = {record.value}{written} "
                        f"(by {record.recorded_by})"))
    if logged.warning is not None:
        typer.echo(one_line(f"{record.target} {record.as_of.label}: {logged.warning} (warning)"), err=True)


@app.command()
def forecast(
    ctx: typer.Context,
    proposition_id: Annotated[str, typer.Argument(metavar="ID", help="The proposition.")],
    probability: Annotated[str, typer.Argument(help="Probability it materialises by its deadline: 0.7 or 70%.")],
    on: Annotated[date | None, typer.Option("--on", parser=parse_day, metavar="DATE", help="Date the forecast was made (default: today; not later than today, not before the statement).")] = None,
    note: Annotated[str | None, typer.Option("--note", help="The forecaster's reasoning, shown beside the forecast.")] = None,
    by: Annotated[str | None, typer.Option("--by", help="The forecaster (default: TRACKER_USER or the login name).")] = None,
) -> None:
    """Log a probability forecast; it counts from now, when it is recorded."""
    from tracker.app.log import forecast as log_forecast
    from tracker.report.text import one_line

    session = open_session(ctx)
    record = log_forecast(session, proposition_id, probability, by=by, on=on, note=note)
    typer.echo(one_line(f"logged: {record.uid} {record.forecaster} gives {record.proposition} {record.probability:.0%} "
                        f"on {record.made_on}"))


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
    typer.echo(one_line(f"logged: {record.uid} {record.proposition} ruled {record.status} from {record.made_on} "
                        f"(by {record.recorded_by})"))


@app.command()
def retract(
    ctx: typer.Context,
    record_id: Annotated[str, typer.Argument(metavar="ID", help="The id of a logged observation or ruling (o-…, r-…), as `tracker show` lists it.")],
    why: Annotated[str, typer.Option("--why", help="Why it is withdrawn.")],
    by: Annotated[str | None, typer.Option("--by", help="Who withdraws it (default: TRACKER_USER or the login name).")] = None,
) -> None:
    """Withdraw a logged observation or ruling: from now on it no longer counts (as of an earlier date it still does)."""
    from tracker.app.log import retract as withdraw
    from tracker.report.text import one_line

    session = open_session(ctx)
    retraction = withdraw(session, record_id, why, by=by)
    typer.echo(one_line(f"logged: {retraction.uid} withdraws {retraction.target_uid} (by {retraction.recorded_by})"))
