"""Template reuse: which indicator rows are copies of one another, and where they were copied.

``generate_templates(docs)`` groups indicator rows into templates; ``generate_reuse_graph(templates)``
builds the NetworkX graph the analyses read; ``generate_reuse_triples`` writes the results into RDF.
"""

from kg.iris import DocumentIris, document_iris
from kg.reuse.graph import (
    BoilerplateRow,
    SimilarGroup,
    SimilarPair,
    TemplateRank,
    boilerplate_rows,
    communities,
    generate_reuse_graph,
    identical_sets,
    rank_templates,
    similar_pairs,
)
from kg.reuse.labels import normalise_label, normalise_value
from kg.reuse.templates import IndicatorRef, Template, generate_templates, iter_indicators, project_key
from kg.reuse.triples import REUSE_GRAPH, generate_reuse_triples, template_iri

__all__ = [
    "REUSE_GRAPH",
    "BoilerplateRow",
    "DocumentIris",
    "IndicatorRef",
    "SimilarGroup",
    "SimilarPair",
    "Template",
    "TemplateRank",
    "boilerplate_rows",
    "communities",
    "document_iris",
    "generate_reuse_graph",
    "generate_reuse_triples",
    "generate_templates",
    "identical_sets",
    "iter_indicators",
    "normalise_label",
    "normalise_value",
    "project_key",
    "rank_templates",
    "similar_pairs",
    "template_iri",
]
