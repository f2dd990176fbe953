"""A read-only SPARQL 1.1 Protocol endpoint over a store, with a self-contained query page.

``GET /sparql?query=…``, ``POST /sparql`` (form-encoded ``query=`` or ``application/sparql-query``)
answer in the format the ``Accept`` header (or a ``format`` parameter) asks for: SPARQL JSON,
XML, CSV or TSV results; N-Triples, Turtle or JSON-LD for CONSTRUCT/DESCRIBE.  Updates are
refused with 403.  The store is opened read-only and reopened when a build swaps it.

The server is meant to run on the analyst's machine while they browse the web, so it refuses
to be turned against them:

- ``SERVICE`` is refused (unless ``allow_service``): a query cannot make the server send
  requests elsewhere (SSRF), whoever wrote it;
- queries run in worker processes (:mod:`kg.query_pool`) with a timeout, are stopped when the
  client leaves, and their answers are capped at ``max_rows`` rows;
- bound to loopback, it answers only requests whose ``Host`` names loopback (DNS rebinding) and
  refuses cross-site queries (``Origin``, ``Sec-Fetch-Site``), so a web page cannot query it;
- each request must arrive within ``request_timeout`` seconds and connections are capped
  (slowloris); a malformed ``Content-Length`` gets a 400, never a dropped connection.
"""

from __future__ import annotations

import contextlib
import html
import ipaddress
import json
import select
import socket
import threading
import urllib.parse
from collections.abc import Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from kg.query_pool import QueryAnswer, QueryJob, QueryPool
from kg.sparql import uses_service
from kg.vocab import PREFIXES

__all__ = ["QUERY_PATHS", "make_server", "render_page"]

QUERY_PATHS = ("/sparql", "/query")
_MAX_BODY = 1 << 20
_LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
_SHORT = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "nt": "application/n-triples",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
}


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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
    protocol_version = "HTTP/1.1"
    timeout = 30  # seconds a connection may sit idle between reads
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # quiet by default
        if self.server.verbose:
            super().log_message(format, *args)

    # --- reading a request within its deadline -------------------------------------------------

    def handle_one_request(self) -> None:
        # a request that trickles in (slowloris) is cut off once its deadline passes
        self._watchdog = threading.Timer(self.server.request_timeout, self._drop)
        self._watchdog.daemon = True
        self._watchdog.start()
        try:
            super().handle_one_request()
        finally:
            self._watchdog.cancel()

    def _drop(self) -> None:
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _received(self) -> None:
        self._watchdog.cancel()  # the request is in: the query's own timeout applies from here

    def _client_gone(self) -> bool:
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return bool(readable) and self.connection.recv(1, socket.MSG_PEEK) == b""
        except (OSError, ValueError):
            return True

    # --- answering ----------------------------------------------------------------------------

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if status >= 400:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def _refusal(self, query_path: bool) -> str | None:
        """Why this request is refused (DNS rebinding, another site), or None."""
        host = self.headers.get("Host", "")
        names = self.server.allowed_hosts
        hostname = urllib.parse.urlsplit("//" + host).hostname or ""
        if names is not None and hostname not in names:
            return f"Host {host!r} refused: this server answers to {', '.join(sorted(names))} only"
        origin = self.headers.get("Origin")
        if origin is not None:
            parts = urllib.parse.urlsplit(origin)
            same = (
                parts.netloc == host
                if names is None
                else parts.hostname in names and parts.port == self.server.server_address[1]
            )
            if parts.scheme not in ("http", "https") or not same:
                return f"requests from {origin} refused: only this server's own page may query it"
        site = self.headers.get("Sec-Fetch-Site", "none")
        if query_path and site not in ("same-origin", "none"):
            return f"a {site} request refused: only this server's own page may query it"
        return None

    def _guarded(self, answer: Any) -> None:
        try:
            answer()
        except Exception as exc:  # one bad request never takes the connection down unanswered
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"internal error: {type(exc).__name__}: {exc}")

    def do_GET(self) -> None:
        self._received()
        self._guarded(self._get)

    do_HEAD = do_GET

    def do_POST(self) -> None:
        self._guarded(self._post)

    def _get(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        refusal = self._refusal(url.path in QUERY_PATHS)
        if refusal:
            self._error(HTTPStatus.FORBIDDEN, refusal)
            return
        params = urllib.parse.parse_qs(url.query)
        if url.path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, self.server.page, "text/html; charset=utf-8")
        elif url.path in QUERY_PATHS:
            if "update" in params:
                self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")
            elif "query" not in params:
                self._error(HTTPStatus.BAD_REQUEST, "missing 'query' parameter")
            else:
                self._answer(params["query"][0], params)
        else:
            self._error(HTTPStatus.NOT_FOUND, f"no such resource {url.path}; the endpoint is /sparql")

    def _body(self) -> bytes | None:
        """The request body, or None once an error has been sent for it."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self._error(HTTPStatus.LENGTH_REQUIRED, "send the query with a Content-Length, not chunked")
            return None
        raw = (self.headers.get("Content-Length") or "0").strip()
        if not raw.isdigit():
            self._error(HTTPStatus.BAD_REQUEST, f"malformed Content-Length {raw[:40]!r}")
            return None
        if int(raw) > _MAX_BODY:
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"query too large (over {_MAX_BODY} bytes)")
            return None
        return self.rfile.read(int(raw))

    def _post(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        body = self._body()
        self._received()
        if body is None:
            return
        refusal = self._refusal(url.path in QUERY_PATHS)
        if refusal:
            self._error(HTTPStatus.FORBIDDEN, refusal)
            return
        if url.path not in QUERY_PATHS:
            self._error(HTTPStatus.NOT_FOUND, f"no such resource {url.path}; the endpoint is /sparql")
            return
        text = body.decode("utf-8", "replace")
        content_type = self.headers.get_content_type()
        params = urllib.parse.parse_qs(url.query)
        if content_type == "application/sparql-update":
            self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")
        elif content_type == "application/sparql-query":
            self._answer(text, params)
        elif content_type == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(text)
            if "update" in form:
                self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")
            elif "query" not in form:
                self._error(HTTPStatus.BAD_REQUEST, "missing 'query' parameter")
            else:
                self._answer(form["query"][0], {**params, **form})
        else:
            self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"unsupported Content-Type {content_type}")

    def _answer(self, query: str, params: dict[str, list[str]]) -> None:
        if not self.server.allow_service and uses_service(query):
            self._error(
                HTTPStatus.FORBIDDEN,
                "SERVICE is refused: this server sends no requests to other servers "
                "(start it with --allow-service to allow federated queries)",
            )
            return
        accept = self.headers.get("Accept", "")
        if "format" in params:
            accept = _SHORT.get(params["format"][0], params["format"][0])
        job = QueryJob(
            query,
            accept,
            self.server.max_rows,
            tuple(params.get("default-graph-uri", [])),
            tuple(params.get("named-graph-uri", [])),
        )
        answer: QueryAnswer | None = self.server.pool.run(job, self._client_gone)
        if answer is None:  # the client left; the query was stopped
            self.close_connection = True
            return
        self._send(answer.status, answer.body, answer.media)


class _Server(ThreadingHTTPServer):
    """A threaded HTTP server with a listen backlog and a cap on simultaneous connections."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(
        self, address: tuple[str, int], *, pool: QueryPool, max_connections: int, **settings: Any
    ) -> None:
        self.pool = pool
        self._slots = threading.BoundedSemaphore(max_connections)
        self.page: bytes = settings["page"]
        self.verbose: bool = settings["verbose"]
        self.max_rows: int = settings["max_rows"]
        self.allow_service: bool = settings["allow_service"]
        self.request_timeout: float = settings["request_timeout"]
        self.allowed_hosts: frozenset[str] | None = settings["allowed_hosts"]
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            # every slot is taken (by slow clients?): say so at once rather than queue forever
            body = b"too many connections; try again\n"
            head = (
                "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
            )
            with contextlib.suppress(OSError):
                request.sendall(head.encode("ascii") + body)
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()


