"""The persistent graph store: a pyoxigraph (RocksDB) database on disk, built incrementally.

Layout of a store directory ``DIR``::

    DIR/HEAD                  name of the live generation (replaced atomically with ``os.replace``)
    DIR/gen-<id>/             the live pyoxigraph database; never written once HEAD names it
    DIR/gen-<id>.sources.json where on this machine each document's source file is (see below)
    DIR/staging-<id>/         a build in progress (a hard-linked backup of the live one, then edited)
    DIR/.lock                 held (``filelock``) by the one build or analysis allowed at a time

A build never writes the live generation: it copies it (``Store.backup``, hard links, cheap),
applies drops and loads to the copy, then points HEAD at the copy.  Whatever interrupts a build
before that last rename (an exception, Ctrl-C, a killed process) leaves HEAD, hence the store,
as it was; leftovers are swept by the next build.

Each document is one named graph.  A metadata graph (:data:`METADATA_GRAPH`) records, per
document graph, the name of the source file it came from (``dcterms:source``, the document's
key: two files of one name in different folders get two keys), that file's content hash, the
hash of the document record itself and the fingerprint of the code that built it, which is
what lets an unchanged document be skipped without even being read again.  Where the file is
on this machine is local knowledge kept out of the graph (exports and pushes carry the graph):
the generation's ``.sources.json`` maps each document graph to its path.

The analyses written back (:func:`replace_graphs` with ``derived_from``) record the digest of
the documents they were computed from (:func:`documents_digest`); a store whose documents
changed since says so (:func:`derived_digests`), and its analyses are rerun (``kg.freshness``).
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import shutil
import tempfile
import time
import traceback
import uuid
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Literal

import pyoxigraph as ox
import rdflib
from filelock import FileLock, Timeout

from extract.atomic import write_text_atomic
from kg.storemeta import (
    FRAMEWORK_GRAPH,
    METADATA_GRAPH,
    DocumentState,
    builder_fingerprint,
    builder_quad,
    derived_digests,
    digest_quad,
    document_hash,
    documents_digest,
    file_hash,
    forget_graph,
    framework_builder,
    metadata_quads,
    read_documents,
    read_sources,
    sources_file,
)
from kg.vocab import PREFIXES

__all__ = [
    "EXPORT_FORMATS",
    "FRAMEWORK_GRAPH",
    "METADATA_GRAPH",
    "BuildEvent",
    "BuildReport",
    "DocumentState",
    "Generator",
    "StoreError",
    "build_store",
    "builder_fingerprint",
    "default_generator",
    "derived_digests",
    "document_hash",
    "documents_digest",
    "export_store",
    "file_hash",
    "graph_to_nquads",
    "live_path",
    "open_store",
    "read_document_states",
    "read_documents",
    "replace_graphs",
    "store_exists",
    "store_lock",
]

_INCOMPLETE = "incomplete"  # source hash of a file some of whose documents failed

_HEAD = "HEAD"
_LOCK = ".lock"
_GEN_PREFIX = "gen-"
_STAGING_PREFIX = "staging-"

Action = Literal["added", "replaced", "skipped", "dropped", "failed"]


class StoreError(Exception):
    """A store directory that cannot be used as asked (absent, foreign, locked)."""


# --- opening -------------------------------------------------------------------------------------


def _is_raw_oxigraph(path: Path) -> bool:
    # a database made by `oxigraph serve --location` or pyoxigraph directly: RocksDB's own files
    return (path / "CURRENT").is_file() and (path / "IDENTITY").exists()


def live_path(store_dir: Path) -> Path | None:
    """Directory of the live database of ``store_dir``, or None when there is none yet."""
    head = store_dir / _HEAD
    if head.is_file():
        name = head.read_text(encoding="utf-8").strip()
        live = store_dir / name
        if not name.startswith(_GEN_PREFIX) or not live.is_dir():
            raise StoreError(f"{head} names {name!r}, which is not a generation directory")
        return live
    if _is_raw_oxigraph(store_dir):
        return store_dir
    return None


def store_exists(store_dir: Path) -> bool:
    return live_path(Path(store_dir)) is not None


def open_store(store_dir: Path | str, *, read_only: bool = True) -> ox.Store:
    """Open the live database of a store directory; read-only unless asked otherwise.

    Writing to a live generation by hand bypasses the incremental build's bookkeeping, so
    ``read_only=False`` is meant for databases that are not managed by :func:`build_store`.
    """
    store_dir = Path(store_dir)
    live = live_path(store_dir)
    if live is None:
        raise StoreError(f"no store at {store_dir} (run `kg build PATH... --store {store_dir}` first)")
    return ox.Store.read_only(str(live)) if read_only else ox.Store(str(live))


def read_document_states(store_dir: Path | str) -> dict[str, DocumentState]:
    """:func:`read_documents` of the live generation, with each source file's local path."""
    live = live_path(Path(store_dir))
    if live is None:
        return {}
    states = read_documents(ox.Store.read_only(str(live)))
    paths = read_sources(live)
    return {g: replace(s, source=paths.get(g, s.source)) for g, s in states.items()}


