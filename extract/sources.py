"""Input formats other than plain text, turned into the tab-separated text the readers know.

A web page's ``<table>`` becomes one line per ``<tr>`` with cells joined by tabs; a
spreadsheet (``.xlsx``, ``.csv``, ``.tsv``) becomes one line per row, so a row's line number
is its row number (sheets follow one another, each opened by a line with its title).
Merged cells arrive as empty cells, exactly the damage the tab reader already repairs.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from extract.decode import decode_bytes
from extract.errors import ExtractError

__all__ = ["CONVERTERS", "html_to_text", "looks_like_html", "text_from_bytes"]

_BLOCK_TAGS = {
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
    "section",
    "article",
    "title",
    "table",
}


class _TableText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.cells: list[str] | None = None
        self.cell: list[str] | None = None
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "tr":
            self._flush()
            self.cells = []
        elif tag in ("td", "th") and self.cells is not None:
            self.cell = []
            span = dict(attrs).get("colspan")
            self._colspan = int(span) if span and span.isdigit() else 1
        elif tag in _BLOCK_TAGS and self.cell is None:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th") and self.cells is not None and self.cell is not None:
            text = re.sub(r"\s+", " ", "".join(self.cell)).strip()
            self.cells.extend([text] + [""] * (self._colspan - 1))
            self.cell = None
        elif tag == "tr" and self.cells is not None:
            self.lines.append("\t".join(self.cells))
            self.cells = None
        elif tag in _BLOCK_TAGS and self.cell is None:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.cell is not None:
            self.cell.append(data)
        elif self.cells is None:
            self.current.append(data)

    def _flush(self) -> None:
        text = re.sub(r"[ \t\r\n]+", " ", "".join(self.current)).strip()
        if text:
            self.lines.append(text)
        self.current = []


def html_to_text(html: str) -> str:
    parser = _TableText()
    parser.feed(html)
    parser.close()
    parser._flush()
    return "\n".join(parser.lines) + "\n"


def _csv_to_text(text: str) -> str:
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = csv.reader(io.StringIO(text), dialect)
    return "\n".join("\t".join(cell.strip() for cell in row) for row in rows) + "\n"


def _xlsx_to_text(data: bytes, name: str) -> str:
    from openpyxl import load_workbook  # imported here: only spreadsheets need it

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many types for a damaged file
        raise ExtractError(name, f"not a readable .xlsx workbook ({e})") from e
    lines: list[str] = []
    for sheet in book.worksheets:
        lines.append(f"## {sheet.title}")
        for row in sheet.iter_rows(values_only=True):
            cells = ["" if v is None else _cell_text(v) for v in row]
            while cells and not cells[-1]:
                cells.pop()
            lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return re.sub(r"\s*\n\s*", "", str(value)).strip()


def _decoded(convert: Callable[[str], str]) -> Callable[[bytes, str], tuple[str, str]]:
    def run(data: bytes, name: str) -> tuple[str, str]:
        text, encoding = decode_bytes(data, name)
        return convert(text), encoding

    return run


# file suffix -> bytes-to-text converter; anything else is read as plain text
CONVERTERS: dict[str, Callable[[bytes, str], tuple[str, str]]] = {
    ".html": _decoded(html_to_text),
    ".htm": _decoded(html_to_text),
    ".csv": _decoded(_csv_to_text),
    ".tsv": _decoded(_csv_to_text),
    ".xlsx": lambda data, name: (_xlsx_to_text(data, name), "xlsx"),
}


_HTML_TABLE = re.compile(r"<t[dh][\s>]", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """A page's source saved as .txt: an <html> document, or table markup in quantity."""
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or len(_HTML_TABLE.findall(text, 0, 200_000)) >= 8


def text_from_bytes(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding or format) of a document's bytes, by its file suffix (or its content)."""
    convert = CONVERTERS.get(Path(name).suffix.lower())
    if convert is None:
        text, encoding = decode_bytes(data, name)
        if looks_like_html(text):
            return html_to_text(text), f"{encoding}, html"
        return text, encoding
    if not data.strip():
        raise ExtractError(name, "empty file")
    return convert(data, name)
