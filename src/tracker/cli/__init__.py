"""The `tracker` command: global options, the command groups, and how errors reach the user.

Only typer is imported at start-up; each command imports the library inside its body, so
`tracker --help` costs little more than importing typer. A `TrackerError` (a user's mistake)
becomes its lines on standard error and exit code 2, each problem about an argument shown under
that argument's name on the command line (the library's `as_of` is `--as-of` here); anything
else is a bug, reported in one line unless `--debug` asks for the traceback.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from typer._click.exceptions import BadParameter, MissingParameter, NoArgsIsHelpError, UsageError
from typer.core import TyperGroup
from typer.exceptions import TyperException

from tracker.cli import browse, charts, data, dbcmd, definitions, extract, log, metrics, scenarios, scorecard
from tracker.cli.common import Options, error_line

EXIT_BAD_INPUT = 2


class TrackerGroup(TyperGroup):
    """Turns library errors and usage errors into one line each and exit code 2."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except UsageError as exc:
            raise typer.Exit(_usage(exc)) from None

    def invoke(self, ctx: Any) -> Any:
        try:
            with _library_warnings(shown="--debug" in sys.argv or _debug(ctx)):
                return super().invoke(ctx)
        except UsageError as exc:
            raise typer.Exit(_usage(exc)) from None
        except (typer.Exit, typer.Abort, TyperException):
            raise
        except BrokenPipeError:
            _quiet_pipe()
            raise typer.Exit(0) from None
        except Exception as exc:  # noqa: BLE001 - the one place errors become messages
            options = ctx.find_root().obj if isinstance(ctx.find_root().obj, Options) else Options(debug="--debug" in sys.argv)
            if options.debug:
                raise
            raise typer.Exit(_report(exc, _invoked(self, ctx))) from None


def _debug(ctx: Any) -> bool:
    """Whether --debug was given (read from the parsed options: the callback that keeps them has not run yet)."""
    return bool(ctx.find_root().params.get("debug"))


@contextmanager
def _library_warnings(*, shown: bool) -> Iterator[None]:
    """SQLAlchemy's warnings (SAWarning and kin) reach the user only under --debug.

    They speak of SQLAlchemy's internals, never of what the user can do; every case that can be the
    user's doing gets a message of tracker's own. Matched by the warning's module, so SQLAlchemy need
    not be imported for commands that do not use it.
    """
    with warnings.catch_warnings():
        if not shown:
            show = warnings.showwarning

            def quiet(message: Any, category: type[Warning], *args: Any, **kwargs: Any) -> None:
                if not category.__module__.startswith("sqlalchemy"):
                    show(message, category, *args, **kwargs)

            warnings.showwarning = quiet
        yield


def _invoked(group: TyperGroup, ctx: Any) -> list[Any]:
    """Where argument names are looked up: the command that ran, the global options, then every command."""
    command = group.get_command(ctx, ctx.invoked_subcommand) if ctx.invoked_subcommand else None
    return [*_params(command, ctx, deep=False), *ctx.find_root().command.params, *_params(command, ctx, deep=True)]


def _params(command: Any, ctx: Any, *, deep: bool) -> list[Any]:
    """A command's parameters; with `deep`, those of a group's subcommands too."""
    if command is None:
        return []
    found = [] if deep else list(command.params)
    if deep and isinstance(command, TyperGroup):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            found += [*sub.params, *_params(sub, ctx, deep=True)] if sub is not None else []
    return found


def _usage(exc: UsageError) -> int:
    """A usage error (missing option, unknown command) as one line; `tracker` alone still shows the help."""
    if isinstance(exc, NoArgsIsHelpError):
        exc.show()
        return exc.exit_code
    if isinstance(exc, BadParameter) and not isinstance(exc, MissingParameter) and exc.param is not None:
        typer.echo(error_line(f"{_flag_of(exc.param)}: {exc.message.removeprefix('Value error, ')}"), err=True)
        return EXIT_BAD_INPUT
    where = exc.ctx.command_path if exc.ctx else "tracker"
    typer.echo(error_line(f"{where}: {exc.format_message().rstrip('.')} (see '{where} --help')"), err=True)
    return EXIT_BAD_INPUT


def _flag_of(param: Any) -> str:
    """How the command line names a parameter: its first option (`--as-of`, `-o`) or its metavar (`ID`)."""
    opts = getattr(param, "opts", None)
    if isinstance(param, typer.core.TyperOption) and opts:
        return str(opts[0])
    return str(param.metavar or param.name.upper())


# Library arguments the command line takes from the environment rather than from a flag.
_ENVIRONMENT = {"busy_timeout": "TRACKER_BUSY_TIMEOUT", "user": "TRACKER_USER"}


def _shown_as(argument: str, params: list[Any]) -> str:
    """The command-line name of a library argument (`as_of` -> `--as-of`), or the argument itself."""
    if argument in _ENVIRONMENT:
        return _ENVIRONMENT[argument]
    for param in params:
        if argument in (param.name, (param.metavar or "").lower()):
            return _flag_of(param)
    return argument


def _report(exc: Exception, params: list[Any]) -> int:
    """Print what went wrong, each problem as one line (see `common.error_line`); returns the exit code."""
    from tracker.errors import TrackerError

    safe_line = error_line

    if isinstance(exc, TrackerError):
        for problem in exc.problems:
            shown = problem.named(_shown_as(problem.argument, params)) if problem.argument else problem
            typer.echo(safe_line(str(shown)), err=True)
        return EXIT_BAD_INPUT
    if type(exc).__module__.startswith("sqlalchemy"):
        from tracker.store.engine import redact

        url = getattr(getattr(exc, "engine", None), "url", None)
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        where = f" ({redact(str(url))})" if url else ""
        typer.echo(safe_line(f"database error{where}: {reason}"), err=True)
        return EXIT_BAD_INPUT
    if isinstance(exc, OSError) and exc.filename is not None:
        # A file named on the command line that the system refuses (a name too long, no permission).
        typer.echo(safe_line(f"{os.fsdecode(exc.filename)}: {exc.strerror or exc}"), err=True)
        return EXIT_BAD_INPUT
    if isinstance(exc, KeyboardInterrupt):
        return 130
    typer.echo(safe_line(f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)"), err=True)
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


for group in (definitions, log, browse, metrics, scorecard, charts, scenarios, data, extract):
    app.add_typer(group.app)
app.add_typer(dbcmd.app, name="db", help="Inspect and upgrade the database schema.")


def main() -> None:
    """Console-script entry point."""
    with _library_warnings(shown="--debug" in sys.argv):  # also those at start-up and exit
        app()


def _quiet_pipe() -> None:
    """`tracker list | head`: the reader closed the pipe; stop without a traceback on the way out."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # Python flushes stdout at exit; let that go nowhere
