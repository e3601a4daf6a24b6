"""Issue 19 (round 2), the rest: files tracker writes, what reaches a terminal, and rows definitions orphan.

Each test names its item. Items 15 and 16 (dates at the edges, overflowing numbers) are in
tests/test_edges.py; the store's and the loader's items in tests/test_hardening.py. Bad input
gives one line and exit 2 and changes nothing; a file tracker did not write is never deleted,
and no file is left half written.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO, SAMPLE, Run
from tracker.cli import _library_warnings, app
from tracker.errors import InputError
from tracker.report.site_folder import BUILDING, MARKER, build_into, clear_stale, remove_site

OBSERVE = ("observe", "by-az-trade", "497", "--as-of", "2024", "--source", "Belstat")
ARTICLE = "Minsk, 20 May 2024.\nPresident Lukashenka said trade will reach $1 billion by 2026.\n"


def one_line(result) -> str:  # type: ignore[no-untyped-def]
    """The single line on standard error of a refused command (exit 2, nothing on standard output)."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every entry under a folder (links not followed): a file's bytes, None for a folder or link."""
    found: dict[str, bytes | None] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        found[relative] = path.read_bytes() if path.is_file() and not path.is_symlink() else None
    return found


def leftovers(folder: Path) -> list[str]:
    """Temporary files or folders a writer left in `folder`."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and (".partial" in p.name or ".building-" in p.name))


def tracker(*args: str, cwd: Path | None = None, **popen: object) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("TRACKER_")}
    return subprocess.run([sys.executable, "-m", "tracker", *args], capture_output=True, text=True, timeout=180,
                          env={**env, "TRACKER_USER": "tester"}, cwd=cwd, **popen)  # type: ignore[call-overload, no-any-return]


@pytest.fixture
def sqlite_sample(workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """The sample workspace on a SQLite file (items about files beside the database)."""
    monkeypatch.setenv("TRACKER_USER", "tester")
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    run = Run(workspace, f"sqlite:///{tmp_path / 'tracker.db'}", CliRunner())
    run.write("forecasts/sample.yaml", SAMPLE)
    return run


# --- item 1: rebuilding into a deployed folder -----------------------------------------------------------------------


def deployed(run: Run, tmp_path: Path) -> Path:
    """A web root holding its own files and a copy of a dashboard (`rsync -a site-x/ www/`)."""
    assert run("dashboard", "-o", str(tmp_path / "site-x")).exit_code == 0
    www = tmp_path / "www"
    (www / "blog").mkdir(parents=True)
    (www / "index-home.html").write_text("<h1>home</h1>", encoding="utf-8")
    (www / "blog" / "post.html").write_text("a post", encoding="utf-8")
    (www / ".htaccess").write_text("Options -Indexes\n", encoding="utf-8")
    shutil.copytree(tmp_path / "site-x", www, dirs_exist_ok=True)
    return www


def test_item_01_a_deployed_web_root_is_refused_and_kept_whole(sample: Run, tmp_path: Path) -> None:
    www = deployed(sample, tmp_path)
    before = tree(www)
    line = one_line(sample("dashboard", "-o", str(www)))
    assert line.startswith(f"-o: {www} holds files tracker did not write: ")
    assert line.endswith("; nothing was changed: move them out of the folder, or choose a new or empty folder for the dashboard")
    assert all(name in line for name in (".htaccess", "index-home.html", "blog/post.html"))
    assert tree(www) == before
    assert leftovers(tmp_path) == []


def test_item_01_a_page_edited_since_the_build_is_not_deleted(sample: Run, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert sample("dashboard", "-o", str(site)).exit_code == 0
    (site / "index.html").write_text("my own edit", encoding="utf-8")
    before = tree(site)
    assert one_line(sample("dashboard", "-o", str(site))) == (
        f"-o: {site} holds files tracker did not write: index.html (changed since tracker wrote it); nothing was changed: "
        "move them out of the folder, or choose a new or empty folder for the dashboard")
    assert tree(site) == before


def test_item_01_the_marker_lists_every_file_written_and_a_rebuild_replaces_them(sample: Run, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert sample("dashboard", "-o", str(site)).exit_code == 0
    marker = (site / MARKER).read_text(encoding="utf-8").splitlines()
    listed = {line.split("  ", 1)[1] for line in marker if not line.startswith("#")}
    assert listed == {p for p, data in tree(site).items() if data is not None} - {MARKER}
    check = subprocess.run(["sha256sum", "--check", "--quiet", "--strict"], input="\n".join(m for m in marker if not m.startswith("#")) + "\n",
                           cwd=site, capture_output=True, text=True) if shutil.which("sha256sum") else None
    assert check is None or check.returncode == 0, check.stdout + check.stderr  # sha256sum's own format
    assert sample("dashboard", "-o", str(site)).exit_code == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_item_01_a_site_written_before_the_manifest_is_recognised_by_its_files(sample: Run, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert sample("dashboard", "-o", str(site)).exit_code == 0
    (site / MARKER).write_text("A dashboard written by `tracker dashboard`; it is replaced whole on the next build.\n",
                               encoding="utf-8")
    (site / "p" / "gone.html").write_text("a page of a proposition since removed", encoding="utf-8")
    assert sample("dashboard", "-o", str(site)).exit_code == 0
    assert not (site / "p" / "gone.html").exists()
    (site / MARKER).write_text("A dashboard written by `tracker dashboard`.\n", encoding="utf-8")
    (site / "notes.txt").write_text("mine", encoding="utf-8")
    assert "notes.txt" in one_line(sample("dashboard", "-o", str(site)))
    assert (site / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_item_01_a_file_added_during_the_build_stops_the_swap(tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_into(site, lambda folder: (folder / "index.html").write_text("one", encoding="utf-8"))

    def build(folder: Path) -> int:
        (site / "certbot.txt").write_text("added meanwhile", encoding="utf-8")
        return (folder / "index.html").write_text("two", encoding="utf-8")

    with pytest.raises(InputError, match="holds files tracker did not write: certbot.txt"):
        build_into(site, build)
    assert tree(site) == {MARKER: (site / MARKER).read_bytes(), "certbot.txt": b"added meanwhile", "index.html": b"one"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_item_01_removing_a_previous_site_deletes_only_the_files_it_lists(tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_into(site, lambda folder: (folder / "p").mkdir() or (folder / "p" / "a.html").write_text("a", encoding="utf-8"))
    (site / "p" / "mine.html").write_text("mine", encoding="utf-8")
    remove_site(site)
    assert tree(site) == {"p": None, "p/mine.html": b"mine"}


def test_item_01_a_marker_naming_files_outside_its_folder_deletes_none(tmp_path: Path) -> None:
    """A marker file is text anyone can write: names leaving the folder, or links, are never followed."""
    site = tmp_path / "site"
    build_into(site, lambda folder: (folder / "index.html").write_text("one", encoding="utf-8"))
    outside = tmp_path / "outside.txt"
    outside.write_text("keep", encoding="utf-8")
    marker = (site / MARKER).read_text(encoding="utf-8")
    (site / MARKER).write_text(marker + f"{'0' * 64}  ../outside.txt\n{'0' * 64}  {outside}\n", encoding="utf-8")
    remove_site(site)
    assert outside.read_text(encoding="utf-8") == "keep" and not site.exists()


def test_item_01_and_02_a_folder_holding_the_database_is_refused(workspace: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    run = Run(workspace, f"sqlite:///{site / 'tracker.db'}", CliRunner())
    run.write("forecasts/sample.yaml", SAMPLE)
    assert run(*OBSERVE).exit_code == 0
    assert one_line(run("dashboard", "-o", str(site))) == (
        f"-o: {site} holds tracker's database {site / 'tracker.db'}; choose another folder for the dashboard")
    assert run("export").stdout.count("by-az-trade,497") == 1


# --- item 2: -o naming the live database or its companions -------------------------------------------------------------

REFUSED = "is tracker's database (or one of its files); choose another file name"
# (command, the database's file name): the name suits the command's own suffix rule, so only the database check can refuse it
WRITERS = [
    (("scorecard", "-o", "{out}"), "live"),
    (("scorecard", "--format", "json", "-o", "{out}"), "live.json"),
    (("due", "-o", "{out}"), "live.md"),
    (("export", "-o", "{out}"), "live.csv"),
    (("export", "-o", "{out}"), "live"),
    (("chart", "by-az-trade-1bn", "-o", "{out}"), "live.html"),
    (("extract", "{article}", "-o", "{out}"), "live.yaml"),
    (("extract", "{article}", "-o", "{out}"), "live"),
]


def live(workspace: Path, tmp_path: Path, name: str) -> Run:
    run = Run(workspace, f"sqlite:///{tmp_path / name}", CliRunner())
    run.write("forecasts/sample.yaml", SAMPLE)
    assert run(*OBSERVE).exit_code == 0
    return run


def intact(run: Run, database: Path) -> None:
    assert run("export").stdout.count("by-az-trade,497") == 1
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.parametrize(("command", "name", "companion"), [
    (command, name, companion) for command, name in WRITERS
    for companion in (["", "-wal", "-shm", "-journal"] if "." not in name else [""])])  # live.json-wal: refused by its suffix
def test_item_02_no_writer_replaces_the_database_or_its_companions(command: tuple[str, ...], name: str, companion: str,
                                                                     workspace: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_USER", "tester")
    run = live(workspace, tmp_path, name)
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / (name + companion)
    existed = out.exists()
    line = one_line(run(*(part.format(out=out, article=tmp_path / "article.txt") for part in command)))
    assert line == f"-o: {out} {REFUSED}"
    assert out.exists() == existed or companion in ("-wal", "-shm")  # only SQLite itself makes those
    intact(run, tmp_path / name)


@pytest.mark.parametrize("link", ["symlink", "hardlink"])
def test_item_02_a_link_to_the_database_is_the_database(link: str, workspace: Path, tmp_path: Path) -> None:
    run = live(workspace, tmp_path, "live.db")
    out = tmp_path / "card.json"
    if link == "symlink":
        out.symlink_to(tmp_path / "live.db")
    else:
        os.link(tmp_path / "live.db", out)
    assert one_line(run("scorecard", "-o", str(out))) == f"-o: {out} {REFUSED}"
    intact(run, tmp_path / "live.db")


@pytest.mark.parametrize("companion", ["", "-wal", "-journal"])
def test_item_02_extract_refuses_the_database_without_opening_it(companion: str, workspace: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """extract reads no database, yet knows where it is: here the workspace's own tracker.db."""
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    monkeypatch.setenv("TRACKER_USER", "tester")
    (workspace / "forecasts" / "sample.yaml").write_text(SAMPLE, encoding="utf-8")
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["--workspace", str(workspace), *OBSERVE]).exit_code == 0
    out = workspace / f"tracker.db{companion}"
    result = runner.invoke(app, ["--workspace", str(workspace), "extract", str(tmp_path / "article.txt"), "-o", str(out)])
    assert one_line(result) == f"-o: {out} {REFUSED}"
    intact(Run(workspace, f"sqlite:///{workspace / 'tracker.db'}", runner), workspace / "tracker.db")


