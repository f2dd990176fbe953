"""Family E (Q29–Q32): respondents, time and documentation."""

from __future__ import annotations

from typing import Any

import pytest

from extract.records import Document, Indicator, Table
from kg.rules import RULES

SAT, OUT = "满意度指标", "产出指标"


def doc_of(
    name: str, *indicators: Indicator, title: str = "", year: int | None = 2021, **kw: Any
) -> dict[str, Any]:
    table = Table("project", name, 1, title=title, indicators=list(indicators), **kw)
    return Document("t.txt", budget_year=year, tables=[table]).to_dict()


def row(
    l3: str, value: str, l1: str = OUT, l2: str = "数量指标", description: str | None = None
) -> Indicator:
    return Indicator(l1, l2, l3, value, 7, description=description)


@pytest.mark.parametrize(
    ("project", "l3", "note"),
    [
        ("基金监管", "执法人员对数据分析结果的满意度", False),
        ("基金监管", "工作人员满意度", False),
        ("办公用房租金", "房东满意度", True),
    ],
)
def test_q29_fires_on_internal_respondents_and_says_when_staff_may_benefit(
    project: str, l3: str, note: bool
) -> None:
    (finding,) = RULES["Q29"](doc_of(project, row(l3, "≥90%", SAT, SAT)))
    assert ("internal-operation" in finding.message) is note


@pytest.mark.parametrize("l3", ["参保群众满意度", "定点医药机构满意度"])
def test_q29_accepts_service_recipients(l3: str) -> None:
    assert RULES["Q29"](doc_of("基金监管", row(l3, "≥90%", SAT, SAT))) == []


@pytest.mark.parametrize(
    ("l3", "value", "year", "title", "word"),
    [("完成时间", "2022年6月30日前", 2021, "", "after"), ("完成时间", "2022年底前", None, "2021年部门预算", "after"),
     ("2020年房租缴纳次数", "=1次", 2021, "", "arrears")],
)  # fmt: skip
def test_q30_fires_on_dates_after_the_budget_year_and_earlier_years(
    l3: str, value: str, year: int | None, title: str, word: str
) -> None:
    (finding,) = RULES["Q30"](doc_of("房租", row(l3, value, l2="时效指标"), title=title, year=year))
    assert word in finding.message


@pytest.mark.parametrize(("value", "year"), [("2021年12月31日前", 2021), ("2022年6月30日前", None)])
def test_q30_accepts_dates_inside_the_year_or_an_unknown_year(value: str, year: int | None) -> None:
    assert RULES["Q30"](doc_of("房租", row("完成时间", value, l2="时效指标"), year=year)) == []


def with_basis(*bases: str | None) -> dict[str, Any]:
    doc = doc_of("信息化", *[row(f"指标{i}", "≥1次") for i in range(len(bases))])
    for indicator, basis in zip(doc["tables"][0]["indicators"], bases, strict=True):
        indicator["basis"] = basis
    return doc


@pytest.mark.parametrize(
    ("bases", "hits"),
    [(("", "", "计划标准"), 1), (("历史标准", "行业标准", ""), 0), (("计划标准", "领导要求"), 1)],
)
def test_q31_fires_on_a_blank_basis_column_or_an_unknown_standard(bases: tuple[str, ...], hits: int) -> None:
    assert len(RULES["Q31"](with_basis(*bases))) == hits


def test_q31_cannot_judge_records_without_a_basis_column() -> None:
    assert RULES["Q31"](doc_of("信息化", row("指标", "≥1次"))) == []
    columns = doc_of("信息化", row("指标", "≥1次"))
    columns["tables"][0]["columns"] = ["三级指标", "指标值", "指标值确定依据"]
    assert len(RULES["Q31"](columns)) == 1


@pytest.mark.parametrize(
    ("l3", "description"),
    [
        ("开展调研工作次数", "反映开展调研工作次数"),
        ("资助人口参加基本医疗保险人数", "资助人口参加基本医疗保险人数"),
        ("调研报告完成率", "反映调研报告完成率情况"),
        # restated with a word or two around it
        ("理论中心学习次数", "党组党委理论中心学习次数"),
        ("劳务派遣员工工资支付及时性", "考察劳务派遣员工工资是否及时"),
        ("飞行检查及时性", "反映飞行检查时效情况"),
        ("实现市政务改革要求的经办时限压缩比例", "考察实现市政务改革要求的经办时限压缩比例情况"),
    ],
)
def test_q32_fires_when_the_explanation_restates_the_name(l3: str, description: str) -> None:
    (finding,) = RULES["Q32"](doc_of("调研", row(l3, "≥1次", description=description)))
    assert "restates" in finding.message
    # a rate wants its formula, a count what is counted and where it is recorded
    wanted = "公式" if l3.endswith(("率", "比例")) else "统计口径"
    assert wanted in (finding.suggestion_zh or "")


@pytest.mark.parametrize(
    ("l3", "description"),
    [
        ("项目总成本", "反映预算资金使用情况"),
        ("档案整理规范性", "反映文书档案质量情况"),
        ("参保人住院费用实际报销比例", "考察居民医疗保险待遇水平"),
    ],
)
def test_q32_fires_when_the_explanation_only_says_what_is_reflected(l3: str, description: str) -> None:
    (finding,) = RULES["Q32"](doc_of("调研", row(l3, "≥1次", description=description)))
    assert "no definition" in finding.message


@pytest.mark.parametrize(
    ("l3", "description"),
    [
        ("受助人员满意度", "受助人员满意数量占总数的比例。"),
        ("培训次数", "全年组织医保经办人员业务培训的场次，以签到表为准"),
        ("贫困人口满意度", "通过回访调查，享受医疗救助人群中满意人数占总回访调查人数的比率"),
        ("成本控制率", "考察当年度项目费用是否控制在年初预算范围内，是否出现超预算情况"),
        ("服务对象满意度", "定点医疗机构对医疗保险信息系统的满意程度"),  # names the respondents
        ("法律意见", "以实际出具法律意见数量为目标"),
    ],
)
def test_q32_accepts_a_formula_or_a_definition(l3: str, description: str) -> None:
    assert RULES["Q32"](doc_of("调研", row(l3, "≥1次", description=description))) == []
