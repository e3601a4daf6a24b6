"""Big files: an import streams in batches, so its memory does not grow with the file.

Two imports of the same shape, one six times the size of the other, are traced with tracemalloc
(Python's own allocations: rows read, checked and batched). The bigger file must not need
noticeably more memory than the smaller one. The full-size
measurement (a 200 MB CSV, peak RSS of a real `tracker import` process, SQLite's page cache
included) is benchmarks/bigfile.py; its result is in docs/errors.md.
"""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

from tests.conftest import SAMPLE

ROW = "observation,by-az-trade,{value}.25,{year},Statistical yearbook table {i},B2,row {i} of a big file\n"


def _csv(path: Path, rows: int) -> int:
    with path.open("w", encoding="utf-8") as out:
        out.write("type,target,value,as_of,source,grade,note\n")
        for i in range(rows):
            out.write(ROW.format(value=i * 7 % 1000, year=1900 + i % 120, i=i))
    return path.stat().st_size


def _peak_import(tmp_path: Path, name: str, rows: int) -> tuple[int, int]:
    """(file size, peak traced bytes) of importing `rows` observations into a fresh database."""
    from tracker.app.config import Config
    from tracker.app.session import open_session
    from tracker.app.transfer import import_file

    root = tmp_path / name
    (root / "forecasts").mkdir(parents=True)
    (root / "forecasts" / "sample.yaml").write_text(SAMPLE, encoding="utf-8")
    tracker = open_session(Config(root, f"sqlite:///{root / 'tracker.db'}", user="tester"))
    size = _csv(root / "rows.csv", rows)
    gc.collect()
    tracemalloc.start()
    try:
        report = import_file(tracker, root / "rows.csv", by="tester")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        tracker.store.engine.dispose()
    assert report.added["observation"] == rows
    return size, peak


def test_import_memory_does_not_grow_with_the_file(tmp_path: Path) -> None:
    small_size, small_peak = _peak_import(tmp_path, "small", 10_000)
    big_size, big_peak = _peak_import(tmp_path, "big", 60_000)
    assert big_size > 5 * small_size
    # Holding every row would take about six times the small import's peak; streaming keeps one batch.
    assert big_peak < 1.5 * small_peak + 2_000_000, (small_peak, big_peak)
