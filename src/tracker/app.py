"""The use cases: what a command asks of the library, joining load, store, core and report.

Each function takes an open `Tracker` (a workspace folder and its database, definitions
synced) and plain values from the user; it checks them, raising `InputError` or `NotFound`
naming the argument, and returns records or results. Nothing here prints.
"""

from __future__ import annotations

import getpass
import math
import os
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path

from tracker.core.models import GRADE_PATTERN, Metric, Proposition
from tracker.core.periods import PeriodError, parse_date, parse_period
from tracker.core.records import EVENT_VALUES, Forecast, Observation, Ruling
from tracker.core.workspace import Workspace
from tracker.errors import InputError, NotFound
from tracker.load.settings import Settings, load_settings
from tracker.store.db import Store
from tracker.store.engine import connect, database_url, ensure_schema
from tracker.store.sync import SyncOutcome, sync

RULING_STATUSES = ("materialised", "partly", "not_materialised", "annulled")


def workspace_root(option: Path | None) -> Path:
    """The workspace folder: `--workspace`, else TRACKER_WORKSPACE, else the current folder."""
    chosen = option or (Path(os.environ["TRACKER_WORKSPACE"]) if os.environ.get("TRACKER_WORKSPACE") else Path.cwd())
    if not chosen.is_dir():
        raise InputError(f"--workspace: {chosen} is not a folder")
    return chosen.resolve()


def recorder(by: str | None) -> str:
    """Who is logging: `--by`, else TRACKER_USER, else the login name."""
    name = by or os.environ.get("TRACKER_USER") or _login()
    if not name.strip():
        raise InputError("--by: name who is logging this")
    return name.strip()


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def now() -> datetime:
    """The current time in UTC, naive, as stored."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class Tracker:
    """An open workspace: its folder, its store, and what the last sync reported."""

    root: Path
    store: Store
    synced: SyncOutcome = field(default_factory=lambda: SyncOutcome(False))

    @cached_property
    def workspace(self) -> Workspace:
        return self.store.workspace()

    @cached_property
    def settings(self) -> Settings:
        return load_settings(self.root)


def open_tracker(workspace: Path | None = None, db: str | None = None, *, synced: bool = True) -> Tracker:
    """Open the workspace's database (creating an empty one) and sync the definitions into it."""
    root = workspace_root(workspace)
    url = database_url(db or os.environ.get("TRACKER_DATABASE_URL") or None, root)
    store = Store(connect(url))
    ensure_schema(store.engine)
    tracker = Tracker(root, store)
    if synced:
        tracker.synced = sync(store, root)
    return tracker


# Lookups -----------------------------------------------------------------------------------


def proposition(tracker: Tracker, proposition_id: str) -> Proposition:
    found = _proposition(tracker, proposition_id)
    if found is None:
        raise NotFound(f"ID: no proposition {proposition_id!r}; `tracker list` shows the ids")
    return found


def observation_target(tracker: Tracker, target: str) -> Metric | Proposition:
    loaded = tracker.__dict__.get("workspace")
    found = loaded.metrics.get(target) if loaded is not None else tracker.store.metric(target)
    if found is not None:
        return found
    prop = _proposition(tracker, target)
    if prop is not None and prop.kind == "event":
        return prop
    if prop is not None:
        raise InputError(f"TARGET: {target!r} is a target proposition; log its observations on its metric {prop.metric!r}")
    raise NotFound(f"TARGET: no metric or event proposition {target!r}; `tracker list` shows the ids")


def _proposition(tracker: Tracker, proposition_id: str) -> Proposition | None:
    """From the workspace if a use case has read it, else one row: logging one record reads no more."""
    loaded = tracker.__dict__.get("workspace")
    return loaded.propositions.get(proposition_id) if loaded is not None else tracker.store.proposition(proposition_id)


# Logging ----------------------------------------------------------------------------------


