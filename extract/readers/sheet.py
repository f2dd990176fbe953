"""A spreadsheet's rows as grid lines, whatever the file format: values shown as displayed, merged ranges laid over them.

Shared by the .xlsx and .xls readers.  A merged range's text sits in its top-left cell with
the range's width as ``colspan``; each row below holds a ``merged`` cell at the same column;
the positions a ``colspan`` covers hold nothing.  A row with no cell is a blank line, so a
sheet's blank rows still part its tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from extract.readers.grid import GridBuilder, join_pieces
from extract.readers.numfmt import NumberFormat, display_value
from extract.source import Cell

__all__ = ["SheetGrid"]


@dataclass
class SheetGrid:
    """One sheet: ``last_row`` (0-based) is its last row with a cell; merged ranges are cut there."""

    builder: GridBuilder
    grid: int
    last_row: int
    date1904: bool = False
    anchors: dict[tuple[int, int], int] = field(default_factory=dict)  # top-left -> colspan
    below: dict[int, dict[int, int]] = field(default_factory=dict)  # row -> {col: colspan} merged from above
    beside: set[tuple[int, int]] = field(default_factory=set)  # positions inside a colspan
    emitted: int = -1  # the last row written

    def merge(self, ranges: Iterable[tuple[tuple[int, int], tuple[int, int]]] | None, where: str) -> None:
        """Merged ranges as ((first row, first col), (last row, last col)), 0-based and inclusive."""
        covered = 0
        limit = self.builder.limits.max_cells
        for (r0, c0), (r1, c1) in ranges or []:
            span = self.builder.check_span(c1 - c0 + 1, "a merged range's width", where)
            self.anchors[(r0, c0)] = span
            for r in range(r0, min(r1, self.last_row) + 1):
                if r > r0:
                    self.below.setdefault(r, {})[c0] = span
                self.beside.update((r, c) for c in range(c0 + 1, c1 + 1))
                covered += span
            if covered > limit:
                raise self.builder.fail(where, f"merged ranges cover over {limit:,} cells (the limit)")

    def row(self, r: int, values: Iterable[tuple[int, object, NumberFormat]]) -> None:
        """Row ``r`` from its (column, value, number format) triples."""
        where = f"sheet row {r + 1}"
        cells = {c: Cell("", c, span, merged=True) for c, span in self.below.get(r, {}).items()}
        beside, anchors = self.beside, self.anchors
        for c, value, fmt in values:
            if value == "" or value is None or c in cells or (beside and (r, c) in beside):
                continue
            # most cells are text: only numbers, dates and booleans need their display rule
            text = value if type(value) is str else display_value(value, fmt, self.date1904)
            if "\n" in text:
                text = join_pieces(text.split("\n"))
            span = anchors.get((r, c), 1) if anchors else 1
            cells[c] = Cell(self.builder.cell_text(text.strip(), where), c, span)
        if cells:
            self.builder.row([cells[c] for c in sorted(cells)], self.grid, where)
        else:
            self.builder.text("")
        self.emitted = r

    def finish(self) -> None:
        """The rows a merged range covers below the last row that had a value."""
        for r in sorted(k for k in self.below if k > self.emitted):
            self.row(r, [])
