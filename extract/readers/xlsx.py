"""Excel workbooks (.xlsx): every sheet's rows as a grid, merged ranges known, cells as displayed.

python-calamine reads the values (fast); before it does, each sheet's XML is scanned for
where its cells are, because calamine lays a sheet out as one dense block from its first
to its last cell: two cells at ``A1`` and ``XFD1048576`` in a 600-byte file make it
allocate 500 GB and abort the process.  The scan (a byte-level pass, no XML tree) also
collects the number format of each cell whose format changes what it shows (percent,
fixed decimals, dates), which calamine does not report: ``1`` under ``0%`` is ``100%``.

Each sheet opens with a line ``## <sheet name>``; its rows follow in order, one line per
row (a blank line for an empty row), each cell a :class:`Cell` at its column.  A merged
range's text sits in its top-left cell with the range's width as ``colspan``; the rows
below hold a ``merged`` cell at the same column.
"""

from __future__ import annotations

import io
import posixpath
import re
from dataclasses import dataclass, field
from typing import Any

from extract.errors import ExtractError
from extract.readers.grid import GridBuilder
from extract.readers.numfmt import BUILTIN_FORMATS, GENERAL, NumberFormat, parse_number_format
from extract.readers.package import Package, read_package
from extract.readers.sheet import SheetGrid
from extract.source import Limits, Source

__all__ = ["SheetScan", "read_xlsx", "scan_sheet"]

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_ROOT_PREFIX = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?worksheet[\s>]")
_S = re.compile(rb"""\ss\s*=\s*["']([^"']*)["']""")
_MAX_ROW = 1_048_576
_MAX_COL = 16_384


@dataclass
class SheetScan:
    """Where a sheet's cells are (0-based, inclusive), and the formats of the cells that need one."""

    first_row: int = -1
    last_row: int = -1
    first_col: int = -1
    last_col: int = -1
    cells: int = 0
    formats: dict[tuple[int, int], NumberFormat] = field(default_factory=dict)

    @property
    def area(self) -> int:
        if self.last_row < 0 or self.last_col < 0:
            return 0
        return (self.last_row - self.first_row + 1) * (self.last_col - self.first_col + 1)

    def extend(self, row: int, col: int) -> None:
        self.first_row = row if self.first_row < 0 else min(self.first_row, row)
        self.last_row = max(self.last_row, row)
        self.first_col = col if self.first_col < 0 else min(self.first_col, col)
        self.last_col = max(self.last_col, col)


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def scan_sheet(
    xml: bytes, name: str, sheet: str, limits: Limits, styles: dict[int, NumberFormat] | None = None
) -> SheetScan:
    """Positions (as calamine will place them) and formats of a sheet's cells, within the limits.

    ``styles`` maps the style indices whose format matters to their format.  Raises
    :class:`ExtractError` when the sheet holds more cells than ``limits.max_cells``, or
    spans an area (first to last cell) larger than that, before anything is allocated for it.
    """
    where = f"sheet {sheet}"
    match = _ROOT_PREFIX.search(xml, 0, 4096)
    prefix = (match.group(1) + b":") if match and match.group(1) else b""
    rough = (
        xml.count(b"<" + prefix + b"c ") + xml.count(b"<" + prefix + b"c>") + xml.count(b"<" + prefix + b"c/")
    )
    if rough > limits.max_cells:
        raise ExtractError(name, f"{where}: {rough:,} cells, over the limit of {limits.max_cells:,}")
    # one match per <row> or <c> tag: its name, its r attribute split into letters, digits and
    # anything else (wherever r stands among the attributes), and all its attributes
    tags = re.compile(
        rb"<" + re.escape(prefix) + rb"(row|c)(?=[\s/>])"
        rb"""(?:(?=[^>]*?\sr\s*=\s*["']([A-Z]*)([0-9]*)([^"']*)["']))?([^>]*)>"""
    )
    scan = SheetScan()
    row, col = -1, -1
    # extents kept in locals and column letters decoded once: this loop sees every cell
    first_row = first_col = _MAX_ROW
    last_row = last_col = -1
    columns: dict[bytes, int] = {}
    for m in tags.finditer(xml):  # not findall: a list of two million matches is itself a bomb
        tag, letters, digits, junk, attrs = m.groups()
        if b"&" in attrs:
            raise ExtractError(
                name, f"{where}: character references inside a cell position; no Excel writes them"
            )
        has_ref = letters is not None
        if tag == b"row":
            row = int(digits) - 1 if digits and not letters and not junk else row + 1
            col = -1
            if not 0 <= row < _MAX_ROW:
                raise ExtractError(name, f"{where}: row {row + 1:,} is outside any sheet")
            continue
        if has_ref:
            if junk or not letters or not digits or len(letters) > 3 or len(digits) > 7:
                shown = (letters + digits + junk)[:20]
                raise ExtractError(name, f"{where}: a cell at {shown!r}, which is no cell position")
            col = columns.get(letters, -1)
            if col < 0:
                col = columns[letters] = _column(letters)
            row = int(digits) - 1
        else:
            col += 1
            row = max(row, 0)
        if not (0 <= row < _MAX_ROW and 0 <= col < _MAX_COL):
            raise ExtractError(name, f"{where}: a cell outside any sheet")
        scan.cells += 1
        if row < first_row:
            first_row = row
        if row > last_row:
            last_row = row
        if col < first_col:
            first_col = col
        if col > last_col:
            last_col = col
        if styles:
            style = _S.search(attrs)
            if style and style.group(1).isdigit() and int(style.group(1)) in styles:
                scan.formats[(row, col)] = styles[int(style.group(1))]
    if last_row >= 0:
        scan.extend(first_row, first_col)
        scan.extend(last_row, last_col)
    if scan.area > limits.max_cells:
        raise ExtractError(
            name,
            f"{where}: cells spread from row {scan.first_row + 1} to {scan.last_row + 1:,} and column "
            f"{scan.first_col + 1} to {scan.last_col + 1:,}, an area over the limit of {limits.max_cells:,} cells",
        )
    if scan.last_col >= limits.max_cols:
        raise ExtractError(
            name, f"{where}: {scan.last_col + 1:,} columns, over the limit of {limits.max_cols:,}"
        )
    return scan


