"""Document records read back from a store, for the analyses, the report and the graph view.

A handful of SELECTs (:data:`DOCUMENT_QUERIES`: documents, tables, funding, indicators with their
targets, vague terms, unparsed lines) each read one kind of node; :func:`generate_documents` folds
their rows into document dicts of the export shape, so the rules and reports read a store exactly as
they read a ``kg extract`` export (a table's ``kind``, an indicator's ``actual``, ``weight`` and
``score`` included).  Each indicator also carries its ``iri`` and each table its ``iri``
and ``subject`` (the project, or the organisation of a department-wide table), so results link to the
nodes already in the store.

Every pattern sits inside ``GRAPH ?g``: organisations are shared nodes across documents, and a label
must be read in the document graph that wrote it.  What ``kg.triples`` does not write cannot come
back: a table's ``columns``, an indicator's ``basis``, a document's ``encoding``, and the
``implementing_unit``/``project_code`` of a department-wide table.  A comparator comes back in the
parser's spelling (``≥``, ``range`` …) and ``vague_terms`` in sorted order (the graph keeps a set).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox

from kg.sparql import QueryResult, run_query
from kg.vocab import JX, PREFIXES

__all__ = [
    "DOCUMENT_QUERIES",
    "FINDINGS_QUERY",
    "FINDING_PART_QUERIES",
    "generate_documents",
    "generate_findings",
    "read_store_documents",
    "read_store_findings",
]

_PREFIXES = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("jx", "dcterms", "rdfs", "rdf", "schema"))
# the terms the queries name, checked against the ontology when this module loads (a typo fails here)
_TERMS = [
    JX.PerformanceTargetTable, JX.Document, JX.sourceLine, JX.scope, JX.about, JX.hasIndicator, JX.budgetYear,
    JX.l1Label, JX.l2Label, JX.l3Label, JX.valueText, JX.period, JX.description, JX.ProjectScope,
    JX.contentHash, JX.layout, JX.columnCaptions, JX.valueBasis, JX.endLine, JX.annualGoal, JX.midtermGoal, JX.projectCode, JX.implementingUnit,
    JX.hasFunding, JX.fundingKind, JX.amountWan, JX.fundingSource, JX.target, JX.targetKind, JX.comparator,
    JX.comparatorText, JX.targetDate, JX.vague, JX.vagueTerm, JX.unparsedLine, JX.reason,
    JX.tableKind, JX.SelfEvaluationTable, JX.actualText, JX.weightText, JX.scoreText,
]  # fmt: skip


def _query(body: str) -> str:
    return _PREFIXES + body


DOCUMENT_QUERIES: dict[str, str] = {
    "documents": _query("""
SELECT ?doc ?source ?year ?department ?hash WHERE { GRAPH ?g {
  ?doc a jx:Document ; dcterms:source ?source .
  OPTIONAL { ?doc jx:budgetYear ?year }
  OPTIONAL { ?doc dcterms:publisher ?publisher . ?publisher rdfs:label ?department }
  OPTIONAL { ?doc jx:contentHash ?hash }
} }
"""),
    "tables": _query("""
SELECT ?doc ?table ?line ?scope ?kind ?title ?layout ?columns ?endLine ?annualGoal ?midtermGoal ?subject ?name ?code
       ?unit
WHERE { GRAPH ?g {
  ?table a jx:PerformanceTargetTable ; dcterms:isPartOf ?doc .
  OPTIONAL { ?table jx:sourceLine ?line }
  OPTIONAL { ?table jx:scope ?scope }
  OPTIONAL { ?table jx:tableKind ?kind }
  OPTIONAL { ?table dcterms:title ?title }
  OPTIONAL { ?table jx:layout ?layout }
  OPTIONAL { ?table jx:columnCaptions ?columns }
  OPTIONAL { ?table jx:endLine ?endLine }
  OPTIONAL { ?table jx:annualGoal ?annualGoal }
  OPTIONAL { ?table jx:midtermGoal ?midtermGoal }
  OPTIONAL {
    ?table jx:about ?subject .
    OPTIONAL { ?subject rdfs:label ?name }
    OPTIONAL { ?subject jx:projectCode ?code }
    OPTIONAL { ?subject jx:implementingUnit ?org . ?org rdfs:label ?unit }
  }
} }
"""),
    "funding": _query("""
SELECT ?table ?kind ?amount ?source WHERE { GRAPH ?g {
  ?table a jx:PerformanceTargetTable ; jx:hasFunding ?obs .
  ?obs jx:fundingKind ?kind ; jx:amountWan ?amount .
  OPTIONAL { ?obs jx:fundingSource ?source }
} }
"""),
    "indicators": _query("""
