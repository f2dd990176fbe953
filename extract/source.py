"""What a source reader hands on: a document's lines, with the cell grid where the file has one.

Every reader (plain text, web page, spreadsheet, Word, PDF) turns bytes into a
:class:`Source`: a list of :class:`SourceLine`, one per line of text or per row of a
table.  A row that comes from a real grid (an HTML ``<tr>``, a sheet row, a Word table
row, a ruled PDF table row) also carries its :class:`Cell` objects, with the column each
cell starts in and whether it is covered by a cell merged from the row above; the line's
``text`` is then the cells joined by tabs, so stages that read text (header fields, the
department and year, the narrative funding lookup) read every source alike.

Line numbers are the 1-based index in ``Source.lines``; a paged source (PDF) also gives
each line its page and its line within that page, which records keep as provenance.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

__all__ = ["Cell", "Limits", "Source", "SourceLine", "grid_line", "text_source", "unify_glyphs"]


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of a grid row.

    ``text`` is the cell as displayed, its wrapped pieces joined (with nothing between
    CJK characters, one space between Latin words).  ``col`` is the 0-based grid column
    the cell starts in, ``colspan`` how many columns it covers.  ``merged`` marks a
    position covered by a cell merged from an earlier row (HTML ``rowspan``, a merged
    sheet range, ``None`` from pdfplumber): it has no text of its own, and its value is
    the one carried down from above.
    """

    text: str
    col: int
    colspan: int = 1
    merged: bool = False
    bbox: tuple[float, float, float, float] | None = None  # PDF: x0, top, x1, bottom in points


@dataclass(slots=True)  # not frozen: a frozen dataclass is slow to make, and documents have many lines
class SourceLine:
    """A line of text, or a grid row (``cells`` set) rendered as its cells joined by tabs."""

    text: str
    cells: tuple[Cell, ...] | None = None
    page: int | None = None  # 1-based page of a paged source
    page_line: int | None = None  # 1-based line within that page
    grid: int | None = None  # which grid (table) of the file the row belongs to


# Kangxi radicals (⼀ ⼈ ⽬), CJK radical supplements and compatibility ideographs: what PDF
# producers' font maps often write for the ordinary ideographs (一 人 目).  They look the same
# and mean the same, but a label, a template or a search written with the ordinary ones would
# not match them.
_VARIANT_GLYPHS = re.compile("[\u2e80-\u2fdf\uf900-\ufaff]")
_UNIFIED = {
    o: unicodedata.normalize("NFKC", chr(o))
    for o in (*range(0x2E80, 0x2FE0), *range(0xF900, 0xFB00))
    if unicodedata.normalize("NFKC", chr(o)) != chr(o)
}


def unify_glyphs(text: str) -> str:
    """``text`` with radical and compatibility glyphs written as the ideographs they stand for."""
    return text.translate(_UNIFIED) if _VARIANT_GLYPHS.search(text) else text


@dataclass
class Source:
    """A document as its reader saw it: ``format`` names the encoding or file type read.

    Every reader's lines come out with :func:`unify_glyphs` applied."""

    name: str
    lines: list[SourceLine]
    format: str = "utf-8"
    sha256: str = ""
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for k, line in enumerate(self.lines):
            if _VARIANT_GLYPHS.search(line.text):
                cells = line.cells and tuple(replace(c, text=unify_glyphs(c.text)) for c in line.cells)
                self.lines[k] = replace(line, text=unify_glyphs(line.text), cells=cells)

    @property
    def texts(self) -> list[str]:
        return [line.text for line in self.lines]

    def where(self, line: int) -> tuple[int | None, int]:
        """(page, line within the page) of a 1-based line number; page None for unpaged sources."""
        if not 1 <= line <= len(self.lines):
            return None, line
        item = self.lines[line - 1]
        if item.page is None:
            return None, line
        return item.page, item.page_line or line


@dataclass(frozen=True)
class Limits:
    """What one document may cost a reader; exceeding one is a one-line error naming the file."""

    max_bytes: int = 200 * 1024 * 1024  # uncompressed content a reader will hold
    max_rows: int = 200_000  # grid rows per document
    max_cols: int = 512  # grid columns per row (declared or expanded spans)
    max_cells: int = 2_000_000  # grid cells per document, spans expanded
    max_span: int = 1_000  # rowspan/colspan of one cell
    max_field_chars: int = 100_000  # characters in one cell
    max_pages: int = 2_000  # PDF pages


def grid_line(
    cells: Iterable[Cell], *, page: int | None = None, page_line: int | None = None, grid: int | None = None
) -> SourceLine:
    """A grid row as a line: each cell's text at its column, tabs between columns."""
    kept = tuple(cells)
    width = max((c.col + c.colspan for c in kept), default=0)
    slots = [""] * width
    for c in kept:
        if not c.merged:
            slots[c.col] = c.text.replace("\t", " ").replace("\n", " ")
    while slots and not slots[-1]:
        slots.pop()
    return SourceLine("\t".join(slots), kept, page, page_line, grid)


def text_source(text: str, name: str, fmt: str = "utf-8") -> Source:
    """Plain text: one line per ``\\n`` (cells are recovered from the text later)."""
    return Source(
        name=name,
        lines=[SourceLine(t) for t in text.split("\n")],
        format=fmt,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )
