"""The stored graph checked against ``ontology/shapes.ttl`` (SHACL, with pyshacl).

What is validated is what ``kg build`` wrote: the store's named graphs, read back, each batch of
graphs together with the framework graph (which types the concepts the shapes refer to).  The
shapes only speak of one document at a time, so batching changes no verdict; it keeps memory
bounded on a large store.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib
from pyshacl import validate

from kg.store import FRAMEWORK_GRAPH, METADATA_GRAPH
from kg.vocab import SH, read_ontology_file

__all__ = ["ConformanceReport", "Problem", "validate_graph", "validate_store"]


@dataclass(frozen=True)
class Problem:
    severity: str  # "Violation" or "Warning"
    focus: str
    path: str
    message: str


@dataclass
class ConformanceReport:
    graphs: int = 0
    triples: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def violations(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "Violation"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "Warning"]

    @property
    def conforms(self) -> bool:
        return not self.violations


def validate_graph(data: rdflib.Graph, shapes: rdflib.Graph | None = None) -> list[Problem]:
    """Every SHACL result of ``data`` against the shapes (``ontology/shapes.ttl`` by default)."""
    _conforms, results, _text = validate(data, shacl_graph=shapes or read_ontology_file("shapes.ttl"))
    assert isinstance(results, rdflib.Graph)
    problems = []
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        severity = str(results.value(result, SH.resultSeverity) or "").rsplit("#", 1)[-1]
        problems.append(
            Problem(
                severity=severity,
                focus=str(results.value(result, SH.focusNode) or ""),
                path=str(results.value(result, SH.resultPath) or ""),
                message=str(results.value(result, SH.resultMessage) or ""),
            )
        )
    return sorted(problems, key=lambda p: (p.severity != "Violation", p.focus, p.path, p.message))


def _to_rdflib(quads: Iterable[ox.Quad]) -> rdflib.Graph:
    graph = rdflib.Graph()
    data = ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES)
    if data:
        graph.parse(data=data, format="nt")
    return graph


def _batches(store: ox.Store, names: list[ox.NamedNode], batch_triples: int) -> Iterator[list[ox.Quad]]:
    batch: list[ox.Quad] = []
    for name in names:
        batch.extend(store.quads_for_pattern(None, None, None, name))
        if len(batch) >= batch_triples:
            yield batch
            batch = []
    if batch:
        yield batch


def validate_store(store: ox.Store, *, batch_triples: int = 200_000) -> ConformanceReport:
    """Validate every named graph of ``store`` but the framework and the build metadata."""
    shapes = read_ontology_file("shapes.ttl")
    framework = _to_rdflib(store.quads_for_pattern(None, None, None, ox.NamedNode(FRAMEWORK_GRAPH)))
    skip = {FRAMEWORK_GRAPH, METADATA_GRAPH}
    names = sorted(
        (g for g in store.named_graphs() if isinstance(g, ox.NamedNode) and g.value not in skip),
        key=lambda g: g.value,
    )
    report = ConformanceReport(graphs=len(names))
    for batch in _batches(store, names, batch_triples):
        data = _to_rdflib(batch)
        report.triples += len(data)
        data += framework
        report.problems.extend(validate_graph(data, shapes))
    return report
