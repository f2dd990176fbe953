"""``kg run``, the main job, and the analyses it writes back into the store."""

from __future__ import annotations

import csv
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from extract.io import CSV_FIELDS
from kg.cli import cli
from kg.queries import load_query
from kg.report.tabular import FINDING_CELLS
from kg.sparql import run_query
from kg.store import live_path, open_store, replace_graphs

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def outdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run") / "out"
    result = CliRunner().invoke(cli, ["run", str(EXAMPLES), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "kg query --store" in result.stdout
    return out


def test_run_writes_every_output(outdir: Path) -> None:
    for name in ("report.html", "graph.html", "indicators.csv", "indicators.xlsx", "indicators.json"):
        assert (outdir / name).stat().st_size > 1000, name
    assert live_path(outdir / "store") is not None
    assert sorted(p.name for p in (outdir / "report_files").iterdir())[0] == "d0001.html"


def test_indicators_workbook_has_each_rows_findings_beside_it(outdir: Path) -> None:
    book = load_workbook(outdir / "indicators.xlsx")
    sheet = book["indicators"]
    header = [c.value for c in sheet[1]]
    assert header[: len(CSV_FIELDS)] == CSV_FIELDS and header[len(CSV_FIELDS) :] == list(FINDING_CELLS)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    rows = [dict(zip(header, (c.value for c in r), strict=True)) for r in sheet.iter_rows(min_row=2)]
    with (outdir / "indicators.csv").open(encoding="utf-8", newline="") as f:
        assert len(rows) == sum(1 for _ in csv.reader(f)) - 1  # the same rows as the CSV, one per indicator
    flagged = [r for r in rows if r["rules"]]
    assert flagged and all(r["severity"] and r["problems 问题"] for r in flagged)
    vague = next(r for r in rows if r["rules"] and "Q01" in r["rules"].split())
    assert vague["severity"] == "H" and "Q01" in vague["problems 问题"]
    # columns are as wide as their text: the label column wider than the period column
    width = {
        c: sheet.column_dimensions[get_column_letter(header.index(c) + 1)].width for c in ("l3", "period")
    }
    assert width["l3"] > width["period"]


def test_analyses_are_queryable_in_the_store(outdir: Path) -> None:
    store = open_store(outdir / "store")
    rules = {
        row[0].value for row in run_query(store, load_query("findings_by_rule")).rows if row[0] is not None
    }
    assert {"Q01", "Q04", "Q10"} <= rules
    # the two public-health tables are identical copies: one group, not a pair
    groups = run_query(store, load_query("copied_indicator_sets"))
    projects = [dict(zip(groups.variables, row, strict=True))["projects"] for row in groups.rows]
    assert any("公共卫生补助资金(示财社[2022]30号)" in str(p and p.value) for p in projects)


def test_a_second_run_replaces_the_analyses_rather_than_adding_to_them(outdir: Path) -> None:
    store = open_store(outdir / "store")
    count = (
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?f a <https://w3id.org/jixiao-kg/ontology#Finding> } }"
    )
    before = run_query(store, count).rows[0][0]
    del store
    assert CliRunner().invoke(cli, ["run", str(EXAMPLES), "-o", str(outdir)]).exit_code == 0
    after = run_query(open_store(outdir / "store"), count).rows[0][0]
    assert before is not None and after is not None and before.value == after.value


def test_replace_graphs_swaps_whole_graphs_atomically(tmp_path: Path) -> None:
    import rdflib

    store_dir = tmp_path / "store"
    CliRunner().invoke(
        cli, ["build", str(EXAMPLES / "示例市医疗保障局_2021.txt"), "--store", str(store_dir), "-q"]
    )
    g = rdflib.Graph()
    g.add((rdflib.URIRef("urn:x:a"), rdflib.URIRef("urn:x:p"), rdflib.Literal(1)))
    replace_graphs(store_dir, {"urn:x:g": g})
    g2 = rdflib.Graph()
    g2.add((rdflib.URIRef("urn:x:b"), rdflib.URIRef("urn:x:p"), rdflib.Literal(2)))
    replace_graphs(store_dir, {"urn:x:g": g2})
    quads = list(open_store(store_dir).quads_for_pattern(None, None, None, ox.NamedNode("urn:x:g")))
    assert [q.subject.value for q in quads] == ["urn:x:b"]


def test_the_readme_query_examples_answer(outdir: Path) -> None:
    store = str(outdir / "store")
    runner = CliRunner()
    vague = runner.invoke(cli, ["query", "--store", store, "vague_targets"])
    assert vague.exit_code == 0 and "按计划完成" in vague.stdout
    project = runner.invoke(
        cli, ["query", "--store", store, "project_indicators", "-p", "projectName=医保基金监管"]
    )
    assert (
        project.exit_code == 0 and "参保对象满意度" in project.stdout and "医保政策宣传" not in project.stdout
    )


def test_ci_runs_exactly_the_readme_commands() -> None:
    repo = EXAMPLES.parent
    readme = (repo / "README.md").read_text(encoding="utf-8").split("```bash\n", 1)[1].split("```", 1)[0]
    install, test = readme.strip().splitlines()
    ci = (repo / ".ci" / "run").read_text(encoding="utf-8")
    assert install.replace("pip install -e", "pip install -q -e") in ci
    assert test in ci


def test_a_build_that_changes_the_store_refreshes_the_analyses(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    doc = tmp_path / "doc.txt"
    text = (EXAMPLES / "示例市医疗保障局_2021.txt").read_text(encoding="utf-8")
    doc.write_text(text, encoding="utf-8")
    first = CliRunner().invoke(cli, ["build", str(doc), "--store", str(store_dir), "-q"])
    assert first.exit_code == 0 and "analyses rerun" in first.stdout
    q10 = "SELECT (COUNT(*) AS ?n) WHERE { ?f <https://w3id.org/jixiao-kg/ontology#rule> ?r . FILTER(STRENDS(STR(?r), 'Q10')) }"
    assert run_query(open_store(store_dir), q10).rows[0][0].value == "1"  # type: ignore[union-attr]
    doc.write_text(text.replace("参保对象满意度 <=80%", "参保对象满意度 >=90%"), encoding="utf-8")
    second = CliRunner().invoke(cli, ["build", str(doc), "--store", str(store_dir), "-q"])
    assert second.exit_code == 0 and "1 replaced" in second.stdout
    assert run_query(open_store(store_dir), q10).rows[0][0].value == "0"  # type: ignore[union-attr]
    unchanged = CliRunner().invoke(cli, ["build", str(doc), "--store", str(store_dir), "-q"])
    assert "analyses rerun" not in unchanged.stdout
