"""Family C, Q22–Q24: rows and indicator sets copied within and across projects."""

from __future__ import annotations

from typing import Any

import pytest

from extract.records import Document, Funding, Indicator, Table
from kg.rules import RULES

OUT, BEN, SAT = "产出指标", "效益指标", "满意度指标"
QTY, QUAL, SUS, SATL = "数量指标", "质量指标", "可持续影响指标", "服务对象满意度指标"
Row = tuple[str, str, str, str]


def project(
    name: str, line: int, rows: list[Row], funding: float | None = None, goal: str | None = None
) -> Table:
    indicators = [Indicator(l1, l2, l3, value, line + 1 + i) for i, (l1, l2, l3, value) in enumerate(rows)]
    return Table(
        "project", name, line, funding=Funding(annual_total=funding), annual_goal=goal, indicators=indicators
    )


def doc_of(*tables: Table) -> dict[str, Any]:
    return Document("t.txt", department="某县医疗保障局", budget_year=2020, tables=list(tables)).to_dict()


OUTPUTS = ["维护公众号", "宣传医保政策", "监测舆情", "印制资料"]


def mirrored(value: str, n: int) -> list[Row]:
    rows = [(OUT, QTY, f"{o}次数", f"≥{i + 2}次") for i, o in enumerate(OUTPUTS[:n])]
    return rows + [(OUT, QUAL, f"{o}合格率", value) for o in OUTPUTS[:n]]


def test_q22_fires_once_on_three_mirrored_rows_with_one_value() -> None:
    (finding,) = RULES["Q22"](doc_of(project("宣传", 1, mirrored("=100%", 3))))
    assert finding.terms == ("合格率", "100%") and finding.line == 5


@pytest.mark.parametrize(
    "rows", [mirrored("=100%", 2), [*mirrored("=100%", 2), (OUT, QUAL, "印制资料合格率", "≥95%")]]
)
def test_q22_needs_three_rows_with_the_same_value(rows: list[Row]) -> None:
    assert RULES["Q22"](doc_of(project("宣传", 1, rows))) == []


AID: list[Row] = [
    (OUT, QTY, "资助参保人数", "≥200人"),
    (OUT, QUAL, "一站式结算率", "≥100%"),
    (SAT, SATL, "受助人员满意度", "≥98%"),
]
KNOW: Row = (BEN, "社会效益指标", "政策知晓率", "≥80%")


def test_q23_reports_identical_sets_as_h_with_goal_and_funding() -> None:
    doc = doc_of(
        project("省级救助资金", 10, AID, 284, "救助200人次"),
        project("中央救助资金", 20, AID, 34, "救助200人次"),
    )
    (finding,) = RULES["Q23"](doc)
    assert finding.severity == "H" and finding.related == (1,) and finding.table == "省级救助资金"
    assert "same goal text" in finding.message and "284" in finding.message


@pytest.mark.parametrize(
    ("other", "severity"),
    [
        ([*AID, KNOW, (BEN, "社会效益指标", "政策覆盖率", "≥80%")], "M"),
        ([(l1, l2, l3, "≥1") for l1, l2, l3, _ in AID], "L"),
    ],
)
def test_q23_grades_near_identical_and_same_names_only(other: list[Row], severity: str) -> None:
    base = [*AID, KNOW] if severity == "M" else AID
    (finding,) = RULES["Q23"](doc_of(project("甲", 10, base), project("乙", 20, other)))
    assert finding.severity == severity


def test_q23_leaves_different_projects_alone() -> None:
    other = [
        (OUT, QTY, "培训次数", "≥3次"),
        (OUT, QUAL, "培训合格率", "≥95%"),
        (SAT, SATL, "学员满意度", "≥90%"),
    ]
    assert RULES["Q23"](doc_of(project("甲", 10, AID), project("乙", 20, other))) == []


def lifetime(name: str) -> list[Row]:
    return [(OUT, QTY, f"{name}次数", "≥2次"), (BEN, SUS, f"{name}影响年限", "5年")]


def test_q24_fires_on_each_project_holding_the_pasted_row() -> None:
    tables = [project(n, 10 * (i + 1), lifetime(n)) for i, n in enumerate(["培训", "宣传", "审计"])]
    tables.append(project("运维", 40, [(OUT, QTY, "运维次数", "≥2次")]))
    findings = RULES["Q24"](doc_of(*tables))
    assert [f.table for f in findings] == ["培训", "宣传", "审计"]
    assert "3 of 4" in findings[0].message


def test_q24_needs_the_share_of_projects() -> None:
    tables = [project("培训", 10, lifetime("培训"))] + [
        project(n, 20 + i, [(OUT, QTY, "次数", "≥1次")]) for i, n in enumerate("甲乙")
    ]
    assert RULES["Q24"](doc_of(*tables)) == []
    assert (
        len(RULES["Q24"](doc_of(*tables), {"boilerplate_share": 0.3})) == 0
    )  # one project is not boilerplate


def test_q24_fires_on_a_satisfaction_row_copied_into_most_projects() -> None:
    sat: Row = (SAT, SATL, "群众满意度", "≥90%")
    tables = [
        project(n, 10 * (i + 1), [(OUT, QTY, f"{n}次数", "≥2次"), sat])
        for i, n in enumerate(["培训", "宣传", "审计"])
    ]
    findings = RULES["Q24"](doc_of(*tables))
    assert len(findings) == 3 and all("群众满意度" in f.message for f in findings)
