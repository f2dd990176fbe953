"""``kg serve`` cannot be turned against its user: no SSRF, no endless or endless-answer queries,
no DNS rebinding or cross-site queries, no slowloris, no dropped reply on a malformed request."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.server import make_server
from kg.sparql import uses_service

pytestmark = pytest.mark.server

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, kg, tiny_source) -> Path:
    root = tmp_path_factory.mktemp("served")
    tiny_source(root / "src", "甲.txt")
    assert kg("build", str(root / "src"), "--store", str(root / "store"))[0] == 0
    return root / "store"


@pytest.fixture
def serve(store: Path) -> Iterator[Callable[..., Any]]:
    started: list[Any] = []

    def start(**settings: Any) -> Any:
        server = make_server(store, "127.0.0.1", 0, workers=1, **settings)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.shutdown()
        server.server_close()


def _raw(server: Any, request: bytes, timeout: float = 30) -> tuple[int, bytes]:
    """Send bytes as they are; the status and body of the reply (0 when none came)."""
    with socket.create_connection(server.server_address[:2], timeout=timeout) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            length = [
                int(h.split(b":")[1]) for h in head.split(b"\r\n") if h.lower().startswith(b"content-length")
            ]
            if length and len(body) >= length[0]:
                break
    if not data:
        return 0, b""
    return int(data.split(b" ", 2)[1]), data.partition(b"\r\n\r\n")[2]


def _get(
    server: Any, query: str, headers: dict[str, str] | None = None, host: str | None = None
) -> tuple[int, bytes]:
    port = server.server_address[1]
    lines = [
        f"GET /sparql?{urllib.parse.urlencode({'query': query})} HTTP/1.1",
        f"Host: {host or f'127.0.0.1:{port}'}",
    ]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return _raw(server, ("\r\n".join(lines) + "\r\nConnection: close\r\n\r\n").encode())


def _post(
    server: Any, body: bytes, length: str | None = None, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    port = server.server_address[1]
    lines = ["POST /sparql HTTP/1.1", f"Host: 127.0.0.1:{port}", "Content-Type: application/sparql-query"]
    lines.append(f"Content-Length: {len(body) if length is None else length}")
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return _raw(server, ("\r\n".join(lines) + "\r\nConnection: close\r\n\r\n").encode() + body)


@pytest.mark.parametrize(
    ("query", "service"),
    [
        ("SELECT * WHERE { SERVICE <http://169.254.169.254/> { ?s ?p ?o } }", True),
        ("select * { service silent <http://10.0.0.1/> { ?s ?p ?o } }", True),
        ('SELECT * WHERE { ?s ?p "SERVICE <http://x/>" } # SERVICE in a comment', False),
        ("SELECT ?service WHERE { ?service ?p ?o }", False),
    ],
)
def test_service_is_found_as_a_keyword_not_as_text(query: str, service: bool) -> None:
    assert uses_service(query) is service


def test_service_is_refused_by_get_and_post_unless_allowed(serve) -> None:
    server = serve()
    ssrf = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    status, body = _get(server, ssrf)
    assert status == 403 and b"SERVICE is refused" in body
    assert _post(server, ssrf.encode())[0] == 403
    assert _get(server, "ASK { ?s ?p ?o }")[0] == 200
    allowed = serve(allow_service=True)
    assert _get(allowed, ssrf)[0] != 403


def test_a_query_past_its_timeout_is_stopped_and_the_server_goes_on(serve) -> None:
    server = serve(timeout=1)
    started = time.monotonic()
    status, body = _get(server, HEAVY)
    assert status == 503 and b"longer than 1 s" in body
    assert time.monotonic() - started < 20
    status, body = _get(server, "ASK { ?s ?p ?o }")  # answered by a fresh worker
    assert status == 200 and json.loads(body)["boolean"] is True


def test_a_workers_start_up_does_not_count_against_the_query_timeout(serve) -> None:
    # a spawned worker takes longer than 0.3 s to import and open the store; the query itself does not
    server = serve(timeout=0.3)
    status, body = _get(server, "ASK { ?s ?p ?o }")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_a_query_whose_client_left_is_stopped(serve) -> None:
    server = serve(timeout=120)
    port = server.server_address[1]
    body = HEAVY.encode()
    head = f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/sparql-query\r\n"
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body)
        time.sleep(0.5)
    deadline = time.monotonic() + 20
    while server.pool.stopped == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert server.pool.stopped == 1
    assert _get(server, "ASK { ?s ?p ?o }")[0] == 200


@pytest.mark.parametrize("form", ["SELECT * WHERE { ?s ?p ?o }", "CONSTRUCT WHERE { ?s ?p ?o }"])
def test_an_answer_beyond_the_row_cap_is_refused_with_a_clear_message(serve, form: str) -> None:
    server = serve(max_rows=5)
    status, body = _get(server, form)
    assert status == 422 and b"more than 5" in body and b"LIMIT" in body
    status, body = _get(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 5")
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 5


@pytest.mark.parametrize(
    ("headers", "host", "status"),
    [
        ({}, "attacker.example:7878", 403),  # DNS rebinding: the page's own name, our address
        ({"Origin": "http://attacker.example"}, None, 403),
        ({"Origin": "http://localhost:3000"}, None, 403),  # another local site
        ({"Sec-Fetch-Site": "cross-site"}, None, 403),
        ({"Sec-Fetch-Site": "same-site"}, None, 403),
        ({"Sec-Fetch-Site": "same-origin"}, None, 200),
        ({}, "localhost", 200),
    ],
)
def test_only_this_machine_and_this_page_may_query(
    serve, headers: dict[str, str], host: str | None, status: int
) -> None:
    server = serve()
    assert _get(server, "ASK { ?s ?p ?o }", headers, host)[0] == status


def test_the_page_itself_may_post_queries(serve) -> None:
    server = serve()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    headers = {"Origin": origin, "Sec-Fetch-Site": "same-origin"}
    assert _post(server, b"ASK { ?s ?p ?o }", headers=headers)[0] == 200


@pytest.mark.parametrize(("length", "status"), [("abc", 400), ("-5", 400), ("1e3", 400), (str(1 << 30), 413)])
def test_a_malformed_content_length_gets_an_answer(serve, length: str, status: int) -> None:
    server = serve()
    code, body = _post(server, b"ASK { ?s ?p ?o }", length=length)
    assert code == status and body


def test_slow_clients_are_cut_off_and_never_lock_out_the_others(serve) -> None:
    server = serve(request_timeout=1, max_connections=8)
    assert server.request_queue_size >= 64
    port = server.server_address[1]
    slow = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(20)]
    try:
        for sock in slow:
            sock.sendall(b"GET /sparql?query=ASK HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        time.sleep(2.5)  # past the request deadline
        for sock in slow:  # each was answered (408/503) or closed, none is still held open
            assert sock.recv(4096) == b"" or sock.recv(4096) == b""
        assert _get(server, "ASK { ?s ?p ?o }")[0] == 200
    finally:
        for sock in slow:
            sock.close()
