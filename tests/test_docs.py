"""The documentation keeps up with the code: every command has help and is documented."""

from __future__ import annotations

import re

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from tests.conftest import REPO
from tracker.cli import app

DOCS = "\n".join(p.read_text(encoding="utf-8") for p in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))])


def commands() -> list[str]:
    """Every command path: `list`, `db upgrade`, ..."""
    group = get_command(app)
    found = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        found += [f"{name} {sub}" for sub in subcommands] if subcommands else [name]
    return sorted(found)


def test_the_command_list_is_complete() -> None:
    assert {"validate", "list", "show", "observe", "forecast", "resolve", "import", "export", "scorecard", "due",
            "chart", "dashboard", "scenarios", "extract", "db upgrade", "db current"} <= set(commands())


@pytest.mark.parametrize("command", commands())
def test_every_command_has_help_and_is_documented(command: str) -> None:
    result = CliRunner().invoke(app, [*command.split(), "--help"])
    assert result.exit_code == 0
    summary = result.stdout.split("\n\n")[1].strip()
    assert summary and not summary.startswith("Usage"), f"`tracker {command}` has no help text"
    assert re.search(rf"tracker {re.escape(command)}\b", DOCS), f"`tracker {command}` is not in README.md or docs/"


def _readme_commands() -> list[str]:
    """The README's two set-up commands: the first line after the comment in each ```sh block of the set-up section."""
    setup = (REPO / "README.md").read_text(encoding="utf-8").split("## Set-up", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", setup, re.S)
    return [next(line for line in block.splitlines() if line and not line.startswith("#")) for block in blocks]


def test_ci_runs_the_readme_commands_word_for_word_in_order() -> None:
    commands = _readme_commands()
    assert len(commands) == 2 and "tracker scorecard" in commands[0] and "pytest" in commands[1]
    script = [line for line in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    assert [line for line in script if line in commands] == commands


def test_the_readme_tour_keeps_made_up_figures_out_of_the_bundled_database() -> None:
    tour = (REPO / "README.md").read_text(encoding="utf-8").split("## A five-minute tour", 1)[1].split("\n## ", 1)[0]
    first_command = tour.index("tracker observe")
    assert "TRACKER_DATABASE_URL" in tour[:first_command], "the tour must switch to a scratch database before logging"
