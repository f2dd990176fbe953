"""Source readers: a file's bytes → :class:`extract.source.Source`, chosen by content, then suffix.

``READERS`` maps a reader key (a file suffix) to its reader.  ``source_from_bytes`` looks
at the bytes first (:mod:`extract.sniff`): a Word or Excel file, an OLE2 file, a PDF or a
web page is read as what it is whatever its name; only text is read by its suffix (``.csv``,
``.tsv``, ``.html``; anything else as plain text).  Content that is no document (images,
archives, executables) is named in one line: ``x.png: not a document (a PNG image)``.
Each reader returns lines, with the cell grid wherever the file has one
(``extract.source``), checks the resource limits (``Limits``) as it reads, and raises
:class:`extract.errors.ExtractError` with one line naming the file (and place) for anything
it cannot read.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from os import PathLike
from pathlib import Path

from extract.errors import ExtractError
from extract.sniff import sniff, sniff_ole, sniff_zip
from extract.source import Limits, Source

__all__ = ["READERS", "Reader", "read_source", "reader_key", "source_from_bytes"]

Reader = Callable[[bytes, str, Limits], Source]
_HEAD = 8192  # bytes sniffed before a file is read whole


def _lazy(module: str, function: str) -> Reader:
    """A reader imported when first used: a text-only run never loads lxml, calamine or xlrd."""

    def read(data: bytes, name: str, limits: Limits) -> Source:
        reader: Reader = getattr(importlib.import_module(module), function)
        return reader(data, name, limits)

    return read


_plain = _lazy("extract.readers.text", "read_plain")
_html = _lazy("extract.readers.html", "read_html")
_delimited = _lazy("extract.readers.text", "read_delimited")
_xlsx = _lazy("extract.readers.xlsx", "read_xlsx")
_xls = _lazy("extract.readers.xls", "read_xls")
_docx = _lazy("extract.readers.docx", "read_docx")
_pdf = _lazy("extract.readers.pdf", "read_pdf")


def _converted(source: str, target: str) -> Reader:
    def read(data: bytes, name: str, limits: Limits) -> Source:
        from extract.readers.convert import read_converted

        return read_converted(data, name, limits, source, target, READERS[target])

    return read


# reader key (file suffix) -> reader; text with a suffix not listed is read as plain text
READERS: dict[str, Reader] = {
    ".txt": _plain,
    ".html": _html,
    ".htm": _html,
    ".xhtml": _html,
    ".shtml": _html,
    ".csv": _delimited,
    ".tsv": _delimited,
    ".xlsx": _xlsx,
    ".xlsm": _xlsx,
    ".xls": _xls,
    ".docx": _docx,
    ".docm": _docx,
    ".pdf": _pdf,
    # formats LibreOffice converts to one read above (.wps and .et files are read by their
    # content: OLE2 Word or Excel streams)
    ".doc": _converted(".doc", ".docx"),
    ".rtf": _converted(".rtf", ".docx"),
    ".odt": _converted(".odt", ".docx"),
    ".ods": _converted(".ods", ".xlsx"),
}


def reader_key(data: bytes, name: str) -> str:
    """The key of the reader for these bytes: by content, and for text by the file's suffix."""
    suffix = Path(name).suffix.lower()
    found = sniff(data[:_HEAD])
    if found.kind == ".zip":
        found = sniff_zip(data)
    elif found.kind == ".ole":
        # .wps and .et files (WPS Office) are OLE2 files with Word and Excel streams too
        found = sniff_ole(data)
    if found.kind == "":
        raise ExtractError(name, f"not a document ({found.what})")
    if found.kind is None:  # text: its suffix says how it is laid out
        return suffix if suffix in (".html", ".htm", ".xhtml", ".shtml", ".csv", ".tsv") else ".txt"
    if found.kind not in READERS:
        raise ExtractError(
            name, f"not readable here ({found.what}; no reader for {found.kind} files is installed)"
        )
    return found.kind


def source_from_bytes(data: bytes, name: str, limits: Limits | None = None) -> Source:
    limits = limits or Limits()
    if len(data) > limits.max_bytes:
        raise ExtractError(name, f"file too large ({len(data):,} bytes; limit {limits.max_bytes:,})")
    if not data.strip():
        raise ExtractError(name, "empty file")
    return READERS[reader_key(data, name)](data, name, limits)


def read_source(path: str | PathLike[str], limits: Limits | None = None) -> Source:
    """Read one file; a folder, a file over the size limit or no document is named without reading it all."""
    limits = limits or Limits()
    p = Path(path)
    try:
        if p.is_dir():
            if p.is_symlink():
                raise ExtractError(p, "a link to a folder, not followed")
            os.listdir(p)
            raise ExtractError(p, "is a folder, not a file")
        with p.open("rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > limits.max_bytes:
                raise ExtractError(p, f"file too large ({size:,} bytes; limit {limits.max_bytes:,})")
            head = f.read(_HEAD)
            found = sniff(head)
            if found.kind == "":
                raise ExtractError(p, f"not a document ({found.what})")
            data = head + f.read(limits.max_bytes + 1 - len(head))
    except OSError as e:
        what = "a folder that cannot be read" if p.is_dir() else "cannot read it"
        raise ExtractError(p, f"{what} ({e.strerror or e})") from e
    return source_from_bytes(data, str(p), limits)
