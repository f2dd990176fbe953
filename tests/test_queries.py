"""The named SPARQL queries, run on a pyoxigraph store built from the triples."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery

from extract.values import parse_target
from kg import vocab as v
from kg.queries import list_queries, load_query, query_parameters
from kg.triples import generate_dataset, generate_document_graph, generate_framework_graph
from kg.vocab import JX

REQUIRED = {
    "projects_funding", "project_indicators", "indicators_by_l1_l2", "vague_targets", "reused_labels",
    "identical_indicator_sets", "missing_benefit_or_satisfaction", "low_satisfaction_targets",
    "cost_vs_funding", "indicator_provenance", "findings_by_rule", "top_templates",
}  # fmt: skip

Row = dict[str, Any]


def _store(graphs: Iterable[Graph]) -> ox.Store:
    store = ox.Store()
    for graph in graphs:
        store.load(
            graph.serialize(format="nt", encoding="utf-8"),
            format=ox.RdfFormat.N_TRIPLES,
            to_graph=ox.NamedNode(str(graph.identifier)),
        )
    return store


def _value(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value.rsplit("#", 1)[-1]
        if datatype in ("integer", "positiveInteger"):
            return int(term.value)
        if datatype == "decimal":
            return Decimal(term.value)
        if datatype == "boolean":
            return term.value == "true"
    return term.value


def _run(store: ox.Store, name: str, **bindings: ox.Literal | ox.NamedNode) -> list[Row]:
    result = store.query(
        load_query(name),
        use_default_graph_as_union=True,
        substitutions={ox.Variable(k): val for k, val in bindings.items()},
    )
    assert isinstance(result, ox.QuerySolutions)
    names = [var.value for var in result.variables]
    return [{n: _value(row[n]) for n in names} for row in result]


# --- the library itself ----------------------------------------------------------


def test_every_required_query_is_there_with_a_one_sentence_description() -> None:
    queries = list_queries()
    assert set(queries) >= REQUIRED
    for name, description in queries.items():
        assert description.endswith(".") and description.count(". ") == 0, name
        header = [line for line in load_query(name).splitlines() if line.startswith("#")]
        assert any(line.startswith("# dataset:") for line in header), (
            f"{name} must state its dataset semantics"
        )


@pytest.mark.parametrize("name", sorted(list_queries()))
def test_every_query_is_valid_sparql_for_both_engines(name: str) -> None:
    text = load_query(name)
    prepareQuery(text)
    result = ox.Store().query(text, use_default_graph_as_union=True)
    assert list(result) == []  # an empty store answers nothing, and nothing fails


@pytest.mark.parametrize(
    ("name", "params"),
    [("project_indicators", ["projectName"]), ("indicator_provenance", ["indicator"]),
     ("low_satisfaction_targets", ["threshold"]), ("projects_funding", [])],
)  # fmt: skip
def test_parameters_are_read_from_the_header(name: str, params: list[str]) -> None:
    assert query_parameters(name) == params


@pytest.mark.parametrize("name", sorted(list_queries()))
def test_every_parameter_is_projected_so_pyoxigraph_can_substitute_it(name: str) -> None:
    result = ox.Store().query(load_query(name), use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    projected = {var.value for var in result.variables}
    assert set(query_parameters(name)) <= projected


@pytest.mark.parametrize("name", ["no_such_query", "../triples", "projects_funding.rq"])
def test_an_unknown_query_name_is_a_key_error_listing_the_known_ones(name: str) -> None:
    with pytest.raises(KeyError, match="projects_funding"):
        load_query(name)


# --- inline fixtures ---------------------------------------------------------------


def _row(
    l1: str, l2: str, l3: str, value: str, line: int, target: dict[str, Any] | None = None
) -> dict[str, Any]:
    row = {"period": None, "l1": l1, "l2": l2, "l3": l3, "value": value, "description": None, "line": line}
    if target is not None:
        row["target"] = {"number_max": None, "date": None, "vague": False, "vague_terms": [], **target}
    return row


def _table(name: str, line: int, rows: list[dict[str, Any]], annual: float | None = None) -> dict[str, Any]:
    return {
        "scope": "project", "name": name, "implementing_unit": None, "project_code": None, "line": line,
        "funding": {"annual_total": annual, "annual_fiscal": None, "midterm_total": None,
                    "source": "table" if annual is not None else None},
        "annual_goal": None, "midterm_goal": None, "indicators": rows,
    }  # fmt: skip


def _money(n: float) -> dict[str, Any]:
    return {"kind": "quantity", "comparator": "≤", "number": n, "unit": "万元"}


def _pct(comparator: str | None, n: float) -> dict[str, Any]:
    return {"kind": "quantity", "comparator": comparator, "number": n, "unit": "%"}


SHARED_ROWS = [
    _row("产出指标", "数量指标", "示例宣讲场次", "≥4场", 3),
    _row("满意度指标", "满意度指标", "听众满意度", "≥90%", 4),
]


def _inline_docs() -> list[dict[str, Any]]:
    """Two invented documents: copies of one indicator set, cost rows, satisfaction rows, a gap."""
    first = {
        "source": "920_alpha.txt", "department": "甲县医疗保障局", "budget_year": 2022,
        "tables": [
            _table("宣讲甲", 1, copy.deepcopy(SHARED_ROWS), annual=10),
            _table("宣讲乙", 10, copy.deepcopy(SHARED_ROWS)),
            _table("设备购置", 20, [
                _row("产出指标", "成本指标", "购置成本", "≤6万元", 21, _money(6)),
                _row("成本指标", "经济成本指标", "运维成本", "≤3万元", 22, _money(3)),
                _row("效益指标", "满意度指标", "使用人员满意度", "≤80%", 23, _pct("≤", 80)),
            ], annual=10),
        ],
    }  # fmt: skip
    second = {
        "source": "921_beta.txt", "department": "乙市医疗保障局", "budget_year": 2022,
        "tables": [
            _table("宣讲丙", 5, copy.deepcopy(SHARED_ROWS)),
            _table("培训", 30, [
                _row("产出指标", "成本指标", "培训成本", "5万元", 31, _money(5) | {"comparator": None}),
                _row("效果指标", "社会效益", "参训人员知晓率", "明显提高", 32,
                     {"kind": "text", "comparator": None, "number": None, "unit": None, "vague": True,
                      "vague_terms": ["明显", "提高"]}),
                _row("满意度指标", "服务对象满意度指标", "学员满意度", "≥75%", 33, _pct("≥", 75)),
                _row("满意度指标", "服务对象满意度指标", "讲师满意度", "≥95%", 34, _pct("≥", 95)),
            ], annual=5),
        ],
    }  # fmt: skip
    first["tables"][2]["unparsed"] = [{"line": 24, "text": "注：含税", "reason": "note"}]
    return [first, second]


@pytest.fixture(scope="module")
def inline_store() -> ox.Store:
    return _store([generate_framework_graph(), *(generate_document_graph(d) for d in _inline_docs())])


def test_identical_indicator_sets_are_found_across_documents(inline_store: ox.Store) -> None:
    (group,) = _run(inline_store, "identical_indicator_sets")
    assert group["copies"] == 3 and group["size"] == 2
    assert set(group["projects"].split(" | ")) == {"宣讲甲", "宣讲乙", "宣讲丙"}
    assert set(group["departments"].split(" | ")) == {"甲县医疗保障局", "乙市医疗保障局"}


def test_a_different_value_breaks_an_identical_set(inline_store: ox.Store) -> None:
    docs = _inline_docs()
    docs[1]["tables"][0]["indicators"][1]["value"] = "≥91%"
    store = _store(generate_document_graph(d) for d in docs)
    (group,) = _run(store, "identical_indicator_sets")
    assert set(group["projects"].split(" | ")) == {"宣讲甲", "宣讲乙"}


def test_low_satisfaction_targets_flag_upper_bounds_and_low_floors(inline_store: ox.Store) -> None:
    rows = _run(inline_store, "low_satisfaction_targets")
    assert {(r["l3"], r["comparator"], r["number"]) for r in rows} == {
        ("使用人员满意度", "≤", Decimal(80)),  # satisfaction as a level-2 under benefit (Shenzhen layout)
        ("学员满意度", "≥", Decimal(75)),
    }
    raised = _run(
        inline_store,
        "low_satisfaction_targets",
        threshold=ox.Literal("96", datatype=ox.NamedNode(str(v.XSD.integer))),
    )
    assert {r["l3"] for r in raised} == {"使用人员满意度", "学员满意度", "讲师满意度"}


def test_cost_vs_funding_sums_cost_rows_of_both_layouts(inline_store: ox.Store) -> None:
    rows = _run(inline_store, "cost_vs_funding")
    # 设备购置: 6 (cost under output) + 3 (cost as level-1) = 9 ≠ 10; 培训: 5 = 5 is not listed
    assert [(r["project"], r["costSum"], r["funding"], r["difference"]) for r in rows] == [
        ("设备购置", Decimal(9), Decimal(10), Decimal(-1))
    ]


def test_missing_benefit_or_satisfaction_reads_canonical_concepts(inline_store: ox.Store) -> None:
    rows = {
        r["name"]: (r["hasBenefit"], r["hasSatisfaction"])
        for r in _run(inline_store, "missing_benefit_or_satisfaction")
    }
    # 设备购置's only satisfaction row sits under 效益指标: it counts as satisfaction, not benefit
    assert rows == {
        "宣讲甲": (False, True),
        "宣讲乙": (False, True),
        "宣讲丙": (False, True),
        "设备购置": (False, True),
    }


def test_vague_targets_list_their_terms(inline_store: ox.Store) -> None:
    (row,) = _run(inline_store, "vague_targets")
    assert row["l3"] == "参训人员知晓率" and set(row["terms"].split("、")) == {"明显", "提高"}
    assert row["source"] == "921_beta.txt" and row["line"] == 32


def test_project_indicators_binds_the_project_name(inline_store: ox.Store) -> None:
    rows = _run(inline_store, "project_indicators", projectName=ox.Literal("培训"))
    assert [r["line"] for r in rows] == [31, 32, 33, 34] and {r["name"] for r in rows} == {"培训"}
    assert rows[1]["l1"] == "效果指标" and rows[1]["canonicalL1"] == "效益指标"
    assert rows[1]["l2"] == "社会效益" and rows[1]["canonicalL2"] == "社会效益指标"
    assert _run(inline_store, "project_indicators", projectName=ox.Literal('培训" } #')) == []


def test_project_indicators_accepts_a_part_of_the_name(inline_store: ox.Store) -> None:
    rows = _run(inline_store, "project_indicators", projectName=ox.Literal("宣讲"))
    assert {r["name"] for r in rows} == {"宣讲甲", "宣讲乙", "宣讲丙"}
    assert {r["name"] for r in _run(inline_store, "project_indicators", projectName=ox.Literal("讲丙"))} == {
        "宣讲丙"
    }
    everything = _run(inline_store, "project_indicators")
    assert {r["name"] for r in everything} == {"宣讲甲", "宣讲乙", "宣讲丙", "设备购置", "培训"}


def test_unparsed_lines_are_queryable(inline_store: ox.Store) -> None:
    assert _run(inline_store, "unparsed_lines")[0] | {"table": None} == {
        "source": "920_alpha.txt", "line": 24, "text": "注：含税", "reason": "note", "project": "设备购置", "table": None
    }  # fmt: skip


def test_a_department_named_by_two_documents_does_not_duplicate_rows() -> None:
    # an organization's triples sit in the graph of every document naming it, and a union default
    # graph is a multiset in pyoxigraph: each query must still give each answer once
    docs = _inline_docs()
    again = copy.deepcopy(docs[0]) | {"source": "922_alpha_again.txt"}
    store = _store([generate_framework_graph(), *(generate_document_graph(d) for d in [*docs, again])])
    for name in list_queries():
        rows = [tuple(sorted((k, str(val)) for k, val in r.items())) for r in _run(store, name)]
        assert len(rows) == len(set(rows)), name
    funded = [r for r in _run(store, "projects_funding") if r["name"] == "设备购置"]
    assert len(funded) == 2  # one per document


def _write_back(store: ox.Store) -> None:
    """What the analyses add: findings, templates and similarities (invented here)."""
    graph = Graph(identifier=URIRef("https://w3id.org/jixiao-kg/graph/analyses"))
    base = "https://w3id.org/jixiao-kg/id/"
    rule, finding = URIRef(base + "rule/Q05"), URIRef(base + "finding/1")
    indicator = URIRef(base + "doc/921_beta/table/30/indicator/32")
    graph.add((rule, v.RDF.type, JX.QualityRule))
    graph.add((rule, JX.ruleId, Literal("Q05")))
    graph.add((rule, v.SKOS.prefLabel, Literal("Descriptive or activity text as value", lang="en")))
    graph.add((rule, v.SKOS.prefLabel, Literal("以活动描述作为指标值", lang="zh")))
    graph.add((finding, v.RDF.type, JX.Finding))
    graph.add((finding, JX.rule, rule))
    graph.add((finding, JX.severity, Literal("warning")))
    graph.add((finding, JX.message, Literal("目标值含模糊用语")))
    graph.add((indicator, JX.hasFinding, finding))
    template = URIRef(base + "template/1")
    graph.add((template, v.RDF.type, JX.IndicatorTemplate))
    graph.add((template, v.RDFS.label, Literal("听众满意度")))
    graph.add((template, JX.reuseCount, Literal(3)))
    graph.add((template, JX.projectCount, Literal(3)))
    graph.add((template, JX.departmentCount, Literal(2)))
    for table, line in (("920_alpha/table/1", 4), ("920_alpha/table/10", 4), ("921_beta/table/5", 4)):
        graph.add((URIRef(f"{base}doc/{table}/indicator/{line}"), JX.template, template))
    pair = URIRef(base + "similarity/1")
    graph.add((pair, v.RDF.type, JX.Similarity))
    graph.add((pair, JX.pairMember, URIRef(base + "doc/920_alpha/project/1")))
    graph.add((pair, JX.pairMember, URIRef(base + "doc/921_beta/project/5")))
    graph.add((pair, JX.jaccard, Literal(Decimal("1.0"))))
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES,
               to_graph=ox.NamedNode(str(graph.identifier)))  # fmt: skip


def test_write_back_queries_read_findings_templates_and_similarities() -> None:
    store = _store([generate_framework_graph(), *(generate_document_graph(d) for d in _inline_docs())])
    assert (
        _run(store, "findings_by_rule")
        == _run(store, "top_templates")
        == _run(store, "similar_projects")
        == []
    )
    _write_back(store)
    (rule,) = _run(store, "findings_by_rule")
    assert (rule["ruleId"], rule["severity"], rule["findings"], rule["subjects"]) == ("Q05", "warning", 1, 1)
    assert (rule["ruleLabel"], rule["ruleLabelZh"], rule["example"]) == (
        "Descriptive or activity text as value",
        "以活动描述作为指标值",
        "目标值含模糊用语",
    )
    (template,) = _run(store, "top_templates")
    assert (template["label"], template["reuseCount"], template["instances"]) == ("听众满意度", 3, 3)
    (pair,) = _run(store, "similar_projects")
    assert {pair["projectA"], pair["projectB"]} == {"宣讲甲", "宣讲丙"} and pair["jaccard"] == Decimal(1)


@pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")
def test_rdflib_with_a_union_default_graph_gives_the_same_answers() -> None:
    # the benchmark runs these queries on rdflib too: they must not lean on one engine's quirks
    docs = _inline_docs()
    store = _store([generate_framework_graph(), *(generate_document_graph(d) for d in docs)])
    dataset = generate_dataset(docs)
    dataset.default_union = True
    for name in list_queries():
        expected = _run(store, name)
        got = list(dataset.query(load_query(name)))
        assert len(got) == len(expected), name


# --- the seeds (gold annotations) ------------------------------------------------------


def _gold(shared_dir: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((shared_dir / "gold").glob("*.json"))]


def _with_targets(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # the gold files hold no parsed targets: add them with the project's own value parser
    out = copy.deepcopy(docs)
    for doc in out:
        for table in doc["tables"]:
            for row in table["indicators"]:
                row["target"] = asdict(parse_target(row["value"], default_year=doc["budget_year"]))
    return out


@pytest.fixture(scope="module")
def gold_store(shared_dir: Path) -> ox.Store:
    return _store(
        [generate_framework_graph(), *(generate_document_graph(d) for d in _with_targets(_gold(shared_dir)))]
    )


@pytest.fixture(scope="module")
def gold_store_without_targets(shared_dir: Path) -> ox.Store:
    return _store([generate_framework_graph(), *(generate_document_graph(d) for d in _gold(shared_dir))])


@pytest.mark.seeds
def test_seed_copies_of_the_medical_aid_tables_are_identical_sets(
    gold_store_without_targets: ox.Store,
) -> None:
    groups = [
        set(g["projects"].split(" | ")) for g in _run(gold_store_without_targets, "identical_indicator_sets")
    ]
    assert {
        "省级医疗救助补助资金(冀财社[2019]101号)",
        "中央医疗救助补助资金(冀财社[2019]116 号)",
        "中央医疗救助补助资金(冀财社[2019]116号基金)",
    } in groups
    # 城乡医疗救助经费 shares labels with them but not the values: not a copy
    assert not any("城乡医疗救助经费" in g for g in groups)


@pytest.mark.seeds
def test_seed_satisfaction_ceiling_of_80_percent_is_reported(
    gold_store: ox.Store, gold_store_without_targets: ox.Store
) -> None:
    rows = _run(gold_store, "low_satisfaction_targets")
    assert ("医保基金监管费用", "参保对象满意度", "<=80%", "001_e9903dd00c131094.txt") in {
        (r["project"], r["l3"], r["value"], r["source"]) for r in rows
    }
    assert all(r["comparator"] in ("≤", "<") or r["number"] < 80 for r in rows)
    assert _run(gold_store_without_targets, "low_satisfaction_targets") == []


@pytest.mark.seeds
def test_seed_projects_funding_lists_every_table_with_its_money(gold_store_without_targets: ox.Store) -> None:
    rows = _run(gold_store_without_targets, "projects_funding")
    assert len(rows) == 36
    by_name = {(r["department"], r["name"]): r for r in rows}
    system = by_name[("国家医疗保障局", "医疗保障体系建设")]
    assert (system["annualTotal"], system["midtermTotal"], system["indicators"]) == (
        Decimal("4946.9"),
        Decimal("14840.7"),
        44,
    )
    luoyang = by_name[("洛阳市医疗保障局", "洛阳市医疗保障局")]
    assert luoyang["scope"] == "department" and luoyang["annualFiscal"] == Decimal(3071)
    unfunded = by_name[("元氏县医疗保障局", "中央医疗救助补助资金(冀财社[2019]116 号)")]
    assert unfunded["annualTotal"] is None and unfunded["indicators"] == 3


@pytest.mark.seeds
def test_seed_indicators_by_l1_l2_fold_variant_spellings(gold_store_without_targets: ox.Store) -> None:
    rows = _run(gold_store_without_targets, "indicators_by_l1_l2")
    counts = {(r["department"], r["l1"], r["l2"]): r["indicators"] for r in rows}
    assert counts[("元氏县医疗保障局", "效益指标", "社会效益指标")] == 11  # written 效果指标
    assert counts[("洛阳市医疗保障局", "产出指标", "质量指标")] == 10  # written 质量目标
    assert counts[("深圳市医疗保障局", "效益指标", "满意度指标")] == 13  # Shenzhen layout
    assert not [k for k in counts if "(unmapped)" in k]
    assert sum(counts.values()) == 512


@pytest.mark.seeds
def test_seed_missing_benefit_or_satisfaction(gold_store_without_targets: ox.Store) -> None:
    rows = {
        r["name"]: (r["hasBenefit"], r["hasSatisfaction"])
        for r in _run(gold_store_without_targets, "missing_benefit_or_satisfaction")
    }
    assert rows["省级医疗救助补助资金(冀财社[2019]101号)"] == (False, True)
    assert rows["福利彩票公益金项目"] == (True, False)
    # Shenzhen's satisfaction rows under 效益指标 count: its other projects are not listed
    assert "医疗保障政策研究管理" not in rows


@pytest.mark.seeds
def test_seed_reused_labels_span_departments(gold_store_without_targets: ox.Store) -> None:
    rows = {r["label"]: r for r in _run(gold_store_without_targets, "reused_labels")}
    assert rows["群众满意度"]["departments"] == 2 and rows["群众满意度"]["projects"] >= 5
    assert all(r["projects"] >= 2 for r in rows.values())


@pytest.mark.seeds
def test_seed_cost_vs_funding_finds_the_department_table_and_not_the_balanced_projects(
    gold_store: ox.Store,
) -> None:
    rows = _run(gold_store, "cost_vs_funding")
    by_project = {r["project"]: r for r in rows}
    assert by_project["洛阳市医疗保障局"]["funding"] == Decimal(3071)
    assert by_project["洛阳市医疗保障局"]["costSum"] < Decimal(3071)
    # 南充's cost rows add up to each project's funding (e.g. 8+3+4 = 15): none is listed
    assert not [r for r in rows if r["department"] == "南充市医疗保障局"]


@pytest.mark.seeds
def test_seed_vague_targets_need_parsed_targets(
    gold_store_without_targets: ox.Store, shared_dir: Path
) -> None:
    assert _run(gold_store_without_targets, "vague_targets") == []
    docs = _with_targets(_gold(shared_dir))
    for doc in docs:  # mark the one wording every reader calls vague, as the vagueness classifier would
        for table in doc["tables"]:
            for row in table["indicators"]:
                if row["value"] == "有所降低":
                    row["target"] |= {"vague": True, "vague_terms": ["有所", "降低"]}
    rows = _run(_store(generate_document_graph(d) for d in docs), "vague_targets")
    assert rows and {r["value"] for r in rows} == {"有所降低"}
    assert {r["department"] for r in rows} == {"深圳市医疗保障局"}


@pytest.mark.seeds
def test_seed_indicator_provenance_gives_document_line_and_text(gold_store_without_targets: ox.Store) -> None:
    any_row = _run(gold_store_without_targets, "indicator_provenance")[0]
    (row,) = _run(
        gold_store_without_targets, "indicator_provenance", indicator=ox.NamedNode(any_row["indicator"])
    )
    assert row == any_row
    listed = [
        r for r in _run(gold_store_without_targets, "project_indicators", projectName=ox.Literal("网络经费"))
    ]
    (network,) = [r for r in listed if r["l3"] == "确保网络畅通率"]
    (prov,) = _run(
        gold_store_without_targets, "indicator_provenance", indicator=ox.NamedNode(network["indicator"])
    )
    assert (prov["source"], prov["line"], prov["tableLine"], prov["value"]) == (
        "002_f49da458a1f6b9c9.txt",
        552,
        546,
        "100%",
    )


@pytest.mark.seeds
def test_seed_label_variants_show_what_the_framework_folds(gold_store_without_targets: ox.Store) -> None:
    rows = {
        (r["level"], r["written"]): r["canonical"] for r in _run(gold_store_without_targets, "label_variants")
    }
    assert rows[(1, "效果指标")] == "效益指标"
    assert rows[(1, "产出指标（预期提供的公共产品或服务）")] == "产出指标"
    assert rows[(2, "质量目标")] == "质量指标"
    assert rows[(2, "可持续发展影响指标")] == "可持续影响指标"
