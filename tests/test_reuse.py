"""Template reuse: label folding, template grouping, the reuse graph, its analyses and their RDF."""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef

import kg.reuse.templates as templates_mod
from kg.analysis import analyse, write_analysis
from kg.cli import cli
from kg.commands.build import read_document_export
from kg.queries import load_query
from kg.reuse import (
    REUSE_GRAPH,
    boilerplate_rows,
    communities,
    copied_sets,
    document_iris,
    generate_reuse_graph,
    generate_reuse_triples,
    generate_templates,
    identical_sets,
    normalise_label,
    normalise_value,
    rank_templates,
    similar_pairs,
    template_iri,
)
from kg.reuse.labels import char_ngrams, ngram_jaccard
from kg.reuse.store import read_store_documents
from kg.sparql import run_query
from kg.store import build_store, open_store
from kg.triples import generate_document_graph
from kg.vocab import JX, RDF

_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")

# --- tiny documents written for these tests ------------------------------------------------------

_line = iter(range(10, 100_000))


def row(
    l3: str, value: str = "≥1次", l1: str = "产出指标", l2: str = "数量指标", **extra: Any
) -> dict[str, Any]:
    return {"l1": l1, "l2": l2, "l3": l3, "value": value, "line": next(_line), "period": None, **extra}


def table(name: str, rows: Sequence[dict[str, Any]], scope: str = "project") -> dict[str, Any]:
    return {"scope": scope, "name": name, "line": next(_line), "indicators": list(rows)}


def doc(source: str, department: str, tables: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {"source": source, "department": department, "budget_year": 2021, "tables": list(tables)}


def _copied_rows() -> list[dict[str, Any]]:
    return [
        row("救助人次", "≥200人"),
        row("一站式结算率", "100%", "效益指标", "社会效益指标"),
        row("受助人员满意度", "≥98%", "满意度指标", "服务对象满意度指标"),
    ]


def _county() -> dict[str, Any]:
    """A county bureau: three projects copy one indicator set, two others share a template."""
    return doc(
        "county.txt",
        "某县医疗保障局",
        [
            table("救助资金甲", _copied_rows()),
            table("救助资金乙", _copied_rows()),
            table("救助资金丙", _copied_rows()),
            table(
                "党建经费",
                [row("学习次数", "≥12次"), row("受助人员满意度", "≥95%", "满意度指标", "服务对象满意度指标")],
            ),
            table("网络经费", [row("网络运行率", "≥99%", "产出指标", "质量指标"), row("学习次数", "≥2次")]),
        ],
    )


def _city() -> dict[str, Any]:
    return doc(
        "city.txt",
        "某市医疗保障局",
        [
            table(
                "政策研究",
                [
                    row("课题完成数", "≥3个"),
                    row("受助人员满意度（%）", "≥90%", "满意度指标", "服务对象满意度指标"),
                ],
            ),
            table(
                "信息系统运维", [row("系统运行率", "≥99%", "产出指标", "质量指标"), row("课题完成数", "≥1个")]
            ),
        ],
    )


# --- label folding ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("参保人员满意度", "参保人员满意度"),
        ("１、参保人员满意度", "参保人员满意度"),
        ("（1）参保人员满意度", "参保人员满意度"),
        ("(一) 参保人员满意度", "参保人员满意度"),
        ("①参保人员满意度", "参保人员满意度"),
        ("2.参保人员 满意度；", "参保人员满意度"),
        ("参保人员“满意度”", "参保人员满意度"),
        ("参保人员满意度（%）", "参保人员满意度"),
        ("ＤＩＰ系统运行率", "dip系统运行率"),
        ("2021年房租成本", "年房租成本"),
        ("1.5倍覆盖率", "1.5倍覆盖率"),
        ("第一季度完成率", "第一季度完成率"),
        ("一站式结算率", "一站式结算率"),
    ],
)
def test_normalise_label_folds_width_numbering_punctuation_units_and_years(written: str, key: str) -> None:
    assert normalise_label(written) == key


def test_normalise_value_ignores_spacing_and_width() -> None:
    assert normalise_value("≥ 98 ％") == normalise_value("≥98%") == "≥98%"
    assert normalise_value(None) == ""


# --- templates ----------------------------------------------------------------------------------


