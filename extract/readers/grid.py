"""What every grid reader shares: cell text as displayed, and the limits a document may not pass.

:class:`GridBuilder` collects a document's lines in order (plain text lines and grid rows)
and checks each row against :class:`extract.source.Limits` as it comes, so a hostile file
is stopped before it costs more than the limits allow, with one line naming the file and
the place: ``page.html: table 1, row 3: colspan 50000000 is over the limit of 1000``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from extract.errors import ExtractError
from extract.source import Cell, Limits, Source, SourceLine, grid_line

__all__ = ["GridBuilder", "join_pieces", "parse_span"]

_SPACE = re.compile(r"[ \t\r\n\f\v\xa0]+")
_LATIN = re.compile(r"[A-Za-z]")


def join_pieces(pieces: Iterable[str]) -> str:
    """The pieces of a wrapped cell (lines, paragraphs, ``<br>`` parts) as one text.

    Nothing between CJK characters or digits (a cell wrapped at its width: ``经济效益`` +
    ``指标``), one space between Latin words (``Project`` + ``Office``).
    """
    out = ""
    for raw in pieces:
        piece = _SPACE.sub(" ", raw).strip()
        if not piece:
            continue
        if out and _LATIN.match(out[-1]) and _LATIN.match(piece[0]):
            out += " "
        out += piece
    return out


def parse_span(raw: str | None) -> int | None:
    """An HTML ``rowspan``/``colspan`` value: ``None`` when absent or not a plain number.

    ``"²"`` and ``"3px"`` are no numbers (browsers then span 1); leading zeros and spaces
    are fine.  The caller checks the number against the limit.
    """
    if raw is None:
        return None
    text = raw.strip()
    # str.isdigit also accepts superscripts and other digits int() refuses
    if not text or not text.isascii() or not text.isdigit():
        return None
    return int(text[:12])  # more than 12 digits is over any limit anyway


class GridBuilder:
    """A document's lines in reading order, grid rows checked against the limits."""

    def __init__(self, name: str, limits: Limits) -> None:
        self.name = name
        self.limits = limits
        self.lines: list[SourceLine] = []
        self.rows = 0
        self.cells = 0
        self.grids = 0

    def fail(self, where: str, message: str) -> ExtractError:
        return ExtractError(self.name, f"{where}: {message}" if where else message)

    def new_grid(self) -> int:
        self.grids += 1
        return self.grids - 1

    def check_span(self, span: int, what: str, where: str) -> int:
        if span > self.limits.max_span:
            raise self.fail(where, f"{what} {span:,} is over the limit of {self.limits.max_span:,}")
        return max(span, 1)

    def check_width(self, width: int, where: str) -> None:
        if width > self.limits.max_cols:
            raise self.fail(where, f"{width:,} columns, over the limit of {self.limits.max_cols:,}")

    def cell_text(self, text: str, where: str) -> str:
        if len(text) > self.limits.max_field_chars:
            raise self.fail(
                where,
                f"a cell of {len(text):,} characters, over the limit of {self.limits.max_field_chars:,}",
            )
        return text

    def text(self, text: str) -> None:
        """A line of running text outside any table."""
        if len(text) > self.limits.max_field_chars:
            # running text has no cells: a long paragraph is cut into lines, not refused
            for start in range(0, len(text), self.limits.max_field_chars):
                self.lines.append(SourceLine(text[start : start + self.limits.max_field_chars]))
            return
        self.lines.append(SourceLine(text))

    def row(self, cells: list[Cell], grid: int, where: str) -> None:
        """A grid row: its width, and the document's rows and cells so far, within the limits."""
        width = 0
        for c in cells:
            if c.col + c.colspan > width:
                width = c.col + c.colspan
        self.check_width(width, where)
        self.rows += 1
        self.cells += max(width, len(cells))
        if self.rows > self.limits.max_rows:
            raise self.fail(where, f"more than {self.limits.max_rows:,} table rows (the limit)")
        if self.cells > self.limits.max_cells:
            raise self.fail(where, f"more than {self.limits.max_cells:,} table cells (the limit)")
        self.lines.append(grid_line(cells, grid=grid))

    def source(self, fmt: str, data: bytes) -> Source:
        return Source(self.name, self.lines, fmt, hashlib.sha256(data).hexdigest())
