"""Family B, Q09–Q13: is the number sane?"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.lexicon import NEG_TERMS, UNBOUNDED_RATE_TERMS
from kg.lexicon.patterns import BASELINE
from kg.rules.base import Hit, Severity, rule
from kg.rules.config import RuleConfig
from kg.rules.context import DocView, Row
from kg.rules.reading import LOWER, UPPER, comparator, has_any, is_percent, unit_hint
from kg.rules.text import say

__all__ = ["Q09", "Q10", "Q11", "Q12", "Q13"]


def _rows(doc: DocView) -> Iterator[Row]:
    for table in doc.tables:
        yield from table.rows


def _fmt(x: float) -> str:
    return f"{x:g}"


def _over_100(row: Row) -> bool:
    number, cmp = row.target.number, comparator(row)
    if number is None or not is_percent(row) or has_any(row.name, UNBOUNDED_RATE_TERMS):
        return False
    top = row.target.number_max if row.target.number_max is not None else number
    return top > 100 or (cmp in LOWER and number >= 100)


@rule(
    "Q09",
    "H",
    "Percentage above 100, or ≥100% on a bounded rate",
    "百分比超过100%或对有界比率设≥100%",
    "B",
    """A rate bounded at 100 % (完成率, 覆盖率, 到位率, 满意度 …) is given a value above 100,
    or "≥100%" / ">100%", which can only mean "=100%".  Rates that may exceed 100 (增长,
    增幅, 同比, 比上年, 倍, 比值, 指数 …) are left alone.""",
)
def Q09(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    for row in _rows(doc):
        if _over_100(row):
            yield Hit(say("Q09.over_100", value=row.text), row, (row.text,))


_UPPER_WORDS = re.compile(r"不超过|以内|以下|不高于")
_SAT_UNITS = ("%", "分")


@rule(
    "Q10",
    "H",
    "Satisfaction value defect",
    "满意度指标值缺陷",
    "B",
    """A satisfaction indicator (L1/L2 满意度, or an L3 naming 满意度/满意率) with (a) no number,
    (b) an upper bound (≤, <, 不超过: the wrong direction, H), (c) an exact "=" that counts
    over-achievement as a miss (L), (d) a level outside the plausible band
    satisfaction_min–satisfaction_max (default 80–98 %, M; ≥100 % is left to Q09), or (e) a
    unit other than % or 分 (M).  One finding per row, at the gravest severity.""",
)
def Q10(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    order = {"H": 0, "M": 1, "L": 2}
    for row in _rows(doc):
        if not row.is_satisfaction:
            continue
        number, cmp = row.target.number, comparator(row)
        defects: list[tuple[Severity, str, str]] = []
        low, high = _fmt(cfg.satisfaction_min), _fmt(cfg.satisfaction_max)
        if number is None:
            if row.text:
                defects.append(("H", "no number", "没有数值"))
        else:
            if cmp in UPPER or _UPPER_WORDS.search(row.text):
                defects.append(
                    (
                        "H",
                        f"upper bound {cmp or '≤'}: satisfaction should be a floor",
                        "设了上限，满意度应设下限",
                    )
                )
            elif row.text.startswith("="):
                defects.append(
                    ("L", "exact '=': over-achievement would count as a miss", "用“=”，超额完成也算未达标")
                )
            unit = row.target.unit or ""
            if unit and not unit.endswith(_SAT_UNITS):
                defects.append(("M", f"unit {unit}, not % or 分", f"单位为{unit}，应为%或分"))
            elif unit.endswith("%") and not _over_100(row):
                if number < cfg.satisfaction_min:
                    defects.append(
                        (
                            "M",
                            f"{_fmt(number)}% is below {low}%: low ambition",
                            f"{_fmt(number)}%低于{low}%，目标偏低",
                        )
                    )
                elif number > cfg.satisfaction_max:
                    defects.append(
                        (
                            "M",
                            f"{_fmt(number)}% is above {high}%: unrealistic",
                            f"{_fmt(number)}%高于{high}%，难以实现",
                        )
                    )
        if defects:
            defects.sort(key=lambda d: order[d[0]])
            said = say(
                "Q10.defects",
                defects="; ".join(d[1] for d in defects),
                defects_zh="；".join(d[2] for d in defects),
                value=row.value,
                low=low,
                high=high,
            )
            yield Hit(said, row, (row.text,), defects[0][0])


# words that make a negative-sounding L3 a benefit: 追回违规基金, 住院费用报销比例, 成本测算次数
_RECOVERY = (
    "追回", "拒付", "查处", "挽回", "收回", "追缴", "节约", "减少", "降低", "降幅", "报销", "补偿", "结算", "救助",
    "测算", "评估", "执行率", "支付比例",
)  # fmt: skip
_CAPPED = ("控制", "压减", "不超过", "压缩")
_PURCHASE = ("采购", "购置", "购买", "印制")


@rule(
    "Q11",
    "M",
    "Direction mismatch",
    "指标方向与比较符不一致",
    "B",
    """A higher-is-better indicator (an output count or quality rate under 数量/质量, or any
    效益 row) carries an upper bound, or a lower-is-better one (故障, 投诉, 延误, 成本, 费用,
    时长 … or any 成本 row) carries a lower bound.  Names that say 控制/压减/不超过 are
    skipped; capped purchase counts (采购, 购置, 印制) are reported at L.""",
)
def Q11(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    for row in _rows(doc):
        cmp = comparator(row)
        if cmp is None or row.target.number is None or has_any(row.name, _CAPPED):
            continue
        negative = (bool(has_any(row.name, NEG_TERMS)) or row.is_cost) and not has_any(row.name, _RECOVERY)
        positive = not negative and (row.cat2 in ("数量", "质量") or row.cat1 == "效益")
        shown = {"number": _fmt(row.target.number), "unit": unit_hint(row), "value": row.value}
        if positive and cmp in UPPER:
            purchase = has_any(row.name, _PURCHASE)
            said = say("Q11.capped", cmp=cmp, **shown)
            yield Hit(said, row, (cmp,), "L" if purchase else None)
        elif negative and cmp in LOWER:
            words = has_any(row.name, NEG_TERMS) or ["成本"]
            yield Hit(say("Q11.floored", words=words, cmp=cmp, **shown), row, (cmp, *words))


_CHANGE = ("提高", "提升", "增长", "增加", "降低", "下降", "减少", "压缩", "降幅", "增幅", "节约")
_DOWN = ("降低", "下降", "减少", "压缩", "降幅", "节约")
_LEVEL_SUFFIX = ("率", "度")


def _relative_change(row: Row) -> list[str]:
    """The change words of a percent target that gives no baseline; [] when it is a level."""
    if not is_percent(row) or row.target.number is None:
        return []
    if BASELINE.search(row.text) or BASELINE.search(row.name):
        return []
    in_value = has_any(row.text, _CHANGE)
    in_name = has_any(row.name, _CHANGE)
    # "提升…覆盖率 ≥90%": the verb names the wish, the number is the level of a rate
    if not in_value and row.name.endswith(_LEVEL_SUFFIX) and row.target.number >= 50:
        return []
    return in_value or in_name


@rule(
    "Q12",
    "M",
    "Relative change without baseline",
    "相对变化缺少基期",
    "B",
    """A percent change (提高 ≥10%, 压缩比例 50%, 降幅 达到30%) with no base value or base year
    (由…至…, 从…到…, 较上年, 比20XX年, 基期, 同比), so the target level is undefined and it is
    unclear whether percentage points are meant.  A verb in the name of a rate whose value is
    ≥ 50 % is read as a level, not a change.""",
)
def Q12(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    for row in _rows(doc):
        words = _relative_change(row)
        if words:
            verb = "降低" if has_any("".join(words), _DOWN) else "提高"
            yield Hit(say("Q12.no_baseline", words=words, value=row.text, verb=verb), row, tuple(words))


_QUALITY_RATE = ("合格率", "验收通过率", "完成率")


@rule(
    "Q13",
    "L",
    "Low-ambition or trivial threshold",
    "目标值偏低或流于形式",
    "B",
    """Targets met trivially: at least trivial_count_rows rows of "≥1次"/"=1次" in one project
    (one finding per project), a 合格率/验收通过率/完成率 below quality_rate_floor (90 %), or a
    percent improvement of at most small_improvement_pct (1 %).  Satisfaction below 80 % is
    Q10's.""",
)
def Q13(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    for table in doc.tables:
        ones = [
            r
            for r in table.rows
            if r.target.number == 1 and (r.target.unit or "") == "次" and comparator(r) in (None, "≥", "=")
        ]
        if len(ones) >= cfg.trivial_count_rows:
            lines = ", ".join(str(r.line) for r in ones)
            yield Hit(say("Q13.ones", n=len(ones), lines=lines), table=table, terms=("1次",))
        for row in table.rows:
            number = row.target.number
            if number is None or not is_percent(row):
                continue
            rate = has_any(row.name, _QUALITY_RATE)
            if rate and comparator(row) in (None, "≥", ">", "=") and number < cfg.quality_rate_floor:
                said = say(
                    "Q13.low_rate", rate=rate[0], number=_fmt(number), floor=_fmt(cfg.quality_rate_floor)
                )
                yield Hit(said, row, tuple(rate))
            elif (words := _relative_change(row)) and number <= cfg.small_improvement_pct:
                yield Hit(say("Q13.small_change", number=_fmt(number)), row, tuple(words))
