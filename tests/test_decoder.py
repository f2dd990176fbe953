"""The role decoder: rows recovered from the header's columns, whatever order, labels or layout."""

from __future__ import annotations

import pytest

from extract import Table, parse_document
from extract.interpret import emission


def table(text: str) -> Table:
    (only,) = parse_document(text, "page.txt").tables
    return only


def rows(text: str) -> list[tuple]:
    return [(i.l1, i.l2, i.l3, i.value) for i in table(text).indicators]


def test_columns_in_an_unusual_order_are_read_by_their_captions() -> None:
    text = (
        "绩效目标表\n指标值\t三级指标\t二级指标\t一级指标\t指标解释\n"
        "≥95%\t验收合格率\t质量指标\t产出指标\t反映验收质量\n"
        "2024年10月底前\t完工时间\t时效指标\t\t反映进度\n"
    )
    read = table(text)
    assert [(i.l1, i.l2, i.l3, i.value, i.description) for i in read.indicators] == [
        ("产出指标", "质量指标", "验收合格率", "≥95%", "反映验收质量"),
        ("产出指标", "时效指标", "完工时间", "2024年10月底前", "反映进度"),
    ]


def test_a_table_whose_labels_are_all_non_standard_is_read() -> None:
    text = (
        "项目支出目标申报表\n一级\t二级\t三级\t年度数值\t备注\n"
        "产出值\t数量值\t就读人数\t<=6962人\t\n\t质量值\t教学条件改善\t=100%\t\n"
        "效益值\t经济效益值\t经费有效使用情况\t=100%\t\n"
        "项目完成指标\t时效指标(工期指标)\t完工时间\t12月底前\t\n"
        "产 出 指 标 (50分)\t成本指标(必填硬性指标)\t生均公用经费\t780元/生/年\t\n"
    )
    assert rows(text) == [
        ("产出值", "数量值", "就读人数", "<=6962人"),
        ("产出值", "质量值", "教学条件改善", "=100%"),
        ("效益值", "经济效益值", "经费有效使用情况", "=100%"),
        ("项目完成指标", "时效指标(工期指标)", "完工时间", "12月底前"),
        ("产出指标(50分)", "成本指标(必填硬性指标)", "生均公用经费", "780元/生/年"),
    ]


def test_one_cell_per_paragraph_with_an_empty_long_term_side_gives_the_annual_rows() -> None:
    cells = [
        "项目支出绩效目标表", "一级指标", "二级指标(长期)", "三级指标(长期)", "指标值(长期)", "二级指标(年度)",
        "三级指标(年度)", "指标值(年度)", "产出指标", "数量指标", "数量指标", "重点工程安排数量", "2",
        "效益指标", "社会效益指标", "社会效益指标", "办学条件", "持续改善",
    ]  # fmt: skip
    read = table("\n\n".join(cells))
    assert [(i.period, i.l1, i.l2, i.l3, i.value) for i in read.indicators] == [
        ("annual", "产出指标", "数量指标", "重点工程安排数量", "2"),
        ("annual", "效益指标", "社会效益指标", "办学条件", "持续改善"),
    ]


def test_a_self_evaluation_keeps_target_actual_weight_and_score_apart() -> None:
    text = (
        "2023年项目绩效自评表\n一级指标\t二级指标\t三级指标\t分值\t年度指标值\t全年实际值\t得分\t未完成原因\n"
        "产出指标\t数量指标\t补助种植面积\t20\t29.5亩\t28亩\t18\t天气影响\n"
    )
    read = table(text)
    (ind,) = read.indicators
    assert read.kind == "self_evaluation"
    assert (ind.value, ind.actual, ind.weight, ind.score) == ("29.5亩", "28亩", "20", "18")


def test_a_value_split_over_sign_number_and_unit_columns_is_read_whole() -> None:
    text = (
        "绩效目标表\n一级指标\t二级指标\t三级指标\t指标性质\t指标值\t度量单位\t权重(%)\n"
        "产出指标\t数量指标\t召开会议\t≥\t2\t次\t15\n效益指标\t社会效益指标\t食品安全状况\t定性\t高中低\t\t10\n"
    )
    assert [r[3] for r in rows(text)] == ["≥2次", "高中低"]


def test_a_pipe_stream_with_border_lines_reads_one_row_between_borders() -> None:
    text = (
        "2023年项目支出绩效目标申报表\n|\n一级指标 |\n二级指标 |\n三级指标 |\n指标值及单位 |\n||\n|\n"
        "产出指标 |\n数量指标 |\n配备车辆数 |\n10辆 |\n||\n|\n风炮射程 |\n≥80M |\n||\n"
    )
    assert rows(text) == [
        ("产出指标", "数量指标", "配备车辆数", "10辆"),
        ("产出指标", "数量指标", "风炮射程", "≥80M"),
    ]


def test_labels_wrapped_over_lines_are_joined() -> None:
    text = "项目支出绩效目标申报表\n一级指标 二级指标 三级指标 指标值\n项目效益\n指标\n社会效益\n指标\n促进社会和谐 100%\n"
    assert rows(text) == [("项目效益指标", "社会效益指标", "促进社会和谐", "100%")]


@pytest.mark.parametrize("text", ["数量指标", "≥90%", "100", "=12次"])
def test_a_framework_label_or_a_bare_measure_is_never_an_indicator_name(text: str) -> None:
    assert emission(text, "l3") <= -8


def test_a_framework_label_is_never_a_value() -> None:
    assert emission("社会效益指标", "value") <= -8


