"""Family D, Q25–Q28: do the indicators follow from the goals and the money?"""

from __future__ import annotations

import re
import statistics
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator

from kg.lexicon import ACTIVITY_NOUNS, ACTIVITY_SYNONYMS, METRIC_WORDS, UPHOLD_OBJECTS
from kg.lexicon.patterns import POLICY_OBJECT, normalise
from kg.reuse import normalise_label, normalise_value, similar_pairs
from kg.reuse.labels import char_ngrams
from kg.rules.base import Hit, rule
from kg.rules.config import RuleConfig
from kg.rules.context import DocView, Row, TableView
from kg.rules.copies import reuse_view, table_of
from kg.rules.reading import LOWER, comparator, has_any, money_wan
from kg.rules.similar import JoinedBigrams, bigrams, first_containing
from kg.rules.text import say

__all__ = ["Q25", "Q26", "Q27", "Q28"]

_GOAL_FIGURE = re.compile(
    r"([\u4e00-\u9fa5]{2,8})(达到|达|不低于|不少于|至少|≥)?(\d+(?:\.\d+)?)(%|人次|万人次|万份|份|人|次|家|个)(以上)?"
)
_AFTER = re.compile(r"[\u4e00-\u9fa5A-Za-z]{0,10}")
_FLOOR_WORDS = ("不低于", "不少于", "至少", "≥", "以上")
# 200 人次 of assistance is measured by a row counting 200 people
_UNIT_FAMILY = {"人次": "人"}


def _scaled(number: float, unit: str) -> tuple[float, str]:
    if len(unit) > 1 and unit.startswith("万"):
        number, unit = number * 10000, unit[1:]
    return number, _UNIT_FAMILY.get(unit, unit)


def _goal_rows(table: TableView) -> Iterator[tuple[str, tuple[Row, ...]]]:
    if table.goal_annual:
        yield table.goal_annual, table.annual_rows()
    midterm = tuple(r for r in table.rows if r.period == "midterm")
    if table.goal_midterm and midterm:
        yield table.goal_midterm, midterm


def _figure_hits(table: TableView, goal: str, rows: tuple[Row, ...]) -> Iterator[Hit]:
    """(a): each figure of the goal against the indicators that measure it."""
    text = normalise(goal)
    # the rows with a figure, by base unit; their names' bigrams read once per unit a figure asks for,
    # not once per figure
    measured: defaultdict[str, list[tuple[float, Row]]] = defaultdict(list)
    for row in rows:
        if row.target.number is not None and row.target.unit:
            number, row_base = _scaled(row.target.number, row.target.unit)
            measured[row_base].append((number, row))
    named: dict[str, list[tuple[frozenset[str], float, Row]]] = {}
    for m in _GOAL_FIGURE.finditer(text):
        keyword, unit = m.group(1), m.group(4)
        context = keyword + (_AFTER.match(text, m.end()) or _AFTER.match("")).group()  # type: ignore[union-attr]
        wanted, base = _scaled(float(m.group(3)), unit)
        words = char_ngrams(context, (2,))
        if base not in named:
            named[base] = [(char_ngrams(row.name, (2,)), n, row) for n, row in measured.get(base, ())]
        candidates = [(len(words & grams), number, row) for grams, number, row in named[base]]
        # a count with the goal's very figure is its indicator; a percent also needs a shared word,
        # since 100 % is every other row's target
        if any(abs(n - wanted) < 1e-9 and (shared or base != "%") for shared, n, _ in candidates):
            continue
        worded = [c for c in candidates if c[0]]
        if not worded:
            said = say("Q25.no_indicator", figure=m.group())
            yield Hit(said, table=table, text=goal, terms=(m.group(),), severity="L")
            continue
        _, number, row = max(worded, key=lambda c: c[0])
        floor = bool(m.group(2) in _FLOOR_WORDS or m.group(5) or has_any(keyword, _FLOOR_WORDS))
        if floor and comparator(row) in LOWER and number >= wanted:
            continue  # the goal sets a floor the indicator's own floor meets
        rewrite = f"{comparator(row) or '≥'}{m.group(3)}{unit}"
        said = say("Q25.mismatch", figure=m.group(), value=row.text, rewrite=rewrite)
        yield Hit(said, row, (m.group(), row.text))


