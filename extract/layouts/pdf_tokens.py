"""PDF text cut into pieces: the token stream both PDF-text layouts start from.

A block's lines are cut at spaces into pieces, page furniture is set aside, labels and
column headers are recognised by their words (also when split over lines: "一级指" / "标",
"社会效益指" / "标"), and everything else is content.  Widths and how a piece reads (like a
value or like a name) are measured here too, for the readers to weigh.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from extract.labels import fold, is_column_header, is_row_header, label_levels
from extract.layouts.base import Line
from extract.locate import is_page_furniture
from extract.records import Period, Unparsed

__all__ = ["Piece", "Token", "opens_value", "periods_of", "tokenize", "valueness", "width"]

# a title repeated after a page break is furniture too, not content
_TITLE_REPEAT = re.compile(r"绩效目标(申报|自评)?表|绩效目标[（(]部门预算[）)]")
_COMPARATOR_ONLY = re.compile(
    r"^(>=|<=|[≥≤><=＝≧≦＞＜]|约|不低于|不少于|不超过|不高于|不大于|不小于|大于|小于|达到)$"
)
_NUMBER = re.compile(r"^(>=|<=|[≥≤><=＝≧≦＞＜约])?\d[\d.,，]*$")
_DATE_HEAD = re.compile(r"^(>=|<=|[≥≤><=＝约])?\d{4}年(\d{1,2}月)?$")
_DATE_TAIL = re.compile(r"^\d{1,2}[月日]")
_UNIT = re.compile(r"^([%％‰℃]|[^\W\d_]{1,2})$")
_VALUE_START = re.compile(
    r"^(?:>=|<=|[≥≤><=＝≧≦＞＜]|约|不低于|不少于|不超过|不高于|不大于|不小于|大于|小于|达到|控制在|按|及时|每|\d)"
)
# how indicator names end; a cell ending so is a name (L3), not a target value
_NAME_END = re.compile(
    r"(率|(?<![季年])度|数|量|时间|进度|次数|人次|场次|成本|费用|水平|能力|机制|情况|人数|个数|金额|比例|规模|范围|时限|周期)$"
)
# how a target value in words opens or closes ("明显改善", "2024年底前", "按期完成"); a word in
# the middle says nothing: a cell cut in the wrong place keeps it too
_VALUE_OPENS = re.compile(
    r"^(全面|明显|显著|有效|逐步|逐年|持续|稳步|进一步|基本|大幅|有所|不断|确保|保持|按期|如期|长期|力争|"
    r"全部|较上年|同比|高于|低于|优于|验收)"
)
# a target value in one word
_VALUE_WORD = re.compile(
    r"^(完成|合格|达标|到位|通过|是|否|有|无|良好|优秀|满意|正常|稳定|有效|及时|提高|提升|改善|增强|降低|减少|增加)$"
)
_VALUE_CLOSES = re.compile(
    r"(以上|以下|以内|之内|前|完成|提高|提升|改善|增强|下降|降低|减少|增加|增长|达标|合格|到位|覆盖|通过|"
    r"稳定|有效|正常|规范|推进|完善|落实|明显|显著)$|\d\s*([%％‰]|万?元|[个次人家项所座台套件批期名辆户处场天])$"
)
_L3_HEADERS = {"三级指标", "指标名称", "指标内容"}
_L2_HEADERS = {"二级指标"}


def _is_furniture(text: str) -> bool:
    return is_page_furniture(text, bare_numbers=False) or bool(_TITLE_REPEAT.search(text))


@lru_cache(maxsize=65536)
def width(text: str) -> float:
    """Printed width in CJK character cells: wide characters 1, everything else half.

    CJK punctuation counts half too: typesetters compress it, so a full line holding
    "、" is wider in characters than one without.
    """
    w = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in "WF" and unicodedata.category(ch)[0] != "P":
            w += 1.0
        else:
            w += 0.5
    return w


def opens_value(text: str) -> bool:
    """Does a part open a target value with a comparator ("=", "≥", "不低于"; a name never does)?"""
    s = fold(text)
    return bool(_VALUE_START.match(s)) and not s[0].isdigit()


@lru_cache(maxsize=65536)
def valueness(text: str) -> float:
    """How much a cell reads like a target value (1) rather than an indicator name (-1)."""
    s = fold(text)
    if not s:
        return 0.0
    if _VALUE_WORD.match(s):
        return 1.0
    start = bool(_VALUE_START.match(s))
    name = bool(_NAME_END.search(s))
    if start and not name:
        return 1.0
    if name and not start:
        return -1.0
    return 0.5 * (bool(_VALUE_OPENS.match(s)) + bool(_VALUE_CLOSES.search(s)))


@dataclass(frozen=True)
class Piece:
    """A space-separated part of one line: ``first``/``last`` say where it sits on its line."""

    line: int
    text: str
    first: bool
    last: bool

    @property
    def width(self) -> float:
        return width(self.text)


@dataclass
class Token:
    """One or more pieces read together: a label (``level`` l1/l2), a column header, or content."""

    kind: str  # "label" | "header" | "content"
    pieces: list[Piece]
    levels: frozenset[str] = frozenset()
    level: str = ""

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)

    @property
    def line(self) -> int:
        return self.pieces[0].line


def _split_line(no: int, text: str) -> list[Piece]:
    parts = text.split()
    merged: list[str] = []
    for part in parts:
        if merged and _fragment_of(merged[-1], part):
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    n = len(merged)
    return [Piece(no, t, i == 0, i == n - 1) for i, t in enumerate(merged)]


def _fragment_of(before: str, part: str) -> bool:
    """Is ``part`` the rest of a value ``before`` started ("≥ 90%", "90 %", "2024年 6月底前")?"""
    b, p = fold(before), fold(part)
    if _COMPARATOR_ONLY.match(b):
        return True
    if _NUMBER.match(b):
        return bool(_UNIT.match(p)) and not label_levels(p)
    return bool(_DATE_HEAD.match(b) and _DATE_TAIL.match(p))


def _joinable(pieces: list[Piece], i: int, j: int) -> bool:
    """Can pieces i..j be one cell broken over lines (each later piece opening its line)?"""
    return all(pieces[k].first and pieces[k - 1].last for k in range(i + 1, j + 1))


_MAX_JOIN = 4


def tokenize(lines: list[Line]) -> tuple[list[Token], list[Unparsed]]:
    """The block as tokens in reading order, and the furniture lines set aside."""
    furniture: list[Unparsed] = []
    pieces: list[Piece] = []
    for no, text in lines:
        if not text.strip():
            continue
        if _is_furniture(text):
            furniture.append(Unparsed(no, text.strip(), "page furniture"))
            continue
        pieces.extend(_split_line(no, text))
    tokens: list[Token] = []
    i = 0
    while i < len(pieces):
        for j in range(min(i + _MAX_JOIN, len(pieces) - 1), i - 1, -1):
            if not _joinable(pieces, i, j):
                continue
            joined = "".join(p.text for p in pieces[i : j + 1])
            levels = label_levels(joined)
            if levels:
                tokens.append(Token("label", pieces[i : j + 1], levels))
                break
            if is_column_header(joined) or (j > i and is_row_header(joined)):
                tokens.append(Token("header", pieces[i : j + 1]))
                break
        else:
            tokens.append(Token("content", [pieces[i]]))
            j = i
        i = j + 1
    _resolve_levels(tokens)
    return tokens, furniture


def _resolve_levels(tokens: list[Token]) -> None:
    """Decide l1/l2 for labels that can be either (成本指标, 满意度指标) from their neighbours.

    Followed straight by another L2-capable label it heads a group (L1); right after an L1 it
    is that L1's sub-kind (L2); otherwise it stands before its rows, which makes it an L2
    under an L1 already stated, or an L1 where none is.
    """
    labels = [t for t in tokens if t.kind != "header"]
    seen_l1 = False
    for k, t in enumerate(labels):
        if t.kind != "label":
            continue
        if len(t.levels) == 1:
            t.level = next(iter(t.levels))
        else:
            prev = labels[k - 1] if k else None
            nxt = labels[k + 1] if k + 1 < len(labels) else None
            if prev is not None and prev.kind == "label" and prev.level == "l1":
                t.level = "l2"
            elif nxt is not None and nxt.kind == "label" and "l2" in nxt.levels:
                t.level = "l1"
            else:
                t.level = "l2" if seen_l1 else "l1"
        seen_l1 = seen_l1 or t.level == "l1"


def periods_of(tokens: list[Token]) -> tuple[Period, ...]:
    """Periods side by side: two when a header line repeats its L2/L3 columns (a header
    repeated after a page break repeats them on another line)."""
    per_line: dict[tuple[int, str], int] = {}
    for t in tokens:
        head = fold(t.text)
        kind = "l3" if head in _L3_HEADERS else "l2" if head in _L2_HEADERS else ""
        if t.kind == "header" and kind:
            per_line[(t.pieces[-1].line, kind)] = per_line.get((t.pieces[-1].line, kind), 0) + 1
    return ("midterm", "annual") if max(per_line.values(), default=0) >= 2 else (None,)
