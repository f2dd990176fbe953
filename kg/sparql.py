"""SPARQL execution: parameter binding, running on the store or a remote endpoint, formatting.

Queries run with the *union default graph*: triple patterns outside ``GRAPH`` see every named
graph (documents, framework, metadata) at once, as ``oxigraph serve --union-default-graph``
does.  A remote endpoint must be configured the same way for the named queries to answer.

Parameters are RDF terms bound to variables, never text pasted into a query: a value is parsed
into a term first (:func:`parse_term`), serialised by pyoxigraph (which escapes it), and placed
as a ``VALUES`` row at the head of the query's ``WHERE`` group, a position found by lexing the
query (:func:`bind`) so no quote, comment or brace in a value can change what the query means.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pyoxigraph as ox
from rdflib.namespace import XSD

from extract.cellsafe import csv_cell, printable

__all__ = [
    "FORMATS",
    "QueryError",
    "QueryResult",
    "Term",
    "bind",
    "format_result",
    "parse_binding",
    "parse_term",
    "push_graphs",
    "query_prefixes",
    "resolve_query",
    "result_from_oxigraph",
    "run_query",
    "run_remote_query",
    "uses_service",
]

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Format = Literal["table", "csv", "tsv", "json"]
FORMATS: tuple[str, ...] = ("table", "csv", "tsv", "json")


class QueryError(Exception):
    """A query or parameter that cannot be run as given (bad syntax, unknown name, endpoint error)."""


# --- choosing the query ------------------------------------------------------------------------


def resolve_query(spec: str) -> str:
    """The text of a query named ``spec`` in ``kg/queries``, or of the ``.rq`` file ``spec``."""
    path = Path(spec)
    if path.suffix == ".rq" or path.is_file():
        if not path.is_file():
            raise QueryError(f"no query file {spec}")
        return path.read_text(encoding="utf-8")
    from kg.queries import list_queries, load_query

    names = list_queries()
    if spec not in names:
        known = ", ".join(sorted(names)) or "none yet"
        raise QueryError(f"no named query {spec!r} (known: {known}); give a .rq file or -e 'SPARQL'")
    return load_query(spec)


# --- parameters --------------------------------------------------------------------------------

_VARNAME = re.compile(r"^\w+$")
_QUOTED = re.compile(r'^"((?:[^"\\]|\\.)*)"(?:@([A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^<([^<>"\s]*)>)?$', re.S)
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?\d*\.\d+$")


def _unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        char = match.group(1)
        if char not in _ESCAPES:
            raise QueryError(f"unknown escape \\{char} in {text!r}")
        return _ESCAPES[char]

    return re.sub(r"\\(.)", one, text, flags=re.S)


def parse_term(value: str) -> Term:
    """An RDF term from its command-line spelling.

    ``<http://…>`` is an IRI; ``"text"``, ``"text"@zh`` and ``"1"^^<datatype>`` are literals as
    in Turtle (escape an inner quote as ``\\"``); a bare integer, decimal, ``true`` or ``false`` is a
    typed number or boolean; any other text not opening with a quote is a plain string literal,
    taken verbatim.
    """
    try:
        if value.startswith("<") and value.endswith(">"):
            return ox.NamedNode(value[1:-1])
        quoted = _QUOTED.match(value)
        if quoted:
            lexical, lang, datatype = quoted.groups()
            text = _unescape(lexical)
            if lang:
                return ox.Literal(text, language=lang)
            if datatype:
                return ox.Literal(text, datatype=ox.NamedNode(datatype))
            return ox.Literal(text)
        if value.startswith('"'):
            raise ValueError('a quoted value is written "text", "text"@lang or "text"^^<datatype>')
    except ValueError as exc:
        raise QueryError(f"invalid RDF term {value!r}: {exc}") from exc
    if _INTEGER.match(value):
        return ox.Literal(value, datatype=ox.NamedNode(str(XSD.integer)))
    if _DECIMAL.match(value):
        return ox.Literal(value, datatype=ox.NamedNode(str(XSD.decimal)))
    if value in ("true", "false"):
        return ox.Literal(value, datatype=ox.NamedNode(str(XSD.boolean)))
    return ox.Literal(value)


def parse_binding(text: str) -> tuple[str, Term]:
    """``name=value`` → (variable name, term); a leading ``?`` or ``$`` on the name is allowed."""
    name, sep, value = text.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not _VARNAME.match(name):
        raise QueryError(f"a parameter is written name=value, not {text!r}")
    return name, parse_term(value)


# --- binding: lexing the query to find where a VALUES row goes ----------------------------------

_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]\w+)
  | (?P<word>[A-Za-z_][\w\-.]*:?[\w\-.]*)
  | (?P<open>\{)
  | (?P<close>\})
  | (?P<other>.)
    """,
    re.X | re.S,
)


_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int


