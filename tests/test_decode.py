"""Decoding documents: every encoding disclosures come in, and a clear error for the rest."""

from __future__ import annotations

import codecs
import pickle
import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.decode import decode_bytes, read_text
from extract.errors import ExtractError

# a small table in the tab layout, written for these tests
TABLE = (
    "项目支出绩效目标表（2021年度）\n"
    "一级指标\t二级指标\t三级指标\t指标值\n"
    "产出指标\t数量指标\t培训次数\t≥3次\n"
    "\t时效指标\t完成时间\t2021年12月31日前\n"
    "满意度指标\t服务对象满意度\t群众满意度\t≥90%\n"
)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TABLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TABLE.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + TABLE.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + TABLE.encode("utf-16-be"), "utf-16-be"),
        (TABLE.encode("utf-16-le"), "utf-16-le"),
        (TABLE.encode("utf-16-be"), "utf-16-be"),
        (codecs.BOM_UTF32_LE + TABLE.encode("utf-32-le"), "utf-32-le"),
        (TABLE.encode("gb18030"), "gb18030"),
        (TABLE.encode("gbk"), "gb18030"),
        (TABLE.encode("gb2312"), "gb18030"),
    ],
    ids=[
        "utf8",
        "utf8-bom",
        "utf16le-bom",
        "utf16be-bom",
        "utf16le",
        "utf16be",
        "utf32le-bom",
        "gb18030",
        "gbk",
        "gb2312",
    ],
)
def test_each_encoding_decodes_to_the_same_text(data: bytes, encoding: str) -> None:
    assert decode_bytes(data, "doc.txt") == (TABLE, encoding)


def test_gb18030_only_characters_survive() -> None:
    text = "项目名称：䶮山医保信息化（𠀀）\n指标值\t≥1次\n"  # outside GBK: needs GB18030's four-byte forms
    assert decode_bytes(text.encode("gb18030"), "doc.txt") == (text, "gb18030")


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_windows_and_old_mac_newlines_become_line_feeds(newline: str) -> None:
    data = TABLE.replace("\n", newline).encode("gbk")
    text, _ = decode_bytes(data, "doc.txt")
    assert text == TABLE
    assert text.split("\n")[2] == "产出指标\t数量指标\t培训次数\t≥3次"


def test_form_feeds_from_pdf_converters_are_kept() -> None:
    text = TABLE + "\f第2页\n"
    assert decode_bytes(text.encode("utf-8"), "doc.txt")[0] == text


def test_a_damaged_utf8_byte_is_replaced_not_misread_as_gb18030() -> None:
    data = TABLE.encode("utf-8")
    cut = data.index("培训".encode()) + 1  # inside a three-byte character
    text, encoding = decode_bytes(data[:cut] + data[cut + 1 :], "doc.txt")
    assert encoding == "utf-8 (1 byte replaced)"
    assert "\ufffd" in text and "群众满意度" in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "doc.txt: empty file"),
        (b" \n\r\n\t", "doc.txt: empty file"),
        (codecs.BOM_UTF8, "doc.txt: empty file"),
        (codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"), "doc.txt: empty file"),
        (
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
            "doc.txt: not a text file (PDF bytes); convert it to text first",
        ),
        (
            b"PK\x03\x04\x14\x00\x06\x00",
            "doc.txt: not a text file (a ZIP archive, e.g. .docx or .xlsx); convert it to text first",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00",
            "doc.txt: not a text file (an old Office file, e.g. .doc or .xls); convert it to text first",
        ),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "doc.txt: not a text file (a PNG image); convert it to text first",
        ),
    ],
    ids=["empty", "blank", "bom-only", "utf16-blank", "pdf", "docx", "doc", "png"],
)
def test_files_that_are_not_text_raise_one_line_naming_the_file(data: bytes, message: str) -> None:
    with pytest.raises(ExtractError) as info:
        decode_bytes(data, "doc.txt")
    assert str(info.value) == message
    assert info.value.path == "doc.txt"
    assert "\n" not in str(info.value)


def test_random_binary_with_nul_bytes_is_not_text() -> None:
    data = random.Random(1).randbytes(4096)
    with pytest.raises(ExtractError, match=r"^blob\.txt: not a text file \(NUL bytes\)$"):
        decode_bytes(data, "blob.txt")


def test_binary_without_nul_bytes_is_not_text() -> None:
    data = bytes(b for b in random.Random(2).randbytes(8192) if b)
    with pytest.raises(ExtractError, match=r"^blob\.txt: not a text file"):
        decode_bytes(data, "blob.txt")


def test_control_characters_make_decodable_bytes_binary() -> None:
    data = bytes(range(1, 32)) * 40 + TABLE.encode("utf-8")
    with pytest.raises(ExtractError, match=r"not a text file \(binary data; decoded as utf-8\)"):
        decode_bytes(data, "doc.txt")


def test_a_utf16_bom_over_bytes_that_are_not_utf16_is_an_error() -> None:
    data = codecs.BOM_UTF16_LE + "表".encode("utf-16-le") + b"\x00\xdc"  # a lone low surrogate
    with pytest.raises(ExtractError, match="byte-order mark says utf-16-le"):
        decode_bytes(data, "doc.txt")


def test_read_text_reads_and_decodes_a_file(tmp_path: Path) -> None:
    path = tmp_path / "部门预算.txt"
    path.write_bytes(TABLE.replace("\n", "\r\n").encode("gbk"))
    assert read_text(path) == (TABLE, "gb18030")


def test_read_text_turns_os_errors_into_extract_errors(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    with pytest.raises(ExtractError, match=r"missing\.txt: cannot read it \(No such file or directory\)$"):
        read_text(missing)
    with pytest.raises(ExtractError, match="is a folder, not a file"):
        read_text(tmp_path)


def test_extract_error_names_file_and_line_and_survives_pickling() -> None:
    error = ExtractError(Path("docs/a.txt"), "table without indicator rows", line=12)
    assert str(error) == "docs/a.txt:12: table without indicator rows"
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.path, copy.line, copy.message, str(copy)) == (error.path, 12, error.message, str(error))


@pytest.mark.seeds
@pytest.mark.parametrize("encoding", ["gb18030", "utf-16-le", "utf-16-be"])
def test_real_disclosures_decode_the_same_in_every_encoding(shared_dir: Path, encoding: str) -> None:
    for seed in sorted((shared_dir / "seeds").glob("*.txt")):
        original, found = read_text(seed)
        assert found == "utf-8", seed.name
        assert original == seed.read_text(encoding="utf-8"), seed.name
        data = original.replace("\n", "\r\n").encode(encoding)
        assert decode_bytes(data, seed.name) == (original, encoding), seed.name


_TEXT = st.text(
    st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
        st.sampled_from(list("0123456789 \t\n≥%次，。、")),
    ),
    max_size=200,
)


@given(_TEXT, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]))
def test_any_chinese_text_round_trips_through_each_encoding(body: str, encoding: str) -> None:
    text = "项目支出绩效目标表\n" + body  # a GB18030 heading is never valid UTF-8
    assert decode_bytes(text.encode(encoding), "doc.txt")[0] == text


@given(st.binary(max_size=2048))
def test_any_bytes_decode_or_raise_extract_error(data: bytes) -> None:
    try:
        text, encoding = decode_bytes(data, "doc.txt")
    except ExtractError as e:
        assert str(e).startswith("doc.txt: ") and "\n" not in str(e)
    else:
        assert text.strip() and "\r" not in text and encoding
