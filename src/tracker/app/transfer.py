"""Bulk use cases: import a CSV or JSON Lines file of logs, export everything logged.

`import_file` streams the file through the row checker (tracker.load.rows) into the bulk
writer (tracker.store.bulk) inside ONE write transaction: if any row is bad, the transaction is
rolled back and every error comes back as `FILE:LINE: message` (the first 20, then a count).
`--dry-run` runs the very same path and rolls back at the end, so it reports exactly what an
import would add and what it would skip as already logged.

`export_logs` writes every logged row (observations including superseded ones, forecasts and
rulings, with their recording times and authors) in the import format and a stable order, so
importing the export into an empty database with the same definition files reproduces the
same scorecard. Entries written in definition files are not exported: the files hold them.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from tracker.app.session import Session, now
from tracker.core.cells import protect
from tracker.errors import InputError, Problem
from tracker.load.rows import COLUMNS, KINDS, Defaults, ImportFile, RowChecker, RowError, detect_format
from tracker.report.output import format_for, write_with
from tracker.store.bulk import BulkWriter, import_targets, logged_rows

SHOWN_ERRORS = 20
PROGRESS_EVERY = 20_000  # rows between progress reports

Progress = Callable[[int, int], None]  # (bytes read, file size)


@dataclass(frozen=True)
class ImportReport:
    """What an import read, added and skipped, by kind."""

    path: str
    rows: int
    added: dict[str, int]
    dry_run: bool = False

    @property
    def skipped(self) -> int:
        """Rows not added because the same row is already logged (or repeats one earlier in the file)."""
        return self.rows - sum(self.added.values())


@dataclass
class _Errors:
    """Bad rows: the first few kept as problems, the rest only counted (bounded memory)."""

    display: str
    count: int = 0
    shown: list[Problem] = field(default_factory=list)

    def add(self, line: int, message: str) -> None:
        self.count += 1
        if len(self.shown) < SHOWN_ERRORS:
            self.shown.append(Problem(message, self.display, line))

    def error(self) -> InputError:
        more = self.count - len(self.shown)
        tail = f" ({more} more not shown)" if more else ""
        rows = "row is" if self.count == 1 else "rows are"
        summary = Problem(f"{self.count} {rows} bad{tail}; nothing was imported", self.display)
        return InputError(problems=[*self.shown, summary])


class _RolledBack(Exception):
    """Ends a dry run's transaction without writing, carrying what it would have added."""

    def __init__(self, report: ImportReport):
        self.report = report


def import_file(session: Session, path: Path, *, fmt: str | None = None, dry_run: bool = False, by: str | None = None,
                progress: Progress | None = None, display: str | None = None) -> ImportReport:
    """Log every row of a CSV or JSON Lines file, or nothing if any row is bad."""
    if not dry_run:
        session.store.require_durable()
    shown = display or str(path)
    defaults = Defaults(recorded_at=now(), today=date.today(), recorded_by=session.recorder(by))
    try:
        with ImportFile(path, detect_format(path, fmt), shown) as source, session.store.write() as connection:
            checker = RowChecker(import_targets(connection), defaults)
            writer = BulkWriter(connection)
            errors = _Errors(shown)
            count = _feed(source, checker, writer, errors, progress)
            if errors.count:
                raise errors.error()
            report = ImportReport(shown, count, writer.inserted(), dry_run)
            if dry_run:
                raise _RolledBack(report)
    except _RolledBack as rolled_back:
        return rolled_back.report
    return report


def _feed(source: ImportFile, checker: RowChecker, writer: BulkWriter, errors: _Errors, progress: Progress | None) -> int:
    """Check each row; hand good rows to the writer until the first bad one. Returns the row count."""
    count = 0
    for line, row in checker.checked(source):
        count += 1
        if isinstance(row, RowError):
            errors.add(line, str(row))
            continue
        if not errors.count:
            writer.add(row)
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(source.consumed, source.size)
    if progress is not None:
        progress(source.size, source.size)
    return count


# --- export ----------------------------------------------------------------------------------------

EXPORT_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl"}


def export_format(output: Path | None, chosen: str | None) -> str:
    """`--format`, else the output's suffix (.jsonl -> jsonl), else CSV; a suffix naming another format is refused."""
    if chosen is not None and chosen not in ("csv", "jsonl"):
        raise InputError(f"{chosen!r} is not csv or jsonl", argument="fmt")
    return format_for(output, chosen, EXPORT_SUFFIXES, "csv")


def export_logs(session: Session, out: TextIO, fmt: str = "csv") -> dict[str, int]:
    """Write every logged row to `out` in the import format; returns the counts by kind."""
    counts: dict[str, int] = dict.fromkeys(KINDS, 0)
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for record in _records(session, counts):
            writer.writerow([_cell(record.get(c)) for c in COLUMNS])
    else:
        for record in _records(session, counts):
            out.write(json.dumps({k: v for k, v in record.items() if v is not None}, ensure_ascii=False) + "\n")
    return counts


def _cell(value: Any) -> Any:
    """A CSV cell: empty for nothing, text a spreadsheet would run as a formula prefixed (`'=...`)."""
    if value is None:
        return ""
    return protect(value) if isinstance(value, str) else value


def export_to_file(session: Session, output: Path, fmt: str) -> dict[str, int]:
    """Export into a file, replacing it only once the export is complete (never the database itself)."""
    counts: dict[str, int] = {}
    write_with(output, lambda out: counts.update(export_logs(session, out, fmt)), protected=session.database_files())
    return counts


def _records(session: Session, counts: dict[str, int]) -> Iterator[dict[str, Any]]:
    with session.store.read() as connection:
        for kind in KINDS:
            for row in logged_rows(connection, kind):
                counts[kind] += 1
                yield _EXPORTERS[kind](row)


def _moment(row: Any) -> str:
    return row.recorded_at.replace(tzinfo=None).isoformat(timespec="microseconds")


def _observation(row: Any) -> dict[str, Any]:
    return {"type": "observation", "target": row.target, "value": row.value_text if row.value_num is None else row.value_num,
            "as_of": row.as_of, "source": row.source, "grade": row.grade, "note": row.note,
            "recorded_by": row.recorded_by, "recorded_at": _moment(row)}


def _forecast(row: Any) -> dict[str, Any]:
    return {"type": "forecast", "target": row.proposition, "probability": row.probability, "forecaster": row.forecaster,
            "made_on": row.made_on.isoformat(), "recorded_at": _moment(row), "recorded_by": row.recorded_by,
            "source": row.source, "note": row.note}


def _ruling(row: Any) -> dict[str, Any]:
    return {"type": "ruling", "target": row.proposition, "status": row.status, "why": row.why,
            "made_on": row.made_on.isoformat(), "recorded_at": _moment(row), "recorded_by": row.recorded_by,
            "source": row.source}


_EXPORTERS = {"observation": _observation, "forecast": _forecast, "ruling": _ruling}
