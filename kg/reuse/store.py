"""Document records read back from a store, for the analyses and the graph view.

One SELECT gathers every indicator row with its table and document; :func:`generate_documents` folds
those rows into document dicts of the export shape, each indicator carrying its ``iri`` and each table
its ``iri`` and ``subject`` (the project, or the organisation of a department-wide table), so results
link to the nodes already in the store.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from kg.sparql import QueryResult, run_query
from kg.vocab import JX, PREFIXES

__all__ = [
    "DOCUMENT_ROWS_QUERY",
    "FINDINGS_QUERY",
    "generate_documents",
    "generate_findings",
    "read_store_documents",
    "read_store_findings",
]

_PREFIXES = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("jx", "dcterms", "rdfs"))
# the terms the query names, checked against the ontology when this module loads (a typo fails here)
_TERMS = [
    JX.PerformanceTargetTable, JX.Document, JX.sourceLine, JX.scope, JX.about, JX.hasIndicator, JX.budgetYear,
    JX.l1Label, JX.l2Label, JX.l3Label, JX.valueText, JX.period, JX.description, JX.ProjectScope,
]  # fmt: skip

DOCUMENT_ROWS_QUERY = (
    _PREFIXES
    + """
SELECT ?doc ?source ?year ?department ?table ?tableLine ?scope ?subject ?name
       ?ind ?line ?l1 ?l2 ?l3 ?value ?period ?description
WHERE {
  ?table a jx:PerformanceTargetTable ; dcterms:isPartOf ?doc ; jx:sourceLine ?tableLine .
  ?doc a jx:Document ; dcterms:source ?source .
  OPTIONAL { ?table jx:scope ?scope }
  OPTIONAL { ?doc jx:budgetYear ?year }
  OPTIONAL { ?doc dcterms:publisher/rdfs:label ?department }
  OPTIONAL { ?table jx:about ?subject . OPTIONAL { ?subject rdfs:label ?name } }
  OPTIONAL {
    ?table jx:hasIndicator ?ind .
    OPTIONAL { ?ind jx:sourceLine ?line }
    OPTIONAL { ?ind jx:l1Label ?l1 }
    OPTIONAL { ?ind jx:l2Label ?l2 }
    OPTIONAL { ?ind jx:l3Label ?l3 }
    OPTIONAL { ?ind jx:valueText ?value }
    OPTIONAL { ?ind jx:period ?period }
    OPTIONAL { ?ind jx:description ?description }
  }
}
"""
)

# findings written back by the quality rules: what they are about is an indicator, table or project IRI
FINDINGS_QUERY = (
    _PREFIXES
    + """
SELECT ?target ?rule ?severity ?message WHERE {
  ?target jx:hasFinding ?finding .
  OPTIONAL { ?finding jx:rule/jx:ruleId ?rule }
  OPTIONAL { ?finding jx:severity ?severity }
  OPTIONAL { ?finding jx:message ?message }
}
"""
)
_FINDING_TERMS = [JX.hasFinding, JX.rule, JX.ruleId, JX.severity, JX.message]

_PERIODS = {str(JX.Midterm): "midterm", str(JX.Annual): "annual"}


def _text(term: object) -> str | None:
    if term is None:
        return None
    value = getattr(term, "value", None)
    return str(value) if value is not None else str(term)


def _int(term: object) -> int:
    text = _text(term)
    return int(text) if text and text.lstrip("-").isdigit() else 0


def generate_documents(result: QueryResult) -> list[dict[str, Any]]:
    """Document dicts (export shape plus IRIs) from the rows of :data:`DOCUMENT_ROWS_QUERY`."""
    names = result.variables
    docs: dict[str, dict[str, Any]] = {}
    tables: dict[str, dict[str, Any]] = {}
    seen: set[tuple[str, str]] = set()
    for values in result.rows:
        row = dict(zip(names, values, strict=True))
        doc_iri = _text(row["doc"]) or ""
        doc = docs.get(doc_iri)
        if doc is None:
            year = _text(row.get("year"))
            doc = docs[doc_iri] = {
                "source": _text(row["source"]),
                "department": _text(row.get("department")),
                "budget_year": int(year) if year and year.isdigit() else None,
                "tables": [],
                "iri": doc_iri,
            }
        t_iri = _text(row["table"]) or ""
        table = tables.get(t_iri)
        if table is None:
            scope = "project" if _text(row.get("scope")) == str(JX.ProjectScope) else "department"
            table = tables[t_iri] = {
                "scope": scope if row.get("scope") is not None else "project",
                "name": _text(row.get("name")),
                "line": _int(row["tableLine"]),
                "indicators": [],
                "iri": t_iri,
                "subject": _text(row.get("subject")),
            }
            doc["tables"].append(table)
        ind_iri = _text(row.get("ind"))
        # an indicator with two labels (or descriptions) comes back as two rows: keep the first
        if ind_iri is None or (t_iri, ind_iri) in seen:
            continue
        seen.add((t_iri, ind_iri))
        table["indicators"].append(
            {
                "period": _PERIODS.get(_text(row.get("period")) or ""),
                "l1": _text(row.get("l1")),
                "l2": _text(row.get("l2")),
                "l3": _text(row.get("l3")) or "",
                "value": _text(row.get("value")),
                "description": _text(row.get("description")),
                "line": _int(row.get("line")),
                "iri": ind_iri,
            }
        )
    for doc in docs.values():
        doc["tables"].sort(key=lambda t: (t["line"], t["iri"]))
        for table in doc["tables"]:
            table["indicators"].sort(key=_indicator_order)
    return sorted(docs.values(), key=lambda d: (str(d["source"]), d["iri"]))


def _indicator_order(ind: dict[str, Any]) -> tuple[int, int, str]:
    # rows in document order; on one line the midterm column comes before the annual one, as printed
    period_rank = {"midterm": 0, None: 1, "annual": 2}.get(ind["period"], 1)
    return ind["line"], period_rank, ind["iri"]


def read_store_documents(store: ox.Store) -> list[dict[str, Any]]:
    """Every document of the store as a dict (see :func:`generate_documents`)."""
    return generate_documents(run_query(store, DOCUMENT_ROWS_QUERY))


def generate_findings(result: QueryResult) -> list[dict[str, Any]]:
    """Finding dicts ``{rule, severity, indicator (IRI), message}`` from the rows of :data:`FINDINGS_QUERY`."""
    findings = []
    for values in result.rows:
        row = dict(zip(result.variables, values, strict=True))
        findings.append(
            {
                "rule": _text(row.get("rule")) or "?",
                "severity": _text(row.get("severity")) or "info",
                "indicator": _text(row["target"]),
                "message": _text(row.get("message")) or "",
            }
        )
    return findings


def read_store_findings(store: ox.Store) -> list[dict[str, Any]]:
    """Every quality finding the store holds (none until the rules have written theirs back)."""
    return generate_findings(run_query(store, FINDINGS_QUERY))