def _tokens(query: str) -> Iterator[_Token]:
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup or "other"
        if kind == "other" and match.group().isspace():
            continue
        yield _Token(kind, match.group(), match.start())


def _where_brace(tokens: Sequence[_Token]) -> int:
    """Offset of the ``{`` opening the outermost query's WHERE group."""
    depth = 0
    first_group: int | None = None
    for i, token in enumerate(tokens):
        if token.kind == "open":
            if depth == 0 and first_group is None:
                first_group = i
            depth += 1
        elif token.kind == "close":
            depth -= 1
        elif depth == 0 and token.kind == "word" and token.text.upper() == "WHERE":
            for later in tokens[i + 1 :]:
                if later.kind == "open":
                    return later.start
                raise QueryError("WHERE is not followed by a group { … }")
        elif depth == 0 and token.kind == "word" and token.text.upper() in ("INSERT", "DELETE", "LOAD"):
            raise QueryError("updates are not run here: this is a read-only query command")
    forms = [t.text.upper() for t in tokens if t.kind == "word" and t.text.upper() in _FORMS]
    # WHERE may be left out of SELECT, ASK and DESCRIBE, never of CONSTRUCT (whose first group
    # is its template)
    if first_group is None or forms[:1] == ["CONSTRUCT"]:
        raise QueryError("the query has no WHERE group to bind parameters into")
    return tokens[first_group].start


def bind(query: str, bindings: Mapping[str, Term]) -> str:
    """``query`` with ``bindings`` as a one-row ``VALUES`` block heading its WHERE group.

    Each term is written by pyoxigraph's own serialiser (N-Triples syntax, which is SPARQL), so
    a value is always exactly one term; each name must be a variable the query uses.
    """
    if not bindings:
        return query
    tokens = [t for t in _tokens(query) if t.kind != "comment"]
    used = {t.text[1:] for t in tokens if t.kind == "var"}
    for name in bindings:
        if not _VARNAME.match(name):
            raise QueryError(f"{name!r} is not a variable name")
        if name not in used:
            raise QueryError(
                f"the query has no variable ?{name} to bind (it uses: {', '.join(sorted(used))})"
            )
    at = _where_brace(tokens) + 1
    names = " ".join(f"?{name}" for name in bindings)
    row = " ".join(str(term) for term in bindings.values())
    return f"{query[:at]} VALUES ({names}) {{ ({row}) }}{query[at:]}"


def uses_service(query: str) -> bool:
    """Whether ``query`` holds a ``SERVICE`` clause (a request to another server), outside strings and comments."""
    return any(t.kind == "word" and t.text.upper() == "SERVICE" for t in _tokens(query))


def query_prefixes(query: str) -> dict[str, str]:
    """PREFIX declarations of a query (used to shorten IRIs when printing)."""
    tokens = [t for t in _tokens(query) if t.kind != "comment"]
    prefixes: dict[str, str] = {}
    for i, token in enumerate(tokens[:-2]):
        nxt, iri = tokens[i + 1], tokens[i + 2]
        if token.text.upper() == "PREFIX" and nxt.text.endswith(":") and iri.kind == "iri":
            prefixes[nxt.text[:-1]] = iri.text[1:-1]
    return prefixes


# --- running -----------------------------------------------------------------------------------


@dataclass
class QueryResult:
    """A query's answer, materialised: rows of a SELECT, a boolean of an ASK, or triples."""

    kind: Literal["select", "ask", "graph"]
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)


