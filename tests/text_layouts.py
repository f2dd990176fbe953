"""One performance table rendered into the text layouts real disclosures come in.

A :class:`Spec` is what a reader should get back (title, project, indicator rows); each
renderer writes it the way one family of pages or converters does — tabs with merged cells
left blank, pipes, spaces, one cell per line or per paragraph, cells glued together, a pipe
stream with border lines, split comparator/value/unit columns, two periods side by side, a
self-evaluation with weights and scores.  The round-trip tests read each rendering back.
The words are the project's own, not copied from any document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["LAYOUTS", "Row", "Spec", "render"]


@dataclass(frozen=True)
class Row:
    l1: str
    l2: str
    l3: str
    value: str
    midterm: str | None = None  # the 中期 value of a two-period table
    actual: str | None = None
    weight: str | None = None
    score: str | None = None


@dataclass
class Spec:
    title: str
    name: str
    unit: str
    total: str
    rows: list[Row] = field(default_factory=list)
    kind: str = "target"


def _blank_repeats(rows: list[Row]) -> list[tuple[str, str, Row]]:
    """(L1 or "", L2 or "", row): a label written only on the first row of its merged block."""
    out: list[tuple[str, str, Row]] = []
    prev1 = prev2 = None
    for r in rows:
        l1 = r.l1 if r.l1 != prev1 else ""
        l2 = r.l2 if (r.l2, r.l1) != (prev2, prev1) else ""
        out.append((l1, l2, r))
        prev1, prev2 = r.l1, r.l2
    return out


def _head(spec: Spec, sep: str) -> list[str]:
    return [
        spec.title,
        f"项目名称{sep}{spec.name}",
        f"实施单位{sep}{spec.unit}",
        f"年度资金总额{sep}{spec.total}",
    ]


_SPLIT = re.compile(r"^([≥≤=<>]?)([\d.]+)([^\d]{0,4})$")


def _split_value(value: str) -> tuple[str, str, str]:
    m = _SPLIT.match(value)
    return (m.group(1), m.group(2), m.group(3)) if m else ("", value, "")


def tab_merged(spec: Spec) -> str:
    lines = [*_head(spec, "\t"), "一级指标\t二级指标\t三级指标\t指标值"]
    lines += [f"{a}\t{b}\t{r.l3}\t{r.value}" for a, b, r in _blank_repeats(spec.rows)]
    return "\n".join(lines)


def tab_repeated(spec: Spec) -> str:
    lines = [*_head(spec, "\t"), "一级指标\t二级指标\t三级指标\t指标值"]
    lines += [f"{r.l1}\t{r.l2}\t{r.l3}\t{r.value}" for r in spec.rows]
    return "\n".join(lines)


def pipes(spec: Spec) -> str:
    lines = [*(f"| {x.replace(chr(9), ' | ')} |" for x in _head(spec, "\t")[1:])]
    lines = [spec.title, *lines, "| 一级指标 | 二级指标 | 三级指标 | 指标值 |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {r.l3} | {r.value} |" for a, b, r in _blank_repeats(spec.rows)]
    return "\n".join(lines)


def spaces(spec: Spec) -> str:
    lines = [*_head(spec, " "), "一级指标 二级指标 三级指标 指标值"]
    lines += [" ".join(x for x in (a, b, r.l3, r.value) if x) for a, b, r in _blank_repeats(spec.rows)]
    return "\n".join(lines)


def per_line(spec: Spec) -> str:
    cells = [spec.title, "项目名称", spec.name, "实施单位", spec.unit, "年度资金总额", spec.total]
    cells += ["一级指标", "二级指标", "三级指标", "指标值"]
    for a, b, r in _blank_repeats(spec.rows):
        cells += [x for x in (a, b, r.l3, r.value) if x]
    return "\n".join(cells)


def per_paragraph(spec: Spec) -> str:
    return per_line(spec).replace("\n", "\n\n")


def glued(spec: Spec) -> str:
    lines = [
        spec.title,
        f"项目名称{spec.name}",
        f"年度资金总额:{spec.total}",
        "绩效指标一级指标二级指标三级指标指标值",
    ]
    lines += [f"{a}{b}{r.l3}{r.value}" for a, b, r in _blank_repeats(spec.rows)]
    return "\n".join(lines)


def pipe_stream(spec: Spec) -> str:
    """One cell per line ending in a pipe, rows separated by lines of pipes."""
    lines = [
        spec.title,
        "|",
        "项目名称 |",
        f"{spec.name} |",
        "|||",
        "|",
        "一级指标 |",
        "二级指标 |",
        "三级指标 |",
    ]
    lines += ["指标值 |", "||"]
    for a, b, r in _blank_repeats(spec.rows):
        lines.append("|")
        lines += [f"{x} |" for x in (a, b, r.l3, r.value) if x]
        lines.append("||")
    return "\n".join(lines)


def split_columns(spec: Spec) -> str:
    lines = [*_head(spec, "\t"), "一级指标\t二级指标\t三级指标\t指标性质\t指标值\t度量单位\t权重"]
    for r in spec.rows:
        sign, number, unit = _split_value(r.value)
        lines.append(f"{r.l1}\t{r.l2}\t{r.l3}\t{sign or '定性'}\t{number}\t{unit}\t10")
    return "\n".join(lines)


def unusual_order(spec: Spec) -> str:
    """Columns in another order: the value before the name, an explanation between."""
    lines = [*_head(spec, "\t"), "一级指标\t二级指标\t指标值\t三级指标\t指标解释"]
    lines += [f"{a}\t{b}\t{r.value}\t{r.l3}\t反映{r.l3}情况" for a, b, r in _blank_repeats(spec.rows)]
    return "\n".join(lines)


def two_periods(spec: Spec) -> str:
    lines = [*_head(spec, "\t"), "一级指标\t二级指标\t三级指标\t指标值\t二级指标\t三级指标\t指标值"]
    for a, b, r in _blank_repeats(spec.rows):
        lines.append(f"{a}\t{b}\t{r.l3}\t{r.midterm}\t{b}\t{r.l3}\t{r.value}")
    return "\n".join(lines)


def self_evaluation(spec: Spec) -> str:
    lines = [
        *_head(spec, "\t"),
        "一级指标\t二级指标\t三级指标\t分值\t年度指标值\t实际完成值\t得分\t偏差原因分析",
    ]
    for a, b, r in _blank_repeats(spec.rows):
        lines.append(f"{a}\t{b}\t{r.l3}\t{r.weight}\t{r.value}\t{r.actual}\t{r.score}\t")
    return "\n".join(lines)


Renderer = Callable[[Spec], str]
LAYOUTS: dict[str, Renderer] = {
    "tab_merged": tab_merged,
    "tab_repeated": tab_repeated,
    "pipes": pipes,
    "spaces": spaces,
    "per_line": per_line,
    "per_paragraph": per_paragraph,
    "glued": glued,
    "pipe_stream": pipe_stream,
    "split_columns": split_columns,
    "unusual_order": unusual_order,
    "two_periods": two_periods,
    "self_evaluation": self_evaluation,
}


def render(spec: Spec, layout: str) -> str:
    return LAYOUTS[layout](spec) + "\n"
