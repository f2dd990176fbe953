"""The accuracy meter on real pages from departments and layouts the seeds lack (../shared/realworld)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from meter import identity_right, indicator_f1, run_meter, table_recall

from extract import document_paths, read_document
from extract.find import find_tables
from extract.pipeline import read_span
from extract.readers import read_source

pytestmark = pytest.mark.seeds


@pytest.fixture(scope="module")
def realworld(shared_dir: Path) -> Path:
    root = shared_dir / "realworld"
    if not (root / "docs").is_dir() or not (root / "gold").is_dir():
        pytest.skip(f"{root} (real pages and their gold) is absent")
    return root


@pytest.fixture(scope="module")
def scored(shared_dir: Path, realworld: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    docs = [read_document(p).to_dict() for p in document_paths([realworld / "docs"])]
    return run_meter(shared_dir, realworld / "gold", docs, tmp_path_factory.mktemp("pred"))


def test_indicator_f1_is_at_least_090(scored: str) -> None:
    assert indicator_f1(scored) >= 0.90, scored


def test_table_recall_is_at_least_095(scored: str) -> None:
    assert table_recall(scored) >= 0.95, scored


def test_self_evaluation_tables_are_recognised(scored: str) -> None:
    m = re.search(r"^kinds\s+(\d+)/(\d+)", scored, re.M)
    assert m and m.group(1) == m.group(2), scored


def test_achieved_values_are_read_beside_targets(scored: str) -> None:
    m = re.search(r"actual ([\d.]+)", scored)
    assert m and float(m.group(1)) >= 0.8, scored


def test_every_line_inside_a_realworld_table_is_accounted_for(realworld: Path) -> None:
    for path in sorted((realworld / "docs").iterdir()):
        lines = read_source(path).lines
        for span in find_tables(lines):
            _, accounted = read_span(lines, span)
            content = {j + 1 for j in range(span.start, span.end) if lines[j].text.strip()}
            assert content <= accounted, f"{path.name}: lines {sorted(content - accounted)} lost"


@pytest.fixture(scope="module")
def scored_pdfs(shared_dir: Path, realworld: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    pdfs = realworld / "pdf"
    if not (pdfs / "gold").is_dir():
        pytest.skip(f"{pdfs} (real PDFs and their gold) is absent")
    docs = [read_document(p).to_dict() for p in sorted(pdfs.glob("*.pdf"))]
    return run_meter(shared_dir, pdfs / "gold", docs, tmp_path_factory.mktemp("pred"))


def test_real_pdfs_indicator_f1_is_at_least_090(scored_pdfs: str) -> None:
    assert indicator_f1(scored_pdfs) >= 0.90, scored_pdfs


def test_real_pdfs_table_recall_is_at_least_095(scored_pdfs: str) -> None:
    assert table_recall(scored_pdfs) >= 0.95, scored_pdfs


def test_department_and_budget_year_match_the_gold_on_real_pages(scored: str) -> None:
    documents, department, year = identity_right(scored)
    assert (documents - department) + (documents - year) <= documents // 20, scored  # at most one in twenty


def test_department_and_budget_year_match_the_gold_on_real_pdfs(scored_pdfs: str) -> None:
    documents, department, year = identity_right(scored_pdfs)
    assert department == year == documents, scored_pdfs
