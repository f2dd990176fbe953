"""The renderers: one self-contained, escaped HTML page; Markdown tables; a workbook; the findings CSV."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from openpyxl import load_workbook

from kg.analysis import analyse
from kg.report import FORMATS, format_for_path, generate_report_model, render_report
from kg.report.markdown import md_cell
from kg.report.model import ReportModel
from kg.report.tabular import FINDING_COLUMNS

EVIL = "<script>alert(1)</script>"


def _row(line: int, l3: str, value: str, l1: str = "产出指标", l2: str = "数量指标") -> dict[str, Any]:
    return {"l1": l1, "l2": l2, "l3": l3, "value": value, "line": line, "period": None}


def _docs() -> list[dict[str, Any]]:
    rows = [
        _row(11, f"培训{EVIL}人次", "显著提高"),
        _row(12, "A|B 覆盖率", "=100%", "效益指标", "社会效益指标"),
        _row(13, "满意度", "≥90%\n（抽样）", "满意度指标", "服务对象满意度指标"),
        _row(14, "控制字符\x0b指标", "按计划完成"),
    ]
    table = {"scope": "project", "name": f"项目{EVIL}", "line": 10, "indicators": rows, "annual_goal": None}
    return [{"source": "evil.txt", "department": f"某局{EVIL}", "budget_year": 2021, "tables": [table]}]


@pytest.fixture(scope="module")
def model() -> ReportModel:
    return generate_report_model(analyse(_docs()), title=f"报告{EVIL}")


@pytest.fixture(scope="module")
def page(model: ReportModel) -> str:
    return render_report(model, "html").decode("utf-8")


# --- HTML -----------------------------------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def test_markup_in_document_text_stays_text(page: str, model: ReportModel) -> None:
    assert EVIL not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    parsed = _parse(page)
    # the page's own script, nothing else: no tag and no handler came from the data
    assert [t for t, _ in parsed.tags].count("script") == 1
    assert not any(k.startswith("on") for _, attrs in parsed.tags for k in attrs)
    assert "alert" not in "".join(parsed.scripts)


def test_the_page_references_no_external_resource(page: str) -> None:
    assert not re.search(r"https?:|//[a-z0-9.-]+\.[a-z]{2,}|@import", page, re.I)
    for tag, attrs in _parse(page).tags:
        for key in ("src", "href"):
            value = attrs.get(key)
            assert value is None or value.startswith("#"), (tag, key, value)


def test_every_finding_is_in_the_page_without_javascript(page: str, model: ReportModel) -> None:
    rows = [attrs for tag, attrs in _parse(page).tags if tag == "tr" and "data-severity" in attrs]
    assert len(rows) == len(model.findings) > 0
    assert re.search(r"evil\.txt</td>\s*<td class=\"n\">11</td>", page)
    # the filter controls only show once the script runs
    assert re.search(r'<div class="controls" id="finding-controls" hidden>', page)


def test_charts_are_inline_svg(page: str) -> None:
    assert page.count("<svg") == 3 and 'aria-labelledby="chart-rules-title"' in page
    assert "<img" not in page


# --- Markdown -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cell"),
    [("a|b", r"a\|b"), ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"), ("*强调*", r"\*强调\*"), ("一\n二", "一<br>二"), ("一\x0b二\x00", "一<br>二"),
     (None, ""), (3, "3")],
)  # fmt: skip
def test_markdown_cells_escape_pipes_markup_and_newlines(text: object, cell: str) -> None:
    assert md_cell(text) == cell


def test_markdown_holds_the_same_tables(model: ReportModel) -> None:
    md = render_report(model, "md").decode("utf-8")
    assert EVIL not in md and "&lt;script&gt;" in md
    findings = md[md.index("## Findings") :]
    assert sum(1 for line in findings.splitlines() if line.startswith("| ") and "evil.txt" in line) == len(
        model.findings
    )
    for heading in (
        "## Departments",
        "## Documents",
        "## Projects",
        "## Rules",
        "## Identical",
        "## Most reused",
    ):
        assert heading in md
    # every table row has as many cells as its header: no pipe from the data split a cell
    for block in re.findall(r"((?:^\|.*\|$\n?)+)", md, re.M):
        counts = {len(re.split(r"(?<!\\)\|", line)) for line in block.splitlines()}
        assert len(counts) == 1, block


# --- xlsx and CSV ---------------------------------------------------------------------------------


def test_workbook_has_one_sheet_per_table_and_keeps_text_as_written(model: ReportModel) -> None:
    wb = load_workbook(io.BytesIO(render_report(model, "xlsx")))
    assert wb.sheetnames == [
        "Summary",
        "Projects",
        "Findings",
        "Templates",
        "IdenticalSets",
        "Indicators",
        "Rules",
    ]
    assert wb["Findings"].max_row == len(model.findings) + 1
    assert wb["Indicators"].max_row == len(model.indicators) + 1
    values = {c.value: c.data_type for row in wb["Indicators"].iter_rows(min_row=2) for c in row}
    assert values["=100%"] == "s"  # not a formula
    assert f"培训{EVIL}人次" in values
    assert "控制字符指标" in values  # the control character dropped: Excel refuses it
    summary = [[c.value for c in row] for row in wb["Summary"].iter_rows(min_row=2)]
    assert [r[0] for r in summary] == ["department", "document"]


def test_csv_lists_every_finding_with_a_bom_for_excel(model: ReportModel) -> None:
    data = render_report(model, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == list(FINDING_COLUMNS)
    assert len(rows) == len(model.findings) + 1
    by_rule = {r[1]: dict(zip(FINDING_COLUMNS, r, strict=True)) for r in rows[1:]}
    assert by_rule["Q01"]["text"] == "显著提高" and by_rule["Q01"]["line"] == "11"


# --- format selection -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("r.html", "html"),
        ("R.HTM", "html"),
        ("r.md", "md"),
        ("a/b.xlsx", "xlsx"),
        ("f.csv", "csv"),
        ("r.pdf", None),
    ],
)
def test_format_follows_the_file_suffix(name: str, fmt: str | None) -> None:
    assert format_for_path(name) == fmt


def test_an_unknown_format_is_refused(model: ReportModel) -> None:
    assert set(FORMATS) == {"html", "md", "xlsx", "csv"}
    with pytest.raises(ValueError, match="unknown report format"):
        render_report(model, "pdf")
