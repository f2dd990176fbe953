"""Web pages: the text around tables as lines, each data table's rows as a grid.

lxml's HTML parser (libxml2) repairs what browsers repair: omitted ``</td>`` and
``</tr>``, stray tags, unclosed paragraphs.  A *data table* (one with no table inside it)
becomes grid rows with ``rowspan``/``colspan`` expanded as a browser lays them out; a
*layout table* (old government pages wrap the whole page in one) is read as running
text, its cells as lines, so the data tables inside it are found.  ``<br>``, ``<p>`` and
other blocks inside a cell are joined as one cell text (:func:`join_pieces`).

Pages saved as ``.txt`` are recognised by :func:`looks_like_html`; the encoding comes
from a byte-order mark, valid UTF-8, the page's ``<meta charset>`` (or ``http-equiv``),
then the usual detection (:mod:`extract.decode`).
"""

from __future__ import annotations

import codecs
import re
from typing import Any

from lxml import etree

from extract.decode import decode_bytes
from extract.errors import ExtractError
from extract.readers.grid import GridBuilder, join_pieces, parse_span
from extract.source import Cell, Limits, Source

__all__ = ["decode_html", "looks_like_html", "read_html", "read_html_text"]

_BLOCKS = frozenset(
    [
        "p",
        "div",
        "br",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "aside",
        "main",
        "title",
        "table",
        "caption",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "blockquote",
        "pre",
        "hr",
        "form",
        "fieldset",
        "address",
        "figure",
        "figcaption",
    ]
)
_SKIP = frozenset(
    ["script", "style", "noscript", "template", "svg", "math", "object", "iframe", "select", "option"]
)
_CELL_BREAKS = frozenset(
    ["br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "blockquote", "pre"]
)
_SPACE = re.compile(r"[ \t\r\n\f\v\xa0]+")
_META_CHARSET = re.compile(
    rb"<meta[^>]{0,300}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]{2,40})", re.IGNORECASE
)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_HTML_TABLE = re.compile(r"<t[dh][\s>]", re.IGNORECASE)
# GB2312 and GBK pages often hold characters only their superset has
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "hz": "gb18030", "ascii": "utf-8"}


def looks_like_html(text: str) -> bool:
    """A page's source saved as .txt: an <html> document, or table markup in quantity."""
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or len(_HTML_TABLE.findall(text, 0, 200_000)) >= 8


def _declared_codec(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:8192])
    if not match:
        return None
    try:
        codec = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    return _SUPERSETS.get(codec, codec)


def decode_html(data: bytes, name: str) -> tuple[str, str]:
    """A page's text and encoding: BOM, valid UTF-8, the declared charset, then detection."""
    declared = _declared_codec(data)
    if (
        declared
        and declared not in ("utf-8", "gb18030")
        and not data.startswith((codecs.BOM_UTF8, b"\xff\xfe", b"\xfe\xff"))
    ):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            # a declared Big5 or Shift-JIS page that is not UTF-8 is what it says
            try:
                return data.decode(declared).replace("\r\n", "\n").replace("\r", "\n"), declared
            except (UnicodeDecodeError, LookupError):
                pass
    return decode_bytes(data, name)


def read_html(data: bytes, name: str, limits: Limits) -> Source:
    text, encoding = decode_html(data, name)
    return read_html_text(text, name, limits, encoding, data)


def read_html_text(text: str, name: str, limits: Limits, fmt: str, data: bytes) -> Source:
    """The lines and grids of a page already decoded (``fmt`` names its encoding)."""
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(_XML_DECL.sub("", text.replace("\x00", "")), parser)
    except (etree.ParserError, ValueError) as e:
        raise ExtractError(name, f"not a readable web page ({e})") from e
    if root is None:
        raise ExtractError(name, "empty web page")
    builder = GridBuilder(name, limits)
    _read_page(root, builder)
    if not any(line.text.strip() for line in builder.lines):
        raise ExtractError(name, "a web page with no text")
    return builder.source(f"{fmt}, html" if "html" not in fmt else fmt, data)


def _tag(el: Any) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _layout_tables(root: Any) -> set[Any]:
    """Tables holding another table: page layout, read as text (one upward step per table)."""
    layout = set()
    for table in root.iter("table"):
        parent = next(table.iterancestors("table"), None)
        if parent is not None:
            layout.add(parent)
    return layout


def _read_page(root: Any, builder: GridBuilder) -> None:
    layout = _layout_tables(root)
    current: list[str] = []

    def flush() -> None:
        line = _SPACE.sub(" ", "".join(current)).strip()
        current.clear()
        if line:
            builder.text(line)

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = _tag(el)
        if event == "start":
            if tag in _SKIP or not tag:
                walker.skip_subtree()
                continue
            if tag in _BLOCKS:
                flush()
            if tag == "table" and el not in layout:
                _read_table(el, builder)
                walker.skip_subtree()
                continue
            if el.text:
                current.append(el.text)
        else:
            if tag in _BLOCKS:
                flush()
            if el.tail:
                current.append(el.tail)
    flush()


def _cell_text(td: Any) -> str:
    pieces: list[str] = []
    current: list[str] = []
    walker = etree.iterwalk(td, events=("start", "end"))
    for event, el in walker:
        tag = _tag(el)
        if event == "start":
            if el is not td and (tag in _SKIP or not tag):
                walker.skip_subtree()
                continue
            if tag in _CELL_BREAKS:
                pieces.append("".join(current))
                current.clear()
            if el.text:
                current.append(el.text)
        else:
            if tag in _CELL_BREAKS:
                pieces.append("".join(current))
                current.clear()
            if el is not td and el.tail:
                current.append(el.tail)
    pieces.append("".join(current))
    return join_pieces(pieces)


def _read_table(table: Any, builder: GridBuilder) -> None:
    """Rows with spans laid out as a browser does: a cell takes the next column not covered from above."""
    grid = builder.new_grid()
    where_table = f"table {grid + 1}"
    for caption in table.iterchildren("caption"):
        text = _cell_text(caption)
        if text:
            builder.text(text)
    rows = list(table.iter("tr"))
    # column -> [anchor column, rows still covered, colspan] of a cell spanning down into later rows
    carried: dict[int, list[int]] = {}
    for r, tr in enumerate(rows):
        where = f"{where_table}, row {r + 1}"
        covered = {anchor: span for anchor, span in carried.items()}
        taken: set[int] = set()
        for anchor, (_, cs) in covered.items():
            taken.update(range(anchor, anchor + cs))
        cells: list[Cell] = []
        col = 0
        for td in tr.iterchildren("td", "th"):
            while col in taken:
                col += 1
            cs = builder.check_span(parse_span(td.get("colspan")) or 1, "colspan", where)
            raw_rs = parse_span(td.get("rowspan"))
            # rowspan="0" spans the rest of the table
            rs = len(rows) - r if raw_rs == 0 else builder.check_span(raw_rs or 1, "rowspan", where)
            builder.check_width(col + cs, where)
            cells.append(Cell(builder.cell_text(_cell_text(td), where), col, cs))
            if rs > 1:
                carried[col] = [rs - 1, cs]
            col += cs
        for anchor, (_, cs) in covered.items():
            cells.append(Cell("", anchor, cs, merged=True))
            carried[anchor][0] -= 1
            if carried[anchor][0] <= 0:
                del carried[anchor]
        cells.sort(key=lambda c: c.col)
        if cells:
            builder.row(cells, grid, where)
