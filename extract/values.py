"""A target value (指标值) as written → its comparable parts: a :class:`Target`.

Conventions this module fixes (everything downstream relies on them):

* **Normalisation** before parsing: Unicode NFKC (full-width → half-width), all
  whitespace removed, ``%%`` → ``%``, ``>=``/``≧``/``⩾``/``＞=`` → ``≥``, ``<=``/``≦``/``⩽`` → ``≤``,
  ``〉`` → ``>``, ``～``/``〜`` → ``~``, dashes → ``-``.  :func:`normalise_value` gives that text.
* **kind**: ``empty`` (nothing, or a placeholder such as ``-``, ``/``, ``无``, ``≥**%``);
  ``date`` (a calendar deadline); ``duration`` (a number of 工作日/天/日/小时/周/月/年 …);
  ``quantity`` (any other single number); ``text`` (no number, or several numbers for
  different subjects, e.g. ``85%以上三级医院、50%以上二级医院`` — not one comparable target;
  one number repeated, ``≥90%（含90%）``, is one target).
  A quantity inside text keeps that text out of the Target (``各1次`` → 1 次; ``延迟率为0``
  → = 0): the raw value stays in ``Indicator.value`` for the vagueness checks.
* **comparator**: what the value says, not what it should say: ``≥ ≤ > < = ≈`` or
  ``range``, and ``None`` when nothing is written (``100%``, ``700家``).  Words map to
  symbols: 不低于/不少于/至少/达到/达/以上 → ≥; 不超过/不高于/以内/以下/控制在 → ≤;
  高于/超过 → >; 低于/少于 → <; 为/等于 → =; 约/约为/大约/左右/上下 → ≈.
* **number / number_max**: a range ``N-M``, ``N~M``, ``N至M`` gives comparator ``range``,
  ``number = min``, ``number_max = max``.  A from–to ``由5%提升至70%`` is a target of 70:
  ``number = 70``, comparator ``≥`` for a rise (``≤`` for a fall, by the verb or, with
  none, by the two numbers) and ``number_max = None``; the baseline is not kept.
* **unit**: as written right after the number, with its multiplier: ``25万`` → 25 ``万``;
  ``约为2亿条`` → 2 ``亿条``; ``≥1,000万人次`` → 1000 ``万人次``; rates keep the slash
  (``元/人``, ``次/月``).  A unit is a known multi-character unit (人次, 批次, 个工作日,
  个百分点 …) or else one measure word (``11个试点城市`` → ``个``): the noun after it is text.
* **date**: ISO ``YYYY-MM-DD``; a period names its last day (``2021年底前`` → 2021-12-31,
  ``2020年6月底前`` → 2020-06-30, ``2021年`` → 2021-12-31, 上半年 → 06-30).  Deadline words
  (前/以前/之前/底/末/完成/内/为止) make the comparator ``≤`` even after a written ``=``
  (``=2021年底前``); 后/以后/起 make it ``≥``.  A date range ``2021.1.1-2021.12.31`` is
  comparator ``range`` with ``date`` its end.  Several dates: the last (final deadline).
  A date with no year (``12月底前``, ``年底前``, ``3月`` — March; three months is ``3个月``)
  takes ``default_year`` when given and is otherwise ``kind="date"`` with ``date=None``;
  年内/当年 name no date and stay text.  A year inside text (``2021年显著提高``) is not a
  date.  A date beside one quantity (``2021年底前完成10项``) fills both.
* Numbers are non-negative (a leading minus is not read); Chinese numerals are read only
  as counts before a measure word after a comparator, a frequency or nothing (``不少于三次``,
  ``每年两次``), so names such as ``一站式`` and ``十三五`` stay text.
* ``vague``/``vague_terms`` are left for the vagueness classifier.
"""

from __future__ import annotations

import calendar
import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from extract.records import Target

__all__ = ["TIME_UNITS", "normalise_value", "parse_target"]

TIME_UNITS = frozenset(
    ("个工作日", "工作日", "天", "日", "个小时", "小时", "分钟", "秒", "周", "个月", "月", "年", "季度", "个季度")
)  # fmt: skip

