"""Worked cases for the reports, built from records written here (no database).

The logging commands cannot yet store ids, retractions, partial figures, bounds and units, so the
reports of those are tested from the records themselves: a workspace loaded from YAML written in
the test, records built by hand, and the use cases' pure builders (`tracker.app.detail.detail`).

`billion()` is docs/rules.md's worked example, Lukashenka's billion, with the mistakes an
analyst makes and undoes: trade of 450 in 2023 should reach 1000 by 2025-12-31, stated
2024-05-16. Its records:

- o-2021: 0.8855 USD billion for 2021 (written in another unit, 885.5 in the metric's);
- o-2022: `400..500` for 2022 (a range);
- o-2024: 480 for 2024, logged 2025-02-01;
- o-typo: 4800 for 2024, logged 2025-03-01 (a typo: it revises 480 and materialises the target),
  withdrawn 2025-03-05 (r-typo), so 480 stands again;
- o-jan-aug: 274 for January–August 2025, logged 2025-10-20: projects 2025 at 411.56;
- u-wrong: a ruling not_materialised made 2026-01-10, withdrawn 2026-01-20 (r-wrong): overdue again;
- forecasts: analyst-a 60% made 2024-06-01, logged 2024-06-08 (within the grace period), with a
  note; cheater 1% "made" 2024-06-01 but logged 2026-02-20: a retrodiction.
"""

from __future__ import annotations

import textwrap
from datetime import date, datetime
from pathlib import Path

from tracker.app.config import Config
from tracker.app.detail import Context, detail
from tracker.app.session import Session, open_session
from tracker.core.logs import Logs, group_by, logs_as_of
from tracker.core.periods import parse_period
from tracker.core.records import Forecast, Observation, Retraction, Ruling
from tracker.core.resolve import resolve_all
from tracker.core.results import Detail
from tracker.core.values import Bound
from tracker.core.workspace import Workspace
from tracker.load.loader import load_workspace

WORKSPACE = """\
sources:
  - {id: huseynov-2024, title: Lukashenko's visit to Baku, publisher: Example Daily, published: 2024-05-20}
  - {id: oil-2021, title: Oil supplies in 2021, publisher: Example Daily, published: 2021-01-15}
actors:
  - {id: lukashenka, name: Alyaksandr Lukashenka, role: official, country: BY}
  - {id: huseynov, name: Rasim Huseynov, role: analyst, country: AZ}
metrics:
  - {id: by-az-trade, name: Belarus-Azerbaijan trade turnover, unit: USD million, period: year, aggregate: sum}
  - {id: oil, name: Oil supplies to Belarus, unit: tonne, period: year, aggregate: sum}
propositions:
  - id: by-az-trade-1bn
    kind: target
    title: Belarus-Azerbaijan trade reaches $1 billion
    quote: "within a year and a half, to reach the $1 billion mark"
    source: huseynov-2024
    stated_by: lukashenka
    stated_on: 2024-05-16
    metric: by-az-trade
    baseline: {value: 450, as_of: 2023}
    target: {op: ">=", value: 1000}
    deadline: 2025-12-31
    tags: [trade]
  - id: oil-2021-exceeds
    kind: target
    title: Oil supplies in 2021 considerably exceed 2020's
    quote: "oil supplies in 2021 will considerably exceed last year's"
    source: oil-2021
    stated_by: lukashenka
    stated_on: 2021-01-15
    metric: oil
    baseline: {value: 720000, as_of: 2020}
    target: {op: ">=", change: 0.25}
    deadline: 2021-12-31
  - id: trade-keeps-growing
    kind: target
    title: Belarus-Azerbaijan trade keeps growing
    quote: "within a year and a half, to reach the $1 billion mark"
    source: huseynov-2024
    stated_by: lukashenka
    stated_on: 2024-05-16
    metric: by-az-trade
    baseline: {value: 450, as_of: 2023}
    target: {op: ">", change: 0}
    deadline: 2025-12-31
  - id: fertilizer-jv
    kind: event
    title: A joint fertilizer plant is built in Azerbaijan
    quote: "the organization of joint fertilizer production in Azerbaijan"
    source: huseynov-2024
    stated_by: huseynov
    stated_on: 2024-05-20
    deadline: 2025-12-31
    criteria: Construction has started, with a Belarusian partner named.
  - id: igc-meetings
    kind: event
    title: The intergovernmental commission meets in Minsk before COP29
    quote: "the organization of joint fertilizer production in Azerbaijan"
    source: huseynov-2024
    stated_by: huseynov
    stated_on: 2024-05-20
    deadline: 2024-11-30
"""