SELECT ?table ?ind ?line ?l1 ?l2 ?l3 ?value ?period ?description ?basis ?actual ?weight ?score
       ?kind ?comparator ?comparatorText ?exact ?min ?max ?unit ?date ?vague
WHERE { GRAPH ?g {
  ?table a jx:PerformanceTargetTable ; jx:hasIndicator ?ind .
  OPTIONAL { ?ind jx:sourceLine ?line }
  OPTIONAL { ?ind jx:actualText ?actual }
  OPTIONAL { ?ind jx:weightText ?weight }
  OPTIONAL { ?ind jx:scoreText ?score }
  OPTIONAL { ?ind jx:l1Label ?l1 }
  OPTIONAL { ?ind jx:l2Label ?l2 }
  OPTIONAL { ?ind jx:l3Label ?l3 }
  OPTIONAL { ?ind jx:valueText ?value }
  OPTIONAL { ?ind jx:period ?period }
  OPTIONAL { ?ind jx:description ?description }
  OPTIONAL { ?ind jx:valueBasis ?basis }
  OPTIONAL {
    ?ind jx:target ?target .
    OPTIONAL { ?target jx:targetKind ?kind }
    OPTIONAL { ?target jx:comparator ?comparator }
    OPTIONAL { ?target jx:comparatorText ?comparatorText }
    OPTIONAL { ?target schema:value ?exact }
    OPTIONAL { ?target schema:minValue ?min }
    OPTIONAL { ?target schema:maxValue ?max }
    OPTIONAL { ?target schema:unitText ?unit }
    OPTIONAL { ?target jx:targetDate ?date }
    OPTIONAL { ?target jx:vague ?vague }
  }
} }
"""),
    "vague_terms": _query("""
SELECT ?ind ?term WHERE { GRAPH ?g { ?ind jx:target ?target . ?target jx:vagueTerm ?term } }
"""),
    "unparsed": _query("""
SELECT ?table ?node ?line ?text ?reason WHERE { GRAPH ?g {
  ?table a jx:PerformanceTargetTable ; jx:unparsedLine ?node .
  OPTIONAL { ?node jx:sourceLine ?line }
  OPTIONAL { ?node rdf:value ?text }
  OPTIONAL { ?node jx:reason ?reason }
} }
"""),
}

# findings written back by the quality rules: what they are about is an indicator, table or project IRI;
# one row per finding (its words in each language picked apart), and the multi-valued parts on their own
FINDINGS_QUERY = (
    _PREFIXES
    + """
