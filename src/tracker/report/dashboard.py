"""The dashboard: a folder of static HTML that opens from disk, with no network.

Input is the `Site` of `tracker.app.dashboard.dashboard_data` (the scorecard dict and every
proposition's detail); nothing here touches the database. Pages are Jinja2 templates with
autoescaping on, so every quote, note, source and name reaches the page as text. Charts are
plotly specs from `tracker.report.figures`, each placed in the page as a JSON data block that
the one shared script (`dashboard.js`) hands to the one shared `plotly.min.js`: no inline code,
and plotly.js is written once for the whole site.

The folder is built beside the target and moved into place at the end, so a failed build never
leaves half a site; an existing folder is replaced only while it holds nothing but what tracker
wrote, as listed in its marker file `.tracker-dashboard` (see `tracker.report.site_folder`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlparse

import plotly.offline
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from tracker.core.results import Detail, PropositionRow, Site
from tracker.core.status import SCORED, Status
from tracker.report import figures
from tracker.report.scenarios import outcomes
from tracker.report.scorecard import latest as scorecard_latest
from tracker.report.site_folder import MARKER as MARKER  # the marker file, for callers and tests
from tracker.report.site_folder import build_into, check_folder, folder_target
from tracker.report.text import projection_text, status_label, target_text, unscored_mark, unscored_text, value_text, withdrawn_text

ASSETS = ("dashboard.css", "dashboard.js")
PAGES = (("index.html", "Overview"), ("track-records.html", "Track records"),
         ("forecasters.html", "Forecasters"), ("scenarios.html", "Scenarios"))
_JSON_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


@dataclass(frozen=True)
class Built:
    """What a build wrote: the folder, and how many proposition pages it holds."""

    folder: Path
    propositions: int
    files: int


# --- filters the templates use ---------------------------------------------------------------


def chart(spec: Mapping[str, Any], chart_id: str) -> Markup:
    """A chart's place in a page: an empty <div>, and its figure as a JSON data block (not code)."""
    payload = json.dumps(spec, separators=(",", ":"), ensure_ascii=False, default=str)
    for character, escaped in _JSON_ESCAPES:  # so no text can close the <script> block or start markup
        payload = payload.replace(character, escaped)
    return Markup('<div class="chart" id="{0}"></div>\n<script type="application/json" class="figure" data-for="{0}">{1}</script>').format(
        chart_id, Markup(payload))


def link(url: Any) -> str | None:
    """A source URL worth making a link: http(s) only, so a `javascript:` URL stays text."""
    if not isinstance(url, str):
        return None
    return url if urlparse(url.strip()).scheme.lower() in ("http", "https") else None


def percent(value: float | None) -> str:
    return figures.percent(value)


