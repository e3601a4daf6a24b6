"""The speed benchmark: each figure of issue #6 against its floor, measured in the same run.

    .venv/bin/python benchmarks/run.py                  # scale 1: 10,000 propositions, 1M observations
    .venv/bin/python benchmarks/run.py --scale 0.1      # a tenth of everything, for a quick check
    .venv/bin/python benchmarks/run.py --scales 0.1,0.3,1   # also the growth table

For each scale it builds the synthetic workspace under benchmarks/data/ (once; git-ignored),
starts from an empty SQLite database, and runs the real CLI as subprocesses, the way a user
does. The definitions are synced first (by importing the forecasts CSV), so the observation
import measures the import, not the first sync of 10,000 definitions, which is reported apart.
Wall times; start-up commands take the median of `--repeat` runs; peak memory is the child's
maximum resident set size (wait4). Results also go to benchmarks/out/results-SCALE.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
TRACKER = str(BIN / "tracker")
PYTHON = sys.executable
AS_OF = "2026-11-24"

sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402


@dataclass
class Timing:
    seconds: float
    peak_mb: float


def timed(command: list[str], cwd: Path, stdout: Path | None = None) -> Timing:
    """Run a command to completion; its wall time and peak memory. Fails loudly on a non-zero exit."""
    env = {**os.environ, "TRACKER_USER": "bench"}
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL  # noqa: SIM115
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    errors = process.stderr.read().decode() if process.stderr else ""
    process.returncode = os.waitstatus_to_exitcode(status)
    if stdout:
        out.close()  # type: ignore[union-attr]
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{errors}")
    return Timing(seconds, usage.ru_maxrss / 1024)


def median(command: list[str], cwd: Path, repeat: int) -> Timing:
    runs = [timed(command, cwd) for _ in range(repeat)]
    return Timing(statistics.median(r.seconds for r in runs), max(r.peak_mb for r in runs))


def workspace_for(scale: float) -> Path:
    folder = HERE / "data" / f"scale-{scale:g}"
    if not (folder / "DONE").exists():
        shutil.rmtree(folder, ignore_errors=True)
        print(f"generating scale {scale:g} into {folder} ...", file=sys.stderr)
        generate(scale, folder)
    return folder


def measure(scale: float, repeat: int, dashboard: bool) -> dict:  # type: ignore[type-arg]
    folder = workspace_for(scale)
    db = folder / "tracker.db"
    floor_db = folder / "floor.db"
    for path in folder.glob("*.db*"):
        path.unlink()
    shutil.rmtree(folder / "site", ignore_errors=True)
    tracker = [TRACKER, "--workspace", str(folder / "workspace"), "--db", f"sqlite:///{db}"]
    observations = str(folder / "observations.csv")
    results: dict = {"scale": scale, "observations": sum(1 for _ in open(observations)) - 1}  # type: ignore[type-arg]
    print(f"scale {scale:g}: sync + forecasts ...", file=sys.stderr)
    results["sync_and_forecasts"] = timed([*tracker, "import", str(folder / "forecasts.csv")], folder)
    print("import ...", file=sys.stderr)
    results["import"] = timed([*tracker, "import", observations], folder)
    results["import_floor"] = timed([PYTHON, str(HERE / "floors.py"), "import", observations, str(floor_db)], folder)
    print("scorecard ...", file=sys.stderr)
    results["scorecard"] = timed([*tracker, "scorecard", "--format", "json", "--as-of", AS_OF], folder, folder / "scorecard.json")
    results["scorecard_floor"] = timed([PYTHON, str(HERE / "floors.py"), "scorecard", str(db)], folder, folder / "floor.json")
    print("start-up ...", file=sys.stderr)
    results["help"] = median([TRACKER, "--help"], folder, repeat)
    results["help_floor"] = median([PYTHON, "-c", "import typer"], folder, repeat)
    results["observe"] = median([*tracker, "observe", "m00000", "1234.5", "--as-of", "2026-10", "--source", "bench"], folder, repeat)
    results["observe_floor"] = median([PYTHON, "-c", "import sqlalchemy"], folder, repeat)
    print("export ...", file=sys.stderr)
    results["export"] = timed([*tracker, "export", "-o", str(folder / "export.csv")], folder)
    if dashboard:
        print("dashboard ...", file=sys.stderr)
        results["dashboard"] = timed([*tracker, "dashboard", "-o", str(folder / "site"), "--as-of", AS_OF], folder)
    return results


def ratio(results: dict, name: str) -> float:  # type: ignore[type-arg]
    return results[name].seconds / results[f"{name}_floor"].seconds


def figures_table(results: dict) -> str:  # type: ignore[type-arg]
    n = results["observations"]
    rows = [
        ("`tracker import` of the observations CSV", "import", "csv + sqlite3.executemany, one transaction", 2.0),
        ("`tracker scorecard --format json`", "scorecard", "one SQL pass + Python loop over propositions", 3.0),
        ("`tracker --help`", "help", '`python -c "import typer"`', 2.0),
        ("`tracker observe` (one row)", "observe", '`python -c "import sqlalchemy"`', 2.0),
    ]
    lines = [f"Scale {results['scale']:g}: {n:,} observations.", "",
             "| figure | tracker | floor | ratio | goal | met |", "|---|---:|---:|---:|---:|---|"]
    for title, name, floor, goal in rows:
        r = ratio(results, name)
        lines.append(f"| {title} | {results[name].seconds:.2f} s | {results[f'{name}_floor'].seconds:.2f} s ({floor}) | "
                     f"{r:.2f}× | ≤ {goal:g}× | {'yes' if r <= goal else 'NO'} |")
    peak = results["scorecard"].peak_mb
    lines.append(f"| peak memory of the scorecard | {peak:.0f} MB | — | — | ≤ 1024 MB | {'yes' if peak <= 1024 else 'NO'} |")
    if "dashboard" in results:
        seconds = results["dashboard"].seconds
        lines.append(f"| `tracker dashboard` | {seconds:.1f} s | — | — | ≤ 60 s | {'yes' if seconds <= 60 else 'NO'} |")
    lines.append(f"| (sync of the definitions + import of the forecasts CSV) | {results['sync_and_forecasts'].seconds:.2f} s | | | | |")
    lines.append(f"| (`tracker export` of everything logged) | {results['export'].seconds:.2f} s | | | | |")
    lines.append(f"| (peak memory of the import) | {results['import'].peak_mb:.0f} MB | | | | |")
    return "\n".join(lines)


def growth_table(all_results: list[dict]) -> str:  # type: ignore[type-arg]
    lines = ["| scale | observations | import | µs/observation | scorecard | µs/observation | scorecard peak | dashboard |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in all_results:
        n = r["observations"]
        dash = f"{r['dashboard'].seconds:.1f} s" if "dashboard" in r else "—"
        lines.append(f"| {r['scale']:g} | {n:,} | {r['import'].seconds:.2f} s | {1e6 * r['import'].seconds / n:.1f} | "
                     f"{r['scorecard'].seconds:.2f} s | {1e6 * r['scorecard'].seconds / n:.1f} | {r['scorecard'].peak_mb:.0f} MB | {dash} |")
    return "\n".join(lines)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    return (f"{cpu}, {os.cpu_count()} cores, {memory} GB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, SQLite {__import__('sqlite3').sqlite_version}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="one scale (default 1: the issue's figures)")
    parser.add_argument("--scales", help="comma-separated scales for the growth table, e.g. 0.1,0.3,1")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each start-up command (median)")
    parser.add_argument("--no-dashboard", action="store_true", help="skip the dashboard figure")
    args = parser.parse_args()
    scales = [float(s) for s in args.scales.split(",")] if args.scales else [args.scale]
    (HERE / "out").mkdir(exist_ok=True)
    all_results = []
    for scale in scales:
        results = measure(scale, args.repeat, not args.no_dashboard)
        all_results.append(results)
        serialisable = {k: asdict(v) if isinstance(v, Timing) else v for k, v in results.items()}
        (HERE / "out" / f"results-{scale:g}.json").write_text(json.dumps(serialisable, indent=2), encoding="utf-8")
    print(f"Machine: {machine()}\n")
    print(figures_table(all_results[-1]))
    if len(all_results) > 1:
        print("\nGrowth:\n")
        print(growth_table(all_results))


if __name__ == "__main__":
    main()
