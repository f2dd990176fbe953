"""Source readers: seconds and rows per second for generated files, beside the parsing library alone.

    python benchmarks/readers_throughput.py [--rows 20000]

For each format a table of ``--rows`` indicator rows (L1 merged over runs of rows) is written
in memory, then read by the project's reader (``extract.readers.source_from_bytes``: limits,
guards, grid) and, as the baseline in the same process, by the library alone: calamine for
.xlsx, xlrd for .xls, lxml for HTML and for the .docx body, csv for CSV.  The difference is
what the guards and the grid cost.  Also the peak memory of the whole run.
"""

from __future__ import annotations

import argparse
import csv
import io
import resource
import time
import zipfile
from collections.abc import Callable

from extract.readers import source_from_bytes


def _rows(n: int) -> list[list[str]]:
    return [["产出指标" if i % 10 == 0 else "", "数量指标", f"指标{i}", f"≥{i % 100}%"] for i in range(n)]


def make_xlsx(n: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("绩效目标")
    for row in _rows(n):
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def make_xls(n: int) -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("绩效目标")
    for r, row in enumerate(_rows(min(n, 65_000))):
        for c, text in enumerate(row):
            if text:
                sheet.write(r, c, text)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def make_html(n: int) -> bytes:
    body = "".join(
        ("<tr><td rowspan=10>产出指标" if i % 10 == 0 else "<tr>") + f"<td>数量指标<td>指标{i}<td>≥{i % 100}%"
        for i in range(n)
    )
    return f"<html><body><table>{body}</table></body></html>".encode()


def make_docx(n: int) -> bytes:
    import docx

    document = docx.Document()
    table = document.add_table(rows=0, cols=4)
    for row in _rows(n):
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def make_csv(n: int) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(_rows(n))
    return buf.getvalue().encode()


def base_xlsx(data: bytes) -> None:
    from python_calamine import CalamineWorkbook

    CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


def base_xls(data: bytes) -> None:
    import xlrd

    xlrd.open_workbook(file_contents=data, formatting_info=True, logfile=io.StringIO())


def base_html(data: bytes) -> None:
    from lxml import etree

    etree.fromstring(data, etree.HTMLParser())


def base_docx(data: bytes) -> None:
    from lxml import etree

    etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))


def base_csv(data: bytes) -> None:
    list(csv.reader(io.StringIO(data.decode())))


FORMATS: dict[str, tuple[Callable[[int], bytes], Callable[[bytes], None]]] = {
    ".xlsx": (make_xlsx, base_xlsx),
    ".xls": (make_xls, base_xls),
    ".html": (make_html, base_html),
    ".docx": (make_docx, base_docx),
    ".csv": (make_csv, base_csv),
}


def _time(run: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    print(f"{'format':7} {'size':>9} {'library':>9} {'reader':>9} {'rows/s':>9}")
    for suffix, (make, base) in FORMATS.items():
        data = make(args.rows)
        baseline, _ = _time(lambda data=data, base=base: base(data))
        reader, source = _time(lambda data=data, suffix=suffix: source_from_bytes(data, f"t{suffix}"))
        lines = len(getattr(source, "lines", []))
        print(f"{suffix:7} {len(data) / 1e6:8.2f}M {baseline:8.2f}s {reader:8.2f}s {lines / reader:9,.0f}")
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
