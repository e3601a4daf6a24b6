"""How long `tracker dashboard` takes: the bundled data and a synthetic workspace of 10,000 propositions.

    .venv/bin/python benchmarks/dashboard_bench.py               # bundled data, then scale 1 (10,000 propositions)
    .venv/bin/python benchmarks/dashboard_bench.py --scale 0.1   # 1,000 propositions, for a quick check

The synthetic workspace comes from benchmarks/generate.py (the import/scorecard benchmark's
generator: 70% targets on monthly metrics, 30% events, 1,000,000 observations and 100,000
forecasts at scale 1), written to its own folder under benchmarks/data/ (git-ignored). Its logs
are imported once into a fresh SQLite database; then the real CLI builds the dashboard in a
subprocess, timed wall-clock, as a user runs it. An in-process run splits the time between
reading and computing (`tracker.app.dashboard_data`) and writing the site. Results also go to
benchmarks/out/dashboard-SCALE.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TRACKER = str(Path(sys.executable).parent / "tracker")
AS_OF = "2026-11-24"

sys.path.insert(0, str(HERE))


def tracker(workspace: Path, db: str, *args: str) -> float:
    """Run the real CLI; returns its wall time in seconds."""
    start = time.perf_counter()
    subprocess.run([TRACKER, "--workspace", str(workspace), "--db", db, *args], check=True, capture_output=True, text=True)
    return time.perf_counter() - start


def synthetic(scale: float) -> Path:
    """The generated workspace for `scale` (made once, then reused)."""
    from generate import generate

    out = HERE / "data" / f"dashboard-scale-{scale:g}"
    if not (out / "DONE").exists():
        shutil.rmtree(out, ignore_errors=True)
        print(f"generating the synthetic workspace at scale {scale:g} into {out} ...", flush=True)
        generate(scale, out)
    return out


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def in_process(workspace: Path, db: str, site: Path) -> dict[str, float]:
    """The same build split in two: reading and computing, then writing the site."""
    from tracker.app.config import Config
    from tracker.app.dashboard import dashboard_data
    from tracker.app.session import open_session
    from tracker.report.dashboard import write_dashboard

    tracker_ = open_session(Config(workspace, db))
    start = time.perf_counter()
    data = dashboard_data(tracker_, date.fromisoformat(AS_OF))
    middle = time.perf_counter()
    write_dashboard(data, site)
    end = time.perf_counter()
    return {"dashboard_data_s": round(middle - start, 2), "write_site_s": round(end - middle, 2)}


def measure(name: str, workspace: Path, logs: list[Path]) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="dashboard-bench-") as tmp:
        db = f"sqlite:///{tmp}/bench.db"
        prepare = sum(tracker(workspace, db, "import", str(path)) for path in logs) if logs else tracker(workspace, db, "list")
        site = Path(tmp) / "site"
        wall = tracker(workspace, db, "dashboard", "-o", str(site), "--as-of", AS_OF)
        files, size = folder_size(site)
        pages = len(list((site / "p").glob("*.html")))
        split = in_process(workspace, db, Path(tmp) / "site2")
    result = {"workspace": name, "propositions": pages, "files": files, "site_mb": round(size / 1e6, 1),
              "prepare_s": round(prepare, 1), "dashboard_wall_s": round(wall, 2), **split}
    print(json.dumps(result), flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 10,000 propositions (default)")
    parser.add_argument("--skip-bundled", action="store_true", help="only the synthetic workspace")
    args = parser.parse_args()
    results = {"machine": f"{platform.machine()} {platform.python_implementation()} {platform.python_version()}", "runs": []}
    if not args.skip_bundled:
        results["runs"].append(measure("bundled (forecasts/, scenarios/)", REPO, []))
    generated = synthetic(args.scale)
    results["runs"].append(measure(f"synthetic, scale {args.scale:g}", generated / "workspace",
                                   [generated / "forecasts.csv", generated / "observations.csv"]))
    out = HERE / "out" / f"dashboard-{args.scale:g}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
