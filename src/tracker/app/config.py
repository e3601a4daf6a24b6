"""How to open a workspace: its folder, its database, how long to wait for a lock, who is logging.

Configuration is read once, at the edge (the command line, the Python API), and passed in:
`Config.from_environment` is the one place that knows the `TRACKER_*` variables.
"""

from __future__ import annotations

import getpass
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tracker.errors import InputError
from tracker.store.engine import DEFAULT_BUSY_TIMEOUT, parse_busy_timeout

WORKSPACE_ENV = "TRACKER_WORKSPACE"
DATABASE_ENV = "TRACKER_DATABASE_URL"
BUSY_TIMEOUT_ENV = "TRACKER_BUSY_TIMEOUT"
USER_ENV = "TRACKER_USER"


@dataclass(frozen=True)
class Config:
    """Where the workspace and its database are, and who is logging."""

    workspace: Path
    db: str | None = None  # any SQLAlchemy URL; None: the workspace's tracker.db
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT
    user: str = "unknown"

    @classmethod
    def from_environment(cls, environ: Mapping[str, str], *, workspace: Path | str | None = None,
                         db: str | None = None) -> Config:
        """The configuration from explicit values, else the `TRACKER_*` variables, else defaults."""
        folder = workspace if workspace is not None else (environ.get(WORKSPACE_ENV) or None)
        return cls(
            workspace=workspace_root(Path(folder) if folder is not None else Path.cwd()),
            db=db or environ.get(DATABASE_ENV) or None,
            busy_timeout=parse_busy_timeout(environ.get(BUSY_TIMEOUT_ENV)),
            user=(environ.get(USER_ENV) or "").strip() or login_name(),
        )


def workspace_root(folder: Path) -> Path:
    """The workspace folder, resolved; it must exist."""
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder", argument="workspace")
    return folder.resolve()


def login_name() -> str:
    """The login name, or `unknown` where the system has none."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
