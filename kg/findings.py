"""Run the quality rules over document records, and write the findings as RDF.

``run_rules(docs)`` gives :class:`kg.rules.Finding` records, each naming its document, table,
indicator, source line and the text as written, plus the IRI of the indicator (or table) it
is about in the graph ``kg.triples`` builds.  ``generate_findings_graph`` turns them into
``jx:Finding`` resources linked by ``jx:hasFinding`` from that IRI, with one
``jx:QualityRule`` per catalogue rule, so SPARQL can count findings per rule, severity,
project or department.  Each finding carries its message and suggested rewrite in English and
Chinese (``jx:message``/``jx:suggestion`` @en and @zh), the rules folded under it
(``jx:secondaryRule``) and the periods it covers (``jx:coversPeriod``), so a report can be made
from the store alone.  Which named graph they go into is the caller's choice.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields, replace
from typing import Any
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef

from kg.iris import document_iris
from kg.rules import RULES, Finding, RuleConfig, load_config, prepare
from kg.rules.merge import generate_primary_findings
from kg.triples import document_iri
from kg.vocab import ID, JX, PREFIXES, PROV, RDF, SKOS, XSD

__all__ = [
    "count_by_rule",
    "finding_iri",
    "findings_to_dicts",
    "generate_findings_graph",
    "generate_stored_findings",
    "rule_iri",
    "run_rules",
]

Doc = Mapping[str, Any]


def _with_subject(finding: Finding, tables: Sequence[str], indicators: Sequence[Sequence[str]]) -> Finding:
    t = finding.table_index
    if t is None or t >= len(tables):
        return finding
    i = finding.indicator_index
    subject = indicators[t][i] if i is not None and i < len(indicators[t]) else tables[t]
    return replace(finding, subject=subject)


def run_rules(
    docs: Iterable[Doc],
    config: RuleConfig | Mapping[str, Any] | str | None = None,
    *,
    rules: Iterable[str] | None = None,
    merge: bool = True,
) -> list[Finding]:
    """Every finding of every rule (or of ``rules``) over ``docs``, in document and line order.

    ``config`` is a :class:`RuleConfig`, a dict of overrides, or a TOML/JSON file path;
    rules in its ``disabled`` set do not run.  With ``merge`` (the default) each defect is one
    finding: same-row findings of one defect are folded under the sharpest rule and 中期/年度
    repeats collapsed (:mod:`kg.rules.merge`); without it every rule hit is listed.
    """
    cfg = load_config(config)
    selected = [RULES[r] for r in (rules or sorted(RULES)) if r not in cfg.disabled]
    found: list[Finding] = []
    for doc in docs:
        view = prepare(doc)
        iris = document_iris(doc)
        tables, indicators = (iris.tables, iris.indicators) if iris is not None else ([], [])
        hits = [_with_subject(f, tables, indicators) for rule in selected for f in rule(view, cfg)]
        found.extend(generate_primary_findings(hits) if merge else hits)
    found.sort(key=_order)
    return found


def _order(f: Finding) -> tuple[str, int, str, int]:
    return f.source, f.line or 0, f.rule, f.indicator_index or 0


# where a finding dict's subject IRI points: (source, table index, indicator index or None)
_Place = tuple[str, int, int | None]
_FIELDS = {f.name for f in fields(Finding)}
_TUPLE_FIELDS = {f.name for f in fields(Finding) if f.default == ()}
_PLACED = {"rule", "severity", "message", "source", "table_index", "table", "line", "table_line",
           "indicator_index", "indicator", "period", "subject"}  # fmt: skip


def _places(docs: Iterable[Doc]) -> dict[str, _Place]:
    places: dict[str, _Place] = {}
    for doc in docs:
        source = str(doc.get("source") or "")
        for t, table in enumerate(doc.get("tables") or []):
            for iri in (table.get("subject"), table.get("iri")):  # the table's own IRI wins
                if iri:
                    places[iri] = (source, t, None)
            for i, ind in enumerate(table.get("indicators") or []):
                if ind.get("iri"):
                    places[ind["iri"]] = (source, t, i)
    return places


def generate_stored_findings(stored: Iterable[Mapping[str, Any]], docs: Sequence[Doc]) -> list[Finding]:
    """:class:`Finding` records from the finding dicts a store gives back
    (:func:`kg.reuse.store.read_store_findings`), placed in ``docs`` read back from the same store
    (their ``iri`` fields): the same findings, in the same order, as :func:`run_rules` gave when they
    were written, without ``related``.  A finding whose subject is not among ``docs`` is left out.

    Every :class:`Finding` field the dicts carry under its name comes through (``message_zh``, the
    suggestions, ``secondary``, ``periods`` …).
    """
    places = _places(docs)
    tables = {str(d.get("source") or ""): d.get("tables") or [] for d in docs}
    found = []
    for item in stored:
        place = places.get(str(item.get("indicator") or ""))
        if place is None:
            continue
        source, t, i = place
        table = tables[source][t]
        ind = table["indicators"][i] if i is not None else None
        extra: dict[str, Any] = {
            k: (tuple(v) if isinstance(v, list) else (v,)) if k in _TUPLE_FIELDS else v
            for k, v in item.items()
            if k in _FIELDS and k not in _PLACED and v is not None
        }
        line = item.get("line") or (ind or table).get("line") or None
        found.append(
            Finding(
                rule=str(item.get("rule")),
                severity=item.get("severity"),  # type: ignore[arg-type]  # whatever the rules wrote
                message=str(item.get("message") or ""),
                source=source,
                table_index=t,
                table=table.get("name"),
                line=line,
                table_line=table.get("line") or None,
                indicator_index=i,
                indicator=ind.get("l3") if ind is not None else None,
                period=ind.get("period") if ind is not None else None,
                subject=str(item.get("indicator")),
                **extra,
            )
        )
    found.sort(key=_order)
    return found


def findings_to_dicts(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """Plain dicts (JSON-ready), each with its rule's English and Chinese name.

    Every :class:`Finding` field is there: ``message`` (English), ``message_zh``, ``suggestion_en``,
    ``suggestion_zh``, ``secondary`` (folded rule ids), ``periods`` …
    """
    out = []
    for f in findings:
        data = f.to_dict()
        rule = RULES.get(f.rule)
        data["rule_name"] = rule.name if rule else None
        data["rule_name_zh"] = rule.name_zh if rule else None
        out.append(data)
    return out


def count_by_rule(findings: Iterable[Finding], *, defects_only: bool = False) -> dict[str, int]:
    """Findings per rule id, every catalogue rule listed (0 where none fired).

    With ``defects_only``, information findings (severity I) are left out.
    """
    counts = Counter(f.rule for f in findings if not defects_only or f.is_defect)
    return {rule_id: counts.get(rule_id, 0) for rule_id in sorted(RULES)}


_PERIOD_IRIS = {"midterm": JX.Midterm, "annual": JX.Annual}


def rule_iri(rule_id: str) -> URIRef:
    return ID[f"rule/{quote(rule_id, safe='')}"]


def finding_iri(finding: Finding) -> URIRef:
    """A stable IRI: the same finding on the same record gets the same IRI on every run."""
    key = "\x1f".join(
        str(x)
        for x in (finding.rule, finding.table_index, finding.indicator_index, finding.line, finding.message)
    )
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
    doc = document_iri({"source": finding.source})[len(str(ID)) :]
    return ID[f"{doc}/finding/{finding.rule}-{digest}"]


def _fallback_subject(finding: Finding) -> URIRef | None:
    """Where run_rules did not set ``subject``: the IRI from lines alone (no ``~2`` duplicates)."""
    if finding.table_line is None:
        return None
    table = f"{document_iri({'source': finding.source})}/table/{finding.table_line}"
    if finding.indicator_index is None:
        return URIRef(table)
    period = f"-{finding.period}" if finding.period else ""
    return URIRef(f"{table}/indicator/{finding.line or 0}{period}")


def _rule_triples(graph: Graph) -> None:
    for rule in RULES.values():
        node = rule_iri(rule.id)
        graph.add((node, RDF.type, JX.QualityRule))
        graph.add((node, RDF.type, SKOS.Concept))
        graph.add((node, JX.ruleId, Literal(rule.id)))
        graph.add((node, SKOS.notation, Literal(rule.id)))
        graph.add((node, SKOS.prefLabel, Literal(rule.name, lang="en")))
        graph.add((node, SKOS.prefLabel, Literal(rule.name_zh, lang="zh")))
        graph.add((node, SKOS.definition, Literal(rule.explanation, lang="en")))
        graph.add((node, JX.severity, Literal(rule.severity)))


def generate_findings_graph(findings: Iterable[Finding]) -> Graph:
    """The findings as triples, plus the 32 rules they point to."""
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    _rule_triples(graph)
    for finding in findings:
        node = finding_iri(finding)
        graph.add((node, RDF.type, JX.Finding))
        graph.add((node, JX.rule, rule_iri(finding.rule)))
        graph.add((node, JX.severity, Literal(finding.severity)))
        graph.add((node, JX.message, Literal(finding.message, lang="en")))
        graph.add((node, JX.message, Literal(finding.message_zh or finding.message, lang="zh")))
        for text, lang in ((finding.suggestion_en, "en"), (finding.suggestion_zh, "zh")):
            if text:
                graph.add((node, JX.suggestion, Literal(text, lang=lang)))
        for folded in finding.secondary:
            graph.add((node, JX.secondaryRule, rule_iri(folded)))
        for period in finding.periods:
            graph.add((node, JX.coversPeriod, _PERIOD_IRIS[period]))
        graph.add((node, PROV.wasDerivedFrom, URIRef(document_iri({"source": finding.source}))))
        if finding.line:
            graph.add((node, JX.sourceLine, Literal(int(finding.line), datatype=XSD.integer)))
        if finding.text:
            graph.add((node, RDF.value, Literal(finding.text)))
        for term in dict.fromkeys(finding.terms):
            if term:
                graph.add((node, JX.matchedTerm, Literal(term)))
        subject = URIRef(finding.subject) if finding.subject else _fallback_subject(finding)
        if subject is not None:
            graph.add((subject, JX.hasFinding, node))
    return graph