def test_differently_written_copies_of_a_label_are_one_template() -> None:
    docs = [
        doc(
            "a.txt",
            "甲",
            [table("p", [row("1、培训合格率", l2="质量指标"), row("（2）培训合格率", l2="质量指标")])],
        )
    ]
    docs.append(doc("b.txt", "乙", [table("q", [row("培训 合格率；", l2="质量指标")])]))
    [tpl] = generate_templates(docs)
    assert len(tpl.members) == 3
    assert tpl.departments == {"甲", "乙"}
    assert tpl.key == "培训合格率"


def test_near_duplicate_labels_merge_whatever_their_l2_label() -> None:
    near = ("推动形成质量可靠、价格合理的治理格局", "推动形成质量可靠、价格合理的格局")
    tables = [
        table("p", [row(near[0], l1="效益指标", l2="社会效益指标")]),
        table("q", [row(near[1], l2="数量指标")]),
    ]
    assert [len(t.members) for t in generate_templates([doc("a.txt", "甲", tables)])] == [2]


@pytest.mark.parametrize(
    ("a", "b"),
    [("基金发放到位率", "补助资金到位率"), ("培训时间", "培训完成时间"), ("参保率", "城乡居民参保率")],
)
def test_synonyms_and_modifiers_put_labels_under_one_template(a: str, b: str) -> None:
    tables = [table("p", [row(a, l2="质量指标")]), table("q", [row(b, l2="数量指标")])]
    [tpl] = generate_templates([doc("a.txt", "甲", tables)])
    assert {m.label for m in tpl.members} == {a, b}


def test_labels_measuring_other_metrics_of_one_subject_stay_apart() -> None:
    tables = [table("p", [row("培训合格率"), row("培训覆盖率"), row("培训费"), row("培训次数")])]
    assert len(generate_templates([doc("a.txt", "甲", tables)])) == 4


def test_l2_spellings_of_one_concept_block_together() -> None:
    # 质量目标 and 质量指标 are both the framework's output-quality concept
    tables = [
        table("p", [row("资料归档及时准确率", l2="质量指标")]),
        table("q", [row("资料归档及时准确性", l2="质量目标")]),
    ]
    assert len(generate_templates([doc("a.txt", "甲", tables)], threshold=0.6)) == 1


def test_labels_below_the_threshold_stay_apart() -> None:
    tables = [
        table("p", [row("定点医药机构服务协议印制")]),
        table("q", [row("定点医药机构服务协议签订单位")]),
    ]
    assert len(generate_templates([doc("a.txt", "甲", tables)])) == 2
    assert len(generate_templates([doc("a.txt", "甲", tables)], threshold=0.5)) == 1


def test_template_label_is_the_commonest_spelling() -> None:
    rows = [row("参保对象满意度（%）"), row("参保对象满意度"), row("参保对象满意度")]
    [tpl] = generate_templates([doc("a.txt", "甲", [table("p", rows)])])
    assert tpl.label == "参保对象满意度"
    assert tpl.variants == ["参保对象满意度", "参保对象满意度（%）"]


def test_a_spelling_joins_its_most_similar_template_without_chaining() -> None:
    # at 0.3 b is close to both a (0.5) and c (0.3), a and c are not (0.1): c must not reach a via b
    a, b, c = "医疗保障基金监管检查覆盖率", "医疗保障基金监管日常检查覆盖率", "医疗保障日常检查覆盖率"
    rows = [row(a), row(a), row(a), row(b), row(b), row(c)]
    tpls = generate_templates([doc("a.txt", "甲", [table("p", rows)])], threshold=0.3)
    groups = sorted(sorted({m.label for m in t.members}) for t in tpls)
    assert sorted([a, b]) in groups
    assert [c] in groups


def _synthetic_docs(n_projects: int, seed: int = 3) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    stems = ["参保率", "满意度", "结算率", "覆盖率", "完成率", "知晓率", "到位率", "准确率"]
    subjects = [
        "医保基金",
        "定点机构",
        "困难群众",
        "培训人员",
        "信息系统",
        "宣传活动",
        "课题研究",
        "药品采购",
    ]
    tables = []
    for p in range(n_projects):
        rows = []
        for _ in range(4):
            label = rng.choice(subjects) + rng.choice(["", "年度", "全年"]) + rng.choice(stems)
            if rng.random() < 0.3:
                label = f"（{rng.randint(1, 9)}）" + label
            rows.append(row(label, l2=rng.choice(["数量指标", "质量指标"])))
        tables.append(table(f"项目{p}", rows))
    return [doc("synthetic.txt", "合成部门", tables)]


