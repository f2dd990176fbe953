"""Small readings of a row that several rules share: comparator family, percent, money, years."""

from __future__ import annotations

import re

from kg.lexicon.patterns import MONEY, UNITCOST
from kg.rules.context import Row

__all__ = [
    "LOWER",
    "UPPER",
    "comparator",
    "has_any",
    "is_percent",
    "money_wan",
    "years",
]

LOWER = frozenset({"≥", ">"})
UPPER = frozenset({"≤", "<"})
# the comparator as written; words count (不超过 is ≤), a deadline's 前 does not
_WRITTEN = (
    ("≥", re.compile(r"≥|不低于|不少于|不小于|至少|以上|达到")),
    # before ">" and "<": 不超过 holds 超过, 不高于 holds 高于
    ("≤", re.compile(r"≤|不高于|不多于|不超过|不大于|以内|以下|之内|控制在|最多")),
    (">", re.compile(r">|高于|大于|超过")),
    ("<", re.compile(r"<|低于|小于")),
    ("=", re.compile(r"^=|等于")),
)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年")


def comparator(row: Row) -> str | None:
    """The comparator the value states in writing, else the parser's (None for a bare number)."""
    for symbol, pattern in _WRITTEN:
        if pattern.search(row.text):
            return symbol
    return row.target.comparator if row.target.comparator in LOWER | UPPER else None


def is_percent(row: Row) -> bool:
    unit = row.target.unit or ""
    return unit.endswith("%") or (row.target.number is not None and "%" in row.text)


def money_wan(row: Row) -> tuple[float, bool] | None:
    """The row's amount in 万元 and whether its unit was written (False: "25万", a bare number).

    None when the value is not an amount: a unit cost (元/人, 人均 …), a percent, or no number.
    """
    number = row.target.number_max if row.target.comparator == "range" else row.target.number
    if number is None or is_percent(row) or UNITCOST.search(row.text) or UNITCOST.search(row.name):
        return None
    unit = row.target.unit or ""
    money = MONEY.search(row.text)
    if unit.endswith("亿元") or (money and money.group() == "亿元"):
        return number * 10000, True
    if unit.endswith("万元") or (money and money.group() == "万元"):
        return number, True
    if unit == "元" or (money and money.group() == "元"):
        return number / 10000, True
    if unit in ("", "万"):
        return number, False
    return None


def years(text: str | None) -> list[int]:
    return [int(y) for y in _YEAR.findall(text or "")]


def has_any(text: str, terms: tuple[str, ...] | frozenset[str]) -> list[str]:
    """The terms found in ``text``, longest first, none inside an already found one."""
    found: list[str] = []
    for term in sorted(terms, key=len, reverse=True):
        if term in text and not any(term in f for f in found):
            found.append(term)
    return found
