"""Namespaces, with the project's own checked against the ontology files.

``JX.Indicator`` works because ``ontology/jixiao.ttl`` defines ``jx:Indicator``;
a misspelt term raises ``AttributeError``, so a typo fails where it is written
rather than as an empty query result.  ``JXF`` does the same for the framework
concepts in ``ontology/framework.ttl``.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, QB, RDF, RDFS, SH, SKOS, XSD

from ontology import ONTOLOGY_DIR

__all__ = [
    "DCTERMS",
    "FOAF",
    "GRAPH",
    "ID",
    "JX",
    "JXF",
    "OBEU_ATTRIBUTE",
    "OBEU_CURRENCY",
    "OBEU_DIMENSION",
    "OBEU_MEASURE",
    "ONTOLOGY_DIR",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "QB",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SH",
    "SKOS",
    "XKOS",
    "XSD",
    "OntologyNamespace",
    "read_ontology_file",
]


@cache
def _parsed(name: str) -> Graph:
    return Graph().parse(ONTOLOGY_DIR / name, format="turtle")


def read_ontology_file(name: str) -> Graph:
    """A fresh graph holding ``ontology/<name>`` (``jixiao.ttl``, ``framework.ttl``, ``shapes.ttl``)."""
    graph = Graph()
    for prefix, ns in _parsed(name).namespaces():
        graph.bind(prefix, ns, override=True)
    for triple in _parsed(name):
        graph.add(triple)
    return graph


class OntologyNamespace:
    """A namespace whose terms are the subjects an ontology file defines in it."""

    def __init__(self, base: str, filename: str) -> None:
        self._base = base
        self._filename = filename

    @property
    def base(self) -> str:
        return self._base

    @property
    def terms(self) -> frozenset[str]:
        return _terms(self._base, self._filename)

    def term(self, name: str) -> URIRef:
        if name not in self.terms:
            raise AttributeError(f"{self._base}{name} is not defined in ontology/{self._filename}")
        return URIRef(self._base + name)

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("_"):
            raise AttributeError(name)
        return self.term(name)

    def __getitem__(self, name: str) -> URIRef:
        return self.term(name)

    def __contains__(self, item: object) -> bool:
        name = item[len(self._base) :] if isinstance(item, str) and item.startswith(self._base) else item
        return name in self.terms

    def __iter__(self) -> Iterator[URIRef]:
        return iter(URIRef(self._base + t) for t in sorted(self.terms))

    def __repr__(self) -> str:
        return f"OntologyNamespace({self._base!r}, {self._filename!r})"


@cache
def _terms(base: str, filename: str) -> frozenset[str]:
    return frozenset(
        str(s)[len(base) :]
        for s in _parsed(filename).subjects()
        if isinstance(s, URIRef) and str(s).startswith(base)
    )


JX = OntologyNamespace("https://w3id.org/jixiao-kg/ontology#", "jixiao.ttl")
JXF = OntologyNamespace("https://w3id.org/jixiao-kg/framework/", "framework.ttl")
# instance data and named graphs: open namespaces, their IRIs are built by kg.triples
ID = Namespace("https://w3id.org/jixiao-kg/id/")
GRAPH = Namespace("https://w3id.org/jixiao-kg/graph/")

SCHEMA = Namespace("https://schema.org/")
XKOS = Namespace("http://rdf-vocabulary.ddialliance.org/xkos#")
OBEU_MEASURE = Namespace("http://data.openbudgets.eu/ontology/dsd/measure/")
OBEU_DIMENSION = Namespace("http://data.openbudgets.eu/ontology/dsd/dimension/")
OBEU_ATTRIBUTE = Namespace("http://data.openbudgets.eu/ontology/dsd/attribute/")
OBEU_CURRENCY = Namespace("http://data.openbudgets.eu/codelist/currency/")

# prefix -> namespace IRI, for binding graphs and for SPARQL engines that accept default prefixes
PREFIXES: dict[str, str] = {
    "jx": JX.base,
    "jxf": JXF.base,
    "id": str(ID),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "xkos": str(XKOS),
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "org": str(ORG),
    "prov": str(PROV),
    "qb": str(QB),
    "schema": str(SCHEMA),
    "sh": str(SH),
    "obeu-measure": str(OBEU_MEASURE),
    "obeu-dimension": str(OBEU_DIMENSION),
    "obeu-attribute": str(OBEU_ATTRIBUTE),
    "obeu-currency": str(OBEU_CURRENCY),
}
