"""Hostile input files: each costs what the limits allow, is named in one line, and stops no other file.

The files are made here at test time: an xlsx ZIP bomb, an xlsx whose ZIP lies about its
sizes, cells far apart in a tiny sheet, a huge declared sheet dimension, colspan bombs, a
200 KB CSV field, XXE and billion-laughs markup in a sheet and a Word file, bad spans.
"""

from __future__ import annotations

import functools
import io
import json
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from render import SPEC, render

from extract.errors import ExtractError
from extract.readers import source_from_bytes
from extract.source import Limits

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0"?><workbook xmlns="{_MAIN}" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def xlsx(sheet_data: str, prolog: str = "", head: str = "") -> bytes:
    """A minimal workbook with one sheet whose <sheetData> is ``sheet_data``."""
    sheet = f'<?xml version="1.0"?>{prolog}<worksheet xmlns="{_MAIN}">{head}<sheetData>{sheet_data}</sheetData></worksheet>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buf.getvalue()


def xlsx_bomb(megabytes: int) -> bytes:
    """A workbook whose one sheet inflates to ``megabytes`` MB of cells (streamed: cheap to make)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in _PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            member.write(f'<?xml version="1.0"?><worksheet xmlns="{_MAIN}"><sheetData><row r="1">'.encode())
            chunk = b"<c><v>1</v></c>" * 65536
            for _ in range(megabytes * (1 << 20) // len(chunk)):
                member.write(chunk)
            member.write(b"</row></sheetData></worksheet>")
    return buf.getvalue()


def lying_sizes(data: bytes, member: str, size: int) -> bytes:
    """The ZIP with ``member``'s stated uncompressed size replaced by ``size`` (its data unchanged)."""
    out = bytearray(data)
    name = member.encode()
    # central directory entry: signature, then the uncompressed size at offset 24, name at 46
    at = out.find(b"PK\x01\x02")
    while at != -1:
        name_len = struct.unpack_from("<H", out, at + 28)[0]
        if bytes(out[at + 46 : at + 46 + name_len]) == name:
            struct.pack_into("<I", out, at + 24, size)
        at = out.find(b"PK\x01\x02", at + 4)
    return bytes(out)


LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    + "]>"
)
XXE = '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def docx_with(document_xml: str) -> bytes:
    good = render(SPEC, "docx")
    src = zipfile.ZipFile(io.BytesIO(good))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = document_xml.encode() if info.filename == "word/document.xml" else src.read(info)
            out.writestr(info.filename, data)
    return buf.getvalue()


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@functools.cache
def hostile_files() -> dict[str, tuple[bytes, str]]:
    """File name -> (bytes, what its one error line must say); made once per test session."""
    inline = '<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'
    return {
        "bomb.xlsx": (xlsx_bomb(240), "over the limit"),
        "lying.xlsx": (
            lying_sizes(
                xlsx('<row r="1">' + inline.format(ref="A1", text="x" * 5000) + "</row>"),
                "xl/worksheets/sheet1.xml",
                100,
            ),
            "larger than the ZIP says",
        ),
        "far_cells.xlsx": (
            xlsx(
                '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
            ),
            "an area over the limit",
        ),
        "far_cells_r_last.xlsx": (
            xlsx('<row r="1"><c t="n" r="A1"><v>1</v></c><c s="0" t="n" r="XFD1048576"><v>1</v></c></row>'),
            "an area over the limit",
        ),
        "many_cells.xlsx": (
            xlsx('<row r="1">' + "<c/>" * 2_100_000 + "</row>"),
            "over the limit of 2,000,000",
        ),
        "xxe.xlsx": (
            xlsx('<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>', prolog=XXE),
            "XXE",
        ),
        "laughs.xlsx": (
            xlsx('<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>', prolog=LAUGHS),
            "XXE",
        ),
        "entity_ref.xlsx": (
            xlsx('<row r="1"><c r="&#88;FD1048576"><v>1</v></c></row>'),
            "character references",
        ),
        "laughs.docx": (
            docx_with(
                f'<?xml version="1.0"?>{LAUGHS}<w:document {_W}><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>'
            ),
            "XXE",
        ),
        "gridspan.docx": (
            docx_with(
                f'<?xml version="1.0"?><w:document {_W}><w:body><w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="50000000"/>'
                "</w:tcPr><w:p/></w:tc></w:tr></w:tbl></w:body></w:document>"
            ),
            "gridSpan 50,000,000 is over the limit",
        ),
        "colspan.html": (
            b'<table><tr><td colspan="50000000">x</td></tr></table>',
            "colspan 50,000,000 is over the limit",
        ),
        "colspans.html": (
            ("<table><tr>" + '<td colspan="1000">x</td>' * 200 + "</tr></table>").encode(),
            "columns, over the limit of 512",
        ),
        "field.csv": (b'a,"' + b"x" * 200_000 + b'"\n', "line 1: a field of more than 100,000 characters"),
        "picture.png": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "not a document (a PNG image)"),
    }