# --- export ------------------------------------------------------------------------------------

EXPORT_FORMATS: dict[str, ox.RdfFormat | None] = {
    "ttl": ox.RdfFormat.TURTLE,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": None,  # rdflib's serialiser: it compacts with a @context, pyoxigraph's does not
}


def export_store(store: ox.Store, fmt: str, output: IO[bytes], *, graph: ox.NamedNode | None = None) -> None:
    """Write the store, or one named ``graph`` of it, to ``output`` in ``fmt`` (see EXPORT_FORMATS).

    Turtle has no named graphs: exporting the whole store to it merges every graph.
    """
    if fmt not in EXPORT_FORMATS:
        raise StoreError(f"unknown export format {fmt!r} (one of {', '.join(EXPORT_FORMATS)})")
    if graph is not None and not store.contains_named_graph(graph):
        raise StoreError(f"the store has no graph <{graph.value}>")
    quads = store.quads_for_pattern(None, None, None, graph)
    rdf_format = EXPORT_FORMATS[fmt]
    if rdf_format is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # rdflib 7 calls its own deprecated API
            dataset = rdflib.Dataset()
            dataset.parse(data=ox.serialize(quads, format=ox.RdfFormat.N_QUADS), format="nquads")
            dataset.serialize(output, format="json-ld", context=PREFIXES, auto_compact=True, encoding="utf-8")
    elif rdf_format is ox.RdfFormat.TURTLE:
        ox.serialize((q.triple for q in quads), output, rdf_format, prefixes=PREFIXES)
    else:
        ox.serialize(quads, output, rdf_format, prefixes=PREFIXES)


# --- serialisation -----------------------------------------------------------------------------


def graph_to_nquads(graph: rdflib.Graph, graph_iri: str) -> bytes:
    """N-Quads of ``graph`` placed in the named graph ``graph_iri``.

    N-Triples puts one triple per line ending in `` .``; inserting the graph name before that
    end is all N-Quads needs, and it keeps rdflib's (escaping-correct) term serialisation.
    """
    ox.NamedNode(graph_iri)  # refuses an invalid IRI before it reaches the file
    ntriples = graph.serialize(format="nt", encoding="utf-8")
    tail = b" <" + graph_iri.encode("utf-8") + b"> .\n"
    out = bytearray()
    for line in ntriples.splitlines():
        if line.endswith(b" ."):
            out += line[:-2]
            out += tail
    return bytes(out)


# --- the build --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuildEvent:
    action: Action
    source: str
    graph: str | None = None
    triples: int = 0
    detail: str = ""


