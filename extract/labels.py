"""What a table cell is, judged by its words: an indicator-level label, a column header, a row header.

Layout readers use this to place cells whose position was lost in conversion (a row that
dropped its leading cells, a label wrapped over two lines).  The vocabulary is the national
indicator framework's (财预〔2015〕88号, 财预〔2021〕101号) with the variant spellings seen in
local disclosures; a label keeps its spelling as written, only its *level* is decided here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "fold",
    "is_column_header",
    "is_goal_header",
    "is_row_header",
    "label_levels",
    "looks_like_value",
    "strip_gloss",
]

_WS = re.compile(r"\s+")
# "产出指标（预期提供的公共产品或服务）": the gloss in brackets does not change the level
_GLOSS = re.compile(r"[（(][^）)]*[）)]\s*$")

_L1_STEMS = ("产出", "效益", "效果", "满意度", "成本", "影响")
_L2_STEMS = (
    "数量",
    "质量",
    "时效",
    "成本",
    "经济效益",
    "社会效益",
    "生态效益",
    "环境效益",
    "生态环境效益",
    "可持续影响",
    "可持续发展影响",
    "可持续发展",
    "服务对象满意度",
    "社会公众满意度",
    "社会公众或服务对象满意度",
    "满意度",
    "经济成本",
    "社会成本",
    "生态环境成本",
    "环境成本",
)
# 效益 sub-kinds are often written without the 指标 suffix ("经济效益", "社会效益")
_L2_BARE = {"经济效益", "社会效益", "生态效益", "环境效益", "可持续影响", "可持续发展影响"}
_SUFFIX = ("指标", "目标")

_COLUMN_HEADERS = {
    "一级指标",
    "二级指标",
    "三级指标",
    "指标名称",
    "指标值",
    "目标值",
    "指标内容",
    "绩效指标",
    "指标解释",
    "绩效指标描述",
    "指标描述",
    "指标值确定依据",
    "备注",
    "指标值(包含数字及文字描述)",
    "度量单位",
    "计量单位",
    "指标性质",
}
# row headers of merged cells on the left of department-wide tables ("年度 绩效 目标")
_ROW_HEADER = re.compile(r"^(年度|中期|长期)?(绩效|总体|主要)?(指标|目标|任务)$|^绩效指标$|^年度主要任务$")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """NFKC and no whitespace: the form labels are compared in (cached: stages fold the same lines)."""
    return _WS.sub("", unicodedata.normalize("NFKC", text))


def strip_gloss(label: str) -> str:
    return _GLOSS.sub("", label).strip()


@lru_cache(maxsize=4096)
def label_levels(text: str) -> frozenset[str]:
    """The indicator levels ("l1", "l2") a cell could be; empty for anything else.

    成本指标 and 满意度指标 are both: an L1 in the 2021 framework / MoF layout, an L2 under
    产出指标 / 效益指标 elsewhere.  The reader decides from the row's other cells.
    """
    s = strip_gloss(fold(text))
    levels: set[str] = set()
    for suffix in _SUFFIX:
        if s.endswith(suffix):
            stem = s[: -len(suffix)]
            if stem in _L1_STEMS:
                levels.add("l1")
            if stem in _L2_STEMS:
                levels.add("l2")
    if s in _L2_BARE:
        levels.add("l2")
    return frozenset(levels)


def is_column_header(text: str) -> bool:
    s = fold(text)
    return s in _COLUMN_HEADERS or strip_gloss(s) in _COLUMN_HEADERS


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
