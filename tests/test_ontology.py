"""The ontology files, the checked namespaces and the canonical indicator framework."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import BNode, Literal, URIRef

from kg import vocab as v
from kg.framework import canonical_l1, canonical_l2, concept_label, dimension, normalise_label
from kg.vocab import JX, JXF, XKOS, read_ontology_file

KG = Path(__file__).resolve().parent.parent / "kg"


def _local(concept: URIRef | None) -> str | None:
    return None if concept is None else str(concept)[len(JXF.base) :]


@pytest.mark.parametrize("name", ["jixiao.ttl", "framework.ttl"])
def test_ontology_files_hold_no_blank_nodes_because_stores_load_them_as_they_are(name: str) -> None:
    graph = read_ontology_file(name)
    assert len(graph) > 50
    assert not [t for t in graph if any(isinstance(term, BNode) for term in t)]


def test_every_project_term_has_english_and_chinese_labels_and_a_comment() -> None:
    graph = read_ontology_file("jixiao.ttl")
    missing = []
    for term in JX:
        langs = {lbl.language for lbl in graph.objects(term, v.RDFS.label) if isinstance(lbl, Literal)}
        if not {"en", "zh"} <= langs or graph.value(term, v.RDFS.comment) is None:
            missing.append(str(term))
    assert not missing
    assert len(JX.terms) >= 60


@pytest.mark.parametrize(
    "term",
    ["Finding", "QualityRule", "rule", "ruleId", "severity", "message", "matchedTerm", "hasFinding",
     "IndicatorTemplate", "template", "reuseCount", "projectCount", "departmentCount", "similarTo",
     "jaccard", "unparsedLine", "Indicator", "PerformanceTargetTable", "Target", "Funding", "Document",
     "sourceLine", "l1Label", "l2Label", "l3Label", "l1Concept", "l2Concept", "valueText", "description",
     "annualGoal", "midtermGoal", "projectCode", "scope", "budgetYear", "contentHash", "comparator",
     "vague", "vagueTerm", "Midterm", "Annual", "suggestion", "secondaryRule", "coversPeriod"],
)  # fmt: skip
def test_terms_other_modules_rely_on_are_defined(term: str) -> None:
    assert JX[term] == URIRef("https://w3id.org/jixiao-kg/ontology#" + term)


def test_a_term_the_ontology_lacks_raises_attribute_error() -> None:
    with pytest.raises(AttributeError, match=r"not defined in ontology/jixiao\.ttl"):
        _ = JX.Indicatr
    with pytest.raises(AttributeError):
        _ = JXF.benefitt
    assert JX.Indicator in JX
    assert "Indicatr" not in JX


_PY_TERM = re.compile(r"\b(JXF?)\.([A-Za-z_]\w*)|\b(JXF?)\[\s*[\"'](\w+)[\"']\s*\]")
_RQ_TERM = re.compile(r"(?<![\w-])(jxf?):([A-Za-z_][\w]*)")
_NAMESPACE_API = {"base", "terms", "term"}


def test_code_and_queries_use_only_terms_the_ontology_defines() -> None:
    used: dict[str, set[str]] = {"JX": set(), "JXF": set()}
    files = [*KG.rglob("*.py"), *KG.rglob("*.rq")]
    for path in files:
        text = path.read_text(encoding="utf-8")
        for m in _PY_TERM.finditer(text):
            ns, name = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            if name not in _NAMESPACE_API:
                used[ns].add(name)
        for m in _RQ_TERM.finditer(text):
            used[m.group(1).upper()].add(m.group(2))
    assert "Indicator" in used["JX"] and "satisfaction" in used["JXF"]  # the scan does see terms
    assert sorted(used["JX"] - JX.terms) == []
    assert sorted(used["JXF"] - JXF.terms) == []


def test_ontology_reuses_standard_classes_for_projects_bodies_and_amounts() -> None:
    graph = read_ontology_file("jixiao.ttl")
    assert (JX.Funding, v.RDFS.subClassOf, URIRef("http://purl.org/linked-data/cube#Observation")) in graph
    assert (JX.Document, v.RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Entity")) in graph
    assert (JX.Midterm, v.RDF.type, JX.Period) in graph and (JX.Annual, v.RDF.type, JX.Period) in graph
    assert (JX.similarTo, v.RDF.type, v.OWL.SymmetricProperty) in graph


# --- the framework ---------------------------------------------------------------


def test_framework_has_two_xkos_levels_listing_every_concept_once() -> None:
    graph = read_ontology_file("framework.ttl")
    depths = {
        int(graph.value(level, XKOS.depth)): level
        for level in graph.subjects(v.RDF.type, XKOS.ClassificationLevel)
    }
    assert sorted(depths) == [1, 2]
    members = [c for level in depths.values() for c in graph.objects(level, v.SKOS.member)]
    concepts = set(graph.subjects(v.RDF.type, v.SKOS.Concept))
    assert sorted(members) == sorted(concepts)
    for concept in graph.objects(depths[2], v.SKOS.member):
        parent = graph.value(concept, v.SKOS.broader)
        assert (depths[1], v.SKOS.member, parent) in graph
        assert (parent, v.SKOS.narrower, concept) in graph


def test_every_label_in_the_framework_file_maps_back_to_its_concept() -> None:
    # the code holds no table of its own: whatever framework.ttl spells, canonical_* finds
    graph = read_ontology_file("framework.ttl")
    level1 = set(graph.objects(JXF.level1, v.SKOS.member))
    checked = 0
    for concept in graph.subjects(v.RDF.type, v.SKOS.Concept):
        for prop in (v.SKOS.prefLabel, v.SKOS.altLabel):
            for label in graph.objects(concept, prop):
                if label.language != "zh":
                    continue
                if concept in level1:
                    assert canonical_l1(str(label)) == concept, label
                else:
                    assert canonical_l2(str(label), graph.value(concept, v.SKOS.broader)) == concept, label
                checked += 1
    assert checked > 40


@pytest.mark.parametrize(
    ("written", "concept"),
    [
        ("产出指标", "output"),
        ("效果指标", "benefit"),
        ("效益指标", "benefit"),
        ("满意度指标", "satisfaction"),
        ("成本指标", "cost"),
        ("产出指标（预期提供的公共产品或服务）", "output"),
        ("效益指标（用于示例的一段说明）", "benefit"),
        ("满意度指标(半角括号说明)", "satisfaction"),
        (" 产出 指标 ", "output"),
        ("二级指标", None),
        ("", None),
        (None, None),
    ],
)
def test_level1_labels_as_written_map_to_canonical_concepts(written: str | None, concept: str | None) -> None:
    assert _local(canonical_l1(written)) == concept


@pytest.mark.parametrize(
    ("l2", "l1", "concept"),
    [
        ("质量目标", "产出指标", "outputQuality"),
        ("质量指标", "产出指标（预期提供的公共产品或服务）", "outputQuality"),
        ("经济效益", "效益指标", "benefitEconomic"),
        ("社会效益", "效果指标", "benefitSocial"),
        ("生态效益", "效益指标", "benefitEcological"),
        ("可持续发展影响指标", "效益指标（预期实现的效益和效率）", "benefitSustainable"),
        # Guangdong/Shenzhen: satisfaction is a level-2 under benefit; MoF: under its own level-1
        ("满意度指标", "效益指标", "benefitSatisfaction"),
        ("满意度指标", "满意度指标", "satisfactionRecipient"),
        ("服务对象满意度指标", "满意度指标", "satisfactionRecipient"),
        # 88号 puts cost under output; 2021 makes it a level-1 with three level-2s
        ("成本指标", "产出指标", "outputCost"),
        ("经济成本指标", "成本指标", "costEconomic"),
        ("社会成本", "成本指标", "costSocial"),
        ("生态环境成本指标", "成本指标", "costEcological"),
        # a misfiled row keeps an unambiguous level-2 meaning
        ("社会效益指标", "产出指标", "benefitSocial"),
        # ambiguous without a deciding level-1
        ("满意度指标", None, None),
        ("满意度指标", "产出指标", None),
        ("不存在的指标", "产出指标", None),
    ],
)
def test_level2_labels_are_read_in_the_context_of_their_level1(
    l2: str, l1: str | None, concept: str | None
) -> None:
    assert _local(canonical_l2(l2, l1)) == concept


def test_level2_accepts_the_level1_concept_instead_of_its_label() -> None:
    assert canonical_l2("满意度指标", JXF.benefit) == JXF.benefitSatisfaction


@pytest.mark.parametrize(
    ("l1", "l2", "expected"),
    [
        ("效益指标", "满意度指标", "satisfaction"),  # Guangdong/Shenzhen: satisfaction under benefit
        ("满意度指标", "服务对象满意度指标", "satisfaction"),
        ("产出指标", "成本指标", "cost"),  # 88号: cost under output
        ("成本指标", "社会成本指标", "cost"),
        ("效果指标", "社会效益", "benefit"),
        ("产出指标", "质量目标", "output"),
        ("产出指标", None, "output"),
        (None, "可持续影响指标", "benefit"),
        ("其他", "其他", None),
    ],
)
def test_dimension_places_a_row_in_the_2021_framework_whatever_its_layout(
    l1: str | None, l2: str | None, expected: str | None
) -> None:
    c1 = canonical_l1(l1)
    assert _local(dimension(c1, canonical_l2(l2, c1 if c1 is not None else l1))) == expected


def test_normalise_label_strips_nested_notes_and_width_but_not_the_label() -> None:
    assert normalise_label("产出指标（说明）(注)") == "产出指标"
    assert normalise_label("（全括号）") == "(全括号)"
    assert normalise_label("ＡＢＣ指标") == "ABC指标"


def test_concept_label_gives_the_chinese_preferred_label() -> None:
    assert concept_label(JXF.benefitSustainable) == "可持续影响指标"
    with pytest.raises(KeyError):
        concept_label(URIRef("https://example.org/x"))


@pytest.mark.seeds
def test_every_l1_and_l2_spelling_in_the_gold_annotations_maps(shared_dir: Path) -> None:
    framework = read_ontology_file("framework.ttl")
    unmapped = set()
    pairs = 0
    for path in sorted((shared_dir / "gold").glob("*.json")):
        for table in json.loads(path.read_text(encoding="utf-8"))["tables"]:
            for row in table["indicators"]:
                l1 = canonical_l1(row["l1"])
                l2 = canonical_l2(row["l2"], l1)
                pairs += 1
                if l1 is None or l2 is None:
                    unmapped.add((row["l1"], row["l2"]))
                elif framework.value(l2, v.SKOS.broader) != l1:
                    unmapped.add((row["l1"], row["l2"], "misfiled"))
    assert pairs > 500
    assert unmapped == set()
