"""Bring the database's copy of the definitions up to date with the files.

Cheap when nothing changed: each file's size and modification time are compared with what was
stored, and no file is read. Only when something differs is the whole workspace loaded,
checked, and swapped in within one transaction. Two processes syncing at once are safe: the
swap happens under the write lock and is skipped if the other process already did it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, text

from tracker.errors import DefinitionError, Problem
from tracker.load.loader import FileStamp, LoadResult, definition_files, load_workspace
from tracker.store.db import Store

SHOWN_PROBLEMS = 10
_SYNC_LOCK = 7_461_001  # PostgreSQL advisory lock key for definition syncs


@dataclass(frozen=True)
class SyncOutcome:
    changed: bool
    warnings: tuple[Problem, ...] = ()


def _display(path: Path, root: Path) -> str:
    return str(path.relative_to(root))


def unchanged(store: Store, root: Path) -> bool:
    """Whether every definition file has the size and mtime last synced (no file is read)."""
    stored = store.stamps()
    files = definition_files(root)
    if len(files) != len(stored):
        return False
    for path in files:
        known = stored.get(_display(path, root))
        info = path.stat()
        if known is None or known.size != info.st_size or known.mtime_ns != info.st_mtime_ns:
            return False
    return True


def sync(store: Store, root: Path) -> SyncOutcome:
    """Sync definitions into the store; raise DefinitionError listing problems if files are bad."""
    if unchanged(store, root):
        return SyncOutcome(False)
    result = load_workspace(root)
    if result.problems:
        raise _definition_error(result)
    with store.write() as connection:
        _lock(store, connection)
        stored = _stamps(connection)
        if _same_content(stored, result.files):
            store.save_stamps(connection, result.files)
            return SyncOutcome(False, tuple(result.warnings))
        store.replace_definitions(connection, result.workspace)
        store.save_stamps(connection, result.files)
    return SyncOutcome(True, tuple(result.warnings))


def _definition_error(result: LoadResult) -> DefinitionError:
    shown = result.problems[:SHOWN_PROBLEMS]
    more = len(result.problems) - len(shown)
    if more:
        shown.append(Problem(f"... and {more} more; run `tracker validate` to see them all"))
    return DefinitionError(problems=shown)


def _lock(store: Store, connection: Connection) -> None:
    if store.engine.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SYNC_LOCK})


def _stamps(connection: Connection) -> dict[str, str]:
    rows = connection.execute(text("SELECT path, sha256 FROM definition_file")).all()
    return {row.path: row.sha256 for row in rows}


def _same_content(stored: dict[str, str], files: list[FileStamp]) -> bool:
    return stored == {f.path: f.sha256 for f in files}
