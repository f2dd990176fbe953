"""What a document is (its department and budget year), and what page furniture looks like.

Where its tables are is ``extract.find``'s business.
"""

from __future__ import annotations

import re
from collections import Counter

from extract.labels import fold

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


_ORG = r"[\u4e00-\u9fff（）()]{2,30}?(?:局|厅|委员会|委|办公室|部|署|院|中心|馆|所|站|校|联合会|协会|队|社)"
_DEPT_PATTERNS = [
    (re.compile(rf"({_ORG})\s*20\d\d\s*年度?\s*(?:部门|单位)(?:预算|决算)"), 3),
    (re.compile(rf"20\d\d\s*年度?\s*({_ORG})\s*(?:部门|单位)(?:预算|决算)"), 3),
    (
        re.compile(
            rf"(?:部门|单位|预算单位|编制部门|部门编码及名称)(?:名称)?\s*[:：\s]\s*(?:\[\d+\])?\s*({_ORG})(?:\s|$)"
        ),
        2,
    ),
    (re.compile(rf"^\s*#?\s*({_ORG})\s*$"), 1),
]


def find_department(lines: list[str]) -> str | None:
    """The publishing department: the organisation the disclosure's own headings and stamps name most."""
    votes: Counter[str] = Counter()
    for line in lines:
        line = line.strip()
        for (pattern, weight), needed in zip(_DEPT_PATTERNS, _DEPT_NEEDS, strict=True):
            if needed(line):
                for m in pattern.finditer(line):
                    votes[m.group(1)] += weight
    if not votes:
        return None
    # "现将元氏县医疗保障局" and "元氏县医疗保障局" are one vote-getter: credit the shortest suffix
    merged: Counter[str] = Counter()
    names = sorted(votes, key=len)
    for name in names:
        target = next((short for short in names if len(short) >= 4 and name.endswith(short)), name)
        merged[target] += votes[name]
    best, _ = max(merged.items(), key=lambda kv: (kv[1], len(kv[0])))
    return best


# cheap tests that a line could match each pattern at all
_DEPT_NEEDS = [
    lambda line: "预算" in line or "决算" in line,
    lambda line: "预算" in line or "决算" in line,
    lambda line: "部门" in line or "单位" in line,
    lambda line: len(line) <= 34,
]

_YEAR_PATTERNS = [
    re.compile(r"(20\d\d)\s*年度?\s*\S{0,4}?部门(?:预算|决算)"),
    re.compile(r"(20\d\d)\s*年度?\s*[\u4e00-\u9fff]{2,30}?(?:部门|单位)(?:预算|决算)"),
    re.compile(r"预算年度\s*[:：]\s*(20\d\d)"),
    re.compile(r"[（(]\s*(20\d\d)\s*年度?\s*[）)]"),
    re.compile(r"^\s*(20\d\d)\s*年度\s*$"),
]


def find_budget_year(lines: list[str]) -> int | None:
    votes: Counter[int] = Counter()
    for line in lines:
        if "20" not in line:
            continue
        for pattern in _YEAR_PATTERNS:
            for m in pattern.finditer(line):
                votes[int(m.group(1))] += 1
    if not votes:
        return None
    return max(votes.items(), key=lambda kv: (kv[1], kv[0]))[0]
