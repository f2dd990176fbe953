"""One finding per defect: same-row findings folded under the sharpest rule, 中期/年度 repeats collapsed."""

from __future__ import annotations

from typing import Any

import pytest

from extract.records import Document, Funding, Indicator, Table
from kg.findings import run_rules
from kg.rules import RULES
from kg.rules.merge import FOLDS

OUT, BEN, SAT = "产出指标", "效益指标", "满意度指标"
QTY, TIME, COST, SOC = "数量指标", "时效指标", "成本指标", "社会效益指标"
GOOD = [
    Indicator(OUT, QTY, "培训次数", "≥3次", 2),
    Indicator(OUT, TIME, "完成时间", "2021年12月31日前", 3),
    Indicator(BEN, SOC, "政策知晓率", "≥80%", 4),
    Indicator(SAT, "服务对象满意度指标", "参训人员满意度", "≥90%", 5),
]


def doc_of(*rows: Indicator, funding: float | None = 8.0, good: bool = True) -> dict[str, Any]:
    cost = [Indicator(OUT, COST, "培训费用", "≤8万元", 6)] if good else []
    indicators = [*(GOOD if good else []), *cost, *rows]
    table = Table("project", "培训项目", 1, funding=Funding(annual_total=funding), indicators=indicators)
    return Document("t.txt", department="某局", budget_year=2021, tables=[table]).to_dict()


def on_line(findings: list[Any], line: int) -> list[tuple[str, tuple[str, ...]]]:
    return [(f.rule, f.secondary) for f in findings if f.line == line and f.indicator_index is not None]


@pytest.mark.parametrize(
    ("row", "primary", "secondary"),
    [
        (Indicator(BEN, SOC, "医保基金监管能力", "显著提高", 9), "Q01", ("Q20",)),
        (Indicator(OUT, COST, "成本控制率", "≤100%", 9), "Q17", ("Q15",)),
        (Indicator(OUT, COST, "减低患者看病负担", "有所降低", 9), "Q01", ("Q15",)),
    ],
)
def test_rules_seeing_one_defect_on_a_row_give_one_finding(
    row: Indicator, primary: str, secondary: tuple[str, ...]
) -> None:
    doc = doc_of(row)
    unmerged = {f.rule for f in run_rules([doc], merge=False) if f.line == 9}
    assert {primary, *secondary} <= unmerged
    merged = [(r, s) for r, s in on_line(run_rules([doc]), 9) if r in (primary, *secondary)]
    assert merged == [(primary, secondary)]


def test_different_defects_on_a_row_stay_apart() -> None:
    # an impossible ≥100 % and an input used as an output are two things to fix
    found = on_line(run_rules([doc_of(Indicator(OUT, QTY, "补助资金到位率", "≥100%", 9))]), 9)
    assert {rule for rule, _ in found} >= {"Q09", "Q17"}


def test_a_primary_takes_the_gravest_severity_of_what_it_folds() -> None:
    doc = doc_of(Indicator(SAT, "服务对象满意度指标", "群众满意度", "—", 9))
    (q06,) = [f for f in run_rules([doc]) if f.line == 9]
    assert q06.rule == "Q06" and q06.secondary == ("Q10",) and q06.severity == "H"


def test_no_cost_row_beside_stated_funding_is_one_gap() -> None:
    rows = [r for r in GOOD if r.l3 != "参训人员满意度"]
    stated = [f for f in run_rules([doc_of(*rows, good=False)]) if f.indicator_index is None]
    assert [(f.rule, f.secondary) for f in stated if "成本" in f.terms or f.rule == "Q27"] == [
        ("Q27", ("Q18",))
    ]
    # Q18's other gaps in the same table are other defects
    assert any(f.rule == "Q18" and "满意度" in f.terms for f in stated)
    unfunded = [f for f in run_rules([doc_of(*rows, funding=None, good=False)]) if f.indicator_index is None]
    assert any(f.rule == "Q18" and "成本" in f.terms and not f.secondary for f in unfunded)


def test_a_defect_on_the_midterm_and_annual_row_of_one_indicator_is_one_finding() -> None:
    rows = [
        Indicator(OUT, TIME, "课题研究时间", "按计划完成", 11, period="midterm"),
        Indicator(OUT, TIME, "课题研究时间", "按计划完成", 12, period="annual"),
        Indicator(OUT, TIME, "培训时间", "按计划完成", 13, period="annual"),
    ]
    found = [f for f in run_rules([doc_of(*rows)]) if f.rule == "Q04"]
    assert [(f.indicator, f.line, f.periods) for f in found] == [
        ("课题研究时间", 12, ("midterm", "annual")),
        ("培训时间", 13, ()),
    ]
    assert len([f for f in run_rules([doc_of(*rows)], merge=False) if f.rule == "Q04"]) == 3


def test_the_folds_name_catalogue_rules_and_never_chain() -> None:
    folded = {fold.rule for fold in FOLDS}
    hosts = {rule for fold in FOLDS for rule in fold.under}
    assert folded | hosts <= set(RULES)
    assert not folded & hosts  # a folded rule never hosts another, so the order of folding is moot
    assert all(fold.why for fold in FOLDS)
