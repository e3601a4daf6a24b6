"""The floors the benchmark compares tracker with: the least work that yields the same figure.

    floors.py import CSV DB      Python's csv module + sqlite3.executemany of the same rows into a
                                 table of the CSV's columns, in one transaction (WAL, synchronous=NORMAL,
                                 as tracker opens SQLite)
    floors.py scorecard DB       one SQL pass for the latest value per metric + a plain Python loop
                                 over the propositions computing progress, printed as JSON
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys


def import_floor(csv_path: str, db_path: str) -> None:
    connection = sqlite3.connect(db_path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    with open(csv_path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        connection.execute(f"CREATE TABLE rows ({', '.join(header)})")
        connection.execute("BEGIN")
        connection.executemany(f"INSERT INTO rows VALUES ({', '.join('?' for _ in header)})", reader)
        connection.execute("COMMIT")
    connection.close()


def scorecard_floor(db_path: str) -> None:
    connection = sqlite3.connect(db_path)
    latest = {target: value for target, value, _ in connection.execute(
        "SELECT target, value_num, max(period_end) FROM observation WHERE value_num IS NOT NULL GROUP BY target")}
    out = []
    for prop_id, kind, metric, deadline, data in connection.execute("SELECT id, kind, metric, deadline, data FROM proposition ORDER BY id"):
        entry = {"id": prop_id, "kind": kind, "deadline": deadline, "progress": None}
        if kind == "target":
            definition = json.loads(data)
            base, goal, value = definition["baseline"]["value"], definition["target"]["value"], latest.get(metric)
            if value is not None and goal != base:
                entry["progress"] = round((value - base) / (goal - base), 4)
        out.append(entry)
    json.dump({"propositions": out}, sys.stdout)


if __name__ == "__main__":
    if sys.argv[1] == "import":
        import_floor(sys.argv[2], sys.argv[3])
    else:
        scorecard_floor(sys.argv[2])
