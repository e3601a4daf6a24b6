"""The dashboard and charts: the data of every page, and writing the site or one chart.

The logs are read once and grouped in memory (not one query per proposition, which a workspace
of 10,000 propositions could not afford). What was not yet known at `as_of` (observations
recorded later, forecasts and rulings made later) is left out. A target's page lists its metric
from a while before the baseline on (`windows`), not decades of it.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from tracker.app.detail import Context, detail, proposition_detail
from tracker.app.logs import collector_paused, logs, resolutions
from tracker.app.scorecard import scorecard_from
from tracker.app.session import Session, now
from tracker.core.logs import Logs, end_of, group_by, known_by
from tracker.core.models import Proposition
from tracker.core.periods import parse_period
from tracker.core.records import Observation
from tracker.core.results import Detail, Site
from tracker.report import chart_files, figures
from tracker.report.dashboard import Built, check_target, write_dashboard


def dashboard_data(session: Session, as_of: date) -> Site:
    """The scorecard and every proposition's detail as of `as_of`, for the dashboard (set-based)."""
    with collector_paused():
        return site_from(session, logs(session), as_of)


def site_from(session: Session, everything: Logs, as_of: date) -> Site:
    """The dashboard's data from the logs as stored (`everything`: nothing filtered by date or withdrawal).

    The status, scores and weights rest on what stands as of T (`known_by`); each page also lists
    what was recorded by T but withdrawn since, struck through with the reason.
    """
    recorded = known_by(everything, as_of)
    forecasts = group_by(everything.forecasts, lambda f: f.proposition)
    resolved = resolutions(session, as_of, recorded)
    card = scorecard_from(session, recorded, resolved, as_of)
    context = Context.of(session)
    moment = end_of(as_of)
    details: dict[str, Detail] = {}
    for prop_id, prop in session.workspace.propositions.items():
        target = prop.metric or prop_id
        series = [o for o in everything.observations.get(target, []) if o.recorded_at < moment]
        shown, relevant = windows(prop, series)
        own = Logs({target: relevant}, forecasts.get(prop_id, []), everything.rulings, everything.retractions)
        details[prop_id] = detail(context, prop, resolved[prop_id], own, as_of, shown)
        details[prop_id]["observations_omitted"] = len(series) - len(shown)
    return {"as_of": as_of.isoformat(), "generated_at": now().isoformat(timespec="seconds"),
            "scorecard": card, "details": details}


def windows(prop: Proposition, series: list[Observation]) -> tuple[list[Observation], list[Observation]]:
    """A target's observations worth showing, and those that can change its status.

    Shown: periods ending at most max(3 years, baseline-to-deadline) before the baseline's end.
    Relevant to the status: periods ending on or after the earlier of stated_on and the
    baseline's end (before that a value can neither meet the target in time nor show progress),
    and starting by the deadline; the status history computed from them is the same, faster.
    """
    if prop.kind != "target" or prop.baseline is None:
        return series, series
    base_end = parse_period(prop.baseline.as_of).end
    context = max(prop.deadline - base_end, timedelta(days=3 * 365))
    since = base_end - context if context < base_end - date.min else date.min  # not before the calendar's first day
    first = min(prop.stated_on, base_end)
    shown = [o for o in series if o.as_of.end >= since]
    return shown, [o for o in series if o.as_of.end >= first and o.as_of.start <= prop.deadline]


def build_dashboard(session: Session, as_of: date, out: Path) -> Built:
    """Write the dashboard of the workspace as of `as_of` into the folder `out` (never over the database)."""
    protected = session.database_files()
    check_target(out, protected=protected)  # before the work of gathering the data
    return write_dashboard(dashboard_data(session, as_of), out, protected=protected)


def write_chart(session: Session, proposition_id: str, as_of: date, out: Path) -> None:
    """Write one proposition's chart (.html, or .png/.svg through a browser), never over the database."""
    protected = session.database_files()
    chart_files.check_chart_path(out, protected=protected)
    chart_files.write(figures.proposition_spec(proposition_detail(session, proposition_id, as_of)), out, protected=protected)