def parse_value(target: Metric | Proposition, text: str) -> float | str:
    """A metric takes a finite number; an event takes yes, partly or no."""
    if isinstance(target, Metric):
        try:
            value = float(text.replace(",", "").replace("_", ""))
        except ValueError:
            raise InputError(f"VALUE: {text!r} is not a number ({target.id} is measured in {target.unit})") from None
        if not math.isfinite(value):
            raise InputError(f"VALUE: {text!r} is not a finite number")
        return value
    word = text.strip().lower()
    if word not in EVENT_VALUES:
        raise InputError(f"VALUE: an event takes yes, partly or no, got {text!r}")
    return word


def check_grade(grade: str | None, option: str = "--grade") -> str | None:
    if grade is None:
        return None
    if not GRADE_PATTERN.match(grade.strip().upper()):
        raise InputError(f"{option}: {grade!r} is not an Admiralty grade like B2 (reliability A-F, credibility 1-6)")
    return grade.strip().upper()


def option_date(text: str | None, option: str, default: date | None = None) -> date:
    """A date given as an option, or the default (today)."""
    if text is None:
        return default or date.today()
    try:
        return parse_date(text)
    except PeriodError as exc:
        raise InputError(f"{option}: {exc}") from None


def observe(tracker: Tracker, target: str, value: str, as_of: str, source: str, *, grade: str | None = None,
            note: str | None = None, by: str | None = None) -> Observation:
    """Log one observation on a metric or an event proposition."""
    found = observation_target(tracker, target)
    parsed = parse_value(found, value)
    try:
        period = parse_period(as_of)
    except PeriodError as exc:
        raise InputError(f"--as-of: {exc}") from None
    if isinstance(found, Metric) and period.kind != found.period:
        raise InputError(f"--as-of: {period.label} is a {period.kind}, but {found.id} is measured by {found.period}")
    if not source.strip():
        raise InputError("--source: say where the figure comes from")
    observation = Observation(target=target, as_of=period, value=parsed, recorded_at=now(), source=source.strip(),
                              grade=check_grade(grade), note=note, recorded_by=recorder(by))
    tracker.store.add_observations([observation])
    return observation


def forecast(tracker: Tracker, proposition_id: str, probability: str, *, by: str, on: str | None = None) -> Forecast:
    """Log a probability that a proposition materialises by its deadline."""
    proposition(tracker, proposition_id)
    try:
        p = float(probability.rstrip("%")) / (100 if probability.endswith("%") else 1)
    except ValueError:
        raise InputError(f"PROBABILITY: {probability!r} is not a number between 0 and 1") from None
    if not (0.0 <= p <= 1.0):
        raise InputError(f"PROBABILITY: {probability} is outside [0, 1]")
    if not by or not by.strip():
        raise InputError("--by: name the forecaster")
    record = Forecast(proposition=proposition_id, probability=p, forecaster=by.strip(), made_on=option_date(on, "--on"),
                      recorded_at=now(), recorded_by=recorder(None))
    tracker.store.add_forecasts([record])
    return record


def rule(tracker: Tracker, proposition_id: str, status: str, why: str, *, on: str | None = None,
         by: str | None = None) -> Ruling:
    """Log a manual ruling, in force from its date on."""
    proposition(tracker, proposition_id)
    if status not in RULING_STATUSES:
        raise InputError(f"--status: {status!r} is not one of {', '.join(RULING_STATUSES)}")
    if not why.strip():
        raise InputError("--why: give the reason for the ruling")
    record = Ruling(proposition=proposition_id, status=status, why=why.strip(), made_on=option_date(on, "--on"),
                    recorded_at=now(), recorded_by=recorder(by))
    tracker.store.add_rulings([record])
    return record


# Reading ----------------------------------------------------------------------------------


def group_by(records: list, key: str) -> dict[str, list]:  # type: ignore[type-arg]
    grouped: dict[str, list] = defaultdict(list)  # type: ignore[type-arg]
    for record in records:
        grouped[getattr(record, key)].append(record)
    return grouped


def as_of_date(text: str | None) -> date:
    """`--as-of` for reports: a date, default today."""
    return option_date(text, "--as-of")


@dataclass(frozen=True)
class Logs:
    """Everything logged (both origins), grouped the way resolution reads it."""

    observations: dict[str, list[Observation]]
    forecasts: list[Forecast]
    rulings: dict[str, list[Ruling]]


