"""Writing one chart to a file: a self-contained HTML page, or a PNG/SVG image through a browser.

Separate from `figures` (pure specs) because plotly.py's figure classes take a while to import
and only `tracker chart` needs them; the dashboard serialises specs directly. Images are drawn
by kaleido (the `images` extra) driving the system's Chrome or Chromium.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import plotly.graph_objects as go

from tracker.errors import InputError
from tracker.report.figures import Spec

ARGUMENT = "output"
SUFFIXES = (".html", ".png", ".svg")
IMAGE_SUFFIXES = (".png", ".svg")
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
NO_BROWSER = ("writing {suffix} needs Chrome or Chromium, and none was found; "
              "install it (Debian: apt-get install chromium, or set BROWSER_PATH) or write .html instead")
NO_KALEIDO = ("writing {suffix} needs the images extra, which is not installed: "
              "pip install 'tracker[images]' (or write .html instead)")


def check_chart_path(path: Path) -> None:
    """Refuse a chart file name tracker cannot write before any work is done."""
    if path.suffix.lower() not in SUFFIXES:
        raise InputError(f"{path.name} should end in .html, .png or .svg", argument=ARGUMENT)
    if not path.parent.is_dir():
        raise InputError(f"folder {path.parent} does not exist", argument=ARGUMENT)
    if path.is_dir():
        raise InputError(f"{path} is a folder; name a file", argument=ARGUMENT)


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


def write(spec: Spec, path: Path) -> None:
    """Write a chart as a self-contained HTML page (works offline), or a PNG/SVG image via kaleido."""
    check_chart_path(path)
    suffix = path.suffix.lower()
    fig = figure(spec)
    try:
        if suffix == ".html":
            fig.write_html(path, include_plotlyjs=True, full_html=True, config={"displaylogo": False})
            return
        browser = find_browser()
        if browser is None:
            raise InputError(NO_BROWSER.format(suffix=suffix), argument=ARGUMENT)
        _write_image(fig, path, browser, suffix)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}", argument=ARGUMENT) from None


def _write_image(fig: go.Figure, path: Path, browser: str, suffix: str) -> None:
    try:
        import kaleido  # noqa: F401 - only to say clearly when the images extra is missing
        from choreographer.errors import ChromeNotFoundError
    except ImportError:
        raise InputError(NO_KALEIDO.format(suffix=suffix), argument=ARGUMENT) from None
    previous = os.environ.get("BROWSER_PATH")
    os.environ["BROWSER_PATH"] = browser  # kaleido finds the browser through this variable
    try:
        fig.write_image(path, width=1000, height=600, scale=1 if suffix == ".svg" else 2)
    except ChromeNotFoundError:
        raise InputError(NO_BROWSER.format(suffix=suffix), argument=ARGUMENT) from None
    finally:
        if previous is None:
            os.environ.pop("BROWSER_PATH", None)
        else:
            os.environ["BROWSER_PATH"] = previous
