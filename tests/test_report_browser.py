"""The report in a real browser: headless Chromium, every host name unresolvable.

The overview's first screen is screenshotted at a laptop's window size: it must be drawn, show the
three ranked lists (each draws bars in a colour of its own) above the fold, and log nothing to the
console (no script error, no refusal by the Content-Security-Policy).  Skipped, saying so, where the
Debian package ``chromium`` is absent.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from kg.analysis import analyse
from kg.findings import run_rules
from kg.report import generate_report_model, write_report

pytestmark = pytest.mark.browser

Chromium = Callable[..., subprocess.CompletedProcess[str]]
Console = Callable[[str], list[str]]
WINDOW = (1280, 800)
EVIL = "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','img')\">"


def _row(line: int, l3: str, value: str, l1: str = "产出指标") -> dict[str, Any]:
    return {"l1": l1, "l2": "数量指标", "l3": l3, "value": value, "line": line, "period": None}


def _docs() -> list[dict[str, Any]]:
    """A county bureau with copied tables, impossible ≥100 % rates and vague targets; a city bureau."""
    line = iter(range(10, 10_000))
    copied = [
        ("宣传次数", "≥4次", "产出指标"),
        ("政策知晓率", "≥90%", "效益指标"),
        ("群众满意度", "≥95%", "满意度指标"),
    ]

    def table(name: str, rows: list[tuple[str, str, str]], annual: float) -> dict[str, Any]:
        funding = {"annual_total": annual, "annual_fiscal": None, "midterm_total": None, "source": "table"}
        at = next(line)
        indicators = [_row(next(line), l3, value, l1) for l3, value, l1 in rows]
        return {"scope": "project", "name": name, "line": at, "funding": funding, "indicators": indicators}

    county = [
        table(f"宣传{n}", copied, 10.0 * i) for i, n in enumerate(("甲", "乙", "丙"), 1)
    ] + [
        table(f"医疗救助{EVIL}", [("参保率", "≥100%", "效益指标"), ("结算率", "≥100%", "效益指标"),
                                   ("救助人次", "显著提高", "产出指标")], 440.0),
        table("信息化建设", [("系统运行", "按计划完成", "产出指标"), ("档案数字化率", "≥100%", "效益指标"),
                             ("用户满意度", "≥90%", "满意度指标")], 20.0),
    ]  # fmt: skip
    city = [table("经办服务", [("经办人次", "≥1000人次", "产出指标"), ("服务效率", "有所提升", "效益指标"),
                               ("服务对象满意度", "≥90%", "满意度指标")], 200.0)]  # fmt: skip
    return [
        {"source": "county.txt", "department": "某县医疗保障局", "budget_year": 2021, "tables": county},
        {"source": "city.txt", "department": "某市医疗保障局", "budget_year": 2021, "tables": city},
    ]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    docs = _docs()
    found = run_rules(docs)
    # one information-level note, on the city bureau's only table
    city = next(f for f in found if f.source == "city.txt" and f.indicator_index is not None)
    note = replace(city, rule="Q07", severity="I", message="note")  # type: ignore[arg-type]
    path = tmp_path_factory.mktemp("report") / "report.html"
    write_report(generate_report_model(analyse(docs, findings=[*found, note])), path)
    return path


def _colour(css: str, selector: str) -> tuple[int, int, int]:
    found = re.search(re.escape(selector) + r"\s*\{[^}]*background:\s*#([0-9a-f]{6})", css)
    assert found, selector
    value = found.group(1)
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def test_the_first_screen_shows_the_three_ranked_lists_above_the_fold(
    report: Path, tmp_path: Path, chromium: Chromium, console: Console
) -> None:
    import numpy as np
    from PIL import Image

    shot = tmp_path / "first-screen.png"
    run = chromium(report, tmp_path / "profile", f"--screenshot={shot}", size=WINDOW)
    assert run.returncode == 0 and shot.is_file(), run.stderr[-2000:]
    assert console(run.stderr) == []
    image = np.asarray(Image.open(shot).convert("RGB"), dtype=np.int32)
    assert image.shape[:2] == (WINDOW[1], WINDOW[0])
    drawn = int((np.abs(image - 255).sum(axis=2) > 60).sum())
    assert drawn > 20_000, f"only {drawn} non-white pixels: the page looks blank"
    css = report.read_text(encoding="utf-8")
    for selector, rows in ((".bar i", 3), (".bar.copy i", 1), (".bar.check i", 2)):
        hit = np.abs(image - np.array(_colour(css, selector))).sum(axis=2) < 12
        # bars of different rows sit on different lines of pixels
        lines = np.flatnonzero(hit.any(axis=1))
        bands = 1 + int((np.diff(lines) > 3).sum()) if lines.size else 0
        assert bands >= rows, f"{selector}: {bands} ranked rows visible, {rows} expected"


def test_every_page_runs_its_script_under_the_policy_and_keeps_markup_text(
    report: Path, tmp_path: Path, chromium: Chromium, console: Console
) -> None:
    pages = [report, *sorted((report.parent / "report_files").glob("d*.html"))]
    assert len(pages) == 3
    for i, page in enumerate(pages):
        run = chromium(page, tmp_path / f"profile{i}", "--dump-dom", size=WINDOW)
        assert run.returncode == 0, run.stderr[-2000:]
        assert console(run.stderr) == [], page.name
        html_tag = re.search(r"<html[^>]*>", run.stdout)
        assert html_tag is not None and "data-pwned" not in html_tag.group(0)
        assert "<img" not in run.stdout
        if page != report:
            # the filter controls are shown by the page's script: it ran, the policy allowed it
            assert re.search(r'<div class="controls" id="finding-controls">', run.stdout), page.name
            assert re.search(r'id="finding-count"[^>]*>\d+ / \d+<', run.stdout), page.name


def test_information_notes_stay_hidden_until_asked_for(
    report: Path, tmp_path: Path, chromium: Chromium, console: Console
) -> None:
    import numpy as np
    from PIL import Image

    page = next(
        p
        for p in (report.parent / "report_files").glob("d*.html")
        if "某市医疗保障局</h1>" in p.read_text("utf-8")
    )
    css = page.read_text(encoding="utf-8")
    shot = tmp_path / "department.png"
    run = chromium(page, tmp_path / "profile", f"--screenshot={shot}", size=(1280, 4000))
    assert run.returncode == 0 and shot.is_file(), run.stderr[-2000:]
    assert console(run.stderr) == []
    image = np.asarray(Image.open(shot).convert("RGB"), dtype=np.int32)

    def shown(selector: str) -> bool:
        # a badge is a few hundred pixels; a stray pixel at another badge's rounded corner is not one
        return int((np.abs(image - np.array(_colour(css, selector))).sum(axis=2) < 12).sum()) > 50

    assert '<tr data-severity="I" class="info">' in css  # the note is in the page …
    assert shown(".sev-M") and not shown(".sev-I")  # … drawn only once the box is ticked
