"""The `tracker` command: global options, the command groups, and how errors reach the user.

Only typer is imported at start-up; each command imports the library inside its body, so
`tracker --help` costs little more than importing typer. A `TrackerError` (a user's mistake)
becomes its lines on standard error and exit code 2; anything else is a bug, reported in one
line unless `--debug` asks for the traceback.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from typer._click.exceptions import NoArgsIsHelpError, UsageError
from typer.core import TyperGroup
from typer.exceptions import TyperException

from tracker.cli import browse, dbcmd, definitions, log

EXIT_BAD_INPUT = 2


@dataclass
class Options:
    """Global options every command can read from the context."""

    workspace: Path | None = None
    db: str | None = None
    debug: bool = False

    def open(self, *, synced: bool = True):  # type: ignore[no-untyped-def]
        from tracker.app import open_tracker

        return open_tracker(self.workspace, self.db, synced=synced)


class TrackerGroup(TyperGroup):
    """Turns library errors and usage errors into one line each and exit code 2."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except UsageError as exc:
            raise typer.Exit(_usage(exc)) from None

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            raise typer.Exit(_usage(exc)) from None
        except (typer.Exit, typer.Abort, TyperException):
            raise
        except Exception as exc:  # noqa: BLE001 - the one place errors become messages
            options = ctx.obj if isinstance(ctx.obj, Options) else Options(debug="--debug" in sys.argv)
            if options.debug:
                raise
            raise typer.Exit(_report(exc)) from None


def _usage(exc: UsageError) -> int:
    """A usage error (missing option, unknown command) as one line; `tracker` alone still shows the help."""
    if isinstance(exc, NoArgsIsHelpError):
        exc.show()
        return exc.exit_code
    where = exc.ctx.command_path if exc.ctx else "tracker"
    typer.echo(f"{where}: {exc.format_message().rstrip('.')} (see '{where} --help')", err=True)
    return EXIT_BAD_INPUT


def _report(exc: Exception) -> int:
    from tracker.errors import TrackerError

    if isinstance(exc, TrackerError):
        for line in exc.lines():
            typer.echo(line, err=True)
        return EXIT_BAD_INPUT
    if type(exc).__module__.startswith("sqlalchemy"):
        from tracker.store.engine import redact

        url = getattr(getattr(exc, "engine", None), "url", None)
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        where = f" ({redact(str(url))})" if url else ""
        typer.echo(f"database error{where}: {reason}", err=True)
        return EXIT_BAD_INPUT
    if isinstance(exc, KeyboardInterrupt):
        return 130
    typer.echo(f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)", err=True)
    return 1


app = typer.Typer(
    cls=TrackerGroup,
    name="tracker",
    help="Track announced plans and predictions, log what happened, score forecasts.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"tracker {version('tracker')}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    workspace: Annotated[Path | None, typer.Option("--workspace", "-w", envvar="TRACKER_WORKSPACE", help="Workspace folder (holds forecasts/ and scenarios/).", show_envvar=True)] = None,
    db: Annotated[str | None, typer.Option("--db", envvar="TRACKER_DATABASE_URL", help="Database URL (default: sqlite:///WORKSPACE/tracker.db).", show_envvar=True)] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")] = False,
) -> None:
    """Track announced plans and predictions, log what happened, score forecasts."""
    ctx.obj = Options(workspace, db, debug)


for group in (definitions, log, browse):
    app.add_typer(group.app)
app.add_typer(dbcmd.db_app, name="db", help="Inspect and upgrade the database schema.")


def _optional_groups() -> None:
    """Command groups that other parts of the package add as they land."""
    import importlib

    for name in ("scorecard", "charts", "scenarios", "data", "extract"):
        try:
            module = importlib.import_module(f"tracker.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"tracker.cli.{name}":
                raise
            continue
        app.add_typer(module.app)


_optional_groups()


def main() -> None:
    """Console-script entry point."""
    app()