def _unnamed_activities(goal: str, names: str) -> list[str]:
    """The activity nouns the goal plans that no indicator name covers.

    An indicator covers an activity when it names it, by the word or a synonym (维修 for 维护),
    or names its object (采购雾炮车服务 → 雾炮车降尘服务车辆数).  维护权益 (to uphold) and 救助制度
    (a policy) are no activities.
    """
    missing = []
    # the subject grams are bigrams: a set of the names' bigrams answers each in one step, where a
    # search of the names would cost every mention in the goal a pass over the whole table
    name_grams: frozenset[str] | None = None
    for noun in has_any(goal, ACTIVITY_NOUNS):
        if any(word in names for word in (noun, *ACTIVITY_SYNONYMS.get(noun, ()))):
            continue
        planned = covered = False
        for m in re.finditer(noun, goal):
            after = goal[m.end() : m.end() + 8]
            clause = re.split(r"[，。；,;、]", after, maxsplit=1)[0]
            if POLICY_OBJECT.match(after) or (noun == "维护" and has_any(clause, UPHOLD_OBJECTS)):
                continue
            planned = True
            if not covered:
                name_grams = bigrams(names) if name_grams is None else name_grams
                covered = any(g in name_grams for g in _subject_grams(clause[:6]))
        if planned and not covered:
            missing.append(noun)
    return missing


_METRIC = re.compile("|".join(sorted(METRIC_WORDS, key=len, reverse=True)) + r"|[^\u4e00-\u9fa5A-Za-z]")


def _subject_grams(name: str) -> set[str]:
    """The character bigrams of what an indicator is about, its metric words (率, 次数 …) left out."""
    return {g for part in _METRIC.split(name) for g in char_ngrams(part, (2,)) if len(g) == 2}


class _ProjectNames:
    """Which project tables' names hold each bigram, in table order (Q25 (c))."""

    def __init__(self, doc: DocView) -> None:
        self._names = {t.index: normalise(t.name) for t in doc.tables if t.scope == "project"}
        self._holders: defaultdict[str, list[int]] = defaultdict(list)
        for index, name in self._names.items():
            for gram in bigrams(name):
                self._holders[gram].append(index)

    def others(self, gram: str, table: int) -> tuple[int, list[str]]:
        """How many other project tables' names hold ``gram``, and the first three of those names."""
        holders = self._holders.get(gram, [])
        at = bisect_left(holders, table)
        count = len(holders) - (at < len(holders) and holders[at] == table)
        return count, [self._names[t] for t in holders[:4] if t != table][:3]


def _unanchored(doc: DocView, table: TableView, names: _ProjectNames) -> Iterator[Hit]:
    """(c): a short indicator about a subject absent from this project but the name of others."""
    # a subject gram is a bigram, so "gram in text" is a lookup among the text's bigrams
    own = bigrams(normalise(" ".join(x for x in (table.name, table.goal_annual, table.goal_midterm) if x)))
    department = bigrams(normalise(doc.department))
    others: JoinedBigrams | None = None  # made for the first row that needs it: most never do
    for row in table.rows:
        if row.is_satisfaction or row.is_cost:
            continue
        grams = _subject_grams(row.name)
        if not grams or sum(len(p) for p in _METRIC.split(row.name)) > 8:
            continue
        if any(g in own for g in grams):
            continue
        if others is None:
            # the other rows' names and explanations, joined as written (their joins included)
            pieces = [r.name + normalise(r.description) for r in table.rows]
            others = JoinedBigrams([r.name for r in table.rows], pieces)
        if any(others.contains(g, without=row.name) for g in grams):
            continue
        foreign = {g: names.others(g, table.index) for g in grams if g not in department}
        foreign = {g: found for g, found in foreign.items() if found[0] >= 2}
        if foreign:
            word = max(foreign, key=lambda g: foreign[g][0])
            said = say("Q25.unanchored", name=row.l3, words=f"「{word}」", others="、".join(foreign[word][1]))
            yield Hit(said, row, (word,), text=row.l3)