# --- normalisation -----------------------------------------------------------------

_CHAR_MAP = str.maketrans(
    {"≧": "≥", "⩾": "≥", "≦": "≤", "⩽": "≤", "〉": ">", "〈": "<", "〜": "~", "–": "-", "—": "-",
     "―": "-", "‐": "-", "‑": "-", "−": "-", "\u200b": None, "\ufeff": None, "\x00": None}
)  # fmt: skip
_SPACE = re.compile(r"\s+")
_SYMBOLS = re.compile(r"(?:>=|=>)|(?:<=|=<)|%+|[≥≤]=?[≥≤]*")


def _fold_symbol(m: re.Match[str]) -> str:
    t = m.group()
    if t[0] == "%":
        return "%"
    return "≥" if t in (">=", "=>") or t[0] == "≥" else "≤"


def normalise_value(value: str) -> str:
    """The text :func:`parse_target` reads: NFKC, no whitespace, one spelling per comparator."""
    s = unicodedata.normalize("NFKC", value).translate(_CHAR_MAP)
    return _SYMBOLS.sub(_fold_symbol, _SPACE.sub("", s))


# --- vocabulary --------------------------------------------------------------------


def _alt(words: Iterable[str], guards: dict[str, str] | None = None) -> str:
    """A regex alternation, longest word first, each word behind its guard if it has one."""
    guards = guards or {}
    return "|".join(guards.get(w, "") + re.escape(w) for w in sorted(words, key=len, reverse=True))


_COMPARATOR_WORDS = {
    "≥": "≥ 不低于 不少于 不小于 不得低于 不得少于 至少 大于等于 达到 达 提高到 提高至 提升到 提升至 "
    "增加到 增加至 增长到 增长至 上升到 上升至",
    ">": "> 高于 大于 超过 多于",
    "≤": "≤ 不高于 不多于 不超过 不大于 不得超过 不得高于 小于等于 控制在 控制到 最多 至多 降低到 "
    "降低至 下降到 下降至 减少到 减少至 压缩到 压缩至 缩短到 缩短至 降到 降至 减到 减至",
    "<": "< 低于 小于 少于",
    "=": "= 为 等于",
    "≈": "≈ 约为 大约 约 近",
}
_COMPARATOR = {w: c for c, ws in _COMPARATOR_WORDS.items() for w in ws.split()}
# words that end in a comparator character without being one: 节约, 作为, 最近 …
_NOT_AFTER = {"约": "节制签预合契条", "约为": "节制签预合契条", "为": "作成认因行以较称视", "近": "最附将"}
_COMPARATOR_GUARDS = {w: f"(?<![{chars}])" for w, chars in _NOT_AFTER.items()}
_SUFFIX = {"及以上": "≥", "或以上": "≥", "以上": "≥", "及以下": "≤", "以下": "≤", "以内": "≤", "之内": "≤",
           "内": "≤", "左右": "≈", "上下": "≈"}  # fmt: skip
# units longer than one character; anything else is one measure word (个, 次, 家 …)
_KNOWN_UNITS = [
    "个工作日", "工作日", "个百分点", "百分点", "个小时", "小时", "分钟", "个季度", "季度", "个月", "人次",
    "户次", "批次", "场次", "车次", "架次", "人天", "人日", "平方米", "平方公里", "立方米", "公里", "千米",
    "公顷", "吨公里", "千瓦时", "课时", "学时", "周年",
]  # fmt: skip
# characters that never start a unit: grammar, and the first characters of suffixes
_NOT_UNIT = "的和与及或至到为是在等前后起底末余多每并且以之内左上下第共达约近"
_CJK = "\u4e00-\u9fff"
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CN_DIGITS = "零〇一二两三四五六七八九十百千"
_MULT = r"[十百千]万|千?亿|万|亿|千"
_SINGLE = rf"[{_CJK}](?<![{_NOT_UNIT}])"
_CORE = rf"%|‰|{_alt(_KNOWN_UNITS)}|{_SINGLE}"
_UNIT = rf"(?:{_MULT})(?:{_CORE})?(?:/(?:{_alt(_KNOWN_UNITS)}|{_SINGLE}))?|(?:{_CORE})(?:/(?:{_alt(_KNOWN_UNITS)}|{_SINGLE}))?"
# a Chinese-numeral count is read only before one of these, so 一站式 or 十三五 stay text
_CN_MEASURES = frozenset("次个项人家年天月周期轮部套台件份名所场篇本册条宗笔组户处座间种门节")
_CN_LEADS = ("每年", "每月", "每季度", "每周", "每日", "每天", "全年", "年度")

