"""The Python API (docs/api.md): the documented examples run as written, and the API keeps its promises."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import tracker
from tests.conftest import REPO, Run
from tracker.errors import InputError, NotFound

AS_OF = "2025-06-30"


def _blocks(text: str) -> list[tuple[str, str]]:
    """(language, body) of every fenced block, in order."""
    return re.findall(r"```(\w+)\n(.*?)```", text, re.S)


def test_the_documented_examples_run_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for folder in ("forecasts", "scenarios"):
        shutil.copytree(REPO / folder, tmp_path / "workspace" / folder)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    monkeypatch.setenv("TRACKER_USER", "notebook")
    namespace: dict[str, object] = {}
    printed = ""
    for language, body in _blocks((REPO / "docs" / "api.md").read_text(encoding="utf-8")):
        if language == "text":  # what the block before printed, word for word
            assert printed.strip().splitlines()[-len(body.strip().splitlines()):] == body.strip().splitlines()
            continue
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(body, "docs/api.md", "exec"), namespace)  # noqa: S102 - our own documentation
        printed = out.getvalue()
    assert not (REPO / "workspace").exists()


@pytest.fixture
def opened(sample: Run):  # type: ignore[no-untyped-def]
    with tracker.open(sample.root, db=sample.db_url, user="notebook") as t:
        yield t


def test_to_dict_is_the_json_of_the_command(sample: Run, opened: tracker.Tracker) -> None:
    printed = sample("scorecard", "--as-of", AS_OF, "--format", "json")
    assert printed.exit_code == 0, printed.output
    card = opened.scorecard(as_of=AS_OF)
    assert card.to_dict() == json.loads(printed.stdout)
    assert card.to_json() == printed.stdout


def test_frames_hold_one_row_per_entry(opened: tracker.Tracker) -> None:
    opened.observe("by-az-trade", 497, as_of="2024", source="Belstat")
    frames = opened.scorecard().to_frames()  # as of today: the observation was recorded just now
    assert set(frames) == {"propositions", "track_records", "forecasters"}
    assert sorted(frames["propositions"]["id"]) == ["by-az-trade-1bn", "fertilizer-jv"]
    row = frames["propositions"].set_index("id").loc["by-az-trade-1bn"]
    assert (row["latest.value"], row["latest.as_of"]) == (497.0, "2024")


def test_values_are_typed_or_the_command_line_text(opened: tracker.Tracker) -> None:
    from datetime import date

    first = opened.observe("by-az-trade", "497", as_of=2024, source="Belstat")
    second = opened.forecast("fertilizer-jv", "20%", on=date(2024, 6, 1))
    assert (first.value, first.as_of.label, first.recorded_by) == (497.0, "2024", "notebook")
    assert (second.probability, second.forecaster, second.made_on) == (0.2, "notebook", date(2024, 6, 1))


@pytest.mark.parametrize(("call", "message"), [
    (lambda t: t.scorecard(as_of="2025-13-01"), "as_of: "),
    (lambda t: t.observe("by-az-trade", "lots", as_of="2024", source="x"), "value: lots is not a number"),
    (lambda t: t.observe("by-az-trade", 1, as_of="2024-Q5", source="x"), "as_of: "),
    (lambda t: t.observe("by-az-trade", 1, as_of="2024", source="x", grade="Z9"), "grade: 'Z9' is not an Admiralty grade"),
    (lambda t: t.forecast("fertilizer-jv", 1.5), "probability: 1.5 is not a probability"),
    (lambda t: t.resolve("fertilizer-jv", status="overdue", why="x"), "status: 'overdue' is not one of"),
    (lambda t: t.due(within="soon"), "within: 'soon' is not a span"),
])
def test_bad_values_raise_input_errors_naming_the_argument(opened: tracker.Tracker, call, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as raised:
        call(opened)
    assert str(raised.value).startswith(message)
    assert "--" not in str(raised.value)


def test_an_unknown_id_is_not_found_and_nothing_is_logged(sample: Run, opened: tracker.Tracker) -> None:
    with pytest.raises(NotFound, match="^id: no proposition 'nothing'"):
        opened.forecast("nothing", 0.5)
    exported = CliRunner().invoke(tracker.cli.app, ["--workspace", str(sample.root), "--db", sample.db_url, "export"])
    assert exported.stdout.splitlines()[1:] == []


def test_open_refuses_a_missing_folder_without_exiting(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="^workspace: .* is not a folder$"):
        tracker.open(tmp_path / "nowhere")


def test_importing_tracker_does_not_load_the_database_layer() -> None:
    import subprocess
    import sys

    code = "import sys, tracker.cli; print('sqlalchemy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"


def test_metrics_are_what_the_command_prints(sample: Run, opened: tracker.Tracker) -> None:
    printed = sample("metrics", "--as-of", AS_OF, "--format", "json")
    assert printed.exit_code == 0, printed.output
    assert opened.metrics(as_of=AS_OF) == json.loads(printed.stdout)
