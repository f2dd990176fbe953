"""Source readers: each format's cell grid, merged cells, displayed values, and files read by content."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook

from extract.errors import ExtractError
from extract.pipeline import parse_source
from extract.readers import READERS, source_from_bytes
from extract.source import Source

PAGE = """<html><head><style>td{color:red}</style><script>var x = "<td>";</script></head><body>
<h2>项目支出绩效目标表</h2>
<table>
<tr><td>项目名称</td><td colspan="3">健康宣传</td></tr>
<tr><td>年度资金总额</td><td>12.5</td></tr>
<tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>指标值</th></tr>
<tr><td rowspan="2">产出指标</td><td>数量指标</td><td>讲座次数</td><td>=24 次</td></tr>
<tr><td>质量指标</td><td>讲座合格率</td><td>100%</td></tr>
</table><p>表后说明</p></body></html>"""


def rows(source: Source) -> list[list[tuple[str, int, int, bool]]]:
    """Each grid line's cells as (text, col, colspan, merged)."""
    return [[(c.text, c.col, c.colspan, c.merged) for c in line.cells] for line in source.lines if line.cells]


def texts(source: Source) -> list[str]:
    return [line.text for line in source.lines if line.text.strip()]


# --- web pages -------------------------------------------------------------------------------------


def test_a_rowspan_becomes_a_merged_cell_in_the_rows_below() -> None:
    source = source_from_bytes(PAGE.encode(), "page.html")
    assert rows(source)[3:] == [
        [
            ("产出指标", 0, 1, False),
            ("数量指标", 1, 1, False),
            ("讲座次数", 2, 1, False),
            ("=24 次", 3, 1, False),
        ],
        [("", 0, 1, True), ("质量指标", 1, 1, False), ("讲座合格率", 2, 1, False), ("100%", 3, 1, False)],
    ]
    assert rows(source)[0] == [("项目名称", 0, 1, False), ("健康宣传", 1, 3, False)]


def test_text_around_tables_stays_in_document_order_without_scripts_or_styles() -> None:
    lines = texts(source_from_bytes(PAGE.encode(), "page.html"))
    assert lines[0] == "项目支出绩效目标表" and lines[-1] == "表后说明"
    assert not any("color" in line or "var x" in line for line in lines)


def test_a_page_without_optional_end_tags_still_has_its_rows() -> None:
    page = "<table><tr><td>一级指标<td>三级指标<td>指标值<tr><td rowspan=2>产出指标<td>次数<td>=2次<tr><td>率<td>100%</table>"
    assert rows(source_from_bytes(page.encode(), "p.html")) == [
        [("一级指标", 0, 1, False), ("三级指标", 1, 1, False), ("指标值", 2, 1, False)],
        [("产出指标", 0, 1, False), ("次数", 1, 1, False), ("=2次", 2, 1, False)],
        [("", 0, 1, True), ("率", 1, 1, False), ("100%", 2, 1, False)],
    ]


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        ("经济效益<br>指标", "经济效益指标"),
        ("<p>社会效益</p><p>指标</p>", "社会效益指标"),
        ("Project<br/>Office", "Project Office"),
        ("  ≥ 90%&nbsp; ", "≥ 90%"),
    ],
)
def test_line_breaks_inside_a_cell_are_joined_like_a_wrapped_cell(cell: str, text: str) -> None:
    source = source_from_bytes(f"<table><tr><td>{cell}</td><td>x</td></tr></table>".encode(), "p.html")
    assert rows(source)[0][0][0] == text


@pytest.mark.parametrize(("span", "width"), [("²", 1), ("3px", 1), ("0", 1), (" 2 ", 2)])
def test_span_values_that_are_no_plain_number_span_one_column(span: str, width: int) -> None:
    source = source_from_bytes(
        f'<table><tr><td colspan="{span}">a</td><td>b</td></tr></table>'.encode(), "p.html"
    )
    assert rows(source)[0] == [("a", 0, width, False), ("b", width, 1, False)]


@pytest.mark.parametrize(
    "meta", ['<meta charset="gbk">', '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">']
)
def test_a_gbk_page_is_decoded(meta: str) -> None:
    page = f"<html><head>{meta}</head><body><table><tr><td>满意度指标</td></tr></table></body></html>"
    source = source_from_bytes(page.encode("gbk"), "p.htm")
    assert rows(source) == [[("满意度指标", 0, 1, False)]] and source.format.startswith("gb18030")


def test_a_big5_page_is_decoded_by_its_declared_charset() -> None:
    page = '<html><head><meta charset="big5"></head><body><p>績效目標表</p></body></html>'
    assert texts(source_from_bytes(page.encode("big5"), "p.html")) == ["績效目標表"]


