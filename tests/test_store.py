"""The persistent store: incremental builds, atomic swaps, export."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

import kg.store
from kg.commands.build import read_document_export
from kg.store import (
    FRAMEWORK_GRAPH,
    METADATA_GRAPH,
    Generator,
    StoreError,
    build_store,
    export_store,
    graph_to_nquads,
    open_store,
    read_document_states,
    read_documents,
)

EX = "http://example.org/"


def _doc_graph(doc: dict[str, Any]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for table in doc["tables"]:
        node = URIRef(f"{EX}{doc['source']}/{table['name']}")
        graph.add((node, RDFS.label, Literal(table["name"], lang="zh")))
        for indicator in table.get("indicators", []):
            graph.add((node, URIRef(EX + "indicator"), Literal(indicator["l3"])))
    return graph


def _framework() -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.add((URIRef(EX + "framework"), RDFS.label, Literal("效益指标", lang="zh")))
    return graph


def _generator(fingerprint: str = "v1") -> Generator:
    return Generator(
        graph_iri=lambda doc: f"{EX}graph/{doc['source']}",
        document_graph=_doc_graph,
        framework_graph=_framework,
        fingerprint=fingerprint,
    )


def _doc(source: str, *names: str) -> dict[str, Any]:
    return {"source": source, "tables": [{"name": n, "indicators": [{"l3": f"{n}的指标"}]} for n in names]}


def _write(path: Path, *docs: dict[str, Any]) -> Path:
    if path.suffix == ".jsonl":
        path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    else:
        path.write_text(json.dumps(docs[0], ensure_ascii=False), encoding="utf-8")
    return path


def _build(store: Path, *paths: Path, **kwargs: Any) -> kg.store.BuildReport:
    kwargs.setdefault("generator", _generator())
    return build_store(store, list(paths), read_document_export, **kwargs)


def _actions(report: kg.store.BuildReport) -> dict[str, str]:
    return {e.graph or e.source: e.action for e in report.events}


def _quads(store_dir: Path) -> set[str]:
    return {str(q) for q in open_store(store_dir)}


def _labels(store_dir: Path, source: str) -> set[str]:
    graph = ox.NamedNode(f"{EX}graph/{source}")
    store = open_store(store_dir)
    return {q.object.value for q in store.quads_for_pattern(None, ox.NamedNode(str(RDFS.label)), None, graph)}


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, Path, Path]:
    src = tmp_path / "src"
    src.mkdir()
    a = _write(src / "a.json", _doc("a.txt", "项目甲"))
    b = _write(src / "b.json", _doc("b.txt", "项目乙", "项目丙"))
    return tmp_path / "store", a, b


def test_each_document_becomes_its_own_named_graph_beside_framework_and_metadata(corpus):
    store, a, b = corpus
    report = _build(store, a, b)
    assert report.summary() == {"added": 2, "replaced": 0, "skipped": 0, "dropped": 0, "failed": 0}
    graphs = {g.value for g in open_store(store).named_graphs()}
    assert graphs == {f"{EX}graph/a.txt", f"{EX}graph/b.txt", FRAMEWORK_GRAPH, METADATA_GRAPH}
    assert _labels(store, "b.txt") == {"项目乙", "项目丙"}
    states = read_document_states(store)
    assert states[f"{EX}graph/b.txt"].source == str(b.resolve())
    assert states[f"{EX}graph/b.txt"].name == "b.txt"
    assert states[f"{EX}graph/b.txt"].triples == 4
    assert read_documents(open_store(store))[f"{EX}graph/b.txt"].source == ""  # no path in the graph


def test_rebuilding_unchanged_sources_skips_them_unread_and_keeps_the_same_generation(corpus):
    store, a, b = corpus
    _build(store, a, b)
    head = (store / "HEAD").read_text()
    read: list[Path] = []

    def loader(path: Path):
        read.append(path)
        return read_document_export(path)

    report = build_store(store, [a, b], loader, generator=_generator())
    assert report.summary()["skipped"] == 2
    assert read == []
    assert not report.committed
    assert (store / "HEAD").read_text() == head


def test_changed_source_replaces_its_graph_and_leaves_the_others(corpus):
    store, a, b = corpus
    _build(store, a, b)
    _write(b, _doc("b.txt", "项目丁"))
    report = _build(store, a, b)
    assert _actions(report) == {f"{EX}graph/a.txt": "skipped", f"{EX}graph/b.txt": "replaced"}
    assert _labels(store, "b.txt") == {"项目丁"}
    assert _labels(store, "a.txt") == {"项目甲"}


def test_reformatted_source_with_the_same_document_is_skipped_but_remembered(corpus):
    store, a, b = corpus
    _build(store, a, b)
    a.write_text(json.dumps(_doc("a.txt", "项目甲"), ensure_ascii=False, indent=4), encoding="utf-8")
    first = _build(store, a, b)
    assert first.events[0].detail == "document unchanged"
    second = _build(store, a, b)
    assert {e.detail for e in second.events} == {"source unchanged"}


def test_deleted_source_file_drops_its_document(corpus):
    store, a, b = corpus
    _build(store, a, b)
    a.unlink()
    report = _build(store, b)
    assert _actions(report)[f"{EX}graph/a.txt"] == "dropped"
    assert f"{EX}graph/a.txt" not in read_documents(open_store(store))
    assert _labels(store, "a.txt") == set()


def test_building_from_a_subset_keeps_the_rest_unless_pruned(corpus):
    store, a, b = corpus
    _build(store, a, b)
    kept = _build(store, a)
    assert f"{EX}graph/b.txt" not in _actions(kept)
    assert _labels(store, "b.txt") == {"项目乙", "项目丙"}
    pruned = _build(store, a, prune=True)
    assert _actions(pruned)[f"{EX}graph/b.txt"] == "dropped"
    assert _labels(store, "b.txt") == set()


def test_jsonl_export_replaces_only_the_document_that_changed_and_drops_the_one_gone(tmp_path):
    export = _write(tmp_path / "all.jsonl", _doc("a.txt", "甲"), _doc("b.txt", "乙"), _doc("c.txt", "丙"))
    store = tmp_path / "store"
    _build(store, export)
    _write(export, _doc("a.txt", "甲"), _doc("b.txt", "乙二"))
    report = _build(store, export)
    assert _actions(report) == {
        f"{EX}graph/a.txt": "skipped",
        f"{EX}graph/b.txt": "replaced",
        f"{EX}graph/c.txt": "dropped",
    }
    assert set(read_documents(open_store(store))) == {f"{EX}graph/a.txt", f"{EX}graph/b.txt"}


def test_new_builder_fingerprint_rebuilds_everything(corpus):
    store, a, b = corpus
    _build(store, a, b)
    report = _build(store, a, b, generator=_generator("v2"))
    assert report.summary()["replaced"] == 2
    assert _build(store, a, b, generator=_generator("v2")).summary()["skipped"] == 2


def test_a_document_that_fails_keeps_its_previous_graph_and_is_retried_next_time(corpus):
    store, a, b = corpus
    _build(store, a, b)
    b.write_text("{not json", encoding="utf-8")
    report = _build(store, a, b)
    assert report.summary()["failed"] == 1
    assert _labels(store, "b.txt") == {"项目乙", "项目丙"}
    _write(b, _doc("b.txt", "项目戊"))
    assert _actions(_build(store, a, b))[f"{EX}graph/b.txt"] == "replaced"


def test_failure_midway_through_writing_leaves_the_store_as_it_was(corpus, monkeypatch):
    store, a, b = corpus
    _build(store, a, b)
    before, head = _quads(store), (store / "HEAD").read_text()
    _write(b, _doc("b.txt", "项目己"))
    a.unlink()

    def fail(*_args: object) -> None:
        raise RuntimeError("disk full")  # after drops and the bulk load were applied to the copy

    monkeypatch.setattr(kg.store, "_write_metadata", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        _build(store, b)
    assert (store / "HEAD").read_text() == head
    assert _quads(store) == before
    assert sorted(p.name for p in store.iterdir() if not p.name.startswith("gen-")) == [".lock", "HEAD"]


def test_failure_while_generating_a_document_leaves_the_store_as_it_was(corpus):
    store, a, b = corpus
    _build(store, a)
    before = _quads(store)

    def broken(doc: dict[str, Any]) -> rdflib.Graph:
        if doc["source"] == "b.txt":
            raise ValueError("generator bug")
        return _doc_graph(doc)

    generator = Generator(lambda d: f"{EX}graph/{d['source']}", broken, _framework, "v1")
    with pytest.raises(ValueError, match="generator bug"):
        build_store(store, [a, b], read_document_export, force=True, generator=generator)
    assert _quads(store) == before


def test_a_killed_build_leaves_the_store_readable_and_the_next_build_cleans_up(corpus):
    store, a, b = corpus
    _build(store, a)
    before = _quads(store)
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        import kg.store
        from kg.commands.build import read_document_export
        from test_store import _generator
        kg.store._write_metadata = lambda *a: os.kill(os.getpid(), signal.SIGKILL)
        kg.store.build_store({str(store)!r}, [__import__("pathlib").Path({str(b)!r})],
                             read_document_export, generator=_generator())
        """
    )
    run = subprocess.run([sys.executable, "-c", script], timeout=60, capture_output=True)
    assert run.returncode == -9, run.stderr.decode()
    assert any(p.name.startswith("staging-") for p in store.iterdir())
    assert _quads(store) == before
    report = _build(store, a, b)
    assert report.summary()["added"] == 1
    assert not any(p.name.startswith("staging-") for p in store.iterdir())
    assert len([p for p in store.iterdir() if p.name.startswith("gen-") and p.is_dir()]) == 1


