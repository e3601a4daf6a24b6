"""Quotes are verbatim: each fragment between omissions (`...`) must stand in the source's text.

Checked where the source names a `file:` that can be found in the workspace's source folders;
whitespace is folded, so line breaks in the article or the YAML don't matter.
"""

from __future__ import annotations

import re
from pathlib import Path

from tracker.core.models import Proposition
from tracker.core.workspace import Located, Workspace
from tracker.errors import Problem

OMISSION = re.compile(r"\.\.\.|…")


def fold(text: str) -> str:
    return " ".join(text.split())


def missing_fragment(quote: str, text: str) -> str | None:
    """The first fragment of `quote` not found (in order) in `text`, or None when all are."""
    folded = fold(text)
    position = 0
    for fragment in filter(None, (fold(part) for part in OMISSION.split(quote))):
        found = folded.find(fragment, position)
        if found < 0:
            return fragment
        position = found + len(fragment)
    return None


def check_quotes(workspace: Workspace, entries: list[Located], folders: list[Path]) -> tuple[list[Problem], list[Problem]]:
    """Problems (a quote not in its text) and warnings (a source file not found)."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    texts: dict[str, str | None] = {}
    for item in entries:
        prop = item.entry
        if not isinstance(prop, Proposition) or prop.source not in workspace.sources:
            continue
        name = workspace.sources[prop.source].file
        if not name:
            continue
        if name not in texts:
            texts[name] = _read(name, folders)
            if texts[name] is None:
                warnings.append(Problem(f"source file {name!r} not found in {', '.join(map(str, folders))}: its quotes are not checked"))
        text = texts[name]
        fragment = None if text is None else missing_fragment(prop.quote, text)
        if fragment is not None:
            problems.append(item.problem(f"quote is not verbatim: {fragment[:80]!r} is not in {name}", "quote"))
    return problems, warnings


def _read(name: str, folders: list[Path]) -> str | None:
    for folder in folders:
        path = folder / name
        if path.is_file():
            return path.read_text(encoding="utf-8", errors="replace")
    return None
