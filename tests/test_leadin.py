"""Name and money for a table captioned only "表1：项目年度绩效指标表", from the report above it."""

from __future__ import annotations

import pytest

from extract import parse_document

REPORT = (
    "2024 年度示例信息系统维护费项目\n绩效评价报告\n一、基本情况\n3.项目资金投入\n"
    "2024 年，该项目批复的年初预算数为 1018.00 万元，其中当\n年财政拨款 898.00 万元，上年结转 120.00 万元。\n"
    "截至 2024 年 12 月 31 日，项目全年预算数为 1018.55 万元，\n其中当年财政拨款 898.00 万元、上年结转资金 120.55 万元。\n"
    "（二）项目绩效目标\n项目2024年度绩效指标设置情况见表1。\n"
)


def _table(title: str, header: str, row: str) -> str:
    return f"{title}\n{header}\n{row}\n二、绩效评价工作开展情况\n"


TARGET = _table(
    "表1：项目年度绩效指标表",
    "一级指标\t二级指标\t三级指标\t指标值",
    "产出指标\t数量指标\t设备维护量\t≥330台套",
)
SELF_EVAL = _table(
    "表1：项目绩效目标自评表",
    "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值",
    "产出指标\t数量指标\t设备维护量\t≥330台套\t340台套",
)


@pytest.mark.parametrize(
    "table, total",
    # targets were set against the approved budget; a self-evaluation against the year's after adjustments
    [(TARGET, 1018.0), (SELF_EVAL, 1018.55)],
)
def test_a_table_in_an_evaluation_report_takes_the_reports_project_and_budget(
    table: str, total: float
) -> None:
    (read,) = parse_document(REPORT + table, "report.txt").tables
    assert read.name == "示例信息系统维护费"
    assert (read.funding.annual_total, read.funding.annual_fiscal, read.funding.source) == (
        total,
        898.0,
        "document",
    )


def test_the_departments_project_expenditure_is_not_a_projects_budget() -> None:
    prose = "一、部门预算情况\n2024年部门项目支出预算数为 5000.00 万元。\n"
    (read,) = parse_document(prose + TARGET, "dept.txt").tables
    assert read.funding.empty()


def test_a_report_does_not_lend_its_project_or_money_to_the_next_reports_table() -> None:
    other = "2024 年度示例培训项目\n绩效评价报告\n一、基本情况\n项目按计划实施。\n"
    (first, second) = parse_document(REPORT + TARGET + other + TARGET.replace("330", "20"), "two.txt").tables
    assert first.name == "示例信息系统维护费" and first.funding.annual_total == 1018.0
    assert second.name == "示例培训" and second.funding.empty()
