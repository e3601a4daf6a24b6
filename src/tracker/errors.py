"""Typed errors the library raises; only the CLI turns them into a line and an exit code.

Every error a user can cause by what they typed or wrote is a `TrackerError`: the CLI prints
its lines and exits 2. Anything else is a bug and keeps its traceback under `--debug`.

The library speaks of arguments, not flags: a problem with a value the caller passed names
the argument (`Problem(..., argument="as_of")` reads `as_of: ...`). The command line shows
the same problem under its own name for that argument (`--as-of: ...`), the Python API as is.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located where an editor can jump to it (a file and line,
    or the argument that carried it)."""

    message: str
    path: str | None = None
    line: int | None = None
    entry: str | None = None  # the offending entry, shown under the message
    argument: str | None = None  # the library argument that carried the bad value (`as_of`)

    def __str__(self) -> str:
        if self.path and self.line:
            return f"{self.path}:{self.line}: {self.message}"
        if self.path:
            return f"{self.path}: {self.message}"
        if self.argument:
            return f"{self.argument}: {self.message}"
        return self.message

    def named(self, name: str) -> Problem:
        """The same problem shown under another name for its argument (a command-line flag)."""
        return replace(self, argument=name)


class TrackerError(Exception):
    """A user's mistake or an unusable environment: reported in one line per problem, exit 2."""

    def __init__(self, message: str | None = None, problems: list[Problem] | None = None, *, argument: str | None = None):
        self.problems = list(problems or [])
        if message is not None:
            self.problems.insert(0, Problem(message, argument=argument))
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        """The problems, one line each."""
        return [str(p) for p in self.problems]


class DefinitionError(TrackerError):
    """Definition files (forecasts/, scenarios/) that do not load."""


class InputError(TrackerError):
    """A bad value passed to the library (a command-line value, an API argument) or a bad row in an import file."""


class NotFound(InputError):
    """An id passed to the library that the workspace does not define."""


class DatabaseError(TrackerError):
    """A database that cannot be reached, is locked, read-only, or of another schema."""
