"""The accuracy meter on real pages from departments and layouts the seeds lack (../shared/realworld)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

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
def page_docs(realworld: Path) -> list[dict[str, Any]]:
    return [read_document(p).to_dict() for p in document_paths([realworld / "docs"])]


@pytest.fixture(scope="module")
def scored(
    shared_dir: Path,
    realworld: Path,
    page_docs: list[dict[str, Any]],
    tmp_path_factory: pytest.TempPathFactory,
) -> str:
    pred = tmp_path_factory.mktemp("pred") / "pred.json"
    docs = page_docs
    pred.write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, str(shared_dir / "tools" / "score_extraction.py"), "--gold", str(realworld / "gold"),
         "--pred", str(pred)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return run.stdout


def test_indicator_f1_is_at_least_090(scored: str) -> None:
    f1 = float(re.search(r"^indicators .* F1 ([\d.]+)", scored, re.M).group(1))  # type: ignore[union-attr]
    assert f1 >= 0.90, scored


def test_table_recall_is_at_least_095(scored: str) -> None:
    m = re.search(r"^tables\s+precision ([\d.]+) recall ([\d.]+)", scored, re.M)
    assert m and float(m.group(2)) >= 0.95, scored


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
def pdf_docs(realworld: Path) -> list[dict[str, Any]]:
    pdfs = realworld / "pdf"
    if not (pdfs / "gold").is_dir():
        pytest.skip(f"{pdfs} (real PDFs and their gold) is absent")
    return [read_document(p).to_dict() for p in sorted(pdfs.glob("*.pdf"))]


@pytest.fixture(scope="module")
def scored_pdfs(
    shared_dir: Path,
    realworld: Path,
    pdf_docs: list[dict[str, Any]],
    tmp_path_factory: pytest.TempPathFactory,
) -> str:
    pdfs = realworld / "pdf"
    pred = tmp_path_factory.mktemp("pred") / "pdf.json"
    docs = pdf_docs
    pred.write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, str(shared_dir / "tools" / "score_extraction.py"), "--gold", str(pdfs / "gold"),
         "--pred", str(pred)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return run.stdout


def test_real_pdfs_indicator_f1_is_at_least_090(scored_pdfs: str) -> None:
    f1 = float(re.search(r"^indicators .* F1 ([\d.]+)", scored_pdfs, re.M).group(1))  # type: ignore[union-attr]
    assert f1 >= 0.90, scored_pdfs


def test_real_pdfs_table_recall_is_at_least_095(scored_pdfs: str) -> None:
    m = re.search(r"^tables\s+precision ([\d.]+) recall ([\d.]+)", scored_pdfs, re.M)
    assert m and float(m.group(2)) >= 0.95, scored_pdfs


def _identity_misses(docs: list[dict[str, Any]], gold_dir: Path) -> tuple[list[str], int]:
    """Documents whose department or budget year differs from the gold's."""
    pred = {d["source"]: d for d in docs}
    misses, n = [], 0
    for path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        got = pred.get(gold["source"], {})
        n += 1
        for key in ("department", "budget_year"):
            if got.get(key) != gold.get(key):
                misses.append(f"{gold['source']}: {key} {got.get(key)!r}, gold {gold.get(key)!r}")
    return misses, n


def test_department_and_budget_year_match_the_gold_on_real_pages(
    realworld: Path, page_docs: list[dict[str, Any]]
) -> None:
    misses, n = _identity_misses(page_docs, realworld / "gold")
    assert len(misses) <= n // 20, misses  # at most one document in twenty


def test_department_and_budget_year_match_the_gold_on_real_pdfs(
    realworld: Path, pdf_docs: list[dict[str, Any]]
) -> None:
    misses, _ = _identity_misses(pdf_docs, realworld / "pdf" / "gold")
    assert not misses, misses