SELECT ?finding ?target ?rule ?severity ?message ?messageZh ?suggestionEn ?suggestionZh ?text ?line WHERE {
  ?target jx:hasFinding ?finding .
  OPTIONAL { ?finding jx:rule/jx:ruleId ?rule }
  OPTIONAL { ?finding jx:severity ?severity }
  OPTIONAL { ?finding jx:message ?message FILTER(LANG(?message) IN ("en", "")) }
  OPTIONAL { ?finding jx:message ?messageZh FILTER(LANG(?messageZh) = "zh") }
  OPTIONAL { ?finding jx:suggestion ?suggestionEn FILTER(LANG(?suggestionEn) = "en") }
  OPTIONAL { ?finding jx:suggestion ?suggestionZh FILTER(LANG(?suggestionZh) = "zh") }
  OPTIONAL { ?finding rdf:value ?text }
  OPTIONAL { ?finding jx:sourceLine ?line }
}
"""
)
FINDING_PART_QUERIES: dict[str, str] = {
    "secondary": _query("SELECT ?finding ?part WHERE { ?finding jx:secondaryRule/jx:ruleId ?part }"),
    "periods": _query("SELECT ?finding ?part WHERE { ?finding jx:coversPeriod ?part }"),
    "terms": _query("SELECT ?finding ?part WHERE { ?finding a jx:Finding ; jx:matchedTerm ?part }"),
}
_FINDING_TERMS = [
    JX.hasFinding, JX.rule, JX.ruleId, JX.severity, JX.message, JX.suggestion, JX.secondaryRule,
    JX.coversPeriod, JX.matchedTerm, JX.Finding,
]  # fmt: skip

_PERIODS = {str(JX.Midterm): "midterm", str(JX.Annual): "annual"}
_FUNDING = {str(JX.AnnualTotal): "annual_total", str(JX.AnnualFiscal): "annual_fiscal"}
_FUNDING[str(JX.MidtermTotal)] = "midterm_total"
# kg.triples maps the parser's comparators (and their spelled-out variants) to these; back to the parser's
_COMPARATORS = {
    str(JX[name]): symbol
    for name, symbol in (
        ("AtLeast", "≥"), ("MoreThan", ">"), ("AtMost", "≤"), ("LessThan", "<"), ("EqualTo", "="),
        ("About", "≈"), ("Between", "range"),
    )
}  # fmt: skip

Row = dict[str, Any]


def _text(term: object) -> str | None:
    if term is None:
        return None
    value = getattr(term, "value", None)
    return str(value) if value is not None else str(term)


def _int(term: object) -> int:
    text = _text(term)
    return int(text) if text and text.lstrip("-").isdigit() else 0


def _number(term: object) -> float | None:
    text = _text(term)
    return float(text) if text is not None else None


def _rows(result: QueryResult) -> list[Row]:
    return [dict(zip(result.variables, values, strict=True)) for values in result.rows]


def _first(rows: list[Row], key: str) -> list[Row]:
    """One row per ``key``: a node with two values of a single-valued field keeps the smallest."""
    best: dict[str, Row] = {}
    for row in rows:
        k = _text(row[key]) or ""
        rank = tuple(_text(v) or "" for v in row.values())
        if k not in best or rank < tuple(_text(v) or "" for v in best[k].values()):
            best[k] = row
    return list(best.values())


def _document(row: Row) -> dict[str, Any]:
    year = _text(row.get("year"))
    doc: dict[str, Any] = {
        "source": _text(row["source"]),
        "department": _text(row.get("department")),
        "budget_year": int(year) if year and year.lstrip("-").isdigit() else None,
        "tables": [],
        "iri": _text(row["doc"]),
    }
    if row.get("hash") is not None:
        doc["sha256"] = _text(row["hash"])
    return doc


def _table(row: Row) -> dict[str, Any]:
    scope = _text(row.get("scope"))
    project = scope is None or scope == str(JX.ProjectScope)
    return {
        "scope": "project" if project else "department",
        "kind": "self_evaluation" if _text(row.get("kind")) == str(JX.SelfEvaluationTable) else "target",
        "name": _text(row.get("name")),
        "implementing_unit": _text(row.get("unit")) if project else None,
        "project_code": _text(row.get("code")) if project else None,
        "line": _int(row.get("line")),
        "title": _text(row.get("title")) or "",
        "end_line": _int(row.get("endLine")),
        "layout": _text(row.get("layout")) or "",
        "columns": (_text(row.get("columns")) or "").split("\t") if row.get("columns") else [],
        "funding": {"annual_total": None, "annual_fiscal": None, "midterm_total": None, "source": None},
        "annual_goal": _text(row.get("annualGoal")),
        "midterm_goal": _text(row.get("midtermGoal")),
        "indicators": [],
        "unparsed": [],
        "iri": _text(row["table"]),
        "subject": _text(row.get("subject")),
    }


def _target(row: Row, terms: list[str]) -> dict[str, Any] | None:
    if row.get("kind") is None and row.get("vague") is None:
        return None
    comparator = _COMPARATORS.get(_text(row.get("comparator")) or "") or _text(row.get("comparatorText"))
    exact, low, high = (_number(row.get(k)) for k in ("exact", "min", "max"))
    number: float | None
    number_max: float | None
    if exact is not None:
        number, number_max = exact, None
    elif comparator == "range":
        number, number_max = low, high
    else:
        # one bound: ≥/> keep it as minValue, ≤/< as maxValue; either way it is the number written
        number, number_max = (low if low is not None else high), None
    return {
        "kind": _text(row.get("kind")) or "empty",
        "comparator": comparator,
        "number": number,
        "number_max": number_max,
        "unit": _text(row.get("unit")),
        "date": _text(row.get("date")),
        "vague": _text(row.get("vague")) == "true",
        "vague_terms": sorted(terms),
    }


def _indicator(row: Row, terms: list[str]) -> dict[str, Any]:
    return {
        "period": _PERIODS.get(_text(row.get("period")) or ""),
        "l1": _text(row.get("l1")),
        "l2": _text(row.get("l2")),
        "l3": _text(row.get("l3")) or "",
        "value": _text(row.get("value")),
        "description": _text(row.get("description")),
        "basis": _text(row.get("basis")),
        "actual": _text(row.get("actual")),
        "weight": _text(row.get("weight")),
        "score": _text(row.get("score")),
        "line": _int(row.get("line")),
        "target": _target(row, terms),
        "iri": _text(row["ind"]),
    }


def generate_documents(results: Mapping[str, QueryResult]) -> list[dict[str, Any]]:
    """Document dicts (export shape plus IRIs) from the answers to :data:`DOCUMENT_QUERIES`, by name."""
    docs = {d["iri"]: d for d in map(_document, _first(_rows(results["documents"]), "doc"))}
    tables: dict[str, dict[str, Any]] = {}
    for row in _first(_rows(results["tables"]), "table"):
        doc = docs.get(_text(row["doc"]) or "")
        if doc is not None:
            tables[_text(row["table"]) or ""] = _table(row)
            doc["tables"].append(tables[_text(row["table"]) or ""])

    def table_of(row: Row) -> dict[str, Any] | None:
        return tables.get(_text(row["table"]) or "")

    for row in _rows(results["funding"]):
        funded, key = table_of(row), _FUNDING.get(_text(row["kind"]) or "")
        if funded is not None and key is not None:
            funded["funding"][key] = _number(row["amount"])
            funded["funding"]["source"] = funded["funding"]["source"] or _text(row.get("source"))
    terms: dict[str, list[str]] = defaultdict(list)
    for row in _rows(results["vague_terms"]):
        terms[_text(row["ind"]) or ""].append(_text(row["term"]) or "")
    for row in _first(_rows(results["indicators"]), "ind"):
        if (holder := table_of(row)) is not None:
            holder["indicators"].append(_indicator(row, terms.get(_text(row["ind"]) or "", [])))
    for row in _rows(results["unparsed"]):
        if (holder := table_of(row)) is not None:
            item = {"line": _int(row.get("line")), "text": _text(row.get("text")) or ""}
            holder["unparsed"].append(item | {"reason": _text(row.get("reason")) or ""})
    for doc in docs.values():
        doc["tables"].sort(key=lambda t: (t["line"], t["iri"]))
        for table in doc["tables"]:
            table["indicators"].sort(key=_indicator_order)
            table["unparsed"].sort(key=lambda u: (u["line"], u["text"]))
    return sorted(docs.values(), key=lambda d: (str(d["source"]), d["iri"]))


def _indicator_order(ind: dict[str, Any]) -> tuple[int, int, str]:
    # rows in document order; on one line the midterm column comes before the annual one, as printed
    period_rank = {"midterm": 0, None: 1, "annual": 2}.get(ind["period"], 1)
    return ind["line"], period_rank, ind["iri"]


def read_store_documents(store: ox.Store) -> list[dict[str, Any]]:
    """Every document of the store as a dict (see :func:`generate_documents`)."""
    return generate_documents({name: run_query(store, q) for name, q in DOCUMENT_QUERIES.items()})


def generate_findings(results: Mapping[str, QueryResult]) -> list[dict[str, Any]]:
    """Finding dicts from the answers to :data:`FINDINGS_QUERY` (``"findings"``) and
    :data:`FINDING_PART_QUERIES`, by name.

    Each dict has ``rule``, ``severity`` (H/M/L/I), ``indicator`` (the IRI of the indicator, table
    or project it is about), ``message`` (English), ``message_zh``, ``suggestion_en``,
    ``suggestion_zh``, ``text`` (as written), ``line``, ``terms``, ``secondary`` (folded rule ids),
    ``periods`` (midterm/annual) and ``finding`` (its IRI): what :func:`kg.findings.findings_to_dicts`
    gives, less what the graph does not keep, so a report can be made from a store alone.
    """
    parts: dict[str, dict[str, list[str]]] = {name: defaultdict(list) for name in FINDING_PART_QUERIES}
    for name in FINDING_PART_QUERIES:
        for row in _rows(results[name]):
            value = _text(row["part"]) or ""
            parts[name][_text(row["finding"]) or ""].append(_PERIODS.get(value, value))
    findings = []
    for row in _first(_rows(results["findings"]), "finding"):
        iri = _text(row["finding"]) or ""
        findings.append(
            {
                "rule": _text(row.get("rule")) or "?",
                "severity": _text(row.get("severity")) or "info",
                "indicator": _text(row["target"]),
                "message": _text(row.get("message")) or "",
                "message_zh": _text(row.get("messageZh")) or "",
                "suggestion_en": _text(row.get("suggestionEn")),
                "suggestion_zh": _text(row.get("suggestionZh")),
                "text": _text(row.get("text")),
                "line": _int(row.get("line")) or None,
                "terms": sorted(parts["terms"][iri]),
                "secondary": sorted(parts["secondary"][iri]),
                "periods": sorted(parts["periods"][iri], key=("midterm", "annual").index),
                "finding": iri,
            }
        )
    return sorted(findings, key=lambda f: (f["indicator"] or "", f["line"] or 0, f["rule"], f["finding"]))


def read_store_findings(store: ox.Store) -> list[dict[str, Any]]:
    """Every quality finding the store holds (none until the rules have written theirs back)."""
    queries = {"findings": FINDINGS_QUERY, **FINDING_PART_QUERIES}
    return generate_findings({name: run_query(store, q) for name, q in queries.items()})
