"""`tracker show` as text: one proposition, everything known about it."""

from __future__ import annotations

from typing import Any

from tracker.core.results import Detail, ObservationView
from tracker.report.text import terminal


def _value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.6g}"
    return "-" if value is None else str(value)


def render_detail(detail: Detail) -> str:
    """The detail of `tracker.app.detail.proposition_detail` as readable text."""
    prop = detail["proposition"]
    lines = [f"{prop['id']}: {prop['title']}", f"  kind: {prop['kind']}    status as of {detail['as_of']}: {detail['status']}"]
    lines += _statement(detail, prop)
    if prop["kind"] == "target":
        lines += _target(detail, prop)
    lines += _section("observations", [_observation(o) for o in detail["observations"]])
    lines += _section("forecasts", [f"{f['made_on']}  {f['forecaster']}: {f['probability']:.0%}" + (f"  ({f['source']})" if f.get("source") else "")
                                    + _logged(f) for f in detail["forecasts"]])
    lines += _section("rulings", [f"{r['made_on']}  {r['status']}: {r['why']}" + _logged(r) for r in detail["rulings"]])
    lines += _section("status history", [f"{c['on']}  {c['status']}  <- {c['cause']}" for c in detail["history"]])
    return terminal("\n".join(lines))


def _statement(detail: Detail, prop: dict[str, Any]) -> list[str]:
    source = detail["source"] or {}
    actor = detail["stated_by"] or {}
    where = source.get("url") or source.get("file") or ""
    lines = [
        f"  quote: \u201c{prop['quote']}\u201d",
        f"  stated by: {actor.get('name', prop['stated_by'])} ({prop['stated_by']}) on {prop['stated_on']}",
        f"  source: {source.get('title', prop['source'])}" + (f", {source['publisher']}" if source.get("publisher") else "")
        + (f", {source['published']}" if source.get("published") else "") + (f" [{where}]" if where else ""),
        f"  deadline: {prop['deadline']}" + (" (implied)" if prop.get("deadline_basis") == "implied" else ""),
    ]
    if prop.get("criteria"):
        lines.append(f"  criteria: {prop['criteria']}")
    if prop.get("tags"):
        lines.append(f"  tags: {', '.join(prop['tags'])}")
    if prop.get("note"):
        lines.append(f"  note: {prop['note']}")
    return lines


def _target(detail: Detail, prop: dict[str, Any]) -> list[str]:
    metric = detail["metric"] or {}
    unit = metric.get("unit", "")
    progress = detail["progress"]
    shown = "-" if progress is None else f"{progress:.0%}"
    expected = detail["expected_progress"]
    return [
        f"  metric: {metric.get('name', prop['metric'])} ({prop['metric']}, {unit}, by {metric.get('period', '?')})"
        + (f", basis: {metric['basis']}" if metric.get("basis") else ""),
        f"  baseline: {_value(prop['baseline']['value'])} {unit} ({prop['baseline']['as_of']})",
        f"  target: {prop['target']['op']} {_value(prop['target']['value'])} {unit}",
        f"  progress: {shown}" + ("" if expected is None else f" (expected {expected:.0%})"),
    ]


def _observation(obs: ObservationView) -> str:
    parts = [f"{obs['as_of']:<10}", _value(obs["value"]), f"source: {obs['source'] or '-'}"]
    if obs["grade"]:
        parts.append(f"grade {obs['grade']}")
    parts.append(f"recorded {obs['recorded_at'][:10]} by {obs['recorded_by'] or '-'}")
    if obs["superseded"]:
        parts.append("SUPERSEDED")
    line = "  ".join(parts)
    return line + (f"\n      note: {obs['note']}" if obs["note"] else "")


def _logged(record: dict[str, Any]) -> str:
    """Who logged a forecast or ruling, and on which day."""
    return f"  (logged {str(record.get('recorded_at') or '')[:10]} by {record.get('recorded_by') or '-'})"


def _section(title: str, items: list[str]) -> list[str]:
    return [f"  {title}:"] + ([f"    {item}" for item in items] or ["    (none)"])
