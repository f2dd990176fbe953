"""The accuracy meter on the real seed disclosures (../shared), and nothing lost in them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from meter import identity_right, indicator_f1, run_meter, table_recall

from extract import document_paths, read_document
from extract.find import find_tables
from extract.pipeline import read_span
from extract.source import text_source

pytestmark = pytest.mark.seeds


@pytest.fixture(scope="module")
def scored(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    docs = [read_document(p).to_dict() for p in document_paths([shared_dir / "seeds"])]
    return run_meter(shared_dir, shared_dir / "gold", docs, tmp_path_factory.mktemp("pred"))


def test_indicator_f1_is_at_least_099_overall(scored: str) -> None:
    assert indicator_f1(scored) >= 0.99, scored


def test_indicator_f1_is_at_least_097_on_every_document(scored: str) -> None:
    per_doc = re.findall(r"^(\d{3}_\w+)\s+.*\s([\d.]+)$", scored, re.M)
    assert len(per_doc) == 5
    assert all(float(f1) >= 0.97 for _, f1 in per_doc), scored


def test_every_table_is_found(scored: str) -> None:
    assert table_recall(scored) == 1.0, scored


def test_funding_reproduces_at_least_95_percent_of_gold_figures(scored: str) -> None:
    m = re.search(r"^funding\s+(\d+)/(\d+)", scored, re.M)
    assert m and int(m.group(1)) >= 0.95 * int(m.group(2)), scored


def test_department_and_year_are_right_on_every_document(scored: str) -> None:
    assert identity_right(scored) == (5, 5, 5), scored


def test_every_line_inside_a_seed_table_is_accounted_for(shared_dir: Path) -> None:
    for path in sorted((shared_dir / "seeds").glob("*.txt")):
        lines = text_source(path.read_text(encoding="utf-8"), path.name).lines
        for span in find_tables(lines):
            tables, accounted = read_span(lines, span)
            content = {j + 1 for j in range(span.start, span.end) if lines[j].text.strip()}
            assert content <= accounted, f"{path.name}: lines {sorted(content - accounted)} lost"
            assert not [u for t in tables for u in t.unparsed if u.reason == "not read by any stage"], (
                path.name
            )
