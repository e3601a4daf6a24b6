"""Resolution: the status of a proposition as of a date, from observations and rulings.

Everything here is evaluated "as of" the END of a day T: an observation counts only once what
it covers has ended and it has been recorded (`period.end <= T`, or `through.end <= T` for a
partial figure, and `recorded_at.date() <= T`); a ruling counts from its `made_on`. Where
several counting observations describe the same target and period (and, for partial figures,
the same span), the one recorded last wins (ties: the higher id), so a revision replaces the
figure it corrects without anything being overwritten. Callers pass the records in force:
withdrawn (retracted) ones are filtered out before they reach this module.

Interpretations this module settles (docs/rules.md explains them to analysts):

- **The deadline's period.** A period counts as "by the deadline" when it starts on or before
  the deadline, i.e. up to and including the metric's period that contains the deadline.
- **Grades.** With a threshold (`min_grade`, the proposition's own overriding the argument), an
  observation meets it when its reliability letter and its credibility digit are both at least
  as good (A/1 best); an ungraded one does not (unknown reads as F6). Observations below the
  threshold count for the non-final statuses (latest, progress, on_track, behind, in_progress)
  but never make a final one.
- **Silence is not failure.** An event after its deadline is not_materialised only on a `no`
  whose period ends on or after the deadline day (a check made after it), or a ruling; without
  that, and without yes or partly evidence from periods starting by the deadline, it is
  overdue. A `yes` for a period starting after the deadline decides nothing.
- **Bounds.** A value published as a bound or range (`>400`, `400..500`) decides a target only
  where every value it allows lands on one side of it; progress uses its representative
  value (a one-sided bound's value, a range's middle).
- **Partial figures** (`through`, on metrics with `aggregate: sum`) are never a period's
  figure. For `>=`/`>` one that already meets the target materialises it; for `<=`/`<` one of
  the deadline's period that already breaks the cap makes it not_materialised, before the
  deadline too. Otherwise it gives a projection (value × days in the period ÷ days covered):
  the deadline period's stands in for latest before the deadline, and the newest is shown as
  `projected`; after the deadline a projection decides nothing (overdue).
- **Growth targets** equal to their baseline (`>`/`<` with change 0) have no progress: before
  the deadline they are on_track while the figure measuring them meets the target.
- **resolved_on** is the first day of the final status's last unbroken run: a ruling's
  `made_on`; otherwise the day the deciding evidence became known (going back through earlier
  records of the same period that gave the same answer), never earlier than the day after the
  deadline for partly and not_materialised after the deadline, and moved later where a revision
  withdrew evidence that had decided otherwise in between.
"""

from __future__ import annotations

import functools
import heapq
import math
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache

from tracker.core.models import Metric, Proposition
from tracker.core.periods import Period, parse_period, period_of
from tracker.core.records import Observation, Ruling
from tracker.core.status import FINAL, ORDER, Status
from tracker.core.values import Bound

STATUSES = ORDER  # the old name, kept for callers until they import core.status
ON_TRACK_SLACK = 0.1  # on_track while progress >= expected progress - 0.1 (docs/rules.md)
_EVENT_STRENGTH = {"no": 0, "partly": 1, "yes": 2}
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Resolution:
    """The status of one proposition as of a date, with the evidence behind it."""

    proposition: str
    kind: str
    status: Status
    progress: float | None
    expected_progress: float | None
    latest: Observation | None
    best_evidence: str | None
    ruling: Ruling | None
    final: bool
    resolved_on: date | None
    projected: Projection | None = None  # the period projected from a partial figure, shown beside latest


@dataclass(frozen=True)
class StatusChange:
    """A day on which the status of a proposition changed, and what changed it."""

    on: date
    status: Status
    cause: str


# --- grades ------------------------------------------------------------------------------


@lru_cache(maxsize=4096)  # called once per observation when a threshold is set; grades are few
def meets_grade(grade: str | None, threshold: str | None) -> bool:
    """Whether an Admiralty grade (e.g. `B2`) is at least as good as the threshold (e.g. `C3`).

    No threshold: everything meets it. Ungraded: reads as F6 (cannot be judged), so it meets
    only an F6 threshold.
    """
    if threshold is None:
        return True
    letter, digit = (grade[0], grade[1:]) if grade else ("F", "6")
    return letter <= threshold[0] and int(digit) <= int(threshold[1:])


# --- series: counting observations of one target as of T --------------------------------


def _record_key(obs: Observation) -> tuple:
    return (obs.recorded_at, obs.id or 0)


def _known_on(obs: Observation) -> date:
    """The day an observation became usable: what it covers has ended and it was recorded."""
    return obs.known_on


