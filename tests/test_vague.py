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
        ("与救助需求和经济发展水平相适应", "state", ["与救助需求和经济发展水平相适应"]),
        ("具备与岗位需求相适应的知识和技能", "state", ["具备", "与岗位需求相适应"]),
        ("按时足额到位", "schedule", ["按时"]),
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
        ("本市高校，中小学，托幼机构及相关部门", "text"),
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


@pytest.mark.parametrize(
    ("value", "category"),
    [
        ("验收通过", "binary"),
        ("通过验收", "binary"),
        ("足额到位", "binary"),
        ("足额支付", "binary"),
        ("控制在预算内", "budget"),
        ("控制在预算范围内", "budget"),
        ("控制在年度预算以内", "budget"),
    ],
)
def test_yes_no_checks_a_document_settles_are_not_vague(value: str, category: str) -> None:
    # whether a budget tautology is a fit indicator is rule Q17's question, not the flag's
    verdict = classify_target(value)
    assert not verdict.vague and verdict.category == category and verdict.neutralised


@pytest.mark.parametrize(
    ("value", "name", "vague"),
    [
        ("合格", "软件验收", False),  # the acceptance certificate settles it
        ("合格", "医保系统运行情况", True),
        ("具备相应资质", "评审专家", False),  # a document (资质) settles it
        ("合规", "档案整理规范性", True),
    ],
)
def test_a_pass_word_is_a_binary_check_only_on_a_fact_a_document_proves(
    value: str, name: str, vague: bool
) -> None:
    assert classify_target(value, name=name).vague is vague


@pytest.mark.parametrize(
    ("value", "name", "word"),
    [
        ("5年", "参保对象对医保政策知晓影响年限", "年限"),
        ("1年", "机关运行年限", "年限"),
        ("10 年", "政策持续发挥作用的期限", "期限"),
        ("≥3 年", "长期使用性", "长期"),
    ],
)
def test_a_generic_lifetime_is_vague_although_it_has_a_number(value: str, name: str, word: str) -> None:
    target = {"kind": "duration", "number": float(value.strip("≥ 年")), "unit": "年"}
    verdict = classify_target(value, target, name)
    assert verdict.vague and verdict.category == "durability" and verdict.terms == [word]


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("5年", None),  # without the name there is nothing generic about it
        ("1年", "医用耗材阳光交易和监管平台运行服务"),
        ("≤5个工作日", "行政复议办理期限"),  # a deadline, not a lifetime
        ("2021年12月31日前", "项目完成期限"),
    ],
)
def test_years_on_other_indicators_stay_measurable(value: str, name: str | None) -> None:
    assert not classify_target(value, name=name).vague
