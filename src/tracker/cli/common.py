"""Small helpers shared by the command modules: the global options, opening a session, output."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from tracker.app.config import Config
    from tracker.app.session import Session


@dataclass
class Options:
    """Global options every command can read from the context."""

    workspace: Path | None = None
    db: str | None = None
    debug: bool = False

    def config(self) -> Config:
        """The configuration: these options, else the TRACKER_* environment variables, else defaults."""
        from tracker.app.config import Config

        return Config.from_environment(os.environ, workspace=self.workspace, db=self.db)

    def open(self, *, synced: bool = True) -> Session:
        from tracker.app.session import open_session

        return open_session(self.config(), synced=synced)


def options(ctx: typer.Context) -> Options:
    """The global options (workspace, database, debug) set by the main callback."""
    root = ctx.find_root()
    return root.obj if isinstance(root.obj, Options) else Options()


def config(ctx: typer.Context) -> Config:
    """The configuration from the global options and the environment."""
    return options(ctx).config()


def open_session(ctx: typer.Context, *, synced: bool = True) -> Session:
    """Open the workspace and its database, printing any warnings from the definitions sync."""
    from tracker.report.text import one_line

    session = options(ctx).open(synced=synced)
    for warning in session.synced.warnings:
        typer.echo(one_line(f"{warning} (warning)"), err=True)
    return session


def parse_day(text: str | date) -> date:
    """A date option's value (YYYY-MM-DD): the typer parser of every date option, so a bad one is
    reported under its flag (`--as-of: not a date: ...`)."""
    from tracker.core.periods import parse_date

    return parse_date(text)  # its PeriodError is a ValueError: typer reports it as a bad parameter


def choice(*allowed: str) -> Callable[[str], str]:
    """A typer parser accepting one of `allowed` (`--format: 'x' is not one of table, json`)."""

    def parse(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"{value!r} is not one of {', '.join(allowed)}")
        return value

    return parse


def echo_json(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False, default=str))


def width(output: Path | None = None) -> int:
    """How wide a table may be: the terminal's width, 200 when piped (not cut to 80), 120 in a file."""
    if output is not None:
        return 120
    if sys.stdout.isatty():
        return max(80, shutil.get_terminal_size().columns)
    return 200


def wrote(path: Path) -> None:
    """Say on standard error which file was written."""
    from tracker.report.text import one_line

    typer.echo(one_line(f"wrote {path}"), err=True)
