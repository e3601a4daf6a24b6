"""The status vocabulary: its order, its sets and its words."""

from __future__ import annotations

import json

from tracker.core import resolve
from tracker.core.status import FINAL, LABELS, ORDER, RULING_STATUSES, SCORED, Status


def test_order_is_the_scorecard_summary_order():
    assert [str(s) for s in ORDER] == [
        "materialised", "partly", "not_materialised", "annulled", "overdue",
        "on_track", "behind", "no_data", "open", "in_progress",
    ]


def test_a_status_is_its_string():
    assert Status.OVERDUE == "overdue" and {"overdue": 1}[Status.OVERDUE] == 1
    assert json.dumps({"status": Status.NOT_MATERIALISED}) == '{"status": "not_materialised"}'
    assert f"{Status.ON_TRACK}" == "on_track"


def test_sets():
    assert SCORED == {"materialised", "partly", "not_materialised"}
    assert FINAL == SCORED | {"annulled"}
    assert Status.OVERDUE not in FINAL and Status.OVERDUE not in SCORED
    assert [str(s) for s in RULING_STATUSES] == ["materialised", "partly", "not_materialised", "annulled"]


def test_every_status_has_words_and_silence_reads_differently_from_failure():
    assert set(LABELS) == set(Status)
    assert LABELS[Status.OVERDUE] == "deadline passed, not yet checked"
    assert LABELS[Status.NOT_MATERIALISED] == "did not happen"
    assert len(set(LABELS.values())) == len(LABELS)


def test_old_names_stay_importable_from_resolve():
    assert resolve.FINAL is FINAL
    assert tuple(resolve.STATUSES) == ORDER
    assert not hasattr(resolve, "SCORED")
