"""The workspace: every definition, checked as a whole.

Entries arrive one by one from the loader, each with where it was written. Here they are
joined: ids must be unique across files, every reference must exist, and periods must match
their metric. Problems are collected, never raised one at a time, so a user sees all of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time

from pydantic import BaseModel

from tracker.core.ids import definition_uid
from tracker.core.models import (
    Actor,
    ForecastDef,
    ForecastEntry,
    Metric,
    ObservationDef,
    ObservationEntry,
    Proposition,
    RulingDef,
    RulingEntry,
    ScenarioSet,
    Source,
)
from tracker.core.periods import parse_period
from tracker.core.records import Forecast, Observation, Ruling
from tracker.core.values import ValueProblem, as_written, convert_reading
from tracker.errors import Problem

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Located:
    """A validated entry and where it stands: its file, its first line, and lines of its parts."""

    section: str
    entry: BaseModel
    path: str
    line: int
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, *loc: str | int) -> int:
        """The line of a part of the entry, or of the closest enclosing part written."""
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.line

    def problem(self, message: str, *loc: str | int) -> Problem:
        return Problem(message, self.path, self.line_of(*loc))


@dataclass
class Workspace:
    """Everything the definition files say, keyed by id."""

    sources: dict[str, Source] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)
    metrics: dict[str, Metric] = field(default_factory=dict)
    propositions: dict[str, Proposition] = field(default_factory=dict)
    scenario_sets: dict[str, ScenarioSet] = field(default_factory=dict)
    observations: list[Observation] = field(default_factory=list)
    forecasts: list[Forecast] = field(default_factory=list)
    rulings: list[Ruling] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "sources": len(self.sources),
            "actors": len(self.actors),
            "metrics": len(self.metrics),
            "propositions": len(self.propositions),
            "scenario sets": len(self.scenario_sets),
        }

    def observation_target(self, target: str) -> Metric | Proposition | None:
        """The metric or event proposition an observation may be logged on."""
        if target in self.metrics:
            return self.metrics[target]
        proposition = self.propositions.get(target)
        return proposition if proposition is not None and proposition.kind == "event" else None


_KEYED = {
    "sources": "sources",
    "actors": "actors",
    "metrics": "metrics",
    "propositions": "propositions",
    "scenarios": "scenario_sets",
}


def assemble(entries: Iterable[Located]) -> tuple[Workspace, list[Problem]]:
    """Join located entries into a workspace and list every problem found across them."""
    workspace = Workspace()
    problems: list[Problem] = []
    seen: dict[str, Located] = {}
    items = list(entries)
    for item in items:
        if item.section not in _KEYED:
            continue
        entry_id = item.entry.id  # type: ignore[attr-defined]
        kept = getattr(workspace, _KEYED[item.section])
        if entry_id in seen:
            first = seen[entry_id]
            problems.append(item.problem(f"duplicate id {entry_id!r}: already defined at {first.path}:{first.line}", "id"))
            # A clash across kinds (a proposition named like a metric) keeps both, so references
            # to either do not add "unknown" problems on top of the one that matters.
            kept.setdefault(entry_id, item.entry)
            continue
        seen[entry_id] = item
        kept[entry_id] = item.entry
    for item in items:
        problems.extend(_CHECKS[item.section](workspace, item))
    if not problems:
        _collect_logs(workspace, items)
    return workspace, problems


def _check_source(workspace: Workspace, item: Located) -> list[Problem]:
    return []


def _check_metric(workspace: Workspace, item: Located) -> list[Problem]:
    metric: Metric = item.entry  # type: ignore[assignment]
    problems = []
    for index, obs in enumerate(metric.observations):
        problems += _check_observation(workspace, item, obs, metric, ("observations", index))
    return problems


def _check_observation(workspace: Workspace, item: Located, obs: ObservationDef, metric: Metric | None, loc: Loc) -> list[Problem]:
    """An observation's source, its period against its metric's, and its unit and `through`."""
    problems = []
    if obs.source not in workspace.sources:
        problems.append(item.problem(f"unknown source {obs.source!r}", *loc, "source"))
    period = parse_period(obs.as_of)
    if metric is not None and period.kind != metric.period:
        problems.append(item.problem(f"as_of {period.label} is a {period.kind}, but the metric's period is {metric.period}", *loc, "as_of"))
    problems += _check_unit(item, obs, metric, loc)
    if obs.through is not None and (metric is None or metric.aggregate != "sum"):
        problems.append(item.problem(_through_refused(metric), *loc, "through"))
    return problems


def _check_unit(item: Located, obs: ObservationDef, metric: Metric | None, loc: Loc) -> list[Problem]:
    if obs.unit is None:
        return []
    if metric is None:
        return [item.problem("an event's observation has no unit: its value is yes, partly or no", *loc, "unit")]
    if isinstance(obs.value, str):
        return []  # the value's own problem is reported
    try:
        convert_reading(obs.reading, obs.unit, metric.unit)
    except ValueProblem as exc:
        return [item.problem(f"unit: {exc}", *loc, "unit")]
    return []


def _through_refused(metric: Metric | None) -> str:
    if metric is None:
        return "an event's observation has no through: through marks a partial figure of a metric"
    return (f"through: metric {metric.id!r} does not say `aggregate: sum`, so a figure for part of a period "
            "cannot stand for the whole; add `aggregate: sum` to the metric if its period's figure is the total of its parts")


def _check_proposition(workspace: Workspace, item: Located) -> list[Problem]:
    prop: Proposition = item.entry  # type: ignore[assignment]
    problems = []
    if prop.source not in workspace.sources:
        problems.append(item.problem(f"unknown source {prop.source!r}", "source"))
    if prop.stated_by not in workspace.actors:
        problems.append(item.problem(f"unknown actor {prop.stated_by!r} in stated_by", "stated_by"))
    if prop.kind == "target":
        problems += _check_target_metric(workspace, item, prop)
    for index, obs in enumerate(prop.observations):
        problems += _check_observation(workspace, item, obs, None, ("observations", index))
    cited = [("forecasts", [f.source for f in prop.forecasts]), ("rulings", [r.source for r in prop.rulings])]
    for section, sources in cited:
        for index, source in enumerate(sources):
            if source is not None and source not in workspace.sources:
                problems.append(item.problem(f"unknown source {source!r}", section, index, "source"))
    return problems


def _check_target_metric(workspace: Workspace, item: Located, prop: Proposition) -> list[Problem]:
    assert prop.metric is not None and prop.baseline is not None
    metric = workspace.metrics.get(prop.metric)
    if metric is None:
        return [item.problem(f"unknown metric {prop.metric!r}", "metric")]
    period = parse_period(prop.baseline.as_of)
    if period.kind != metric.period:
        message = f"baseline as_of {period.label} is a {period.kind}, but metric {metric.id!r} is by {metric.period}"
        return [item.problem(message, "baseline", "as_of")]
    return []


def _check_observation_entry(workspace: Workspace, item: Located) -> list[Problem]:
    entry: ObservationEntry = item.entry  # type: ignore[assignment]
    target = workspace.observation_target(entry.target)
    if target is None:
        return [item.problem(_unknown_target(workspace, entry.target), "target")]
    problems = _check_observation(workspace, item, entry, target if isinstance(target, Metric) else None, ())
    if isinstance(target, Metric) and isinstance(entry.value, str):
        problems.append(item.problem(f"metric {target.id!r} takes a number, got {entry.value!r}", "value"))
    if isinstance(target, Proposition) and not isinstance(entry.value, str):
        problems.append(item.problem(f"event {target.id!r} takes yes, partly or no, got {entry.value!r}", "value"))
    return problems


def _unknown_target(workspace: Workspace, target: str) -> str:
    if target in workspace.propositions:
        metric = workspace.propositions[target].metric
        return f"{target!r} is a target proposition: log its observations on its metric {metric!r}"
    return f"unknown target {target!r}: name a metric or an event proposition"


def _check_log_entry(workspace: Workspace, item: Located) -> list[Problem]:
    entry: ForecastEntry | RulingEntry = item.entry  # type: ignore[assignment]
    problems = []
    if entry.proposition not in workspace.propositions:
        problems.append(item.problem(f"unknown proposition {entry.proposition!r}", "proposition"))
    if entry.source is not None and entry.source not in workspace.sources:
        problems.append(item.problem(f"unknown source {entry.source!r}", "source"))
    return problems


def _check_scenario_set(workspace: Workspace, item: Located) -> list[Problem]:
    scenario_set: ScenarioSet = item.entry  # type: ignore[assignment]
    ids = [s.id for s in scenario_set.scenarios]
    problems = []
    first: dict[str, int] = {}
    for index, indicator in enumerate(scenario_set.indicators):
        loc = ("indicators", index)
        if indicator.proposition in first:
            line = item.line_of("indicators", first[indicator.proposition])
            problems.append(item.problem(f"indicator {indicator.proposition!r} is listed twice (first at line {line}); "
                                         "its evidence would count twice: keep one entry", *loc, "proposition"))
        first.setdefault(indicator.proposition, index)
        if indicator.proposition not in workspace.propositions:
            problems.append(item.problem(f"unknown proposition {indicator.proposition!r}", *loc, "proposition"))
        unknown = sorted(set(indicator.likelihood) - set(ids))
        missing = [s for s in ids if s not in indicator.likelihood]
        if unknown:
            problems.append(item.problem(f"unknown scenario {', '.join(map(repr, unknown))} in likelihood", *loc, "likelihood"))
        if missing:
            problems.append(item.problem(f"no likelihood for scenario {', '.join(map(repr, missing))}", *loc, "likelihood"))
    return problems


_CHECKS = {
    "sources": _check_source,
    "actors": _check_source,
    "metrics": _check_metric,
    "propositions": _check_proposition,
    "observations": _check_observation_entry,
    "forecasts": _check_log_entry,
    "rulings": _check_log_entry,
    "scenarios": _check_scenario_set,
}


def _collect_logs(workspace: Workspace, items: list[Located]) -> None:
    """Turn observations, forecasts and rulings written in files into records; each record's id is
    where it is written (`forecasts/trade.yaml:12`, tracker.core.ids)."""
    for item in items:
        entry = item.entry
        if isinstance(entry, Metric):
            workspace.observations += [_observation(workspace, entry.id, obs, _where(item, "observations", i))
                                       for i, obs in enumerate(entry.observations)]
        elif isinstance(entry, Proposition):
            workspace.observations += [_observation(workspace, entry.id, obs, _where(item, "observations", i))
                                       for i, obs in enumerate(entry.observations)]
            workspace.forecasts += [_forecast(workspace, entry.id, f, _where(item, "forecasts", i))
                                    for i, f in enumerate(entry.forecasts)]
            workspace.rulings += [_ruling(workspace, entry.id, r, _where(item, "rulings", i)) for i, r in enumerate(entry.rulings)]
        elif isinstance(entry, ObservationEntry):
            workspace.observations.append(_observation(workspace, entry.target, entry, _where(item)))
        elif isinstance(entry, ForecastEntry):
            workspace.forecasts.append(_forecast(workspace, entry.proposition, entry, _where(item)))
        elif isinstance(entry, RulingEntry):
            workspace.rulings.append(_ruling(workspace, entry.proposition, entry, _where(item)))


def _where(item: Located, *loc: str | int) -> str:
    return definition_uid(item.path, item.line_of(*loc))


def _published(workspace: Workspace, source: str) -> datetime:
    return datetime.combine(workspace.sources[source].published, time())


def _observation(workspace: Workspace, target: str, obs: ObservationDef, uid: str | None = None) -> Observation:
    """The record of an observation written in a file; a figure is converted to its metric's unit."""
    metric = workspace.metrics.get(target)
    value: float | str = obs.value
    bound = written = None
    if metric is not None and not isinstance(obs.value, str):
        reading = convert_reading(obs.reading, obs.unit, metric.unit)
        value, bound, written = reading.number, reading.bound, as_written(obs.reading, obs.unit, metric.unit)
    return Observation(
        target=target,
        as_of=parse_period(obs.as_of),
        value=value,
        recorded_at=_published(workspace, obs.source),
        source=obs.source,
        grade=obs.grade,
        note=obs.note,
        recorded_by="definitions",
        origin="definition",
        through=parse_period(obs.through) if obs.through is not None else None,
        bound=bound,
        written=written,
        uid=uid,
    )


def _forecast(workspace: Workspace, proposition: str, entry: ForecastDef, uid: str | None = None) -> Forecast:
    """A forecast written in a file counts as recorded when its source was published (not before its date)."""
    recorded = entry.on if entry.source is None else max(entry.on, workspace.sources[entry.source].published)
    return Forecast(
        proposition=proposition,
        probability=entry.probability,
        forecaster=entry.by,
        made_on=entry.on,
        recorded_at=datetime.combine(recorded, time()),
        recorded_by="definitions",
        source=entry.source,
        note=entry.note,
        origin="definition",
        uid=uid,
    )


def _ruling(workspace: Workspace, proposition: str, entry: RulingDef, uid: str | None = None) -> Ruling:
    return Ruling(
        proposition=proposition,
        status=entry.status,
        why=entry.why,
        made_on=entry.on,
        recorded_at=datetime.combine(entry.on, time()),
        recorded_by="definitions",
        source=entry.source,
        origin="definition",
        uid=uid,
    )
