"""The report's charts: matplotlib figures as inline SVG, text drawn as paths (no font needed to view).

Chinese labels need a CJK font on the machine that *draws* the chart.  :func:`cjk_font` finds one
among the fonts matplotlib knows (Debian: ``fonts-wqy-microhei`` or ``fonts-noto-cjk``); without
one, the charts fall back to Latin labels (``D1``, ``D2`` … with a legend the page prints as text,
``output``/``benefit`` … for the dimensions) rather than drawing tofu boxes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import matplotlib
from matplotlib.figure import Figure

from kg.report.model import ReportModel
from kg.report.scorecard import Scorecard

__all__ = ["AUTO", "Chart", "cjk_font", "generate_charts", "svg_for_html"]

AUTO = "auto"
_PROBE = "产出效益满意度指标"
_LATIN_DIMENSIONS = {"产出": "output", "效益": "benefit", "满意度": "satisfaction", "成本": "cost"}
_SEVERITY_COLOURS = {"H": "#c0392b", "M": "#e67e22", "L": "#7f8c8d"}
_BAR = "#2c7fb8"
_MAX_BARS = 40


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    svg: str  # an inline <svg> element, no XML prolog, no namespace URLs
    legend: tuple[tuple[str, str], ...] = ()  # short label -> full label, where labels were shortened
    note: str = ""


_PREFERRED = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
    "Droid Sans Fallback", "Microsoft YaHei", "PingFang SC", "SimHei", "AR PL UMing CN",
)  # fmt: skip
# fonts that map every code point to a box ("Last Resort") cover the probe without drawing it
_NOT_CJK = ("DejaVu", "Liberation", "STIX", "cm", "Last Resort")


@cache
def cjk_font() -> str | None:
    """The family name of an installed font that draws Chinese, or None."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    rank = {name: i for i, name in enumerate(_PREFERRED)}
    entries = sorted(font_manager.fontManager.ttflist, key=lambda e: (rank.get(e.name, len(rank)), e.name))
    seen: set[str] = set()
    for entry in entries:
        if entry.name in seen or entry.name.startswith(_NOT_CJK):
            continue
        seen.add(entry.name)
        try:
            charmap = FT2Font(entry.fname).get_charmap()
        except (OSError, RuntimeError, ValueError):
            continue
        if all(ord(c) in charmap for c in _PROBE):
            return entry.name
    return None


def _has_cjk(text: str) -> bool:
    return any(ord(c) > 0x2E7F for c in text)


def _plain(label: str) -> str:
    # a "$" pair would start mathtext
    return label.replace("$", r"\$")


def _labels(labels: Sequence[str], cjk: bool, prefix: str) -> tuple[list[str], tuple[tuple[str, str], ...]]:
    if cjk or not any(_has_cjk(x) for x in labels):
        return [_plain(x) for x in labels], ()
    short = [f"{prefix}{i}" for i in range(1, len(labels) + 1)]
    return short, tuple(zip(short, labels, strict=True))


_ID = re.compile(r'\bid="([^"]+)"')
_HREF = re.compile(r'xlink:href="#([^"]+)"')
_URL = re.compile(r"url\(#([^)]+)\)")


