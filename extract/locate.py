"""What a document is (its department and budget year), and what page furniture looks like.

Where its tables are is ``extract.find``'s business.
"""

from __future__ import annotations

import re
from collections import Counter

from extract.labels import fold
from extract.lexicon import TITLE_MAX

__all__ = ["find_budget_year", "find_department", "is_page_furniture"]

# page furniture: page numbers ("- 12 -", "第3页，共10页", "3/10"), table labels ("部门公开表9",
# "表14", "附表3", "续表"), the table's year and money unit repeated under a repeated title
_FURNITURE = re.compile(
    r"^(?:[-－—–~～]+\d{1,4}[-－—–~～]+|(?:共\d+页)?第\d+页(?:[,，/]?共\d+页)?|共\d+页|\d{1,4}/\d{1,4}|"
    r"\S*(?:公开|附|续)表[\d一二三四五六七八九十-]*|表\d+|[（(]?20\d\d年度?[）)]?|(?:金额)?单位[:：].*)$"
)
# a bare number is a page number in a tab table, but may be a wrapped value cell in PDF text
_BARE_NUMBER = re.compile(r"^\d+$")


def is_page_furniture(line: str, *, bare_numbers: bool = True) -> bool:
    """Page labels, page numbers, repeated unit lines: the furniture of a page break."""
    if "\t" in line:
        return False  # a row of cells is content, however few survive
    s = fold(line)
    return bool(_FURNITURE.match(s) or (bare_numbers and _BARE_NUMBER.match(s)))


_ORG = (
    r"[\u4e00-\u9fff](?:(?!名称)[\u4e00-\u9fff（）()]){1,29}?"
    r"(?:局|厅|委员会|委|办公室|部|署|院|中心|馆|所|站|校|联合会|协会|队|社|政府|管理处|处|中学|小学|学校|机关|办)"
)
# a code before a unit's name: "[015001]", "【812033】", "324001-", "266_"
_CODE = r"(?:[\[【(（]?\d{2,12}[\]】)）]?[-_ ]?)?"
# keys a page or a form states its publisher or unit under, strongest first
_SOURCE_KEYS = (  # a key starts a cell: the 部门 of 主管部门 is not a source key
    r"(?<![\u4e00-\u9fff])(?:信息来源|来源|发布机构|发布单位|部门名称|部门\(单位\)名称|部门（单位）名称|部门|单位名称|预算单位|"
    r"预算部门|填报单位(?:\(公章\)|（公章）|\(盖章\)|（盖章）)?|单位信息|编制部门|部门编码及名称)"
)
_NEXT = r"(?=\s|$|[|\t,，;；]|实施|项目|资金|单位|联系|负责|主管)"
_HEAD_KEYS = r"(?:主管部门(?:及(?:代码|编码))?|项目主管部门)"
_UNIT_KEYS = r"(?:实施单位|项目实施单位|项目执行单位|执行单位)"
_DEPT_PATTERNS = [
    (re.compile(rf"({_ORG})\s*20\d\d\s*年度?\s*(?:部门|单位)(?:预算|决算)"), 3),
    (re.compile(rf"20\d\d\s*年度?\s*({_ORG})\s*(?:部门|单位)(?:预算|决算)"), 3),
    (re.compile(rf"{_SOURCE_KEYS}\s*[:：\s|\t]?\s*{_CODE}\s*({_ORG}){_NEXT}"), 2),
    (re.compile(rf"{_HEAD_KEYS}\s*[:：\s|\t]?\s*{_CODE}\s*({_ORG}){_NEXT}"), 1.5),
    (re.compile(rf"{_UNIT_KEYS}\s*[:：\s|\t]?\s*{_CODE}\s*({_ORG}){_NEXT}"), 1),
    (re.compile(rf"(?:^|\t)\s*#?\s*(?:20\d\d年度?)?\s*{_CODE}\s*({_ORG})\s*(?:$|\t)"), 1),
    # "2026年上海市普陀区城市管理行政执法局下属一家机关…": a budget narrative naming its department
    (re.compile(rf"^\s*20\d\d年度?({_ORG})(?:[（(]部门[)）])?(?:下属|本部门|部门预算|共有|政府采购)"), 1),
    # a table's title opening with its unit: "某县第二中学2023年项目绩效目标表" (the year after the
    # name, so a project named after an organisation, "2023年乡镇卫生院建设项目…", is no unit)
    (re.compile(rf"^\s*({_ORG})\s*20\d\d\s*年度?\s*[\u4e00-\u9fff（）()]{{0,16}}?绩效(?:目标|自评|评价)"), 2),
]


