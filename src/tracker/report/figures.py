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
from typing import Any, cast

from tracker.core.periods import PeriodError, parse_period
from tracker.core.results import CalibrationBin, Detail, ForecastView, ObservationView, PropositionRow, ScenarioEntry, TrackRecordRow
from tracker.core.status import Status
from tracker.report.text import READING_ORDER, status_label, target_text, unscored_mark, unscored_text
from tracker.report.text import percent as text_percent

Spec = dict[str, Any]

STATUS_ORDER = READING_ORDER
STATUS_COLOURS: dict[str, str] = {
    Status.MATERIALISED: "#1b7837", Status.PARTLY: "#a6dba0", Status.NOT_MATERIALISED: "#b2182b", Status.ANNULLED: "#878787",
    Status.OVERDUE: "#e66101", Status.BEHIND: "#fdb863", Status.ON_TRACK: "#5aae61", Status.IN_PROGRESS: "#4393c3",
    Status.OPEN: "#92c5de", Status.NO_DATA: "#d9d9d9",
}
STATUS_PATTERNS: dict[str, Spec] = {Status.OVERDUE: {"shape": "/", "fillmode": "overlay", "fgcolor": "#ffffff", "size": 8,
                                                     "solidity": 0.3}}
"""Overdue is hatched as well as coloured: "deadline passed, not yet checked" is not a failure."""
EVIDENCE_COLOURS = {"yes": "#1b7837", "partly": "#e6a700", "no": "#b2182b"}
OBSERVED = "#2166ac"
PARTIAL = "#8073ac"
FORECASTER_COLOURS = ("#2166ac", "#b35806", "#1b7837", "#762a83", "#c51b7d", "#01665e", "#8c510a", "#4d4d4d")
INK = "#333333"
MUTED = "#8c8c8c"
FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
FOOTER_WIDTH = 150  # characters of a line under a chart
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


def percent(value: float | None) -> str:
    return text_percent(value)


def _layout(title: str, subtitle: str, footer: str, **axes: Any) -> Spec:
    """The house layout: title, subtitle and legend above the plot, sources under it (wrapped to fit)."""
    if "<br>" not in footer and len(footer) > FOOTER_WIDTH:
        footer = "<br>".join(textwrap.wrap(footer, FOOTER_WIDTH, break_long_words=False, break_on_hyphens=False))
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
    """Vertical lines with their labels, each label a little lower than the one before so close dates stay legible."""
    for x, label, colour, dash in lines:
        if x:
            shape, note = _vline(x, label, colour, dash)
            _place(layout, note)
            layout["shapes"].append(shape)
            layout["annotations"].append(note)


def _place(layout: Spec, note: Spec) -> None:
    """A line's label: a step lower than the previous one; left of its line in the last quarter of a fixed x range."""
    note["y"] = 1 - 0.05 * (len(layout.setdefault("shapes", [])) % 4)
    shown = layout["xaxis"].get("range")  # an optional plotly property (set where the x range is fixed)
    if shown and isinstance(note["x"], str):
        first, last = (date.fromisoformat(d).toordinal() for d in shown)
        if last > first and (date.fromisoformat(note["x"]).toordinal() - first) / (last - first) > 0.75:
            note |= {"xanchor": "right", "xshift": -3}


def _legend_aside(layout: Spec) -> None:
    """The legend to the right of the plot, one entry a line: a proposition's chart names many things."""
    layout["height"] = 540
    layout["legend"] = {"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top", "font": {"size": 12},
                        "traceorder": "normal"}
    layout["margin"]["r"] = 270


def _sources_line(detail: Detail, observations: Sequence[ObservationView]) -> str:
    """`Data: ... · Statement: title (publisher, date)`: where every point and the quote come from."""
    cited = list(dict.fromkeys(str(o["source"]) for o in observations if o["source"]))
    source = detail["source"]
    statement = source["title"] if source is not None else detail["proposition"]["source"]
    where = ", ".join(str(x) for x in (source["publisher"], source["published"]) if x) if source is not None else ""
    parts = []
    if cited:
        parts.append("Data: " + "; ".join(cited[:4]) + (f" and {len(cited) - 4} more" if len(cited) > 4 else ""))
    parts.append(f"Statement: {statement}" + (f" ({where})" if where else ""))
    return text(" · ".join(parts), 110)


def _status_subtitle(detail: Detail) -> str:
    status = f"Status as of {detail['as_of']}: {status_label(detail['status'])}"
    if detail["progress"] is not None:
        status += f" · progress {percent(detail['progress'])}"
        if detail["expected_progress"] is not None:
            status += f" (expected by now {percent(detail['expected_progress'])})"
    if detail["projection"] is not None:
        projection = detail["projection"]
        status += f" · {projection['as_of']} projected at {number(projection['value'])} from the figure through {projection['through']}"
    return status


