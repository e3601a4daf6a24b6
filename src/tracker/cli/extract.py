"""`tracker extract ARTICLE.txt`: draft propositions from an article (issues 10 and 17).

Parses the arguments, calls `tracker.extract`, prints (the main group shows a library
argument's problem under its flag). The workspace's definitions (read only, no database)
let the draft refer to actors and metrics it already defines. Only typer
and the standard library at the top: the extract package loads inside the command, so other
commands start fast.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import typer

from tracker.cli.common import config, error_line

app = typer.Typer(pretty_exceptions_show_locals=False)


@app.command()
def extract(
    ctx: typer.Context,
    article: Path = typer.Argument(..., help="A plain-text article (UTF-8)."),
    source_id: str | None = typer.Option(None, "--source-id", help="Id of the source entry (default: author, publisher or title words, and the year)."),
    published: str | None = typer.Option(None, "--published", help="Publication date, YYYY-MM-DD (default: the article's date line)."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write the draft here instead of standard output."),
    match: bool = typer.Option(True, "--match/--no-match", help="Refer to the workspace's actors and metrics where they match (default: on, when the workspace has definitions)."),
) -> None:
    """Draft propositions (plans, targets, predictions) from ARTICLE as a `draft: true` YAML file."""
    from tracker.errors import InputError
    from tracker.extract import extract as draft_from
    from tracker.extract import to_yaml

    text = _read(article, InputError)
    date = _date(published, InputError)
    workspace = _workspace(ctx) if match else None
    draft = draft_from(text, source_id=source_id, published=date, file_name=article.name, workspace=workspace)
    yaml_text = to_yaml(draft)
    if output is None:
        typer.echo(yaml_text, nl=False)
        return
    _write(ctx, output, yaml_text)
    typer.echo(error_line(f"{output}: {len(draft['propositions'])} draft propositions"), err=True)


def _write(ctx: typer.Context, output: Path, text: str) -> None:
    """Write the draft whole or not at all, never over the workspace's database (or its -wal, -shm, -journal)."""
    from tracker.app.session import database_files
    from tracker.report.output import check_file, write_text

    check_file(output)  # a folder, a missing folder: said before the database's address is worked out
    write_text(output, text, protected=database_files(config(ctx)))


def _workspace(ctx: typer.Context):  # type: ignore[no-untyped-def]
    """The workspace's definitions, read only (no database), or None where there are none."""
    from tracker.load.loader import load_workspace

    root = getattr(ctx.obj, "workspace", None) or Path.cwd()
    if not (Path(root) / "forecasts").is_dir():
        return None
    result = load_workspace(Path(root))
    if result.problems:
        typer.echo(error_line(f"{root}: {len(result.problems)} problem(s) in the definitions; matching against what loaded"), err=True)
    return result.workspace


def _read(article: Path, error: type[Exception]) -> str:
    try:
        return article.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{article}: no such file") from None
    except IsADirectoryError:
        raise error(f"{article}: is a folder, not an article") from None
    except UnicodeDecodeError as problem:
        raise error(f"{article}: not UTF-8 text (byte {problem.start}); convert it, e.g. with iconv -t UTF-8") from None


def _date(value: str | None, error: type[Exception]) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise error(f"--published {value!r}: not a date; write it as YYYY-MM-DD") from None
