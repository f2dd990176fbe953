"""The cell interpreter: which column every cell of an indicator block belongs to.

A row of an indicator table follows one grammar, whatever the layout:
``[L1] [L2] L3 [sign] value [unit] [weight] [actual] [score] [note]`` in the order the
header gives, where a cell merged over several rows (L1, L2, the project's own fields) is
written once and carried down.  The cells arrive as a stream (``extract.cells``): one per
line, several per line, glued pieces, or a real grid.  This module decodes the whole stream
at once as the best-scoring sequence of rows — a semi-Markov (Viterbi) decoder over the
header's columns — instead of guessing per layout:

* a cell scores for a column by its shape (``extract.shapes``) and its words (the
  framework's labels for L1/L2), and, in a grid, by sitting under that column's caption;
* moving on within a row skips the columns between (cheap for optional ones, dear for the
  L3 or the value); starting a new row skips the rest of the row and carries the merged
  columns down;
* pieces may join into one cell (a label wrapped over lines, glued pieces), at a cost that
  grows with the separator between them; a row starts where a line starts, or after a
  ``|`` border line, far more readily than inside a line;
* a cell that fits nowhere is junk (it becomes an unparsed record, with its line).

The result is a list of rows of (column, cells) — what :mod:`extract.records_from_rows`
turns into indicators — plus the junk.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache

from extract.cells import Tok
from extract.lexicon import caption_role, fold, label_levels, lexicon
from extract.schema import Column, Schema
from extract.shapes import (
    explanation,
    is_amount,
    is_comparator,
    is_direction,
    is_quantity,
    is_score,
    is_unit,
    nameness,
    numbered,
    valueness,
)

__all__ = ["Row", "Seg", "decode_rows", "emission"]

NEG = -1e9
INFEASIBLE = -8.0  # an emission at or below this is not considered at all
JUNK = 6.0  # a token that fits no column
ROW = 0.6  # starting a row
ROW_MIDLINE = 3.0  # starting a row inside a line that has separators
ROW_MIDGRID = 8.0  # a grid row opening after cells of its own that fit nowhere
ROW_GLUED = 1.5  # starting a row at an uncertain cut inside glued text
ROW_AFTER_BORDER = -2.0  # a `|` border line before the token: rows start there
CROSS_BORDER = 5.0  # a row running on across a `|` border line
CROSS_LINE = 1.0  # a row running on from or to a line of one cell
CROSS_ROWS = 3.0  # a row running on from one line of several cells to another
CUT = 1.5  # cutting glued text where nothing separates the pieces
CUT_DIGITS = 2.5  # cutting inside a run of digits
JOIN_LINE = 1.2  # one cell wrapped over two lines
JOIN_SPACE = (0.0, 0.7, 1.6)  # joining pieces of one line by the gap between them (glued, space, spaces)
ALIGNED = 2.0  # a grid cell under (or not under) the column's caption
MAX_JOIN = 8
MAX_LINES = 4  # a cell wrapped over lines: at most this many pieces
LABEL_JOIN = 3.0  # a whole framework label joined with more text
EXPLAINS = 0.8  # per unit of shapes.explanation: towards a description column, away from a name
BEAM = 12.0

# (skipped inside a row, carried down at a row's start, left empty at a row's end)
_SKIP: dict[str, tuple[float, float, float]] = {
    "rowhead": (0.0, 0.0, 0.0),
    "l1": (0.4, 0.1, 0.1),
    # inside a row, an L1 with no L2 after it: a new L1 cell starts a new L2 cell too
    "l2": (2.5, 0.1, 0.1),
    "l3": (4.0, 4.0, 2.0),
    "value": (2.5, 3.0, 2.0),
    "actual": (1.0, 1.0, 0.6),
    "comparator": (0.3, 0.3, 0.05),
    "unit": (0.3, 0.3, 0.05),
    "weight": (0.4, 0.4, 0.1),
    "score": (0.4, 0.4, 0.1),
    "description": (0.4, 0.4, 0.05),
    "basis": (0.3, 0.3, 0.05),
    "note": (0.2, 0.2, 0.0),
    "direction": (0.2, 0.2, 0.0),
    "seq": (0.1, 0.1, 0.0),
}
_IDENTITY_SKIP = (0.2, 0.05, 0.05)
_GROUP_SKIP = 2.0  # both the L3 and the value of one period group left empty
_LABEL_ROW = 1.5  # a row that ends after its labels


@dataclass
class Seg:
    """One cell: the tokens it is made of and the column it was given (-1: junk)."""

    toks: tuple[Tok, ...]
    column: int
    text: str
    new_row: bool = False

    @property
    def line(self) -> int:
        return self.toks[0].line


@dataclass
class Row:
    cells: dict[int, Seg] = field(default_factory=dict)  # column index -> cell

    @property
    def line(self) -> int:
        return min(s.line for s in self.cells.values())


_SEQ = re.compile(r"^(?:\d{1,3}|[一二三四五六七八九十]{1,3}|[(]\d{1,3}[)])[.、]?$")
_ORG_ENDS = (
    "局",
    "厅",
    "委",
    "院",
    "校",
    "学",
    "中心",
    "所",
    "站",
    "政府",
    "办",
    "部门",
    "会",
    "馆",
    "队",
    "处",
    "社",
    "机关",
)


class _Text:
    """What a cell's text looks like, each feature worked out once and only when asked."""

    def __init__(self, text: str) -> None:
        self.s = fold(text)

    @cached_property
    def levels(self) -> frozenset[str]:
        return label_levels(self.s)

    @cached_property
    def caption(self) -> str | None:
        return caption_role(self.s)[0]

    @cached_property
    def is_caption(self) -> bool:
        return self.caption is not None and len(self.s) <= 10

    @cached_property
    def value(self) -> float:
        return valueness(self.s)

    @cached_property
    def suffixed(self) -> bool:
        # a label with its suffix (满意度指标) is never anything else; a bare stem (满意度, 服务对象
        # 满意度) is a label less surely and may be a name
        return self.s.endswith(("指标", "值", ")", "目标"))


