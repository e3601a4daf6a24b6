"""Writing a report to a file: checked first, written whole or not at all.

A report is written to a hidden temporary file beside its destination and moved into place
once complete, so a full disk or a kill half-way never leaves a truncated scorecard where the
last good one was. A destination is refused before any work when it is a folder, when its folder
does not exist, when it is one of tracker's own database files (`protected`: the database and its
-wal, -shm and -journal companions, by name, through links and hard links alike), or when its
suffix says another format than the one asked for. Problems name the argument that chose the
file (`output`); an error of the file system is one line, `cannot write PATH: reason`.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import IO, Any, TextIO

from tracker.errors import InputError

ARGUMENT = "output"
TEMPORARY_NAME = 100  # characters of the destination's name kept in a temporary name (a name may hold 255)


def check_file(path: Path, *, protected: Iterable[Path] = ()) -> None:
    """Refuse a destination that cannot or must not be written: a folder, a missing folder, a protected file."""
    try:
        if path.is_dir():
            raise InputError(f"{path} is a folder; name a file", argument=ARGUMENT)
        if not path.parent.is_dir():
            raise InputError(f"folder {path.parent} does not exist", argument=ARGUMENT)
    except OSError as exc:  # a name too long to look up, a folder we may not enter
        raise cannot_write(path, exc) from None
    if any(same_file(path, guarded) for guarded in protected):
        raise InputError(f"{path} is tracker's database (or one of its files); choose another file name", argument=ARGUMENT)


def same_file(path: Path, other: Path) -> bool:
    """Whether two names are one file: the same path once links are resolved, or the same inode (a hard link)."""
    try:
        if path.resolve() == other.resolve():
            return True
        return path.exists() and other.exists() and os.path.samefile(path, other)
    except (OSError, RuntimeError):  # a name too long, a loop of links: not one of ours
        return False


def inside(folder: Path, files: Iterable[Path]) -> Path | None:
    """The first of `files` that lies inside `folder` (after resolving links), if any."""
    try:
        root = folder.resolve()
        return next((f for f in files if f.resolve().is_relative_to(root)), None)
    except (OSError, RuntimeError):
        return None


def cannot_write(path: Path, exc: OSError) -> InputError:
    """A file system's refusal (no space, read-only, a name too long) as one line naming the destination."""
    return InputError(f"cannot write {path}: {exc.strerror or exc}", argument=ARGUMENT)


def format_for(path: Path | None, chosen: str | None, suffixes: Mapping[str, str], default: str) -> str:
    """The format to write: the one chosen, else the one the file's suffix names, else `default`.

    A file whose suffix names another format than the one chosen (`-f json` into `card.csv`), or
    no format this report has (`card.pdf`), is refused: the file would not be what its name says.
    A file without a suffix takes the chosen (or default) format.
    """
    if path is None or not path.suffix:
        return chosen or default
    suffix = path.suffix.lower()
    named = suffixes.get(suffix)
    if named is None:
        raise InputError(f"{path.name}: {suffix} names no format this command writes; end the name in "
                         f"{_either(list(suffixes))}", argument=ARGUMENT)
    if chosen is not None and chosen != named:
        wanted = [s for s, f in suffixes.items() if f == chosen]
        raise InputError(f"{path.name} ends in {suffix}, the {named} format, but the format asked for is {chosen}; "
                         + (f"end the name in {_either(wanted)}" if wanted else "leave out the suffix"), argument=ARGUMENT)
    return named


def _either(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def write_text(path: Path, text: str, *, protected: Iterable[Path] = ()) -> None:
    """Write `text` (UTF-8) to `path`, replacing it only once the whole text is written."""
    write_with(path, lambda out: out.write(text), protected=protected)


def write_bytes(path: Path, data: bytes, *, protected: Iterable[Path] = ()) -> None:
    """Write `data` to `path`, replacing it only once all of it is written."""
    _write(path, lambda out: out.write(data), protected, lambda handle: os.fdopen(handle, "wb"))


def write_with(path: Path, write: Callable[[TextIO], object], *, protected: Iterable[Path] = ()) -> None:
    """Call `write` on a temporary file beside `path`, then move it into place (nothing left behind on failure)."""
    _write(path, write, protected, lambda handle: os.fdopen(handle, "w", encoding="utf-8", newline=""))


def _write(path: Path, write: Callable[[Any], object], protected: Iterable[Path], opener: Callable[[int], IO[Any]]) -> None:
    check_file(path, protected=protected)
    real = _destination(path)
    if real is None:  # a device or a pipe (/dev/stdout, a FIFO): written into as it is, never replaced
        _write_into(path, write, opener)
        return
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{real.name[:TEMPORARY_NAME]}.", suffix=".partial", dir=real.parent)
    except OSError as exc:
        raise cannot_write(path, exc) from None
    try:
        with opener(handle) as out:
            write(out)
        os.chmod(temporary, file_mode())
        os.replace(temporary, real)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise cannot_write(path, exc) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _destination(path: Path) -> Path | None:
    """The file a write replaces: `path`, or the file a link at `path` points to (the link stays a
    link); None for something that is not a regular file (a device, a pipe), written into instead."""
    try:
        if path.exists() and not stat.S_ISREG(path.stat().st_mode):
            return None
        return path.resolve() if path.is_symlink() else path
    except (OSError, RuntimeError) as exc:
        raise cannot_write(path, exc if isinstance(exc, OSError) else OSError(str(exc))) from None


def _write_into(path: Path, write: Callable[[Any], object], opener: Callable[[int], IO[Any]]) -> None:
    try:
        with opener(os.open(path, os.O_WRONLY)) as out:
            write(out)
    except OSError as exc:
        raise cannot_write(path, exc) from None


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def file_mode() -> int:
    """The mode a new file gets under the user's umask (mkstemp's files are private to the owner)."""
    return 0o666 & ~_umask()


def folder_mode() -> int:
    """The mode a new folder gets under the user's umask (mkdtemp's folders are private to the owner)."""
    return 0o777 & ~_umask()