def test_a_second_build_at_the_same_time_is_refused(corpus, other_build):
    store, a, _b = corpus
    _build(store, a)
    with other_build(store), pytest.raises(StoreError, match="another build"):
        _build(store, a, force=True)
    assert _build(store, a, force=True).committed


def test_a_directory_that_is_not_a_store_is_never_built_into(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(StoreError, match="not a kg store"):
        _build(tmp_path, _write(tmp_path / "a.json", _doc("a.txt", "甲")))


def test_opening_a_missing_store_says_how_to_make_one(tmp_path):
    with pytest.raises(StoreError, match="kg build"):
        open_store(tmp_path / "nowhere")


def test_nquads_keep_awkward_literals_intact():
    graph = rdflib.Graph()
    awkward = 'a "quoted"\nline \\ 与中文 }'
    graph.add((URIRef(EX + "s"), RDFS.label, Literal(awkward)))
    graph.add((URIRef(EX + "s"), RDFS.comment, Literal("注释", lang="zh")))
    data = graph_to_nquads(graph, EX + "g")
    quads = list(ox.parse(data, ox.RdfFormat.N_QUADS))
    assert {q.graph_name.value for q in quads} == {EX + "g"}
    assert {q.object.value for q in quads} == {awkward, "注释"}


@pytest.mark.parametrize(
    ("fmt", "rdf_format", "expected"),
    [
        ("nq", ox.RdfFormat.N_QUADS, 4),
        ("trig", ox.RdfFormat.TRIG, 4),
        ("jsonld", ox.RdfFormat.JSON_LD, 4),
    ],
)
def test_exports_with_graph_names_keep_every_graph(corpus, fmt, rdf_format, expected):
    store, a, b = corpus
    _build(store, a, b)
    out = io.BytesIO()
    export_store(open_store(store), fmt, out)
    quads = list(ox.parse(out.getvalue(), rdf_format))
    assert len({q.graph_name for q in quads}) == expected
    assert len(quads) == len(open_store(store))


def test_turtle_export_merges_graphs_or_takes_one(corpus):
    store, a, b = corpus
    _build(store, a, b)
    whole, one = io.BytesIO(), io.BytesIO()
    export_store(open_store(store), "ttl", whole)
    export_store(open_store(store), "ttl", one, graph=ox.NamedNode(f"{EX}graph/a.txt"))
    assert len(list(ox.parse(whole.getvalue(), ox.RdfFormat.TURTLE))) == len(open_store(store))
    assert {t.object.value for t in ox.parse(one.getvalue(), ox.RdfFormat.TURTLE)} == {
        "项目甲",
        "项目甲的指标",
    }
    with pytest.raises(StoreError, match="no graph"):
        export_store(open_store(store), "ttl", io.BytesIO(), graph=ox.NamedNode(EX + "absent"))


def test_real_generator_builds_a_document_and_the_framework(tmp_path):
    doc = {
        "source": "tiny.txt",
        "department": "某某局",
        "budget_year": 2021,
        "tables": [
            {
                "scope": "project",
                "name": "示例项目",
                "implementing_unit": None,
                "project_code": None,
                "line": 3,
                "funding": {"annual_total": 10.0, "annual_fiscal": 10.0, "midterm_total": None, "source": "table"},
                "annual_goal": "完成示例",
                "midterm_goal": None,
                "indicators": [
                    {"period": None, "l1": "满意度指标", "l2": "服务对象满意度指标", "l3": "群众满意度",
                     "value": "≥90%", "description": None, "line": 5},
                ],
            }
        ],
    }  # fmt: skip
    path = _write(tmp_path / "tiny.json", doc)
    report = build_store(tmp_path / "store", [path], read_document_export)
    assert report.summary()["added"] == 1
    from kg.triples import document_graph_iri

    store = open_store(tmp_path / "store")
    assert store.contains_named_graph(ox.NamedNode(document_graph_iri(doc)))
    assert any(True for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(FRAMEWORK_GRAPH)))
    assert build_store(tmp_path / "store", [path], read_document_export).summary()["skipped"] == 1


