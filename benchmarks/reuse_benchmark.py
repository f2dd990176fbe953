"""Reuse benchmark: output size, time and peak memory of the copied-set analysis, all pairs vs bounded.

On a synthetic corpus with heavy copying (``benchmarks/synthetic.py --copied``: a share of the
documents pastes its template's indicators verbatim) it runs, each in a forked child so that peak
memory is its own, the reuse analysis from the records to the RDF it writes back:

* **all pairs** (the baseline, what ``kg analyse`` did before): every project pair with Jaccard ≥ 0.8
  (``kg.reuse.sets.similar_pairs``), groups as connected components of those pairs, Louvain on the
  NetworkX projection of the project–template graph, every pair written as a ``jx:Similarity``;
* **bounded** (``kg.analysis`` now): identical sets as groups, ≤ k near-identical neighbours per
  distinct set through a MinHash LSH forest, Louvain on that sparse neighbour graph.

Both group the labels into templates the same way (linear in the rows, timed apart).  The all-pairs
run grows with the square of the copies, so it runs only up to ``--baseline-max`` documents.

    python benchmarks/reuse_benchmark.py                                  # 250, 500, 1000 documents
    python benchmarks/reuse_benchmark.py --documents 1000 5000 --baseline-max 0
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import generate_corpus, load_templates

from kg.reuse import (
    SimilarGroup,
    Template,
    communities,
    copied_sets,
    generate_reuse_graph,
    generate_reuse_triples,
    generate_templates,
    similar_pairs,
)

Figures = dict[str, Any]


def _rss_mib() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def _all_pairs(templates: list[Template]) -> Figures:
    g = generate_reuse_graph(templates)
    pairs = similar_pairs(g)
    links = nx.Graph()
    for s in pairs:
        links.add_edge(s.a, s.b, jaccard=s.jaccard)
    groups = [
        SimilarGroup(tuple(sorted(c)), (), 1.0, True) for c in nx.connected_components(links) if len(c) > 1
    ]
    projects = sorted(n for n, k in g.nodes(data="kind") if k == "project")
    tpls = [n for n, k in g.nodes(data="kind") if k == "template"]
    projection = nx.bipartite.weighted_projected_graph(g.subgraph(projects + tpls), projects)
    found = nx.community.louvain_communities(projection, weight="weight", seed=0)
    triples = len(generate_reuse_triples(templates, pairs))
    return {"pairs": len(pairs), "groups": len(groups), "communities": len(found), "triples": triples}


def _bounded(templates: list[Template]) -> Figures:
    g = generate_reuse_graph(templates)
    copies = copied_sets(g)
    found = communities(g)
    triples = len(generate_reuse_triples(templates, copies.pairs, copies.groups))
    return {
        "pairs": len(copies.pairs),
        "groups": len(copies.groups),
        "communities": len(found),
        "triples": triples,
    }


_TEMPLATES: list[Template] = []  # set before forking: the children inherit the grouped rows


def _child(run: Callable[[list[Template]], Figures], limit_gib: float, conn: Connection) -> None:
    if limit_gib > 0:  # a run that would take the machine's memory stops with MemoryError instead
        limit = int(limit_gib * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    base = _rss_mib()
    start = time.perf_counter()
    try:
        figures = run(_TEMPLATES)
    except MemoryError:
        figures = {"error": f"over the {limit_gib:g} GiB limit"}
    figures["seconds"] = time.perf_counter() - start
    figures["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - base
    conn.send(figures)
    conn.close()


def _measure(run: Callable[[list[Template]], Figures], limit_gib: float, timeout: float) -> Figures:
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(run, limit_gib, child))
    process.start()
    child.close()
    try:
        if parent.poll(timeout):
            figures: Figures = parent.recv()
            return figures
        return {"error": f"stopped after {timeout:g} s"}
    except EOFError:
        return {"error": "the run died"}
    finally:
        process.kill()
        process.join(timeout=30)


def _row(documents: int, projects: int, name: str, f: Figures) -> str:
    if "error" in f:
        return f"{documents:>6} {projects:>8} {name:10} {f['error']}"
    return (
        f"{documents:>6} {projects:>8} {name:10} {f['pairs']:>9,} {f['groups']:>7,} {f['communities']:>6,} "
        f"{f['triples']:>10,} {f['seconds']:>8.1f} {f['peak_mib']:>9,.0f}"
    )


def main(argv: list[str] | None = None) -> int:
    global _TEMPLATES
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    default_gold = Path(__file__).resolve().parents[2] / "shared" / "gold"
    parser.add_argument("--gold", type=Path, default=default_gold, help="gold annotations [%(default)s]")
    parser.add_argument("--documents", type=int, nargs="+", default=[250, 500, 1000])
    parser.add_argument("--copied", type=float, default=0.9, help="share copied verbatim [%(default)s]")
    parser.add_argument(
        "--baseline-max", type=int, default=500, help="largest corpus the all-pairs run gets [%(default)s]"
    )
    parser.add_argument("--memory-limit", type=float, default=12.0, help="GiB per run [%(default)s]")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per run [%(default)s]")
    args = parser.parse_args(argv)

    gold = load_templates(args.gold)
    print(
        f"{'docs':>6} {'projects':>8} {'run':10} {'pairs':>9} {'groups':>7} {'comms':>6} "
        f"{'triples':>10} {'seconds':>8} {'peak MiB':>9}"
    )
    for documents in args.documents:
        docs = list(generate_corpus(gold, documents, copied=args.copied))
        start = time.perf_counter()
        _TEMPLATES = generate_templates(docs)
        grouping = time.perf_counter() - start
        projects = sum(len(d["tables"]) for d in docs)
        rows = sum(len(t["indicators"]) for d in docs for t in d["tables"])
        print(
            f"{documents:>6} {projects:>8} templates: {rows:,} rows into {len(_TEMPLATES)} in {grouping:.1f} s"
        )
        if documents <= args.baseline_max:
            print(
                _row(documents, projects, "all pairs", _measure(_all_pairs, args.memory_limit, args.timeout))
            )
        print(_row(documents, projects, "bounded", _measure(_bounded, args.memory_limit, args.timeout)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
