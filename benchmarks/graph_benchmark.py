"""Store benchmark: build, load and named-query times on pyoxigraph vs rdflib's memory Dataset.

Generates a synthetic corpus (``benchmarks/synthetic.py``; scale 1.0 ≈ 1.5M triples), builds
the store with ``kg.store.build_store`` as ``kg build`` does, then, on the same N-Quads and in
the same run, compares:

* load: pyoxigraph ``bulk_load`` into an on-disk store vs ``rdflib.Dataset.parse``;
* every named query, over the whole corpus (parameters unbound) and, for a query with
  parameters, once more bound to a value taken from that answer (one project, one indicator:
  what a caller asks): pyoxigraph on the on-disk store and in memory (rows materialised;
  median of up to ``--repeat`` warm runs, fewer for a query that takes seconds) vs rdflib's
  SPARQL engine on the in-memory Dataset with a union default graph (one run, in a forked
  child that is killed after ``--rdflib-timeout`` seconds, whose time then counts as that
  bound, so its ratio is a lower bound).

    python benchmarks/graph_benchmark.py --scale 0.05      # quick look, about a minute
    python benchmarks/graph_benchmark.py                    # the full 1.5M-triple run
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import generate_corpus, load_templates

from kg.analysis import analyse, write_analysis
from kg.commands.build import read_document_export
from kg.queries import list_queries, load_query, query_parameters
from kg.sparql import QueryResult, Term, bind, run_query
from kg.store import BuildReport, build_store, default_generator, open_store

DOCUMENTS_PER_SCALE = 660  # ≈ 2,300 triples a document: scale 1.0 is just over 1.5M triples

_DATASET: rdflib.Dataset | None = None  # the rdflib side, inherited by forked query children


def _timed(func: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = func()
    return time.perf_counter() - start, value


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _rdflib_child(query: str, conn: Connection) -> None:
    assert _DATASET is not None
    start = time.perf_counter()
    rows = len(list(_DATASET.query(query)))
    conn.send((time.perf_counter() - start, rows))
    conn.close()


def _rdflib_query(query: str, timeout: float) -> tuple[float, int | None]:
    """(seconds, rows) of one rdflib run; (timeout, None) if it had to be stopped."""
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_rdflib_child, args=(query, child))
    process.start()
    child.close()
    try:
        if parent.poll(timeout):
            seconds, rows = parent.recv()
            return float(seconds), int(rows)
        return timeout, None
    except EOFError:  # the child died (e.g. out of memory)
        return float("nan"), None
    finally:
        process.kill()
        process.join(timeout=30)


def _sample_bindings(name: str, result: QueryResult) -> dict[str, Term]:
    """Values for a named query's parameters, taken from its unbound answer (a typical caller's ask)."""
    sample: dict[str, Term] = {}
    for param in query_parameters(name):
        if result.kind == "select" and param in result.variables and result.rows:
            column = result.variables.index(param)
            middle = result.rows[len(result.rows) // 2][column]
            if middle is not None:
                sample[param] = middle
    return sample


def _median_time(
    store: ox.Store, text: str, bindings: dict[str, Term], repeat: int
) -> tuple[float, QueryResult]:
    """Median of up to ``repeat`` warm runs after a cold one; a slow query gets fewer runs."""
    cold, result = _timed(lambda: run_query(store, text, bindings))
    times: list[float] = []
    while len(times) < repeat and sum(times) + cold < 10.0:
        seconds, result = _timed(lambda: run_query(store, text, bindings))
        times.append(seconds)
    return statistics.median(times or [cold]), result


def _measure(
    disk: ox.Store,
    memory: ox.Store,
    label: str,
    text: str,
    bindings: dict[str, Term],
    args: argparse.Namespace,
) -> dict[str, Any]:
    disk_s, result = _median_time(disk, text, bindings, args.repeat)
    memory_s, _ = _median_time(memory, text, bindings, args.repeat)
    count = len(result.rows) if result.kind == "select" else len(result.triples)
    rdf_s, rdf_rows = _rdflib_query(bind(text, bindings), args.rdflib_timeout)
    bound = ">" if rdf_rows is None else " "
    ratio = rdf_s / disk_s if disk_s > 0 else float("inf")
    print(
        f"{label[:52]:52} {count:7} {_fmt_ms(disk_s):>9} {_fmt_ms(memory_s):>9} {bound}{_fmt_ms(rdf_s):>9} "
        f"{rdf_rows if rdf_rows is not None else '-':>7} {bound}{ratio:6.0f}×",
        flush=True,
    )
    return {
        "query": label,
        "rows": count,
        "oxigraph_ms": disk_s * 1000,
        "oxigraph_memory_ms": memory_s * 1000,
        "rdflib_ms": rdf_s * 1000,
        "rdflib_rows": rdf_rows,
        "rdflib_timed_out": rdf_rows is None,
        "ratio": ratio,
        "result": result,
    }


def _fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:9.1f}"


def main(argv: list[str] | None = None) -> int:
    global _DATASET
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    default_gold = Path(__file__).resolve().parents[2] / "shared" / "gold"
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 ≈ 1.5M triples [%(default)s]")
    parser.add_argument("--gold", type=Path, default=default_gold, help="gold annotations [%(default)s]")
    parser.add_argument("--work", type=Path, help="working directory [a temporary one]")
    parser.add_argument("--repeat", type=int, default=3, help="pyoxigraph runs per query [%(default)s]")
    parser.add_argument(
        "--rdflib-timeout", type=float, default=30.0, help="seconds per rdflib query [%(default)s]"
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        documents = max(1, round(DOCUMENTS_PER_SCALE * args.scale))
        figures: dict[str, Any] = {"scale": args.scale, "documents": documents}

        corpus = work / "corpus.jsonl"
        templates = load_templates(args.gold)
        seconds, _ = _timed(
            lambda: corpus.write_text(
                "".join(
                    json.dumps(d, ensure_ascii=False) + "\n" for d in generate_corpus(templates, documents)
                ),
                encoding="utf-8",
            )
        )
        print(f"corpus: {documents} documents generated in {seconds:.1f} s")

        store_dir = work / "store"
        # one fingerprint for the whole run, so code edited meanwhile cannot force a rebuild
        generator = default_generator()

        def build() -> BuildReport:
            return build_store(store_dir, [corpus], read_document_export, generator=generator)

        seconds, report = _timed(build)
        triples = report.store_triples
        figures |= {"triples": triples, "build_s": seconds, "store_bytes": _size(store_dir)}
        print(f"kg build: {triples:,} triples in {seconds:.1f} s (records → rdflib graphs → N-Quads → store)")
        print("  phases: " + ", ".join(f"{k} {v:.1f} s" for k, v in report.timings.items()))
        print(f"store on disk: {_size(store_dir) / 2**20:.0f} MiB")
        docs = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
        seconds, analysis = _timed(lambda: analyse(docs))
        written_s, written = _timed(lambda: write_analysis(store_dir, analysis))
        figures |= {"analyse_s": seconds, "analysis_write_s": written_s}
        print(
            f"analyses (as kg build reruns them): {len(analysis.findings):,} findings, "
            f"{len(analysis.templates):,} templates in {seconds:.1f} s; written back in {written_s:.1f} s "
            f"({written:,} triples in the store)"
        )
        seconds, report = _timed(build)
        figures["rebuild_unchanged_s"] = seconds
        print(f"kg build again, nothing changed: {seconds:.2f} s ({report.summary()})")
        lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
        changed = 0
        for i in range(0, len(lines), 100):  # 1% of the documents get a new department name
            doc = json.loads(lines[i])
            doc["department"] += "（调整）"
            lines[i] = json.dumps(doc, ensure_ascii=False) + "\n"
            changed += 1
        corpus.write_text("".join(lines), encoding="utf-8")
        seconds, report = _timed(build)
        figures["rebuild_one_percent_s"] = seconds
        print(f"kg build after changing {changed} documents: {seconds:.1f} s ({report.summary()})")
        print("  phases: " + ", ".join(f"{k} {v:.1f} s" for k, v in report.timings.items()))

        store = open_store(store_dir)
        nquads = work / "all.nq"
        seconds, _ = _timed(lambda: store.dump(str(nquads), ox.RdfFormat.N_QUADS))
        print(f"dump N-Quads: {nquads.stat().st_size / 2**20:.0f} MiB in {seconds:.1f} s")

        ox_load, _ = _timed(
            lambda: ox.Store(str(work / "load-test")).bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        )
        print(f"load, pyoxigraph bulk_load, on disk:    {ox_load:6.1f} s")
        memory = ox.Store()
        memory_load, _ = _timed(lambda: memory.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS))
        print(f"load, pyoxigraph bulk_load, in memory:  {memory_load:6.1f} s")
        dataset = rdflib.Dataset(default_union=True)
        rdf_load, _ = _timed(lambda: dataset.parse(str(nquads), format="nquads"))
        _DATASET = dataset
        figures |= {
            "load_oxigraph_s": ox_load,
            "load_oxigraph_memory_s": memory_load,
            "load_rdflib_s": rdf_load,
            "load_ratio": rdf_load / ox_load,
        }
        print(
            f"load, rdflib Dataset.parse, in memory:  {rdf_load:6.1f} s"
            f"  → pyoxigraph on disk {rdf_load / ox_load:.1f}×, in memory {rdf_load / memory_load:.1f}× faster"
        )

        print()
        header = (
            f"{'query (warm, median ms)':52} {'rows':>7} {'ox disk':>9} {'ox mem':>9} {'rdflib':>10}"
            f" {'rows':>7} {'ratio':>7}"
        )
        print(header)
        print("-" * len(header))
        rows_out = []
        for name in sorted(list_queries()):
            text = load_query(name)
            unbound = _measure(store, memory, name, text, {}, args)
            rows_out.append(unbound)
            sample = _sample_bindings(name, unbound.pop("result"))
            if sample:
                label = f"{name} (one {', '.join(sample)})"
                rows_out.append(_measure(store, memory, label, text, sample, args))
                rows_out[-1].pop("result")
        figures["queries"] = rows_out
        ratios = [r["ratio"] for r in rows_out]
        slowest = max(r["oxigraph_ms"] for r in rows_out)
        print()
        print(
            f"queries: median ratio {statistics.median(ratios):.0f}×, smallest {min(ratios):.0f}×; slowest on pyoxigraph {slowest:.0f} ms"
        )
        goals = {
            "load ≥ 5× faster": figures["load_ratio"] >= 5,
            "queries ≥ 10× faster (each)": min(ratios) >= 10,
            "named queries < 200 ms": slowest < 200,
            "≥ 1.5M triples": triples >= 1_500_000,
        }
        for goal, met in goals.items():
            print(f"  [{'x' if met else ' '}] {goal}")
        figures["goals"] = goals
        if args.json:
            args.json.write_text(json.dumps(figures, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
