"""Scores (docs/rules.md): how good forecasters' probabilities were, and how often speakers delivered.

Forecast scores compare a probability p with the outcome o of a resolved proposition: 1 when it
materialised, 0 when it did not, ½ when it partly did. Only materialised, partly and
not_materialised propositions are scored; annulled, overdue and unresolved ones never are.

Decisions this module settles (docs/rules.md explains them to analysts):

- A forecast counts from when it was logged: as of T it exists only if recorded by T. One made
  more than `grace_days` (7) before it was recorded is a retrodiction, and one recorded (or made)
  after its proposition's resolution date came too late: both are kept but never scored, and
  each forecaster's `retrodictions` counts them. Every other forecast on a scored proposition is
  scored (one Brier, log and baseline score each; a forecaster's score is their mean).
- Log and baseline scores treat p = 0 and p = 1 as 1e-6 and 1 − 1e-6, so a confident miss
  costs a large, finite penalty instead of infinity.
- The time-averaged Brier counts only days on which the forecaster had a forecast standing:
  days before their first forecast are excluded, not filled in.
- Track records use a 90% Jeffreys interval, with lower = 0 when k = 0 and upper = 1 when
  k = n.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from tracker.core.models import Actor, Proposition
from tracker.core.records import Forecast
from tracker.core.resolve import Resolution
from tracker.core.status import SCORED, Status

OUTCOMES: dict[str, float] = {Status.MATERIALISED: 1.0, Status.PARTLY: 0.5, Status.NOT_MATERIALISED: 0.0}
EPSILON = 1e-6  # log and baseline scores clip p to [EPSILON, 1 - EPSILON]
INTERVAL_LEVEL = 0.90
GRACE_DAYS = 7  # a forecast made more than this many days before it was recorded is a retrodiction
RETRODICTION = "retrodiction"
TOO_LATE = "recorded after the resolution"


def outcome_of(status: str) -> float | None:
    """1.0 materialised, 0.5 partly, 0.0 not_materialised; None for anything not scored."""
    return OUTCOMES.get(status)


def brier(p: float, outcome: float) -> float:
    """(p − o)²: 0 is perfect, 1 is the worst possible."""
    return (p - outcome) ** 2


def _clip(p: float) -> float:
    return min(1.0 - EPSILON, max(EPSILON, p))


def log_score(p: float, outcome: float) -> float:
    """−ln of the probability given to what happened (lower is better); partly: mean of both.

    Written as −(o·ln p + (1 − o)·ln(1 − p)), which is exactly that for o in {0, ½, 1}.
    """
    p = _clip(p)
    return -(outcome * math.log(p) + (1.0 - outcome) * math.log(1.0 - p))


def baseline_score(p: float, outcome: float) -> float:
    """Metaculus-style 100·(1 + log₂ of the probability given to what happened); partly: mean.

    0 for a coin-flip 50%, 100 for certainty that came true, negative below 50% on what happened.
    Higher is better.
    """
    p = _clip(p)
    return outcome * 100.0 * (1.0 + math.log2(p)) + (1.0 - outcome) * 100.0 * (1.0 + math.log2(1.0 - p))


# --- time-averaged Brier ---------------------------------------------------------------------


def _forecast_key(forecast: Forecast) -> tuple:
    return (forecast.made_on, forecast.recorded_at, forecast.id or 0)


def standing_forecasts(forecasts: Iterable[Forecast], opened_on: date, resolved_on: date) -> list[tuple[date, date, float]]:
    """The stretches (first day, last day, probability) over which each forecast stood.

    A forecast stands from its date (or the opening day, if made before) until the day before
    the next one, the last one until the resolution day inclusive. Of several forecasts on one
    day, the last recorded stands. Forecasts made after the resolution day are ignored.
    """
    by_day: dict[date, float] = {}
    for forecast in sorted(forecasts, key=_forecast_key):
        if forecast.made_on <= resolved_on:
            by_day[max(forecast.made_on, opened_on)] = forecast.probability
    days = sorted(by_day)
    stretches = []
    for index, day in enumerate(days):
        last = days[index + 1].toordinal() - 1 if index + 1 < len(days) else resolved_on.toordinal()
        stretches.append((day, date.fromordinal(last), by_day[day]))
    return stretches


def time_averaged_brier(
    forecasts: Iterable[Forecast], opened_on: date, resolved_on: date, outcome: float
) -> float | None:
    """Brier score averaged over the days the forecaster's forecasts stood (docs/rules.md).

    The proposition's open life runs from `opened_on` (stated_on) to `resolved_on`, both
    included. Days before the forecaster's first forecast are excluded. None when no forecast
    was made on or before the resolution day.
    """
    stretches = standing_forecasts(forecasts, opened_on, resolved_on)
    total_days = 0
    total = 0.0
    for first, last, p in stretches:
        days = (last - first).days + 1
        total_days += days
        total += days * brier(p, outcome)
    return total / total_days if total_days else None


# --- calibration -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CalibrationBin:
    """Forecasts whose probability lies in [lower, upper) (the last bin includes 1)."""

    lower: float
    upper: float
    n: int
    mean_forecast: float | None
    observed_frequency: float | None


def _bin_index(p: float, bins: int) -> int:
    # round() first, so 0.3 lands in [0.3, 0.4) despite 0.3 * 10 = 3.0000000000000004 noise either way
    return min(bins - 1, max(0, math.floor(round(p * bins, 9))))


def calibration(pairs: Iterable[tuple[float, float]], bins: int = 10) -> list[CalibrationBin]:
    """Every bin of equal width, with how many forecasts fell in it and how often they came true.

    `pairs` are (probability, outcome); a partly outcome counts as ½. Empty bins are listed with
    n = 0 and None for their means, so charts keep a fixed axis.
    """
    counts = [0] * bins
    forecast_sums = [0.0] * bins
    outcome_sums = [0.0] * bins
    for p, outcome in pairs:
        index = _bin_index(p, bins)
        counts[index] += 1
        forecast_sums[index] += p
        outcome_sums[index] += outcome
    return [
        CalibrationBin(
            lower=index / bins,
            upper=(index + 1) / bins,
            n=counts[index],
            mean_forecast=forecast_sums[index] / counts[index] if counts[index] else None,
            observed_frequency=outcome_sums[index] / counts[index] if counts[index] else None,
        )
        for index in range(bins)
    ]


# --- forecasters -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ForecasterScore:
    """A forecaster's mean scores over their scored forecasts (n) on `propositions` propositions.

    With no scored forecast (n = 0) the scores are None; `retrodictions` counts the forecasts
    left unscored because they were logged too late (see `unscored_reason`).
    """

    forecaster: str
    n: int
    brier: float | None
    log: float | None
    baseline: float | None
    time_averaged_brier: float | None
    propositions: int = 0
    retrodictions: int = 0


def is_retrodiction(forecast: Forecast, grace_days: int = GRACE_DAYS) -> bool:
    """Whether the forecast was made more than `grace_days` before it was recorded."""
    return (forecast.recorded_at.date() - forecast.made_on).days > grace_days


def exists_as_of(forecast: Forecast, as_of: date | None) -> bool:
    """Whether the forecast had been recorded by the end of day `as_of` (None: any day)."""
    return as_of is None or forecast.recorded_at.date() <= as_of


def unscored_reason(forecast: Forecast, resolution: Resolution | None, grace_days: int = GRACE_DAYS) -> str | None:
    """Why a forecast is never scored though it exists: a retrodiction, or logged after the outcome; else None."""
    if is_retrodiction(forecast, grace_days):
        return RETRODICTION
    resolved_on = resolution.resolved_on if resolution is not None and resolution.status in SCORED else None
    if resolved_on is not None and (forecast.recorded_at.date() > resolved_on or forecast.made_on > resolved_on):
        return TOO_LATE
    return None


def scored_forecasts(
    forecasts: Iterable[Forecast], resolutions: Mapping[str, Resolution], *, as_of: date | None = None,
    grace_days: int = GRACE_DAYS,
) -> list[tuple[Forecast, Resolution, float]]:
    """The forecasts that are scored, each with its proposition's resolution and outcome.

    A forecast is scored when it exists as of T (recorded by then), its proposition materialised,
    partly or not, and it was neither a retrodiction nor recorded (or made) after the
    resolution date.
    """
    scored = []
    for forecast in forecasts:
        resolution = resolutions.get(forecast.proposition)
        if resolution is None or not exists_as_of(forecast, as_of):
            continue
        outcome = outcome_of(resolution.status)
        if outcome is None or unscored_reason(forecast, resolution, grace_days) is not None:
            continue
        scored.append((forecast, resolution, outcome))
    return scored


def retrodictions(
    forecasts: Iterable[Forecast], resolutions: Mapping[str, Resolution], *, as_of: date | None = None,
    grace_days: int = GRACE_DAYS,
) -> dict[str, int]:
    """Per forecaster, how many of their forecasts existing as of T are never scored for being logged late."""
    counts: dict[str, int] = defaultdict(int)
    for forecast in forecasts:
        if exists_as_of(forecast, as_of) and unscored_reason(forecast, resolutions.get(forecast.proposition), grace_days):
            counts[forecast.forecaster] += 1
    return dict(counts)


def calibration_pairs(
    forecasts: Iterable[Forecast], resolutions: Mapping[str, Resolution], *, as_of: date | None = None,
    grace_days: int = GRACE_DAYS,
) -> list[tuple[float, float]]:
    """(probability, outcome) of every scored forecast, ready for `calibration`."""
    scored = scored_forecasts(forecasts, resolutions, as_of=as_of, grace_days=grace_days)
    return [(forecast.probability, outcome) for forecast, _, outcome in scored]


def forecaster_scores(
    forecasts: Iterable[Forecast],
    resolutions: Mapping[str, Resolution],
    propositions: Mapping[str, Proposition],
    *,
    as_of: date | None = None,
    grace_days: int = GRACE_DAYS,
    with_unscored: bool = False,
) -> list[ForecasterScore]:
    """Each forecaster's mean Brier, log and baseline scores, mean time-averaged Brier, and retrodictions.

    The time-averaged Brier is computed per proposition and then averaged over propositions, so
    each proposition weighs the same whatever the number of updates. With `with_unscored`, a
    forecaster whose forecasts were all left unscored for being logged late is listed too, with
    n = 0 and no scores (the scorecard's rule; off by default for callers that expect scores).
    Sorted by forecaster.
    """
    forecasts = list(forecasts)
    grouped: dict[str, dict[str, list[Forecast]]] = defaultdict(lambda: defaultdict(list))
    outcomes: dict[str, float] = {}
    for forecast, _, outcome in scored_forecasts(forecasts, resolutions, as_of=as_of, grace_days=grace_days):
        grouped[forecast.forecaster][forecast.proposition].append(forecast)
        outcomes[forecast.proposition] = outcome
    late = retrodictions(forecasts, resolutions, as_of=as_of, grace_days=grace_days)
    return [
        _score_forecaster(name, grouped[name], outcomes, resolutions, propositions, late.get(name, 0))
        if name in grouped else ForecasterScore(name, 0, None, None, None, None, 0, late[name])
        for name in sorted(set(grouped) | (set(late) if with_unscored else set()))
    ]


def _score_forecaster(
    name: str,
    by_proposition: Mapping[str, list[Forecast]],
    outcomes: Mapping[str, float],
    resolutions: Mapping[str, Resolution],
    propositions: Mapping[str, Proposition],
    late: int = 0,
) -> ForecasterScore:
    pairs = [(f.probability, outcomes[prop]) for prop, fs in by_proposition.items() for f in fs]
    averaged = [
        _time_averaged(fs, outcomes[prop], resolutions[prop], propositions.get(prop))
        for prop, fs in by_proposition.items()
    ]
    standing = [value for value in averaged if value is not None]
    return ForecasterScore(
        forecaster=name,
        n=len(pairs),
        brier=_mean(brier(p, o) for p, o in pairs),
        log=_mean(log_score(p, o) for p, o in pairs),
        baseline=_mean(baseline_score(p, o) for p, o in pairs),
        time_averaged_brier=_mean(standing) if standing else None,
        propositions=len(by_proposition),
        retrodictions=late,
    )


def _time_averaged(
    forecasts: Sequence[Forecast], outcome: float, resolution: Resolution, proposition: Proposition | None
) -> float | None:
    last_forecast = max(f.made_on for f in forecasts)
    resolved_on = resolution.resolved_on or last_forecast
    opened_on = proposition.stated_on if proposition is not None else min(f.made_on for f in forecasts)
    return time_averaged_brier(forecasts, min(opened_on, resolved_on), resolved_on, outcome)


def _mean(values: Iterable[float]) -> float:
    items = list(values)
    return sum(items) / len(items)


# --- track records ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TrackRecord:
    """How often statements by one actor (role, country, tag) came true."""

    key: str
    resolved: int
    materialised: int
    partly: int
    not_materialised: int
    rate: float
    interval: tuple[float, float]


def jeffreys_interval(k: float, n: int, level: float = INTERVAL_LEVEL) -> tuple[float, float]:
    """The Jeffreys interval for k successes in n trials: quantiles of Beta(k + ½, n − k + ½).

    k may be fractional (partly counts ½). By convention lower = 0 when k = 0 and upper = 1
    when k = n, where the equal-tailed quantile would exclude the observed extreme.
    """
    if n <= 0:
        return (0.0, 1.0)
    tail = (1.0 - level) / 2.0
    lower = 0.0 if k <= 0 else beta_quantile(tail, k + 0.5, n - k + 0.5)
    upper = 1.0 if k >= n else beta_quantile(1.0 - tail, k + 0.5, n - k + 0.5)
    return (lower, upper)


# The Beta distribution in pure Python: importing scipy.stats for two quantiles cost about
# 2 s of every scorecard's start-up (scipy.special alone over 0.6 s). These agree with
# scipy.stats.beta.ppf to about 1e-13 (tests/test_scores.py compares them over a grid).


def beta_cdf(x: float, a: float, b: float) -> float:
    """The regularised incomplete beta function I_x(a, b), the CDF of Beta(a, b) at x."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(_log_beta_density_front(x, a, b))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_fraction(x, a, b) / a
    return 1.0 - front * _beta_fraction(1.0 - x, b, a) / b


def _log_beta_density_front(x: float, a: float, b: float) -> float:
    """log(x^a (1 − x)^b / B(a, b))."""
    return math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)


