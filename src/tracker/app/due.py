"""What is due: propositions past their deadline without a final status, and those due soon,
each with what would settle it."""

from __future__ import annotations

import calendar
import re
from collections import Counter
from datetime import date, timedelta

from tracker.app.logs import collector_paused, relevant_logs, resolutions
from tracker.app.scorecard import latest
from tracker.app.session import Session
from tracker.core.logs import logs_as_of
from tracker.core.models import Proposition
from tracker.core.periods import period_of
from tracker.core.resolve import Resolution
from tracker.core.results import DueList, DueRow
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
        recorded = logs_as_of(relevant_logs(session, as_of), as_of)
        resolved = resolutions(session, as_of, recorded)
    forecast_counts = Counter(f.proposition for f in recorded.forecasts)
    overdue: list[DueRow] = []
    soon: list[DueRow] = []
    for prop in session.workspace.propositions.values():
        resolution = resolved[prop.id]
        if resolution.final:
            continue
        if prop.deadline < as_of:
            overdue.append(_due_row(session, prop, resolution, as_of, forecast_counts[prop.id]))
        elif prop.deadline <= until:
            soon.append(_due_row(session, prop, resolution, as_of, forecast_counts[prop.id]))
    return {"as_of": as_of.isoformat(), "until": until.isoformat(),
            "overdue": sorted(overdue, key=_order), "due_soon": sorted(soon, key=_order)}


def _order(row: DueRow) -> tuple[str, str]:
    return row["deadline"], row["id"]


def _due_row(session: Session, prop: Proposition, resolution: Resolution, as_of: date, forecasts: int) -> DueRow:
    return {
        "id": prop.id, "title": prop.title, "kind": prop.kind, "status": resolution.status,
        "deadline": prop.deadline.isoformat(), "days": (prop.deadline - as_of).days, "stated_by": prop.stated_by,
        "latest": latest(resolution.latest), "forecasts": forecasts, "needs": needs(session, prop),
    }


def needs(session: Session, prop: Proposition) -> str:
    """What would settle a proposition: the figure for the deadline's period, or evidence, or a ruling."""
    metrics = session.workspace.metrics
    if prop.kind == "target" and prop.metric in metrics:
        period = period_of(prop.deadline, metrics[prop.metric].period)
        return f"the {period.label} figure of {prop.metric} (tracker observe {prop.metric} VALUE --as-of {period.label}) or a ruling"
    return f"evidence (tracker observe {prop.id} yes|partly|no --as-of DATE) or a ruling"
