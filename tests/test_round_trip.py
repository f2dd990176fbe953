"""The same table in every input format reads back to the same records (indicator F1 1.0)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from render import FORMATS, SPEC, expected_indicators, render

from extract.pipeline import parse_source
from extract.readers import READERS, read_source, source_from_bytes

# record fields that say where and how a row was found, which differs by format (a sheet's
# title line shifts every line by one, a PDF has pages, a grid is read as a grid), not what it says
_PROVENANCE = {"line", "end_line", "page", "source", "encoding", "sha256", "unparsed", "layout"}


def records(fmt: str) -> dict[str, Any]:
    suffix = FORMATS[fmt][0]
    if suffix not in READERS:
        pytest.skip(f"no reader for {suffix} on this branch (the PDF reader is another engineer's)")
    doc = parse_source(source_from_bytes(render(SPEC, fmt), f"table{suffix}")).to_dict()
    return _content(doc)


def _content(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _content(v) for k, v in value.items() if k not in _PROVENANCE}
    if isinstance(value, list):
        return [_content(v) for v in value]
    return value


def f1(found: list[tuple[str, ...]], gold: list[tuple[str, ...]]) -> float:
    hits = len(set(found) & set(gold))
    return 0.0 if not hits else 2 * hits / (len(found) + len(gold))


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_the_table_reads_back_to_its_indicators_in_every_format(fmt: str) -> None:
    doc = records(fmt)
    found = [(i["l1"], i["l2"], i["l3"], i["value"]) for t in doc["tables"] for i in t["indicators"]]
    assert f1(found, expected_indicators(SPEC)) == 1.0
    assert found == expected_indicators(SPEC)


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "txt"])
def test_every_format_gives_the_records_the_text_gives(fmt: str) -> None:
    assert records(fmt) == records("txt")


def test_the_rendered_pdf_has_a_ruled_table_with_merged_cells_pdfplumber_reads() -> None:
    pdfplumber = pytest.importorskip("pdfplumber")
    import io

    with pdfplumber.open(io.BytesIO(render(SPEC, "pdf"))) as pdf:
        (table,) = pdf.pages[0].extract_tables()
    l1_column = [row[0] for row in table[-len(SPEC.rows) :]]
    # the L1 cell spans five rows: pdfplumber returns None for the four it covers
    assert l1_column[:5] == ["产出指标", None, None, None, None]
    assert [row[2] for row in table[-len(SPEC.rows) :]] == [r[2] for r in SPEC.rows]


@pytest.mark.slow
def test_a_word_97_file_reads_back_through_libreoffice(tmp_path: Path) -> None:
    from extract.readers.convert import convert_with_libreoffice, soffice_path
    from extract.source import Limits

    if soffice_path() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    # the .doc is made from the rendered .docx by LibreOffice itself, then read back through it
    doc = convert_with_libreoffice(render(SPEC, "docx"), "table.docx", ".docx", ".doc", Limits())
    assert doc.startswith(b"\xd0\xcf\x11\xe0")
    (tmp_path / "table.doc").write_bytes(doc)
    source = read_source(tmp_path / "table.doc")
    assert source.format.startswith("doc via LibreOffice")
    assert _content(parse_source(source).to_dict()) == records("txt")
