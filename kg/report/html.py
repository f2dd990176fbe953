"""The report as one self-contained HTML page: CSS, charts (inline SVG) and a few lines of JS inline.

Nothing on the page points outside it, so it opens offline; every text from the documents goes
through Jinja's autoescape.  The tables are plain HTML: sorting and filtering the findings are
extras that need JS, reading them does not.
"""

from __future__ import annotations

from importlib import resources

import jinja2

from kg.report.charts import AUTO, generate_charts
from kg.report.model import ReportModel
from kg.rules import SEVERITIES

__all__ = ["render_html"]


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "—"


def _wan(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def _template() -> jinja2.Template:
    env = jinja2.Environment(
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    source = resources.files("kg.report").joinpath("report.html.j2").read_text(encoding="utf-8")
    return env.from_string(source)


def render_html(model: ReportModel, *, font: str | None = AUTO) -> str:
    """The page; ``font`` as for :func:`kg.report.charts.generate_charts`."""
    anchors = {p.key: f"p{i}" for i, p in enumerate(model.projects, 1)}
    severity_total = {s: sum(r.by_severity[s] for r in model.rules) for s in SEVERITIES}
    return _template().render(
        m=model,
        charts=generate_charts(model, font=font),
        anchors=anchors,
        severities=SEVERITIES,
        severity_total=severity_total,
        pct=_pct,
        wan=_wan,
    )
