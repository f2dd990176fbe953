"""Funding found elsewhere in the document when the table does not state it."""

from __future__ import annotations

from extract.funding import fill_document_funding, name_keys
from extract.records import Funding, Table


def table(name: str, funding: Funding | None = None) -> Table:
    return Table(scope="project", name=name, line=1, funding=funding or Funding())


NARRATIVE = [
    "项目支出 500 万元，主要为城乡救助经费 34 万元；党建经费 0.5 万元；省级救助资金 284 万元；网络",
    "经费 6 万元；中央救助资金 228 万元。",
]


def test_a_project_named_in_the_narrative_gets_its_amount_from_the_document() -> None:
    tables = [table("城乡救助经费"), table("党建经费"), table("网络经费")]
    fill_document_funding(tables, NARRATIVE)
    assert [(t.funding.annual_total, t.funding.source) for t in tables] == [
        (34.0, "document"),
        (0.5, "document"),
        (6.0, "document"),  # the name was broken over a line
    ]


def test_a_bracketed_file_number_is_dropped_to_match_the_name() -> None:
    assert name_keys("省级救助资金(冀财社[2019]101号)") == ["省级救助资金(冀财社[2019]101号)", "省级救助资金"]
    tables = [table("省级救助资金(冀财社[2019]101号)")]
    fill_document_funding(tables, NARRATIVE)
    assert tables[0].funding.annual_total == 284.0


def test_a_name_two_tables_share_stays_null() -> None:
    tables = [table("中央救助资金(116号)"), table("中央救助资金(116号基金)")]
    fill_document_funding(tables, NARRATIVE)
    assert [t.funding.annual_total for t in tables] == [None, None]


def test_stated_funding_is_kept() -> None:
    tables = [table("党建经费", Funding(annual_total=1.0, source="table"))]
    fill_document_funding(tables, NARRATIVE)
    assert tables[0].funding.annual_total == 1.0


def test_project_expenditure_rows_are_read_but_budget_subjects_are_not() -> None:
    rows = ["单位：元", "序号\t项目名称\t金额", "1\t信息化建设\t200000", "18\t2101504\t网络经费\t6.00"]
    tables = [table("信息化建设"), table("网络经费")]
    fill_document_funding(tables, rows)
    assert [t.funding.annual_total for t in tables] == [20.0, None]
