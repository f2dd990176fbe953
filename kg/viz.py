"""The interactive graph: departments, projects, indicators and the templates they share, as one HTML file.

``generate_viz_graph`` turns document dicts (plus optional findings) into a NetworkX graph whose nodes
carry their label, tooltip text and colour; ``generate_viz_html`` draws any such graph as a
self-contained page (vis-network inlined, a content-security policy that forbids every load, the layout
precomputed with NetworkX and physics off, aggregation above ``max_nodes``).  Labels reach the browser
only as JSON data drawn on a canvas or set as ``textContent``, so markup in a document stays text.

The vis-network bundle is the one pyvis ships (vendored in ``kg/assets``).  pyvis' own ``Network`` is
not used: every template it has loads Bootstrap (and, unless in-lined, vis-network) from a CDN, renders
the heading unescaped, and its ``add_edge`` scans all edges per call, which stalls on large graphs.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import PurePath
from typing import Any

import jinja2
import networkx as nx

from kg.framework import canonical_l1, concept_label
from kg.iris import document_iris
from kg.reuse import Template, generate_templates, normalise_label, project_key

__all__ = [
    "L1_COLOURS",
    "SEVERITY_COLOURS",
    "aggregate",
    "generate_viz_graph",
    "generate_viz_html",
    "l1_category",
]

L1_COLOURS: dict[str, str] = {
    "产出": "#4e79a7",
    "效益": "#59a14f",
    "满意度": "#f28e2b",
    "成本": "#b07aa1",
    "其他": "#9d9d9d",
}
SEVERITY_COLOURS: dict[str, str] = {"error": "#d62728", "warning": "#ff7f0e", "info": "#e5c400"}
_KIND_COLOURS = {"department": "#2f3b52", "project": "#8fb1d9", "template": "#ffffff"}
_SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}
_SPRING_LIMIT = 500


def l1_category(l1: str | None, l2: str | None = None) -> str:
    """The colour group of an indicator: 产出, 效益, 满意度, 成本 or 其他.

    The canonical L1 concept decides; a cost row filed as an L2 under 产出 (the pre-2021 framework)
    is coloured 成本 too, and an L1 the framework does not know falls back to the words in it.
    """
    concept = canonical_l1(l1)
    text = f"{concept_label(concept) if concept is not None else l1 or ''}|{l2 or ''}"
    for needle, group in (
        ("满意", "满意度"),
        ("成本", "成本"),
        ("效益", "效益"),
        ("效果", "效益"),
        ("产出", "产出"),
    ):
        if needle in text:
            return group
    return "其他"


_SEVERITY_NAMES = {"H": "error", "M": "warning", "L": "info"}
Key = tuple[Any, ...]


def _finding_keys(f: Mapping[str, Any]) -> Key | None:
    """The most precise place a finding names, in one of the shapes it may come in.

    ``kg.findings`` gives ``source`` + ``table_index`` (+ ``indicator_index``) + ``line``; a caller may
    give ``indicator`` as an IRI or as ``(document, line)``.
    """
    source = f.get("source")
    if source is not None and f.get("table_index") is not None:
        name = PurePath(str(source)).name
        if f.get("indicator_index") is not None:
            return ("row", name, int(f["table_index"]), int(f["indicator_index"]))
        return ("table", name, int(f["table_index"]))
    if isinstance(f.get("subject"), str):
        return ("iri", f["subject"])
    ref = f.get("indicator")
    if isinstance(ref, str) and ref.startswith(("http://", "https://", "urn:")):
        return ("iri", ref)
    if isinstance(ref, Sequence) and not isinstance(ref, str) and len(ref) == 2:
        return ("line", PurePath(str(ref[0])).name, int(ref[1]))
    if source is not None and f.get("line") is not None:
        return ("line", PurePath(str(source)).name, int(f["line"]))
    return None


def _index_findings(findings: Iterable[Mapping[str, Any]]) -> dict[Key, list[Mapping[str, Any]]]:
    index: dict[Key, list[Mapping[str, Any]]] = defaultdict(list)
    for f in findings:
        if f.get("severity") == "I":
            continue  # information (a bare "100%" read as "="), not a defect to colour a node for
        key = _finding_keys(f)
        if key is not None:
            index[key].append(f)
    return index


def _lookup(index: Mapping[Key, list[Mapping[str, Any]]], *keys: Key | None) -> list[Mapping[str, Any]]:
    return [f for k in keys if k is not None for f in index.get(k, ())]


def _severity(f: Mapping[str, Any]) -> str:
    raw = str(f.get("severity") or "info")
    return _SEVERITY_NAMES.get(raw, raw)


def _worst(findings: Sequence[Mapping[str, Any]]) -> str | None:
    ranked = sorted((_severity(f) for f in findings), key=lambda s: _SEVERITY_RANK.get(s, 0))
    return ranked[-1] if ranked else None


def _finding_lines(findings: Sequence[Mapping[str, Any]]) -> list[str]:
    return [f"⚠ {f.get('rule', '?')} ({_severity(f)}): {f.get('message', '')}" for f in findings]


def _matches(needle: str, *haystacks: str) -> bool:
    key = normalise_label(needle)
    return any(needle == h or (key and key in normalise_label(h)) for h in haystacks)


def generate_viz_graph(
    docs: Iterable[Mapping[str, Any]],
    *,
    findings: Iterable[Mapping[str, Any]] = (),
    templates: Sequence[Template] | None = None,
    department: str | None = None,
    project: str | None = None,
    template: str | None = None,
) -> nx.Graph:
    """Department — project — indicator nodes, and template nodes joining indicators copied elsewhere.

    ``findings`` are dicts ``{rule, severity, indicator, message}`` whose ``indicator`` is an indicator
    IRI or ``(document, line)``, or ``kg.findings`` dicts (``source``, ``table_index``,
    ``indicator_index``, severity H/M/L); ``department``/``project``/``template`` keep only the part of
    the graph around the matching nodes (substring of the normalised label, or the exact node key).
    """
    docs = list(docs)
    by_finding = _index_findings(findings)
    g = nx.Graph()
    for doc in docs:
        source = str(doc.get("source") or "")
        src_name = PurePath(source).name
        iris = document_iris(doc)
        dept = str(doc.get("department") or source)
        d_node = f"department:{dept}"
        g.add_node(d_node, kind="department", label=dept, title=f"部门 {dept}", group="department")
        for t_index, table in enumerate(doc.get("tables") or []):
            key = project_key(source, t_index)
            p_node = f"project:{key}"
            name = table.get("name") or f"{source} table {t_index + 1}"
            t_iri = table.get("iri") or (iris.tables[t_index] if iris else None)
            table_findings = _lookup(
                by_finding,
                ("table", src_name, t_index),
                ("line", src_name, int(table.get("line") or 0)),
                ("iri", t_iri) if t_iri else None,
            )
            tip = [name, f"{'部门整体' if table.get('scope') == 'department' else '项目'} · {dept}"]
            tip.append(f"{source}:{table.get('line') or '?'} · {len(table.get('indicators') or [])} 个指标")
            g.add_node(
                p_node,
                kind="project",
                label=name,
                key=key,
                title="\n".join(tip + _finding_lines(table_findings)),
                severity=_worst(table_findings),
            )
            g.add_edge(d_node, p_node)
            for i_index, ind in enumerate(table.get("indicators") or []):
                i_node = f"indicator:{key}#{i_index}"
                line = int(ind.get("line") or 0)
                i_iri = ind.get("iri") or (iris.indicators[t_index][i_index] if iris else None)
                found = _lookup(
                    by_finding,
                    ("row", src_name, t_index, i_index),
                    ("line", src_name, line),
                    ("iri", i_iri) if i_iri else None,
                )
                l1, l2 = ind.get("l1"), ind.get("l2")
                tip = [
                    ind.get("l3") or "",
                    f"{l1 or '—'} / {l2 or '—'}",
                    f"指标值: {ind.get('value') or '—'}",
                ]
                if ind.get("period"):
                    tip.append(f"期间: {ind['period']}")
                tip.append(f"{source}:{line}")
                g.add_node(
                    i_node,
                    kind="indicator",
                    label=ind.get("l3") or "",
                    title="\n".join(tip + _finding_lines(found)),
                    group=l1_category(l1, l2),
                    severity=_worst(found),
                    value=ind.get("value"),
                    line=line,
                    source=source,
                )
                g.add_edge(p_node, i_node)

    tpls = templates if templates is not None else generate_templates(docs)
    for tpl in tpls:
        # a label repeated only inside one table (its midterm and annual rows) is not reuse
        if len(tpl.tables) < 2:
            continue
        t_node = f"template:{tpl.id}"
        groups = Counter(l1_category(m.l1, m.l2) for m in tpl.members)
        tip = [
            f"模板 {tpl.label}",
            f"{len(tpl.tables)} 个表 · {len(tpl.departments)} 个部门 · {len(tpl.members)} 行",
        ]
        tip += [f"写法: {v}" for v in tpl.variants[1:]]
        g.add_node(
            t_node,
            kind="template",
            label=tpl.label,
            key=tpl.id,
            title="\n".join(tip),
            group=groups.most_common(1)[0][0],
            reuse=len(tpl.tables),
        )
        for m in tpl.members:
            i_node = f"indicator:{m.project_key}#{m.index}"
            if i_node in g:
                g.add_edge(t_node, i_node)
    return _filter(g, department=department, project=project, template=template)


def _kind(g: nx.Graph, n: str) -> str:
    return str(g.nodes[n]["kind"])


def _around_department(g: nx.Graph, needle: str) -> set[str]:
    keep: set[str] = set()
    for d in (n for n in g if _kind(g, n) == "department" and _matches(needle, g.nodes[n]["label"], n)):
        keep.add(d)
        for p in g[d]:
            keep.add(p)
            keep.update(i for i in g[p] if _kind(g, i) == "indicator")
    keep.update(t for i in list(keep) for t in g[i] if _kind(g, t) == "template")
    return keep


def _around_template_nodes(g: nx.Graph, templates: Iterable[str]) -> set[str]:
    keep: set[str] = set()
    for t in templates:
        keep.add(t)
        for i in g[t]:
            keep.add(i)
            for p in g[i]:
                if _kind(g, p) == "project":
                    keep.add(p)
                    keep.update(d for d in g[p] if _kind(g, d) == "department")
    return keep


def _around_project(g: nx.Graph, needle: str) -> set[str]:
    keep: set[str] = set()
    for p in (
        n for n in g if _kind(g, n) == "project" and _matches(needle, g.nodes[n]["label"], g.nodes[n]["key"])
    ):
        keep.add(p)
        keep.update(g[p])  # its department and indicators
        shared = [t for i in g[p] if _kind(g, i) == "indicator" for t in g[i] if _kind(g, t) == "template"]
        keep |= _around_template_nodes(g, shared)
    return keep


def _filter(g: nx.Graph, *, department: str | None, project: str | None, template: str | None) -> nx.Graph:
    keep = set(g)
    if department:
        keep &= _around_department(g, department)
    if project:
        keep &= _around_project(g, project)
    if template:
        hits = [
            t
            for t in g
            if _kind(g, t) == "template" and _matches(template, g.nodes[t]["label"], g.nodes[t]["key"])
        ]
        keep &= _around_template_nodes(g, hits)
    if keep == set(g):
        return g
    sub = g.subgraph(keep).copy()
    # a template left with one indicator no longer shows any reuse
    sub.remove_nodes_from([t for t in list(sub) if _kind(sub, t) == "template" and sub.degree(t) < 2])
    return sub


@dataclass(frozen=True)
class Aggregation:
    graph: nx.Graph
    note: str


def aggregate(g: nx.Graph, max_nodes: int) -> Aggregation:
    """A graph of at most about ``max_nodes`` nodes that still shows where indicators are reused.

    Step by step while too big: indicators fold into their template (project — template edges keep the
    values and lines as tooltips); templates used by one project only are dropped (counted on the
    project); then the least reused templates go.
    """
    if g.number_of_nodes() <= max_nodes:
        return Aggregation(g, "")
    total = g.number_of_nodes()
    h = nx.Graph()
    for n, attrs in g.nodes(data=True):
        if attrs["kind"] in ("department", "project"):
            h.add_node(n, **attrs)
    h.add_edges_from((a, b) for a, b in g.edges() if a in h and b in h)
    for i, attrs in g.nodes(data=True):
        if attrs["kind"] != "indicator":
            continue
        templates = [t for t in g[i] if _kind(g, t) == "template"]
        t_node = templates[0] if templates else f"template:{i}"
        if t_node not in h:
            t_attrs = dict(g.nodes[t_node]) if templates else {**attrs, "kind": "template", "reuse": 1}
            h.add_node(t_node, **t_attrs)
        for p in (p for p in g[i] if _kind(g, p) == "project"):
            row = f"{attrs['label']} = {attrs.get('value') or '—'} ({attrs['source']}:{attrs['line']})"
            if h.has_edge(p, t_node):
                h.edges[p, t_node]["title"] += "\n" + row
            else:
                h.add_edge(p, t_node, title=row)
    note = f"aggregated: indicators folded into templates ({total} → {h.number_of_nodes()} nodes)"
    if h.number_of_nodes() > max_nodes:
        lonely = [
            t for t in h if _kind(h, t) == "template" and sum(1 for p in h[t] if _kind(h, p) == "project") < 2
        ]
        for t in lonely:
            for p in h[t]:
                h.nodes[p]["hidden_rows"] = h.nodes[p].get("hidden_rows", 0) + 1
        h.remove_nodes_from(lonely)
        note += f"; {len(lonely)} templates used by one project hidden"
    if h.number_of_nodes() > max_nodes:
        templates = sorted((t for t in h if _kind(h, t) == "template"), key=lambda t: (h.degree(t), t))
        drop = templates[: h.number_of_nodes() - max_nodes]
        h.remove_nodes_from(drop)
        note += f"; {len(drop)} least reused templates hidden"
    for p, hidden in h.nodes(data="hidden_rows"):
        if hidden:
            h.nodes[p]["title"] += f"\n(+{hidden} 个未显示的独有指标)"
    return Aggregation(h, note)


def _ring(count: int, item_radius: float) -> float:
    # radius of a ring on which ``count`` discs of ``item_radius`` sit without overlapping
    return 0.0 if count < 2 else item_radius / math.sin(math.pi / count)


def _radial_layout(g: nx.Graph) -> dict[str, tuple[float, float]]:
    # departments on a circle, each project on a ring around its department, indicators on a ring around
    # their project, templates at the mean of what they join: O(n), for graphs too big for a spring layout
    pos: dict[str, tuple[float, float]] = {}
    leaves: dict[str, list[str]] = {}
    projects: dict[str, list[str]] = {}
    for d in sorted(n for n in g if _kind(g, n) == "department"):
        projects[d] = sorted(p for p in g[d] if _kind(g, p) == "project")
        for p in projects[d]:
            leaves[p] = sorted(i for i in g[p] if _kind(g, i) == "indicator")
    leaf_gap = 18.0
    radius = {p: max(40.0, _ring(len(ls), leaf_gap / 2)) + leaf_gap for p, ls in leaves.items()}
    d_ring = {d: _ring(len(ps), max((radius[p] for p in ps), default=40.0)) for d, ps in projects.items()}
    d_radius = {d: d_ring[d] + max((radius[p] for p in ps), default=40.0) for d, ps in projects.items()}
    outer = _ring(len(projects), max(d_radius.values(), default=100.0) * 1.3)
    for k, (d, ps) in enumerate(projects.items()):
        angle = 2 * math.pi * k / len(projects)
        dx, dy = outer * math.cos(angle), outer * math.sin(angle)
        pos[d] = (dx, dy)
        for j, p in enumerate(ps):
            a = 2 * math.pi * j / len(ps) + angle
            px, py = dx + d_ring[d] * math.cos(a), dy + d_ring[d] * math.sin(a)
            pos[p] = (px, py)
            ring = radius[p] - leaf_gap
            for m, i in enumerate(leaves[p]):
                b = 2 * math.pi * m / len(leaves[p])
                pos.setdefault(i, (px + ring * math.cos(b), py + ring * math.sin(b)))
    crowd: Counter[tuple[int, int]] = Counter()
    for n in sorted(n for n in g if n not in pos):
        placed = [pos[m] for m in g[n] if m in pos]
        cx = sum(x for x, _ in placed) / len(placed) if placed else 0.0
        cy = sum(y for _, y in placed) / len(placed) if placed else 0.0
        # templates shared by the same projects have the same centroid: a golden-angle spiral parts them
        k = crowd[round(cx), round(cy)]
        crowd[round(cx), round(cy)] += 1
        r, a = 25.0 * math.sqrt(k), k * 2.39996
        pos[n] = (cx + r * math.cos(a), cy + r * math.sin(a))
    return pos


def _layout(g: nx.Graph) -> dict[str, tuple[float, float]]:
    n = g.number_of_nodes()
    if n == 0:
        return {}
    if n >= _SPRING_LIMIT:
        return _radial_layout(g)
    # a seeded spring layout, so the same graph always looks the same and the browser never runs physics;
    # networkx's dense solver is quick below _SPRING_LIMIT nodes, its sparse one takes seconds above
    pos = nx.spring_layout(g, seed=7, iterations=80)
    scale = 120 * max(1.0, n**0.5)
    return {k: (float(x) * scale, float(y) * scale) for k, (x, y) in pos.items()}


def _vis_node(n: str, attrs: Mapping[str, Any], x: float, y: float) -> dict[str, Any]:
    kind = attrs["kind"]
    node: dict[str, Any] = {
        "id": n,
        "label": _short(str(attrs.get("label") or "")),
        "title": attrs.get("title") or "",
    }
    node.update(x=round(x, 1), y=round(y, 1))
    fill = L1_COLOURS.get(attrs.get("group") or "", _KIND_COLOURS.get(kind, "#cccccc"))
    border = SEVERITY_COLOURS.get(attrs.get("severity") or "", "#444444")
    if kind == "department":
        node.update(shape="box", color={"background": _KIND_COLOURS["department"], "border": border})
        node["font"] = {"color": "#ffffff", "size": 18}
    elif kind == "project":
        node.update(shape="box", color={"background": _KIND_COLOURS["project"], "border": border})
    elif kind == "template":
        node.update(shape="diamond", size=10 + 3 * min(int(attrs.get("reuse") or 1), 10))
        node["color"] = {"background": fill, "border": border}
    else:
        node.update(shape="dot", size=8, color={"background": fill, "border": border})
    severity = attrs.get("severity")
    node["borderWidth"] = 2 if severity else 1
    if severity:
        # a glow in the severity's colour, so the fill keeps showing the L1 group
        node["shadow"] = {"enabled": True, "color": border, "size": 14, "x": 0, "y": 0}
    return node


def _short(label: str, limit: int = 24) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _json_for_script(value: object) -> str:
    # inside <script> only "</script" or "<!--" could end or confuse the element; escaping every <, >
    # and & (plus the two JavaScript line separators) rules that out whatever the labels hold
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(ch, esc)
    return text


# inert URLs the bundle carries in its licence header, an error message and core-js' metadata; the
# page should hold no URL at all, so they are cut (the licence is named in the header we put back)
_BUNDLE_URL = re.compile(r"https?://(?!www\.w3\.org/2000/svg)[^\s\"'<>)]*")
_BUNDLE_HEADER = re.compile(r"\A/\*\*.*?\*/", re.S)
_BUNDLE_NOTICE = (
    "/* vis-network 9.1.2, (c) 2011-2017 Almende B.V., 2017-2019 visjs contributors;"
    " dual licensed Apache-2.0 or MIT (see kg/assets/NOTICE.md) */\n"
)


def _asset(name: str) -> str:
    return (resources.files("kg") / "assets" / name).read_text(encoding="utf-8")


def _vis_bundle() -> str:
    js = _BUNDLE_HEADER.sub("", _asset("vis-network.min.js"), count=1)
    return _BUNDLE_NOTICE + _BUNDLE_URL.sub("", js)


def generate_viz_html(g: nx.Graph, *, title: str = "绩效指标图谱 · jixiao-kg", max_nodes: int = 1500) -> str:
    """The graph ``g`` (as made by :func:`generate_viz_graph`) as one self-contained HTML page."""
    agg = aggregate(g, max_nodes)
    pos = _layout(agg.graph)
    nodes = [_vis_node(n, a, *pos[n]) for n, a in agg.graph.nodes(data=True)]
    edges = [
        {"from": a, "to": b, **({"title": e["title"]} if "title" in e else {})}
        for a, b, e in agg.graph.edges(data=True)
    ]
    options = {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "edges": {"smooth": False, "color": {"color": "#b0b0b0", "highlight": "#333333"}},
        "nodes": {"font": {"size": 14}},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": len(edges) > 2000},
    }
    note = f"{len(nodes)} nodes, {len(edges)} edges" + (f" — {agg.note}" if agg.note else "")
    legend = [
        *((f"L1 {k}", v) for k, v in L1_COLOURS.items()),
        *((f"finding {k}", v) for k, v in SEVERITY_COLOURS.items()),
    ]
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    page = env.from_string(_asset("viz.html.j2"))
    return page.render(
        title=title,
        note=note,
        legend=legend,
        vis_css=_asset("vis-network.css"),
        vis_js=_vis_bundle(),
        data_json=_json_for_script({"nodes": nodes, "edges": edges, "options": options}),
    )
