"""What a table cell is, judged by its words: an indicator-level label, a column header, a row header.

Layout readers use this to place cells whose position was lost in conversion (a row that
dropped its leading cells, a label wrapped over two lines).  The vocabulary is the national
indicator framework's (财预〔2015〕88号, 财预〔2021〕101号) with the variant spellings seen in
local disclosures; a label keeps its spelling as written, only its *level* is decided here.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extract.lexicon import INDICATOR_ROLES, caption_role, fold, label_levels

__all__ = [
    "fold",
    "is_column_header",
    "is_goal_header",
    "is_row_header",
    "label_levels",
    "looks_like_value",
    "strip_gloss",
]

# "产出指标（预期提供的公共产品或服务）": the gloss in brackets does not change the level
_GLOSS = re.compile(r"[（(][^）)]*[）)]\s*$")

# row headers of merged cells on the left of department-wide tables ("年度 绩效 目标")
_ROW_HEADER = re.compile(r"^(年度|中期|长期)?(绩效|总体|主要)?(指标|目标|任务)$|^绩效指标$|^年度主要任务$")


def strip_gloss(label: str) -> str:
    return _GLOSS.sub("", label).strip()


@lru_cache(maxsize=1 << 14)
def is_column_header(text: str) -> bool:
    """A caption of an indicator column (the lexicon's, ``extract/data/lexicon.toml``)."""
    role, _ = caption_role(text, exact=True)
    return role in INDICATOR_ROLES


def is_row_header(text: str) -> bool:
    """A merged row-header cell such as "年度 绩效 目标" / "年度 绩效 指标" / "年度 主要 任务"."""
    return bool(_ROW_HEADER.match(fold(text)))


def is_goal_header(text: str) -> bool:
    return fold(text) in {"总体目标", "绩效目标", "年度目标", "中期目标", "长期目标", "年度总体目标"}


_VALUE_START = re.compile(
    r"^(?:[≥≤><=＝≧≦＞＜约]|>=|<=|不低于|不少于|不超过|不高于|达到|控制在|按|及时|每|\d)"
)
_VALUE_WORDS = re.compile(
    r"(提高|提升|降低|减少|增强|改善|完成|合格|有效|显著|明显|稳定|达标|到位|规范|优化|"
    r"全覆盖|正常|持续|长期|逐步|有所|同比|基本|良好|安全|%|％)"
)


def looks_like_value(text: str) -> bool:
    """Does a cell read like a target value (≥90%, =1次, 按计划完成, 显著提高) rather than a name?"""
    s = fold(text)
    if not s:
        return False
    if _VALUE_START.match(s):
        return True
    return len(s) <= 8 and bool(_VALUE_WORDS.search(s))