def test_a_layout_table_is_read_as_text_and_the_table_inside_it_as_a_grid() -> None:
    page = (
        "<table><tr><td>导航</td><td><p>项目支出绩效目标表</p>"
        "<table><tr><td>一级指标</td><td>指标值</td></tr></table></td></tr></table>"
    )
    source = source_from_bytes(page.encode(), "p.html")
    assert rows(source) == [[("一级指标", 0, 1, False), ("指标值", 1, 1, False)]]
    assert texts(source)[:2] == ["导航", "项目支出绩效目标表"]


def test_a_web_page_is_extracted_with_its_merged_level_carried_down() -> None:
    (table,) = parse_source(source_from_bytes(PAGE.encode(), "page.html")).tables
    assert table.name == "健康宣传" and table.funding.annual_total == 12.5
    assert [(i.l1, i.l2, i.l3, i.value) for i in table.indicators] == [
        ("产出指标", "数量指标", "讲座次数", "=24 次"),
        ("产出指标", "质量指标", "讲座合格率", "100%"),
    ]


# what PDF producers' font maps write for 目, 一, 二, 人: Kangxi radicals, and a compatibility ideograph
_RADICALS = str.maketrans({"目": "\u2f6c", "一": "\u2f00", "二": "\u2f06", "人": "\u2f08", "率": "\uf961"})


@pytest.mark.parametrize("name", ["page.html", "page.txt"])
def test_radical_and_compatibility_glyphs_read_as_the_ideographs_they_stand_for(name: str) -> None:
    text = (
        PAGE
        if name.endswith("html")
        else "项目支出绩效目标表\n项目名称\t健康宣传\n一级指标\t二级指标\t三级指标\t指标值\n"
        "产出指标\t数量指标\t讲座次数\t=24 次\n产出指标\t质量指标\t讲座合格率\t100%\n"
    )
    assert "\u2f00" in text.translate(_RADICALS)
    (table,) = parse_source(source_from_bytes(text.translate(_RADICALS).encode(), name)).tables
    assert [(i.l1, i.l3) for i in table.indicators] == [("产出指标", "讲座次数"), ("产出指标", "讲座合格率")]


def test_a_page_source_saved_as_txt_is_read_as_html() -> None:
    source = source_from_bytes(PAGE.encode(), "saved_page.txt")
    assert source.format.endswith("html") and rows(source)


def test_cells_with_a_little_markup_stay_text() -> None:
    source = source_from_bytes(
        "项目概况\t<ol><li>1. 调研</li></ol>\n年度目标\t<p>完成</p>\n".encode(), "notes.md"
    )
    assert source.format == "utf-8" and "<ol>" in source.lines[0].text


# --- spreadsheets ----------------------------------------------------------------------------------


def workbook_bytes(
    cells: dict[str, object], formats: dict[str, str] | None = None, merges: tuple[str, ...] = ()
) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "表3"
    for ref, value in cells.items():
        sheet[ref] = value
    for ref, fmt in (formats or {}).items():
        sheet[ref].number_format = fmt
    for merge in merges:
        sheet.merge_cells(merge)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("value", "fmt", "shown"),
    [
        (1, "0%", "100%"),
        (0.955, "0.0%", "95.5%"),
        (60.0, "General", "60"),
        (12.5, "0.00", "12.50"),
        (12345.5, "#,##0.00", "12,345.50"),
        (8, '0"万元"', "8万元"),
        (dt.date(2021, 12, 31), "yyyy-mm-dd", "2021-12-31"),
        (dt.date(2021, 12, 31), 'yyyy"年"m"月"d"日"', "2021年12月31日"),
        ("≥90%", "General", "≥90%"),
        (True, "General", "TRUE"),
    ],
)
def test_a_sheet_cell_reads_as_it_is_displayed(value: object, fmt: str, shown: str) -> None:
    source = source_from_bytes(workbook_bytes({"A1": "指标值", "B1": value}, {"B1": fmt}), "t.xlsx")
    assert rows(source) == [[("指标值", 0, 1, False), (shown, 1, 1, False)]]


def test_merged_sheet_ranges_keep_their_text_once() -> None:
    cells = {
        "A1": "产出指标",
        "B1": "数量指标",
        "C1": "台数",
        "C2": "合格率",
        "A3": "项目名称",
        "B3": "设备购置",
    }
    source = source_from_bytes(workbook_bytes(cells, merges=("A1:A2", "B1:B2", "B3:D3")), "t.xlsx")
    assert rows(source) == [
        [("产出指标", 0, 1, False), ("数量指标", 1, 1, False), ("台数", 2, 1, False)],
        [("", 0, 1, True), ("", 1, 1, True), ("合格率", 2, 1, False)],
        [("项目名称", 0, 1, False), ("设备购置", 1, 3, False)],
    ]


