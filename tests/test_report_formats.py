"""The renderers: one self-contained, escaped HTML page; Markdown tables; a workbook; the findings CSV."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import posixpath
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from kg.analysis import analyse
from kg.findings import run_rules
from kg.report import (
    FORMATS,
    format_for_path,
    generate_report_model,
    render_html_pages,
    render_report,
    write_report,
)
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
def pages(model: ReportModel) -> dict[str, str]:
    return {path: data.decode("utf-8") for path, data in render_report(model, "html").items()}


@pytest.fixture(scope="module")
def page(pages: dict[str, str]) -> str:
    return pages["report.html"]


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


def test_the_report_is_an_overview_and_one_page_per_department(
    pages: dict[str, str], model: ReportModel
) -> None:
    assert sorted(pages) == [
        "report.html",
        *(f"report_files/d{i:04d}.html" for i in range(1, len(model.departments) + 1)),
    ]


def test_markup_in_document_text_stays_text(pages: dict[str, str]) -> None:
    for html in pages.values():
        assert EVIL not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        parsed = _parse(html)
        # the page's own script, nothing else: no tag and no handler came from the data
        assert [t for t, _ in parsed.tags].count("script") == 1
        assert not any(k.startswith("on") for _, attrs in parsed.tags for k in attrs)
        assert "alert" not in "".join(parsed.scripts)


def test_the_pages_reference_no_external_resource(pages: dict[str, str]) -> None:
    for path, html in pages.items():
        assert not re.search(r"https?:|//[a-z0-9.-]+\.[a-z]{2,}|@import", html, re.I), path
        for tag, attrs in _parse(html).tags:
            for key in ("src", "href"):
                value = attrs.get(key)
                if value is None or value.startswith("#"):
                    continue
                # a link to another page of the same report, resolved from this page's folder
                target = posixpath.normpath(posixpath.join(posixpath.dirname(path), value.split("#")[0]))
                assert target in pages, (path, tag, key, value)


def test_the_content_security_policy_allows_the_pages_own_script_only(pages: dict[str, str]) -> None:
    for html in pages.values():
        policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
        assert policy is not None
        [script] = _parse(html).scripts
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
        assert f"script-src 'sha256-{digest}'" in policy.group(1)
        assert "default-src 'none'" in policy.group(1) and "unsafe-eval" not in policy.group(1)


def test_every_finding_is_on_its_department_page_without_javascript(
    pages: dict[str, str], model: ReportModel
) -> None:
    rows = [
        attrs
        for path, html in pages.items()
        if path != "report.html"
        for tag, attrs in _parse(html).tags
        if tag == "tr" and "data-severity" in attrs
    ]
    assert len(rows) == len(model.findings) > 0
    department = pages["report_files/d0001.html"]
    assert re.search(r'<td class="n">11</td>\s*<td>培训&lt;script', department)
    # the filter controls only show once the script runs
    assert re.search(r'<div class="controls" id="finding-controls" hidden>', department)


def test_charts_are_inline_svg(page: str) -> None:
    assert page.count("<svg") == 3 and 'aria-labelledby="chart-rules-title"' in page
    assert "<img" not in page


def _info_model() -> ReportModel:
    docs = _docs()
    found = run_rules(docs)
    note = replace(found[0], rule="Q07", severity="I", message="a note, not a defect")  # type: ignore[arg-type]
    return generate_report_model(analyse(docs, findings=[*found, note]))


def test_information_notes_are_hidden_until_asked_for_and_never_counted() -> None:
    model = _info_model()
    assert model.info == 1 and len(model.defects) == len(model.findings) - 1
    assert sum(d.findings for d in model.departments) == len(model.defects)
    html = render_report(model, "html")["report_files/d0001.html"].decode("utf-8")
    [row] = re.findall(r'<tr data-severity="I"[^>]*>', html)
    assert 'class="info"' in row
    # hidden by a stylesheet rule keyed on an unchecked box, shown by its label: no script involved
    assert re.search(r'<input type="checkbox" id="show-info"[^>]*>', html)
    assert "checked" not in re.search(r'<input type="checkbox" id="show-info"[^>]*>', html).group(0)  # type: ignore[union-attr]
    assert "#show-info:not(:checked) ~ main .info { display: none; }" in html
    assert re.search(r'<label class="info-toggle" for="show-info">', html)


def test_a_department_with_many_findings_continues_on_further_pages() -> None:
    docs = _docs()
    docs[0]["tables"] = [dict(docs[0]["tables"][0], name=f"项目{i}", line=10 * i) for i in range(1, 6)]
    many = generate_report_model(analyse(docs))
    limit = len(many.findings) // 3
    html_pages = render_html_pages(many, font=None, page_rows=limit)
    department = sorted((p for p in html_pages if p.startswith("report_files/")), key=len)
    assert len(department) > 1 and department[0] == "report_files/d0001.html"
    for path in department[1:]:
        assert f'href="{path.removeprefix("report_files/")}"' in html_pages[department[0]]
    counts = [html_pages[p].count("<tr data-severity=") for p in department]
    sections = [re.findall(r'<section class="project" id="(p\d+)">', html_pages[p]) for p in department]
    assert sum(counts) == len(many.findings)
    assert all(n <= limit or len(ids) == 1 for n, ids in zip(counts, sections, strict=True))
    ids = [i for page_ids in sections for i in page_ids]
    assert len(ids) == len(set(ids)) == 5  # each project whole, on one page


def _one(model: ReportModel, fmt: str) -> bytes:
    [data] = render_report(model, fmt).values()  # md, xlsx and csv are one file each
    return data


# --- Markdown -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cell"),
    [("a|b", r"a\|b"), ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"), ("*强调*", r"\*强调\*"), ("一\n二", "一<br>二"), ("一\x0b二\x00", "一<br>二"),
     (None, ""), (3, "3")],
)  # fmt: skip
def test_markdown_cells_escape_pipes_markup_and_newlines(text: object, cell: str) -> None:
    assert md_cell(text) == cell


def test_markdown_holds_the_same_tables(model: ReportModel) -> None:
    md = _one(model, "md").decode("utf-8")
    assert EVIL not in md and "&lt;script&gt;" in md
    findings = md[md.index("## Findings") :]
    assert sum(1 for line in findings.splitlines() if line.startswith("| ") and "evil.txt" in line) == len(
        model.findings
    )
    for heading in (
        "## Worst projects",
        "## Departments that copy",
        "## Targets that cannot be checked",
        "## Targets vs achieved",
        "## Carried over from an earlier year",
        "## Departments",
        "## Documents",
        "## Projects",
        "## Rules",
        "## Copy groups",
        "## Most reused",
    ):
        assert heading in md
    # every table row has as many cells as its header: no pipe from the data split a cell
    for block in re.findall(r"((?:^\|.*\|$\n?)+)", md, re.M):
        counts = {len(re.split(r"(?<!\\)\|", line)) for line in block.splitlines()}
        assert len(counts) == 1, block


# --- xlsx and CSV ---------------------------------------------------------------------------------


def test_workbook_has_one_sheet_per_table_and_keeps_text_as_written(model: ReportModel) -> None:
    wb = load_workbook(io.BytesIO(_one(model, "xlsx")))
    assert wb.sheetnames == [
        "WorstProjects",
        "CopyingDepartments",
        "Uncheckable",
        "Achievement",
        "MissedTargets",
        "CarriedOver",
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
    assert "控制字符\u240b指标" in values  # the control character shown as its picture: Excel refuses it
    summary = [[c.value for c in row] for row in wb["Summary"].iter_rows(min_row=2)]
    assert [r[0] for r in summary] == ["department", "document"]
    header = [c.value for c in wb["Indicators"][1]]
    rows = [
        dict(zip(header, (c.value for c in row), strict=True))
        for row in wb["Indicators"].iter_rows(min_row=2)
    ]
    vague = next(r for r in rows if r["value"] == "显著提高")
    assert vague["severity"] == "H" and "Q01" in vague["rules"].split()
    assert "Q01" in vague["problems 问题"] and vague["suggested rewrite 建议"]
    worst = wb["WorstProjects"]
    assert worst.freeze_panes == "A2" and worst["A2"].value == f"项目{EVIL}"


def test_csv_lists_every_finding_with_a_bom_for_excel(model: ReportModel) -> None:
    data = _one(model, "csv")
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


def test_rewriting_a_report_removes_the_pages_it_no_longer_has_and_nothing_else(tmp_path: Path) -> None:
    two = [*_docs(), dict(_docs()[0], source="other.txt", department="另一局")]
    out = tmp_path / "r.htm"
    write_report(generate_report_model(analyse(two)), out)
    assert sorted(p.name for p in (tmp_path / "r_files").iterdir()) == ["d0001.html", "d0002.html"]
    (tmp_path / "r_files" / "notes.txt").write_text("mine", encoding="utf-8")
    written = write_report(generate_report_model(analyse(_docs())), out)
    assert sorted(p.name for p in (tmp_path / "r_files").iterdir()) == ["d0001.html", "notes.txt"]
    assert written == [out, tmp_path / "r_files" / "d0001.html"]
    assert 'href="../r.htm"' in written[1].read_text(encoding="utf-8")


def test_an_overview_of_many_departments_lists_the_worst_and_links_all_of_them_by_name() -> None:
    docs = [dict(_docs()[0], source=f"{i:03d}.txt", department=f"第{i:03d}局") for i in range(101)]
    html_pages = render_html_pages(generate_report_model(analyse(docs)), font=None)
    overview = html_pages["report.html"]
    listed = overview[overview.index('id="departments"') : overview.index('id="rules"')]
    assert listed.count('href="report_files/d0') == 100
    assert 'href="report_files/departments.html"' in listed
    everyone = html_pages["report_files/departments.html"]
    assert everyone.count('<a href="d0') == 101 and 'href="../report.html"' in everyone
