"""Writing a report to a file: checked first, written whole or not at all.

A report is written to a hidden temporary file beside its destination and moved into place
once complete, so a full disk or a kill half-way never leaves a truncated scorecard where the
last good one was. Problems name the argument that chose the file (`output`).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from tracker.errors import InputError

ARGUMENT = "output"


def check_file(path: Path, *, protected: Iterable[Path] = ()) -> None:
    """Refuse a destination that cannot or must not be written: a folder, a missing folder, a protected file."""
    if path.is_dir():
        raise InputError(f"{path} is a folder; name a file", argument=ARGUMENT)
    if not path.parent.is_dir():
        raise InputError(f"folder {path.parent} does not exist", argument=ARGUMENT)
    resolved = path.resolve()
    for guarded in protected:
        if resolved == guarded.resolve():
            raise InputError(f"{path} is tracker's database (or one of its files); choose another file name", argument=ARGUMENT)


def write_text(path: Path, text: str, *, protected: Iterable[Path] = ()) -> None:
    """Write `text` (UTF-8) to `path`, replacing it only once the whole text is written."""
    write_with(path, lambda out: out.write(text), protected=protected)


def write_with(path: Path, write: Callable[[TextIO], object], *, protected: Iterable[Path] = ()) -> None:
    """Call `write` on a temporary file beside `path`, then move it into place (nothing left behind on failure)."""
    check_file(path, protected=protected)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name[:100]}.", suffix=".partial", dir=path.parent)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}", argument=ARGUMENT) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            write(out)
        os.chmod(temporary, _mode())
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise InputError(f"cannot write {path}: {exc.strerror}", argument=ARGUMENT) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _mode() -> int:
    """The mode a new file gets under the user's umask (mkstemp's files are private to the owner)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
