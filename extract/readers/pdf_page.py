"""A PDF page's glyphs and ruled cells → its text lines and table grids, in reading order.

Pure geometry, no PDF library: the reader (``extract.readers.pdf``) hands in the page's
glyphs (text and box) and the cell boxes of each ruled table pdfplumber found.  Here

- glyphs become text lines (by vertical position) and each line becomes chunks, split
  where the gap between two glyphs is wider than a character;
- each ruled table becomes a grid: its columns are the distinct left edges of its cells,
  its rows the distinct top edges, so a cell wider or taller than one slot knows its
  ``colspan`` and the rows below it get a ``merged`` cell in its place;
- lines outside ruled tables that line up in columns (three or more lines of two or more
  chunks, with vertical gutters between the chunks) become an unruled grid.

A cell wrapped over lines is joined with nothing between CJK characters and digits
(``…39\\n0843-…`` → ``…390843-…``) and one space between Latin words.
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from extract.source import Cell

__all__ = [
    "EDGE_TOL",
    "BBox",
    "Glyph",
    "Grid",
    "Hidden",
    "TextLine",
    "continued_columns",
    "drop_hidden",
    "join_wrapped",
    "parse_page",
]

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in points
Hidden = tuple[BBox, BBox]  # a text object's box and the part of the page its clip path shows

EDGE_TOL = 2.0  # points: cell edges this close are one ruling
SLIVER = 1.0  # in font sizes: a column narrower than this holding no glyph is no column
CHUNK_GAP = 1.0  # in font sizes: a wider gap between glyphs on a line separates two chunks (cells)
WORD_GAP = 0.2  # in font sizes: a wider gap between Latin glyphs is a word space
LINE_TOL = 0.45  # in font sizes: glyph centres this close vertically share a line
MIN_UNRULED_ROWS = 3  # lines of two or more chunks that make an unruled table
MAX_LOOSE_LINES = 2  # one-chunk lines (wrapped cells) allowed between two such lines
MAX_ROW_GAP = 2.5  # in line heights: a wider vertical gap ends an unruled table
ROW_PITCH_JUMP = 1.3  # pitches this much wider than the tighter ones separate rows from wrapped lines
LOW_ON_PAGE = 0.75  # share of the page height below which a table's bottom may be cut by the page break
FOOTER_CHARS = 12  # a line this short under a table is page furniture (a page number), not content


class Glyph(NamedTuple):
    """One character as drawn: its text and box (points, top-down), and its font size."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass(frozen=True, slots=True)
class Chunk:
    text: str
    x0: float
    x1: float


@dataclass
class TextLine:
    """A line of text outside any grid, as chunks from left to right."""

    top: float
    bottom: float
    chunks: list[Chunk]

    @property
    def text(self) -> str:
        # two spaces mark a wide gap, as the text layouts read it: a cell boundary
        return "  ".join(c.text for c in self.chunks)


@dataclass
class Grid:
    """A table on one page: rows of cells on a column grid whose boundaries are ``edges``."""

    top: float
    bottom: float
    rows: list[list[Cell]]
    edges: list[float]
    ruled: bool = True


Item = TextLine | Grid


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x9FFF  # radicals, kana, CJK punctuation, ideographs
        or 0xF900 <= o <= 0xFAFF
        or 0xFE30 <= o <= 0xFE4F
        or 0xFF00 <= o <= 0xFFEF  # full-width forms: （），＝％
        or 0x20000 <= o <= 0x3FFFF
    )


def _latin_end(text: str, first: bool) -> bool:
    """Does the word at this end of ``text`` read as a Latin word (letters, no digit)?"""
    words = text.split()
    word = words[0] if first else words[-1]
    edge = word[0] if first else word[-1]
    letters = edge.isascii() and (edge.isalpha() or edge in ("(" if first else ",;:.!?)"))
    return letters and not any(ch.isdigit() for ch in word)


def join_wrapped(pieces: Iterable[str]) -> str:
    """A cell's wrapped lines as one string: nothing between CJK or digits, a space between Latin words.

    A code or number wrapped at the cell's width (``11000021Y00000039`` / ``0843-信息``)
    is one token again; a word ending in a hyphen keeps the hyphen and joins.
    """
    out = ""
    for raw in pieces:
        piece = raw.strip()
        if not piece:
            continue
        if out and _latin_end(out, first=False) and _latin_end(piece, first=True):
            out += " "
        out += piece
    return out


def _join_chunks(chunks: Sequence[str]) -> str:
    """Chunks of one line inside one cell: a space between two non-CJK ends, nothing otherwise."""
    out = ""
    for chunk in chunks:
        if out and not _is_cjk(out[-1]) and not _is_cjk(chunk[0]):
            out += " "
        out += chunk
    return out


