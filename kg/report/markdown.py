"""The report as Markdown: the HTML page's content as tables (the charts' figures are in the tables)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from kg.report.headline import reason_names
from kg.report.model import ReportModel, Scorecard
from kg.report.outcomes import NOTES, SHOWN
from kg.report.scorecard import DEFECTS

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


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "—"


def _wan(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def _scorecards(cards: Sequence[Scorecard], kind: str) -> list[str]:
    project = kind == "Project"
    header = [kind, "Department"] if kind != "Department" else [kind]
    header += ["Document:line", "Scope"] if project else ["Tables"]
    header += ["Indicators", "Rows with H/M", "Cannot be checked", "Vague", *DEFECTS, "Findings per rule"]
    header += [
        "Missing dimensions",
        "Stated 万元",
        "Reconciled: funding 万元",
        "costs 万元",
        "Reconciliation",
    ]
    rows = []
    for c in cards:
        row: list[object] = [c.label, c.department] if kind != "Department" else [c.label]
        row += [f"{c.source}:{c.line}", c.scope] if project else [c.tables]
        row += [c.indicators, _pct(c.defect_rows, c.indicators), _pct(c.uncheckable, c.indicators)]
        row += [_pct(c.vague, c.indicators), *(c.by_severity[s] for s in DEFECTS)]
        row.append(" ".join(f"{r}×{n}" for r, n in c.by_rule.items()))
        missing = "、".join(c.missing) if project else " · ".join(f"{d}: {n}" for d, n in c.missing.items())
        status = " · ".join(s if project else f"{s} {n}" for s, n in c.reconciliation.items())
        stated = _wan(c.stated) + (f" (部门整体 {_wan(c.stated_department)})" if c.stated_department else "")
        rows.append([*row, missing, stated, _wan(c.funding), _wan(c.costs), status])
    return _table(header, rows)


def _tiles(m: ReportModel) -> str:
    """The outcome tiles of the HTML first screen, as sentences (none without data)."""
    h, said = m.headline, ""
    if h.evaluated_tables:
        said += (
            f" **{_share(h.targets_met, h.targets_checked)} of {h.targets_checked} checkable targets met**"
            f" in self-evaluation tables; {h.set_to_be_met} of {h.evaluated_tables} tables set to be met."
        )
    if h.compared_tables:
        said += f" **{h.carried_over} of {h.compared_tables} tables** carried over unchanged from an earlier year."
    return said


def _first_screen(m: ReportModel) -> list[str]:
    h = m.headline
    out = [
        f"**{_pct(h.defect_rows, h.targets)} of {h.targets} targets** have an H or M defect; "
        f"**{_pct(h.uncheckable, h.targets)}** cannot be checked; "
        f"**{h.copied_tables} of {len(m.projects)} tables** copy another's indicator set "
        f"({_wan(h.copied_funding)} 万元 stated)." + _tiles(m),
        "",
        "## Worst projects first 问题最多的项目",
        "",
    ]
    out += _table(
        ["#", "Project", "Department", "Rows with H/M", "Main problems", "Whole table", "Stated 万元"],
        (
            [i, p.label, p.department, f"{p.defect_rows}/{p.rows} ({100 * p.share:.0f}%)",
             "；".join(f"{r} ×{n}" for r, n in p.findings.items()), " ".join(p.table_rules), _wan(p.funding)]
            for i, p in enumerate(h.projects, 1)
        ),
    )  # fmt: skip
    out += ["## Departments that copy 指标雷同的部门", ""]
    out += _table(
        ["Department", "Copied tables", "identical", "near", "skeleton", "Stated 万元", "e.g."],
        (
            [c.department, f"{c.copied}/{c.tables}", c.identical, c.near, c.skeleton, _wan(c.funding),
             "；".join(c.examples)]
            for c in h.copying
        ),
    )  # fmt: skip
    out += ["## Targets that cannot be checked 无法考核的目标", ""]
    out += _table(
        ["Department", "Targets", "Why", "e.g. as written"],
        (
            [c.department, f"{c.uncheckable}/{c.targets}",
             "；".join(f"{reason_names(r)[0]} ×{n}" for r, n in c.reasons.items()), "；".join(c.examples)]
            for c in h.checks
        ),
    )  # fmt: skip
    return out


def _more(shown: int, total: int, what: str, sheet: str) -> list[str]:
    if total <= shown:
        return []
    return [
        f"The {shown} {what} of {total} tables; the rest in the workbook (`-o report.xlsx`, sheet {sheet}).",
        "",
    ]


def _outcomes(m: ReportModel) -> list[str]:
    a, c = m.achievement, m.carried
    out = ["## Targets vs achieved 目标与完成", ""]
    if a.tables:
        out += [
            f"{NOTES['achievement']} **{a.met} of {a.checked}** checkable targets met "
            f"({_share(a.met, a.checked)}) in {len(a.tables)} tables; {a.not_comparable} not comparable, "
            f"{a.missing} without an achieved value, of {a.rows} rows.",
            "",
        ]
        out += _table(
            ["Project 项目", "Department 部门", "Rows", "Met 达成", "Missed 未达成", "Not comparable 无法比较",
             "Actual missing 缺完成值", "Share met 达成率", "Set to be met 恰好达标"],
            ([t.project, t.department, t.rows, t.met, t.missed, t.not_comparable, t.missing,
              _share(t.met, t.checked), "yes 是" if t.set_to_be_met else ""] for t in a.tables[:SHOWN]),
        )  # fmt: skip
        out += _more(SHOWN, len(a.tables), "weakest", "Achievement")
        out += ["### Targets missed by the most 差距最大的未达成目标", ""]
        if a.missed:
            shown = f" Showing {len(a.missed)} of {a.missed_total}." if len(a.missed) < a.missed_total else ""
            out += [NOTES["missed"] + shown, ""]
            out += _table(
                ["Project 项目", "Department 部门", "Document:line", "Indicator 指标", "Target 目标值",
                 "Achieved 完成值", "Short by 差距", "of target 占目标"],
                ([r.project, r.department, f"{r.source}:{r.line}", r.label, r.value, r.actual, r.short_by,
                  "—" if r.share_short is None else f"{100 * r.share_short:.0f}%"] for r in a.missed),
            )  # fmt: skip
        else:
            out += [NOTES["no_missed"], ""]
    else:
        out += [NOTES["no_achievement"], ""]
    out += ["## Carried over from an earlier year 逐年沿用", ""]
    if c.tables:
        out += [
            f"{NOTES['carried']} **{c.carried_over} of {len(c.tables)}** tables carried over; "
            f"{c.kept} of {c.later_rows} targets kept from the earlier year.",
            "",
        ]
        out += _table(
            ["Project 项目", "Department 部门", "Years 年度", "Unchanged 未变", "Restated 改写同值", "Changed 已改",
             "New 新增", "Dropped 删除", "Carried over 整表沿用"],
            ([r.project if r.project == r.earlier_project else f"{r.project} ({r.earlier_year}: {r.earlier_project})",
              r.department, f"{r.earlier_year} → {r.later_year}", r.unchanged, r.restated, r.changed, r.new,
              r.dropped, "yes 是" if r.carried_over else f"{100 * r.share_copied:.0f}% kept"]
             for r in c.tables[:SHOWN]),
        )  # fmt: skip
        out += _more(SHOWN, len(c.tables), "most copied", "CarriedOver")
    else:
        out += [NOTES["no_carried"], ""]
    return out


def render_markdown(model: ReportModel) -> str:
    m = model
    out = [f"# {md_cell(m.title)}", ""]
    out += [
        f"{len(m.documents)} documents · {len(m.departments)} departments · {len(m.projects)} tables · "
        f"{m.indicator_count} indicators, {_pct(m.vague, m.indicator_count)} vague · {len(m.defects)} defects"
        f" ({m.info} information notes besides) · "
        f"{m.templates_total} templates ({m.templates_reused} reused by two projects or more)",
        "",
        *_first_screen(m),
        *_outcomes(m),
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
        ["Rule", "规则", "Severity", "Defects", *DEFECTS, "Info", "Tables", "What to do 建议"],
        (
            [
                r.id,
                r.name_zh,
                r.severity,
                r.findings,
                *(r.by_severity[s] for s in DEFECTS),
                r.info,
                r.projects,
                r.advice_zh,
            ]
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
    out += ["## Copy groups 指标雷同组", ""]
    for i, g in enumerate(m.identical, 1):
        kind = f"near-identical, Jaccard ≥ {g.min_jaccard:.2f}" if g.kind == "near-identical" else g.kind
        out += [f"### Group {i}: {kind} ({len(g.members)} tables)", ""]
        out += _table(
            ["Project", "Department", "Document:line"],
            ([p.project, p.department, f"{p.source}:{p.line}"] for p in g.members),
        )
    if not m.identical:
        out += ["No two project tables have identical or near-identical indicator sets.", ""]
    out += [f"## Findings 发现 ({len(m.findings)})", ""]
    out += _table(
        ["Sev.", "Rule", "Department", "Document", "Line", "Project", "Indicator", "As written 原文",
         "What is wrong 问题", "Suggested rewrite 建议"],
        (
            [f.severity, f"{f.rule} {f.rule_name_zh}", f.department, f.source, f.line, f.project, f.indicator, f.text,
             f"{f.message_zh or f.rule_name_zh}\n{f.message}" + (f" [{'、'.join(f.terms)}]" if f.terms else ""),
             "\n".join(x for x in (f.suggestion_zh, f.suggestion_en) if x) or f.advice_zh]
            for f in m.findings
        ),
    )  # fmt: skip
    return "\n".join(out)
