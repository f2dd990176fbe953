"""Family A, Q01–Q08: is the value measurable at all?"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.lexicon import ACTIVITY_VERBS, DECLARED_UNITS, VAGUE_LEXICON
from kg.lexicon.patterns import APPROX, BASELINE, NUM, PLACEHOLDER, RANGE, normalise
from kg.rules.base import INFO, Hit, Severity, rule
from kg.rules.config import RuleConfig
from kg.rules.context import DocView, Row
from kg.rules.reading import change_target, comparator, deadline, has_any, level_hint, unit_hint
from kg.rules.text import quoted, say

__all__ = ["Q01", "Q02", "Q03", "Q04", "Q05", "Q06", "Q07", "Q08"]

_DURABLE_WORDS = frozenset(VAGUE_LEXICON["durability"])
_TIME_NAME = ("时间", "时限", "及时", "进度", "时效", "期限")
# an L3 that is itself a yes/no fact a document proves (软件验收 → 合格)
_BINARY_NAME = ("验收", "审计", "审核", "评审", "备案", "批复", "资质", "证书", "合同", "鉴定")
_CATEGORY_ZH = {"degree": "程度", "trend": "趋势", "direction": "方向"}


def _rows(doc: DocView) -> Iterator[Row]:
    for table in doc.tables:
        yield from table.rows


def _quoted(terms: list[str] | tuple[str, ...]) -> str:
    return quoted(terms)


def _target(row: Row) -> dict[str, str]:
    zh, en = change_target(row)
    return {"target_zh": zh, "target_en": en}


@rule(
    "Q01",
    "H",
    "Vague degree or trend value",
    "模糊的程度或趋势表述",
    "A",
    """The value is a degree or trend word (显著, 明显, 有所, 逐步, 进一步, 不断 …, optionally
    with a direction verb) and no number, baseline or grade remains once those words are
    taken out; a year alone ("2021年显著提高") does not count.  Such a target cannot be
    verified.  Source: 财预〔2015〕88号 细化量化, 101号 量化易评, SMART measurable.""",
)
def Q01(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    for row in _rows(doc):
        v = row.vague
        if v.vague and v.category in ("degree", "trend"):
            said = say(
                "Q01.vague",
                category=v.category,
                category_zh=_CATEGORY_ZH[v.category],
                terms=_quoted(v.terms),
                value=row.value,
                **_target(row),
            )
            yield Hit(said, row, tuple(v.terms))


@rule(
    "Q02",
    "H",
    "Bare direction value without magnitude",
    "仅有方向无幅度",
    "A",
    """The value only states a direction (提高, 降低, 改善, 同比减少 …) with no amount and no
    target level; a from–to form with numbers ("由5%提升至70%") is fine.""",
)
def Q02(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    for row in _rows(doc):
        v = row.vague
        if v.vague and v.category == "direction":
            said = say("Q02.direction", terms=_quoted(v.terms), value=row.value, **_target(row))
            yield Hit(said, row, tuple(v.terms))


@rule(
    "Q03",
    "M",
    "Ungraded state word as value",
    "未分级的状态词",
    "A",
    """The value is a pass/state or durability word (合格, 规范, 到位, 与…相适应, 具备…, 长期有效,
    动态维护 …) rather than one of the graded 定性 levels, so 10号's three-tier self-scoring
    cannot be applied objectively; or a generic lifetime ("…影响年限 5年", "政策持续发挥作用的
    期限 10年") that nobody can check within the budget year.  Yes/no checks a document
    settles (验收通过, 足额到位, 软件验收 → 合格) are not vague and not reported here; other
    state words on such an indicator are downgraded to L.""",
)
def Q03(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    for row in _rows(doc):
        v = row.vague
        if not v.vague:
            continue
        if v.category == "durability" and v.terms and row.target.number is not None:
            yield Hit(say("Q03.lifetime", name=row.l3, value=row.value), row, tuple(v.terms))
        elif v.category == "durability" and (durable := [t for t in v.terms if t in _DURABLE_WORDS]):
            yield Hit(say("Q03.durable", terms=_quoted(durable), value=row.value), row, tuple(durable))
        elif v.category == "state" and (
            words := [t for t, c in zip(v.terms, v.categories, strict=True) if c == "state"]
        ):
            binary = has_any(row.name, _BINARY_NAME)
            severity: Severity | None = "L" if binary else None
            level_zh, level_en = level_hint(row)
            said = say(
                "Q03.state",
                terms=_quoted(words),
                value=row.value,
                level_zh=level_zh,
                level_en=level_en,
                note=f" (the indicator {_quoted(binary)} is a yes/no fact)" if binary else "",
                note_zh=f"（指标{_quoted(binary)}本身是可凭文件核验的是非事项）" if binary else "",
            )
            yield Hit(said, row, tuple(words), severity)


@rule(
    "Q04",
    "H",
    "Schedule phrase instead of a deadline",
    "以进度表述代替时限",
    "A",
    """A schedule phrase (按计划完成, 按期开展, 及时, 与…同步 …) stands where a date belongs,
    or a timeliness row (L2 时效, or an L3 naming 时间/时限/及时/进度/时效/期限) has no date,
    duration, frequency or number at all.  Frequencies (按月, 每季度, 1次/月) are measurable.""",
)
def Q04(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    due_zh, due_en = deadline(doc.budget_year)
    due = {"deadline_zh": due_zh, "deadline_en": due_en}
    for row in _rows(doc):
        v = row.vague
        if v.vague and v.category == "schedule":
            words = [t for t, c in zip(v.terms, v.categories, strict=True) if c == "schedule"]
            yield Hit(say("Q04.schedule", terms=_quoted(words), **due), row, tuple(words))
        elif (row.cat2 == "时效" or has_any(row.name, _TIME_NAME)) and v.category not in (
            "measurable",
            "empty",
            "durability",  # "…的期限 10年" is a lifetime (Q03), not a deadline
        ):
            yield Hit(say("Q04.no_date", value=row.value, **due), row, tuple(v.terms))


_LIST_SEP = re.compile(r"[，,、；;]")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@rule(
    "Q05",
    "M",
    "Descriptive or activity text as value",
    "以活动描述作为指标值",
    "A",
    """The value restates an activity, purpose or scope instead of a level: with the vague
    words taken out, what is left is long (≥ long_value_chars characters), names an activity
    (开展, 推进, 出台, 建立, 完善, 实施, 组织) or ends in 等, or is a list — and has no number.""",
)
def Q05(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    for row in _rows(doc):
        skip = ("measurable", "empty", "placeholder", "binary", "budget")
        if row.vague.category in skip or NUM.search(row.text):
            continue
        rest = row.text
        for term in row.vague.terms:
            rest = rest.replace(term, " ")
        reasons: list[tuple[str, str]] = []
        if len(_CJK.findall(rest)) >= cfg.long_value_chars:
            reasons.append((f"{len(row.text)} characters of text", f"{len(row.text)}个字的描述"))
        verbs = has_any(rest, ACTIVITY_VERBS)
        if verbs:
            reasons.append(("names an activity", f"描述活动（{'、'.join(verbs)}）"))
        elif rest.endswith("等"):
            reasons.append(("ends in 等", "以“等”结尾"))
        parts = [p for p in _LIST_SEP.split(rest) if _CJK.search(p)]
        if len(parts) >= 2:
            reasons.append((f"a list of {len(parts)} items", f"列举{len(parts)}项"))
        if reasons:
            said = say(
                "Q05.descriptive",
                reasons="; ".join(en for en, _ in reasons),
                reasons_zh="；".join(zh for _, zh in reasons),
            )
            yield Hit(said, row, tuple(verbs))


@rule(
    "Q06",
    "H",
    "Missing or placeholder value",
    "指标值缺失或为占位符",
    "A",
    """The value is empty, a placeholder (—, /, 无, ≥**%) or a copy of the indicator name, or a
    satisfaction indicator has no number.  Every indicator needs a value to be scored (88号,
    10号).  A value lost to a neighbouring row during extraction cannot be seen here.""",
)
def Q06(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    for row in _rows(doc):
        unit = unit_hint(row)
        if not row.text:
            yield Hit(say("Q06.empty", unit=unit), row)
        elif PLACEHOLDER.search(row.text):
            yield Hit(say("Q06.placeholder", value=row.value, unit=unit), row, (row.text,))
        elif row.text == row.name:
            yield Hit(say("Q06.repeats_name", value=row.value, unit=unit), row, (row.text,))
        elif row.is_satisfaction and row.target.number is None:
            yield Hit(say("Q06.satisfaction", value=row.value), row, tuple(row.vague.terms))


_DISTRIBUTIVE = re.compile(r"各\d")
_RELATIVE = re.compile(r"^[\u4e00-\u9fff]{2,}\d+(?:\.\d+)?%$")
_COMPOUND = re.compile(r"\d[^，,、；;]*[，,、；;][^，,、；;]*\d")
_ANY_COMPARATOR = re.compile(
    r"[≥≤<>=≈]|不低于|不少于|不超过|不高于|以上|以下|以内|达到|至少|控制在|低于|高于|超过"
)


def _floor(row: Row, number: float | None) -> str:
    """The value rewritten as a floor: "约10,000个" → "≥10000个"."""
    shown = "X" if number is None else f"{number:g}"
    return f"≥{shown}{unit_hint(row)}"


@rule(
    "Q07",
    "L",
    "Approximate, range, compound or comparator-less value",
    "约数、区间、复合或缺比较符的指标值",
    "A",
    """It is unclear which bound counts as achieved: an approximation (约, 左右, 上下, 近), a
    range ("1-2批次") without a from–to baseline, a distributive "各1次", a compound of
    several numbers for different subjects, or a share of some other quantity ("住院在院病人数
    10%").  A bare number with no comparator ("700家", "100%") is read as "=" and reported as
    information (severity I): it is how most tables write an exact target, not a defect.""",
)
def Q07(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    for row in _rows(doc):
        text = row.text
        if not NUM.search(text):
            continue
        number = row.target.number
        if m := APPROX.search(text):
            yield Hit(
                say("Q07.approximate", approx=m.group(), rewrite=_floor(row, number)), row, (m.group(),)
            )
        elif (m := RANGE.search(text)) and not BASELINE.search(text) and row.target.kind != "date":
            said = say("Q07.range", range=m.group(), rewrite=_floor(row, number))
            yield Hit(said, row, (m.group(),))
        elif m := _DISTRIBUTIVE.search(text):
            yield Hit(say("Q07.distributive", each=m.group()), row, (m.group(),))
        elif _COMPOUND.search(text) and len(NUM.findall(text)) >= 2 and row.target.kind == "text":
            yield Hit(say("Q07.compound"), row)
        elif _RELATIVE.match(text) and not _ANY_COMPARATOR.search(text):
            yield Hit(say("Q07.relative", value=row.value, rewrite=_floor(row, number)), row)
        elif (
            row.target.kind == "quantity"
            and row.target.comparator is None
            and "/" not in (row.target.unit or "")
            and not _ANY_COMPARATOR.search(text)
        ):
            said = say("Q07.no_comparator", rewrite=_floor(row, number), number=number, unit=unit_hint(row))
            yield Hit(said, row, severity=INFO)


_DOUBLE_PCT = re.compile(r"%%|％%|%％|％％")
_DOUBLE_CMP = re.compile(r"(?:>=|<=|[≥≤><=≧≦＞＜＝]){2,}")
_UNIT_HINT = re.compile(r"[（(]([^（）()]{1,4})[)）]$")


def _raw_defect(raw: str) -> tuple[str, str, str] | None:
    """(defect, 缺陷, the value corrected) for a typo in the value as written."""
    if _DOUBLE_PCT.search(raw):
        return "doubled percent sign", "百分号重复", normalise(_DOUBLE_PCT.sub("%", raw))
    folded = raw.replace(">=", "≥").replace("<=", "≤").replace("＞=", "≥")
    m = _DOUBLE_CMP.search(folded)
    if m and m.group() not in ("≥", "≤"):
        fixed = normalise(folded.replace(m.group(), normalise(m.group())[-1]))
        return f"doubled comparator {m.group()}", f"比较符重复（{m.group()}）", fixed
    return None


@rule(
    "Q08",
    "M",
    "Malformed value token",
    "指标值格式错误",
    "A",
    """Typos that break parsing or scoring: a doubled percent sign (">=90%%"), a doubled
    comparator (">=≥"), a comparator with no number, 由 without 至/到, or a unit that
    contradicts the unit the indicator name declares ("…人数（人）" with a value in 次).""",
)
def Q08(doc: DocView, cfg: RuleConfig) -> Iterator[Hit]:
    for row in _rows(doc):
        raw = row.value or ""
        text = row.text
        if defect := _raw_defect(raw):
            en, zh, fixed = defect
            yield Hit(say("Q08.malformed", defect=en, defect_zh=zh, rewrite=fixed), row, (raw,))
        elif (m := re.search(r"[≥≤<>]", text)) and not NUM.search(text) and not PLACEHOLDER.search(text):
            yield Hit(say("Q08.no_number", value=raw, cmp=m.group(), unit=unit_hint(row)), row, (raw,))
        elif "由" in text and NUM.search(text) and not re.search(r"由.*?(?:至|到)", text):
            yield Hit(say("Q08.no_end", value=raw, **_target(row)), row, (raw,))
        elif (
            (hint := _UNIT_HINT.search(row.name))
            and hint.group(1) in DECLARED_UNITS
            and row.target.number is not None
        ):
            declared, unit = hint.group(1), row.target.unit or ""
            cmp = comparator(row) or ""
            rewrite = f"{cmp}{row.target.number:g}{declared}"
            if declared == "%" and unit != "%":
                said = say(
                    "Q08.unit",
                    declared=declared,
                    unit=unit or "no unit",
                    unit_zh=unit or "无单位",
                    rewrite=rewrite,
                )
                yield Hit(said, row, (declared, unit))
            elif declared != "%" and unit and declared not in unit and unit not in declared:
                said = say("Q08.unit", declared=declared, unit=unit, unit_zh=unit, rewrite=rewrite)
                yield Hit(said, row, (declared, unit))