SCENARIOS = """\
id: worked-set
title: Where relations go
scenarios:
  - {id: deepening, title: Deepening, prior: 0.4}
  - {id: stagnation, title: Stagnation, prior: 0.6}
indicators:
  - proposition: igc-meetings
    likelihood: {deepening: 0.9, stagnation: 0.7}
    why: Held in most worlds; the short form gives no likelihood for partly.
  - proposition: trade-keeps-growing
    likelihood:
      deepening: {yes: 0.7, partly: 0.2, no: 0.1}
      stagnation: {yes: 0.4, partly: 0.3, no: 0.3}
    why: Growth is likelier when ties deepen.
  - proposition: fertilizer-jv
    likelihood:
      deepening: {yes: 0.5, partly: 0.3, no: 0.2}
      stagnation: {yes: 0.1, partly: 0.2, no: 0.7}
    why: A plant half-built still says something.
  - proposition: by-az-trade-1bn
    likelihood: {deepening: 0.35, stagnation: 0.05}
"""


def at(day: str) -> datetime:
    return datetime.fromisoformat(day)


def write_workspace(root: Path) -> Path:
    """The worked workspace's definition files, written into `root`."""
    (root / "forecasts").mkdir(parents=True, exist_ok=True)
    (root / "scenarios").mkdir(parents=True, exist_ok=True)
    (root / "forecasts" / "worked.yaml").write_text(textwrap.dedent(WORKSPACE), encoding="utf-8")
    (root / "scenarios" / "worked.yaml").write_text(textwrap.dedent(SCENARIOS), encoding="utf-8")
    return root


def workspace(tmp_path: Path) -> Workspace:
    """The worked workspace, loaded from YAML as `tracker` loads it."""
    result = load_workspace(write_workspace(tmp_path))
    assert not result.problems, result.problems
    return result.workspace


def observation(target: str, as_of: str, value: float | str, recorded: str, uid: str, row: int, **extra: object) -> Observation:
    return Observation(target, parse_period(as_of), value, at(recorded), source="Belstat", recorded_by="ana", id=row, uid=uid,
                       **extra)  # type: ignore[arg-type]


def billion_logs() -> Logs:
    """The records of Lukashenka's billion (see the module's docstring)."""
    trade = [
        observation("by-az-trade", "2021", 885.5, "2022-02-01", "o-2021", 1, written="0.8855 USD billion"),
        observation("by-az-trade", "2022", 450.0, "2023-02-01", "o-2022", 2, bound=Bound(400.0, 500.0), written="400..500"),
        observation("by-az-trade", "2024", 480.0, "2025-02-01", "o-2024", 3, grade="B2"),
        observation("by-az-trade", "2024", 4800.0, "2025-03-01", "o-typo", 4, note="typed from the release"),
        observation("by-az-trade", "2025", 274.0, "2025-10-20", "o-jan-aug", 5, through=parse_period("2025-08")),
    ]
    events = [observation("fertilizer-jv", "2025-06-01", "no", "2025-06-02", "o-not-yet", 6, note="no construction yet")]
    forecasts = [
        Forecast("by-az-trade-1bn", 0.6, "analyst-a", date(2024, 6, 1), at("2024-06-08"), "analyst-a", note="base rate of such pledges",
                 id=1, uid="f-1"),
        Forecast("by-az-trade-1bn", 0.01, "cheater", date(2024, 6, 1), at("2026-02-20"), "cheater", note="hindsight", id=2, uid="f-2"),
    ]
    rulings = [Ruling("by-az-trade-1bn", "not_materialised", "Belstat says 2025 fell short", date(2026, 1, 10), at("2026-01-10T09:00"),
                      "ana", id=1, uid="u-wrong")]
    retractions = [
        Retraction("r-typo", "o-typo", "typo: the release says 480", at("2025-03-05T10:00"), "ana"),
        Retraction("r-wrong", "u-wrong", "ruled on the wrong proposition", at("2026-01-20T10:00"), "ana"),
    ]
    return Logs(group_by(trade + events, lambda o: o.target), forecasts, group_by(rulings, lambda r: r.proposition),
                {r.target_uid: r for r in retractions})


