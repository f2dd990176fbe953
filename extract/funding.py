"""Funding a table does not state, found elsewhere in the same document.

Disclosures often give a project's money only in the 项目支出预算表 or in the narrative
("项目支出 … 主要为城乡医疗救助经费 34 万元；党建活动经费 0.5 万元 …").  A project is matched
by its name, or by its name without a bracketed file number ("(冀财社[2019]101号)"); a name
that two tables share, or that the document gives two different amounts for, stays null:
a wrong figure is worse than none.
"""

from __future__ import annotations

import re
from collections import Counter

from extract.header import is_amount, money_unit, parse_money
from extract.labels import fold
from extract.records import Table

__all__ = ["AMOUNT", "fill_document_funding", "name_keys"]

_OPEN, _CLOSE = "（([［【", "）)]］】"
AMOUNT = r"\s*[:：]?\s*(\d[\d,]*(?:\.\d+)?)\s*(万元|元)"
_SUBJECT_CODE = re.compile(r"^\d{3,9}$")


def _strip_bracketed_tail(s: str) -> str:
    """Drop one trailing bracketed group, nested brackets included ("(冀财社[2019]101号)")."""
    if not s or s[-1] not in _CLOSE:
        return s
    depth = 0
    for i in range(len(s) - 1, -1, -1):
        if s[i] in _CLOSE:
            depth += 1
        elif s[i] in _OPEN:
            depth -= 1
            if depth == 0:
                return s[:i].strip()
    return s


def name_keys(name: str) -> list[str]:
    """The name, then the name stripped of trailing bracketed qualifiers."""
    keys = [fold(name)]
    while True:
        stripped = _strip_bracketed_tail(keys[-1])
        if stripped == keys[-1] or len(stripped) < 2:
            return keys
        keys.append(stripped)


_AMOUNT_AT = re.compile(r"[:：]?\s*(\d[\d,]*(?:\.\d+)?)\s*(万元|元)")


def _amounts_in_prose(prose: str, keys: set[str]) -> dict[str, set[float]]:
    """Each key → the amounts the prose writes right after it ("党建活动经费 0.5 万元"), found in one
    pass over the amounts (never one search per key: a long document names thousands)."""
    found: dict[str, set[float]] = {}
    lengths = sorted({len(k) for k in keys}, reverse=True)
    for m in _AMOUNT_AT.finditer(prose):
        end = m.start()
        while end > 0 and prose[end - 1].isspace():
            end -= 1
        for n in lengths:
            key = prose[end - n : end] if end >= n else ""
            if key not in keys:
                continue
            # the name must start a phrase, not end a longer name ("中央" + key)
            before = prose[end - n - 1] if end - n > 0 else ""
            if before and re.match(r"[\u4e00-\u9fff]", before) and before not in "为是和及、":
                continue
            value = parse_money(m.group(1) + m.group(2), None)
            if value is not None:
                found.setdefault(key, set()).add(value)
    return found


def _row_amounts(lines: list[str]) -> dict[str, set[float]]:
    """Every tab row's name cell → the first amount after it, in the unit in force."""
    found: dict[str, set[float]] = {}
    unit = "万元"
    for line in lines:
        unit = money_unit(line) or unit
        if "\t" not in line:
            continue
        cells = [fold(c) for c in line.split("\t")]
        amount = [bool(c) and is_amount(c) for c in cells]
        # the first amount right of each cell, in one pass from the right
        after: list[str | None] = [None] * len(cells)
        nearest: str | None = None
        for i in range(len(cells) - 1, -1, -1):
            after[i] = nearest
            if amount[i]:
                nearest = cells[i]
        for i, cell in enumerate(cells):
            # a name after a 科目编码 (2101504) is a budget subject, not the project
            if not cell or amount[i] or (i and _SUBJECT_CODE.match(cells[i - 1])):
                continue
            first = after[i]
            value = parse_money(first, unit) if first is not None else None
            if value is not None:
                found.setdefault(cell, set()).add(value)
    return found


def fill_document_funding(tables: list[Table], outside_lines: list[str]) -> None:
    """Give each table with no stated funding the amount the rest of the document states for it."""
    if not any(t.name and t.funding.empty() for t in tables):
        return  # every table states its own: nothing to look up
    prose = "".join(line.strip() for line in outside_lines if "\t" not in line)
    rows = _row_amounts(outside_lines)
    key_use: Counter[str] = Counter()
    for table in tables:
        if table.name:
            key_use.update(set(name_keys(table.name)))
    wanted = {k for t in tables if t.name and t.funding.empty() for k in name_keys(t.name) if key_use[k] == 1}
    in_prose = _amounts_in_prose(prose, wanted)
    for table in tables:
        if not table.name or not table.funding.empty():
            continue
        for key in name_keys(table.name):
            if key_use[key] > 1:
                break  # shared by several tables: which one the amount belongs to is unknowable
            # the narrative names projects; tables below it may name budget subjects alike
            amounts = set(in_prose.get(key, set())) or rows.get(key, set())
            if len(amounts) == 1:
                table.funding.annual_total = amounts.pop()
                table.funding.source = "document"
                break
            if len(amounts) > 1:
                break
