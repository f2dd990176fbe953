"""Family C (first half), Q14–Q21: classification and structure of one table."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterator
from functools import partial

from kg.framework import canonical_l1, canonical_l2, concept_label
from kg.framework import normalise_label as fold_label
from kg.lexicon import ABSTRACT_TERMS, BENEFIT_TERMS, NEG_TERMS, OUTPUT_TERMS, SENTENCE_VERBS
from kg.lexicon.patterns import DURATION, MONEY, UNITCOST, UNITCOST_NAME
from kg.reuse.labels import char_ngrams, normalise_label
from kg.rules.base import Hit, rule
from kg.rules.config import RuleConfig
from kg.rules.context import DocView, Row
from kg.rules.reading import deadline, has_any, is_percent
from kg.rules.similar import JaccardIndex
from kg.rules.text import say

__all__ = ["Q14", "Q15", "Q16", "Q17", "Q18", "Q19", "Q20", "Q21"]


def _bare(label: str) -> str:
    # a trailing gloss in brackets and the suffix 指标 are spelling, not a different label:
    # 经济效益 is the framework's 经济效益指标
    folded = fold_label(label)
    return folded[: -len("指标")] if folded.endswith("指标") and len(folded) > 2 else folded


@rule(
    "Q14",
    "L",
    "Non-standard or missing 一级/二级 label",
    "一级/二级指标名称不规范或缺失",
    "C",
    """A 一级/二级 label outside the framework's preferred spellings (效果指标 for 效益指标, 质量目标,
    可持续发展影响指标, an L2 repeating its L1 …), a label that maps to no framework concept, or
    an empty 二级 under an 一级 with several rows.  A trailing gloss in brackets and the suffix
    指标 (经济效益 for 经济效益指标) are not defects.  One finding per table and label, at its first
    row.""",
)
def Q14(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    for table in doc.tables:
        seen: set[tuple[str, str]] = set()
        l1_rows = Counter(r.l1 for r in table.rows if r.l1)
        for row in table.rows:
            c1 = canonical_l1(row.l1)
            checks: list[tuple[str, str | None, object]] = [("一级", row.l1, c1)]
            checks.append(("二级", row.l2, canonical_l2(row.l2, c1 if c1 is not None else row.l1)))
            for level, label, concept in checks:
                if not label:
                    if level == "二级" and row.l1 and l1_rows[row.l1] > 1 and ("", row.l1) not in seen:
                        seen.add(("", row.l1))
                        yield Hit(say("Q14.empty_l2", l1=row.l1), row, text=row.l1)
                    continue
                if (level, label) in seen:
                    continue
                seen.add((level, label))
                if concept is None:
                    yield Hit(say("Q14.unknown", level=level, label=label), row, (label,), text=label)
                    continue
                preferred = concept_label(concept)  # type: ignore[arg-type]
                if _bare(label) != _bare(preferred):
                    said = say("Q14.non_standard", level=level, label=label, preferred=preferred)
                    yield Hit(said, row, (label,), text=label)


_COUNT_UNITS = (
    "次",
    "人",
    "个",
    "家",
    "台",
    "套",
    "册",
    "份",
    "项",
    "批次",
    "人次",
    "期",
    "场",
    "条",
    "部",
    "篇",
)


def _has_money(row: Row) -> bool:
    unit = row.target.unit or ""
    return bool(MONEY.search(row.text)) or unit.endswith("元") or unit == "万"


@rule(
    "Q15",
    "M",
    "Value unit inconsistent with 二级 category",
    "指标值单位与二级指标类别不符",
    "C",
    """数量 should be a count or amount, 质量 a rate or standard, 时效 a date, duration or
    frequency, 成本 money.  Fired on: a percent or a duration under 数量; a percent under
    时效 whose L3 does not say 及时/按时; a 成本 value with no money unit that is not a unit
    cost (qualitative 成本 values also meet Q01/Q02).""",
)
def Q15(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    due, _ = deadline(doc.budget_year)
    for table in doc.tables:
        for row in table.rows:
            if row.cat2 == "数量" and row.target.number is not None:
                if is_percent(row):
                    count_unit = "人" if "人" in row.name else "个"
                    said = say("Q15.rate_as_quantity", value=row.text, count_unit=count_unit)
                    yield Hit(said, row, ("%",))
                elif row.target.kind == "duration" or DURATION.fullmatch(re.sub(r"^[≥≤<>=]", "", row.text)):
                    said = say("Q15.duration_as_quantity", value=row.text)
                    yield Hit(said, row, (row.target.unit or "",))
            elif row.cat2 == "时效" and is_percent(row) and not has_any(row.name, ("及时", "按时", "准时")):
                yield Hit(say("Q15.rate_as_timeliness", value=row.text, deadline=due), row, ("%",))
            elif (
                row.is_cost
                and row.text
                and not _has_money(row)
                and not UNITCOST.search(row.text)
                and not UNITCOST_NAME.search(row.name)
            ):
                said = say("Q15.cost_no_money", value=row.value)
                yield Hit(said, row, (row.target.unit or row.text,))


@rule(
    "Q16",
    "M",
    "Indicator name inconsistent with category",
    "指标名称与所属类别不符",
    "C",
    """Keyword classes of the L3 against its 二级: an activity output (次数, 人次, 场次, 参观,
    培训, 印制, 召开, 天数) under 效益; a benefit (负担, 效率, 影响, 水平, 效益) under 成本 or 产出;
    satisfaction as the only 效益 row of a table.  A generic "…年限 N年" filling the 可持续影响
    slot is a vague value, reported by Q03.""",
)
def Q16(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    for table in doc.tables:
        benefit = [r for r in table.rows if r.cat1 == "效益"]
        only_satisfaction = bool(benefit) and all(r.is_satisfaction for r in benefit)
        for row in table.rows:
            words = has_any(row.name, (*OUTPUT_TERMS, "天数"))
            if row.cat1 == "效益" and not row.is_satisfaction and words and not has_any(row.name, NEG_TERMS):
                said = say("Q16.output_as_benefit", words=words, l2=row.l2 or "")
                yield Hit(said, row, tuple(words))
            elif row.cat1 in ("产出", "成本") and (words := has_any(row.name, BENEFIT_TERMS)):
                said = say("Q16.benefit_as_output", words=words, where=row.l2 or row.l1 or "")
                yield Hit(said, row, tuple(words))
            elif only_satisfaction and row.cat1 == "效益":
                yield Hit(say("Q16.satisfaction_only"), row, ("满意度",))


_FUND_FLOW = re.compile(r"(资金|补助|基金|经费|预算).*(到位|拨付|发放|执行|支付)率?|成本控制率|预算执行率")
_BUDGET_VALUE = re.compile(r"控制在.*预算.*内|不超预算|不超过预算|足额(到位|支付|保障)?|≤100%|资金到位")


@rule(
    "Q17",
    "M",
    "Input, fund-flow or budget tautology used as a performance indicator",
    "以资金投入、拨付或预算约束代替绩效指标",
    "C",
    """Money flows or budget compliance reported as outputs, costs or benefits: an L3 such as
    资金到位率, 拨付率, 发放率, 预算执行率, 成本控制率, or a 成本 value such as 控制在预算范围内,
    不超预算, 足额到位, ≤100%.  They measure inputs or compliance, and 预算执行率 is scored apart
    in self-evaluation (10号).""",
)
def Q17(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    for table in doc.tables:
        for row in table.rows:
            if m := _FUND_FLOW.search(row.name):
                yield Hit(say("Q17.fund_flow", flow=m.group()), row, (m.group(),))
            elif (row.is_cost or row.vague.category == "budget") and (m := _BUDGET_VALUE.search(row.text)):
                yield Hit(say("Q17.tautology", phrase=m.group()), row, (m.group(),))


def _central(doc: DocView) -> bool:
    return bool(doc.department) and str(doc.department).startswith(("国家", "中央"))


@rule(
    "Q18",
    "H",
    "Missing required dimensions",
    "缺少必要的指标维度",
    "C",
    """Per table: no 产出 (H), no 效益 (H), 效益 with only satisfaction rows (H), no 满意度
    (M), no cost indicator anywhere (M; H for central departments from 2022, when 101号
    applies), 产出 without 数量 (M), 产出 with neither 质量 nor 时效 (L).  Basis: 中发〔2018〕34号
    (outputs, cost, benefits and satisfaction).""",
)
def Q18(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    for table in doc.tables:
        if not table.rows:
            continue
        cats1 = {r.cat1 for r in table.rows}
        cats2 = {r.cat2 for r in table.rows if r.cat1 == "产出"}
        benefit = [r for r in table.rows if r.cat1 == "效益"]
        if "产出" not in cats1:
            yield Hit(say("Q18.no_output"), table=table, terms=("产出",))
        if not benefit:
            yield Hit(say("Q18.no_benefit"), table=table, terms=("效益",))
        elif all(r.is_satisfaction for r in benefit):
            yield Hit(say("Q18.satisfaction_only"), table=table, terms=("效益", "满意度"))
        if not any(r.is_satisfaction for r in table.rows):
            yield Hit(say("Q18.no_satisfaction"), table=table, terms=("满意度",), severity="M")
        if not any(r.is_cost for r in table.rows):
            strict = _central(doc) and (doc.budget_year or 0) >= 2022
            yield Hit(say("Q18.no_cost"), table=table, terms=("成本",), severity="H" if strict else "M")
        if "产出" in cats1:
            if "数量" not in cats2:
                yield Hit(say("Q18.no_quantity"), table=table, terms=("数量",), severity="M")
            if not cats2 & {"质量", "时效"}:
                said = say("Q18.no_quality_timeliness", deadline=deadline(doc.budget_year)[0])
                yield Hit(said, table=table, terms=("质量", "时效"), severity="L")


@rule(
    "Q19",
    "L",
    "Indicator count out of range",
    "指标数量不当",
    "C",
    """Too few indicators to describe a project (fewer than min_indicators, default 3: M, after
    a local rule 不得少于3个) or too many to be focused (more than max_indicators, default 30:
    L, 101号 重点突出); or one 一级 other than 产出 holding more than dominant_l1_share (70 %) of
    the rows, cost counted as its own 一级 as in 101号.  产出 is left out of that share: it holds
    three or four 二级 (数量, 质量, 时效, and 成本 in 88号 tables), so it rightly outnumbers the
    others.  Department-wide tables (部门整体) are not counted: they sum up a whole department's
    work, not one project's.  A table with midterm and annual columns is counted on its annual
    column.""",
)
def Q19(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    for table in doc.tables:
        if table.scope != "project":
            continue
        rows = table.annual_rows()
        n = len(rows)
        if not rows:
            continue  # a table read without rows is extraction's business, not a count to judge
        if n < cfg.min_indicators:
            yield Hit(say("Q19.too_few", n=n, min=cfg.min_indicators), table=table, severity="M")
        elif n > cfg.max_indicators:
            yield Hit(say("Q19.too_many", n=n, max=cfg.max_indicators), table=table)
        if n >= cfg.min_indicators:
            # cost counts apart even where 88号 files it under 产出, as 101号 does
            l1, count = Counter("成本" if r.is_cost else r.cat1 or r.l1 or "" for r in rows).most_common(1)[0]
            if l1 and l1 != "产出" and count / n > cfg.dominant_l1_share:
                yield Hit(say("Q19.dominant", l1=l1, count=count, n=n), table=table, terms=(l1,))


_METRIC_END = re.compile(
    r"(率|数|次数|人数|人次|数量|得分|分|指数|排名|金额|天数|时长|时间|比例|比重|额|量|满意度|[（(][^（）()]{1,4}[）)])$"
)


# 保障 and 规范 are verbs only where a clause starts: 医疗保障 and 编码规范标准 are nouns
_VERB = re.compile(
    "|".join(v for v in SENTENCE_VERBS if v not in ("保障", "规范")) + r"|(?:^|(?<=[,，、;；]))(?:保障|规范)"
)


def _abstract(name: str) -> list[str]:
    words = has_any(name, ABSTRACT_TERMS)
    if not words:
        return []
    rest = name
    for w in words:
        rest = rest.replace(w, "")
    return [] if _METRIC_END.search(rest) else words


@rule(
    "Q20",
    "M",
    "Unmeasurable indicator name",
    "指标名称不可计量",
    "C",
    """The L3 names an abstract construct (能力, 水平, 形象, 公信力, 影响力, 素养, 意识, 环境,
    有效性, 稳定率 …) and, that word aside, no metric (率, 数, 次, 得分, 指数, 金额, 比例 …), or
    the L3 is a sentence: a verb (提高, 提升, 促进, 推动, 保障, 规范, 改善, 满足), ten or more
    characters, no metric at its end.  Fired whatever the value, since no data source exists.""",
)
def Q20(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    for table in doc.tables:
        for row in table.rows:
            name = row.name
            if words := _abstract(name):
                said = say("Q20.abstract", words=words, name=row.l3)
                yield Hit(said, row, tuple(words), text=row.l3)
            elif (verbs := _VERB.findall(name)) and len(name) >= 10 and not _METRIC_END.search(name):
                verbs = list(dict.fromkeys(verbs))
                yield Hit(say("Q20.sentence", verbs=verbs), row, tuple(verbs), text=row.l3)


_PREFIXES = re.compile(r"^(参保人员|确保|提高|提升|完成)")
_YEAR = re.compile(r"(?:19|20)\d{2}年?")


def _same_years(years: list[frozenset[str]], members: list[int], j: int, local: int) -> bool:
    # rows naming two different years (2020年房租 / 2021年房租) are different measures
    other = years[members[local]]
    return not (other and years[j] and other != years[j])


def _duplicate_key(row: Row) -> str:
    return _PREFIXES.sub("", normalise_label(_YEAR.sub("", row.l3)))


@rule(
    "Q21",
    "L",
    "Duplicate indicator within a project",
    "项目内指标重复",
    "C",
    """The same measure twice in one table and period, possibly under different 二级: names
    equal once years, punctuation and prefixes (参保人员, 确保, 提高, 完成) are stripped, or
    character-bigram Jaccard ≥ duplicate_jaccard (0.8) with the same value.  Rows naming two
    different years (2020年房租 / 2021年房租) are different measures.""",
)
def Q21(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    for table in doc.tables:
        rows = [r for r in table.rows if r.l3]
        for first, later in _first_duplicates(rows, cfg.duplicate_jaccard):
            said = say("Q21.duplicate", line=first.line, first=first.l3, l2_first=first.l2, l2=later.l2)
            yield Hit(said, later, (first.l3, later.l3), text=later.l3)


def _first_duplicates(rows: list[Row], threshold: float) -> Iterator[tuple[Row, Row]]:
    """Each row with the first earlier row it duplicates, found through indexes, not all pairs.

    Same key: a lookup by (period, key), the years in the names told apart.  Near-identical
    name with the same value: a Jaccard index per (period, value) (:mod:`kg.rules.similar`).
    """
    keys = [_duplicate_key(r) for r in rows]
    grams = [char_ngrams(k, (2,)) for k in keys]
    years = [frozenset(_YEAR.findall(r.l3)) for r in rows]
    groups: dict[tuple[str | None, str], list[int]] = defaultdict(list)
    for j, row in enumerate(rows):
        if keys[j]:
            groups[(row.period, row.text)].append(j)
    indexes = {g: JaccardIndex((grams[j] for j in members), threshold) for g, members in groups.items()}
    seen: dict[tuple[str | None, str], dict[frozenset[str] | None, int]] = defaultdict(dict)
    for j, later in enumerate(rows):
        if not keys[j]:
            continue
        firsts = seen[(later.period, keys[j])]
        # a name with no year matches any; two names with years only when the years agree
        options = [firsts.get(None), *(firsts.get(y) for y in ([years[j]] if years[j] else firsts))]
        best = min((i for i in options if i is not None), default=len(rows))
        index, members = indexes[(later.period, later.text)], groups[(later.period, later.text)]
        near = index.first_similar(
            grams[j], bisect_left(members, best), partial(_same_years, years, members, j)
        )
        best = members[near] if near is not None else best
        index.add(grams[j])
        firsts.setdefault(years[j] or None, j)
        if best < len(rows):
            yield rows[best], later