def _grouping(tpls: Sequence[templates_mod.Template]) -> set[frozenset[tuple[int, int]]]:
    return {frozenset((m.table, m.index) for m in t.members) for t in tpls}


def test_lsh_path_finds_the_same_templates_as_the_pairwise_path(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _synthetic_docs(150)
    pairwise = generate_templates(docs, method="fuzzy")
    assert any(len(t.variants) > 1 for t in pairwise), "the synthetic list must contain near-duplicates"

    def no_pairwise(*_: object) -> None:
        raise AssertionError("the pairwise path ran although the key count is above lsh_above")

    monkeypatch.setattr(templates_mod, "_rapidfuzz_pairs", no_pairwise)
    via_lsh = generate_templates(docs, method="auto", lsh_above=10)
    assert _grouping(via_lsh) == _grouping(pairwise)


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.7, 0.9])
def test_pairwise_path_finds_exactly_the_pairs_above_the_ngram_jaccard(threshold: float) -> None:
    rng = random.Random(int(threshold * 10))
    pool = "医疗保障基金监管参保率满意度结算救助"
    bases = ["".join(rng.choices(pool, k=rng.randint(4, 14))) for _ in range(100)]
    # each base with one-character edits: pairs at every level of similarity
    edits = [
        b[:k] + rng.choice(pool) + b[k + rng.randint(0, 1) :] for b in bases for k in range(0, len(b), 3)
    ]
    keys = sorted(set(bases + edits))
    grams = [char_ngrams(k) for k in keys]
    found = set(templates_mod._rapidfuzz_pairs(grams, ["block"] * len(keys), threshold))
    expected = {
        (i, j)
        for i in range(len(keys))
        for j in range(i + 1, len(keys))
        if ngram_jaccard(grams[i], grams[j]) >= threshold
    }
    # rapidfuzz scores the sets' Dice coefficient itself, so its pairs are exactly the Jaccard ones
    assert expected and found == expected


def test_lsh_path_keeps_other_metrics_of_one_subject_apart() -> None:
    tables = [
        table("p", [row("困难群众医保参保工作完成率")]),
        table("q", [row("困难群众医保参保工作覆盖率")]),
    ]
    assert len(generate_templates([doc("a.txt", "甲", tables)], method="lsh")) == 2


# --- the reuse graph and its analyses ------------------------------------------------------------


def test_reuse_graph_is_bipartite_between_projects_and_templates() -> None:
    g = generate_reuse_graph(generate_templates([_county(), _city()]))
    kinds = dict(g.nodes(data="kind"))
    for a, b in g.edges():
        assert {kinds[a], kinds[b]} in ({"project", "template"}, {"department", "project"})
    assert sum(1 for k in kinds.values() if k == "department") == 2
    assert sum(1 for k in kinds.values() if k == "project") == 7


def test_templates_rank_by_projects_then_departments() -> None:
    ranks = rank_templates(generate_reuse_graph(generate_templates([_county(), _city()])))
    assert ranks[0].label == "受助人员满意度"
    assert (ranks[0].projects, ranks[0].departments) == (5, 2)
    assert [r.projects for r in ranks] == sorted((r.projects for r in ranks), reverse=True)
    assert all(r.projects >= 2 for r in ranks)


def test_exact_copies_form_an_identical_set() -> None:
    g = generate_reuse_graph(generate_templates([_county()]))
    [group] = identical_sets(g)
    assert group.identical
    assert sorted(group.labels) == ["救助资金丙", "救助资金乙", "救助资金甲"]


def test_projects_below_min_rows_are_not_compared() -> None:
    d = doc("a.txt", "甲", [table("p", [row("x1"), row("x2")]), table("q", [row("x1"), row("x2")])])
    g = generate_reuse_graph(generate_templates([d]))
    assert identical_sets(g) == []
    assert len(identical_sets(g, min_rows=2)) == 1


