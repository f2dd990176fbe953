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


@pytest.mark.parametrize("rows", [COSTS, [*COSTS, (OUT, COST, "人均补助", "550元/人")]])
def test_q27_accepts_costs_that_add_up(rows: list[Row]) -> None:
    assert found("Q27", table(rows, funding=Funding(annual_total=15.0))) == []


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
