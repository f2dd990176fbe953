"""Family D, Q25–Q28: do the indicators follow from the goals and the money?"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from collections.abc import Iterator

from kg.lexicon import ACTIVITY_NOUNS
from kg.lexicon.patterns import normalise
from kg.reuse import normalise_label, normalise_value, similar_pairs
from kg.reuse.labels import char_ngrams
from kg.rules.base import Hit, rule
from kg.rules.config import RuleConfig
from kg.rules.context import DocView, Row, TableView
from kg.rules.copies import reuse_view, table_of
from kg.rules.reading import has_any, money_wan

__all__ = ["Q25", "Q26", "Q27", "Q28"]

_GOAL_FIGURE = re.compile(
    r"([\u4e00-\u9fa5]{2,8})(?:达到|达|不低于|至少|≥)?(\d+(?:\.\d+)?)(%|人次|万人次|万份|份|人|次|家|个)"
)


def _scaled(number: float, unit: str) -> tuple[float, str]:
    if len(unit) > 1 and unit.startswith("万"):
        return number * 10000, unit[1:]
    return number, unit


def _goal_rows(table: TableView) -> Iterator[tuple[str, tuple[Row, ...]]]:
    if table.goal_annual:
        yield table.goal_annual, table.annual_rows()
    midterm = tuple(r for r in table.rows if r.period == "midterm")
    if table.goal_midterm and midterm:
        yield table.goal_midterm, midterm


@rule(
    "Q25",
    "M",
    "Goal ↔ indicator inconsistency",
    "绩效目标与指标不一致",
    "D",
    """(a) A figure in the goal text (keyword, number, unit: "受助对象满意度达98%", "发放宣传材料2万份")
    contradicts the indicator sharing its unit and a two-character word ("≥100%", "≥2份": M);
    a goal figure no indicator measures is L; (b) activities the goal names (培训, 宣传, 采购,
    检查, 审计, 维护, 救助 …) that no indicator name mentions (L, one finding per table).  (c),
    an indicator with no anchor in the goal, is not checked: goals are too terse to tell.""",
)
def Q25(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    for table in doc.tables:
        for goal, rows in _goal_rows(table):
            text = normalise(goal)
            for m in _GOAL_FIGURE.finditer(text):
                keyword, unit = m.group(1), m.group(3)
                wanted, base = _scaled(float(m.group(2)), unit)
                words = char_ngrams(keyword, (2,))
                candidates = []
                for row in rows:
                    if row.target.number is None or not row.target.unit:
                        continue
                    number, row_base = _scaled(row.target.number, row.target.unit)
                    shared = len(words & char_ngrams(row.name, (2,)))
                    if row_base == base and shared:
                        candidates.append((shared, number, row))
                if not candidates:
                    yield Hit(
                        f"goal figure 「{m.group()}」 has no indicator",
                        table=table,
                        text=goal,
                        terms=(m.group(),),
                        severity="L",
                    )
                elif not any(abs(number - wanted) < 1e-9 for _, number, _ in candidates):
                    _, _, row = max(candidates, key=lambda c: c[0])
                    yield Hit(
                        f"goal says 「{m.group()}」, the indicator says {row.text}",
                        row,
                        (m.group(), row.text),
                    )
            names = "".join(r.name for r in rows)
            missing = [n for n in has_any(text, ACTIVITY_NOUNS) if n not in names]
            if missing:
                yield Hit(
                    f"the goal names {'、'.join(missing)} but no indicator does",
                    table=table,
                    text=goal,
                    terms=tuple(missing),
                    severity="L",
                )


_CUMULATIVE = frozenset(
    {"次", "项", "人", "个", "元", "万元", "人次", "家", "份", "场", "期", "册", "条", "台", "套", "批次"}
)


@rule(
    "Q26",
    "L",
    "Annual target equals mid-term or long-term target",
    "年度目标与中期目标相同",
    "D",
    """A multi-year table whose annual and midterm columns give the same cumulative value (次, 项,
    人, 个, 万元 …) for the same indicator although the midterm funding is at least
    midterm_ratio (1.5) times the annual, so the annual share is undefined; the same for a whole
    table when at least midterm_identical_share (80 %) of its paired targets are equal, whatever
    their kind (按计划完成, 显著提高 on both sides); or a 长期/中期目标 text equal to the 年度目标.""",
)
def Q26(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    for table in doc.tables:
        if table.goal_annual and _fold(table.goal_annual) == _fold(table.goal_midterm):
            yield Hit(
                "the midterm (long-term) goal repeats the annual goal", table=table, text=table.goal_midterm
            )
        fa, fm = table.funding_annual, table.funding_midterm
        if not fa or not fm or fm / fa < cfg.midterm_ratio:
            continue
        midterm = {normalise_label(r.l3): r for r in table.rows if r.period == "midterm"}
        pairs = [
            (r, midterm[normalise_label(r.l3)])
            for r in table.rows
            if r.period == "annual" and normalise_label(r.l3) in midterm
        ]
        same = [(a, m) for a, m in pairs if normalise_value(a.value) == normalise_value(m.value)]
        ratio = f"{fm / fa:.1f}"
        for row, _ in same:
            if row.target.number is not None and (row.target.unit or "") in _CUMULATIVE:
                yield Hit(
                    f"annual and midterm both {row.text} though midterm funding is {ratio}× the annual",
                    row,
                    (row.text,),
                )
        if len(pairs) >= 3 and len(same) / len(pairs) >= cfg.midterm_identical_share:
            yield Hit(
                f"{len(same)} of {len(pairs)} annual targets equal their midterm ones (midterm funding {ratio}× the annual)",
                table=table,
            )


def _fold(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


@rule(
    "Q27",
    "H",
    "Cost indicators do not reconcile with funding",
    "成本指标与资金总额不符",
    "D",
    """The money in a table's cost rows (converted to 万元; unit costs such as 元/人, 人均, 标准,
    单价 left out) exceeds the annual funding by more than cost_tolerance (0.5 %), in sum or in
    a single row (H); covers less than cost_coverage_min (50 %) of it (L); or a cost amount has
    no 元 ("25万", a bare number: assumed 万元, M).  Tables without a stated annual funding
    cannot be reconciled.""",
)
def Q27(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    for table in doc.tables:
        amounts: list[tuple[Row, float]] = []
        for row in table.annual_rows():
            money = money_wan(row) if row.is_cost else None
            if money is None:
                continue
            wan, written = money
            amounts.append((row, wan))
            if not written:
                yield Hit(
                    f"cost 「{row.value}」 has no 元: read as {wan:g} 万元", row, (row.value or "",), "M"
                )
        funding = table.funding_annual
        if not amounts or not funding:
            continue
        limit = funding * (1 + cfg.cost_tolerance)
        for row, wan in amounts:
            if wan > limit:
                yield Hit(
                    f"one cost row ({wan:g} 万元) exceeds the annual funding {funding:g} 万元",
                    row,
                    (row.text,),
                )
        total = sum(wan for _, wan in amounts)
        if total > limit and len(amounts) > 1:
            yield Hit(
                f"cost rows sum to {total:g} 万元, above the annual funding {funding:g} 万元",
                table=table,
                terms=(f"{total:g}",),
            )
        elif total < funding * cfg.cost_coverage_min:
            yield Hit(
                f"cost rows cover {total:g} of {funding:g} 万元 ({total / funding:.0%})",
                table=table,
                terms=(f"{total:g}",),
                severity="L",
            )


_UNIT_COST_NOUNS = (*ACTIVITY_NOUNS, "会议", "专家", "律师", "资料", "差旅", "房租", "设备", "印刷")
_COUNT_UNITS = frozenset({"次", "人", "人次", "个", "场", "期", "份", "册", "台", "套", "批次", "家", "项"})


@rule(
    "Q28",
    "M",
    "Targets not scaled to funding",
    "目标值与资金规模不匹配",
    "D",
    """Projects whose indicator sets are near-identical (Q23's Jaccard ≥ similar_jaccard) while
    one has at least funding_ratio (2) times the other's annual funding; or a unit cost (a cost
    row ÷ the 数量 row sharing its noun: 培训费用 ÷ 培训次数) more than unit_cost_outlier (3)
    times off the median of that noun in the document (at least three samples).  The median is
    per document, not corpus-wide.""",
)
def Q28(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    reuse = reuse_view(doc)
    g = reuse.graph
    for pair in similar_pairs(g, threshold=cfg.similar_jaccard, min_rows=cfg.similar_min_rows):
        a, b = table_of(doc, g, pair.a), table_of(doc, g, pair.b)
        fa, fb = a.funding_annual, b.funding_annual
        if fa and fb and max(fa, fb) / min(fa, fb) >= cfg.funding_ratio:
            yield Hit(
                f"same targets as 「{b.name}」 (Jaccard {pair.jaccard:.2f}) with funding {fa:g} vs {fb:g} 万元",
                table=a,
                terms=(b.name or "",),
                related=(b.index,),
            )
    samples: dict[str, list[tuple[Row, float]]] = defaultdict(list)
    for table in doc.tables:
        counts = [
            r
            for r in table.annual_rows()
            if r.cat2 == "数量" and r.target.number and (r.target.unit or "") in _COUNT_UNITS
        ]
        for cost in table.annual_rows():
            money = money_wan(cost) if cost.is_cost else None
            if money is None:
                continue
            for noun in has_any(cost.name, _UNIT_COST_NOUNS):
                match = next((r for r in counts if noun in r.name), None)
                if match is not None and match.target.number:
                    samples[noun].append((cost, money[0] / match.target.number))
                    break
    for noun, found in samples.items():
        if len(found) < 3:
            continue
        median = statistics.median(v for _, v in found)
        for row, value in found:
            if median and (value > median * cfg.unit_cost_outlier or value * cfg.unit_cost_outlier < median):
                yield Hit(
                    f"unit cost of {noun} {value:g} 万元 vs the document's median {median:g}",
                    row,
                    (noun,),
                )
