"""A 200 MB import in bounded memory: build the CSV, import it in a child process, report its peak RSS.

The file holds observations of 50 yearly metrics (one sample workspace), each row with its own
source and note so that no row repeats another. `tracker import` streams it in batches into one
transaction; its peak resident memory (the child's `ru_maxrss`, what `/usr/bin/time -v` calls
"Maximum resident set size") should not grow with the file. The same is measured for a file a
tenth the size, so the two can be compared.

    .venv/bin/python benchmarks/bigfile.py [--mb 200] [--keep]

Not part of the test suite (tests/test_bad_input.py and tests/test_crash.py use small files;
tests/test_bigfile.py compares two small sizes); the numbers go in docs/errors.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "bigfile"
METRICS = 50


def workspace(root: Path) -> None:
    """Definition files: one source and METRICS yearly metrics."""
    (root / "forecasts").mkdir(parents=True, exist_ok=True)
    lines = ["sources:", "  - {id: stats, title: Statistics, published: 2024-01-01}", "metrics:"]
    lines += [f"  - {{id: m{i}, name: Metric {i}, unit: t, period: year}}" for i in range(METRICS)]
    (root / "forecasts" / "metrics.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def build_csv(path: Path, megabytes: float) -> int:
    """Write observation rows until the file reaches `megabytes`; returns the row count."""
    target = int(megabytes * 1_000_000)
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("type,target,value,as_of,source,grade,note\n")
        written = 0
        while written < target:
            chunk = []
            for i in range(rows, rows + 10_000):
                chunk.append(f"observation,m{i % METRICS},{i * 0.37:.2f},{1900 + (i // METRICS) % 126},"
                             f"Statistical yearbook table {i},B2,row {i} of the big file (bounded memory check)\n")
            text = "".join(chunk)
            out.write(text)
            written += len(text.encode("utf-8"))
            rows += 10_000
    return rows


def measure(root: Path, rows_file: Path) -> tuple[float, int, str]:
    """(seconds, peak RSS in KiB, output) of `tracker import` in a fresh child process.

    A small wrapper process runs the import and reports RUSAGE_CHILDREN, so each measurement
    sees only its own import (ru_maxrss of children is a maximum over all children waited for).
    """
    wrapper = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
               "r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
               "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode); "
               "print(r.stdout.strip() or r.stderr.strip())")
    env = {**os.environ, "TRACKER_WORKSPACE": str(root), "TRACKER_USER": "bench"}
    env.pop("TRACKER_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", wrapper, sys.executable, "-m", "tracker", "import", str(rows_file)],
                          capture_output=True, text=True, env=env, check=True)
    first, output = done.stdout.split("\n", 1)
    seconds, peak, code = first.split()
    if code != "0":
        raise SystemExit(f"import failed: {output}")
    return float(seconds), int(peak), output.strip()


def run(megabytes: float, keep: bool) -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    for size in (megabytes / 10, megabytes):
        path = DATA / f"observations-{size:g}mb.csv"
        if not path.exists():
            started = time.perf_counter()
            rows = build_csv(path, size)
            print(f"built {path} ({path.stat().st_size / 1e6:.0f} MB, {rows:,} rows) in {time.perf_counter() - started:.0f} s")
        with tempfile.TemporaryDirectory(dir=DATA) as folder:
            root = Path(folder)
            workspace(root)
            seconds, peak, output = measure(root, path)
            db = (root / "tracker.db").stat().st_size
        print(f"{path.name}: {path.stat().st_size / 1e6:.0f} MB imported in {seconds:.1f} s, "
              f"peak RSS {peak / 1024:.0f} MiB, database {db / 1e6:.0f} MB\n    {output}")
        if not keep:
            path.unlink()
    print(f"(this machine: Python {sys.version.split()[0]}, maxrss units KiB, RLIMIT_AS {resource.getrlimit(resource.RLIMIT_AS)[0]})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=200, help="size of the big file in MB (default 200)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files under benchmarks/data/")
    args = parser.parse_args()
    run(args.mb, args.keep)


if __name__ == "__main__":
    main()
