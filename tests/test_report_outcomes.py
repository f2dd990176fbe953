"""The report's outcome sections: targets vs achieved (self-evaluation tables) and targets carried
over from an earlier year, in the model, the HTML pages, Markdown and the workbook."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from kg.analysis import analyse
from kg.cli import cli
from kg.commands.build import read_document_export
from kg.report import generate_report_model, render_html_pages, render_report
from kg.report.model import ReportModel
from kg.report.outcomes import NOTES, SHOWN
from kg.store import build_store

# --- tiny documents written for these tests ------------------------------------------------------

TOWN = "某镇人民政府"
WATER = "某县水利局"


def row(l3: str, value: str, actual: str | None = None) -> dict[str, Any]:
    return {"period": None, "l1": "产出指标", "l2": "数量指标", "l3": l3, "value": value, "actual": actual}


def table(
    name: str, rows: Sequence[dict[str, Any]], *, kind: str = "target", line: int = 5
) -> dict[str, Any]:
    numbered = [dict(r, line=line + 1 + i) for i, r in enumerate(rows)]
    return {"scope": "project", "kind": kind, "name": name, "line": line, "indicators": numbered}


def doc(source: str, department: str, year: int, tables: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {"source": source, "department": department, "budget_year": year, "tables": list(tables)}


def _self_evaluation(paving: str = "道路硬化项目") -> dict[str, Any]:
    return doc(
        "town_2022.txt",
        TOWN,
        2022,
        [
            table(
                paving,
                [
                    row("硬化道路长度", "≥2公里", "2.5公里"),  # met
                    row("群众满意度", "≥90%", "80%"),  # missed by 10 points
                    row("工程验收合格率", "100%", None),  # no achieved value
                ],
                kind="self_evaluation",
            ),
            table(
                "村道维护项目",  # every row met at exactly its target: set to be met
                [row("维护里程", "≥10公里", "10公里"), row("路灯安装数", "≥20盏", "20盏")],
                kind="self_evaluation",
                line=30,
            ),
        ],
    )


_SUPPLY = [row("供水人口数", "≥1000人"), row("水质达标率", "≥95%"), row("受益群众满意度", "≥90%")]


def _two_years() -> list[dict[str, Any]]:
    return [
        doc("water_2023.txt", WATER, 2023,
            [table("农村饮水安全工程", _SUPPLY), table("河道清淤工程", [row("清淤长度", "≥5公里"), row("清淤量", "≥1万方")], line=40)]),
        doc("water_2024.txt", WATER, 2024,
            [table("农村饮水安全工程", _SUPPLY), table("河道清淤工程", [row("清淤长度", "≥8公里"), row("清淤量", "≥2万方")], line=40)]),
    ]  # fmt: skip


def _neither() -> list[dict[str, Any]]:
    return [doc("health_2021.txt", "某县卫生健康局", 2021, [table("健康宣传", [row("讲座次数", "≥24次")])])]


def _model(docs: list[dict[str, Any]], **options: Any) -> ReportModel:
    return generate_report_model(analyse(docs), **options)


@pytest.fixture(scope="module")
def model() -> ReportModel:
    return _model([_self_evaluation(), *_two_years()])


@pytest.fixture(scope="module")
def pages(model: ReportModel) -> dict[str, str]:
    return render_html_pages(model, font=None)


def _section(html: str, section: str) -> str:
    start = html.index(f'<section id="{section}">')
    return html[start : html.index("</section>", start)]


def _cells(html: str, name: str) -> list[str]:
    """The cells' texts of the table row whose first cell names ``name``."""
    for tr in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
        if cells and cells[0].startswith(name):
            return cells
    raise AssertionError(f"no row for {name}")


def _markdown(model: ReportModel) -> str:
    return render_report(model, "md")["report.md"].decode("utf-8")


# --- targets vs achieved ---------------------------------------------------------------------------


def test_self_evaluation_tables_count_met_missed_missing_and_set_to_be_met_weakest_first(
    model: ReportModel,
) -> None:
    a = model.achievement
    paving, upkeep = a.tables
    assert (paving.project, paving.department, paving.source) == ("道路硬化项目", TOWN, "town_2022.txt")
    assert (paving.rows, paving.met, paving.missed, paving.not_comparable, paving.missing) == (3, 1, 1, 0, 1)
    assert paving.share_met == 0.5 and not paving.set_to_be_met
    assert (upkeep.met, upkeep.exact, upkeep.share_met, upkeep.set_to_be_met) == (3 - 1, 2, 1.0, True)
    assert (a.rows, a.met, a.missed_total, a.missing, a.checked, a.set_to_be_met) == (5, 3, 1, 1, 4, 1)
    h = model.headline
    assert (h.evaluated_tables, h.targets_met, h.targets_checked, h.set_to_be_met) == (2, 3, 4, 1)


def test_a_missed_target_shows_target_achieved_and_how_far_short(model: ReportModel) -> None:
    [missed] = model.achievement.missed
    assert (missed.label, missed.value, missed.actual) == ("群众满意度", "≥90%", "80%")
    assert (missed.short_by, missed.line) == ("10%", 7)
    assert missed.share_short == pytest.approx(10 / 90)


