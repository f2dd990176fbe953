"""PDF → :class:`~extract.source.Source`: the page text, and every table row as a grid line of cells.

Two passes, because pdfplumber is thorough but slow and most pages of a budget
disclosure hold no performance table:

1. pypdfium2 reads every page's text (fast).  A page with no text at all is an image;
   a file of nothing but such pages is a scan, named as such (no OCR here).
2. Pages whose text shows a performance table's words (``TABLE_WORDS``), and the page
   after one that ended in a ruled table (a table continued over the page break), are
   read again with pdfplumber: its table finder gives each ruled table's cell boxes, its
   glyphs the text of every cell and of the rest of the page.  The geometry (lines,
   cells, merged cells, unruled tables) is ``extract.readers.pdf_page``'s.

Other pages keep pypdfium2's text.  Lines come page after page, each with its page and
its line within the page; a table continued on the next page is a new grid there, with
its cells on the same columns as before where the ruling allows.
"""

from __future__ import annotations

import ctypes
import hashlib
import io
import re
from typing import Any

from extract.errors import ExtractError
from extract.labels import fold
from extract.readers.pdf_page import (
    Glyph,
    Grid,
    Hidden,
    Item,
    continued_columns,
    drop_hidden,
    parse_page,
    ruled_outline,
)
from extract.source import Limits, Source, SourceLine, grid_line

__all__ = ["TABLE_WORDS", "read_pdf", "read_texts"]

# words without which a page holds no performance table (目标表 or 自评表; 指标 is in
# every indicator header and level name): only pages with one get the slow table reader
TABLE_WORDS = re.compile(r"指标|绩效目标表|自评表")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")


def _open_error(name: str, e: Exception) -> ExtractError:
    reason = str(e)
    if "password" in reason.lower():
        return ExtractError(name, "encrypted PDF: it needs a password to be read")
    detail = reason.split("(PDFium: ")[-1].rstrip(").") if "PDFium" in reason else reason
    return ExtractError(name, f"not a readable PDF (damaged or not a PDF: {detail or type(e).__name__})")


def _clip_box(clip: Any) -> tuple[float, float, float, float]:
    """The box a clip path leaves visible (the intersection of its paths' boxes), PDF user space."""
    import pypdfium2.raw as pdfium_c

    box = [-1e9, -1e9, 1e9, 1e9]
    x, y = ctypes.c_float(), ctypes.c_float()
    for p in range(pdfium_c.FPDFClipPath_CountPaths(clip)):
        xs: list[float] = []
        ys: list[float] = []
        for s in range(pdfium_c.FPDFClipPath_CountPathSegments(clip, p)):
            pdfium_c.FPDFPathSegment_GetPoint(pdfium_c.FPDFClipPath_GetPathSegment(clip, p, s), x, y)
            xs.append(x.value)
            ys.append(y.value)
        if xs:
            box = [max(box[0], min(xs)), max(box[1], min(ys)), min(box[2], max(xs)), min(box[3], max(ys))]
    return box[0], box[1], box[2], box[3]


def _hidden_text(doc: Any, index: int) -> list[Hidden]:
    """Text objects drawn partly or wholly outside their clip path, in pdfplumber's coordinates.

    Report engines draw a cell that runs over a page break whole on both pages and clip
    it to each page's part: the clipped-away text is in the file but not on the page.
    """
    page = doc[index]
    try:
        if page.get_rotation() % 360:
            return []  # pdfplumber turns a rotated page's coordinates; not worth the risk here
        return _clipped(page)
    finally:
        page.close()


def _clipped(page: Any) -> list[Hidden]:
    import pypdfium2.raw as pdfium_c

    _, y0, _, y1 = page.get_mediabox()
    height = y1 - y0
    hidden: list[Hidden] = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for i in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        obj = pdfium_c.FPDFPage_GetObject(page.raw, i)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_TEXT:
            continue
        clip = pdfium_c.FPDFPageObj_GetClipPath(obj)
        if not clip:
            continue
        pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
        c = _clip_box(clip)
        if (
            left.value >= c[0] - 1
            and bottom.value >= c[1] - 1
            and right.value <= c[2] + 1
            and top.value <= c[3] + 1
        ):
            continue
        hidden.append(
            (
                (left.value, height - top.value, right.value, height - bottom.value),
                (c[0], height - c[3], c[2], height - c[1]),
            )
        )
    return hidden


