"""Small helpers shared by the command modules: the global options, output, JSON."""

from __future__ import annotations

import json
from typing import Any

import typer


def options(ctx: typer.Context):  # type: ignore[no-untyped-def]
    """The global options (workspace, database, debug) set by the main callback."""
    from tracker.cli import Options

    root = ctx.find_root()
    return root.obj if isinstance(root.obj, Options) else Options()


def open_tracker(ctx: typer.Context, *, synced: bool = True):  # type: ignore[no-untyped-def]
    """Open the workspace and its database, printing any warnings from the definitions sync."""
    tracker = options(ctx).open(synced=synced)
    for warning in tracker.synced.warnings:
        typer.echo(f"{warning} (warning)", err=True)
    return tracker


def echo_json(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, ensure_ascii=False, default=str))


def console():  # type: ignore[no-untyped-def]
    """A rich console for tables (imported only by commands that print one)."""
    import sys

    from rich.console import Console

    # Piped output (a report, a file) is not cut to an 80-column terminal.
    width = None if sys.stdout.isatty() else 200
    return Console(highlight=False, soft_wrap=False, width=width)
