"""Family C (second half), Q22–Q24: rows and indicator sets copied within and across projects.

Cross-project comparison is kg.reuse's (templates, the reuse graph, Jaccard on
(template, value) sets); these rules only read its answers for one document.
"""

from __future__ import annotations

import re
import weakref
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import networkx as nx

from kg.reuse import (
    SimilarPair,
    Template,
    boilerplate_rows,
    generate_reuse_graph,
    generate_templates,
    normalise_label,
    normalise_value,
    similar_pairs,
)
from kg.rules.base import Hit, Severity, rule
from kg.rules.config import RuleConfig
from kg.rules.context import DocView, Row, TableView
from kg.rules.similar import longest_shared_prefixes
from kg.rules.text import Said, say

__all__ = ["Q22", "Q23", "Q24", "ReuseView", "reuse_view"]


@dataclass(frozen=True)
class ReuseView:
    templates: tuple[Template, ...]
    graph: nx.Graph


_REUSE: weakref.WeakKeyDictionary[DocView, ReuseView] = weakref.WeakKeyDictionary()


def reuse_view(doc: DocView) -> ReuseView:
    """kg.reuse's templates and graph for one document (computed once per view)."""
    if doc not in _REUSE:
        templates = tuple(generate_templates([doc.raw]))
        _REUSE[doc] = ReuseView(templates, generate_reuse_graph(templates))
    return _REUSE[doc]


def table_of(doc: DocView, graph: nx.Graph, node: str) -> TableView:
    return doc.tables[int(graph.nodes[node]["table"])]


def _value_key(row: Row) -> str:
    return normalise_value(row.value).lstrip("=")


