"""Template reuse: which indicator rows are copies of one another, and where they were copied.

``generate_templates(docs)`` groups indicator rows into templates (labels read as subject + metric,
``kg.reuse.canonical``); ``generate_reuse_graph(templates)`` builds the NetworkX graph the analyses
read; ``kg.reuse.sets`` finds copied indicator sets in bounded output (groups, top-k neighbours);
``generate_reuse_triples`` writes the results into RDF.
"""

from kg.iris import DocumentIris, document_iris
from kg.reuse.canonical import LabelKey, canonical_label, label_similarity
from kg.reuse.graph import (
    BoilerplateRow,
    TemplateRank,
    boilerplate_rows,
    generate_reuse_graph,
    rank_templates,
)
from kg.reuse.labels import normalise_label, normalise_value
from kg.reuse.sets import (
    CopiedSets,
    SimilarGroup,
    SimilarPair,
    communities,
    copied_sets,
    identical_sets,
    nearest_projects,
    project_rows,
    similar_pairs,
)
from kg.reuse.templates import IndicatorRef, Template, generate_templates, iter_indicators, project_key
from kg.reuse.triples import REUSE_GRAPH, generate_reuse_triples, template_iri

__all__ = [
    "REUSE_GRAPH",
    "BoilerplateRow",
    "CopiedSets",
    "DocumentIris",
    "IndicatorRef",
    "LabelKey",
    "SimilarGroup",
    "SimilarPair",
    "Template",
    "TemplateRank",
    "boilerplate_rows",
    "canonical_label",
    "communities",
    "copied_sets",
    "document_iris",
    "generate_reuse_graph",
    "generate_reuse_triples",
    "generate_templates",
    "identical_sets",
    "iter_indicators",
    "label_similarity",
    "nearest_projects",
    "normalise_label",
    "normalise_value",
    "project_key",
    "project_rows",
    "rank_templates",
    "similar_pairs",
    "template_iri",
]