@cache
def _value_opens() -> tuple[str, ...]:
    shapes = lexicon().shapes
    return tuple(w for w in shapes["value_opens"] if len(w) >= 2 and not w.endswith(shapes["name_ends"]))


def _label(t: _Text, level: str) -> float:
    if level not in t.levels:
        return -9.0
    sure = 4.0 if t.suffixed else 2.5
    # 成本指标/满意度指标 are either; alone, they are more often the L2 under the L1 in force
    return sure - 0.4 if level == "l1" and "l2" in t.levels else sure


def _l3(t: _Text) -> float:
    s = t.s
    if is_quantity(s):
        return -9.0  # a bare number or measure is never an indicator's name
    # a note row ("目标设置说明", "备注") is no indicator; nor is the 指标 a label lost to a line break
    note = -3.0 if s.endswith(("说明", "备注")) or s.startswith(("注:", "说明:")) else 0.0
    if s.startswith(("指标", "目标")) and not numbered(s):
        note -= 2.0
    if len(s) == 1:
        note -= 3.0  # one character is a unit or a fragment, not a name
    if len(s) > 3 and s.endswith(_value_opens()):
        note -= 2.0  # "受益人口按计划": a name does not end where a value opens
    if len(s) >= 10:
        note -= EXPLAINS * explanation(s)  # "…占…的比例", "反映…": the explanation beside a name
    return (-5.0 if t.is_caption else 0.5) + note + nameness(s) - 0.3 * max(0.0, t.value)


def _explained(t: _Text) -> float:
    if len(t.s) == 1 or is_unit(t.s):
        return -2.0  # a unit alone is the rest of a value, never an explanation or a basis
    return (-5.0 if t.is_caption else 0.3) - 0.3 * max(0.0, t.value) + EXPLAINS * explanation(t.s)


