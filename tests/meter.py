"""The accuracy meter (``../shared/tools/score_extraction.py``) run on extracted documents, and
its figures read from what it prints: one place for the tests and the layout benchmark."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any


def run_meter(shared: Path, gold: Path, docs: Sequence[Mapping[str, Any]], work: Path) -> str:
    """What the meter prints for ``docs`` (records as ``Document.to_dict`` gives them) against ``gold``."""
    work.mkdir(parents=True, exist_ok=True)
    pred = work / "pred.json"
    pred.write_text(json.dumps(list(docs), ensure_ascii=False), encoding="utf-8")
    run = subprocess.run(
        [
            sys.executable,
            str(shared / "tools" / "score_extraction.py"),
            "--gold",
            str(gold),
            "--pred",
            str(pred),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout


def indicator_f1(report: str) -> float:
    m = re.search(r"^indicators .* F1 ([\d.]+)", report, re.M)
    assert m, report
    return float(m.group(1))


def table_recall(report: str) -> float:
    m = re.search(r"^tables\s+precision ([\d.]+) recall ([\d.]+)", report, re.M)
    assert m, report
    return float(m.group(2))


def identity_right(report: str) -> tuple[int, int, int]:
    """(documents, department right, budget year right) as the meter counts them."""
    m = re.search(r"department (\d+)/(\d+)\s+budget_year (\d+)/(\d+)", report)
    assert m, report
    return int(m.group(2)), int(m.group(1)), int(m.group(3))
