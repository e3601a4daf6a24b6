"""Small helpers shared by the command modules: the global options, opening a session, output."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

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
    session = options(ctx).open(synced=synced)
    for warning in session.synced.warnings:
        typer.echo(error_line(f"{warning} (warning)"), err=True)
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
    """Print a value as JSON: DEL and the C1 controls as \\u escapes (JSON does not escape them itself)."""
    typer.echo(json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False, default=str).translate(_JSON_CONTROLS))


# DEL and C1 controls (U+009B is CSI, as ESC [ is) in JSON text: the same value, written inert.
_JSON_CONTROLS = {code: f"\\u{code:04x}" for code in range(0x7F, 0xA0)}


def echo_data(text: str, *, json_text: bool = False) -> None:
    """Print a report in a data format (JSON, CSV, HTML, YAML) on standard output.

    Piped or redirected, the bytes are the report's, exactly (an export must import back as it was).
    On a terminal, control characters from the data are shown as escapes instead of being sent,
    so no title or note can retitle, clear or write to the clipboard of the user's terminal.
    """
    typer.echo(on_terminal(text, json_text=json_text) if sys.stdout.isatty() else text, nl=False)


def on_terminal(text: str, *, json_text: bool = False) -> str:
    """Text made inert for a terminal: JSON keeps valid JSON (\\u escapes); anything else as `terminal` shows it."""
    from tracker.report.text import terminal

    return text.translate(_JSON_CONTROLS) if json_text else terminal(text)


class TerminalStream:
    """A text stream for writers that print as they go (`tracker export`): control characters
    shown as escapes on a terminal, as `echo_data` does; elsewhere the stream itself."""

    def __init__(self, stream: TextIO):
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(on_terminal(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def standard_output() -> TextIO:
    """Standard output for a writer that prints as it goes: made inert on a terminal (see `echo_data`)."""
    return TerminalStream(sys.stdout) if sys.stdout.isatty() else sys.stdout  # type: ignore[return-value]


LONG_VALUE = 60  # characters of a value in a message (a 401-digit date is cut, as docs/errors.md says)
_QUOTED = re.compile(r"(?<![\w'])'((?:[^'\\\n]|\\.){" + str(LONG_VALUE + 1) + r",})'(?![\w'])")
_TOKEN = re.compile(r"[^\s/]{" + str(2 * LONG_VALUE + 1) + ",}")


def error_line(text: str) -> str:
    """A message as ONE safe terminal line, its long values cut (`'1111…'`).

    Every control character is shown as an escape (a newline in a file name cannot split the
    line). A quoted value over LONG_VALUE characters keeps its first ones and `…`; so does any
    unbroken run of over twice that between spaces or `/` (so a path keeps its folders, its name and its line).
    """
    from tracker.report.text import one_line

    line = _QUOTED.sub(lambda found: f"'{found.group(1)[:LONG_VALUE - 1]}…'", one_line(text))
    return _TOKEN.sub(_cut, line)


def _cut(found: re.Match[str]) -> str:
    """A long run cut to its first characters and `…`, keeping the punctuation it ended with (`:`, `)`)."""
    run = found.group(0)
    body = run.rstrip(":;,.)]'\"")
    return body[:LONG_VALUE - 1] + "…" + run[len(body):]


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