def event_logs() -> Logs:
    """An event settled by a ruling, with evidence that was revised and some that was withdrawn:
    `no` for June 2025 ("not yet"), `partly` for 2025-10 revised to `no`, a `yes` logged on the
    wrong proposition and withdrawn, and a ruling not_materialised on 2026-02-01 after a search."""
    records = [
        observation("fertilizer-jv", "2025-06-01", "no", "2025-06-02", "e-june", 1, note="no construction yet"),
        observation("fertilizer-jv", "2025-10", "partly", "2025-11-02", "e-oct", 2, note="site chosen?"),
        observation("fertilizer-jv", "2025-10", "no", "2025-11-20", "e-oct-fix", 3, note="the site was for another plant"),
        observation("fertilizer-jv", "2025-11-15", "yes", "2025-11-16", "e-wrong", 4, note="meant the elevator plant"),
    ]
    rulings = [Ruling("fertilizer-jv", "not_materialised", "BelTA, Report.az and SOCAR releases searched through 2026-01-31",
                      date(2026, 2, 1), at("2026-02-01T09:00"), "ana", id=2, uid="u-search")]
    retractions = [Retraction("r-wrong-plant", "e-wrong", "logged on the wrong proposition", at("2025-11-18T08:00"), "ana")]
    return Logs({"fertilizer-jv": records}, [], {"fertilizer-jv": rulings}, {r.target_uid: r for r in retractions})


def ruled_only_logs() -> Logs:
    """An event with no evidence at all, settled by a ruling."""
    rulings = [Ruling("fertilizer-jv", "not_materialised", "the partner withdrew", date(2026, 2, 1), at("2026-02-01T09:00"), "ana",
                      id=3, uid="u-only")]
    return Logs({}, [], {"fertilizer-jv": rulings}, {})


def all_logs() -> Logs:
    """Every worked record: the billion's, the fertilizer plant's, a partly for the commission's meetings, and a
    forecast on the plant logged after the ruling that settled it (never scored)."""
    billion, plant = billion_logs(), event_logs()
    meetings = observation("igc-meetings", "2024-11-01", "partly", "2024-11-02", "m-held", 10, note="met, but in Baku")
    observations = {**billion.observations, **plant.observations, "igc-meetings": [meetings]}
    rulings = {**billion.rulings, **plant.rulings}
    latecomer = Forecast("fertilizer-jv", 0.2, "latecomer", date(2026, 2, 10), at("2026-02-10T12:00"), "latecomer",
                         note="after the ruling", id=3, uid="f-3")
    return Logs(observations, [*billion.forecasts, latecomer], rulings, {**billion.retractions, **plant.retractions})


def session(root: Path) -> Session:
    """A real session (SQLite) on the worked workspace: the definitions synced, nothing logged."""
    write_workspace(root)
    return open_session(Config(root, f"sqlite:///{root / 'tracker.db'}"))


def detail_as_of(space: Workspace, recorded: Logs, prop_id: str, as_of: str, grace_days: int = 7) -> Detail:
    """What `tracker show PROP --as-of DAY` gives for these records."""
    day = date.fromisoformat(as_of)
    standing = logs_as_of(recorded, day)
    resolved = resolve_all(space.propositions, space.metrics, standing.observations, standing.rulings, day)
    return detail(Context(space, None, grace_days), space.propositions[prop_id], resolved[prop_id], recorded, day)
