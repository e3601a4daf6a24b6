"""The dashboard's folder: built beside the target, swapped in whole, and never touching others' files.

A build writes into a work folder beside the target (`.NAME.building-XXXXXXXX`): the new site in
its `new/`, which is renamed into place at the end, so a failed or killed build never leaves half
a site. The site holds a manifest (`MARKER`): the SHA-256 of every file tracker wrote. The next
build replaces the folder only if it holds exactly those files, unchanged (a file tracker did not
write, or one edited since, makes it refuse and change nothing), moves it into its work folder's
`old/` and removes it file by file from that list, never a file the list does not name.

While it runs, a build holds a lock (flock) on `BUILDING` inside its work folder; the kernel
drops the lock when the process dies, however it dies. So the next build can tell a work folder
left by a killed build (its lock is free) from one another build is still using, and clears the
former only. A new site folder gets the mode the umask gives (the site is for others to read); a
replaced one keeps its own mode.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path, PurePosixPath

from tracker.errors import InputError
from tracker.report.output import ARGUMENT, TEMPORARY_NAME, cannot_write, folder_mode, inside

try:
    import fcntl
except ImportError:  # Windows: no flock, so stale staging folders are left for the user to delete
    fcntl = None  # type: ignore[assignment]

MARKER = ".tracker-dashboard"
BUILDING = ".tracker-building"
STAGING = ".building-"
NEW, OLD = "new", "old"  # in a work folder: the site being built, and the previous one moved aside
MARKER_HEAD = ("# A dashboard written by `tracker dashboard`: the SHA-256 of every file it wrote (sha256sum's format).\n"
               "# The next build replaces this folder only while it holds these files, unchanged, and nothing else.\n")
# What builds before the manifest wrote (their marker held one line of prose and no list).
LEGACY_FILES = re.compile(r"(plotly\.min\.js|dashboard\.(css|js)|(index|track-records|forecasters|scenarios)\.html|p/[^/]+\.html)")
SHOWN_OTHERS = 3
CHUNK = 1 << 20


def folder_target(out: Path) -> Path:
    """The folder a build writes: absolute, and a link to a folder followed to the folder itself."""
    out = out.expanduser().absolute()
    with suppress(OSError, RuntimeError):
        if out.is_symlink() and out.is_dir():
            return out.resolve()
    return out


def check_folder(out: Path, *, protected: Iterable[Path] = ()) -> None:
    """Refuse a target that is a file, that holds tracker's database, or that holds files tracker did not write."""
    try:
        if out.exists() and not out.is_dir():
            raise InputError(f"{out} is a file; name a folder for the dashboard", argument=ARGUMENT)
        database = inside(out, protected)
        if database is not None:
            raise InputError(f"{out} holds tracker's database {database}; choose another folder for the dashboard",
                             argument=ARGUMENT)
        if out.is_dir() and os.path.ismount(out):
            raise InputError(f"{out} is a mount point, which cannot be swapped for a new folder; build into a folder "
                             f"inside it ({out / 'site'}) or beside it, and serve that", argument=ARGUMENT)
        if out.is_dir():
            _check_ours(out)
    except OSError as exc:
        raise cannot_write(out, exc) from None


def _check_ours(out: Path) -> None:
    if not any(out.iterdir()):
        return
    if not (out / MARKER).is_file():
        raise InputError(f"{out} is a folder tracker did not write (no {MARKER} in it); choose a new or empty folder",
                         argument=ARGUMENT)
    others = list(_others(out, read_manifest(out)))
    if others:
        more = f" and {len(others) - SHOWN_OTHERS} more" if len(others) > SHOWN_OTHERS else ""
        raise InputError(f"{out} holds files tracker did not write: {', '.join(others[:SHOWN_OTHERS])}{more}; nothing was "
                         "changed: move them out of the folder, or choose a new or empty folder for the dashboard",
                         argument=ARGUMENT)


def read_manifest(folder: Path) -> dict[str, str] | None:
    """The files a build wrote into `folder` and their digests; None for a marker without a list (older builds)."""
    listed = {}
    for line in (folder / MARKER).read_text(encoding="utf-8", errors="replace").splitlines():
        digest, separator, name = line.partition("  ")
        if separator and not line.startswith("#") and _inside(name):
            listed[name] = digest
    return listed or None


def _inside(name: str) -> bool:
    """Whether a name in a manifest stays inside its folder (a marker could be written by anyone)."""
    parts = PurePosixPath(name).parts
    return bool(parts) and not name.startswith("/") and not any(part in ("..", ".") for part in parts)


def _others(folder: Path, listed: dict[str, str] | None) -> Iterator[str]:
    """What in `folder` tracker did not write (relative names; a folder as `name/`; `(changed)` after an edited file)."""
    ours = {MARKER}
    parents = {parent.as_posix() for name in (listed or {}) for parent in Path(name).parents} | {"p", "."}
    for path, relative in _entries(folder):
        if relative in ours:
            continue
        if path.is_symlink() or not (path.is_file() or path.is_dir()):
            yield relative
        elif path.is_dir():
            if relative not in parents and not any(path.iterdir()):
                yield relative + "/"
        elif listed is None:
            if not LEGACY_FILES.fullmatch(relative):
                yield relative
        elif relative not in listed:
            yield relative
        elif digest(path) != listed[relative]:
            yield f"{relative} (changed since tracker wrote it)"


