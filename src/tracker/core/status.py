"""The status vocabulary: what a proposition can be, as of a date, and the sets that matter.

A `Status` is a `StrEnum`, so it compares equal to, hashes like and serialises as its plain
string (`Status.OVERDUE == "overdue"`, `json.dumps` writes `"overdue"`): stored rows, JSON
scorecards and templates keep the words they always had.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """The status of a proposition as of a date (docs/rules.md says when each applies)."""

    MATERIALISED = "materialised"
    PARTLY = "partly"
    NOT_MATERIALISED = "not_materialised"
    ANNULLED = "annulled"
    OVERDUE = "overdue"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NO_DATA = "no_data"
    OPEN = "open"
    IN_PROGRESS = "in_progress"


ORDER: tuple[Status, ...] = tuple(Status)
"""Every status, in the order of the scorecard's summary."""

SCORED = frozenset({Status.MATERIALISED, Status.PARTLY, Status.NOT_MATERIALISED})
"""The outcomes that are scored and count in track records (never `overdue` or `annulled`)."""

FINAL = SCORED | {Status.ANNULLED}
"""Statuses that no later observation changes (only a ruling can)."""

RULING_STATUSES: tuple[Status, ...] = (Status.MATERIALISED, Status.PARTLY, Status.NOT_MATERIALISED, Status.ANNULLED)
"""What a manual ruling may say, in this order."""

LABELS: dict[Status, str] = {
    Status.MATERIALISED: "happened",
    Status.PARTLY: "partly happened",
    Status.NOT_MATERIALISED: "did not happen",
    Status.ANNULLED: "annulled: no longer meaningful to track",
    Status.OVERDUE: "deadline passed, not yet checked",
    Status.ON_TRACK: "on track",
    Status.BEHIND: "behind",
    Status.NO_DATA: "no figure yet since the baseline",
    Status.OPEN: "open",
    Status.IN_PROGRESS: "in progress",
}
"""Plain words for each status, for readers who do not know the identifiers."""
