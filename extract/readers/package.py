"""Office Open XML packages (.docx, .xlsx) opened within the limits, their XML parsed safely.

A ZIP states each member's uncompressed size; :func:`read_package` checks those sizes
against the limit before inflating anything, then inflates each member it keeps with a
bounded read (a member whose data runs past its stated size is refused, not trusted), so
a 300 KB bomb costs what the limit allows and no more.  No Office part has a document type
declaration: a part that holds one (XXE, billion laughs) is refused before any parser sees
it, and :func:`parse_xml` never resolves entities or reaches the network anyway.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from lxml import etree

from extract.errors import ExtractError
from extract.source import Limits

__all__ = ["MAX_MEMBERS", "Package", "parse_xml", "read_package"]

MAX_MEMBERS = 10_000  # members in one package (a real workbook has tens)
_DOCTYPE = (b"<!DOCTYPE", b"<!doctype", "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be"))
_ENTITY = (b"<!ENTITY", "<!ENTITY".encode("utf-16-le"), "<!ENTITY".encode("utf-16-be"))
_XML_PART = re.compile(r"\.(?:xml|rels|vml)$", re.IGNORECASE)


@dataclass
class Package:
    """The XML parts of a package, inflated and checked; ``name`` is the file's for errors."""

    name: str
    parts: dict[str, bytes]

    def part(self, member: str) -> bytes | None:
        return self.parts.get(member)

    def xml(self, member: str) -> Any | None:
        data = self.parts.get(member)
        return None if data is None else parse_xml(data, self.name, member)

    def repacked(self) -> bytes:
        """The kept parts as a new, uncompressed ZIP: what a library reads is what was checked."""
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as out:
            for member, data in self.parts.items():
                out.writestr(member, data)
        return buf.getvalue()


def read_package(data: bytes, name: str, limits: Limits, keep: re.Pattern[str] = _XML_PART) -> Package:
    """Inflate the members whose names match ``keep`` (the XML parts), within ``limits.max_bytes``."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise ExtractError(name, f"not a readable Office file (damaged ZIP: {e})") from e
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ExtractError(name, f"{len(infos):,} parts in the file, over the limit of {MAX_MEMBERS:,}")
        kept = [info for info in infos if keep.search(info.filename) and not info.is_dir()]
        declared = sum(info.file_size for info in kept)
        if declared > limits.max_bytes:
            raise ExtractError(
                name,
                f"{declared:,} bytes once uncompressed, over the limit of {limits.max_bytes:,} (a ZIP bomb?)",
            )
        parts: dict[str, bytes] = {}
        for info in kept:
            parts[info.filename] = _inflate(archive, info, name)
    for member, part in parts.items():
        if any(mark in part for mark in _DOCTYPE + _ENTITY):
            raise ExtractError(
                name, f"{member} declares a document type or entities; no Office file does (XXE?)"
            )
    return Package(name, parts)


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    try:
        with archive.open(info) as member:
            data = member.read(info.file_size + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as e:
        # zipfile stops at the stated size: data running past it fails the checksum
        raise ExtractError(name, f"part {info.filename} is damaged or larger than the ZIP says ({e})") from e
    if len(data) > info.file_size:
        raise ExtractError(name, f"part {info.filename} is larger than the ZIP says (a ZIP bomb?)")
    return data


def parse_xml(data: bytes, name: str, member: str) -> Any:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        raise ExtractError(name, f"part {member} is not well-formed XML ({e})") from e
