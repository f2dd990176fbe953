"""Records → triples: deterministic IRIs, one named graph per document, provenance on every fact."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from kg import triples
from kg import vocab as v
from kg.triples import (
    FRAMEWORK_GRAPH_IRI,
    document_graph_iri,
    document_iri,
    generate_dataset,
    generate_document_graph,
    generate_framework_graph,
)
from kg.vocab import JX, JXF, OBEU_ATTRIBUTE, OBEU_CURRENCY, OBEU_DIMENSION, OBEU_MEASURE, SCHEMA


def _doc(**changes: Any) -> dict[str, Any]:
    """A small invented document: one project table with both periods, one department table."""
    doc: dict[str, Any] = {
        "source": "900_example.txt",
        "department": "示例县卫生健康局",
        "budget_year": 2022,
        "sha256": "ab" * 32,
        "tables": [
            {
                "scope": "project",
                "name": "示例巡诊项目",
                "implementing_unit": "示例县巡诊中心",
                "project_code": "EX-2022-01",
                "line": 10,
                "funding": {"annual_total": 120.5, "annual_fiscal": 100, "midterm_total": 3260.2948,
                            "source": "table"},
                "annual_goal": "完成巡诊",
                "midterm_goal": None,
                "indicators": [
                    {"period": "midterm", "l1": "产出指标", "l2": "质量目标", "l3": "巡诊覆盖率",
                     "value": "≥95%", "description": None, "line": 20,
                     "target": {"kind": "quantity", "comparator": "≥", "number": 95.0, "number_max": None,
                                "unit": "%", "date": None, "vague": False, "vague_terms": []}},
                    {"period": "annual", "l1": "产出指标", "l2": "质量目标", "l3": "巡诊覆盖率",
                     "value": "≥90%", "description": None, "line": 20},
                    {"period": None, "l1": "效益指标", "l2": "满意度指标", "l3": "村民满意度",
                     "value": "明显提升", "description": "村民评价", "line": 21,
                     "target": {"kind": "text", "comparator": None, "number": None, "number_max": None,
                                "unit": None, "date": None, "vague": True, "vague_terms": ["明显", "提升"]}},
                ],
                "unparsed": [{"line": 22, "text": "备注：另见附件", "reason": "no column"}],
            },
            {
                "scope": "department",
                "name": "示例县卫生健康局",
                "implementing_unit": None,
                "project_code": None,
                "line": 40,
                "funding": {"annual_total": None, "annual_fiscal": None, "midterm_total": None, "source": None},
                "annual_goal": None,
                "midterm_goal": None,
                "indicators": [
                    {"period": None, "l1": "效果指标", "l2": "社会效益", "l3": "就诊便利度", "value": "提高",
                     "description": None, "line": 44},
                ],
            },
        ],
    }  # fmt: skip
    doc.update(changes)
    return doc


def _nt(graph: Graph) -> list[str]:
    return sorted(line for line in graph.serialize(format="nt").splitlines() if line.strip())


def _subject_of(graph: Graph, rdf_type: URIRef) -> list[URIRef]:
    return sorted(s for s in graph.subjects(v.RDF.type, rdf_type) if isinstance(s, URIRef))


def test_building_twice_gives_the_identical_graph() -> None:
    first, second = generate_document_graph(_doc()), generate_document_graph(copy.deepcopy(_doc()))
    assert _nt(first) == _nt(second)
    assert len(first) > 80


def test_the_graph_holds_no_blank_nodes() -> None:
    graph = generate_document_graph(_doc())
    assert not [t for t in graph if any(isinstance(term, BNode) for term in t)]


def test_graph_iri_comes_from_the_document_key_and_names_the_graph() -> None:
    doc = _doc()
    assert document_graph_iri(doc) == "https://w3id.org/jixiao-kg/graph/doc/900_example"
    # the key of one of two same-named files in different folders keeps them two documents
    keyed = document_graph_iri(_doc(source="2021/900_example.txt"))
    assert keyed == "https://w3id.org/jixiao-kg/graph/doc/2021%2F900_example" != document_graph_iri(doc)
    assert document_graph_iri(_doc(source="901_other.txt")) != document_graph_iri(doc)
    assert str(generate_document_graph(doc).identifier) == document_graph_iri(doc)
    assert document_iri(doc) == "https://w3id.org/jixiao-kg/id/doc/900_example"


def test_a_document_without_a_source_name_is_refused() -> None:
    with pytest.raises(ValueError, match="source"):
        document_graph_iri(_doc(source=""))


def test_every_fact_carries_its_document_and_line() -> None:
    graph = generate_document_graph(_doc())
    doc = URIRef(document_iri(_doc()))
    kinds = [JX.PerformanceTargetTable, v.FOAF.Project, JX.Indicator, JX.Target, JX.Funding, JX.UnparsedLine]
    nodes = [n for kind in kinds for n in _subject_of(graph, kind)]
    assert len(nodes) == 2 + 1 + 4 + 2 + 3 + 1
    for node in nodes:
        assert graph.value(node, v.PROV.wasDerivedFrom) == doc, node
        line = graph.value(node, JX.sourceLine)
        assert isinstance(line, Literal) and line.datatype == v.XSD.integer and int(line) > 0, node
    assert graph.value(doc, JX.contentHash) == Literal("ab" * 32)
    assert graph.value(doc, JX.budgetYear) == Literal(2022)


def test_indicators_keep_labels_as_written_and_link_canonical_concepts() -> None:
    graph = generate_document_graph(_doc())
    by_line = {
        (int(graph.value(i, JX.sourceLine)), graph.value(i, JX.period)): i
        for i in _subject_of(graph, JX.Indicator)
    }
    midterm = by_line[(20, JX.Midterm)]
    assert graph.value(midterm, JX.l2Label) == Literal("质量目标")
    assert graph.value(midterm, JX.l2Concept) == JXF.outputQuality
    assert graph.value(midterm, JX.l1Concept) == JXF.output
    assert graph.value(midterm, JX.dimension) == JXF.output
    assert graph.value(midterm, JX.valueText) == Literal("≥95%")
    # the Guangdong/Shenzhen layout: satisfaction as a level-2 under benefit
    satisfaction = by_line[(21, None)]
    assert graph.value(satisfaction, JX.l2Concept) == JXF.benefitSatisfaction
    assert graph.value(satisfaction, JX.dimension) == JXF.satisfaction
    assert graph.value(satisfaction, JX.description) == Literal("村民评价")
    department_row = by_line[(44, None)]
    assert graph.value(department_row, JX.l1Label) == Literal("效果指标")
    assert graph.value(department_row, JX.l1Concept) == JXF.benefit
    assert graph.value(department_row, JX.l2Concept) == JXF.benefitSocial


def test_midterm_and_annual_rows_on_one_line_are_two_indicators() -> None:
    graph = generate_document_graph(_doc())
    on_line_20 = [i for i in _subject_of(graph, JX.Indicator) if int(graph.value(i, JX.sourceLine)) == 20]
    assert {graph.value(i, JX.period) for i in on_line_20} == {JX.Midterm, JX.Annual}


def test_two_rows_sharing_a_line_and_period_still_get_distinct_iris() -> None:
    doc = _doc()
    rows = doc["tables"][1]["indicators"]
    rows.append({**rows[0], "l3": "另一个指标"})
    graph = generate_document_graph(doc)
    table = URIRef("https://w3id.org/jixiao-kg/id/doc/900_example/table/40")
    indicators = list(graph.objects(table, JX.hasIndicator))
    assert len(indicators) == 2
    assert {graph.value(i, JX.l3Label) for i in indicators} == {Literal("就诊便利度"), Literal("另一个指标")}


def test_project_and_department_tables_are_about_a_project_and_an_organization() -> None:
    graph = generate_document_graph(_doc())
    (project,) = _subject_of(graph, v.FOAF.Project)
    assert graph.value(project, v.RDFS.label) == Literal("示例巡诊项目")
    assert graph.value(project, JX.projectCode) == Literal("EX-2022-01")
    unit = graph.value(project, JX.implementingUnit)
    department = graph.value(project, JX.department)
    assert (unit, v.RDF.type, v.ORG.Organization) in graph and (
        department,
        v.RDF.type,
        v.ORG.Organization,
    ) in graph
    assert unit != department
    tables = {graph.value(t, JX.scope): t for t in _subject_of(graph, JX.PerformanceTargetTable)}
    assert graph.value(tables[JX.ProjectScope], JX.about) == project
    assert graph.value(tables[JX.DepartmentScope], JX.about) == department
    assert graph.value(tables[JX.ProjectScope], JX.annualGoal) == Literal("完成巡诊")


def test_the_same_department_in_two_documents_is_one_node() -> None:
    a = generate_document_graph(_doc())
    b = generate_document_graph(_doc(source="901_other.txt"))
    assert set(a.subjects(v.RDF.type, v.ORG.Organization)) == set(b.subjects(v.RDF.type, v.ORG.Organization))
    assert not set(a.subjects(v.RDF.type, JX.Indicator)) & set(b.subjects(v.RDF.type, JX.Indicator))


def test_funding_is_a_data_cube_observation_in_yuan_with_currency_year_and_kind() -> None:
    graph = generate_document_graph(_doc())
    observations = {graph.value(o, JX.fundingKind): o for o in _subject_of(graph, JX.Funding)}
    assert set(observations) == {JX.AnnualTotal, JX.AnnualFiscal, JX.MidtermTotal}
    midterm = observations[JX.MidtermTotal]
    assert graph.value(midterm, OBEU_MEASURE.amount).toPython() == Decimal("32602948")
    assert graph.value(midterm, JX.amountWan).toPython() == Decimal("3260.2948")
    assert graph.value(midterm, OBEU_ATTRIBUTE.currency) == OBEU_CURRENCY.CNY
    assert graph.value(midterm, OBEU_DIMENSION.fiscalYear) == Literal("2022", datatype=v.XSD.gYear)
    assert graph.value(midterm, JX.fundingSource) == Literal("table")
    assert (midterm, v.RDF.type, URIRef("http://purl.org/linked-data/cube#Observation")) in graph
    # the department table states no money: no observation at all
    department_table = URIRef("https://w3id.org/jixiao-kg/id/doc/900_example/table/40")
    assert graph.value(department_table, JX.hasFunding) is None


def _target_graph(target: dict[str, Any]) -> tuple[Graph, URIRef]:
    doc = _doc()
    doc["tables"][1]["indicators"][0]["target"] = target
    graph = generate_document_graph(doc)
    (node,) = [t for t in _subject_of(graph, JX.Target) if int(graph.value(t, JX.sourceLine)) == 44]
    return graph, node


@pytest.mark.parametrize(
    ("comparator", "number", "number_max", "expected_comparator", "expected"),
    [
        ("≥", 90, None, JX.AtLeast, {SCHEMA.minValue: "90"}),
        (">=", 90, None, JX.AtLeast, {SCHEMA.minValue: "90"}),
        (">", 90, None, JX.MoreThan, {SCHEMA.minValue: "90"}),
        ("≤", 8.5, None, JX.AtMost, {SCHEMA.maxValue: "8.5"}),
        ("<", 1, None, JX.LessThan, {SCHEMA.maxValue: "1"}),
        ("=", 30, None, JX.EqualTo, {SCHEMA.value: "30"}),
        ("≈", 1e4, None, JX.About, {SCHEMA.value: "10000.0"}),
        (None, 100, None, None, {SCHEMA.value: "100"}),
        ("range", 80, 90, JX.Between, {SCHEMA.minValue: "80", SCHEMA.maxValue: "90"}),
    ],
)
def test_a_target_comparator_decides_min_max_or_value(
    comparator: str | None, number: float, number_max: float | None, expected_comparator: URIRef | None,
    expected: dict[URIRef, str],
) -> None:  # fmt: skip
    graph, node = _target_graph(
        {"kind": "quantity", "comparator": comparator, "number": number, "number_max": number_max,
         "unit": "%", "date": None, "vague": False, "vague_terms": []}
    )  # fmt: skip
    assert graph.value(node, JX.comparator) == expected_comparator
    assert (node, v.RDF.type, SCHEMA.QuantitativeValue) in graph
    found = {
        p: str(graph.value(node, p))
        for p in (SCHEMA.minValue, SCHEMA.maxValue, SCHEMA.value)
        if graph.value(node, p)
    }
    assert found == expected
    assert all(graph.value(node, p).datatype == v.XSD.decimal for p in found)
    assert graph.value(node, SCHEMA.unitText) == Literal("%")


def test_an_unknown_comparator_is_kept_as_text_not_dropped() -> None:
    graph, node = _target_graph(
        {"kind": "quantity", "comparator": "±", "number": 5, "unit": None, "vague": False, "vague_terms": []}
    )
    assert graph.value(node, JX.comparator) is None
    assert graph.value(node, JX.comparatorText) == Literal("±")
    assert graph.value(node, SCHEMA.value) == Literal("5", datatype=v.XSD.decimal)


@pytest.mark.parametrize(
    ("date", "datatype"),
    [
        ("2022-06-30", v.XSD.date),
        ("2022-06", v.XSD.gYearMonth),
        ("2022", v.XSD.gYear),
        ("年底前", v.XSD.string),
    ],
)
def test_a_date_target_keeps_a_typed_deadline(date: str, datatype: URIRef) -> None:
    graph, node = _target_graph({"kind": "date", "comparator": "≤", "date": date, "vague": False})
    literal = graph.value(node, JX.targetDate)
    assert str(literal) == date and (literal.datatype or v.XSD.string) == datatype
    assert (node, v.RDF.type, SCHEMA.QuantitativeValue) not in graph


def test_vague_targets_carry_their_terms() -> None:
    graph = generate_document_graph(_doc())
    vague = [t for t in _subject_of(graph, JX.Target) if graph.value(t, JX.vague) == Literal(True)]
    assert len(vague) == 1
    assert {str(t) for t in graph.objects(vague[0], JX.vagueTerm)} == {"明显", "提升"}


def test_unparsed_lines_stay_in_the_graph_with_text_and_reason() -> None:
    graph = generate_document_graph(_doc())
    (item,) = _subject_of(graph, JX.UnparsedLine)
    assert graph.value(item, v.RDF.value) == Literal("备注：另见附件")
    assert graph.value(item, JX.reason) == Literal("no column")
    assert int(graph.value(item, JX.sourceLine)) == 22


@pytest.mark.parametrize(("field", "bad"), [("scope", "ministry"), ("period", "quarterly")])
def test_an_unknown_scope_or_period_is_an_error_not_a_silent_default(field: str, bad: str) -> None:
    doc = _doc()
    if field == "scope":
        doc["tables"][0]["scope"] = bad
    else:
        doc["tables"][0]["indicators"][0]["period"] = bad
    with pytest.raises(ValueError, match=bad):
        generate_document_graph(doc)


def test_term_tables_in_the_builder_name_only_defined_terms() -> None:
    names = {
        *triples._PERIODS.values(),
        *triples._SCOPES.values(),
        *triples._COMPARATORS.values(),
        *(kind for _, _, kind in triples._FUNDING_KINDS),
    }
    assert sorted(n for n in names if n not in JX) == []


def test_framework_graph_is_its_own_named_graph_with_ontology_and_concepts() -> None:
    framework = generate_framework_graph()
    assert str(framework.identifier) == FRAMEWORK_GRAPH_IRI
    assert (JX.Indicator, v.RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in framework
    assert (JXF.benefit, v.RDFS.label, None) not in framework  # concepts use skos labels
    assert len(set(framework.subjects(None, None)) & set(JXF)) == len(JXF.terms)
    assert not set(generate_document_graph(_doc()).subjects()) & set(JXF)


def test_generate_dataset_puts_each_document_in_its_own_graph() -> None:
    dataset = generate_dataset([_doc(), _doc(source="901_other.txt")])
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert names == {
        FRAMEWORK_GRAPH_IRI,
        document_graph_iri(_doc()),
        document_graph_iri(_doc(source="901_other.txt")),
    }


@pytest.mark.seeds
def test_every_gold_document_builds_with_one_indicator_per_row(shared_dir: Path) -> None:
    for path in sorted((shared_dir / "gold").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        graph = generate_document_graph(doc)
        rows = sum(len(t["indicators"]) for t in doc["tables"])
        indicators = _subject_of(graph, JX.Indicator)
        assert len(indicators) == rows, path.name
        assert len(_subject_of(graph, JX.PerformanceTargetTable)) == len(doc["tables"])
        assert all(graph.value(i, JX.l1Concept) and graph.value(i, JX.l2Concept) for i in indicators)
        assert _nt(graph) == _nt(generate_document_graph(json.loads(path.read_text(encoding="utf-8"))))
