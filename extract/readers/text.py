"""Plain text and delimited text (CSV, TSV).

Plain text is one line per ``\\n``; its cells are recovered later from the text.  A web
page's source saved as ``.txt`` is read as the page it is.  A CSV or TSV file is one grid,
one row per record, the delimiter sniffed (comma, tab or semicolon); a field longer than
the limit is a one-line error naming the file and line, not a traceback from ``csv``.
"""

from __future__ import annotations

import csv
import io

from extract.decode import decode_bytes
from extract.errors import ExtractError
from extract.readers.grid import GridBuilder
from extract.readers.html import looks_like_html, read_html_text
from extract.source import Cell, Limits, Source, text_source

__all__ = ["read_delimited", "read_plain"]


def read_plain(data: bytes, name: str, limits: Limits) -> Source:
    text, encoding = decode_bytes(data, name)
    if looks_like_html(text):
        return read_html_text(text, name, limits, encoding, data)
    return text_source(text, name, encoding)


def read_delimited(data: bytes, name: str, limits: Limits) -> Source:
    text, encoding = decode_bytes(data, name)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    builder = GridBuilder(name, limits)
    grid = builder.new_grid()
    # the limit is process-wide in the csv module: set it for this file each time
    csv.field_size_limit(limits.max_field_chars)
    rows = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for row in rows:
            where = f"line {rows.line_num}"
            builder.check_width(len(row), where)
            builder.row([Cell(value.strip(), col) for col, value in enumerate(row)], grid, where)
    except csv.Error as e:
        message = str(e)
        if "field limit" in message:
            message = f"a field of more than {limits.max_field_chars:,} characters (the limit)"
        raise ExtractError(name, f"line {rows.line_num}: {message}") from e
    return builder.source(encoding, data)
