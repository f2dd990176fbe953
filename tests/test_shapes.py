"""SHACL shapes: the built graph validates, a broken one fails with a report a person can read."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, URIRef

from kg import vocab as v
from kg.conformance import validate_store
from kg.store import open_store, replace_graphs
from kg.triples import generate_document_graph, generate_framework_graph
from kg.vocab import JX, OBEU_ATTRIBUTE, SCHEMA, read_ontology_file

EX = "https://w3id.org/jixiao-kg/id/doc/910_shapes"


def _doc() -> dict[str, Any]:
    return {
        "source": "910_shapes.txt",
        "department": "示例市医疗保障局",
        "budget_year": 2021,
        "tables": [
            {
                "scope": "project",
                "name": "示例经办项目",
                "implementing_unit": "示例市医疗保障局",
                "project_code": None,
                "line": 5,
                "funding": {"annual_total": 12, "annual_fiscal": None, "midterm_total": None, "source": "document"},
                "annual_goal": "按时完成经办",
                "midterm_goal": None,
                "indicators": [
                    {"period": None, "l1": "产出指标", "l2": "数量指标", "l3": "经办笔数", "value": "≥100笔",
                     "description": None, "line": 8,
                     "target": {"kind": "quantity", "comparator": "≥", "number": 100, "number_max": None,
                                "unit": "笔", "date": None, "vague": False, "vague_terms": []}},
                    {"period": None, "l1": "满意度指标", "l2": "服务对象满意度指标", "l3": "参保人满意度",
                     "value": "≥85%", "description": None, "line": 9},
                ],
            }
        ],
    }  # fmt: skip


def _validate(graphs: Iterable[Graph]) -> tuple[bool, Graph, str]:
    data = Graph()
    for graph in graphs:
        for triple in graph:
            data.add(triple)
    conforms, results, text = validate(data, shacl_graph=read_ontology_file("shapes.ttl"))
    return bool(conforms), results, str(text)


@pytest.fixture(scope="module")
def framework() -> Graph:
    return generate_framework_graph()


def _severities(results: Graph) -> list[str]:
    return sorted(str(s).rsplit("#", 1)[-1] for s in results.objects(None, v.SH.resultSeverity))


def test_a_built_document_validates(framework: Graph) -> None:
    conforms, _, text = _validate([framework, generate_document_graph(_doc())])
    assert conforms, text


def test_the_findings_written_back_validate(framework: Graph) -> None:
    from kg.findings import generate_findings_graph, run_rules

    doc = _doc()
    rows = doc["tables"][0]["indicators"]
    rows[0] |= {"value": "显著提高", "target": None}  # a vague target: a finding with a suggestion
    rows[1] |= {"value": "85%"}  # no comparator: information
    findings = run_rules([doc])
    assert any(f.suggestion_zh for f in findings) and any(f.severity == "I" for f in findings)
    conforms, _, text = _validate(
        [framework, generate_document_graph(doc), generate_findings_graph(findings)]
    )
    assert conforms, text


def test_a_finding_without_its_chinese_message_fails(framework: Graph) -> None:
    from kg.findings import finding_iri, generate_findings_graph, run_rules

    doc = _doc()
    (finding, *_) = run_rules([doc])
    graph = generate_findings_graph([finding])
    node = URIRef(finding_iri(finding))
    graph.remove((node, JX.message, Literal(finding.message_zh, lang="zh")))
    graph.set((node, JX.severity, Literal("info")))
    conforms, _, text = _validate([framework, generate_document_graph(doc), graph])
    assert not conforms
    assert "once in English (@en) and once in Chinese (@zh)" in text and "H, M, L or I" in text


def test_a_broken_graph_fails_with_a_readable_report(framework: Graph) -> None:
    graph = generate_document_graph(_doc())
    indicator = URIRef(f"{EX}/table/5/indicator/8")
    funding = URIRef(f"{EX}/table/5/funding/annual-total")
    target = URIRef(f"{indicator}/target")
    graph.remove((indicator, JX.sourceLine, None))
    graph.add((indicator, JX.l3Label, Literal("第二个名称")))
    graph.set((funding, OBEU_ATTRIBUTE.currency, URIRef("http://data.openbudgets.eu/codelist/currency/EUR")))
    graph.add((target, SCHEMA.maxValue, Literal("50", datatype=v.XSD.decimal)))  # below its minimum of 100
    conforms, results, text = _validate([framework, graph])
    assert not conforms
    assert "must give exactly one source line" in text
    assert "exactly one non-empty level-3 label" in text
    assert "currency is CNY" in text
    assert "not above its maximum" in text
    assert str(indicator) in text and str(funding) in text
    assert _severities(results) == ["Violation"] * 4


def test_a_misfiled_row_and_an_unknown_label_are_warnings_not_violations(framework: Graph) -> None:
    doc = _doc()
    rows = doc["tables"][0]["indicators"]
    rows[0]["l2"] = "社会效益指标"  # a benefit level-2 under 产出指标
    rows[1]["l1"] = "其他指标"
    conforms, results, text = _validate([framework, generate_document_graph(doc)])
    assert not conforms
    assert "misfiled row" in text
    assert "level-1 label as written is not in the indicator framework" in text
    assert set(_severities(results)) == {"Warning"}


def test_a_project_without_a_department_is_warned_about(framework: Graph) -> None:
    doc = _doc()
    doc["department"] = None
    _, results, text = _validate([framework, generate_document_graph(doc)])
    assert "the project's department is unknown" in text
    assert set(_severities(results)) == {"Warning"}


@pytest.mark.seeds
def test_the_graph_of_every_gold_document_validates(shared_dir: Path, framework: Graph) -> None:
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((shared_dir / "gold").glob("*.json"))]
    assert len(docs) == 5
    conforms, results, text = _validate([framework, *(generate_document_graph(d) for d in docs)])
    assert conforms, text
    assert len(results) > 0  # a report graph was produced, with nothing in it but sh:conforms


# --- the graph kg build stores, read back from the store -------------------------------------


def test_the_graph_kg_build_stores_validates(tmp_path: Path, kg, tiny_source) -> None:
    tiny_source(tmp_path / "src", "示例.txt")
    store = tmp_path / "store"
    assert kg("build", str(tmp_path / "src"), "--store", str(store))[0] == 0
    code, output = kg("validate", "--store", str(store))
    assert code == 0, output
    assert "conforms to the shapes: 0 violations" in output
    report = validate_store(open_store(store))
    assert report.graphs >= 2 and report.triples > 0  # the document and the analyses written back


def test_validate_names_what_is_wrong_in_a_broken_store(tmp_path: Path, kg, tiny_source) -> None:
    tiny_source(tmp_path / "src", "示例.txt")
    store = tmp_path / "store"
    assert kg("build", str(tmp_path / "src"), "--store", str(store))[0] == 0
    broken = Graph()
    node = URIRef(EX + "/stray")
    broken.add((node, v.RDF.type, JX.Indicator))
    broken.add((node, JX.sourceLine, Literal(0)))
    replace_graphs(store, {EX + "/broken-graph": broken})
    code, output = kg("validate", "--store", str(store))
    assert code == 1
    assert f"Violation: <{node}>" in output and "must give exactly one source line" in output
    assert "does not conform" in output


@pytest.mark.seeds
def test_the_store_built_from_the_seeds_validates(shared_dir: Path, tmp_path: Path, kg) -> None:
    store = tmp_path / "store"
    assert kg("build", str(shared_dir / "seeds"), "--store", str(store), "-q")[0] == 0
    report = validate_store(open_store(store))
    assert report.conforms, report.violations[:5]
    assert report.graphs == 7
