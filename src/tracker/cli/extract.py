"""`tracker extract ARTICLE.txt`: draft propositions from an article (issue 10).

Only typer and the standard library at the top: the extract package loads inside the
command, so other commands start fast.
"""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(pretty_exceptions_show_locals=False)


@app.command()
def extract(
    article: Path = typer.Argument(..., help="A plain-text article (UTF-8)."),
    source_id: str | None = typer.Option(None, "--source-id", help="Id of the source entry (default: author-year or the file name)."),
    published: str | None = typer.Option(None, "--published", help="Publication date, YYYY-MM-DD (default: found in the text)."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write the draft here instead of standard output."),
) -> None:
    """Draft propositions (plans, targets, predictions) from ARTICLE as a `draft: true` YAML file."""
    from tracker.errors import InputError
    from tracker.extract import extract as draft_from
    from tracker.extract import to_yaml

    text = _read(article, InputError)
    date = _date(published, InputError)
    if source_id is not None and not _is_id(source_id):
        raise InputError(f"--source-id {source_id!r}: use lowercase letters, digits and dashes")
    draft = draft_from(text, source_id=source_id, published=date, file_name=article.name)
    yaml_text = to_yaml(draft)
    if output is None:
        typer.echo(yaml_text, nl=False)
        return
    output.write_text(yaml_text, encoding="utf-8")
    typer.echo(f"{output}: {len(draft['propositions'])} draft propositions", err=True)


def _read(article: Path, error: type[Exception]) -> str:
    try:
        return article.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{article}: no such file") from None
    except IsADirectoryError:
        raise error(f"{article}: is a folder, not an article") from None
    except UnicodeDecodeError as problem:
        raise error(f"{article}: not UTF-8 text (byte {problem.start}); convert it, e.g. with iconv -t UTF-8") from None


def _date(value: str | None, error: type[Exception]):  # type: ignore[no-untyped-def]
    import datetime

    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise error(f"--published {value!r}: not a date; write it as YYYY-MM-DD") from None


def _is_id(value: str) -> bool:
    import re

    return re.fullmatch(r"[a-z0-9][a-z0-9-]*", value) is not None