def test_the_overview_shows_targets_vs_achieved_after_the_first_screen_and_before_the_details(
    pages: dict[str, str],
) -> None:
    index = pages["report.html"]
    assert index.index('id="unchecked"') < index.index('id="achievement"') < index.index('id="carried"')
    assert index.index('id="carried"') < index.index('id="departments"') < index.index('id="rules"')
    section = _section(index, "achievement")
    assert "Targets vs achieved 目标与完成" in section and "Set to be met (恰好达标)" in section
    # project, department, rows, met, missed, not comparable, actual missing, share met, set to be met
    assert _cells(section, "道路硬化项目")[:8] == ["道路硬化项目", TOWN, "3", "1", "1", "0", "1", "50%"]
    upkeep = _cells(section, "村道维护项目")
    assert upkeep[7:] == ["100%", "yes 是 2/2 exactly at target"]
    assert _cells(section, "道路硬化项目")[8] == ""
    missed = _cells(_section(index, "achievement")[section.index('id="missed-table"') :], "道路硬化项目")
    assert missed[2:] == ["群众满意度 town_2022.txt:7", "≥90%", "80%", "10%", "11%"]
    tile = re.search(r'id="achievement-tile">(.*?)</div>', index, re.S)
    assert tile and "<b>75%</b>" in tile.group(1) and "3/4 · 1 of 2 tables set to be met" in tile.group(1)


def test_markdown_shows_targets_vs_achieved(model: ReportModel) -> None:
    md = _markdown(model)
    section = md[md.index("## Targets vs achieved") : md.index("## Carried over")]
    assert f"| 道路硬化项目 | {TOWN} | 3 | 1 | 1 | 0 | 1 | 50% |  |" in section
    assert f"| 村道维护项目 | {TOWN} | 2 | 2 | 0 | 0 | 0 | 100% | yes 是 |" in section
    assert "| 群众满意度 | ≥90% | 80% | 10% | 11% |" in section
    assert "**75% of 4 checkable targets met**" in md[: md.index("## Worst")]
    assert md.index("## Targets that cannot be checked") < md.index("## Targets vs achieved")
    assert md.index("## Carried over") < md.index("## Departments 部门")


# --- carried over ------------------------------------------------------------------------------------


def test_two_years_of_the_same_project_with_identical_indicators_are_carried_over(model: ReportModel) -> None:
    copied, dredging = model.carried.tables  # the copied one first
    assert (copied.project, copied.department, copied.earlier_year, copied.later_year) == (
        "农村饮水安全工程", WATER, 2023, 2024,
    )  # fmt: skip
    assert (copied.unchanged, copied.restated, copied.changed, copied.new, copied.dropped) == (3, 0, 0, 0, 0)
    assert copied.carried_over and copied.share_copied == 1.0
    assert dredging.project == "河道清淤工程" and dredging.changed == 2 and not dredging.carried_over
    assert (model.carried.carried_over, model.carried.kept, model.carried.later_rows) == (1, 3, 5)
    assert (model.headline.compared_tables, model.headline.carried_over) == (2, 1)


def test_the_overview_and_markdown_show_what_was_carried_over(
    pages: dict[str, str], model: ReportModel
) -> None:
    index = pages["report.html"]
    section = _section(index, "carried")
    assert "Carried over from an earlier year 逐年沿用" in section
    assert _cells(section, "农村饮水安全工程")[1:] == [
        WATER,
        "2023 → 2024",
        "3",
        "0",
        "0",
        "0",
        "0",
        "yes 是",
    ]
    assert _cells(section, "河道清淤工程")[-1] == "0% kept"
    tile = re.search(r'id="carried-tile">(.*?)</div>', index, re.S)
    assert tile and "<b>1/2</b>tables carried over unchanged" in tile.group(1)
    md = _markdown(model)
    assert f"| 农村饮水安全工程 | {WATER} | 2023 → 2024 | 3 | 0 | 0 | 0 | 0 | yes 是 |" in md
    assert "**1 of 2 tables** carried over unchanged" in md[: md.index("## Worst")]


def test_the_project_links_lead_to_its_findings_on_the_department_page(pages: dict[str, str]) -> None:
    section = _section(pages["report.html"], "achievement")
    [link] = re.findall(r'<a href="([^"]+)">村道维护项目</a>', section[: section.index("missed-table")])
    page, anchor = link.split("#")
    assert f'id="{anchor}"' in pages[page] and "村道维护项目" in pages[page]


def test_department_pages_show_their_own_outcome_rows_only(pages: dict[str, str]) -> None:
    town = next(
        p for name, p in pages.items() if name.startswith("report_files/") and f"<h1>{TOWN}</h1>" in p
    )
    water = next(
        p for name, p in pages.items() if name.startswith("report_files/") and f"<h1>{WATER}</h1>" in p
    )
    assert "道路硬化项目" in _section(town, "achievement") and 'id="carried"' not in town
    assert "农村饮水安全工程" in _section(water, "carried") and 'id="achievement"' not in water


