"""Header fields in every layout: key/value cells, split keys, two periods, money units, tasks."""

from __future__ import annotations

import pytest

from extract.header import clean_org_name, parse_header, parse_money


def numbered(text: str, first: int = 10) -> list[tuple[int, str]]:
    return list(enumerate(text.split("\n"), start=first))


def test_space_separated_fields_with_two_periods_side_by_side() -> None:
    text = (
        "项目名称 体系建设\n主管部门及代码 某局[257] 实施单位 某局本级\n项目属性 延续项目 项目周期 3年\n"
        "项目资金（万元） 中期资金总额： 300.50 年度资金总额： 100.25\n"
        "其中：财政拨款 300.50 其中：财政拨款 90.00\n其他资金 其他资金\n"
        "总体\n目标\n中期目标 年度目标\n目标1：三年内建成体\n系。\n目标1：今年完成设计。\n"
    )
    h = parse_header(numbered(text))
    assert (h.name, h.implementing_unit, h.department) == ("体系建设", "某局本级", "某局")
    assert (h.funding.midterm_total, h.funding.annual_total, h.funding.annual_fiscal) == (300.5, 100.25, 90.0)
    assert h.funding.source == "table"
    assert h.midterm_goal == "目标1：三年内建成体系。"
    assert h.annual_goal == "目标1：今年完成设计。"
    assert h.unparsed == []


def test_tab_fields_in_yuan_are_converted_to_wan_yuan() -> None:
    text = (
        "项目编码\tA-2021-01\t\t项目名称\t政策研究\n一级预算单位\t0102025 某市局\t\t主管处室\t14 社保处\n"
        "项目总金额（元）\t30,309,500.00\t\t本年度项目金额（元）\t7,408,800.00\n"
        "年度目标\t<ol><li>1. 调研</li> <li>2. 宣传</li></ol>\t\t\t\n长期目标（跨度多年的项目需填）\t扩大影响。\t\t\t"
    )
    h = parse_header(numbered(text))
    assert (h.project_code, h.name, h.implementing_unit) == ("A-2021-01", "政策研究", "某市局")
    assert (h.funding.midterm_total, h.funding.annual_total) == (3030.95, 740.88)
    assert h.annual_goal == "1. 调研 2. 宣传"
    assert h.midterm_goal == "扩大影响。"


def test_key_and_unit_split_over_lines_and_goal_text_below() -> None:
    text = "项目名称 租金\n单位名称 某局\n项目资金\n（万元）\n年度资金总额： 39\n其中：财政拨款 39\n其他资金\n总体目标\n支付房租，\n保障办公。"
    h = parse_header(numbered(text))
    assert (h.funding.annual_total, h.funding.annual_fiscal) == (39.0, 39.0)
    assert h.annual_goal == "支付房租，保障办公。"
    assert h.unparsed == []


def test_department_tasks_are_summed_unless_a_total_row_is_given() -> None:
    tasks = "部门（单位）名称\t某局\t预算编 码\t816\n年度工作 主要内容\t任务名称\t主要内容或用途\t总金额\t财政资金\n"
    rows = "\t救助\t资助参保\t1,450\t1,400\t0\n\t宣传\t政策宣传\t12.5\t12.5\t0\n\t\t续写的内容\t\t\n"
    summed = parse_header(numbered(tasks + rows))
    assert (summed.funding.annual_total, summed.funding.annual_fiscal) == (1462.5, 1412.5)
    with_total = parse_header(numbered(tasks + rows + "\t金额合计\t\t2,000\t1,900\t0"))
    assert (with_total.funding.annual_total, with_total.funding.annual_fiscal) == (2000.0, 1900.0)
    assert with_total.implementing_unit == "某局"
    assert with_total.unparsed == []


def test_code_and_unit_line_under_a_title_names_the_unit() -> None:
    h = parse_header(numbered("473002 元氏县某局\n绩效目标\t1、全年救助 200 人次\t\t\t"))
    assert h.implementing_unit == "元氏县某局"
    assert h.annual_goal == "1、全年救助 200 人次"


def test_a_line_no_key_explains_is_reported_not_dropped() -> None:
    h = parse_header(numbered("项目名称 甲\n一段无法识别的说明文字"))
    assert [(u.line, u.text) for u in h.unparsed] == [(11, "一段无法识别的说明文字")]


@pytest.mark.parametrize(
    "text, unit, expected",
    [
        ("7,408,800.00", "元", 740.88),
        ("15", "万元", 15.0),
        ("34万元", None, 34.0),
        ("6931000元", None, 693.1),
        ("无", None, None),
    ],
)
def test_money_is_read_in_wan_yuan(text: str, unit: str | None, expected: float | None) -> None:
    assert parse_money(text, unit) == expected


@pytest.mark.parametrize(
    "raw, name",
    [
        ("0102025 深圳市医疗保障局", "深圳市医疗保障局"),
        ("国家医疗保障局[257]", "国家医疗保障局"),
        ("0102025001深圳市医疗保障局", "深圳市医疗保障局"),
    ],
)
def test_codes_are_stripped_from_organisation_names(raw: str, name: str) -> None:
    assert clean_org_name(raw) == name


def test_side_by_side_goal_cells_of_a_tab_table_go_to_their_period() -> None:
    h = parse_header(numbered("项目名称\t甲\n总体目标\t中期目标\t年度目标\n\t三年建成平台。\t今年完成一期。"))
    assert (h.midterm_goal, h.annual_goal) == ("三年建成平台。", "今年完成一期。")