def _first_moment_after(day: date) -> datetime:
    """Midnight after `day`: a record counts by the end of `day` when recorded before it."""
    if day >= date.max:
        return datetime.max
    return datetime.combine(day + _ONE_DAY, datetime.min.time())


PeriodKey = tuple[date, date]  # (end, start): identifies a period, hashes and sorts in C


class _Series:
    """Counting observations of one target as of T, revised: one winner per period, by period end.

    Partial figures (`through`) are kept apart, by period: they are never a period's figure.
    """

    __slots__ = ("periods", "starts", "winners", "records", "partials")

    def __init__(self, observations: Iterable[Observation], as_of: date, threshold: str | None = None):
        # The hot loop of a scorecard (once per observation): periods are grouped by their
        # (end, start) dates, which identify a period and hash and sort in C, rather than by
        # the Period dataclass, whose __hash__ and __lt__ are Python calls; "recorded by the
        # end of T" is one comparison with the first moment after T instead of a .date() call.
        groups: dict[PeriodKey, list[Observation]] = {}
        self.partials: dict[PeriodKey, list[Observation]] = {}
        if threshold is not None:
            observations = [obs for obs in observations if meets_grade(obs.grade, threshold)]
        after = _first_moment_after(as_of)
        for obs in observations:
            period = obs.as_of
            if obs.through is not None:
                if obs.through.end <= as_of and obs.recorded_at < after:
                    self.partials.setdefault((period.end, period.start), []).append(obs)
            elif period.end <= as_of and obs.recorded_at < after:
                key = (period.end, period.start)
                group = groups.get(key)
                if group is None:
                    groups[key] = [obs]
                else:
                    group.append(obs)
        keys = sorted(groups)
        self.records = [groups[key] for key in keys]
        self.periods = [group[0].as_of for group in self.records]
        self.starts = [start for _, start in keys]
        self.winners = [g[0] if len(g) == 1 else max(g, key=_record_key) for g in self.records]

    def upto(self, deadline: date) -> int:
        """How many periods start on or before the deadline (they are the ones that count).

        Periods of one kind sorted by end are also sorted by start, so a bisect suffices.
        """
        return bisect_right(self.starts, deadline)

    def first_known(self, index: int, same: Callable[[Observation], bool]) -> date:
        """The day the current answer for period `index` became known.

        Walks back through earlier records of the period while they give the same answer
        (`same`), so a revision that changes nothing keeps the original date.
        """
        # Of records tied on (recorded_at, id) the first in the list is the winner (`max` keeps the
        # first): reversed before the stable sort, it comes last, where the walk starts.
        records = sorted(reversed(self.records[index]), key=_record_key)
        start = len(records) - 1
        while start > 0 and same(records[start - 1]):
            start -= 1
        return _known_on(records[start])

    def full(self, key: PeriodKey) -> Observation | None:
        """The period's own (full) figure, if one counts."""
        index = bisect_left(self.starts, key[1])
        if index < len(self.periods) and (self.periods[index].end, self.starts[index]) == key:
            return self.winners[index]
        return None


class _GrowingSeries(_Series):
    """A `_Series` for successive days: observations are added as they become known.

    A status history resolves one proposition on many days; rebuilding the series from every
    observation on each of them made it quadratic. Each record keeps its position in the
    caller's list, so a period's records are in the order `_Series` would hold them (ties in
    `_record_key` go to the same record) and the series equals `_Series(added, day)`.
    """

    __slots__ = ("keys", "positions", "partial_positions")

    def __init__(self) -> None:  # not _Series.__init__: it starts empty
        self.periods: list[Period] = []
        self.starts: list[date] = []
        self.winners: list[Observation] = []
        self.records: list[list[Observation]] = []
        self.partials: dict[PeriodKey, list[Observation]] = {}
        self.keys: list[PeriodKey] = []
        self.positions: list[list[int]] = []
        self.partial_positions: dict[PeriodKey, list[int]] = {}

    def add(self, position: int, obs: Observation) -> None:
        """Count `obs` from now on; `position` is its index in the caller's list."""
        key = (obs.as_of.end, obs.as_of.start)
        if obs.through is not None:
            positions = self.partial_positions.setdefault(key, [])
            at = bisect_right(positions, position)
            positions.insert(at, position)
            self.partials.setdefault(key, []).insert(at, obs)
            return
        index = bisect_left(self.keys, key)
        if index == len(self.keys) or self.keys[index] != key:
            self.keys.insert(index, key)
            self.positions.insert(index, [position])
            self.records.insert(index, [obs])
            self.periods.insert(index, obs.as_of)
            self.starts.insert(index, key[1])
            self.winners.insert(index, obs)
            return
        at = bisect_right(self.positions[index], position)
        self.positions[index].insert(at, position)
        group = self.records[index]
        group.insert(at, obs)
        self.periods[index] = group[0].as_of
        self.winners[index] = max(group, key=_record_key)


