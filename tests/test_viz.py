"""The graph page: what it shows, that it loads nothing from anywhere, and that labels stay text."""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.reuse import document_iris
from kg.reuse.store import read_store_documents, read_store_findings
from kg.triples import document_graph_iri, generate_document_graph
from kg.viz import L1_COLOURS, SEVERITY_COLOURS, aggregate, generate_viz_graph, generate_viz_html, l1_category
from kg.vocab import JX

EVIL = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"

_line = iter(range(10, 1_000_000))


def row(l3: str, value: str = "≥1次", l1: str = "产出指标", l2: str = "数量指标") -> dict[str, Any]:
    return {"l1": l1, "l2": l2, "l3": l3, "value": value, "line": next(_line), "period": None}


def table(name: str, rows: Sequence[dict[str, Any]], scope: str = "project") -> dict[str, Any]:
    return {"scope": scope, "name": name, "line": next(_line), "indicators": list(rows)}


def doc(source: str, department: str, tables: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {"source": source, "department": department, "budget_year": 2021, "tables": list(tables)}


def _docs() -> list[dict[str, Any]]:
    return [
        doc(
            "a.txt",
            "某县医疗保障局",
            [
                table(
                    "救助资金",
                    [
                        row("救助人次", "≥200人"),
                        row("受助人员满意度", "≥98%", "满意度指标", "服务对象满意度指标"),
                    ],
                ),
                table("党建经费", [row("学习次数", "≥12次"), row(EVIL, "≥1次", "效益指标", "社会效益指标")]),
            ],
        ),
        doc(
            "b.txt",
            "某市医疗保障局",
            [
                table(
                    "政策研究",
                    [
                        row("课题完成数", "≥3个"),
                        row("受助人员满意度", "≥90%", "满意度指标", "服务对象满意度指标"),
                    ],
                )
            ],
        ),
    ]


def _data(html: str) -> dict[str, Any]:
    match = re.search(r'<script id="graph-data" type="application/json">(.*?)</script>', html, re.S)
    assert match, "the page carries its graph as a JSON data block"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def _start_tags(html: str) -> list[str]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def _nodes_by_label(html: str) -> dict[str, dict[str, Any]]:
    return {n["title"].split("\n")[0]: n for n in _data(html)["nodes"]}


# --- nothing external ------------------------------------------------------------------------------

# XML namespace names are identifiers the DOM API needs verbatim (createElementNS); nothing fetches them
_NAMESPACE_IDS = {"http://www.w3.org/2000/svg"}


def test_page_references_no_external_resource() -> None:
    html = generate_viz_html(generate_viz_graph(_docs()))
    urls = set(re.findall(r"https?://[^\s\"'<>)\\]*", html))
    assert urls <= _NAMESPACE_IDS
    assert "//cdn" not in html
    assert not re.search(r"<(?:script|img|iframe|link)\b[^>]*\b(?:src|href)\s*=", html, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?(?:https?:)?//", html, re.I)
    # and the browser is told to refuse any load, should one slip in
    assert "default-src 'none'" in html


def test_page_inlines_the_vendored_vis_network_bundle() -> None:
    html = generate_viz_html(generate_viz_graph(_docs()))
    assert "vis-network 9.1.2" in html
    assert "new vis.Network(" in html
    assert len(html) > 400_000  # the bundle itself, not a reference to it


# --- escaping --------------------------------------------------------------------------------------


def test_markup_in_a_label_stays_text() -> None:
    html = generate_viz_html(generate_viz_graph(_docs()), title="<b>标题</b>")
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "<b>标题</b>" not in html and "&lt;b&gt;标题&lt;/b&gt;" in html
    # the exact text survives as data, to be drawn on the canvas / set as textContent
    labels = {n["title"].split("\n")[0] for n in _data(html)["nodes"]}
    assert EVIL in labels
    # tokenised as a browser does (script bodies are raw text), the page holds only its own elements
    tags = _start_tags(html)
    assert tags.count("script") == 3  # the bundle, the data block and the page's own script
    assert "img" not in tags


def test_the_page_never_assigns_html_from_data() -> None:
    html = generate_viz_html(generate_viz_graph(_docs()))
    page_script = html.rsplit("<script>", 1)[1]
    assert not re.search(r"\.(?:innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write", page_script)
    assert "textContent" in page_script


# --- content ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("l1", "l2", "group"),
    [
        ("产出指标", "数量指标", "产出"),
        ("产出指标（预期提供的公共产品或服务）", "质量目标", "产出"),
        ("产出指标", "成本指标", "成本"),
        ("成本指标", "经济成本指标", "成本"),
        ("效果指标", "社会效益指标", "效益"),
        ("效益指标", "满意度指标", "满意度"),
        ("满意度指标", "服务对象满意度指标", "满意度"),
        (None, None, "其他"),
    ],
)
def test_indicators_are_grouped_by_their_l1(l1: str | None, l2: str | None, group: str) -> None:
    assert l1_category(l1, l2) == group


def test_nodes_carry_l1_colour_value_and_source_line_in_tooltip() -> None:
    docs = _docs()
    nodes = _nodes_by_label(generate_viz_html(generate_viz_graph(docs)))
    study = nodes["学习次数"]
    assert study["color"]["background"] == L1_COLOURS["产出"]
    assert "指标值: ≥12次" in study["title"]
    assert f"a.txt:{docs[0]['tables'][1]['indicators'][0]['line']}" in study["title"]
    assert all("x" in n and "y" in n for n in nodes.values())


def test_a_template_shared_by_two_projects_becomes_a_node_joining_them() -> None:
    g = generate_viz_graph(_docs())
    [tpl] = [n for n, k in g.nodes(data="kind") if k == "template"]
    assert g.nodes[tpl]["label"] == "受助人员满意度"
    projects = {p for i in g[tpl] for p in g[i] if g.nodes[p]["kind"] == "project"}
    assert {g.nodes[p]["label"] for p in projects} == {"救助资金", "政策研究"}


def _finding_node(findings: list[dict[str, Any]], docs: list[dict[str, Any]]) -> dict[str, Any]:
    return _nodes_by_label(generate_viz_html(generate_viz_graph(docs, findings=findings)))["学习次数"]


def test_findings_colour_the_indicator_border_and_join_its_tooltip() -> None:
    docs = _docs()
    line = docs[0]["tables"][1]["indicators"][0]["line"]
    found = [{"rule": "Q07", "severity": "error", "indicator": ("a.txt", line), "message": "无单位"}]
    node = _finding_node(found, docs)
    assert node["color"]["border"] == SEVERITY_COLOURS["error"]
    assert node["borderWidth"] > 1
    assert "Q07 (error): 无单位" in node["title"]


def test_findings_can_name_the_indicator_by_iri_or_by_position() -> None:
    docs = _docs()
    iris = document_iris(docs[0])
    assert iris is not None
    found = [{"rule": "Q01", "severity": "warning", "indicator": iris.indicators[1][0], "message": "m"}]
    assert _finding_node(found, docs)["color"]["border"] == SEVERITY_COLOURS["warning"]
    # the shape kg.findings writes: source, table and row index, severity H/M/L
    found = [
        {
            "rule": "Q02",
            "severity": "L",
            "source": "a.txt",
            "table_index": 1,
            "indicator_index": 0,
            "message": "m",
        }
    ]
    assert _finding_node(found, docs)["color"]["border"] == SEVERITY_COLOURS["info"]
    assert _finding_node([], docs)["color"]["border"] not in SEVERITY_COLOURS.values()


def test_the_worst_finding_decides_the_colour() -> None:
    docs = _docs()
    line = docs[0]["tables"][1]["indicators"][0]["line"]
    found = [
        {"rule": "Q01", "severity": "L", "indicator": ("a.txt", line), "message": "a"},
        {"rule": "Q02", "severity": "H", "indicator": ("a.txt", line), "message": "b"},
    ]
    assert _finding_node(found, docs)["color"]["border"] == SEVERITY_COLOURS["error"]


def test_findings_written_into_a_store_colour_the_page_built_from_it() -> None:
    docs = _docs()
    store = ox.Store()
    for d in docs:
        nt = generate_document_graph(d).serialize(format="nt", encoding="utf-8")
        store.load(nt, ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(document_graph_iri(d)))
    iris = document_iris(docs[0])
    assert iris is not None
    finding, rule, graph = (ox.NamedNode(f"urn:test:{n}") for n in ("finding", "rule", "findings"))
    for s, p, o in [
        (ox.NamedNode(iris.indicators[1][0]), JX.hasFinding, finding),
        (finding, JX.rule, rule),
        (rule, JX.ruleId, ox.Literal("Q07")),
        (finding, JX.severity, ox.Literal("warning")),
        (finding, JX.message, ox.Literal("没有单位")),
    ]:
        store.add(ox.Quad(s, ox.NamedNode(str(p)), o, graph))

    findings = read_store_findings(store)
    assert [{k: f[k] for k in ("rule", "severity", "indicator", "message")} for f in findings] == [
        {"rule": "Q07", "severity": "warning", "indicator": iris.indicators[1][0], "message": "没有单位"}
    ]
    back = read_store_documents(store)
    node = _nodes_by_label(generate_viz_html(generate_viz_graph(back, findings=findings)))["学习次数"]
    assert node["color"]["border"] == SEVERITY_COLOURS["warning"]
    assert "Q07 (warning): 没有单位" in node["title"]


# --- filters ---------------------------------------------------------------------------------------


def _labels(g: nx.Graph, kind: str) -> set[str]:
    return {a["label"] for _, a in g.nodes(data=True) if a["kind"] == kind}


def test_department_filter_keeps_that_department_only() -> None:
    g = generate_viz_graph(_docs(), department="某市")
    assert _labels(g, "department") == {"某市医疗保障局"}
    assert _labels(g, "project") == {"政策研究"}
    assert _labels(g, "template") == set()  # its partner indicator is filtered out


def test_project_filter_shows_where_its_templates_recur() -> None:
    g = generate_viz_graph(_docs(), project="救助资金")
    assert _labels(g, "project") == {"救助资金", "政策研究"}
    assert "课题完成数" not in _labels(g, "indicator")  # the other project's own rows stay out
    assert _labels(g, "template") == {"受助人员满意度"}


def test_template_filter_keeps_the_template_and_its_users() -> None:
    g = generate_viz_graph(_docs(), template="满意度")
    assert _labels(g, "indicator") == {"受助人员满意度"}
    assert _labels(g, "department") == {"某县医疗保障局", "某市医疗保障局"}


def test_a_filter_matching_nothing_gives_an_empty_graph() -> None:
    assert generate_viz_graph(_docs(), department="不存在").number_of_nodes() == 0


# --- large graphs ----------------------------------------------------------------------------------


_HANZI = "医疗保障基金监管参保缴费救助待遇结算支付药品耗材采购价格定点机构信息系统运行维护宣传培训课题研究"


def _big_docs(projects: int, rows: int, seed: int = 5) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    shared = [row(f"共用指标{k}") for k in range(5)]

    def own() -> dict[str, Any]:
        return row("".join(rng.sample(_HANZI, 8)) + "率")

    tables = [
        table(f"项目{p}", [*(dict(r) for r in shared), *(own() for _ in range(rows))])
        for p in range(projects)
    ]
    return [doc("big.txt", "大部门", tables)]


def test_large_graphs_fold_indicators_into_templates_and_keep_shared_ones() -> None:
    g = generate_viz_graph(_big_docs(60, 30))
    agg = aggregate(g, 300)
    kinds = dict(agg.graph.nodes(data="kind"))
    assert agg.graph.number_of_nodes() <= 300
    assert "indicator" not in kinds.values()
    shared = {a["label"] for n, a in agg.graph.nodes(data=True) if a["kind"] == "template"}
    assert shared == {f"共用指标{k}" for k in range(5)}
    assert "aggregated" in agg.note
    assert any("(+30 个未显示的独有指标)" in a["title"] for _, a in agg.graph.nodes(data=True))


def test_small_graphs_are_not_aggregated() -> None:
    g = generate_viz_graph(_docs())
    assert aggregate(g, 1500).graph is g


def test_large_page_is_quick_to_make_and_needs_no_physics() -> None:
    g = generate_viz_graph(_big_docs(120, 25))  # 3600 indicator rows
    start = time.perf_counter()
    html = generate_viz_html(g, max_nodes=1500)
    assert time.perf_counter() - start < 10
    data = _data(html)
    assert data["options"]["physics"]["enabled"] is False
    assert len(data["nodes"]) <= 1500
    assert all(isinstance(n["x"], float | int) for n in data["nodes"])


# --- the command -----------------------------------------------------------------------------------


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(_docs(), ensure_ascii=False), encoding="utf-8")
    return path


