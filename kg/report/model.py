"""The indicator-quality report as data: built once from an :class:`kg.analysis.Analysis`.

Every renderer (HTML, Markdown, xlsx, CSV) reads this model and nothing else, so the formats cannot
disagree.  The model opens with its first screen (:mod:`kg.report.headline`: the worst projects,
the departments that copy, the targets that cannot be checked) and its two outcome sections
(:mod:`kg.report.outcomes`: targets against what was achieved, targets carried over from an
earlier year); scorecards exist at three levels (department, document, project table) and count
the same things (:mod:`kg.report.scorecard`):
indicators, vague and uncheckable targets, rows with defects, findings per rule and severity,
missing dimensions, funding as stated and as reconciled with the cost rows.
"""

from __future__ import annotations

import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Any

from kg.analysis import Analysis
from kg.report.headline import Headline, SkeletonInput, generate_headline, skeleton_groups
from kg.report.outcomes import (
    Achievement,
    AchievementRow,
    CarriedOver,
    CarryRow,
    MissedRow,
    generate_achievement,
    generate_carried_over,
)
from kg.report.rows import (
    BoilerplateRow,
    FindingRow,
    GroupMember,
    IdenticalGroup,
    IndicatorRow,
    RuleRow,
    TemplateRow,
)
from kg.report.scorecard import (
    DIMENSIONS,
    INFO,
    UNKNOWN_DIMENSION,
    Scorecard,
    Tally,
    dimension_of,
    finding_rows,
    reconcile,
    severity_counts,
)
from kg.rules import RULES, Finding, load_config, prepare
from kg.rules.context import DocView

__all__ = [
    "UNKNOWN_DEPARTMENT",
    "Achievement",
    "AchievementRow",
    "BoilerplateRow",
    "CarriedOver",
    "CarryRow",
    "FindingRow",
    "GroupMember",
    "Headline",
    "IdenticalGroup",
    "IndicatorRow",
    "MissedRow",
    "ReportModel",
    "RuleRow",
    "Scorecard",
    "TemplateRow",
    "generate_report_model",
    "rule_advice",
]

UNKNOWN_DEPARTMENT = "未注明部门"


@dataclass(frozen=True)
class ReportModel:
    title: str
    departments: list[Scorecard]
    documents: list[Scorecard]
    projects: list[Scorecard]
    rules: list[RuleRow]  # every catalogue rule, fired or not
    findings: list[FindingRow]
    templates: list[TemplateRow]
    templates_reused: int  # templates used by two projects or more (``templates`` may hold fewer)
    templates_total: int
    identical: list[IdenticalGroup]  # identical and near-identical sets, then skeletons
    boilerplate: list[BoilerplateRow]
    indicators: list[IndicatorRow]
    dimensions: Mapping[str, int]  # indicators per canonical L1 (DIMENSIONS, then UNKNOWN_DIMENSION)
    headline: Headline
    achievement: Achievement  # self-evaluation tables: targets beside what was achieved
    carried: CarriedOver  # tables beside the same project's of an earlier year
    settings: Mapping[str, Any] = field(default_factory=dict)

    @property
    def defects(self) -> list[FindingRow]:
        return [f for f in self.findings if not f.is_info]

    @property
    def info(self) -> int:
        return sum(1 for f in self.findings if f.is_info)

    @property
    def vague(self) -> int:
        return sum(d.vague for d in self.documents)

    @property
    def indicator_count(self) -> int:
        return sum(d.indicators for d in self.documents)


# --- building ------------------------------------------------------------------------------------


def _department(doc: Mapping[str, Any]) -> str:
    # the reuse graph names a department the same way (kg.reuse.templates.iter_indicators)
    return str(doc.get("department") or doc.get("source") or UNKNOWN_DEPARTMENT)


def _project_key(source: str, index: int) -> str:
    return f"{source}#{index}"


@cache
def rule_advice() -> dict[str, tuple[str, str]]:
    """Rule id → what to do about its findings, in Chinese and English (``advice.toml``)."""
    text = resources.files("kg.report").joinpath("advice.toml").read_text(encoding="utf-8")
    return {rule: (entry["zh"], entry["en"]) for rule, entry in tomllib.loads(text).items()}


