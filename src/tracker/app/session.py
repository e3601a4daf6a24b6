"""Opening a workspace: its database, its definitions synced, and looking entries up by id.

A `Session` is what every use case takes: the workspace folder, its store, its settings and,
once a use case needs them, the synced definitions. Opening one syncs the definition files
into the database (cheaply when nothing changed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

from tracker.app.config import Config
from tracker.app.sync import SyncOutcome, sync
from tracker.core import fields
from tracker.core.models import Metric, Proposition
from tracker.core.workspace import Workspace
from tracker.errors import InputError, NotFound, TrackerError
from tracker.load.settings import Settings, load_settings
from tracker.store.db import Store
from tracker.store.engine import connect, database_url, ensure_schema, sqlite_file

SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


@dataclass
class Session:
    """An open workspace: its folder, its store, who is logging, and what the last sync reported."""

    root: Path
    store: Store
    user: str = "unknown"
    synced: SyncOutcome = field(default_factory=lambda: SyncOutcome(False))

    @cached_property
    def workspace(self) -> Workspace:
        """The synced definitions (read from the database once per session)."""
        return self.store.workspace()

    @cached_property
    def settings(self) -> Settings:
        return load_settings(self.root)

    def database_files(self) -> list[Path]:
        """The SQLite database's file and its companions (-wal, -shm, -journal): never an output."""
        return _with_companions(sqlite_file(self.store.engine))

    def recorder(self, by: str | None) -> str:
        """Who is logging: `by` if given, else the session's user."""
        if by is None:
            return self.user
        if not by.strip():
            raise InputError("name who is logging this", argument="by")
        return by.strip()


def open_session(config: Config, *, synced: bool = True) -> Session:
    """Open the workspace's database (creating an empty SQLite file) and sync the definitions into it."""
    store = Store(connect(database_url(config.db, config.workspace), busy_timeout=config.busy_timeout))
    ensure_schema(store.engine)
    session = Session(config.workspace, store, config.user)
    if synced:
        session.synced = sync(store, config.workspace)
    return session


def database_files(config: Config) -> list[Path]:
    """The files of the configured SQLite database (as `Session.database_files`), without opening it:
    for a command that writes a file but reads no database (`extract`). None for a server, or for a
    URL that cannot be used (there is then no database file to keep safe)."""
    try:
        engine = connect(database_url(config.db, config.workspace), busy_timeout=config.busy_timeout)
    except TrackerError:
        return []
    try:
        return _with_companions(sqlite_file(engine))
    finally:
        engine.dispose()


def _with_companions(path: Path | None) -> list[Path]:
    if path is None:
        return []
    return [path, *(path.with_name(path.name + suffix) for suffix in SQLITE_COMPANIONS)]


def now() -> datetime:
    """The current time in UTC, naive, as stored."""
    return datetime.now(UTC).replace(tzinfo=None)


# Lookups -------------------------------------------------------------------------------------


def proposition(session: Session, proposition_id: str, argument: str = "id") -> Proposition:
    """The proposition with this id, or NotFound naming the argument."""
    found = _proposition(session, proposition_id)
    if found is None:
        raise NotFound(fields.unknown_proposition(proposition_id), argument=argument)
    return found


def observation_target(session: Session, target: str) -> Metric | Proposition:
    """The metric or event proposition an observation is logged on."""
    loaded: Workspace | None = session.__dict__.get("workspace")
    found = loaded.metrics.get(target) if loaded is not None else session.store.metric(target)
    if found is not None:
        return found
    prop = _proposition(session, target)
    if prop is not None and prop.kind == "event":
        return prop
    if prop is not None:
        raise InputError(fields.target_proposition(target, prop.metric), argument="target")
    raise NotFound(fields.unknown_target(target), argument="target")


def _proposition(session: Session, proposition_id: str) -> Proposition | None:
    """From the workspace if a use case has read it, else one row: logging one record reads no more."""
    loaded: Workspace | None = session.__dict__.get("workspace")
    return loaded.propositions.get(proposition_id) if loaded is not None else session.store.proposition(proposition_id)
