"""Workspace settings: `tracker.yaml` at the workspace's root, optional.

    min_grade: C3              # observations graded below this don't resolve a proposition alone
    sources: [../shared/seeds] # folders where sources' `file:` texts are found (quotes are checked)
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError

from tracker.core.models import Entry, Grade
from tracker.core.scores import GRACE_DAYS
from tracker.errors import DefinitionError, Problem
from tracker.load.yamlfile import OUTSIDE_LINK, leaves, parse

SETTINGS_FILE = "tracker.yaml"


class Settings(Entry):
    min_grade: Grade | None = None
    sources: list[str] = []
    forecast_grace_days: Annotated[int, Field(ge=0, le=36_500)] = GRACE_DAYS  # later than this after made_on: a retrodiction

    def source_folders(self, root: Path) -> list[Path]:
        """Where a source's `file:` may be: the listed folders, then the workspace's sources/."""
        return [(root / folder).resolve() for folder in self.sources] + [root / "sources"]


def load_settings(root: Path) -> Settings:
    """The workspace's settings; defaults when there is no tracker.yaml."""
    path = root / SETTINGS_FILE
    if not path.is_file():
        return Settings()
    if leaves(path, root):
        raise DefinitionError(problems=[Problem(OUTSIDE_LINK, SETTINGS_FILE)])
    document, problems = parse(path.read_bytes(), SETTINGS_FILE)
    if problems or document is None:
        raise DefinitionError(problems=problems)
    if document.data is None:
        return Settings()
    if not isinstance(document.data, dict):
        raise DefinitionError(problems=[Problem("expected a mapping of settings", SETTINGS_FILE, 1)])
    try:
        return Settings.model_validate(document.data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        key = str(first["loc"][0]) if first["loc"] else ""
        line = document.lines.get((key,), 1)
        message = str(first["msg"]).removeprefix("Value error, ")
        raise DefinitionError(problems=[Problem(f"{key}: {message}", SETTINGS_FILE, line)]) from None
