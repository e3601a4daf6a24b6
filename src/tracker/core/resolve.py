"""Resolution: the status of a proposition as of a date (SPEC §4), from observations and rulings.

Everything here is evaluated "as of" the END of a day T: an observation counts only once its
period has ended and it has been recorded (`period.end <= T` and `recorded_at.date() <= T`);
a ruling counts from its `made_on`. Where several counting observations describe the same
target and period, the one recorded last wins (ties: the higher id), so a revision replaces the
figure it corrects without anything being overwritten.

Interpretations this module settles (docs/rules.md explains them to analysts):

- **The deadline's period.** A period counts as "by the deadline" when it starts on or before
  the deadline, i.e. up to and including the metric's period that contains the deadline. For a
  deadline at a period end (the usual case) this is SPEC §4 word for word; for a deadline inside
  a period (annual data, deadline in June) that year's figure decides, as an analyst expects.
- **Grades.** With a threshold (`min_grade`, the proposition's own overriding the argument), an
  observation meets it when its reliability letter and its credibility digit are both at least
  as good (A/1 best). An ungraded observation does not meet a threshold: the Admiralty code
  reads unknown reliability as F and unknown credibility as 6. Observations below the
  threshold still count as evidence for the non-final statuses (latest, progress, on_track,
  behind, in_progress) but never make a final one (materialised, partly, not_materialised):
  those are decided from the observations that meet the threshold alone. When a status is
  final, `latest`/`progress`/`best_evidence` show the evidence it rests on.
- **Events after the deadline** whose only yes/partly evidence is below the threshold are
  `overdue` (awaiting corroboration or a ruling) rather than `not_materialised`.
- **resolved_on** is the day a final status was reached: for a ruling its `made_on`; for an
  observation the later of its recording date and its period's end (going back through earlier
  records of the same period that already gave the same answer, so a revision that changes
  nothing does not re-date it); partly/not_materialised are never earlier than the day after
  the deadline.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from tracker.core.models import Metric, Proposition
from tracker.core.periods import Period, parse_period, period_of
from tracker.core.records import Observation, Ruling
from tracker.core.status import FINAL, ORDER, Status

STATUSES = ORDER  # the old name, kept for callers until they import core.status
ON_TRACK_SLACK = 0.1  # on_track while progress >= expected progress - 0.1 (SPEC §4)
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
    """The day an observation became usable: its period ended and it was recorded."""
    recorded = obs.recorded_at.date()
    return recorded if recorded > obs.as_of.end else obs.as_of.end


def _first_moment_after(day: date) -> datetime:
    """Midnight after `day`: a record counts by the end of `day` when recorded before it."""
    if day >= date.max:
        return datetime.max
    return datetime.combine(day + _ONE_DAY, datetime.min.time())


class _Series:
    """Counting observations of one target as of T, revised: one winner per period, by period end."""

    __slots__ = ("periods", "starts", "winners", "records")

    def __init__(self, observations: Iterable[Observation], as_of: date, threshold: str | None = None):
        # The hot loop of a scorecard (once per observation): periods are grouped by their
        # (end, start) dates, which identify a period and hash and sort in C, rather than by
        # the Period dataclass, whose __hash__ and __lt__ are Python calls; "recorded by the
        # end of T" is one comparison with the first moment after T instead of a .date() call.
        groups: dict[tuple[date, date], list[Observation]] = {}
        if threshold is not None:
            observations = [obs for obs in observations if meets_grade(obs.grade, threshold)]
        after = _first_moment_after(as_of)
        for obs in observations:
            period = obs.as_of
            if period.end <= as_of and obs.recorded_at < after:
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
        records = sorted(self.records[index], key=_record_key)
        start = len(records) - 1
        while start > 0 and same(records[start - 1]):
            start -= 1
        return _known_on(records[start])


class _GrowingSeries(_Series):
    """A `_Series` for successive days: observations are added as they become known.

    A status history resolves one proposition on many days; rebuilding the series from every
    observation on each of them made it quadratic. Each record keeps its position in the
    caller's list, so a period's records are in the order `_Series` would hold them (ties in
    `_record_key` go to the same record) and the series equals `_Series(added, day)`.
    """

    __slots__ = ("keys", "positions")

    def __init__(self) -> None:  # not _Series.__init__: it starts empty
        self.periods: list[Period] = []
        self.starts: list[date] = []
        self.winners: list[Observation] = []
        self.records: list[list[Observation]] = []
        self.keys: list[tuple[date, date]] = []
        self.positions: list[list[int]] = []

    def add(self, position: int, obs: Observation) -> None:
        """Count `obs` from now on; `position` is its index in the caller's list."""
        key = (obs.as_of.end, obs.as_of.start)
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

    @classmethod
    def of(cls, proposition: Proposition, metric: Metric) -> _TargetTerms:
        assert proposition.baseline is not None and proposition.target is not None
        return cls(
            base_value=proposition.baseline.value,
            base_end=_period_end(proposition.baseline.as_of),
            target=proposition.target_value,
            op=proposition.target.op,
            stated_on=proposition.stated_on,
            deadline=proposition.deadline,
            deadline_period=period_of(proposition.deadline, metric.period),
            partial=proposition.partial,
        )

    def progress(self, obs: Observation | None) -> float | None:
        """Share of the way from baseline to target; only for a period ending after the baseline's."""
        if obs is None or obs.as_of.end <= self.base_end:
            return None
        return (float(obs.value) - self.base_value) / (self.target - self.base_value)

    def meets(self, obs: Observation) -> bool:
        return meets_target(float(obs.value), self.op, self.target)

    def settles_partly(self, obs: Observation) -> bool:
        progress = self.progress(obs)
        return progress is not None and progress >= self.partial


