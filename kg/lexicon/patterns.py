"""Regular expressions over target values (quality-rules.md §4.3), applied after `normalise`."""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "APPROX",
    "BASELINE",
    "CHINESE_COUNT",
    "COMPARATOR",
    "DATE",
    "DURATION",
    "FREQ",
    "FULL_DATE",
    "GRADE",
    "MONEY",
    "NUM",
    "PCT",
    "PLACEHOLDER",
    "POLICY_OBJECT",
    "RANGE",
    "UNITCOST",
    "UNITCOST_NAME",
    "YEARS_VALUE",
    "YEAR_ONLY",
    "normalise",
]

_FOLD = str.maketrans({"≧": "≥", "⩾": "≥", "≦": "≤", "⩽": "≤", "〉": ">", "〈": "<", "～": "~"})
_SPACE = re.compile(r"\s+")


def normalise(text: str | None) -> str:
    """NFKC (full width to half width), one spelling per comparator, no whitespace."""
    if not text:
        return ""
    s = unicodedata.normalize("NFKC", text).translate(_FOLD)
    s = _SPACE.sub("", s)
    return s.replace(">=", "≥").replace("<=", "≤")


NUM = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
COMPARATOR = re.compile(
    r"≥|≤|>|<|=|不低于|不少于|不小于|至少|不高于|不多于|不超过|不大于|控制在|达到|以上|以下|以内|高于|低于|大于|小于|超过"
)
PCT = re.compile(r"%|个百分点")
MONEY = re.compile(r"(?:亿元|万元|元)(?!/)")
UNITCOST = re.compile(r"元/|/(?:人|天|次|月)|人均|单价")
# a name that makes its amount a rate per head (补助标准, 人均补贴, 每人…); 标准 only at the end:
# "…医保目录及支付标准，…专家评议费 15万" is a budget line that lists a 标准 among its items
UNITCOST_NAME = re.compile(
    r"人均|单价|每(?:人|次|天|户|件|名)|/(?:人|天|次|月)|标准(?:[（(][^（）()]*[)）])?$"
)
DATE = re.compile(
    r"(?:(?:19|20)\d{2}年(?:\d{1,2}月)?(?:\d{1,2}日)?(?:年底|年末|底)?|年底|年末|月底|季度末|上半年|下半年)"
    r"(?:前|以前|之前|底前|内|完成)?"
)
# a date needs more than a bare year: 2021年 alone ("2021年显著提高") states no deadline
FULL_DATE = re.compile(
    r"(?:19|20)\d{2}年(?:\d{1,2}月|年底|年末|底|前|以前|之前|内)|年底|年末|月底|季度末|上半年|下半年"
)
YEAR_ONLY = re.compile(r"(?:19|20)\d{2}年(?!\d|底|末|前|以前|之前|内)")
# a value that is just a number of years ("5年", "≥3年"): a lifetime, or a period, never a date
YEARS_VALUE = re.compile(r"(?:[≥≤=><]|不少于|不低于|至少)?\d+(?:\.\d+)?个?年(?:以上)?")
DURATION = re.compile(r"\d+(?:\.\d+)?(?:个)?(?:工作日|天|日|小时|周|个月|月|年)")
FREQ = re.compile(r"每(?:日|天|周|月|季度?|年)|按(?:日|周|月|季|年)|\d+次/(?:日|天|周|月|季|年)")
APPROX = re.compile(r"(?<![节制公])约为?(?=\d)|大约|左右|上下|若干|近(?=\d)")
RANGE = re.compile(r"\d+(?:\.\d+)?[-~—至]\d+(?:\.\d+)?")
BASELINE = re.compile(r"(?:由|从)\d.*?(?:至|到)\d|较(?:上年|20\d\d)|比(?:上年|20\d\d)|基期|同比")
# graded qualitative levels (10号's three-tier scoring needs one of these, not 合格/规范)
GRADE = re.compile(r"[A-Ea-e一二三四五甲乙丙]级|[一二三甲乙丙]等|优秀|优良率|等级|达成年度指标")
# "一次", "两项": a Chinese numeral with a measure word is a number too
CHINESE_COUNT = re.compile(
    r"[一二两三四五六七八九十百千万]+(?:次|个|项|人|家|场|期|轮|批次|份|台|套|条|篇|名|所|天|周|个月|年)"
)
PLACEHOLDER = re.compile(r"^[-—–/*＊无空略]+$|\*\*|^(?:待定|暂无|待补充|见附件|xx|XX|×+)$")
# an activity noun heading a policy or a level is not an activity the goal plans
# (医疗救助制度, 绩效考核办法, 医疗救助水平): the noun that follows it
POLICY_OBJECT = re.compile(r"制度|办法|机制|体系|政策|目录|细则|方式|水平|能力|标准")