@rule(
    "Q25",
    "M",
    "Goal ↔ indicator inconsistency",
    "绩效目标与指标不一致",
    "D",
    """(a) A figure in the goal text (keyword, number, unit: "受助对象满意度达98%", "发放宣传材料2万份")
    contradicts the indicator sharing its unit and a two-character word with the words around
    it ("≥100%", "≥2份": M) — an indicator with the very figure ("9家", "200人" for 200 人次) is its
    measure, and a goal floor (至少1次) met by the indicator's floor (≥2次) is no contradiction; a
    goal figure no indicator measures is L.  (b) Activities the goal plans (培训, 宣传, 采购,
    检查, 审计, 维护, 救助 …) that no indicator names, by that word or a synonym (维修, 集采,
    补助 …), L, one finding per table; a noun heading a policy (救助制度, 考核办法) or 维护 of
    rights (维护参保人合法权益) is no activity, and a department-wide table's goal lists its
    missions, not its activities.  (c) An indicator whose subject has no anchor in this project —
    none of its words in the goal, the project name or the other indicators — while it names the
    subject of at least two other projects of the document (应急救助率 in an IT project among
    医疗救助 projects): a row copied from another project (M).""",
)
def Q25(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    names = _ProjectNames(doc)
    for table in doc.tables:
        for goal, rows in _goal_rows(table):
            yield from _figure_hits(table, goal, rows)
            missing = _unnamed_activities(normalise(goal), "".join(r.name for r in rows))
            if missing and table.scope == "project":
                said = say("Q25.unnamed_activity", nouns=_quote(missing), first=missing[0])
                yield Hit(said, table=table, text=goal, terms=tuple(missing), severity="L")
        if table.scope == "project" and (table.goal_annual or table.goal_midterm):
            yield from _unanchored(doc, table, names)


def _quote(words: list[str]) -> str:
    return "、".join(f"「{w}」" for w in words)


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
            yield Hit(say("Q26.goal_repeats"), table=table, text=table.goal_midterm)
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
                yield Hit(say("Q26.same_value", value=row.text, ratio=ratio), row, (row.text,))
        if len(pairs) >= 3 and len(same) / len(pairs) >= cfg.midterm_identical_share:
            said = say("Q26.same_table", same=len(same), pairs=len(pairs), ratio=ratio)
            yield Hit(said, table=table)


def _fold(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


@rule(
    "Q27",
    "H",
    "Cost indicators do not reconcile with funding",
    "成本指标与资金总额不符",
    "D",
    """The money in a table's cost rows (converted to 万元; unit costs such as 元/人, 人均, 单价 or
    a name ending in 标准 left out) exceeds the annual funding by more than cost_tolerance
    (0.5 %), in sum or in a single row (H); covers less than cost_coverage_min (50 %) of it (L);
    or a cost amount has no 元 ("25万", a bare number: assumed 万元, M).  A table that states its
    funding while no cost row names an amount (none at all, or only "控制在预算内", "≤100%") is
    reported too (M): the spending cannot be checked against the money.  Tables without a stated
    funding cannot be reconciled.""",
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
                said = say("Q27.no_yuan", value=row.value, wan=f"{wan:g}")
                yield Hit(said, row, (row.value or "",), "M")
        funding = table.funding_annual
        stated = funding or table.funding_midterm
        if not amounts and stated and table.rows:
            said = say("Q27.no_amount", funding=f"{stated:g}")
            yield Hit(said, table=table, terms=(f"{stated:g}",), severity="M")
        if not amounts or not funding:
            continue
        limit = funding * (1 + cfg.cost_tolerance)
        stated_money = {"funding": f"{funding:g}"}
        for row, wan in amounts:
            if wan > limit:
                yield Hit(say("Q27.row_over", wan=f"{wan:g}", **stated_money), row, (row.text,))
        total = sum(wan for _, wan in amounts)
        if total > limit and len(amounts) > 1:
            said = say("Q27.sum_over", total=f"{total:g}", **stated_money)
            yield Hit(said, table=table, terms=(f"{total:g}",))
        elif total < funding * cfg.cost_coverage_min:
            said = say("Q27.under", total=f"{total:g}", share=f"{total / funding:.0%}", **stated_money)
            yield Hit(said, table=table, terms=(f"{total:g}",), severity="L")


_UNIT_COST_NOUNS = (*ACTIVITY_NOUNS, "会议", "专家", "律师", "资料", "差旅", "房租", "设备", "印刷")
_COUNT_UNITS = frozenset({"次", "人", "人次", "个", "场", "期", "份", "册", "台", "套", "批次", "家", "项"})
_COST_SUFFIX = re.compile(r"(?:成本|费用|经费|支出|资金|费)$")


def _unit_costs(doc: DocView) -> dict[str, list[tuple[Row, float]]]:
    """Per subject, each cost row with its amount per unit of the first 数量 row of its table naming it."""
    samples: dict[str, list[tuple[Row, float]]] = defaultdict(list)
    for table in doc.tables:
        counts = [
            r
            for r in table.annual_rows()
            if r.cat2 == "数量" and r.target.number and (r.target.unit or "") in _COUNT_UNITS
        ]
        costs: list[tuple[Row, float, str]] = []
        for cost in table.annual_rows():
            money = money_wan(cost) if cost.is_cost else None
            if money is None:
                continue
            subject = _COST_SUFFIX.sub("", cost.name)
            if has_any(subject, _UNIT_COST_NOUNS):
                costs.append((cost, money[0], subject))
        if not costs:
            continue
        # each subject's first count row naming it, in one pass over the names
        first = first_containing((subject for _, _, subject in costs), [r.name for r in counts])
        for cost, wan, subject in costs:
            number = counts[first[subject]].target.number if subject in first else None
            if number:
                samples[subject].append((cost, wan / number))
    return samples


@rule(
    "Q28",
    "M",
    "Targets not scaled to funding",
    "目标值与资金规模不匹配",
    "D",
    """Projects whose indicator sets are near-identical (Q23's Jaccard ≥ similar_jaccard) while
    one has at least funding_ratio (2) times the other's annual funding; or a unit cost (a cost
    row ÷ the 数量 row naming its subject: 培训费用 ÷ 培训次数) more than unit_cost_outlier (3)
    times off the median of that subject in the document (at least three samples).  The subject
    is the cost row's whole name less its cost word, so the upkeep of a WeChat account is never
    compared with that of an IT system through the word 维护.  The median is per document, not
    corpus-wide.""",
)
def Q28(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    reuse = reuse_view(doc)
    g = reuse.graph
    for pair in similar_pairs(g, threshold=cfg.similar_jaccard, min_rows=cfg.similar_min_rows):
        a, b = table_of(doc, g, pair.a), table_of(doc, g, pair.b)
        fa, fb = a.funding_annual, b.funding_annual
        if fa and fb and max(fa, fb) / min(fa, fb) >= cfg.funding_ratio:
            said = say(
                "Q28.not_scaled", other=b.name, jaccard=f"{pair.jaccard:.2f}", fa=f"{fa:g}", fb=f"{fb:g}"
            )
            yield Hit(said, table=a, terms=(b.name or "",), related=(b.index,))
    for subject, found in _unit_costs(doc).items():
        if len(found) < 3:
            continue
        median = statistics.median(v for _, v in found)
        for row, value in found:
            if median and (value > median * cfg.unit_cost_outlier or value * cfg.unit_cost_outlier < median):
                said = say("Q28.unit_cost", subject=subject, value=f"{value:g}", median=f"{median:g}")
                yield Hit(said, row, (subject,))
