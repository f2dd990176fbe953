"""Small readings of a row that several rules share: comparator family, percent, money, years,
and the pieces of a suggested rewrite (the unit a value should carry, a from–to target, a date)."""

from __future__ import annotations

import re

from kg.lexicon import VAGUE_LEXICON
from kg.lexicon.patterns import MONEY, UNITCOST, UNITCOST_NAME
from kg.rules.context import Row

__all__ = [
    "LOWER",
    "UPPER",
    "change_target",
    "comparator",
    "deadline",
    "has_any",
    "is_percent",
    "level_hint",
    "money_wan",
    "unit_hint",
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
    if number is None or is_percent(row) or UNITCOST.search(row.text) or UNITCOST_NAME.search(row.name):
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


_DECLARED = re.compile(r"[（(]([^（）()]{1,4})[)）]$")
# what an indicator name ends in -> the unit its value should carry
_NAME_UNITS = (
    (("率", "度", "比例", "比重", "占比", "覆盖面"), "%"),
    (("人次",), "人次"),
    (("次数", "频次"), "次"),
    (("人数",), "人"),
    (("天数",), "天"),
    (("金额", "费用", "成本", "经费", "费"), "万元"),
)
_DOWN = ("降低", "减低", "减少", "下降", "减轻", "缩短", "压缩", "节约", "同比减少", "同比下降")


def unit_hint(row: Row) -> str:
    """The unit a rewritten value should carry: the value's own, the one the name declares or implies."""
    if row.target.unit:
        return row.target.unit
    if m := _DECLARED.search(row.name):
        return m.group(1)
    for ends, unit in _NAME_UNITS:
        if row.name.endswith(ends):
            return unit
    return ""


def change_target(row: Row) -> tuple[str, str]:
    """A from–to target for a row whose value only names a change: ("由X%提高至Y%", "from X% to Y%")."""
    unit = unit_hint(row)
    # the value's own words say the direction; the name's only when the value has none
    words = list(row.vague.terms)
    if not any(w in VAGUE_LEXICON["direction"] for w in words):
        words += has_any(row.name, VAGUE_LEXICON["direction"])
    if any(w in ("保持", "保持稳定", "稳定", "长期稳定") for w in words):
        return f"≥X{unit}（写明保持的水平）", f"≥ X{unit} (the level to hold)"
    verb = "降低" if any(w in _DOWN for w in words) else "提高"
    return f"由X{unit}{verb}至Y{unit}", f"from X{unit} to Y{unit}"


def level_hint(row: Row) -> tuple[str, str]:
    """A checkable level for a row whose value is an ungraded word: a figure in its unit, else a grade."""
    unit = unit_hint(row)
    if unit:
        return f"改为可核验的目标值，如「≥X{unit}」", f"a checkable level, e.g. 「≥X{unit}」"
    return (
        "改为可核验的比率或等级，如「合格率≥Y%」或「达到A级」",
        "a checkable rate or grade, e.g. 「合格率≥Y%」 or 「达到A级」",
    )


def deadline(year: int | None) -> tuple[str, str]:
    """A dated deadline within the budget year, as a placeholder when the year is unknown."""
    y = str(year) if year else "YYYY"
    return f"{y}年MM月DD日前完成", f"completed by a set day: {y}年MM月DD日前完成"
