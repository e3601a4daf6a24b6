"""What the use cases hand the renderers: the scorecard, a proposition row, one proposition's detail,
scenario entries, the due list, the metrics and the dashboard's data.

Typed dictionaries rather than classes: they are the JSON the command line prints
(`scorecard --format json` byte for byte), so serialising one is `json.dumps`, and a renderer
reads `row["status"]` knowing the key is there. Every key is always present (a value may be
null), so no renderer guards a key with `.get(..., default)`. Numbers are plain floats rounded
for display (4 decimals), dates ISO text.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import NotRequired, TypedDict

from tracker.core.models import Proposition
from tracker.core.records import Observation, Retraction, Ruling
from tracker.core.resolve import Projection as Projected
from tracker.core.resolve import project

DIGITS = 4  # decimals of computed numbers in results

# --- pieces shared by several results ------------------------------------------------------------


class Latest(TypedDict):
    """The full-period figure (or event evidence) a status rests on."""

    value: float | str  # a bound's or range's representative number (docs/rules.md, section 9)
    as_of: str
    source: str | None
    grade: str | None
    written: str | None  # the value (and unit) as published, where it says more than `value`: `>400`, `1.5 USD billion`


class Projection(TypedDict):
    """A period's figure projected from a partial one (value × days in the period ÷ days covered)."""

    value: float  # the projection
    as_of: str  # the period projected
    through: str  # the partial figure covers the start of `as_of` to the end of this
    partial: float  # the partial figure itself
    written: str | None
    source: str | None


class Baseline(TypedDict):
    value: float
    as_of: str


class Target(TypedDict):
    """A target as readers need it: the value to reach, and the change it was written as, if any."""

    op: str
    value: float  # baseline × (1 + change) for a growth target
    change: float | None  # relative to the baseline (0.25: +25%; 0 with > or <: keeps growing or falling)


class RulingInForce(TypedDict):
    status: str
    why: str
    made_on: str


class Withdrawal(TypedDict):
    """A retraction: the record it names no longer counts from `recorded_at` on."""

    uid: str  # the retraction's own id
    why: str
    recorded_at: str
    recorded_by: str | None


# --- the scorecard --------------------------------------------------------------------------------


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
    baseline: Baseline | None
    target: Target | None
    latest: Latest | None
    projected: float | None  # a target's period figure projected from a partial one (docs/rules.md)
    projection: Projection | None  # the same, with the partial figure it comes from
    best_evidence: str | None
    resolved_on: str | None
    ruling: RulingInForce | None
    forecasts: int


class TrackRecordRow(TypedDict):
    """A speaker's (or a role's, country's, tag's) resolved propositions and rate.

    Exactly one of `actor`, `role`, `country` and `tag` is present: the grouping the row belongs to.
    """

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


class Unscored(TypedDict):
    """A forecaster's forecasts left unscored, by reason."""

    retrodiction: int  # made more than the grace period before they were logged
    after_resolution: int  # logged (or made) after the proposition's resolution date


class ForecasterRow(TypedDict):
    forecaster: str
    n: int
    propositions: int
    brier: float | None
    log: float | None
    baseline: float | None
    time_averaged_brier: float | None
    retrodictions: int  # forecasts left unscored: logged more than the grace period late, or after the resolution
    unscored: Unscored  # the same, by reason


class CalibrationBin(TypedDict):
    lower: float | None
    upper: float | None
    n: int
    mean_forecast: float | None
    observed_frequency: float | None


# --- scenarios ------------------------------------------------------------------------------------


class ScenarioView(TypedDict):
    id: str
    title: str
    description: str | None
    prior: float | None
    weight: float | None


class WeightEntry(TypedDict):
    """The weights right after one indicator resolved; `note` says why they did not move, if so."""

    on: str | None
    indicator: str
    title: str | None
    outcome: str
    basis: str | None
    weights: dict[str, float | None]
    shift: float | None
    note: str | None


class OutcomeLikelihoods(TypedDict):
    """P(outcome | scenario); `partly` is null under the short form (only P(yes) given)."""

    yes: float | None
    partly: float | None
    no: float | None


class IndicatorEntry(TypedDict):
    proposition: str
    title: str | None
    status: str | None
    resolved_on: str | None
    basis: str | None
    deadline: str | None
    likelihood: dict[str, float | None]  # P(yes | scenario), whichever form was written
    likelihoods: dict[str, OutcomeLikelihoods]  # per outcome
    per_outcome: bool  # every scenario gives yes, partly and no: a partly outcome moves the weights
    diagnosticity: float | None
    expected_shift: float | None
    p_materialise: float | None
    if_materialised: dict[str, float | None] | None
    if_partly: dict[str, float | None] | None
    if_not: dict[str, float | None] | None
    why: str | None