def _chunks(glyphs: list[Glyph]) -> list[Chunk]:
    """One line's glyphs (left to right) as chunks; real spaces kept, word spaces put back between Latin."""
    chunks: list[Chunk] = []
    text: list[str] = []
    x0 = x1 = 0.0
    prev: Glyph | None = None
    spaced = False
    for g in glyphs:
        if g.text.isspace():
            spaced = prev is not None
            continue
        if prev is not None:
            size = max(g.size, prev.size, 1.0)
            if g.text == prev.text and abs(g.x0 - prev.x0) < 0.3 * size:
                continue  # drawn twice for a bold effect
            gap = g.x0 - prev.x1
            if gap > CHUNK_GAP * size:
                chunks.append(Chunk("".join(text), x0, x1))
                text, x0, x1 = [], g.x0, g.x1
            elif spaced or (gap > WORD_GAP * size and not _is_cjk(prev.text[-1]) and not _is_cjk(g.text[0])):
                text.append(" ")
        else:
            x0, x1 = g.x0, g.x1
        text.append(g.text)
        x1 = max(x1, g.x1)
        prev, spaced = g, False
    if text:
        chunks.append(Chunk("".join(text), x0, x1))
    return chunks


def _group_lines(glyphs: Iterable[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped into lines by their vertical centre, each line left to right, lines top-down."""
    ordered = sorted(glyphs, key=lambda g: g.top + g.bottom)
    lines: list[list[Glyph]] = []
    anchor = 0.0
    for g in ordered:
        centre = (g.top + g.bottom) / 2
        size = max(g.size, g.bottom - g.top, 1.0)
        if lines and centre - anchor <= LINE_TOL * size:
            lines[-1].append(g)
        else:
            lines.append([g])
            anchor = centre
    for line in lines:
        line.sort(key=lambda g: g.x0)
    return lines


def _inside(box: BBox, x: float, y: float) -> bool:
    return box[0] - 1 <= x <= box[2] + 1 and box[1] - 1 <= y <= box[3] + 1


def _overlap(box: BBox, g: Glyph) -> bool:
    return box[0] <= g.x1 and g.x0 <= box[2] and box[1] <= g.bottom and g.top <= box[3]


def drop_hidden(glyphs: list[Glyph], hidden: Sequence[Hidden]) -> list[Glyph]:
    """The glyphs a reader sees: a glyph over a clipped text object, centred outside its clip, goes.

    The glyph's box is tested for overlap, not its centre: a text object's box is its ink
    (a full stop's is a dot on the baseline), a glyph's is its whole em.
    """
    if not hidden:
        return glyphs
    band = 20.0  # points: a glyph is tested only against the clipped objects of its bands
    bands: dict[int, list[Hidden]] = {}
    for h in hidden:
        for b in range(int(h[0][1] // band), int(h[0][3] // band) + 1):
            bands.setdefault(b, []).append(h)
    kept = []
    for g in glyphs:
        x, y = (g.x0 + g.x1) / 2, (g.top + g.bottom) / 2
        near = {
            id(h): h for b in range(int(g.top // band), int(g.bottom // band) + 1) for h in bands.get(b, ())
        }
        if not any(_overlap(box, g) and not _inside(clip, x, y) for box, clip in near.values()):
            kept.append(g)
    return kept


def text_lines(glyphs: Iterable[Glyph]) -> list[TextLine]:
    out = []
    for line in _group_lines(glyphs):
        chunks = _chunks(line)
        if chunks:
            out.append(TextLine(min(g.top for g in line), max(g.bottom for g in line), chunks))
    return out


def _cell_text(glyphs: list[Glyph]) -> str:
    return join_wrapped(_join_chunks([c.text for c in _chunks(line)]) for line in _group_lines(glyphs))


def _edges(values: Iterable[float]) -> list[float]:
    """Distinct positions, those within ``EDGE_TOL`` of each other taken as one."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > EDGE_TOL:
            out.append(v)
    return out


def _nearest(edges: list[float], value: float) -> int:
    i = bisect_right(edges, value)
    if i == len(edges) or (i > 0 and value - edges[i - 1] <= edges[i] - value):
        return i - 1
    return i


def _fits(edges: list[float], onto: list[float]) -> bool:
    return all(abs(onto[_nearest(onto, x)] - x) <= EDGE_TOL for x in edges)


def _drop_slivers(xs: list[float], glyphs: Sequence[Glyph]) -> list[float]:
    """Column edges without the columns too narrow for a character that hold none.

    Such slivers come from a ruling a few points off another (an invisible white frame
    round the table, a border drawn twice): no cell lives there.  An edge one is merged
    into its neighbour by dropping the table's outer edge, an inner one into the column
    on its left.
    """
    sizes = sorted(g.size for g in glyphs if g.size > 0)
    narrow = SLIVER * (sizes[len(sizes) // 2] if sizes else 9.0)
    used = {bisect_right(xs, (g.x0 + g.x1) / 2) - 1 for g in glyphs}
    kept = list(xs)
    for k in range(len(xs) - 2, -1, -1):
        if len(kept) > 2 and xs[k + 1] - xs[k] < narrow and k not in used:
            kept.remove(xs[k] if k == 0 else xs[k + 1])
    return kept


def parse_ruled(
    boxes: Sequence[BBox], glyphs: Sequence[Glyph], columns: list[float] | None = None
) -> tuple[Grid, list[Glyph]]:
    """A ruled table's cell boxes and the glyphs on it → its grid, and the glyphs no cell holds.

    ``columns``: the column edges of the table this one continues (previous page); when
    every edge of this table is one of them, the rows are put on that grid, so a
    continued table's cells keep their columns.
    """
    xs = _drop_slivers(_edges([b[0] for b in boxes] + [b[2] for b in boxes]), glyphs)
    ys = _edges([b[1] for b in boxes] + [b[3] for b in boxes])
    if columns and _fits(xs, columns):
        xs = columns
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    owner = [[-1] * max(n_cols, 0) for _ in range(max(n_rows, 0))]
    spans: list[tuple[int, int, int, int]] = []
    for k, (x0, top, x1, bottom) in enumerate(boxes):
        c0, c1, r0, r1 = _nearest(xs, x0), _nearest(xs, x1), _nearest(ys, top), _nearest(ys, bottom)
        spans.append((c0, c1, r0, r1))
        for r in range(r0, r1):
            for c in range(c0, c1):
                owner[r][c] = k
    held: list[list[Glyph]] = [[] for _ in boxes]
    loose: list[Glyph] = []
    for g in glyphs:
        c = bisect_right(xs, (g.x0 + g.x1) / 2) - 1
        r = bisect_right(ys, (g.top + g.bottom) / 2) - 1
        k = owner[r][c] if 0 <= r < n_rows and 0 <= c < n_cols else -1
        (held[k] if k >= 0 else loose).append(g)
    texts = [_cell_text(h) if h else "" for h in held]
    rows: list[list[Cell]] = []
    for r in range(n_rows):
        cells: list[Cell] = []
        c = 0
        while c < n_cols:
            k = owner[r][c]
            if k < 0:
                c += 1
                continue
            c0, c1, r0, _ = spans[k]
            x0, top, x1, bottom = boxes[k]
            if r0 == r:
                cells.append(Cell(texts[k], col=c, colspan=c1 - c, bbox=(x0, top, x1, bottom)))
            else:
                cells.append(Cell("", col=c, colspan=c1 - c, merged=True, bbox=(x0, ys[r], x1, ys[r + 1])))
            c = c1
        if any(cell.text for cell in cells):
            rows.append(cells)
    return Grid(ys[0], ys[-1], rows, xs), loose


def _gutters(lines: list[TextLine]) -> list[tuple[float, float]]:
    """Column ranges of aligned lines: x-runs covered by chunks of more than a few lines."""
    left = int(min(c.x0 for line in lines for c in line.chunks))
    right = int(max(c.x1 for line in lines for c in line.chunks)) + 1
    cover = [0] * (right - left + 1)
    for line in lines:
        for c in line.chunks:
            for x in range(int(c.x0) - left, int(c.x1) - left + 1):
                cover[x] += 1
    # a heading or merged cell spanning a gutter in one line out of five does not close it
    floor = len(lines) // 5
    ranges: list[tuple[float, float]] = []
    start = None
    for x, n in enumerate([*cover, 0]):
        if n > floor and start is None:
            start = x
        elif n <= floor and start is not None:
            ranges.append((start + left, x - 1 + left))
            start = None
    return ranges


def _span(ranges: list[tuple[float, float]], chunk: Chunk) -> tuple[int, int]:
    hit = [i for i, (a, b) in enumerate(ranges) if chunk.x0 <= b and chunk.x1 >= a]
    if not hit:
        centre = (chunk.x0 + chunk.x1) / 2
        hit = [min(range(len(ranges)), key=lambda i: abs((ranges[i][0] + ranges[i][1]) / 2 - centre))]
    return hit[0], hit[-1] - hit[0] + 1


def _row_groups(lines: list[TextLine]) -> list[list[TextLine]]:
    """Lines into rows: where line pitches fall in two groups, the tight ones are wrapped cells."""
    pitches = [b.top - a.top for a, b in itertools.pairwise(lines)]
    cut = 0.0
    ordered = sorted(pitches)
    jumps = [(b / a, (a * b) ** 0.5) for a, b in itertools.pairwise(ordered) if a > 0]
    if jumps:
        ratio, middle = max(jumps)
        if ratio >= ROW_PITCH_JUMP:
            cut = middle
    groups = [[lines[0]]]
    for pitch, line in zip(pitches, lines[1:], strict=True):
        if pitch < cut:
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def parse_unruled(lines: list[TextLine]) -> Grid | None:
    """Lines whose chunks stand in columns → a grid, or None when they do not line up."""
    aligned = [line for line in lines if len(line.chunks) >= 2]
    ranges = _gutters(aligned)
    if len(ranges) < 2:
        return None
    edges = [ranges[0][0]] + [(a[1] + b[0]) / 2 for a, b in itertools.pairwise(ranges)]
    edges.append(ranges[-1][1])
    rows: list[list[Cell]] = []
    for group in _row_groups(lines):
        parts: dict[int, tuple[int, list[str], list[float]]] = {}
        for line in group:
            for chunk in line.chunks:
                col, span = _span(ranges, chunk)
                _, texts, box = parts.setdefault(col, (span, [], [chunk.x0, line.top, chunk.x1, line.bottom]))
                texts.append(chunk.text)
                box[0], box[2], box[3] = min(box[0], chunk.x0), max(box[2], chunk.x1), line.bottom
        cells = []
        end = -1
        for col in sorted(parts):
            span, texts, box = parts[col]
            if col <= end:
                continue  # covered by a chunk spanning it on an earlier line of the row
            cells.append(
                Cell(join_wrapped(texts), col=col, colspan=span, bbox=(box[0], box[1], box[2], box[3]))
            )
            end = col + span - 1
        rows.append(cells)
    return Grid(lines[0].top, lines[-1].bottom, rows, edges, ruled=False)


def _unruled_runs(lines: list[TextLine]) -> list[tuple[int, int]]:
    """Index ranges of lines that may form unruled tables: aligned lines close together."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        if len(lines[i].chunks) < 2:
            i += 1
            continue
        last, count, k = i, 1, i + 1
        while k < len(lines):
            height = max(lines[k - 1].bottom - lines[k - 1].top, 1.0)
            if lines[k].top - lines[k - 1].bottom > MAX_ROW_GAP * height or k - last > MAX_LOOSE_LINES:
                break
            if len(lines[k].chunks) >= 2:
                last, count = k, count + 1
            k += 1
        if count >= MIN_UNRULED_ROWS:
            runs.append((i, last + 1))
        i = last + 1
    return runs


def parse_page(
    glyphs: Sequence[Glyph], tables: Sequence[Sequence[BBox]], columns: list[float] | None = None
) -> list[Item]:
    """A page's glyphs and its ruled tables' cell boxes → text lines and grids, top to bottom.

    ``columns``: the column edges of a table the previous page ended with, for the first
    table of this page to continue on.
    """
    items: list[Item] = []
    rest = list(glyphs)
    for n, boxes in enumerate(sorted(tables, key=lambda b: min(box[1] for box in b))):
        x0, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
        x1, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
        inside: list[Glyph] = []
        outside: list[Glyph] = []
        for g in rest:
            within = x0 <= (g.x0 + g.x1) / 2 <= x1 and top <= (g.top + g.bottom) / 2 <= bottom
            (inside if within else outside).append(g)
        grid, loose = parse_ruled(boxes, inside, columns if n == 0 else None)
        if grid.rows:
            items.append(grid)
        rest = outside + loose
    lines = text_lines(rest)
    taken: set[int] = set()
    for start, end in _unruled_runs(lines):
        unruled = parse_unruled(lines[start:end])
        if unruled is not None:
            items.append(unruled)
            taken.update(range(start, end))
    items.extend(line for i, line in enumerate(lines) if i not in taken)
    items.sort(key=lambda item: item.top)
    return items


def continued_columns(items: Sequence[Item], height: float) -> list[float] | None:
    """The column edges of the ruled table a page ends with, if the page break may cut it; else None.

    Such a table reaches low on the page with nothing under it but page furniture, so the
    next page may go on with it (and is read for tables even without table words).
    """
    for k in range(len(items) - 1, -1, -1):
        item = items[k]
        if isinstance(item, Grid):
            if not item.ruled or item.bottom < LOW_ON_PAGE * height:
                return None
            after = [i for i in items[k + 1 :] if isinstance(i, TextLine)]
            return (
                item.edges if all(len(line.text.replace(" ", "")) <= FOOTER_CHARS for line in after) else None
            )
    return None