# --- item 9: escape sequences never reach a terminal --------------------------------------------------------------------

ESC = "\x1b"
HOSTILE = f"{ESC}]52;c;aWQ={ESC}\\{ESC}[2J\u009b2J"
FORBIDDEN = (b"\x1b]52", b"\x1b[2J", b"\xc2\x9b")
HOSTILE_DEFINITIONS = f"""\
sources:
  - {{id: src, title: {json.dumps("S" + HOSTILE)}, publisher: P, published: 2024-05-20}}
actors:
  - {{id: a1, name: {json.dumps("A" + HOSTILE)}, role: official}}
metrics:
  - {{id: m1, name: {json.dumps("M" + HOSTILE)}, unit: USD million, period: year}}
propositions:
  - {{id: p1, kind: target, title: {json.dumps("T" + HOSTILE)}, quote: {json.dumps("q" + HOSTILE)}, source: src,
     stated_by: a1, stated_on: 2024-05-16, metric: m1, baseline: {{value: 450, as_of: 2023}},
     target: {{op: ">=", value: 1000}}, deadline: 2025-12-31}}
  - {{id: e1, kind: event, title: {json.dumps("E" + HOSTILE)}, quote: q, source: src, stated_by: a1,
     stated_on: 2024-05-16, deadline: 2024-12-31, criteria: {json.dumps("c" + HOSTILE)}}}
"""
HOSTILE_ROWS = [
    {"type": "observation", "target": "m1", "value": 600, "as_of": "2024", "source": "src" + HOSTILE, "note": "n" + HOSTILE},
    {"type": "forecast", "target": "p1", "probability": 0.3, "forecaster": "F" + HOSTILE, "made_on": "2024-06-01"},
    {"type": "forecast", "target": "e1", "probability": 0.3, "forecaster": "G" + HOSTILE, "made_on": "2024-06-01"},
    {"type": "ruling", "target": "e1", "status": "annulled", "why": "w" + HOSTILE, "made_on": "2025-01-02"},
]