# --- one proposition ---------------------------------------------------------------------------


def proposition_spec(detail: Detail) -> Spec:
    """The chart of one proposition (a `Detail`): a target's figures against its path, or an event's evidence."""
    if detail["proposition"]["kind"] == "target":
        return target_spec(detail)
    return event_spec(detail)


@functools.lru_cache(maxsize=65536)
def span(label: str) -> tuple[str, str] | None:
    """The first and last day (ISO) of a period: where a figure for it is drawn across the time axis."""
    try:
        period = parse_period(label)
    except PeriodError:
        return None
    return period.start.isoformat(), period.end.isoformat()


def _middle(first: str, last: str) -> str:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return (start + (end - start) / 2).isoformat()


def covered(obs: ObservationView) -> tuple[str, str]:
    """The stretch an observation's value covers: its period, or for a partial figure the start of it to `through`'s end."""
    whole = span(obs["as_of"]) or (obs["known_on"], obs["known_on"])
    if obs["through"] is None:
        return whole
    part = span(obs["through"])
    return whole[0], part[1] if part else whole[1]


def _period_text(obs: ObservationView) -> str:
    return obs["as_of"] + (f" through {obs['through']}" if obs["through"] else "")


def _shown_value(obs: ObservationView, unit: str) -> str:
    written = obs["written"]
    if isinstance(obs["value"], str):
        return obs["value"]
    shown = f"{number(obs['value'])} {unit}".strip()
    return shown if written is None else f"{written} (= {shown})" if any(c.isalpha() for c in written) else f"{written} {unit}".strip()


def _hover_rows(observations: Sequence[ObservationView], unit: str) -> list[list[str]]:
    return [
        [text(_period_text(o)), text(o["source"]), text(o["grade"]), text(o["note"]), text(_shown_value(o, unit)), text(_status_of(o)),
         text(o["uid"] or o["origin"])]
        for o in observations
    ]


def _status_of(obs: ObservationView) -> str:
    """What the record is now: standing, revised, or withdrawn (with the reason)."""
    if obs["withdrawn"] is not None:
        return f"withdrawn {obs['withdrawn']['recorded_at'][:10]}: {obs['withdrawn']['why']}"
    if obs["superseded"]:
        return "revised by a later figure for the same period"
    return f"counts from {obs['known_on']}"


_HOVER = ("<b>%{customdata[4]}</b><br>period: %{customdata[0]}<br>source: %{customdata[1]}"
          "<br>grade: %{customdata[2]}<br>note: %{customdata[3]}<br>%{customdata[5]}<br>id: %{customdata[6]}"
          "<extra>%{fullData.name}</extra>")


def _markers(observations: Sequence[ObservationView], unit: str, name: str, marker: Spec, *, y: list[Any] | None = None,
             x: list[Any] | None = None, **extra: Any) -> Spec:
    """A marker per observation (at the middle of what it covers unless `x` says), hover giving everything about it."""
    return {
        "type": "scatter", "name": name, "mode": "markers",
        "x": x if x is not None else [_middle(*covered(o)) for o in observations],
        "y": y if y is not None else [o["value"] for o in observations],
        "customdata": _hover_rows(observations, unit), "hovertemplate": _HOVER, "marker": marker, **extra,
    }


def _segments(pieces: Sequence[tuple[str, str, float]], name: str, line: Spec, **extra: Any) -> Spec:
    """Horizontal segments, one per (first day, last day, value): a figure drawn across what it covers."""
    xs: list[str | None] = []
    ys: list[float | None] = []
    for first, last, value in pieces:
        xs += [first, last, None]
        ys += [value, value, None]
    return {"type": "scatter", "name": name, "mode": "lines", "x": xs, "y": ys, "line": line, "hoverinfo": "skip", **extra}


def _observed(current: Sequence[ObservationView], unit: str) -> list[Spec]:
    """Full figures that count: each across its period, a dot in the middle (hover), bounds drawn as bounds."""
    points = [o for o in current if o["bound"] is None]
    bounded = [o for o in current if o["bound"] is not None]
    traces = [_segments([(*covered(o), float(o["value"])) for o in current], "observed (each figure across its period)",
                        {"color": OBSERVED, "width": 3}, legendgroup="observed")]
    if points:
        traces.append(_markers(points, unit, "observed", {"color": OBSERVED, "size": 8}, legendgroup="observed", showlegend=False))
    if bounded:
        traces.append(_bounds(bounded, unit))
    return traces


