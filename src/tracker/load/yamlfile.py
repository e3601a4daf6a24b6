"""YAML text to plain data, remembering the line of every key and item.

PyYAML's composer gives nodes with marks; we build the Python values ourselves so that each
path (`("propositions", 3, "target", "value")`) maps to the line it was written on. YAML 1.1's
`yes`/`no`/`on`/`off` booleans are turned off: an event's `value: no` means the word "no".

Merge keys work as YAML says: in `- {<<: *base, id: m2}` the key written in the mapping wins
over the merged one, and of several merged mappings (`<<: [*a, *b]`) the first wins.

YAML 1.1 reads some plain numbers in ways no reader of the file would guess: `190:20:30` is
685230 (base 60), `0x10` is 16, `017` is 15 (octal), `0b101` is 5. Each is refused at its line
with what was probably meant; `1_000` (1000) reads as it looks and is accepted.

Hostile YAML is refused with a located problem rather than followed: an anchor that contains
its own alias (a cycle), aliases that expand far beyond the file's size (a "billion laughs"),
and nesting deeper than any definition needs.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tracker.errors import Problem

Loc = tuple[str | int, ...]
MAX_DEPTH = 64  # nesting levels; a definition file needs fewer than ten
EXPANSION_PER_CHAR = 10  # values built per character of text before aliases count as a bomb
OUTSIDE_LINK = "a link to a file outside the workspace: not read; copy the file into the workspace instead"
MERGE_TAG = "tag:yaml.org,2002:merge"
NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
YAML11_NUMBER = re.compile(  # the plain numbers YAML 1.1 reads unlike decimal: hex, binary, octal, base 60
    r"(?P<sign>[-+]?)(?:(?P<hex>0x[0-9a-fA-F_]+)|(?P<binary>0b[01_]+)|(?P<octal>0[0-7_]+)"
    r"|(?P<base60>[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?))"
)


class _Loader(yaml.SafeLoader):
    """SafeLoader whose only booleans are true and false."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)

_CLoader: type | None = None
if yaml.__with_libyaml__:

    class _CLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        """libyaml's parser and composer (about ten times faster), with our resolver: true/false only."""

    _CLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers  # type: ignore[union-attr]


@dataclass
class Document:
    """One YAML file as data, with the line of each path inside it and its source lines."""

    path: str
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    text_lines: list[str] = field(default_factory=list)
    refused: set[Loc] = field(default_factory=set)  # values already reported (YAML 1.1 numbers): kept as text

    def excerpt(self, first: int, last: int | None = None, limit: int = 6) -> str:
        """The source lines of an entry, as shown under an error."""
        last = min(last or first, first + limit - 1, len(self.text_lines))
        return "\n".join(_cut(line) for line in self.text_lines[first - 1 : last])