class Inconsistency(TypedDict):
    message: str
    indicator: str | None
    outcome: str | None
    on: str | None


class ScenarioEntry(TypedDict):
    """One scenario set as of a day: weights, their history, indicators and what to watch."""

    id: str
    title: str
    as_of: str
    note: str | None
    weights: dict[str, float | None]
    leading: str
    scenarios: list[ScenarioView]
    history: list[WeightEntry]
    indicators: list[IndicatorEntry]
    watch: list[str]
    inconsistency: Inconsistency | None


# --- what changed since an earlier date -----------------------------------------------------------

# A status move after an earlier date; functional form because one key is `from`.
StatusMove = TypedDict("StatusMove", {"id": str, "title": str, "from": str, "to": str, "on": str, "cause": str})


class NewObservation(TypedDict):
    uid: str | None
    target: str
    as_of: str
    through: str | None
    value: float | str
    written: str | None
    source: str | None
    grade: str | None
    note: str | None
    recorded_by: str | None
    recorded_at: str
    known_on: str
    propositions: list[str]


class ResolvedForecast(TypedDict):
    proposition: str
    forecaster: str
    probability: float | None
    made_on: str
    status: str
    resolved_on: str | None
    brier: float | None
    log: float | None


class OutcomeChange(TypedDict):
    """A forecast whose scored outcome differs between the two dates, with both scores (null: not scored then)."""

    proposition: str
    forecaster: str
    probability: float | None
    made_on: str
    old_status: str
    new_status: str
    old_brier: float | None
    new_brier: float | None
    old_log: float | None
    new_log: float | None


class WithdrawnRecord(TypedDict):
    """An observation or ruling withdrawn in the window, and what it had said."""

    uid: str
    kind: str  # observation or ruling
    target: str  # the metric or event (observation), the proposition (ruling)
    said: str  # `observation 2025: 497 (belstat)`, `ruling: annulled — why`
    why: str
    recorded_at: str
    recorded_by: str | None


class Changes(TypedDict):
    """What changed after an earlier date (`scorecard --since`)."""

    since: str
    status_changes: list[StatusMove]
    new_observations: list[NewObservation]
    newly_resolved: list[ResolvedForecast]
    outcome_changes: list[OutcomeChange]
    withdrawn: list[WithdrawnRecord]


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
    changes: NotRequired[Changes]  # only with `--since`


# --- one proposition in full ----------------------------------------------------------------------


class PropositionView(TypedDict):
    """A proposition's definition, as `show` and its dashboard page state it."""

    id: str
    kind: str
    title: str
    quote: str
    source: str
    stated_by: str
    stated_on: str
    deadline: str
    deadline_basis: str
    criteria: str | None
    tags: list[str]
    note: str | None
    metric: str | None
    baseline: Baseline | None
    target: Target | None
    partial: float
    min_grade: str | None


class SourceView(TypedDict):
    id: str
    title: str
    published: str
    publisher: str | None
    author: str | None
    file: str | None
    url: str | None


class ActorView(TypedDict):
    id: str
    name: str
    role: str
    country: str | None


class MetricView(TypedDict):
    id: str
    name: str
    unit: str
    period: str
    basis: str | None
    aggregate: str | None


class BoundView(TypedDict):
    """A value published as a bound or range: its ends (null: unbounded) and how it was written."""

    low: float | None
    high: float | None
    text: str


class ObservationView(TypedDict):
    id: int | None  # the database row (insertion order)
    uid: str | None  # the stable public id (`tracker retract` takes it); null for definition files
    as_of: str
    through: str | None  # a partial figure: it covers the start of as_of up to the end of this
    value: float | str
    written: str | None
    bound: BoundView | None
    projected: float | None  # a partial figure's projection for its whole period
    source: str | None
    grade: str | None
    note: str | None
    recorded_by: str | None
    recorded_at: str
    known_on: str  # the day it counts from: what it covers has ended and it was recorded
    origin: str
    superseded: bool  # revised by a later record of the same period and span
    withdrawn: Withdrawal | None  # retracted by the as-of date (it no longer counts)


class ForecastView(TypedDict):
    id: int | None
    uid: str | None
    forecaster: str
    probability: float
    made_on: str  # the date it claims
    recorded_at: str  # when it entered tracker
    recorded_by: str | None
    source: str | None
    note: str | None  # the forecaster's reasoning
    origin: str
    unscored: str | None  # why it is never scored: "retrodiction" or "recorded after the resolution"


class RulingView(TypedDict):
    id: int | None
    uid: str | None
    status: str
    why: str
    made_on: str
    recorded_at: str
    recorded_by: str | None
    source: str | None
    origin: str
    in_force: bool
    withdrawn: Withdrawal | None