def make_server(
    store_dir: Path,
    host: str = "127.0.0.1",
    port: int = 7878,
    *,
    memory: bool = False,
    verbose: bool = False,
    timeout: float = 30.0,
    max_rows: int = 100_000,
    workers: int = 2,
    allow_service: bool = False,
    allowed_hosts: Iterable[str] = (),
    request_timeout: float = 10.0,
    max_connections: int = 64,
) -> ThreadingHTTPServer:
    """An HTTP server (not yet serving) answering SPARQL queries on ``store_dir``; port 0 picks one.

    ``timeout`` bounds each query (seconds), ``max_rows`` its answer; ``workers`` queries run
    at once.  On a loopback ``host`` only ``Host`` headers naming loopback (or one of
    ``allowed_hosts``) are answered; elsewhere only ``allowed_hosts``, if any are given.
    """
    from kg.queries import list_queries, load_query

    queries = {name: (description, load_query(name)) for name, description in list_queries().items()}
    names: frozenset[str] | None = frozenset(allowed_hosts)
    if is_loopback(host):
        names = frozenset({*_LOOPBACK_NAMES, *allowed_hosts})
    elif not names:
        names = None  # any name may reach a server bound beyond loopback: the user chose to expose it
    pool = QueryPool(store_dir, workers=workers, timeout=timeout, memory=memory)
    try:
        return _Server(
            (host, port),
            pool=pool,
            max_connections=max_connections,
            page=render_page(queries).encode("utf-8"),
            verbose=verbose,
            max_rows=max_rows,
            allow_service=allow_service,
            request_timeout=request_timeout,
            allowed_hosts=names,
        )
    except BaseException:
        pool.close()
        raise
