"""A read-only SPARQL 1.1 Protocol endpoint over a store, with a self-contained query page.

``GET /sparql?query=…``, ``POST /sparql`` (form-encoded ``query=`` or ``application/sparql-query``)
answer in the format the ``Accept`` header (or a ``format`` parameter) asks for: SPARQL JSON,
XML, CSV or TSV results; N-Triples, Turtle or JSON-LD for CONSTRUCT/DESCRIBE.  Updates are
refused with 403.  The store is opened read-only and reopened when a build swaps it.
"""

from __future__ import annotations

import html
import json
import threading
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox

from kg.store import live_path, open_store
from kg.vocab import PREFIXES

__all__ = ["QUERY_PATHS", "make_server", "render_page"]

QUERY_PATHS = ("/sparql", "/query")
_MAX_BODY = 1 << 20

_RESULT_TYPES: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_TYPES: dict[str, ox.RdfFormat] = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
_SHORT = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "nt": "application/n-triples",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
}


def _choose(accept: str, offered: dict[str, object], default: str) -> str | None:
    """The offered media type the Accept header prefers (q-values honoured), or None."""
    if not accept.strip():
        return default
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        ranked.append((-q, index, media.lower()))
    for neg_q, _index, media in sorted(ranked):
        if neg_q == 0:
            break
        if media in offered:
            return media
        if media in ("*/*", "application/*", "text/*"):
            return default
    return None


class _LiveStore:
    """The store's live generation, reopened when ``kg build`` points HEAD elsewhere.

    With ``memory`` the data is copied into RAM (pyoxigraph's in-memory store answers the named
    queries several times faster than RocksDB) at start and again after each rebuild.
    """

    def __init__(self, store_dir: Path, *, memory: bool = False) -> None:
        self._dir = store_dir
        self._memory = memory
        self._lock = threading.Lock()
        self._path = live_path(store_dir)
        self._store = self._open()

    def _open(self) -> ox.Store:
        disk = open_store(self._dir)
        if not self._memory:
            return disk
        copy = ox.Store()
        copy.bulk_load(disk.dump(format=ox.RdfFormat.N_QUADS), ox.RdfFormat.N_QUADS)
        return copy

    def get(self) -> ox.Store:
        with self._lock:
            path = live_path(self._dir)
            if path != self._path:
                self._store = self._open()
                self._path = path
            return self._store


def render_page(queries: dict[str, tuple[str, str]]) -> str:
    """The query page: a form posting to /sparql and a results table, no external resources.

    ``queries`` maps a named query to (description, text), offered in a picker.
    """
    data = json.dumps(queries, ensure_ascii=False).replace("<", "\\u003c")
    options = "".join(
        f'<option value="{html.escape(name)}">{html.escape(name)} — {html.escape(desc)}</option>'
        for name, (desc, _text) in sorted(queries.items())
    )
    prefixes = json.dumps(PREFIXES).replace("<", "\\u003c")
    return (
        _PAGE.replace("{{OPTIONS}}", options).replace("{{QUERIES}}", data).replace("{{PREFIXES}}", prefixes)
    )


