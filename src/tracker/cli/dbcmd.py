"""`tracker db`: where a database's schema stands, checking it, and upgrading it.

These commands never sync definitions and never change a row analysts logged: `current` and
`check` only read; `upgrade` runs the Alembic migrations in one transaction under a lock.
"""

from __future__ import annotations

from typing import Annotated

import typer

from tracker.cli.common import config

app = typer.Typer(no_args_is_help=True)

VERDICTS = {
    "current": "up to date",
    "empty": "empty: run `tracker db upgrade` to create the tables",
    "older": "older: run `tracker db upgrade`",
    "newer": "newer than this tracker: upgrade tracker",
}


@app.command("current")
def current(ctx: typer.Context) -> None:
    """Say which schema revision the database is at, and whether it needs `tracker db upgrade`."""
    from tracker.app.database import current as state_of
    from tracker.report.text import one_line

    found = state_of(config(ctx))
    if found.state == "missing":
        typer.echo(one_line(f"{found.where}: no database file yet (any command creates it at schema {found.head})"))
        return
    typer.echo(one_line(f"{found.where}: schema {found.revision or '(none)'}, this tracker {found.head}: {VERDICTS[found.state]}"))


@app.command("check")
def check(ctx: typer.Context) -> None:
    """Exit 0 if the database's schema is this tracker's, else say what to do and exit 2."""
    from tracker.app.database import check as check_schema
    from tracker.report.text import one_line

    found = check_schema(config(ctx))
    typer.echo(one_line(f"{found.where}: schema {found.head}, up to date"))


@app.command("upgrade")
def upgrade(
    ctx: typer.Context,
    revision: Annotated[str | None, typer.Option("--to", help="Stop at this revision (default: this tracker's).")] = None,
) -> None:
    """Bring the database's schema up to this tracker's (creating it in an empty database), keeping every row."""
    from tracker.app.database import upgrade as run_upgrade
    from tracker.report.text import one_line

    where, done = run_upgrade(config(ctx), revision)
    if not done.changed:
        typer.echo(one_line(f"{where}: schema {done.after} already; nothing to do"))
        return
    kept = ", ".join(f"{table} {count}" for table, count in done.rows.items())
    typer.echo(one_line(f"{where}: schema {done.before or '(empty)'} -> {done.after}" + (f"; rows kept: {kept}" if kept else "")))
    for note in done.notes():
        typer.echo(one_line(note))
