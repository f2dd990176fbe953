"""The report's outcome sections: targets vs achieved (self-evaluation tables) and targets carried
over from an earlier year, in the model."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from kg.analysis import analyse
from kg.report import generate_report_model
from kg.report.model import ReportModel

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


# --- neither -----------------------------------------------------------------------------------------


def test_without_self_evaluations_or_two_years_the_sections_are_empty() -> None:
    model = _model(_neither())
    assert model.achievement.tables == [] and model.achievement.missed == [] and model.carried.tables == []
    assert (model.headline.evaluated_tables, model.headline.compared_tables) == (0, 0)