def on_a_terminal(*args: str, cwd: Path) -> bytes:
    """What `tracker ARGS` writes to a terminal (standard output and error both on a pseudo-terminal)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("TRACKER_")}
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "tracker", *args], stdin=follower, stdout=follower, stderr=follower,
                               cwd=cwd, env={**env, "TRACKER_USER": "tester", "COLUMNS": "200"}, close_fds=True)
    os.close(follower)
    shown = bytearray()
    while True:
        try:
            chunk = os.read(leader, 1 << 16)
        except OSError:  # the terminal closed: the command ended
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert process.wait(timeout=180) in (0, 2), bytes(shown)
    return bytes(shown)


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A workspace whose titles, names, sources and notes carry terminal escape sequences, with rows logged."""
    root = tmp_path / "ws"
    (root / "forecasts").mkdir(parents=True)
    (root / "forecasts" / "a.yaml").write_text(HOSTILE_DEFINITIONS, encoding="utf-8")
    (root / "rows.jsonl").write_text("".join(json.dumps(row) + "\n" for row in HOSTILE_ROWS), encoding="utf-8")
    (root / "bad.jsonl").write_text(json.dumps({"type": "observation", "target": "m" + HOSTILE, "value": 1, "as_of": "2024"}) + "\n",
                                    encoding="utf-8")
    assert tracker("import", "rows.jsonl", cwd=root).returncode == 0
    return root


