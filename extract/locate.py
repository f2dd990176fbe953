"""Where the performance-target tables are in a document, and what the document is.

A table starts at a short title line naming a 绩效目标 table and is confirmed by an
indicator column header (三级指标 / 指标名称 …) soon after; it ends at the next title or at
the next section heading.  A title repeated after a page break with no new project
identity is the same table continued (表14 in a Shenzhen disclosure spans five pages).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from extract.labels import fold, is_column_header, is_row_header

__all__ = [
    "TableSpan",
    "find_budget_year",
    "find_department",
    "find_tables",
    "is_page_furniture",
    "title_scope",
]

_MD = re.compile(r"^\s*(?:#{1,6}\s*|\*\*)")
# a title names a performance-target table: 项目支出绩效目标表, 一级项目支出绩效目标申报表,
# 项目绩效目标（部门预算）, 部门（单位）整体（支出）绩效目标表, "3、信息化建设绩效目标表" …
_TITLE = re.compile(
    r"绩效目标(?:申报|批复|设置|审核)?表$|绩效目标[（(][^）)]*[）)]$|绩效目标(?:申报|批复)?表[（(][^）)]*[）)]$"
)
# a bare heading ("三、项目绩效目标") is a title only when a table follows before the next title
_BARE_TITLE = re.compile(r"绩效目标$")
_SENTENCE = re.compile(r"[。，；;,]")
_DEPT_TITLE = re.compile(r"整体(?:支出)?绩效目标")
_TOC_LINE = re.compile(r"^[-*•]\s|[.…·]{3,}\s*\d+$|[（(]表\s*\d+[）)]$|详见")
_COLUMN_HEADER = re.compile(r"三级指标|指标名称|三级指|二级指标")
_SECTION = re.compile(
    r"^\s*(?:#{1,6}\s|第[一二三四五六七八九十百]+部分|[一二三四五六七八九十]+、|"
    r"[（(][一二三四五六七八九十]+[）)]|附件|附表)"
)
# page furniture: page numbers ("- 12 -", "第3页，共10页", "3/10"), table labels ("部门公开表9",
# "表14", "附表3", "续表"), the table's year and money unit repeated under a repeated title
_FURNITURE = re.compile(
    r"^(?:[-－—–~～]+\d{1,4}[-－—–~～]+|(?:共\d+页)?第\d+页(?:[,，/]?共\d+页)?|共\d+页|\d{1,4}/\d{1,4}|"
    r"\S*(?:公开|附|续)表[\d一二三四五六七八九十-]*|表\d+|[（(]?20\d\d年度?[）)]?|(?:金额)?单位[:：].*)$"
)
# a bare number is a page number in a tab table, but may be a wrapped value cell in PDF text
_BARE_NUMBER = re.compile(r"^\d+$")
_IDENTITY = re.compile(r"项目名称|项目编[码号]|部门[（(]单位[）)]\s*名称|单位名称|年度资金总额")


@dataclass
class TableSpan:
    """Line indices (0-based, end exclusive) of one table, with its continuation pages.

    ``titled`` is False for a table found by its indicator header alone: its first line
    (``title_index``) is then content, not a title.
    """

    title_index: int
    end: int
    title: str
    scope: str
    continuations: list[int] = field(default_factory=list)
    titled: bool = True


def _clean_title(line: str) -> str:
    return _MD.sub("", line).strip().strip("*").strip()


def is_page_furniture(line: str, *, bare_numbers: bool = True) -> bool:
    """Page labels, page numbers, repeated unit lines: the furniture of a page break."""
    if "\t" in line:
        return False  # a row of cells is content, however few survive
    s = fold(line)
    return bool(_FURNITURE.match(s) or (bare_numbers and _BARE_NUMBER.match(s)))


def title_scope(title: str) -> str:
    return "department" if _DEPT_TITLE.search(fold(title)) else "project"


def _is_title(line: str) -> bool:
    if "绩效目标" not in line:  # cheap test first: almost no line is a title
        return False
    s = fold(_clean_title(line))
    if not s or len(s) > 90 or "\t" in line.strip():
        return False
    if _TOC_LINE.search(line.strip()) or _TOC_LINE.search(s):
        return False
    return bool(_TITLE.search(s)) or (
        len(s) <= 40 and bool(_BARE_TITLE.search(s)) and not _SENTENCE.search(s)
    )


def _confirmed(lines: list[str], start: int, stop: int) -> bool:
    return any(_COLUMN_HEADER.search(fold(lines[j])) for j in range(start + 1, stop))


def _has_identity(lines: list[str], start: int, stop: int) -> bool:
    """Does a repeated title start a new table (its own name/code/funding fields) or continue one?"""
    for j in range(start + 1, stop):
        s = fold(lines[j])
        if not s or is_page_furniture(lines[j]):
            continue
        if _COLUMN_HEADER.search(s) and not _IDENTITY.search(s):
            return False
        if _IDENTITY.search(s):
            return True
        # first real content line decides: a task or indicator row continues the table
        return bool(re.match(r"^\d{0,8}\s*[\u4e00-\u9fff]{2,30}$", lines[j].strip())) and "\t" not in lines[j]
    return False


def find_tables(lines: list[str]) -> list[TableSpan]:
    titles = [i for i, line in enumerate(lines) if _is_title(line)]
    groups: list[list[int]] = []
    for k, i in enumerate(titles):
        nxt = titles[k + 1] if k + 1 < len(titles) else len(lines)
        same = groups and fold(_clean_title(lines[groups[-1][0]])) == fold(_clean_title(lines[i]))
        if same and not _has_identity(lines, i, nxt):
            groups[-1].append(i)  # the page-break repeat of the title above
        else:
            groups.append([i])
    spans: list[TableSpan] = []
    for k, group in enumerate(groups):
        stop = groups[k + 1][0] if k + 1 < len(groups) else len(lines)
        # a title with no indicator column header before the next table is a mention, not a table
        if not _confirmed(lines, group[0], stop):
            continue
        title = _clean_title(lines[group[0]])
        spans.append(
            TableSpan(group[0], _section_end(lines, group[0], stop), title, title_scope(title), group[1:])
        )
    return sorted(spans + _untitled_tables(lines, spans), key=lambda span: span.title_index)


_HEADER_CELL_SPLIT = re.compile(r"\t|\s{1,}")
_L3_CAPTION = re.compile(r"三级指标|^指标名称$")
_VALUE_CAPTION = re.compile(r"指标值|目标值")
_LOOKBACK = 30


def _is_header_row(line: str) -> bool:
    """A row of indicator column captions and nothing else (一级指标 二级指标 三级指标 指标值 …)."""
    if "指标" not in line:
        return False
    cells = [c for c in _HEADER_CELL_SPLIT.split(line.strip()) if c]
    folded = [fold(c) for c in cells]
    return (
        len(cells) >= 2
        and any(_L3_CAPTION.search(c) for c in folded)
        and any(_VALUE_CAPTION.search(c) for c in folded)
        and all(is_column_header(c) or is_row_header(c) for c in cells)
    )


def _untitled_tables(lines: list[str], spans: list[TableSpan]) -> list[TableSpan]:
    """Tables with no title line, found by their indicator header: they start at the 项目名称
    (or other identity) line above the header when there is one, else at the header."""
    covered = [(s.title_index, s.end) for s in spans]
    found: list[TableSpan] = []
    for j, line in enumerate(lines):
        if any(a <= j < b for a, b in covered) or not _is_header_row(line):
            continue
        start = j
        for k in range(j - 1, max(-1, j - _LOOKBACK), -1):
            if any(a <= k < b for a, b in covered) or _SECTION.match(lines[k]) or _is_header_row(lines[k]):
                break
            if _IDENTITY.search(fold(lines[k])):
                start = k
        nxt = min([a for a, _ in covered if a > j] + [len(lines)])
        end = _section_end(lines, start, nxt)
        scope = (
            "department" if any("部门(单位)名称" in fold(lines[k]) for k in range(start, j)) else "project"
        )
        span = TableSpan(start, end, "", scope, titled=False)
        found.append(span)
        covered.append((start, end))
    return found


def _section_end(lines: list[str], start: int, stop: int) -> int:
    """The table ends at the next section heading or another table's title (its own repeats
    after page breaks excepted); a table label just before the next title goes with it."""
    own = fold(_clean_title(lines[start]))
    end = stop
    for j in range(start + 1, stop):
        line = lines[j]
        if (_SECTION.match(line) or _is_title(line)) and fold(_clean_title(line)) != own:
            end = j
            break
    while end > start + 1 and (not lines[end - 1].strip() or _is_label_line(lines[end - 1])):
        end -= 1
    return end


def _is_label_line(line: str) -> bool:
    return bool(re.match(r"^(?:部门公开表|表)\s*\d+$", fold(line)))


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
