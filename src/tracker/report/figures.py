"""Figures: pure builders from results (plain dicts) to plotly figure specs, and writing them out.

Each builder takes the JSON-ready data the use cases return (`tracker.app.proposition_detail`,
the scorecard's lists) and returns a plotly figure as a plain dict `{"data": [...], "layout":
{...}}`; `figure(spec)` turns one into a validated `plotly.graph_objects.Figure`. Plain dicts,
because validating a figure costs about 7 ms and the dashboard of 10,000 propositions draws
10,000 of them: the dashboard serialises specs directly, while `tracker chart` and the tests go
through `figure()`, so every property is checked by plotly there (tests/test_figures.py also
checks that validation changes nothing).

User-supplied text shown inside a chart (notes, sources, names) is HTML-escaped here: plotly
renders a small subset of HTML in titles and hover labels, and a note must read as text.

Charts follow what a reader of Our World in Data expects: a title saying what is drawn, the
status as a subtitle, units on the axes, and the sources under the chart.
"""

from __future__ import annotations

import functools
import html
import math
import textwrap
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from tracker.core.periods import PeriodError, parse_period
from tracker.core.status import Status
from tracker.report.text import READING_ORDER, words

Spec = dict[str, Any]

STATUS_ORDER = READING_ORDER
STATUS_LABELS: dict[str, str] = {status: words(status) for status in Status}
STATUS_COLOURS: dict[str, str] = {
    Status.MATERIALISED: "#1b7837", Status.PARTLY: "#a6dba0", Status.NOT_MATERIALISED: "#b2182b", Status.ANNULLED: "#878787",
    Status.OVERDUE: "#e66101", Status.BEHIND: "#fdb863", Status.ON_TRACK: "#5aae61", Status.IN_PROGRESS: "#4393c3",
    Status.OPEN: "#92c5de", Status.NO_DATA: "#d9d9d9",
}
EVIDENCE_COLOURS = {"yes": "#1b7837", "partly": "#e6a700", "no": "#b2182b"}
INK = "#333333"
MUTED = "#8c8c8c"
FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
MAX_GROUPS = 20  # bars in a "statuses by ..." chart; the rest are summed as "other"


# --- small helpers ---------------------------------------------------------------------------


def text(value: Any, width: int = 60) -> str:
    """User text made safe for plotly's HTML subset: escaped, wrapped with <br>."""
    if value is None or value == "":
        return "–"
    value = str(value)
    if len(value) <= width and "\n" not in value:  # the common case, without textwrap's cost
        return html.escape(value, quote=False)
    lines = textwrap.wrap(str(value), width, break_long_words=False, break_on_hyphens=False) or [""]
    return "<br>".join(html.escape(line, quote=False) for line in lines[:6]) + ("…" if len(lines) > 6 else "")