def _beta_fraction(x: float, a: float, b: float) -> float:
    """The continued fraction of I_x(a, b) (modified Lentz), converging fast for x < (a + 1)/(a + b + 2)."""
    tiny, eps = 1e-300, 1e-16
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 100_000):
        for numerator in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                          -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= c * d
        if abs(c * d - 1.0) < eps:
            break
    return result


def beta_quantile(q: float, a: float, b: float) -> float:
    """The x with I_x(a, b) = q: Newton steps on the CDF, kept inside a shrinking bracket."""
    if q <= 0.0:
        return 0.0
    if q >= 1.0:
        return 1.0
    low, high = 0.0, 1.0
    x = a / (a + b)
    log_norm = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
    for _ in range(200):
        error = beta_cdf(x, a, b) - q
        if error == 0.0:
            return x
        if error < 0.0:
            low = x
        else:
            high = x
        density = math.exp(log_norm + (a - 1.0) * math.log(x) + (b - 1.0) * math.log1p(-x))
        step = x - error / density if density > 0.0 else low - 1.0
        if not low < step < high:
            step = (low + high) / 2.0
        if abs(step - x) <= 1e-15 * x or high - low <= 1e-300:
            return step
        x = step
    return x


def _keys(proposition: Proposition, actors: Mapping[str, Actor], by: str) -> list[str]:
    """The groups a proposition belongs to: its speaker, their role or country, or its tags."""
    if by == "actor":
        return [proposition.stated_by]
    if by == "tag":
        return list(dict.fromkeys(proposition.tags))
    actor = actors.get(proposition.stated_by)
    if by == "role":
        return [actor.role if actor is not None else "unknown"]
    if by == "country":
        return [(actor.country or "unknown") if actor is not None else "unknown"]
    raise ValueError(f"track records are by actor, role, country or tag, not {by!r}")


