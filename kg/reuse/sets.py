"""Projects whose indicator sets are copies of one another, found in time and output linear in the corpus.

A project's indicator set is its (template, value) rows in the reuse graph (or its templates alone,
``by_value=False``).  Copies are reported the way they can be read at any corpus size:

* identical sets as **groups** (:func:`identical_sets`): projects are bucketed by their set, so a set
  pasted into 1,000 projects is one group of 1,000, not 499,500 pairs;
* near-identical sets as **top-k neighbours** (:func:`nearest_projects`): each distinct set asks a
  MinHash LSH forest for its closest sets and keeps at most ``k`` with an exact Jaccard above the
  threshold, so the pairs are at most ``k`` per distinct set;
* :func:`communities` run Louvain on that sparse neighbour graph, never on a projection of the
  bipartite graph (which links every two projects sharing any template).

:func:`similar_pairs` lists every pair above a threshold exactly; its output grows with the square of
a copied set's size, so it is for one document (the quality rules), not for a corpus.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import networkx as nx

from kg.reuse.setjoin import candidate_pairs

__all__ = [
    "CopiedSets",
    "SimilarGroup",
    "SimilarPair",
    "communities",
    "copied_sets",
    "identical_sets",
    "nearest_projects",
    "project_rows",
    "similar_pairs",
]

Rows = frozenset[tuple[str, str]]


@dataclass(frozen=True)
class SimilarPair:
    a: str
    b: str
    jaccard: float


@dataclass(frozen=True)
class SimilarGroup:
    """Projects with identical sets, or linked by near-identical neighbours; ``identical`` when all are one set."""

    projects: tuple[str, ...]
    labels: tuple[str, ...]
    min_jaccard: float
    identical: bool


def project_rows(g: nx.Graph, *, by_value: bool = True) -> dict[str, Rows]:
    """Each project node's indicator set: (template node, value) pairs, or (template node, "")."""
    rows: dict[str, Rows] = {}
    for p, kind in g.nodes(data="kind"):
        if kind == "project":
            rows[p] = frozenset(
                (t, v if by_value else "")
                for t in g[p]
                if g.nodes[t]["kind"] == "template"
                for v in g.edges[p, t]["values"]
            )
    return dict(sorted(rows.items()))


def _jaccard(a: Rows, b: Rows) -> float:
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter) if inter else 0.0


def similar_pairs(
    g: nx.Graph, *, threshold: float = 0.8, min_rows: int = 3, by_value: bool = True
) -> list[SimilarPair]:
    """Every project pair with Jaccard ≥ ``threshold``, both with ≥ ``min_rows`` rows: for one document.

    Exact.  Candidates come from a prefix filter (:mod:`kg.reuse.setjoin`), so the work follows the
    pairs that could be similar rather than every two projects sharing a row; the output itself
    grows with the square of a copied set's holders, so use :func:`identical_sets` and
    :func:`nearest_projects` on a corpus.
    """
    rows = {p: r for p, r in project_rows(g, by_value=by_value).items() if len(r) >= min_rows}
    names, sets = list(rows), list(rows.values())  # names sorted, so i < j orders each pair
    pairs = []
    for i, j in candidate_pairs(sets, threshold):
        inter = len(sets[i] & sets[j])
        if not inter:
            continue
        jac = inter / (len(sets[i]) + len(sets[j]) - inter)
        if jac >= threshold:
            pairs.append(SimilarPair(names[i], names[j], round(jac, 6)))
    pairs.sort(key=lambda s: (-s.jaccard, s.a, s.b))
    return pairs


def _distinct_sets(g: nx.Graph, min_rows: int, by_value: bool) -> list[tuple[Rows, list[str]]]:
    """Each distinct set of ≥ ``min_rows`` rows with the projects holding it, in a stable order."""
    holders: dict[Rows, list[str]] = defaultdict(list)
    for p, r in project_rows(g, by_value=by_value).items():
        if len(r) >= min_rows:
            holders[r].append(p)
    return sorted(holders.items(), key=lambda item: item[1][0])


def _row_bytes(row: tuple[str, str]) -> bytes:
    return "\x1f".join(row).encode("utf-8")


def _neighbour_edges(
    sets: Sequence[Rows], *, k: int, threshold: float, num_perm: int
) -> Iterator[tuple[int, int, float]]:
    """(i, j, Jaccard) with i < j: for each set, its ≤ ``k`` nearest other sets at ≥ ``threshold``."""
    if len(sets) < 2:
        return
    from datasketch import MinHash, MinHashLSHForest

    hashes = MinHash.bulk((sorted(map(_row_bytes, s)) for s in sets), num_perm=num_perm, seed=1)
    forest = MinHashLSHForest(num_perm=num_perm)
    for i, mh in enumerate(hashes):
        forest.add(i, mh)
    forest.index()
    seen: set[tuple[int, int]] = set()
    for i, mh in enumerate(hashes):
        # the forest's candidates are approximate: ask for more, keep the k best by exact Jaccard
        candidates = (j for j in forest.query(mh, 2 * k + 1) if j != i)
        scored = sorted(((_jaccard(sets[i], sets[j]), j) for j in candidates), key=lambda s: (-s[0], s[1]))
        for jac, j in scored[:k]:
            edge = (min(i, j), max(i, j))
            if jac >= threshold and edge not in seen:
                seen.add(edge)
                yield edge[0], edge[1], round(jac, 6)


