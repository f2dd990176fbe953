"""The graph page in a real browser: headless Chromium, with every host name unresolvable.

Needs the Debian package ``chromium`` (CI installs it); skipped, saying so, where it is absent.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from kg.viz import L1_COLOURS, generate_viz_graph, generate_viz_html

pytestmark = pytest.mark.browser

Chromium = Callable[..., subprocess.CompletedProcess[str]]
Console = Callable[[str], list[str]]

# an injected element would mark the page; the label must stay text, so the mark must never appear
EVIL = (
    '</script><script>document.documentElement.setAttribute("data-pwned","script")</script>'
    "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','img')\">"
)


def _docs() -> list[dict[str, Any]]:
    def row(l3: str, value: str, l1: str, line: int) -> dict[str, Any]:
        return {"l1": l1, "l2": "数量指标", "l3": l3, "value": value, "line": line, "period": None}

    def table(name: str, line: int, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
        return {"scope": "project", "name": name, "line": line, "indicators": list(rows)}

    return [
        {
            "source": "browser.txt",
            "department": "某县医疗保障局",
            "tables": [
                table(
                    "救助资金",
                    10,
                    [
                        row("救助人次", "≥200人", "产出指标", 11),
                        row("受助人员满意度", "≥98%", "满意度指标", 12),
                    ],
                ),
                table(
                    "党建经费",
                    20,
                    [row(EVIL, "≥1次", "产出指标", 21), row("受助人员满意度", "≥95%", "满意度指标", 22)],
                ),
                table(
                    "宣传经费",
                    30,
                    [row("宣传次数", "≥4次", "产出指标", 31), row("群众知晓率", "≥90%", "效益指标", 32)],
                ),
            ],
        }
    ]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("viz") / "graph.html"
    path.write_text(generate_viz_html(generate_viz_graph(_docs())), encoding="utf-8")
    return path


def test_page_draws_without_console_messages_or_injected_markup(
    page: Path, tmp_path: Path, chromium: Chromium, console: Console
) -> None:
    run = chromium(page, tmp_path / "profile", "--dump-dom")
    assert run.returncode == 0, run.stderr[-2000:]
    assert console(run.stderr) == []
    html_tag = re.search(r"<html[^>]*>", run.stdout)
    assert html_tag is not None
    assert 'data-state="drawn"' in html_tag.group(0), "vis-network never finished drawing"
    assert "data-pwned" not in html_tag.group(0)
    assert "<img" not in run.stdout
    assert re.search(r"<canvas\b", run.stdout), "no canvas in the page"


def _hex(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def test_canvas_shows_nodes_in_their_l1_colours(
    page: Path, tmp_path: Path, chromium: Chromium, console: Console
) -> None:
    import numpy as np
    from PIL import Image

    shot = tmp_path / "shot.png"
    run = chromium(page, tmp_path / "profile", f"--screenshot={shot}")
    assert run.returncode == 0 and shot.is_file(), run.stderr[-2000:]
    assert console(run.stderr) == []
    image = np.asarray(Image.open(shot).convert("RGB"), dtype=np.int32)
    # the graph area: below the header, left of the details panel
    canvas = image[60:, : image.shape[1] - 340]
    drawn = int((np.abs(canvas - 255).sum(axis=2) > 60).sum())
    assert drawn > 1500, f"only {drawn} non-white pixels: the canvas looks blank"

    def present(colour: str) -> bool:
        return bool((np.abs(canvas - np.array(_hex(colour))).sum(axis=2) < 12).any())

    for group in ("产出", "满意度", "效益"):
        assert present(L1_COLOURS[group]), f"no node drawn in the {group} colour"
