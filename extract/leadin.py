"""What the prose just above a table says about it.

A project's table inside a 绩效评价/自评报告 is captioned "表1：项目年度绩效指标表": the project's
name is the report's heading ("2024 年度全国信访信息系统维护费项目 / 绩效评价报告") and its money
the report's "项目资金投入" paragraph.  Only the lines between the previous table and this one
are read, nearest first, so a report never lends its project to the next report's table.
"""

from __future__ import annotations

import re

from extract.funding import AMOUNT
from extract.header import parse_money
from extract.records import Table

__all__ = ["GENERIC_TITLE", "read_lead_in"]


# the narrative a project's table follows (a 绩效自评/评价报告's "项目资金投入" paragraph):
# "该项目批复的年初预算数为 1018.00 万元，其中当年财政拨款 898.00 万元"
_LEAD_IN_LINES = 60  # the paragraphs nearest the table, not the previous project's report
_SENTENCE = re.compile(r"[^。；;！!？?]+")
_PROJECT = re.compile(r"项目(?!支出)")  # 项目支出 is the department's budget category
_BUDGET_AT = re.compile(
    r"(全年预算数|年初预算数|预算数|预算总额|预算资金|预算金额|资金总额|总预算|预算)\s*(?:为|是|共计|合计)?"
    + AMOUNT
)
_FISCAL_AT = re.compile(r"财政拨款(?:资金)?\s*(?:为|是)?" + AMOUNT)


def _funding(table: Table, lead_in: list[str]) -> None:
    """Funding a project's table lacks, from the sentences above it that state the project's
    budget, nearest first.  A target table's targets were set against the approved budget
    (年初预算数, 批复); a self-evaluation is measured against the year's budget after adjustments
    (全年预算数, as its own 全年预算数 column would say): the nearest sentence stating the one
    the table wants, else the nearest stating any.  Its 财政拨款 comes from the same sentence."""
    if not table.funding.empty():
        return
    prose = "".join(line.strip() for line in lead_in[-_LEAD_IN_LINES:] if "\t" not in line)
    wanted = ("全年预算数",) if table.kind == "self_evaluation" else ("年初预算数", "批复")
    found: list[tuple[str, re.Match[str]]] = []
    for sentence in reversed(_SENTENCE.findall(prose)):
        budgets = list(_BUDGET_AT.finditer(sentence))
        if not budgets or not _PROJECT.search(sentence[: budgets[0].start()]):
            continue
        keyed = next((m for m in budgets if m.group(1) in wanted), None)
        if keyed is None and "批复" in wanted and "批复" in sentence[: budgets[0].start()]:
            keyed = budgets[0]
        if keyed is not None:
            found.insert(0, (sentence, keyed))
            break
        found.append((sentence, budgets[0]))
    if not found:
        return
    sentence, chosen = found[0]
    table.funding.annual_total = parse_money(chosen.group(2) + chosen.group(3), None)
    fiscal = _FISCAL_AT.search(sentence, chosen.end())
    if fiscal:
        table.funding.annual_fiscal = parse_money(fiscal.group(1) + fiscal.group(2), None)
    table.funding.source = "document"


# a caption that names no project: what is left of it after its numbering and table words
GENERIC_TITLE = re.compile(
    r"^\s*(?:[（(]?[一二三四五六七八九十\d]+[)）、.．])?\s*(?:表\s*\d+\s*[:：.．、]?)?\s*(?:项目|年度|绩效|指标|目标|设置|情况|申报|批复|自评|支出|表|\s)*$"
)
_HEADING = re.compile(
    r"^\s*(?:20\d\d\s*年度?)?\s*[《“\"]?(?P<name>[\u4e00-\u9fff][^。，,；;：:]{1,38}?)\s*项目[》”\"]?"
    r"\s*(?:(?:绩效)?(?:评价|自评|目标)?报告)?\s*$"
)
_NUMBERING = re.compile(
    r"^\s*(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]|第[一二三四五六七八九十]+[章节部分])"
)


def _name(lead_in: list[str]) -> str | None:
    """The nearest heading above that names a project ("…项目", "…项目绩效评价报告")."""
    seen = 0
    for line in reversed(lead_in):
        text = line.strip()
        if not text:
            continue
        seen += 1
        if seen > _LEAD_IN_LINES:
            return None
        if len(text) > 40 or "\t" in text or _NUMBERING.match(text):
            continue
        m = _HEADING.match(text)
        if m:
            return m.group("name").strip()
    return None


def read_lead_in(table: Table, lead_in: list[str]) -> None:
    """Name and funding for a project's table whose caption and header state neither."""
    if table.scope != "project":
        return
    if table.name is None or GENERIC_TITLE.match(table.name):
        table.name = _name(lead_in) or table.name
    _funding(table, lead_in)