def _bounds(bounded: Sequence[ObservationView], unit: str) -> Spec:
    """Figures published as a bound or range: a range as error bars around its middle, `>400` as an
    upward triangle at 400 (at least), `<500` as a downward one (at most)."""
    ranges = [o["bound"] for o in bounded]
    symbols = ["line-ew" if b and b["low"] is not None and b["high"] is not None else "triangle-up" if b and b["low"] is not None
               else "triangle-down" for b in ranges]
    return _markers(
        bounded, unit, "published as a bound or range", {"color": OBSERVED, "size": 12, "symbol": symbols, "line": {"width": 2}},
        error_y={"type": "data", "symmetric": False, "color": OBSERVED, "thickness": 2, "width": 8,
                 "array": [(b["high"] - float(o["value"])) if b and b["high"] is not None and b["low"] is not None else 0
                           for o, b in zip(bounded, ranges, strict=True)],
                 "arrayminus": [(float(o["value"]) - b["low"]) if b and b["high"] is not None and b["low"] is not None else 0
                                for o, b in zip(bounded, ranges, strict=True)]})


def _partials(partials: Sequence[ObservationView], unit: str) -> list[Spec]:
    """Partial figures across the part of the period they cover, and each one's projection for the whole period, dashed."""
    if not partials:
        return []
    projected = [o for o in partials if o["projected"] is not None]
    traces = [
        _segments([(*covered(o), float(o["value"])) for o in partials], "partial figure (the start of its period)",
                  {"color": PARTIAL, "width": 2}, legendgroup="partial"),
        _markers(partials, unit, "partial figure (the start of its period)", {"color": PARTIAL, "size": 8, "symbol": "square-open",
                                                                            "line": {"width": 2}},
                 legendgroup="partial", showlegend=False),
    ]
    if projected:
        traces.append(_segments([(*(span(o["as_of"]) or covered(o)), float(o["projected"] or 0.0)) for o in projected],
                                "projection for the whole period (same rate)", {"color": PARTIAL, "width": 2, "dash": "dash"},
                                legendgroup="projection"))
        traces.append(_markers(projected, unit, "projection for the whole period (same rate)",
                               {"color": PARTIAL, "size": 1, "opacity": 0},
                               x=[_middle(*(span(o["as_of"]) or covered(o))) for o in projected],
                               y=[o["projected"] for o in projected], legendgroup="projection", showlegend=False,
                               hovertemplate="<b>projected %{y:,.6g}</b> for %{customdata[0]}<br>from %{customdata[4]}<extra></extra>"))
    return traces


def _faint(revised: Sequence[ObservationView], withdrawn: Sequence[ObservationView], unit: str, *, event: bool = False) -> list[Spec]:
    """Revised and withdrawn figures: faint, still hoverable, never setting the axis range (an event's
    evidence sits at the end of its period, on its value's row)."""
    traces = []
    for chosen, name, symbol in ((revised, "revised (superseded)", "circle-open"), (withdrawn, "withdrawn (no longer counts)", "x-thin-open")):
        if chosen:
            where: dict[str, Any] = {"x": [covered(o)[1] for o in chosen], "y": [str(o["value"]) for o in chosen]} if event else {}
            traces.append(_markers(chosen, unit, name, {"color": MUTED, "size": 9, "symbol": symbol, "line": {"width": 2}},
                                   opacity=0.45, **where))
    return traces


def _split(detail: Detail) -> tuple[list[ObservationView], list[ObservationView], list[ObservationView], list[ObservationView]]:
    """A proposition's observations: full figures that count, partial ones that count, revised, withdrawn."""
    ordered = sorted(detail["observations"], key=lambda o: (covered(o)[1], o["recorded_at"]))
    withdrawn = [o for o in ordered if o["withdrawn"] is not None]
    revised = [o for o in ordered if o["superseded"] and o["withdrawn"] is None]
    standing = [o for o in ordered if not o["superseded"] and o["withdrawn"] is None]
    return ([o for o in standing if o["through"] is None], [o for o in standing if o["through"] is not None], revised, withdrawn)


def _value_range(values: Iterable[float | None]) -> list[float]:
    """The y range that shows every value that counts (and zero), with some room above."""
    finite = [v for v in values if v is not None and math.isfinite(v)]
    low, high = min([0.0, *finite]), max([0.0, *finite])
    room = (high - low) * 0.08 or 1.0
    return [low - (room if low < 0 else 0.0), high + room]


