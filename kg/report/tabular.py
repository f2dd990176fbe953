"""The report as data files: a workbook and the findings as one CSV; and ``indicators.xlsx``.

Every sheet is one flat table with a frozen header row, filters and fitted column widths
(:mod:`extract.sheets`), so it sorts and filters in a spreadsheet; text as written stays text, and the
CSV's cells go through :mod:`extract.cellsafe` (formula-like text, control characters).  The
workbook opens on the first screen (worst projects, copying departments, uncheckable targets)
and the outcome sections (every self-evaluation table, the missed targets, every table beside an
earlier year's), then the details.  Indicator rows carry their findings beside them, in the report's workbook and in
the ``indicators.xlsx`` of ``kg run`` alike (:func:`finding_cells`).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from extract.cellsafe import csv_cell
from extract.io import CSV_FIELDS, csv_rows
from extract.sheets import Sheet, generate_workbook
from kg.report.headline import reason_names
from kg.report.model import FindingRow, ReportModel, Scorecard
from kg.report.scorecard import DEFECTS, INFO

__all__ = [
    "FINDING_CELLS",
    "FINDING_COLUMNS",
    "finding_cells",
    "render_csv",
    "render_indicators_xlsx",
    "render_xlsx",
]

FINDING_COLUMNS = (
    "severity", "rule", "rule_name_zh", "rule_name", "department", "source", "line", "project",
    "indicator", "period", "text", "terms", "message_zh", "message", "suggestion_zh", "suggestion_en",
    "advice_zh", "advice_en", "secondary",
)  # fmt: skip


def _finding(f: FindingRow) -> list[Any]:
    return [
        f.severity, f.rule, f.rule_name_zh, f.rule_name, f.department, f.source, f.line, f.project,
        f.indicator, "/".join(f.periods) or f.period, f.text, "、".join(f.terms), f.message_zh, f.message,
        f.suggestion_zh, f.suggestion_en, f.advice_zh, f.advice_en, " ".join(f.secondary),
    ]  # fmt: skip


def render_csv(model: ReportModel) -> bytes:
    """Every finding, one per row, UTF-8 with a byte-order mark (so Excel reads the Chinese)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(FINDING_COLUMNS)
    writer.writerows([csv_cell(v) for v in _finding(f)] for f in model.findings)
    return buf.getvalue().encode("utf-8-sig")


# --- findings beside an indicator row --------------------------------------------------------------

FINDING_CELLS = ("severity", "rules", "problems 问题", "suggested rewrite 建议", "table findings 整表问题")
_RANK = {s: i for i, s in enumerate((*DEFECTS, INFO))}


def _lines(findings: Sequence[FindingRow], suggestion: bool = False) -> str:
    out = []
    for f in findings:
        if suggestion:
            text = f.suggestion_zh or f.suggestion_en or f.advice_zh
            if text:
                out.append(f"{f.rule} {text}")
        else:
            out.append(f"{f.severity} {f.rule} {f.message_zh or f.rule_name_zh}: {f.message}")
    return "\n".join(dict.fromkeys(out))


def finding_cells(row: Sequence[FindingRow], table: Sequence[FindingRow]) -> list[Any]:
    """The :data:`FINDING_CELLS` of one indicator row: its own findings (worst severity first) and
    its table's."""
    own = sorted(row, key=lambda f: (_RANK.get(f.severity, len(_RANK)), f.rule))
    return [
        own[0].severity if own else None,
        " ".join(dict.fromkeys(f.rule for f in own)) or None,
        _lines(own) or None,
        _lines(own, suggestion=True) or None,
        _lines(table) or None,
    ]


def _by_place(
    findings: Iterable[FindingRow],
) -> tuple[dict[tuple[str, int], list[FindingRow]], dict[str, list[FindingRow]]]:
    by_row: dict[tuple[str, int], list[FindingRow]] = defaultdict(list)
    by_table: dict[str, list[FindingRow]] = defaultdict(list)
    for f in findings:
        if f.project_key is None:
            continue
        if f.rows:
            for i in f.rows:
                by_row[f.project_key, i].append(f)
        elif f.indicator_index is None:
            by_table[f.project_key].append(f)
    return by_row, by_table


def render_indicators_xlsx(docs: Sequence[Mapping[str, Any]], model: ReportModel) -> bytes:
    """One row per indicator (the columns of ``kg extract``'s CSV) with its findings beside it."""
    by_row, by_table = _by_place(model.findings)
    places = (
        (f"{doc.get('source')}#{t}", i)
        for doc in docs
        for t, table in enumerate(doc.get("tables") or [])
        for i, _ in enumerate(table.get("indicators") or [])
    )
    rows = [
        [row[f] for f in CSV_FIELDS] + finding_cells(by_row.get(place, []), by_table.get(place[0], []))
        for place, row in zip(places, csv_rows(dict(d) for d in docs), strict=True)
    ]
    return generate_workbook([("indicators", [*CSV_FIELDS, *FINDING_CELLS], rows)])


# --- the report's workbook -------------------------------------------------------------------------

_CARD_COLUMNS = (
    "indicators", "defect_rows", "uncheckable", "vague", "vague_share", *DEFECTS, "info", "findings_per_rule",
    "missing_dimensions", "stated_wan", "stated_department_wan", "reconciled_funding_wan", "reconciled_costs_wan",
    "reconciliation",
)  # fmt: skip