class _Components:
    """Union–find over set indices."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


@dataclass(frozen=True)
class CopiedSets:
    """Copied indicator sets: ``groups`` (:func:`identical_sets`) and ``pairs`` (:func:`nearest_projects`)."""

    groups: list[SimilarGroup]
    pairs: list[SimilarPair]


def copied_sets(
    g: nx.Graph,
    *,
    k: int = 5,
    threshold: float = 0.8,
    min_rows: int = 3,
    by_value: bool = True,
    num_perm: int = 64,
) -> CopiedSets:
    """Groups of identical sets joined by near-identical neighbours, and those neighbour pairs.

    Each distinct set of ≥ ``min_rows`` rows keeps at most ``k`` nearest other sets with an exact
    Jaccard ≥ ``threshold``, found through a MinHash LSH forest (approximate: a pair can be missed,
    but the output never exceeds ``k`` pairs per distinct set).  A pair names the first project of
    each set.  A group is the projects of the sets those pairs link (or of one set held by several
    projects); its ``min_jaccard`` is the lowest of its links, 1 for a group of one set.
    """
    distinct = _distinct_sets(g, min_rows, by_value)
    sets = [s for s, _ in distinct]
    edges = list(_neighbour_edges(sets, k=k, threshold=threshold, num_perm=num_perm))
    pairs = [SimilarPair(distinct[i][1][0], distinct[j][1][0], jac) for i, j, jac in edges]
    pairs.sort(key=lambda s: (-s.jaccard, s.a, s.b))

    components = _Components(len(sets))
    for i, j, _ in edges:
        components.union(i, j)
    low: dict[int, float] = {}
    for i, _, jac in edges:
        root = components.find(i)
        low[root] = min(low.get(root, 1.0), jac)
    members: dict[int, list[str]] = defaultdict(list)
    for i, (_, projects) in enumerate(distinct):
        members[components.find(i)].extend(projects)
    groups = []
    for root, projects in members.items():
        if len(projects) > 1:
            ordered = tuple(sorted(projects))
            jac = low.get(root, 1.0)
            groups.append(SimilarGroup(ordered, tuple(g.nodes[p]["label"] for p in ordered), jac, jac >= 1.0))
    groups.sort(key=lambda grp: (-len(grp.projects), -grp.min_jaccard, grp.projects))
    return CopiedSets(groups, pairs)


def identical_sets(
    g: nx.Graph, *, threshold: float = 0.8, min_rows: int = 3, by_value: bool = True, k: int = 5
) -> list[SimilarGroup]:
    """Groups of projects with identical sets, joined with their near-identical neighbours; biggest first."""
    return copied_sets(g, k=k, threshold=threshold, min_rows=min_rows, by_value=by_value).groups


def nearest_projects(
    g: nx.Graph, *, k: int = 5, threshold: float = 0.8, min_rows: int = 3, by_value: bool = True
) -> list[SimilarPair]:
    """Near-identical (not identical) project pairs, at most ``k`` per distinct set (see :func:`copied_sets`)."""
    return copied_sets(g, k=k, threshold=threshold, min_rows=min_rows, by_value=by_value).pairs


def communities(
    g: nx.Graph, *, k: int = 10, threshold: float = 0.3, min_rows: int = 2, seed: int = 0
) -> list[frozenset[str]]:
    """Communities (Louvain) of projects whose templates overlap, on the sparse neighbour graph.

    Each distinct template set is linked to its ≤ ``k`` nearest sets at template Jaccard ≥ ``threshold``
    and projects holding one set to each other; singletons are left out.
    """
    distinct = _distinct_sets(g, min_rows, by_value=False)
    sets = [s for s, _ in distinct]
    links = nx.Graph()
    for _, projects in distinct:
        # a star through the first holder keeps the links linear in the number of projects
        links.add_edges_from(((projects[0], p) for p in projects[1:]), weight=1.0)
    for i, j, jac in _neighbour_edges(sets, k=k, threshold=threshold, num_perm=64):
        links.add_edge(distinct[i][1][0], distinct[j][1][0], weight=jac)
    if not links.number_of_edges():
        return []
    found = nx.community.louvain_communities(links, weight="weight", seed=seed)
    result = [frozenset(c) for c in found if len(c) > 1]
    result.sort(key=lambda c: (-len(c), sorted(c)))
    return result