def track_records(
    resolutions: Mapping[str, Resolution],
    propositions: Mapping[str, Proposition],
    actors: Mapping[str, Actor],
    by: str = "actor",
) -> list[TrackRecord]:
    """Per group, the resolved propositions, how many of each outcome, the rate and its interval.

    Only groups with at least one resolved proposition appear, sorted by key. A proposition
    counts under each of its tags; an actor without a country (or not found) is `unknown`.
    """
    tallies: dict[str, dict[str, int]] = defaultdict(lambda: {s: 0 for s in OUTCOMES})
    for prop_id, resolution in resolutions.items():
        proposition = propositions.get(prop_id)
        if proposition is None or resolution.status not in OUTCOMES:
            continue
        for key in _keys(proposition, actors, by):
            tallies[key][resolution.status] += 1
    return [_track_record(key, tallies[key]) for key in sorted(tallies)]


def _track_record(key: str, tally: Mapping[str, int]) -> TrackRecord:
    resolved = sum(tally.values())
    k = tally[Status.MATERIALISED] + 0.5 * tally[Status.PARTLY]
    return TrackRecord(
        key=key,
        resolved=resolved,
        materialised=tally[Status.MATERIALISED],
        partly=tally[Status.PARTLY],
        not_materialised=tally[Status.NOT_MATERIALISED],
        rate=k / resolved,
        interval=jeffreys_interval(k, resolved),
    )
