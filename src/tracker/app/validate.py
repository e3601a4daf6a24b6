"""`validate`: check definition files, and the rows logged in the database against them.

The definition files are checked without the database; the figures written in them that jump
more than tenfold from the nearest other period of their metric (a digit too many, thousands for
millions) are listed as warnings: worth a second look, not wrong in themselves. Then, for the
whole workspace, the rows analysts logged are checked against the definitions as the files now
stand (read only: nothing is synced, created or changed): rows an edit left without a definition
that takes them (see `tracker.core.orphans`) are problems, since an export would not import them back.
"""

from __future__ import annotations

from pathlib import Path

from tracker.app.config import Config
from tracker.app.session import Session
from tracker.core.ids import definition_place
from tracker.core.jumps import jump_warnings
from tracker.core.orphans import problems
from tracker.core.workspace import Workspace
from tracker.errors import InputError, Problem, TrackerError
from tracker.load.loader import SUFFIXES, LoadResult, load_files, load_workspace
from tracker.store.engine import HEAD, connect, database_url, keeps_nothing, redact, schema_mismatch, schema_revision, sqlite_file
from tracker.store.logged import orphaned

NOT_CHECKED = "logged rows not checked against the definitions: "


def validate(root: Path, paths: list[Path] | None = None) -> LoadResult:
    """Every problem in the workspace's definition files, or in the files and folders named; jumps as warnings."""
    result = load_workspace(root) if not paths else load_files(_files(paths))
    if not result.problems:
        result.warnings.extend(jumps(result.workspace))
    return result


def _files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file())
        elif path.is_file():
            files.append(path)
        else:
            raise InputError(f"{path} does not exist", argument="paths")
    return files


def jumps(workspace: Workspace) -> list[Problem]:
    """A warning at its file and line for each figure that jumps against its metric's nearest other period."""
    found = []
    for obs, warning in jump_warnings(workspace.observations):
        place = definition_place(obs.uid) if obs.uid else None
        path, line = place if place is not None else (None, None)
        found.append(Problem(f"{obs.target} {obs.as_of.label}: {warning}", path, line))
    return found


def logged_orphans(config: Config, workspace: Workspace) -> tuple[list[Problem], list[Problem]]:
    """Rows logged in the configured database that `workspace`'s definitions do not take (problems),
    or why they could not be checked (a warning). A database not made yet, or empty, has none."""
    try:
        engine = connect(database_url(config.db, config.workspace), busy_timeout=config.busy_timeout)
    except TrackerError as exc:
        return [], [Problem(NOT_CHECKED + str(exc))]
    try:
        database = sqlite_file(engine)
        if (database is not None and not database.is_file()) or keeps_nothing(engine):
            return [], []
        revision = schema_revision(engine)
        if revision is None:
            return [], []
        if revision != HEAD:
            return [], [Problem(NOT_CHECKED + str(schema_mismatch(engine, revision)))]
        with engine.connect() as connection:
            found = orphaned(connection, {m.id: m.period for m in workspace.metrics.values()},
                             {p.id: p.kind for p in workspace.propositions.values()})
    except TrackerError as exc:
        return [], [Problem(NOT_CHECKED + str(exc))]
    finally:
        engine.dispose()
    return problems(redact(engine.url), found), []


def unimportable(session: Session) -> list[Problem]:
    """The logged rows an export of this session's database would hold that an import into these
    (synced) definitions refuses: `tracker export` says so, rather than write a file that fails later."""
    workspace = session.workspace
    with session.store.read() as connection:
        found = orphaned(connection, {m.id: m.period for m in workspace.metrics.values()},
                         {p.id: p.kind for p in workspace.propositions.values()})
    return problems(redact(session.store.engine.url), found)
