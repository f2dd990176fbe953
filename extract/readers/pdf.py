"""PDF → :class:`~extract.source.Source`: the page text, and every table row as a grid line of cells.

Two passes, because most pages of a budget disclosure hold no performance table:

1. The text pass reads every page's text with pypdfium2.  A page with no text at all is an
   image; a file of nothing but such pages is a scan, named as such (no OCR here).
2. The table pass reads again the pages whose text shows a performance table's words
   (``TABLE_WORDS``), and the page after one whose ruled table runs to its foot (a table
   the page break cuts): pdfium gives the page's glyphs, rulings and clipped-away text
   (``pdf_objects``), pdfplumber's table finder the ruled tables' cells (``pdf_rulings``),
   and ``pdf_page`` the lines, cells, merged cells and unruled tables.

Other pages keep the text pass's lines.  Lines come page after page, each with its page and
its line within the page; a table continued on the next page is a new grid there, with its
cells on the same columns as before where the rulings allow.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extract.errors import ExtractError
from extract.labels import fold
from extract.readers.pdf_objects import page_glyphs, page_hidden, page_rulings, page_transform
from extract.readers.pdf_page import Grid, Item, continued_columns, drop_hidden, parse_page
from extract.readers.pdf_rulings import find_ruled_tables
from extract.source import Limits, Source, SourceLine, grid_line

__all__ = ["TABLE_WORDS", "read_pdf", "read_texts"]

# words without which a page holds no performance table (目标表 or 自评表; 指标 is in
# every indicator header and level name): only pages with one get the table pass
TABLE_WORDS = re.compile(r"指标|绩效目标表|自评表")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")


def _open(data: bytes, name: str, limits: Limits) -> Any:
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        reason = str(e)
        if "password" in reason.lower():
            raise ExtractError(name, "encrypted PDF: it needs a password to be read") from None
        detail = reason.split("(PDFium: ")[-1].rstrip(").") if "PDFium" in reason else reason
        raise ExtractError(name, f"not a readable PDF (damaged or not a PDF: {detail})") from None
    pages = len(doc)
    if pages > limits.max_pages:
        doc.close()
        raise ExtractError(name, f"too many pages ({pages:,}; limit {limits.max_pages:,})")
    return doc


def _read_page(page: Any, textpage: Any, columns: list[float] | None) -> tuple[list[Item], float]:
    """The table pass on one page: its lines and grids, and its height."""
    t, height = page_transform(page)
    glyphs = drop_hidden(page_glyphs(textpage, t), page_hidden(page, t))
    tables = find_ruled_tables(page_rulings(page, t))
    return parse_page(glyphs, tables, columns), height


def _read_pages(
    doc: Any, name: str, warnings: list[str], tables: bool = True
) -> tuple[list[str | None], list[list[Item] | None]]:
    """Every page's text (None: no text layer), and the table pass's items where it ran (None elsewhere)."""
    texts: list[str | None] = []
    pages: list[list[Item] | None] = []
    images = 0
    columns: list[float] | None = None  # of a ruled table the page before ended with, cut by the break
    for i in range(len(doc)):
        try:
            page = doc[i]
            textpage = page.get_textpage()
        except pdfium.PdfiumError as e:
            raise ExtractError(name, f"page {i + 1}: cannot be read ({e})") from None
        text = items = None
        try:
            if textpage.count_chars() > 0:
                text = _CONTROL.sub("", textpage.get_text_range()).replace("\r\n", "\n").replace("\r", "\n")
            elif any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2)):
                images += 1
                warnings.append(f"{name}: page {i + 1}: no text layer (an image), not read")
            if tables and text is not None and (columns or TABLE_WORDS.search(fold(text))):
                items, height = _read_page(page, textpage, columns)
                columns = continued_columns(items, height)
            else:
                columns = None
        except pdfium.PdfiumError as e:  # keep what the text pass read; spoil no other page
            warnings.append(f"{name}: page {i + 1}: tables not read, page text only ({e})")
            columns = None
        finally:
            textpage.close()
            page.close()
        texts.append(text)
        pages.append(items)
    if texts and all(t is None for t in texts):
        kind = "a scanned PDF" if images else "no text in it"
        raise ExtractError(
            name,
            f"no text layer on any of its {len(texts)} pages ({kind}): run OCR on it first, then read the result",
        )
    return texts, pages


def _lines(texts: list[str | None], pages: list[list[Item] | None]) -> list[SourceLine]:
    """Page after page: the text pass's lines, or the table pass's lines and grid rows."""
    lines: list[SourceLine] = []
    grids = 0
    for number, (text, items) in enumerate(zip(texts, pages, strict=True), start=1):
        n = 0
        if items is None:
            for raw in (text or "").split("\n"):
                if raw.strip():
                    n += 1
                    lines.append(SourceLine(raw.rstrip(), page=number, page_line=n))
            continue
        for item in items:
            if isinstance(item, Grid):
                grids += 1
                for row in item.rows:
                    n += 1
                    lines.append(grid_line(row, page=number, page_line=n, grid=grids))
            else:
                n += 1
                lines.append(SourceLine(item.text, page=number, page_line=n))
    return lines


def _check(lines: list[SourceLine], name: str, limits: Limits) -> None:
    rows = cells = 0
    for line in lines:
        if line.cells is None:
            continue
        rows += 1
        cells += sum(c.colspan for c in line.cells)
        width = max((c.col + c.colspan for c in line.cells), default=0)
        longest = max((len(c.text) for c in line.cells), default=0)
        where = f"page {line.page}"
        if width > limits.max_cols:
            raise ExtractError(name, f"{where}: a table row of {width:,} columns (limit {limits.max_cols:,})")
        if longest > limits.max_field_chars:
            raise ExtractError(
                name, f"{where}: a cell of {longest:,} characters (limit {limits.max_field_chars:,})"
            )
        if rows > limits.max_rows:
            raise ExtractError(name, f"{where}: more than {limits.max_rows:,} table rows")
        if cells > limits.max_cells:
            raise ExtractError(name, f"{where}: more than {limits.max_cells:,} table cells")


def read_texts(data: bytes, name: str, limits: Limits | None = None) -> list[str | None]:
    """The text pass alone: every page's text (None for a page without a text layer)."""
    doc = _open(data, name, limits or Limits())
    try:
        return _read_pages(doc, name, [], tables=False)[0]
    finally:
        doc.close()


def read_pdf(data: bytes, name: str, limits: Limits) -> Source:
    """A PDF's bytes → its Source (the reader registered for ``.pdf`` in ``extract.readers.READERS``)."""
    doc = _open(data, name, limits)
    warnings: list[str] = []
    try:
        texts, pages = _read_pages(doc, name, warnings)
    finally:
        doc.close()
    lines = _lines(texts, pages)
    _check(lines, name, limits)
    return Source(name, lines, format="pdf", sha256=hashlib.sha256(data).hexdigest(), warnings=warnings)