def _counted_values(detail: Detail, current: Sequence[ObservationView], partials: Sequence[ObservationView]) -> list[float | None]:
    prop = detail["proposition"]
    values: list[float | None] = []
    values += [float(o["value"]) for o in [*current, *partials]]
    values += [o["projected"] for o in partials]
    values += [end for o in current if o["bound"] is not None for end in (o["bound"]["low"], o["bound"]["high"])]
    values += [prop["baseline"]["value"] if prop["baseline"] else None, prop["target"]["value"] if prop["target"] else None]
    return values


def target_spec(detail: Detail) -> Spec:
    """A target's figures over time, each drawn across the period it describes, against the baseline, the
    target, the deadline and the straight-line path; partial figures with their projection (dashed), bounds
    as bounds, revised and withdrawn figures faint (they never set the axis range), rulings as marked dates."""
    prop = detail["proposition"]
    metric = detail["metric"]
    unit = metric["unit"] if metric is not None else ""
    baseline, target = prop["baseline"], prop["target"]
    assert baseline is not None and target is not None, "a target proposition has a baseline and a target"
    current, partials, revised, withdrawn = _split(detail)
    base = span(baseline["as_of"]) or (prop["stated_on"], prop["stated_on"])
    target_words = html.escape(target_text(target, unit), quote=False)
    data = [
        {"type": "scatter", "name": "expected path (straight line)", "mode": "lines", "x": [base[1], prop["deadline"]],
         "y": [baseline["value"], target["value"]], "line": {"color": MUTED, "dash": "dot", "width": 1.5}, "hoverinfo": "skip"},
        {"type": "scatter", "name": f"target {target_words}", "mode": "lines", "x": [base[1], prop["deadline"]],
         "y": [target["value"], target["value"]], "line": {"color": STATUS_COLOURS[Status.MATERIALISED], "dash": "dash", "width": 2},
         "hovertemplate": f"target {target_words}<extra></extra>"},
        {"type": "scatter", "name": f"baseline ({html.escape(baseline['as_of'], quote=False)})", "mode": "lines+markers",
         "x": [base[0], _middle(*base), base[1]], "y": [baseline["value"]] * 3, "line": {"color": MUTED, "width": 3},
         "marker": {"symbol": "diamond", "size": [0, 11, 0], "color": MUTED},
         "hovertemplate": f"baseline {html.escape(baseline['as_of'], quote=False)}: {number(baseline['value'])} "
                          f"{html.escape(unit, quote=False)}<extra></extra>"},
        *_observed(current, unit), *_partials(partials, unit), *_faint(revised, withdrawn, unit),
    ]
    name = metric["name"] if metric is not None else prop["metric"]
    subtitle = f"{text(name, 120)}<br>{_status_subtitle(detail)}"
    days = [d for o in [*current, *partials] for d in covered(o)] + [base[0]]
    layout = _layout(text(prop["title"], 90), subtitle, _sources_line(detail, detail["observations"]),
                     xaxis=_axis("each figure drawn across the period it describes", type="date",
                                 range=_event_range(prop["stated_on"], prop["deadline"], detail["as_of"], days)),
                     yaxis=_axis(text(unit, 30), range=_value_range(_counted_values(detail, current, partials)), autorange=False))
    layout["margin"]["t"] = 140
    _legend_aside(layout)
    _mark_dates(layout, detail)
    return {"data": data, "layout": layout}


def _mark_dates(layout: Spec, detail: Detail) -> None:
    """The day stated, the deadline, the as-of date, each ruling (hover: its reason), and, while the
    deadline has passed unchecked, the stretch since shaded as such."""
    prop = detail["proposition"]
    _add_vlines(layout, [(prop["stated_on"], "stated", MUTED, "dot"), (prop["deadline"], "deadline", "#b2182b", "dash"),
                         (detail["as_of"], "as of", INK, "dot")])
    for ruling in detail["rulings"]:
        withdrawn = ruling["withdrawn"] is not None
        colour = MUTED if withdrawn else STATUS_COLOURS[ruling["status"]]
        label = f"ruling: {status_label(ruling['status'])}" + (" (withdrawn)" if withdrawn else "")
        reason = ruling["why"] + (f" (withdrawn: {ruling['withdrawn']['why']})" if ruling["withdrawn"] is not None else "")
        shape, note = _vline(ruling["made_on"], text(label, 40), colour, "dashdot" if not withdrawn else "dot")
        note |= {"hovertext": text(reason, 60), "opacity": 0.6 if withdrawn else 1.0}
        _place(layout, note)
        layout["shapes"].append(shape)
        layout["annotations"].append(note)
    if detail["status"] == Status.OVERDUE and prop["deadline"] < detail["as_of"]:
        layout.setdefault("shapes", []).append(
            {"type": "rect", "xref": "x", "yref": "paper", "x0": prop["deadline"], "x1": detail["as_of"], "y0": 0, "y1": 1,
             "fillcolor": STATUS_COLOURS[Status.OVERDUE], "opacity": 0.08, "line": {"width": 0}, "layer": "below"})
        layout["annotations"].append(
            {"text": "deadline passed, not yet checked", "xref": "x", "yref": "paper", "x": prop["deadline"], "y": 0.02,
             "xanchor": "left", "yanchor": "bottom", "xshift": 3, "showarrow": False,
             "font": {"size": 11, "color": STATUS_COLOURS[Status.OVERDUE]}})


