"""How a cell reads: like a target value, an indicator name, a comparator, a unit, a score.

The cell interpreter weighs these shapes against the column a cell could sit in.  The words
come from ``extract/data/lexicon.toml`` (``[shapes]``); the patterns here are the grammar of
numbers, dates and units that no lexicon lists.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extract.lexicon import caption_role, fold, label_levels, lexicon

__all__ = [
    "explanation",
    "is_amount",
    "is_comparator",
    "is_direction",
    "is_quantity",
    "is_score",
    "is_unit",
    "nameness",
    "numbered",
    "valueness",
]

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_CMP = r"(?:>=|<=|[≥≤><=≧≦═]|约|不低于|不少于|不超过|不高于|大于|小于|达到|控制在)"
# a number, with a comparator before and a unit after: "≥90%", "=11个", "470人/天", "1600元/亩"
_QUANTITY = re.compile(rf"^{_CMP}?{_NUM}(?:[-~至]{_NUM})?[%‰]?[^\d\s]{{0,4}}$")
# "2020年房租时效": a year opening a name is no quantity
_YEAR_NAME = re.compile(r"^(?:19|20)\d\d年度?[\u4e00-\u9fff]{2,}")
_DATE = re.compile(r"\d{4}[年./-]\d{1,2}|\d{4}年(?:底|末|内|前|度)?|\d{1,2}月(?:底|末|\d{1,2}日)|年底|年末")
_PERCENT = re.compile(rf"{_NUM}\s*[%‰]")
# a figure followed by a sentence with no figure of its own: "≥82%考察居民医疗保险待遇水平" is a
# value and the explanation after it, run together
_FIGURE_THEN_WORDS = re.compile(rf"^{_CMP}?{_NUM}[%‰]?[\u4e00-\u9fff]{{0,2}}([^\d]{{8,}})$")
_LEADING_ZERO = re.compile(r"^0\d")
_AMOUNT = re.compile(rf"^-?{_NUM}(?:万元|元|万)?$")
_SCORE = re.compile(r"^(?:\d{1,3}(?:\.\d+)?|-{1,2}|—{1,2}|/|／)$")
# "指标1.", "指标2:", "1.", "(1)": the numbering of an indicator name
_NUMBERED = re.compile(r"^(?:指标\d+[.:、]|\d{1,2}[、.](?!\d)|[(]\d{1,2}[)])")


def _ends(s: str, words: tuple[str, ...]) -> bool:
    return s.endswith(words)


@lru_cache(maxsize=1 << 16)
def is_comparator(text: str) -> bool:
    return fold(text) in lexicon().shapes["comparators"]


@lru_cache(maxsize=1 << 16)
def is_direction(text: str) -> bool:
    return fold(text) in lexicon().shapes["directions"]


@lru_cache(maxsize=1 << 16)
def is_unit(text: str) -> bool:
    """A unit of measure: listed, a measure word (块) made larger (万册) or counted (班次, 台次),
    or a short ratio of words (人/天)."""
    s = fold(text)
    if s in lexicon().shapes["units"]:
        return True
    if not 0 < len(s) <= 4 or any(c.isdigit() for c in s):
        return False
    if "/" in s:
        return True
    words = lexicon().shapes["measure_words"]
    core = s[1:] if len(s) > 1 and s[0] in "万千百亿十" else s
    return core in words or (len(core) == 2 and core[1] == "次" and core[0] in words)


def is_score(text: str) -> bool:
    """A weight or score cell: a number up to 100, or a dash for none."""
    s = fold(text)
    if not _SCORE.match(s):
        return False
    return not s[0].isdigit() or float(s) <= 100


def is_amount(text: str) -> bool:
    return bool(_AMOUNT.match(fold(text)))


@lru_cache(maxsize=1 << 16)
def is_quantity(text: str) -> bool:
    """A number with its sign and unit and nothing else: "≥90%", "=11个", "470人/天", "2"."""
    s = fold(text)
    return bool(_QUANTITY.match(s)) and not _YEAR_NAME.match(s)


def numbered(text: str) -> bool:
    return bool(_NUMBERED.match(fold(text)))


_EXPLAINS = re.compile(r"^指(?!标)")  # "指…的人数" explains; "指标…" is a caption
_TRAILING = re.compile(r"[。.;；)）(（%％]+$")


@lru_cache(maxsize=1 << 16)
def explanation(text: str) -> float:
    """How strongly a cell reads as an indicator's explanation rather than its name: opening
    like a definition ("反映…", "指…"), a formula ("A占B的比例"), sentences (0 to 3)."""
    s = fold(text)
    if len(s) < 6:
        return 0.0
    shapes = lexicon().shapes
    score = 0.0
    if s.startswith(shapes["explanation_opens"]) or _EXPLAINS.match(s):
        score += 1.0
    if "占" in s[1:] and _TRAILING.sub("", s).endswith(shapes["ratio_ends"]):
        score += 1.5
    if len(s) >= 10 and any(p in s for p in (",", "。", ";")):
        score += 0.5
    return score


@lru_cache(maxsize=1 << 16)
def valueness(text: str) -> float:
    """How strongly a cell reads as a target value: 3 a number or date, 2 a value word, down to
    -3 for a framework label or a caption."""
    s = fold(text)
    if not s:
        return 0.0
    if label_levels(s):
        return -4.0
    shapes = lexicon().shapes
    if _QUANTITY.match(s) and not _YEAR_NAME.match(s):
        return -1.0 if _LEADING_ZERO.match(s) else 3.0
    if s in shapes["value_words"]:
        return 2.5
    score = 0.0
    if _PERCENT.search(s) or _DATE.search(s):
        score += 2.0
    elif any(ch.isdigit() for ch in s) and len(s) <= 12:
        score += 1.0
    if s.startswith(shapes["value_opens"]):
        score += 1.0
    if _ends(s, shapes["value_closes"]):
        score += 1.0
    if numbered(s):
        score -= 2.5
    elif _ends(s, shapes["name_ends"]) and score < 2:
        score -= 1.5
    if caption_role(s)[0] is not None and len(s) <= 8:
        score -= 3.0
    score = max(-3.0, min(3.0, score))
    if _FIGURE_THEN_WORDS.match(s):
        score -= 1.5
    return score


@lru_cache(maxsize=1 << 16)
def nameness(text: str) -> float:
    """How strongly a cell reads as an indicator name (L3): its ending, its numbering."""
    s = fold(text)
    if not s:
        return 0.0
    if label_levels(s):
        return -4.0
    score = 0.0
    if numbered(s):
        score += 2.0
    if _ends(s, lexicon().shapes["name_ends"]):
        score += 1.5
    if (_QUANTITY.match(s) and not _YEAR_NAME.match(s)) or s.startswith(lexicon().shapes["comparators"]):
        score -= 4.0
    elif s in lexicon().shapes["value_words"]:
        score -= 2.0
    elif _PERCENT.search(s):
        score -= 1.5
    if len(s) > 60:
        score -= 1.0
    return score
