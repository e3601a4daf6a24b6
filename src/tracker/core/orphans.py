"""Logged rows the definitions no longer fit: what editing a definition can leave behind.

Analysts' rows live in the database, definitions in files; an edit can leave rows that no
definition takes any more: a metric or proposition removed (or renamed), a metric's period
changed (rows of 2024 on a metric now measured by quarter), an event turned into a target (its
yes/partly/no rows), an id reused by another kind (numbers on what is now an event). The reports
skip such rows, and `tracker import` would refuse each of them, so an export would not import
back. This module finds them from counts per group of rows (the store does the counting) and
says, per group, how many, which row ids, and what to do; it decides as the import checker does
(tracker.load.rows), so "fits" here means "an export of it imports".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from tracker.errors import Problem

SHOWN_IDS = 5


@dataclass(frozen=True)
class LoggedGroup:
    """Logged rows of one kind on one target that the definitions judge alike, counted.

    `period` is the kind of period of an observation's as_of (year, quarter, month, day), `word`
    whether its value is a word (yes/partly/no) rather than a number; both None for forecasts and
    rulings.
    """

    kind: str  # observation, forecast, ruling
    target: str
    count: int
    period: str | None = None
    word: bool | None = None


@dataclass(frozen=True)
class Orphan:
    """Logged rows of one kind on one target that no definition takes, for one reason."""

    kind: str
    target: str
    why: str
    groups: tuple[LoggedGroup, ...]
    whole_target: bool  # every logged row of this kind on the target is affected
    ids: tuple[int, ...] = ()  # the first few row ids (the store fills them in)

    @property
    def count(self) -> int:
        return sum(g.count for g in self.groups)

    def message(self) -> str:
        """`3 observations logged on 'x' (rows 4, 5, 9): why; an export would not import them: what to do`."""
        count = self.count
        noun = self.kind if count == 1 else f"{self.kind}s"
        shown = ", ".join(map(str, self.ids[:SHOWN_IDS])) + (", …" if count > len(self.ids[:SHOWN_IDS]) else "")
        rows = f"row {shown}" if count == 1 else f"rows {shown}"
        return (f"{count} {noun} logged on {self.target!r} ({rows}): {self.why}; an export would not import "
                f"{'it' if count == 1 else 'them'}: {self.fix()}")

    def fix(self) -> str:
        column = "target" if self.kind == "observation" else "proposition"
        if self.whole_target:
            where = f"{column} = {_sql_text(self.target)} AND origin = 'log'"
        else:
            more = ", ..." if self.count > len(self.ids) else ""
            where = f"id IN ({', '.join(map(str, self.ids))}{more})"
        return f"restore the definition as it was, or delete {'it' if self.count == 1 else 'them'} (DELETE FROM {self.kind} WHERE {where})"


def orphans(groups: Iterable[LoggedGroup], metrics: Mapping[str, str], propositions: Mapping[str, str]) -> list[Orphan]:
    """The logged rows that the definitions do not take, by kind, target and reason.

    `metrics` maps each metric id to its period (year, quarter, month, day); `propositions` each
    proposition id to its kind (target, event).
    """
    by_target: dict[tuple[str, str], list[LoggedGroup]] = {}
    for group in groups:
        by_target.setdefault((group.kind, group.target), []).append(group)
    found = []
    for (kind, target), alike in by_target.items():
        reasons: dict[str, list[LoggedGroup]] = {}
        for group in alike:
            why = _why(group, metrics, propositions)
            if why is not None:
                reasons.setdefault(why, []).append(group)
        whole = sum(len(g) for g in reasons.values()) == len(alike)
        found += [Orphan(kind, target, why, tuple(gs), whole) for why, gs in reasons.items()]
    return sorted(found, key=lambda o: (_KIND_ORDER.get(o.kind, 9), o.target, o.why))


_KIND_ORDER = {"observation": 0, "forecast": 1, "ruling": 2}


def _why(group: LoggedGroup, metrics: Mapping[str, str], propositions: Mapping[str, str]) -> str | None:
    """Why no definition takes these rows, or None when one does (as `tracker import` decides)."""
    target = group.target
    if group.kind != "observation":
        return None if target in propositions else f"no proposition {target!r} is defined now"
    if target in metrics:
        if group.word:
            return f"{target!r} is a metric now, and these values are yes/partly/no"
        if group.period != metrics[target]:
            return f"{target!r} is measured by {metrics[target]} now, and these are {group.period}s"
        return None
    kind = propositions.get(target)
    if kind == "target":
        return f"{target!r} is a target proposition now: its observations go on its metric"
    if kind == "event":
        return None if group.word else f"{target!r} is an event now, and these values are numbers"
    return f"no metric or event proposition {target!r} is defined now"


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def counted(found: Sequence[Orphan]) -> int:
    """How many rows the orphans hold."""
    return sum(o.count for o in found)


def problems(where: str, found: Iterable[Orphan]) -> list[Problem]:
    """Each orphan as a problem located at the database (`where`: its address, password hidden)."""
    return [Problem(orphan.message(), path=where) for orphan in found]
