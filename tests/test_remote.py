"""Remote SPARQL: pushing to and querying a real ``oxigraph serve``, and ``kg serve`` on loopback."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.server import make_server
from kg.store import Generator, build_store

pytestmark = pytest.mark.server

EX = "http://example.org/"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(url: str, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not come up in {seconds}s")


def _tiny_store(tmp_path: Path) -> Path:
    import rdflib

    def graph(doc: dict) -> rdflib.Graph:
        g = rdflib.Graph()
        g.add(
            (rdflib.URIRef(EX + doc["source"]), rdflib.RDFS.label, rdflib.Literal(doc["tables"][0]["name"]))
        )
        return g

    generator = Generator(
        graph_iri=lambda d: f"{EX}graph/{d['source']}",
        document_graph=graph,
        framework_graph=rdflib.Graph,
        fingerprint="test",
    )
    exports = []
    for source, name in [("a.txt", "项目甲"), ("b.txt", "项目乙")]:
        path = tmp_path / f"{source}.json"
        path.write_text(json.dumps({"source": source, "tables": [{"name": name}]}), encoding="utf-8")
        exports.append(path)
    from kg.commands.build import read_document_export

    build_store(tmp_path / "store", exports, read_document_export, generator=generator)
    return tmp_path / "store"


@pytest.fixture
def oxigraph_server(tmp_path: Path) -> Iterator[str]:
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(binary).exists():
        pytest.skip("the oxigraph server (PyPI package oxigraph) is not installed")
    port = _free_port()
    process = subprocess.Popen(
        [binary, "serve", "--location", str(tmp_path / "remote"), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + "/query?query=ASK%7B%7D")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def test_push_puts_every_named_graph_and_query_reads_them_back(tmp_path, oxigraph_server):
    store = _tiny_store(tmp_path)
    runner = CliRunner()
    push = runner.invoke(cli, ["push", "--store", str(store), "--endpoint", oxigraph_server + "/store"])
    assert push.exit_code == 0, push.output
    assert f"put {EX}graph/a.txt (1 triples)" in push.output
    again = runner.invoke(cli, ["push", "--store", str(store), "--endpoint", oxigraph_server + "/store"])
    assert again.exit_code == 0  # a PUT replaces: pushing twice duplicates nothing
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    result = runner.invoke(cli, ["query", "-e", query, "--endpoint", oxigraph_server + "/query", "-f", "csv"])
    assert result.exit_code == 0, result.output
    local = runner.invoke(cli, ["query", "-e", query, "--store", str(store), "-f", "csv"])
    assert result.output == local.output
    assert f"{EX}graph/b.txt,1" in result.output


def test_remote_query_binds_parameters_the_same_way(tmp_path, oxigraph_server):
    store = _tiny_store(tmp_path)
    runner = CliRunner()
    runner.invoke(cli, ["push", "--store", str(store), "--endpoint", oxigraph_server + "/store"])
    query = f"SELECT ?s WHERE {{ ?s <{LABEL}> ?name }}"
    for value, expected in [("项目乙", f"{EX}b.txt"), ('x" } ; DROP ALL ; #', None)]:
        args = [
            "query",
            "-e",
            query,
            "--endpoint",
            oxigraph_server + "/query",
            "-p",
            f"name={value}",
            "-f",
            "json",
        ]
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
        values = [b["s"]["value"] for b in json.loads(result.output)["results"]["bindings"]]
        assert values == ([expected] if expected else [])
    count = runner.invoke(cli, ["query", "-e", "ASK { ?s ?p ?o }", "--endpoint", oxigraph_server + "/query"])
    assert count.output == "true\n"


def test_unreachable_endpoint_is_a_clean_error():
    url = f"http://127.0.0.1:{_free_port()}/query"
    result = CliRunner().invoke(cli, ["query", "-e", "ASK {}", "--endpoint", url, "--timeout", "5"])
    assert result.exit_code == 1
    assert "cannot reach" in result.output


@pytest.fixture
def kg_server(tmp_path: Path) -> Iterator[str]:
    server = make_server(_tiny_store(tmp_path), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _get(url: str, accept: str = "") -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get_content_type(), exc.read()


def _post(url: str, body: bytes, content_type: str, accept: str = "") -> tuple[int, str, bytes]:
    headers = {"Content-Type": content_type, **({"Accept": accept} if accept else {})}
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get_content_type(), exc.read()


def test_served_store_answers_get_and_post_in_the_formats_asked(kg_server):
    query = f"SELECT ?name WHERE {{ ?s <{LABEL}> ?name }} ORDER BY ?name"
    status, media, body = _get(kg_server + "/sparql?" + urllib.parse.urlencode({"query": query}))
    assert (status, media) == (200, "application/sparql-results+json")
    assert [b["name"]["value"] for b in json.loads(body)["results"]["bindings"]] == ["项目乙", "项目甲"]
    status, media, body = _post(kg_server + "/sparql", query.encode(), "application/sparql-query", "text/csv")
    assert (status, media) == (200, "text/csv")
    assert body.decode().splitlines() == ["name", "项目乙", "项目甲"]
    form = urllib.parse.urlencode({"query": f"CONSTRUCT WHERE {{ ?s <{LABEL}> ?o }}"}).encode()
    status, media, body = _post(kg_server + "/sparql", form, "application/x-www-form-urlencoded")
    assert (status, media) == (200, "application/n-triples")
    assert len(list(ox.parse(body, ox.RdfFormat.N_TRIPLES))) == 2


def test_served_store_refuses_updates_and_reports_bad_queries(kg_server):
    drop = "DROP ALL"
    assert _post(kg_server + "/sparql", drop.encode(), "application/sparql-update")[0] == 403
    form = urllib.parse.urlencode({"update": drop}).encode()
    assert _post(kg_server + "/sparql", form, "application/x-www-form-urlencoded")[0] == 403
    assert _get(kg_server + "/sparql?" + urllib.parse.urlencode({"update": drop}))[0] == 403
    as_query = _get(kg_server + "/sparql?" + urllib.parse.urlencode({"query": drop}))
    assert as_query[0] == 400
    count = _get(
        kg_server + "/sparql?" + urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) {?s ?p ?o}"})
    )
    assert json.loads(count[2])["results"]["bindings"][0]["n"]["value"] != "0"


def test_query_page_is_self_contained_and_offers_the_named_queries(kg_server):
    from kg.queries import list_queries

    status, media, body = _get(kg_server + "/")
    page = body.decode()
    assert (status, media) == (200, "text/html")
    # IRIs appear in the embedded query texts; nothing may be *loaded* from elsewhere
    assert not re.search(r"""(src|href|action)\s*=\s*["']?(https?:)?//""", page)
    assert not re.search(r"<link|@import|url\(|<iframe", page)
    assert re.search(r"""fetch\(["']/sparql""", page)
    for name in list_queries():
        assert f'value="{name}"' in page


