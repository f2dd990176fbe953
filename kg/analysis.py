"""Every analysis of a set of document records, in one pass: quality findings, template reuse, and
outcomes (targets checked against what was achieved, targets carried over from an earlier year).

``analyse(docs)`` is pure (records in, results out); ``generate_analysis_graphs`` turns the
results into the named graphs written back into the store, so that SPARQL can count findings
and templates; ``write_analysis`` is the I/O edge that puts them there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import pyoxigraph as ox
import rdflib

from kg.findings import generate_findings_graph, generate_stored_findings, run_rules
from kg.outcomes import (
    OUTCOMES_GRAPH,
    Outcomes,
    YearComparison,
    generate_outcome_triples,
    generate_outcomes,
    generate_year_comparisons,
)
from kg.reuse import (
    REUSE_GRAPH,
    BoilerplateRow,
    SimilarGroup,
    SimilarPair,
    Template,
    TemplateRank,
    boilerplate_rows,
    communities,
    copied_sets,
    generate_reuse_graph,
    generate_reuse_triples,
    generate_templates,
    rank_templates,
)
from kg.rules import Finding
from kg.vocab import GRAPH

if TYPE_CHECKING:
    pass

__all__ = [
    "FINDINGS_GRAPH",
    "OUTCOMES_GRAPH",
    "REUSE_GRAPH",
    "Analysis",
    "AnalysisOptions",
    "analyse",
    "generate_analysis_graphs",
    "read_stored_findings",
    "write_analysis",
]

FINDINGS_GRAPH = str(GRAPH["analysis/findings"])


@dataclass(frozen=True)
class AnalysisOptions:
    label_threshold: float = 0.7  # kg.reuse.canonical.label_similarity for two labels to be one template
    set_threshold: float = 0.8  # Jaccard of (template, value) pairs for near-identical projects
    neighbours: int = 5  # near-identical projects kept per distinct indicator set (output stays linear)
    min_rows: int = 3
    compare_values: bool = True
    boilerplate_share: float = 0.6
    rule_config: Mapping[str, Any] | str | None = None


@dataclass
class Analysis:
    docs: list[dict[str, Any]]
    findings: list[Finding]
    templates: list[Template]
    graph: nx.Graph
    ranks: list[TemplateRank]
    identical: list[SimilarGroup]  # identical sets as groups, joined by near-identical neighbours
    pairs: list[SimilarPair]  # near-identical neighbours: at most options.neighbours per distinct set
    communities: list[frozenset[str]]
    boilerplate: list[BoilerplateRow]
    outcomes: Outcomes  # self-evaluation rows judged (met, missed …), summed per project and department
    years: list[YearComparison]  # tables beside the same project's/department's of an earlier year
    options: AnalysisOptions = field(default_factory=AnalysisOptions)


def analyse(
    docs: Sequence[Mapping[str, Any]],
    options: AnalysisOptions | None = None,
    *,
    findings: Sequence[Finding] | None = None,
) -> Analysis:
    """Both analyses of ``docs``; given ``findings`` (read back from a store), the rules do not rerun."""
    opts = options or AnalysisOptions()
    records = [dict(d) for d in docs]
    templates = generate_templates(records, threshold=opts.label_threshold)
    g = generate_reuse_graph(templates)
    copies = copied_sets(
        g,
        k=opts.neighbours,
        threshold=opts.set_threshold,
        min_rows=opts.min_rows,
        by_value=opts.compare_values,
    )
    return Analysis(
        docs=records,
        findings=list(findings) if findings is not None else run_rules(records, opts.rule_config),
        templates=templates,
        graph=g,
        ranks=rank_templates(g),
        identical=copies.groups,
        pairs=copies.pairs,
        communities=communities(g),
        boilerplate=boilerplate_rows(g, share=opts.boilerplate_share),
        outcomes=generate_outcomes(records),
        years=generate_year_comparisons(records),
        options=opts,
    )


def generate_analysis_graphs(analysis: Analysis) -> dict[str, rdflib.Graph]:
    """Named graph IRI → its triples; each is replaced whole whenever the analysis reruns."""
    return {
        FINDINGS_GRAPH: generate_findings_graph(analysis.findings),
        REUSE_GRAPH: generate_reuse_triples(analysis.templates, analysis.pairs, analysis.identical),
        OUTCOMES_GRAPH: generate_outcome_triples(analysis.outcomes.rows, analysis.years),
    }


def write_analysis(store_dir: Path | str, analysis: Analysis, *, derived_from: str | None = None) -> int:
    """Replace the analysis graphs in the store (atomically); returns the triples written.

    Each analysis graph is recorded with the digest of the documents it was computed from
    (``jx:inputDigest``, :func:`kg.store.documents_digest`): ``derived_from`` when the caller
    read the documents under the build lock (``kg.freshness``), which also refuses the write
    should they have changed meanwhile; else the store's documents as they are now.  Where the
    digest no longer matches, the analyses are stale (:func:`read_stored_findings` gives None,
    and the commands that read them rerun them).
    """
    from kg.store import documents_digest, open_store, read_documents, replace_graphs

    graphs = generate_analysis_graphs(analysis)
    if derived_from is None:
        derived_from = documents_digest(read_documents(open_store(store_dir)).values())
    replace_graphs(store_dir, graphs, derived_from=derived_from)
    return sum(len(g) for g in graphs.values())


def read_stored_findings(store: ox.Store, docs: Sequence[Mapping[str, Any]]) -> list[Finding] | None:
    """The findings the last analysis wrote into ``store``, placed in ``docs`` (read back from it);
    None when no analysis was written, or the documents changed since (``kg build --no-analyse``)."""
    from kg.reuse.store import read_store_findings
    from kg.store import derived_digests, documents_digest, read_documents

    if derived_digests(store).get(FINDINGS_GRAPH) != documents_digest(read_documents(store).values()):
        return None
    return generate_stored_findings(read_store_findings(store), docs)