def result_from_oxigraph(answer: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> QueryResult:
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        variables = [v.value for v in answer.variables]
        rows = [tuple(solution[name] for name in variables) for solution in answer]
        return QueryResult("select", variables=variables, rows=rows)
    return QueryResult("graph", triples=list(answer))


def run_query(store: ox.Store, query: str, bindings: Mapping[str, Term] | None = None) -> QueryResult:
    """Run a read-only query on the store, over the union of its named graphs."""
    text = bind(query, bindings or {})
    try:
        answer = store.query(text, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from exc
    return result_from_oxigraph(answer)


_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
_RDF_TYPES = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}


def run_remote_query(
    endpoint: str, query: str, bindings: Mapping[str, Term] | None = None, *, timeout: float = 60.0
) -> QueryResult:
    """Run a query on a SPARQL 1.1 Protocol endpoint (POST, form-encoded)."""
    text = bind(query, bindings or {})
    body = urllib.parse.urlencode({"query": text}).encode("utf-8")
    request = urllib.request.Request(
        endpoint,
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": _ACCEPT},
    )
    _status, content_type, payload = _http(request, timeout)
    results_format = ox.QueryResultsFormat.from_media_type(content_type)
    if results_format is not None:
        answer = ox.parse_query_results(payload, results_format)
        return result_from_oxigraph(answer)
    if content_type in _RDF_TYPES:
        triples = [q.triple for q in ox.parse(payload, _RDF_TYPES[content_type])]
        return QueryResult("graph", triples=triples)
    raise QueryError(f"{endpoint} answered with an unexpected media type {content_type}")


def _http(request: urllib.request.Request, timeout: float) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")[:500]
        raise QueryError(f"{request.full_url} answered {exc.code}: {detail}") from exc
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        raise QueryError(f"cannot reach {request.full_url}: {exc}") from exc


def push_graphs(
    store: ox.Store,
    endpoint: str,
    *,
    graphs: Sequence[str] | None = None,
    timeout: float = 120.0,
    on_graph: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """PUT each named graph of ``store`` (or those in ``graphs``) to a Graph Store Protocol endpoint.

    Returns the number of triples sent per graph IRI.  A PUT replaces the remote graph whole,
    so pushing twice leaves the remote as after pushing once.
    """
    names = [g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)]
    if graphs is not None:
        missing = sorted(set(graphs) - set(names))
        if missing:
            raise QueryError(f"the store has no graph {', '.join(missing)}")
        names = [g for g in names if g in set(graphs)]
    pushed: dict[str, int] = {}
    for iri in sorted(names):
        quads = store.quads_for_pattern(None, None, None, ox.NamedNode(iri))
        triples = [quad.triple for quad in quads]
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        separator = "&" if urllib.parse.urlsplit(endpoint).query else "?"
        url = endpoint + separator + urllib.parse.urlencode({"graph": iri})
        request = urllib.request.Request(
            url, data=body, method="PUT", headers={"Content-Type": "application/n-triples"}
        )
        _http(request, timeout)
        pushed[iri] = len(triples)
        if on_graph is not None:
            on_graph(iri, len(triples))
    return pushed


# --- formatting --------------------------------------------------------------------------------

_DEFAULT_PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": str(XSD),
    "skos": "http://www.w3.org/2004/02/skos/core#",
}


def _plain(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode | ox.Literal | ox.BlankNode):
        return term.value
    return str(term)


def _short(term: Term | None, prefixes: Mapping[str, str]) -> str:
    if isinstance(term, ox.NamedNode):
        for prefix, base in prefixes.items():
            local = term.value.removeprefix(base)
            # display only, so a "/" in the local part is fine
            if local != term.value and re.fullmatch(r"[\w\-./]*", local):
                return f"{prefix}:{local}"
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return _plain(term)


def _width(text: str) -> int:
    # CJK characters take two terminal columns
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _table(result: QueryResult, prefixes: Mapping[str, str], max_width: int) -> str:
    header = result.variables
    cells = [[printable(_short(term, prefixes).replace("\n", " ")) for term in row] for row in result.rows]
    cells = [[c if _width(c) <= max_width else _clip(c, max_width) for c in row] for row in cells]
    widths = [max([_width(h)] + [_width(row[i]) for row in cells]) for i, h in enumerate(header)]
    rule = "-+-".join("-" * w for w in widths)
    lines = [" | ".join(_pad(h, w) for h, w in zip(header, widths, strict=True)).rstrip(), rule]
    lines += [" | ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    count = len(result.rows)
    lines.append(f"({count} row{'s' if count != 1 else ''})")
    return "\n".join(lines) + "\n"


def _clip(text: str, limit: int) -> str:
    out = ""
    for char in text:
        if _width(out + char) > limit - 1:
            break
        out += char
    return out + "…"


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != str(XSD.string):
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def format_result(
    result: QueryResult, fmt: str = "table", *, prefixes: Mapping[str, str] | None = None, max_width: int = 60
) -> str:
    """Text of a result: an aligned table, SPARQL CSV/TSV, or SPARQL JSON results.

    CONSTRUCT/DESCRIBE results are N-Triples in every format but ``json`` (JSON-LD-free: a
    list of ``[s, p, o]`` in N-Triples term syntax).
    """
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    if result.kind == "ask":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
        return ("true" if result.boolean else "false") + "\n"
    if result.kind == "graph":
        if fmt == "json":
            rows = [[str(t.subject), str(t.predicate), str(t.object)] for t in result.triples]
            return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
        return "".join(f"{t} .\n" for t in result.triples)
    if fmt == "table":
        return _table(result, {**_DEFAULT_PREFIXES, **(prefixes or {})}, max_width)
    if fmt == "json":
        bindings = [
            {
                name: _json_term(term)
                for name, term in zip(result.variables, row, strict=True)
                if term is not None
            }
            for row in result.rows
        ]
        doc = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    out = io.StringIO()
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(result.variables)
        # a spreadsheet opens this: formula-like cells are made text (extract.cellsafe)
        writer.writerows([csv_cell(_plain(term)) for term in row] for row in result.rows)
        return out.getvalue()
    # SPARQL TSV: terms in their N-Triples spelling, header with ?names
    out.write("\t".join(f"?{v}" for v in result.variables) + "\n")
    for row in result.rows:
        out.write("\t".join("" if term is None else str(term) for term in row) + "\n")
    return out.getvalue()
