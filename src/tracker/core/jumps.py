"""Implausible jumps: a figure more than ten times, or under a tenth of, its metric's nearest known one.

A mistyped digit (5600 for 560) or a value in the wrong unit (thousands for millions) shows up
as such a jump. It is not refused, only pointed out: logging warns on standard error, and
validating definition files lists the jumps as warnings. Only full figures are compared: a
partial one (`through`) is naturally smaller than its period's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tracker.core.periods import Period
from tracker.core.records import Observation
from tracker.core.values import jump


def nearest(period: Period, observations: Iterable[Observation]) -> Observation | None:
    """The full figure of another period whose end lies nearest this one's (ties: the earlier period)."""
    others = [obs for obs in observations if obs.through is None and obs.as_of != period and isinstance(obs.value, float)]
    if not others:
        return None
    return min(others, key=lambda obs: (abs((obs.as_of.end - period.end).days), obs.as_of.end))


def jump_warning(value: float, period: Period, observations: Iterable[Observation]) -> str | None:
    """The warning for a new full figure of `period`, against the metric's observations already known."""
    neighbour = nearest(period, observations)
    return None if neighbour is None else jump(value, float(neighbour.value), neighbour.as_of.label)


def jump_warnings(observations: Sequence[Observation]) -> list[tuple[Observation, str]]:
    """Every full figure that jumps against the nearest other period of the same target, with its warning."""
    by_target: dict[str, list[Observation]] = {}
    for obs in observations:
        by_target.setdefault(obs.target, []).append(obs)
    found = []
    for obs in observations:
        if obs.through is not None or not isinstance(obs.value, float):
            continue
        warning = jump_warning(obs.value, obs.as_of, by_target[obs.target])
        if warning is not None:
            found.append((obs, warning))
    return found
