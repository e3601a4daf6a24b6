"""The Python API: tracker from a notebook or a script, the same use cases the command line calls.

    import tracker

    with tracker.open("path/to/workspace") as t:          # syncs the definition files
        card = t.scorecard(as_of="2025-06-30")
        card.to_dict()                                     # the JSON of `tracker scorecard --format json`
        card.to_frames()["propositions"]                   # pandas (the `pandas` extra)
        t.observe("by-az-trade-belstat", 497, as_of="2025", source="Belstat", grade="B2")

Arguments are typed values (numbers, `datetime.date`, periods) or the text the command line
accepts. A bad one raises `tracker.errors.InputError` (or `NotFound`) whose message names the
argument (`as_of: not a date: ...`); nothing here exits the interpreter. docs/api.md has more.
"""

from __future__ import annotations

import copy
import json
import math
import os
import warnings
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from tracker.app import dashboard, detail, due, listing, log, metrics, scenarios, scorecard, transfer
from tracker.app.config import Config
from tracker.app.session import Session, open_session
from tracker.core.periods import PeriodError, parse_date
from tracker.core.records import Forecast, Observation, Retraction, Ruling
from tracker.core.results import Detail, DueList, MetricList, PropositionRow, ScenarioEntry
from tracker.core.results import Scorecard as ScorecardData
from tracker.errors import InputError

if TYPE_CHECKING:
    import pandas

Day = str | date

FRAMES = ("propositions", "track_records", "forecasters")


class JumpWarning(UserWarning):
    """A figure logged although it is more than ten times, or under a tenth of, the nearest known period's."""


def open(path: str | Path = ".", db: str | None = None, *, user: str | None = None,  # noqa: A001 - tracker.open, as SPEC §9 names it
         busy_timeout: float | None = None) -> Tracker:
    """Open a workspace (its folder) and its database, and sync the definition files into it.

    `db` is any SQLAlchemy URL (default: `TRACKER_DATABASE_URL`, else the workspace's
    `tracker.db`); `user` is who logs (default: `TRACKER_USER`, else the login name);
    `busy_timeout` how many seconds to wait for another writer (default: `TRACKER_BUSY_TIMEOUT`, else 30).
    Use it as a context manager, or call `close()`.
    """
    config = Config.from_environment(os.environ, workspace=Path(path), db=db)
    if user is not None or busy_timeout is not None:
        config = replace(config, user=config.user if user is None else _name(user),
                         busy_timeout=config.busy_timeout if busy_timeout is None else _seconds(busy_timeout))
    return Tracker(open_session(config))


