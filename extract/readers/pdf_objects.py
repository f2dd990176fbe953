"""What pdfium sees on a page: its glyphs, its rulings and the text its clip paths hide.

The I/O edge of the PDF reader's table pass, through pypdfium2's raw (ctypes) API, which is
several times faster than parsing the page again in Python.  Every position comes out in
the page's displayed orientation, in points from its top-left corner (``Transform``), so
the geometry in ``extract.readers.pdf_page`` never sees PDF's bottom-up coordinates or a
page's ``/Rotate``.
"""

from __future__ import annotations

import ctypes
import math
from collections.abc import Callable
from typing import Any

import pypdfium2.raw as pdfium_c

from extract.readers.pdf_page import BBox, Glyph, Hidden

__all__ = ["Transform", "page_glyphs", "page_hidden", "page_rulings", "page_transform"]

Transform = Callable[[float, float], tuple[float, float]]  # PDF user space → displayed page, top-down
Matrix = tuple[float, float, float, float, float, float]
STRAIGHT = 0.5  # points: a segment whose ends differ this little in x (or y) is vertical (horizontal)


def page_transform(page: Any) -> tuple[Transform, float]:
    """The map from PDF user space to the displayed page (top-down), and the displayed height."""
    x0, y0, x1, y1 = page.get_mediabox()
    rotation = page.get_rotation() % 360
    if rotation == 90:
        return (lambda x, y: (y - y0, x - x0)), x1 - x0
    if rotation == 180:
        return (lambda x, y: (x1 - x, y - y0)), y1 - y0
    if rotation == 270:
        return (lambda x, y: (y1 - y, x1 - x)), x1 - x0
    return (lambda x, y: (x - x0, y1 - y)), y1 - y0


def _box(t: Transform, left: float, bottom: float, right: float, top: float) -> BBox:
    ax, ay = t(left, bottom)
    bx, by = t(right, top)
    return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def page_glyphs(textpage: Any, t: Transform) -> list[Glyph]:
    """Every character drawn on the page (not the spaces and line breaks pdfium adds), with its box and size."""
    raw = textpage.raw
    rect = pdfium_c.FS_RECTF()
    matrix = pdfium_c.FS_MATRIX()
    glyphs: list[Glyph] = []
    high = 0  # a UTF-16 high surrogate waiting for its low half
    for i in range(pdfium_c.FPDFText_CountChars(raw)):
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        if code in (0, 10, 13, 0xFFFE, 0xFFFF) or pdfium_c.FPDFText_IsGenerated(raw, i) == 1:
            continue
        if 0xD800 <= code < 0xDC00:
            high = code
            continue
        text = (
            chr(0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00))
            if 0xDC00 <= code < 0xE000 and high
            else chr(code)
        )
        high = 0
        pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect)
        pdfium_c.FPDFText_GetMatrix(raw, i, matrix)
        # the font size as set (Tf) scaled by the text matrix: the size the glyph is drawn at
        size = pdfium_c.FPDFText_GetFontSize(raw, i) * math.sqrt(
            abs(matrix.a * matrix.d - matrix.b * matrix.c)
        )
        x0, top, x1, bottom = _box(t, rect.left, rect.bottom, rect.right, rect.top)
        if math.isfinite(x0 + top + x1 + bottom + size):  # a damaged font can give no usable box
            glyphs.append(Glyph(text, x0, x1, top, bottom, size))
    return glyphs


def _compose(inner: Matrix, outer: Matrix | None) -> Matrix:
    if outer is None:
        return inner
    a, b, c, d, e, f = inner
    oa, ob, oc, od, oe, of = outer
    return (
        a * oa + b * oc,
        a * ob + b * od,
        c * oa + d * oc,
        c * ob + d * od,
        e * oa + f * oc + oe,
        e * ob + f * od + of,
    )


def page_rulings(page: Any, t: Transform) -> list[BBox]:
    """The straight horizontal and vertical segments of the page's drawn paths (lines, rectangle sides).

    Form XObjects are walked with their matrices; curves and diagonals are no table ruling.
    """
    segments: list[tuple[tuple[float, float], tuple[float, float]]] = []
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    x, y = ctypes.c_float(), ctypes.c_float()
    raw_matrix = pdfium_c.FS_MATRIX()

    def walk(objects: list[Any], outer: Matrix | None) -> None:
        for obj in objects:
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind not in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM):
                continue
            pdfium_c.FPDFPageObj_GetMatrix(obj, raw_matrix)
            m = _compose(
                (raw_matrix.a, raw_matrix.b, raw_matrix.c, raw_matrix.d, raw_matrix.e, raw_matrix.f), outer
            )
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                count = pdfium_c.FPDFFormObj_CountObjects(obj)
                walk([pdfium_c.FPDFFormObj_GetObject(obj, k) for k in range(count)], m)
                continue
            pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke)
            if not fill.value and not stroke.value:
                continue  # a path drawn with neither is a clip or nothing
            start = current = None
            for s in range(pdfium_c.FPDFPath_CountSegments(obj)):
                segment = pdfium_c.FPDFPath_GetPathSegment(obj, s)
                pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
                point = t(m[0] * x.value + m[2] * y.value + m[4], m[1] * x.value + m[3] * y.value + m[5])
                kind = pdfium_c.FPDFPathSegment_GetType(segment)
                if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                    start = current = point
                    continue
                if kind == pdfium_c.FPDF_SEGMENT_LINETO and current is not None:
                    segments.append((current, point))
                current = point
                if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None:
                    segments.append((current, start))
                    current = start

    raw = page.raw
    walk([pdfium_c.FPDFPage_GetObject(raw, k) for k in range(pdfium_c.FPDFPage_CountObjects(raw))], None)
    return [
        (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
        for (ax, ay), (bx, by) in segments
        if (abs(ax - bx) <= STRAIGHT or abs(ay - by) <= STRAIGHT) and math.isfinite(ax + ay + bx + by)
    ]


def _clip_box(clip: Any) -> tuple[float, float, float, float]:
    """The box a clip path leaves visible (the intersection of its paths' boxes), PDF user space."""
    box = [-math.inf, -math.inf, math.inf, math.inf]
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


def page_hidden(page: Any, t: Transform) -> list[Hidden]:
    """Text objects drawn partly or wholly outside their clip path, with the part the clip shows.

    Report engines draw a cell that runs over a page break whole on both pages and clip
    it to each page's part: the clipped-away text is in the file but not on the page.
    """
    hidden: list[Hidden] = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    raw = page.raw
    for i in range(pdfium_c.FPDFPage_CountObjects(raw)):
        obj = pdfium_c.FPDFPage_GetObject(raw, i)
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
        shown = _box(t, *(max(v, -1e6) if k < 2 else min(v, 1e6) for k, v in enumerate(c)))
        hidden.append((_box(t, left.value, bottom.value, right.value, top.value), shown))
    return hidden
