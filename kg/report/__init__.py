"""The indicator-quality report: one model (:func:`generate_report_model`), one renderer per format.

``render_report(model, fmt)`` gives the files of a report by their path relative to the output's
folder: for ``html`` the overview page and one page per department (:mod:`kg.report.html`), for
``md``, ``xlsx`` and ``csv`` (the findings) one file.  :func:`write_report` is the I/O edge that
writes them; :func:`format_for_path` picks the format from a file suffix.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from extract.atomic import write_bytes_atomic
from kg.report.charts import cjk_font
from kg.report.headline import Headline
from kg.report.html import render_html_pages
from kg.report.markdown import render_markdown
from kg.report.model import ReportModel, generate_report_model
from kg.report.scorecard import reconcile
from kg.report.tabular import render_csv, render_indicators_xlsx, render_xlsx

__all__ = [
    "FORMATS",
    "Headline",
    "ReportModel",
    "cjk_font",
    "format_for_path",
    "generate_report_model",
    "reconcile",
    "render_csv",
    "render_html_pages",
    "render_indicators_xlsx",
    "render_markdown",
    "render_report",
    "render_xlsx",
    "write_report",
]

FORMATS: dict[str, Callable[[ReportModel, str], dict[str, bytes]]] = {
    "html": lambda m, name: {p: h.encode("utf-8") for p, h in render_html_pages(m, name=name).items()},
    "md": lambda m, name: {name: render_markdown(m).encode("utf-8")},
    "xlsx": lambda m, name: {name: render_xlsx(m)},
    "csv": lambda m, name: {name: render_csv(m)},
}
_SUFFIXES = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".xlsx": "xlsx", ".csv": "csv"}
# the department pages a previous report left (and only those) are removed when it is rewritten
_PAGE = re.compile(r"(d\d{4}|departments)(-\d+)?\.html")


def format_for_path(path: Path | str) -> str | None:
    """The format a file name asks for by its suffix, or None."""
    return _SUFFIXES.get(Path(path).suffix.lower())


def render_report(model: ReportModel, fmt: str, *, name: str | None = None) -> dict[str, bytes]:
    """The report's files in ``fmt`` (a key of :data:`FORMATS`), by path relative to the output's
    folder; ``name`` is the main file's name (default ``report.<fmt>``)."""
    name = name or f"report.{fmt}"
    try:
        render = FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown report format {fmt!r} (one of {', '.join(FORMATS)})") from None
    return render(model, name)


def write_report(model: ReportModel, path: Path, fmt: str | None = None) -> list[Path]:
    """Write the report to ``path`` (and, for HTML, its department pages to ``<stem>_files/``
    beside it); returns the files written."""
    fmt = fmt or format_for_path(path) or "html"
    written = []
    for relative, content in render_report(model, fmt, name=path.name).items():
        target = path.parent / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(target, content)  # a report is replaced whole or not at all
        written.append(target)
    pages = path.parent / f"{path.stem}_files"
    if fmt == "html" and pages.is_dir():
        keep = set(written)
        for old in pages.iterdir():
            if _PAGE.fullmatch(old.name) and old not in keep:
                old.unlink()
    return written
