"""What a store remembers about its documents: the metadata graph, hashes, and the local source index.

The metadata graph (:data:`METADATA_GRAPH`) says, per document graph, the source file's name
(``dcterms:source``: the document's key), the file's and the record's SHA-256, the code that
built it and its size; per analysis graph, the digest of the documents it was derived from.
It holds nothing of the user's file system: where each source file is on this machine lives
beside the generation it belongs to, in ``gen-<id>.sources.json``, which no export carries.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox
from rdflib.namespace import VOID

from kg.triples import FRAMEWORK_GRAPH_IRI
from kg.vocab import DCTERMS, GRAPH, JX, ONTOLOGY_DIR, PROV, RDF, XSD

__all__ = [
    "FRAMEWORK_GRAPH",
    "METADATA_GRAPH",
    "DocumentState",
    "builder_fingerprint",
    "builder_quad",
    "derived_digests",
    "digest_quad",
    "document_hash",
    "documents_digest",
    "file_hash",
    "forget_graph",
    "framework_builder",
    "metadata_quads",
    "read_documents",
    "read_sources",
    "sources_file",
]

# the framework graph's IRI is A1's; the metadata graph sits apart from the document graphs' names
METADATA_GRAPH = str(GRAPH["meta/build"])
FRAMEWORK_GRAPH = FRAMEWORK_GRAPH_IRI
_CONTENT_HASH = str(JX.contentHash)
_FILE_HASH = str(JX.sourceFileHash)
_DIGEST = str(JX.inputDigest)
_TYPE = str(RDF.type)
_DATASET = str(VOID.Dataset)
_TRIPLES = str(VOID.triples)
_SOURCE = str(DCTERMS.source)
_GENERATED_BY = str(PROV.wasGeneratedBy)
_GENERATED_AT = str(PROV.generatedAtTime)
_BUILDER_PREFIX = "urn:jixiao-kg:builder:"

_SOURCES_SUFFIX = ".sources.json"


# --- hashes and fingerprints -------------------------------------------------------------------


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def document_hash(document: dict[str, Any]) -> str:
    """Hash of a document record, independent of key order and JSON formatting."""
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def builder_fingerprint() -> str:
    """Hash of the code and ontology that turn sources into triples.

    A document built by other code is rebuilt even when its source is unchanged, so the store
    never silently keeps triples the current code would not produce.
    """
    import extract
    import kg.triples

    kg_dir = Path(kg.triples.__file__).parent
    files: list[Path] = sorted(p for d in extract.__path__ for p in Path(d).rglob("*.py"))
    files += [kg_dir / name for name in ("triples.py", "framework.py", "vocab.py")]
    files += sorted(ONTOLOGY_DIR.glob("*.ttl"))
    digest = hashlib.sha256()
    for path in files:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


# --- metadata ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentState:
    """What the store remembers about one document graph."""

    graph: str
    source: str  # path of the file the document came from, on this machine ("" where unknown)
    source_hash: str
    content_hash: str
    builder: str
    triples: int
    name: str = ""  # the source file's name as the graph records it (the document's key)


def _value(term: object) -> str:
    return term.value if isinstance(term, ox.Literal | ox.NamedNode) else ""


def read_documents(store: ox.Store) -> dict[str, DocumentState]:
    """Document graphs recorded in the store's metadata graph, by graph IRI.

    The graph holds no paths, so ``source`` is empty here; :func:`read_document_states` adds it.
    """
    by_subject: dict[str, dict[str, object]] = {}
    for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(METADATA_GRAPH)):
        by_subject.setdefault(_value(quad.subject), {})[quad.predicate.value] = quad.object
    states: dict[str, DocumentState] = {}
    for graph, props in by_subject.items():
        if _value(props.get(_TYPE)) != _DATASET or _SOURCE not in props:
            continue
        source, name, file_hash_ = "", _value(props[_SOURCE]), _value(props.get(_FILE_HASH))
        if isinstance(props[_SOURCE], ox.NamedNode):
            # a store built before sources were recorded by name: a file:// IRI with the path
            source = unquote(urlsplit(name).path)
            name = Path(source).name
            file_hash_ = _value(by_subject.get(_value(props[_SOURCE]), {}).get(_CONTENT_HASH))
        states[graph] = DocumentState(
            graph=graph,
            source=source,
            source_hash=file_hash_,
            content_hash=_value(props.get(_CONTENT_HASH)),
            builder=_value(props.get(_GENERATED_BY)).removeprefix(_BUILDER_PREFIX),
            triples=int(_value(props.get(_TRIPLES)) or 0),
            name=name,
        )
    return states


def sources_file(generation: Path) -> Path:
    return generation.with_name(generation.name + _SOURCES_SUFFIX)


def read_sources(generation: Path | None) -> dict[str, str]:
    if generation is None or not sources_file(generation).is_file():
        return {}
    try:
        data = json.loads(sources_file(generation).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # only costs re-reading the sources: the next build records them again
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def documents_digest(states: Iterable[DocumentState]) -> str:
    """One hash of which documents a store holds and what they say (graph IRI, record hash)."""
    digest = hashlib.sha256()
    for graph, content in sorted((s.graph, s.content_hash) for s in states):
        digest.update(f"{graph}\t{content}\n".encode())
    return digest.hexdigest()


def derived_digests(store: ox.Store) -> dict[str, str]:
    """Graph IRI → the :func:`documents_digest` it was derived from (graphs written with ``derived_from``)."""
    meta = ox.NamedNode(METADATA_GRAPH)
    return {
        _value(q.subject): _value(q.object)
        for q in store.quads_for_pattern(None, ox.NamedNode(_DIGEST), None, meta)
    }


def builder_quad(graph_iri: str, builder: str) -> ox.Quad:
    """Metadata: ``graph_iri`` was generated by the code of fingerprint ``builder``."""
    meta = ox.NamedNode(METADATA_GRAPH)
    return ox.Quad(
        ox.NamedNode(graph_iri), ox.NamedNode(_GENERATED_BY), ox.NamedNode(_BUILDER_PREFIX + builder), meta
    )


def digest_quad(graph_iri: str, digest: str) -> ox.Quad:
    """Metadata: ``graph_iri`` was derived from the documents of :func:`documents_digest` ``digest``."""
    meta = ox.NamedNode(METADATA_GRAPH)
    return ox.Quad(ox.NamedNode(graph_iri), ox.NamedNode(_DIGEST), ox.Literal(digest), meta)


def framework_builder(store: ox.Store) -> str | None:
    for quad in store.quads_for_pattern(
        ox.NamedNode(FRAMEWORK_GRAPH), ox.NamedNode(_GENERATED_BY), None, ox.NamedNode(METADATA_GRAPH)
    ):
        return _value(quad.object).removeprefix(_BUILDER_PREFIX)
    return None


def metadata_quads(state: DocumentState, built_at: str) -> list[ox.Quad]:
    meta = ox.NamedNode(METADATA_GRAPH)
    g = ox.NamedNode(state.graph)
    return [
        ox.Quad(g, ox.NamedNode(_TYPE), ox.NamedNode(_DATASET), meta),
        ox.Quad(g, ox.NamedNode(_SOURCE), ox.Literal(state.name), meta),
        ox.Quad(g, ox.NamedNode(_FILE_HASH), ox.Literal(state.source_hash), meta),
        ox.Quad(g, ox.NamedNode(_CONTENT_HASH), ox.Literal(state.content_hash), meta),
        ox.Quad(g, ox.NamedNode(_GENERATED_BY), ox.NamedNode(_BUILDER_PREFIX + state.builder), meta),
        ox.Quad(g, ox.NamedNode(_TRIPLES), ox.Literal(str(state.triples), datatype=_XSD_INTEGER), meta),
        ox.Quad(g, ox.NamedNode(_GENERATED_AT), ox.Literal(built_at, datatype=_XSD_DATETIME), meta),
    ]


_XSD_INTEGER = ox.NamedNode(str(XSD.integer))
_XSD_DATETIME = ox.NamedNode(str(XSD.dateTime))


def forget_graph(store: ox.Store, graph_iri: str) -> None:
    """Remove what the metadata graph says about one graph."""
    meta = ox.NamedNode(METADATA_GRAPH)
    for quad in list(store.quads_for_pattern(ox.NamedNode(graph_iri), None, None, meta)):
        store.remove(quad)
        if quad.predicate.value == _SOURCE and isinstance(quad.object, ox.NamedNode):
            # an older store's file node, which held the file's hash
            for old in list(store.quads_for_pattern(quad.object, None, None, meta)):
                store.remove(old)
