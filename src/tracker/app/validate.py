"""`validate`: check definition files without touching the database."""

from __future__ import annotations

from pathlib import Path

from tracker.errors import InputError
from tracker.load.loader import SUFFIXES, LoadResult, load_files, load_workspace


def validate(root: Path, paths: list[Path] | None = None) -> LoadResult:
    """Every problem in the workspace's definition files, or in the files and folders named."""
    if not paths:
        return load_workspace(root)
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file())
        elif path.is_file():
            files.append(path)
        else:
            raise InputError(f"{path} does not exist", argument="paths")
    return load_files(files)