# --- partial figures ------------------------------------------------------------------------


@dataclass(frozen=True)
class Projection:
    """A period's figure projected from a partial one at the same rate for the rest of the period."""

    value: float
    as_of: Period
    partial: Observation


def used_partial(records: Sequence[Observation]) -> Observation:
    """Of a period's partial figures, the one used: the latest record of the span covering most.

    A partial figure revises only one of the same span (same `through` end).
    """
    by_span: dict[date, Observation] = {}
    for obs in records:
        assert obs.through is not None
        current = by_span.get(obs.through.end)
        if current is None or _record_key(obs) > _record_key(current):
            by_span[obs.through.end] = obs
    return by_span[max(by_span)]


def project(partial: Observation) -> Projection:
    """value × days in the period ÷ days covered (start of the period to the end of `through`)."""
    assert partial.through is not None
    period = partial.as_of
    days = (period.end - period.start).days + 1
    covered = (partial.through.end - period.start).days + 1
    return Projection(finite(float(partial.value) * (days / covered)), period, partial)


def finite(number: float) -> float:
    """A result past the largest float (1e308 × 2) as the largest float of its sign, so reports stay valid JSON."""
    return number if math.isfinite(number) or math.isnan(number) else math.copysign(sys.float_info.max, number)


def progress_between(value: float, base: float, target: float) -> float:
    """(value − base) / (target − base), never NaN: differences that overflow (1e308 − (−1e308)) are
    worked out on halves, and a share past the largest float is that float (see `finite`)."""
    part, whole = value - base, target - base
    if not (math.isfinite(part) and math.isfinite(whole)):
        part, whole = value / 2 - base / 2, target / 2 - base / 2
    if math.isinf(part) and math.isinf(whole):  # a target itself past the largest float, and a value too
        return math.copysign(1.0, part * whole)
    return finite(part / whole)


def _partial_settled_on(records: Sequence[Observation], same: Callable[[Observation], bool]) -> date | None:
    """The day since which the used partial figure of a period has given this answer; None if it does not now."""
    if not same(used_partial(records)):
        return None
    days = sorted({_known_on(obs) for obs in records}, reverse=True)
    settled = days[0]
    for day in days[1:]:
        if not same(used_partial([obs for obs in records if _known_on(obs) <= day])):
            break
        settled = day
    return settled


# --- targets ------------------------------------------------------------------------------


def meets_target(value: float, op: str, target: float) -> bool:
    """Whether a value satisfies the target's operator (`==` allows rounding noise)."""
    if op == ">=":
        return value >= target
    if op == "<=":
        return value <= target
    if op == ">":
        return value > target
    if op == "<":
        return value < target
    return math.isclose(value, target, rel_tol=1e-9, abs_tol=1e-12)


def meeting_values(op: str, target: float) -> Bound:
    """The values that meet a target, as an interval (for deciding with bounds)."""
    if op in (">=", ">"):
        return Bound(low=target, low_closed=op == ">=")
    if op in ("<=", "<"):
        return Bound(high=target, high_closed=op == "<=")
    return Bound(target, target)


@lru_cache(maxsize=65536)  # a baseline label is parsed once, not on every day a history resolves
def _period_end(label: str | int) -> date:
    return parse_period(label).end


def expected_progress(proposition: Proposition, as_of: date) -> float:
    """(T − end of the baseline period) / (deadline − end of the baseline period), in [0, 1]."""
    assert proposition.baseline is not None
    base_end = _period_end(proposition.baseline.as_of)
    span = (proposition.deadline - base_end).days
    if span <= 0:
        return 1.0
    return min(1.0, max(0.0, (as_of - base_end).days / span))


