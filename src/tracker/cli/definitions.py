"""`tracker validate`: check definition files without touching the database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tracker.cli.common import options

app = typer.Typer()


@app.command()
def validate(
    ctx: typer.Context,
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders to check (default: the workspace).")] = None,
) -> None:
    """Check definition files; report every problem as file:line: message."""
    from tracker.app import workspace_root
    from tracker.errors import InputError
    from tracker.load.loader import SUFFIXES, load_files, load_workspace

    if paths:
        files: list[Path] = []
        for path in paths:
            if path.is_dir():
                files += sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file())
            elif path.is_file():
                files.append(path)
            else:
                raise InputError(f"PATH: {path} does not exist")
        result = load_files(files)
    else:
        result = load_workspace(workspace_root(options(ctx).workspace))
    for warning in result.warnings + result.unchecked:
        typer.echo(f"{warning} (warning)", err=True)
    for problem in result.problems:
        typer.echo(str(problem), err=True)
        if problem.entry:
            typer.echo("\n".join(f"    {line}" for line in problem.entry.splitlines()), err=True)
    if result.problems:
        typer.echo(f"{len(result.problems)} problem(s) in {len(result.files)} file(s)", err=True)
        raise typer.Exit(2)
    counts = ", ".join(f"{n} {name}" for name, n in result.workspace.counts().items())
    typer.echo(f"ok: {counts} in {len(result.files)} file(s)")
