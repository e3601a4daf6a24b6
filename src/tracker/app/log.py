"""Logging what the world answers: one observation, forecast, ruling or retraction at a time.

Values arrive typed or as the text the command line accepts, and are checked by the same field
checks an import row goes through (tracker.core.fields); a bad one raises `InputError` naming its
argument (`as_of`, `unit`...). Nothing is written unless every value is good. What is logged
comes back with its id (`o-…`, `f-…`, `r-…`, `x-…`), the one `retract` takes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from tracker.app.session import Session, now, observation_target, proposition
from tracker.core import fields
from tracker.core.ids import record_uid, retraction_key
from tracker.core.jumps import jump_warning
from tracker.core.models import Metric
from tracker.core.periods import Period
from tracker.core.records import Forecast, Observation, Retraction, Ruling, superseded_ids
from tracker.core.values import ValueProblem, parse_date, parse_probability
from tracker.errors import InputError, NotFound
from tracker.store.db import Found

Value = TypeVar("Value")


@dataclass(frozen=True)
class Logged:
    """An observation as logged, and the jump warning it raised (None if it did not)."""

    observation: Observation
    warning: str | None = None


@contextmanager
def argument(name: str) -> Iterator[None]:
    """Report a field check's problem under the argument that carried it."""
    try:
        yield
    except ValueProblem as exc:
        raise InputError(str(exc), argument=getattr(exc, "field", None) or name) from None


def checked(name: str, check: Callable[..., Value], *values: object) -> Value:
    """`check(*values)`, its problem reported under the argument `name`."""
    with argument(name):
        return check(*values)


def observe(session: Session, target: str, value: str | float, as_of: str | int | date | Period, source: str, *,
            grade: str | None = None, note: str | None = None, by: str | None = None, unit: str | None = None,
            through: str | int | date | Period | None = None) -> Logged:
    """Log one observation on a metric or an event proposition (a figure may come in a unit of its
    own, converted, and may cover the start of its period only: `through`)."""
    session.store.require_durable()
    found = observation_target(session, target)
    metric = found if isinstance(found, Metric) else None
    period = checked("as_of", fields.period, as_of, metric)
    if metric is None:
        said: float | str = checked("value", fields.event_value, value, unit, through)
        figure, part = fields.Figure(0.0), None
    else:
        figure = checked("value", fields.figure, value, unit, metric)
        said, part = figure.number, checked("through", fields.through, through, period, metric)
    observation = Observation(
        target=target, as_of=period, value=said, recorded_at=now(),
        source=checked("source", fields.required, source, "say where the figure comes from"),
        grade=checked("grade", fields.grade, grade), note=checked("note", fields.note, note),
        recorded_by=session.recorder(by), through=part, bound=figure.bound,
        written=fields.shown_written(figure.written, figure.unit))
    warning = _jump(session, observation) if metric is not None else None
    [stored] = session.store.add_observations([observation])
    return Logged(stored, warning)


def _jump(session: Session, observation: Observation) -> str | None:
    """The warning for a full figure more than ten times, or under a tenth of, the nearest other
    period's current value of its metric (withdrawn and revised values left out)."""
    if observation.through is not None or not isinstance(observation.value, float):
        return None
    known = session.store.observations([observation.target])
    withdrawn = {r.target_uid for r in session.store.retractions()}
    revised = superseded_ids(known)
    current = [o for o in known if o.id not in revised and o.uid not in withdrawn]
    return jump_warning(observation.value, observation.as_of, current)


def forecast(session: Session, proposition_id: str, probability: str | float, *, by: str | None = None,
             on: str | date | None = None, note: str | None = None) -> Forecast:
    """Log a probability that a proposition materialises by its deadline, made `on` a day (default today)
    no later than today and not before the proposition was stated."""
    session.store.require_durable()
    prop = proposition(session, proposition_id)
    p = checked("probability", parse_probability, probability)
    if by is not None and not by.strip():
        raise InputError("name the forecaster", argument="by")
    today = date.today()
    made_on = today if on is None else checked("on", fields.made_on, on, today, prop.stated_on, prop.id)
    record = Forecast(proposition=proposition_id, probability=p, forecaster=session.recorder(by), made_on=made_on,
                      recorded_at=now(), recorded_by=session.user, note=checked("note", fields.note, note))
    [stored] = session.store.add_forecasts([record])
    return stored


def rule(session: Session, proposition_id: str, status: str, why: str, *, on: str | date | None = None,
         by: str | None = None) -> Ruling:
    """Log a manual ruling, in force from its date on."""
    session.store.require_durable()
    proposition(session, proposition_id)
    record = Ruling(proposition=proposition_id, status=checked("status", fields.ruling_status, status),
                    why=checked("why", fields.required, why, "give the reason for the ruling"),
                    made_on=date.today() if on is None else checked("on", parse_date, on),
                    recorded_at=now(), recorded_by=session.recorder(by))
    [stored] = session.store.add_rulings([record])
    return stored


def retract(session: Session, record_id: str, why: str, *, by: str | None = None) -> Retraction:
    """Withdraw a logged observation or ruling: from now on it no longer counts (as of an earlier day it still does)."""
    session.store.require_durable()
    uid = checked("id", fields.required, record_id, "name the record to withdraw (its id, as `tracker show` lists it)")
    reason = checked("why", fields.required, why, "give the reason for withdrawing it")
    recorded_at = now()
    retraction = Retraction(record_uid("retraction", retraction_key(uid, reason), recorded_at), uid, reason, recorded_at,
                            session.recorder(by))
    session.store.withdraw(retraction, lambda found: _withdrawable(uid, found))
    return retraction


def _withdrawable(uid: str, found: Found | None) -> None:
    """Refuse to withdraw an unknown id, a record that cannot be withdrawn, or one already withdrawn."""
    if found is None:
        raise NotFound(fields.unknown_record(uid), argument="id")
    refused = fields.not_withdrawable(uid, found.kind)
    if refused is not None:
        raise InputError(refused, argument="id")
    if found.withdrawn is not None:
        raise InputError(fields.already_withdrawn(uid, found.withdrawn), argument="id")