def _finding_row(f: Finding, department: str, rows: tuple[int, ...]) -> FindingRow:
    rule = RULES.get(f.rule)
    advice = rule_advice().get(f.rule, (None, None))
    return FindingRow(
        rule=f.rule,
        rule_name=rule.name if rule else f.rule,
        rule_name_zh=rule.name_zh if rule else f.rule,
        severity=f.severity,
        message=f.message,
        department=department,
        source=f.source,
        project=f.table,
        project_key=_project_key(f.source, f.table_index) if f.table_index is not None else None,
        line=f.line,
        indicator=f.indicator,
        period=f.period,
        text=f.text,
        terms=tuple(f.terms),
        indicator_index=f.indicator_index,
        message_zh=f.message_zh or None,
        suggestion_zh=f.suggestion_zh or None,
        suggestion_en=f.suggestion_en or None,
        secondary=tuple(f.secondary),
        periods=tuple(f.periods),
        rows=rows,
        advice_zh=advice[0],
        advice_en=advice[1],
    )


def _rule_rows(findings: Sequence[Finding]) -> list[RuleRow]:
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_rule[f.rule].append(f)
    rows = []
    for rule_id in sorted(set(RULES) | set(by_rule)):
        rule = RULES.get(rule_id)
        found = by_rule.get(rule_id, [])
        advice = rule_advice().get(rule_id, (None, None))
        rows.append(
            RuleRow(
                id=rule_id,
                name=rule.name if rule else rule_id,
                name_zh=rule.name_zh if rule else rule_id,
                severity=rule.severity if rule else "",
                explanation=rule.explanation if rule else "",
                findings=sum(1 for f in found if f.is_defect),  # information (I) is no defect
                by_severity=severity_counts(found),
                info=sum(1 for f in found if f.severity == INFO),
                advice_zh=advice[0],
                advice_en=advice[1],
                projects=len({(f.source, f.table_index) for f in found if f.table_index is not None}),
            )
        )
    return rows


def _templates(analysis: Analysis, top: int | None) -> list[TemplateRow]:
    g = analysis.graph
    variants = {f"template:{t.id}": tuple(t.variants) for t in analysis.templates}
    rows = []
    for rank in analysis.ranks[:top] if top is not None else analysis.ranks:
        users = sorted(
            (g.nodes[p]["department"], str(g.nodes[p]["source"]), g.nodes[p]["label"])
            for p in g[rank.template]
            if g.nodes[p].get("kind") == "project"
        )
        rows.append(
            TemplateRow(
                label=rank.label,
                projects=rank.projects,
                departments=rank.departments,
                rows=rank.rows,
                variants=variants.get(rank.template, (rank.label,)),
                used_by=tuple(f"{p} ({d}, {src})" for d, src, p in users),
            )
        )
    return rows


def _groups(analysis: Analysis, lines: Mapping[str, int]) -> list[IdenticalGroup]:
    g = analysis.graph
    groups = []
    for grp in analysis.identical:
        members = []
        for node in grp.projects:
            attrs = g.nodes[node]
            key = _project_key(str(attrs["source"]), int(attrs["table"]))
            members.append(
                GroupMember(
                    str(attrs["label"]), str(attrs["department"]), str(attrs["source"]), lines.get(key), key
                )
            )
        members.sort(key=lambda m: (m.source, m.line or 0))
        groups.append(IdenticalGroup(grp.identical, grp.min_jaccard, tuple(members)))
    return groups


def _skeletons(analysis: Analysis, cards: Mapping[str, Scorecard]) -> list[IdenticalGroup]:
    rows = (
        SkeletonInput(m.project_key, t.id, f"{m.period or ''}:{m.value}")
        for t in analysis.templates
        for m in t.members
    )
    groups = []
    for keys in skeleton_groups(rows, min_rows=analysis.options.min_rows):
        members = [
            GroupMember(c.label, c.department, c.source or "", c.line, c.key)
            for k in keys
            if (c := cards.get(k))
        ]
        members.sort(key=lambda m: (m.source, m.line or 0))
        groups.append(IdenticalGroup(False, 1.0, tuple(members), skeleton=True))
    return groups


def _indicator_rows(
    view: DocView, department: str, rules_at: Mapping[tuple[int, int], list[str]]
) -> Iterator[IndicatorRow]:
    for t in view.tables:
        key = _project_key(view.source, t.index)
        for r in t.rows:
            yield IndicatorRow(
                department=department,
                source=view.source,
                project=t.name or department,
                project_key=key,
                line=r.line,
                period=r.period,
                l1=r.l1,
                l2=r.l2,
                l3=r.l3,
                value=r.value,
                dimension=dimension_of(r),
                vague=r.vague.vague,
                vague_terms=tuple(r.vague.terms),
                rules=tuple(sorted(set(rules_at.get((t.index, r.index), ())))),
                index=r.index,
            )