def test_near_identical_sets_pass_a_lower_threshold_only() -> None:
    base = [row("指标甲"), row("指标乙"), row("指标丙"), row("指标丁")]
    other = [*(dict(r) for r in base[:3]), row("指标戊")]
    g = generate_reuse_graph(generate_templates([doc("a.txt", "甲", [table("p", base), table("q", other)])]))
    assert identical_sets(g) == []  # 3 shared of 5 rows
    [pair] = similar_pairs(g, threshold=0.6)
    assert pair.jaccard == pytest.approx(0.6)
    [group] = identical_sets(g, threshold=0.6)
    assert not group.identical


def test_a_set_copied_into_many_projects_is_one_group_not_all_its_pairs() -> None:
    rows = _copied_rows()
    tables = [table(f"复制{i}", [dict(r) for r in rows]) for i in range(60)]
    tpls = generate_templates([doc("a.txt", "甲", tables)])
    copies = copied_sets(generate_reuse_graph(tpls))
    [group] = copies.groups
    assert group.identical and len(group.projects) == 60
    assert copies.pairs == []  # identical copies are the group's, not 1,770 pairs
    rdf = generate_reuse_triples(tpls, copies.pairs, copies.groups)
    assert len(set(rdf.subjects(RDF.type, JX.IndicatorSetGroup))) == 1
    assert len(set(rdf.objects(None, JX.groupMember))) == 60
    assert not set(rdf.subjects(RDF.type, JX.Similarity))


def test_near_identical_neighbours_are_at_most_k_per_set() -> None:
    shared = [row(f"共同指标{i}", f"≥{i}次") for i in range(20)]
    tables = [table(f"近似{p}", [*(dict(r) for r in shared), row(f"独有指标{p}")]) for p in range(40)]
    g = generate_reuse_graph(generate_templates([doc("a.txt", "甲", tables)]))
    copies = copied_sets(g, k=3)
    assert 20 <= len(copies.pairs) <= 3 * 40  # every set finds a neighbour; never all 780 pairs
    assert all(p.jaccard == pytest.approx(20 / 22) for p in copies.pairs)
    [group] = copies.groups
    assert len(group.projects) == 40 and not group.identical


def test_same_templates_with_other_values_match_only_without_values() -> None:
    rows_a = [row("救助人次", "≥200人"), row("结算率", "100%"), row("满意度", "≥98%")]
    rows_b = [row("救助人次", "≥300人"), row("结算率", "≥100%"), row("满意度", "≥95%")]
    g = generate_reuse_graph(
        generate_templates([doc("a.txt", "甲", [table("p", rows_a), table("q", rows_b)])])
    )
    assert identical_sets(g) == []
    assert len(identical_sets(g, by_value=False)) == 1


def test_communities_separate_projects_that_share_nothing() -> None:
    left = [table(f"左{i}", [row("左甲"), row("左乙"), row(f"左独{i}")]) for i in range(3)]
    right = [table(f"右{i}", [row("右甲"), row("右乙"), row(f"右独{i}")]) for i in range(3)]
    g = generate_reuse_graph(generate_templates([doc("a.txt", "甲", left + right)]))
    found = communities(g)
    as_labels = sorted(sorted(g.nodes[p]["label"] for p in c) for c in found)
    assert as_labels == [["右0", "右1", "右2"], ["左0", "左1", "左2"]]


def test_boilerplate_rows_are_those_in_most_projects_of_a_department() -> None:
    tables = [
        table("p1", [row("成本控制率", "≤100%"), row("甲")]),
        table("p2", [row("成本控制率", "≤100%"), row("乙")]),
        table("p3", [row("成本控制率", "100%"), row("甲")]),
        table("p4", [row("丙"), row("丁")]),
    ]
    g = generate_reuse_graph(generate_templates([doc("a.txt", "某局", tables)]))
    found = {(b.label, b.projects) for b in boilerplate_rows(g)}
    assert found == {("成本控制率", 3)}  # 甲 is in 2 of 4 projects: below 60 %
    assert {b.label for b in boilerplate_rows(g, by_value=True)} == set()  # values differ: 2 of 4 only
    assert {b.label for b in boilerplate_rows(g, share=0.5)} == {"成本控制率", "甲"}
    assert boilerplate_rows(g, min_projects=5) == []