@dataclass
class BuildReport:
    events: list[BuildEvent] = field(default_factory=list)
    store_triples: int = 0
    committed: bool = False
    timings: dict[str, float] = field(default_factory=dict)  # seconds per build phase

    def count(self, action: Action) -> int:
        return sum(1 for e in self.events if e.action == action)

    def summary(self) -> dict[str, int]:
        actions: tuple[Action, ...] = ("added", "replaced", "skipped", "dropped", "failed")
        return {a: self.count(a) for a in actions}


# One input file -> its document records (or the error that stopped one of them).
DocumentLoader = Callable[[Path], Iterable[dict[str, Any] | Exception]]


@dataclass(frozen=True)
class Generator:
    """How records become triples; the default is :mod:`kg.triples`, tests pass their own."""

    graph_iri: Callable[[dict[str, Any]], str]
    document_graph: Callable[[dict[str, Any]], rdflib.Graph]
    framework_graph: Callable[[], rdflib.Graph]
    fingerprint: str


def default_generator() -> Generator:
    from kg import triples

    return Generator(
        graph_iri=triples.document_graph_iri,
        document_graph=triples.generate_document_graph,
        framework_graph=triples.generate_framework_graph,
        fingerprint=builder_fingerprint(),
    )


_LOCKS: dict[str, FileLock] = {}


@contextlib.contextmanager
def store_lock(store_dir: Path | str, *, wait: float = 0) -> Iterator[None]:
    """Hold the store's build lock: one build or analysis write-back at a time.

    Waits up to ``wait`` seconds for another holder (0: refuse at once).  Reentrant within a
    process, so a build can hold it across its documents and the analyses that follow them.
    ``filelock`` rather than ``fcntl``: the same lock on Windows.
    """
    store_dir = Path(store_dir)
    store_dir.mkdir(parents=True, exist_ok=True)
    ours = (_HEAD, _LOCK, _GEN_PREFIX, _STAGING_PREFIX)
    if not (store_dir / _HEAD).exists() and any(not p.name.startswith(ours) for p in store_dir.iterdir()):
        raise StoreError(f"{store_dir} is not empty and is not a kg store; choose another --store")
    path = str((store_dir / _LOCK).resolve())
    lock = _LOCKS.setdefault(path, FileLock(path))
    try:
        lock.acquire(timeout=wait)
    except Timeout as exc:
        raise StoreError(f"another build holds {Path(store_dir) / _LOCK}") from exc
    try:
        yield
    finally:
        lock.release()


def _sweep(store_dir: Path, keep: Path | None) -> None:
    """Remove staging directories and generations HEAD no longer names (crash leftovers)."""
    kept = set() if keep is None else {keep, sources_file(keep)}
    for child in store_dir.iterdir():
        stale_gen = child.name.startswith(_GEN_PREFIX) and child not in kept
        if child.name.startswith(_STAGING_PREFIX) or stale_gen:
            if child.is_dir():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)


@dataclass
class _Plan:
    """What a build will write: N-Quads in a spool file, graphs to drop, metadata to record."""

    spool: IO[bytes]
    drop: set[str] = field(default_factory=set)
    records: dict[str, DocumentState] = field(default_factory=dict)
    framework: bool = False
    sources: dict[str, str] = field(default_factory=dict)  # graph IRI -> local path, for every graph kept

    @property
    def empty(self) -> bool:
        return not self.drop and not self.records and not self.framework


