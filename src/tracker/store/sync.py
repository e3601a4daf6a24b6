"""Swapping the stored copy of the definitions for a newly loaded workspace, safely under concurrency.

Two processes syncing at once are safe: the swap happens under a lock (SQLite's write lock taken
by BEGIN IMMEDIATE; on PostgreSQL a transaction-scoped advisory lock), and the process that gets
the lock second finds the content already there and only refreshes the stamps. Deciding whether
to sync at all (comparing the files) is the use case's (tracker.app.sync).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from tracker.core.workspace import Workspace
from tracker.load.loader import FileStamp
from tracker.store.db import Store

_SYNC_LOCK = 7_461_001  # PostgreSQL advisory lock key for definition syncs


def swap_definitions(store: Store, workspace: Workspace, files: list[FileStamp]) -> bool:
    """Replace the stored definitions with `workspace` (files stamped by `files`); False when another
    process had already stored this very content."""
    with store.write() as connection:
        _lock(store, connection)
        if _stamps(connection) == {f.path: f.sha256 for f in files}:
            store.save_stamps(connection, files)
            return False
        store.replace_definitions(connection, workspace)
        store.save_stamps(connection, files)
    return True


def _lock(store: Store, connection: Connection) -> None:
    if store.engine.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SYNC_LOCK})


def _stamps(connection: Connection) -> dict[str, str]:
    rows = connection.execute(text("SELECT path, sha256 FROM definition_file")).all()
    return {row.path: row.sha256 for row in rows}