def test_one_cell_per_line_gives_each_key_the_next_line() -> None:
    h = parse_header(
        numbered(
            "项目名称\n社区养老服务\n实施单位\n示例区民政局\n年度资金总额\n30\n绩效目标\n服务老人1200人。"
        )
    )
    assert (h.name, h.implementing_unit, h.funding.annual_total) == ("社区养老服务", "示例区民政局", 30.0)
    assert h.annual_goal == "服务老人1200人。" and h.unparsed == []


@pytest.mark.parametrize(
    "caption",
    [
        "项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分",
        "年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分",
    ],
)
def test_the_budget_of_an_execution_block_is_the_amount_under_the_full_year_budget(caption: str) -> None:
    text = f"{caption}\n年度资金总额：\t493.76\t536.2\t413.57\t10.0\t77.13%\t7.7\n其中：财政拨款\t473.76\t480.00\t351.13\t--\t0.0%\t--"
    h = parse_header(numbered(text))
    assert (h.funding.annual_total, h.funding.annual_fiscal) == (536.2, 480.0)


def test_amounts_under_a_row_of_money_captions_split_into_sub_columns_are_read_by_column() -> None:
    text = (
        "部门名称\t示例局\n总体资金情况（万元）\t\t预算支出总额\t财政拨款\t\t\t其他资金\n"
        "\t\t\t合计\t基本支出\t项目支出\t合计\t基本支出\t项目支出\n"
        "\t\t1,063.5\t820.25\t37.5\t782.75\t243.25\t0.5\t242.75"
    )
    h = parse_header(numbered(text))
    assert (h.funding.annual_total, h.funding.annual_fiscal, h.funding.source) == (1063.5, 820.25, "table")
    assert h.unparsed == []


@pytest.mark.parametrize(
    "amounts, expected",
    [("120.5\t100", (120.5, 100.0)), ("120.5\t100\t20.5\t7", (None, None))],  # misaligned: nothing guessed
)
def test_amounts_under_money_captions_are_read_only_when_they_line_up(
    amounts: str, expected: tuple[float | None, float | None]
) -> None:
    h = parse_header(numbered(f"年度资金总额\t其中：财政拨款\n{amounts}"))
    assert (h.funding.annual_total, h.funding.annual_fiscal) == expected


@pytest.mark.parametrize(
    "line, fiscal",
    [
        ("项目资金（万元）：年度资金总额 86.5，其中财政拨款 80", 80.0),
        ("年度资金总额 86.5；其中：财政拨款 80", 80.0),
        ("年度资金总额 86.5 其中财政拨款 80", 80.0),
        ("年度资金总额 86.5，财政拨款按进度拨付", None),  # no key after the comma: nothing read
    ],
)
def test_funding_fields_written_as_a_sentence_read_each_amount(line: str, fiscal: float | None) -> None:
    funding = parse_header([(3, line)]).funding
    assert (funding.annual_total, funding.annual_fiscal) == (86.5, fiscal)


def test_a_value_wrapped_over_lines_one_cell_per_line_is_joined_back() -> None:
    lines = [
        "项目名称",
        "兰溪路-真南路下立交工",
        "程",
        "主管部门",
        "示例区建设和管",
        "理委员会",
        "实施单位",
        "示例中心",
    ]
    header = parse_header(list(enumerate(lines, 1)))
    assert (header.name, header.department, header.implementing_unit) == (
        "兰溪路-真南路下立交工程",
        "示例区建设和管理委员会",
        "示例中心",
    )
    assert header.unparsed == []


def test_a_short_value_is_not_taken_for_the_wrapped_rest_of_the_one_before() -> None:
    # a key and a number on the lines after a value continue nothing
    header = parse_header(list(enumerate(["项目名称", "示例项目", "预算数", "2024"], 1)))
    assert header.name == "示例项目"


@pytest.mark.parametrize(
    "lines, goal",
    [
        # a row of cells: the planned goal beside what was achieved of it
        (["年度总体目标\t预期目标\t实际完成情况", "\t全年签约5000人\t全年签约5120人"], "全年签约5000人"),
        # one cell per line, goal then achievement
        (["年度总体目标", "预期目标", "实际完成情况", "全年签约5000人", "全年签约5120人"], "全年签约5000人"),
        # numbered goals as a block, then their achievements numbered again
        (
            [
                "预期目标 目标实际完成情况",
                "目标1:完成抽检",
                "目标2:加强监管",
                "目标1:完成148批次",
                "目标2:加强了监管",
            ],
            "目标1:完成抽检目标2:加强监管",
        ),
        # numbered goals alternating with their achievements, a score among them
        (
            [
                "年度目标完成情况",
                "预期目标",
                "目标实际完成情况",
                "20",
                "目标1:排查。",
                "目标1:排查了。",
                "目标2:打击。",
                "目标2:打击了。",
            ],
            "目标1:排查。目标2:打击。",
        ),
    ],
)
def test_a_self_evaluations_goal_is_the_planned_one_not_what_was_achieved(
    lines: list[str], goal: str
) -> None:
    header = parse_header(list(enumerate(lines, 1)))
    assert header.annual_goal == goal
    assert header.unparsed == []


def test_an_execution_block_one_cell_per_line_reads_the_full_year_budget_of_each_row() -> None:
    lines = ["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    lines += [
        "年度资金总额",
        "100",
        "120",
        "114",
        "10",
        "95%",
        "9.5",
        "其中：财政拨款",
        "100",
        "110",
        "104",
        "—",
        "—",
        "—",
    ]
    header = parse_header(list(enumerate(lines, 1)))
    assert (header.funding.annual_total, header.funding.annual_fiscal) == (120.0, 110.0)
    assert header.unparsed == []
