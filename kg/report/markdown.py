"""The report as Markdown: the HTML page's content as tables (the charts' figures are in the tables)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from kg.report.model import ReportModel, Scorecard
from kg.rules import SEVERITIES

__all__ = ["md_cell", "render_markdown"]

_SPECIAL = re.compile(r"([\\|*_`\[\]#])")
# what str.splitlines (and some renderers) take for a line break, and other control characters
_BREAKS = re.compile("[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def md_cell(value: object) -> str:
    """One table cell: HTML-escaped (a ``<script>`` stays text), Markdown specials and pipes escaped."""
    if value is None:
        return ""
    text = _CONTROL.sub("", _BREAKS.sub("\n", str(value)))
    text = _SPECIAL.sub(r"\\\1", html.escape(text, quote=False))
    return re.sub(r"\s*\n\s*", "<br>", text.strip())


def _table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(md_cell(v) for v in row) + " |" for row in rows]
    return [*lines, ""]


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}% ({part})" if whole else "—"


def _wan(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def _scorecards(cards: Sequence[Scorecard], kind: str) -> list[str]:
    project = kind == "Project"
    header = [kind, "Department"] if kind != "Department" else [kind]
    header += ["Document:line", "Scope"] if project else ["Tables"]
    header += ["Indicators", "Vague", *SEVERITIES, "Findings per rule", "Missing dimensions"]
    header += ["Funding 万元", "Costs 万元", "Reconciliation"]
    rows = []
    for c in cards:
        row: list[object] = [c.label, c.department] if kind != "Department" else [c.label]
        row += [f"{c.source}:{c.line}", c.scope] if project else [c.tables]
        row += [c.indicators, _pct(c.vague, c.indicators), *(c.by_severity[s] for s in SEVERITIES)]
        row.append(" ".join(f"{r}×{n}" for r, n in c.by_rule.items()))
        missing = "、".join(c.missing) if project else " · ".join(f"{d}: {n}" for d, n in c.missing.items())
        status = " · ".join(s if project else f"{s} {n}" for s, n in c.reconciliation.items())
        rows.append([*row, missing, _wan(c.funding), _wan(c.costs), status])
    return _table(header, rows)


def render_markdown(model: ReportModel) -> str:
    m = model
    out = [f"# {md_cell(m.title)}", ""]
    out += [
        f"{len(m.documents)} documents · {len(m.departments)} departments · {len(m.projects)} tables · "
        f"{m.indicator_count} indicators, {_pct(m.vague, m.indicator_count)} vague · {len(m.findings)} findings · "
        f"{m.templates_total} templates ({m.templates_reused} reused by two projects or more)",
        "",
    ]
    for title, cards, kind in (
        ("Departments 部门", m.departments, "Department"),
        ("Documents 文件", m.documents, "Document"),
        ("Projects 项目", m.projects, "Project"),
    ):
        out += [f"## {title}", "", *_scorecards(cards, kind)]
    out += ["## Indicators per canonical L1 各一级指标的指标数", ""]
    out += _table(["L1", "Indicators"], m.dimensions.items())
    out += ["## Rules 规则", ""]
    out += _table(
        ["Rule", "规则", "Severity", "Findings", *SEVERITIES, "Tables"],
        (
            [r.id, r.name_zh, r.severity, r.findings, *(r.by_severity[s] for s in SEVERITIES), r.projects]
            for r in m.rules
        ),
    )
    out += ["## Most reused templates 复用最多的指标模板", ""]
    out += _table(
        ["Template", "Projects", "Departments", "Rows", "Spellings", "Used by"],
        (
            [t.label, t.projects, t.departments, t.rows, " / ".join(t.variants), "\n".join(t.used_by)]
            for t in m.templates
        ),
    )
    if m.boilerplate:
        out += ["### Boilerplate rows 部门内通用指标", ""]
        out += _table(
            ["Department", "Template", "Projects", "Values"],
            (
                [b.department, b.label, f"{b.projects}/{b.of_projects}", " · ".join(b.values)]
                for b in m.boilerplate
            ),
        )
    out += ["## Identical indicator sets 指标完全或几乎相同的项目", ""]
    for i, g in enumerate(m.identical, 1):
        kind = "identical" if g.identical else f"near-identical, Jaccard ≥ {g.min_jaccard:.2f}"
        out += [f"### Group {i}: {kind} ({len(g.members)} tables)", ""]
        out += _table(
            ["Project", "Department", "Document:line"],
            ([p.project, p.department, f"{p.source}:{p.line}"] for p in g.members),
        )
    if not m.identical:
        out += ["No two project tables have identical or near-identical indicator sets.", ""]
    out += [f"## Findings 发现 ({len(m.findings)})", ""]
    out += _table(
        ["Sev.", "Rule", "Department", "Document", "Line", "Project", "Indicator", "As written 原文", "Finding"],
        (
            [f.severity, f"{f.rule} {f.rule_name_zh}", f.department, f.source, f.line, f.project, f.indicator, f.text,
             f.message + (f" [{'、'.join(f.terms)}]" if f.terms else "")]
            for f in m.findings
        ),
    )  # fmt: skip
    return "\n".join(out)
