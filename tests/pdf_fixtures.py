"""Performance-target tables drawn as PDFs at test time, in the shapes published disclosures take.

reportlab draws them with its built-in CJK font ``STSong-Light`` (a CID font every
reportlab has, read back exactly by pdfplumber and pypdfium2).  A page is a list of text
lines and tables; a table is rows of cells on a column grid, where a :class:`Span` covers
more than one row or column and ``None`` marks a position a span covers.  Cells wrap at
their column's width the way report engines wrap them: character by character, digits
and Latin letters included (``11000021Y00000039`` / ``0843-…``).

Used by ``tests/test_reader_pdf.py`` and ``benchmarks/pdf_throughput.py``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
SIZE = 9.0
PAD = 4.0  # points between a cell's ruling and its text
LEADING = 1.25  # line height in font sizes
PAGE_W, PAGE_H = 595.0, 842.0
MARGIN = 50.0

pdfmetrics.registerFont(UnicodeCIDFont(FONT))


@dataclass(frozen=True)
class Span:
    """A cell covering ``rows`` × ``cols`` grid positions from where it stands."""

    text: str
    rows: int = 1
    cols: int = 1


Row = list["str | Span | None"]


@dataclass
class Table:
    widths: list[float]  # column widths in points
    rows: list[Row]
    ruled: bool = True
    row_gap: float = 0.0  # extra space between rows (unruled tables set rows apart this way)
    # a cell running over a page break, drawn as report engines draw it: whole on both
    # pages, clipped to the table, with no ruling where the page cuts it; ``carried`` is
    # how many of its lines the page before showed
    open_bottom: frozenset[int] = frozenset()  # columns whose last cell goes on below
    open_top: frozenset[int] = frozenset()  # columns whose first cell came from above
    carried: int = 0
    at_bottom: bool = False  # drawn down to the bottom margin, as a table the page break cuts
    sliver: float = 0.0  # a second frame this far outside the left ruling (a border drawn twice)


@dataclass
class Page:
    items: list[str | Table] = field(default_factory=list)


def wrap(text: str, width: float, size: float = SIZE) -> list[str]:
    """Greedy character wrap at ``width`` points, as report engines wrap cells."""
    lines: list[str] = []
    line = ""
    for ch in text:
        if line and pdfmetrics.stringWidth(line + ch, FONT, size) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line else lines


def _cells(table: Table) -> list[tuple[int, int, Span]]:
    """(row, col, span) of every cell; ``None`` stands where a span from above covers, a colspan is skipped."""
    covered: set[tuple[int, int]] = set()
    out: list[tuple[int, int, Span]] = []
    for r, row in enumerate(table.rows):
        c = 0
        for entry in row:
            if entry is None:  # a position a span from an earlier row covers
                c += 1
                continue
            while (r, c) in covered:
                c += 1
            span = entry if isinstance(entry, Span) else Span(entry)
            out.append((r, c, span))
            for dr in range(span.rows):
                for dc in range(span.cols):
                    covered.add((r + dr, c + dc))
            c += span.cols
    return out


def _draw_table(pdf: canvas.Canvas, table: Table, top: float, size: float) -> float:
    xs = [MARGIN]
    for w in table.widths:
        xs.append(xs[-1] + w)
    cells = _cells(table)
    heights = [size * LEADING + 2 * PAD] * len(table.rows)
    for r, c, span in cells:
        if span.rows == 1:
            width = xs[c + span.cols] - xs[c] - 2 * PAD
            lines = max(1, len(wrap(span.text, width, size)))
            heights[r] = max(heights[r], lines * size * LEADING + 2 * PAD)
    if table.at_bottom:
        top = max(top, PAGE_H - MARGIN - sum(heights) - table.row_gap * len(heights))
    tops = [top]
    for h in heights:
        tops.append(tops[-1] + h + table.row_gap)
    last = len(table.rows)
    pdf.saveState()
    if table.open_top or table.open_bottom:
        outline = pdf.beginPath()
        outline.rect(xs[0], PAGE_H - tops[-1], xs[-1] - xs[0], tops[-1] - tops[0])
        pdf.clipPath(outline, stroke=0, fill=0)
    for r, c, span in cells:
        x0, x1 = xs[c], xs[c + span.cols]
        y0, y1 = tops[r], tops[r + span.rows] - table.row_gap
        if table.ruled:
            pdf.line(x0, PAGE_H - y0, x0, PAGE_H - y1)
            pdf.line(x1, PAGE_H - y0, x1, PAGE_H - y1)
            if not (r == 0 and c in table.open_top):
                pdf.line(x0, PAGE_H - y0, x1, PAGE_H - y0)
            if not (r + span.rows == last and c in table.open_bottom):
                pdf.line(x0, PAGE_H - y1, x1, PAGE_H - y1)
        first = -table.carried if r == 0 and c in table.open_top else 0
        for i, line in enumerate(wrap(span.text, x1 - x0 - 2 * PAD, size), start=first):
            # the lines the page before showed sit wholly above this page's part of the cell
            above = 2 * PAD if i < 0 else 0.0
            pdf.drawString(x0 + PAD, PAGE_H - (y0 + PAD + size * (LEADING * i + 1) - above), line)
    pdf.restoreState()
    if table.sliver:
        left = xs[0] - table.sliver
        pdf.line(left, PAGE_H - tops[0], left, PAGE_H - tops[-1])
        pdf.line(left, PAGE_H - tops[0], xs[0], PAGE_H - tops[0])
        pdf.line(left, PAGE_H - tops[-1], xs[0], PAGE_H - tops[-1])
    return tops[-1]


def build_pdf(pages: list[Page], size: float = SIZE, rotated: bool = False) -> bytes:
    """The pages drawn top to bottom: text lines at the left margin, tables on their grids.

    ``rotated``: each sheet turned by ``/Rotate 90`` and its content drawn turned the other
    way, so the page shows upright while the file's coordinates run sideways (as when a
    generator turns a landscape sheet).
    """
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=(PAGE_W, PAGE_H))
    for page in pages:
        if rotated:
            pdf.setPageRotation(90)
            pdf.transform(0, 1, -1, 0, PAGE_H, 0)  # what shows at (u, v) is drawn at (PAGE_H - v, u)
        pdf.setFont(FONT, size)
        y = MARGIN
        for item in page.items:
            if isinstance(item, Table):
                y = _draw_table(pdf, item, y, size) + size
            else:
                y += size * 1.6
                pdf.drawString(MARGIN, PAGE_H - y, item)
        pdf.showPage()
    pdf.save()
    return buf.getvalue()


INDICATOR_HEADER: Row = ["一级指标", "二级指标", "三级指标", "指标值"]
WIDE = [90.0, 90.0, 200.0, 110.0]


def merged_project_table() -> bytes:
    """A ruled project table: header fields, a code wrapped over lines, L1 and L2 merged over rows."""
    rows: list[Row] = [
        ["项目名称", Span("11000021Y000000390843-信息系统运维类项目", cols=3)],
        ["主管部门", "示例市数据局", "实施单位", "示例市数据局"],
        [Span("项目资金（万元）", rows=2), "年度资金总额", Span("120.50", cols=2)],
        [None, "其中：财政拨款", Span("100.00", cols=2)],
        ["年度目标", Span("保障信息系统稳定运行，故障及时修复。", cols=3)],
        INDICATOR_HEADER,
        [Span("产出指标", rows=3), Span("数量指标", rows=2), "运维系统数量", "≥13个"],
        [None, None, "巡检次数", "≥12次"],
        [None, "质量指标", "系统正常运行率达到年度考核要求的比例", "≥99%"],
        ["满意度指标", "服务对象满意度指标", "使用人员满意度", "≥95%"],
    ]
    return build_pdf([Page(["示例市数据局2024年项目支出绩效目标表", Table(WIDE, rows)])])


def narrow_code_table() -> bytes:
    """A project name cell narrow enough that its code wraps between digits."""
    rows: list[Row] = [
        ["项目名称", "项目总额", "三级指标", "指标值"],
        ["11000021Y000000390843-信息系统运维类项目", "675.97", "系统故障修复率", "＝100%"],
    ]
    return build_pdf([Page(["项目支出绩效目标表", Table([75.0, 60.0, 120.0, 60.0], rows)])])


def two_period_table(rotated: bool = False) -> bytes:
    """Midterm and annual indicators side by side (中期 left, 年度 right) under one L1/L2."""
    rows: list[Row] = [
        [
            Span("一级指标", rows=2),
            Span("二级指标", rows=2),
            Span("中期目标", cols=2),
            Span("年度目标", cols=2),
        ],
        [None, None, "三级指标", "指标值", "三级指标", "指标值"],
        [Span("产出指标", rows=2), "数量指标", "培训人次", "≥3000人次", "培训人次", "≥1000人次"],
        [None, "质量指标", "培训合格率", "≥95%", "培训合格率", "≥95%"],
    ]
    table = Table([60.0, 60.0, 100.0, 70.0, 100.0, 70.0], rows)
    return build_pdf([Page(["示例职业培训项目绩效目标表", table])], rotated=rotated)


def continued_table(repeat_header: bool = True) -> bytes:
    """A table broken over two pages: 续表, the header repeated (or not), the L1 cell empty at the top."""
    first: list[Row] = [
        INDICATOR_HEADER,
        [Span("产出指标", rows=3), "数量指标", "新建校舍面积", "≥2000平方米"],
        [None, "质量指标", "工程验收合格率", "100%"],
        [None, "时效指标", "完工时间", "2024年12月底前"],
    ]
    second: list[Row] = [
        *([INDICATOR_HEADER] if repeat_header else []),
        ["", "", "施工安全事故数", "0起"],
        ["", "", "新增学位数", "≥500个"],
    ]
    return build_pdf(
        [
            Page(
                [
                    "示例学校建设项目绩效目标表",
                    "项目名称：示例学校建设",
                    Table(WIDE, first, at_bottom=True),
                    "- 1 -",
                ]
            ),
            Page([*(["续表"] if repeat_header else []), Table(WIDE, second), "- 2 -"]),
        ]
    )


CUT_CELL = "物业服务：保障办公楼日常运转，包括保洁、绿化、安保、设备维护等后勤服务"


def cut_cell_table() -> bytes:
    """A project cell cut by the page break, as report engines print it (see :class:`Table`)."""
    first = Table(
        [80.0, 150.0, 80.0],
        [
            ["项目名称", "三级指标", "指标值"],
            [Span(CUT_CELL, rows=2), "保洁覆盖率", "100%"],
            [None, "绿化养护次数", "≥12次"],
        ],
        open_bottom=frozenset({0}),
        at_bottom=True,
    )
    shown = 3  # of its lines fit on the first page
    second = Table(
        [80.0, 150.0, 80.0],
        [[Span(CUT_CELL, rows=2), "安保巡查次数", "≥2次/日"], [None, "设备完好率", "≥98%"]],
        open_top=frozenset({0}),
        carried=shown,
    )
    return build_pdf([Page(["物业服务项目绩效目标表", first]), Page([second])])


def department_table() -> bytes:
    """A department-wide table (部门整体支出绩效目标表): name, funding, goal, then indicators."""
    rows: list[Row] = [
        ["部门名称", Span("示例市医疗保障局", cols=3)],
        ["年度预算（万元）", Span("5,320.18", cols=3)],
        ["年度总体目标", Span("提升医保基金监管水平，保障参保人员权益。", cols=3)],
        INDICATOR_HEADER,
        [Span("产出指标", rows=2), "数量指标", "定点医药机构检查覆盖率", "100%"],
        [None, "时效指标", "医保待遇按时支付率", "≥98%"],
        ["满意度指标", "服务对象满意度指标", "参保群众满意度", "≥90%"],
    ]
    return build_pdf([Page(["示例市医疗保障局2024年部门整体支出绩效目标表", Table(WIDE, rows)])])


UNRULED_ROWS: list[Row] = [
    INDICATOR_HEADER,
    ["产出指标", "数量指标", "举办专题培训班次数及参训人员覆盖范围", "≥4次"],
    ["产出指标", "质量指标", "培训合格率", "≥95%"],
    ["效益指标", "社会效益指标", "业务能力提升", "明显提升"],
    ["满意度指标", "服务对象满意度指标", "参训人员满意度", "≥90%"],
]


def unruled_table() -> bytes:
    """The same kind of table with no rulings at all: columns by alignment, rows set apart by space."""
    table = Table([70.0, 100.0, 130.0, 80.0], UNRULED_ROWS, ruled=False, row_gap=6.0)
    return build_pdf([Page(["示例培训项目绩效目标表", table, "本表由示例单位编制。"])])


def scanned_pdf(pages: int = 2) -> bytes:
    """Pages that are images only, as a scanner writes them: no text layer."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=(PAGE_W, PAGE_H))
    image = ImageReader(Image.new("L", (60, 80), color=200))
    for _ in range(pages):
        pdf.drawImage(image, 0, 0, PAGE_W, PAGE_H)
        pdf.showPage()
    pdf.save()
    return buf.getvalue()


def encrypted_pdf() -> bytes:
    from reportlab.lib.pdfencrypt import StandardEncryption

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, encrypt=StandardEncryption("secret", canPrint=0))
    pdf.setFont(FONT, SIZE)
    pdf.drawString(MARGIN, 700, "绩效指标")
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def damaged_pdf() -> bytes:
    """A PDF cut off after its header: what an interrupted download leaves."""
    return merged_project_table()[:400]


def bulk_pdf(pages: int = 100) -> bytes:
    """A long disclosure: a project table on most pages, narrative on every fifth (for benchmarks)."""
    out: list[Page] = []
    for n in range(pages):
        if n % 5 == 4:
            out.append(Page([f"第{n + 1}页 部门职责与机构设置说明。本部门负责示例事务的管理与服务。"] * 30))
            continue
        rows: list[Row] = [INDICATOR_HEADER]
        for k in range(12):
            l1 = Span("产出指标", rows=12) if k == 0 else None
            rows.append([l1, "数量指标", f"第{n + 1}个项目的第{k + 1}项产出数量", f"≥{k + 10}个"])
        out.append(Page([f"示例项目{n + 1}绩效目标表", f"项目名称：示例项目{n + 1}", Table(WIDE, rows)]))
    return build_pdf(out)
