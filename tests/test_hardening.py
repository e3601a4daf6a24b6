"""Issue 19 (round 2 hardening): what a determined tester broke in the store and the loader.

Each test names its item (`test_item_05_...`) and runs on both backends where the backend
matters. Bad input gives one line and exit 2 and leaves the database as it was; nothing a user
did not ask to see (a password, a linked file's lines, a SQLAlchemy warning) reaches the screen.
docs/errors.md says what each case now gives. The issue-13 items for the same files (no
environment read in the engine, no flag named in a library message, Alembic off the start-up
path, a frozen migration) close the file.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import warnings
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from tests.conftest import REPO, SAMPLE, Run
from tracker.cli import app
from tracker.core import keys
from tracker.errors import DatabaseError, InputError
from tracker.load.loader import load_files, load_workspace
from tracker.store.db import Store
from tracker.store.engine import HEAD, connect, database_url, parse_busy_timeout, redact, upgrade

OBSERVE = ("observe", "by-az-trade", "497", "--as-of", "2024", "--source", "Belstat")


def one_line(result) -> str:  # type: ignore[no-untyped-def]
    """The single line on standard error of a refused command (exit 2, nothing on standard output)."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def unnamed(line: str, *names: str) -> str:
    """The message without the name of the argument it is about, whether the library's (`db`) or
    the command line's (`--db`): the CLI shows each library argument under its own flag."""
    for name in names:
        for shown in (f"--{name.replace('_', '-')}: ", f"{name}: "):
            if line.startswith(shown):
                return line.removeprefix(shown)
    return line