_PAGE = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8">
<title>jixiao-kg SPARQL</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5em;max-width:80em}
textarea{width:100%;height:14em;font-family:monospace;font-size:13px}
table{border-collapse:collapse;margin-top:1em;font-size:13px}
td,th{border:1px solid #bbb;padding:2px 6px;vertical-align:top;text-align:left;min-width:4em;max-width:40em}
th{background:#eee} #status{color:#555;margin-left:1em} .err{color:#b00;white-space:pre-wrap}
</style></head><body>
<h1>jixiao-kg SPARQL endpoint</h1>
<p>Read-only. Queries see the union of all named graphs. Endpoint: <code>/sparql</code>
(SPARQL 1.1 Protocol, GET or POST).</p>
<p><label>Named query: <select id="named"><option value="">—</option>{{OPTIONS}}</select></label></p>
<textarea id="q" spellcheck="false">SELECT ?g (COUNT(*) AS ?triples) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g</textarea>
<p><button id="run">Run</button> <a id="csv" href="#">CSV</a><span id="status"></span></p>
<div id="out"></div>
<script>
const QUERIES = {{QUERIES}};
const $ = (id) => document.getElementById(id);
$("named").onchange = () => { const n = $("named").value; if (n) $("q").value = QUERIES[n][1]; };
const PREFIXES = {{PREFIXES}};
function cell(t) {
  if (!t) return "";
  if (t.type === "literal" && t["xml:lang"]) return t.value + " @" + t["xml:lang"];
  if (t.type === "uri") {
    for (const [p, base] of Object.entries(PREFIXES)) {
      if (t.value.startsWith(base) && t.value.length > base.length) return p + ":" + t.value.slice(base.length);
    }
  }
  return t.value;
}
async function run() {
  const t0 = performance.now(); $("status").textContent = " running…"; $("out").textContent = "";
  const r = await fetch("/sparql", {method: "POST",
    headers: {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    body: $("q").value});
  const ms = Math.round(performance.now() - t0);
  if (!r.ok) { $("status").textContent = ""; const d = document.createElement("div");
    d.className = "err"; d.textContent = await r.text(); $("out").appendChild(d); return; }
  const res = await r.json();
  if ("boolean" in res) { $("out").textContent = String(res.boolean); $("status").textContent = " " + ms + " ms"; return; }
  const vars = res.head.vars, rows = res.results.bindings;
  const table = document.createElement("table"), head = table.insertRow();
  for (const v of vars) { const th = document.createElement("th"); th.textContent = v; head.appendChild(th); }
  for (const b of rows) { const tr = table.insertRow(); for (const v of vars) tr.insertCell().textContent = cell(b[v]); }
  $("out").appendChild(table);
  $("status").textContent = " " + rows.length + " rows, " + ms + " ms";
}
$("run").onclick = run;
// a link such as /?name=vague_targets or /?query=… opens with that query run
const asked = new URLSearchParams(location.search);
if (asked.get("name") in QUERIES) { $("named").value = asked.get("name"); $("q").value = QUERIES[asked.get("name")][1]; run(); }
else if (asked.get("query")) { $("q").value = asked.get("query"); run(); }
$("csv").onclick = (e) => { e.preventDefault();
  window.location = "/sparql?format=csv&query=" + encodeURIComponent($("q").value); };
</script></body></html>
"""


class _Handler(BaseHTTPRequestHandler):
    server_version = "jixiao-kg"
    live: _LiveStore
    page: bytes

    def log_message(self, format: str, *args: object) -> None:  # quiet by default
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query)
        if url.path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, self.page, "text/html; charset=utf-8")
        elif url.path in QUERY_PATHS:
            if "update" in params:
                self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")
            elif "query" not in params:
                self._error(HTTPStatus.BAD_REQUEST, "missing 'query' parameter")
            else:
                self._answer(params["query"][0], params)
        else:
            self._error(HTTPStatus.NOT_FOUND, f"no such resource {url.path}; the endpoint is /sparql")

    do_HEAD = do_GET

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path not in QUERY_PATHS:
            self._error(HTTPStatus.NOT_FOUND, f"no such resource {url.path}; the endpoint is /sparql")
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > _MAX_BODY:
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "query too large")
            return
        body = self.rfile.read(length).decode("utf-8", "replace")
        content_type = self.headers.get_content_type()
        params = urllib.parse.parse_qs(url.query)
        if content_type == "application/sparql-update":
            self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")
        elif content_type == "application/sparql-query":
            self._answer(body, params)
        elif content_type == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body)
            if "update" in form:
                self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")
            elif "query" not in form:
                self._error(HTTPStatus.BAD_REQUEST, "missing 'query' parameter")
            else:
                self._answer(form["query"][0], {**params, **form})
        else:
            self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"unsupported Content-Type {content_type}")

    def _answer(self, query: str, params: dict[str, list[str]]) -> None:
        accept = self.headers.get("Accept", "")
        if "format" in params:
            accept = _SHORT.get(params["format"][0], params["format"][0])
        try:
            default_graphs = [ox.NamedNode(g) for g in params.get("default-graph-uri", [])]
            named_graphs = [ox.NamedNode(g) for g in params.get("named-graph-uri", [])]
            answer = self.live.get().query(
                query,
                use_default_graph_as_union=not default_graphs,
                default_graph=list(default_graphs) or None,
                named_graphs=list(named_graphs) or None,
            )
        except (SyntaxError, ValueError) as exc:
            self._error(HTTPStatus.BAD_REQUEST, f"bad query: {exc}")
            return
        if isinstance(answer, ox.QueryTriples):
            media = _choose(accept, dict(_GRAPH_TYPES), "application/n-triples")
            if media is None:
                self._error(HTTPStatus.NOT_ACCEPTABLE, f"graph results come as {', '.join(_GRAPH_TYPES)}")
                return
            body = ox.serialize(answer, format=_GRAPH_TYPES[media]) or b""
        else:
            media = _choose(accept, dict(_RESULT_TYPES), "application/sparql-results+json")
            if media is None:
                self._error(HTTPStatus.NOT_ACCEPTABLE, f"results come as {', '.join(_RESULT_TYPES)}")
                return
            body = answer.serialize(format=_RESULT_TYPES[media]) or b""
        charset = "" if media.endswith("json") else "; charset=utf-8"
        self._send(HTTPStatus.OK, body, media + charset)


def make_server(
    store_dir: Path, host: str = "127.0.0.1", port: int = 7878, *, memory: bool = False, verbose: bool = False
) -> ThreadingHTTPServer:
    """An HTTP server (not yet serving) answering SPARQL queries on ``store_dir``; port 0 picks one."""
    from kg.queries import list_queries, load_query

    live = _LiveStore(store_dir, memory=memory)
    queries = {name: (description, load_query(name)) for name, description in list_queries().items()}
    handler = type("Handler", (_Handler,), {"live": live, "page": render_page(queries).encode("utf-8")})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    server.verbose = verbose  # type: ignore[attr-defined]
    return server
