"""Source readers: a file's bytes → :class:`extract.source.Source`, chosen by suffix or content.

``READERS`` maps a file suffix to its reader; ``read_source`` picks one and applies the
resource limits.  Each reader returns lines, with the cell grid wherever the file has one
(``extract.source``), and raises :class:`extract.errors.ExtractError` with one line naming
the file (and page or line) for anything it cannot read.
"""

from __future__ import annotations

from collections.abc import Callable
from os import PathLike
from pathlib import Path

from extract.errors import ExtractError
from extract.readers.pdf import read_pdf
from extract.source import Limits, Source, text_source
from extract.sources import CONVERTERS, text_from_bytes

__all__ = ["READERS", "Reader", "read_source", "source_from_bytes"]

Reader = Callable[[bytes, str, Limits], Source]


def _converted(suffix: str) -> Reader:
    def read(data: bytes, name: str, limits: Limits) -> Source:
        text, fmt = CONVERTERS[suffix](data, name)
        return text_source(text, name, fmt)

    return read


def _plain(data: bytes, name: str, limits: Limits) -> Source:
    text, fmt = text_from_bytes(data, name)
    return text_source(text, name, fmt)


# suffix -> reader; a suffix not listed is read as text (whose decoder names binary files)
READERS: dict[str, Reader] = {suffix: _converted(suffix) for suffix in CONVERTERS}
READERS[".pdf"] = read_pdf


def source_from_bytes(data: bytes, name: str, limits: Limits | None = None) -> Source:
    limits = limits or Limits()
    if len(data) > limits.max_bytes:
        raise ExtractError(name, f"file too large ({len(data):,} bytes; limit {limits.max_bytes:,})")
    reader = READERS.get(Path(name).suffix.lower(), _plain)
    return reader(data, name, limits)


def read_source(path: str | PathLike[str], limits: Limits | None = None) -> Source:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise ExtractError(p, f"cannot read it ({e.strerror or e})") from e
    return source_from_bytes(data, str(p), limits)
