"""Writing one chart to a file: a self-contained HTML page, or a PNG/SVG image through a browser.

Separate from `figures` (pure specs) because plotly.py's figure classes take a while to import
and only `tracker chart` needs them; the dashboard serialises specs directly. Images are drawn
by kaleido (the `images` extra) driving the system's Chrome or Chromium.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

import plotly.graph_objects as go

from tracker.errors import InputError
from tracker.report.figures import Spec
from tracker.report.output import check_file, write_bytes, write_text

ARGUMENT = "output"
SUFFIXES = (".html", ".png", ".svg")
IMAGE_SUFFIXES = (".png", ".svg")
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
NO_BROWSER = ("writing {suffix} needs Chrome or Chromium, and none was found; "
              "install it (Debian: apt-get install chromium, or set BROWSER_PATH) or write .html instead")
NO_KALEIDO = ("writing {suffix} needs the images extra, which is not installed: "
              "pip install 'tracker[images]' (or write .html instead)")


def check_chart_path(path: Path, *, protected: Iterable[Path] = ()) -> None:
    """Refuse a chart file name tracker cannot write before any work is done (see `output.check_file`)."""
    if path.suffix.lower() not in SUFFIXES:
        raise InputError(f"{path.name} should end in .html, .png or .svg", argument=ARGUMENT)
    check_file(path, protected=protected)


def figure(spec: Spec) -> go.Figure:
    """A validated plotly Figure from a spec (every property checked by plotly).

    Without plotly.py's default template, so `tracker chart` looks like the dashboard's charts
    (plotly.js defaults and the house layout).
    """
    fig = go.Figure(spec)
    fig.layout.template = None
    return fig


def find_browser() -> str | None:
    """The Chrome or Chromium kaleido will drive: BROWSER_PATH (kaleido's own setting), else the first on PATH."""
    chosen = os.environ.get("BROWSER_PATH")
    if chosen:
        return chosen if os.access(chosen, os.X_OK) else None
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def write(spec: Spec, path: Path, *, protected: Iterable[Path] = ()) -> None:
    """Write a chart as a self-contained HTML page (works offline), or a PNG/SVG image via kaleido.

    Written whole or not at all (`tracker.report.output`), never over one of `protected`.
    """
    check_chart_path(path, protected=protected)
    suffix = path.suffix.lower()
    fig = figure(spec)
    if suffix == ".html":
        write_text(path, fig.to_html(include_plotlyjs=True, full_html=True, config={"displaylogo": False}), protected=protected)
        return
    browser = find_browser()
    if browser is None:
        raise InputError(NO_BROWSER.format(suffix=suffix), argument=ARGUMENT)
    write_bytes(path, _image(fig, browser, suffix), protected=protected)


def _image(fig: go.Figure, browser: str, suffix: str) -> bytes:
    try:
        import kaleido  # noqa: F401 - only to say clearly when the images extra is missing
        from choreographer.errors import ChromeNotFoundError
    except ImportError:
        raise InputError(NO_KALEIDO.format(suffix=suffix), argument=ARGUMENT) from None
    previous = os.environ.get("BROWSER_PATH")
    os.environ["BROWSER_PATH"] = browser  # kaleido finds the browser through this variable
    try:
        return fig.to_image(format=suffix[1:], width=1000, height=600, scale=1 if suffix == ".svg" else 2)
    except ChromeNotFoundError:
        raise InputError(NO_BROWSER.format(suffix=suffix), argument=ARGUMENT) from None
    finally:
        if previous is None:
            os.environ.pop("BROWSER_PATH", None)
        else:
            os.environ["BROWSER_PATH"] = previous