_RULED_AS = {Status.MATERIALISED: "yes", Status.PARTLY: "partly", Status.NOT_MATERIALISED: "no"}


def event_spec(detail: Detail) -> Spec:
    """A timeline of evidence (yes / partly / no, coloured; each across the period it describes) against the
    day stated, the deadline and the as-of date; revised and withdrawn evidence faint; a ruling as a marked
    date and a diamond at the outcome it ruled, so a proposition settled by a ruling never has an empty chart."""
    prop = detail["proposition"]
    current, _, revised, withdrawn = _split(detail)
    data: list[Spec] = []
    for value in ("yes", "partly", "no"):
        chosen = [o for o in current if o["value"] == value]
        long = [covered(o) for o in chosen if covered(o)[0] != covered(o)[1]]
        if long:
            data.append({"type": "scatter", "mode": "lines", "name": f"evidence: {value}", "legendgroup": value, "showlegend": False,
                         "x": [x for first, last in long for x in (first, last, None)],
                         "y": [y for _ in long for y in (value, value, None)], "line": {"color": EVIDENCE_COLOURS[value], "width": 6},
                         "hoverinfo": "skip"})
        if chosen:
            data.append(_markers(chosen, "", f"evidence: {value}", {"color": EVIDENCE_COLOURS[value], "size": 14},
                                 x=[covered(o)[1] for o in chosen], y=[value] * len(chosen), legendgroup=value))
    data += _faint(revised, withdrawn, "", event=True)
    data += _ruling_markers(detail)
    subtitle = _status_subtitle(detail)
    if detail["best_evidence"]:
        subtitle += f" · best evidence: {detail['best_evidence']}"
    yaxis = _axis("evidence", type="category", categoryorder="array", categoryarray=["no", "partly", "yes"], range=[-0.5, 2.5])
    xaxis = _axis("date of the evidence (the period it describes)", type="date",
                  range=_event_range(prop["stated_on"], prop["deadline"], detail["as_of"], [covered(o)[1] for o in current]))
    layout = _layout(text(prop["title"], 90), subtitle, _sources_line(detail, detail["observations"]), xaxis=xaxis, yaxis=yaxis)
    _legend_aside(layout)
    _mark_dates(layout, detail)
    return {"data": data, "layout": layout}


def _ruling_markers(detail: Detail) -> list[Spec]:
    """Each ruling that says an outcome, as a diamond at that outcome on its date (faint when withdrawn)."""
    rulings = [r for r in detail["rulings"] if r["status"] in _RULED_AS]
    if not rulings:
        return []
    return [{
        "type": "scatter", "mode": "markers", "name": "ruling", "x": [r["made_on"] for r in rulings],
        "y": [_RULED_AS[Status(r["status"])] for r in rulings],
        "marker": {"symbol": "diamond", "size": 15, "line": {"width": 2, "color": INK},
                   "color": [MUTED if r["withdrawn"] else STATUS_COLOURS[r["status"]] for r in rulings],
                   "opacity": [0.45 if r["withdrawn"] else 1.0 for r in rulings]},
        "customdata": [[text(status_label(r["status"])), text(r["why"]),
                        text(f"withdrawn: {r['withdrawn']['why']}" if r["withdrawn"] else ("in force" if r["in_force"] else ""))]
                       for r in rulings],
        "hovertemplate": "<b>ruling: %{customdata[0]}</b><br>%{x|%Y-%m-%d}: %{customdata[1]}<br>%{customdata[2]}<extra></extra>",
    }]