def test_gold_annotations_build_into_one_graph_per_document(shared_dir, tmp_path):
    gold = sorted((shared_dir / "gold").glob("*.json"))
    report = build_store(tmp_path / "store", gold, read_document_export)
    assert report.summary()["added"] == len(gold)
    store = open_store(tmp_path / "store")
    assert len(read_documents(store)) == len(gold)
    assert len(list(store.named_graphs())) == len(gold) + 2
    assert os.path.isdir(tmp_path / "store" / (tmp_path / "store" / "HEAD").read_text().strip())


def test_replacing_most_documents_rebuilds_from_empty_yet_keeps_the_rest(tmp_path):
    export = _write(tmp_path / "all.jsonl", _doc("a.txt", "甲"), _doc("b.txt", "乙", "丙", "丁"))
    store = tmp_path / "store"
    _build(store, export)
    _write(export, _doc("a.txt", "甲"), _doc("b.txt", "乙二", "丙", "丁"))  # b holds most triples
    report = _build(store, export)
    assert _actions(report) == {f"{EX}graph/a.txt": "skipped", f"{EX}graph/b.txt": "replaced"}
    assert _labels(store, "a.txt") == {"甲"}
    assert _labels(store, "b.txt") == {"乙二", "丙", "丁"}
    assert set(read_documents(open_store(store))) == {f"{EX}graph/a.txt", f"{EX}graph/b.txt"}
    framework = ox.NamedNode(FRAMEWORK_GRAPH)
    assert len(list(open_store(store).quads_for_pattern(None, None, None, framework))) == 1
    assert _build(store, export).summary()["skipped"] == 2
