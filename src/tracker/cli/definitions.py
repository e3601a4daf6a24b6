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
    """Check definition files; report every problem as file:line: message."""
    from tracker.app.validate import validate as check
    from tracker.report.text import one_line, terminal

    result = check(config(ctx).workspace, paths)
    for warning in result.warnings + result.unchecked:
        typer.echo(one_line(f"{warning} (warning)"), err=True)
    for problem in result.problems:
        typer.echo(one_line(str(problem)), err=True)
        if problem.entry:
            typer.echo(terminal("\n".join(f"    {line}" for line in problem.entry.splitlines())), err=True)
    if result.problems:
        typer.echo(f"{len(result.problems)} problem(s) in {len(result.files)} file(s)", err=True)
        raise typer.Exit(2)
    counts = ", ".join(f"{n} {name}" for name, n in result.workspace.counts().items())
    typer.echo(f"ok: {counts} in {len(result.files)} file(s)")