def _seconds(value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise InputError(f"{value!r} is not a number of seconds", argument="busy_timeout")
    return float(value)


def _name(user: str) -> str:
    if not user.strip():
        raise InputError("name who is logging", argument="user")
    return user.strip()


def _day(value: Day | None, argument: str = "as_of") -> date:
    """A date argument: a `date`, or ISO text; today when None."""
    if value is None:
        return date.today()
    try:
        return parse_date(value)
    except PeriodError as exc:
        raise InputError(str(exc), argument=argument) from None


@dataclass(frozen=True)
class ScorecardResult:
    """A scorecard as of a day: `to_dict()` is the JSON of `tracker scorecard --format json`."""

    data: ScorecardData

    def to_dict(self) -> dict[str, Any]:
        """The scorecard as plain data (a copy: changing it changes nothing here)."""
        return copy.deepcopy(dict(self.data))

    def to_json(self) -> str:
        """The scorecard as the command line prints it with `--format json`."""
        return json.dumps(self.data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"

    def to_frames(self) -> dict[str, pandas.DataFrame]:
        """The propositions, track records and forecasters as pandas DataFrames (needs tracker[pandas])."""
        try:
            import pandas  # an optional extra: imported only when asked for
        except ImportError:
            raise ImportError("to_frames() needs pandas: pip install 'tracker[pandas]'") from None
        return {name: pandas.json_normalize(list(self.data[name])) for name in FRAMES}  # type: ignore[literal-required]


class Tracker:
    """An open workspace. Every method is a use case of the command line, taking Python values."""

    def __init__(self, session: Session):
        self.session = session

    def __enter__(self) -> Tracker:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Release the database connections."""
        self.session.store.engine.dispose()

    @property
    def root(self) -> Path:
        return self.session.root

    # Reading ------------------------------------------------------------------------------

    def scorecard(self, as_of: Day | None = None, since: Day | None = None) -> ScorecardResult:
        """The scorecard as of the end of `as_of` (default today); with `since`, what changed after it."""
        return ScorecardResult(scorecard.scorecard(self.session, _day(as_of), _day(since, "since") if since else None))

    def propositions(self, as_of: Day | None = None, *, tag: str | None = None, status: str | None = None) -> list[PropositionRow]:
        """The propositions (with this tag or status) as of `as_of`."""
        return listing.propositions(self.session, _day(as_of), tag=tag, status=status)

    def show(self, proposition_id: str, as_of: Day | None = None) -> Detail:
        """Everything known about one proposition as of `as_of`."""
        return detail.proposition_detail(self.session, proposition_id, _day(as_of))

    def metrics(self, as_of: Day | None = None) -> MetricList:
        """The metrics: unit, period, basis, aggregate, latest figure (and latest partial one), who uses each."""
        return metrics.metrics(self.session, _day(as_of))

    def due(self, as_of: Day | None = None, within: str = "30d") -> DueList:
        """Propositions past their deadline without a final status, and those due within `within`."""
        day = _day(as_of)
        return due.due(self.session, day, due.horizon(within, day))

    def scenarios(self, as_of: Day | None = None, set_id: str | None = None) -> list[ScenarioEntry]:
        """Scenario weights, their history and indicators as of `as_of`."""
        return scenarios.scenario_results(self.session, _day(as_of), set_id)

    # Logging ------------------------------------------------------------------------------

    def observe(self, target: str, value: str | float, *, as_of: str | int | date, source: str, grade: str | None = None,
                note: str | None = None, by: str | None = None, unit: str | None = None,
                through: str | int | date | None = None) -> Observation:
        """Log one observation on a metric (a number, a bound `>400` or a range `400..500`, in the metric's
        unit or in `unit`) or an event proposition (yes, partly, no); `through` makes a figure cover the
        start of its period only. A figure more than ten times, or under a tenth of, the nearest known
        period's is logged with a `JumpWarning` (Python's warnings)."""
        logged = log.observe(self.session, target, value, as_of, source, grade=grade, note=note, by=by, unit=unit,
                             through=through)
        if logged.warning is not None:
            warnings.warn(JumpWarning(f"{target} {logged.observation.as_of.label}: {logged.warning}"), stacklevel=2)
        return logged.observation

    def forecast(self, proposition_id: str, probability: float | str, *, by: str | None = None, on: Day | None = None,
                 note: str | None = None) -> Forecast:
        """Log a probability that a proposition materialises by its deadline, with the forecaster's reasoning (`note`).
        It counts from now; `on` (default today) may not be later than today, nor before the statement."""
        return log.forecast(self.session, proposition_id, probability, by=by, on=on, note=note)

    def resolve(self, proposition_id: str, *, status: str, why: str, on: Day | None = None, by: str | None = None) -> Ruling:
        """Rule on a proposition by hand: `status` is materialised, partly, not_materialised or annulled."""
        return log.rule(self.session, proposition_id, status, why, on=on, by=by)

    def retract(self, record_id: str, *, why: str, by: str | None = None) -> Retraction:
        """Withdraw a logged observation or ruling (its id: `o-…`, `r-…`): from now on it no longer counts."""
        return log.retract(self.session, record_id, why, by=by)

    # Files --------------------------------------------------------------------------------

    def import_file(self, path: str | Path, *, dry_run: bool = False, fmt: str | None = None) -> transfer.ImportReport:
        """Log every row of a CSV or JSON Lines file, or nothing if any row is bad."""
        return transfer.import_file(self.session, Path(path), fmt=fmt, dry_run=dry_run)

    def export(self, path: str | Path, fmt: str | None = None) -> dict[str, int]:
        """Write everything logged to a file in the import format; returns the counts by kind."""
        output = Path(path)
        return transfer.export_to_file(self.session, output, transfer.export_format(output, fmt))

    def dashboard(self, out: str | Path, as_of: Day | None = None) -> Path:
        """Write the dashboard into the folder `out`; returns the folder."""
        return dashboard.build_dashboard(self.session, _day(as_of), Path(out)).folder

    def chart(self, proposition_id: str, out: str | Path, as_of: Day | None = None) -> Path:
        """Write one proposition's chart (.html, .png or .svg)."""
        dashboard.write_chart(self.session, proposition_id, _day(as_of), Path(out))
        return Path(out)
