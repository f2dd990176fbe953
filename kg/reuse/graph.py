"""The reuse graph (department — project — template) and what it says about copied indicators.

Node ids are prefixed strings: ``department:<name>``, ``project:<source>#<table>``, ``template:<id>``.
Every table counts as a project node (``scope`` tells project tables from department-wide ones); a
project–template edge carries the normalised values the project gives that template.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

import networkx as nx

from kg.reuse.templates import Template

__all__ = [
    "BoilerplateRow",
    "SimilarGroup",
    "SimilarPair",
    "TemplateRank",
    "boilerplate_rows",
    "communities",
    "generate_reuse_graph",
    "identical_sets",
    "rank_templates",
    "similar_pairs",
]


def _dept(name: str) -> str:
    return f"department:{name}"


def _proj(key: str) -> str:
    return f"project:{key}"


def _tpl(tid: str) -> str:
    return f"template:{tid}"


def generate_reuse_graph(templates: Iterable[Template]) -> nx.Graph:
    """The bipartite graph project ↔ template, plus department ↔ project edges."""
    g = nx.Graph()
    for tpl in templates:
        t_node = _tpl(tpl.id)
        g.add_node(t_node, kind="template", label=tpl.label, block=tpl.block, rows=len(tpl.members))
        for m in tpl.members:
            p_node = _proj(m.project_key)
            if p_node not in g:
                g.add_node(
                    p_node,
                    kind="project",
                    label=m.project,
                    source=m.source,
                    table=m.table,
                    scope=m.scope,
                    department=m.department,
                )
                g.add_node(_dept(m.department), kind="department", label=m.department)
                g.add_edge(_dept(m.department), p_node, kind="owns")
            if g.has_edge(p_node, t_node):
                edge = g.edges[p_node, t_node]
                edge["weight"] += 1
                edge["values"].append(m.value)
            else:
                g.add_edge(p_node, t_node, kind="uses", weight=1, values=[m.value])
    return g


def _nodes(g: nx.Graph, kind: str) -> list[str]:
    return sorted(n for n, k in g.nodes(data="kind") if k == kind)


@dataclass(frozen=True)
class TemplateRank:
    template: str
    label: str
    projects: int
    departments: int
    rows: int


def rank_templates(g: nx.Graph, *, top: int | None = None, min_projects: int = 2) -> list[TemplateRank]:
    """Templates used by at least ``min_projects`` project tables, ranked by projects then departments."""
    ranks = []
    for t in _nodes(g, "template"):
        tables = [p for p in g[t] if g.nodes[p]["kind"] == "project"]
        projects = [p for p in tables if g.nodes[p]["scope"] == "project"]
        departments = {g.nodes[p]["department"] for p in tables}
        if len(projects) >= min_projects:
            node = g.nodes[t]
            ranks.append(TemplateRank(t, node["label"], len(projects), len(departments), node["rows"]))
    ranks.sort(key=lambda r: (-r.projects, -r.departments, -r.rows, r.label))
    return ranks[:top] if top is not None else ranks


def _row_sets(g: nx.Graph, by_value: bool = True) -> dict[str, frozenset[tuple[str, str]]]:
    rows: dict[str, frozenset[tuple[str, str]]] = {}
    for p in _nodes(g, "project"):
        rows[p] = frozenset(
            (t, v if by_value else "")
            for t in g[p]
            if g.nodes[t]["kind"] == "template"
            for v in g.edges[p, t]["values"]
        )
    return rows


@dataclass(frozen=True)
class SimilarPair:
    a: str
    b: str
    jaccard: float


def similar_pairs(
    g: nx.Graph, *, threshold: float = 0.8, min_rows: int = 3, by_value: bool = True
) -> list[SimilarPair]:
    """Project pairs whose (template, value) sets have Jaccard ≥ ``threshold``, both with ≥ ``min_rows`` rows.

    Without ``by_value`` only the templates are compared: the same indicators, whatever their targets.
    """
    rows = {p: r for p, r in _row_sets(g, by_value).items() if len(r) >= min_rows}
    # only projects that share at least one (template, value) row can reach a positive Jaccard
    holders: dict[tuple[str, str], list[str]] = defaultdict(list)
    for p, r in rows.items():
        for row in r:
            holders[row].append(p)
    shared: Counter[tuple[str, str]] = Counter()
    for ps in holders.values():
        for a, b in combinations(sorted(ps), 2):
            shared[a, b] += 1
    pairs = []
    for (a, b), inter in shared.items():
        jac = inter / (len(rows[a]) + len(rows[b]) - inter)
        if jac >= threshold:
            pairs.append(SimilarPair(a, b, round(jac, 6)))
    pairs.sort(key=lambda s: (-s.jaccard, s.a, s.b))
    return pairs


@dataclass(frozen=True)
class SimilarGroup:
    """Projects linked by similar pairs; ``identical`` when every pair in it has Jaccard 1."""

    projects: tuple[str, ...]
    labels: tuple[str, ...]
    min_jaccard: float
    identical: bool


def identical_sets(
    g: nx.Graph, *, threshold: float = 0.8, min_rows: int = 3, by_value: bool = True
) -> list[SimilarGroup]:
    """Groups of projects with identical or near-identical indicator sets, biggest first."""
    pairs = similar_pairs(g, threshold=threshold, min_rows=min_rows, by_value=by_value)
    links = nx.Graph()
    for s in pairs:
        links.add_edge(s.a, s.b, jaccard=s.jaccard)
    groups = []
    for comp in nx.connected_components(links):
        members = tuple(sorted(comp))
        low = min(j for _, _, j in links.subgraph(comp).edges(data="jaccard"))
        labels = tuple(g.nodes[p]["label"] for p in members)
        groups.append(SimilarGroup(members, labels, low, low >= 1.0))
    groups.sort(key=lambda grp: (-len(grp.projects), -grp.min_jaccard, grp.projects))
    return groups


def communities(g: nx.Graph, *, min_shared: int = 1, seed: int = 0) -> list[frozenset[str]]:
    """Communities (Louvain) of projects in the projection weighted by the number of templates shared.

    Only projects sharing at least ``min_shared`` templates are linked; singletons are left out.
    """
    projects = _nodes(g, "project")
    templates = _nodes(g, "template")
    bip = g.subgraph(projects + templates)
    proj = nx.bipartite.weighted_projected_graph(bip, projects)
    weak = [(a, b) for a, b, w in proj.edges(data="weight") if w < min_shared]
    proj.remove_edges_from(weak)
    proj.remove_nodes_from([n for n in list(proj) if proj.degree(n) == 0])
    found = (
        nx.community.louvain_communities(proj, weight="weight", seed=seed) if proj.number_of_edges() else []
    )
    result = [frozenset(c) for c in found if len(c) > 1]
    result.sort(key=lambda c: (-len(c), sorted(c)))
    return result


@dataclass(frozen=True)
class BoilerplateRow:
    department: str
    template: str
    label: str
    projects: int
    of_projects: int
    share: float
    values: tuple[str, ...]


def boilerplate_rows(
    g: nx.Graph, *, share: float = 0.6, min_projects: int = 3, by_value: bool = False
) -> list[BoilerplateRow]:
    """Templates present in ≥ ``share`` of a department's project tables (departments with ≥ ``min_projects``).

    With ``by_value`` a row counts only when the value is the same too (the row is copied verbatim).
    """
    found: list[BoilerplateRow] = []
    for d in _nodes(g, "department"):
        projects = [p for p in g[d] if g.nodes[p]["kind"] == "project" and g.nodes[p]["scope"] == "project"]
        if len(projects) < min_projects:
            continue
        counts: Counter[tuple[str, str]] = Counter()
        values: dict[str, Counter[str]] = defaultdict(Counter)
        for p in projects:
            seen: set[tuple[str, str]] = set()
            for t in g[p]:
                if g.nodes[t]["kind"] != "template":
                    continue
                for v in g.edges[p, t]["values"]:
                    seen.add((t, v if by_value else ""))
                    values[t][v] += 1
            counts.update(seen)
        for (t, v), n in counts.items():
            if n / len(projects) >= share:
                vals: Sequence[str] = (v,) if by_value else tuple(x for x, _ in values[t].most_common())
                found.append(
                    BoilerplateRow(
                        g.nodes[d]["label"],
                        t,
                        g.nodes[t]["label"],
                        n,
                        len(projects),
                        n / len(projects),
                        tuple(vals),
                    )
                )
    found.sort(key=lambda b: (-b.share, -b.projects, b.department, b.label))
    return found