@dataclass(frozen=True)
class _TargetTerms:
    """What a target proposition needs, computed once: baseline end, target, window, operator."""

    base_value: float
    base_end: date
    target: float
    op: str
    stated_on: date
    deadline: date
    deadline_period: Period
    partial: float
    meeting: Bound
    aggregate: bool  # the metric's period figure is the sum of its parts: partial figures count

    @classmethod
    def of(cls, proposition: Proposition, metric: Metric) -> _TargetTerms:
        assert proposition.baseline is not None and proposition.target is not None
        target = proposition.target_value
        return cls(
            base_value=proposition.baseline.value,
            base_end=_period_end(proposition.baseline.as_of),
            target=target,
            op=proposition.target.op,
            stated_on=proposition.stated_on,
            deadline=proposition.deadline,
            deadline_period=period_of(proposition.deadline, metric.period),
            partial=proposition.partial,
            meeting=meeting_values(proposition.target.op, target),
            aggregate=metric.aggregate == "sum",
        )

    @property
    def keeps_level(self) -> bool:
        """A strict target equal to its baseline ("keeps growing"): progress means nothing."""
        return self.target == self.base_value

    @property
    def deadline_key(self) -> PeriodKey:
        return (self.deadline_period.end, self.deadline_period.start)

    def progress_of(self, value: float, period: Period) -> float | None:
        """Share of the way from baseline to target; only for a period ending after the baseline's."""
        if period.end <= self.base_end or self.keeps_level:
            return None
        return progress_between(value, self.base_value, self.target)

    def progress(self, obs: Observation | None) -> float | None:
        return None if obs is None else self.progress_of(float(obs.value), obs.as_of)

    def meets(self, obs: Observation) -> bool:
        """Whether the value meets the target; a bound only when every value it allows does."""
        if obs.bound is not None:
            return obs.bound.inside(self.meeting)
        return meets_target(float(obs.value), self.op, self.target)

    def fails(self, obs: Observation) -> bool:
        """Whether the value misses the target; a bound only when every value it allows does."""
        if obs.bound is not None:
            return obs.bound.apart(self.meeting)
        return not meets_target(float(obs.value), self.op, self.target)

    def settles_partly(self, obs: Observation) -> bool:
        progress = self.progress(obs)
        return progress is not None and progress >= self.partial

    def in_window(self, key: PeriodKey) -> bool:
        """A period that can meet the target: ending on or after stated_on, starting by the deadline."""
        end, start = key
        return end >= self.stated_on and start <= self.deadline


@dataclass(frozen=True)
class _Verdict:
    """What resolving a target's or an event's evidence gives, before any ruling."""

    status: Status
    latest: Observation | None
    resolved_on: date | None = None
    progress: float | None = None
    best: str | None = None
    projected: Projection | None = None


def _materialised_on(series: _Series, terms: _TargetTerms, count: int) -> date | None:
    """The earliest day a value in a period ending from stated_on to the deadline met the target.

    For `>=` and `>` a partial figure that already meets it counts too (parts are never
    negative, so the period's figure will), unless the period's own figure says otherwise.
    """
    best: date | None = None
    for index in range(count - 1, -1, -1):
        period = series.periods[index]
        if period.end < terms.stated_on:
            break
        if terms.meets(series.winners[index]):
            known = series.first_known(index, terms.meets)
            if best is None or known < best:
                best = known
    for known in _met_by_partials(series, terms):
        if best is None or known < best:
            best = known
    return best


def _met_by_partials(series: _Series, terms: _TargetTerms) -> list[date]:
    if not terms.aggregate or terms.op not in (">=", ">"):
        return []
    days = []
    for key, records in series.partials.items():
        full = series.full(key)
        if terms.in_window(key) and (full is None or terms.meets(full)):
            settled = _partial_settled_on(records, terms.meets)
            if settled is not None:
                days.append(settled)
    return days


def _broken_on(series: _Series, terms: _TargetTerms) -> date | None:
    """For `<=` and `<`: the day a partial figure of the deadline's period already broke the cap."""
    if not terms.aggregate or terms.op not in ("<=", "<"):
        return None
    records = series.partials.get(terms.deadline_key)
    if not records or series.full(terms.deadline_key) is not None:
        return None
    return _partial_settled_on(records, terms.fails)


def _projected(series: _Series, terms: _TargetTerms, latest: Observation | None) -> Projection | None:
    """The projection from the newest partial figure of a period by the deadline that is newer than latest."""
    if not terms.aggregate:
        return None
    newest = max((key for key in series.partials if key[1] <= terms.deadline and series.full(key) is None), default=None)
    if newest is None or (latest is not None and newest[0] <= latest.as_of.end):
        return None
    return project(used_partial(series.partials[newest]))


def _standing_in(series: _Series, terms: _TargetTerms) -> Projection | None:
    """The deadline period's projection, while that period has no figure of its own."""
    records = series.partials.get(terms.deadline_key) if terms.aggregate else None
    if not records or series.full(terms.deadline_key) is not None:
        return None
    return project(used_partial(records))


def _resolve_target(proposition: Proposition, terms: _TargetTerms, shown: _Series, decisive: _Series, as_of: date) -> _Verdict:
    """Status, latest observation, progress, resolved_on and projection of a target from its series."""
    count = decisive.upto(terms.deadline)
    latest = decisive.winners[count - 1] if count else None
    final = _final_target(terms, decisive, latest, count, as_of)
    if final is not None:
        return final
    count = shown.upto(terms.deadline)
    latest = shown.winners[count - 1] if count else None
    projected = _projected(shown, terms, latest)
    if as_of > terms.deadline:
        return _Verdict(Status.OVERDUE, latest, progress=terms.progress(latest), projected=projected)
    return _before_deadline(proposition, terms, shown, latest, projected, as_of)


