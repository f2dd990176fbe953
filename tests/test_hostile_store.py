"""The data stays whole: outputs never overwrite inputs or the store, documents keep apart,
the graph carries no local paths, and analyses never go stale silently."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path, PurePosixPath, PureWindowsPath

import pyoxigraph as ox
import pytest

import extract.io
from extract.keys import generate_document_keys
from kg.freshness import analyses_stale
from kg.store import StoreError, open_store, read_document_states, replace_graphs


@pytest.fixture
def built(tmp_path: Path, kg, tiny_source) -> tuple[Path, Path]:
    src = tmp_path / "src"
    tiny_source(src, "甲.txt", "甲项目")
    store = tmp_path / "store"
    code, output = kg("build", str(src), "--store", str(store))
    assert code == 0, output
    return src, store


def test_extract_refuses_to_write_over_its_input(tmp_path: Path, kg, tiny_source) -> None:
    doc = tiny_source(tmp_path, "in.txt", "甲项目")
    before = doc.read_bytes()
    code, output = kg("extract", str(doc), "-o", str(doc))
    assert code == 1
    assert "is one of the inputs" in output and "Traceback" not in output
    assert doc.read_bytes() == before


@pytest.mark.parametrize("target", ["HEAD", ".lock", "gen-x.trig", "nested/out.trig"])
def test_export_refuses_to_write_into_the_store(built: tuple[Path, Path], target: str, kg) -> None:
    _src, store = built
    head = (store / "HEAD").read_text()
    code, output = kg("export", "--store", str(store), "-o", str(store / target))
    assert code == 1
    assert "inside the store" in output
    assert (store / "HEAD").read_text() == head
    assert len(open_store(store)) > 0


def test_report_refuses_a_path_inside_a_store_it_was_not_told_about(
    built: tuple[Path, Path], tmp_path: Path, kg
) -> None:
    _src, store = built
    live = store / (store / "HEAD").read_text().strip()
    code, output = kg("report", "--store", str(store), "-o", str(live / "CURRENT.html"))
    assert code == 1 and "inside the store" in output


def test_a_failing_writer_leaves_the_previous_output_and_no_debris(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "rows.json"
    out.write_text("previous", encoding="utf-8")

    def broken(docs: object, fh: object) -> None:
        fh.write("[half")  # type: ignore[attr-defined]
        raise RuntimeError("disk full")

    monkeypatch.setitem(extract.io.FORMATS, "json", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        extract.io.write_documents([], out, "json")
    assert out.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["rows.json"]


@pytest.mark.parametrize(
    ("paths", "keys"),
    [
        (
            [PurePosixPath("/d/2021/预算.txt"), PurePosixPath("/d/2022/预算.txt")],
            ["2021/预算.txt", "2022/预算.txt"],
        ),
        (
            [PureWindowsPath(r"C:\报表\2021\a.txt"), PureWindowsPath(r"C:\报表\2022\a.txt")],
            ["2021/a.txt", "2022/a.txt"],
        ),
        ([PureWindowsPath(r"C:\a\x.txt"), PureWindowsPath(r"D:\a\x.txt")], ["C/a/x.txt", "D/a/x.txt"]),
        (
            [PurePosixPath("/a/b/x.txt"), PurePosixPath("/c/b/x.txt"), PurePosixPath("/y.txt")],
            ["a/b/x.txt", "c/b/x.txt", "y.txt"],
        ),
    ],
)
def test_same_named_files_get_keys_told_apart_by_their_folders(paths: list, keys: list[str]) -> None:
    found = generate_document_keys(paths)
    assert [found[p] for p in paths] == keys
    assert generate_document_keys(list(reversed(paths))) == found  # order does not matter


def test_same_named_files_in_two_folders_stay_two_documents(tmp_path: Path, kg, tiny_source) -> None:
    tiny_source(tmp_path / "src" / "2021", "预算.txt", "甲项目")
    tiny_source(tmp_path / "src" / "2022", "预算.txt", "乙项目")
    store = tmp_path / "store"
    code, output = kg("build", str(tmp_path / "src"), "--store", str(store))
    assert code == 0, output
    states = read_document_states(store)
    assert sorted(s.name for s in states.values()) == ["2021/预算.txt", "2022/预算.txt"]
    projects = "SELECT ?label WHERE { ?p a <http://xmlns.com/foaf/0.1/Project> ; <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    code, output = kg("query", "--store", str(store), "-f", "csv", "-e", projects)
    assert code == 0 and "甲项目" in output and "乙项目" in output


def test_a_new_same_named_file_renames_the_first_and_keeps_both(tmp_path: Path, kg, tiny_source) -> None:
    first = tiny_source(tmp_path / "src" / "2021", "预算.txt", "甲项目")
    store = tmp_path / "store"
    assert kg("build", str(first), "--store", str(store))[0] == 0
    tiny_source(tmp_path / "src" / "2022", "预算.txt", "乙项目")
    code, output = kg("build", str(tmp_path / "src"), "--store", str(store))
    assert code == 0, output
    assert sorted(s.name for s in read_document_states(store).values()) == ["2021/预算.txt", "2022/预算.txt"]


def test_the_graph_and_its_exports_hold_file_names_and_hashes_not_local_paths(
    built: tuple[Path, Path], kg
) -> None:
    src, store = built
    for fmt in ("nq", "jsonld"):
        code, output = kg("export", "--store", str(store), "--format", fmt)
        assert code == 0
        assert str(src) not in output and "file://" not in output
    meta = ox.NamedNode("https://w3id.org/jixiao-kg/graph/meta/build")
    sources = {
        q.object
        for q in open_store(store).quads_for_pattern(None, None, None, meta)
        if q.predicate.value == "http://purl.org/dc/terms/source"
    }
    assert sources == {ox.Literal("甲.txt")}
    assert next(iter(read_document_states(store).values())).source == str((src / "甲.txt").resolve())


def _killed_before_the_analyses(src: Path, store: Path) -> None:
    script = textwrap.dedent(
        f"""
        import os, signal
        import kg.analysis
        kg.analysis.write_analysis = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
        from kg.cli import cli
        cli(["build", {str(src)!r}, "--store", {str(store)!r}])
        """
    )
    run_ = subprocess.run([sys.executable, "-c", script], timeout=300, capture_output=True)
    assert run_.returncode == -9, run_.stderr.decode()


def test_a_build_killed_after_its_documents_leaves_analyses_the_next_build_reruns(
    built: tuple[Path, Path], kg, tiny_source
) -> None:
    src, store = built
    tiny_source(src, "乙.txt", "乙项目")
    _killed_before_the_analyses(src, store)
    assert len(read_document_states(store)) == 2  # the documents were committed
    assert analyses_stale(open_store(store))
    code, output = kg("build", str(src), "--store", str(store))
    assert code == 0
    assert "store unchanged" in output and "analyses rerun" in output
    assert not analyses_stale(open_store(store))


def test_a_query_on_stale_analyses_reruns_them_first(built: tuple[Path, Path], kg, tiny_source) -> None:
    src, store = built
    tiny_source(src, "乙.txt", "乙项目", n=0)
    assert kg("build", str(src), "--store", str(store), "--no-analyse")[0] == 0
    assert analyses_stale(open_store(store))
    from click.testing import CliRunner

    from kg.cli import cli

    result = CliRunner().invoke(cli, ["query", "--store", str(store), "-f", "csv", "findings_by_rule"])
    assert result.exit_code == 0
    assert "stale" in result.stderr and "analyses rerun" in result.stderr
    assert not analyses_stale(open_store(store))


def test_analyses_wait_for_no_build_and_never_land_on_other_documents(
    built: tuple[Path, Path], other_build, kg
) -> None:
    _src, store = built
    with other_build(store):
        code, output = kg("analyse", "--store", str(store))
    assert code == 1 and "another build holds" in output
    with pytest.raises(StoreError, match="documents changed"):
        replace_graphs(store, {}, derived_from="0" * 64)