# --- IRIs and write-back ------------------------------------------------------------------------


def test_document_iris_are_the_ones_kg_triples_mints() -> None:
    # two tables on one line and two rows on one line are the cases where kg.triples adds "~2"
    t1 = table("p", [row("x"), row("y")])
    t1["indicators"][1]["line"] = t1["indicators"][0]["line"]
    t2 = table("q", [row("z")])
    t2["line"] = t1["line"]
    t3 = {**table("某局", [row("w")], scope="department")}
    d = doc("dup.txt", "某局", [t1, t2, t3])
    g = generate_document_graph(d)
    iris = document_iris(d)
    assert iris is not None
    minted = {str(s) for s in g.subjects(RDF.type, JX.Indicator)}
    assert {i for rows in iris.indicators for i in rows} == minted
    assert set(iris.tables) == {str(s) for s in g.subjects(RDF.type, JX.PerformanceTargetTable)}
    assert {str(o) for o in g.objects(None, JX.about)} == set(iris.subjects)


def _run(graph_turtle: str, query: str) -> list[tuple[str, ...]]:
    store = ox.Store()
    store.load(graph_turtle.encode("utf-8"), ox.RdfFormat.TURTLE)
    return [tuple(t.value for t in r) for r in store.query(query)]


def test_reuse_triples_link_indicators_and_answer_sparql() -> None:
    docs = [_county(), _city()]
    tpls = generate_templates(docs)
    g = generate_reuse_graph(tpls)
    rdf = generate_reuse_triples(tpls, similar_pairs(g))
    assert str(rdf.identifier) == REUSE_GRAPH

    top = next(t for t in tpls if t.label == "受助人员满意度")
    node = template_iri(top)
    assert (node, RDF.type, JX.IndicatorTemplate) in rdf
    assert rdf.value(node, JX.projectCount) == Literal(5)
    assert rdf.value(node, JX.departmentCount) == Literal(2)
    linked = {str(s) for s in rdf.subjects(JX.template, node)}
    built = {str(s) for d in docs for s in generate_document_graph(d).subjects(RDF.type, JX.Indicator)}
    assert linked and linked <= built
    assert len(linked) == len(top.members)

    answer = _run(
        rdf.serialize(format="turtle"),
        f"""SELECT ?label ?n WHERE {{ ?t a <{JX.IndicatorTemplate}> ; <http://www.w3.org/2000/01/rdf-schema#label> ?label ;
              <{JX.projectCount}> ?n }} ORDER BY DESC(?n) LIMIT 1""",
    )
    assert answer == [("受助人员满意度", "5")]
    pairs = _run(
        rdf.serialize(format="turtle"),
        f"SELECT ?a ?b ?j WHERE {{ ?s a <{JX.Similarity}> ; <{JX.pairMember}> ?a, ?b ; <{JX.jaccard}> ?j FILTER(STR(?a) < STR(?b)) }}",
    )
    assert len(pairs) == 3 and {j for *_, j in pairs} == {"1"}
    projects = {URIRef(p) for a, b, _ in pairs for p in (a, b)}
    assert all((p, JX.similarTo, q) in rdf for p in projects for q in projects if p != q)


def test_single_row_templates_are_not_written_back_by_default() -> None:
    tpls = generate_templates([doc("a.txt", "甲", [table("p", [row("独有指标")])])])
    assert len(generate_reuse_triples(tpls)) == 0
    assert len(generate_reuse_triples(tpls, min_members=1)) > 0


def test_documents_read_back_from_a_store_give_the_same_analysis(tmp_path: Path) -> None:
    docs = [_county(), _city()]
    export = tmp_path / "export.json"
    export.write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
    build_store(tmp_path / "store", [export], read_document_export)
    back = read_store_documents(open_store(tmp_path / "store"))

    assert [d["source"] for d in back] == ["city.txt", "county.txt"]
    from_dicts = generate_reuse_graph(generate_templates(docs))
    from_store = generate_reuse_graph(generate_templates(back))
    assert rank_templates(from_store) == rank_templates(from_dicts)
    assert [g.labels for g in identical_sets(from_store)] == [g.labels for g in identical_sets(from_dicts)]
    built = {i["iri"] for d in back for t in d["tables"] for i in t["indicators"]}
    assert {m.iri for t in generate_templates(docs) for m in t.members} == built