def logs(tracker: Tracker, propositions: list[str] | None = None) -> Logs:
    """Observations, forecasts and rulings, for all propositions or the ones named."""
    workspace = tracker.workspace
    targets = None
    if propositions is not None:
        targets = {workspace.propositions[p].metric or p for p in propositions}
    return Logs(
        observations=group_by(tracker.store.observations(targets), "target"),
        forecasts=tracker.store.forecasts(propositions),
        rulings=group_by(tracker.store.rulings(propositions), "proposition"),
    )


def resolutions(tracker: Tracker, as_of: date, recorded: Logs | None = None):  # type: ignore[no-untyped-def]
    """The status of every proposition as of the end of `as_of`."""
    from tracker.core.resolve import resolve_all

    recorded = recorded or logs(tracker)
    workspace = tracker.workspace
    return resolve_all(workspace.propositions, workspace.metrics, recorded.observations, recorded.rulings, as_of,
                       min_grade=tracker.settings.min_grade)


def history(tracker: Tracker, proposition_id: str, as_of: date, recorded: Logs):  # type: ignore[no-untyped-def]
    from tracker.core.resolve import status_history

    prop = proposition(tracker, proposition_id)
    metric = tracker.workspace.metrics.get(prop.metric) if prop.metric else None
    observations = recorded.observations.get(prop.metric or prop.id, [])
    return status_history(prop, metric, observations, recorded.rulings.get(prop.id, []), as_of,
                          min_grade=tracker.settings.min_grade)


def proposition_detail(tracker: Tracker, proposition_id: str, as_of: date) -> dict:  # type: ignore[type-arg]
    """Everything known about one proposition, as plain data for `show` and the dashboard."""
    prop = proposition(tracker, proposition_id)
    recorded = logs(tracker, [proposition_id])
    resolution = resolutions(tracker, as_of, recorded)[proposition_id]
    return _detail(tracker, prop, resolution, recorded, as_of)


def _detail(tracker: Tracker, prop: Proposition, resolution, recorded: Logs, as_of: date,  # type: ignore[no-untyped-def]
            shown: list[Observation] | None = None) -> dict:  # type: ignore[type-arg]
    """The detail dict of one proposition from its resolution and the logs (shared by show and the dashboard).

    `shown`: the observations to list, when not all of them (the dashboard shows a window).
    """
    from tracker.core.records import superseded_ids

    workspace = tracker.workspace
    observations = recorded.observations.get(prop.metric or prop.id, []) if shown is None else shown
    superseded = superseded_ids(observations)
    source = workspace.sources.get(prop.source)
    actor = workspace.actors.get(prop.stated_by)
    metric = workspace.metrics.get(prop.metric) if prop.metric else None
    return {
        "as_of": as_of.isoformat(),
        "proposition": prop.model_dump(mode="json", exclude={"observations", "forecasts", "rulings"}),
        "source": source.model_dump(mode="json") if source else None,
        "stated_by": actor.model_dump(mode="json") if actor else None,
        "metric": metric.model_dump(mode="json", exclude={"observations"}) if metric else None,
        "status": resolution.status,
        "progress": resolution.progress,
        "expected_progress": resolution.expected_progress,
        "best_evidence": resolution.best_evidence,
        "observations": [_observation_json(o, o.id in superseded) for o in observations],
        "forecasts": [_log_json(f) for f in recorded.forecasts if f.proposition == prop.id],
        "rulings": [_log_json(r) for r in recorded.rulings.get(prop.id, [])],
        "history": [{"on": c.on.isoformat(), "status": c.status, "cause": c.cause} for c in history(tracker, prop.id, as_of, recorded)],
    }


def _observation_json(obs: Observation, superseded: bool) -> dict:  # type: ignore[type-arg]
    return {
        "id": obs.id, "as_of": obs.as_of.label, "value": obs.value, "source": obs.source, "grade": obs.grade,
        "note": obs.note, "recorded_by": obs.recorded_by, "recorded_at": obs.recorded_at.isoformat(timespec="seconds"),
        "origin": obs.origin, "superseded": superseded,
    }


