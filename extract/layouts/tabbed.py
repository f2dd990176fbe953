"""Tab-separated indicator tables, including ones damaged by conversion.

Cells keep their column when the row is whole; conversion loses leading cells, shifts a
label one column right, or leaves an L2 label alone on a row.  So labels are recognised by
their words (``extract.labels``), never by column, and only the cells after the L3 are
placed by the header's column order (三级指标 | 绩效指标描述 | 指标值 | 指标值确定依据 …):
by position when the row still lines up with the header, else by which roles a short row
most plausibly kept (a value before a description before a basis).

A header naming the L3 column twice (二级指标 三级指标 指标值 二级指标 三级指标 指标值) is a
two-period table, 中期 on the left and 年度 on the right as the national form has them; each
row is cut where the right-hand group starts and each half read as above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.labels import fold, is_column_header, is_row_header, label_levels
from extract.layouts.base import BlockResult, Line, account_for
from extract.records import Indicator, Period, Unparsed

__all__ = ["read_tab_block"]

_HTML = re.compile(r"<[^>]{1,200}>")
_NOTE = re.compile(r"(?:说明|备注|注)[:：]?$")
# header caption → role, by the words the caption holds ("指标值(包含数字及文字描述)", "年度指标值")
_ROLE_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^一级指标"), "l1"),
    (re.compile(r"^二级指标"), "l2"),
    (re.compile(r"三级指标|^指标名称|^绩效指标名称"), "l3"),
    (re.compile(r"依据|备注"), "basis"),
    # one L3 with a value per period ("中期指标值 | 年度指标值"): one indicator per period
    (re.compile(r"^中期(?:指标值|目标值)"), "value_midterm"),
    (re.compile(r"^(?:年度|当年|本年)(?:指标值|目标值)"), "value_annual"),
    (re.compile(r"^(?:指标值|目标值|标准值)"), "value"),
    # a value spread over cells (指标性质 ≥ | 指标值 90 | 度量单位 %) is read whole
    (re.compile(r"^(?:指标性质|指标方向|方向|符号|比较符)"), "comparator"),
    (re.compile(r"^(?:度量单位|计量单位|单位)$"), "unit"),
    (re.compile(r"权重|分值"), "weight"),
    (re.compile(r"解释|描述|说明"), "description"),
    (re.compile(r"指标值|目标值"), "value"),
)
# which roles a row that lost cells most likely kept, most likely first
_ROLE_PRIORITY = (
    "value", "value_annual", "value_midterm", "description", "unit", "comparator", "basis", "weight",
)  # fmt: skip
_VALUE_ROLES = {"value", "value_annual", "value_midterm"}
_COMPARATOR_CELL = re.compile(r"^(?:[≥≤><=＝＞＜]|>=|<=|≧|≦)$")


@dataclass
class _Group:
    """One period's columns: where they start, how many, the roles after the L3 with their offsets."""

    start: int
    width: int
    after_l3: list[tuple[int, str]]
    period: Period = None


@dataclass
class _Labels:
    l1: str | None = None
    l2: str | None = None


def _role(caption: str) -> str | None:
    s = fold(caption)
    return next((role for pattern, role in _ROLE_WORDS if pattern.search(s)), None)


def _header_groups(cells: list[str]) -> list[_Group] | None:
    roles = [_role(c) for c in cells]
    l3_at = [i for i, r in enumerate(roles) if r == "l3"][:2]
    if not l3_at:
        return None
    groups: list[_Group] = []
    for k, at in enumerate(l3_at):
        start = groups[-1].start + groups[-1].width if groups else 0
        end = len(cells)
        if k + 1 < len(l3_at):
            # the next group starts at its own label columns (二级指标) before its L3
            end = l3_at[k + 1]
            while end - 1 > at and roles[end - 1] in ("l1", "l2"):
                end -= 1
        after = [(i - at, r) for i, r in enumerate(roles[at + 1 : end], start=at + 1) if r is not None]
        groups.append(_Group(start, end - start, after or [(1, "value")]))
    if len(groups) == 2:
        groups[0].period, groups[1].period = "midterm", "annual"
    return groups


