"""Record ids: the stable public id of every logged observation, forecast, ruling and retraction.

`show` lists them, `export` writes them, `retract` takes one. A logged record's id is its kind's
prefix and twelve characters of a digest of what it says (its row key) and when it was recorded:
the same record gets the same id in every database, so exports merge without clashes, and a
database upgraded from before ids gets the ids its rows would have had. An import row may bring
an id of its own (letters, digits, `-`, `_`, `.`).

A record written in a definition file is not logged: its id is where it is written,
`forecasts/trade.yaml:12`, which tells whoever wants to withdraw it which file to edit.
"""

from __future__ import annotations

import re
from base64 import b32encode
from datetime import datetime
from hashlib import blake2b
from typing import Literal

LoggedKind = Literal["observation", "forecast", "ruling", "retraction"]
PREFIXES: dict[LoggedKind, str] = {"observation": "o-", "forecast": "f-", "ruling": "r-", "retraction": "x-"}
ID_LENGTH = 64
ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,64}")
ID_FORMS = f"use letters, digits, '-', '_' and '.' (at most {ID_LENGTH})"
_DIGITS = 12  # base32 characters: 60 bits, so a million records collide with odds of about 1 in 2 million


def record_uid(kind: LoggedKind, key: str, recorded_at: datetime) -> str:
    """The id of a logged record from its row key and the moment it was recorded."""
    text = f"{key}\x1f{recorded_at.isoformat(' ', 'microseconds')}"
    digest = blake2b(text.encode("utf-8"), digest_size=8).digest()
    return PREFIXES[kind] + b32encode(digest).decode("ascii")[:_DIGITS].lower()


def retraction_key(target_uid: str, why: str) -> str:
    """What a retraction says: which record it withdraws, and why."""
    return blake2b(f"{target_uid}\x1f{why}".encode(), digest_size=16).hexdigest()


def definition_uid(path: str, line: int) -> str:
    """The id of a record written in a definition file: where it is written."""
    return f"{path}:{line}"


def definition_place(uid: str) -> tuple[str, int] | None:
    """(file, line) of a definition record's id; None for a logged record's id."""
    path, _, line = uid.rpartition(":")
    if not path or not line.isdigit() or ID_PATTERN.fullmatch(uid):
        return None
    return path, int(line)
