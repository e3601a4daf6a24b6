"""A synthetic workspace at scale, for the benchmark: definitions, an observations CSV, a forecasts CSV.

At scale 1 (the issue's figures): 10,000 propositions — 70% targets on 2,000 monthly metrics,
30% events — 1,000,000 observations and 100,000 forecasts. `--scale 0.1` divides every count
by ten. The data are deterministic (a fixed seed) and shaped like the real thing: monthly
series since 1985 with about 7% of months revised later, targets stated against a baseline
month with deadlines from 2023 to 2029 (so some are resolved, some open), events with
dated yes/partly/no evidence, and forecasters revising their probabilities over time.

    .venv/bin/python benchmarks/generate.py --scale 0.1 [--out benchmarks/data/scale-0.1]
"""

from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

PROPOSITIONS = 10_000
METRICS = 2_000
OBSERVATIONS = 1_000_000
FORECASTS = 100_000
TARGET_SHARE = 0.7
EVENT_OBSERVATION_SHARE = 0.05
REVISED_SHARE = 0.07
LAST_MONTH = (2026, 10)  # the latest month with data on 2026-11-24
TODAY = date(2026, 11, 24)
PROPOSITIONS_PER_FILE = 500
SOURCES = 100
ACTORS = 200
FORECASTERS = 50
SEED = 20261124


@dataclass(frozen=True)
class Scale:
    propositions: int
    metrics: int
    observations: int
    forecasts: int

    @classmethod
    def of(cls, factor: float) -> Scale:
        return cls(round(PROPOSITIONS * factor), max(1, round(METRICS * factor)), round(OBSERVATIONS * factor), round(FORECASTS * factor))


