"""Vague-target classification: lexicon words on jieba tokens, and what is left once they are out."""

from __future__ import annotations

import pytest

from extract.records import Target
from kg.vague import Vagueness, classify_target, classify_text


@pytest.mark.parametrize(
    ("value", "category", "terms"),
    [
        ("显著提高", "degree", ["显著", "提高"]),
        ("2021年显著提高", "degree", ["显著", "提高"]),
        ("进一步提高", "trend", ["进一步", "提高"]),
        ("有所降低", "trend", ["有所", "降低"]),
        ("提高", "direction", ["提高"]),
        ("与财政补助同步提高", "direction", ["与财政补助同步提高"]),
        ("合格", "state", ["合格"]),
        ("收支平衡，略有结余", "state", ["收支平衡", "略有结余"]),
        ("长期有效", "durability", ["长期有效"]),
        ("按计划完成", "schedule", ["按计划完成"]),
        ("与省级平台建设完成同步", "schedule", ["与省级平台建设完成同步"]),
        ("每年开展", "schedule", ["每年开展"]),
        ("控制在年度预算以内", "budget", ["控制在年度预算以内"]),
        ("足额到位", "budget", ["足额到位"]),
    ],
)
def test_vague_values_name_their_category_and_words(value: str, category: str, terms: list[str]) -> None:
    assert classify_text(value) == Vagueness(True, category, terms, classify_text(value).categories)
    assert len(classify_text(value).categories) == len(terms)


@pytest.mark.parametrize(
    ("value", "category"),
    [
        ("成效显著，节约医疗费用≥40%", "measurable"),
        ("2021年12月31日前完成", "measurable"),
        ("2021年内完成", "measurable"),
        ("每年开展一次", "measurable"),
        ("按月分析", "measurable"),
        ("每季度", "measurable"),
        ("合格率≥95%", "measurable"),
        ("达到A级", "measurable"),
        ("由5%提升至70%", "measurable"),
        ("具备与岗位需求相适应的知识和技能", "text"),
    ],
)
def test_a_number_date_frequency_or_grade_keeps_a_value_from_being_vague(value: str, category: str) -> None:
    verdict = classify_text(value)
    assert not verdict.vague and verdict.category == category and verdict.terms == []


def test_words_a_number_neutralised_are_kept_apart() -> None:
    assert classify_text("成效显著，节约医疗费用≥40%").neutralised == ["成效显著", "节约"]
    assert classify_text("2021年12月31日前完成").neutralised == ["完成"]


def test_words_are_matched_on_tokens_not_inside_longer_words() -> None:
    assert classify_text("合格率").terms == []
    assert classify_text("安全性").terms == []


@pytest.mark.parametrize(
    ("value", "category"),
    [(None, "empty"), ("", "empty"), (" ", "empty"), ("—", "placeholder"), ("≥**%", "placeholder")],
)
def test_empty_and_placeholder_values_are_vague(value: str | None, category: str) -> None:
    verdict = classify_target(value)
    assert verdict.vague and verdict.category == category


def test_full_width_spellings_are_folded_first() -> None:
    assert classify_text("显著　提高").terms == ["显著", "提高"]
    assert not classify_text("≥９０％").vague


@pytest.mark.parametrize(
    ("target", "vague"),
    [
        (Target(kind="quantity", number=2, unit="次"), False),
        ({"kind": "quantity", "number": 2.0, "unit": "次"}, False),
        ({"kind": "quantity", "number": 2021.0, "unit": "年"}, True),
        ({"kind": "date", "date": "2021-12-31"}, False),
        ({"kind": "text"}, True),
    ],
)
def test_a_parsed_target_adds_a_level_the_text_did_not_show(target: object, vague: bool) -> None:
    assert classify_text("显著提高").vague
    assert classify_target("显著提高", target).vague is vague
