"""Finding tables and what the document is."""

from __future__ import annotations

import pytest

from extract.find import TableSpan
from extract.find import find_tables as find_spans
from extract.locate import find_budget_year, find_department
from extract.source import text_source

HEADER = "一级指标\t二级指标\t三级指标\t指标值"


def lines(text: str) -> list[str]:
    return text.split("\n")


def find_tables(texts: list[str]) -> list[TableSpan]:
    return find_spans(text_source("\n".join(texts), "t.txt").lines)


@pytest.mark.parametrize(
    "title, scope",
    [
        ("项目支出绩效目标表", "project"),
        ("## 一级项目支出绩效目标申报表", "project"),
        ("2021年市级部门预算项目绩效目标（部门预算）", "project"),
        ("3、信息化建设绩效目标表", "project"),
        ("## 部门（单位）整体支出绩效目标表", "department"),
        ("部门（单位）整体绩效目标表", "department"),
    ],
)
def test_a_title_followed_by_an_indicator_header_is_a_table(title: str, scope: str) -> None:
    spans = find_tables(lines(f"前言\n{title}\n项目名称\t甲\n{HEADER}\n产出指标\t数量指标\t培训次数\t=1次\n"))
    assert [(s.start, s.scope) for s in spans] == [(1, scope)]


@pytest.mark.parametrize(
    "mention",
    [
        "- 15. 一级项目支出绩效目标表",
        "15.2021 年市级部门预算项目绩效目标（部门预算）（表6）",
        "7.绩效目标和指标。（详见部门公开表9）",
        "三、项目支出绩效目标表…………12",
    ],
)
def test_table_of_contents_and_prose_mentions_are_not_tables(mention: str) -> None:
    assert find_tables(lines(f"{mention}\n正文\n")) == []


def test_a_title_without_an_indicator_header_is_not_a_table() -> None:
    assert find_tables(lines("项目支出绩效目标表\n本部门无此项内容。\n")) == []


def test_a_title_repeated_after_a_page_break_continues_the_table() -> None:
    text = (
        "## 部门（单位）整体支出绩效目标表\n部门（单位）名称\t甲局\n"
        f"{HEADER}\n\t产出指标\t数量指标\t培训次数\t=1次\n表14\n"
        "## 部门（单位）整体支出绩效目标表\n2021年度\n单位：万元\n"
        "\t\t\t会议次数\t=2次\n"
    )
    spans = find_tables(lines(text))
    assert len(spans) == 1
    assert spans[0].end == len(lines(text.rstrip("\n")))


def test_the_same_title_with_a_new_project_starts_a_new_table() -> None:
    block = f"## 一级项目支出绩效目标申报表\n项目编码\tX-1\t项目名称\t甲\n{HEADER}\n产出指标\t数量指标\t培训次数\t=1次\n"
    spans = find_tables(lines(block + block.replace("X-1", "X-2").replace("甲", "乙")))
    assert len(spans) == 2


def test_a_table_ends_at_the_next_section_heading() -> None:
    text = f"项目支出绩效目标表\n{HEADER}\n产出指标\t数量指标\t培训次数\t=1次\n第三部分\n名词解释\n"
    (span,) = find_tables(lines(text))
    assert span.end == 3


@pytest.mark.parametrize(
    "text, department",
    [
        ("# 深圳市医疗保障局 2021 年部门预算\n正文\n", "深圳市医疗保障局"),
        ("现将元氏县医疗保障局 2020 年部门预算公开如下\n编制部门：元氏县医疗保障局\n", "元氏县医疗保障局"),
        ("项目名称 甲\n单位名称 南充市医疗保障局\n单位名称 南充市医疗保障局\n", "南充市医疗保障局"),
        ("2021年度示例区民政局部门预算公开说明\n", "示例区民政局"),
        # 主管部门 is no 部门 key: the unit whose page this is outvotes the supervising department
        ("部门:示例县第一中学\n主管部门\t示例县教育体育局\t实施单位\t示例县第一中学\n", "示例县第一中学"),
        # the votes of a short stamp go to the full name a cell of its own writes out
        ("发布机构 教育局\n发布单位:教育局\n主管部门\n[015001]示例市青山区教育局\n", "示例市青山区教育局"),
        (
            "2026年示例市普陀区建设和管理委员会（部门）下属1家机关\n示例市普陀区市政工程建设中心\n",
            "示例市普陀区建设和管理委员会",
        ),
        # a page glued onto one long line still states its keys
        (
            "附件:" + "说明" * 200 + "主管部门示例县水利局实施单位示例县水利局资金情况(万元)全年预算数",
            "示例县水利局",
        ),
        # a table's title opening with its unit's name, then the year
        ("示例县第二中学2023年项目绩效目标表\n项目名称\t营养餐\n", "示例县第二中学"),
        ("示例市第一人民医院2024年部门整体支出绩效目标表\n", "示例市第一人民医院"),
    ],
)
def test_the_department_is_the_organisation_the_document_names_most(text: str, department: str) -> None:
    assert find_department(lines(text)) == department