def test_each_sheet_opens_with_a_line_naming_it_and_keeps_its_blank_rows() -> None:
    source = source_from_bytes(workbook_bytes({"B2": "甲", "B4": "乙"}), "t.xlsx")
    assert [line.text for line in source.lines] == ["## 表3", "\t甲", "", "\t乙"]


def test_an_old_excel_workbook_reads_like_a_new_one() -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("表3")
    sheet.write_merge(0, 1, 0, 0, "产出指标")
    sheet.write(0, 1, 1.0, xlwt.easyxf(num_format_str="0%"))
    sheet.write(1, 1, dt.date(2021, 12, 31), xlwt.easyxf(num_format_str="YYYY-MM-DD"))
    sheet.write(2, 1, 60.0)
    buf = io.BytesIO()
    book.save(buf)
    source = source_from_bytes(buf.getvalue(), "t.xls")
    assert source.lines[0].text == "## 表3"
    assert rows(source) == [
        [("产出指标", 0, 1, False), ("100%", 1, 1, False)],
        [("", 0, 1, True), ("2021-12-31", 1, 1, False)],
        [("60", 1, 1, False)],
    ]


# --- Word ----------------------------------------------------------------------------------------


def test_word_paragraphs_and_tables_come_in_body_order_with_merged_cells_once() -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("项目支出绩效目标表")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "产出指标"
    table.cell(0, 1).text, table.cell(0, 2).text = "数量指标", "≥24次"
    table.cell(1, 1).text, table.cell(1, 2).text = "质量指标", "100%"
    table.cell(2, 0).text = "项目名称"
    table.cell(2, 1).merge(table.cell(2, 2)).text = "健康宣传"
    document.add_paragraph("表后说明")
    buf = io.BytesIO()
    document.save(buf)
    source = source_from_bytes(buf.getvalue(), "t.docx")
    assert texts(source)[0] == "项目支出绩效目标表" and texts(source)[-1] == "表后说明"
    assert rows(source) == [
        [("产出指标", 0, 1, False), ("数量指标", 1, 1, False), ("≥24次", 2, 1, False)],
        [("", 0, 1, True), ("质量指标", 1, 1, False), ("100%", 2, 1, False)],
        [("项目名称", 0, 1, False), ("健康宣传", 1, 2, False)],
    ]


# --- delimited text --------------------------------------------------------------------------------


@pytest.mark.parametrize("sep", [",", "\t", ";"])
def test_csv_rows_are_grid_rows_whatever_the_delimiter(sep: str) -> None:
    data = sep.join(["产出指标", "次数", "=2次"]) + "\n"
    assert rows(source_from_bytes(data.encode(), "t.csv")) == [
        [("产出指标", 0, 1, False), ("次数", 1, 1, False), ("=2次", 2, 1, False)]
    ]


# --- read by content -------------------------------------------------------------------------------


def test_a_misnamed_workbook_is_read_by_its_content() -> None:
    source = source_from_bytes(workbook_bytes({"A1": "指标值", "B1": 1}, {"B1": "0%"}), "export.txt")
    assert source.format == "xlsx" and rows(source)[0][1][0] == "100%"


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "x.docx: not a document (a PNG image)"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "x.docx: not a document (a JPEG image)"),
        (
            zip_bytes({"a.txt": b"hi"}),
            "x.docx: not a document (a ZIP archive (unpack it, then read the folder))",
        ),
        (zip_bytes({"ppt/presentation.xml": b"<p/>"}), "x.docx: not a document (a PowerPoint presentation)"),
        (b"Rar!\x1a\x07\x00", "x.docx: not a document (a RAR archive)"),
    ],
    ids=["png", "jpeg", "zip", "pptx", "rar"],
)
def test_content_that_is_no_document_is_named_in_one_line(data: bytes, message: str) -> None:
    with pytest.raises(ExtractError) as raised:
        source_from_bytes(data, "x.docx")
    assert str(raised.value) == message


def test_an_old_office_file_needs_libreoffice_or_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from extract.readers import convert

    monkeypatch.setattr(convert, "soffice_path", lambda: None)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512 + "WordDocument".encode("utf-16-le")
    with pytest.raises(ExtractError, match=r"^old\.doc: reading \.doc files needs LibreOffice: install"):
        source_from_bytes(ole, "old.doc")


def test_every_format_of_the_formats_table_has_a_reader() -> None:
    assert {".txt", ".html", ".htm", ".csv", ".tsv", ".xlsx", ".xls", ".docx", ".doc", ".rtf"} <= set(READERS)
