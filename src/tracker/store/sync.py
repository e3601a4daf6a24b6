"""Bring the database's copy of the definitions up to date with the files.

Cheap when nothing changed: every definition file is read and its SHA-256 digest compared with
the one stored at the last sync (a file of another size is changed without reading it); only
when the content differs is the whole workspace loaded, checked, and swapped in within one
transaction. Modification times are not trusted: on file systems with coarse timestamps (ext3,
HFS+, FAT, many network shares) an edit of the same size saved within the same tick as the last
sync keeps its time, and the edit would never be read. Hashing costs 0.2 ms on the bundled
workspace and 2.7 ms on 10,000 propositions (3.3 MB, 13 ms with a cold page cache), against
about 220 ms of imports to open the database at all, and without the clock questions git's
"racy" rule has to answer.

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
from tracker.load.loader import FileStamp, LoadResult, definition_files, display_name, load_workspace, unreadable
from tracker.store.db import Store

SHOWN_PROBLEMS = 10
_SYNC_LOCK = 7_461_001  # PostgreSQL advisory lock key for definition syncs


@dataclass(frozen=True)
class SyncOutcome:
    changed: bool
    warnings: tuple[Problem, ...] = ()


def unchanged(store: Store, root: Path) -> bool:
    """Whether the definition files hold exactly what was last synced (compared by content)."""
    stored = store.stamps()
    files = definition_files(root)
    names = [display_name(path, root) for path in files]
    if set(names) != set(stored):
        return False
    return all(_still_holds(stored[name], path, root) for name, path in zip(names, files, strict=True))


def _still_holds(known: FileStamp, path: Path, root: Path) -> bool:
    """Whether the file holds what `known` stamped (a file of another size is not read)."""
    if unreadable(path, root):
        return False  # never read: the load reports it
    try:
        if path.stat().st_size != known.size:
            return False
        return hashlib.sha256(path.read_bytes()).hexdigest() == known.sha256
    except OSError:
        return False  # gone or unreadable since it was listed: the load reports it


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
