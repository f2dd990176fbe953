"""Reuse results as RDF, so named SPARQL queries can rank templates and find copied projects.

Everything goes into one named graph (:data:`REUSE_GRAPH`), rebuilt whole by each analysis: template
concepts with their counts, ``jx:template`` links from the indicators ``kg.triples`` made, each group
of projects with copied indicator sets as one ``jx:IndicatorSetGroup`` (its members, not their pairs),
and for each near-identical neighbour pair a ``jx:Similarity`` with its Jaccard plus the symmetric
``jx:similarTo`` shortcut.  Its size is linear in the indicators, whatever is copied how often.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from decimal import Decimal

from rdflib import Graph, Literal, URIRef

from kg.reuse.sets import SimilarGroup, SimilarPair
from kg.reuse.templates import Template
from kg.vocab import GRAPH, ID, JX, PREFIXES, RDF, RDFS, SKOS, XSD

__all__ = ["REUSE_GRAPH", "generate_reuse_triples", "template_iri"]

REUSE_GRAPH = str(GRAPH["analysis/reuse"])


def template_iri(template: Template) -> URIRef:
    return ID[f"template/{template.id}"]


def _integer(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


def _digest(parts: Iterable[str]) -> str:
    return hashlib.sha1("\x1f".join(sorted(parts)).encode("utf-8")).hexdigest()[:16]


def _similarity_iri(a: str, b: str) -> URIRef:
    return ID[f"similarity/{_digest((a, b))}"]


def _project_subjects(templates: Iterable[Template]) -> Mapping[str, str]:
    # project node key -> the foaf:Project IRI the table is about (project tables only)
    subjects: dict[str, str] = {}
    for tpl in templates:
        for m in tpl.members:
            if m.scope == "project" and m.subject_iri:
                subjects[f"project:{m.project_key}"] = m.subject_iri
    return subjects


def _group_iri(members: Iterable[str]) -> URIRef:
    return ID[f"set-group/{_digest(members)}"]


def _decimal(value: float) -> Literal:
    return Literal(format(Decimal(str(value)), "f"), datatype=XSD.decimal)


def generate_reuse_triples(
    templates: Iterable[Template],
    pairs: Iterable[SimilarPair] = (),
    groups: Iterable[SimilarGroup] = (),
    *,
    min_members: int = 2,
) -> Graph:
    """The reuse graph: templates with at least ``min_members`` indicators, the groups, the similar pairs.

    Indicators and projects without an IRI (documents with no ``source``) are left out.
    """
    templates = list(templates)
    g = Graph(identifier=URIRef(REUSE_GRAPH))
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    instance_of = JX.template  # looked up once: one triple per indicator row
    for tpl in templates:
        if len(tpl.members) < min_members:
            continue
        node = template_iri(tpl)
        g.add((node, RDF.type, JX.IndicatorTemplate))
        g.add((node, RDFS.label, Literal(tpl.label)))
        for variant in tpl.variants[1:]:
            g.add((node, SKOS.altLabel, Literal(variant)))
        g.add((node, JX.reuseCount, _integer(len(tpl.members))))
        g.add((node, JX.projectCount, _integer(len(tpl.projects))))
        g.add((node, JX.departmentCount, _integer(len(tpl.departments))))
        for m in tpl.members:
            if m.iri:
                g.add((URIRef(m.iri), instance_of, node))
    subjects = _project_subjects(templates)
    for pair in pairs:
        a, b = subjects.get(pair.a), subjects.get(pair.b)
        if a is None or b is None:
            continue
        sim = _similarity_iri(a, b)
        g.add((sim, RDF.type, JX.Similarity))
        g.add((sim, JX.pairMember, URIRef(a)))
        g.add((sim, JX.pairMember, URIRef(b)))
        g.add((sim, JX.jaccard, _decimal(pair.jaccard)))
        # jx:similarTo is symmetric; both directions are stated so queries need no reasoner
        g.add((URIRef(a), JX.similarTo, URIRef(b)))
        g.add((URIRef(b), JX.similarTo, URIRef(a)))
    for group in groups:
        members = sorted({subjects[p] for p in group.projects if p in subjects})
        if len(members) < 2:
            continue
        node = _group_iri(members)
        g.add((node, RDF.type, JX.IndicatorSetGroup))
        g.add((node, JX.identicalSet, Literal(group.identical)))
        g.add((node, JX.minJaccard, _decimal(group.min_jaccard)))
        g.add((node, JX.memberCount, _integer(len(members))))
        for member in members:
            g.add((node, JX.groupMember, URIRef(member)))
    return g