def _entries(folder: Path) -> Iterator[tuple[Path, str]]:
    """Every entry under `folder`, links not followed, with its name relative to `folder`, in a stable order."""
    for root, folders, files in os.walk(folder):
        folders.sort()
        for name in sorted(folders) + sorted(files):
            path = Path(root) / name
            yield path, path.relative_to(folder).as_posix()


def digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    hashed = hashlib.sha256()
    with open(path, "rb") as source:
        while chunk := source.read(CHUNK):
            hashed.update(chunk)
    return hashed.hexdigest()


def write_manifest(folder: Path) -> None:
    """List every file in `folder` with its digest in the marker file (written last)."""
    lines = [f"{digest(path)}  {relative}\n" for path, relative in _entries(folder)
             if relative != MARKER and path.is_file() and "\n" not in relative]
    (folder / MARKER).write_text(MARKER_HEAD + "".join(lines), encoding="utf-8")


# --- building beside the target, and swapping it in ---------------------------------------------


def build_into(out: Path, build: Callable[[Path], int], *, protected: Iterable[Path] = ()) -> int:
    """Run `build` on a new folder beside `out`, add the manifest, and swap it in; returns build's count.

    Any failure of the file system (no space, no permission, a name too long) is one InputError naming
    `out`; nothing is left behind, and the previous site stays as it was.
    """
    out = folder_target(out)
    check_folder(out, protected=protected)
    created = [parent for parent in out.parents if not parent.exists()]
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        clear_stale(out.parent)
        with _work_folder(out) as work:
            site = work / NEW
            site.mkdir()
            site.chmod(stat.S_IMODE(out.stat().st_mode) if out.is_dir() else folder_mode())
            count = build(site)
            write_manifest(site)
            _swap(work, out, protected)
    except BaseException as exc:
        for folder in created:  # deepest first; only those still empty
            with suppress(OSError):
                folder.rmdir()
        if isinstance(exc, OSError):
            raise cannot_write(out, exc) from None
        raise
    return count


@contextmanager
def _work_folder(out: Path) -> Iterator[Path]:
    """A folder beside `out` for this build (the new site, then the previous one), locked while the build runs.

    Emptied and removed at the end, whether the build succeeded or not.
    """
    work = Path(tempfile.mkdtemp(prefix=f".{out.name[:TEMPORARY_NAME]}{STAGING}", dir=out.parent))
    try:
        with _building(work):
            try:
                yield work
            finally:
                _clear(work)  # still locked, so no other build clears it at the same time
    finally:
        _clear(work)  # if taking the lock failed


@contextmanager
def _building(work: Path) -> Iterator[None]:
    """Hold the lock saying this build runs (the lock file is made locked, then named, so no one sees it free)."""
    if fcntl is None:
        yield
        return
    fresh = work / f"{BUILDING}.new"
    handle = os.open(fresh, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        os.write(handle, f"{os.getpid()}\n".encode())
        os.rename(fresh, work / BUILDING)
        yield
    finally:
        os.close(handle)


def _swap(work: Path, out: Path, protected: Iterable[Path]) -> None:
    """Move the previous site (if any) into the work folder, then the new one into place."""
    moved = False
    if out.exists():
        check_folder(out, protected=protected)  # again: nothing may have been added there during the build
        out.rename(work / OLD)
        moved = True
    try:
        (work / NEW).rename(out)
    except OSError:
        if moved and not out.exists():
            (work / OLD).rename(out)  # put the previous site back
        raise


def _clear(work: Path) -> None:
    """Empty a work folder: its new site (all tracker's), its previous site file by file, then the folder.

    A file the previous site's manifest does not name (added during the build) stays, and so does the
    folder holding it.
    """
    shutil.rmtree(work / NEW, ignore_errors=True)
    if (work / OLD).is_dir() and not (work / OLD).is_symlink():
        remove_site(work / OLD)
    for leftover in (BUILDING, f"{BUILDING}.new"):
        with suppress(OSError):
            (work / leftover).unlink()
    with suppress(OSError):
        work.rmdir()


def remove_site(folder: Path) -> None:
    """Delete what a build wrote into `folder` (the files its manifest names), then the folders left empty."""
    listed = read_manifest(folder) if (folder / MARKER).is_file() else {}
    names = listed if listed is not None else [r for _, r in _entries(folder) if LEGACY_FILES.fullmatch(r)]
    for name in [*names, MARKER]:
        path = folder / name
        with suppress(OSError):
            if path.is_file() and not path.is_symlink():
                path.unlink()
    for path, _ in reversed(list(_entries(folder))):
        with suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                path.rmdir()
    with suppress(OSError):
        folder.rmdir()


# --- what killed builds left ----------------------------------------------------------------------


def clear_stale(parent: Path) -> list[Path]:
    """Empty the work folders in `parent` of builds that died (their lock is free); returns them.

    Only tracker's work folders are touched (`.NAME.building-…` holding the BUILDING lock file),
    and in them only what tracker wrote (see `_clear`); a build still running keeps its lock.
    """
    cleared = []
    for folder in sorted(parent.iterdir()):
        if folder.name.startswith(".") and STAGING in folder.name and _abandoned(folder):
            _clear(folder)
            cleared.append(folder)
    return cleared


def _abandoned(work: Path) -> bool:
    """Whether a work folder was made by a build that is no longer running (its lock is free)."""
    lock = work / BUILDING
    if fcntl is None or work.is_symlink() or not work.is_dir() or lock.is_symlink() or not lock.is_file():
        return False
    try:
        handle = os.open(lock, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # a build still running holds it
    finally:
        os.close(handle)
    return True
