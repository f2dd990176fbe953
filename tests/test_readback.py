"""Documents read back from a store carry what the analyses and the report need, as extracted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from extract import document_paths
from kg.commands.build import read_document_export
from kg.commands.extract import extract_documents
from kg.reuse.store import read_store_documents
from kg.store import build_store, open_store
from kg.triples import document_graph_iri, generate_document_graph

DOC_FIELDS = ("source", "department", "budget_year")
TABLE_FIELDS = (
    "name", "scope", "implementing_unit", "project_code", "line", "funding", "annual_goal", "midterm_goal",
    "unparsed", "columns",
)  # fmt: skip
INDICATOR_FIELDS = ("period", "l1", "l2", "l3", "value", "description", "basis", "line", "target")
_PERIOD_ORDER = {"midterm": 0, None: 1, "annual": 2}


def projection(doc: dict[str, Any]) -> dict[str, Any]:
    """The fields the read-back promises, in an order the graph can reproduce."""
    tables = []
    for t in doc["tables"]:
        item = {k: t.get(k) for k in TABLE_FIELDS}
        item["columns"] = list(t.get("columns") or [])
        item["unparsed"] = sorted((u["line"], u["text"], u["reason"]) for u in t.get("unparsed") or [])
        indicators = []
        for ind in t["indicators"]:
            row = {k: ind.get(k) for k in INDICATOR_FIELDS}
            if row["target"] is not None:
                row["target"] = dict(row["target"], vague_terms=sorted(row["target"]["vague_terms"]))
            indicators.append(row)
        item["indicators"] = sorted(indicators, key=lambda i: (i["line"], _PERIOD_ORDER[i["period"]]))
        tables.append(item)
    tables.sort(key=lambda t: t["line"])
    return {**{k: doc.get(k) for k in DOC_FIELDS}, "tables": tables}


def _store_of(docs: list[dict[str, Any]], tmp_path: Path) -> ox.Store:
    export = tmp_path / "export.json"
    export.write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
    build_store(tmp_path / "store", [export], read_document_export)
    return open_store(tmp_path / "store")


# --- the project's own examples, extracted then built -------------------------------------------


@pytest.fixture(scope="module")
def examples(
    repo_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[list[dict[str, Any]], ox.Store]:
    paths = document_paths([repo_dir / "examples"])
    docs = []
    for path, result in extract_documents(paths):
        assert not isinstance(result, Exception), f"{path}: {result}"
        docs.append(result.to_dict())
    return docs, _store_of(docs, tmp_path_factory.mktemp("examples"))


def test_examples_read_back_equal_their_extraction(examples: tuple[list[dict[str, Any]], ox.Store]) -> None:
    docs, store = examples
    back = read_store_documents(store)
    expected = sorted((projection(d) for d in docs), key=lambda d: d["source"])
    # a department-wide table's implementing unit is not in the graph (kg.triples writes it on projects)
    for d in expected:
        for t in d["tables"]:
            if t["scope"] == "department":
                t["implementing_unit"] = t["project_code"] = None
    assert [projection(d) for d in back] == expected


def test_examples_exercise_what_the_round_trip_compares(
    examples: tuple[list[dict[str, Any]], ox.Store],
) -> None:
    # the equality above means something only if the examples hold these fields at all
    docs, _ = examples
    tables = [t for d in docs for t in d["tables"]]
    indicators = [i for t in tables for i in t["indicators"]]
    assert {t["scope"] for t in tables} == {"project", "department"}
    assert any(t["funding"]["annual_total"] is not None for t in tables)
    assert any(t["annual_goal"] for t in tables)
    assert any(i["target"]["vague"] and i["target"]["vague_terms"] for i in indicators)
    assert any(i["target"]["number"] is not None for i in indicators)


# --- tiny records: every target shape, funding, unparsed lines ----------------------------------


def _target(**kw: Any) -> dict[str, Any]:
    base = {"kind": "quantity", "comparator": None, "number": None, "number_max": None, "unit": None,
            "date": None, "vague": False, "vague_terms": []}  # fmt: skip
    return base | kw


def _ind(line: int, l3: str, value: str | None, target: dict[str, Any] | None, **kw: Any) -> dict[str, Any]:
    base = {"period": None, "l1": "产出指标", "l2": "数量指标", "l3": l3, "value": value,
            "description": None, "line": line, "target": target}  # fmt: skip
    return base | kw


def _tiny() -> dict[str, Any]:
    indicators = [
        _ind(20, "培训人次", "≥200人次", _target(comparator="≥", number=200.0, unit="人次")),
        _ind(21, "投诉率", "<1%", _target(comparator="<", number=1.0, unit="%")),
        _ind(22, "费用", "10-20万元", _target(comparator="range", number=10.0, number_max=20.0, unit="万元")),
        _ind(23, "覆盖率", "约95%", _target(comparator="≈", number=95.5, unit="%")),
        _ind(24, "报告份数", "3份", _target(number=3.0, unit="份")),
        _ind(25, "完成时间", "2021年6月底前", _target(kind="date", comparator="≤", date="2021-06-30")),
        _ind(26, "群众满意度", "显著提高", _target(kind="text", vague=True, vague_terms=["显著", "提高"]),
             l1="满意度指标", l2="服务对象满意度指标", description="抽样调查"),
        _ind(27, "空白指标", None, None),  # the graph keeps no empty literal: "" would come back as None
        _ind(28, "年度目标", "按计划完成", _target(kind="text", vague=True, vague_terms=["按计划完成"]),
             period="midterm"),
        _ind(28, "年度目标", "100%", _target(comparator="=", number=100.0, unit="%"), period="annual"),
    ]  # fmt: skip
    project = {
        "scope": "project", "name": "医疗救助<script>", "implementing_unit": "某县医疗保障事务中心",
        "project_code": "P-001", "line": 10, "title": "项目支出绩效目标表", "end_line": 30, "layout": "tab",
        "funding": {"annual_total": 120.5, "annual_fiscal": 100.0, "midterm_total": 360.0, "source": "table"},
        "annual_goal": "完成救助任务", "midterm_goal": "健全救助制度", "indicators": indicators,
        "unparsed": [{"line": 29, "text": "备注：无", "reason": "no indicator"}],
    }  # fmt: skip
    department = {
        "scope": "department", "name": "某县医疗保障局", "line": 40, "indicators": [],
        "funding": {"annual_total": None, "annual_fiscal": None, "midterm_total": None, "source": None},
    }  # fmt: skip
    return {"source": "tiny.txt", "department": "某县医疗保障局", "budget_year": 2021,
            "tables": [project, department]}  # fmt: skip


def test_every_target_shape_and_table_field_survives_the_store(tmp_path: Path) -> None:
    doc = _tiny()
    [back] = read_store_documents(_store_of([doc], tmp_path))
    assert projection(back) == projection(doc) | {
        "tables": [
            projection(doc)["tables"][0],
            projection(doc)["tables"][1] | {"implementing_unit": None, "project_code": None},
        ]
    }
    project = back["tables"][0]
    assert (project["title"], project["end_line"], project["layout"]) == ("项目支出绩效目标表", 30, "tab")
    assert back["tables"][1]["name"] == "某县医疗保障局"


def test_indicators_come_back_in_line_order_midterm_before_annual(tmp_path: Path) -> None:
    doc = _tiny()
    doc["tables"][0]["indicators"].reverse()
    [back] = read_store_documents(_store_of([doc], tmp_path))
    rows = [(i["line"], i["period"]) for i in back["tables"][0]["indicators"]]
    assert rows == sorted(rows, key=lambda r: (r[0], _PERIOD_ORDER[r[1]]))
    assert rows[-2:] == [(28, "midterm"), (28, "annual")]


def test_a_department_spelt_differently_in_two_documents_keeps_each_spelling() -> None:
    # NFKC folds the two spellings onto one organisation node; each document graph keeps its own label
    a = {"source": "a.txt", "department": "某市医疗保障局(本级)", "budget_year": 2020, "tables": []}
    b = {"source": "b.txt", "department": "某市医疗保障局（本级）", "budget_year": 2021, "tables": []}
    store = ox.Store()
    for d in (a, b):
        nt = generate_document_graph(d).serialize(format="nt", encoding="utf-8")
        store.load(nt, ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(document_graph_iri(d)))
    back = read_store_documents(store)
    assert [(d["source"], d["department"], d["budget_year"]) for d in back] == [
        ("a.txt", "某市医疗保障局(本级)", 2020),
        ("b.txt", "某市医疗保障局（本级）", 2021),
    ]


def test_an_empty_store_reads_back_no_documents() -> None:
    assert read_store_documents(ox.Store()) == []