@dataclass
class _Sheet:
    name: str
    part: str
    hidden: bool


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _relationships(package: Package, part: str) -> dict[str, str]:
    rels_part = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    root = package.xml(rels_part)
    if root is None:
        return {}
    return {
        rel.get("Id", ""): _resolve(part, rel.get("Target", ""))
        for rel in root.iter(f"{_PKG_REL}Relationship")
    }


def _workbook_part(package: Package) -> str:
    root = package.xml("_rels/.rels")
    if root is not None:
        for rel in root.iter(f"{_PKG_REL}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                return rel.get("Target", "").lstrip("/")
    return "xl/workbook.xml"


def _sheets(package: Package, workbook: str) -> tuple[list[_Sheet], bool]:
    root = package.xml(workbook)
    if root is None:
        raise ExtractError(package.name, "not an Excel workbook (no workbook part)")
    rels = _relationships(package, workbook)
    pr = root.find(f"{_MAIN}workbookPr")
    date1904 = pr is not None and pr.get("date1904", "").lower() in ("1", "true")
    sheets = [
        _Sheet(
            s.get("name", ""), rels.get(s.get(f"{_REL}id", ""), ""), s.get("state", "visible") != "visible"
        )
        for s in root.iter(f"{_MAIN}sheet")
    ]
    return sheets, date1904


def _styles(package: Package, workbook: str) -> dict[int, NumberFormat]:
    """Style index -> number format, for the styles whose format changes what a number shows."""
    part = next(
        (p for p in _relationships(package, workbook).values() if p.endswith("styles.xml")), "xl/styles.xml"
    )
    root = package.xml(part)
    if root is None:
        return {}
    codes = dict(BUILTIN_FORMATS)
    for fmt in root.iter(f"{_MAIN}numFmt"):
        if (fmt.get("numFmtId") or "").isdigit():
            codes[int(fmt.get("numFmtId", "0"))] = fmt.get("formatCode", "")
    xfs = root.find(f"{_MAIN}cellXfs")
    out: dict[int, NumberFormat] = {}
    for index, xf in enumerate(xfs if xfs is not None else []):
        fmt_id = xf.get("numFmtId") or "0"
        fmt = parse_number_format(codes.get(int(fmt_id))) if fmt_id.isdigit() else GENERAL
        if fmt.kind in ("percent", "fixed", "date"):
            out[index] = fmt
    return out


def read_xlsx(data: bytes, name: str, limits: Limits) -> Source:
    package = read_package(data, name, limits)
    workbook = _workbook_part(package)
    sheets, date1904 = _sheets(package, workbook)
    styles = _styles(package, workbook)
    scans = {}
    for sheet in sheets:
        xml = package.part(sheet.part)
        if xml is not None:  # chart sheets and missing parts hold no cells
            scans[sheet.name] = scan_sheet(xml, name, sheet.name, limits, styles)
    total = sum(s.area for s in scans.values())
    if total > limits.max_cells:
        raise ExtractError(name, f"{total:,} cells over all sheets, over the limit of {limits.max_cells:,}")
    from python_calamine import CalamineWorkbook  # imported here: only workbooks need it

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(package.repacked()))
    except Exception as e:  # calamine raises its own error types for each kind of damage
        raise ExtractError(name, f"not a readable Excel workbook ({e})") from e
    builder = GridBuilder(name, limits)
    for sheet in sheets:
        if sheet.name not in scans or sheet.part.startswith("xl/chartsheets/"):
            continue
        builder.text(f"## {sheet.name}" + (" (hidden sheet)" if sheet.hidden else ""))
        try:
            values = book.get_sheet_by_name(sheet.name)
        except Exception as e:
            raise ExtractError(name, f"sheet {sheet.name}: cannot be read ({e})") from e
        _read_sheet(values, scans[sheet.name], builder, date1904)
    return builder.source("xlsx", data)


def _read_sheet(sheet: Any, scan: SheetScan, builder: GridBuilder, date1904: bool) -> None:
    grid = SheetGrid(builder, builder.new_grid(), scan.last_row, date1904)
    grid.merge(sheet.merged_cell_ranges, f"sheet {sheet.name}")
    first_row, first_col = sheet.start or (0, 0)
    formats = scan.formats
    # to_python() starts at the first cell (iter_rows() starts at row 0 but the first column)
    for i, values in enumerate(sheet.to_python()):
        r = first_row + i
        grid.row(
            r, [(first_col + j, v, formats.get((r, first_col + j), GENERAL)) for j, v in enumerate(values)]
        )
    grid.finish()