class _Builder:
    def __init__(self, loader: _Loader, path: str, size: int = 0):
        self.loader = loader
        self.path = path
        self.lines: dict[Loc, int] = {}
        self.problems: list[Problem] = []
        self.refused: set[Loc] = set()
        self.budget = EXPANSION_PER_CHAR * size + 10_000
        self.active: set[int] = set()  # the nodes being built: meeting one again is a cycle

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self._guard(node, loc)
        self.lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            self.active.add(id(node))
            try:
                if isinstance(node, yaml.MappingNode):
                    return self._mapping(node, loc)
                return [self.build(item, (*loc, index)) for index, item in enumerate(node.value)]
            finally:
                self.active.discard(id(node))
        return self._scalar(node, loc)

    def _scalar(self, node: yaml.Node, loc: Loc) -> Any:
        try:
            value = self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError):
            # An impossible date such as 2024-13-01: keep the text, so the field's own
            # validation names the field and the reason.
            return node.value
        if node.tag in NUMBER_TAGS and (found := YAML11_NUMBER.fullmatch(node.value)):
            self.problems.append(Problem(_yaml11_message(found, value), self.path, node.start_mark.line + 1))
            self.refused.add(loc)
            return node.value
        return value

    def _guard(self, node: yaml.Node, loc: Loc) -> None:
        line = node.start_mark.line + 1
        if id(node) in self.active:
            raise _Failure(Problem("an alias refers to the anchor that contains it (a cycle); remove the alias", self.path, line))
        if len(loc) > MAX_DEPTH:
            raise _Failure(Problem(f"nested more than {MAX_DEPTH} levels deep; definitions need only a few", self.path, line))
        self._spend(loc, line)

    def _spend(self, loc: Loc, line: int) -> None:
        self.budget -= 1
        if self.budget < 0:
            where = self.lines.get(loc[:1], line)  # the top-level key whose aliases blew up
            raise _Failure(Problem("aliases expand to far more values than the file holds; write the entries out", self.path, where))

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[Any, Any]:
        chosen: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        merged: set[str] = set()  # keys that came from a merge: a key written in the mapping overrides them
        for key_node, value_node, from_merge in self._pairs(node, loc):
            key = self._key(key_node, loc)
            if key is None:
                continue
            if key in chosen and key not in merged:
                self.problems.append(Problem(f"key {short(key)} appears twice in one mapping", self.path, key_node.start_mark.line + 1))
                continue
            chosen[key] = (key_node, value_node)
            (merged.add if from_merge else merged.discard)(key)
        result: dict[Any, Any] = {}
        for key, (key_node, value_node) in chosen.items():
            self.lines[(*loc, key)] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, (*loc, key))
        return result

    def _key(self, key_node: yaml.Node, loc: Loc) -> str | None:
        key = self.build(key_node, (*loc, "<key>"))
        if not isinstance(key, (str, int)):
            self.problems.append(Problem(f"a key must be text, got {short(key)}", self.path, key_node.start_mark.line + 1))
            return None
        return str(key)

    def _pairs(self, node: yaml.MappingNode, loc: Loc) -> list[tuple[yaml.Node, yaml.Node, bool]]:
        """The mapping's (key, value, merged) pairs, merged ones first in the order where the later
        wins: the first of several merged mappings last, the mapping's own keys after them all."""
        own: list[tuple[yaml.Node, yaml.Node, bool]] = []
        merged: list[tuple[yaml.Node, yaml.Node, bool]] = []
        for key_node, value_node in node.value:
            if key_node.tag != MERGE_TAG:
                own.append((key_node, value_node, False))
                continue
            for source in reversed(self._merge_sources(value_node)):
                merged += [(key, value, True) for key, value, _ in self._merged(source, loc)]
        return merged + own

    def _merge_sources(self, value_node: yaml.Node) -> list[yaml.MappingNode]:
        sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        for source in sources:
            if not isinstance(source, yaml.MappingNode):
                raise _Failure(Problem("a merge key (<<) takes a mapping or a list of mappings, e.g. <<: *base",
                                       self.path, source.start_mark.line + 1))
        return sources

    def _merged(self, source: yaml.MappingNode, loc: Loc) -> list[tuple[yaml.Node, yaml.Node, bool]]:
        self._guard(source, loc)
        self.active.add(id(source))
        try:
            pairs = self._pairs(source, loc)
        finally:
            self.active.discard(id(source))
        for _ in pairs:
            self._spend(loc, source.start_mark.line + 1)
        return pairs


def _yaml11_message(found: re.Match[str], value: Any) -> str:
    """What a YAML 1.1 number form was read as, and what the writer probably meant."""
    text, number = _cut(found.group(0), 40), _number_text(value)
    if found.group("base60"):
        return f"{text} is a base-60 number in YAML 1.1 ({number}); quote it ('{text}') if it is text such as a time, or write the number you mean"
    if found.group("octal"):
        meant = _cut(found.group("sign") + (found.group("octal").replace("_", "").lstrip("0") or "0"), 40)
        return f"{text} is an octal number in YAML 1.1 ({number}) because of its leading zero; write {meant} if that is the number you mean, or quote it ('{text}') if it is text"
    kind = "hexadecimal" if found.group("hex") else "binary"
    return f"{text} is a {kind} number in YAML 1.1 ({number}); write {number} if that is the number you mean, or quote it ('{text}') if it is text"