def _materialised_on(series: _Series, terms: _TargetTerms, count: int) -> date | None:
    """The earliest day a value in a period ending from stated_on to the deadline met the target."""
    best: date | None = None
    for index in range(count - 1, -1, -1):
        period = series.periods[index]
        if period.end < terms.stated_on:
            break
        if terms.meets(series.winners[index]):
            known = series.first_known(index, terms.meets)
            if best is None or known < best:
                best = known
    return best


def _resolve_target(
    proposition: Proposition, terms: _TargetTerms, shown: _Series, decisive: _Series, as_of: date
) -> tuple[Status, Observation | None, float | None, date | None]:
    """Status, latest observation, progress and resolved_on of a target from its series."""
    count = decisive.upto(terms.deadline)
    latest = decisive.winners[count - 1] if count else None
    materialised = _materialised_on(decisive, terms, count)
    if materialised is not None:
        return Status.MATERIALISED, latest, terms.progress(latest), materialised
    passed = as_of > terms.deadline
    if passed and latest is not None and latest.as_of == terms.deadline_period:
        partly = terms.settles_partly(latest)
        known = decisive.first_known(count - 1, lambda obs: terms.settles_partly(obs) == partly)
        return (Status.PARTLY if partly else Status.NOT_MATERIALISED), latest, terms.progress(latest), max(known, terms.deadline + _ONE_DAY)
    count = shown.upto(terms.deadline)
    latest = shown.winners[count - 1] if count else None
    progress = terms.progress(latest)
    if passed:
        return Status.OVERDUE, latest, progress, None
    if progress is None:
        return Status.NO_DATA, latest, None, None
    expected = expected_progress(proposition, as_of)
    return (Status.ON_TRACK if progress >= expected - ON_TRACK_SLACK else Status.BEHIND), latest, progress, None


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