def _plan(
    paths: Sequence[Path],
    load: DocumentLoader,
    known: dict[str, DocumentState],
    generator: Generator,
    *,
    prune: bool,
    force: bool,
    names: Mapping[Path, str] | None,
    spool: IO[bytes],
    report: BuildReport,
    on_event: Callable[[BuildEvent], None],
) -> _Plan:
    plan = _Plan(spool=spool)
    builder = generator.fingerprint

    def emit(event: BuildEvent) -> None:
        report.events.append(event)
        on_event(event)

    by_source: dict[str, list[DocumentState]] = {}
    for state in known.values():
        by_source.setdefault(state.source, []).append(state)

    seen_sources: set[str] = set()
    produced: set[str] = set()
    for path in paths:
        source = str(path.resolve())
        if source in seen_sources:
            continue
        seen_sources.add(source)
        source_hash = file_hash(path)
        previous = by_source.get(source, [])
        # a file whose key changed (another input now shares its name) is read again to get its new one
        name = None if names is None else names.get(path)
        unchanged = bool(previous) and all(
            s.source_hash == source_hash and s.builder == builder and name in (None, s.name) for s in previous
        )
        if unchanged and not force:
            for state in previous:
                produced.add(state.graph)
                emit(BuildEvent("skipped", source, state.graph, state.triples, "source unchanged"))
            continue

        from_this_source: set[str] = set()
        failed = False
        for item in load(path):
            if isinstance(item, Exception):
                failed = True
                emit(BuildEvent("failed", source, detail=f"{type(item).__name__}: {item}"))
                continue
            graph_iri = generator.graph_iri(item)
            if graph_iri in produced:
                emit(
                    BuildEvent(
                        "failed", source, graph_iri, detail="document already built from another input"
                    )
                )
                continue
            produced.add(graph_iri)
            from_this_source.add(graph_iri)
            content_hash = document_hash(item)
            old = known.get(graph_iri)
            same = old is not None and old.content_hash == content_hash and old.builder == builder
            record_name = str(item.get("source") or path.name)
            if same and not force:
                assert old is not None
                plan.records[graph_iri] = DocumentState(
                    graph_iri, source, source_hash, content_hash, builder, old.triples, record_name
                )
                emit(BuildEvent("skipped", source, graph_iri, old.triples, "document unchanged"))
                continue
            graph = generator.document_graph(item)
            plan.spool.write(graph_to_nquads(graph, graph_iri))
            state = DocumentState(
                graph_iri, source, source_hash, content_hash, builder, len(graph), record_name
            )
            plan.records[graph_iri] = state
            if old is not None:
                plan.drop.add(graph_iri)
                emit(BuildEvent("replaced", source, graph_iri, len(graph)))
            else:
                emit(BuildEvent("added", source, graph_iri, len(graph)))
        if failed:
            # keep what the store had from a source that now fails, rather than lose it, and
            # record no usable source hash so the next build reads this source again
            for state in previous:
                if state.graph not in from_this_source:
                    produced.add(state.graph)
            for graph_iri in from_this_source:
                plan.records[graph_iri] = replace(plan.records[graph_iri], source_hash=_INCOMPLETE)
            continue
        for state in previous:
            if state.graph not in from_this_source and state.graph not in produced:
                plan.drop.add(state.graph)
                emit(BuildEvent("dropped", source, state.graph, state.triples, "no longer in its source"))

    for state in sorted(known.values(), key=lambda s: s.graph):
        if state.graph in produced or state.graph in plan.drop:
            continue
        gone = not state.source or not Path(state.source).exists()
        if gone or prune:
            plan.drop.add(state.graph)
            reason = "source file removed" if gone else "not among the inputs (--prune)"
            emit(BuildEvent("dropped", state.source or state.name, state.graph, state.triples, reason))
    plan.sources = {g: s.source for g, s in known.items() if g not in plan.drop}
    plan.sources.update({g: s.source for g, s in plan.records.items()})
    return plan


def _apply(staging: ox.Store, plan: _Plan, generator: Generator) -> None:
    for graph_iri in sorted(plan.drop):
        staging.remove_graph(ox.NamedNode(graph_iri))
        forget_graph(staging, graph_iri)
    if plan.framework:
        staging.remove_graph(ox.NamedNode(FRAMEWORK_GRAPH))
        plan.spool.write(graph_to_nquads(generator.framework_graph(), FRAMEWORK_GRAPH))
    plan.spool.flush()
    if plan.spool.tell() > 0:
        staging.bulk_load(path=plan.spool.name, format=ox.RdfFormat.N_QUADS)
    _write_metadata(staging, plan, generator.fingerprint)


