"""YAML text to plain data, remembering the line of every key and item.

PyYAML's composer gives nodes with marks; we build the Python values ourselves so that each
path (`("propositions", 3, "target", "value")`) maps to the line it was written on. YAML 1.1's
`yes`/`no`/`on`/`off` booleans are turned off: an event's `value: no` means the word "no".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from tracker.errors import Problem

Loc = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader whose only booleans are true and false."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass
class Document:
    """One YAML file as data, with the line of each path inside it and its source lines."""

    path: str
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    text_lines: list[str] = field(default_factory=list)

    def excerpt(self, first: int, last: int | None = None, limit: int = 6) -> str:
        """The source lines of an entry, as shown under an error."""
        last = min(last or first, first + limit - 1, len(self.text_lines))
        return "\n".join(self.text_lines[first - 1 : last])


class _Builder:
    def __init__(self, loader: _Loader, path: str):
        self.loader = loader
        self.path = path
        self.lines: dict[Loc, int] = {}
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*loc, index)) for index, item in enumerate(node.value)]
        try:
            return self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError):
            # An impossible date such as 2024-13-01: keep the text, so the field's own
            # validation names the field and the reason.
            return node.value

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[Any, Any]:
        self.loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.build(key_node, (*loc, "<key>"))
            if not isinstance(key, (str, int)):
                self.problems.append(Problem(f"a key must be text, got {key!r}", self.path, key_node.start_mark.line + 1))
                continue
            key = str(key)
            if key in result:
                self.problems.append(Problem(f"key {key!r} appears twice in one mapping", self.path, key_node.start_mark.line + 1))
                continue
            self.lines[(*loc, key)] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, (*loc, key))
        return result


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
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        reason = " ".join(filter(None, [exc.problem, exc.context and f"({exc.context})"]))
        if "'\\t'" in reason:
            reason = "a tab character: YAML indents with spaces only"
        return None, [Problem(f"YAML syntax error: {reason or exc}", path, line)]
    except yaml.YAMLError as exc:
        return None, [Problem(f"YAML error: {exc}", path)]
    finally:
        loader.dispose()
    text_lines = text.splitlines()
    if node is None:
        return Document(path, None, {(): 1}, text_lines), []
    builder = _Builder(_Loader(""), path)
    data = builder.build(node, ())
    return Document(path, data, builder.lines, text_lines), builder.problems
