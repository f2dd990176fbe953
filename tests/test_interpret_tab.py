"""The cell interpreter on tab tables, whole and damaged by conversion."""

from __future__ import annotations

import pytest

from extract import Table, parse_document


def table(text: str) -> Table:
    (only,) = parse_document("项目支出绩效目标表\n" + text, "t.txt").tables
    return only


def rows(text: str) -> list[tuple[str | None, str | None, str, str | None, str | None]]:
    return [(i.l1, i.l2, i.l3, i.value, i.description) for i in table(text).indicators]


def test_labels_carry_down_from_merged_cells() -> None:
    text = "一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t培训次数\t=1次\n\t\t会议次数\t=2次\n\t质量指标\t合格率\t100%"
    assert rows(text) == [
        ("产出指标", "数量指标", "培训次数", "=1次", None),
        ("产出指标", "数量指标", "会议次数", "=2次", None),
        ("产出指标", "质量指标", "合格率", "100%", None),
    ]


def test_description_before_value_follows_the_header_order() -> None:
    text = (
        "一级指标\t二级指标\t三级指标\t绩效指标描述\t指标值\t指标值确定依据\n"
        "产出指标\t数量指标\t救助人数\t资助参保人数\t≥200 人\t\n\t数量指标\t教育次数\t警示教育次数\t≥2 次\t"
    )
    assert rows(text) == [
        ("产出指标", "数量指标", "救助人数", "≥200 人", "资助参保人数"),
        ("产出指标", "数量指标", "教育次数", "≥2 次", "警示教育次数"),
    ]


@pytest.mark.parametrize(
    "damaged, expected",
    [
        # lost its leading cells
        (
            "资助人均标准（人均）\t≥200元\t\t\t",
            ("产出指标", "成本指标", "资助人均标准（人均）", "≥200元", None),
        ),
        # L3 shifted into the L2 column, description after the value
        (
            "\t运行服务\t1年\t反映运行服务情况\t",
            ("产出指标", "成本指标", "运行服务", "1年", "反映运行服务情况"),
        ),
        # labels shifted one column right
        (
            "\t效益指标\t社会效益指标\t了解医保知识\t有效提升",
            ("效益指标", "社会效益指标", "了解医保知识", "有效提升", None),
        ),
        # a lone 满意度指标 under 效益指标 is its L2 (Guangdong/Shenzhen framework)
        (
            "满意度指标\t\t业务人员满意度\t≥90%\t反映满意度",
            ("产出指标", "满意度指标", "业务人员满意度", "≥90%", "反映满意度"),
        ),
    ],
)
def test_damaged_rows_are_placed_by_their_words(damaged: str, expected: tuple) -> None:
    text = (
        "一级指标\t二级指标\t三级指标\t指标值\t指标解释\n产出指标\t成本指标\t成本控制率\t≤100%\t控制成本\n"
        + damaged
    )
    assert rows(text)[-1] == expected


def test_an_l2_label_alone_on_a_row_applies_to_the_rows_below() -> None:
    text = "一级指标\t二级指标\t三级指标\t指标值\n产出指标\t质量指标\t合格率\t100%\n\t\t\t时效指标\t\n\t完成时间\t2021年底前\t\t"
    assert rows(text)[-1] == ("产出指标", "时效指标", "完成时间", "2021年底前", None)


def test_row_headers_of_department_tables_are_not_labels() -> None:
    text = (
        "年度 绩效 指标\t一级指标\t二级指标\t三级指标\t\t目标值\t\n"
        "\t产出指标\t数量指标\t评估病种数\t\t约10,000个\t\n"
        "年度 绩效 指标\t产出指标\t数量指标\t评估次数\t≥1次"
    )
    assert rows(text) == [
        ("产出指标", "数量指标", "评估病种数", "约10,000个", None),
        ("产出指标", "数量指标", "评估次数", "≥1次", None),
    ]


def test_a_note_row_closes_the_indicators() -> None:
    text = "一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t次数\t1次\n<b>目标设置说明</b>\t<p>依据文件</p>\n\t1\t2\t3\t4"
    read = table(text)
    assert [i.l3 for i in read.indicators] == ["次数"]
    assert read.end_line == 3


