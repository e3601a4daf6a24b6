"""`tracker show` as text: one proposition, everything known about it.

Pure: a `Detail` (tracker.core.results) in, text out. Each observation and ruling is listed with
its id (what `tracker retract` takes); a withdrawn one is marked WITHDRAWN with the reason, a
revised one SUPERSEDED; values appear as they were published (`>400`, `1.5 USD billion`,
a partial figure with its `through` and projection); forecasts show the date they claim and
when they were logged, and why a forecast is never scored.
"""

from __future__ import annotations

from tracker.core.results import Detail, ForecastView, ObservationView, PropositionView, RulingView
from tracker.report.text import (
    number,
    percent,
    projection_text,
    status_label,
    target_text,
    terminal,
    unscored_mark,
    unscored_text,
    value_text,
    withdrawn_text,
)


def render_detail(detail: Detail) -> str:
    """The detail of `tracker.app.detail.proposition_detail` as readable text."""
    prop = detail["proposition"]
    lines = [f"{prop['id']}: {prop['title']}", f"  kind: {prop['kind']}    status as of {detail['as_of']}: {status_words(detail['status'])}"]
    lines += _statement(detail, prop)
    if prop["kind"] == "target":
        lines += _target(detail, prop)
    elif detail["best_evidence"]:
        lines.append(f"  best evidence: {detail['best_evidence']}")
    if detail["ruling"] is not None:
        lines.append(f"  ruling in force: {detail['ruling']['status']} since {detail['ruling']['made_on']}: {detail['ruling']['why']}")
    unit = detail["metric"]["unit"] if detail["metric"] is not None else None
    lines += _section("observations", [_observation(o, unit) for o in detail["observations"]])
    lines += _section("forecasts", [_forecast(f) for f in detail["forecasts"]])
    lines += _section("rulings", [_ruling(r) for r in detail["rulings"]])
    lines += _section("status history", [f"{c['on']}  {c['status']}  <- {c['cause']}" for c in detail["history"]])
    return terminal("\n".join(lines))


def status_words(status: str) -> str:
    """`overdue (deadline passed, not yet checked)`: the identifier (what `--status` takes) and its words."""
    label = status_label(status)
    return label if label.startswith(status) else f"{status} ({label})"


def _statement(detail: Detail, prop: PropositionView) -> list[str]:
    source, actor = detail["source"], detail["stated_by"]
    speaker = f"{actor['name']} ({prop['stated_by']})" if actor is not None else prop["stated_by"]
    lines = [f"  quote: \u201c{prop['quote']}\u201d", f"  stated by: {speaker} on {prop['stated_on']}"]
    if source is None:
        lines.append(f"  source: {prop['source']}")
    else:
        where = source["url"] or source["file"]
        details = "".join(f", {part}" for part in (source["publisher"], source["published"]) if part)
        lines.append(f"  source: {source['title']}{details}" + (f" [{where}]" if where else ""))
    lines.append(f"  deadline: {prop['deadline']}" + (" (implied)" if prop["deadline_basis"] == "implied" else ""))
    for label, value in (("criteria", prop["criteria"]), ("tags", ", ".join(prop["tags"])), ("note", prop["note"])):
        if value:
            lines.append(f"  {label}: {value}")
    return lines


def _target(detail: Detail, prop: PropositionView) -> list[str]:
    metric = detail["metric"]
    unit = metric["unit"] if metric is not None else None
    lines = []
    if metric is not None:
        lines.append(f"  metric: {metric['name']} ({metric['id']}, {metric['unit']}, by {metric['period']})"
                     + (f", basis: {metric['basis']}" if metric["basis"] else "")
                     + (", a period's figure is the sum of its parts" if metric["aggregate"] == "sum" else ""))
    if prop["baseline"] is not None:
        lines.append(f"  baseline: {number(prop['baseline']['value'])}{f' {unit}' if unit else ''} ({prop['baseline']['as_of']})")
    if prop["target"] is not None:
        lines.append(f"  target: {target_text(prop['target'], unit)}")
    latest = detail["latest"]
    lines.append("  latest: " + ("-" if latest is None else f"{value_text(latest['value'], latest['written'], unit)} ({latest['as_of']})"))
    if detail["projection"] is not None:
        lines.append(f"  projected: {projection_text(detail['projection'], unit)}")
    expected = detail["expected_progress"]
    lines.append(f"  progress: {percent(detail['progress'])}" + ("" if expected is None else f" (expected {percent(expected)})"))
    return lines


def _observation(obs: ObservationView, unit: str | None) -> str:
    period = obs["as_of"] + (f" through {obs['through']}" if obs["through"] else "")
    value = value_text(obs["value"], obs["written"], unit if not isinstance(obs["value"], str) else None)
    parts = [f"[{obs['uid'] or ('definition file' if obs['origin'] == 'definition' else '-')}]", f"{period:<10}", value]
    if obs["projected"] is not None:
        parts.append(f"(projected {number(obs['projected'])} for {obs['as_of']})")
    parts.append(f"source: {obs['source'] or '-'}")
    if obs["grade"]:
        parts.append(f"grade {obs['grade']}")
    parts.append(f"recorded {obs['recorded_at'][:10]} by {obs['recorded_by'] or '-'}")
    if obs["superseded"]:
        parts.append("SUPERSEDED")
    line = "  ".join(parts)
    if obs["withdrawn"] is not None:
        line += f"\n      WITHDRAWN {withdrawn_text(obs['withdrawn'])}"
    return line + (f"\n      note: {obs['note']}" if obs["note"] else "")


def _forecast(forecast: ForecastView) -> str:
    line = (f"{forecast['made_on']}  {forecast['forecaster']}: {percent(forecast['probability'])}"
            f"  (logged {forecast['recorded_at'][:10]} by {forecast['recorded_by'] or '-'})")
    if forecast["source"]:
        line += f"  source: {forecast['source']}"
    if forecast["unscored"]:
        line += f"\n      {unscored_mark(forecast['unscored']).upper()}: {unscored_text(forecast['unscored'])}"
    return line + (f"\n      note: {forecast['note']}" if forecast["note"] else "")


def _ruling(ruling: RulingView) -> str:
    line = (f"[{ruling['uid'] or ('definition file' if ruling['origin'] == 'definition' else '-')}]  {ruling['made_on']}  "
            f"{ruling['status']}: {ruling['why']}  (logged {ruling['recorded_at'][:10]} by {ruling['recorded_by'] or '-'})")
    if ruling["in_force"]:
        line += "  IN FORCE"
    if ruling["withdrawn"] is not None:
        line += f"\n      WITHDRAWN {withdrawn_text(ruling['withdrawn'])}; the computed status stands again"
    return line


def _section(title: str, items: list[str]) -> list[str]:
    return [f"  {title}:"] + ([f"    {item}" for item in items] or ["    (none)"])