def test_served_store_follows_a_rebuild(tmp_path, kg_server):
    store = tmp_path / "store"
    query = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) {?s ?p ?o}"})
    before = json.loads(_get(kg_server + "/sparql?" + query)[2])["results"]["bindings"][0]["n"]["value"]
    (tmp_path / "a.txt.json").unlink()
    import rdflib

    from kg.commands.build import read_document_export

    generator = Generator(
        lambda d: f"{EX}graph/{d['source']}", lambda d: rdflib.Graph(), rdflib.Graph, "test"
    )
    build_store(store, [tmp_path / "b.txt.json"], read_document_export, generator=generator)
    after = json.loads(_get(kg_server + "/sparql?" + query)[2])["results"]["bindings"][0]["n"]["value"]
    assert int(after) < int(before)


def test_memory_mode_answers_the_same_and_reloads_after_a_rebuild(tmp_path):
    import rdflib

    from kg.commands.build import read_document_export

    store = _tiny_store(tmp_path)
    server = make_server(store, "127.0.0.1", 0, memory=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    query = urllib.parse.urlencode({"query": f"SELECT ?name WHERE {{ ?s <{LABEL}> ?name }} ORDER BY ?name"})
    try:
        names = [
            b["name"]["value"] for b in json.loads(_get(f"{base}/sparql?{query}")[2])["results"]["bindings"]
        ]
        assert names == ["项目乙", "项目甲"]
        (tmp_path / "a.txt.json").unlink()
        generator = Generator(
            lambda d: f"{EX}graph/{d['source']}", lambda d: rdflib.Graph(), rdflib.Graph, "t2"
        )
        build_store(store, [tmp_path / "b.txt.json"], read_document_export, generator=generator)
        assert json.loads(_get(f"{base}/sparql?{query}")[2])["results"]["bindings"] == []
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
