"""Draft propositions from an article: text in, a `forecasts/`-format draft out (issue 10).

`extract(text, ...)` returns the draft as a mapping; `to_yaml(draft)` writes it. Pure: no
files, no network, no command line; rule-based and deterministic.
"""

from tracker.extract.draft import extract
from tracker.extract.writer import to_yaml

__all__ = ["extract", "to_yaml"]