class HistoryStep(TypedDict):
    on: str
    status: str
    cause: str


class Detail(TypedDict):
    """One proposition in full, as `show`, `chart` and a dashboard page read it."""

    as_of: str
    proposition: PropositionView
    source: SourceView | None
    stated_by: ActorView | None
    metric: MetricView | None
    status: str
    progress: float | None
    expected_progress: float | None
    best_evidence: str | None
    latest: Latest | None
    projection: Projection | None
    resolved_on: str | None
    ruling: RulingInForce | None
    observations: list[ObservationView]
    forecasts: list[ForecastView]
    rulings: list[RulingView]
    history: list[HistoryStep]
    observations_omitted: int  # earlier observations of the metric a dashboard page leaves out


# --- what is due ----------------------------------------------------------------------------------


class SettleStep(TypedDict):
    """One way to settle an overdue proposition: the exact command, and what it would record."""

    command: str
    says: str


class DueRow(TypedDict):
    id: str
    title: str
    kind: str
    status: str
    deadline: str
    days: int
    stated_by: str
    unit: str | None  # a target's metric's unit
    latest: Latest | None
    projection: Projection | None
    forecasts: int
    needs: str
    settle: list[SettleStep]


class DueList(TypedDict):
    as_of: str
    until: str
    overdue: list[DueRow]
    due_soon: list[DueRow]


# --- metrics --------------------------------------------------------------------------------------


class PartialFigure(TypedDict):
    value: float
    as_of: str
    through: str
    written: str | None
    source: str | None
    projected: float  # for the whole period, at the same rate


class MetricRow(TypedDict):
    """A metric: what it measures, its newest figures, and the propositions that use it."""

    id: str
    name: str
    unit: str
    period: str
    basis: str | None
    aggregate: str | None
    latest: Latest | None
    latest_partial: PartialFigure | None  # newer than `latest`, if any
    propositions: list[str]


class MetricList(TypedDict):
    as_of: str
    metrics: list[MetricRow]


# --- the dashboard --------------------------------------------------------------------------------


class Site(TypedDict):
    """The dashboard's data: the scorecard and every proposition's detail."""

    as_of: str
    generated_at: str
    scorecard: Scorecard
    details: dict[str, Detail]


# --- building the pieces from core records --------------------------------------------------------


def rounded(value: float | None) -> float | None:
    """A computed number as results carry it: 4 decimals, never `-0.0`."""
    return None if value is None else round(float(value), DIGITS) + 0.0


def moment(value: datetime) -> str:
    """A recording time as results show it, to the second."""
    return value.isoformat(timespec="seconds")


def day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def figure(value: float | str) -> float | str:
    """An observation's value: a number as a float, an event's value as its word."""
    return value if isinstance(value, str) else float(value)


def latest_of(obs: Observation | None) -> Latest | None:
    """The observation a status rests on, as rows show it."""
    if obs is None:
        return None
    return {"value": figure(obs.value), "as_of": obs.as_of.label, "source": obs.source, "grade": obs.grade, "written": obs.written}


def projection_of(projected: Projected | None) -> Projection | None:
    """A projection from a partial figure, with that figure."""
    if projected is None:
        return None
    partial = projected.partial
    assert partial.through is not None
    return {"value": rounded(projected.value) or 0.0, "as_of": projected.as_of.label, "through": partial.through.label,
            "partial": float(partial.value), "written": partial.written, "source": partial.source}


def partial_projection(obs: Observation) -> float | None:
    """A partial figure's projection for its whole period (None for a full figure or an event's value)."""
    if obs.through is None or isinstance(obs.value, str):
        return None
    return rounded(project(obs).value)


def baseline_of(prop: Proposition) -> Baseline | None:
    if prop.baseline is None:
        return None
    return {"value": float(prop.baseline.value), "as_of": str(prop.baseline.as_of)}


def target_of(prop: Proposition) -> Target | None:
    """The target with the value to reach worked out (a growth target's from its baseline)."""
    if prop.target is None or prop.baseline is None:
        return None
    return {"op": prop.target.op, "value": rounded(prop.target_value) or 0.0, "change": prop.target.change}


def ruling_in_force(ruling: Ruling | None) -> RulingInForce | None:
    if ruling is None:
        return None
    return {"status": str(ruling.status), "why": ruling.why, "made_on": ruling.made_on.isoformat()}


def withdrawal_of(retraction: Retraction | None) -> Withdrawal | None:
    if retraction is None:
        return None
    return {"uid": retraction.uid, "why": retraction.why, "recorded_at": moment(retraction.recorded_at),
            "recorded_by": retraction.recorded_by}