def _page_nodes(out: Path) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = _data(out.read_text(encoding="utf-8"))["nodes"]
    return nodes


def test_viz_command_writes_a_page_from_a_json_export(export: Path, tmp_path: Path) -> None:
    findings = tmp_path / "findings.json"
    line = json.loads(export.read_text(encoding="utf-8"))[0]["tables"][1]["indicators"][0]["line"]
    findings.write_text(json.dumps([{"rule": "Q07", "severity": "H", "source": "a.txt", "line": line}]))
    out = tmp_path / "graph.html"
    args = ["viz", "--from-json", str(export), "--findings", str(findings), "--no-rules", "-o", str(out)]
    result = CliRunner().invoke(cli, [*args, "--department", "某县"])
    assert result.exit_code == 0, result.output
    nodes = _page_nodes(out)
    assert "某市医疗保障局" not in {n["label"] for n in nodes}
    flagged = [n["title"].split("\n")[0] for n in nodes if n["color"]["border"] == SEVERITY_COLOURS["error"]]
    assert flagged == ["学习次数"]


def test_viz_command_runs_the_quality_rules_on_an_export(export: Path, tmp_path: Path) -> None:
    out = tmp_path / "graph.html"
    assert CliRunner().invoke(cli, ["viz", str(export), "-o", str(out)]).exit_code == 0
    # every table here has too few indicators and misses dimensions: the rules flag the project nodes
    projects = [n for n in _page_nodes(out) if n["id"].startswith("project:")]
    assert projects and all(n["color"]["border"] in SEVERITY_COLOURS.values() for n in projects)
    assert CliRunner().invoke(cli, ["viz", str(export), "--no-rules", "-o", str(out)]).exit_code == 0
    assert all(n["color"]["border"] not in SEVERITY_COLOURS.values() for n in _page_nodes(out))


def test_viz_command_reports_bad_input(export: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "g.html")
    assert CliRunner().invoke(cli, ["viz", "-o", out]).exit_code == 2
    assert CliRunner().invoke(cli, ["viz", "--from-json", "--store", str(tmp_path), "-o", out]).exit_code == 2
    nothing = CliRunner().invoke(cli, ["viz", "--from-json", str(export), "-o", out, "--template", "不存在"])
    assert nothing.exit_code == 1 and "nothing matches" in nothing.output
