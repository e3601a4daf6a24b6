"""Looking at what is tracked: `list` and `show`."""

from __future__ import annotations

from typing import Annotated

import typer

from tracker.cli.common import console, echo_json, open_tracker

app = typer.Typer()


def _fmt(value: float | str | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.6g}"
    return str(value)


@app.command("list")
def list_(
    ctx: typer.Context,
    tag: Annotated[str | None, typer.Option("--tag", help="Only propositions with this tag.")] = None,
    status: Annotated[str | None, typer.Option("--status", help="Only propositions with this status.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Status as of this date (default: today).")] = None,
    format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """List propositions with status, progress, latest observation and deadline."""
    from tracker import app as use
    from tracker.core.resolve import STATUSES
    from tracker.errors import InputError

    if format not in ("table", "json"):
        raise InputError(f"--format: {format!r} is not one of table, json")
    if status is not None and status not in STATUSES:
        raise InputError(f"--status: {status!r} is not one of {', '.join(STATUSES)}")
    tracker = open_tracker(ctx)
    day = use.as_of_date(as_of)
    resolved = use.resolutions(tracker, day)
    rows = []
    for prop in tracker.workspace.propositions.values():
        res = resolved[prop.id]
        if (tag and tag not in prop.tags) or (status and res.status != status):
            continue
        latest = res.latest
        rows.append({
            "id": prop.id, "title": prop.title, "kind": prop.kind, "stated_by": prop.stated_by,
            "status": res.status, "progress": res.progress, "deadline": prop.deadline.isoformat(),
            "latest": None if latest is None else {"value": latest.value, "as_of": latest.as_of.label},
            "best_evidence": res.best_evidence,
        })
    if format == "json":
        echo_json({"as_of": day.isoformat(), "propositions": rows})
        return
    _table(rows, day)


def _table(rows: list[dict], day) -> None:  # type: ignore[no-untyped-def, type-arg]
    from rich.table import Table

    table = Table(title=f"Propositions as of {day} ({len(rows)})", title_justify="left")
    table.add_column("id", no_wrap=True)
    table.add_column("title", overflow="ellipsis", no_wrap=True, max_width=48)
    table.add_column("speaker", no_wrap=True)
    for column in ("status", "progress", "latest", "deadline"):
        table.add_column(column, no_wrap=True)
    for row in rows:
        latest = row["latest"]
        shown = f"{_fmt(latest['value'])} ({latest['as_of']})" if latest else _fmt(row["best_evidence"])
        progress = "-" if row["progress"] is None else f"{row['progress']:.0%}"
        table.add_row(row["id"], row["title"], row["stated_by"], row["status"], progress, shown, row["deadline"])
    console().print(table)


@app.command()
def show(
    ctx: typer.Context,
    proposition_id: Annotated[str, typer.Argument(metavar="ID", help="The proposition.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="As of this date (default: today).")] = None,
    format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """One proposition: quote, source, baseline, target, observations, forecasts, rulings, status history."""
    from tracker import app as use
    from tracker.errors import InputError
    from tracker.report.show import render_detail

    if format not in ("text", "json"):
        raise InputError(f"--format: {format!r} is not one of text, json")
    tracker = open_tracker(ctx)
    day = use.as_of_date(as_of)
    use.proposition(tracker, proposition_id)
    detail = use.proposition_detail(tracker, proposition_id, day)
    if format == "json":
        echo_json(detail)
    else:
        typer.echo(render_detail(detail))
