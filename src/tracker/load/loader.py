"""Definition files to a checked workspace: every problem in every file, each with file and line.

The pipeline is parse (YAML with lines) -> validate each entry (pydantic) -> assemble the
workspace (ids, references, periods). A file that fails to parse does not stop the others.

Two kinds of file are reported without being read: a link to a file outside the workspace
(a pull request that adds `forecasts/x.yaml -> /etc/shadow` must not get the file's lines
echoed in error messages), and a file whose name is not UTF-8 (the database keeps names as
text; `validate` and every other command report it alike, at the file).
"""

from __future__ import annotations

import difflib
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from tracker.core.models import (
    Actor,
    ForecastEntry,
    Metric,
    ObservationEntry,
    Proposition,
    RulingEntry,
    ScenarioSet,
    Source,
)
from tracker.core.workspace import Located, Workspace, assemble
from tracker.errors import DefinitionError, Problem
from tracker.load.quotes import check_quotes
from tracker.load.settings import load_settings
from tracker.load.yamlfile import OUTSIDE_LINK, Document, leaves, parse, short

FORECAST_SECTIONS: dict[str, type[BaseModel]] = {
    "sources": Source,
    "actors": Actor,
    "metrics": Metric,
    "propositions": Proposition,
    "observations": ObservationEntry,
    "forecasts": ForecastEntry,
    "rulings": RulingEntry,
}
DEFINITION_FOLDERS = ("forecasts", "scenarios")
SUFFIXES = (".yaml", ".yml")
SCENARIO_HINT = "a scenario set is a file of its own in scenarios/, with id, title, scenarios and indicators"
DRAFT_WARNING = "draft: not tracked until `draft: true` is removed"
NOT_UTF8_NAME = "the file name is not UTF-8: not read; rename the file"


@dataclass(frozen=True)
class FileStamp:
    """What identifies a definition file's content without re-reading it."""

    path: str
    size: int
    mtime_ns: int
    sha256: str


@dataclass
class LoadResult:
    workspace: Workspace
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    files: list[FileStamp] = field(default_factory=list)
    unchecked: list[Problem] = field(default_factory=list)  # source texts not found: quotes not checked


def definition_files(root: Path) -> list[Path]:
    """The workspace's definition files, in a stable order."""
    found: list[Path] = []
    for folder in DEFINITION_FOLDERS:
        base = root / folder
        if base.is_dir():
            found += sorted(p for p in base.rglob("*") if p.suffix in SUFFIXES and p.is_file())
    return found


def stamp(path: Path, raw: bytes, display: str) -> FileStamp:
    """The file's stamp: the size and digest of the bytes read (so an edit between reading and
    stamping is seen next time), and its modification time for information."""
    return FileStamp(display, len(raw), path.stat().st_mtime_ns, hashlib.sha256(raw).hexdigest())


def display_name(path: Path, root: Path | None) -> str:
    """The path as messages and the database show it: relative to `root` when inside it; bytes
    that are not UTF-8 written as \\xNN, so the name stays one line of text."""
    return _escaped(_display(path, root))


def _escaped(name: str) -> str:
    return os.fsencode(name).decode("utf-8", "backslashreplace") if _not_utf8(name) else name


def _not_utf8(name: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in name)  # undecodable bytes, as the OS hands them over


def unreadable(path: Path, root: Path | None) -> str | None:
    """Why the file is reported rather than read (a link out of the workspace, a name that is not
    UTF-8), or None. Without a root, the current folder is the boundary."""
    if _not_utf8(_display(path, root)):
        return NOT_UTF8_NAME
    if leaves(path, root or Path.cwd()):
        return OUTSIDE_LINK
    return None


def load_workspace(root: Path) -> LoadResult:
    """Load every definition file under `root`'s forecasts/ and scenarios/, quotes checked."""
    try:
        settings = load_settings(root)
    except DefinitionError as exc:
        result = load_files(definition_files(root), root)
        result.problems[:0] = exc.problems
        return result
    return load_files(definition_files(root), root, settings.source_folders(root))


def load_files(paths: list[Path], root: Path | None = None, source_folders: list[Path] | None = None) -> LoadResult:
    """Load the given files as one workspace; `root` makes the reported paths relative.

    With `source_folders`, each quote is checked against its source's text where found.
    """
    tracked: list[Located] = []
    drafts: list[Located] = []
    problems: list[Problem] = []
    warnings: list[Problem] = []
    unchecked: list[Problem] = []
    stamps: list[FileStamp] = []
    for path in paths:
        display = display_name(path, root)
        refused = unreadable(path, root)
        if refused:
            problems.append(Problem(refused, display))
            continue
        try:
            raw = path.read_bytes()
        except OSError as exc:
            problems.append(Problem(f"cannot read: {exc.strerror}", display))
            continue
        stamps.append(stamp(path, raw, display))
        document, found = parse(raw, display)
        problems += found
        if document is None:
            continue
        entries, found, is_draft = _entries(document, _is_scenario_file(path, document))
        problems += found
        if is_draft:
            warnings.append(Problem(DRAFT_WARNING, display, 1))
            drafts += entries
        else:
            tracked += entries
    workspace, found = assemble(tracked + drafts)
    problems += found
    if source_folders is not None and not found:
        found, missing = check_quotes(workspace, tracked + drafts, source_folders)
        problems += found
        unchecked = missing
    if drafts and not problems:
        workspace, _ = assemble(tracked)
    return LoadResult(workspace, problems, warnings, stamps, unchecked=unchecked)


