"""Old Excel workbooks (.xls, BIFF8): every sheet's rows as a grid, like .xlsx.

Read with xlrd, not python-calamine: calamine does not report .xls number formats (a
percent-formatted ``1`` comes back as ``1``), nor lets a sheet's size be checked before it
lays the sheet out densely.  xlrd gives each cell with its format and the merged ranges,
and holds only the cells the file has.  An .xls sheet has at most 65,536 rows and 256
columns; the limits on rows and cells still apply.
"""

from __future__ import annotations

import io
from typing import Any

from extract.errors import ExtractError
from extract.readers.grid import GridBuilder
from extract.readers.numfmt import GENERAL, NumberFormat, parse_number_format
from extract.readers.sheet import SheetGrid
from extract.source import Limits, Source

__all__ = ["read_xls"]

_TEXT, _NUMBER, _DATE, _BOOLEAN, _ERROR = 1, 2, 3, 4, 5  # xlrd cell types


def read_xls(data: bytes, name: str, limits: Limits) -> Source:
    import xlrd  # imported here: only old workbooks need it

    try:
        book = xlrd.open_workbook(
            file_contents=data, formatting_info=True, ragged_rows=True, logfile=io.StringIO(), verbosity=0
        )
    except Exception as e:  # xlrd raises XLRDError, CompDocError, struct errors … for damaged files
        raise ExtractError(name, f"not a readable .xls workbook ({e})") from e
    formats = _formats(book)
    builder = GridBuilder(name, limits)
    cells = sum(sum(sheet.row_len(r) for r in range(sheet.nrows)) for sheet in book.sheets())
    if cells > limits.max_cells:
        raise ExtractError(name, f"{cells:,} cells, over the limit of {limits.max_cells:,}")
    for sheet in book.sheets():
        hidden = " (hidden sheet)" if sheet.visibility else ""
        builder.text(f"## {sheet.name}{hidden}")
        _read_sheet(sheet, formats, builder, book.datemode == 1)
    return builder.source("xls", data)


def _formats(book: Any) -> list[NumberFormat]:
    """Number format per XF (cell style) index."""
    out = []
    for xf in book.xf_list:
        fmt = book.format_map.get(xf.format_key)
        out.append(parse_number_format(fmt.format_str) if fmt is not None else GENERAL)
    return out


def _read_sheet(sheet: Any, formats: list[NumberFormat], builder: GridBuilder, date1904: bool) -> None:
    grid = SheetGrid(builder, builder.new_grid(), sheet.nrows - 1, date1904)
    # xlrd's ranges are half-open (row_lo, row_hi, col_lo, col_hi)
    ranges = [((r0, c0), (r1 - 1, c1 - 1)) for r0, r1, c0, c1 in sheet.merged_cells]
    grid.merge(ranges, f"sheet {sheet.name}")
    for r in range(sheet.nrows):
        values = []
        for c in range(sheet.row_len(r)):
            cell = sheet.cell(r, c)
            if cell.ctype not in (_TEXT, _NUMBER, _DATE, _BOOLEAN, _ERROR):
                continue
            value: object = cell.value
            if cell.ctype == _BOOLEAN:
                value = bool(value)
            elif cell.ctype == _ERROR:
                value = _error_text(cell.value)
            fmt = formats[cell.xf_index] if 0 <= cell.xf_index < len(formats) else GENERAL
            if cell.ctype == _DATE and fmt.kind != "date":
                fmt = NumberFormat("date")
            values.append((c, value, fmt))
        grid.row(r, values)
    grid.finish()


def _error_text(code: int) -> str:
    from xlrd import error_text_from_code

    return str(error_text_from_code.get(code, "#ERROR"))
