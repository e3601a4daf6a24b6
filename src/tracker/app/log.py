"""Logging what the world answers: one observation, forecast or ruling at a time.

Values arrive typed or as the text the command line accepts; each is checked here and a bad
one raises `InputError` naming its argument (`as_of`, `grade`...). Nothing is written unless
every value is good.
"""

from __future__ import annotations

import math
from datetime import date

from tracker.app.session import Session, now, observation_target, proposition
from tracker.core.models import GRADE_PATTERN, Metric, Proposition
from tracker.core.periods import Period, PeriodError, parse_date, parse_period
from tracker.core.records import EVENT_VALUES, Forecast, Observation, Ruling
from tracker.core.status import RULING_STATUSES
from tracker.errors import InputError


def observe(session: Session, target: str, value: str | float, as_of: str | int | date | Period, source: str, *,
            grade: str | None = None, note: str | None = None, by: str | None = None) -> Observation:
    """Log one observation on a metric or an event proposition."""
    session.store.require_durable()
    found = observation_target(session, target)
    parsed = parse_value(found, value)
    period = period_argument(as_of, "as_of")
    if isinstance(found, Metric) and period.kind != found.period:
        raise InputError(f"{period.label} is a {period.kind}, but {found.id} is measured by {found.period}", argument="as_of")
    if not source.strip():
        raise InputError("say where the figure comes from", argument="source")
    observation = Observation(target=target, as_of=period, value=parsed, recorded_at=now(), source=source.strip(),
                              grade=check_grade(grade), note=note, recorded_by=session.recorder(by))
    session.store.add_observations([observation])
    return observation


def forecast(session: Session, proposition_id: str, probability: str | float, *, by: str | None = None,
             on: str | date | None = None) -> Forecast:
    """Log a probability that a proposition materialises by its deadline."""
    session.store.require_durable()
    proposition(session, proposition_id)
    p = parse_probability(probability)
    if by is not None and not by.strip():
        raise InputError("name the forecaster", argument="by")
    forecaster = session.recorder(by)
    record = Forecast(proposition=proposition_id, probability=p, forecaster=forecaster,
                      made_on=date_argument(on, "on"), recorded_at=now(), recorded_by=session.user)
    session.store.add_forecasts([record])
    return record


def rule(session: Session, proposition_id: str, status: str, why: str, *, on: str | date | None = None,
         by: str | None = None) -> Ruling:
    """Log a manual ruling, in force from its date on."""
    session.store.require_durable()
    proposition(session, proposition_id)
    if status not in RULING_STATUSES:
        raise InputError(f"{status!r} is not one of {', '.join(RULING_STATUSES)}", argument="status")
    if not why.strip():
        raise InputError("give the reason for the ruling", argument="why")
    record = Ruling(proposition=proposition_id, status=status, why=why.strip(), made_on=date_argument(on, "on"),
                    recorded_at=now(), recorded_by=session.recorder(by))
    session.store.add_rulings([record])
    return record


# Values ---------------------------------------------------------------------------------------


def parse_value(target: Metric | Proposition, value: str | float) -> float | str:
    """A metric takes a finite number; an event takes yes, partly or no."""
    if isinstance(target, Metric):
        return _number(target, value)
    word = str(value).strip().lower()
    if word not in EVENT_VALUES:
        raise InputError(f"an event takes yes, partly or no, got {value!r}", argument="value")
    return word


def _number(metric: Metric, value: str | float) -> float:
    if isinstance(value, bool):
        raise InputError(f"{value!r} is not a number ({metric.id} is measured in {metric.unit})", argument="value")
    try:
        number = float(value) if isinstance(value, (int, float)) else float(value.replace(",", "").replace("_", ""))
    except ValueError:
        raise InputError(f"{value!r} is not a number ({metric.id} is measured in {metric.unit})", argument="value") from None
    if not math.isfinite(number):
        raise InputError(f"{value!r} is not a finite number", argument="value")
    return number


def parse_probability(probability: str | float) -> float:
    """0.7 or `70%`, within [0, 1]."""
    text = str(probability).strip()
    try:
        p = float(probability) if isinstance(probability, (int, float)) else float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    except ValueError:
        raise InputError(f"{probability!r} is not a number between 0 and 1", argument="probability") from None
    if not (0.0 <= p <= 1.0):
        raise InputError(f"{probability} is outside [0, 1]", argument="probability")
    return p


def check_grade(grade: str | None, argument: str = "grade") -> str | None:
    """An Admiralty grade such as B2 (reliability A-F, credibility 1-6), or None."""
    if grade is None:
        return None
    if not GRADE_PATTERN.match(grade.strip().upper()):
        raise InputError(f"{grade!r} is not an Admiralty grade like B2 (reliability A-F, credibility 1-6)", argument=argument)
    return grade.strip().upper()


def period_argument(value: str | int | date | Period, argument: str) -> Period:
    """A period (`2024`, `2024-Q2`, `2024-05`, `2024-05-16`) given as an argument."""
    try:
        return parse_period(value)
    except PeriodError as exc:
        raise InputError(str(exc), argument=argument) from None


def date_argument(value: str | date | None, argument: str, default: date | None = None) -> date:
    """A date given as an argument, or the default (today)."""
    if value is None:
        return default or date.today()
    try:
        return parse_date(value)
    except PeriodError as exc:
        raise InputError(str(exc), argument=argument) from None
