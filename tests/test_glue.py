"""Cells glued together with nothing between, cut where the vocabulary and the value grammar allow."""

from __future__ import annotations

import pytest

from extract import parse_document
from extract.glue import split_captions, split_glued


def pieces(text: str) -> list[str]:
    return [p for p, _ in split_glued(text)]


@pytest.mark.parametrize(
    "text, cells",
    [
        (
            "产出指标数量指标农村学校改造覆盖率100%",
            ["产出指标", "数量指标", "农村学校改造覆盖率", "1", "0", "0%"],
        ),
        (
            "效益指标可持续影响指标均衡发展情况稳步提高",
            ["效益指标", "可持续影响指标", "均衡发展情况", "稳步提高"],
        ),
        (
            "社会公众或服务对象满意度指标学生家长满意度≥90%",
            ["社会公众或服务对象满意度指标", "学生家长满意度", "≥90%"],
        ),
        ("学校满意度≥90%", ["学校满意度", "≥90%"]),
        ("培训人次2024年12月31日前", ["培训人次", "2024年12月31日前"]),
    ],
)
def test_labels_names_and_values_come_apart(text: str, cells: list[str]) -> None:
    assert pieces(text) == cells


def test_cuts_around_labels_are_certain_and_cuts_inside_numbers_are_not() -> None:
    got = dict(split_glued("产出指标数量指标覆盖率100%"))
    assert got["数量指标"] and got["覆盖率"]
    assert not got["0"]  # "1" "0" "0%": the interpreter joins them back


@pytest.mark.parametrize(
    "text, cells",
    [
        ("机关事务正常运转率机关事务正常运转率", ["机关事务正常运转率", "机关事务正常运转率"]),
        (
            "党建任务完成率上级党组织要求完成党建工作任务完成率",
            ["党建任务完成率", "上级党组织要求完成党建工作任务完成率"],
        ),
    ],
)
def test_a_name_written_twice_or_restated_is_a_name_and_its_explanation(text: str, cells: list[str]) -> None:
    assert pieces(text) == cells
    assert split_glued(text)[1][1]  # a certain cut


@pytest.mark.parametrize(
    "text",
    [
        "村组干部230人",
        "对学校2400平米体育场馆补贴5万元。",
        "机关干部满意度指标",
        "按照资金测算控制各项成本。",
        "≥90%",
    ],
)
def test_a_cell_with_no_sign_of_glue_is_left_whole(text: str) -> None:
    assert pieces(text) == [text]


def test_a_name_running_into_an_explanation_that_does_not_restate_it_may_be_cut_at_the_name() -> None:
    assert split_glued("消化利用农作物秸秆数量建立秸秆综合利用点") == (
        ("消化利用农作物秸秆数量", False),
        ("建立秸秆综合利用点", False),  # uncertain: the decoder takes it only if the columns want it
    )


def test_a_glued_header_row_is_cut_into_its_captions() -> None:
    assert split_captions("绩效指标一级指标二级指标指标内容指标值") == (
        "绩效指标",
        "一级指标",
        "二级指标",
        "指标内容",
        "指标值",
    )
    assert split_captions("农村义务教育薄弱学校改造") is None


def test_a_date_is_never_cut_inside() -> None:
    assert "2024年12月31日前" in pieces("产出指标时效指标完成时间2024年12月31日前")


@pytest.mark.parametrize(
    "text, cells",
    [
        # a name, its value with its unit, the explanation after it
        (
            "劳务派遣员工数量51名考察劳务派遣员工数量情况",
            ["劳务派遣员工数量", "51", "名", "考察劳务派遣员工数量", "情况"],
        ),
        # a name's ending right before a value word
        ("档案整理规范性合规反映文书档案质量情况", ["档案整理规范性", "合规反映文书档案质量", "情况"]),
    ],
)
def test_a_long_run_that_reads_as_a_whole_row_is_cut_everywhere_the_grammar_allows(
    text: str, cells: list[str]
) -> None:
    assert split_glued(text) == tuple((c, False) for c in cells)  # every cut uncertain


@pytest.mark.parametrize(
    "caption, rows, expected",
    [
        (
            "指标解释预期达到目标",
            "产出指标数量指标培育中药材品种数量培育中药材品种数量\n4种\n消化利用农作物秸秆数量建立秸秆综合利用点\n5个",
            [
                ("培育中药材品种数量", "4种", "培育中药材品种数量"),
                ("消化利用农作物秸秆数量", "5个", "建立秸秆综合利用点"),
            ],
        ),
        (
            "指标值指标解释",
            "产出指标数量指标重疾病险短信发送条数756万条考察重疾病险短信发送数量情况\n"
            "劳务派遣员工数量51名考察劳务派遣员工数量情况",
            [
                ("重疾病险短信发送条数", "756万条", "考察重疾病险短信发送数量情况"),
                ("劳务派遣员工数量", "51名", "考察劳务派遣员工数量情况"),
            ],
        ),
    ],
)
def test_glued_rows_are_read_as_name_value_and_explanation(
    caption: str, rows: str, expected: list[tuple[str, str, str]]
) -> None:
    text = f"项目支出绩效目标表\n一级指标二级指标三级指标{caption}\n{rows}\n"
    (table,) = parse_document(text, "glued.txt").tables
    assert [(i.l3, i.value, i.description) for i in table.indicators] == expected
