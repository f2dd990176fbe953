"""Cells, recovered from whatever the source kept of them: the first stage of the interpreter.

A grid source (web page, sheet, Word or ruled PDF table) hands its cells over as they are.
Text keeps less, and each line is cut by the strongest separator it has: tabs, ``|`` pipes,
runs of spaces, or nothing at all — one cell per line, or cells glued together
(``产出指标数量指标农村义务教育学校改造覆盖率100%``), which :mod:`extract.glue` cuts at the
words of the indicator vocabulary and the grammar of values.  The interpreter may still join
pieces back (a label wrapped over two lines, a value with a space inside), at a cost that
depends on how strong the separator between them was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extract.glue import split_glued
from extract.source import SourceLine

__all__ = ["Tok", "is_row_separator", "line_tokens"]

_HTML = re.compile(r"<[^>]{1,200}>")
_PIPE_ONLY = re.compile(r"^[\s|｜]*$")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Tok:
    """A cell, or a piece of one, with where it came from.

    ``col`` is the grid column (grid sources) or the cell's index on its line (tab and pipe
    lines, whose ``width`` is their cell count, empties included); ``gap`` is how strongly it
    is separated from the token before it on the same line: 0 glued, 1 one space, 2 a run of
    spaces, 3 a tab, pipe or grid border.
    """

    text: str
    line: int
    col: int | None = None
    width: int = 0
    first: bool = True
    last: bool = True
    route: str = "line"
    gap: int = 3
    merged: bool = False
    span: int = 1  # columns a grid cell covers
    border: bool = False  # a `|` border line (the end of a row) comes right before it
    closed: bool = False  # a separator follows it on its line: the cell cannot run on to the next
    inner: bool = False  # after a space inside a delimited cell: joined back freely, cut at a cost


def is_row_separator(text: str) -> bool:
    """A line of pipes alone ("|", "||||||"): the border between two rows of a pipe table."""
    return "|" in text and bool(_PIPE_ONLY.match(text))


_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff（）()、])\s+(?=[\u4e00-\u9fff（）()])")


@lru_cache(maxsize=1 << 16)
def _clean(text: str) -> str:
    """A cell's text on one line; a break inside a CJK run, shown as a space, joins with nothing."""
    return _CJK_GAP.sub("", _SPACES.sub(" ", _HTML.sub("", text)).strip())


def line_tokens(no: int, line: SourceLine) -> list[Tok]:
    """The cells of one line (1-based ``no``), by the strongest separator the line has."""
    if line.cells is not None:
        width = max((c.col + c.colspan for c in line.cells), default=0)
        cells = [c for c in line.cells if c.merged or _clean(c.text)]
        # a row whose first cells are merged from above (L1, L2) starts at its first own cell
        own = [i for i, c in enumerate(cells) if not c.merged] or [0]
        toks: list[Tok] = []
        for i, c in enumerate(cells):
            # a grid cell may still hold several glued together ("产出指标数量指标举办…")
            pieces = split_glued(_clean(c.text)) if not c.merged else (("", False),)
            for j, (piece, certain) in enumerate(pieces):
                gap = 3 if j == 0 else (1 if certain else 0)
                first, last = i == own[0] and j == 0, i == own[-1] and j == len(pieces) - 1
                toks.append(Tok(piece, no, c.col, width, first, last, "grid", gap, c.merged, c.colspan))
        return toks
    text = line.text
    if not text.strip() or is_row_separator(text):
        return []
    if "\t" in text:
        return _delimited(no, text.split("\t"), "tab")
    if "|" in text or "｜" in text:
        parts = re.split(r"[|｜]", text.strip())
        return _delimited(no, parts, "pipe")
    return _spaced(no, text)


def _delimited(no: int, parts: list[str], route: str) -> list[Tok]:
    cells = [(i, _clean(p)) for i, p in enumerate(parts)]
    kept = [(i, c) for i, c in cells if c]
    toks: list[Tok] = []
    for k, (i, c) in enumerate(kept):
        closed = i < len(parts) - 1  # a separator follows the cell on its line
        for j, (piece, certain, inner) in enumerate(_cell_pieces(c)):
            first = k == 0 and j == 0
            gap = 3 if j == 0 else (1 if certain or inner else 0)
            toks.append(
                Tok(piece, no, i, len(parts), first, False, route, gap, closed=closed, inner=inner and j > 0)
            )
    return _close(toks)


# a delimited cell with a few spaces inside may be cells a converter ran together
# ("评估测算DRG医院 9家"); more spaces than this are a sentence
_MAX_INNER_SPACES = 3


def _cell_pieces(cell: str) -> list[tuple[str, bool, bool]]:
    """A delimited cell's pieces, each with whether the cut before it is certain and whether
    it follows a space left inside the cell: such a cut (a converter may have run cells
    together, "评估测算DRG医院 9家") is undone at no cost, so a value with a space inside
    stays whole unless the columns want it cut."""
    if " " not in cell:
        return [(piece, certain, False) for piece, certain in split_glued(cell)]
    words = cell.split(" ")
    if len(words) > _MAX_INNER_SPACES + 1:
        words = [cell]
    return [
        (piece, certain, j == 0 and n > 0)
        for n, w in enumerate(x for x in words if x)
        for j, (piece, certain) in enumerate(split_glued(w))
    ]


def _spaced(no: int, text: str) -> list[Tok]:
    toks: list[Tok] = []
    pos = 0
    stripped = text.strip()
    for m in re.finditer(r"\S+", stripped):
        gap = 0 if not toks else (1 if m.start() - pos == 1 else 2)
        pos = m.end()
        pieces = split_glued(m.group())
        for j, (piece, certain) in enumerate(pieces):
            route = "line" if len(pieces) == 1 and not toks and m.end() == len(stripped) else "space"
            toks.append(
                Tok(
                    piece,
                    no,
                    None,
                    0,
                    not toks,
                    False,
                    "glued" if len(pieces) > 1 else route,
                    gap if j == 0 else (1 if certain else 0),
                )
            )
    return _close(toks)


def _close(toks: list[Tok]) -> list[Tok]:
    """Mark the line's last token (made anew: tokens are frozen, and ``replace`` is slow)."""
    if toks:
        t = toks[-1]
        toks[-1] = Tok(
            t.text,
            t.line,
            t.col,
            t.width,
            t.first,
            True,
            t.route,
            t.gap,
            t.merged,
            t.span,
            t.border,
            t.closed,
            t.inner,
        )
    return toks