def _display(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return str(path.relative_to(root))
        except ValueError:
            pass
    return os.path.relpath(path) if not path.is_absolute() or str(path).startswith(os.getcwd()) else str(path)


def _is_scenario_file(path: Path, document: Document) -> bool:
    if path.parent.name == "scenarios":
        return True
    return isinstance(document.data, dict) and "scenarios" in document.data and "id" in document.data


def _entries(document: Document, scenario_file: bool) -> tuple[list[Located], list[Problem], bool]:
    data = document.data
    path = document.path
    if data is None:
        return [], [], False
    if not isinstance(data, dict):
        kind = type(data).__name__
        return [], [Problem(f"expected a mapping of sections at the top, got a {kind}", path, 1)], False
    is_draft = data.get("draft") is True
    if scenario_file:
        body = {k: v for k, v in data.items() if k != "draft"}
        entry, problems = _validate(document, "scenarios", ScenarioSet, body, ())
        return ([entry] if entry else []), problems, is_draft
    return (*_forecast_entries(document, data), is_draft)


def _forecast_entries(document: Document, data: dict[str, Any]) -> tuple[list[Located], list[Problem]]:
    entries: list[Located] = []
    problems: list[Problem] = []
    by_entry = _lines_by_entry(document)
    for section, items in data.items():
        if section == "draft":
            continue
        model = FORECAST_SECTIONS.get(section)
        if model is None:
            known = ", ".join(FORECAST_SECTIONS)
            hint = SCENARIO_HINT if section in ("scenarios", "indicators") else f"known: {known}, draft"
            problems.append(Problem(f"unknown section {short(section)} ({hint})", document.path, document.lines[(section,)]))
            continue
        if items is None:
            continue
        if not isinstance(items, list):
            problems.append(Problem(f"section {short(section)} must be a list of entries", document.path, document.lines[(section,)]))
            continue
        for index, item in enumerate(items):
            entry, found = _validate(document, section, model, item, (section, index), by_entry.get((section, index), {}))
            problems += found
            if entry:
                entries.append(entry)
    return entries, problems


def _lines_by_entry(document: Document) -> dict[tuple[str | int, ...], dict[tuple[str | int, ...], int]]:
    """The lines of each entry (section, index), keyed by the path inside it: one pass over the file.

    (Filtering all of a file's lines once per entry made a first sync quadratic: most of the
    30 s that 10,000 propositions took.)
    """
    grouped: dict[tuple[str | int, ...], dict[tuple[str | int, ...], int]] = {}
    for key, value in document.lines.items():
        if len(key) >= 2:
            grouped.setdefault(key[:2], {})[key[2:]] = value
    return grouped


def _validate(document: Document, section: str, model: type[BaseModel], item: Any, loc: tuple[str | int, ...],
              lines: dict[tuple[str | int, ...], int] | None = None) -> tuple[Located | None, list[Problem]]:
    line = document.lines.get(loc, 1)
    if lines is None:
        lines = {key[len(loc) :]: value for key, value in document.lines.items() if key[: len(loc)] == loc}
    excerpt = document.excerpt(line, max(lines.values(), default=line))
    if not isinstance(item, dict):
        message = f"{section}: each entry must be a mapping, got {type(item).__name__}"
        return None, [Problem(message, document.path, line, excerpt)]
    try:
        entry = model.model_validate(item)
    except ValidationError as exc:
        label = _label(section, item)
        return None, [Problem(f"{label}: {message}", document.path, _line(lines, line, err_loc), excerpt)
                      for err_loc, message in _messages(exc, model) if (*loc, *err_loc) not in document.refused]
    return Located(section, entry, document.path, line, lines), []


def _label(section: str, item: dict[str, Any]) -> str:
    singular = {"propositions": "proposition", "scenarios": "scenario set", "observations": "observation"}.get(section, section.rstrip("s"))
    entry_id = item.get("id") or item.get("proposition") or item.get("target")
    return f"{singular} {short(entry_id)}" if isinstance(entry_id, str) else singular


def _line(lines: dict[tuple[str | int, ...], int], default: int, loc: tuple[str | int, ...]) -> int:
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return default


def _messages(exc: ValidationError, model: type[BaseModel]) -> list[tuple[tuple[str | int, ...], str]]:
    """Pydantic errors as (location, message), one per field; alternatives of a union joined."""
    grouped: dict[tuple[str | int, ...], list[str]] = {}
    for error in exc.errors(include_url=False):
        loc = tuple(part for part in error["loc"] if not _is_type_tag(part))
        text = _wording(error, model)
        if text not in grouped.setdefault(loc, []):
            grouped[loc].append(text)
    result = []
    for loc, texts in grouped.items():
        where = ".".join(_part(part) for part in loc)
        message = " or ".join(texts)
        result.append((loc, f"{where}: {message}" if where else message))
    return result


def _part(part: str | int) -> str:
    """A step of an error's location; a key with odd characters is quoted so the message stays one line."""
    text = str(part)
    return text if text and text.isprintable() and len(text) <= 60 and text.strip() == text else short(text)


def _is_type_tag(part: str | int) -> bool:
    return isinstance(part, str) and any(ch in part for ch in "[(")


def _wording(error: Any, model: type[BaseModel]) -> str:
    kind = error["type"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return _unknown_field(str(error["loc"][-1]), model)
    message = str(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    if kind in {"string_pattern_mismatch"} and "a-z0-9" in message:
        return f"{short(error['input'])} is not an id: use lowercase letters, digits, '.', '_' and '-'"
    return message


def _unknown_field(name: str, model: type[BaseModel]) -> str:
    """Name the field the user probably meant, for a top-level typo."""
    close = difflib.get_close_matches(name, list(model.model_fields), n=1)
    return f"unknown field; did you mean {close[0]!r}?" if close else "unknown field (check its spelling)"
