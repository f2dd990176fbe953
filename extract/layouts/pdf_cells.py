"""Pieces of PDF text joined back into cells: the wrapped-cell layout (``000``), where every cell is broken over lines at its
column's width.  The converter writes a row's cells one after another in column order,
each cell's lines together, and puts cells sharing a baseline on one line separated by a
space.  So between two labels lies a run of pieces that is some number of (L3, value)
cells, and the reader has to find where one cell ends and the next begins.

What decides it is how fixed-width columns wrap: a wrapped cell's lines all have the
column's width except the last, which is shorter; a cell that fits on one line is no wider
than the column.  Each run is cut by dynamic programming into cells that obey that, with
costs for a wrapped cell whose width differs from its column's, an unwrapped cell wider
than it, neighbours whose sharing a line contradicts the row's vertical alignment, and,
lighter, a value cell that reads like a name or an L3 cell that reads like a value.  The
column widths are not known beforehand: they are estimated from the cuts (the median width
of the wrapped cells in each column) and the cuts redone until both agree; the vertical
alignment (centred or top) is whichever explains the text at less cost.  Two-period tables
(中期 left, 年度 right) alternate the periods pair by pair, each with its own columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from extract.layouts.pdf_tokens import Piece, Token, valueness
from extract.records import Indicator, Period

__all__ = ["read_cells"]

# how far a wrapped line may stray from its column's width: kinsoku moves a character to
# the next line, compressed punctuation lets one more in
TOL = 1.0
SEMANTIC = 0.5  # weight of "reads like a value / a name", against widths in characters
SLACK = 0.5  # a wrapped line this close to its column's width is at it
FULL = 0.1  # a one-line cell exactly as wide as its column (it may be a wrapped line)
SHORT = 0.4  # a cell of one character
DEVIATION = 1.0  # per character a middle line of a wrapped cell strays from its first
GEOMETRY = 2.0  # neighbours of one row on one line although not both one-line, or apart though they are
MERGED = 0.5  # a one-line L3 apart from its one-line L2: the L2 may be merged over rows
EPSILON = 0.01
ODD = 3.0  # a run that ends with a name and no value
MAX_LINES = 12

_NO_START = re.compile(r"^[%％‰）)」』】、，,。．：:；;！？]")

Column = tuple[str, int]  # ("l3" | "value", period index)
Widths = dict[Column, tuple[float | None, float]]  # column -> (wrap width or None, widest one-line cell)


@dataclass
class _Run:
    labels: list[Token]
    pieces: list[Piece]
    # (start, end, column kind) -> the cell's width-free cost: the same in every re-cut
    shapes: dict[tuple[int, int, str], tuple[float, list[float]] | None] = field(default_factory=dict)


def _runs(tokens: list[Token]) -> list[_Run]:
    runs: list[_Run] = []
    labels: list[Token] = []
    pieces: list[Piece] = []
    for t in tokens:
        if t.kind == "header":
            continue
        if t.kind == "label":
            if pieces:
                runs.append(_Run(labels, pieces))
                labels, pieces = [], []
            labels.append(t)
        else:
            pieces.extend(t.pieces)
    if labels or pieces:
        runs.append(_Run(labels, pieces))
    return runs


def _lead(run: _Run) -> bool | None:
    """Whether the L2 label opening the run fits one line; None when no L2 label opens it."""
    if not run.labels or run.labels[-1].level != "l2":
        return None
    label = run.labels[-1]
    return label.pieces[-1].line == label.line


def _continues(prev: Piece, nxt: Piece) -> bool:
    return prev.last and nxt.first


def _cell_shape(cell: list[Piece], kind: str) -> tuple[float, list[float]] | None:
    """The part of a cell's cost that does not depend on the column widths, with its line
    widths; None when wrapping forbids reading ``cell`` as one cell."""
    ws = [p.width for p in cell]
    w0 = ws[0]
    if any(abs(w - w0) > TOL for w in ws[1:-1]) or (len(ws) > 1 and ws[-1] > w0 + TOL):
        return None
    # lines of one wrapped cell keep one width; a last line longer than the first happens
    # only when kinsoku shortened the first
    cost = DEVIATION * sum(abs(w - w0) for w in ws[1:-1])
    cost += max(0.0, ws[-1] - w0) if len(ws) > 1 else 0.0
    if _NO_START.match(cell[0].text):
        cost += GEOMETRY  # "%", "）", "、" never open a cell: they are the rest of the one before
    v = valueness("".join(p.text for p in cell))
    cost += SEMANTIC * (-v if kind == "value" else v)
    if sum(ws) <= 1.0 and v <= 0:
        cost += SHORT  # one character alone is far likelier a wrapped remnant than a whole cell
    return cost, ws


def _cell_cost(shape: tuple[float, list[float]] | None, column: Column, widths: Widths) -> float | None:
    """Cost of reading a cell of that shape as one cell of ``column``; None when wrapping forbids it."""
    if shape is None:
        return None
    cost, ws = shape
    w0 = ws[0]
    col_width, widest_single = widths.get(column, (None, 0.0))
    if col_width is not None:
        if len(ws) > 1:
            cost += max(0.0, abs(w0 - col_width) - SLACK)
        elif w0 > col_width + TOL:
            cost += w0 - col_width
        elif w0 >= col_width - SLACK:
            cost += FULL  # a one-line cell as wide as its column may as well be a wrapped one
    if len(ws) > 1:
        # a column wraps no narrower than its widest one-line cell
        cost += max(0.0, widest_single - TOL - w0)
    return cost


def _geometry(align: str, joined: bool, before_single: bool | None, single: bool, lead: bool) -> float:
    """Cost of a cell's first line sharing (or not) the line of the cell before it in its row.

    Centred cells sit on one baseline exactly when both fit on one line; top-aligned ones
    whenever the cell before fits on one.  An L2 stated once for several rows (``lead``)
    may sit apart from its first row whatever their heights.
    """
    if before_single is None:
        return 0.0
    expected = before_single and (single or align == "top")
    if joined == expected:
        return 0.0
    return MERGED if lead and not joined else GEOMETRY


def _cut(
    run: _Run, phase: int, periods: int, widths: Widths, lead: bool | None, align: str
) -> tuple[float, list[list[Piece]]]:
    """The cheapest cut of a run into cells alternating L3, value (periods alternating by pair).

    ``lead`` says whether the L2 label right before the run fits one line (None: no L2 there).
    """
    pieces, shapes = run.pieces, run.shapes
    n = len(pieces)
    cycle = 2 * periods
    # state: (pieces consumed, cells made modulo a row's cycle, last cell on one line)
    State = tuple[int, int, bool]
    best: dict[State, tuple[float, State | None]] = {(0, 0, False): (0.0, None)}
    costs: dict[tuple[int, int, Column], float | None] = {}
    for i in range(n):
        joined = not pieces[i].first
        for k in range(cycle):
            for single_before in (False, True):
                here = (i, k, single_before)
                if here not in best:
                    continue
                base = best[here][0]
                half = (phase + k // 2) % periods
                column: Column = ("l3" if k % 2 == 0 else "value", half)
                for j in range(i + 1, min(n, i + MAX_LINES) + 1):
                    if j - 1 > i and not _continues(pieces[j - 2], pieces[j - 1]):
                        break
                    if (i, j, column) not in costs:
                        if (i, j, column[0]) not in shapes:
                            shapes[(i, j, column[0])] = _cell_shape(pieces[i:j], column[0])
                        costs[(i, j, column)] = _cell_cost(shapes[(i, j, column[0])], column, widths)
                    cost = costs[(i, j, column)]
                    if cost is None:
                        continue
                    single = j == i + 1
                    if i == 0:
                        cost += _geometry(align, joined, lead, single, lead=True)
                    elif k % 2:
                        cost += _geometry(align, joined, single_before, single, lead=False)
                    else:
                        if half == 0 and joined:
                            cost += GEOMETRY  # a new row starts on a new line
                        if periods > 1:
                            cost += MERGED  # two-period tables repeat the L2 before every pair
                    cost += EPSILON  # of two equal readings, the one with fewer cells
                    key = (j, (k + 1) % cycle, single)
                    if key not in best or base + cost < best[key][0]:
                        best[key] = (base + cost, here)
    ends = [(cost + (ODD if k % 2 else 0.0), (j, k, sb)) for (j, k, sb), (cost, _) in best.items() if j == n]
    if not n or not ends:
        return ODD * n, [[p] for p in pieces]
    total, end = min(ends)
    state: State | None = end
    cells: list[list[Piece]] = []
    while state is not None and state[0]:
        back = best[state][1]
        assert back is not None
        cells.append(pieces[back[0] : state[0]])
        state = back
    return total, cells[::-1]


def _estimate(plans: list[tuple[int, list[list[Piece]]]], periods: int) -> Widths:
    """Per column: the median width of its wrapped cells (None without any), and its widest
    one-line cell."""
    wrapped: dict[Column, list[float]] = {}
    single: dict[Column, float] = {}
    for phase, cells in plans:
        for c, cell in enumerate(cells):
            column = ("l3" if c % 2 == 0 else "value", (phase + c // 2) % periods)
            if len(cell) > 1:
                wrapped.setdefault(column, []).append(cell[0].width)
            else:
                single[column] = max(single.get(column, 0.0), cell[0].width)
    columns = set(wrapped) | set(single)
    return {
        col: (float(median(wrapped[col])) if col in wrapped else None, single.get(col, 0.0))
        for col in columns
    }


def _plan(
    runs: list[_Run], periods: int, widths: Widths, align: str
) -> tuple[float, list[tuple[int, list[list[Piece]]]]]:
    plans = []
    total = 0.0
    phase = 0
    for run in runs:
        cost, cells = _cut(run, phase, periods, widths, _lead(run), align) if run.pieces else (0.0, [])
        total += cost
        plans.append((phase, cells))
        phase = (phase + len(cells) // 2) % periods
    return total, plans


def _settle(runs: list[_Run], periods: int, align: str) -> tuple[float, list[tuple[int, list[list[Piece]]]]]:
    """Cut the runs and estimate the column widths from the cuts until both agree."""
    widths: Widths = {}
    total, plans = _plan(runs, periods, widths, align)
    for _ in range(6):
        new = _estimate(plans, periods)
        if new == widths:
            break
        widths = new
        total, plans = _plan(runs, periods, widths, align)
    return total, plans


def read_cells(
    tokens: list[Token], periods: tuple[Period, ...]
) -> tuple[list[Indicator], list[tuple[Piece, str]]]:
    """Indicators of a wrapped-cell block, and the pieces that belong to none."""
    runs = _runs(tokens)
    n = len(periods)
    # how the table aligns cells vertically is whichever explains the text better
    _, plans = min((_settle(runs, n, align) for align in ("centre", "top")), key=lambda r: r[0])

    out: list[Indicator] = []
    leftovers: list[tuple[Piece, str]] = []
    l1: str | None = None
    l2: list[str | None] = [None] * n
    for run, (phase, cells) in zip(runs, plans, strict=True):
        for lab in run.labels:
            if lab.level == "l1":
                l1, l2 = lab.text, [None] * n
            else:
                l2[phase] = lab.text
        for q in range(0, len(cells) - 1, 2):
            name, value = cells[q], cells[q + 1]
            p = (phase + q // 2) % n
            out.append(
                Indicator(
                    l1=l1,
                    l2=l2[p],
                    l3="".join(x.text for x in name).strip(),
                    value="".join(x.text for x in value).strip() or None,
                    line=name[0].line,
                    period=periods[p],
                )
            )
        if len(cells) % 2:
            leftovers.extend((x, "cell without a partner") for x in cells[-1])
    return out, leftovers