def _event_range(stated_on: str, deadline: str, as_of: str, days: Sequence[str]) -> list[str]:
    """From a little before the statement to a little after the deadline (or the latest evidence)."""
    found = [date.fromisoformat(d) for d in (stated_on, deadline, as_of, *days)]
    start, end = min(found), max(found)
    pad = timedelta(days=max(30, (end - start).days // 20))
    return [_moved(start, -pad), _moved(end, pad)]


def _moved(day: date, by: timedelta) -> str:
    """`day` moved by `by`, stopping at the calendar's first or last day (year 1, year 9999)."""
    try:
        return (day + by).isoformat()
    except OverflowError:
        return (date.min if by < timedelta(0) else date.max).isoformat()


# --- forecasts over time -----------------------------------------------------------------------------


def forecasts_spec(detail: Detail) -> Spec | None:
    """Each forecaster's probability over time (a step from each forecast to the next), scored forecasts
    as dots; forecasts never scored (retrodictions, those logged after the outcome) as crosses at the date
    they claim, joined by a dotted line to the day they were logged. None without forecasts."""
    forecasts = detail["forecasts"]
    if not forecasts:
        return None
    prop = detail["proposition"]
    end = min(detail["as_of"], detail["resolved_on"] or detail["as_of"])
    data: list[Spec] = []
    for index, who in enumerate(dict.fromkeys(f["forecaster"] for f in forecasts)):
        colour = FORECASTER_COLOURS[index % len(FORECASTER_COLOURS)]
        own = [f for f in forecasts if f["forecaster"] == who]
        data += _forecaster_traces(who, own, colour, end)
    layout = _layout(f"Forecasts: {text(prop['title'], 80)}", f"{len(forecasts)} forecasts · status as of {detail['as_of']}: "
                     f"{status_label(detail['status'])}",
                     "Each line: a forecaster's probability that it materialises by the deadline, from each forecast to the next. "
                     "Crosses: never scored (made long before it was logged, or logged after the outcome).",
                     xaxis=_axis("date the forecast was made", type="date"),
                     yaxis=_axis("probability it materialises", range=[0, 1.02], tickformat=".0%"))
    _legend_aside(layout)
    _add_vlines(layout, [(prop["deadline"], "deadline", "#b2182b", "dash"), (detail["as_of"], "as of", INK, "dot")])
    if detail["resolved_on"]:
        _add_vlines(layout, [(detail["resolved_on"], f"resolved: {status_label(detail['status'])}",
                              STATUS_COLOURS[detail["status"]], "dashdot")])
    return {"data": data, "layout": layout}


def _forecast_rows(forecasts: Sequence[ForecastView]) -> list[list[str]]:
    return [[text(f["made_on"]), text(f["recorded_at"][:10]), text(f["note"]),
             text(f"{unscored_mark(f['unscored'])}: {unscored_text(f['unscored'])}" if f["unscored"] else "scored once resolved")]
            for f in forecasts]


_FORECAST_HOVER = ("<b>%{fullData.name}: %{y:.0%}</b><br>made on %{customdata[0]}, logged %{customdata[1]}"
                   "<br>note: %{customdata[2]}<br>%{customdata[3]}<extra></extra>")


def _forecaster_traces(who: str, own: Sequence[ForecastView], colour: str, end: str) -> list[Spec]:
    scored = [f for f in own if f["unscored"] is None]
    late = [f for f in own if f["unscored"] is not None]
    name = text(who, 40)
    traces: list[Spec] = []
    if scored:
        xs = [f["made_on"] for f in scored] + [max(end, scored[-1]["made_on"])]
        ys = [f["probability"] for f in scored] + [scored[-1]["probability"]]
        traces.append({"type": "scatter", "mode": "lines", "name": name, "legendgroup": who, "x": xs, "y": ys,
                       "line": {"shape": "hv", "color": colour, "width": 2.5}, "hoverinfo": "skip"})
        traces.append({"type": "scatter", "mode": "markers", "name": name, "legendgroup": who, "showlegend": False,
                       "x": [f["made_on"] for f in scored], "y": [f["probability"] for f in scored],
                       "marker": {"color": colour, "size": 9}, "customdata": _forecast_rows(scored), "hovertemplate": _FORECAST_HOVER})
    if late:
        traces.append(_segments([(f["made_on"], f["recorded_at"][:10], f["probability"]) for f in late],
                                f"{name}: not scored", {"color": colour, "width": 1, "dash": "dot"}, legendgroup=who, showlegend=False))
        traces.append({"type": "scatter", "mode": "markers", "name": f"{name}: not scored", "legendgroup": who,
                       "x": [f["made_on"] for f in late], "y": [f["probability"] for f in late],
                       "marker": {"color": colour, "size": 11, "symbol": "x-thin-open", "line": {"width": 2, "color": colour}},
                       "customdata": _forecast_rows(late), "hovertemplate": _FORECAST_HOVER})
    return traces


# --- overviews -------------------------------------------------------------------------------------


def status_counts(rows: Iterable[PropositionRow], key: str) -> dict[str, Counter[str]]:
    """Per group (a row's `key`, e.g. `tags` or `speaker`: one value or a list), how many propositions have each status."""
    counts: dict[str, Counter[str]] = {}
    for row in rows:
        groups = cast(Mapping[str, Any], row)[key]
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


def statuses_by_spec(rows: Sequence[PropositionRow], key: str, what: str, as_of: str, labels: Mapping[str, str] | None = None) -> Spec:
    """Stacked bars: for each tag (or speaker), how many propositions materialised, failed, are overdue, ..."""
    counts = _top_groups(status_counts(rows, key), MAX_GROUPS)
    groups = list(reversed(counts))  # largest at the top of a horizontal bar chart
    names = [text((labels or {}).get(g, g), 40) for g in groups]
    data = [
        {"type": "bar", "orientation": "h", "name": status_label(status), "y": names, "x": [counts[g][status] for g in groups],
         "marker": {"color": STATUS_COLOURS[status]} | ({"pattern": STATUS_PATTERNS[status]} if status in STATUS_PATTERNS else {}),
         "hovertemplate": "%{y}: %{x} %{fullData.name}<extra></extra>"}
        for status in STATUS_ORDER if any(counts[g][status] for g in groups)
    ]
    footer = (f"Statuses as of {as_of}, computed from the logged observations and rulings (docs/rules.md). "
              "Hatched: the deadline passed and nothing has been checked yet, which is not a failure.")
    if key == "tags":
        footer += " A proposition counts under each of its tags."
    largest = max((sum(counts[g].values()) for g in groups), default=0)
    layout = _layout(f"Statuses by {what}", f"{len(rows)} propositions", footer,
                     xaxis=_axis("propositions", rangemode="tozero", tickformat="d", tick0=0, dtick=max(1, math.ceil(largest / 8))),
                     yaxis=_axis("", automargin=True), barmode="stack")
    layout["legend"]["traceorder"] = "normal"  # materialised first, as in the counts above
    layout["height"] = max(400, 250 + 22 * len(groups))
    return {"data": data, "layout": layout}


def track_record_spec(records: Sequence[TrackRecordRow], key: str = "actor", labels: Mapping[str, str] | None = None) -> Spec:
    """Materialisation rate per speaker (or tag, ...) with its 90% Jeffreys interval and the count resolved."""
    ordered = sorted(records, key=lambda r: (r["rate"] or 0.0, r["resolved"]))
    keys = [str(cast(Mapping[str, Any], r)[key]) for r in ordered]
    names = [text((labels or {}).get(k, k), 40) for k in keys]
    data = [{
        "type": "scatter", "mode": "markers+text", "name": "rate", "x": [r["rate"] for r in ordered], "y": names,
        "text": [f"n={r['resolved']}" for r in ordered], "textposition": "top center", "textfont": {"size": 10, "color": MUTED},
        "error_x": {"type": "data", "symmetric": False, "array": [(r["interval"][1] or 0.0) - (r["rate"] or 0.0) for r in ordered],
                    "arrayminus": [(r["rate"] or 0.0) - (r["interval"][0] or 0.0) for r in ordered], "color": MUTED, "thickness": 2,
                    "width": 0},
        "marker": {"size": 11, "color": "#2166ac"},
        "customdata": [[r["materialised"], r["partly"], r["not_materialised"], r["interval"][0], r["interval"][1]] for r in ordered],
        "hovertemplate": ("%{y}: %{x:.0%} (90% interval %{customdata[3]:.0%}–%{customdata[4]:.0%})<br>"
                          "materialised %{customdata[0]}, partly %{customdata[1]}, not %{customdata[2]}<extra></extra>"),
    }]
    footer = ("Rate = (materialised + ½ partly) / resolved; bars: 90% Jeffreys interval, Beta(k + ½, n − k + ½). Only resolved "
              "propositions count: a deadline passed unchecked (overdue) is not a failure.")
    layout = _layout("How often announced plans materialised", f"by {key}", footer,
                     xaxis=_axis("materialisation rate", range=[-0.02, 1.02], tickformat=".0%"), yaxis=_axis("", automargin=True))
    layout["showlegend"] = False
    layout["height"] = max(400, 250 + 32 * len(ordered))
    return {"data": data, "layout": layout}


def count_axis(largest: int) -> Spec:
    """The right-hand axis of forecast counts: whole numbers only, its title clear of the tick labels."""
    step = max(1, math.ceil(largest / 5))
    return {"title": {"text": "forecasts in bin", "standoff": 12}, "side": "right", "showgrid": False,
            "range": [0, max(1, largest) * 1.15], "tickmode": "linear", "tick0": 0, "dtick": step, "tickformat": "d",
            "rangemode": "tozero", "automargin": True, "zeroline": False}


def calibration_spec(bins: Sequence[CalibrationBin], who: str = "all forecasters") -> Spec:
    """Forecast probability against how often it came true, per bin, with the number of forecasts in each."""
    filled = [b for b in bins if b["n"]]
    edges = [(b["lower"] or 0.0, b["upper"] or 0.0) for b in bins]
    # The counts are the base axis (right) and the frequencies overlay it (left): plotly draws an overlaying
    # axis's traces on top, so the bars never hide a dot.
    data = [
        {"type": "bar", "name": "forecasts in bin", "x": [(low + high) / 2 for low, high in edges], "y": [b["n"] for b in bins],
         "width": [high - low for low, high in edges], "marker": {"color": "#e0e0e0"},
         "hovertemplate": "%{y} forecasts in this bin<extra></extra>"},
        {"type": "scatter", "name": "perfect calibration", "mode": "lines", "x": [0, 1], "y": [0, 1], "yaxis": "y2",
         "line": {"color": MUTED, "dash": "dot"}, "hoverinfo": "skip"},
        {"type": "scatter", "name": "observed frequency", "mode": "markers+text", "yaxis": "y2", "x": [b["mean_forecast"] for b in filled],
         "y": [b["observed_frequency"] for b in filled], "text": [f"n={b['n']}" for b in filled], "textposition": "top center",
         "marker": {"color": "#2166ac", "size": [8 + 3 * math.sqrt(b["n"]) for b in filled]},
         "customdata": [[b["lower"], b["upper"], b["n"]] for b in filled],
         "hovertemplate": ("bin %{customdata[0]:.0%}–%{customdata[1]:.0%}: mean forecast %{x:.0%}, "
                           "came true %{y:.0%} (n=%{customdata[2]})<extra></extra>")},
    ]
    footer = ("Scored forecasts on resolved propositions, in 10 bins by probability; partly counts as ½. Grey bars: forecasts per bin "
              "(right axis). Retrodictions and forecasts logged after the outcome are left out.")
    total = sum(b["n"] for b in bins)
    layout = _layout("Calibration: forecast probability against observed frequency", f"{text(who)} · {total} scored forecasts", footer,
                     xaxis=_axis("forecast probability", range=[0, 1], tickformat=".0%"),
                     yaxis=count_axis(max((b["n"] for b in bins), default=0)),
                     yaxis2=_axis("observed frequency", range=[-0.02, 1.05], tickformat=".0%", overlaying="y", side="left",
                                  tickmode="linear", tick0=0, dtick=0.2))
    layout["margin"]["r"] = 80
    return {"data": data, "layout": layout}


def scenario_spec(scenario_set: ScenarioEntry, start: str | None = None) -> Spec:
    """Each scenario's weight over time: the priors, then a step each time an indicator resolved (hover: the
    indicator, its outcome, and when a partly outcome left the weights as they were)."""
    titles = {s["id"]: s["title"] for s in scenario_set["scenarios"]}
    priors: dict[str, float | None] = {s["id"]: s["prior"] for s in scenario_set["scenarios"]}
    history = scenario_set["history"]
    first = start or (history[0]["on"] if history else None) or scenario_set["as_of"]
    steps = [(first, "prior", priors)]
    steps += [(h["on"] or scenario_set["as_of"], f"{h['indicator']}: {status_label(h['outcome'])}" + (f" ({h['note']})" if h["note"] else ""),
               h["weights"]) for h in history]
    if steps[-1][0] != scenario_set["as_of"]:
        steps.append((scenario_set["as_of"], "as of", steps[-1][2]))
    data = [
        {"type": "scatter", "mode": "lines+markers", "line": {"shape": "hv", "width": 2.5}, "name": text(titles.get(sid, sid), 50),
         "x": [s[0] for s in steps], "y": [s[2][sid] for s in steps], "customdata": [html.escape(s[1], quote=False) for s in steps],
         "hovertemplate": "%{fullData.name}: %{y:.0%}<br>%{x|%Y-%m-%d} · %{customdata}<extra></extra>"}
        for sid in priors
    ]
    footer = ("Bayes' rule over the set's indicators: each resolved proposition multiplies a scenario's weight by the likelihood "
              "of its outcome (docs/rules.md, section 8); a partly outcome moves them only where per-outcome likelihoods are given.")
    layout = _layout(f"Scenario weights: {text(scenario_set['title'] or scenario_set['id'], 70)}",
                     f"{len(history)} indicators resolved", footer,
                     xaxis=_axis("date an indicator resolved", type="date"), yaxis=_axis("weight", range=[0, 1], tickformat=".0%"))
    return {"data": data, "layout": layout}