_ROLE_SCORES: dict[str, Callable[[_Text], float]] = {
    "l1": lambda t: _label(t, "l1"),
    "l2": lambda t: _label(t, "l2"),
    # the merged cell on the left of the indicator rows, seldom written beside them
    "rowhead": lambda t: 0.5 if t.caption == "rowhead" else -9.0,
    "l3": _l3,
    "value": lambda t: t.value - (3.0 if t.is_caption else 0.0),
    "actual": lambda t: max(t.value, 0.5) if len(t.s) > 15 else t.value,
    "comparator": lambda t: 4.0 if is_comparator(t.s) else -9.0,
    "unit": lambda t: 3.5 if is_unit(t.s) else -9.0,
    "weight": lambda t: 3.0 if is_score(t.s) else -9.0,
    "score": lambda t: 3.0 if is_score(t.s) else -9.0,
    "direction": lambda t: 4.0 if is_direction(t.s) else -9.0,
    "description": _explained,
    "basis": _explained,
    "note": lambda t: (-5.0 if t.is_caption else 0.3) - 0.3 * max(0.0, t.value),
    "total": lambda t: 3.0 if is_amount(t.s) else -9.0,
    "fiscal": lambda t: 3.0 if is_amount(t.s) else -9.0,
    "other": lambda t: 3.0 if is_amount(t.s) else -9.0,
    "unitname": lambda t: 1.5 if t.s.endswith(_ORG_ENDS) else -1.0,
    "name": lambda t: -9.0 if is_amount(t.s) or t.is_caption else 0.5 - 0.5 * max(0.0, t.value),
    "code": lambda t: 2.0 if t.s.replace("-", "").isalnum() and any(c.isdigit() for c in t.s) else -9.0,
    "goal": lambda t: 1.0 if len(t.s) >= 10 else -2.0,
    "task": lambda t: 0.0,
    "seq": lambda t: 2.5 if _SEQ.match(t.s) else -9.0,
}


def _score(t: _Text, role: str) -> float:
    if not t.s:
        return NEG
    if role not in ("l1", "l2") and t.levels:
        # a label with its suffix is nothing else; a bare stem may be a name
        return -9.0 if t.suffixed or role != "l3" else -0.5
    score = _ROLE_SCORES.get(role)
    return score(t) if score is not None else -9.0


@lru_cache(maxsize=1 << 17)
def emission(text: str, role: str) -> float:
    """How well a cell's text fits a column of ``role`` (log-odds-like; ≤ INFEASIBLE: never)."""
    return _score(_Text(text), role)


@lru_cache(maxsize=1 << 16)
def _whole_label(text: str) -> bool:
    """A framework label with its 指标/值 suffix: a cell by itself."""
    s = fold(text)
    return bool(label_levels(s)) and s.endswith(("指标", "值", ")"))


def _skip(column: Column) -> tuple[float, float, float]:
    return _SKIP.get(column.role, _IDENTITY_SKIP)


def _transitions(schema: Schema) -> tuple[list[list[float]], list[float], list[float]]:
    """Costs of moving from column a to column b in one row, of ending a row after column a,
    and of starting a row at column b."""
    cols = schema.columns
    n = len(cols)
    skips = [_skip(c) for c in cols]
    within = [[math.inf] * n for _ in range(n)]
    for a in range(n):
        for b in range(a + 1, n):
            between = range(a + 1, b)
            cost = sum(skips[k][0] for k in between)
            # a whole period group left empty (the 长期 side of a table that fills only 年度)
            for g in {cols[k].group for k in between}:
                core = [k for k in between if cols[k].group == g and cols[k].role in ("l3", "value")]
                if {cols[k].role for k in core} == {"l3", "value"}:
                    cost += _GROUP_SKIP - sum(skips[k][0] for k in core)
            within[a][b] = max(cost, 0.0)
    end = [sum(skips[k][2] for k in range(a + 1, n)) for a in range(n)]
    # a row of labels alone: an L2 whose section the form left empty (经济效益指标 with no rows);
    # a row of project fields alone: a unit's subtotal line in a flat table
    for a in range(n):
        if cols[a].role in ("l1", "l2", "rowhead") or cols[a].role not in _SKIP:
            end[a] = min(end[a], _LABEL_ROW)
    start = [sum(skips[k][1] for k in range(b)) for b in range(n)]
    return within, end, start


def _alignments(tok: Tok, cols: list[Column], width: int) -> list[float] | None:
    """The alignment bonus of a token for each column, or None where position says nothing."""
    if tok.col is None or not any(c.col is not None for c in cols):
        return None
    return [_aligned(tok, c, width) for c in cols]


def _aligned(tok: Tok, column: Column, width: int) -> float:
    if column.col is None or tok.col is None:
        return 0.0
    if tok.route != "grid" and not (tok.route in ("tab", "pipe") and width and tok.width == width):
        return 0.0
    weight = ALIGNED if tok.route == "grid" else ALIGNED / 4  # text tables lose and shift cells
    return weight if column.col <= tok.col < column.col + max(1, column.span) else -weight


