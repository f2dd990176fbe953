"""Indicator blocks of PDF-converted text whose cells are separated by spaces, not tabs.

Two layouts come out of PDF converters:

* wrapped cells (``000``): every cell is broken over several lines at its column's width,
  cells that share a baseline land on one line separated by a space, labels are split
  ("一级指" / "标", "社会效益指" / "标") and a two-period table (中期 left, 年度 right) runs
  through the same lines.  Read by :mod:`extract.layouts.pdf_cells`.
* line rows (``001``): one row per line, the L1/L2 labels alone on a line or inline before
  the L3, and the value the last space-separated part(s) of the line.

Both start from the same token stream: the block's lines cut at spaces into pieces, page
furniture set aside, labels and column headers recognised by their words (also when split
over lines), and everything else content.  Which layout a block is in is read off that
stream: rows hold two or more content pieces on (nearly) every line, wrapped cells leave
many lines holding a single piece.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from extract.labels import fold, is_column_header, is_row_header, label_levels
from extract.layouts.base import BlockResult, Line, account_for
from extract.records import Indicator, Period, Unparsed

__all__ = ["Piece", "Token", "read_text_block", "tokenize", "valueness"]

# page furniture a table crossing a page break carries: page numbers, the 公开表 tag, a
# repeated table title; never content of an indicator
_FURNITURE = [
    re.compile(r"^[-－—–~～]+\s*\d{1,4}\s*[-－—–~～]+$"),
    re.compile(r"^第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?$"),
    re.compile(r"^\d{1,4}\s*/\s*\d{1,4}$"),
    re.compile(r"^(共\s*\d+\s*页\s*)?第\s*\d+\s*页$"),
    re.compile(r"^\S*(公开|附|续)表\s*[\d一二三四五六七八九十-]*$"),
    re.compile(r"绩效目标(申报|自评)?表"),
    re.compile(r"绩效目标[（(]部门预算[）)]"),
    re.compile(r"^[（(]\s*\d{4}\s*年度?\s*[）)]$"),
    re.compile(r"^(金额)?单位[:：]"),
]
_COMPARATOR_ONLY = re.compile(r"^(>=|<=|[≥≤><=＝≧≦＞＜]|约|不低于|不少于|不超过|不高于|不大于|不小于|大于|小于|达到)$")
_NUMBER = re.compile(r"^(>=|<=|[≥≤><=＝≧≦＞＜约])?\d[\d.,，]*$")
_DATE_HEAD = re.compile(r"^(>=|<=|[≥≤><=＝约])?\d{4}年(\d{1,2}月)?$")
_DATE_TAIL = re.compile(r"^\d{1,2}[月日]")
_UNIT = re.compile(r"^([%％‰℃]|[^\W\d_]{1,2})$")
_VALUE_START = re.compile(
    r"^(?:>=|<=|[≥≤><=＝≧≦＞＜]|约|不低于|不少于|不超过|不高于|不大于|不小于|大于|小于|达到|控制在|按|及时|每|\d)"
)
# how indicator names end; a cell ending so is a name (L3), not a target value
_NAME_END = re.compile(
    r"(率|度|数|量|时间|进度|次数|人次|场次|成本|费用|水平|能力|机制|情况|人数|个数|金额|比例|规模|范围|时限|周期)$"
)
# how a target value in words opens or closes ("明显改善", "2024年底前", "按期完成"); a word in
# the middle says nothing: a cell cut in the wrong place keeps it too
_VALUE_OPENS = re.compile(
    r"^(全面|明显|显著|有效|逐步|逐年|持续|稳步|进一步|基本|大幅|有所|不断|确保|保持|按期|如期|长期|力争|"
    r"全部|较上年|同比|高于|低于|优于|验收)"
)
# a target value in one word
_VALUE_WORDS = frozenset(
    "完成 合格 达标 到位 通过 是 否 有 无 良好 优秀 满意 正常 稳定 有效 及时 提高 提升 改善 增强 降低 减少 增加".split()
)
_VALUE_CLOSES = re.compile(
    r"(以上|以下|以内|之内|前|完成|提高|提升|改善|增强|下降|降低|减少|增加|增长|达标|合格|到位|覆盖|通过|"
    r"稳定|有效|正常|规范|推进|完善|落实|明显|显著)$|\d\s*([%％‰]|万?元|[个次人家项所座台套件批期名辆户处场天])$"
)
_L3_HEADERS = {"三级指标", "指标名称", "指标内容"}
_L2_HEADERS = {"二级指标"}


def _is_furniture(text: str) -> bool:
    s = text.strip()
    return any(p.search(s) for p in _FURNITURE)


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


def valueness(text: str) -> float:
    """How much a cell reads like a target value (1) rather than an indicator name (-1)."""
    s = fold(text)
    if not s:
        return 0.0
    if s in _VALUE_WORDS:
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
    """Periods side by side: two when the header repeats its L2/L3 columns."""
    heads = [fold(t.text) for t in tokens if t.kind == "header"]
    n = max(sum(h in _L3_HEADERS for h in heads), sum(h in _L2_HEADERS for h in heads))
    return ("midterm", "annual") if n >= 2 else (None,)


def _is_wrapped(tokens: list[Token]) -> bool:
    """Wrapped cells split labels over lines ("产出" / "指标") and leave many lines holding a
    single content piece; line rows keep every label whole and hold two or more per line."""
    if any(t.kind == "label" and t.pieces[-1].line != t.line for t in tokens):
        return True
    per_line: dict[int, int] = {}
    for t in tokens:
        if t.kind == "content":
            per_line[t.line] = per_line.get(t.line, 0) + 1
    if not per_line:
        return False
    single = sum(1 for n in per_line.values() if n == 1)
    return single / len(per_line) > 0.3


def read_text_block(lines: list[Line]) -> BlockResult:
    """Read an indicator block of space-separated PDF text (wrapped cells or line rows)."""
    from extract.layouts.pdf_cells import read_cells

    tokens, furniture = tokenize(lines)
    periods = periods_of(tokens)
    reader = read_cells if _is_wrapped(tokens) else read_rows
    indicators, leftovers = reader(tokens, periods)
    result = BlockResult(indicators=indicators, unparsed=furniture)
    for t in tokens:
        result.used.update(p.line for p in t.pieces)
    for piece, reason in leftovers:
        result.unparsed.append(Unparsed(piece.line, piece.text, reason))
    return account_for(lines, result)


# ---------------------------------------------------------------- line rows (layout 2)


def _value_start(parts: list[Piece]) -> int:
    """Index where the value begins among a row's content parts: the last part, plus the parts
    before it that are pieces of the same value ("=", "2021年" before "12月31日前")."""
    k = len(parts) - 1
    while k > 1:
        before, here = fold(parts[k - 1].text), fold(parts[k].text)
        # a name never opens with a comparator; a bare number or year runs on into its unit/date
        compared = bool(_VALUE_START.match(before)) and not before[0].isdigit()
        numeric = bool(re.match(r"^\d[\d.,]*[年月]?$", before)) and bool(re.match(r"^[\d%％]", here))
        if compared or numeric:
            k -= 1
        else:
            break
    return k


def _segments(line_tokens: list[Token], periods: int) -> list[tuple[list[Token], list[Piece]]]:
    """Cut a line into (labels, content parts) segments; a label after content opens a new one."""
    segs: list[tuple[list[Token], list[Piece]]] = []
    labels: list[Token] = []
    parts: list[Piece] = []
    for t in line_tokens:
        if t.kind == "header":
            continue
        if t.kind == "label":
            if parts:
                segs.append((labels, parts))
                labels, parts = [], []
            labels.append(t)
        else:
            parts.extend(t.pieces)
    if labels or parts:
        segs.append((labels, parts))
    if periods == 2 and len(segs) == 1 and len(segs[0][1]) == 4:
        # the L2 merged across both periods: L3 value L3 value
        labels, parts = segs[0]
        segs = [(labels, parts[:2]), ([], parts[2:])]
    return segs


def read_rows(
    tokens: list[Token], periods: tuple[Period, ...]
) -> tuple[list[Indicator], list[tuple[Piece, str]]]:
    """One row per line: labels set the context, the content parts are an L3 and its value."""
    by_line: dict[int, list[Token]] = {}
    for t in tokens:
        by_line.setdefault(t.line, []).append(t)
    l1: str | None = None
    l2: list[str | None] = [None] * len(periods)
    out: list[Indicator] = []
    leftovers: list[tuple[Piece, str]] = []
    pending: list[Piece] = []  # a name alone on its line, continued by the next row's L3
    for no in sorted(by_line):
        for s, (labels, parts) in enumerate(_segments(by_line[no], len(periods))):
            p = min(s, len(periods) - 1)
            for lab in labels:
                if lab.level == "l1":
                    l1, l2 = lab.text, [None] * len(periods)
                else:
                    l2[p] = lab.text
            if labels and pending:
                leftovers.extend((x, "name without a value") for x in pending)
                pending = []
            if not parts:
                continue
            if len(parts) == 1 and valueness(parts[0].text) <= 0:
                pending.append(parts[0])
                continue
            if len(parts) == 1 and not pending:
                leftovers.append((parts[0], "value without a name"))
                continue
            name = pending + parts[: _value_start(parts)] if len(parts) > 1 else pending
            value = parts[_value_start(parts) :] if len(parts) > 1 else parts
            pending = []
            l3 = "".join(x.text for x in name if x.line != name[-1].line) + " ".join(
                x.text for x in name if x.line == name[-1].line
            )
            out.append(
                Indicator(
                    l1=l1,
                    l2=l2[p],
                    l3=l3.strip(),
                    value=" ".join(x.text for x in value).strip() or None,
                    line=name[0].line,
                    period=periods[p],
                )
            )
    leftovers.extend((x, "name without a value") for x in pending)
    return out, leftovers