def _page_texts(doc: Any, name: str, warnings: list[str]) -> list[str | None]:
    """Every page's text, None for a page without a text layer; a file of only such pages is an error."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    texts: list[str | None] = []
    images = 0
    for i in range(len(doc)):
        try:
            page = doc[i]
            textpage = page.get_textpage()
        except pdfium.PdfiumError as e:
            raise ExtractError(name, f"page {i + 1}: cannot be read ({e})") from None
        if textpage.count_chars() > 0:
            texts.append(
                _CONTROL.sub("", textpage.get_text_range()).replace("\r\n", "\n").replace("\r", "\n")
            )
        else:
            texts.append(None)
            if any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2)):
                images += 1
                warnings.append(f"{name}: page {i + 1}: no text layer (an image), not read")
        textpage.close()
        page.close()
    if texts and all(t is None for t in texts):
        kind = "a scanned PDF" if images else "no text in it"
        raise ExtractError(
            name,
            f"no text layer on any of its {len(texts)} pages ({kind}): run OCR on it first, then read the result",
        )
    return texts


def _glyphs(chars: list[dict[str, Any]]) -> list[Glyph]:
    return [
        Glyph(
            c["text"],
            float(c["x0"]),
            float(c["x1"]),
            float(c["top"]),
            float(c["bottom"]),
            float(c.get("size") or 0),
        )
        for c in chars
        if c.get("text")
    ]


def _frame(page: Any, box: tuple[float, float, float, float]) -> dict[str, Any]:
    """A table's outline as the rect object pdfplumber's table finder takes for explicit lines."""
    x0, top, x1, bottom = box
    return {
        "object_type": "rect",
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": page.initial_doctop + top,
        "y0": page.height - bottom,
        "y1": page.height - top,
        "width": x1 - x0,
        "height": bottom - top,
    }


def _table_cells(page: Any) -> list[list[tuple[float, float, float, float]]]:
    """Each ruled table's cell boxes; a table with cells left open at an edge is found again, framed.

    A cell that runs over a page break has no ruling where the page cuts it, so
    pdfplumber, which needs four corners, finds no cell there; the outline of the
    rulings the table touches closes it.
    """
    tables = page.find_tables()
    if not tables:
        return []
    rulings = [(e["x0"], e["top"], e["x1"], e["bottom"]) for e in page.edges]
    frames = []
    for t in tables:
        outline = ruled_outline(t.bbox, rulings)
        area = sum((c[2] - c[0]) * (c[3] - c[1]) for c in t.cells)
        if outline != t.bbox or area < 0.999 * (t.bbox[2] - t.bbox[0]) * (t.bbox[3] - t.bbox[1]):
            frames.append(_frame(page, outline))
    if frames:
        tables = page.find_tables({"explicit_vertical_lines": frames, "explicit_horizontal_lines": frames})
    return [t.cells for t in tables if len(t.cells) > 1]


def _read_tables(
    data: bytes, doc: Any, name: str, texts: list[str | None], warnings: list[str]
) -> list[list[Item] | None]:
    """pdfplumber on the pages that may hold a table: their lines and grids (None: keep the text pass's)."""
    import pdfplumber

    pages: list[list[Item] | None] = [None] * len(texts)
    wanted = [t is not None and bool(TABLE_WORDS.search(fold(t))) for t in texts]
    if not any(wanted):
        return pages
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as e:  # pdfminer fails in many ways on files pdfium repairs silently
        warnings.append(f"{name}: tables not read, page text only ({type(e).__name__}: {e})")
        return pages
    with pdf:
        columns: list[float] | None = None  # of the ruled table the previous page ended with
        for i, text in enumerate(texts):
            if text is None or not (wanted[i] or columns):
                columns = None
                continue
            page = pdf.pages[i]
            try:
                glyphs = drop_hidden(_glyphs(page.chars), _hidden_text(doc, i))
                tables = _table_cells(page)
                height = float(page.height)
            except Exception as e:  # a page pdfminer cannot parse keeps its text and spoils no other
                warnings.append(
                    f"{name}: page {i + 1}: tables not read, page text only ({type(e).__name__}: {e})"
                )
                columns = None
                continue
            finally:
                page.close()
            items = parse_page(glyphs, tables, columns)
            columns = continued_columns(items, height)
            pages[i] = items
    return pages


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


def _open(data: bytes, name: str, limits: Limits) -> Any:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        raise _open_error(name, e) from None
    pages = len(doc)
    if pages > limits.max_pages:
        doc.close()
        raise ExtractError(name, f"too many pages ({pages:,}; limit {limits.max_pages:,})")
    return doc


def read_texts(data: bytes, name: str, limits: Limits | None = None) -> list[str | None]:
    """The fast pass alone: every page's text (None for a page without a text layer)."""
    doc = _open(data, name, limits or Limits())
    try:
        return _page_texts(doc, name, [])
    finally:
        doc.close()


def read_pdf(data: bytes, name: str, limits: Limits) -> Source:
    """A PDF's bytes → its Source (the reader registered for ``.pdf`` in ``extract.readers.READERS``)."""
    doc = _open(data, name, limits)
    warnings: list[str] = []
    try:
        texts = _page_texts(doc, name, warnings)
        pages = _read_tables(data, doc, name, texts, warnings)
    finally:
        doc.close()
    lines = _lines(texts, pages)
    _check(lines, name, limits)
    return Source(name, lines, format="pdf", sha256=hashlib.sha256(data).hexdigest(), warnings=warnings)
