"""Workbook sheets as every spreadsheet the project writes them: one flat table per sheet.

A bold, frozen header row with filters; columns as wide as their text (Chinese characters count
double, capped, longer text wrapped); and every cell value written through :func:`cell_value`,
the one place that decides what a value becomes in a cell (a text like ``=100%`` stays text,
never a formula, marked as Excel marks it; characters a workbook cannot hold shown as their
pictures), on :mod:`extract.cellsafe`'s judgement, which the CSV writers share.

Books are written in openpyxl's write-only mode, row by row, so a sheet of a million cells needs
no more memory than its rows: widths are measured on the rows first, which the caller hands over
as a sequence.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from extract.cellsafe import is_formula_like, printable

__all__ = ["MAX_WIDTH", "Sheet", "cell_value", "generate_workbook", "text_width"]

MAX_WIDTH = 60  # characters; a longer text wraps

Sheet = tuple[str, Sequence[str], Sequence[Sequence[Any]]]  # title, header, rows


def cell_value(value: Any) -> Any:
    """What a cell holds for ``value``: numbers and booleans as they are, text with the control
    characters a workbook rejects shown as their pictures (:func:`extract.cellsafe.printable`; stored
    as text by :func:`generate_workbook`, whatever it starts with)."""
    if isinstance(value, str):
        return printable(value)
    return value


def text_width(text: str) -> int:
    """Display width of the longest line: wide (CJK) characters count two."""
    return max(
        (
            sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
            for line in text.splitlines()
        ),
        default=0,
    )


def _widths(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[int]:
    widths = [text_width(h) + 2 for h in header]
    for row in rows:
        for c, value in enumerate(row):
            if isinstance(value, str) and c < len(widths):
                widths[c] = max(widths[c], min(MAX_WIDTH, text_width(value) + 2))
            elif isinstance(value, int | float) and c < len(widths):
                widths[c] = max(widths[c], len(str(value)) + 2)
    return widths


def generate_workbook(sheets: Sequence[Sheet]) -> bytes:
    """An .xlsx holding one sheet per (title, header, rows)."""
    book = Workbook(write_only=True)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for title, header, rows in sheets:
        sheet = book.create_sheet(title)
        widths = _widths(header, rows)
        for c, width in enumerate(widths, 1):
            sheet.column_dimensions[get_column_letter(c)].width = width
        sheet.freeze_panes = "A2"
        last = get_column_letter(max(len(header), 1))
        sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
        head = []
        for name in header:
            cell = WriteOnlyCell(sheet, value=cell_value(name))
            cell.font = bold
            head.append(cell)
        sheet.append(head)
        for row in rows:
            out: list[Any] = []
            for c, raw in enumerate(row):
                value = cell_value(raw)
                formula_like = isinstance(value, str) and is_formula_like(value)
                if isinstance(value, str) and (
                    formula_like or (c < len(widths) and widths[c] >= MAX_WIDTH) or "\n" in value
                ):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.data_type = "s"  # "=100%" as written, not a formula
                    # Excel's own mark for such text: it stays text even when the cell is edited
                    cell.quotePrefix = formula_like
                    cell.alignment = wrap
                    out.append(cell)
                else:
                    out.append(value)
            sheet.append(out)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