def _final_target(terms: _TargetTerms, decisive: _Series, latest: Observation | None, count: int, as_of: date) -> _Verdict | None:
    """A final status, if the evidence meeting the grade threshold decides one."""
    progress = terms.progress(latest)
    materialised = _materialised_on(decisive, terms, count)
    if materialised is not None:
        return _Verdict(Status.MATERIALISED, latest, materialised, progress, projected=_projected(decisive, terms, latest))
    broken = _broken_on(decisive, terms)
    if broken is not None:
        return _Verdict(Status.NOT_MATERIALISED, latest, broken, progress, projected=_projected(decisive, terms, latest))
    decided = latest is not None and latest.as_of == terms.deadline_period and terms.fails(latest)
    if as_of <= terms.deadline or not decided:
        return None
    assert latest is not None
    partly = terms.settles_partly(latest)
    known = decisive.first_known(count - 1, lambda obs: terms.fails(obs) and terms.settles_partly(obs) == partly)
    status = Status.PARTLY if partly else Status.NOT_MATERIALISED
    return _Verdict(status, latest, max(known, terms.deadline + _ONE_DAY), progress)


def _standing_figure(shown: _Series, terms: _TargetTerms, latest: Observation | None) -> tuple[float, Period] | None:
    """The figure that measures progress before the deadline: the deadline period's projection, else latest."""
    standing = _standing_in(shown, terms)
    if standing is not None:
        return standing.value, standing.as_of
    return (float(latest.value), latest.as_of) if latest is not None else None


def _before_deadline(proposition: Proposition, terms: _TargetTerms, shown: _Series, latest: Observation | None,
                     projected: Projection | None, as_of: date) -> _Verdict:
    """no_data, on_track or behind; the deadline period's projection stands in for latest while it has no figure."""
    figure = _standing_figure(shown, terms, latest)
    if figure is None or figure[1].end <= terms.base_end:
        return _Verdict(Status.NO_DATA, latest, projected=projected)
    value, period = figure
    if terms.keeps_level:
        status = Status.ON_TRACK if meets_target(value, terms.op, terms.target) else Status.BEHIND
        return _Verdict(status, latest, projected=projected)
    progress = terms.progress_of(value, period)
    assert progress is not None
    on_track = not _behind(proposition, progress, as_of)
    return _Verdict(Status.ON_TRACK if on_track else Status.BEHIND, latest, progress=progress, projected=projected)


# --- events -------------------------------------------------------------------------------


def _strongest(series: _Series, count: int) -> tuple[str | None, Observation | None]:
    """The strongest value (yes > partly > no) among the winners, and its most recent observation."""
    best: Observation | None = None
    for obs in series.winners[:count]:
        if best is None or _EVENT_STRENGTH[str(obs.value)] >= _EVENT_STRENGTH[str(best.value)]:
            best = obs
    return (str(best.value) if best is not None else None), best


def _event_known_on(series: _Series, count: int, value: str) -> date:
    """The earliest day evidence of `value` (as it stands now) became known."""
    days = [
        series.first_known(index, lambda obs: obs.value == value)
        for index in range(count)
        if series.winners[index].value == value
    ]
    return min(days)


def _checked_no(series: _Series, deadline: date) -> tuple[Observation, date] | None:
    """The `no` covering the deadline (its period ends on or after the deadline day) known earliest."""
    found: tuple[Observation, date] | None = None
    for index, obs in enumerate(series.winners):
        if obs.value == "no" and obs.as_of.end >= deadline:
            known = series.first_known(index, lambda record: record.value == "no")
            if found is None or known < found[1]:
                found = (obs, known)
    return found


def _resolve_event(proposition: Proposition, shown: _Series, decisive: _Series, as_of: date) -> _Verdict:
    """Status, evidence observation, best evidence and resolved_on of an event.

    After the deadline, silence is not failure: without yes or partly evidence from periods
    starting by the deadline, only a `no` covering the deadline (checked after it) makes the
    event not_materialised; otherwise it is overdue.
    """
    deadline = proposition.deadline
    count = decisive.upto(deadline)
    best, evidence = _strongest(decisive, count)
    if best == "yes":
        return _Verdict(Status.MATERIALISED, evidence, _event_known_on(decisive, count, "yes"), best=best)
    shown_best, shown_evidence = _strongest(shown, shown.upto(deadline))
    if as_of <= deadline:
        status = Status.IN_PROGRESS if shown_best in ("yes", "partly") else Status.OPEN
        return _Verdict(status, shown_evidence, best=shown_best)
    after = deadline + _ONE_DAY
    if best == "partly":
        return _Verdict(Status.PARTLY, evidence, max(after, _event_known_on(decisive, count, "partly")), best=best)
    checked = _checked_no(decisive, deadline)
    weaker = shown_best is not None and _EVENT_STRENGTH[shown_best] > _EVENT_STRENGTH.get(best or "no", 0)
    if checked is None or weaker:
        return _Verdict(Status.OVERDUE, shown_evidence, best=shown_best)
    return _Verdict(Status.NOT_MATERIALISED, checked[0], max(after, checked[1]), best="no")