_HEAD, _UNIT = 3, 4
# the patterns whose name is written out in full: a key's cell, a cell of its own, a narrative's
# subject (the headings' "现将元氏县医疗保障局2020年部门预算" may carry prose before the name)
_WHOLE = (2, 3, 4, 5, 6, 7)
# what any of the patterns needs somewhere in a line
_ANY_HINT = re.compile(
    r"预算|决算|绩效|部门|单位|来源|发布|主管|^\s*20\d\d|[局厅委部署院心馆所站校会队社府处学关办](?:\s*$|\s*\t)"
)
# a cell that ends like an organisation's name: the quick test before the slow pattern
_ORG_END = re.compile(
    r"[局厅委部署院心馆所站校会队社府处学关办](?:\s*$|\s*\t)"
)  # the patterns that read a name from a key


def find_department(lines: list[str], *, self_evaluation: bool = False) -> str | None:
    """The publishing department: the organisation the disclosure's own headings and stamps name most.

    A document of self-evaluations only is the implementing unit's own report (项目单位自评): its
    实施单位 outweighs its 主管部门; a target table is the department's, the other way round."""
    votes: dict[str, float] = {}
    whole: set[str] = set()  # names written out in full (a key's cell, a cell of its own …)
    for raw in lines:
        if not _ANY_HINT.search(raw):
            continue  # nothing a name could hang on: the common case, decided at once
        line = raw.strip()
        # a long line is prose, or a page glued onto one line: only a key names an organisation there
        patterns = _LONG_LINE_PATTERNS if len(line) > _SHORT else range(len(_DEPT_PATTERNS))
        for k in patterns:
            if not _DEPT_NEEDS[k](line):
                continue
            pattern, weight = _DEPT_PATTERNS[k]
            if self_evaluation and k in (_HEAD, _UNIT):
                weight = _DEPT_PATTERNS[_HEAD + _UNIT - k][1]
            for m in pattern.finditer(line):
                votes[m.group(1)] = votes.get(m.group(1), 0.0) + weight
                if k in _WHOLE:
                    whole.add(m.group(1))
    if not votes:
        return None
    # "现将元氏县医疗保障局", "青山区教育局" and "教育局" are one vote-getter: the votes go to
    # the shortest, the name to the fullest written out whole
    merged: dict[str, float] = {}
    group: dict[str, list[str]] = {}
    for name in sorted(votes, key=len):
        target = next(
            (name[-n:] for n in range(3, len(name)) if name[-n:] in merged), name
        )  # the shortest name already seen that this one ends with
        merged[target] = merged.get(target, 0.0) + votes[name]
        group.setdefault(target, []).append(name)
    best, _ = max(merged.items(), key=lambda kv: (kv[1], len(kv[0])))
    full = [n for n in group[best] if n in whole]
    return max(full, key=len) if full else best


_SHORT = 150
_LONG_LINE_PATTERNS = (2, 3, 4)
# cheap tests that a line could match each pattern at all
_DEPT_NEEDS = [
    lambda line: "预算" in line or "决算" in line,
    lambda line: "预算" in line or "决算" in line,
    lambda line: "部门" in line or "单位" in line or "来源" in line or "发布" in line,
    lambda line: "主管" in line,
    lambda line: "单位" in line,
    lambda line: (len(line) <= 34 or "\t" in line) and bool(_ORG_END.search(line)),
    lambda line: line[:2] == "20",
    lambda line: len(line) <= TITLE_MAX and "绩效" in line,
]

_YEAR_PATTERNS = [
    re.compile(r"(20\d\d)\s*年度?\s*\S{0,4}?部门(?:预算|决算)"),
    re.compile(r"(20\d\d)\s*年度?\s*[\u4e00-\u9fff]{2,30}?(?:部门|单位)(?:预算|决算)"),
    re.compile(r"预算年度\s*[:：]\s*(20\d\d)"),
    re.compile(r"[（(]\s*(20\d\d)\s*年度?\s*[）)]"),
    # a year alone on its line, its brackets often lost in conversion: "（2023年度）", "2020年度)"
    re.compile(r"^\s*[（(]?\s*(20\d\d)\s*年度?\s*[）)]?\s*$"),
    # a table's own title: "2024年项目绩效目标表", "2021年中央对地方专项转移支付区域绩效目标自评表"
    re.compile(r"(20\d\d)\s*年度?\s*[\u4e00-\u9fff]{0,24}?绩效(?:目标|自评|评价)"),
]


# when no heading states the year: the year the document's own dates and names mention most
# ("2021年12月31日前完成", "2026年度广州12345热线平台运营项目"); dates written 2022-08-15 are
# the page's publishing stamp, not the budget's
_ANY_YEAR = re.compile(r"(20\d\d)\s*年")


def find_budget_year(lines: list[str]) -> int | None:
    """The budget year: the one the disclosure's headings and table titles state most."""
    votes: Counter[int] = Counter()
    mentions: Counter[int] = Counter()
    for line in lines:
        if "20" not in line:
            continue
        for pattern in _YEAR_PATTERNS:
            for m in pattern.finditer(line):
                votes[int(m.group(1))] += 1
        for m in _ANY_YEAR.finditer(line):
            mentions[int(m.group(1))] += 1
    for counts in (votes, mentions):
        if counts:
            return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
    return None
