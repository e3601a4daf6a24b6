"""What is due: propositions past their deadline without a final status, and those due soon.

Each overdue one comes with what would settle it, as the exact commands to run: for an event,
a `no` checked after the deadline, a `yes` or `partly` from on or before it, or a ruling; for a
target, the deadline period's full figure (its projection from a partial figure, if one stands
in, is shown beside it) or a ruling.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from datetime import date, timedelta

from tracker.app.logs import collector_paused, relevant_logs, resolutions
from tracker.app.session import Session
from tracker.core.logs import Logs, logs_as_of
from tracker.core.models import Proposition
from tracker.core.periods import Period, period_of
from tracker.core.resolve import Resolution
from tracker.core.results import DueList, DueRow, SettleStep, latest_of, projection_of
from tracker.errors import InputError

_WITHIN = re.compile(r"^\s*(\d+)\s*([dwmy]?)\s*$", re.IGNORECASE)


def horizon(within: str, as_of: date) -> date:
    """The last day `within` reaches from `as_of`: `30d`, `6w`, `3m`, `1y`, or a bare number of days.

    Months and years count on the calendar (3m from 30 November is 28 February).
    """
    match = _WITHIN.match(within or "")
    if not match:
        raise InputError(f"{within!r} is not a span like 30d, 6w, 3m or 1y", argument="within")
    count, unit = int(match.group(1)), (match.group(2) or "d").lower()
    try:
        if unit in ("d", "w"):
            return as_of + timedelta(days=count * (7 if unit == "w" else 1))
        year, month = divmod(as_of.month - 1 + count * (12 if unit == "y" else 1), 12)
        year += as_of.year
        return date(year, month + 1, min(as_of.day, calendar.monthrange(year, month + 1)[1]))
    except (OverflowError, ValueError):
        raise InputError(f"{within} reaches past the year 9999", argument="within") from None


def due(session: Session, as_of: date, until: date) -> DueList:
    """Propositions past their deadline without a final status, and those due by `until`."""
    with collector_paused():
        return due_from(session, logs_as_of(relevant_logs(session, as_of), as_of), as_of, until)


def due_from(session: Session, recorded: Logs, as_of: date, until: date) -> DueList:
    """The due list from the logs that count as of T (`logs_as_of`)."""
    resolved = resolutions(session, as_of, recorded)
    forecast_counts = Counter(f.proposition for f in recorded.forecasts)
    overdue: list[DueRow] = []
    soon: list[DueRow] = []
    for prop in session.workspace.propositions.values():
        resolution = resolved[prop.id]
        if resolution.final:
            continue
        if prop.deadline < as_of:
            overdue.append(_due_row(session, prop, resolution, as_of, forecast_counts[prop.id], settle(session, prop, as_of)))
        elif prop.deadline <= until:
            soon.append(_due_row(session, prop, resolution, as_of, forecast_counts[prop.id], []))
    return {"as_of": as_of.isoformat(), "until": until.isoformat(),
            "overdue": sorted(overdue, key=_order), "due_soon": sorted(soon, key=_order)}


def _order(row: DueRow) -> tuple[str, str]:
    return row["deadline"], row["id"]


def _due_row(session: Session, prop: Proposition, resolution: Resolution, as_of: date, forecasts: int,
             steps: list[SettleStep]) -> DueRow:
    return {
        "id": prop.id, "title": prop.title, "kind": prop.kind, "status": resolution.status,
        "deadline": prop.deadline.isoformat(), "days": (prop.deadline - as_of).days, "stated_by": prop.stated_by,
        "unit": _unit(session, prop), "latest": latest_of(resolution.latest), "projection": projection_of(resolution.projected), "forecasts": forecasts,
        "needs": needs(session, prop), "settle": steps,
    }


def _unit(session: Session, prop: Proposition) -> str | None:
    metric = session.workspace.metrics.get(prop.metric) if prop.metric else None
    return metric.unit if metric is not None else None


def needs(session: Session, prop: Proposition) -> str:
    """What would settle a proposition, in a few words."""
    period = _deadline_period(session, prop)
    if period is not None:
        return f"the {period.label} figure of {prop.metric} (a full figure, not a partial one) or a ruling"
    return "a check after the deadline (no), evidence from on or before it (yes or partly), or a ruling"


def _deadline_period(session: Session, prop: Proposition) -> Period | None:
    metric = session.workspace.metrics.get(prop.metric) if prop.kind == "target" and prop.metric else None
    return None if metric is None else period_of(prop.deadline, metric.period)


def settle(session: Session, prop: Proposition, as_of: date) -> list[SettleStep]:
    """The exact commands that would settle an overdue proposition, each with what it would record.

    An event needs a `no` whose period ends on or after its deadline (a check made after it: the
    report's own date is one), a `yes` or `partly` for a date on or before the deadline, or a
    ruling. A target needs its deadline period's full figure, or a ruling. Where a grade threshold
    applies, evidence below it settles nothing.
    """
    threshold = prop.min_grade or session.settings.min_grade
    grade = f" --grade {threshold}" if threshold else ""
    graded = f", graded {threshold} or better" if threshold else ""
    ruling: SettleStep = {"command": f'tracker resolve {prop.id} --status STATUS --why "…"',
              "says": "a ruling (STATUS: materialised, partly, not_materialised or annulled), with the reason"}
    period = _deadline_period(session, prop)
    if period is not None:
        return [{"command": f'tracker observe {prop.metric} VALUE --as-of {period.label} --source "…"{grade}',
                 "says": f"the full {period.label} figure of {prop.metric}, once published{graded}"}, ruling]
    deadline = prop.deadline.isoformat()
    return [
        {"command": f'tracker observe {prop.id} no --as-of {as_of.isoformat()} --source "where you looked…"{grade}',
         "says": f"checked after the deadline: it did not happen (name the sources searched and up to when{graded})"},
        {"command": f'tracker observe {prop.id} yes --as-of DATE --source "…"{grade}',
         "says": f"it happened: DATE is when, on or before {deadline}{graded}"},
        {"command": f'tracker observe {prop.id} partly --as-of DATE --source "…"{grade}',
         "says": f"it partly happened by {deadline}{graded}"},
        ruling,
    ]