# --- rulings ------------------------------------------------------------------------------


def ruling_in_force(rulings: Iterable[Ruling], as_of: date) -> Ruling | None:
    """The latest ruling made on or before T (ties: recorded later, then higher id)."""
    current: Ruling | None = None
    for ruling in rulings:
        if ruling.made_on <= as_of and (current is None or _ruling_key(ruling) > _ruling_key(current)):
            current = ruling
    return current


def _ruling_key(ruling: Ruling) -> tuple:
    return (ruling.made_on, ruling.recorded_at, ruling.id or 0)


# --- the public entry points ---------------------------------------------------------------


def _threshold(proposition: Proposition, min_grade: str | None) -> str | None:
    return proposition.min_grade if proposition.min_grade is not None else min_grade


def _resolve_from(
    proposition: Proposition,
    terms: _TargetTerms | None,
    shown: _Series,
    decisive: _Series,
    rulings: Iterable[Ruling],
    as_of: date,
) -> Resolution:
    """Combine the computed status with the ruling in force, if any."""
    if terms is not None:
        verdict = _resolve_target(proposition, terms, shown, decisive, as_of)
        expected: float | None = expected_progress(proposition, as_of)
    else:
        verdict = _resolve_event(proposition, shown, decisive, as_of)
        expected = None
    status, resolved_on = verdict.status, verdict.resolved_on
    ruling = ruling_in_force(rulings, as_of)
    if ruling is not None:
        status = Status(ruling.status)
        resolved_on = ruling.made_on if status in FINAL else None
    return Resolution(
        proposition=proposition.id,
        kind=proposition.kind,
        status=status,
        progress=verdict.progress,
        expected_progress=expected,
        latest=verdict.latest,
        best_evidence=verdict.best,
        ruling=ruling,
        final=status in FINAL,
        resolved_on=resolved_on,
        projected=verdict.projected,
    )


def _series_pair(observations: Sequence[Observation], as_of: date, threshold: str | None) -> tuple[_Series, _Series]:
    shown = _Series(observations, as_of)
    decisive = shown if threshold is None else _Series(observations, as_of, threshold)
    return shown, decisive


def resolve(
    proposition: Proposition,
    metric: Metric | None,
    observations: Iterable[Observation],
    rulings: Iterable[Ruling],
    as_of: date,
    min_grade: str | None = None,
) -> Resolution:
    """The status of a proposition as of the end of day `as_of` (docs/rules.md).

    `observations` are those of the proposition's metric (a target) or of the proposition
    itself (an event), in any order; those not yet known at `as_of` are ignored.
    """
    observations = list(observations)
    threshold = _threshold(proposition, min_grade)
    shown, decisive = _series_pair(observations, as_of, threshold)
    terms = _terms(proposition, metric)
    resolution = _resolve_from(proposition, terms, shown, decisive, rulings, as_of)
    return _dated(resolution, proposition, terms, observations, threshold, as_of, lambda: _revision_days(observations))


def _terms(proposition: Proposition, metric: Metric | None) -> _TargetTerms | None:
    if proposition.kind != "target":
        return None
    if metric is None:
        raise ValueError(f"target proposition {proposition.id!r} needs its metric {proposition.metric!r}")
    return _TargetTerms.of(proposition, metric)


