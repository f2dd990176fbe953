"""The edges of extraction: files in, records out."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterable, Iterator
from os import PathLike
from pathlib import Path
from typing import Any, TextIO

from extract.atomic import atomic_output, write_bytes_atomic
from extract.cellsafe import csv_cell
from extract.errors import ExtractError
from extract.keys import generate_document_keys
from extract.pipeline import parse_source
from extract.readers import read_source
from extract.records import Document
from extract.sheets import generate_workbook

__all__ = [
    "CSV_FIELDS",
    "FORMATS",
    "csv_rows",
    "document_paths",
    "extract_paths",
    "read_document",
    "write_documents",
    "write_xlsx",
]


def read_document(path: str | PathLike[str], name: str | None = None) -> Document:
    """The records of one file; ``name`` is its key in ``source`` (default: the file name)."""
    source = read_source(path)
    source.name = name or Path(path).name
    return parse_source(source)


def document_paths(paths: Iterable[str | PathLike[str]]) -> list[Path]:
    """Files named, plus every file inside the folders named (recursive, sorted per folder).

    Nothing is left out silently: every file is listed, so that its reader reads it or names
    why not (an image, an archive); a sub-folder that cannot be listed is listed itself, and
    reading it gives the reason.  Hidden files and folders (``.git``, ``.DS_Store``) are not
    searched.  Deep folders are walked without recursion; links to folders are not followed.
    """
    found: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found.extend(_walk(p))
        else:
            found.append(p)
    return found


def _walk(top: Path) -> Iterator[Path]:
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            yield folder  # reading it says why it cannot be listed
            continue
        subfolders: list[Path] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                subfolders.append(Path(entry.path))
            else:
                yield Path(entry.path)
        # a folder's files first, then its sub-folders in name order
        stack.extend(reversed(subfolders))


def extract_paths(paths: Iterable[str | PathLike[str]]) -> Iterator[tuple[Path, Document | ExtractError]]:
    """Each document with its records, or the error that stopped it; one bad file stops nothing."""
    found = document_paths(paths)
    keys = generate_document_keys(p.resolve() for p in found)
    for p in found:
        try:
            yield p, read_document(p, keys[p.resolve()])
        except ExtractError as e:
            yield p, e


CSV_FIELDS = [
    "source", "department", "budget_year", "table_line", "table_kind", "scope", "name", "implementing_unit",
    "project_code", "annual_total", "annual_fiscal", "midterm_total", "funding_source", "period",
    "l1", "l2", "l3", "value", "actual", "weight", "score", "description", "page", "line", "target_kind",
    "comparator", "number",
    "number_max", "unit", "date", "vague", "vague_terms",
]  # fmt: skip


def csv_rows(docs: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """One row per indicator with its table's and document's fields repeated."""
    for doc in docs:
        for table in doc["tables"]:
            funding = table.get("funding") or {}
            for ind in table["indicators"]:
                target = ind.get("target") or {}
                yield {
                    "source": doc["source"],
                    "department": doc.get("department"),
                    "budget_year": doc.get("budget_year"),
                    "table_line": table["line"],
                    "table_kind": table.get("kind") or "target",
                    "scope": table["scope"],
                    "name": table["name"],
                    "implementing_unit": table.get("implementing_unit"),
                    "project_code": table.get("project_code"),
                    "annual_total": funding.get("annual_total"),
                    "annual_fiscal": funding.get("annual_fiscal"),
                    "midterm_total": funding.get("midterm_total"),
                    "funding_source": funding.get("source"),
                    "period": ind.get("period"),
                    "l1": ind.get("l1"),
                    "l2": ind.get("l2"),
                    "l3": ind.get("l3"),
                    "value": ind.get("value"),
                    "actual": ind.get("actual"),
                    "weight": ind.get("weight"),
                    "score": ind.get("score"),
                    "description": ind.get("description"),
                    "page": ind.get("page"),
                    "line": ind.get("line"),
                    "target_kind": target.get("kind"),
                    "comparator": target.get("comparator"),
                    "number": target.get("number"),
                    "number_max": target.get("number_max"),
                    "unit": target.get("unit"),
                    "date": target.get("date"),
                    "vague": target.get("vague"),
                    "vague_terms": "、".join(target.get("vague_terms") or []),
                }


def _write_json(docs: list[dict[str, Any]], out: TextIO) -> None:
    json.dump(docs, out, ensure_ascii=False, indent=1)
    out.write("\n")


def _write_jsonl(docs: list[dict[str, Any]], out: TextIO) -> None:
    for doc in docs:
        out.write(json.dumps(doc, ensure_ascii=False) + "\n")


def _write_csv(docs: list[dict[str, Any]], out: TextIO) -> None:
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS)
    writer.writeheader()
    writer.writerows({k: csv_cell(v) for k, v in row.items()} for row in csv_rows(docs))


# output format -> writer of document dicts
FORMATS: dict[str, Callable[[list[dict[str, Any]], TextIO], None]] = {
    "json": _write_json,
    "jsonl": _write_jsonl,
    "csv": _write_csv,
}


def write_xlsx(docs: list[dict[str, Any]], path: str | PathLike[str]) -> None:
    """The CSV rows as a workbook: one sheet ``indicators`` (see :mod:`extract.sheets`)."""
    rows = [[row[f] for f in CSV_FIELDS] for row in csv_rows(docs)]
    write_bytes_atomic(path, generate_workbook([("indicators", CSV_FIELDS, rows)]))


def write_documents(docs: list[dict[str, Any]], path: str | PathLike[str], fmt: str = "json") -> None:
    """Write ``docs`` to ``path`` in ``fmt`` (json, jsonl, csv, xlsx), replacing it only once complete."""
    if fmt == "xlsx":
        write_xlsx(docs, path)
        return
    # utf-8-sig for CSV: Excel only reads Chinese CSV right with a BOM
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    with atomic_output(path) as raw:
        out = io.TextIOWrapper(raw, encoding=encoding, newline="" if fmt == "csv" else None)
        FORMATS[fmt](docs, out)
        out.flush()
        out.detach()  # the atomic writer, not the wrapper, closes the file


def dumps(docs: list[dict[str, Any]], fmt: str = "json") -> str:
    buf = io.StringIO()
    FORMATS[fmt](docs, buf)
    return buf.getvalue()
