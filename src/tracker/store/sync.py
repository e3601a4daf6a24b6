"""Bring the database's copy of the definitions up to date with the files.

Cheap when nothing changed: each file's size and modification time are compared with what was
stored, and no file is read. When they differ (an edit, or a colleague's checkout of the same
files on a shared database), the files' SHA-256 digests are compared next, which reads but does
not parse them; only when the content differs is the whole workspace loaded, checked, and
swapped in within one transaction.

Two processes syncing at once are safe: the swap happens under a lock (SQLite's write lock
taken by BEGIN IMMEDIATE; on PostgreSQL a transaction-scoped advisory lock), and the process
that gets the lock second finds the content already there and only refreshes its stamps.
"""

from __future__ import annotations

import hashlib
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
    """Whether the definition files are what was last synced: same size and mtime (no file is
    read), else the same content (files read and hashed, not parsed)."""
    stored = store.stamps()
    files = definition_files(root)
    if {_display(path, root) for path in files} != set(stored):
        return False
    if all(_same_stat(stored[_display(path, root)], path) for path in files):
        return True
    return all(_digest(path) == stored[_display(path, root)].sha256 for path in files)


def _same_stat(known: FileStamp, path: Path) -> bool:
    info = path.stat()
    return known.size == info.st_size and known.mtime_ns == info.st_mtime_ns


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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
