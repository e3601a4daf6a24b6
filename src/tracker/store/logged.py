"""Logged rows counted the way the definitions judge them, for finding rows no definition takes.

One grouped query per table (a full scan, no row loaded into Python): observations by target,
kind of period of their as_of and whether their value is a word; forecasts and rulings by
proposition. `tracker.core.orphans` decides which groups the definitions no longer take, and
`first_ids` names a few rows of each.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from sqlalchemy import Boolean, ColumnElement, Connection, and_, case, cast, func, or_, select

from tracker.core.orphans import SHOWN_IDS, LoggedGroup, Orphan, orphans
from tracker.store.tables import FORECAST, OBSERVATION, RULING

# An as_of label's kind of period, from its shape (2024, 2024-Q2, 2024-05, 2024-05-16).
_PERIOD = case((OBSERVATION.c.as_of.like("%Q%"), "quarter"), (func.length(OBSERVATION.c.as_of) == 4, "year"),
               (func.length(OBSERVATION.c.as_of) == 7, "month"), else_="day")
_WORD = cast(OBSERVATION.c.value_num.is_(None), Boolean)
_BY_PROPOSITION = {"forecast": FORECAST, "ruling": RULING}


def logged_groups(connection: Connection) -> list[LoggedGroup]:
    """Every analyst-logged row, counted by kind, target and (observations) period kind and value kind."""
    observed = connection.execute(
        select(OBSERVATION.c.target, _PERIOD, _WORD, func.count())
        .where(OBSERVATION.c.origin == "log").group_by(OBSERVATION.c.target, _PERIOD, _WORD))
    groups = [LoggedGroup("observation", target, count, period, bool(word)) for target, period, word, count in observed]
    for kind, table in _BY_PROPOSITION.items():
        counted = connection.execute(select(table.c.proposition, func.count()).where(table.c.origin == "log")
                                     .group_by(table.c.proposition))
        groups += [LoggedGroup(kind, target, count) for target, count in counted]
    return groups


def first_ids(connection: Connection, orphan: Orphan, limit: int = SHOWN_IDS) -> tuple[int, ...]:
    """The ids of the first few rows an orphan counts, in order."""
    if orphan.kind == "observation":
        table = OBSERVATION
        where = and_(OBSERVATION.c.target == orphan.target, _any_of(orphan.groups))
    else:
        table = _BY_PROPOSITION[orphan.kind]
        where = table.c.proposition == orphan.target
    query = select(table.c.id).where(table.c.origin == "log", where).order_by(table.c.id).limit(limit)
    return tuple(connection.execute(query).scalars())


def _any_of(groups: Iterable[LoggedGroup]) -> ColumnElement[bool]:
    return or_(*(and_(_PERIOD == g.period, _WORD == bool(g.word)) for g in groups))


def orphaned(connection: Connection, metrics: Mapping[str, str], propositions: Mapping[str, str]) -> list[Orphan]:
    """The logged rows these definitions do not take (see `tracker.core.orphans`), with their first ids."""
    found = orphans(logged_groups(connection), metrics, propositions)
    return [replace(orphan, ids=first_ids(connection, orphan)) for orphan in found]