def months_back(count: int) -> list[tuple[int, int]]:
    """The `count` months ending at LAST_MONTH, oldest first."""
    year, month = LAST_MONTH
    out = []
    for _ in range(count):
        out.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def label(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


class Generator:
    def __init__(self, scale: Scale, out: Path):
        self.scale = scale
        self.out = out
        self.random = random.Random(SEED)
        self.targets = round(scale.propositions * TARGET_SHARE)
        self.events = scale.propositions - self.targets
        metric_observations = round(scale.observations * (1 - EVENT_OBSERVATION_SHARE))
        self.months = months_back(max(12, round(metric_observations / scale.metrics / (1 + REVISED_SHARE))))
        self.series: dict[str, dict[str, float]] = {}
        self.stated: dict[str, date] = {}  # proposition id -> stated_on, so forecasts come after it

    def run(self) -> None:
        (self.out / "workspace" / "forecasts").mkdir(parents=True, exist_ok=True)
        (self.out / "workspace" / "scenarios").mkdir(exist_ok=True)
        self.write_observations()
        self.write_definitions()
        self.write_forecasts()

    # --- observations ---------------------------------------------------------------------

    def metric_ids(self) -> list[str]:
        return [f"m{index:05d}" for index in range(self.scale.metrics)]

    def event_ids(self) -> list[str]:
        return [f"e{index:05d}" for index in range(self.events)]

    def write_observations(self) -> None:
        metric_budget = round(self.scale.observations * (1 - EVENT_OBSERVATION_SHARE))
        rows = []
        with open(self.out / "observations.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["type", "target", "value", "as_of", "source", "grade", "note", "recorded_at"])
            written = 0
            for metric in self.metric_ids():
                rows = self.metric_rows(metric)
                writer.writerows(rows[: max(0, metric_budget - written)])
                written += min(len(rows), max(0, metric_budget - written))
            events = self.event_ids()
            while written < self.scale.observations and events:
                writer.writerow(self.event_row(self.random.choice(events)))
                written += 1

    def metric_rows(self, metric: str) -> list[list[str]]:
        rng = self.random
        level = rng.uniform(10, 5000)
        growth = rng.uniform(-0.004, 0.01)
        values: dict[str, float] = {}
        rows = []
        for year, month in self.months:
            level *= 1 + growth + rng.gauss(0, 0.02)
            value = round(level, 2)
            values[label(year, month)] = value
            recorded = datetime.combine(month_end(year, month) + timedelta(days=rng.randint(10, 30)), datetime.min.time())
            recorded += timedelta(seconds=rng.randint(0, 86_399))
            rows.append(["observation", metric, f"{value}", label(year, month), f"src-{rng.randrange(SOURCES)}", "B2", "",
                         recorded.isoformat()])
            revised_at = recorded + timedelta(days=rng.randint(30, 60))
            if rng.random() < REVISED_SHARE and revised_at.date() < TODAY:
                revised = round(value * rng.uniform(0.97, 1.03), 2)
                values[label(year, month)] = revised
                rows.append(["observation", metric, f"{revised}", label(year, month), f"src-{rng.randrange(SOURCES)}", "A2",
                             "revised", revised_at.isoformat()])
        self.series[metric] = values
        return rows

    def event_row(self, event: str) -> list[str]:
        rng = self.random
        day = date(2022, 1, 1) + timedelta(days=rng.randrange((TODAY - date(2022, 1, 1)).days))
        value = rng.choices(["no", "partly", "yes"], weights=[8, 2, 1])[0]
        recorded = datetime.combine(day, datetime.min.time()) + timedelta(days=1, seconds=rng.randint(0, 86_399))
        if recorded.date() >= TODAY:
            recorded = datetime.combine(TODAY - timedelta(days=1), datetime.min.time())
        return ["observation", event, value, day.isoformat(), f"src-{rng.randrange(SOURCES)}", "C3", "", recorded.isoformat()]

    # --- definitions --------------------------------------------------------------------------

    def write_definitions(self) -> None:
        folder = self.out / "workspace" / "forecasts"
        people = "\n".join(f"  - {{id: actor-{i}, name: Actor {i}, role: {('official', 'analyst', 'organisation')[i % 3]}, country: {('BY', 'AZ', 'RU', 'DE')[i % 4]}}}"
                           for i in range(ACTORS))
        sources = "\n".join(f"  - {{id: src-{i}, title: Source {i}, publisher: Publisher {i % 7}, published: 2022-01-{1 + i % 28:02d}}}"
                            for i in range(SOURCES))
        (folder / "000-common.yaml").write_text(f"sources:\n{sources}\nactors:\n{people}\n", encoding="utf-8")
        metrics = "\n".join(f"  - {{id: {m}, name: Series {m}, unit: USD million, period: month}}" for m in self.metric_ids())
        (folder / "001-metrics.yaml").write_text(f"metrics:\n{metrics}\n", encoding="utf-8")
        entries = [self.target(i) for i in range(self.targets)] + [self.event(i) for i in range(self.events)]
        for start in range(0, len(entries), PROPOSITIONS_PER_FILE):
            chunk = entries[start:start + PROPOSITIONS_PER_FILE]
            path = folder / f"p{start // PROPOSITIONS_PER_FILE:03d}.yaml"
            path.write_text("propositions:\n" + "".join(chunk), encoding="utf-8")

    def target(self, index: int) -> str:
        rng = self.random
        metric = self.metric_ids()[index % self.scale.metrics]
        series = self.series[metric]
        baseline_month = rng.choice([m for m in self.months if m[0] in (2021, 2022, 2023)] or self.months[:1])
        baseline = series[label(*baseline_month)]
        up = rng.random() < 0.8
        goal = round(baseline * (rng.uniform(1.05, 1.6) if up else rng.uniform(0.5, 0.95)), 2)
        stated = month_end(*baseline_month) + timedelta(days=45)
        deadline = month_end(rng.randint(2023, 2029), rng.randint(1, 12))
        if deadline <= stated:
            deadline = month_end(stated.year + 1, 12)
        self.stated[f"t{index:05d}"] = stated
        return (f"  - id: t{index:05d}\n    kind: target\n    title: Series {metric} {'reaches' if up else 'falls to'} {goal}\n"
                f"    quote: \"{metric} will {'reach' if up else 'fall to'} {goal} by {deadline.year}\"\n"
                f"    source: src-{index % SOURCES}\n    stated_by: actor-{index % ACTORS}\n    stated_on: {stated.isoformat()}\n"
                f"    metric: {metric}\n    baseline: {{value: {baseline}, as_of: {label(*baseline_month)}}}\n"
                f"    target: {{op: \"{'>=' if up else '<='}\", value: {goal}}}\n    deadline: {deadline.isoformat()}\n"
                f"    tags: [tag-{index % 25}]\n")

    def event(self, index: int) -> str:
        rng = self.random
        stated = date(2021, 6, 1) + timedelta(days=rng.randrange(700))
        deadline = stated + timedelta(days=rng.randint(300, 2500))
        self.stated[f"e{index:05d}"] = stated
        return (f"  - id: e{index:05d}\n    kind: event\n    title: Event {index} happens\n    quote: \"event {index} will happen\"\n"
                f"    source: src-{index % SOURCES}\n    stated_by: actor-{(index * 7) % ACTORS}\n    stated_on: {stated.isoformat()}\n"
                f"    deadline: {deadline.isoformat()}\n    criteria: Event {index} is reported.\n    tags: [tag-{index % 25}]\n")

    # --- forecasts ----------------------------------------------------------------------------

    def write_forecasts(self) -> None:
        rng = self.random
        ids = [f"t{i:05d}" for i in range(self.targets)] + self.event_ids()
        with open(self.out / "forecasts.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["type", "target", "probability", "forecaster", "made_on", "recorded_at"])
            for _ in range(self.scale.forecasts):
                made_on = date(2022, 1, 1) + timedelta(days=rng.randrange(1700))
                seconds = rng.randint(0, 86_399)
                proposition = rng.choice(ids)
                made_on = max(made_on, self.stated[proposition])  # a forecast is not made before the statement
                recorded = datetime.combine(made_on, datetime.min.time()) + timedelta(seconds=seconds)
                writer.writerow(["forecast", proposition, f"{rng.randint(1, 99) / 100}", f"forecaster-{rng.randrange(FORECASTERS)}",
                                 made_on.isoformat(), recorded.isoformat()])


def generate(factor: float, out: Path) -> Path:
    """Write the synthetic workspace for `factor` under `out`; returns `out`."""
    Generator(Scale.of(factor), out).run()
    (out / "DONE").write_text(f"{factor}\n", encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    out = args.out or Path(__file__).with_name("data") / f"scale-{args.scale:g}"
    print(generate(args.scale, out))


if __name__ == "__main__":
    main()
