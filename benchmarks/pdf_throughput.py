"""Pages per second of the PDF reader on a generated 100-page disclosure (tables on four pages in five).

Prints, side by side in one run: ``pdftotext`` on the same file (the floor: text only, in C),
the reader's pypdfium2 pre-filter alone (every page's text), the whole reader (pre-filter,
then the table pass on the pages with table words: pdfium's glyphs and rulings, pdfplumber's
table finder), and, for scale, plain pdfplumber (its own page parse, table finder and cell
text) on every page.

    .venv/bin/python benchmarks/pdf_throughput.py [--pages 100] [--pdf some.pdf]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from extract.readers.pdf import read_pdf, read_texts  # noqa: E402
from extract.source import Limits  # noqa: E402


def measure(label: str, pages: int, run: Callable[[], object], floor: float | None) -> float:
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    ratio = f"{seconds / floor:8.1f}× pdftotext" if floor else ""
    print(f"{label:48} {seconds:8.2f} s {pages / seconds:9.1f} pages/s {ratio}")
    return seconds


def pdfplumber_everywhere(data: bytes) -> None:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for table in page.find_tables():
                table.extract()
            page.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100, help="pages of the generated PDF")
    parser.add_argument("--pdf", type=Path, help="measure this PDF instead of a generated one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.pdf:
            path = args.pdf
        else:
            from pdf_fixtures import bulk_pdf

            path = Path(tmp) / "bulk.pdf"
            path.write_bytes(bulk_pdf(args.pages))
        data = path.read_bytes()
        source = read_pdf(data, path.name, Limits())
        pages = max(line.page or 0 for line in source.lines)
        grids = len({line.grid for line in source.lines if line.grid is not None})
        print(f"{path.name}: {pages} pages, {len(data) / 1e6:.2f} MB, {grids} table grids read")
        floor = None
        if shutil.which("pdftotext"):
            floor = measure(
                "pdftotext (baseline: text only, C)",
                pages,
                lambda: subprocess.run(["pdftotext", "-q", str(path), "-"], check=True, capture_output=True),
                None,
            )
        else:
            print("pdftotext is not installed (poppler-utils): no baseline")
        measure("pre-filter: pypdfium2 text of every page", pages, lambda: read_texts(data, path.name), floor)
        measure(
            "reader: pre-filter + table pass on table pages",
            pages,
            lambda: read_pdf(data, path.name, Limits()),
            floor,
        )
        measure("plain pdfplumber: tables of every page", pages, lambda: pdfplumber_everywhere(data), floor)


if __name__ == "__main__":
    main()