def svg_for_html(svg: str, prefix: str) -> str:
    """matplotlib's SVG file as an element to inline in HTML: no prolog, metadata or namespace URLs,
    and ids prefixed so that several charts on one page do not share them."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<!--.*?-->\s*", "", svg, flags=re.S)  # matplotlib's comments repeat the labels
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", svg)
    svg = re.sub(r'(<svg\b[^>]*?)\s+width="[^"]*"\s+height="[^"]*"', r"\1", svg, count=1)
    svg = svg.replace("<svg", f'<svg role="img" class="chart" aria-labelledby="{prefix}-title"', 1)
    svg = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = _HREF.sub(lambda m: f'xlink:href="#{prefix}-{m.group(1)}"', svg)
    return _URL.sub(lambda m: f"url(#{prefix}-{m.group(1)})", svg)


def _render(fig: Figure, chart_id: str) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    return svg_for_html(buf.getvalue(), chart_id)


def _share_chart(chart_id: str, title: str, cards: Sequence[Scorecard], cjk: bool, prefix: str) -> Chart:
    rows = [c for c in cards if c.indicators]
    note = ""
    if len(rows) > _MAX_BARS:
        rows = sorted(rows, key=lambda c: -(c.vague_share or 0))[:_MAX_BARS]
        note = f"the {_MAX_BARS} highest of {len(cards)}"
    names = _unique([c.label for c in rows], [c.key for c in rows])
    labels, legend = _labels(names, cjk, prefix)
    shares = [100 * (c.vague_share or 0) for c in rows]
    fig = Figure(figsize=(7, 0.8 + 0.38 * max(len(rows), 1)))
    ax = fig.add_subplot()
    y = list(range(len(rows)))[::-1]
    ax.barh(y, shares, color=_BAR)
    ax.set_yticks(y, labels)
    ax.set_xlim(0, 100)
    ax.set_xlabel("% vague targets")
    for yy, share, c in zip(y, shares, rows, strict=True):
        ax.text(share + 1, yy, f"{share:.0f}% ({c.vague}/{c.indicators})", va="center", fontsize=8)
    _tidy(ax)
    return Chart(chart_id, title, _render(fig, chart_id), legend, note)


def _unique(labels: list[str], keys: list[str]) -> list[str]:
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    return [
        f"{label} ({key})" if counts[label] > 1 else label for label, key in zip(labels, keys, strict=True)
    ]


def _rules_chart(model: ReportModel) -> Chart:
    rules = [r for r in model.rules if r.findings]
    fig = Figure(figsize=(7, 3.2))
    ax = fig.add_subplot()
    x = list(range(len(rules)))
    bottom = [0] * len(rules)
    for severity, colour in _SEVERITY_COLOURS.items():
        heights = [r.by_severity.get(severity, 0) for r in rules]
        ax.bar(x, heights, bottom=bottom, color=colour, label=severity)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.set_xticks(x, [r.id for r in rules], rotation=90, fontsize=8)
    ax.set_ylabel("findings")
    if rules:
        ax.legend(title="severity", frameon=False)
    _tidy(ax)
    return Chart("chart-rules", "Findings per rule 各规则发现数", _render(fig, "chart-rules"))


def _dimensions_chart(model: ReportModel, cjk: bool) -> Chart:
    names = list(model.dimensions)
    labels = names if cjk else [_LATIN_DIMENSIONS.get(n, "unclassified") for n in names]
    counts = list(model.dimensions.values())
    fig = Figure(figsize=(5, 2.8))
    ax = fig.add_subplot()
    ax.bar(range(len(names)), counts, color=_BAR)
    ax.set_xticks(range(len(names)), labels)
    ax.set_ylabel("indicators")
    for i, n in enumerate(counts):
        ax.text(i, n, str(n), ha="center", va="bottom", fontsize=8)
    _tidy(ax)
    return Chart(
        "chart-dimensions", "Indicators per canonical L1 各一级指标的指标数", _render(fig, "chart-dimensions")
    )


def _tidy(ax: object) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)  # type: ignore[attr-defined]


def generate_charts(model: ReportModel, *, font: str | None = AUTO) -> list[Chart]:
    """The report's charts; ``font`` names the CJK family to draw with (None: Latin labels only)."""
    family = cjk_font() if font == AUTO else font
    fonts = [family, "DejaVu Sans"] if family else ["DejaVu Sans"]
    cjk = family is not None
    # a fixed hash salt keeps the SVG ids, hence the page, the same from run to run
    rc = {"font.family": "sans-serif", "font.sans-serif": fonts, "svg.hashsalt": "jixiao-kg", "font.size": 9}
    with matplotlib.rc_context(rc):  # type: ignore[arg-type]
        charts = [
            _share_chart(
                "chart-vague-documents",
                "Vague targets per document 各文件模糊目标占比",
                model.documents,
                cjk,
                "D",
            ),
        ]
        if len(model.departments) < len(model.documents):
            title = "Vague targets per department 各部门模糊目标占比"
            charts.append(_share_chart("chart-vague-departments", title, model.departments, cjk, "P"))
        charts.append(_rules_chart(model))
        charts.append(_dimensions_chart(model, cjk))
    return charts