def _write_metadata(store: ox.Store, plan: _Plan, builder: str) -> None:
    built_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    for graph_iri in plan.records:
        forget_graph(store, graph_iri)
    quads: list[ox.Quad] = []
    for state in plan.records.values():
        quads.extend(metadata_quads(state, built_at))
    if plan.framework:
        forget_graph(store, FRAMEWORK_GRAPH)
        quads.append(builder_quad(FRAMEWORK_GRAPH, builder))
    store.extend(quads)


def _staging_copy(
    current: ox.Store | None,
    staging_dir: Path,
    plan: _Plan,
    known: dict[str, DocumentState],
    *,
    spool_dir: Path,
) -> ox.Store:
    """A writable copy of the live store to apply ``plan`` to.

    Mostly the live store's hard-linked backup; but when most of its triples are about to go
    (a new builder, --force), deleting them quad by quad costs more than loading what stays
    into an empty store, so that is done instead.
    """
    if current is None:
        return ox.Store(str(staging_dir))
    dropped = sum(known[g].triples for g in plan.drop if g in known)
    if dropped * 2 < sum(s.triples for s in known.values()):
        current.backup(str(staging_dir))
        return ox.Store(str(staging_dir))
    staging = ox.Store(str(staging_dir))
    kept = [
        g
        for g in current.named_graphs()
        if isinstance(g, ox.NamedNode)
        and g.value not in plan.drop
        and not (plan.framework and g.value == FRAMEWORK_GRAPH)
    ]
    with tempfile.NamedTemporaryFile(dir=spool_dir, prefix=_STAGING_PREFIX, suffix=".nq") as kept_spool:
        quads = (q for g in kept for q in current.quads_for_pattern(None, None, None, g))
        ox.serialize(quads, kept_spool, ox.RdfFormat.N_QUADS)
        kept_spool.flush()
        if kept_spool.tell() > 0:
            staging.bulk_load(path=kept_spool.name, format=ox.RdfFormat.N_QUADS)
    return staging


def _new_name(prefix: str) -> str:
    return prefix + uuid.uuid4().hex[:12]


def build_store(
    store_dir: Path | str,
    paths: Sequence[Path],
    load: DocumentLoader,
    *,
    prune: bool = False,
    force: bool = False,
    on_event: Callable[[BuildEvent], None] | None = None,
    generator: Generator | None = None,
    names: Mapping[Path, str] | None = None,
) -> BuildReport:
    """Bring the store at ``store_dir`` up to date with the documents in ``paths``.

    A document whose source file (and the building code) is unchanged is skipped unread; a
    changed one replaces its named graph; a document whose source file no longer exists is
    dropped, and with ``prune`` so is every document not coming from ``paths``.  All changes
    land together or not at all.  ``names`` gives the key (record ``source``) each path's
    document will get: a file whose key changed is read again even when unchanged.
    """
    store_dir = Path(store_dir)
    report = BuildReport()
    callback = on_event or (lambda _event: None)
    with store_lock(store_dir):
        live = live_path(store_dir)
        _sweep(store_dir, keep=live)
        generator = generator or default_generator()
        builder = generator.fingerprint
        if live is not None:
            current = ox.Store.read_only(str(live))
            paths_known = read_sources(live)
            known = {
                g: replace(s, source=paths_known.get(g, s.source)) for g, s in read_documents(current).items()
            }
            framework_stale = framework_builder(current) != builder or force
        else:
            current = None
            known = {}
            framework_stale = True
        staging_dir = store_dir / _new_name(_STAGING_PREFIX)
        with tempfile.NamedTemporaryFile(dir=store_dir, prefix=_STAGING_PREFIX, suffix=".nq") as spool:
            try:
                clock = time.perf_counter()
                plan = _plan(
                    paths,
                    load,
                    known,
                    generator,
                    prune=prune,
                    force=force,
                    names=names,
                    spool=spool,
                    report=report,
                    on_event=callback,
                )
                plan.framework = framework_stale
                report.timings["read and generate"] = time.perf_counter() - clock
                if plan.empty:
                    report.store_triples = len(current) if current is not None else 0
                    return report
                clock = time.perf_counter()
                staging = _staging_copy(current, staging_dir, plan, known, spool_dir=store_dir)
                report.timings["copy"] = time.perf_counter() - clock
                clock = time.perf_counter()
                _apply(staging, plan, generator)
                staging.flush()
                report.timings["drop and load"] = time.perf_counter() - clock
                if plan.drop:
                    # deleted quads linger as tombstones that slow every later read (measured:
                    # a query 4x slower after replacing all graphs) until compacted
                    clock = time.perf_counter()
                    staging.optimize()
                    report.timings["compact"] = time.perf_counter() - clock
                report.store_triples = len(staging)
                del staging
                gc.collect()  # closes the RocksDB handle before the directory is renamed
            except BaseException as exc:
                # frames of the traceback hold the staging Store open; close it before removal
                traceback.clear_frames(exc.__traceback__)
                gc.collect()
                shutil.rmtree(staging_dir, ignore_errors=True)
                raise
        generation = _publish(store_dir, staging_dir, plan.sources)
        report.committed = True
        del current
        gc.collect()
        _sweep(store_dir, keep=generation)
    return report


