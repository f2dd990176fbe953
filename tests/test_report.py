"""The report model: scorecards, reconciliation, reuse sections; the command; examples and seeds end to end."""

from __future__ import annotations

import copy
import re
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.analysis import analyse
from kg.cli import cli
from kg.report import cjk_font, generate_report_model, reconcile, render_html_pages
from kg.report.charts import generate_charts
from kg.report.model import ReportModel, Scorecard
from kg.rules import RULES, prepare

# --- tiny documents written for these tests ------------------------------------------------------

_line = iter(range(10, 100_000))


def row(l3: str, value: str, l1: str = "产出指标", l2: str = "数量指标") -> dict[str, Any]:
    return {"l1": l1, "l2": l2, "l3": l3, "value": value, "line": next(_line), "period": None}


def table(name: str, rows: Sequence[dict[str, Any]], annual: float | None = None) -> dict[str, Any]:
    funding = {"annual_total": annual, "annual_fiscal": None, "midterm_total": None, "source": None}
    return {
        "scope": "project",
        "name": name,
        "line": next(_line),
        "funding": funding,
        "indicators": list(rows),
    }


def doc(source: str, department: str, year: int, tables: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {"source": source, "department": department, "budget_year": year, "tables": list(tables)}


def cost(l3: str, value: str) -> dict[str, Any]:
    return row(l3, value, "产出指标", "成本指标")


def benefit(l3: str, value: str) -> dict[str, Any]:
    return row(l3, value, "效益指标", "社会效益指标")


def satisfaction(l3: str, value: str, l1: str = "满意度指标") -> dict[str, Any]:
    return row(l3, value, l1, "服务对象满意度指标" if l1 == "满意度指标" else "满意度指标")


def _copied() -> list[dict[str, Any]]:
    return [row("宣传次数", "≥4次"), benefit("政策知晓率", "≥90%"), satisfaction("参保群众满意度", "≥95%")]


COUNTY, CITY = "某县医疗保障局", "某市医疗保障局"


def _docs() -> list[dict[str, Any]]:
    """Two years of a county bureau (one over-spent table, three copies, one table with outputs only)
    and a city bureau whose only benefit row is satisfaction and whose cost rows cover little."""
    a = doc("a.txt", COUNTY, 2021, [
        table("救助甲", [row("救助人次", "≥200人次"), cost("救助资金", "≤150万元"), benefit("群众负担", "显著降低"),
                         satisfaction("受助人员满意度", "≥90%")], annual=100),
        table("宣传乙", _copied()), table("宣传丙", _copied()), table("宣传丁", _copied()),
        table("党建经费", [row("学习次数", "≥12次"), row("学习覆盖率", "100%", "产出指标", "质量指标")]),
    ])  # fmt: skip
    b = doc("b.txt", COUNTY, 2022, [
        table("救助甲", [row("救助人次", "≥300人次"), cost("救助资金", "80万元"),
                         satisfaction("受助人员满意度", "≥90%")], annual=100),
    ])  # fmt: skip
    c = doc("c.txt", CITY, 2021, [
        table("经办服务", [row("经办人次", "≥1000人次"), cost("印刷费", "20万元"),
                          satisfaction("服务对象满意度", "≥90%", l1="效益指标")], annual=200),
    ])  # fmt: skip
    return [a, b, c]


@pytest.fixture(scope="module")
def model() -> ReportModel:
    return generate_report_model(analyse(_docs()))


def _project(model: ReportModel, key: str) -> Scorecard:
    return next(p for p in model.projects if p.key == key)


# --- scorecards ----------------------------------------------------------------------------------


def test_departments_add_up_their_documents_and_documents_their_tables(model: ReportModel) -> None:
    assert [d.label for d in model.departments] == [COUNTY, CITY]
    for dept in model.departments:
        docs = [d for d in model.documents if d.department == dept.label]
        tables = [p for p in model.projects if p.department == dept.label]
        assert dept.tables == sum(d.tables for d in docs) == len(tables)
        assert dept.indicators == sum(d.indicators for d in docs) == sum(p.indicators for p in tables)
        assert dept.vague == sum(p.vague for p in tables)
        assert dept.findings == sum(d.findings for d in docs) >= sum(p.findings for p in tables)
    assert model.departments[0].tables == 6


def test_findings_are_counted_per_rule_and_severity_once_each(model: ReportModel) -> None:
    defects = model.defects
    assert len(defects) < len(model.findings)  # information is listed, never counted
    assert sum(r.findings for r in model.rules) == len(defects)
    assert {r.id for r in model.rules} == set(RULES)
    for card in (*model.departments, *model.documents, *model.projects):
        assert sum(card.by_rule.values()) == sum(card.by_severity.values())
    assert sum(d.findings for d in model.departments) == len(defects)


def test_vague_share_counts_the_rows_the_vagueness_classifier_flags(model: ReportModel) -> None:
    first = _project(model, "a.txt#0")
    assert (first.vague, first.indicators, first.vague_share) == (1, 4, 0.25)
    assert "Q01" in first.by_rule
    [row] = [i for i in model.indicators if i.vague]
    assert (row.l3, row.value, row.vague_terms) == ("群众负担", "显著降低", ("显著", "降低"))


def test_missing_dimensions_are_named_per_table(model: ReportModel) -> None:
    assert _project(model, "a.txt#0").missing == {}
    assert list(_project(model, "a.txt#4").missing) == ["效益", "满意度", "成本"]  # outputs only
    assert list(_project(model, "a.txt#1").missing) == ["成本"]
    # satisfaction filed under 效益 counts as 满意度, and leaves the table without a benefit
    assert list(_project(model, "c.txt#0").missing) == ["效益"]
    county = model.departments[0]
    assert county.missing == {"效益": 2, "满意度": 1, "成本": 4}


@pytest.mark.parametrize(
    ("key", "status", "funding", "costs"),
    [("a.txt#0", "over", 100, 150), ("b.txt#0", "ok", 100, 80), ("c.txt#0", "under", 200, 20),
     ("a.txt#1", "no funding", None, None)],
)  # fmt: skip
def test_funding_is_reconciled_with_the_cost_rows_as_q27_reads_them(
    model: ReportModel, key: str, status: str, funding: float | None, costs: float | None
) -> None:
    card = _project(model, key)
    assert (card.reconciliation, card.funding, card.costs) == ({status: 1}, funding, costs)
    q27 = [f for f in model.findings if f.rule == "Q27" and f.project_key == key]
    assert bool(q27) == (status in ("over", "under"))


def test_a_table_with_funding_but_no_cost_amount_cannot_be_reconciled() -> None:
    view = prepare(doc("d.txt", CITY, 2021, [table("会议", [cost("会议费", "按标准执行")], annual=10)]))
    rec = reconcile(view.tables[0])
    assert (rec.status, rec.funding, rec.costs, rec.share) == ("no cost amounts", 10, None, None)


def test_aggregate_funding_sums_only_the_tables_that_reconcile(model: ReportModel) -> None:
    county = model.departments[0]
    assert (county.funding, county.costs) == (200, 230)
    assert county.reconciliation == {"over": 1, "ok": 1, "no funding": 4}


# --- reuse and findings --------------------------------------------------------------------------


def test_copied_tables_form_one_identical_group_with_their_lines(model: ReportModel) -> None:
    [group] = model.identical
    assert group.identical and group.kind == "identical"
    assert [(m.project, m.source) for m in group.members] == [
        ("宣传乙", "a.txt"),
        ("宣传丙", "a.txt"),
        ("宣传丁", "a.txt"),
    ]
    assert [m.line for m in group.members] == [_project(model, m.project_key).line for m in group.members]


def test_templates_say_which_tables_use_them(model: ReportModel) -> None:
    top = model.templates[0]
    assert (top.projects, top.departments) == (3, 1)
    assert len(top.used_by) == 3 and all("宣传" in u for u in top.used_by)
    # the same project name in two documents stays two tables
    rescue = next(t for t in model.templates if t.label == "救助人次")
    assert rescue.used_by == (f"救助甲 ({COUNTY}, a.txt)", f"救助甲 ({COUNTY}, b.txt)")


def test_findings_carry_the_text_as_written_with_document_department_and_line(model: ReportModel) -> None:
    [vague] = [f for f in model.findings if f.rule == "Q01"]
    source_row = next(i for i in model.indicators if i.l3 == "群众负担")
    assert (vague.text, vague.source, vague.department, vague.line) == (
        "显著降低",
        "a.txt",
        COUNTY,
        source_row.line,
    )
    assert vague.rule_name_zh == RULES["Q01"].name_zh
    assert "Q01" in source_row.rules
    assert vague.rows == (source_row.index,)
    assert vague.advice_zh and vague.advice_en  # what to do, where the rule gives no rewrite of its own


def test_indicators_per_canonical_l1_cover_every_row(model: ReportModel) -> None:
    assert sum(model.dimensions.values()) == model.indicator_count == len(model.indicators)
    assert list(model.dimensions) == ["产出", "效益", "满意度"]


def test_the_model_is_the_same_every_time() -> None:
    docs = _docs()
    assert generate_report_model(analyse(copy.deepcopy(docs))) == generate_report_model(analyse(docs))


# --- charts --------------------------------------------------------------------------------------


def _glyph_warnings(model: ReportModel, font: str | None) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        generate_charts(model, font=font)
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_without_a_cjk_font_charts_fall_back_to_latin_labels_with_a_legend(model: ReportModel) -> None:
    assert _glyph_warnings(model, None) == []
    charts = {c.id: c for c in generate_charts(model, font=None)}
    assert charts["chart-vague-documents"].legend == (
        ("D1", f"{COUNTY} 2021"),
        ("D2", f"{COUNTY} 2022"),
        ("D3", f"{CITY} 2021"),
    )
    # a department spanning two documents gets its own chart
    assert [full for _, full in charts["chart-vague-departments"].legend] == [COUNTY, CITY]


def test_with_a_cjk_font_charts_draw_chinese_labels(model: ReportModel) -> None:
    font = cjk_font()
    if font is None:
        pytest.skip("no CJK font installed (Debian: fonts-wqy-microhei)")
    assert _glyph_warnings(model, font) == []
    assert all(c.legend == () for c in generate_charts(model, font=font))


def test_charts_inline_as_svg_without_urls_or_clashing_ids(model: ReportModel) -> None:
    charts = generate_charts(model, font=None)
    ids = [i for c in charts for i in re.findall(r'\bid="([^"]+)"', c.svg)]
    assert len(ids) == len(set(ids))
    for c in charts:
        assert c.svg.startswith("<svg") and c.svg.rstrip().endswith("</svg>")
        assert not re.search(r"https?:|<!--|<\?xml|<!DOCTYPE", c.svg)
        refs = re.findall(r'(?:xlink:href="#|url\(#)([^")]+)', c.svg)
        assert refs and all(r.startswith(f"{c.id}-") and r in ids for r in refs)


# --- the command ---------------------------------------------------------------------------------


@pytest.fixture
def export(tmp_path: Path) -> Path:
    import json

    path = tmp_path / "export.json"
    path.write_text(json.dumps(_docs(), ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "magic"), [("r.html", b"<!doctype html>"), ("r.md", b"# "), ("r.xlsx", b"PK"),
                                             ("r.csv", b"\xef\xbb\xbfseverity,rule")])  # fmt: skip
def test_report_command_picks_the_format_from_the_suffix(
    export: Path, tmp_path: Path, name: str, magic: bytes
) -> None:
    out = tmp_path / name
    result = CliRunner().invoke(cli, ["report", "--from-json", str(export), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(magic)


def test_report_command_format_option_overrides_the_suffix(export: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    result = CliRunner().invoke(cli, ["report", str(export), "-o", str(out), "--format", "md"])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("# 绩效指标质量报告")


@pytest.mark.parametrize(
    ("args", "message"),
    [(["-o", "r.pdf", "{export}"], "cannot tell the format"), (["-o", "r.html"], "either --store"),
     (["-o", "r.html", "--store", "s", "{export}"], "either --store")],
)  # fmt: skip
def test_report_command_refuses_unclear_requests(export: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["report", *(a.format(export=export) for a in args)])
    assert result.exit_code == 2 and message in result.output


def test_report_command_applies_a_rules_config(export: Path, tmp_path: Path) -> None:
    config = tmp_path / "rules.json"
    config.write_text('{"disabled": ["Q18"]}', encoding="utf-8")
    out = tmp_path / "r.csv"
    result = CliRunner().invoke(cli, ["report", str(export), "-o", str(out), "--rules-config", str(config)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8-sig")
    assert "Q01" in text and "Q18" not in text


def test_examples_extract_build_and_report_end_to_end(repo_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    export, store, page = tmp_path / "ex.json", tmp_path / "store", tmp_path / "report.html"
    for args in (
        ["extract", str(repo_dir / "examples"), "-o", str(export)],
        ["build", str(export), "--from-json", "--store", str(store)],
        ["report", "--store", str(store), "-o", str(page)],
    ):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert "示例县卫生健康局" in html and "示例省医疗保障局" in html
    departments = [p.read_text(encoding="utf-8") for p in sorted((tmp_path / "report_files").glob("d*.html"))]
    names = {m.group(1) for d in departments if (m := re.search(r"<h1>(.*?)</h1>", d))}
    assert {"示例县卫生健康局", "示例省医疗保障局"} <= names  # each department on a page of its own
    for text in (html, *departments):
        assert not re.search(r"https?://", text)
    assert sum(d.count("<tr data-severity=") for d in departments) > 0


# --- the seeds ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds(shared_dir: Path) -> tuple[ReportModel, dict[str, str]]:
    from kg.commands.extract import extract_documents

    docs = [r.to_dict() for _, r in extract_documents(sorted((shared_dir / "seeds").glob("*.txt")))]
    model = generate_report_model(analyse(docs))
    return model, render_html_pages(model, font=None)


def _department_page(pages: dict[str, str], department: str) -> str:
    return next(
        html for path, html in pages.items() if "_files/" in path and f"<h1>{department}</h1>" in html
    )


@pytest.mark.seeds
def test_seed_002s_copied_medical_aid_tables_are_an_identical_group(
    seeds: tuple[ReportModel, dict[str, str]],
) -> None:
    model, pages = seeds
    groups = [g for g in model.identical if g.identical and all("医疗救助" in m.project for m in g.members)]
    assert len(groups) == 1
    [group] = groups
    assert len(group.members) == 3
    assert {m.source[:3] for m in group.members} == {"002"}
    index = pages["report.html"]
    section = index[index.index('id="groups"') :]
    for m in group.members:
        assert f"{m.source}:{m.line}" in section
    copying = index[index.index('id="copying"') : index.index('id="unchecked"')]
    assert group.members[0].department in copying


@pytest.mark.seeds
def test_seed_000s_vague_targets_are_listed_with_their_lines(
    seeds: tuple[ReportModel, dict[str, str]], shared_dir: Path
) -> None:
    model, pages = seeds
    source = next(d.source for d in model.documents if d.source.startswith("000"))
    lines = (shared_dir / "seeds" / source).read_text(encoding="utf-8").splitlines()
    vague = [
        f for f in model.findings if f.source == source and f.rule == "Q01" and "显著提高" in (f.text or "")
    ]
    assert vague
    for f in vague:
        assert f.line is not None and f.indicator and f.indicator[:4] in lines[f.line - 1]
    page = _department_page(pages, vague[0].department)
    assert re.search(rf'<td class="n">{vague[0].line}</td>\s*<td>{re.escape(vague[0].indicator or "")}', page)


def test_every_catalogue_rule_says_what_to_do_in_both_languages() -> None:
    from kg.report.model import rule_advice

    advice = rule_advice()
    assert set(advice) == set(RULES)
    assert all(zh and en and zh != en for zh, en in advice.values())
