"""Word documents (.docx): paragraphs and tables in body order, merged cells known.

The body's XML (``word/document.xml``) is read from the package opened within the limits
(:mod:`extract.readers.package`), not through python-docx's object model: python-docx
inflates every part of the file (images too) with no limit, and repeats a merged cell's
text over its whole span, which would read one merged L1 cell as many.  Here a cell merged
across columns (``gridSpan``) is one :class:`Cell` with that ``colspan``; a cell merged down
from the row above (``vMerge`` continuing) is a ``merged`` cell with no text of its own.
A cell's paragraphs (and line breaks) are joined as one text (:func:`join_pieces`).
Content controls (``w:sdt``) are read through; deleted revisions and field codes are not text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from extract.errors import ExtractError
from extract.readers.grid import GridBuilder, join_pieces
from extract.readers.package import read_package
from extract.source import Cell, Limits, Source

__all__ = ["read_docx"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _T = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc", f"{_W}t"
# elements that only wrap content: read what is inside
_WRAPPERS = {f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}smartTag", f"{_W}ins", f"{_W}hyperlink"}
_BREAKS = {f"{_W}br", f"{_W}cr"}
_INLINE = {f"{_W}tab": " ", f"{_W}noBreakHyphen": "-", f"{_W}softHyphen": ""}


def read_docx(data: bytes, name: str, limits: Limits) -> Source:
    package = read_package(data, name, limits)
    root = package.xml("word/document.xml")
    if root is None:
        raise ExtractError(name, "not a Word document (no word/document.xml)")
    body = root.find(f"{_W}body")
    builder = GridBuilder(name, limits)
    if body is not None:
        for block in _blocks(body):
            if block.tag == _P:
                for line in _paragraph_lines(block):
                    builder.text(line)
            else:
                _read_table(block, builder)
    return builder.source("docx", data)


def _blocks(parent: Any) -> Iterator[Any]:
    """Paragraphs and tables in document order, through content controls and custom XML."""
    for child in parent:
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag in _WRAPPERS:
            yield from _blocks(child)


def _paragraph_lines(p: Any) -> list[str]:
    """A paragraph's text, one string per line (a line break inside it starts a new one)."""
    lines: list[list[str]] = [[]]
    for el in p.iter():
        if el.tag == _T and el.text:
            lines[-1].append(el.text)
        elif el.tag in _BREAKS:
            lines.append([])
        elif el.tag in _INLINE:
            lines[-1].append(_INLINE[el.tag])
    return ["".join(parts).strip() for parts in lines]


def _cell_text(tc: Any) -> str:
    pieces: list[str] = []
    for block in _blocks(tc):
        if block.tag == _P:
            pieces.extend(_paragraph_lines(block))
        else:  # a table inside a cell: its cells' text, in order
            pieces.extend(_cell_text(inner) for row in _rows(block) for inner in _cells(row))
    return join_pieces(pieces)


def _children(parent: Any, tag: str) -> Iterator[Any]:
    """Children with ``tag``, also those inside content controls and custom XML."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _rows(tbl: Any) -> Iterator[Any]:
    return _children(tbl, _TR)


def _cells(tr: Any) -> Iterator[Any]:
    return _children(tr, _TC)


_VAL, _TCPR, _GRID_BEFORE = f"{_W}val", f"{_W}tcPr", f"{_W}trPr/{_W}gridBefore"
_GRID_SPAN, _VMERGE, _HMERGE = f"{_W}gridSpan", f"{_W}vMerge", f"{_W}hMerge"


def _int_val(el: Any, default: int) -> int:
    raw = el.get(_VAL) if el is not None else None
    return int(raw) if raw is not None and raw.isascii() and raw.isdigit() else default


def _merge_props(tc: Any) -> tuple[int, str | None, str | None]:
    """A cell's gridSpan, and its vMerge and hMerge values ("restart", "continue"; None: absent)."""
    span, vmerge, hmerge = 1, None, None
    props = tc.find(_TCPR)
    if props is not None:
        for prop in props:  # one pass over the few properties a cell has
            if prop.tag == _GRID_SPAN:
                span = _int_val(prop, 1)
            elif prop.tag == _VMERGE:
                vmerge = prop.get(_VAL, "continue")
            elif prop.tag == _HMERGE:
                hmerge = prop.get(_VAL, "continue")
    return span, vmerge, hmerge


def _read_table(tbl: Any, builder: GridBuilder) -> None:
    grid = builder.new_grid()
    for r, tr in enumerate(_rows(tbl)):
        where = f"table {grid + 1}, row {r + 1}"
        col = _int_val(tr.find(_GRID_BEFORE), 0)
        builder.check_width(col, where)
        cells: list[Cell] = []
        for tc in _cells(tr):
            span, vmerge, hmerge = _merge_props(tc)
            span = builder.check_span(span, "gridSpan", where)
            builder.check_width(col + span, where)
            if hmerge not in (None, "restart") and cells:
                # the legacy way to merge across: this cell widens the one before it
                last = cells[-1]
                cells[-1] = Cell(last.text, last.col, last.colspan + span, last.merged)
            elif vmerge not in (None, "restart"):
                cells.append(Cell("", col, span, merged=True))
            else:
                cells.append(Cell(builder.cell_text(_cell_text(tc), where), col, span))
            col += span
        if cells:
            builder.row(cells, grid, where)