@pytest.mark.parametrize("command", [
    ("list",), ("list", "--format", "json"), ("show", "p1"), ("show", "e1", "--format", "json"),
    ("scorecard",), ("scorecard", "--format", "md"), ("scorecard", "--format", "json"), ("scorecard", "--format", "csv"),
    ("scorecard", "--format", "html"), ("due", "--as-of", "2025-01-01"), ("due", "--format", "json", "--as-of", "2025-01-01"),
    ("scenarios",), ("export",), ("export", "--format", "jsonl"), ("validate",), ("import", "bad.jsonl"),
    ("show", f"x{HOSTILE}"), ("chart", "p1", "-o", f"no{HOSTILE}/x.html"), (f"x{HOSTILE}",), ("list", f"--x{HOSTILE}"),
])
def test_item_09_no_escape_sequence_from_the_data_reaches_a_terminal(hostile: Path, command: tuple[str, ...]) -> None:
    shown = on_a_terminal(*command, cwd=hostile)
    assert not [sequence for sequence in FORBIDDEN if sequence in shown], shown
    assert shown.strip(), command


def test_item_09_piped_output_keeps_the_data_exactly(hostile: Path) -> None:
    """Inert on a terminal; piped, an export holds the very bytes logged, so it imports back as it was."""
    exported = tracker("export", "--format", "jsonl", cwd=hostile)
    assert [json.loads(line)["note"] for line in exported.stdout.splitlines() if '"note"' in line] == ["n" + HOSTILE]


def test_item_09_a_newline_or_escape_in_a_file_name_stays_on_one_line(run: Run) -> None:
    run.write("forecasts/sample.yaml", SAMPLE)
    (run.root / "forecasts" / f"bad\n{ESC}[2Jname.yaml").write_text("metrics:\n  - {id: m1, name: M, unit: U, period: decade}\n",
                                                                encoding="utf-8")
    line = one_line(run("list"))
    assert line.startswith("forecasts/bad\\x0a\\x1b[2Jname.yaml:2: ") and ESC not in line
    validate = run("validate")
    assert validate.exit_code == 2 and validate.stderr.splitlines()[0].startswith("forecasts/bad\\x0a\\x1b[2Jname.yaml:2: ")


# --- item 17: unwritable and odd output paths ----------------------------------------------------------------------------

PROC = pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")


@PROC
@pytest.mark.parametrize("command", [
    ("dashboard", "-o", "/proc/site"), ("export", "-o", "/proc/x.csv"), ("chart", "by-az-trade-1bn", "-o", "/proc/x.html"),
    ("scorecard", "-o", "/proc/x.html"), ("due", "-o", "/proc/x.md"), ("extract", "{article}", "-o", "/proc/x.yaml"),
])
def test_item_17_an_unwritable_place_is_one_line(sample: Run, tmp_path: Path, command: tuple[str, ...]) -> None:
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    line = one_line(sample(*(part.format(article=tmp_path / "article.txt") for part in command)))
    assert line.startswith(f"-o: cannot write {command[-1]}: "), line
    assert leftovers(tmp_path) == []


def test_item_17_names_of_240_characters_are_written_and_longer_ones_refused(sample: Run, tmp_path: Path) -> None:
    long = "d" * 240
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    for command in (("dashboard", "-o", str(tmp_path / long)), ("export", "-o", str(tmp_path / f"{long}.csv")),
                    ("scorecard", "-o", str(tmp_path / f"{long}.md")), ("chart", "by-az-trade-1bn", "-o", str(tmp_path / f"{long}.html")),
                    ("extract", str(tmp_path / "article.txt"), "-o", str(tmp_path / f"{long}.yaml"))):
        result = sample(*command)
        assert result.exit_code == 0, (command[0], result.output)
        assert Path(command[-1]).exists()
    assert leftovers(tmp_path) == []
    for command in (("dashboard", "-o", str(tmp_path / ("e" * 260))), ("export", "-o", str(tmp_path / f"{'e' * 260}.csv")),
                    ("scorecard", "-o", str(tmp_path / f"{'e' * 260}.md"))):
        line = one_line(sample(*command))
        assert line.startswith("-o: cannot write ") and line.endswith(": File name too long") and len(line) < 200, line
    assert leftovers(tmp_path) == []


