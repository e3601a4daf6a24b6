"""Bulk data in and out: `import` a CSV or JSON Lines file of logs, `export` everything logged."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tracker.cli.common import open_session, standard_output

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

app = typer.Typer()

PROGRESS_MIN_BYTES = 1 << 20  # smaller files import too fast for a progress bar to help


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A CSV file with a header row, or JSON Lines (.jsonl).", show_default=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check every row and count what would be added; write nothing.")] = False,
    fmt: Annotated[str | None, typer.Option("--format", help="csv or jsonl (default: from the file's suffix).")] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who logs rows without recorded_by (default: TRACKER_USER or the login name).")] = None,
) -> None:
    """Log observations, forecasts, rulings and retractions from a file: all rows, or none if any is bad.

    Rows already logged are skipped, so a failed or repeated import can simply be run again.
    Figures that jump more than tenfold from the nearest known period are logged with a warning.
    """
    from tracker.app.transfer import import_file
    from tracker.report.text import one_line

    session = open_session(ctx)
    with _progress(file) as progress:
        report = import_file(session, file, fmt=fmt, dry_run=dry_run, by=by, progress=progress, display=str(file))
    for warning in report.warnings:
        typer.echo(one_line(f"{warning} (warning)"), err=True)
    if report.more_warnings:
        typer.echo(one_line(f"{report.path}: {report.more_warnings} more jump(s) not shown (warning)"), err=True)
    added = ", ".join(_count(count, kind) for kind, count in report.added.items())
    verb = "would add" if report.dry_run else "added"
    typer.echo(one_line(f"{report.path}: {_count(report.rows, 'row')} read; {verb} {added}; {report.skipped} already logged"
                        + (" (dry run: nothing written)" if report.dry_run else "")))


@app.command()
def export(
    ctx: typer.Context,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file (default: standard output).")] = None,
    fmt: Annotated[str | None, typer.Option("--format", help="csv or jsonl (default: from -o's suffix, else csv).")] = None,
) -> None:
    """Write everything logged, in the import format and a stable order.

    Importing the export into an empty database with the same definition files reproduces the
    same scorecard. Entries written in definition files are not exported (the files hold them).
    """
    from tracker.app.transfer import export_format, export_logs, export_to_file
    from tracker.app.validate import unimportable
    from tracker.cli.common import error_line
    from tracker.report.text import one_line

    session = open_session(ctx)
    chosen = export_format(output, fmt)
    if output is None:
        export_logs(session, standard_output(), chosen)
    else:
        counts = export_to_file(session, output, chosen)
        typer.echo(one_line(f"{output}: " + ", ".join(_count(n, kind) for kind, n in counts.items())), err=True)
    for problem in unimportable(session):  # exported all the same: the rows are the analysts' record
        typer.echo(error_line(f"{problem} (warning)"), err=True)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


class _progress:  # noqa: N801 - used as a context manager, reads as a phrase
    """A rich progress bar on standard error when it is a terminal and the file is large; else nothing."""

    def __init__(self, file: Path):
        self.file = file
        self.bar: Progress | None = None

    def __enter__(self) -> Callable[[int, int], None] | None:
        try:
            size = self.file.stat().st_size
        except OSError:
            return None
        if not sys.stderr.isatty() or size < PROGRESS_MIN_BYTES:
            return None
        from rich.markup import escape
        from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

        from tracker.report.text import terminal

        self.bar = Progress("[progress.description]{task.description}", BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                            console=_stderr_console(), transient=True)
        task = self.bar.add_task(f"importing {escape(terminal(self.file.name))}", total=size)  # a name is text, not markup
        self.bar.start()
        bar = self.bar
        return lambda done, total: bar.update(task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)