def test_cells_that_fit_no_column_are_unparsed_not_lost() -> None:
    text = "一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t次数\t1次\n\t1\t2\t3\t4\t5"
    read = table(text)
    assert [i.l3 for i in read.indicators] == ["次数"]
    assert {u.line for u in read.unparsed} == {4}


def test_two_periods_side_by_side_are_read_as_midterm_and_annual() -> None:
    text = (
        "一级指标\t二级指标\t三级指标\t指标值\t二级指标\t三级指标\t指标值\n"
        "产出指标\t数量指标\t出台方案\t≥2个\t数量指标\t督查次数\t≥3次\n"
        "\t质量指标\t完成率\t≥90%\t质量指标\t完成率\t≥95%\n"
        "效益指标\t社会效益指标\t参保率\t≥95%\t社会效益指标\t参保率\t≥96%\n"
    )
    read = table(text)
    got = [(i.period, i.l1, i.l2, i.l3, i.value) for i in read.indicators]
    assert got == [
        ("midterm", "产出指标", "数量指标", "出台方案", "≥2个"),
        ("annual", "产出指标", "数量指标", "督查次数", "≥3次"),
        ("midterm", "产出指标", "质量指标", "完成率", "≥90%"),
        ("annual", "产出指标", "质量指标", "完成率", "≥95%"),
        ("midterm", "效益指标", "社会效益指标", "参保率", "≥95%"),
        ("annual", "效益指标", "社会效益指标", "参保率", "≥96%"),
    ]
    assert read.unparsed == []


@pytest.mark.parametrize(
    "header",
    [
        "一级指标\t二级指标\t指标名称\t指标值（包含数字及文字描述）\t备注",
        "一级指标\t二级指标\t三级指标\t年度指标值\t指标说明",
    ],
)
def test_header_captions_are_recognised_by_their_words(header: str) -> None:
    text = header + "\n产出指标\t数量指标\t培训次数\t=1次\t每季度一次"
    (row,) = rows(text)
    assert row[2:4] == ("培训次数", "=1次")


def test_a_value_spread_over_comparator_value_and_unit_columns_is_read_whole() -> None:
    text = (
        "一级指标\t二级指标\t三级指标\t指标性质\t指标值\t度量单位\t权重\n"
        "产出指标\t数量指标\t培训人次\t≥\t500\t人次\t10\n\t质量指标\t档案规范性\t定性\t规范\t\t5"
    )
    assert [r[3] for r in rows(text)] == ["≥500人次", "规范"]


def test_one_label_with_a_value_per_period_gives_one_indicator_per_period() -> None:
    text = (
        "一级指标\t二级指标\t三级指标\t中期指标值\t年度指标值\n产出指标\t数量指标\t检查家数\t≥900家\t≥300家"
    )
    assert [(i.period, i.l3, i.value) for i in table(text).indicators] == [
        ("midterm", "检查家数", "≥900家"),
        ("annual", "检查家数", "≥300家"),
    ]


def test_scores_after_the_actuals_of_a_self_evaluation_without_score_captions_are_scores() -> None:
    text = (
        "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\n"
        "产出指标\t数量指标\t培训次数\t≥2次\t3次\t10\n\t质量指标\t合格率\t100%\t98%\t9"
    )
    got = [(i.l3, i.value, i.actual, i.score) for i in table(text).indicators]
    assert got == [("培训次数", "≥2次", "3次", "10"), ("合格率", "100%", "98%", "9")]


@pytest.mark.parametrize(
    "unit, expected",
    [("班次", "=2班次"), ("块", "=2块"), ("万册", "=2万册"), ("台次", "=2台次"), ("人/天", "=2人/天")],
)
def test_a_unit_column_holds_measure_words_no_list_names(unit: str, expected: str) -> None:
    text = f"一级指标\t二级指标\t三级指标\t指标性质\t指标值\t度量单位\n产出指标\t数量指标\t培训班次\t=\t2\t{unit}\n\t\t设备验收合格率\t≥\t95\t%"
    assert [i.value for i in table(text).indicators] == [expected, "≥95%"]