def test_item_17_extract_into_a_folder_is_refused(sample: Run, tmp_path: Path) -> None:
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    assert one_line(sample("extract", str(tmp_path / "article.txt"), "-o", str(tmp_path))) == f"-o: {tmp_path} is a folder; name a file"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("command", [("export", "-o", "/dev/full"), ("scorecard", "-o", "/dev/full"),
                                     ("extract", "{article}", "-o", "/dev/full")])
def test_item_17_a_device_is_written_into_and_a_full_one_is_one_line(sample: Run, tmp_path: Path, command: tuple[str, ...]) -> None:
    """A device or pipe (`-o /dev/stdout`) is written into, never replaced; /dev/full is a disk that is always full."""
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    line = one_line(sample(*(part.format(article=tmp_path / "article.txt") for part in command)))
    assert line == "-o: cannot write /dev/full: No space left on device"
    assert Path("/dev/full").is_char_device()


def test_item_17_a_link_stays_a_link_and_its_file_is_replaced(sample: Run, tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    real = tmp_path / "reports" / "card.md"
    real.write_text("last week", encoding="utf-8")
    link = tmp_path / "card.md"
    link.symlink_to(real)
    assert sample("scorecard", "-o", str(link)).exit_code == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("# Scorecard")
    assert leftovers(tmp_path) == leftovers(tmp_path / "reports") == []


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real file system of 8 MiB (tmpfs), to fill up: the dashboard (about 5 MB) fits once, not twice."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m,mode=0755", "tmpfs", str(mount)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_item_17_a_full_disk_on_dashboard_keeps_the_previous_site(sample: Run, small_disk: Path) -> None:
    site = small_disk / "site"
    assert sample("dashboard", "-o", str(site)).exit_code == 0
    before = tree(site)
    line = one_line(sample("dashboard", "-o", str(site)))
    assert line == f"-o: cannot write {site}: No space left on device"
    assert tree(site) == before
    assert sorted(p.name for p in small_disk.iterdir()) == ["site"]
    shutil.rmtree(site)
    filler = small_disk / "filler"
    filler.write_bytes(b"x" * (6 << 20))
    assert one_line(sample("dashboard", "-o", str(site))) == f"-o: cannot write {site}: No space left on device"
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]


def test_item_17_a_mount_point_is_refused_before_any_work(sample: Run, small_disk: Path) -> None:
    assert one_line(sample("dashboard", "-o", str(small_disk))) == (
        f"-o: {small_disk} is a mount point, which cannot be swapped for a new folder; build into a folder inside it "
        f"({small_disk / 'site'}) or beside it, and serve that")
    assert list(small_disk.iterdir()) == []
    assert sample("dashboard", "-o", str(small_disk / "site")).exit_code == 0


@pytest.mark.parametrize("command", [("export", "-o", "{out}.csv"), ("scorecard", "-o", "{out}.html"), ("due", "-o", "{out}.md")])
def test_item_17_a_full_disk_on_a_file_keeps_the_previous_one(sample: Run, small_disk: Path, command: tuple[str, ...]) -> None:
    assert sample(*OBSERVE).exit_code == 0
    arguments = [part.format(out=small_disk / "out") for part in command]
    out = Path(arguments[-1])
    assert sample(*arguments).exit_code == 0
    before = out.read_bytes()
    with open(small_disk / "filler", "wb", buffering=0) as filler, pytest.raises(OSError):
        while True:  # until the disk is full
            filler.write(b"x" * (1 << 16))
    assert one_line(sample(*arguments)) == f"-o: cannot write {out}: No space left on device"
    assert out.read_bytes() == before
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", out.name]


# --- item 23: staging folders a killed build left -------------------------------------------------------------------------