def number(value: Any) -> str:
    """A figure as a reader writes it: 885.5, 1,000, 0.25."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{value:,.6g}" if abs(value) < 1e15 else f"{value:.3g}"
    return "–" if value is None else str(value)


@functools.lru_cache(maxsize=65536)
def period_end(label: Any) -> str | None:
    """The ISO date a period (`2024`, `2024-Q2`, ...) ends on: where its point sits on a time axis."""
    try:
        return parse_period(label).end.isoformat()
    except PeriodError:
        return None


def status_label(status: str | None) -> str:
    return STATUS_LABELS.get(status or "", status or "unknown")


def percent(value: float | None) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:.0%}"


def _layout(title: str, subtitle: str, footer: str, **axes: Any) -> Spec:
    """The house layout: title, subtitle and legend above the plot, sources under it."""
    lines = footer.count("<br>") + 1
    return {
        "title": {"text": title, "x": 0.01, "xanchor": "left", "y": 0.98, "yanchor": "top", "yref": "container",
                  "subtitle": {"text": subtitle, "font": {"color": MUTED}}},
        "font": {"family": FONT, "color": INK, "size": 13},
        "margin": {"l": 70, "r": 30, "t": 120, "b": 90 + 15 * lines},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "hovermode": "closest",
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom", "font": {"size": 12}},
        "annotations": [_footer(footer)],
        **axes,
    }


def _footer(footer: str) -> Spec:
    return {
        "text": footer, "xref": "paper", "yref": "paper", "x": 0, "y": 0, "xanchor": "left", "yanchor": "top",
        "yshift": -72, "showarrow": False, "align": "left", "font": {"size": 11, "color": MUTED},
    }


def _axis(title: str, **extra: Any) -> Spec:
    return {"title": {"text": title}, "gridcolor": "#ececec", "zeroline": False, "linecolor": "#bbbbbb", **extra}


def _vline(x: str, label: str, colour: str, dash: str = "dash") -> tuple[Spec, Spec]:
    """A vertical line across the plot at a date, and its label at the top."""
    shape = {"type": "line", "xref": "x", "yref": "paper", "x0": x, "x1": x, "y0": 0, "y1": 1,
             "line": {"color": colour, "width": 1.5, "dash": dash}}
    note = {"text": label, "xref": "x", "yref": "paper", "x": x, "y": 1, "yanchor": "top", "xanchor": "left",
            "xshift": 3, "showarrow": False, "font": {"size": 11, "color": colour}}
    return shape, note


def _add_vlines(layout: Spec, lines: Iterable[tuple[str | None, str, str, str]]) -> None:
    for x, label, colour, dash in lines:
        if x:
            shape, note = _vline(x, label, colour, dash)
            layout.setdefault("shapes", []).append(shape)
            layout["annotations"].append(note)


def _sources_line(detail: Mapping[str, Any], observations: Sequence[Mapping[str, Any]]) -> str:
    """`Data: ... · Statement: title (publisher, date)`: where every point and the quote come from."""
    cited = list(dict.fromkeys(str(o["source"]) for o in observations if o.get("source")))
    source = detail.get("source") or {}
    statement = source.get("title") or detail["proposition"].get("source", "")
    where = ", ".join(str(x) for x in (source.get("publisher"), source.get("published")) if x)
    parts = []
    if cited:
        parts.append("Data: " + "; ".join(cited[:4]) + (f" and {len(cited) - 4} more" if len(cited) > 4 else ""))
    parts.append(f"Statement: {statement}" + (f" ({where})" if where else ""))
    return text(" · ".join(parts), 110)


def _status_subtitle(detail: Mapping[str, Any]) -> str:
    status = f"Status as of {detail['as_of']}: {status_label(detail.get('status'))}"
    if detail.get("progress") is not None:
        status += f" · progress {percent(detail['progress'])}"
        if detail.get("expected_progress") is not None:
            status += f" (expected by now {percent(detail['expected_progress'])})"
    return status


# --- one proposition ---------------------------------------------------------------------------


def proposition_spec(detail: Mapping[str, Any]) -> Spec:
    """The chart of one proposition (a `proposition_detail` dict): a target's path or an event's evidence."""
    if detail["proposition"]["kind"] == "target":
        return target_spec(detail)
    return event_spec(detail)


def _hover_rows(observations: Sequence[Mapping[str, Any]], unit: str) -> list[list[str]]:
    return [
        [text(o["as_of"]), text(o.get("source")), text(o.get("grade")), text(o.get("note")), text(f"{number(o['value'])} {unit}".strip())]
        for o in observations
    ]


_HOVER = ("<b>%{customdata[4]}</b><br>period: %{customdata[0]}<br>source: %{customdata[1]}"
          "<br>grade: %{customdata[2]}<br>note: %{customdata[3]}<extra>%{fullData.name}</extra>")


def _observation_trace(observations: Sequence[Mapping[str, Any]], unit: str, name: str, marker: Spec, mode: str) -> Spec:
    return {
        "type": "scatter", "name": name, "mode": mode,
        "x": [period_end(o["as_of"]) for o in observations],
        "y": [o["value"] for o in observations],
        "customdata": _hover_rows(observations, unit),
        "hovertemplate": _HOVER, "marker": marker, "line": {"color": marker.get("color", INK), "width": 2},
    }


def target_spec(detail: Mapping[str, Any]) -> Spec:
    """Observed values over time against the baseline, the target, the deadline and the straight-line path."""
    prop = detail["proposition"]
    metric = detail.get("metric") or {}
    unit = metric.get("unit", "")
    baseline, target = prop["baseline"], prop["target"]
    base_x = period_end(baseline["as_of"])
    ordered = sorted(detail.get("observations", []), key=lambda o: (period_end(o["as_of"]) or "", o.get("recorded_at", "")))
    current = [o for o in ordered if not o.get("superseded")]
    revised = [o for o in ordered if o.get("superseded")]
    target_text = f"target {target['op']} {number(target['value'])} {unit}".strip()
    data = [
        {"type": "scatter", "name": "expected path (straight line)", "mode": "lines", "x": [base_x, prop["deadline"]],
         "y": [baseline["value"], target["value"]], "line": {"color": MUTED, "dash": "dot", "width": 1.5}, "hoverinfo": "skip"},
        {"type": "scatter", "name": html.escape(target_text, quote=False), "mode": "lines", "x": [base_x, prop["deadline"]],
         "y": [target["value"], target["value"]], "line": {"color": STATUS_COLOURS[Status.MATERIALISED], "dash": "dash", "width": 2},
         "hovertemplate": html.escape(target_text, quote=False) + "<extra></extra>"},
        {"type": "scatter", "name": f"baseline ({html.escape(str(baseline['as_of']), quote=False)})", "mode": "markers", "x": [base_x],
         "y": [baseline["value"]], "marker": {"symbol": "diamond", "size": 11, "color": MUTED},
         "hovertemplate": f"baseline {html.escape(str(baseline['as_of']), quote=False)}: {number(baseline['value'])} {html.escape(unit, quote=False)}<extra></extra>"},
        _observation_trace(current, unit, "observed", {"color": "#2166ac", "size": 9}, "lines+markers"),
    ]
    if revised:
        data.append(_observation_trace(revised, unit, "revised (superseded)",
                                       {"color": MUTED, "size": 9, "symbol": "circle-open", "line": {"width": 2}}, "markers"))
    subtitle = f"{text(metric.get('name', prop.get('metric', '')), 120)}<br>{_status_subtitle(detail)}"
    layout = _layout(text(prop["title"], 90), subtitle, _sources_line(detail, ordered),
                     xaxis=_axis("end of the period observed", type="date"), yaxis=_axis(text(unit, 30), rangemode="tozero"))
    layout["margin"]["t"] = 140
    _add_vlines(layout, [(prop["stated_on"], "stated", MUTED, "dot"), (prop["deadline"], "deadline", "#b2182b", "dash"),
                         (detail["as_of"], "as of", INK, "dot")])
    return {"data": data, "layout": layout}


def event_spec(detail: Mapping[str, Any]) -> Spec:
    """A timeline of evidence (yes / partly / no, coloured) against the date stated and the deadline."""
    prop = detail["proposition"]
    ordered = sorted(detail.get("observations", []), key=lambda o: (period_end(o["as_of"]) or "", o.get("recorded_at", "")))
    data = []
    for value in ("yes", "partly", "no"):
        chosen = [o for o in ordered if o["value"] == value and not o.get("superseded")]
        trace = _observation_trace(chosen, "", f"evidence: {value}", {"color": EVIDENCE_COLOURS[value], "size": 14}, "markers")
        data.append(trace | {"y": [value] * len(chosen)})
    revised = [o for o in ordered if o.get("superseded")]
    if revised:
        trace = _observation_trace(revised, "", "revised (superseded)",
                                   {"color": MUTED, "size": 14, "symbol": "circle-open", "line": {"width": 2}}, "markers")
        data.append(trace | {"y": [str(o["value"]) for o in revised]})
    subtitle = _status_subtitle(detail)
    if detail.get("best_evidence"):
        subtitle += f" · best evidence: {detail['best_evidence']}"
    yaxis = _axis("evidence", type="category", categoryorder="array", categoryarray=["no", "partly", "yes"], range=[-0.5, 2.5])
    xaxis = _axis("date of the evidence (end of its period)", type="date", range=_event_range(prop, ordered, detail["as_of"]))
    layout = _layout(text(prop["title"], 90), subtitle, _sources_line(detail, ordered), xaxis=xaxis, yaxis=yaxis)
    _add_vlines(layout, [(prop["stated_on"], "stated", MUTED, "dot"), (prop["deadline"], "deadline", "#b2182b", "dash"),
                         (detail["as_of"], "as of", INK, "dot")])
    return {"data": data, "layout": layout}


def _event_range(prop: Mapping[str, Any], observations: Sequence[Mapping[str, Any]], as_of: str) -> list[str]:
    """From a little before the statement to a little after the deadline (or the latest evidence)."""
    days = [date.fromisoformat(d) for d in (prop["stated_on"], prop["deadline"], as_of)]
    days += [date.fromisoformat(x) for x in (period_end(o["as_of"]) for o in observations) if x]
    start, end = min(days), max(days)
    pad = timedelta(days=max(30, (end - start).days // 20))
    return [(start - pad).isoformat(), (end + pad).isoformat()]


# --- overviews -------------------------------------------------------------------------------------


def status_counts(rows: Iterable[Mapping[str, Any]], key: str) -> dict[str, Counter[str]]:
    """Per group (a row's `key`: one value or a list), how many propositions have each status."""
    counts: dict[str, Counter[str]] = {}
    for row in rows:
        groups = row.get(key)
        for group in (groups or [None]) if isinstance(groups, list) else [groups]:
            counts.setdefault(str(group or "(none)"), Counter())[row["status"]] += 1
    return counts


def _top_groups(counts: Mapping[str, Counter[str]], limit: int) -> dict[str, Counter[str]]:
    ranked = sorted(counts, key=lambda g: (-sum(counts[g].values()), g))
    kept = {g: counts[g] for g in ranked[:limit]}
    rest = ranked[limit:]
    if rest:
        kept[f"other ({len(rest)})"] = sum((counts[g] for g in rest), Counter())
    return kept


def statuses_by_spec(rows: Sequence[Mapping[str, Any]], key: str, what: str, as_of: str, labels: Mapping[str, str] | None = None) -> Spec:
    """Stacked bars: for each tag (or speaker), how many propositions materialised, failed, are overdue, ..."""
    counts = _top_groups(status_counts(rows, key), MAX_GROUPS)
    groups = list(reversed(counts))  # largest at the top of a horizontal bar chart
    names = [text((labels or {}).get(g, g), 40) for g in groups]
    data = [
        {"type": "bar", "orientation": "h", "name": status_label(status), "y": names, "x": [counts[g][status] for g in groups],
         "marker": {"color": STATUS_COLOURS.get(status, MUTED)}, "hovertemplate": "%{y}: %{x} %{fullData.name}<extra></extra>"}
        for status in STATUS_ORDER if any(counts[g][status] for g in groups)
    ]
    footer = f"Statuses as of {as_of}, computed from the logged observations and rulings (SPEC §4)."
    if key == "tags":
        footer += " A proposition counts under each of its tags."
    layout = _layout(f"Statuses by {what}", f"{len(rows)} propositions", footer,
                     xaxis=_axis("propositions", rangemode="tozero"), yaxis=_axis("", automargin=True), barmode="stack")
    layout["legend"]["traceorder"] = "normal"  # materialised first, as in the counts above
    layout["height"] = max(400, 250 + 22 * len(groups))
    return {"data": data, "layout": layout}


def track_record_spec(records: Sequence[Mapping[str, Any]], key: str = "actor", labels: Mapping[str, str] | None = None) -> Spec:
    """Materialisation rate per speaker (or tag, ...) with its 90% Jeffreys interval and the count resolved."""
    ordered = sorted(records, key=lambda r: (r["rate"], r["resolved"]))
    names = [text((labels or {}).get(str(r[key]), r[key]), 40) for r in ordered]
    data = [{
        "type": "scatter", "mode": "markers+text", "name": "rate", "x": [r["rate"] for r in ordered], "y": names,
        "text": [f"n={r['resolved']}" for r in ordered], "textposition": "top center", "textfont": {"size": 10, "color": MUTED},
        "error_x": {"type": "data", "symmetric": False, "array": [r["interval"][1] - r["rate"] for r in ordered],
                    "arrayminus": [r["rate"] - r["interval"][0] for r in ordered], "color": MUTED, "thickness": 2, "width": 0},
        "marker": {"size": 11, "color": "#2166ac"},
        "customdata": [[r["materialised"], r["partly"], r["not_materialised"], r["interval"][0], r["interval"][1]] for r in ordered],
        "hovertemplate": ("%{y}: %{x:.0%} (90% interval %{customdata[3]:.0%}–%{customdata[4]:.0%})<br>"
                          "materialised %{customdata[0]}, partly %{customdata[1]}, not %{customdata[2]}<extra></extra>"),
    }]
    footer = "Rate = (materialised + ½ partly) / resolved; bars: 90% Jeffreys interval, Beta(k + ½, n − k + ½). Only resolved propositions count."
    layout = _layout("How often announced plans materialised", f"by {key}", footer,
                     xaxis=_axis("materialisation rate", range=[-0.02, 1.02], tickformat=".0%"), yaxis=_axis("", automargin=True))
    layout["showlegend"] = False
    layout["height"] = max(400, 250 + 32 * len(ordered))
    return {"data": data, "layout": layout}


def calibration_spec(bins: Sequence[Mapping[str, Any]], who: str = "all forecasters") -> Spec:
    """Forecast probability against how often it came true, per bin, with the number of forecasts in each."""
    filled = [b for b in bins if b.get("n")]
    centres = [(b["lower"] + b["upper"]) / 2 for b in bins]
    data = [
        {"type": "bar", "name": "forecasts in bin", "x": centres, "y": [b.get("n", 0) for b in bins], "yaxis": "y2",
         "width": [b["upper"] - b["lower"] for b in bins], "marker": {"color": "#e0e0e0"},
         "hovertemplate": "%{y} forecasts in this bin<extra></extra>"},
        {"type": "scatter", "name": "perfect calibration", "mode": "lines", "x": [0, 1], "y": [0, 1],
         "line": {"color": MUTED, "dash": "dot"}, "hoverinfo": "skip"},
        {"type": "scatter", "name": "observed frequency", "mode": "markers+text", "x": [b["mean_forecast"] for b in filled],
         "y": [b["observed_frequency"] for b in filled], "text": [f"n={b['n']}" for b in filled], "textposition": "top center",
         "marker": {"color": "#2166ac", "size": [8 + 3 * math.sqrt(b["n"]) for b in filled]},
         "customdata": [[b["lower"], b["upper"], b["n"]] for b in filled],
         "hovertemplate": ("bin %{customdata[0]:.0%}–%{customdata[1]:.0%}: mean forecast %{x:.0%}, "
                           "came true %{y:.0%} (n=%{customdata[2]})<extra></extra>")},
    ]
    footer = "Forecasts on resolved propositions, in 10 bins by probability; partly counts as ½. Grey bars: forecasts per bin (right axis)."
    total = sum(b.get("n", 0) for b in bins)
    layout = _layout("Calibration: forecast probability against observed frequency", f"{text(who)} · {total} scored forecasts", footer,
                     xaxis=_axis("forecast probability", range=[0, 1], tickformat=".0%"),
                     yaxis=_axis("observed frequency", range=[-0.02, 1.05], tickformat=".0%"),
                     yaxis2={"title": {"text": "forecasts"}, "overlaying": "y", "side": "right", "showgrid": False, "rangemode": "tozero"})
    return {"data": data, "layout": layout}


def scenario_spec(scenario_set: Mapping[str, Any], start: str | None = None) -> Spec:
    """Each scenario's weight over time: the priors, then a step each time an indicator resolved."""
    titles = {s["id"]: s.get("title", s["id"]) for s in scenario_set.get("scenarios", [])}
    priors = {s["id"]: s["prior"] for s in scenario_set.get("scenarios", [])}
    history = scenario_set.get("history", [])
    first = start or (history[0]["on"] if history else scenario_set.get("as_of"))
    steps = [(first, "prior", priors)] + [(h["on"], f"{h['indicator']}: {status_label(h['outcome'])}", h["weights"]) for h in history]
    last_day = scenario_set.get("as_of")
    if last_day and steps[-1][0] != last_day:
        steps.append((last_day, "as of", steps[-1][2]))
    data = [
        {"type": "scatter", "mode": "lines+markers", "line": {"shape": "hv", "width": 2.5}, "name": text(titles.get(sid, sid), 50),
         "x": [s[0] for s in steps], "y": [s[2].get(sid) for s in steps], "customdata": [html.escape(s[1], quote=False) for s in steps],
         "hovertemplate": "%{fullData.name}: %{y:.0%}<br>%{x|%Y-%m-%d} · %{customdata}<extra></extra>"}
        for sid in priors
    ]
    footer = "Bayes' rule over the set's indicators: each resolved proposition multiplies a scenario's weight by its likelihood (SPEC §3)."
    layout = _layout(f"Scenario weights: {text(scenario_set.get('title', scenario_set['id']), 70)}",
                     f"{len(history)} indicators resolved", footer,
                     xaxis=_axis("date an indicator resolved", type="date"), yaxis=_axis("weight", range=[0, 1], tickformat=".0%"))
    return {"data": data, "layout": layout}
