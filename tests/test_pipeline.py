"""Whole documents in every layout, from the project's own samples under examples/."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract import parse_document, read_document
from extract.find import find_tables
from extract.pipeline import read_span
from extract.source import text_source

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def rows(path: str) -> list[tuple]:
    doc = read_document(EXAMPLES / path)
    return [(t.name, i.period, i.l1, i.l2, i.l3, i.value) for t in doc.tables for i in t.indicators]


def test_two_period_pdf_text_reads_both_periods_and_funding() -> None:
    doc = read_document(EXAMPLES / "示例省医疗保障局_2020.txt")
    (table,) = doc.tables
    assert (doc.department, doc.budget_year) == ("示例省医疗保障局", 2020)
    assert (table.name, table.implementing_unit) == ("医疗保障信息化建设", "示例省医疗保障局本级")
    f = table.funding
    assert (f.annual_total, f.annual_fiscal, f.midterm_total, f.source) == (1200.0, 1150.0, 3600.0, "table")
    assert table.midterm_goal == "目标1：建成全省统一的医疗保障信息平台。"
    assert table.annual_goal == "目标1：完成平台一期建设和数据迁移。"
    got = [(i.period, i.l2, i.l3, i.value) for i in table.indicators]
    assert ("annual", "时效指标", "数据迁移完成时间", "2020年12月31日前") in got
    assert ("midterm", "社会效益指标", "参保人员异地就医直接结算率", "显著提高") in got
    assert len(got) == 12 and table.unparsed == []


def test_one_column_pdf_text_reads_inline_labels() -> None:
    got = rows("示例市医疗保障局_2021.txt")
    assert ("医保基金监管", None, "满意度指标", "满意度指标", "参保对象满意度", "<=80%") in got
    assert ("医保政策宣传", None, "产出指标", "数量指标", "电台、电视、网络宣传次数", "=12次") in got
    assert len(got) == 17


def test_county_tab_tables_take_funding_from_the_narrative_unless_ambiguous() -> None:
    doc = read_document(EXAMPLES / "示例县卫生健康局_2022.txt")
    funding = {t.name: t.funding.annual_total for t in doc.tables}
    assert funding["家庭医生签约服务经费"] == 120.0
    assert funding["基层医疗机构设备购置资金(示财社[2022]12号)"] == 900.0
    assert funding["公共卫生补助资金(示财社[2022]30号)"] is None  # two tables share the name
    assert {t.implementing_unit for t in doc.tables} == {"示例县卫生健康局", "示例县基层卫生服务中心"}


def test_markdown_department_table_over_page_breaks_is_one_table() -> None:
    doc = read_document(EXAMPLES / "示例市医疗保障局_整体.md")
    dept, project = doc.tables
    assert (dept.scope, dept.name, dept.line) == ("department", "示例市医疗保障局", 7)
    assert (dept.funding.annual_total, dept.funding.annual_fiscal) == (8000.0, 8000.0)
    assert [i.l3 for i in dept.indicators][-2:] == ["规范医药机构行为", "参保人满意度"]
    assert dept.indicators[-1].l1 == "效益指标" and dept.indicators[-1].l2 == "满意度指标"
    assert (project.funding.annual_total, project.funding.midterm_total) == (450.0, 1200.0)
    assert project.project_code == "0201001-2022-YBXM-0001-01"


@pytest.mark.parametrize("path", sorted(p.name for p in EXAMPLES.iterdir()))
def test_every_line_of_every_example_table_is_accounted_for(path: str) -> None:
    text = (EXAMPLES / path).read_text(encoding="utf-8")
    lines = text_source(text, path).lines
    for span in find_tables(lines):
        tables, accounted = read_span(lines, span)
        content = {j + 1 for j in range(span.start, span.end) if lines[j].text.strip()}
        assert content <= accounted, f"{path}: lines {sorted(content - accounted)} lost"
        assert not [u for t in tables for u in t.unparsed if u.reason == "not read by any stage"]


def test_targets_are_parsed_on_every_indicator() -> None:
    doc = read_document(EXAMPLES / "示例市医疗保障局_2021.txt")
    by_l3 = {i.l3: i.target for t in doc.tables[:1] for i in t.indicators}
    assert by_l3["宣传资料印制数量"].comparator == "≤" and by_l3["宣传资料印制数量"].number == 8000
    assert by_l3["项目完成时间"].date == "2021-12-31"


def test_a_document_without_tables_gives_an_empty_record() -> None:
    doc = parse_document("示例区财政局2021年部门预算\n本部门无项目支出。\n", "empty.txt")
    assert doc.tables == [] and doc.department == "示例区财政局"


def test_markdown_pipe_tables_are_read_as_tab_tables() -> None:
    text = (
        "# 示例区民政局2022年部门预算\n\n## 项目支出绩效目标表\n\n| 项目名称 | 养老服务补贴 |  |\n"
        "| 年度资金总额 | 50 |  |\n\n| 一级指标 | 二级指标 | 三级指标 | 指标值 |\n|---|---|---|---|\n"
        "| 产出指标 | 数量指标 | 补贴人数 | ≥500人 |\n|  | 时效指标 | 发放时间 | 按月发放 |\n"
    )
    (table,) = parse_document(text, "page.md").tables
    assert (table.name, table.funding.annual_total) == ("养老服务补贴", 50.0)
    assert [(i.l2, i.l3, i.value, i.line) for i in table.indicators] == [
        ("数量指标", "补贴人数", "≥500人", 10),
        ("时效指标", "发放时间", "按月发放", 11),
    ]


def test_a_table_without_a_title_is_found_by_its_indicator_header() -> None:
    text = (
        "示例区卫生健康局2022年部门预算\n三、项目情况\n项目名称\t老年人体检\n实施单位\t示例区卫生健康局\n"
        "年度资金总额\t45\n一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t体检人数\t≥3000人\n"
        "满意度指标\t服务对象满意度指标\t老人满意度\t≥90%\n四、其他说明\n无。\n"
    )
    (table,) = parse_document(text, "untitled.txt").tables
    assert (table.name, table.line, table.funding.annual_total) == ("老年人体检", 3, 45.0)
    assert [i.l3 for i in table.indicators] == ["体检人数", "老人满意度"]
    assert table.unparsed == []


def test_a_sentence_naming_the_indicator_levels_is_not_a_table() -> None:
    text = "绩效指标包括一级指标、二级指标、三级指标和指标值。\n产出指标 数量指标 次数 1次\n"
    assert parse_document(text, "prose.txt").tables == []


def test_a_title_far_above_its_header_in_a_one_paragraph_per_cell_page_is_reached() -> None:
    # every cell its own paragraph, blank lines between: the title sits twice as many raw lines
    # above the header as there are cells; "…完成情况" over the header is a section, not the actuals
    goals = [f"目标{n}:开展第{n}项监管工作。" for n in range(1, 46)]
    cells = ["食品监管补助资金绩效目标自评表", "专项名称", "食品监管补助资金", "预算数:", "2.38", *goals]
    cells += ["年度绩效指标完成情况", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成指标值"]
    cells += ["产出指标", "数量指标", "检查次数", "≥10次", "12次"]
    (table,) = parse_document("\n\n".join(cells) + "\n", "paragraphs.txt").tables
    assert (table.title, table.line, table.funding.annual_total) == (
        "食品监管补助资金绩效目标自评表",
        1,
        2.38,
    )
    assert [(i.l3, i.value, i.actual) for i in table.indicators] == [("检查次数", "≥10次", "12次")]


def test_a_project_named_like_the_start_of_its_title_keeps_its_name() -> None:
    # the name is the title's first words: a line inside the table, not the title cut short
    text = (
        "示例食品监管补助资金区域绩效目标自评表\n专项名称\n示例食品监管补助资金\n"
        "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\n产出指标\t数量指标\t抽检批次\t≥30批次\t32批次\n"
    )
    (table,) = parse_document(text, "page.txt").tables
    assert table.name == "示例食品监管补助资金"


SELF_EVALUATION = (
    "项目支出绩效自评表\n项目名称\t示例抽检\n一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\n"
    "产出指标\t数量指标\t抽检批次\t≥30批次\t32批次\n产出指标\t数量指标\t监管企业数\t≥120家\t125家\n"
    "产出指标\t质量指标\t抽检完成率\t100%\t100%\n效益指标\t社会效益指标\t指标1.“两品一械”总体安全\n"
)


@pytest.mark.parametrize("after, kept", [("", False), ("总分\t100\n", True)])
def test_a_self_evaluation_cut_off_inside_its_last_row_records_that_row_as_unparsed(
    after: str, kept: bool
) -> None:
    (table,) = parse_document(SELF_EVALUATION + after, "page.txt").tables
    assert len(table.indicators) == (4 if kept else 3)
    assert any(u.reason == "the document ends inside this row" for u in table.unparsed) != kept
