"""SPARQL queries run in worker processes, so that a query can be stopped.

A query runs inside Oxigraph's Rust code, which a Python thread cannot interrupt; a process can
be killed.  Each of a few worker processes holds the store open (reopening it when a build
swaps the live generation) and answers one query at a time: it runs it, caps the answer at
``max_rows`` rows (a clear error beyond, never an answer that grows without bound) and
serialises it in the negotiated format.  :meth:`QueryPool.run` waits for the answer; when the
query outlives its timeout, or the client that asked has gone, the worker is killed and a
fresh one started in its place.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

import pyoxigraph as ox

from kg.sparql import QueryResult, Term, format_result
from kg.store import live_path, open_store

__all__ = ["GRAPH_TYPES", "RESULT_TYPES", "QueryAnswer", "QueryJob", "QueryPool", "choose_media", "execute"]

RESULT_TYPES: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES: dict[str, ox.RdfFormat] = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


_STARTUP = 60.0  # seconds a worker process may take to start (imports, opening the store)
_READY = "ready"


@dataclass(frozen=True)
class QueryJob:
    query: str
    accept: str
    max_rows: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class QueryAnswer:
    status: int
    media: str
    body: bytes

    @classmethod
    def error(cls, status: HTTPStatus, message: str) -> QueryAnswer:
        return cls(int(status), "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))


def choose_media(accept: str, offered: dict[str, object], default: str) -> str | None:
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


def _too_many(job: QueryJob, what: str) -> QueryAnswer:
    return QueryAnswer.error(
        HTTPStatus.UNPROCESSABLE_ENTITY,
        f"the answer has more than {job.max_rows} {what} (this server's --max-rows); "
        "narrow the query or page through it with LIMIT and OFFSET",
    )


def execute(store: ox.Store, job: QueryJob) -> QueryAnswer:
    """Run one query on ``store`` and serialise its answer (what a worker does)."""
    try:
        answer = store.query(
            job.query,
            use_default_graph_as_union=not job.default_graphs,
            default_graph=[ox.NamedNode(g) for g in job.default_graphs] or None,
            named_graphs=[ox.NamedNode(g) for g in job.named_graphs] or None,
        )
        if isinstance(answer, ox.QueryTriples):
            media = choose_media(job.accept, dict(GRAPH_TYPES), "application/n-triples")
            if media is None:
                return QueryAnswer.error(
                    HTTPStatus.NOT_ACCEPTABLE, f"graph results come as {', '.join(GRAPH_TYPES)}"
                )
            triples: list[ox.Triple] = []
            for triple in answer:
                if len(triples) == job.max_rows:
                    return _too_many(job, "triples")
                triples.append(triple)
            return QueryAnswer(200, media, ox.serialize(triples, format=GRAPH_TYPES[media]) or b"")
        media = choose_media(job.accept, dict(RESULT_TYPES), "application/sparql-results+json")
        if media is None:
            return QueryAnswer.error(HTTPStatus.NOT_ACCEPTABLE, f"results come as {', '.join(RESULT_TYPES)}")
        charset = "" if media.endswith("json") else "; charset=utf-8"
        if isinstance(answer, ox.QueryBoolean):
            return QueryAnswer(200, media + charset, answer.serialize(format=RESULT_TYPES[media]) or b"")
        variables = [v.value for v in answer.variables]
        rows: list[tuple[Term | None, ...]] = []
        for solution in answer:
            if len(rows) == job.max_rows:
                return _too_many(job, "rows")
            rows.append(tuple(solution[name] for name in variables))
        # the capped rows, as SPARQL JSON; Oxigraph re-serialises that into any other format
        body = format_result(QueryResult("select", variables=variables, rows=rows), "json").encode("utf-8")
        if RESULT_TYPES[media] is not ox.QueryResultsFormat.JSON:
            body = (
                ox.parse_query_results(body, ox.QueryResultsFormat.JSON).serialize(format=RESULT_TYPES[media])
                or b""
            )
        return QueryAnswer(200, media + charset, body)
    except (SyntaxError, ValueError) as exc:
        return QueryAnswer.error(HTTPStatus.BAD_REQUEST, f"bad query: {exc}")
    except (OSError, RuntimeError) as exc:  # evaluation errors surface while iterating
        return QueryAnswer.error(HTTPStatus.INTERNAL_SERVER_ERROR, f"the query failed: {exc}")


class _LiveStore:
    """The store's live generation, reopened when ``kg build`` points HEAD elsewhere.

    With ``memory`` the data is copied into RAM (pyoxigraph's in-memory store answers the named
    queries several times faster than RocksDB) at start and again after each rebuild.
    """

    def __init__(self, store_dir: Path, *, memory: bool = False) -> None:
        self._dir = store_dir
        self._memory = memory
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
        path = live_path(self._dir)
        if path != self._path:
            self._store = self._open()
            self._path = path
        return self._store


def _serve(store_dir: str, memory: bool, conn: Connection) -> None:
    """A worker process: answer jobs from ``conn`` until it closes."""
    live = _LiveStore(Path(store_dir), memory=memory)
    conn.send(_READY)  # started: from now on the time is the queries'
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(execute(live.get(), job))


@dataclass(eq=False)  # compared and hashed by identity: a worker is one process
class _Worker:
    process: BaseProcess
    conn: Connection
    ready: bool = False  # its start-up message received


class QueryPool:
    """A few worker processes answering queries; one killed and replaced when its query must stop."""

    def __init__(
        self, store_dir: Path, *, workers: int = 2, timeout: float = 30.0, memory: bool = False
    ) -> None:
        open_store(store_dir)  # a missing store is the caller's error now, not each worker's later
        # spawn, not fork: forking a threaded server is unsafe, and Windows has nothing else
        self._context = multiprocessing.get_context("spawn")
        self._store_dir = str(store_dir)
        self._memory = memory
        self.timeout = timeout
        self.stopped = 0  # queries stopped (timeout or client gone), for the tests and the log
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(max(1, workers)):
            self._idle.put(self._start())

    def _start(self) -> _Worker:
        ours, theirs = self._context.Pipe()
        process = self._context.Process(
            target=_serve, args=(self._store_dir, self._memory, theirs), daemon=True
        )
        process.start()
        theirs.close()
        worker = _Worker(process, ours)
        with self._lock:
            self._all.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.conn.close()
        with self._lock:
            self._all.discard(worker)
            if self._closed:
                return

        def restart() -> None:
            worker.process.join(5)
            if self._closed:
                return
            fresh = self._start()
            if self._closed:  # closed while it started
                fresh.process.kill()
            else:
                self._idle.put(fresh)

        threading.Thread(target=restart, daemon=True).start()

    def run(self, job: QueryJob, gone: Callable[[], bool] = lambda: False) -> QueryAnswer | None:
        """The answer to ``job``; None when the client left (the query was stopped)."""
        try:
            # a stopped worker's replacement takes a moment to start: wait for it beyond the timeout
            worker = self._idle.get(timeout=self.timeout + _STARTUP)
        except queue.Empty:
            return QueryAnswer.error(HTTPStatus.SERVICE_UNAVAILABLE, "every query worker is busy; try again")
        try:
            if not worker.ready:
                # a worker's start-up (a replacement's above all: it started when a query was
                # stopped) is not the next query's time
                if not worker.conn.poll(_STARTUP) or worker.conn.recv() != _READY:
                    raise EOFError
                worker.ready = True
            deadline = time.monotonic() + self.timeout
            worker.conn.send(job)
            while not worker.conn.poll(0.05):
                left = gone()
                if left or time.monotonic() > deadline:
                    self.stopped += 1
                    self._replace(worker)
                    if left:
                        return None
                    return QueryAnswer.error(
                        HTTPStatus.SERVICE_UNAVAILABLE,
                        f"the query ran longer than {self.timeout:g} s (this server's --timeout) and was stopped",
                    )
            answer: QueryAnswer = worker.conn.recv()
        except (EOFError, OSError):
            self._replace(worker)
            return QueryAnswer.error(
                HTTPStatus.INTERNAL_SERVER_ERROR, "the query worker died (out of memory?)"
            )
        self._idle.put(worker)
        return answer

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.process.kill()
            worker.conn.close()
        for worker in workers:
            worker.process.join(5)