def resolve_all(
    workspace_propositions: Mapping[str, Proposition],
    metrics: Mapping[str, Metric],
    observations_by_target: Mapping[str, Sequence[Observation]],
    rulings_by_proposition: Mapping[str, Sequence[Ruling]],
    as_of: date,
    min_grade: str | None = None,
) -> dict[str, Resolution]:
    """Resolve every proposition as of `as_of`, preparing each metric's series only once.

    Propositions sharing a metric (and a grade threshold) share one filtered, revised series.
    """
    cache: dict[tuple[str, str | None], _Series] = {}
    revision_cache: dict[str, set[date]] = {}

    def revisions(target: str) -> set[date]:
        found = revision_cache.get(target)
        if found is None:
            found = revision_cache[target] = _revision_days(observations_by_target.get(target, ()))
        return found

    def series(target: str, threshold: str | None) -> _Series:
        key = (target, threshold)
        found = cache.get(key)
        if found is None:
            found = cache[key] = _Series(observations_by_target.get(target, ()), as_of, threshold)
        return found

    results: dict[str, Resolution] = {}
    for prop_id, proposition in workspace_propositions.items():
        target = proposition.metric if proposition.kind == "target" else prop_id
        assert target is not None
        threshold = _threshold(proposition, min_grade)
        shown = series(target, None)
        decisive = shown if threshold is None else series(target, threshold)
        terms = _terms(proposition, metrics.get(target) if proposition.kind == "target" else None)
        rulings = rulings_by_proposition.get(prop_id, ())
        resolution = _resolve_from(proposition, terms, shown, decisive, rulings, as_of)
        known = observations_by_target.get(target, ())
        results[prop_id] = _dated(resolution, proposition, terms, known, threshold, as_of, functools.partial(revisions, target))
    return results


def _dated(resolution: Resolution, proposition: Proposition, terms: _TargetTerms | None, observations: Sequence[Observation],
           threshold: str | None, as_of: date, revisions: Callable[[], set[date]]) -> Resolution:
    """The resolution with resolved_on moved past any day since which its final status did not hold.

    Without revisions evidence only accumulates, and the date worked out from the evidence is
    exact. A revision can withdraw evidence that decided otherwise in between (a `yes` revised to
    `no`, a partial figure overruled by the period's own), so the status may have held only since
    a revision: each day a revision became known since that date is checked, latest first, by
    resolving the day before it.
    """
    start = resolution.resolved_on
    if not resolution.final or resolution.ruling is not None or start is None:
        return resolution
    for day in sorted((d for d in revisions() if start < d <= as_of), reverse=True):
        before = day - _ONE_DAY
        earlier = _resolve_from(proposition, terms, *_series_pair(observations, before, threshold), (), before)
        if earlier.status != resolution.status:
            return replace(resolution, resolved_on=day)
    return resolution


def _revision_days(observations: Sequence[Observation]) -> set[date]:
    """The days records of periods holding more than one record became known (revisions, partial figures)."""
    groups: dict[tuple[date, date], list[Observation]] = {}
    for obs in observations:
        groups.setdefault((obs.as_of.end, obs.as_of.start), []).append(obs)
    return {obs.known_on for records in groups.values() if len(records) > 1 for obs in records}


# --- what part of the logs a resolution reads ------------------------------------------------


def relevant_from(proposition: Proposition, metric: Metric | None) -> date | None:
    """For a target: periods ending before this day can change its resolution only as `latest`.

    Materialised needs a period ending on or after stated_on; partly and not_materialised the
    deadline's period; progress a period ending after the baseline's. So only the periods ending
    from the earliest of those on, plus the last counting period before (see
    `needs_earlier_period`), decide a target. None for an event: all its evidence counts.
    """
    if proposition.kind != "target" or proposition.baseline is None or metric is None:
        return None
    base_end = _period_end(proposition.baseline.as_of)
    return min(proposition.stated_on, base_end, period_of(proposition.deadline, metric.period).start)


def needs_earlier_period(observations: Iterable[Observation], as_of: date, deadline: date) -> bool:
    """Whether none of these counts as of T in a period starting by the deadline, so the last
    counting period before them would be the target's `latest`."""
    after = _first_moment_after(as_of)
    return not any(o.through is None and o.as_of.end <= as_of and o.recorded_at < after and o.as_of.start <= deadline
                   for o in observations)


# --- status history -------------------------------------------------------------------------


def status_history(
    proposition: Proposition,
    metric: Metric | None,
    observations: Iterable[Observation],
    rulings: Iterable[Ruling],
    as_of: date,
    min_grade: str | None = None,
) -> list[StatusChange]:
    """Every change of status from `stated_on` to `as_of`, each with its cause.

    The status can only change on a candidate day: stated_on, the day an observation becomes
    known (the later of its period end and its recording date), a ruling's date, the day after
    the deadline, and — for a target on track — the day expected progress overtakes progress by
    more than the slack (found arithmetically, so no day-by-day scan). The days are visited in
    order, each observation joining the series on the day it becomes known, and the status on
    each is what `resolve` gives for that day.
    """
    observations = list(observations)
    rulings = list(rulings)
    start = proposition.stated_on
    if as_of < start:
        return []
    causes = _candidate_causes(proposition, observations, rulings, start, as_of)
    queue = sorted(causes)
    heapq.heapify(queue)
    arrivals = _Arrivals(proposition, observations, min_grade)
    terms = _terms(proposition, metric)
    changes: list[StatusChange] = []
    seen: set[date] = set()
    while queue:
        day = heapq.heappop(queue)
        if day in seen:
            continue
        seen.add(day)
        arrivals.until(day)
        resolution = _resolve_from(proposition, terms, arrivals.shown, arrivals.decisive, rulings, day)
        if not changes or changes[-1].status != resolution.status:
            changes.append(StatusChange(day, resolution.status, "; ".join(causes.get(day, ["expected progress overtook progress"]))))
        crossing = _falls_behind_on(proposition, resolution, day)
        if crossing is not None and crossing <= as_of and crossing not in seen:
            heapq.heappush(queue, crossing)
    return changes