def _number_text(value: Any) -> str:
    try:
        return _cut(str(value), 40)
    except ValueError:  # more digits than Python converts to text
        return "a number of thousands of digits"


def _cut(line: str, limit: int = 160) -> str:
    return line if len(line) <= limit else line[: limit - 1] + "\u2026"


def short(value: Any, limit: int = 60) -> str:
    """A value's repr, cut to fit on the one line of an error message."""
    shown = repr(value)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def leaves(path: Path, boundary: Path) -> bool:
    """Whether reading `path` would follow a link to somewhere outside `boundary` (the workspace):
    such a file is reported, never read, so its lines cannot be echoed in an error."""
    real = path.resolve()
    return real != Path(os.path.abspath(path)) and not real.is_relative_to(boundary.resolve())


def decode(raw: bytes, path: str) -> str:
    """UTF-8 text (a BOM is allowed); other bytes are reported at their line."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = raw[exc.start : exc.start + 1].hex()
        raise _Failure(Problem(f"not UTF-8: byte 0x{byte} cannot be decoded; save the file as UTF-8", path, line)) from None


class _Failure(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def parse(raw: bytes, path: str) -> tuple[Document | None, list[Problem]]:
    """Parse one file; on failure return no document and the problems found."""
    try:
        text = decode(raw, path)
    except _Failure as failure:
        return None, [failure.problem]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [Problem("binary data (a NUL byte): not a YAML text file", path, line)]
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        return None, [Problem(f"control character #x{exc.character:04x} is not allowed in YAML text; remove it", path, line)]
    try:
        node = _fast_compose(text)
        if node is _UNCOMPOSED:
            node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, path)]
    except yaml.YAMLError as exc:
        return None, [Problem(f"YAML error: {exc}", path)]
    except RecursionError:
        line = loader.line + 1
        return None, [Problem(f"nested more than {MAX_DEPTH} levels deep; definitions need only a few", path, line)]
    finally:
        loader.dispose()
    text_lines = text.splitlines()
    if node is None:
        return Document(path, None, {(): 1}, text_lines), []
    builder = _Builder(_Loader(""), path, len(text))
    try:
        data = builder.build(node, ())
    except _Failure as failure:
        return None, [failure.problem]
    return Document(path, data, builder.lines, text_lines, builder.refused), builder.problems


_UNCOMPOSED = object()


def _fast_compose(text: str) -> Any:
    """The document's node composed by libyaml, or _UNCOMPOSED to leave it to PyYAML's own loader.

    libyaml composes about ten times faster (most of a first sync of 10,000 propositions). Any
    text it does not take cleanly goes to the pure-Python loader, so every problem is reported in
    the same words as before; so does text nested deeper than any definition (libyaml's composer
    recurses in C, and a hostile file nested 100,000 levels deep would crash the process: the
    depth is checked first on its event stream, which does not recurse).
    """
    if _CLoader is None:
        return _UNCOMPOSED
    try:
        if _too_deep(text, MAX_DEPTH + 1):
            return _UNCOMPOSED
        loader = _CLoader(text)
        try:
            return loader.get_single_node()
        finally:
            loader.dispose()
    except Exception:  # noqa: BLE001 - any failure: PyYAML reports it
        return _UNCOMPOSED


def _too_deep(text: str, limit: int) -> bool:
    """Whether collections nest deeper than `limit`, from libyaml's events (no nodes built, no
    recursion); it stops at the first event past the limit, so a hostile file costs little."""
    assert _CLoader is not None
    loader = _CLoader(text)
    depth = 0
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > limit:
                    return True
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            elif isinstance(event, yaml.StreamEndEvent):
                break
    finally:
        loader.dispose()
    return False


def _syntax_problem(exc: yaml.MarkedYAMLError, path: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    reason = " ".join(filter(None, [exc.problem, exc.context and f"({exc.context})"]))
    if "'\\t'" in reason:
        reason = "a tab character: YAML indents with spaces only"
    return Problem(f"YAML syntax error: {reason or exc}", path, line)
