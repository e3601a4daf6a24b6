"""`tracker db`: where a database's schema stands, and upgrading it."""

from __future__ import annotations

import typer

from tracker.cli.common import options

app = typer.Typer()
db_app = typer.Typer()


@db_app.command("current")
def current(ctx: typer.Context) -> None:
    """Say which schema revision the database is at."""
    from tracker.app import workspace_root
    from tracker.store.engine import HEAD, connect, database_url, redact, schema_revision

    opts = options(ctx)
    url = database_url(opts.db, workspace_root(opts.workspace))
    revision = schema_revision(connect(url))
    state = "empty" if revision is None else revision
    verdict = "up to date" if revision == HEAD else "run `tracker db upgrade`" if revision is None or revision < HEAD else "newer than this tracker"
    typer.echo(f"{redact(url)}: schema {state} (this tracker: {HEAD}; {verdict})")


@db_app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Bring the database's schema up to this tracker's, keeping every row."""
    from tracker.app import workspace_root
    from tracker.store.engine import HEAD, connect, database_url, redact, schema_revision
    from tracker.store.engine import upgrade as run_upgrade

    opts = options(ctx)
    url = database_url(opts.db, workspace_root(opts.workspace))
    engine = connect(url)
    before = schema_revision(engine)
    run_upgrade(engine)
    typer.echo(f"{redact(url)}: schema {before or 'empty'} -> {HEAD}")
