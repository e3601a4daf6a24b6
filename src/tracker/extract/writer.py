"""The draft as YAML text, in the order the definition files use.

Small mappings (spans, targets, baselines, observations) are written on one line, the way
the hand-written definition files write them, so a draft reads like the bundled data.
"""

from __future__ import annotations

from typing import Any

import yaml

INLINE_KEYS = {"span", "target", "baseline"}


class _Flow(dict):  # type: ignore[type-arg]
    """A mapping written in flow style: `{op: '>=', value: 1000}`."""


class _FlowList(list):  # type: ignore[type-arg]
    """A list written in flow style: `[start, end]`."""


class _Dumper(yaml.SafeDumper):
    """SafeDumper that knows the flow markers and indents lists under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        """Repeat equal dates in full: a definition file has no anchors."""
        return True


_Dumper.add_representer(_Flow, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v, flow_style=True))
_Dumper.add_representer(_FlowList, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def to_yaml(draft: dict[str, Any]) -> str:
    """The draft as YAML: keys in their given order, Unicode kept, small parts inline."""
    return yaml.dump(_styled(draft), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def _styled(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        styled = {k: _styled(v, k) for k, v in value.items()}
        return _Flow(styled) if key in INLINE_KEYS or key == "observations" else styled
    if isinstance(value, list):
        items = [_styled(v, "observations" if key == "observations" else "") for v in value]
        return _FlowList(items) if key == "span" else items
    return value
