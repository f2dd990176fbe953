"""The reuse graph (department — project — template) and what it says about copied indicators.

Node ids are prefixed strings: ``department:<name>``, ``project:<source>#<table>``, ``template:<id>``.
Every table counts as a project node (``scope`` tells project tables from department-wide ones); a
project–template edge carries the normalised values the project gives that template.  The graph is
linear in the rows; comparisons between projects are ``kg.reuse.sets``'s.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import networkx as nx

from kg.reuse.templates import Template

__all__ = [
    "BoilerplateRow",
    "TemplateRank",
    "boilerplate_rows",
    "generate_reuse_graph",
    "rank_templates",
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