_QUANTITY = re.compile(
    rf"(?P<cmp>{_alt(_COMPARATOR, _COMPARATOR_GUARDS)})?(?<![A-Za-z\d.第])(?P<num>{_NUM}|[{_CN_DIGITS}]+)(?!\.?\d)"
    rf"(?P<more>余)?(?P<unit>{_UNIT})?(?![A-Za-z])(?P<post>{_alt(_SUFFIX)})?"
)
_RANGE = re.compile(
    rf"(?<![A-Za-z\d.第])(?P<lo>{_NUM})(?P<u1>{_UNIT})?(?:-|~|至|到)(?P<hi>{_NUM})(?!\.?\d)(?P<u2>{_UNIT})?"
)
_RISE = ["提升", "提高", "增加", "增长", "上升", "扩大", "升"]
_FALL = ["降低", "下降", "减少", "压缩", "缩短", "降", "减"]
_FROM_TO = re.compile(
    rf"(?:由|从)[^\d\x00]{{0,6}}?(?P<x>{_NUM})(?P<ux>{_UNIT})?(?P<verb>[^\d\x00]{{0,6}}?)(?:至|到)"
    rf"(?P<y>{_NUM})(?!\.?\d)(?P<uy>{_UNIT})?"
)
_FALL_WORD = re.compile(_alt(_FALL))
_RISE_WORD = re.compile(_alt(_RISE))
_PLACEHOLDER = re.compile(r"[-/*_.…?无空]*")

# dates: a year with what follows it, dotted/dashed dates, and year-less forms
_PART = r"(?P<part>年底|年末|底|末|度|上半年|下半年|第?(?P<q>[一二三四1-4])季度末?)"
_MARK = r"(?P<mark>以前|之前|前|为止|止|以内|之内|内|以后|之后|后|起)?(?P<done>完成)?"
_DATE = re.compile(
    rf"(?P<pre>不晚于|不迟于|不早于|截[至止][到至]?|[≥≤<>=])?"
    rf"(?:(?<!\d)(?P<y>(?:19|20)\d\d)年(?:(?P<m>\d{{1,2}})月(?:(?P<d>\d{{1,2}})[日号]|(?P<mp>底|末|上旬|中旬|下旬))?|{_PART})?"
    rf"|(?<![\d.])(?P<dy>(?:19|20)\d\d)(?P<sep>[./-])(?P<dm>\d{{1,2}})(?P=sep)(?P<dd>\d{{1,2}})(?![\d.])"
    rf"|(?<![\d.])(?P<ym>\d{{1,2}})月(?:(?P<yd>\d{{1,2}})[日号]|(?P<ymp>底|末|上旬|中旬|下旬))?"
    rf"|(?<![\d年])(?P<yp>年底|年末|上半年|下半年))" + _MARK
)
_DOTTED = re.compile(r"\d[./-]\d")
_DATE_RANGE_SEP = re.compile(r"-|~|至|到")
_YEAR_RANGE = re.compile(r"(?<!\d)(?P<a>(?:19|20)\d\d)年?(?:-|~|至|到)(?P<b>(?:19|20)\d\d)年(?:度)?" + _MARK)
_STARTS_AFTER = {"以后", "之后", "后", "起"}
_PRE = {"不晚于": "≤", "不迟于": "≤", "不早于": "≥"}


