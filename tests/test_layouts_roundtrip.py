"""Property: a table rendered into any text layout reads back to the same rows.

The tables are generated (hypothesis) from the project's own vocabulary of names and values;
every layout a real page comes in (``tests/text_layouts.py``) must give back the rows it was
made from, with labels carried down from merged cells.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from text_layouts import LAYOUTS, Row, Spec, render

from extract import parse_document

_FRAMEWORK = [
    ("产出指标", ["数量指标", "质量指标", "时效指标", "成本指标"]),
    ("效益指标", ["经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"]),
    ("满意度指标", ["服务对象满意度指标"]),
]
_NAMES = [
    "培训人次", "巡查河道长度", "设备采购数量", "资料印发份数", "系统正常运行率", "验收合格率", "项目完成及时率",
    "资金拨付时间", "人均补助标准", "运维成本控制", "群众办事便利程度", "长效管护机制", "受益群众满意度",
    "覆盖乡镇个数", "档案归档规范性", "节能减排效果", "居民参保率", "投诉处理按时办结率", "课程开设门数",
    "新建道路里程", "对接企业家次", "信息公开情况", "监测站点数据传输率", "老旧设施更新改造面积",
]  # fmt: skip
_VALUES = [
    "≥95%", "100%", "=12次", "≤8万元", "≥500人次", "2024年12月31日前", "按计划完成", "显著提升", "≥20座", "3个",
    "1600元/亩", "有效", "逐步提高", "≥90%", "≤3个工作日", "=2批", "5年", "达标", "稳定运行", "≥98.5%",
]  # fmt: skip
# glued text keeps no border between a name and its value: only values that open with a sign or a
# digit can be told from the name before them
_GLUEABLE = [v for v in _VALUES if v[0] in "≥≤=0123456789"]


@st.composite
def specs(draw: st.DrawFn, layout: str) -> Spec:
    values = _GLUEABLE if layout == "glued" else _VALUES
    rows: list[Row] = []
    groups = draw(st.lists(st.sampled_from(range(len(_FRAMEWORK))), min_size=1, max_size=3, unique=True))
    for g in sorted(groups):
        l1, l2s = _FRAMEWORK[g]
        for l2 in draw(st.lists(st.sampled_from(l2s), min_size=1, max_size=len(l2s), unique=True)):
            for _ in range(draw(st.integers(1, 3))):
                rows.append(
                    Row(
                        l1,
                        l2,
                        draw(st.sampled_from(_NAMES)),
                        draw(st.sampled_from(values)),
                        midterm=draw(st.sampled_from(_VALUES)),
                        actual=draw(st.sampled_from(_VALUES)),
                        weight=str(draw(st.sampled_from([5, 10, 20]))),
                        score=str(draw(st.sampled_from([4, 8, 10]))),
                    )
                )
    titles = ["项目支出绩效目标表", "绩效目标申报表", "项目支出绩效目标批复表", "2024年项目绩效目标表"]
    title = "项目绩效自评表" if layout == "self_evaluation" else draw(st.sampled_from(titles))
    name = draw(st.sampled_from(["农田水利建设", "社区养老服务补助", "数字政务平台运维"]))
    return Spec(title, name, "示例县农业农村局", "120.5", rows)


def _expected(spec: Spec, layout: str) -> list[tuple]:
    if layout == "two_periods":
        return [
            x
            for r in spec.rows
            for x in (("midterm", r.l1, r.l2, r.l3, r.midterm), ("annual", r.l1, r.l2, r.l3, r.value))
        ]
    return [(None, r.l1, r.l2, r.l3, r.value) for r in spec.rows]


def _squash(text: str | None) -> str | None:
    return text.replace(" ", "") if text else text


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_table_in_any_layout_reads_back_to_its_rows(layout: str) -> None:
    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(specs(layout))
    def check(spec: Spec) -> None:
        doc = parse_document(render(spec, layout), "page.txt")
        assert len(doc.tables) == 1
        (table,) = doc.tables
        got = [(i.period, i.l1, i.l2, _squash(i.l3), _squash(i.value)) for i in table.indicators]
        assert got == [(p, a, b, _squash(c), _squash(d)) for p, a, b, c, d in _expected(spec, layout)]
        assert table.name == spec.name
        assert table.kind == ("self_evaluation" if layout == "self_evaluation" else "target")
        if layout == "self_evaluation":
            assert [(i.actual, i.weight, i.score) for i in table.indicators] == [
                (r.actual, r.weight, r.score) for r in spec.rows
            ]

    check()