class _Arrivals:
    """A proposition's series (all grades, and those meeting its threshold) as days go by."""

    def __init__(self, proposition: Proposition, observations: list[Observation], min_grade: str | None):
        self.observations = observations
        self.threshold = _threshold(proposition, min_grade)
        self.order = sorted(range(len(observations)), key=lambda i: _known_on(observations[i]))
        self.next = 0
        self.shown = _GrowingSeries()
        self.decisive = self.shown if self.threshold is None else _GrowingSeries()

    def until(self, day: date) -> None:
        """Add every observation known by the end of `day` (days come in increasing order)."""
        while self.next < len(self.order):
            position = self.order[self.next]
            obs = self.observations[position]
            if _known_on(obs) > day:
                return
            self.shown.add(position, obs)
            if self.decisive is not self.shown and meets_grade(obs.grade, self.threshold):
                self.decisive.add(position, obs)
            self.next += 1


def _candidate_causes(
    proposition: Proposition, observations: list[Observation], rulings: list[Ruling], start: date, end: date
) -> dict[date, list[str]]:
    """Candidate days within [start, end] and a description of what happens on each."""
    causes: dict[date, list[str]] = {start: ["stated"]}

    def add(day: date, cause: str) -> None:
        day = max(day, start)
        if day <= end:
            causes.setdefault(day, []).append(cause)

    for obs in sorted(observations, key=lambda o: (o.as_of.end, _record_key(o))):
        # A target's periods after the deadline never change its status; an event's `no` checked
        # after the deadline does.
        if proposition.kind == "event" or obs.as_of.start <= proposition.deadline:
            add(_known_on(obs), describe_observation(obs))
    for ruling in sorted(rulings, key=_ruling_key):
        add(ruling.made_on, f"ruling: {ruling.status} — {ruling.why}")
    if proposition.deadline < date.max:  # a deadline on the calendar's last day never passes
        add(proposition.deadline + _ONE_DAY, "deadline passed")
    return causes


def describe_observation(obs: Observation) -> str:
    """`observation 2025: 497 (source)`: how an observation is named in a history."""
    value = obs.value
    if obs.written is not None:
        text = obs.written
    elif isinstance(value, float):
        text = str(int(value)) if value.is_integer() else repr(value)
    else:
        text = str(value)
    span = f" through {obs.through.label}" if obs.through is not None else ""
    source = f" ({obs.source})" if obs.source else ""
    grade = f" [{obs.grade}]" if obs.grade else ""
    return f"observation {obs.as_of.label}{span}: {text}{source}{grade}"


def _falls_behind_on(proposition: Proposition, resolution: Resolution, day: date) -> date | None:
    """For an on-track target, the first day it would be behind if nothing else happened.

    Behind once expected progress exceeds progress + slack, i.e. once
    (T − baseline end) > (progress + slack) · (deadline − baseline end). That day is worked out
    from the numbers, then checked with the very comparison `resolve` makes, so rounding in
    either cannot put it a day off.
    """
    progress = resolution.progress
    if resolution.status != Status.ON_TRACK or progress is None or resolution.ruling is not None:
        return None
    deadline = proposition.deadline
    if day >= deadline or not _behind(proposition, progress, deadline):
        return None
    assert proposition.baseline is not None
    base_end = _period_end(proposition.baseline.as_of)
    try:
        estimate = base_end + timedelta(days=math.floor((progress + ON_TRACK_SLACK) * (deadline - base_end).days) + 1)
    except OverflowError:  # past the calendar's last day: the deadline bounds it anyway
        estimate = deadline
    crossing = min(max(estimate, day + _ONE_DAY), deadline)
    while crossing - _ONE_DAY > day and _behind(proposition, progress, crossing - _ONE_DAY):
        crossing -= _ONE_DAY
    while not _behind(proposition, progress, crossing):
        crossing += _ONE_DAY
    return crossing


def _behind(proposition: Proposition, progress: float, day: date) -> bool:
    """The on_track/behind comparison `resolve` makes before the deadline."""
    return not progress >= expected_progress(proposition, day) - ON_TRACK_SLACK
