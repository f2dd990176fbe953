"""Findings written back into a store come back as the rules gave them, and `kg report` reads them there."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.analysis import analyse, read_stored_findings, write_analysis
from kg.cli import cli
from kg.commands.build import read_document_export
from kg.findings import run_rules
from kg.reuse.store import read_store_documents
from kg.rules import Finding
from kg.store import build_store, open_store


def _row(line: int, l3: str, value: str, l1: str = "产出指标", l2: str = "数量指标") -> dict[str, Any]:
    return {"l1": l1, "l2": l2, "l3": l3, "value": value, "line": line, "period": None}


def _docs(value: str = "显著提高") -> list[dict[str, Any]]:
    rows = [
        _row(11, "培训人次", value),
        _row(12, "参保率", "≥100%", "效益指标", "社会效益指标"),
        _row(13, "满意度", "≤80%", "满意度指标", "服务对象满意度指标"),
    ]
    funding = {"annual_total": 50.0, "annual_fiscal": None, "midterm_total": None, "source": "table"}
    table = {"scope": "project", "name": "培训项目", "line": 10, "funding": funding, "indicators": rows}
    return [{"source": "a.txt", "department": "某县医疗保障局", "budget_year": 2021, "tables": [table]}]


def _build(docs: list[dict[str, Any]], tmp_path: Path, *, analyse_too: bool = True) -> Path:
    export = tmp_path / "export.json"
    export.write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
    store = tmp_path / "store"
    build_store(store, [export], read_document_export)
    if analyse_too:
        write_analysis(store, analyse(read_store_documents(open_store(store))))
    return store


def _comparable(findings: list[Finding]) -> list[Finding]:
    # the graph keeps matched terms as a set and does not record the other tables a finding names
    return sorted((replace(f, related=(), terms=tuple(sorted(f.terms))) for f in findings), key=repr)


def test_stored_findings_come_back_as_the_rules_gave_them(tmp_path: Path) -> None:
    store = open_store(_build(_docs(), tmp_path))
    docs = read_store_documents(store)
    stored = read_stored_findings(store, docs)
    assert stored is not None and len(stored) > 3
    assert _comparable(stored) == _comparable(run_rules(docs))
    vague = next(f for f in stored if f.rule == "Q01")
    assert (vague.indicator, vague.text, vague.line, vague.table) == ("培训人次", "显著提高", 11, "培训项目")
    # the words in both languages and the rewrite come back too: a report needs nothing else
    assert vague.message and vague.message_zh and vague.suggestion_zh


def test_findings_are_stale_once_the_documents_change_without_an_analysis(tmp_path: Path) -> None:
    store_dir = _build(_docs(), tmp_path)
    (tmp_path / "export.json").write_text(json.dumps(_docs("≥200人次"), ensure_ascii=False), encoding="utf-8")
    build_store(store_dir, [tmp_path / "export.json"], read_document_export)  # as `kg build --no-analyse`
    store = open_store(store_dir)
    assert read_stored_findings(store, read_store_documents(store)) is None


def test_a_store_never_analysed_has_no_stored_findings(tmp_path: Path) -> None:
    store = open_store(_build(_docs(), tmp_path, analyse_too=False))
    assert read_stored_findings(store, read_store_documents(store)) is None


# --- kg report ------------------------------------------------------------------------------------


@pytest.fixture
def store_with_a_marked_finding(tmp_path: Path) -> Path:
    """A store whose written-back Q01 finding says something the rules never say."""
    store_dir = _build(_docs(), tmp_path)
    analysis = analyse(read_store_documents(open_store(store_dir)))
    analysis.findings = [
        replace(f, message="marked: read from the store") if f.rule == "Q01" else f for f in analysis.findings
    ]
    write_analysis(store_dir, analysis)
    return store_dir


def test_the_report_reads_the_findings_the_store_holds(
    store_with_a_marked_finding: Path, tmp_path: Path
) -> None:
    out = tmp_path / "findings.csv"
    result = CliRunner().invoke(cli, ["report", "--store", str(store_with_a_marked_finding), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "marked: read from the store" in out.read_text(encoding="utf-8-sig")
    assert "running the rules" not in result.output


def test_the_report_reruns_the_rules_when_given_other_thresholds(
    store_with_a_marked_finding: Path, tmp_path: Path
) -> None:
    config, out = tmp_path / "rules.json", tmp_path / "findings.csv"
    config.write_text('{"disabled": ["Q18"]}', encoding="utf-8")
    args = [
        "report",
        "--store",
        str(store_with_a_marked_finding),
        "-o",
        str(out),
        "--rules-config",
        str(config),
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8-sig")
    assert "marked" not in text and "Q01" in text


def test_the_report_says_when_it_runs_the_rules_itself(tmp_path: Path) -> None:
    store_dir = _build(_docs(), tmp_path, analyse_too=False)
    out = tmp_path / "report.md"
    result = CliRunner().invoke(cli, ["report", "--store", str(store_dir), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "holds no findings of its current documents" in result.output
    assert "Q01" in out.read_text(encoding="utf-8")