@dataclass
class _Date:
    start: int
    end: int
    year: int | None
    month: int
    day: int | None  # None: the last day of the month
    comparator: str | None
    strong: bool  # a deadline, not just a year named inside text
    mid: str = ""  # 上旬/中旬/下旬

    def iso(self, default_year: int | None) -> str | None:
        year = self.year if self.year is not None else default_year
        if year is None:
            return None
        last = calendar.monthrange(year, self.month)[1]
        day = {"上旬": 10, "中旬": 20}.get(self.mid, last) if self.day is None else min(self.day, last)
        return f"{year:04d}-{self.month:02d}-{day:02d}"


def _cn_int(s: str) -> int | None:
    """一 → 1, 十二 → 12, 两百零五 → 205; None for anything not a plain count."""
    digits = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}  # fmt: skip
    scales = {"十": 10, "百": 100, "千": 1000}
    total, digit, last_scale = 0, None, 10_000
    for ch in s:
        if ch in digits:
            if digit and digits[ch]:
                return None  # 十三五-like runs of digits are names, not numbers
            digit = digits[ch]
        else:
            scale = scales[ch]
            if scale >= last_scale or (digit is None and ch != "十") or (digit is None and total):
                return None
            total += (1 if digit is None else digit) * scale
            digit, last_scale = None, scale
    if digit is not None:
        total += digit
    return total if total or s in ("零", "〇") else None


def _number(text: str) -> float | None:
    if text[0].isdigit():
        return float(text.replace(",", ""))
    n = _cn_int(text)
    return None if n is None else float(n)


def _date_from(m: re.Match[str], range_end: bool) -> _Date | None:
    g = m.groupdict()
    mark, done = g["mark"], g["done"]
    comparator = None
    strong = bool(mark or done)
    if g["y"] is not None:
        year, month, day, part = int(g["y"]), 12, None, g["part"] or g["mp"]
        if g["m"] is not None:
            month = int(g["m"])
            day = int(g["d"]) if g["d"] is not None else None
            strong = True
        elif g["q"] is not None:
            month = 3 * ("一二三四".find(g["q"]) + 1 if not g["q"].isdigit() else int(g["q"]))
        elif part == "上半年":
            month = 6
        strong = strong or part not in (None, "度")
    elif g["dy"] is not None:
        year, month, day, part, strong = int(g["dy"]), int(g["dm"]), int(g["dd"]), None, True
    elif g["ym"] is not None:
        year, month, part = None, int(g["ym"]), g["ymp"]
        day = int(g["yd"]) if g["yd"] is not None else None
        # "3月" is March (three months is "3个月"); named inside text it is not a deadline
        strong = strong or day is not None or part is not None or range_end
    else:
        year, month, day, part, strong = None, 6 if g["yp"] == "上半年" else 12, None, g["yp"], True
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return None
    if mark in _STARTS_AFTER:
        comparator = "≥"
    elif mark or done or part in ("底", "末", "年底", "年末") or (part and "季度末" in part):
        comparator = "≤"
    pre = g["pre"]
    if pre:
        comparator = (
            "≤" if pre.startswith("截") else _PRE.get(pre, comparator if pre == "=" and comparator else pre)
        )
    mid = part if part in ("上旬", "中旬", "下旬") else ""
    return _Date(m.start(), m.end(), year, month, day, comparator, strong, mid)


def _find_dates(s: str) -> list[_Date]:
    dates: list[_Date] = []
    for m in _DATE.finditer(s):
        range_end = bool(dates) and _DATE_RANGE_SEP.fullmatch(s[dates[-1].end : m.start()]) is not None
        d = _date_from(m, range_end)
        if d is not None:
            dates.append(d)
    return dates


def _date_target(s: str, dates: list[_Date], default_year: int | None) -> Target | None:
    """A date range, when the value is one; else None."""
    m = _YEAR_RANGE.search(s) if dates else None
    if m:
        year = int(m["b"])
        return Target(kind="date", comparator="range", date=f"{year:04d}-12-31")
    for a, b in itertools.pairwise(dates):
        if _DATE_RANGE_SEP.fullmatch(s[a.end : b.start]):
            end_year = b.year if b.year is not None else a.year if a.year is not None else default_year
            end = _Date(b.start, b.end, end_year, b.month, b.day, None, True, b.mid)
            return Target(kind="date", comparator="range", date=end.iso(default_year))
    return None