def _resolve_event(
    proposition: Proposition, shown: _Series, decisive: _Series, as_of: date
) -> tuple[Status, Observation | None, str | None, date | None]:
    """Status, evidence observation, best evidence and resolved_on of an event."""
    deadline = proposition.deadline
    count = decisive.upto(deadline)
    best, evidence = _strongest(decisive, count)
    if best == "yes":
        return Status.MATERIALISED, evidence, best, _event_known_on(decisive, count, "yes")
    shown_best, shown_evidence = _strongest(shown, shown.upto(deadline))
    if as_of <= deadline:
        status = Status.IN_PROGRESS if shown_best in ("yes", "partly") else Status.OPEN
        return status, shown_evidence, shown_best, None
    after = deadline + _ONE_DAY
    if best == "partly":
        return Status.PARTLY, evidence, best, max(after, _event_known_on(decisive, count, "partly"))
    if shown_best is not None and _EVENT_STRENGTH[shown_best] > _EVENT_STRENGTH.get(best or "no", 0):
        return Status.OVERDUE, shown_evidence, shown_best, None
    return Status.NOT_MATERIALISED, evidence, best, after


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
    best: str | None = None
    if terms is not None:
        status, latest, progress, resolved_on = _resolve_target(proposition, terms, shown, decisive, as_of)
        expected: float | None = expected_progress(proposition, as_of)
    else:
        status, latest, best, resolved_on = _resolve_event(proposition, shown, decisive, as_of)
        progress = expected = None
    ruling = ruling_in_force(rulings, as_of)
    if ruling is not None:
        status = Status(ruling.status)
        resolved_on = ruling.made_on if status in FINAL else None
    return Resolution(
        proposition=proposition.id,
        kind=proposition.kind,
        status=status,
        progress=progress,
        expected_progress=expected,
        latest=latest,
        best_evidence=best,
        ruling=ruling,
        final=status in FINAL,
        resolved_on=resolved_on,
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
    """The status of a proposition as of the end of day `as_of` (SPEC §4).

    `observations` are those of the proposition's metric (a target) or of the proposition
    itself (an event), in any order; those not yet known at `as_of` are ignored.
    """
    observations = list(observations)
    shown, decisive = _series_pair(observations, as_of, _threshold(proposition, min_grade))
    terms = _terms(proposition, metric)
    return _resolve_from(proposition, terms, shown, decisive, rulings, as_of)


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
        results[prop_id] = _resolve_from(proposition, terms, shown, decisive, rulings, as_of)
    return results


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
    return not any(o.as_of.end <= as_of and o.recorded_at < after and o.as_of.start <= deadline for o in observations)


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
        if obs.as_of.start <= proposition.deadline:  # later periods never change the status
            add(_known_on(obs), describe_observation(obs))
    for ruling in sorted(rulings, key=_ruling_key):
        add(ruling.made_on, f"ruling: {ruling.status} — {ruling.why}")
    add(proposition.deadline + _ONE_DAY, "deadline passed")
    return causes


def describe_observation(obs: Observation) -> str:
    """`observation 2025: 497 (source)`: how an observation is named in a history."""
    value = obs.value
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() else repr(value)
    else:
        text = str(value)
    source = f" ({obs.source})" if obs.source else ""
    grade = f" [{obs.grade}]" if obs.grade else ""
    return f"observation {obs.as_of.label}: {text}{source}{grade}"


def _falls_behind_on(proposition: Proposition, resolution: Resolution, day: date) -> date | None:
    """For an on-track target, the first day it would be behind if nothing else happened.

    Behind once expected progress exceeds progress + slack, i.e. once
    (T − baseline end) > (progress + slack) · (deadline − baseline end).
    """
    if resolution.status != Status.ON_TRACK or resolution.progress is None or resolution.ruling is not None:
        return None
    assert proposition.baseline is not None
    base_end = _period_end(proposition.baseline.as_of)
    span = (proposition.deadline - base_end).days
    threshold = (resolution.progress + ON_TRACK_SLACK) * span
    if span <= 0 or threshold >= span:
        return None
    # max(): should rounding leave the computed day still on track, try the next one.
    crossing = max(base_end + timedelta(days=math.floor(threshold) + 1), day + _ONE_DAY)
    return crossing if crossing <= proposition.deadline else None
