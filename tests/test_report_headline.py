"""The report's first screen: worst projects, departments that copy, targets that cannot be checked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pytest

from kg.analysis import analyse
from kg.report import generate_report_model, render_html_pages
from kg.report.headline import SkeletonInput, skeleton_groups
from kg.report.model import ReportModel
from kg.rules import Finding

COUNTY = "某县医疗保障局"


def row(line: int, l3: str, value: str, l1: str = "产出指标", period: str | None = None) -> dict[str, Any]:
    return {"l1": l1, "l2": "数量指标", "l3": l3, "value": value, "line": line, "period": period}


def table(
    name: str, line: int, rows: Sequence[dict[str, Any]], annual: float | None = None
) -> dict[str, Any]:
    funding = {"annual_total": annual, "annual_fiscal": None, "midterm_total": None, "source": "table"}
    return {"scope": "project", "name": name, "line": line, "funding": funding, "indicators": list(rows)}


def doc(tables: Sequence[dict[str, Any]], department: str = COUNTY, source: str = "a.txt") -> dict[str, Any]:
    return {"source": source, "department": department, "budget_year": 2021, "tables": list(tables)}


def four_rows(first: int) -> list[dict[str, Any]]:
    return [row(first + i, f"指标{first + i}", f"≥{i + 1}次") for i in range(4)]


def found(
    rule: str, severity: str, t: int, i: int | None, docs: list[dict[str, Any]], **extra: Any
) -> Finding:
    tbl = docs[0]["tables"][t]
    ind = tbl["indicators"][i] if i is not None else None
    return Finding(
        rule=rule,
        severity=severity,  # type: ignore[arg-type]
        message=f"{rule} here",
        source=docs[0]["source"],
        table_index=t,
        table=tbl["name"],
        line=ind["line"] if ind else tbl["line"],
        table_line=tbl["line"],
        indicator_index=i,
        indicator=ind["l3"] if ind else None,
        period=ind["period"] if ind else None,
        text=ind["value"] if ind else None,
        **extra,
    )


# --- worst projects -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ranked() -> ReportModel:
    docs = [
        doc(
            [
                table("甲", 10, four_rows(11), annual=100),
                table("乙", 20, four_rows(21), annual=1000),
                table("丙", 30, four_rows(31), annual=5000),
                table("丁", 40, four_rows(41), annual=9000),
            ]
        )
    ]
    findings = [
        found("Q01", "H", 0, 0, docs),
        found("Q09", "H", 0, 1, docs),
        found("Q11", "M", 1, 0, docs),
        found("Q15", "M", 1, 1, docs),
        found("Q20", "M", 1, 1, docs),  # a second finding on a row already counted
        found("Q18", "H", 1, None, docs),  # about the whole table, not a row
        found("Q02", "H", 2, 0, docs),
        *(found("Q31", "L", 2, i, docs) for i in (1, 2, 3)),  # stylistic: not a defect row
        *(found("Q07", "I", 3, i, docs) for i in range(4)),  # information: neither
    ]
    return generate_report_model(analyse(docs, findings=findings))


def test_worst_projects_rank_by_the_share_of_rows_with_h_or_m_findings_then_by_funding(
    ranked: ReportModel,
) -> None:
    projects = ranked.headline.projects
    assert [(p.label, p.defect_rows, p.rows) for p in projects] == [("乙", 2, 4), ("甲", 2, 4), ("丙", 1, 4)]
    assert [p.funding for p in projects] == [1000, 100, 5000]
    assert projects[0].findings == {"Q11": 1, "Q15": 1, "Q20": 1, "Q18": 1}
    assert projects[0].table_rules == ("Q18",)


def test_information_notes_neither_rank_a_project_nor_count_as_defects(ranked: ReportModel) -> None:
    assert "丁" not in [p.label for p in ranked.headline.projects]
    card = next(p for p in ranked.projects if p.label == "丁")
    assert (card.info, card.findings, card.defect_rows) == (4, 0, 0)
    assert ranked.info == 4 and ranked.headline.defect_rows == 5


def test_the_first_screen_leads_the_overview_and_links_each_project_to_its_department_page(
    ranked: ReportModel,
) -> None:
    pages = render_html_pages(ranked, font=None)
    index = pages["report.html"]
    first = index[index.index('id="worst"') : index.index('id="departments"')]
    assert index.index('id="worst"') < index.index('id="departments"') < index.index('id="rules"')
    assert first.index(">乙</a>") < first.index(">甲</a>") < first.index(">丙</a>")
    anchors = [a for a in ("p1", "p2", "p3", "p4") if f'id="{a}"' in pages["report_files/d0001.html"]]
    assert len(anchors) == 4 and 'href="report_files/d0001.html#p2"' in first


# --- departments that copy ------------------------------------------------------------------------


def _copied(values: Sequence[str]) -> list[dict[str, Any]]:
    labels = ("宣传次数", "政策知晓率", "参保群众满意度")
    return [row(0, label, value) for label, value in zip(labels, values, strict=True)]


def _numbered(tables: list[dict[str, Any]]) -> list[dict[str, Any]]:
    line = 10
    for t in tables:
        t["line"] = line
        for r in t["indicators"]:
            line += 1
            r["line"] = line
        line += 5
    return tables


def test_departments_that_copy_show_identical_sets_skeletons_and_their_money() -> None:
    same = ("≥4次", "≥90%", "≥95%")
    tables = _numbered(
        [
            table("宣传甲", 0, _copied(same), annual=10),
            table("宣传乙", 0, _copied(same), annual=20),
            table("宣传丙", 0, _copied(same), annual=30),
            table("培训甲", 0, _copied(("≥6次", "≥80%", "≥90%")), annual=40),
            table("培训乙", 0, _copied(("≥8次", "≥85%", "≥92%")), annual=50),
            table("救助", 0, [row(0, "救助人次", "≥200人次"), row(0, "救助资金", "≤150万元")], annual=60),
        ]
    )
    model = generate_report_model(
        analyse([doc(tables), doc([], department="某市医疗保障局", source="b.txt")])
    )
    [copying] = model.headline.copying
    assert (copying.department, copying.tables, copying.copied) == (COUNTY, 6, 5)
    assert (copying.identical, copying.near, copying.skeleton) == (3, 0, 2)
    assert copying.funding == 150
    assert sorted(g.kind for g in model.identical) == ["identical", "skeleton"]
    assert model.headline.copied_tables == 5 and model.headline.copied_funding == 150


@pytest.mark.parametrize(
    ("values", "groups"),
    [
        ({"a": ["1", "2", "3"], "b": ["1", "2", "4"]}, [("a", "b")]),  # same indicators, a target differs
        ({"a": ["1", "2", "3"], "b": ["1", "2", "3"]}, []),  # identical: the reuse analysis's business
        ({"a": ["1", "2"], "b": ["3", "4"]}, []),  # fewer rows than min_rows
        ({"a": ["1", "2", "3"], "b": ["1", "2", "3"], "c": ["9", "9", "9"]}, [("a", "b", "c")]),
    ],
)
def test_skeletons_are_tables_with_the_same_indicators_and_other_targets(
    values: dict[str, list[str]], groups: list[tuple[str, ...]]
) -> None:
    rows = [SkeletonInput(key, f"t{i}", v) for key, vs in values.items() for i, v in enumerate(vs)]
    assert skeleton_groups(rows, min_rows=3) == groups


# --- targets that cannot be checked ----------------------------------------------------------------


def test_a_department_with_no_vague_target_still_shows_its_impossible_ones() -> None:
    rates = [row(11 + i, name, "≥100%", "效益指标") for i, name in enumerate(("参保率", "结算率", "覆盖率"))]
    model = generate_report_model(
        analyse([doc([table("医保", 10, [*rates, row(14, "培训人次", "≥20人次")])])])
    )
    [dept] = model.departments
    assert dept.vague == 0 and dept.uncheckable == 3
    [check] = model.headline.checks
    assert check.reasons == {"Q09": 3} and check.examples == ("≥100%",)
    [reason] = model.headline.reasons
    assert (reason.reason, reason.targets, reason.departments) == ("Q09", 3, 1)


def test_a_vague_target_no_rule_names_counts_under_vague() -> None:
    docs = [doc([table("宣传", 10, [row(11, "宣传效果", "显著提高"), row(12, "宣传次数", "≥4次")])])]
    model = generate_report_model(analyse(docs, findings=[]))
    [check] = model.headline.checks
    assert (check.uncheckable, check.targets, check.reasons) == (1, 2, {"vague": 1})


# --- what the rules give besides: Chinese messages, rewrites, folded periods ---------------------------


def test_a_finding_folded_over_two_periods_marks_both_rows_and_shows_both_languages() -> None:
    rows = [row(11, "参保率", "显著提高", period="midterm"), row(11, "参保率", "显著提高", period="annual")]
    docs = [doc([table("参保", 10, [*rows, row(12, "宣传次数", "≥4次")])])]
    folded = replace(
        found("Q01", "H", 0, 0, docs),
        message_zh="程度词「显著」无数值",
        suggestion_zh="由X%提高至Y%",
        suggestion_en="from X% to Y%",
        secondary=("Q20",),
        periods=("midterm", "annual"),
    )
    model = generate_report_model(analyse(docs, findings=[folded]))
    [f] = model.findings
    assert f.rows == (0, 1) and f.secondary == ("Q20",) and f.periods == ("midterm", "annual")
    [card] = model.projects
    assert (card.defect_rows, card.uncheckable, card.indicators) == (2, 2, 3)
    html = render_html_pages(model, font=None)["report_files/d0001.html"]
    for text in (
        "程度词「显著」无数值",
        "Q01 here",
        "由X%提高至Y%",
        "from X% to Y%",
        "另见 also: Q20",
        "中期/年度",
    ):
        assert text in html
