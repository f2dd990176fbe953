"""Family C, Q14–Q21: labels, categories and the shape of one table, on tiny records written here."""

from __future__ import annotations

from typing import Any

import pytest

from extract.records import Document, Indicator, Table
from kg.rules import RULES

OUT, BEN, SAT, COST1 = "产出指标", "效益指标", "满意度指标", "成本指标"
QTY, QUAL, TIME, COST, SOC, SUS = (
    "数量指标",
    "质量指标",
    "时效指标",
    "成本指标",
    "社会效益指标",
    "可持续影响指标",
)
Row = tuple[str | None, str | None, str, str]
# a table every structure rule accepts
FULL: list[Row] = [
    (OUT, QTY, "培训次数", "≥3次"),
    (OUT, QUAL, "培训合格率", "≥95%"),
    (OUT, TIME, "完成时间", "2021年12月31日前"),
    (OUT, COST, "培训费用", "≤8万元"),
    (BEN, SOC, "参保政策知晓率", "≥80%"),
    (SAT, "服务对象满意度指标", "参训人员满意度", "≥90%"),
]


def doc_of(rows: list[Row], department: str = "某市医疗保障局", year: int = 2021) -> dict[str, Any]:
    indicators = [Indicator(l1, l2, l3, value, 10 + i) for i, (l1, l2, l3, value) in enumerate(rows)]
    table = Table("project", "测试项目", 1, indicators=indicators)
    return Document("t.txt", department=department, budget_year=year, tables=[table]).to_dict()


def messages(rule: str, rows: list[Row], **kw: Any) -> list[str]:
    return [f.message for f in RULES[rule](doc_of(rows, **kw))]


@pytest.mark.parametrize(
    ("l1", "l2", "word"),
    [
        ("效果指标", SOC, "效果指标"),
        (OUT, "质量目标", "质量目标"),
        (SAT, SAT, "满意度指标"),
        ("奇怪指标", QTY, "奇怪指标"),
        (OUT, None, "empty"),
    ],
)
def test_q14_reports_non_standard_unknown_or_missing_labels_once(l1: str, l2: str | None, word: str) -> None:
    rows = [(l1, l2, "甲", "≥1次"), (l1, l2, "乙", "≥2次")]
    (message,) = messages("Q14", rows)
    assert word in message


def test_q14_accepts_standard_labels_and_a_gloss() -> None:
    assert messages("Q14", [*FULL, ("产出指标（预期提供的公共产品或服务）", QTY, "人数", "≥3人")]) == []


@pytest.mark.parametrize(
    ("l1", "l2"), [(BEN, "经济效益"), (BEN, "社会效益"), (BEN, "生态效益"), ("效益", SOC)]
)
def test_q14_accepts_a_canonical_name_without_its_suffix(l1: str, l2: str) -> None:
    assert messages("Q14", [(l1, l2, "参保率", "≥95%")]) == []


@pytest.mark.parametrize(
    "row",
    [(OUT, QTY, "受理完成率", "=100%"), (OUT, QTY, "飞行检查", "<=1年"), (OUT, TIME, "完成率", "≥98%"), (OUT, COST, "总成本", "控制在预算范围内"),
     (OUT, COST, "成本控制率", "≤100%")],
)  # fmt: skip
def test_q15_fires_when_the_unit_does_not_fit_the_category(row: Row) -> None:
    assert len(messages("Q15", [row])) == 1


@pytest.mark.parametrize(
    "row",
    [
        (OUT, QTY, "培训人数", "≥30人"),
        (OUT, TIME, "上传及时率", "≥98%"),
        (OUT, COST, "会议费", "<=3万元"),
        (OUT, COST, "人均补助标准", "550元/人"),
    ],
)
def test_q15_accepts_units_that_fit(row: Row) -> None:
    assert messages("Q15", [row]) == []


@pytest.mark.parametrize(
    "rows",
    [[(BEN, SOC, "参观学习人次", "≥10人")], [(OUT, COST, "减低患者看病负担", "有所降低")],
     [(BEN, SAT, "群众满意度", "≥90%"), (OUT, QTY, "人数", "≥3人")]],
)  # fmt: skip
def test_q16_fires_when_the_name_belongs_to_another_category(rows: list[Row]) -> None:
    assert len(messages("Q16", rows)) == 1


def test_q16_accepts_a_consistent_table() -> None:
    assert messages("Q16", [*FULL, (BEN, SOC, "系统故障次数", "≤1次")]) == []


def test_a_lifetime_filling_the_sustainability_slot_is_q03s_not_q16s() -> None:
    rows = [*FULL, (BEN, SUS, "设备使用年限", "5年")]
    assert messages("Q16", rows) == [] and len(RULES["Q03"](doc_of(rows))) == 1


@pytest.mark.parametrize(
    "row",
    [
        (OUT, QTY, "补助资金到位率", "≥100%"),
        (OUT, COST, "预算执行率", "≥80%"),
        (OUT, COST, "项目总成本", "控制在预算范围内"),
        (OUT, COST, "资金情况", "足额到位"),
    ],
)
def test_q17_fires_on_fund_flows_and_budget_tautologies(row: Row) -> None:
    assert len(messages("Q17", [row])) == 1


