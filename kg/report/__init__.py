"""The indicator-quality report: one model (:func:`generate_report_model`), one renderer per format.

``render_report(model, fmt)`` gives the file's bytes for ``html`` (one self-contained page), ``md``,
``xlsx`` or ``csv`` (the findings); :func:`format_for_path` picks the format from a file suffix.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kg.report.charts import cjk_font
from kg.report.html import render_html
from kg.report.markdown import render_markdown
from kg.report.model import ReportModel, generate_report_model
from kg.report.scorecard import reconcile
from kg.report.tabular import render_csv, render_xlsx

__all__ = [
    "FORMATS",
    "ReportModel",
    "cjk_font",
    "format_for_path",
    "generate_report_model",
    "reconcile",
    "render_csv",
    "render_html",
    "render_markdown",
    "render_report",
    "render_xlsx",
]

FORMATS: dict[str, Callable[[ReportModel], bytes]] = {
    "html": lambda m: render_html(m).encode("utf-8"),
    "md": lambda m: render_markdown(m).encode("utf-8"),
    "xlsx": render_xlsx,
    "csv": render_csv,
}
_SUFFIXES = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".xlsx": "xlsx", ".csv": "csv"}


def format_for_path(path: Path | str) -> str | None:
    """The format a file name asks for by its suffix, or None."""
    return _SUFFIXES.get(Path(path).suffix.lower())


def render_report(model: ReportModel, fmt: str) -> bytes:
    """The report file's content in ``fmt`` (a key of :data:`FORMATS`)."""
    try:
        render = FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown report format {fmt!r} (one of {', '.join(FORMATS)})") from None
    return render(model)