def _card(c: Scorecard) -> list[Any]:
    share = round(c.vague_share, 4) if c.vague_share is not None else None
    return [
        c.indicators, c.defect_rows, c.uncheckable, c.vague, share, *(c.by_severity[s] for s in DEFECTS), c.info,
        " ".join(f"{r}×{n}" for r, n in c.by_rule.items()),
        " ".join(f"{d}:{n}" for d, n in c.missing.items()),
        c.stated, c.stated_department, c.funding, c.costs,
        " ".join(f"{s}:{n}" for s, n in c.reconciliation.items()),
    ]  # fmt: skip


def _first_screen(m: ReportModel) -> list[Sheet]:
    h = m.headline
    return [
        (
            "WorstProjects",
            ["project", "department", "source", "line", "rows", "rows_with_HM", "share", "findings_HM", "table_rules",
             "stated_wan"],
            [[p.label, p.department, p.source, p.line, p.rows, p.defect_rows, round(p.share, 4),
              " ".join(f"{r}×{n}" for r, n in p.findings.items()), " ".join(p.table_rules), p.funding]
             for p in h.projects],
        ),
        (
            "CopyingDepartments",
            ["department", "tables", "copied", "identical", "near_identical", "skeleton", "other_departments",
             "stated_wan", "examples"],
            [[c.department, c.tables, c.copied, c.identical, c.near, c.skeleton, c.other_departments, c.funding,
              "\n".join(c.examples)] for c in h.copying],
        ),
        (
            "Uncheckable",
            ["department", "targets", "uncheckable", "share", "reasons", "examples"],
            [[c.department, c.targets, c.uncheckable, round(c.share, 4),
              "\n".join(f"{reason_names(r)[0]} ×{n}" for r, n in c.reasons.items()), "\n".join(c.examples)]
             for c in h.checks],
        ),
    ]  # fmt: skip


def _outcomes(m: ReportModel) -> list[Sheet]:
    a, c = m.achievement, m.carried
    return [
        (
            "Achievement",
            ["project", "department", "source", "rows", "met", "missed", "not_comparable", "actual_missing",
             "exact", "share_met", "set_to_be_met"],
            [[t.project, t.department, t.source, t.rows, t.met, t.missed, t.not_comparable, t.missing, t.exact,
              None if t.share_met is None else round(t.share_met, 4), t.set_to_be_met] for t in a.tables],
        ),
        (
            "MissedTargets",
            ["project", "department", "source", "line", "indicator", "target", "achieved", "shortfall", "unit",
             "share_short"],
            [[r.project, r.department, r.source, r.line, r.label, r.value, r.actual, r.shortfall, r.unit,
              None if r.share_short is None else round(r.share_short, 4)] for r in a.missed],
        ),
        (
            "CarriedOver",
            ["project", "department", "earlier_year", "later_year", "earlier_project", "earlier_source",
             "later_source", "unchanged", "restated", "changed", "new", "dropped", "share_kept", "carried_over"],
            [[r.project, r.department, r.earlier_year, r.later_year, r.earlier_project, r.earlier_source,
              r.later_source, r.unchanged, r.restated, r.changed, r.new, r.dropped, round(r.share_copied, 4),
              r.carried_over] for r in c.tables],
        ),
    ]  # fmt: skip


def render_xlsx(model: ReportModel) -> bytes:
    """Sheets WorstProjects, CopyingDepartments, Uncheckable (the first screen), Achievement,
    MissedTargets, CarriedOver (the outcome sections), then Summary, Projects, Findings, Templates,
    IdenticalSets, Indicators, Rules."""
    m = model
    by_row, by_table = _by_place(m.findings)
    summary = [["department", d.label, d.department, d.tables, *_card(d)] for d in m.departments]
    summary += [["document", d.label, d.department, d.tables, *_card(d)] for d in m.documents]
    sheets: list[Sheet] = [
        *_first_screen(m),
        *_outcomes(m),
        ("Summary", ["level", "name", "department", "tables", *_CARD_COLUMNS], summary),
        (
            "Projects",
            ["project", "department", "source", "line", "scope", *_CARD_COLUMNS],
            [[p.label, p.department, p.source, p.line, p.scope, *_card(p)] for p in m.projects],
        ),
        ("Findings", FINDING_COLUMNS, [_finding(f) for f in m.findings]),
        (
            "Templates",
            ["template", "projects", "departments", "rows", "spellings", "used_by"],
            [[t.label, t.projects, t.departments, t.rows, " / ".join(t.variants), "\n".join(t.used_by)]
             for t in m.templates],
        ),
        (
            "IdenticalSets",
            ["group", "kind", "min_jaccard", "project", "department", "source", "line"],
            [[i, g.kind, g.min_jaccard, p.project, p.department, p.source, p.line]
             for i, g in enumerate(m.identical, 1) for p in g.members],
        ),
        (
            "Indicators",
            ["department", "source", "project", "line", "period", "l1", "l2", "l3", "value", "dimension", "vague",
             "vague_terms", *FINDING_CELLS],
            [[i.department, i.source, i.project, i.line, i.period, i.l1, i.l2, i.l3, i.value, i.dimension, i.vague,
              "、".join(i.vague_terms),
              *finding_cells(by_row.get((i.project_key, i.index), []), by_table.get(i.project_key, []))]
             for i in m.indicators],
        ),
        (
            "Rules",
            ["rule", "name_zh", "name", "severity", "findings", *DEFECTS, "info", "tables", "explanation",
             "advice_zh", "advice_en"],
            [[r.id, r.name_zh, r.name, r.severity, r.findings, *(r.by_severity[s] for s in DEFECTS), r.info,
              r.projects, r.explanation, r.advice_zh, r.advice_en] for r in m.rules],
        ),
    ]  # fmt: skip
    return generate_workbook(sheets)
