"""Row keys: what makes two logged rows "the same", so an import can be run twice safely.

A key is a digest of what a row *says* — for an observation its target, period, value,
source, grade and note; for a forecast its proposition, probability, forecaster, date, source
and note; for a ruling its proposition, status, reason, date and source. Who recorded it and
when are not part of the key: the store pairs the key with `recorded_at` in a unique index over
logged rows, and an import row that gives no `recorded_at` matches an existing row with the
same key whatever its time (docs/import-export.md explains this to analysts).

The definition of a key must never change once rows carry it: migration 0002 computes keys
for rows that existed before, with these functions. A new definition needs a new migration.
"""

from __future__ import annotations

from datetime import date
from hashlib import blake2b

_SEPARATOR = "\x1f"


def _digest(parts: tuple[object, ...]) -> str:
    text = _SEPARATOR.join("" if part is None else str(part) for part in parts)
    return blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def observation_key(target: str, as_of: str, value_num: float | None, value_txt: str | None,
                    source: str | None, grade: str | None, note: str | None,
                    through: str | None = None, written: str | None = None) -> str:
    """What an observation says. A partial figure's `through` and the value as written (with its unit,
    `1.5 USD billion`) count only when present, so the key of an observation without them is the one
    migration 0002 computed."""
    # Written out rather than through _digest: this runs once per imported row.
    value = f"t:{value_txt}" if value_num is None else f"n:{float(value_num)!r}"
    text = f"{target}\x1f{as_of}\x1f{value}\x1f{source or ''}\x1f{grade or ''}\x1f{note or ''}"
    if through is not None or written is not None:
        text += f"\x1e{through or ''}\x1f{written or ''}"
    return blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def forecast_key(proposition: str, probability: float, forecaster: str, made_on: date,
                 source: str | None, note: str | None) -> str:
    return _digest((proposition, repr(float(probability)), forecaster, made_on.isoformat(), source, note))


def ruling_key(proposition: str, status: str, why: str, made_on: date, source: str | None) -> str:
    return _digest((proposition, status, why, made_on.isoformat(), source))
