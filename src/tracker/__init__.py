"""tracker: which announced plans materialised, and how good the forecasts were.

`tracker.open(path)` opens a workspace from Python (docs/api.md); the `tracker` command is the
same library behind a command line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tracker.api import Tracker, open

__all__ = ["Tracker", "open"]


def __getattr__(name: str) -> Any:
    # The API pulls in the database layer; the command line imports `tracker.cli` through this
    # package and must not pay for it at start-up (benchmarks/run.py measures it), so the API is
    # imported on first use.
    if name in __all__:
        from tracker import api

        return getattr(api, name)
    raise AttributeError(f"module 'tracker' has no attribute {name!r}")
