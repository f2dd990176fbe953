"""Web pages and spreadsheets are read through the tab layout."""

from __future__ import annotations

import io

from openpyxl import Workbook

from extract.pipeline import parse_document
from extract.sources import html_to_text, text_from_bytes

HTML = """<html><head><style>td{color:red}</style></head><body>
<h2>项目支出绩效目标表</h2>
<table>
<tr><td>项目名称</td><td colspan="3">健康宣传</td></tr>
<tr><td>年度资金总额</td><td>12.5</td></tr>
<tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>指标值</th></tr>
<tr><td rowspan="2">产出指标</td><td>数量指标</td><td>讲座次数</td><td>=24 次</td></tr>
<tr><td>质量指标</td><td>讲座合格率</td><td>100%</td></tr>
</table></body></html>"""


def test_html_tables_become_tab_rows() -> None:
    text = html_to_text(HTML)
    assert "项目名称\t健康宣传\t\t" in text
    assert "质量指标\t讲座合格率\t100%" in text
    assert "color" not in text


def test_a_web_page_is_extracted_like_a_tab_table() -> None:
    text, _ = text_from_bytes(HTML.encode("utf-8"), "page.html")
    (table,) = parse_document(text, "page.html").tables
    assert table.name == "健康宣传" and table.funding.annual_total == 12.5
    assert [(i.l1, i.l2, i.l3, i.value) for i in table.indicators] == [
        ("产出指标", "数量指标", "讲座次数", "=24 次"),
        ("产出指标", "质量指标", "讲座合格率", "100%"),
    ]


def test_a_spreadsheet_is_extracted_row_by_row() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [
        ["项目支出绩效目标表"],
        ["项目名称", "设备购置"],
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "购置台数", "≥60 台"],
        [None, None, "验收合格率", 1.0],
    ]:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    text, fmt = text_from_bytes(buf.getvalue(), "table.xlsx")
    (table,) = parse_document(text, "table.xlsx").tables
    assert fmt == "xlsx" and table.name == "设备购置"
    assert [(i.l3, i.value, i.line) for i in table.indicators] == [
        ("购置台数", "≥60 台", 5),
        ("验收合格率", "1", 6),
    ]


def test_csv_rows_are_read_whatever_the_delimiter() -> None:
    data = (
        "项目支出绩效目标表\n项目名称,宣传\n一级指标,二级指标,三级指标,指标值\n产出指标,数量指标,次数,=2次\n"
    )
    text, _ = text_from_bytes(data.encode("utf-8"), "t.csv")
    (table,) = parse_document(text, "t.csv").tables
    assert [(i.l3, i.value) for i in table.indicators] == [("次数", "=2次")]


def test_a_page_source_saved_as_txt_is_read_as_html() -> None:
    text, encoding = text_from_bytes(HTML.encode("utf-8"), "saved_page.txt")
    assert encoding.endswith("html")
    (table,) = parse_document(text, "saved_page.txt").tables
    assert [i.l3 for i in table.indicators] == ["讲座次数", "讲座合格率"]


def test_cells_with_a_little_markup_stay_text() -> None:
    raw = "项目概况\t<ol><li>1. 调研</li></ol>\n年度目标\t<p>完成</p>\n".encode()
    text, encoding = text_from_bytes(raw, "md_flavoured.txt")
    assert encoding == "utf-8" and "<ol>" in text
