"""Tab-separated indicator tables, including ones damaged by conversion.

Cells keep their column when the row is whole; conversion loses leading cells, shifts a
label one column right, or leaves an L2 label alone on a row.  So labels are recognised by
their words (``extract.labels``), never by column, and only the cells after the L3 are
placed by the header's column order (三级指标 | 绩效指标描述 | 指标值 | 指标值确定依据 …):
by position when the row still lines up with the header, else by which roles a short row
most plausibly kept (a value before a description before a basis).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.labels import fold, is_column_header, is_row_header, label_levels
from extract.layouts.base import BlockResult, Line, account_for
from extract.records import Indicator, Unparsed

__all__ = ["read_tab_block"]

_ROLE_OF_HEADER = {
    "三级指标": "l3",
    "指标名称": "l3",
    "指标值": "value",
    "目标值": "value",
    "指标值(包含数字及文字描述)": "value",
    "指标解释": "description",
    "绩效指标描述": "description",
    "指标描述": "description",
    "指标值确定依据": "basis",
    "备注": "basis",
}
_HTML = re.compile(r"<[^>]{1,200}>")
_NOTE = re.compile(r"(?:说明|备注|注)[:：]?$")
# which roles a row that lost cells most likely kept, most likely first
_ROLE_PRIORITY = ("value", "description", "basis")


@dataclass
class _Columns:
    """Roles after the L3 column, with their offset from it."""

    after_l3: list[tuple[int, str]]

    @classmethod
    def default(cls) -> _Columns:
        return cls([(1, "value")])


def _header_columns(cells: list[str]) -> _Columns | None:
    folded = [fold(c) for c in cells]
    roles = [_ROLE_OF_HEADER.get(c.replace("（", "(").replace("）", ")")) for c in folded]
    if "l3" not in roles:
        return None
    at = roles.index("l3")
    after = [(i - at, r) for i, r in enumerate(roles) if i > at and r is not None]
    return _Columns(after or [(1, "value")])


def read_tab_block(lines: list[Line]) -> BlockResult:
    result = BlockResult()
    columns = _Columns.default()
    l1: str | None = None
    l2: str | None = None
    for no, raw in lines:
        if not raw.strip():
            continue
        cells = [_HTML.sub("", c).strip() for c in raw.split("\t")]
        header = _header_columns(cells)
        if header is not None:
            columns = header
            result.used.add(no)
            continue
        nonempty = [(i, c) for i, c in enumerate(cells) if c]
        # the merged row-header on the left ("年度 绩效 指标") and column captions carry no data
        nonempty = [(i, c) for i, c in nonempty if not is_row_header(c) and not is_column_header(c)]
        labels: list[str] = []
        k = 0
        while k < len(nonempty) and label_levels(nonempty[k][1]):
            labels.append(nonempty[k][1])
            k += 1
        l1, l2 = _assign_labels(labels, l1, l2)
        rest = nonempty[k:]
        if not rest:
            if labels or len(nonempty) < len([c for c in cells if c]):
                result.used.add(no)
            continue
        l3_index, l3 = rest[0]
        if not labels and _NOTE.search(fold(l3)):
            result.unparsed.append(Unparsed(no, raw.strip(), "a note row (说明/备注), not an indicator"))
            continue
        placed = _place(cells, l3_index, [c for _, c in rest[1:]], columns)
        if placed is None:
            result.unparsed.append(Unparsed(no, raw.strip(), "row cells do not fit the table's columns"))
            continue
        result.indicators.append(
            Indicator(
                l1=l1,
                l2=l2,
                l3=l3,
                value=placed.get("value"),
                line=no,
                description=placed.get("description"),
            )
        )
        result.used.add(no)
    return account_for(lines, result)


def _assign_labels(labels: list[str], l1: str | None, l2: str | None) -> tuple[str | None, str | None]:
    """Decide the level of the label cells at the start of a row and carry the others down."""
    if not labels:
        return l1, l2
    if len(labels) >= 2:
        return labels[-2], labels[-1]
    (label,) = labels
    levels = label_levels(label)
    if levels == {"l1"}:
        return label, None
    if levels == {"l2"}:
        return l1, label
    # 成本指标 / 满意度指标 alone: an L2 under the L1 in force, an L1 when none is
    return (l1, label) if l1 is not None else (label, None)


def _place(cells: list[str], l3_index: int, after: list[str], columns: _Columns) -> dict[str, str] | None:
    positional: dict[str, str] = {}
    for offset, role in columns.after_l3:
        j = l3_index + offset
        if j < len(cells) and cells[j]:
            positional[role] = cells[j]
    if len(positional) == len(after) and ("value" in positional or not after):
        return positional
    roles = [r for _, r in columns.after_l3]
    if len(after) > len(roles):
        return None
    keep = sorted(roles, key=_ROLE_PRIORITY.index)[: len(after)]
    chosen = [r for r in roles if r in keep]
    return dict(zip(chosen, after, strict=True))
