"""`tracker db`: where a database's schema stands, checking it, and upgrading it.

These commands never sync definitions and never change a row analysts logged: `current` and
`check` only read; `upgrade` runs the Alembic migrations in one transaction under a lock.
"""

from __future__ import annotations

from typing import Annotated

import typer

from tracker.cli.common import options

app = typer.Typer()
db_app = typer.Typer(no_args_is_help=True)


def _engine(ctx: typer.Context):  # type: ignore[no-untyped-def]
    import os

    from tracker.app import workspace_root
    from tracker.store.engine import connect, database_url

    opts = options(ctx)
    return connect(database_url(opts.db or os.environ.get("TRACKER_DATABASE_URL") or None, workspace_root(opts.workspace)))


@db_app.command("current")
def current(ctx: typer.Context) -> None:
    """Say which schema revision the database is at, and whether it needs `tracker db upgrade`."""
    from tracker.store.engine import HEAD, redact, schema_revision, state

    engine = _engine(ctx)
    if engine.dialect.name == "sqlite" and engine.url.database and not _exists(engine.url.database):
        typer.echo(f"{redact(engine.url)}: no database file yet (any command creates it at schema {HEAD})")
        return
    revision = schema_revision(engine)
    verdict = {
        "current": "up to date",
        "empty": "empty: run `tracker db upgrade` to create the tables",
        "older": "older: run `tracker db upgrade`",
        "newer": "newer than this tracker: upgrade tracker",
    }[state(revision)]
    typer.echo(f"{redact(engine.url)}: schema {revision or '(none)'}, this tracker {HEAD}: {verdict}")


def _exists(database: str) -> bool:
    from pathlib import Path

    return database == ":memory:" or Path(database).exists()


@db_app.command("check")
def check(ctx: typer.Context) -> None:
    """Exit 0 if the database's schema is this tracker's, else say what to do and exit 2."""
    from tracker.store.engine import HEAD, redact, schema_mismatch, schema_revision

    engine = _engine(ctx)
    revision = schema_revision(engine)
    if revision != HEAD:
        raise schema_mismatch(engine, revision)
    typer.echo(f"{redact(engine.url)}: schema {HEAD}, up to date")


@db_app.command("upgrade")
def upgrade(
    ctx: typer.Context,
    to: Annotated[str | None, typer.Option("--to", help="Stop at this revision (default: this tracker's).")] = None,
) -> None:
    """Bring the database's schema up to this tracker's (creating it in an empty database), keeping every row."""
    from tracker.store.engine import KNOWN_REVISIONS, redact
    from tracker.store.engine import upgrade as run_upgrade

    if to is not None and to not in KNOWN_REVISIONS:
        from tracker.errors import InputError

        raise InputError(f"--to: unknown revision {to!r}; this tracker knows {', '.join(KNOWN_REVISIONS)}")
    engine = _engine(ctx)
    done = run_upgrade(engine, to or "head")
    where = redact(engine.url)
    if not done.changed:
        typer.echo(f"{where}: schema {done.after} already; nothing to do")
        return
    kept = ", ".join(f"{table} {count}" for table, count in done.rows.items())
    typer.echo(f"{where}: schema {done.before or '(empty)'} -> {done.after}" + (f"; rows kept: {kept}" if kept else ""))