def _log_json(record: Forecast | Ruling) -> dict:  # type: ignore[type-arg]
    from dataclasses import fields

    # fields(), not asdict(): the records are flat, and asdict's deep copies cost seconds on 100,000 forecasts
    data = {f.name: getattr(record, f.name) for f in fields(record)}
    return {k: v.isoformat() if isinstance(v, (date, datetime)) else v for k, v in data.items()}


# Reports (tracker.scorecard holds the assembly) -----------------------------------------------


def scorecard(tracker: Tracker, as_of: date, since: date | None = None) -> dict:  # type: ignore[type-arg]
    """The scorecard as of the end of `as_of` as one JSON-ready dict (SPEC §7 and more)."""
    from tracker.scorecard import scorecard as build

    return build(tracker, as_of, since)


def scenario_results(tracker: Tracker, as_of: date, set_id: str | None = None) -> list[dict]:  # type: ignore[type-arg]
    """Each scenario set's weights, history and indicators as of `as_of` (tracker.scenarios_app)."""
    from tracker.scenarios_app import scenario_results as build

    return build(tracker, as_of, set_id)


def due(tracker: Tracker, as_of: date, until: date) -> dict:  # type: ignore[type-arg]
    """Propositions past their deadline without a final status, and those due by `until`."""
    from tracker.scorecard import due as build

    return build(tracker, as_of, until)


def horizon(within: str, as_of: date) -> date:
    """The last day `--within` (30d, 6w, 3m, 1y) reaches from `as_of`."""
    from tracker.scorecard import horizon as reach

    return reach(within, as_of)


def dashboard_data(tracker: Tracker, as_of: date) -> dict:  # type: ignore[type-arg]
    """The scorecard and every proposition's detail as of `as_of`, for the dashboard (set-based).

    The logs are read once and grouped in memory (not one query per proposition, which a
    workspace of 10,000 propositions could not afford). What was not yet known at `as_of`
    (observations recorded later, forecasts and rulings made later) is left out. A target's
    page lists its metric from a while before the baseline on (`_windows`), not decades of it.
    """
    from tracker.scorecard import collector_paused

    with collector_paused():
        return _dashboard_data(tracker, as_of)


def _dashboard_data(tracker: Tracker, as_of: date) -> dict:  # type: ignore[type-arg]
    from tracker.scorecard import known_on, logs_as_of, scorecard_from

    everything = logs_as_of(logs(tracker), as_of)
    known = {t: [o for o in items if known_on(o) <= as_of] for t, items in everything.observations.items()}
    recorded = Logs(known, everything.forecasts, everything.rulings)
    forecasts = group_by(recorded.forecasts, "proposition")
    resolved = resolutions(tracker, as_of, recorded)
    card = scorecard_from(tracker, recorded, resolved, as_of)
    details = {}
    for prop_id, prop in tracker.workspace.propositions.items():
        target = prop.metric or prop_id
        series = recorded.observations.get(target, [])
        shown, relevant = _windows(prop, series)
        own = Logs({target: relevant}, forecasts.get(prop_id, []), recorded.rulings)
        details[prop_id] = _detail(tracker, prop, resolved[prop_id], own, as_of, shown)
        details[prop_id]["observations_omitted"] = len(series) - len(shown)
    return {"as_of": as_of.isoformat(), "generated_at": now().isoformat(timespec="seconds"),
            "scorecard": card, "details": details}


def _windows(prop: Proposition, series: list[Observation]) -> tuple[list[Observation], list[Observation]]:
    """A target's observations worth showing, and those that can change its status.

    Shown: periods ending at most max(3 years, baseline-to-deadline) before the baseline's end.
    Relevant to the status: periods ending on or after the earlier of stated_on and the
    baseline's end (before that a value can neither meet the target in time nor show progress),
    and starting by the deadline; the status history computed from them is the same, faster.
    """
    from datetime import timedelta

    if prop.kind != "target" or prop.baseline is None:
        return series, series
    base_end = parse_period(prop.baseline.as_of).end
    context = max(prop.deadline - base_end, timedelta(days=3 * 365))
    first = min(prop.stated_on, base_end)
    shown = [o for o in series if o.as_of.end >= base_end - context]
    return shown, [o for o in series if o.as_of.end >= first and o.as_of.start <= prop.deadline]