def _publish(store_dir: Path, staging_dir: Path, sources: Mapping[str, str]) -> Path:
    """Make a finished staging copy the live generation: the one atomic step of every write."""
    generation = store_dir / _new_name(_GEN_PREFIX)
    write_text_atomic(sources_file(generation), json.dumps(dict(sorted(sources.items())), ensure_ascii=False))
    staging_dir.rename(generation)
    tmp_head = store_dir / (_HEAD + ".tmp")
    tmp_head.write_text(generation.name + "\n", encoding="utf-8")
    with tmp_head.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp_head, store_dir / _HEAD)  # the commit point
    return generation


def replace_graphs(
    store_dir: Path | str,
    graphs: Mapping[str, rdflib.Graph],
    *,
    derived_from: str | None = None,
    wait: float = 0,
) -> int:
    """Replace whole named graphs (the analyses written back) in one atomic step.

    The same discipline as a build: the live generation is copied, the copy edited, HEAD
    switched; an interruption leaves the store as it was.  ``derived_from`` is the
    :func:`documents_digest` of the documents the graphs were computed from, recorded with
    them; when the store's documents are no longer those, nothing is written and StoreError
    says so (the caller analyses again).  Returns the store's triple count.
    """
    store_dir = Path(store_dir)
    with store_lock(store_dir, wait=wait):
        live = live_path(store_dir)
        if live is None:
            raise StoreError(f"{store_dir}: no store there; run `kg build` first")
        current = ox.Store.read_only(str(live))
        if derived_from is not None and documents_digest(read_documents(current).values()) != derived_from:
            raise StoreError(f"{store_dir}: its documents changed while the analyses ran")
        staging_dir = store_dir / _new_name(_STAGING_PREFIX)
        try:
            current.backup(str(staging_dir))
            staging = ox.Store(str(staging_dir))
            for iri, graph in graphs.items():
                staging.remove_graph(ox.NamedNode(iri))
                staging.bulk_load(graph_to_nquads(graph, iri), format=ox.RdfFormat.N_QUADS)
                forget_graph(staging, iri)
                if derived_from is not None:
                    staging.add(digest_quad(iri, derived_from))
            staging.optimize()  # the replaced quads' tombstones would slow every read
            staging.flush()
            triples = len(staging)
            del staging
            gc.collect()
        except BaseException as exc:
            traceback.clear_frames(exc.__traceback__)
            gc.collect()
            shutil.rmtree(staging_dir, ignore_errors=True)
            raise
        generation = _publish(store_dir, staging_dir, read_sources(live))
        del current
        gc.collect()
        _sweep(store_dir, keep=generation)
    return triples