def test_a_number_column_is_read_as_such_and_not_glued_to_the_name() -> None:
    text = (
        "绩效目标表\n项目名称：环境整治\n序号 指标名称 指标值 备注\n1 垃圾清运量 ≥5000吨\n2 群众满意度 ≥90%\n"
    )
    assert [(i.l3, i.value) for i in table(text).indicators] == [
        ("垃圾清运量", "≥5000吨"),
        ("群众满意度", "≥90%"),
    ]


def test_a_value_with_a_space_inside_stays_whole() -> None:
    text = "项目绩效目标表\n一级指标 二级指标 三级指标 指标值\n效益指标 社会效益指标 受益人口 按计划 完成\n"
    assert rows(text) == [("效益指标", "社会效益指标", "受益人口", "按计划完成")]


def test_a_spanning_caption_gives_way_to_the_sub_captions_under_it() -> None:
    from extract.pipeline import parse_source
    from extract.readers import source_from_bytes

    page = (
        "<p>项目支出绩效自评表</p><table><tr><td>项目名称<td colspan=7>道路养护"
        "<tr><td rowspan=2>一级指标<td rowspan=2>二级指标<td rowspan=2>三级指标<td colspan=3>年度指标值"
        "<td rowspan=2>实际完成值<td rowspan=2>得分"
        "<tr><td>指标性质<td>指标值<td>度量单位"
        "<tr><td>产出指标<td>数量指标<td>养护里程<td>≥<td>120<td>公里<td>125公里<td>20</table>"
    )
    (read,) = parse_source(source_from_bytes(page.encode("utf-8"), "page.html")).tables
    (ind,) = read.indicators
    assert (ind.l3, ind.value, ind.actual, ind.score) == ("养护里程", "≥120公里", "125公里", "20")


@pytest.mark.parametrize(
    "caption, kinds, expected",
    [
        # 指标类型 over the framework's L1 labels: the L1 column
        (
            "指标类型",
            ("产出", "效益"),
            [("产出", None, "受益学生人数", "≥1500人"), ("效益", None, "学生营养状况", "逐步改善")],
        ),
        # the same caption over 正向/反向: the direction of each indicator, no L1
        (
            "指标类型",
            ("正向", "正向"),
            [(None, None, "受益学生人数", "≥1500人"), (None, None, "学生营养状况", "逐步改善")],
        ),
        # 指标层级 over non-standard L1 names
        (
            "指标层级",
            ("产出值", "效果值"),
            [("产出值", None, "受益学生人数", "≥1500人"), ("效果值", None, "学生营养状况", "逐步改善")],
        ),
    ],
)
def test_a_caption_heading_either_kind_of_column_takes_the_role_its_cells_bear_out(
    caption: str, kinds: tuple[str, str], expected: list[tuple]
) -> None:
    text = (
        f"项目绩效目标表\n| {caption} | 指标名称 | 指标方向 | 目标值 | 计量单位 | 权重 |\n| --- | --- | --- | --- | --- | --- |\n"
        f"| {kinds[0]} | 受益学生人数 | ≥ | 1500 | 人 | 20 |\n"
        f"| {kinds[1]} | 学生营养状况 | 定性 | 逐步改善 |  | 30 |\n"
    )
    assert rows(text) == expected


@pytest.mark.parametrize(
    "row, expected",
    [
        # a formula-like explanation glued to its name: the name, the explanation, the value
        (
            "产出指标数量指标软件更新维护率更新维护的软件占需要更新维护软件的比例≥95%",
            ("软件更新维护率", "更新维护的软件占需要更新维护软件的比例", "≥95%"),
        ),
        # the explanation's sentence ends before the value: "。" does not hold the sign
        (
            "满意度指标服务对象满意度指标受助人员满意度受助人员满意数量占总数的比例。≥98%",
            ("受助人员满意度", "受助人员满意数量占总数的比例。", "≥98%"),
        ),
    ],
)
def test_a_name_glued_to_its_explanation_is_cut_where_the_explanation_begins(
    row: str, expected: tuple[str, str, str]
) -> None:
    text = f"项目绩效目标表\n一级指标\t二级指标\t三级指标\t指标解释\t指标值\n{row}\n"
    (ind,) = table(text).indicators
    assert (ind.l3, ind.description, ind.value) == expected


def test_a_unit_after_a_space_stays_with_its_value_not_in_the_basis_column() -> None:
    text = "项目绩效目标表\n一级指标\t二级指标\t三级指标\t指标值\t指标值确定依据\n产出指标 数量指标 资助参保人数 ≥200 人\n"
    (ind,) = table(text).indicators
    assert (ind.l3, ind.value, ind.basis) == ("资助参保人数", "≥200人", None)


@pytest.mark.parametrize(
    "row, expected",
    [
        # two cells a converter ran together inside one tab cell
        ("\t评估测算DRG医院 9家\t", ("评估测算DRG医院", "9家")),
        # a value with a space inside its own cell stays whole, its space kept
        ("\t评估测算DRG医院\t≥9 家", ("评估测算DRG医院", "≥9 家")),
        # so does a name with spaces inside
        ("\t=cmd|' /C calc'!A0\t=1家", ("=cmd|' /C calc'!A0", "=1家")),
    ],
)
def test_spaces_inside_a_tab_cell_are_cut_only_when_the_columns_want_it(
    row: str, expected: tuple[str, str]
) -> None:
    text = f"项目绩效目标表\n一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标{row}\n"
    (ind,) = table(text).indicators
    assert (ind.l3, ind.value) == expected
