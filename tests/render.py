"""One performance-target table rendered into every input format the project reads.

``SPEC`` is the table; ``render(SPEC, fmt)`` gives the bytes of a file in ``fmt`` (txt, html,
docx, xlsx, xls, pdf) that shows the same content the way that format does: L1/L2 cells
merged over their rows (``rowspan``, merged Word cells, merged sheet ranges, spanned PDF
cells), a percent cell stored as a number under a percent format and a date cell as a date
in the spreadsheets.  ``expected_indicators(SPEC)`` is what every format must read back to.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["FORMATS", "SPEC", "TableSpec", "expected_indicators", "render"]


@dataclass(frozen=True)
class TableSpec:
    before: tuple[str, ...]  # lines before the table (the document's department and year)
    title: str
    fields: tuple[tuple[str, str], ...]  # header fields: (caption, value)
    columns: tuple[str, ...]  # the indicator header
    rows: tuple[tuple[str, str, str, str], ...]  # (l1, l2, l3, value), l1/l2 merged over equal runs
    after: tuple[str, ...] = ()


SPEC = TableSpec(
    before=("示例市卫生健康委员会2021年部门预算", "三、项目支出绩效目标"),
    title="项目支出绩效目标表",
    fields=(
        ("项目名称", "健康宣传"),
        ("主管部门", "示例市卫生健康委员会"),
        ("实施单位", "示例市健康教育所"),
        ("年度资金总额（万元）", "12.5"),
        ("年度绩效目标", "开展健康知识讲座，提高居民健康素养"),
    ),
    columns=("一级指标", "二级指标", "三级指标", "指标值"),
    rows=(
        ("产出指标", "数量指标", "举办健康讲座次数", "≥24次"),
        ("产出指标", "数量指标", "发放宣传材料份数", "≥5000份"),
        ("产出指标", "质量指标", "讲座覆盖率", "100%"),
        ("产出指标", "时效指标", "完成时间", "2021年12月31日"),
        ("产出指标", "成本指标", "讲座成本", "≤12.5万元"),
        ("效益指标", "社会效益指标", "居民健康知识知晓率", "≥80%"),
        ("满意度指标", "服务对象满意度指标", "参加居民满意度", "≥90%"),
    ),
    after=("四、其他说明", "以上指标均为年度指标。"),
)

_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)%$")
_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")


def expected_indicators(spec: TableSpec) -> list[tuple[str, str, str, str]]:
    return list(spec.rows)


def _runs(spec: TableSpec, level: int) -> dict[int, int]:
    """Row index -> how many rows the L1 (level 0) or L2 (level 1) cell starting there spans."""
    runs: dict[int, int] = {}
    start = 0
    for i in range(1, len(spec.rows) + 1):
        same = i < len(spec.rows) and spec.rows[i][: level + 1] == spec.rows[start][: level + 1]
        if not same:
            runs[start] = i - start
            start = i
    return runs


def _sheet_value(text: str) -> tuple[object, str | None]:
    """What a spreadsheet stores for a cell text, and its number format (None: general)."""
    if m := _PERCENT.match(text):
        return float(m.group(1)) / 100, "0%"
    if m := _DATE.match(text):
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), 'yyyy"年"m"月"d"日"'
    if _NUMBER.match(text):
        return float(text), None
    return text, None


def render_txt(spec: TableSpec) -> bytes:
    lines = [*spec.before, spec.title]
    lines += [f"{caption}\t{value}" for caption, value in spec.fields]
    lines.append("\t".join(spec.columns))
    l1_runs, l2_runs = _runs(spec, 0), _runs(spec, 1)
    for i, (l1, l2, l3, value) in enumerate(spec.rows):
        # a merged cell's text stands in its first row only, as text exports show it
        lines.append("\t".join([l1 if i in l1_runs else "", l2 if i in l2_runs else "", l3, value]))
    lines += spec.after
    return ("\n".join(lines) + "\n").encode("utf-8")


def render_html(spec: TableSpec) -> bytes:
    """A GBK page with the optional end tags (``</td>``, ``</tr>``) left out, as many CMSs write."""
    e = html.escape
    width = len(spec.columns)
    out = [
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
        "</head><body>",
    ]
    out += [f"<p>{e(line)}</p>" for line in spec.before]
    out.append(f"<h3>{e(spec.title)}</h3>\n<table border=1>")
    out += [f"<tr><td>{e(k)}<td colspan={width - 1}>{e(v)}" for k, v in spec.fields]
    out.append("<tr>" + "".join(f"<th>{e(c)}" for c in spec.columns))
    l1_runs, l2_runs = _runs(spec, 0), _runs(spec, 1)
    for i, (l1, l2, l3, value) in enumerate(spec.rows):
        cells = ""
        if i in l1_runs:
            cells += f'<td rowspan="{l1_runs[i]}">{e(l1)}'
        if i in l2_runs:
            cells += f'<td rowspan="{l2_runs[i]}">{e(l2)}'
        out.append(f"<tr>{cells}<td>{e(l3)}<td>{e(value)}")
    out.append("</table>")
    out += [f"<p>{e(line)}</p>" for line in spec.after]
    out.append("</body></html>")
    return "\n".join(out).encode("gb18030")


def render_docx(spec: TableSpec) -> bytes:
    import docx

    document = docx.Document()
    for line in (*spec.before, spec.title):
        document.add_paragraph(line)
    width = len(spec.columns)
    table = document.add_table(rows=len(spec.fields) + 1 + len(spec.rows), cols=width)
    table.style = "Table Grid"
    for r, (caption, value) in enumerate(spec.fields):
        table.cell(r, 0).text = caption
        merged = table.cell(r, 1).merge(table.cell(r, width - 1))
        merged.text = value
    head = len(spec.fields)
    for c, caption in enumerate(spec.columns):
        table.cell(head, c).text = caption
    first = head + 1
    for i, (_, _, l3, value) in enumerate(spec.rows):
        table.cell(first + i, 2).text = l3
        table.cell(first + i, 3).text = value
    for level in (0, 1):
        for start, length in _runs(spec, level).items():
            top = table.cell(first + start, level)
            if length > 1:
                top = top.merge(table.cell(first + start + length - 1, level))
            top.text = spec.rows[start][level]
    for line in spec.after:
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _sheet_rows(spec: TableSpec) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """The sheet's cell texts and merged ranges (first row, last row, first col, last col), 0-based."""
    width = len(spec.columns)
    rows: list[list[str]] = [[line] for line in (*spec.before, spec.title)]
    merges: list[tuple[int, int, int, int]] = []
    for caption, value in spec.fields:
        merges.append((len(rows), len(rows), 1, width - 1))
        rows.append([caption, value] + [""] * (width - 2))
    rows.append(list(spec.columns))
    first = len(rows)
    for l1, l2, l3, value in spec.rows:
        rows.append([l1, l2, l3, value])
    for level in (0, 1):
        for start, length in _runs(spec, level).items():
            for r in range(first + start + 1, first + start + length):
                rows[r][level] = ""
            if length > 1:
                merges.append((first + start, first + start + length - 1, level, level))
    rows += [[line] for line in spec.after]
    return rows, merges


