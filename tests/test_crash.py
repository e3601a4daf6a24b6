"""Crashes: `tracker import` killed with SIGKILL in the middle of a large file loses nothing.

A real process imports a file of 40,000 observations into a SQLite workspace and is killed
(no chance to clean up) at several moments: while it reads and checks rows, and just as SQLite
starts writing the transaction to its write-ahead log (the commit). After each kill the database
passes `PRAGMA integrity_check`, still holds what was logged before, and holds either all of the
import or none of it. A rerun then completes it, and one more run adds nothing.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SAMPLE

ROWS = 40_000


def _tracker(root: Path, *args: str, db: str | None = None) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TRACKER_USER": "tester", "TRACKER_WORKSPACE": str(root)}
    env.pop("TRACKER_DATABASE_URL", None)
    if db:
        env["TRACKER_DATABASE_URL"] = db
    return subprocess.Popen([sys.executable, "-m", "tracker", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _run(root: Path, *args: str, db: str | None = None) -> str:
    process = _tracker(root, *args, db=db)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err.decode()
    return out.decode()


def _state(db: Path) -> tuple[str, int, int]:
    """(integrity check, logged observations from the import, the one logged before)."""
    with sqlite3.connect(db) as connection:
        check = connection.execute("PRAGMA integrity_check").fetchone()[0]
        imported = connection.execute("SELECT count(*) FROM observation WHERE source LIKE 'bulk-%'").fetchone()[0]
        before = connection.execute("SELECT count(*) FROM observation WHERE source = 'Belstat'").fetchone()[0]
    connection.close()
    return check, imported, before


def _kill_when(process: subprocess.Popen[bytes], ready, timeout: float = 60) -> bool:  # type: ignore[no-untyped-def]
    """SIGKILL the process as soon as `ready()`; False if it finished first."""
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        if ready():
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.001)
    process.wait()
    return False


def _read_position(pid: int, path: Path) -> int:
    """How far the process has read into `path` (its file offset, from /proc); -1 if not open."""
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            if os.readlink(f"/proc/{pid}/fd/{fd}") == str(path):
                with open(f"/proc/{pid}/fdinfo/{fd}") as info:
                    return int(info.readline().split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return -1


@pytest.fixture
def big_import(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "ws"
    (root / "forecasts").mkdir(parents=True)
    (root / "forecasts" / "sample.yaml").write_text(SAMPLE, encoding="utf-8")
    _run(root, "observe", "by-az-trade", "497", "--as-of", "2024", "--source", "Belstat")
    rows = root / "big.csv"
    with rows.open("w", encoding="utf-8") as out:
        out.write("type,target,value,as_of,source,note\n")
        for i in range(ROWS):
            out.write(f"observation,by-az-trade,{i}.5,{1900 + i % 120},bulk-{i},row {i}\n")
    return root, rows


def test_sigkill_mid_import_leaves_all_or_nothing_and_a_rerun_completes(big_import: tuple[Path, Path]) -> None:
    root, rows = big_import
    db = root / "tracker.db"
    wal = root / "tracker.db-wal"
    size = rows.stat().st_size
    moments = {
        "a third through the file": lambda pid: _read_position(pid, rows) > size / 3,
        "two thirds through the file": lambda pid: _read_position(pid, rows) > 2 * size / 3,
        "writing the commit": lambda pid: wal.exists() and wal.stat().st_size > 0,
        "as the commit lands": lambda pid: wal.exists() and wal.stat().st_size > 2_000_000,
    }
    killed = []
    for moment, ready in moments.items():
        if wal.exists():  # start each run from a checkpointed database, so the WAL shows this run's writes
            with sqlite3.connect(db) as connection:
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.close()
        process = _tracker(root, "import", str(rows))
        if _kill_when(process, lambda: ready(process.pid)):  # noqa: B023 - called within this iteration
            killed.append(moment)
        check, imported, before = _state(db)
        assert (check, before) == ("ok", 1), moment
        assert imported in (0, ROWS), (moment, imported)
        if imported:
            break  # the kill landed after the commit: the import is complete
    assert killed[:2] == ["a third through the file", "two thirds through the file"], killed
    assert "added" in _run(root, "import", str(rows))
    assert _state(db) == ("ok", ROWS, 1)
    assert _run(root, "import", str(rows)).strip().endswith(f"{ROWS} already logged")


@pytest.mark.postgres
def test_sigkill_mid_import_on_postgresql_leaves_all_or_nothing(big_import: tuple[Path, Path], pg_url: str) -> None:
    """The server's transaction makes the same promise: killed mid-file, nothing of the import is kept."""
    from sqlalchemy import create_engine, text

    root, rows = big_import
    size = rows.stat().st_size

    def counts() -> tuple[int, int]:
        engine = create_engine(pg_url)
        with engine.connect() as connection:
            imported = connection.execute(text("SELECT count(*) FROM observation WHERE source LIKE 'bulk-%'")).scalar_one()
            before = connection.execute(text("SELECT count(*) FROM observation WHERE source = 'Belstat'")).scalar_one()
        engine.dispose()
        return imported, before

    _run(root, "observe", "by-az-trade", "497", "--as-of", "2024", "--source", "Belstat", db=pg_url)
    for fraction in (1 / 3, 2 / 3):
        process = _tracker(root, "import", str(rows), db=pg_url)
        assert _kill_when(process, lambda: _read_position(process.pid, rows) > fraction * size)  # noqa: B023
        assert counts() == (0, 1)
    assert "added" in _run(root, "import", str(rows), db=pg_url)
    assert counts() == (ROWS, 1)