def rows(url: str, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    engine = connect(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    finally:
        engine.dispose()


def logged(url: str) -> int:
    return rows(url, "SELECT count(*) FROM observation WHERE origin = 'log'")[0][0]


def tracker(*args: str, user: bool = False, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m tracker` in a process of its own; as the unprivileged user `nobody` if asked and
    this runs as root (whom file permissions do not stop)."""
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if user and os.geteuid() == 0 else []
    env = {key: value for key, value in os.environ.items() if not key.startswith("TRACKER_")}
    return subprocess.run([*prefix, sys.executable, "-m", "tracker", *args], capture_output=True, text=True,
                          timeout=120, env={**env, "TRACKER_USER": "tester"}, cwd=cwd)


# --- item 3: in-memory SQLite ---------------------------------------------------------------------------

IN_MEMORY = ["sqlite:///:memory:", "sqlite://", "sqlite:///", "sqlite:///file:scratch?mode=memory&uri=true",
             "sqlite:///scratch?mode=memory", "sqlite:///file::memory:?cache=shared&uri=true"]


@pytest.mark.parametrize("url", IN_MEMORY)
def test_item_03_an_in_memory_database_keeps_nothing_and_says_so(url: str, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a file made by mistake would land here
    store = Store(connect(url))
    with pytest.raises(DatabaseError) as refused:
        store.require_durable()
    [problem] = refused.value.problems
    assert problem.argument == "db"
    assert problem.message.startswith("the in-memory database sqlite://")
    assert problem.message.endswith(" keeps nothing: it is gone when the command ends, so nothing was written; "
                                    "name a database file (sqlite:///path/to/tracker.db)")
    assert list(tmp_path.iterdir()) == []


def test_item_03_a_database_that_keeps_what_it_is_told_is_durable(db_url: str) -> None:
    Store(connect(db_url)).require_durable()  # a SQLite file, a PostgreSQL database: no error


def test_item_03_logging_into_memory_is_refused_by_the_command(workspace: Path) -> None:
    run = Run(workspace, "sqlite:///:memory:", CliRunner())
    run.write("forecasts/sample.yaml", SAMPLE)
    assert "keeps nothing" in one_line(run(*OBSERVE))


# --- item 4: a same-size edit within one timestamp tick -----------------------------------------------------


def test_item_04_a_same_size_edit_within_one_timestamp_tick_is_read(sample: Run) -> None:
    """The edit keeps the file's size and modification time (a coarse clock: ext3, HFS+, FAT, network
    shares); the next command still reads it."""
    assert sample("list").exit_code == 0
    path = sample.root / "forecasts" / "sample.yaml"
    before = path.stat()
    edited = path.read_text(encoding="utf-8").replace("a Belarusian partner", "an Azerbaijani buyer")
    assert len(edited.encode()) == before.st_size
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    assert sample("list").exit_code == 0
    criteria = Store(connect(sample.db_url)).proposition("fertilizer-jv").criteria  # type: ignore[union-attr]
    assert criteria == "Construction has started, with an Azerbaijani buyer named."


# --- item 5: % and ? in the workspace folder's name ---------------------------------------------------------


@pytest.mark.parametrize("name", ["100%41", "what?", "a#b", "caf\u00e9 2026"])
def test_item_05_the_default_database_stays_in_a_workspace_named_with_url_characters(
        name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    monkeypatch.setenv("TRACKER_USER", "tester")
    decoy = tmp_path / "100A"  # where `100%41` would have put its database
    decoy.mkdir()
    root = tmp_path / name
    (root / "forecasts").mkdir(parents=True)
    (root / "forecasts" / "sample.yaml").write_text(SAMPLE, encoding="utf-8")
    result = CliRunner().invoke(app, ["--workspace", str(root), *OBSERVE], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (root / "tracker.db").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({name, "100A"})
    assert list(decoy.iterdir()) == []
    assert logged(database_url(None, root)) == 1


# --- item 8: a read-only URL never writes; SQLAlchemy's warnings stay quiet -----------------------------------


@pytest.mark.parametrize("form", ["{path}?mode=ro", "file:{path}?mode=ro", "{path}?mode=ro&uri=true",
                                  "file:{path}?mode=ro&uri=true"])
def test_item_08_a_read_only_sqlite_url_never_writes(form: str, workspace: Path, tmp_path: Path) -> None:
    path = tmp_path / "tracker.db"
    owner = Run(workspace, f"sqlite:///{path}", CliRunner())
    owner.write("forecasts/sample.yaml", SAMPLE)
    assert owner("list").exit_code == 0
    reader = Run(workspace, "sqlite:///" + form.format(path=path), CliRunner())
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a SQLAlchemy warning fails the command, and so the test
        assert reader("list", "--format", "json").exit_code == 0
        line = one_line(reader(*OBSERVE))
    assert line.startswith("database sqlite:///") and line.endswith(
        " is read-only: nothing was written; check the permissions of the file and of its folder, "
        "or use a database you can write")
    assert logged(owner.db_url) == 0
    assert {p.name for p in tmp_path.iterdir()} <= {"ws", "tracker.db", "tracker.db-wal", "tracker.db-shm"}


def test_item_08_a_warning_from_sqlalchemy_never_reaches_the_user(workspace: Path, tmp_path: Path) -> None:
    (workspace / "forecasts" / "sample.yaml").write_text(SAMPLE, encoding="utf-8")
    path = tmp_path / "tracker.db"
    assert tracker("--workspace", str(workspace), "--db", f"sqlite:///{path}", "list").returncode == 0
    shown = tracker("--workspace", str(workspace), "--db", f"sqlite:///{path}?mode=ro", *OBSERVE)
    assert shown.returncode == 2
    assert "Warning" not in shown.stderr and len(shown.stderr.splitlines()) == 1, shown.stderr


def test_item_08_an_unknown_sqlite_parameter_is_refused(sample: Run, tmp_path: Path) -> None:
    run = Run(sample.root, f"sqlite:///{tmp_path / 'tracker.db'}?mdoe=ro", CliRunner())
    assert unnamed(one_line(run("list")), "db") == ("unknown parameter 'mdoe' in a SQLite URL; SQLite takes mode, "
                                                    "immutable, cache, nolock, psow, vfs, modeof (e.g. ?mode=ro)")
    assert not (tmp_path / "tracker.db").exists()


# --- item 10: a password with an unencoded @ -------------------------------------------------------------------

AT_URL = "postgresql+psycopg://postgres:pa@ssTail1@127.0.0.1:5432/x"
AT_SHOWN = "postgresql+psycopg://postgres:***@127.0.0.1:5432/x"


@pytest.mark.parametrize("password", ["pa@ssTail1", "p/ss@Tail2", "p?ss@Tail3", "p:ss@Tail4", "p#ss@Tail5", "@Tail6",
                                      "Tail7@", "Ta%il8", "Ta%40il9"])
def test_item_10_redact_shows_no_part_of_a_password(password: str) -> None:
    url = f"postgresql+psycopg://ana:{password}@db.example:5432/tracker"
    shown = redact(url)
    assert "Tail" not in shown and "Ta%" not in shown, shown
    try:
        connect(url).dispose()
    except DatabaseError as exc:
        assert "Tail" not in str(exc), str(exc)


@pytest.mark.parametrize("command", [("list",), ("db", "current"), ("db", "upgrade"), ("db", "check")])
def test_item_10_a_password_with_an_unencoded_at_is_never_printed(workspace: Path, command: tuple[str, ...]) -> None:
    result = Run(workspace, AT_URL, CliRunner())(*command)
    assert unnamed(one_line(result), "db") == (f"the user name or password in {AT_SHOWN} holds an '@': write it as %40 "
                                               "(user:pa%40ss@host); nothing was sent to the server")
    assert "ssTail" not in result.output


def test_item_10_nor_under_debug(workspace: Path) -> None:
    for command in (("list",), ("db", "current"), ("db", "upgrade")):
        shown = tracker("--debug", "--workspace", str(workspace), "--db", AT_URL, *command)
        assert shown.returncode != 0
        assert "ssTail" not in shown.stdout + shown.stderr, shown.stderr


# --- item 11: a link to a file outside the workspace -------------------------------------------------------------

SECRET = """\
root:$6$SECRETHASH$xyz:19000:0:99999:7:::
sources:
  - {id: leaked-source, title: LEAKED TITLE, publisher: X, published: 2024-01-01}
"""


def test_item_11_a_link_out_of_the_workspace_is_not_followed(run: Run, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text(SECRET, encoding="utf-8")
    run.write("forecasts/sample.yaml", SAMPLE)
    (run.root / "forecasts" / "s.yaml").symlink_to(secret)
    expected = "forecasts/s.yaml: a link to a file outside the workspace: not read; copy the file into the workspace instead"
    for command in (("validate",), ("list",), ("export",)):
        result = run(*command)
        assert result.exit_code == 2, command
        assert expected in result.stderr.splitlines(), (command, result.stderr)
        assert not re.search("SECRETHASH|LEAKED|leaked-source|root:", result.output), result.output
    monkeypatch.chdir(run.root)  # `tracker validate forecasts/` names the files itself, as CI does
    result = run("validate", "forecasts")
    assert "forecasts/s.yaml: a link to a file outside the workspace" in result.stderr
    assert "SECRETHASH" not in result.output
    assert rows(run.db_url, "SELECT count(*) FROM proposition") == [(0,)]


def test_item_11_a_linked_settings_file_outside_is_not_read(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "forecasts").mkdir(parents=True)
    secret = tmp_path / "secret.yaml"
    secret.write_text("root:$6$SECRETHASH$xyz: 1\n", encoding="utf-8")
    (root / "tracker.yaml").symlink_to(secret)
    result = load_workspace(root)
    assert [str(p) for p in result.problems] == [
        "tracker.yaml: a link to a file outside the workspace: not read; copy the file into the workspace instead"]


def test_item_11_a_link_inside_the_workspace_is_followed(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "shared").mkdir(parents=True)
    (root / "forecasts").mkdir()
    (root / "shared" / "sample.yaml").write_text(SAMPLE, encoding="utf-8")
    (root / "forecasts" / "sample.yaml").symlink_to(root / "shared" / "sample.yaml")
    result = load_workspace(root)
    assert result.problems == [] and "fertilizer-jv" in result.workspace.propositions


# --- item 14: a definition file whose name is not UTF-8 -----------------------------------------------------------


def test_item_14_a_file_name_that_is_not_utf8_is_reported_alike_by_every_command(run: Run) -> None:
    run.write("forecasts/sample.yaml", SAMPLE)
    with open(os.fsencode(run.root / "forecasts") + b"/caf\xe9.yaml", "wb") as bad:
        bad.write(b"actors:\n  - {id: someone, name: Someone, role: official}\n")
    expected = "forecasts/caf\\xe9.yaml: the file name is not UTF-8: not read; rename the file"
    validate = run("validate")
    assert validate.exit_code == 2 and validate.stderr.splitlines()[0] == expected
    for command in (("list",), ("export",), OBSERVE):
        assert one_line(run(*command)) == expected, command
    assert rows(run.db_url, "SELECT count(*) FROM proposition") == [(0,)]
    assert logged(run.db_url) == 0


def test_item_14_a_workspace_folder_named_in_bytes_that_are_not_utf8(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The default database sits in the folder, and its path is shown with \\xNN as file names are."""
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    monkeypatch.setenv("TRACKER_USER", "tester")
    root = Path(os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9"))
    (root / "forecasts").mkdir(parents=True)
    (root / "forecasts" / "sample.yaml").write_text(SAMPLE, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["--workspace", str(root), *OBSERVE]).exit_code == 0
    current = runner.invoke(app, ["--workspace", str(root), "db", "current"])
    assert current.stdout == f"sqlite:///{tmp_path}/caf\\xe9/tracker.db: schema {HEAD}, this tracker {HEAD}: up to date\n"
    assert (root / "tracker.db").is_file() and logged(database_url(None, root)) == 1


# --- item 21: a SQLite database in a read-only folder --------------------------------------------------------------


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder any user can read (pytest's tmp_path is private to its owner)."""
    folder = Path(tempfile.mkdtemp(prefix="tracker-ro-"))
    folder.chmod(0o755)
    yield folder
    folder.chmod(0o755)
    shutil.rmtree(folder)


def test_item_21_reads_work_in_a_read_only_folder_without_the_shm_file(shared_folder: Path) -> None:
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("as root, reading as another user needs setpriv (util-linux)")
    root = shared_folder / "ws"
    (root / "forecasts").mkdir(parents=True)
    (root / "forecasts" / "sample.yaml").write_text(SAMPLE, encoding="utf-8")
    path = shared_folder / "tracker.db"
    owner = ("--workspace", str(root), "--db", f"sqlite:///{path}")
    assert tracker(*owner, *OBSERVE).returncode == 0
    assert sorted(p.name for p in shared_folder.iterdir()) == ["tracker.db", "ws"]  # no -wal, no -shm
    if os.geteuid() != 0:
        shared_folder.chmod(0o555)
    for url in (f"sqlite:///{path}", f"sqlite:///file:{path}?mode=ro&uri=true", f"sqlite:///{path}?mode=ro"):
        reader = ("--workspace", str(root), "--db", url)
        listed = tracker(*reader, "list", "--format", "json", user=True)
        assert listed.returncode == 0 and "fertilizer-jv" in listed.stdout, (url, listed.stderr)
        exported = tracker(*reader, "export", user=True)
        assert exported.returncode == 0 and "by-az-trade,497" in exported.stdout, (url, exported.stderr)
        current = tracker(*reader, "db", "current", user=True)
        assert current.returncode == 0 and current.stdout.strip().endswith("up to date"), (url, current.stdout, current.stderr)
        refused = tracker(*reader, *OBSERVE, user=True)
        assert refused.returncode == 2 and "is read-only: nothing was written" in refused.stderr, (url, refused.stderr)
    assert sorted(p.name for p in shared_folder.iterdir()) == ["tracker.db", "ws"]
    assert logged(f"sqlite:///{path}") == 1


# --- item 25: YAML merge keys ------------------------------------------------------------------------------------------

HEAD_DEFINITIONS = """\
sources:
  - {id: src, title: S, publisher: P, published: 2024-05-20}
"""


def write(root: Path, relative: str, body: str) -> Path:
    """A definition file: HEAD_DEFINITIONS, then `body` dedented."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEAD_DEFINITIONS + textwrap.dedent(body), encoding="utf-8")
    return path


def test_item_25_a_merge_key_override_wins_as_yaml_says(tmp_path: Path) -> None:
    write(tmp_path, "forecasts/a.yaml", """\
        metrics:
          - &base {id: m1, name: Trade, unit: USD million, period: year}
          - {<<: *base, id: m2}
          - <<: *base
            id: m3
            name: Other
          - {<<: [{id: m4, name: First}, *base], period: quarter}
        """)
    result = load_workspace(tmp_path)
    assert result.problems == []
    metrics = result.workspace.metrics
    assert [(m.id, m.name, m.period) for m in metrics.values()] == [
        ("m1", "Trade", "year"), ("m2", "Trade", "year"), ("m3", "Other", "year"), ("m4", "First", "quarter")]


def test_item_25_a_key_written_twice_is_still_refused_and_a_bad_merge_is_located(tmp_path: Path) -> None:
    write(tmp_path, "forecasts/a.yaml", """\
        metrics:
          - {id: m1, id: m2, name: T, unit: U, period: year}
        """)
    write(tmp_path, "forecasts/b.yaml", "metrics:\n  - {<<: 5, id: m3}\n")
    assert [str(p) for p in load_workspace(tmp_path).problems] == [
        "forecasts/a.yaml:4: key 'id' appears twice in one mapping",
        "forecasts/b.yaml:4: a merge key (<<) takes a mapping or a list of mappings, e.g. <<: *base",
    ]


# --- item 27: identical logged rows in a schema-0001 database ------------------------------------------------------------

OBSERVATION_0001 = ("INSERT INTO observation (target, as_of, period_end, value_num, recorded_at, source, grade, recorded_by, origin)"
                    " VALUES (:target, '2024', :end, :value, :at, 'Belstat', 'A1', :by, 'log')")
FORECAST_0001 = ("INSERT INTO forecast (proposition, probability, forecaster, made_on, recorded_at, recorded_by, origin)"
                 " VALUES ('by-az-trade-1bn', 0.6, 'analyst-a', :made_on, :at, 'ana', 'log')")


def _at_first_schema(url: str, observations: list[dict], forecasts: int = 0) -> None:  # type: ignore[type-arg]
    engine = connect(url)
    upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(text(OBSERVATION_0001), observations)
        for _ in range(forecasts):
            connection.execute(text(FORECAST_0001), {"made_on": date(2024, 6, 1), "at": datetime(2024, 6, 1, 10)})
    engine.dispose()


def _observation(value: float = 497.0, at: datetime = datetime(2025, 2, 1, 9, 30), by: str = "ana") -> dict:  # type: ignore[type-arg]
    return {"target": "by-az-trade", "end": date(2024, 12, 31), "value": value, "at": at, "by": by}


def test_item_27_identical_rows_are_merged_on_upgrade_and_reported(empty_db_url: str) -> None:
    _at_first_schema(empty_db_url, [_observation(), _observation(), _observation(at=datetime(2025, 3, 1)), _observation()],
                     forecasts=2)
    done = upgrade(connect(empty_db_url))
    assert (done.before, done.after) == ("0001", HEAD)
    assert done.merged == {"observation": {1: [2, 4]}, "forecast": {1: [2]}}
    assert done.rows == {"observation": 2, "forecast": 1, "ruling": 0, "retraction": 0}
    assert done.notes() == [
        "observation: 2 row(s) identical in every column to an earlier one were merged into it (removed 2, 4; kept 1)",
        "forecast: 1 row(s) identical in every column to an earlier one were merged into it (removed 2; kept 1)",
    ]
    assert rows(empty_db_url, "SELECT id FROM observation ORDER BY id") == [(1,), (3,)]
    assert rows(empty_db_url, "SELECT id FROM forecast") == [(1,)]


def test_item_27_rows_differing_only_in_who_logged_them_stop_the_upgrade_with_advice(empty_db_url: str) -> None:
    _at_first_schema(empty_db_url, [_observation(by="ana"), _observation(by="ben")])
    with pytest.raises(DatabaseError) as refused:
        upgrade(connect(empty_db_url))
    assert str(refused.value) == (
        "cannot upgrade: observation rows 1 and 2 record the same at the same time (2025-02-01 09:30:00) but differ in "
        "recorded_by; delete the one logged by mistake (DELETE FROM observation WHERE id = 2), then run `tracker db upgrade` "
        "again; nothing was changed")
    assert rows(empty_db_url, "SELECT version_num FROM alembic_version") == [("0001",)]
    assert rows(empty_db_url, "SELECT count(*) FROM observation") == [(2,)]


# --- item 28: YAML 1.1 number forms; non-ASCII paths shown as they are --------------------------------------------------


@pytest.mark.parametrize(("written", "message"), [
    ("190:20:30", "190:20:30 is a base-60 number in YAML 1.1 (685230); quote it ('190:20:30') if it is text such as a time, "
                  "or write the number you mean"),
    ("0x10", "0x10 is a hexadecimal number in YAML 1.1 (16); write 16 if that is the number you mean, or quote it ('0x10') "
             "if it is text"),
    ("017", "017 is an octal number in YAML 1.1 (15) because of its leading zero; write 17 if that is the number you mean, "
            "or quote it ('017') if it is text"),
    ("0b101", "0b101 is a binary number in YAML 1.1 (5); write 5 if that is the number you mean, or quote it ('0b101') "
              "if it is text"),
])
def test_item_28_yaml_11_number_forms_are_refused_at_their_line(tmp_path: Path, written: str, message: str) -> None:
    write(tmp_path, "forecasts/a.yaml", f"""\
        metrics:
          - id: m1
            name: Trade
            unit: USD million
            period: year
            observations:
              - {{as_of: 2023, value: {written}, source: src}}
        """)
    assert [str(p) for p in load_workspace(tmp_path).problems] == [f"forecasts/a.yaml:9: {message}"]


def test_item_28_underscores_read_as_they_look_and_a_time_in_text_needs_quotes(tmp_path: Path) -> None:
    write(tmp_path, "forecasts/a.yaml", """\
        metrics:
          - {id: m1, name: "Trade at 12:30", unit: USD million, period: year, observations: [{as_of: 2023, value: 1_000, source: src}]}
          - {id: m2, name: 12:30, unit: USD million, period: year}
        """)
    result = load_workspace(tmp_path)
    assert [str(p) for p in result.problems] == [
        "forecasts/a.yaml:5: 12:30 is a base-60 number in YAML 1.1 (750); quote it ('12:30') if it is text such as a time, "
        "or write the number you mean"]
    written = write(tmp_path, "forecasts/b.yaml", "metrics:\n  - {id: m1, name: T, unit: U, period: year, "
                                                  "observations: [{as_of: 2023, value: 1_000, source: src}]}\n")
    result = load_files([written], tmp_path)
    assert result.problems == [] and result.workspace.observations[0].value == 1000


def test_item_28_db_current_shows_a_non_ascii_path_as_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    root = tmp_path / "caf\u00e9 \u0436"
    (root / "forecasts").mkdir(parents=True)
    runner = CliRunner()
    assert runner.invoke(app, ["--workspace", str(root), "list"]).exit_code == 0
    current = runner.invoke(app, ["--workspace", str(root), "db", "current"])
    assert current.stdout == f"sqlite:///{root / 'tracker.db'}: schema {HEAD}, this tracker {HEAD}: up to date\n"


# --- issue 13 in these files ----------------------------------------------------------------------------------------------

OWNED = ["store/engine.py", "store/db.py", "store/sync.py", "store/migrations/env.py", "store/migrations/versions/0001_initial.py",
         "store/migrations/versions/0002_row_keys.py", "load/yamlfile.py", "load/loader.py", "load/settings.py", "load/quotes.py"]


def test_the_engine_reads_no_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_BUSY_TIMEOUT", "soon")
    engine = connect(f"sqlite:///{tmp_path / 't.db'}", busy_timeout=0.25)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 250
    engine.dispose()
    source = (REPO / "src/tracker/store/engine.py").read_text(encoding="utf-8")
    assert "os.environ" not in source and "getenv" not in source


@pytest.mark.parametrize(("setting", "seconds"), [(None, 30.0), ("", 30.0), (" 0.2 ", 0.2), ("0", 0.0), ("45", 45.0)])
def test_the_busy_timeout_setting_is_parsed_for_the_cli(setting: str | None, seconds: float) -> None:
    assert parse_busy_timeout(setting) == seconds


@pytest.mark.parametrize("setting", ["soon", "-1", "nan", "inf", "1e400"])
def test_a_bad_busy_timeout_names_the_argument(setting: str) -> None:
    with pytest.raises(InputError) as refused:
        parse_busy_timeout(setting)
    [problem] = refused.value.problems
    assert (problem.argument, problem.message) == ("busy_timeout", f"{setting!r} is not a number of seconds")


def test_no_message_in_the_store_or_the_loader_names_a_command_line_flag() -> None:
    flag = re.compile(r"(?<![\w-])--[a-z][a-z-]*")
    found = []
    for relative in OWNED:
        tree = ast.parse((REPO / "src/tracker" / relative).read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and ast.get_docstring(node)
                      and isinstance(node.body[0], ast.Expr)}
        found += [f"{relative}:{node.lineno}: {node.value!r}" for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
                  and flag.search(node.value)]
    assert found == []


def test_opening_a_database_does_not_import_alembic() -> None:
    probe = "import sys, tracker.store.engine as e; e.connect('sqlite://'); print(sorted(m for m in sys.modules if m.startswith('alembic')))"
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert shown.stdout.strip() == "[]", shown.stderr


def test_migration_0002_keeps_its_own_row_keys() -> None:
    path = REPO / "src/tracker/store/migrations/versions/0002_row_keys.py"
    imported = [node.module for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(node, ast.ImportFrom)]
    assert not [module for module in imported if module and module.startswith("tracker.core")]
    namespace: dict[str, object] = {}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)  # noqa: S102 - our own script
    cases = [
        ("observation_key", ("m", "2024", 497.0, None, "Belstat", "A1", None)),
        ("observation_key", ("e", "2025-10-28", None, "partly", None, None, "note \u00e9")),
        ("forecast_key", ("p", 0.6, "analyst-a", date(2024, 6, 1), None, "base rate")),
        ("ruling_key", ("p", "annulled", "the partner withdrew", date(2026, 1, 5), "BelTA")),
    ]
    for name, arguments in cases:  # today the frozen copy and the library agree
        assert namespace[name](*arguments) == getattr(keys, name)(*arguments)  # type: ignore[operator]


def test_every_sqlite_commit_is_flushed_before_it_is_acknowledged(tmp_path: Path) -> None:
    engine = connect(f"sqlite:///{tmp_path / 't.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()
