"""Records → RDF: one document record becomes the triples of one named graph.

IRIs are built from the source file's stem, the table's line, and the row's line
(plus period), so building twice gives the same graph and a document can be
replaced in a store without touching another.  No blank nodes.  Every table,
project, indicator, target, funding amount and unparsed line says where it comes
from: ``prov:wasDerivedFrom`` the document and ``jx:sourceLine``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from kg.framework import canonical_l1, canonical_l2, dimension
from kg.iris import Minter, document_slug, indicator_path, org_iri, project_path, table_path
from kg.vocab import (
    DCTERMS,
    FOAF,
    GRAPH,
    ID,
    JX,
    OBEU_ATTRIBUTE,
    OBEU_CURRENCY,
    OBEU_DIMENSION,
    OBEU_MEASURE,
    ORG,
    PREFIXES,
    PROV,
    QB,
    RDF,
    RDFS,
    SCHEMA,
    XSD,
    read_ontology_file,
)

__all__ = [
    "FRAMEWORK_GRAPH_IRI",
    "document_graph_iri",
    "document_iri",
    "generate_dataset",
    "generate_document_graph",
    "generate_framework_graph",
]

FRAMEWORK_GRAPH_IRI = str(GRAPH["framework"])

Doc = Mapping[str, Any]

_FUNDING_KINDS = (
    ("annual_total", "annual-total", "AnnualTotal"),
    ("annual_fiscal", "annual-fiscal", "AnnualFiscal"),
    ("midterm_total", "midterm-total", "MidtermTotal"),
)
_PERIODS = {"midterm": "Midterm", "annual": "Annual"}
_SCOPES = {"project": "ProjectScope", "department": "DepartmentScope"}
_KINDS = {"target": "TargetTable", "self_evaluation": "SelfEvaluationTable"}
_COMPARATORS = {
    "≥": "AtLeast", ">=": "AtLeast", "=>": "AtLeast", "不低于": "AtLeast", "不少于": "AtLeast", "以上": "AtLeast",
    ">": "MoreThan", "高于": "MoreThan", "大于": "MoreThan", "超过": "MoreThan",
    "≤": "AtMost", "<=": "AtMost", "=<": "AtMost", "不高于": "AtMost", "不超过": "AtMost", "以下": "AtMost", "以内": "AtMost",
    "<": "LessThan", "低于": "LessThan", "小于": "LessThan",
    "=": "EqualTo", "==": "EqualTo", "等于": "EqualTo",
    "≈": "About", "~": "About", "约": "About", "左右": "About",
    "-": "Between", "–": "Between", "—": "Between", "至": "Between", "range": "Between", "between": "Between",
}  # fmt: skip
_LOWER_BOUND = {"AtLeast", "MoreThan"}
_UPPER_BOUND = {"AtMost", "LessThan"}


def _slug(doc: Doc) -> str:
    slug = document_slug(doc)
    if slug is None:
        raise ValueError("a document record needs its 'source' file name to name its graph")
    return slug


def document_graph_iri(doc: Doc) -> str:
    """IRI of the named graph holding one document's triples (from its source file's stem)."""
    return str(GRAPH[f"doc/{_slug(doc)}"])


def document_iri(doc: Doc) -> str:
    """IRI of the jx:Document resource itself (where jx:contentHash sits)."""
    return str(ID[f"doc/{_slug(doc)}"])


def _org(name: str) -> URIRef:
    return URIRef(org_iri(name) or "")


def _local(node: URIRef) -> str:
    return node[len(ID) :]


def _decimal(value: float | int | str | Decimal) -> Literal:
    number = Decimal(str(value))
    return Literal(format(number, "f"), datatype=XSD.decimal)


def _line(value: Any) -> Literal:
    return Literal(int(value), datatype=XSD.integer)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MONTH = re.compile(r"\d{4}-\d{2}")
_ISO_YEAR = re.compile(r"\d{4}")


def _date(text: str) -> Literal:
    for pattern, datatype in ((_ISO_DATE, XSD.date), (_ISO_MONTH, XSD.gYearMonth), (_ISO_YEAR, XSD.gYear)):
        if pattern.fullmatch(text):
            return Literal(text, datatype=datatype)
    return Literal(text)


class _Builder:
    """Accumulates one document's triples; keeps IRIs unique when two rows share a line."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.slug = _slug(doc)
        self.graph = Graph(identifier=URIRef(document_graph_iri(doc)))
        for prefix, ns in PREFIXES.items():
            self.graph.bind(prefix, ns, override=True)
        self.doc_node = URIRef(document_iri(doc))
        self._mint = Minter()

    def mint(self, path: str) -> URIRef:
        return ID[self._mint(path)]

    def add(self, s: Node, p: URIRef, o: Node | None) -> None:
        if o is not None:
            self.graph.add((s, p, o))

    def text(self, s: Node, p: URIRef, value: Any) -> None:
        if value is not None and str(value) != "":
            self.graph.add((s, p, Literal(str(value))))

    def provenance(self, node: URIRef, line: Any, page: Any = None) -> None:
        self.graph.add((node, PROV.wasDerivedFrom, self.doc_node))
        if line:
            self.graph.add((node, JX.sourceLine, _line(line)))
        if page:
            self.graph.add((node, JX.sourcePage, _line(page)))

    def organization(self, name: str | None) -> URIRef | None:
        if not name or not name.strip():
            return None
        node = _org(name)
        self.graph.add((node, RDF.type, ORG.Organization))
        self.graph.add((node, RDFS.label, Literal(name.strip())))
        return node

    def build(self) -> Graph:
        doc, node = self.doc, self.doc_node
        department = self.organization(doc.get("department"))
        self.add(node, RDF.type, JX.Document)
        self.text(node, DCTERMS.source, doc.get("source"))
        self.text(node, RDFS.label, doc.get("source"))
        self.add(node, DCTERMS.identifier, Literal(str(PurePosixPath(str(doc["source"])).with_suffix(""))))
        self.add(node, DCTERMS.publisher, department)
        year = doc.get("budget_year")
        if year is not None:
            self.add(node, JX.budgetYear, Literal(int(year), datatype=XSD.integer))
        self.text(node, JX.contentHash, doc.get("sha256"))
        for table in doc.get("tables") or []:
            self.table(table, department)
        return self.graph

    def table(self, table: Mapping[str, Any], department: URIRef | None) -> None:
        line = table.get("line") or 0
        node = self.mint(table_path(self.slug, line))
        g = self.graph
        g.add((node, RDF.type, JX.PerformanceTargetTable))
        g.add((node, DCTERMS.isPartOf, self.doc_node))
        self.provenance(node, line, table.get("page"))
        kind = table.get("kind") or "target"
        if kind not in _KINDS:
            raise ValueError(f"table at line {line}: unknown kind {kind!r}")
        g.add((node, JX.tableKind, JX[_KINDS[kind]]))
        scope = table.get("scope") or "project"
        if scope not in _SCOPES:
            raise ValueError(f"table at line {line}: unknown scope {scope!r}")
        g.add((node, JX.scope, JX[_SCOPES[scope]]))
        self.text(node, DCTERMS.title, table.get("title"))
        self.text(node, JX.layout, table.get("layout"))
        if table.get("columns"):
            self.text(node, JX.columnCaptions, "\t".join(table["columns"]))
        if table.get("end_line"):
            g.add((node, JX.endLine, Literal(int(table["end_line"]), datatype=XSD.integer)))
        self.text(node, JX.annualGoal, table.get("annual_goal"))
        self.text(node, JX.midtermGoal, table.get("midterm_goal"))
        self.add(node, JX.department, department)

        if scope == "department":
            subject = self.organization(table.get("name")) or department
        else:
            subject = self.mint(project_path(self.slug, line))
            g.add((subject, RDF.type, FOAF.Project))
            self.text(subject, RDFS.label, table.get("name"))
            self.text(subject, JX.projectCode, table.get("project_code"))
            self.add(subject, JX.department, department)
            self.add(subject, JX.implementingUnit, self.organization(table.get("implementing_unit")))
            self.provenance(subject, line)
        self.add(node, JX.about, subject)

        self.funding(node, subject, table.get("funding") or {}, line)
        for indicator in table.get("indicators") or []:
            self.indicator(node, indicator)
        for unparsed in table.get("unparsed") or []:
            self.unparsed(node, unparsed)

    def funding(self, table: URIRef, subject: URIRef | None, funding: Mapping[str, Any], line: Any) -> None:
        amounts = [(key, slug, kind) for key, slug, kind in _FUNDING_KINDS if funding.get(key) is not None]
        if not amounts:
            return
        g = self.graph
        dataset = ID[f"doc/{self.slug}/funding"]
        g.add((dataset, RDF.type, QB.DataSet))
        g.add((dataset, QB.structure, JX.FundingStructure))
        g.add((dataset, PROV.wasDerivedFrom, self.doc_node))
        year = self.doc.get("budget_year")
        for key, slug, kind in amounts:
            obs = self.mint(f"{_local(table)}/funding/{slug}")
            wan = Decimal(str(funding[key]))
            g.add((obs, RDF.type, JX.Funding))
            g.add((obs, RDF.type, QB.Observation))
            g.add((obs, QB.dataSet, dataset))
            g.add((table, JX.hasFunding, obs))
            self.add(obs, JX.fundingOf, subject)
            g.add((obs, JX.fundingKind, JX[kind]))
            g.add((obs, JX.amountWan, _decimal(wan)))
            g.add((obs, OBEU_MEASURE.amount, _decimal(wan * 10000)))
            g.add((obs, OBEU_ATTRIBUTE.currency, OBEU_CURRENCY.CNY))
            if year is not None:
                g.add((obs, OBEU_DIMENSION.fiscalYear, Literal(str(int(year)), datatype=XSD.gYear)))
            self.text(obs, JX.fundingSource, funding.get("source"))
            self.provenance(obs, line)

    def indicator(self, table: URIRef, row: Mapping[str, Any]) -> None:
        g = self.graph
        line = row.get("line") or 0
        period = row.get("period")
        node = self.mint(indicator_path(_local(table), line, period))
        g.add((node, RDF.type, JX.Indicator))
        g.add((table, JX.hasIndicator, node))
        self.provenance(node, line, row.get("page"))
        l1, l2, l3 = row.get("l1"), row.get("l2"), row.get("l3")
        self.text(node, JX.l1Label, l1)
        self.text(node, JX.l2Label, l2)
        self.text(node, JX.l3Label, l3)
        self.text(node, RDFS.label, l3)
        c1 = canonical_l1(l1)
        c2 = canonical_l2(l2, c1 if c1 is not None else l1)
        self.add(node, JX.l1Concept, c1)
        self.add(node, JX.l2Concept, c2)
        self.add(node, JX.dimension, dimension(c1, c2))
        self.text(node, JX.valueText, row.get("value"))
        self.text(node, JX.description, row.get("description"))
        self.text(node, JX.valueBasis, row.get("basis"))
        self.text(node, JX.actualText, row.get("actual"))
        self.text(node, JX.weightText, row.get("weight"))
        self.text(node, JX.scoreText, row.get("score"))
        if period:
            if period not in _PERIODS:
                raise ValueError(f"indicator at line {line}: unknown period {period!r}")
            g.add((node, JX.period, JX[_PERIODS[period]]))
        target = row.get("target")
        if target:
            self.target(node, target, line)

    def target(self, indicator: URIRef, target: Mapping[str, Any], line: Any) -> None:
        g = self.graph
        node = URIRef(f"{indicator}/target")
        g.add((indicator, JX.target, node))
        g.add((node, RDF.type, JX.Target))
        self.provenance(node, line)
        self.text(node, JX.targetKind, target.get("kind"))
        raw = target.get("comparator")
        comparator = _COMPARATORS.get(unicodedata.normalize("NFKC", raw).strip()) if raw else None
        if raw and comparator is None:
            self.text(node, JX.comparatorText, raw)
        number, number_max = target.get("number"), target.get("number_max")
        if number is not None and number_max is not None:
            comparator = "Between"
        if comparator:
            g.add((node, JX.comparator, JX[comparator]))
        if number is not None:
            g.add((node, RDF.type, SCHEMA.QuantitativeValue))
            if comparator == "Between":
                g.add((node, SCHEMA.minValue, _decimal(number)))
                self.add(node, SCHEMA.maxValue, None if number_max is None else _decimal(number_max))
            elif comparator in _LOWER_BOUND:
                g.add((node, SCHEMA.minValue, _decimal(number)))
            elif comparator in _UPPER_BOUND:
                g.add((node, SCHEMA.maxValue, _decimal(number)))
            else:
                g.add((node, SCHEMA.value, _decimal(number)))
        self.text(node, SCHEMA.unitText, target.get("unit"))
        if target.get("date"):
            g.add((node, JX.targetDate, _date(str(target["date"]))))
        g.add((node, JX.vague, Literal(bool(target.get("vague")))))
        for term in target.get("vague_terms") or []:
            self.text(node, JX.vagueTerm, term)

    def unparsed(self, table: URIRef, item: Mapping[str, Any]) -> None:
        line = item.get("line") or 0
        node = self.mint(f"{_local(table)}/unparsed/{line}")
        self.graph.add((table, JX.unparsedLine, node))
        self.graph.add((node, RDF.type, JX.UnparsedLine))
        self.text(node, RDF.value, item.get("text"))
        self.text(node, JX.reason, item.get("reason"))
        self.provenance(node, line, item.get("page"))


def generate_document_graph(doc: Doc) -> Graph:
    """The triples of one document record; the graph's identifier is its named-graph IRI."""
    return _Builder(doc).build()


def generate_framework_graph() -> Graph:
    """The ontology and the indicator framework, to live in their own named graph."""
    graph = Graph(identifier=URIRef(FRAMEWORK_GRAPH_IRI))
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    for name in ("jixiao.ttl", "framework.ttl"):
        for triple in read_ontology_file(name):
            graph.add(triple)
    return graph


def generate_dataset(docs: Iterable[Doc]) -> Dataset:
    """An in-memory rdflib Dataset: the framework graph plus one named graph per document."""
    dataset = Dataset()
    for prefix, ns in PREFIXES.items():
        dataset.bind(prefix, ns, override=True)
    for graph in (generate_framework_graph(), *(generate_document_graph(d) for d in docs)):
        named = dataset.graph(graph.identifier)
        for triple in graph:
            named.add(triple)
    return dataset
