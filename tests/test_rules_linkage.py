"""Family D (Q25–Q28): indicators against the goal text and the money."""

from __future__ import annotations

from typing import Any

import pytest

from extract.records import Document, Funding, Indicator, Table
from kg.rules import RULES

OUT, BEN, SAT = "产出指标", "效益指标", "满意度指标"
QTY, QUAL, COST, SATL = "数量指标", "质量指标", "成本指标", "服务对象满意度指标"
Row = tuple[str, str, str, str]


def table(rows: list[Row], name: str = "项目", line: int = 1, **kw: Any) -> Table:
    indicators = [Indicator(l1, l2, l3, value, line + 1 + i) for i, (l1, l2, l3, value) in enumerate(rows)]
    return Table("project", name, line, indicators=indicators, **kw)


def doc_of(*tables: Table) -> dict[str, Any]:
    return Document("t.txt", budget_year=2021, tables=list(tables)).to_dict()


def found(rule: str, *tables: Table) -> list[tuple[str, str]]:
    return [(f.severity, f.message) for f in RULES[rule](doc_of(*tables))]


@pytest.mark.parametrize(
    ("goal", "row"),
    [
        ("受助对象对政策满意度达 98%", (SAT, SATL, "受助人员满意度", "≥100%")),
        ("发放宣传材料 2 万份", (OUT, QTY, "宣传材料发放数量", "≥2 份")),
    ],
)
def test_q25_fires_when_a_goal_figure_contradicts_its_indicator(goal: str, row: Row) -> None:
    assert [s for s, _ in found("Q25", table([row], annual_goal=goal))] == ["M"]


@pytest.mark.parametrize(
    ("goal", "row", "expected"),
    [("受助对象满意度达 98%", (SAT, SATL, "受助人员满意度", "≥98%"), []), ("发放宣传材料 2 万份", (OUT, QTY, "宣传材料发放数量", "≥20000份"), []),
     ("按照机关工作人员的 2%配齐党务干部", (OUT, QTY, "学习次数", "≥12次"), ["L"]), ("组织培训和宣传", (OUT, QTY, "培训次数", "≥2次"), ["L"])],
)  # fmt: skip
def test_q25_accepts_matching_figures_and_notes_unmeasured_goals(
    goal: str, row: Row, expected: list[str]
) -> None:
    assert [s for s, _ in found("Q25", table([row], annual_goal=goal))] == expected


@pytest.mark.parametrize(
    ("goal", "row"),
    [
        ("完成对我市9家试点DRG医院的评估", (OUT, QTY, "评估测算DRG医院", "9家")),  # the very figure
        ("全年救助 200 人次", (OUT, QTY, "资助人口参加基本医疗保险人数", "≥200 人")),  # 人次 counted in 人
        ("每年至少组织 1 次廉政专题学习", (OUT, QTY, "廉政学习及警示教育次数", "≥2 次")),  # a floor met
    ],
)
def test_q25_finds_the_indicator_of_a_goal_figure_by_its_figure_or_a_floor(goal: str, row: Row) -> None:
    assert found("Q25", table([row], annual_goal=goal)) == []


@pytest.mark.parametrize(
    ("goal", "names"),
    [
        ("零星维修维护，零星办公用品的购置", ["维修（护）办公楼次数", "零星办公用品购置完成率"]),  # a synonym
        ("药品耗材集中采购工作，确保集采改革品种落实落地", ["药械集采及价格政策落地率"]),
        ("切实维护参保人合法权益", ["检查次数"]),  # 维护 rights is to uphold them, no upkeep work
        ("健全医疗救助制度", ["参保率"]),  # a noun heading a policy is no activity
        ("通过采购雾炮车抑尘降尘服务改善空气质量", ["雾炮车降尘抑尘服务配备车辆数"]),  # its object is named
    ],
)
def test_q25_sees_an_activity_named_by_a_synonym_or_its_object_and_no_activity_in_a_policy(
    goal: str, names: list[str]
) -> None:
    rows = [(OUT, QTY, name, "≥1次") for name in names]
    assert found("Q25", table(rows, annual_goal=goal)) == []