def _pair_cost(prev: Tok, t: Tok) -> float:
    """Cost of reading two neighbouring tokens as pieces of one cell, or inf when they cannot be."""
    if (t.route == "grid" and t.gap >= 3) or t.border:
        return math.inf
    if t.line != prev.line:
        if not (t.first and prev.last) or t.line - prev.line > 2:
            return math.inf
        # a tab row is a row: its cells do not run on to the next line; a pipe cell broken by
        # a line break leaves its rest alone at the start of the next line
        if t.route == "tab" or (t.route == "pipe" and not (t.col == 0 and t.last)) or prev.closed:
            return math.inf
        # a whole number or measure ends its cell: "100%" does not wrap onto the next line
        return JOIN_LINE + (4.0 if is_quantity(prev.text) else 0.0)
    if t.gap >= 3:
        return math.inf
    return 0.0 if t.inner else JOIN_SPACE[t.gap]


def _start_cost(toks: list[Tok], i: int, new_row: bool) -> float:
    """What it costs for a cell to start at toks[i], opening a row or going on with one."""
    if i == 0:
        return 0.0
    t, prev = toks[i], toks[i - 1]
    cost = 0.0
    if t.line == prev.line and (t.gap == 0 or t.inner):
        both_digits = prev.text[-1:].isdigit() and t.text[:1].isdigit()
        cost += CUT_DIGITS if both_digits else CUT
    border = t.border
    if new_row:
        if t.route == "grid" and not t.first:
            return ROW_MIDGRID
        if border:
            cost += ROW_AFTER_BORDER
        elif t.line == prev.line and t.gap > 0 and t.route != "glued":
            cost += ROW_MIDLINE
        elif t.line == prev.line and t.gap == 0:
            cost += ROW_GLUED  # glued rows start where a certain cut is
        return cost + ROW
    if t.line != prev.line:
        if t.route == "grid":
            return math.inf
        if border:
            cost += CROSS_BORDER
        elif not (t.first and t.last) and not (prev.first and prev.last):
            cost += CROSS_ROWS  # both lines hold several cells: each is a row of its own
        elif not (t.first and t.last) or not (prev.first and prev.last):
            cost += CROSS_LINE
    return cost


Back = tuple[int, int, int, bool]  # (start token, previous column, column, opens a row)


class _Exits:
    """From the states at one token boundary: the best way into a column within a row (worked
    out for the columns asked about only), and the best way to close a row (the same for every
    column a new row starts at)."""

    __slots__ = ("_into", "closed", "opened", "same", "scores", "within")

    def __init__(
        self,
        scores: dict[int, tuple[float, Back | None]],
        within: list[list[float]],
        end_cost: list[float],
        same: float,
        opened: float,
    ) -> None:
        self.scores, self.within, self.same, self.opened = scores, within, same, opened
        self._into: dict[int, tuple[float, int]] = {}
        best, arg = NEG, -1
        for a, (score, _) in scores.items():
            close = score - (end_cost[a] if a >= 0 else 0.0)
            if close > best:
                best, arg = close, a
        self.closed = (best, arg)

    def into(self, b: int) -> tuple[float, int]:
        found = self._into.get(b)
        if found is None:
            best, arg = NEG, -1
            for a, (score, _) in self.scores.items():
                if 0 <= a < b:
                    cand = score - self.within[a][b]
                    if cand > best:
                        best, arg = cand, a
            self._into[b] = found = (best, arg)
        return found