def generate_report_model(
    analysis: Analysis,
    *,
    title: str = "绩效指标质量报告",
    top_templates: int | None = 50,
    top: int = 10,
    top_missed: int = 20,
) -> ReportModel:
    """The report of ``analysis``: pure, deterministic, in the analysis's document order;
    ``top`` entries in each of the first screen's lists, ``top_missed`` missed targets."""
    cfg = load_config(analysis.options.rule_config)
    by_doc: dict[str, list[Finding]] = defaultdict(list)
    for f in analysis.findings:
        by_doc[f.source].append(f)
    departments: dict[str, Tally] = defaultdict(Tally)
    documents: list[Scorecard] = []
    projects: list[Scorecard] = []
    indicators: list[IndicatorRow] = []
    dimensions: Counter[str] = Counter()
    lines: dict[str, int] = {}
    rows_of: dict[int, tuple[int, ...]] = {}
    for doc in analysis.docs:
        view = prepare(doc)
        department = _department(doc)
        found = by_doc.get(view.source, [])
        by_table: dict[int, list[Finding]] = defaultdict(list)
        rules_at: dict[tuple[int, int], list[str]] = defaultdict(list)
        for f in found:
            if f.table_index is not None and f.table_index < len(view.tables):
                rows_of[id(f)] = finding_rows(f, view.tables[f.table_index])
                by_table[f.table_index].append(f)
                if f.indicator_index is not None:
                    rules_at[f.table_index, f.indicator_index].append(f.rule)
        doc_tally = Tally(findings=list(found))
        departments[department].findings.extend(found)
        for table in view.tables:
            rec = reconcile(table, cfg)
            tally = Tally(findings=by_table.get(table.index, []))
            for t in (tally, doc_tally, departments[department]):
                t.add_table(table, rec, view.source)
            key = _project_key(view.source, table.index)
            lines[key] = table.line
            label = table.name or department
            card = tally.card(key, label, department, source=view.source, line=table.line, scope=table.scope)
            projects.append(replace(card, funding=rec.funding, costs=rec.costs))
            dimensions.update(dimension_of(r) for r in table.rows)
        documents.append(doc_tally.card(view.source, _document_label(doc), department, source=view.source))
        indicators.extend(_indicator_rows(view, department, rules_at))
    dept_of = {str(d.get("source") or ""): _department(d) for d in analysis.docs}
    dept_cards = [t.card(name, name, name) for name, t in sorted(departments.items())]
    ordered_dims = {d: dimensions[d] for d in (*DIMENSIONS, UNKNOWN_DIMENSION) if dimensions[d]}
    opts = analysis.options
    findings = [
        _finding_row(f, dept_of.get(f.source, UNKNOWN_DEPARTMENT), rows_of.get(id(f), ()))
        for f in analysis.findings
    ]
    groups = _groups(analysis, lines) + _skeletons(analysis, {p.key: p for p in projects})
    achievement = generate_achievement(analysis.outcomes, dept_of, top=top_missed)
    carried = generate_carried_over(analysis.years, dept_of)
    return ReportModel(
        title=title,
        departments=dept_cards,
        documents=documents,
        projects=projects,
        rules=_rule_rows(analysis.findings),
        findings=findings,
        templates=_templates(analysis, top_templates),
        templates_reused=len(analysis.ranks),
        templates_total=len(analysis.templates),
        identical=groups,
        boilerplate=[
            BoilerplateRow(b.department, b.label, b.projects, b.of_projects, b.share, b.values)
            for b in analysis.boilerplate
        ],
        indicators=indicators,
        dimensions=ordered_dims,
        headline=generate_headline(
            projects, dept_cards, findings, indicators, groups, achievement, carried, top=top
        ),
        achievement=achievement,
        carried=carried,
        settings={
            "label_threshold": opts.label_threshold,
            "set_threshold": opts.set_threshold,
            "min_rows": opts.min_rows,
            "compare_values": opts.compare_values,
            "boilerplate_share": opts.boilerplate_share,
            "cost_tolerance": cfg.cost_tolerance,
            "cost_coverage_min": cfg.cost_coverage_min,
        },
    )


def _document_label(doc: Mapping[str, Any]) -> str:
    year = doc.get("budget_year")
    name = doc.get("department") or doc.get("source") or "?"
    return f"{name} {year}" if year else str(name)
