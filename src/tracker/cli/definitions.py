"""`tracker validate`: check definition files without touching the database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tracker.cli.common import config

app = typer.Typer()


@app.command()
def validate(
    ctx: typer.Context,
    paths: Annotated[list[Path] | None, typer.Argument(metavar="PATH", help="Files or folders to check (default: the workspace).")] = None,
) -> None:
    """Check definition files; report every problem as file:line: message.

    Checking the whole workspace also checks the rows logged in its database against the files
    (reading only): rows no definition takes any more are problems, since an export would not import them.
    """
    from tracker.app.validate import logged_orphans
    from tracker.app.validate import validate as check
    from tracker.cli.common import error_line
    from tracker.report.text import terminal

    settings = config(ctx)
    result = check(settings.workspace, paths)
    for warning in result.warnings + result.unchecked:
        typer.echo(error_line(f"{warning} (warning)"), err=True)
    for problem in result.problems:
        typer.echo(error_line(str(problem)), err=True)
        if problem.entry:
            typer.echo(terminal("\n".join(f"    {line}" for line in problem.entry.splitlines())), err=True)
    if result.problems:
        typer.echo(f"{len(result.problems)} problem(s) in {len(result.files)} file(s)", err=True)
        raise typer.Exit(2)
    orphans, notes = logged_orphans(settings, result.workspace) if not paths else ([], [])
    for line in [*(f"{note} (warning)" for note in notes), *map(str, orphans)]:
        typer.echo(error_line(line), err=True)
    if orphans:
        typer.echo(f"{len(orphans)} problem(s) in the logged rows: the definitions no longer take them", err=True)
        raise typer.Exit(2)
    counts = ", ".join(f"{n} {name}" for name, n in result.workspace.counts().items())
    typer.echo(f"ok: {counts} in {len(result.files)} file(s)")