def decode_rows(toks: list[Tok], schema: Schema) -> tuple[list[Row], list[Seg]]:
    """The best reading of ``toks`` as rows of ``schema``'s columns, and the junk cells."""
    toks = [t for t in toks if not t.merged and t.text]
    n, cols = len(toks), schema.columns
    if not n or not cols:
        return [], [Seg((t,), -1, t.text) for t in toks]
    within, end_cost, start_col = _transitions(schema)
    width = schema.width
    roles = tuple(c.role for c in cols)
    labels = [r in ("l1", "l2") for r in roles]
    # best[j]: state (column of the cell ending at token j, -1 before any) -> (score, back)
    best: list[dict[int, tuple[float, Back | None]]] = [{} for _ in range(n + 1)]
    best[0][-1] = (0.0, None)
    exits: list[_Exits | None] = [None] * (n + 1)
    exits[0] = _Exits(best[0], within, end_cost, 0.0, 0.0)
    # what joining each token to the next costs, and which tokens are whole labels
    pair = [_pair_cost(toks[k], toks[k + 1]) for k in range(n - 1)]
    whole = [_whole_label(t.text) for t in toks]
    seen: dict[tuple[int | None, str, int], list[float] | None] = {}
    aligns = []
    for t in toks:
        key = (t.col, t.route, t.width)
        if key not in seen:
            seen[key] = _alignments(t, cols, width)
        aligns.append(seen[key])
    for j in range(1, n + 1):
        here: dict[int, tuple[float, Back | None]] = {}
        # junk: the token fits nowhere; the state stays
        for a, (score, _) in best[j - 1].items():
            here[a] = (score - JUNK, (j - 1, a, -1, False))
        join, text, has_label = 0.0, "", False
        for m in range(1, min(MAX_JOIN, j) + 1):
            i = j - m
            if m > 1:
                join += pair[i]
                if join == math.inf or (m > MAX_LINES and toks[i].line != toks[j - 1].line):
                    break
                text = _glue(toks[i], toks[i + 1], text)
            else:
                text = toks[i].text
            has_label = has_label or whole[i]
            ex = exits[i]
            if ex is None:
                continue
            # a piece that is a framework label on its own joins nothing but the rest of a label
            cost = join + (LABEL_JOIN if m > 1 and has_label else 0.0)
            aligned = aligns[i]
            for b, e in _feasible(text, roles):
                joined = cost
                if m > 1 and labels[b]:
                    # pieces that join into a framework label are a label wrapped over lines
                    joined = max(0.0, cost * 0.25 - LABEL_JOIN)
                e += (aligned[b] if aligned else 0.0) - joined
                score, a = ex.into(b)
                cand = score + e - ex.same
                old = here.get(b)
                if old is None or cand > old[0]:
                    here[b] = old = (cand, (i, a, b, False))
                if ex.opened != math.inf:
                    score, a = ex.closed
                    cand = score + e - start_col[b] - ex.opened
                    if cand > old[0]:
                        here[b] = (cand, (i, a, b, True))
        if len(here) > 4:
            top = max(v[0] for v in here.values())
            here = {k: v for k, v in here.items() if v[0] >= top - BEAM}
        best[j] = here
        if j < n and here:
            exits[j] = _Exits(here, within, end_cost, _start_cost(toks, j, False), _start_cost(toks, j, True))
    final = max(best[n].items(), key=lambda kv: kv[1][0] - (end_cost[kv[0]] if kv[0] >= 0 else 0.0))
    return _backtrack(toks, best, final[0])


@lru_cache(maxsize=1 << 16)
def _feasible(text: str, roles: tuple[str, ...]) -> tuple[tuple[int, float], ...]:
    """The columns a text may sit in, with its emission for each (the text looked at once)."""
    t = _Text(text)
    return tuple((b, e) for b, role in enumerate(roles) if (e := _score(t, role)) > INFEASIBLE)


def _glue(a: Tok, b: Tok, rest: str) -> str:
    """Token ``a`` joined to ``rest`` (which starts with token ``b``): a space only between Latin words."""
    x, y = a.text[-1:], b.text[:1]
    sep = (
        " " if b.inner or (x.isascii() and x.isalnum() and y.isascii() and y.isalnum() and b.gap > 0) else ""
    )
    return a.text + sep + rest


def _joined(toks: list[Tok], i: int, j: int) -> str:
    text = toks[i].text
    for k in range(i + 1, j):
        a, b = text[-1:], toks[k].text[:1]
        latin = a.isascii() and a.isalnum() and b.isascii() and b.isalnum() and toks[k].gap > 0
        sep = " " if toks[k].inner or latin else ""
        text += sep + toks[k].text
    return text


def _backtrack(
    toks: list[Tok], best: list[dict[int, tuple[float, Back | None]]], state: int
) -> tuple[list[Row], list[Seg]]:
    segs: list[Seg] = []
    j = len(toks)
    while j > 0:
        _, back = best[j][state]
        assert back is not None
        i, prev, column, new_row = back
        segs.append(Seg(tuple(toks[i:j]), column, _joined(toks, i, j), new_row))
        j, state = i, prev
    segs.reverse()
    rows: list[Row] = []
    junk: list[Seg] = []
    for seg in segs:
        if seg.column < 0:
            junk.append(seg)
            continue
        if seg.new_row or not rows:
            rows.append(Row())
        rows[-1].cells[seg.column] = seg
    return rows, junk