def test_q25_leaves_the_missions_in_a_department_wide_goal_alone() -> None:
    department = table([(OUT, QTY, "检查次数", "≥1次")], annual_goal="健全救助体系，开展政策宣传和培训")
    department.scope = "department"
    assert found("Q25", department) == []
    project = table([(OUT, QTY, "检查次数", "≥1次")], annual_goal="开展政策宣传")
    assert [s for s, _ in found("Q25", project)] == ["L"]


RESCUE: list[Row] = [(OUT, QTY, "救助人次", "≥200人次"), (SAT, SATL, "受助人员满意度", "≥95%")]


def it_project(extra: list[Row]) -> Table:
    rows: list[Row] = [(OUT, QTY, "设备购置率", "=100%"), (OUT, QTY, "软件更新维护率", "≥95%"), *extra]
    return table(
        rows, "信息化建设", 30, annual_goal="标准化电子档案室设备购置率达 100%，方便群众办理医保业务"
    )


def test_q25_fires_on_an_indicator_copied_from_other_projects() -> None:
    doc = (
        table(RESCUE, "城乡医疗救助经费", 1, annual_goal="全年救助 200 人次"),
        table(RESCUE, "建档立卡医疗救助经费", 10, annual_goal="全年救助 200 人次"),
        it_project([(BEN, "社会效益指标", "应急救助率", "≥100%")]),
    )
    ((severity, message),) = found("Q25", *doc)
    assert severity == "M" and "应急救助率" in message and "救助" in message


@pytest.mark.parametrize(
    ("others", "extra"),
    [
        # its subject is this project's (档案 in the goal)
        (["城乡医疗救助经费", "建档立卡医疗救助经费"], [(BEN, "社会效益指标", "电子档案调阅率", "≥90%")]),
        # the subject of one other project only is not enough to call it a copy
        (["城乡医疗救助经费", "宣传活动经费"], [(BEN, "社会效益指标", "应急救助率", "≥100%")]),
    ],
)
def test_q25_leaves_anchored_or_unexplained_indicators_alone(others: list[str], extra: list[Row]) -> None:
    doc = [table(RESCUE, name, 1 + 10 * i, annual_goal="全年救助 200 人次") for i, name in enumerate(others)]
    assert found("Q25", *doc, it_project(extra)) == []


def two_columns(annual: list[str], midterm: list[str], ratio: float) -> Table:
    names = ["课题研究", "培训人次", "编码标准", "宣传活动"]
    rows = []
    for i, (a, m) in enumerate(zip(annual, midterm, strict=True)):
        rows += [
            Indicator(OUT, QTY, names[i], m, 10 + i, period="midterm"),
            Indicator(OUT, QTY, names[i], a, 10 + i, period="annual"),
        ]
    return Table(
        "project",
        "体系建设",
        1,
        funding=Funding(annual_total=100.0, midterm_total=100.0 * ratio),
        indicators=rows,
    )


def test_q26_fires_on_equal_cumulative_values_and_a_copied_column() -> None:
    doc = doc_of(two_columns(["≥20项", "按计划完成", "显著提高"], ["≥20项", "按计划完成", "显著提高"], 3.0))
    assert {(f.severity, f.indicator) for f in RULES["Q26"](doc)} == {("L", None), ("L", "课题研究")}


@pytest.mark.parametrize(
    ("annual", "ratio"), [(["≥20项", "≥1次", "显著提高"], 3.0), (["≥60项", "≥3次", "按计划完成"], 1.2)]
)
def test_q26_accepts_scaled_columns_or_similar_funding(annual: list[str], ratio: float) -> None:
    doc = doc_of(two_columns(annual, ["≥60项", "≥3次", "按计划完成"], ratio))
    assert RULES["Q26"](doc) == []


def test_q26_fires_on_a_long_term_goal_equal_to_the_annual() -> None:
    assert len(found("Q26", table([], annual_goal="完成补助。", midterm_goal="完成补助。"))) == 1
    assert found("Q26", table([], annual_goal="完成补助。", midterm_goal="三年内完成补助。")) == []


COSTS: list[Row] = [
    (OUT, COST, "培训费", "≤8万元"),
    (OUT, COST, "会议费", "<=3万元"),
    (OUT, COST, "差旅费", "40000元"),
]