def read_tab_block(lines: list[Line]) -> BlockResult:
    result = BlockResult()
    groups = [_Group(0, 0, [(1, "value")])]
    labels = [_Labels(), _Labels()]
    for no, raw in lines:
        if not raw.strip():
            continue
        cells = [_HTML.sub("", c).strip() for c in raw.split("\t")]
        header = _header_groups(cells)
        if header is not None:
            groups = header
            result.columns = result.columns or [c for c in cells if c]
            result.used.add(no)
            continue
        halves = [cells] if len(groups) == 1 else [cells[: groups[1].start], cells[groups[1].start :]]
        outcomes = []
        for k, (half, group) in enumerate(zip(halves, groups, strict=False)):
            if k == 1 and labels[1].l1 != labels[0].l1:
                labels[1] = _Labels(labels[0].l1, None)  # the L1 column is the left group's
            outcomes.append(_read_row(half, group, labels[k], no))
        if any(isinstance(o, Unparsed) for o in outcomes):
            result.unparsed.append(next(o for o in outcomes if isinstance(o, Unparsed)))
        for outcome in outcomes:
            if isinstance(outcome, list | Indicator):
                result.indicators.extend(outcome if isinstance(outcome, list) else [outcome])
                result.used.add(no)
            elif outcome is True:
                result.used.add(no)
    return account_for(lines, result)


def _read_row(
    cells: list[str], group: _Group, labels: _Labels, no: int
) -> Indicator | list[Indicator] | Unparsed | bool:
    """Indicators, an unparsed record, True for a row of labels only, False for nothing."""
    nonempty = [(i, c) for i, c in enumerate(cells) if c]
    # the merged row-header on the left ("年度 绩效 指标") and column captions carry no data
    kept = [(i, c) for i, c in nonempty if not is_row_header(c) and not is_column_header(c)]
    found: list[str] = []
    k = 0
    while k < len(kept) and label_levels(kept[k][1]):
        found.append(kept[k][1])
        k += 1
    labels.l1, labels.l2 = _assign_labels(found, labels.l1, labels.l2)
    rest = kept[k:]
    if not rest:
        return bool(found) or len(kept) < len(nonempty)
    l3_index, l3 = rest[0]
    text = "\t".join(cells).strip()
    if not found and _NOTE.search(fold(l3)):
        return Unparsed(no, text, "a note row (说明/备注), not an indicator")
    placed = _place(cells, l3_index, [c for _, c in rest[1:]], group)
    if placed is None:
        return Unparsed(no, text, "row cells do not fit the table's columns")
    if "value_midterm" in placed or "value_annual" in placed:
        return [
            _indicator(labels, l3, no, placed, placed.get(f"value_{period}"), period)
            for period in ("midterm", "annual")
            if f"value_{period}" in placed
        ]
    return _indicator(labels, l3, no, placed, placed.get("value"), group.period)


def _indicator(
    labels: _Labels, l3: str, no: int, placed: dict[str, str], value: str | None, period: Period
) -> Indicator:
    if value is not None:
        comparator = placed.get("comparator", "")
        # 指标性质 holds "≥" (or words such as 定性/正向, which are no comparator)
        prefix = comparator if _COMPARATOR_CELL.match(comparator) else ""
        value = prefix + value + placed.get("unit", "")
    return Indicator(
        l1=labels.l1,
        l2=labels.l2,
        l3=l3,
        value=value,
        line=no,
        period=period,
        description=placed.get("description"),
        basis=placed.get("basis"),
    )


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


def _place(cells: list[str], l3_index: int, after: list[str], group: _Group) -> dict[str, str] | None:
    positional: dict[str, str] = {}
    for offset, role in group.after_l3:
        j = l3_index + offset
        if j < len(cells) and cells[j]:
            positional[role] = cells[j]
    if len(positional) == len(after) and (positional.keys() & _VALUE_ROLES or not after):
        return positional
    roles = [r for _, r in group.after_l3]
    if len(after) > len(roles):
        return None
    keep = sorted(roles, key=_ROLE_PRIORITY.index)[: len(after)]
    chosen = [r for r in roles if r in keep]
    return dict(zip(chosen, after, strict=True))
