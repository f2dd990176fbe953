"""What a file's bytes are, whatever its name says.

People rename files (a ``.xls`` saved as ``.txt``, a Word file without a suffix) and
folders hold everything (scans, archives, pictures).  :func:`sniff` reads the first bytes
and returns the kind of content: a document format a reader knows, or something that is
not a document, with the words to name it in a one-line error.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

__all__ = ["SIGNATURES", "Sniffed", "sniff", "sniff_ole", "sniff_zip"]

# magic numbers: (prefix, kind, what to call it); kind is a reader key (a suffix) for
# document formats, "" for content that is no document
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", ".pdf", "PDF bytes"),
    (b"PK\x03\x04", ".zip", "a ZIP archive, e.g. .docx or .xlsx"),
    (b"PK\x05\x06", ".zip", "an empty ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".ole", "an old Office file, e.g. .doc or .xls"),
    (b"{\\rtf", ".rtf", "an RTF document"),
    (b"\x89PNG\r\n\x1a\n", "", "a PNG image"),
    (b"\xff\xd8\xff", "", "a JPEG image"),
    (b"GIF87a", "", "a GIF image"),
    (b"GIF89a", "", "a GIF image"),
    (b"II*\x00", "", "a TIFF image"),
    (b"MM\x00*", "", "a TIFF image"),
    (b"\x7fELF", "", "an executable"),
    (b"\x1f\x8b", "", "gzip-compressed data"),
    (b"BZh", "", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "", "xz-compressed data"),
    (b"Rar!\x1a\x07", "", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "", "a 7z archive"),
    (b"\x00\x00\x00\x0cjP  ", "", "a JPEG 2000 image"),
    (b"ID3", "", "an MP3 audio file"),
    (b"OggS", "", "an Ogg media file"),
    (b"\x1aE\xdf\xa3", "", "a video file"),
)
# formats found further into the first bytes: (offset, magic, what)
_AT_OFFSET: tuple[tuple[int, bytes, str], ...] = (
    (4, b"ftyp", "a video or image file (MP4/HEIC)"),
    (8, b"WEBP", "a WEBP image"),
    (8, b"AVI ", "a video file"),
    (8, b"WAVE", "a WAV audio file"),
)
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL)
_OFD = b"OFD"  # Chinese fixed-layout format inside a ZIP: name it, no reader

# the members that say what an Office Open XML or OpenDocument ZIP holds
_ZIP_KINDS: tuple[tuple[str, str, str], ...] = (
    ("word/document.xml", ".docx", "a Word document"),
    ("xl/workbook.xml", ".xlsx", "an Excel workbook"),
    ("ppt/presentation.xml", "", "a PowerPoint presentation"),
    ("OFD.xml", "", "an OFD document (convert it to PDF first)"),
)
_ODF_KINDS = {
    b"application/vnd.oasis.opendocument.text": (".odt", "an OpenDocument text"),
    b"application/vnd.oasis.opendocument.spreadsheet": (".ods", "an OpenDocument spreadsheet"),
}
# OLE2 (old Office) directory entries are UTF-16 names: the stream names tell Word from Excel
_OLE_KINDS: tuple[tuple[bytes, str, str], ...] = (
    ("WordDocument".encode("utf-16-le"), ".doc", "an old Word document"),
    ("Workbook".encode("utf-16-le"), ".xls", "an old Excel workbook"),
    ("Book\x00".encode("utf-16-le"), ".xls", "an old Excel workbook"),
    ("PowerPoint Document".encode("utf-16-le"), "", "an old PowerPoint presentation"),
)


@dataclass(frozen=True)
class Sniffed:
    """``kind``: a reader key (".pdf", ".docx", ".html" …), "" for no document, None for plain text."""

    kind: str | None
    what: str


def sniff(head: bytes) -> Sniffed:
    """The kind of content from a file's first bytes (a few KB suffice)."""
    stripped = head[:1024].lstrip()
    for magic, kind, what in SIGNATURES:
        # leading whitespace is tolerated only for text-like signatures (PDF, RTF)
        if head.startswith(magic) or (kind in (".pdf", ".rtf") and stripped.startswith(magic)):
            return Sniffed(kind, what)
    for offset, magic, what in _AT_OFFSET:
        if head[offset : offset + len(magic)] == magic:
            return Sniffed("", what)
    if _HTML_START.match(head[:4096]):
        return Sniffed(".html", "a web page")
    return Sniffed(None, "text")


def sniff_zip(data: bytes) -> Sniffed:
    """What a ZIP holds, from its member names (the archive is listed, nothing inflated)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            # read at most 100 bytes: a member may be a bomb
            mimetype = b""
            if "mimetype" in names:
                with archive.open("mimetype") as part:
                    mimetype = part.read(100)
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, ValueError, NotImplementedError) as e:
        return Sniffed("", f"a damaged ZIP archive ({e})")
    for member, kind, what in _ZIP_KINDS:
        if member in names:
            return Sniffed(kind, what)
    if mimetype.strip() in _ODF_KINDS:
        kind, what = _ODF_KINDS[mimetype.strip()]
        return Sniffed(kind, what)
    if any(n.startswith(_OFD.decode()) for n in names):
        return Sniffed("", "an OFD document (convert it to PDF first)")
    return Sniffed("", "a ZIP archive (unpack it, then read the folder)")


def sniff_ole(data: bytes) -> Sniffed:
    """Word, Excel or PowerPoint, from the stream names in an OLE2 file's directory."""
    for name, kind, what in _OLE_KINDS:
        if name in data:
            return Sniffed(kind, what)
    return Sniffed("", "an OLE2 file of unknown kind")
