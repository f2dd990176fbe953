"""Family E, Q29–Q32: respondents, time and documentation."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.lexicon import INTERNAL_PROJECT_TERMS, INTERNAL_RESPONDENTS
from kg.lexicon.patterns import normalise
from kg.reuse.labels import char_ngrams, ngram_jaccard
from kg.rules.base import Hit, rule
from kg.rules.config import RuleConfig
from kg.rules.context import DocView, TableView
from kg.rules.reading import deadline, has_any, years
from kg.rules.text import say

__all__ = ["Q29", "Q30", "Q31", "Q32"]


@rule(
    "Q29",
    "L",
    "Satisfaction respondent is not a service recipient",
    "满意度调查对象非服务对象",
    "E",
    """Satisfaction measured on internal staff or an unrelated party (工作人员, 干部, 职工, 员工,
    机关, 执法人员, 业务人员, 房东) instead of the service recipients or those the project affects
    (88号, 10号).  In internal-operation projects (机关运行, 办公设备, 办公用房 …) staff may be the
    beneficiaries: the finding says so, and only 房东 is reported there as certainly wrong.""",
)
def Q29(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    for table in doc.tables:
        internal = has_any(table.name or "", INTERNAL_PROJECT_TERMS)
        for row in table.rows:
            if not row.is_satisfaction:
                continue
            who = has_any(row.name, INTERNAL_RESPONDENTS)
            if not who:
                continue
            said = say(
                "Q29.internal",
                who=who,
                note=f" (internal-operation project {internal[0]}: staff may be its beneficiaries)"
                if internal
                else "",
                note_zh=f"（{internal[0]}类内部运转项目，职工可能即为受益对象）" if internal else "",
            )
            yield Hit(said, row, tuple(who))


_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def _budget_year(doc: DocView, table: TableView) -> int | None:
    if doc.budget_year:
        return doc.budget_year
    m = _TITLE_YEAR.search(table.title)
    return int(m.group(1)) if m else None


@rule(
    "Q30",
    "L",
    "Deadline outside the budget year or period",
    "时限超出预算年度",
    "E",
    """A date target after the end of the budget year (the document's, or the year in the table
    title) in a one-year table (no midterm column or funding); and, for information, an L3 naming
    an earlier year than the budget year ("2020年房租" in a 2021 table: arrears).""",
)
def Q30(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    for table in doc.tables:
        year = _budget_year(doc, table)
        if year is None:
            continue
        multi_year = table.funding_midterm is not None or any(r.period == "midterm" for r in table.rows)
        for row in table.rows:
            date = row.target.date or ""
            target_year = int(date[:4]) if row.target.kind == "date" and date[:4].isdigit() else None
            if target_year is not None and target_year > year and not multi_year:
                said = say("Q30.late", value=row.value, year=year, deadline=deadline(year)[0])
                yield Hit(said, row, (date,))
            elif earlier := [y for y in years(row.l3) if y < year]:
                said = say("Q30.earlier_year", earlier=earlier[0], year=year)
                yield Hit(said, row, (str(earlier[0]),), text=row.l3)


_STANDARD_BASIS = ("计划标准", "行业标准", "历史标准", "其他标准", "计划", "行业", "历史")


@rule(
    "Q31",
    "L",
    "Missing value basis",
    "指标值确定依据缺失",
    "E",
    """Where a table has a 指标值确定依据 (设定依据) column, each row should say which standard its
    value rests on: 计划标准, 行业标准, 历史标准 or other (88号, 10号).  Fired when the basis is
    blank on at least basis_missing_share (50 %) of the rows, and for a stated basis that is none
    of those standards.  It reads each indicator's ``basis`` and the table's ``columns``: records
    without them (the gold shape has neither) cannot be checked.""",
)
def Q31(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    for table in doc.tables:
        if not table.basis_column or not table.rows:
            continue
        blank = [r for r in table.rows if not (r.basis or "").strip()]
        share = len(blank) / len(table.rows)
        if share >= cfg.basis_missing_share:
            yield Hit(say("Q31.blank", blank=len(blank), rows=len(table.rows)), table=table)
        for row in table.rows:
            basis = (row.basis or "").strip()
            if basis and not has_any(basis, _STANDARD_BASIS):
                yield Hit(say("Q31.unknown", basis=basis), row, (basis,), text=basis)


_FILLER = re.compile(r"反映|考察|考核|体现|衡量|用于|情况|是否|的|了|\s|[，,。.、；;：:（）()“”\"《》]")
# what makes an explanation a definition: a formula, a data source, a criterion, a figure
_DEFINITION = re.compile(
    r"占|比例|比率|比值|之比|÷|/|除以|乘以|计算|公式|=|×|平均|根据|依据|来源|统计|台账"
    r"|报表|调查|回访|问卷|记录|以[^，。]{1,12}为(?:准|目标|依据)|是指|指的是|包括|包含|控制在|超过|超出|不超"
    r"|低于|高于|不少于|不低于|\d+"
)
# a rate is defined by a formula, a count by what is counted and where it is recorded
_RATE_END = re.compile(r"(?:率|比例|比重|占比|度)(?:[（(][^（）()]*[)）])?$")
# an explanation that only says what the indicator "reflects" (反映…情况, 考察…是否及时)
_FRAME = re.compile(r"^(?:用于)?(?:反映|考察|考核|体现|衡量)")


def _new_definitions(explanation: str, name: str) -> set[str]:
    """Definition signals of the explanation that are not already in the name (a 比例 in 压缩比例)."""
    return {m.group() for m in _DEFINITION.finditer(explanation)} - {
        m.group() for m in _DEFINITION.finditer(name)
    }


@rule(
    "Q32",
    "L",
    "Explanation merely restates the indicator name",
    "指标解释仅重复指标名称",
    "E",
    """The 指标解释 / 绩效指标描述 adds no definition, formula or data source: it restates the name
    (after removing 反映, 考察, 情况, 的 …, at least restate_coverage (50 %) of its characters
    are the name's, or their bigram similarity is at least restate_similarity (0.8)), or it only
    says what the indicator reflects ("反映…情况", "考察…是否及时").  A formula (占, 比例, ÷, 总数),
    a source (根据, 统计, 台账, 回访调查), a criterion (控制在, 不超过) or a figure the name does
    not already hold counts as a definition.""",
)
def Q32(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    for table in doc.tables:
        for row in table.rows:
            if not row.description or not row.l3:
                continue
            description = normalise(row.description)
            if _new_definitions(description, row.name):
                continue
            explained, name = _FILLER.sub("", description), _FILLER.sub("", row.name)
            if not explained or not name:
                continue
            coverage = sum(1 for c in explained if c in name) / len(explained)
            similarity = ngram_jaccard(char_ngrams(explained, (2,)), char_ngrams(name, (2,)))
            rate = bool(_RATE_END.search(row.name))
            if coverage >= cfg.restate_coverage or similarity >= cfg.restate_similarity:
                said = say("Q32.restates_rate" if rate else "Q32.restates_count", name=row.l3)
            elif _FRAME.match(description):
                said = say("Q32.no_definition_rate" if rate else "Q32.no_definition_count", name=row.l3)
            else:
                continue
            yield Hit(said, row, (row.description,), text=row.description)