@pytest.mark.parametrize(
    ("funding", "rows", "expected"),
    [(10.0, COSTS, [("H", "sum")]), (5.0, COSTS[:1], [("H", "one cost row")]), (100.0, COSTS, [("L", "cover")]),
     (15.0, [(OUT, COST, "宣传费用", "25万")], [("H", "one cost row"), ("M", "no 元")])],
)  # fmt: skip
def test_q27_reconciles_cost_rows_with_funding(
    funding: float, rows: list[Row], expected: list[tuple[str, str]]
) -> None:
    got = found("Q27", table(rows, funding=Funding(annual_total=funding)))
    assert len(got) == len(expected)
    for (severity, word), (got_severity, message) in zip(sorted(expected), sorted(got), strict=True):
        assert got_severity == severity and word in message


@pytest.mark.parametrize(
    "rows",
    [
        COSTS,
        [*COSTS, (OUT, COST, "人均补助", "550元/人")],
        [*COSTS[:2], (OUT, COST, "实际补助标准", "4万元")],
    ],
)
def test_q27_accepts_costs_that_add_up(rows: list[Row]) -> None:
    assert found("Q27", table(rows, funding=Funding(annual_total=15.0))) == []


def test_q27_counts_a_budget_line_whose_name_lists_a_standard_among_its_items() -> None:
    # 标准 inside a long budget line is one of its items, not a rate per head: 4 万元 is spent
    rows = [*COSTS[:2], (OUT, COST, "拟订医保目录及支付标准，专家评议费、第三方机构成本测算", "4万")]
    got = found("Q27", table(rows, funding=Funding(annual_total=15.0)))
    assert [s for s, _ in got] == ["M"] and "no 元" in got[0][1]


@pytest.mark.parametrize(
    "rows",
    [
        [(OUT, QTY, "培训次数", "≥2次")],  # no cost row at all
        [(OUT, COST, "总成本", "控制在预算内"), (OUT, COST, "成本控制率", "≤100%")],  # cost rows, no amount
    ],
)
def test_q27_notes_funding_stated_but_no_cost_amount(rows: list[Row]) -> None:
    ((severity, message),) = found("Q27", table(rows, funding=Funding(annual_total=34.0)))
    assert severity == "M" and "34 万元" in message and "no cost indicator names an amount" in message


def test_q27_cannot_miss_an_amount_without_funding() -> None:
    assert found("Q27", table([(OUT, COST, "总成本", "控制在预算内")])) == []


SAME: list[Row] = [
    (OUT, QTY, "救助人数", "≥200人"),
    (OUT, QUAL, "结算率", "100%"),
    (SAT, SATL, "满意度", "≥95%"),
]


@pytest.mark.parametrize(("a", "b", "hits"), [(284.0, 34.0, 1), (100.0, 120.0, 0)])
def test_q28_fires_on_the_same_targets_for_very_different_money(a: float, b: float, hits: int) -> None:
    doc = (
        table(SAME, "甲", 1, funding=Funding(annual_total=a)),
        table(SAME, "乙", 10, funding=Funding(annual_total=b)),
    )
    assert len(found("Q28", *doc)) == hits


def test_q28_fires_on_a_unit_cost_far_from_the_median() -> None:
    tables = [
        table(
            [(OUT, QTY, "培训次数", f"={n}次"), (OUT, COST, "培训费用", f"≤{cost}万元")],
            f"项目{i}",
            10 * (i + 1),
        )
        for i, (n, cost) in enumerate([(2, 2), (3, 3), (4, 4), (1, 20)])
    ]
    ((severity, message),) = found("Q28", *tables)
    assert severity == "M" and "培训" in message


def test_q28_compares_unit_costs_of_one_subject_not_of_one_verb() -> None:
    # the upkeep of a WeChat account and of an IT system share 维护, not a subject
    subjects = ["维护微信公众号", "维护医保信息系统", "维护局门户网站", "维护办公网络"]
    tables = [
        table([(OUT, QTY, f"{s}数量", "=1个"), (OUT, COST, f"{s}成本", f"≤{cost}万元")], s, 10 * (i + 1))
        for i, (s, cost) in enumerate(zip(subjects, [1, 20, 10, 12], strict=True))
    ]
    assert found("Q28", *tables) == []
