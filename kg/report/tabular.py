"""The report as data files: a workbook (openpyxl) and the findings as one CSV.

Every sheet is one flat table with a header row, so it sorts and filters in a spreadsheet.  Text as
written stays text: a value like ``=100%`` is stored as a string, never as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kg.report.model import FindingRow, ReportModel, Scorecard
from kg.rules import SEVERITIES

__all__ = ["FINDING_COLUMNS", "render_csv", "render_xlsx"]

FINDING_COLUMNS = (
    "severity", "rule", "rule_name_zh", "rule_name", "department", "source", "line", "project",
    "indicator", "period", "text", "terms", "message",
)  # fmt: skip


def _finding(f: FindingRow) -> list[Any]:
    return [
        f.severity, f.rule, f.rule_name_zh, f.rule_name, f.department, f.source, f.line, f.project,
        f.indicator, f.period, f.text, "、".join(f.terms), f.message,
    ]  # fmt: skip


def render_csv(model: ReportModel) -> bytes:
    """Every finding, one per row, UTF-8 with a byte-order mark (so Excel reads the Chinese)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(FINDING_COLUMNS)
    writer.writerows(_finding(f) for f in model.findings)
    return buf.getvalue().encode("utf-8-sig")


_CARD_COLUMNS = (
    "indicators", "vague", "vague_share", *SEVERITIES, "findings_per_rule", "missing_dimensions",
    "funding_wan", "costs_wan", "reconciliation",
)  # fmt: skip


def _card(c: Scorecard) -> list[Any]:
    share = round(c.vague_share, 4) if c.vague_share is not None else None
    return [
        c.indicators, c.vague, share, *(c.by_severity[s] for s in SEVERITIES),
        " ".join(f"{r}×{n}" for r, n in c.by_rule.items()),
        " ".join(f"{d}:{n}" for d, n in c.missing.items()),
        c.funding, c.costs, " ".join(f"{s}:{n}" for s, n in c.reconciliation.items()),
    ]  # fmt: skip


def _sheet(wb: Workbook, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Worksheet:
    ws = wb.create_sheet(title)
    widths = [len(h) + 2 for h in header]
    for r, row in enumerate([header, *rows], 1):
        for c, value in enumerate(row, 1):
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # "=100%" as written, not a formula
                widths[c - 1] = max(widths[c - 1], min(60, len(value) * 2))
    for c, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    return ws


def render_xlsx(model: ReportModel) -> bytes:
    """Sheets Summary, Projects, Findings, Templates, IdenticalSets, Indicators, Rules."""
    m = model
    wb = Workbook()
    wb.remove(wb.active)
    summary = [["department", d.label, d.department, d.tables, *_card(d)] for d in m.departments]
    summary += [["document", d.label, d.department, d.tables, *_card(d)] for d in m.documents]
    _sheet(wb, "Summary", ["level", "name", "department", "tables", *_CARD_COLUMNS], summary)
    _sheet(
        wb,
        "Projects",
        ["project", "department", "source", "line", "scope", *_CARD_COLUMNS],
        ([p.label, p.department, p.source, p.line, p.scope, *_card(p)] for p in m.projects),
    )
    _sheet(wb, "Findings", FINDING_COLUMNS, (_finding(f) for f in m.findings))
    _sheet(
        wb,
        "Templates",
        ["template", "projects", "departments", "rows", "spellings", "used_by"],
        (
            [t.label, t.projects, t.departments, t.rows, " / ".join(t.variants), "\n".join(t.used_by)]
            for t in m.templates
        ),
    )
    _sheet(
        wb,
        "IdenticalSets",
        ["group", "identical", "min_jaccard", "project", "department", "source", "line"],
        (
            [i, g.identical, g.min_jaccard, p.project, p.department, p.source, p.line]
            for i, g in enumerate(m.identical, 1)
            for p in g.members
        ),
    )
    _sheet(
        wb,
        "Indicators",
        ["department", "source", "project", "line", "period", "l1", "l2", "l3", "value", "dimension", "vague",
         "vague_terms", "rules"],
        (
            [i.department, i.source, i.project, i.line, i.period, i.l1, i.l2, i.l3, i.value, i.dimension, i.vague,
             "、".join(i.vague_terms), " ".join(i.rules)]
            for i in m.indicators
        ),
    )  # fmt: skip
    _sheet(
        wb,
        "Rules",
        ["rule", "name_zh", "name", "severity", "findings", *SEVERITIES, "tables", "explanation"],
        (
            [r.id, r.name_zh, r.name, r.severity, r.findings, *(r.by_severity[s] for s in SEVERITIES), r.projects,
             r.explanation]
            for r in m.rules
        ),
    )  # fmt: skip
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