def test_the_bomb_is_a_real_bomb() -> None:
    data = xlsx_bomb(240)
    inflated = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    assert len(data) < 500_000 and inflated > 240_000_000


@pytest.mark.parametrize(
    "name", ["lying.xlsx", "far_cells.xlsx", "far_cells_r_last.xlsx", "xxe.xlsx", "laughs.xlsx", "entity_ref.xlsx", "laughs.docx",
             "gridspan.docx", "colspan.html", "colspans.html", "field.csv", "picture.png"]
)  # fmt: skip
def test_a_hostile_file_is_one_line_naming_it(name: str) -> None:
    data, says = hostile_files()[name]
    with pytest.raises(ExtractError) as raised:
        source_from_bytes(data, name)
    message = str(raised.value)
    assert message.startswith(f"{name}: ") and says in message and "\n" not in message


def test_a_huge_declared_sheet_dimension_costs_nothing() -> None:
    # calamine places cells by where they are, not by <dimension>: the workbook is read, not refused
    data = xlsx(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>指标值</t></is></c></row>',
        head='<dimension ref="A1:XFD1048576"/>',
    )
    assert [line.text for line in source_from_bytes(data, "dim.xlsx").lines] == ["## S", "指标值"]


def test_external_entities_in_a_web_page_are_never_read() -> None:
    page = f"{XXE}<html><body><table><tr><td>&xxe;</td><td>指标</td></tr></table></body></html>"
    source = source_from_bytes(page.encode(), "xxe.html")
    assert "root:" not in "\n".join(line.text for line in source.lines)


@pytest.mark.parametrize(
    ("limits", "data", "name", "says"),
    [
        (Limits(max_rows=3), b"a\nb\nc\nd\n", "rows.csv", "more than 3 table rows"),
        (Limits(max_cells=5), b"a,b,c\nd,e,f\n", "cells.csv", "more than 5 table cells"),
        (
            Limits(max_span=4),
            b"<table><tr><td rowspan=5>x</td></tr></table>",
            "span.html",
            "rowspan 5 is over the limit of 4",
        ),
        (
            Limits(max_field_chars=10),
            b"<table><tr><td>" + "长".encode() * 11 + b"</td></tr></table>",
            "f.html",
            "a cell of 11 characters",
        ),
        (Limits(max_bytes=10), b"<table><tr><td>12345678901</td></tr></table>", "big.html", "file too large"),
    ],
)
def test_each_limit_stops_a_reader_with_one_line(limits: Limits, data: bytes, name: str, says: str) -> None:
    with pytest.raises(ExtractError, match=f"^{name}: .*{says}"):
        source_from_bytes(data, name, limits)


_RUN = """
import json, resource, subprocess, sys, time
start = time.monotonic()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({"code": done.returncode, "stderr": done.stderr, "seconds": time.monotonic() - start,
                  "peak_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


@pytest.mark.slow
def test_a_folder_of_hostile_files_costs_bounded_memory_and_time_and_the_good_file_is_read(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    bad = hostile_files()
    for name, (data, _) in bad.items():
        (folder / name).write_bytes(data)
    (folder / "good.docx").write_bytes(render(SPEC, "docx"))
    out = tmp_path / "out.json"
    kg = [
        sys.executable,
        "-c",
        "from kg.cli import main; main()",
        "extract",
        str(folder),
        "-o",
        str(out),
        "-q",
    ]
    run = json.loads(
        subprocess.run([sys.executable, "-c", _RUN, *kg], capture_output=True, text=True, check=True).stdout
    )
    errors = [line for line in run["stderr"].splitlines() if line.startswith("error: ")]
    assert "Traceback" not in run["stderr"] and run["code"] == 1
    for name, (_, says) in bad.items():
        (line,) = [e for e in errors if f"/{name}: " in e]
        assert says in line
    assert len(errors) == len(bad)
    docs = json.loads(out.read_text(encoding="utf-8"))
    assert [d["source"] for d in docs] == ["good.docx"] and docs[0]["tables"][0]["indicators"]
    # generous caps: a 240 MB bomb is refused before it is inflated; everything else is small
    assert run["peak_kb"] < 1_000_000, f"peak RSS {run['peak_kb'] / 1024:.0f} MB"
    assert run["seconds"] < 120
