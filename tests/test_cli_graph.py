"""The graph commands through click: build, export, query."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import cli


def _doc(source: str, project: str, l3: str, value: str) -> dict[str, Any]:
    return {
        "source": source,
        "department": "某某局",
        "budget_year": 2022,
        "tables": [
            {
                "scope": "project",
                "name": project,
                "implementing_unit": None,
                "project_code": None,
                "line": 2,
                "funding": {"annual_total": 5.0, "annual_fiscal": 5.0, "midterm_total": None, "source": "table"},
                "annual_goal": None,
                "midterm_goal": None,
                "indicators": [
                    {"period": None, "l1": "产出指标", "l2": "数量指标", "l3": l3, "value": value,
                     "description": None, "line": 4},
                    {"period": None, "l1": "满意度指标", "l2": "服务对象满意度指标", "l3": "群众满意度",
                     "value": "≥75%", "description": None, "line": 5},
                ],
            }
        ],
    }  # fmt: skip


@pytest.fixture
def built(tmp_path: Path) -> tuple[CliRunner, Path, Path]:
    export = tmp_path / "docs.jsonl"
    docs = [
        _doc("a.txt", "道路养护", "养护里程", "≥100公里"),
        _doc("b.txt", "校舍维修", "维修面积", "约2000平方米"),
    ]
    export.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    runner = CliRunner()
    store = tmp_path / "store"
    result = runner.invoke(cli, ["build", str(export), "--from-json", "--store", str(store)])
    assert result.exit_code == 0, result.output
    return runner, store, export


@pytest.mark.parametrize("name", ["build", "export", "query", "push", "serve"])
def test_every_graph_command_shows_an_example_in_its_help(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output
    assert f"kg {name}" in result.output


def test_build_reports_each_document_and_a_summary(built):
    runner, store, export = built
    again = runner.invoke(cli, ["build", str(export), "--from-json", "--store", str(store)])
    assert again.exit_code == 0
    assert again.output.count("skipped") == 3  # two documents and the summary's count
    assert "0 added, 0 replaced, 2 skipped, 0 dropped, 0 failed; store unchanged" in again.output


def test_build_exits_non_zero_when_a_document_fails(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"no": "tables"}', encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(bad), "--from-json", "--store", str(tmp_path / "s")])
    assert result.exit_code == 1
    assert "failed" in result.output


def test_build_refuses_a_foreign_directory_with_a_message(tmp_path):
    (tmp_path / "keep.txt").write_text("x", encoding="utf-8")
    export = tmp_path / "d.json"
    export.write_text(json.dumps(_doc("a.txt", "甲", "乙", "1")), encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(export), "--from-json", "--store", str(tmp_path)])
    assert result.exit_code == 1
    assert "not a kg store" in result.output


@pytest.mark.parametrize(("fmt", "rdf_format"), [("nq", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG)])
def test_export_writes_a_file_that_parses_back(built, tmp_path, fmt, rdf_format):
    runner, store, _ = built
    out = tmp_path / f"out.{fmt}"
    result = runner.invoke(cli, ["export", "--store", str(store), "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    quads = list(ox.parse(out.read_bytes(), rdf_format))
    assert len(quads) > 20
    assert any(isinstance(q.object, ox.Literal) and q.object.value == "道路养护" for q in quads)


def test_export_of_a_missing_store_is_a_clean_error(tmp_path):
    result = CliRunner().invoke(cli, ["export", "--store", str(tmp_path / "none"), "--format", "nq"])
    assert result.exit_code == 1
    assert "kg build" in result.output


def test_query_lists_named_queries_with_descriptions():
    from kg.queries import list_queries

    result = CliRunner().invoke(cli, ["query", "--list"])
    assert result.exit_code == 0
    for name, description in list_queries().items():
        assert name in result.output
        assert description[:20] in result.output


def test_inline_query_prints_a_table(built):
    runner, store, _ = built
    query = "SELECT (COUNT(DISTINCT ?g) AS ?graphs) WHERE { GRAPH ?g { ?s ?p ?o } }"
    result = runner.invoke(cli, ["query", "-e", query, "--store", str(store)])
    assert result.exit_code == 0, result.output
    # two documents, framework, build metadata, and the two analysis graphs the build refreshed
    assert result.output.splitlines()[2].strip() == "6"


def test_named_query_with_a_parameter_as_csv(built):
    runner, store, _ = built
    args = ["query", "project_indicators", "--store", str(store), "-p", "projectName=校舍维修", "-f", "csv"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {r["l3"] for r in rows} == {"维修面积", "群众满意度"}
    assert {r["projectName"] for r in rows} == {"校舍维修"}


def test_injection_through_a_parameter_changes_nothing(built):
    runner, store, _ = built
    evil = 'projectName=x" } ; DROP ALL ; #'
    result = runner.invoke(
        cli, ["query", "project_indicators", "--store", str(store), "-p", evil, "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["results"]["bindings"] == []
    count = runner.invoke(cli, ["query", "-e", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "--store", str(store)])
    assert int(count.output.splitlines()[2]) > 20


def test_query_file_and_usage_errors(built, tmp_path):
    runner, store, _ = built
    rq = tmp_path / "q.rq"
    rq.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    assert runner.invoke(cli, ["query", str(rq), "--store", str(store)]).output == "true\n"
    assert runner.invoke(cli, ["query", "--store", str(store)]).exit_code == 2
    assert runner.invoke(cli, ["query", "-e", "ASK {}"]).exit_code == 2
    bad = runner.invoke(cli, ["query", "-e", "SELECT ?x WHERE {", "--store", str(store)])
    assert bad.exit_code == 1
    assert "syntax" in bad.output


def test_query_help_examples_name_queries_that_exist():
    import re

    from kg.queries import list_queries

    text = CliRunner().invoke(cli, ["query", "--help"]).output
    named = set(re.findall(r"kg query (\w+) --", text))
    assert named
    assert named <= set(list_queries())


def test_build_points_a_json_export_to_from_json(tmp_path):
    export = tmp_path / "d.json"
    export.write_text(json.dumps(_doc("a.txt", "甲", "乙", "1")), encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(export), "--store", str(tmp_path / "s")])
    assert result.exit_code == 2
    assert "--from-json" in result.output
