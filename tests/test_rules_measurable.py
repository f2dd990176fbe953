"""Family A (Q01–Q08): values that cannot be measured, on tiny records written here."""

from __future__ import annotations

from typing import Any

import pytest

from extract.records import Document, Indicator, Table
from kg.rules import RULES

OUT, QTY, TIME = "产出指标", "数量指标", "时效指标"


def one_row(l3: str, value: str | None, l1: str = OUT, l2: str = QTY) -> dict[str, Any]:
    table = Table("project", "测试项目", 1, indicators=[Indicator(l1, l2, l3, value, 5)])
    return Document("t.txt", budget_year=2021, tables=[table]).to_dict()


def fired(rule: str, doc: dict[str, Any]) -> list[str]:
    return [f.message for f in RULES[rule](doc)]


@pytest.mark.parametrize(
    ("value", "terms"),
    [
        ("显著提高", ("显著", "提高")),
        ("2021年显著提高", ("显著", "提高")),
        ("有所提升", ("有所", "提升")),
        ("逐步规范", ("逐步", "规范")),
    ],
)
def test_q01_fires_on_degree_or_trend_words_without_a_number(value: str, terms: tuple[str, ...]) -> None:
    (finding,) = RULES["Q01"](one_row("医保基金监管能力", value))
    assert finding.terms == terms
    assert finding.line == 5 and finding.text == value and finding.severity == "H"


@pytest.mark.parametrize("value", ["成效显著，节约医疗费用≥40%", "提高", "≥95%", "由5%提升至70%"])
def test_q01_ignores_values_with_a_number_or_without_degree_words(value: str) -> None:
    assert fired("Q01", one_row("指标", value)) == []


@pytest.mark.parametrize("value", ["提高", "降低", "同比减少", "降低财务人员工作量"])
def test_q02_fires_on_a_bare_direction(value: str) -> None:
    assert len(fired("Q02", one_row("政策知晓率", value))) == 1


@pytest.mark.parametrize("value", ["显著提高", "由5%提升至70%", "提高10个百分点"])
def test_q02_leaves_degree_words_and_numbers_alone(value: str) -> None:
    assert fired("Q02", one_row("政策知晓率", value)) == []


@pytest.mark.parametrize(
    ("l3", "value", "severity"),
    [("服务行为规范性", "规范", "M"), ("药品调整机制", "长期有效", "M"), ("软件验收", "正常", "L")],
)
def test_q03_fires_on_ungraded_state_words(l3: str, value: str, severity: str) -> None:
    (finding,) = RULES["Q03"](one_row(l3, value))
    assert finding.severity == severity and value in finding.terms


@pytest.mark.parametrize(
    ("l3", "value", "term"),
    [
        ("医疗救助对象人次规模", "与救助需求和经济发展水平相适应", "与救助需求和经济发展水平相适应"),
        ("财务人员业务水平", "具备与岗位需求相适应的知识和技能", "具备"),
        ("参保对象对医保政策知晓影响年限", "5年", "年限"),
        ("政策持续发挥作用的期限", "10 年", "期限"),
    ],
)
def test_q03_fires_on_relative_states_and_generic_lifetimes(l3: str, value: str, term: str) -> None:
    (finding,) = RULES["Q03"](one_row(l3, value, l1="效益指标", l2="可持续影响指标"))
    assert term in finding.terms and finding.severity == "M"


@pytest.mark.parametrize(
    ("l3", "value", "suggestion"),
    [("参保人数", "应保尽保", "≥X人"), ("档案整理规范性", "合规", "合格率≥Y%"), ("覆盖率", "全覆盖", "≥X%")],
)
def test_q03_suggests_a_level_in_the_indicators_unit(l3: str, value: str, suggestion: str) -> None:
    (finding,) = RULES["Q03"](one_row(l3, value))
    assert suggestion in (finding.suggestion_zh or "")


@pytest.mark.parametrize(
    ("l3", "value"),
    [
        ("培训质量", "合格率≥95%"),
        ("培训质量", "按计划完成"),
        ("培训质量", "优秀"),
        ("编码标准数据库质量", "验收通过"),  # binary checks are not vague
        ("软件验收", "合格"),
        ("预算资金到位情况", "足额到位"),
        ("总成本", "控制在预算内"),
        ("设备使用年限", "≤5个工作日"),
    ],
)
def test_q03_ignores_rates_schedules_grades_and_binary_checks(l3: str, value: str) -> None:
    assert fired("Q03", one_row(l3, value)) == []


def test_q04_leaves_a_lifetime_to_q03() -> None:
    doc = one_row("政策持续发挥作用的期限", "10 年", l1="效益指标", l2="可持续影响指标")
    assert fired("Q04", doc) == [] and len(fired("Q03", doc)) == 1


@pytest.mark.parametrize(
    ("l2", "l3", "value"),
    [
        (QTY, "课题研究", "按计划完成"),
        (TIME, "测算评估工作及时性", "及时"),
        (TIME, "支付时间", "出院时完成"),
        (QTY, "平台建设", "与省级平台建设完成同步"),
    ],
)
def test_q04_fires_on_a_schedule_phrase_or_a_timeliness_row_without_date(
    l2: str, l3: str, value: str
) -> None:
    assert len(fired("Q04", one_row(l3, value, l2=l2))) == 1


