"""Bytes of a disclosure → text, whatever encoding it was saved in.

Tried in this order, the first that fits wins:

1. byte-order marks: UTF-32, UTF-8, UTF-16 (LE/BE);
2. UTF-16 without a BOM, recognised by its NUL bytes: every ASCII character (newlines,
   tabs, digits) has a NUL high byte, always on the same side of the pair;
3. strict UTF-8 (a long Chinese text that decodes as UTF-8 is UTF-8: GBK bytes almost
   never form valid UTF-8 sequences);
4. UTF-8 with a few damaged bytes (at most one in a thousand), replaced by U+FFFD;
5. GB18030, the superset of GBK and GB2312 (strict, then with a few damaged bytes).

Anything else (a PDF, an Office file, an image, NUL bytes in no UTF-16 pattern, bytes
that decode to control characters) and empty files raise :class:`ExtractError` with one
line saying what the file is.  Newlines come back as ``\\n`` only (``\\r\\n`` and lone
``\\r`` folded), so line numbers agree with any reader that splits on ``\\n``; callers
should not use ``str.splitlines``, which also breaks on form feeds and U+2028.
"""

from __future__ import annotations

import codecs
import re
from os import PathLike
from pathlib import Path

from extract.errors import ExtractError
from extract.sniff import SIGNATURES

__all__ = ["decode_bytes", "read_text"]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# control characters no text file holds (tab, newlines, vertical tab and form feed are
# fine: PDF converters emit form feeds at page breaks), private-use code points that
# undecodable GB bytes map to (replaced damage is bounded apart)
_SUSPECT = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ue000-\uf8ff]")
_SNIFF = 1 << 16  # bytes looked at for the NUL pattern
_MAX_DAMAGE = 1 / 1000  # share of undecodable bytes still read as damage, not as binary
_MAX_SUSPECT = 1 / 100  # share of suspect characters in decoded text


def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Decode a document's bytes; return ``(text, encoding)``.

    ``encoding`` is a Python codec name (``utf-8``, ``utf-8-sig``, ``utf-16-le``,
    ``utf-16-be``, ``utf-32-le``, ``utf-32-be``, ``gb18030``), followed by a note in
    brackets when damaged bytes were replaced, e.g. ``utf-8 (2 bytes replaced)``.
    Raises :class:`ExtractError` naming ``name`` when the bytes are not text or empty.
    """
    if not data.strip():
        raise ExtractError(name, "empty file")
    what = _signature(data)
    if what:
        raise ExtractError(name, f"not a text file ({what}); convert it to text first")
    text, encoding = _decode(data, name)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise ExtractError(name, "empty file")
    if len(_SUSPECT.findall(text)) > _MAX_SUSPECT * len(text):
        raise ExtractError(name, f"not a text file (binary data; decoded as {encoding})")
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


def read_text(path: str | PathLike[str]) -> tuple[str, str]:
    """Read and decode one document; OS errors become :class:`ExtractError` too."""
    p = Path(path)
    if p.is_dir():
        raise ExtractError(path, "is a folder, not a file")
    try:
        data = p.read_bytes()
    except OSError as e:
        raise ExtractError(path, f"cannot read it ({e.strerror or e})") from e
    return decode_bytes(data, str(path))


def _signature(data: bytes) -> str | None:
    head = data[:1024].lstrip()
    for magic, _kind, what in SIGNATURES:
        if head.startswith(magic):
            return what
    return None


def _decode(data: bytes, name: str) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as e:
                raise ExtractError(
                    name, f"not a text file (byte-order mark says {encoding}, but byte {e.start} is not)"
                ) from e
    if b"\x00" in data:
        utf16 = _utf16_by_nuls(data)
        if utf16 is None:
            raise ExtractError(name, "not a text file (NUL bytes)")
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError as e:
            raise ExtractError(name, "not a text file (NUL bytes, yet not UTF-16)") from e
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            pass
        text = data.decode(encoding, errors="replace")
        damaged = text.count("\ufffd") - data.count("\ufffd".encode(encoding))
        # one bad byte is tolerated even in a short UTF-8 file: GB18030 would read its
        # bytes as valid but wrong characters
        if damaged <= max(encoding == "utf-8", _MAX_DAMAGE * len(data)):
            return text, f"{encoding} ({damaged} byte{'s' * (damaged > 1)} replaced)"
    raise ExtractError(name, "not a text file (neither UTF-8, UTF-16 nor GB18030)")


def _utf16_by_nuls(data: bytes) -> str | None:
    """UTF-16 byte order when the NULs sit on one side of the byte pairs, else None."""
    head = data[: _SNIFF - _SNIFF % 2] if len(data) > _SNIFF else data[: len(data) - len(data) % 2]
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    pairs = len(head) // 2
    # a table text has many ASCII characters (newlines, tabs, digits); binary has NULs
    # on both sides
    if pairs == 0 or even + odd < pairs / 50:
        return None
    if odd >= 0.95 * (even + odd):
        return "utf-16-le"
    if even >= 0.95 * (even + odd):
        return "utf-16-be"
    return None