def test_q17_accepts_real_outputs_and_costs() -> None:
    assert messages("Q17", FULL) == []


@pytest.mark.parametrize(
    ("drop", "word", "severity"),
    [(0, "数量", "M"), (4, "效益", "H"), (5, "满意度", "M"), (3, "cost", "M")],
)
def test_q18_names_each_missing_dimension(drop: int, word: str, severity: str) -> None:
    rows = [r for i, r in enumerate(FULL) if i != drop]
    found = [(f.message, f.severity) for f in RULES["Q18"](doc_of(rows))]
    assert [s for m, s in found if word in m] == [severity]


def test_q18_is_stricter_on_central_cost_from_2022() -> None:
    rows = [r for r in FULL if r[1] != COST]
    (finding,) = RULES["Q18"](doc_of(rows, department="国家医疗保障局", year=2022))
    assert finding.severity == "H"
    assert RULES["Q18"](doc_of(FULL)) == []


def test_q19_counts_indicators_and_the_share_of_one_l1() -> None:
    assert [f.severity for f in RULES["Q19"](doc_of(FULL[:2]))] == ["M"]
    many = [(OUT, QTY, f"工作{i}次数", "≥1次") for i in range(31)]
    assert [f.message for f in RULES["Q19"](doc_of(many))] == ["31 indicators (more than 30)"]
    benefits = [(BEN, SOC, f"效益{i}", "≥90%") for i in range(8)]
    assert [f.message for f in RULES["Q19"](doc_of([*FULL[:2], *benefits]))] == [
        "效益 holds 8 of 10 indicators"
    ]
    assert RULES["Q19"](doc_of(FULL)) == []
    assert RULES["Q19"](doc_of(FULL[:2]), {"min_indicators": 2, "dominant_l1_share": 1.0}) == []


def test_q19_expects_output_to_outnumber_the_rest() -> None:
    # 产出 holds 数量, 质量, 时效 (and 成本 in 88号 tables): its majority is the layout, not a defect
    outputs = [
        (OUT, l2, f"产出{i}", "≥1次") for i, l2 in enumerate([QTY, QTY, QUAL, QUAL, TIME, TIME, QTY, QUAL])
    ]
    assert RULES["Q19"](doc_of([*outputs, FULL[4], FULL[5]])) == []


def test_q19_judges_no_share_of_unlabelled_rows_and_no_empty_table() -> None:
    unlabelled = [(None, None, f"指标{i}", "≥1次") for i in range(4)]
    assert RULES["Q19"](doc_of(unlabelled)) == [] and RULES["Q19"](doc_of([])) == []


def test_q19_does_not_count_a_department_wide_table() -> None:
    many = [(OUT, QTY, f"工作{i}次数", "≥1次") for i in range(40)]
    doc = doc_of(many)
    doc["tables"][0]["scope"] = "department"
    assert RULES["Q19"](doc) == []


@pytest.mark.parametrize(
    "l3",
    [
        "医保基金监管能力",
        "提升医保局公信力",
        "调研开展有效性",
        "提高办公场地稳定率",
        "满足办公需求，改善工作人员办公环境",
        "促进群众和社会各方积极参与监督",
    ],
)
def test_q20_fires_on_abstract_or_sentence_names(l3: str) -> None:
    assert len(messages("Q20", [(BEN, SOC, l3, "≥90%")])) == 1


@pytest.mark.parametrize(
    "l3", ["服务水平得分", "医疗保障监督管理机制", "参保人员政策知晓率", "办公环境满意度", "系统稳定运行天数"]
)
def test_q20_accepts_names_with_a_metric(l3: str) -> None:
    assert messages("Q20", [(BEN, SOC, l3, "≥90%")]) == []


@pytest.mark.parametrize(
    "pair",
    [[(OUT, QTY, "参保率", "≥95%"), (OUT, QUAL, "参保人员参保率", "≥95%")], [(OUT, QTY, "培训人数", "≥30人"), (OUT, QTY, "2021年培训人数", "≥20人")],
     [(BEN, SOC, "参保群众医保政策知晓率", "≥80%"), (BEN, SOC, "参保群众医保政策知晓度", "≥80%")]],
)  # fmt: skip
def test_q21_fires_on_the_same_measure_twice(pair: list[Row]) -> None:
    (finding,) = RULES["Q21"](doc_of(pair))
    assert finding.line == 11


@pytest.mark.parametrize(
    "pair",
    [
        [(OUT, QTY, "2020年房租缴纳次数", "=1次"), (OUT, QTY, "2021年房租缴纳次数", "=1次")],
        [(OUT, QTY, "培训人数", "≥30人"), (OUT, QTY, "会议人数", "≥30人")],
    ],
)
def test_q21_keeps_different_years_and_measures_apart(pair: list[Row]) -> None:
    assert messages("Q21", pair) == []