def test_item_23_the_next_build_clears_what_a_killed_build_left(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "forecasts").mkdir(parents=True)
    for name in ("belarus-azerbaijan.yaml", "sources.yaml", "actors.yaml", "potash.yaml"):
        shutil.copy(REPO / "forecasts" / name, root / "forecasts" / name)
    out = tmp_path / "site"
    env = {key: value for key, value in os.environ.items() if not key.startswith("TRACKER_")}
    building = subprocess.Popen([sys.executable, "-m", "tracker", "--workspace", str(root), "dashboard", "-o", str(out)],
                                env={**env, "TRACKER_USER": "tester"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(f".site.building-*/{BUILDING}")):
        assert building.poll() is None and time.monotonic() < deadline, "the build ended before it could be killed"
        time.sleep(0.002)
    building.send_signal(signal.SIGKILL)
    building.wait()
    [stale] = tmp_path.glob(".site.building-*")
    assert not out.exists()
    mine = tmp_path / ".site.building-notes"  # a user's folder of that name, without tracker's lock file
    mine.mkdir()
    (mine / "keep.txt").write_text("mine", encoding="utf-8")
    result = tracker("--workspace", str(root), "dashboard", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert not stale.exists() and (out / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [".site.building-notes"]
    assert (mine / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_item_23_a_build_still_running_keeps_its_folder(tmp_path: Path) -> None:
    work = tmp_path / ".site.building-live1234"
    (work / "new").mkdir(parents=True)
    (work / BUILDING).write_text("1\n", encoding="utf-8")
    holder = subprocess.Popen([sys.executable, "-c", "import fcntl, os, sys, time\n"
                               "fd = os.open(sys.argv[1], os.O_RDONLY); fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True)\n"
                               "time.sleep(60)", str(work / BUILDING)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        assert clear_stale(tmp_path) == []
        assert (work / "new").is_dir()
    finally:
        holder.kill()
        holder.wait()
    with open(work / BUILDING) as lock:  # the holder is gone, and so is its lock
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    assert clear_stale(tmp_path) == [work] and not work.exists()


# --- item 24: the folder's mode ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("umask", "folder", "file"), [(0o022, 0o755, 0o644), (0o027, 0o750, 0o640), (0o077, 0o700, 0o600)])
def test_item_24_the_dashboard_follows_the_umask(sample: Run, tmp_path: Path, umask: int, folder: int, file: int) -> None:
    previous = os.umask(umask)
    try:
        assert sample("dashboard", "-o", str(tmp_path / "site")).exit_code == 0
    finally:
        os.umask(previous)
    site = tmp_path / "site"
    assert [oct(p.stat().st_mode & 0o777) for p in (site, site / "p")] == [oct(folder)] * 2
    assert {oct(p.stat().st_mode & 0o777) for p in site.rglob("*") if p.is_file()} == {oct(file)}


def test_item_24_a_rebuild_keeps_the_folders_own_mode(sample: Run, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert sample("dashboard", "-o", str(site)).exit_code == 0
    site.chmod(0o711)
    assert sample("dashboard", "-o", str(site)).exit_code == 0
    assert site.stat().st_mode & 0o777 == 0o711


# --- item 26: logged rows the definitions no longer take ------------------------------------------------------------------

DEFINITIONS_26 = """\
sources:
  - {id: src, title: S, publisher: P, published: 2024-05-20}
actors:
  - {id: a1, name: A, role: official}
metrics:
  - {id: m1, name: M, unit: USD million, period: year}
propositions:
  - {id: e1, kind: event, title: E, quote: q, source: src, stated_by: a1, stated_on: 2024-05-16, deadline: 2027-12-31}
"""


def logged_26(run: Run) -> str:
    run.write("forecasts/a.yaml", DEFINITIONS_26)
    for command in (("observe", "m1", "497", "--as-of", "2024", "--source", "S"), ("observe", "m1", "510", "--as-of", "2025", "--source", "S"),
                    ("observe", "e1", "partly", "--as-of", "2025-03", "--source", "S"), ("forecast", "e1", "0.4", "--by", "a"),
                    ("resolve", "e1", "--status", "annulled", "--why", "w")):
        assert run(*command).exit_code == 0, command
    assert run("validate").exit_code == 0 and run("db", "check").exit_code == 0
    return run("export").stdout


def where(run: Run) -> str:
    """The database as messages show it."""
    return CliRunner().invoke(app, ["--workspace", str(run.root), "--db", run.db_url, "db", "current"]).stdout.split(": schema")[0]


@pytest.mark.parametrize(("edit", "expected"), [
    (("  - {id: e1, kind: event", "  - {id: e2, kind: event"), [
        "1 observation logged on 'e1' (row {o3}): no metric or event proposition 'e1' is defined now; an export would not import it: "
        "restore the definition as it was, or delete it (DELETE FROM observation WHERE target = 'e1' AND origin = 'log')",
        "1 forecast logged on 'e1' (row {f1}): no proposition 'e1' is defined now; an export would not import it: restore the "
        "definition as it was, or delete it (DELETE FROM forecast WHERE proposition = 'e1' AND origin = 'log')",
        "1 ruling logged on 'e1' (row {r1}): no proposition 'e1' is defined now; an export would not import it: restore the "
        "definition as it was, or delete it (DELETE FROM ruling WHERE proposition = 'e1' AND origin = 'log')"]),
    (("period: year", "period: quarter"), [
        "2 observations logged on 'm1' (rows {o1}, {o2}): 'm1' is measured by quarter now, and these are years; an export would "
        "not import them: restore the definition as it was, or delete them (DELETE FROM observation WHERE target = 'm1' AND origin = 'log')"]),
    (("  - {id: e1, kind: event, title: E, quote: q, source: src, stated_by: a1, stated_on: 2024-05-16, deadline: 2027-12-31}",
      "  - {id: e1, kind: target, title: E, quote: q, source: src, stated_by: a1, stated_on: 2024-05-16, deadline: 2027-12-31,\n"
      "     metric: m1, baseline: {value: 1, as_of: 2023}, target: {op: '>=', value: 2}}"), [
        "1 observation logged on 'e1' (row {o3}): 'e1' is a target proposition now: its observations go on its metric; an export "
        "would not import it: restore the definition as it was, or delete it (DELETE FROM observation WHERE target = 'e1' AND origin = 'log')"]),
    (("  - {id: m1, name: M, unit: USD million, period: year}\n", "  - {id: m2, name: M, unit: USD million, period: year}\n"
      "  - {id: m1x, name: M, unit: USD million, period: year}\n"), [
        "2 observations logged on 'm1' (rows {o1}, {o2}): no metric or event proposition 'm1' is defined now; an export would not "
        "import them: restore the definition as it was, or delete them (DELETE FROM observation WHERE target = 'm1' AND origin = 'log')"]),
])
def test_item_26_rows_an_edit_orphans_are_named_by_validate_and_db_check(run: Run, tmp_path: Path, edit: tuple[str, str],
                                                                         expected: list[str]) -> None:
    exported = logged_26(run)
    ids = {"o1": 1, "o2": 2, "o3": 3, "f1": 1, "r1": 1}
    path = run.root / "forecasts" / "a.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(*edit), encoding="utf-8")
    shown = [f"{where(run)}: {line.format(**ids)}" for line in expected]
    validate = run("validate")
    assert validate.exit_code == 2 and validate.stdout == ""
    assert validate.stderr.splitlines() == [*shown, f"{len(shown)} problem(s) in the logged rows: the definitions no longer take them"]
    assert run("list").exit_code == 0  # the reports skip such rows; any command syncs the edit
    check = run("db", "check")
    assert check.exit_code == 2 and check.stderr.splitlines() == shown
    export = run("export")
    assert export.exit_code == 0 and export.stdout == exported  # the analysts' record, whole
    assert export.stderr.splitlines() == [f"{line} (warning)" for line in shown]
    (tmp_path / "export.csv").write_text(export.stdout, encoding="utf-8")
    fresh = Run(run.root, f"sqlite:///{tmp_path / 'fresh.db'}", CliRunner())
    assert fresh("import", str(tmp_path / "export.csv")).exit_code == 2  # what the lines said


def test_item_26_a_reused_id_of_another_kind(run: Run) -> None:
    """A metric's id reused by an event: numbers logged on what is now an event."""
    logged_26(run)
    path = run.root / "forecasts" / "a.yaml"
    path.write_text(DEFINITIONS_26.replace("  - {id: m1, name: M, unit: USD million, period: year}\n", "  - {id: m9, name: M, unit: U, period: year}\n")
                    + "  - {id: m1, kind: event, title: M, quote: q, source: src, stated_by: a1, stated_on: 2024-05-16, deadline: 2027-12-31}\n",
                    encoding="utf-8")
    validate = run("validate")
    assert validate.exit_code == 2
    assert "2 observations logged on 'm1' (rows 1, 2): 'm1' is an event now, and these values are numbers; an export would not " \
           "import them: restore the definition as it was, or delete them (DELETE FROM observation WHERE target = 'm1' AND origin = 'log')" \
           in validate.stderr


def test_item_26_validate_without_a_database_reads_only_the_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    root = tmp_path / "ws"
    (root / "forecasts").mkdir(parents=True)
    (root / "forecasts" / "sample.yaml").write_text(SAMPLE, encoding="utf-8")
    result = CliRunner().invoke(app, ["--workspace", str(root), "validate"])
    assert result.exit_code == 0 and result.stderr == ""
    assert sorted(p.name for p in root.iterdir()) == ["forecasts"]  # no database made


# --- item 28: a suffix that does not match the format; long values in messages ----------------------------------------


@pytest.mark.parametrize(("name", "shape"), [("card.json", "{"), ("card.md", "# Scorecard"), ("card.csv", "id,"),
                                             ("card.html", "<!doctype html>"), ("card.htm", "<!doctype html>"),
                                             ("card.txt", "Scorecard as of"), ("card", "Scorecard as of"), ("CARD.JSON", "{")])
def test_item_28_the_suffix_chooses_the_format(sample: Run, tmp_path: Path, name: str, shape: str) -> None:
    assert sample("scorecard", "-o", str(tmp_path / name)).exit_code == 0
    assert (tmp_path / name).read_text(encoding="utf-8").lower().startswith(shape.lower())


@pytest.mark.parametrize(("command", "message"), [
    (("scorecard", "-o", "{tmp}/out.pdf"), "out.pdf: .pdf names no format this command writes; end the name in .txt, .md, .json, "
                                           ".csv, .html or .htm"),
    (("scorecard", "--format", "json", "-o", "{tmp}/out.csv"), "out.csv ends in .csv, the csv format, but the format asked for is "
                                                                "json; end the name in .json"),
    (("due", "-o", "{tmp}/due.html"), "due.html: .html names no format this command writes; end the name in .txt, .md or .json"),
    (("export", "-o", "{tmp}/logs.xlsx"), "logs.xlsx: .xlsx names no format this command writes; end the name in .csv, .jsonl, "
                                          ".ndjson or .json"),
    (("export", "--format", "csv", "-o", "{tmp}/logs.jsonl"), "logs.jsonl ends in .jsonl, the jsonl format, but the format asked "
                                                              "for is csv; end the name in .csv"),
])
def test_item_28_a_suffix_naming_another_format_is_refused(sample: Run, tmp_path: Path, command: tuple[str, ...], message: str) -> None:
    arguments = [part.format(tmp=tmp_path) for part in command]
    assert one_line(sample(*arguments)) == f"-o: {message}"
    assert not Path(arguments[-1]).exists()


LONG = "1" * 401


@pytest.mark.parametrize("command", [
    ("observe", "by-az-trade", "5", "--as-of", LONG, "--source", "S"), ("scorecard", "--as-of", LONG), ("show", LONG),
    ("due", "--within", LONG), ("list", "--status", LONG), ("forecast", "by-az-trade-1bn", LONG, "--by", "x"),
    ("resolve", "by-az-trade-1bn", "--status", LONG, "--why", "x"), (LONG,), ("list", LONG), ("list", f"--{LONG}"),
    ("import", "{rows}"), ("dashboard", "-o", f"/tmp/{LONG}"), ("export", "-o", f"/tmp/{LONG}.csv"),
])
def test_item_28_a_long_value_is_cut_in_the_message(sample: Run, tmp_path: Path, command: tuple[str, ...]) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text(f"type,target,value,as_of\nobservation,by-az-trade,5,{LONG}\n", encoding="utf-8")
    result = sample(*(part.format(rows=rows) for part in command))
    assert result.exit_code == 2 and "Traceback" not in result.output
    for line in result.stderr.splitlines():
        assert "1" * 100 not in line and len(line) < 300, line
        assert "…" in line or command[0] == "import"


def test_item_28_the_library_cuts_a_long_period_too() -> None:
    from tracker.core.periods import parse_period

    with pytest.raises(ValueError) as refused:
        parse_period(LONG)
    assert str(refused.value) == f"not a period: '{'1' * 39}…' (use 2024, 2024-Q2, 2024-05 or 2024-05-16)"
    with pytest.raises(ValueError, match="a number of about 5001 digits"):
        parse_period(10**5000)


# --- SQLAlchemy's warnings ----------------------------------------------------------------------------------------------------


def test_sqlalchemy_warnings_reach_the_user_only_under_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy.exc import SADeprecationWarning, SAWarning

    shown: list[str] = []
    monkeypatch.setattr(warnings, "showwarning", lambda message, category, *args, **kwargs: shown.append(category.__name__))
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        with _library_warnings(shown=False):
            warnings.warn("SQLAlchemy's internals", SAWarning, stacklevel=1)
            warnings.warn("SQLAlchemy's future", SADeprecationWarning, stacklevel=1)
            warnings.warn("a warning of another library", UserWarning, stacklevel=1)
        assert shown == ["UserWarning"]
        with _library_warnings(shown=True):  # --debug
            warnings.warn("SQLAlchemy's internals", SAWarning, stacklevel=1)
        assert shown == ["UserWarning", "SAWarning"]
