"""Draft propositions from an article: text in, a `forecasts/`-format draft out (issues 10, 17).

`extract(text, ..., workspace=None)` returns the draft as a mapping; `to_yaml(draft)` writes
it. Given the core `Workspace` (read only), the draft refers to the actors and metrics it
already defines. Pure: no files, no network, no command line; rule-based and deterministic.
"""

from tracker.extract.draft import extract
from tracker.extract.writer import to_yaml

__all__ = ["extract", "to_yaml"]