@pytest.mark.parametrize(
    ("l3", "value"),
    [
        ("完成时间", "2021年12月31日前"),
        ("办理时限", "≤5个工作日"),
        ("分析时效", "按月分析"),
        ("上传及时率", "≥98%"),
    ],
)
def test_q04_accepts_dates_durations_frequencies_and_rates(l3: str, value: str) -> None:
    assert fired("Q04", one_row(l3, value, l2=TIME)) == []


@pytest.mark.parametrize(
    "value", ["出台中国特色医疗保障制度改革方案等", "本市高校，中小学，托幼机构", "实施统一会计核算"]
)
def test_q05_fires_on_descriptive_values(value: str) -> None:
    assert len(fired("Q05", one_row("工作内容", value))) == 1


@pytest.mark.parametrize("value", ["按计划完成", "≥3项", "合格", "收支平衡，略有结余"])
def test_q05_leaves_short_lexicon_values_and_numbers_alone(value: str) -> None:
    assert fired("Q05", one_row("工作内容", value)) == []


@pytest.mark.parametrize(
    ("l3", "value"),
    [
        ("培训次数", None),
        ("培训次数", "—"),
        ("满意度", "≥**%"),
        ("培训次数", "培训次数"),
        ("群众满意度", "较高"),
    ],
)
def test_q06_fires_on_missing_placeholder_or_numberless_satisfaction(l3: str, value: str | None) -> None:
    assert len(fired("Q06", one_row(l3, value))) == 1


@pytest.mark.parametrize(
    ("l3", "value"), [("培训次数", "≥1次"), ("群众满意度", "≥90%"), ("工作质量", "合格")]
)
def test_q06_accepts_real_values(l3: str, value: str) -> None:
    assert fired("Q06", one_row(l3, value)) == []


@pytest.mark.parametrize(
    ("value", "word"),
    [("约10,000个", "approximate"), ("1-2批次", "range"), ("各1次", "distributive"), ("住院在院病人数10%", "share"), ("700家", "no comparator"),
     ("85%以上三级定点医院、50%以上二级定点医院", "compound")],
)  # fmt: skip
def test_q07_fires_on_unclear_bounds(value: str, word: str) -> None:
    (message,) = fired("Q07", one_row("机构数", value))
    assert word in message


@pytest.mark.parametrize(
    ("value", "severity"), [("700家", "I"), ("100%", "I"), ("约10,000个", "L"), ("1-2批次", "L")]
)
def test_q07_reports_a_missing_comparator_as_information_only(value: str, severity: str) -> None:
    (finding,) = RULES["Q07"](one_row("机构数", value))
    assert finding.severity == severity and finding.is_defect is (severity != "I")


@pytest.mark.parametrize(
    ("value", "rewrite"), [("约10,000个", "≥10000个"), ("1-2批次", "≥1批次"), ("700家", "≥700家")]
)
def test_q07_suggests_a_floor(value: str, rewrite: str) -> None:
    (finding,) = RULES["Q07"](one_row("机构数", value))
    assert rewrite in (finding.suggestion_zh or "") and rewrite in (finding.suggestion_en or "")


@pytest.mark.parametrize("value", ["≥700家", "=1次", "由5%提升至70%", "2021年12月31日前", "1次/月"])
def test_q07_accepts_single_bounded_values(value: str) -> None:
    assert fired("Q07", one_row("机构数", value)) == []


@pytest.mark.parametrize(
    ("l3", "value"),
    [
        ("正常运转率", ">=90%%"),
        ("覆盖率", ">=≥90%"),
        ("覆盖率", "≥%"),
        ("采购率", "由5%提升"),
        ("聘请顾问人数（人）", "≥2次"),
        ("覆盖率(%)", "≥90人"),
    ],
)
def test_q08_fires_on_malformed_tokens(l3: str, value: str) -> None:
    assert len(fired("Q08", one_row(l3, value))) == 1


@pytest.mark.parametrize(
    ("l3", "value"), [("正常运转率", ">=90%"), ("顾问人数（人）", "≥2人"), ("补贴（人均）", "550元")]
)
def test_q08_accepts_well_formed_values(l3: str, value: str) -> None:
    assert fired("Q08", one_row(l3, value)) == []


@pytest.mark.parametrize(
    ("rule", "l3", "value", "zh", "suggestion"),
    [
        ("Q01", "医保基金监管能力", "显著提高", "模糊的程度表述", "由X提高至Y"),
        ("Q01", "培训人员政策知晓率", "有所降低", "趋势", "由X%降低至Y%"),
        ("Q02", "培训人员政策知晓率", "提高", "只有变化方向", "由X%提高至Y%"),
        ("Q04", "培训完成时间", "按计划完成", "代替时限", "2021年MM月DD日前完成"),
        ("Q08", "正常运转率", ">=90%%", "百分号重复", "≥90%"),
    ],
)
def test_findings_say_what_is_wrong_in_chinese_and_suggest_a_rewrite(
    rule: str, l3: str, value: str, zh: str, suggestion: str
) -> None:
    (finding,) = RULES[rule](one_row(l3, value))
    assert zh in finding.message_zh and finding.message and finding.text == value
    assert finding.suggestion_zh == suggestion and finding.suggestion_en