# --- neither -----------------------------------------------------------------------------------------


def test_without_self_evaluations_or_two_years_the_sections_say_so_and_show_no_tiles() -> None:
    model = _model(_neither())
    assert model.achievement.tables == [] and model.carried.tables == []
    index = render_html_pages(model, font=None)["report.html"]
    assert "没有绩效自评表" in _section(index, "achievement") and "<table" not in _section(
        index, "achievement"
    )
    assert "没有同一项目或部门两个年度的表" in _section(index, "carried")
    assert "achievement-tile" not in index and "carried-tile" not in index
    md = _markdown(model)
    assert NOTES["no_achievement"] in md and NOTES["no_carried"] in md
    assert "checkable targets met" not in md and "carried over unchanged" not in md


def test_self_evaluations_with_nothing_missed_say_so() -> None:
    upkeep = _self_evaluation()
    upkeep["tables"] = upkeep["tables"][1:]
    model = _model([upkeep])
    assert model.achievement.missed == [] and model.achievement.missed_total == 0
    assert NOTES["no_missed"] in render_html_pages(model, font=None)["report.html"]


# --- escaping, bounds, the workbook, the store ------------------------------------------------------


def test_document_text_in_the_outcome_sections_stays_text() -> None:
    evil = "<script>alert(1)</script>"
    model = _model([_self_evaluation(paving=f"项目{evil}")])
    index = render_html_pages(model, font=None)["report.html"]
    assert evil not in index and "项目&lt;script&gt;" in _section(index, "achievement")
    assert evil not in _markdown(model)


def test_the_sections_show_a_bounded_number_of_rows_and_say_how_many_more() -> None:
    tables = [
        table(f"项目{i:02d}", [row("培训人数", "≥100人", f"{i}人")], kind="self_evaluation", line=10 * i + 5)
        for i in range(SHOWN + 5)
    ]
    model = _model([doc("many_2022.txt", TOWN, 2022, tables)], top_missed=3)
    assert len(model.achievement.tables) == SHOWN + 5 and model.achievement.missed_total == SHOWN + 5
    assert [m.project for m in model.achievement.missed] == ["项目00", "项目01", "项目02"]  # furthest short
    section = _section(render_html_pages(model, font=None)["report.html"], "achievement")
    table_rows = section[section.index('id="achievement-table"') : section.index('id="missed-table"')]
    assert table_rows.count("<tr><td>") == SHOWN and "5 more" in section and "Showing 3 of 55" in section
    md = _markdown(model)
    md = md[md.index("## Targets vs achieved") : md.index("## Carried over")]
    assert f"The {SHOWN} weakest of {SHOWN + 5} tables" in md and md.count("| 项目") == SHOWN + 3
    sheet = load_workbook(io.BytesIO(render_report(model, "xlsx")["report.xlsx"]))["Achievement"]
    assert sheet.max_row == SHOWN + 5 + 1  # the workbook has every table


def test_workbook_has_the_outcome_sheets_after_the_first_screen(model: ReportModel) -> None:
    wb = load_workbook(io.BytesIO(render_report(model, "xlsx")["report.xlsx"]))
    assert wb.sheetnames[:7] == [
        "WorstProjects", "CopyingDepartments", "Uncheckable", "Achievement", "MissedTargets", "CarriedOver",
        "Summary",
    ]  # fmt: skip
    rows = {
        s: [[c.value for c in r] for r in wb[s].iter_rows()]
        for s in ("Achievement", "MissedTargets", "CarriedOver")
    }
    header, *tables = rows["Achievement"]
    paving = dict(zip(header, tables[0], strict=True))
    assert (paving["project"], paving["met"], paving["missed"], paving["actual_missing"]) == (
        "道路硬化项目",
        1,
        1,
        1,
    )
    assert [dict(zip(header, t, strict=True))["set_to_be_met"] for t in tables] == [False, True]
    assert rows["MissedTargets"][1][4:9] == ["群众满意度", "≥90%", "80%", 10, "%"]
    header, *carried = rows["CarriedOver"]
    assert [dict(zip(header, c, strict=True))["carried_over"] for c in carried] == [True, False]


def test_the_report_of_a_store_shows_both_sections(tmp_path: Path) -> None:
    export = tmp_path / "export.json"
    export.write_text(json.dumps([_self_evaluation(), *_two_years()], ensure_ascii=False), encoding="utf-8")
    build_store(tmp_path / "store", [export], read_document_export)
    out = tmp_path / "report.md"
    result = CliRunner().invoke(cli, ["report", "--store", str(tmp_path / "store"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    md = out.read_text(encoding="utf-8")
    assert f"| 道路硬化项目 | {TOWN} | 3 | 1 | 1 | 0 | 1 | 50% |  |" in md
    assert f"| 农村饮水安全工程 | {WATER} | 2023 → 2024 | 3 | 0 | 0 | 0 | 0 | yes 是 |" in md