def test_a_project_named_after_an_organisation_in_a_title_is_no_department() -> None:
    assert find_department(lines("2023年乡镇卫生院建设项目绩效目标表\n")) is None


@pytest.mark.parametrize(
    "self_evaluation, department", [(False, "示例县农业农村局"), (True, "示例镇人民政府")]
)
def test_a_self_evaluation_is_the_implementing_units_report(self_evaluation: bool, department: str) -> None:
    text = "主管部门\t示例县农业农村局\t实施单位\t示例镇人民政府\n"
    assert find_department(lines(text), self_evaluation=self_evaluation) == department


@pytest.mark.parametrize(
    "text, year",
    [
        ("国家医疗保障局2020年部门预算\n", 2020),
        ("2021年市级部门预算项目绩效目标（部门预算）\n", 2021),
        ("部门编码及名称：[473]某局\t\t预算年度：2020\n", 2020),
        ("2022年度示例区民政局部门预算公开说明\n", 2022),
        ("无年份\n", None),
        ("项目支出绩效目标表\n2020年度)\n", 2020),  # its opening bracket lost in conversion
        # no heading states it: the year the document's dates mention most, not the page's stamp
        ("发布时间:2022-08-15\n完成时间\t2021年12月31日\t2021年12月31日\n", 2021),
    ],
)
def test_the_budget_year_comes_from_the_budget_title(text: str, year: int | None) -> None:
    assert find_budget_year(lines(text)) == year


def test_a_bare_heading_is_a_title_only_when_a_table_follows_it() -> None:
    text = f"（一）总体绩效目标\n全年完成任务。\n（二）项目绩效目标\n项目名称 甲\n{HEADER}\n产出指标\t数量指标\t次数\t1次\n"
    assert [s.title for s in find_tables(lines(text))] == ["（二）项目绩效目标"]


def test_an_unconfirmed_heading_after_a_table_ends_it() -> None:
    text = (
        f"项目支出绩效目标表\n{HEADER}\n产出指标\t数量指标\t次数\t1次\n部门整体绩效目标\n全年工作顺利推进。\n"
    )
    (span,) = find_tables(lines(text))
    assert span.end == 3


@pytest.mark.parametrize(
    "line", ["- 12 -", "第3页，共10页", "第 3 页", "3/10", "表14", "部门公开表9", "2021年度", "单位：万元"]
)
def test_page_furniture_is_recognised(line: str) -> None:
    from extract.locate import is_page_furniture

    assert is_page_furniture(line)


@pytest.mark.parametrize("line", ["参保率 ≥95%", "按计划完成", "2021年12月31日前"])
def test_content_is_not_page_furniture(line: str) -> None:
    from extract.locate import is_page_furniture

    assert not is_page_furniture(line)


@pytest.mark.parametrize("line", ["附表3", "续表", "部门公开表9", "- 3 -", "—3—", "共10页第3页"])
def test_more_page_labels_are_furniture(line: str) -> None:
    from extract.locate import is_page_furniture

    assert is_page_furniture(line)


@pytest.mark.parametrize("line", ["项目支出绩效目标表", "产出指标\t数量指标\t完成报表", "\t\t\t100\t"])
def test_titles_and_rows_of_cells_are_not_page_furniture(line: str) -> None:
    from extract.locate import is_page_furniture

    assert not is_page_furniture(line)
