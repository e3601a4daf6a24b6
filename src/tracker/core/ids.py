"""Record ids: the stable public id of every logged observation, forecast, ruling and retraction.

`show` lists them, `export` writes them, `retract` takes one. A logged record's id is its kind's
prefix and twelve characters made from what it says (its row key, a digest) and when it was recorded:
the same record gets the same id in every database, so exports merge without clashes, and a
database upgraded from before ids gets the ids its rows would have had. An import row may bring
an id of its own (letters, digits, `-`, `_`, `.`).

A record written in a definition file is not logged: its id is where it is written,
`forecasts/trade.yaml:12`, which tells whoever wants to withdraw it which file to edit.
"""

from __future__ import annotations

import re
from datetime import datetime
from hashlib import blake2b
from typing import Literal

LoggedKind = Literal["observation", "forecast", "ruling", "retraction"]
PREFIXES: dict[LoggedKind, str] = {"observation": "o-", "forecast": "f-", "ruling": "r-", "retraction": "x-"}
ID_LENGTH = 64
ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,64}")
ID_FORMS = f"use letters, digits, '-', '_' and '.' (at most {ID_LENGTH})"


_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"  # RFC 4648's alphabet, lower case
_PAIRS = [_BASE32[i >> 5] + _BASE32[i & 31] for i in range(1024)]  # ten bits -> two characters
_BITS = (1 << 60) - 1  # twelve base32 characters
_SPREAD = 0x9E3779B97F4A7C15  # odd: multiplying by it maps distinct times to distinct 64-bit values


def record_uid(kind: LoggedKind, key: str, recorded_at: datetime) -> str:
    """The id of a logged record: its kind's prefix and 60 bits in base32 (twelve characters) of its row
    key (a digest of what it says) mixed with the microsecond it was recorded.

    The same record recorded at another moment gets another id; two records saying different things
    share one with odds of 2^-60 (the row keys are digests). Spelled out with integers rather than
    hashed again: an import computes one per row.
    """
    moment = ((recorded_at.toordinal() * 86_400 + recorded_at.hour * 3_600 + recorded_at.minute * 60 + recorded_at.second)
              * 1_000_000 + recorded_at.microsecond)
    bits = (int(key[:15], 16) ^ (moment * _SPREAD)) & _BITS
    return (PREFIXES[kind] + _PAIRS[bits >> 50] + _PAIRS[(bits >> 40) & 1023] + _PAIRS[(bits >> 30) & 1023]
            + _PAIRS[(bits >> 20) & 1023] + _PAIRS[(bits >> 10) & 1023] + _PAIRS[bits & 1023])


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
