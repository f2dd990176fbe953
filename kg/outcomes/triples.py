"""Outcomes as RDF: one named graph (:data:`OUTCOMES_GRAPH`), rebuilt whole by each analysis.

Every judged self-evaluation row gets a ``jx:Achievement`` (``<indicator>/achievement``) hung on
the indicator ``kg.triples`` made; every year-over-year pair a ``jx:YearComparison`` between the
two tables, and each indicator found in both years ``jx:carriedFrom`` its earlier self with its
``jx:targetChange``.  Rows whose indicator has no IRI (documents without a ``source``) are left out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from decimal import Decimal

from rdflib import Graph, Literal, URIRef

from kg.outcomes.achieved import RowOutcome
from kg.outcomes.years import Change, YearComparison
from kg.vocab import GRAPH, ID, JX, PREFIXES, RDF, SCHEMA, XSD

__all__ = ["OUTCOMES_GRAPH", "generate_outcome_triples"]

OUTCOMES_GRAPH = str(GRAPH["analysis/outcomes"])

_STATUS = {
    "met": JX.Met,
    "missed": JX.Missed,
    "not_comparable": JX.NotComparable,
    "missing": JX.ActualMissing,
}
_CHANGE = {"unchanged": JX.TargetUnchanged, "restated": JX.TargetRestated, "changed": JX.TargetChanged}
_COUNTS: dict[Change, URIRef] = {
    "unchanged": JX.unchangedCount,
    "restated": JX.restatedCount,
    "changed": JX.changedCount,
    "new": JX.newCount,
    "dropped": JX.droppedCount,
}


def _decimal(value: float) -> Literal:
    return Literal(format(Decimal(str(round(value, 6))).normalize(), "f"), datatype=XSD.decimal)


def _achievement(g: Graph, row: RowOutcome) -> None:
    if not row.iri:
        return
    node = URIRef(f"{row.iri}/achievement")
    o = row.outcome
    g.add((URIRef(row.iri), JX.achievement, node))
    g.add((node, RDF.type, JX.Achievement))
    g.add((node, JX.achievementStatus, _STATUS[o.status]))
    g.add((node, JX.exactlyMet, Literal(o.exact)))
    for prop, value in ((JX.actualNumber, o.actual_number), (JX.attainment, o.attainment)):
        if value is not None:
            g.add((node, prop, _decimal(value)))
    if o.shortfall is not None:
        g.add((node, JX.shortfall, _decimal(o.shortfall)))
    if o.unit:
        g.add((node, SCHEMA.unitText, Literal(o.unit)))
    if o.reason:
        g.add((node, JX.statusReason, Literal(o.reason)))


def _comparison(g: Graph, found: YearComparison) -> None:
    earlier, later = found.earlier.iri, found.later.iri
    if not earlier or not later:
        return
    digest = hashlib.sha1(f"{earlier}\x1f{later}".encode()).hexdigest()[:16]
    node = ID[f"year-comparison/{digest}"]
    g.add((node, RDF.type, JX.YearComparison))
    g.add((node, JX.earlierTable, URIRef(earlier)))
    g.add((node, JX.laterTable, URIRef(later)))
    g.add((node, JX.carriedOver, Literal(found.carried_over)))
    for change, prop in _COUNTS.items():
        g.add((node, prop, Literal(found.count(change), datatype=XSD.integer)))
    for carry in found.rows:
        if carry.change in _CHANGE and carry.later_iri and carry.earlier_iri:
            g.add((URIRef(carry.later_iri), JX.carriedFrom, URIRef(carry.earlier_iri)))
            g.add((URIRef(carry.later_iri), JX.targetChange, _CHANGE[carry.change]))


def generate_outcome_triples(rows: Iterable[RowOutcome], comparisons: Iterable[YearComparison] = ()) -> Graph:
    """The outcomes graph: an achievement per judged row, a comparison per year-over-year table pair."""
    g = Graph(identifier=URIRef(OUTCOMES_GRAPH))
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    for row in rows:
        _achievement(g, row)
    for found in comparisons:
        _comparison(g, found)
    return g
