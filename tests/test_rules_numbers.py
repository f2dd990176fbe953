"""Family B (Q09–Q13): numbers that make no sense, on tiny records written here."""

from __future__ import annotations

from typing import Any

import pytest

from extract.records import Document, Indicator, Table
from kg.rules import RULES

OUT, QTY, QUAL, COST = "产出指标", "数量指标", "质量指标", "成本指标"
SAT, BEN, SOC = "满意度指标", "效益指标", "社会效益指标"


def table_of(*rows: tuple[str, str, str, str]) -> dict[str, Any]:
    indicators = [Indicator(l1, l2, l3, value, 10 + i) for i, (l1, l2, l3, value) in enumerate(rows)]
    return Document("t.txt", tables=[Table("project", "测试项目", 1, indicators=indicators)]).to_dict()


def found(rule: str, *rows: tuple[str, str, str, str]) -> list[tuple[str, int | None]]:
    return [(f.severity, f.line) for f in RULES[rule](table_of(*rows))]


@pytest.mark.parametrize(
    ("l3", "value"),
    [("结算率", "≥100%"), ("受助人员满意度", "≥100%"), ("覆盖率", "105%"), ("到位率", ">100%")],
)
def test_q09_fires_on_bounded_rates_at_or_over_100(l3: str, value: str) -> None:
    assert found("Q09", (OUT, QUAL, l3, value)) == [("H", 10)]


@pytest.mark.parametrize(
    ("l3", "value"),
    [
        ("结算率", "=100%"),
        ("结算率", "100%"),
        ("收入增长率", "≥120%"),
        ("费用同比", "110%"),
        ("人数", "≥100人"),
    ],
)
def test_q09_leaves_exact_100_unbounded_rates_and_counts_alone(l3: str, value: str) -> None:
    assert found("Q09", (OUT, QUAL, l3, value)) == []


@pytest.mark.parametrize(
    ("l3", "value", "severity"),
    [("参保对象满意度", "<=80%", "H"), ("群众满意度", "不超过90%", "H"), ("群众满意度", "较高", "H"), ("干部满意度指标", "=90%", "L"),
     ("群众满意度", "≥99%", "M"), ("群众满意度", "≥70%", "M"), ("群众满意度", "≥4次", "M")],
)  # fmt: skip
def test_q10_fires_on_satisfaction_defects(l3: str, value: str, severity: str) -> None:
    assert found("Q10", (SAT, SAT, l3, value)) == [(severity, 10)]


@pytest.mark.parametrize("value", [">90%", "≥95%", "≥85%", "≥100%", "≥90分"])
def test_q10_accepts_plausible_floors_and_leaves_100_to_q09(value: str) -> None:
    assert found("Q10", (SAT, SAT, "群众满意度", value)) == []


def test_q10_band_is_configurable() -> None:
    doc = table_of((SAT, SAT, "群众满意度", "≥99%"))
    assert RULES["Q10"](doc, {"satisfaction_max": 99.5}) == []


@pytest.mark.parametrize(
    ("row", "severity"),
    [((OUT, QTY, "审计服务", "<=2次"), "M"), ((BEN, "经济效益指标", "追回、拒付违规使用医保基金", "<=500万元"), "M"),
     ((OUT, QTY, "电脑采购数", "<=5台"), "L"), ((OUT, QUAL, "系统故障次数", "≥1次"), "M"), ((OUT, COST, "培训费用", "≥8万元"), "M")],
)  # fmt: skip
def test_q11_fires_when_the_bound_points_the_wrong_way(row: tuple[str, str, str, str], severity: str) -> None:
    assert found("Q11", row) == [(severity, 10)]


@pytest.mark.parametrize(
    "row",
    [(OUT, QUAL, "系统故障次数", "<=1次"), (OUT, COST, "培训费用", "≤8万元"), (OUT, QTY, "培训次数", "≥3次"),
     (OUT, "时效指标", "办理时间", "≤5个工作日"), (OUT, QTY, "控制会议次数", "≤3次"), (BEN, SOC, "住院费用报销比例", "≥70%")],
)  # fmt: skip
def test_q11_accepts_bounds_that_match_the_direction(row: tuple[str, str, str, str]) -> None:
    assert found("Q11", row) == []


@pytest.mark.parametrize(
    ("l3", "value"),
    [("知晓率提高", ">=1%"), ("经办时限压缩比例", "50%"), ("价格降幅", "达到30%"), ("工作效率", "提高≥10%")],
)
def test_q12_fires_on_a_change_without_baseline(l3: str, value: str) -> None:
    assert found("Q12", (BEN, SOC, l3, value)) == [("M", 10)]


@pytest.mark.parametrize(
    ("l3", "value"),
    [
        ("线上采购率", "由5%提升至70%"),
        ("费用", "较上年降低5%"),
        ("覆盖率", "≥90%"),
        ("提升参保覆盖率", "≥95%"),
        ("培训次数提高", "≥3次"),
    ],
)
def test_q12_accepts_baselines_levels_and_counts(l3: str, value: str) -> None:
    assert found("Q12", (BEN, SOC, l3, value)) == []


def test_q13_fires_once_per_project_with_three_trivial_counts() -> None:
    rows = [(OUT, QTY, f"第{i}项工作次数", v) for i, v in enumerate(["≥1次", "=1次", "1次"])]
    assert found("Q13", *rows) == [("L", 1)]
    assert found("Q13", *rows[:2]) == []


@pytest.mark.parametrize(
    ("l3", "value", "hits"),
    [
        ("培训合格率", "≥80%", 1),
        ("验收通过率", "≥85%", 1),
        ("知晓率提高", "≥1%", 1),
        ("培训合格率", "≥95%", 0),
        ("知晓率提高", "≥5%", 0),
    ],
)
def test_q13_fires_on_low_quality_rates_and_tiny_improvements(l3: str, value: str, hits: int) -> None:
    assert len(found("Q13", (OUT, QUAL, l3, value))) == hits