def _environment() -> Environment:
    environment = Environment(loader=PackageLoader("tracker.report", "templates"), autoescape=select_autoescape(default=True),
                              undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    environment.filters.update(num=figures.number, pct=percent, status=status_label, link=link, withdrawn=withdrawn_text,
                               unscored=unscored_text, unscored_mark=unscored_mark)
    environment.globals.update(chart=chart, pages=PAGES, colours=figures.STATUS_COLOURS, value_text=value_text,
                               target_text=target_text, projection_text=projection_text, outcomes=outcomes, latest_cell=latest_cell)
    return environment


# --- what each page shows (pure: data in, template context out) ------------------------------------


def overview(site: Site) -> dict[str, Any]:
    """Counts by status, statuses by tag and by speaker, and the table of every proposition."""
    card = site["scorecard"]
    rows = card["propositions"]
    summary = card["summary"]
    return {
        "rows": rows,
        "summary": [(s, summary[s]) for s in figures.STATUS_ORDER if s in summary],
        "resolved": sum(summary[s] for s in SCORED if s in summary),
        "overdue": summary[Status.OVERDUE] if Status.OVERDUE in summary else 0,
        "by_tag": figures.statuses_by_spec(rows, "tags", "tag", site["as_of"]),
        "by_speaker": figures.statuses_by_spec(rows, "speaker", "speaker", site["as_of"]),
        "choices": {key: _choices(rows, key) for key in ("status", "tags", "speaker", "country")},
    }


def _choices(rows: Sequence[PropositionRow], key: str) -> list[str]:
    values: set[str] = set()
    for row in rows:
        value = cast(Mapping[str, Any], row)[key]
        values.update(value if isinstance(value, list) else [value or "none"])
    if key == "status":
        return [s for s in figures.STATUS_ORDER if s in values]
    return sorted(values)


def latest_cell(row: PropositionRow) -> str:
    """The overview's evidence cell for a target: its latest figure as published, and any projection."""
    return scorecard_latest(row) if row["latest"] is not None or row["projection"] is not None else ""


def proposition_page(detail: Detail, row: PropositionRow, indicators: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """One proposition: its statement, charts (its figures or evidence, and its forecasts over time),
    observations, status history, forecasts and rulings."""
    observations = sorted(detail["observations"], key=lambda o: (figures.covered(o)[1], o["recorded_at"]))
    unit = detail["metric"]["unit"] if detail["metric"] is not None else None
    return {"detail": detail, "prop": detail["proposition"], "row": row, "observations": observations, "unit": unit,
            "figure": figures.proposition_spec(detail), "forecasts_figure": figures.forecasts_spec(detail), "indicators": indicators}


def track_records_page(site: Site) -> dict[str, Any]:
    card = site["scorecard"]
    records = card["track_records"]
    labels = {r["actor"]: r["name"] for r in records if "actor" in r and "name" in r}
    return {"records": records, "by": card["track_records_by"],
            "figure": figures.track_record_spec(records, "actor", labels) if records else None}


def forecasters_page(site: Site) -> dict[str, Any]:
    card = site["scorecard"]
    bins = card["calibration"]
    return {"forecasters": card["forecasters"], "bins": bins,
            "figure": figures.calibration_spec(bins) if any(b["n"] for b in bins) else None}


def scenarios_page(site: Site) -> dict[str, Any]:
    """Each scenario set: current weights, their history as a chart, and the indicators' statuses."""
    rows = {row["id"]: row for row in site["scorecard"]["propositions"]}
    sets = []
    for scenario_set in site["scorecard"]["scenarios"]:
        stated = [rows[i["proposition"]]["stated_on"] for i in scenario_set["indicators"] if i["proposition"] in rows]
        spec = figures.scenario_spec(scenario_set | {"as_of": site["as_of"]}, min(stated) if stated else None)
        sets.append({"set": scenario_set, "figure": spec})
    return {"sets": sets, "rows": rows}


def indicators_by_proposition(site: Site) -> dict[str, list[dict[str, Any]]]:
    """For each proposition, the scenario sets it is an indicator of, with its likelihoods (per outcome where given)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for scenario_set in site["scorecard"]["scenarios"]:
        titles = {s["id"]: s["title"] for s in scenario_set["scenarios"]}
        for indicator in scenario_set["indicators"]:
            found.setdefault(indicator["proposition"], []).append(
                {"set": scenario_set, "per_outcome": indicator["per_outcome"],
                 "likelihood": [(titles.get(s, s), given) for s, given in indicator["likelihoods"].items()]})
    return found


# --- writing the folder ----------------------------------------------------------------------------


def write_dashboard(site: Site, out: Path, *, protected: Iterable[Path] = ()) -> Built:
    """Build the whole site in a folder beside `out`, then swap it in (see `tracker.report.site_folder`).

    `protected` are tracker's database files: a folder holding one is refused, as is one holding
    files tracker did not write.
    """
    target = folder_target(out)
    files = build_into(target, lambda folder: _build(site, folder), protected=protected)
    return Built(target, len(site["details"]), files)


def check_target(out: Path, *, protected: Iterable[Path] = ()) -> None:
    """Refuse a file, a folder holding tracker's database, or a folder holding files tracker did not write."""
    check_folder(folder_target(out), protected=protected)


def _build(site: Site, folder: Path) -> int:
    """Write every page and asset into `folder`; returns how many files were written."""
    environment = _environment()
    common = {"as_of": site["as_of"], "generated_at": site["generated_at"], "version": version("tracker")}
    (folder / "plotly.min.js").write_text(plotly.offline.get_plotlyjs(), encoding="utf-8")
    for asset in ASSETS:
        (folder / asset).write_text(environment.loader.get_source(environment, asset)[0], encoding="utf-8")  # type: ignore[union-attr]
    pages = {
        "index.html": ("dashboard_index.html", overview(site)),
        "track-records.html": ("dashboard_track_records.html", track_records_page(site)),
        "forecasters.html": ("dashboard_forecasters.html", forecasters_page(site)),
        "scenarios.html": ("dashboard_scenarios.html", scenarios_page(site)),
    }
    for name, (template, context) in pages.items():
        _render(environment, template, folder / name, common | context | {"root": "", "here": name})
    return len(ASSETS) + 2 + len(pages) + _proposition_pages(environment, site, folder / "p", common)


def _proposition_pages(environment: Environment, site: Site, folder: Path, common: dict[str, Any]) -> int:
    folder.mkdir()
    template = environment.get_template("dashboard_proposition.html")
    rows = {row["id"]: row for row in site["scorecard"]["propositions"]}
    indicators = indicators_by_proposition(site)
    for prop_id, detail in site["details"].items():
        context = proposition_page(detail, rows[prop_id], indicators.get(prop_id, []))
        page = template.render(common | context | {"root": "../", "here": None})
        (folder / f"{prop_id}.html").write_text(page, encoding="utf-8")
    return len(site["details"])


def _render(environment: Environment, template: str, path: Path, context: dict[str, Any]) -> None:
    path.write_text(environment.get_template(template).render(context), encoding="utf-8")