def _mask(s: str, spans: list[tuple[int, int]]) -> str:
    """``s`` with the spans blanked out, so no other pattern reads them again."""
    if not spans:
        return s
    chars = list(s)
    for start, end in spans:
        chars[start:end] = "\x00" * (end - start)
    return "".join(chars)


def _unit(text: str | None) -> str | None:
    return text or None


def _quantity(m: re.Match[str], s: str) -> tuple[str | None, float, str | None] | None:
    num, unit, post = m["num"], m["unit"], m["post"]
    value = _number(num)
    if value is None:
        return None
    comparator = _COMPARATOR.get(m["cmp"]) if m["cmp"] else None
    if not num[0].isdigit():
        # Chinese numerals only as a count: after a comparator or a frequency, before a measure
        lead = s[: m.start("num")]
        if (
            unit is None
            or unit[0] not in _CN_MEASURES
            or not (comparator or not lead or lead.endswith(_CN_LEADS))
        ):
            return None
    if m["more"] and comparator is None:
        comparator = ">"
    if post:
        if post == "内" and unit is not None and unit not in TIME_UNITS:
            post = None
        elif comparator is None:
            comparator = _SUFFIX[post]
    return comparator, value, _unit(unit)


def parse_target(value: str | None, *, default_year: int | None = None) -> Target:
    """Parse one 指标值; never raises.  ``default_year`` dates year-less deadlines."""
    if value is None:
        return Target()
    s = normalise_value(value)
    if _PLACEHOLDER.fullmatch(s) or "**" in s:  # ≥**% is a template never filled in
        return Target()
    # the cheap tests skip regexes that cannot match: most values hold no date and no range
    dates = _find_dates(s) if "年" in s or "月" in s or _DOTTED.search(s) else []
    ranged = _date_target(s, dates, default_year)
    if ranged is not None:
        return ranged
    masked = _mask(s, [(d.start, d.end) for d in dates])
    strong = [d for d in dates if d.strong]
    date = strong[-1] if strong else None
    iso = date.iso(default_year) if date else None

    m = _FROM_TO.search(masked) if "由" in masked or "从" in masked else None
    if m:
        x, y = float(m["x"].replace(",", "")), float(m["y"].replace(",", ""))
        verb = m["verb"]
        falls, rises = _FALL_WORD.search(verb), _RISE_WORD.search(verb)
        rise = not falls if falls or rises else y >= x
        unit = _unit(m["uy"] or m["ux"])
        return _with_kind(Target(comparator="≥" if rise else "≤", number=y, unit=unit, date=iso))

    ranges = list(_RANGE.finditer(masked)) if any(c in masked for c in "-~至到") else []
    rest = _mask(masked, [r.span() for r in ranges])
    found = [q for q in (_quantity(m, rest) for m in _QUANTITY.finditer(rest)) if q is not None]
    if len({(number, unit) for _, number, unit in found}) == 1:
        # "≥90%（含90%）" repeats one target: keep the first comparator written
        found = [(next((c for c, _, _ in found if c), None), found[0][1], found[0][2])]
    if len(ranges) == 1 and not found:
        r = ranges[0]
        lo, hi = sorted((float(r["lo"].replace(",", "")), float(r["hi"].replace(",", ""))))
        target = Target(
            comparator="range", number=lo, number_max=hi, unit=_unit(r["u2"] or r["u1"]), date=iso
        )
        return _with_kind(target)
    if len(found) == 1 and not ranges:
        comparator, number, unit = found[0]
        return _with_kind(Target(comparator=comparator, number=number, unit=unit, date=iso))
    if ranges or found:
        return Target(kind="text", date=iso)
    if date is not None:
        return Target(kind="date", comparator=date.comparator, date=iso)
    if len(dates) == 1 and _mask(s, [(dates[0].start, dates[0].end)]).strip("\x00") == "":
        return Target(kind="date", comparator=dates[0].comparator, date=dates[0].iso(default_year))
    return Target(kind="text")


def _with_kind(target: Target) -> Target:
    target.kind = "duration" if target.unit in TIME_UNITS else "quantity"
    return target