@rule(
    "Q22",
    "L",
    "Within-project boilerplate",
    "项目内套话式指标",
    "C",
    """Outputs given mechanical twins: at least boilerplate_min_rows (3) rows of one table whose
    names are other rows' stems plus the same suffix (…合格率, …时效, …成本, …完成率) and whose
    values are identical ("=100%", "2021年12月31日前完成").  The rows look complete but say
    nothing.  One finding per suffix and value, at its first row.""",
)
def Q22(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    for table in doc.tables:
        rows = [r for r in table.rows if r.l3]
        keys = [normalise_label(r.l3) for r in rows]
        groups: dict[tuple[str | None, str, str], list[tuple[str, Row]]] = defaultdict(list)
        # each row's stem is its longest prefix shared with another row: sorted neighbours, not all pairs
        for i, (row, stem) in enumerate(zip(rows, longest_shared_prefixes(keys), strict=True)):
            suffix = keys[i][len(stem) :]
            if len(stem) >= 3 and 1 <= len(suffix) <= 6 and row.text:
                groups[(row.period, suffix, _value_key(row))].append((stem, row))
        for (_, suffix, value), members in groups.items():
            stems = {stem for stem, _ in members}
            if len(stems) >= cfg.boilerplate_min_rows:
                lines = ", ".join(str(r.line) for _, r in members)
                first = members[0][1]
                said = say("Q22.mirrored", n=len(stems), suffix=suffix, value=value, lines=lines)
                yield Hit(said, first, (suffix, value))


def _pair_message(doc: DocView, a: TableView, b: TableView, pair: SimilarPair, by_value: bool) -> Said:
    identical = pair.jaccard >= 1.0
    notes: list[tuple[str, str]] = []
    if a.goal_annual and _fold(a.goal_annual) == _fold(b.goal_annual):
        notes.append(("same goal text", "绩效目标文字相同"))
    fa, fb = a.funding_annual, b.funding_annual
    if fa and fb and fa != fb:
        notes.append((f"funding {fa:g} vs {fb:g} 万元", f"资金分别为{fa:g}万元和{fb:g}万元"))
    return say(
        "Q23.pair",
        kind="identical" if identical else f"near-identical (Jaccard {pair.jaccard:.2f})",
        kind_zh="完全相同的" if identical else f"高度相似的（Jaccard {pair.jaccard:.2f}）",
        what="indicator set (names and values)" if by_value else "indicator names, different values",
        what_zh="指标及目标值" if by_value else "指标名称（目标值不同）",
        other=b.name,
        line=b.line,
        extra=f"; {', '.join(en for en, _ in notes)}" if notes else "",
        extra_zh=f"；{'，'.join(zh for _, zh in notes)}" if notes else "",
    )


def _fold(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


@rule(
    "Q23",
    "H",
    "Identical or near-identical indicator sets across projects",
    "不同项目指标雷同",
    "C",
    """Different projects reusing one indicator set and its values (照搬模板): kg.reuse's
    Jaccard on (template, value) sets, both with at least similar_min_rows rows; 1.0 is H
    "identical", ≥ similar_jaccard (0.8) M "near-identical".  Pairs alike only in their names
    (values differ) are L.  Same goal text and differing funding are named in the message.
    Compared within one document.""",
)
def Q23(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    reuse = reuse_view(doc)
    g = reuse.graph
    seen: set[tuple[str, str]] = set()
    for by_value in (True, False):
        for pair in similar_pairs(
            g, threshold=cfg.similar_jaccard, min_rows=cfg.similar_min_rows, by_value=by_value
        ):
            if (pair.a, pair.b) in seen:
                continue
            seen.add((pair.a, pair.b))
            a, b = table_of(doc, g, pair.a), table_of(doc, g, pair.b)
            severity: Severity = ("H" if pair.jaccard >= 1.0 else "M") if by_value else "L"
            yield Hit(
                _pair_message(doc, a, b, pair, by_value),
                table=a,
                terms=(b.name or "",),
                severity=severity,
                related=(b.index,),
            )


_LIFETIME_VALUE = re.compile(r"^[=≥]?\d+年$")
_DURABLE = ("长期有效", "持续影响", "长期")


def _sustainability_pattern(row: Row) -> str | None:
    if row.cat2 == "可持续影响" and row.name.endswith("年限") and _LIFETIME_VALUE.match(row.text):
        return "…年限 N年"
    if row.text in _DURABLE:
        return row.text
    return None


@rule(
    "Q24",
    "L",
    "Boilerplate sustainability or satisfaction rows across projects",
    "跨项目套用可持续影响或满意度指标",
    "C",
    """One generic row pasted into most projects of a document: a 可持续影响 row "…年限 N年",
    a value 长期有效/持续影响, or (kg.reuse's boilerplate rows) the same satisfaction row with
    the same value — in at least boilerplate_share (60 %) of the project tables, and at least
    two.  One finding per project row.""",
)
def Q24(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    projects = [t for t in doc.tables if t.scope == "project"]
    if len(projects) < 2:
        return
    by_pattern: dict[str, dict[int, Row]] = defaultdict(dict)
    for table in projects:
        for row in table.rows:
            pattern = _sustainability_pattern(row)
            if pattern is not None:
                by_pattern[pattern].setdefault(table.index, row)
    for pattern, rows in by_pattern.items():
        if len(rows) >= 2 and len(rows) / len(projects) >= cfg.boilerplate_share:
            for row in rows.values():
                said = say("Q24.pattern", pattern=pattern, n=len(rows), of=len(projects))
                yield Hit(said, row, (pattern,))
    reuse = reuse_view(doc)
    templates = {f"template:{t.id}": t for t in reuse.templates}
    for found in boilerplate_rows(reuse.graph, share=cfg.boilerplate_share, min_projects=2, by_value=True):
        template = templates[found.template]
        value = found.values[0] if found.values else ""
        for member in template.members:
            row = doc.tables[member.table].rows[member.index]
            if row.is_satisfaction and member.value == value and member.scope == "project":
                said = say(
                    "Q24.satisfaction",
                    label=found.label,
                    value=row.value,
                    n=found.projects,
                    of=found.of_projects,
                )
                yield Hit(said, row, (found.label, row.value or ""))