def render_xlsx(spec: TableSpec) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "绩效目标"
    rows, merges = _sheet_rows(spec)
    for r, row in enumerate(rows, 1):
        for c, text in enumerate(row, 1):
            if text:
                value, fmt = _sheet_value(text)
                cell = sheet.cell(r, c, value)
                if fmt:
                    cell.number_format = fmt
    for r0, r1, c0, c1 in merges:
        sheet.merge_cells(start_row=r0 + 1, end_row=r1 + 1, start_column=c0 + 1, end_column=c1 + 1)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def render_xls(spec: TableSpec) -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("绩效目标")
    rows, merges = _sheet_rows(spec)
    anchors = {(r0, c0): (r1, c1) for r0, r1, c0, c1 in merges}
    covered = {(r, c) for r0, r1, c0, c1 in merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            value, fmt = _sheet_value(text) if text else ("", None)
            style = xlwt.easyxf(num_format_str=fmt.replace('"', '"')) if fmt else xlwt.Style.default_style
            if (r, c) in anchors:
                r1, c1 = anchors[(r, c)]
                sheet.write_merge(r, r1, c, c1, value, style)
            elif (r, c) not in covered and text:
                sheet.write(r, c, value, style)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def render_pdf(spec: TableSpec) -> bytes:
    """A ruled table with the L1/L2 cells spanned over their rows, in a CJK font pdfplumber reads back."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("cjk", fontName="STSong-Light", fontSize=10, leading=14)
    rows, merges = _sheet_rows(spec)
    width = len(spec.columns)
    head = len(spec.before) + 1
    table_rows = [row + [""] * (width - len(row)) for row in rows[head : len(rows) - len(spec.after)]]
    commands: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, -1), "STSong-Light", 9),
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    commands += [("SPAN", (c0, r0 - head), (c1, r1 - head)) for r0, r1, c0, c1 in merges]
    buf = io.BytesIO()
    document = SimpleDocTemplate(buf, pagesize=A4)
    story = [Paragraph(html.escape(line), style) for line in (*spec.before, spec.title)]
    story.append(Table(table_rows, style=TableStyle(commands)))
    story += [Paragraph(html.escape(line), style) for line in spec.after]
    document.build(story)
    return buf.getvalue()


# format -> (file suffix, renderer)
FORMATS: dict[str, tuple[str, Callable[[TableSpec], bytes]]] = {
    "txt": (".txt", render_txt),
    "html": (".html", render_html),
    "docx": (".docx", render_docx),
    "xlsx": (".xlsx", render_xlsx),
    "xls": (".xls", render_xls),
    "pdf": (".pdf", render_pdf),
}


def render(spec: TableSpec, fmt: str) -> bytes:
    return FORMATS[fmt][1](spec)