def test_copied_sets_written_back_answer_the_named_queries(tmp_path: Path) -> None:
    export = tmp_path / "export.json"
    export.write_text(json.dumps([_county(), _city()], ensure_ascii=False), encoding="utf-8")
    build_store(tmp_path / "store", [export], read_document_export)
    store = open_store(tmp_path / "store")
    write_analysis(tmp_path / "store", analyse(read_store_documents(store)))
    result = run_query(open_store(tmp_path / "store"), load_query("copied_indicator_sets"))
    [group] = [dict(zip(result.variables, r, strict=True)) for r in result.rows]
    assert group["identical"].value == "true" and group["members"].value == "3"
    assert sorted(group["projects"].value.split(" | ")) == ["救助资金丙", "救助资金乙", "救助资金甲"]
    bigger = run_query(
        store,
        load_query("copied_indicator_sets"),
        {"minMembers": ox.Literal("4", datatype=_INTEGER)},
    )
    assert bigger.rows == []


# --- the command ---------------------------------------------------------------------------------


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "export.json"
    path.write_text(json.dumps([_county(), _city()], ensure_ascii=False), encoding="utf-8")
    return path


def test_analyse_command_prints_templates_and_identical_sets(export: Path) -> None:
    result = CliRunner().invoke(cli, ["analyse", str(export)])
    assert result.exit_code == 0, result.output
    assert "受助人员满意度" in result.output
    assert "[identical] 救助资金甲 | 救助资金乙 | 救助资金丙" in result.output


def test_analyse_command_json_and_triples(export: Path, tmp_path: Path) -> None:
    ttl = tmp_path / "reuse.ttl"
    result = CliRunner().invoke(cli, ["analyse", str(export), "--format", "json", "--triples", str(ttl)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["top_templates"][0]["label"] == "受助人员满意度"
    assert [len(g["projects"]) for g in report["identical_sets"]] == [3]
    assert "IndicatorTemplate" in ttl.read_text(encoding="utf-8")


def test_analyse_command_can_ignore_values(tmp_path: Path) -> None:
    rows_a = [row("救助人次", "≥200人"), row("结算率", "100%"), row("满意度", "≥98%")]
    rows_b = [row("救助人次", "≥300人"), row("结算率", "≥100%"), row("满意度", "≥95%")]
    path = tmp_path / "values.json"
    path.write_text(
        json.dumps(doc("v.txt", "甲", [table("p", rows_a), table("q", rows_b)]), ensure_ascii=False)
    )
    runs = [
        CliRunner().invoke(cli, ["analyse", str(path), "--format", "json", *flag])
        for flag in ([], ["--ignore-values"])
    ]
    assert [len(json.loads(r.stdout)["identical_sets"]) for r in runs] == [0, 1]


def test_analyse_command_wants_files_or_a_store(export: Path, tmp_path: Path) -> None:
    assert CliRunner().invoke(cli, ["analyse"]).exit_code == 2
    assert CliRunner().invoke(cli, ["analyse", str(export), "--store", str(tmp_path)]).exit_code == 2
    missing = CliRunner().invoke(cli, ["analyse", "--store", str(tmp_path / "nothing")])
    assert missing.exit_code == 1 and "no store" in missing.output


# --- the real disclosures ------------------------------------------------------------------------


@pytest.mark.seeds
def test_gold_document_002_has_identical_medical_assistance_tables(shared_dir: Path) -> None:
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((shared_dir / "gold").glob("*.json"))]
    g = generate_reuse_graph(generate_templates(docs))
    groups = [set(grp.labels) for grp in identical_sets(g) if grp.identical]
    assert any(sum("医疗救助补助资金" in label for label in labels) >= 3 for labels in groups)
    assert rank_templates(g, top=1)[0].projects >= 4


def test_documents_without_tables_analyse_to_nothing_rather_than_fail() -> None:
    from kg.analysis import analyse

    analysis = analyse([{"source": "empty.txt", "tables": []}])
    assert analysis.communities == [] and analysis.templates == [] and analysis.findings == []
