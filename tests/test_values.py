"""Parsing target values (指标值): a hand-checked table, every gold value, and properties."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.records import Target
from extract.values import TIME_UNITS, normalise_value, parse_target

# value → (kind, comparator, number, number_max, unit, date)
CASES: list[tuple[str | None, tuple[str, str | None, float | None, float | None, str | None, str | None]]] = [
    # comparators written as symbols, ASCII pairs and their typos
    ("≥90%", ("quantity", "≥", 90, None, "%", None)),
    (">=88%", ("quantity", "≥", 88, None, "%", None)),
    ("<=5台", ("quantity", "≤", 5, None, "台", None)),
    ("＞＝90％", ("quantity", "≥", 90, None, "%", None)),
    ("≧95%", ("quantity", "≥", 95, None, "%", None)),
    ("〉90%", ("quantity", ">", 90, None, "%", None)),
    (">=90%%", ("quantity", "≥", 90, None, "%", None)),
    (">=≥80%", ("quantity", "≥", 80, None, "%", None)),
    ("=100%", ("quantity", "=", 100, None, "%", None)),
    ("<3次", ("quantity", "<", 3, None, "次", None)),
    # comparators written as words, before or after the number
    ("不低于85%", ("quantity", "≥", 85, None, "%", None)),
    ("不少于3次", ("quantity", "≥", 3, None, "次", None)),
    ("至少2期", ("quantity", "≥", 2, None, "期", None)),
    ("达到30%", ("quantity", "≥", 30, None, "%", None)),
    ("85%以上", ("quantity", "≥", 85, None, "%", None)),
    ("控制在5%以内", ("quantity", "≤", 5, None, "%", None)),
    ("不超过20万元", ("quantity", "≤", 20, None, "万元", None)),
    ("超过1000人", ("quantity", ">", 1000, None, "人", None)),
    ("低于3%", ("quantity", "<", 3, None, "%", None)),
    ("延迟率为0", ("quantity", "=", 0, None, None, None)),
    ("约为2亿条", ("quantity", "≈", 2, None, "亿条", None)),
    ("约10,000个", ("quantity", "≈", 10000, None, "个", None)),
    ("90%左右", ("quantity", "≈", 90, None, "%", None)),
    ("100余人", ("quantity", ">", 100, None, "人", None)),
    # no comparator written, units as written with their multipliers
    ("700家", ("quantity", None, 700, None, "家", None)),
    ("25万", ("quantity", None, 25, None, "万", None)),
    ("10.4 万", ("quantity", None, 10.4, None, "万", None)),
    ("≥1,000万人次", ("quantity", "≥", 1000, None, "万人次", None)),
    ("≥14.83万宗", ("quantity", "≥", 14.83, None, "万宗", None)),
    ("≤1000元/天", ("quantity", "≤", 1000, None, "元/天", None)),
    ("1次/月", ("quantity", None, 1, None, "次/月", None)),
    ("3个百分点", ("quantity", None, 3, None, "个百分点", None)),
    ("11个试点城市", ("quantity", None, 11, None, "个", None)),
    ("每年≥4项", ("quantity", "≥", 4, None, "项", None)),
    ("各1次", ("quantity", None, 1, None, "次", None)),
    ("住院在院病人数10%", ("quantity", None, 10, None, "%", None)),
    ("成效显著，节约医疗费用≥40%", ("quantity", "≥", 40, None, "%", None)),
    ("不少于三次", ("quantity", "≥", 3, None, "次", None)),
    ("不少于两百零五人", ("quantity", "≥", 205, None, "人", None)),
    ("节约10%", ("quantity", None, 10, None, "%", None)),
    ("≥90%（含90%）", ("quantity", "≥", 90, None, "%", None)),
    # ranges and from–to
    ("1-2批次", ("quantity", "range", 1, 2, "批次", None)),
    ("10～20人", ("quantity", "range", 10, 20, "人", None)),
    ("5至10人", ("quantity", "range", 5, 10, "人", None)),
    ("90%—95%", ("quantity", "range", 90, 95, "%", None)),
    ("由5%提升至70%", ("quantity", "≥", 70, None, "%", None)),
    ("由70%降至5%", ("quantity", "≤", 5, None, "%", None)),
    ("降低至5%", ("quantity", "≤", 5, None, "%", None)),
    # durations
    ("≤5个工作日", ("duration", "≤", 5, None, "个工作日", None)),
    ("每项论证不超过7天", ("duration", "≤", 7, None, "天", None)),
    ("5年", ("duration", None, 5, None, "年", None)),
    ("=365天", ("duration", "=", 365, None, "天", None)),
    ("3日内", ("duration", "≤", 3, None, "日", None)),
    ("3-5个工作日", ("duration", "range", 3, 5, "个工作日", None)),
    ("十二个月", ("duration", None, 12, None, "个月", None)),
    # dates: deadlines end on the last day of the period they name
    ("2021年12月31日前", ("date", "≤", None, None, None, "2021-12-31")),
    ("=2021年底前", ("date", "≤", None, None, None, "2021-12-31")),
    ("2020年6月底前", ("date", "≤", None, None, None, "2020-06-30")),
    ("2020年6月底", ("date", "≤", None, None, None, "2020-06-30")),
    ("2021年11月30日前完成", ("date", "≤", None, None, None, "2021-11-30")),
    ("2021年底完成", ("date", "≤", None, None, None, "2021-12-31")),
    ("2021年第三季度末前", ("date", "≤", None, None, None, "2021-09-30")),
    ("2021年上半年", ("date", None, None, None, None, "2021-06-30")),
    ("2021年2月30日前", ("date", "≤", None, None, None, "2021-02-28")),
    ("2021年5月1日", ("date", None, None, None, None, "2021-05-01")),
    ("2021/6/30前", ("date", "≤", None, None, None, "2021-06-30")),
    ("不晚于2021年6月30日", ("date", "≤", None, None, None, "2021-06-30")),
    ("2021年12月31日以后", ("date", "≥", None, None, None, "2021-12-31")),
    ("2021.1.1-2021.12.31", ("date", "range", None, None, None, "2021-12-31")),
    ("2021年1月-6月", ("date", "range", None, None, None, "2021-06-30")),
    ("2020-2022年", ("date", "range", None, None, None, "2022-12-31")),
    ("12月底前", ("date", "≤", None, None, None, None)),
    ("3月", ("date", None, None, None, None, None)),
    ("截止到2021年12月31日", ("date", "≤", None, None, None, "2021-12-31")),
    ("2021年底前完成10项", ("quantity", None, 10, None, "项", "2021-12-31")),
    # text: no number, a number that is a name, or several numbers for several subjects
    ("按计划完成", ("text", None, None, None, None, None)),
    ("显著提高", ("text", None, None, None, None, None)),
    ("2021年显著提高", ("text", None, None, None, None, None)),
    ("一站式结算", ("text", None, None, None, None, None)),
    ("十三五期间持续推进", ("text", None, None, None, None, None)),
    ("ISO9001认证", ("text", None, None, None, None, None)),
    ("第3名", ("text", None, None, None, None, None)),
    ("1.2.3版本", ("text", None, None, None, None, None)),
    ("85%以上三级定点医院、50%以上二级定点医院", ("text", None, None, None, None, None)),
    ("年内", ("text", None, None, None, None, None)),
    ("每年3月开展", ("text", None, None, None, None, None)),
    # empty and placeholders
    (None, ("empty", None, None, None, None, None)),
    ("", ("empty", None, None, None, None, None)),
    (" \t", ("empty", None, None, None, None, None)),
    ("——", ("empty", None, None, None, None, None)),
    ("无", ("empty", None, None, None, None, None)),
    ("≥**%", ("empty", None, None, None, None, None)),
]


def _parts(t: Target) -> tuple[str, str | None, float | None, float | None, str | None, str | None]:
    return (t.kind, t.comparator, t.number, t.number_max, t.unit, t.date)


@pytest.mark.parametrize(("value", "expected"), CASES, ids=[repr(v) for v, _ in CASES])
def test_hand_checked_values_parse_as_expected(value: str | None, expected: tuple) -> None:
    assert _parts(parse_target(value)) == expected


def test_yearless_deadlines_take_the_default_year() -> None:
    assert parse_target("12月底前", default_year=2021).date == "2021-12-31"
    assert parse_target("年底前完成", default_year=2020).date == "2020-12-31"
    assert parse_target("2019年6月底前", default_year=2021).date == "2019-06-30"
    assert parse_target("3月", default_year=2021).date == "2021-03-31"


def test_parsing_leaves_vagueness_to_the_classifier() -> None:
    t = parse_target("显著提高")
    assert (t.vague, t.vague_terms) == (False, [])


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("＞＝ ９０ ％", "≥90%"),
        ("<= 5 台", "≤5台"),
        ("≧１，０００人", "≥1,000人"),
        ("90%%", "90%"),
        ("1～2批次", "1~2批次"),
    ],
)
def test_normalisation_folds_width_spaces_and_comparator_spellings(raw: str, normal: str) -> None:
    assert normalise_value(raw) == normal


@pytest.mark.seeds
def test_every_gold_value_gets_a_plausible_parse(shared_dir: Path) -> None:
    values = [
        indicator["value"]
        for gold in sorted((shared_dir / "gold").glob("*.json"))
        for table in json.loads(gold.read_text(encoding="utf-8"))["tables"]
        for indicator in table["indicators"]
    ]
    assert len(values) > 400
    kinds: Counter[str] = Counter()
    for value in values:
        t = parse_target(value)
        kinds[t.kind] += 1
        digits = re.sub(r"\D", "", normalise_value(value or ""))
        if not digits:
            assert t.kind in ("text", "empty"), value  # no number is ever invented
        if t.kind in ("quantity", "duration"):
            # the number is one written in the value, and the unit follows it there
            written = f"{t.number:g}" if t.number is not None else ""
            assert written and written in normalise_value(value).replace(",", ""), value
            assert t.unit is None or t.unit in normalise_value(value), value
            assert (t.kind == "duration") == (t.unit in TIME_UNITS), value
        if t.kind == "date":
            assert t.date and re.fullmatch(r"20\d\d-\d\d-\d\d", t.date), value
        if re.fullmatch(r"(?:≥|>=|≤|<=|=|>|<)\s*\d[\d,.]*\s*(?:%+|万?[\u4e00-\u9fff]{0,2})", value or ""):
            assert t.kind in ("quantity", "duration") and t.comparator is not None, value
    share = {k: n / len(values) for k, n in kinds.items()}
    assert 0.55 <= share["quantity"] <= 0.75, kinds
    assert 0.15 <= share["text"] <= 0.35, kinds
    assert kinds["date"] >= 25 and kinds["duration"] >= 12, kinds


# --- properties ----------------------------------------------------------------------

# characters the parser reacts to, so generated text reaches its branches
_ALPHABET = st.sampled_from(
    [*"0123456789.,%-~≥≤<>=≈ 年月日底前后内至到由从约为以上下万亿个次人元/天第一二十百千两",
     "不低于", "不超过", "以上", "以内", "左右", "个工作日", "提升至", "降至", "季度", "上半年", "**", "\x00", "\ufeff"]
)  # fmt: skip
_SYMBOLS = ["≥", "≤", ">", "<", "=", "≈"]
_UNITS = ["%", "次", "人次", "个", "家", "项", "元", "万元", "万", "亿条", "万人次", "元/人", "次/月", "批次",
          "个工作日", "天", "年"]  # fmt: skip
_NUMBERS = st.one_of(
    st.integers(min_value=0, max_value=10**9).map(str),
    st.integers(min_value=1000, max_value=10**9).map(lambda n: f"{n:,}"),
    st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False).map(str),
)


@given(st.one_of(st.text(), st.lists(_ALPHABET, max_size=30).map("".join)))
def test_parse_never_raises_and_keeps_its_invariants(value: str) -> None:
    t = parse_target(value)
    assert t.kind in ("quantity", "date", "duration", "text", "empty")
    assert t.comparator in (None, "≥", "≤", ">", "<", "=", "≈", "range")
    if t.kind in ("quantity", "duration"):
        assert t.number is not None and t.number >= 0
    if t.kind in ("text", "empty"):
        assert t.number is None and t.comparator is None
    if t.number_max is not None:
        assert t.comparator == "range" and t.number is not None and t.number <= t.number_max
    if t.date is not None:
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", t.date)


def _is_a_year(number: str, unit: str) -> bool:
    return unit == "年" and re.fullmatch(r"(?:19|20)\d\d", number) is not None


@given(st.sampled_from(_SYMBOLS), _NUMBERS, st.sampled_from(_UNITS))
def test_comparator_number_unit_round_trip(comparator: str, number: str, unit: str) -> None:
    if _is_a_year(number, unit):
        return  # "≥2021年" names a year, which is a date
    t = parse_target(f"{comparator}{number}{unit}")
    assert (t.comparator, t.number, t.unit) == (comparator, float(number.replace(",", "")), unit)
    assert t.kind == ("duration" if unit in TIME_UNITS else "quantity")


@given(_NUMBERS, _NUMBERS, st.sampled_from(["-", "~", "～", "至", "—"]), st.sampled_from(_UNITS))
def test_a_range_gives_number_at_most_number_max(a: str, b: str, sep: str, unit: str) -> None:
    if _is_a_year(a, unit) or _is_a_year(b, unit):
        return
    t = parse_target(f"{a}{sep}{b}{unit}")
    assert t.comparator == "range"
    low, high = sorted((float(a.replace(",", "")), float(b.replace(",", ""))))
    assert (t.number, t.number_max, t.unit) == (low, high, unit)


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


_SPACED = ["≥90%", "<=5台", "=2021年12月31日前", "约10,000个", "1-2批次", "≤5个工作日", "由5%提升至70%",
           "每年≥4项", "按计划完成"]  # fmt: skip


@given(
    st.sampled_from(_SPACED),
    st.lists(st.integers(min_value=0, max_value=20), max_size=5),
    st.sampled_from([" ", "\u3000", "\t", "\n", "\xa0"]),
    st.booleans(),
)
def test_whitespace_and_full_width_variants_parse_the_same(
    value: str, cuts: list[int], space: str, wide: bool
) -> None:
    variant = value
    for cut in sorted(cuts, reverse=True):
        variant = variant[:cut] + space + variant[cut:]
    if wide:
        variant = _full_width(variant)
    assert parse_target(variant) == parse_target(value)
