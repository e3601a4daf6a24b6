"""What the use cases hand the renderers: the scorecard, a proposition row, one proposition's detail,
scenario entries, the due list and the dashboard's data.

Typed dictionaries rather than classes: they are the JSON the command line prints
(`scorecard --format json` byte for byte), so serialising one is `json.dumps`, and a renderer
reads `row["status"]` knowing the key is there. Numbers are plain floats rounded for display
(4 decimals), dates ISO text.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict


class Latest(TypedDict):
    value: float | str
    as_of: str
    source: str | None
    grade: str | None


class RulingInForce(TypedDict):
    status: str
    why: str
    made_on: str


class PropositionRow(TypedDict):
    """One proposition as the scorecard, the list and the dashboard's overview show it."""

    id: str
    title: str
    kind: str
    status: str
    progress: float | None
    expected_progress: float | None
    deadline: str
    stated_by: str
    speaker: str
    role: str | None
    country: str | None
    stated_on: str
    source: str
    tags: list[str]
    metric: str | None
    unit: str | None
    baseline: dict[str, Any] | None
    target: dict[str, Any] | None
    latest: Latest | None
    projected: float | None  # a target's period figure projected from a partial one (docs/rules.md)
    best_evidence: str | None
    resolved_on: str | None
    ruling: RulingInForce | None
    forecasts: int


class TrackRecordRow(TypedDict):
    """A speaker's (or a role's, country's, tag's) resolved propositions and rate."""

    actor: NotRequired[str]
    role: NotRequired[str]
    country: NotRequired[str]
    tag: NotRequired[str]
    name: NotRequired[str]
    resolved: int
    materialised: int
    partly: int
    not_materialised: int
    rate: float | None
    interval: list[float | None]


class ForecasterRow(TypedDict):
    forecaster: str
    n: int
    propositions: int
    brier: float | None
    log: float | None
    baseline: float | None
    time_averaged_brier: float | None
    retrodictions: int  # forecasts left unscored: logged more than the grace period late, or after the resolution


class CalibrationBin(TypedDict):
    lower: float | None
    upper: float | None
    n: int
    mean_forecast: float | None
    observed_frequency: float | None


class ScenarioEntry(TypedDict):
    """One scenario set as of a day: weights, their history, indicators and what to watch."""

    id: str
    title: str
    as_of: str
    note: str | None
    weights: dict[str, float | None]
    leading: str
    scenarios: list[dict[str, Any]]
    history: list[dict[str, Any]]
    indicators: list[dict[str, Any]]
    watch: list[str]
    inconsistency: dict[str, Any] | None


# A status move after an earlier date; functional form because one key is `from`.
StatusMove = TypedDict("StatusMove", {"id": str, "title": str, "from": str, "to": str, "on": str, "cause": str})


class Changes(TypedDict):
    """What changed after an earlier date (`scorecard --since`)."""

    since: str
    status_changes: list[StatusMove]
    new_observations: list[dict[str, Any]]
    newly_resolved: list[dict[str, Any]]


class Scorecard(TypedDict):
    """The scorecard as of a day (the JSON of `tracker scorecard --format json`)."""

    as_of: str
    propositions: list[PropositionRow]
    summary: dict[str, int]
    track_records: list[TrackRecordRow]
    track_records_by: dict[str, list[TrackRecordRow]]
    forecasters: list[ForecasterRow]
    calibration: list[CalibrationBin]
    scenarios: list[ScenarioEntry]
    changes: NotRequired[Changes]


class ObservationView(TypedDict):
    id: int | None
    as_of: str
    value: float | str
    source: str | None
    grade: str | None
    note: str | None
    recorded_by: str | None
    recorded_at: str
    origin: str
    superseded: bool


LoggedRecord = dict[str, Any]  # a forecast or ruling's fields, dates as ISO text


class HistoryStep(TypedDict):
    on: str
    status: str
    cause: str


class Detail(TypedDict):
    """One proposition in full, as `show`, `chart` and a dashboard page read it."""

    as_of: str
    proposition: dict[str, Any]
    source: dict[str, Any] | None
    stated_by: dict[str, Any] | None
    metric: dict[str, Any] | None
    status: str
    progress: float | None
    expected_progress: float | None
    best_evidence: str | None
    observations: list[ObservationView]
    forecasts: list[LoggedRecord]
    rulings: list[LoggedRecord]
    history: list[HistoryStep]
    observations_omitted: NotRequired[int]


class DueRow(TypedDict):
    id: str
    title: str
    kind: str
    status: str
    deadline: str
    days: int
    stated_by: str
    latest: Latest | None
    forecasts: int
    needs: str


class DueList(TypedDict):
    as_of: str
    until: str
    overdue: list[DueRow]
    due_soon: list[DueRow]


class Site(TypedDict):
    """The dashboard's data: the scorecard and every proposition's detail."""

    as_of: str
    generated_at: str
    scorecard: Scorecard
    details: dict[str, Detail]
