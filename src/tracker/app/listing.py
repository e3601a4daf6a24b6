"""`list`: the propositions with their status, progress, latest evidence and deadline, filtered."""

from __future__ import annotations

from collections import Counter
from datetime import date

from tracker.app.logs import collector_paused, relevant_logs, resolutions
from tracker.app.scorecard import proposition_row
from tracker.app.session import Session
from tracker.core.logs import logs_as_of
from tracker.core.results import PropositionRow
from tracker.core.status import ORDER
from tracker.errors import InputError


def propositions(session: Session, as_of: date, *, tag: str | None = None, status: str | None = None) -> list[PropositionRow]:
    """Every proposition (with this tag, with this status) as of the end of `as_of`, in id order."""
    if status is not None and status not in ORDER:
        raise InputError(f"{status!r} is not one of {', '.join(ORDER)}", argument="status")
    with collector_paused():
        recorded = logs_as_of(relevant_logs(session, as_of), as_of)
        resolved = resolutions(session, as_of, recorded)
    forecasts = Counter(f.proposition for f in recorded.forecasts)
    rows = []
    for prop in sorted(session.workspace.propositions.values(), key=lambda p: p.id):
        resolution = resolved[prop.id]
        if (tag is None or tag in prop.tags) and (status is None or resolution.status == status):
            rows.append(proposition_row(session, prop, resolution, forecasts[prop.id]))
    return rows
