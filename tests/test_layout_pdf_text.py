"""The reader of space-separated PDF text: wrapped cells (layout 1) and line rows (layout 2).

Fixtures are written here: a few literal blocks, and a small renderer that lays a table out
the way a PDF converter does (cells wrapped at their column's width, cells sharing a
baseline joined by a space, blank lines between lines) so the same rows can be read back
at other widths, with one or two periods and with page-break furniture in the middle.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from extract.layouts.pdf_text import read_text_block
from extract.layouts.pdf_tokens import width
from extract.records import Indicator

Row = tuple[str, str, str, str]  # l1, l2, l3, value


def block(text: str, first: int = 1) -> list[tuple[int, str]]:
    return [(first + i, line) for i, line in enumerate(text.split("\n"))]


def rows_of(indicators: list[Indicator]) -> list[tuple[str | None, ...]]:
    return [(i.period, i.l1, i.l2, i.l3, i.value) for i in indicators]


# ------------------------------------------------------------------ literal fixtures

# cells aligned to the top of their row: a one-line L2 shares its line with the first line of
# a wrapped L3, as some converters write it (the renderer below centres cells instead)
WRAPPED_ONE_PERIOD = """绩效
指标
一级指
标 二级指标 三级指标 指标值

产出
指标
数量指标 新建村级卫生

室

=12个

质量指标 卫生室验收合

格率
≥95%

效益
指标
社会效益指
标
群众就医便利 明显改善
- 7 -
满意度
指标
服务对象满
意度指标
村民满意度 ≥90%"""


def test_wrapped_cells_are_joined_and_labels_carried_down() -> None:
    result = read_text_block(block(WRAPPED_ONE_PERIOD, first=100))
    assert rows_of(result.indicators) == [
        (None, "产出指标", "数量指标", "新建村级卫生室", "=12个"),
        (None, "产出指标", "质量指标", "卫生室验收合格率", "≥95%"),
        (None, "效益指标", "社会效益指标", "群众就医便利", "明显改善"),
        (None, "满意度指标", "服务对象满意度指标", "村民满意度", "≥90%"),
    ]
    assert [i.line for i in result.indicators] == [107, 113, 122, 128]


def test_page_number_inside_a_block_is_unparsed_not_content() -> None:
    result = read_text_block(block(WRAPPED_ONE_PERIOD, first=100))
    assert [(u.line, u.text) for u in result.unparsed] == [(123, "- 7 -")]
    assert all("7" not in (i.value or "") for i in result.indicators)


WRAPPED_TWO_PERIODS = """绩效

指标

一级指

标
二级指标 三级指标 指标值 二级指标 三级指标 指标值

产出

指标

数量指标 发放助学金

人数

≥3000人 数量指标 发放助学金

人数

≥1000人

时效指标 资金拨付时间 按季度 时效指标 资金拨付时间 按季度

效益

指标

社会效益指

标

家庭困难学生

辍学率

逐年下降

社会效益指

标

家庭困难学生

辍学率

≤1%"""


def test_two_period_table_alternates_midterm_and_annual() -> None:
    result = read_text_block(block(WRAPPED_TWO_PERIODS))
    assert rows_of(result.indicators) == [
        ("midterm", "产出指标", "数量指标", "发放助学金人数", "≥3000人"),
        ("annual", "产出指标", "数量指标", "发放助学金人数", "≥1000人"),
        ("midterm", "产出指标", "时效指标", "资金拨付时间", "按季度"),
        ("annual", "产出指标", "时效指标", "资金拨付时间", "按季度"),
        ("midterm", "效益指标", "社会效益指标", "家庭困难学生辍学率", "逐年下降"),
        ("annual", "效益指标", "社会效益指标", "家庭困难学生辍学率", "≤1%"),
    ]
    assert result.unparsed == []


LINE_ROWS = """绩效指标

一级指标 二级指标 三级指标 指标值（包含数字及文字描述）

产出指标

数量指标

巡查河道长度（公里） >=120公里

设置警示牌、宣传栏数量 =40块

质量指标
水质达标率 = 100%
时效指标 巡查完成时间 =2023年 11月30日前

成本指标
巡查经费 <=6.5万元

效益指标
生态效益指标 河道垃圾清理量提高 >=15%

满意度指标 满意度指标 沿岸居民满意度 >=85%"""


def test_line_rows_take_the_value_from_the_end_of_the_line() -> None:
    result = read_text_block(block(LINE_ROWS, first=50))
    assert rows_of(result.indicators) == [
        (None, "产出指标", "数量指标", "巡查河道长度（公里）", ">=120公里"),
        (None, "产出指标", "数量指标", "设置警示牌、宣传栏数量", "=40块"),
        (None, "产出指标", "质量指标", "水质达标率", "= 100%"),
        (None, "产出指标", "时效指标", "巡查完成时间", "=2023年 11月30日前"),
        (None, "产出指标", "成本指标", "巡查经费", "<=6.5万元"),
        (None, "效益指标", "生态效益指标", "河道垃圾清理量提高", ">=15%"),
        (None, "满意度指标", "满意度指标", "沿岸居民满意度", ">=85%"),
    ]
    assert [i.line for i in result.indicators] == [58, 60, 63, 64, 67, 70, 72]
    assert result.unparsed == []


def test_line_rows_with_two_periods_split_at_the_repeated_label() -> None:
    text = (
        "一级指标 二级指标 三级指标 指标值 二级指标 三级指标 指标值\n"
        "产出指标\n"
        "数量指标 培训人次 >=600人次 数量指标 培训人次 >=200人次\n"
        "质量指标 培训合格率 >=90% 质量指标 培训合格率 >=95%\n"
    )
    result = read_text_block(block(text))
    assert rows_of(result.indicators) == [
        ("midterm", "产出指标", "数量指标", "培训人次", ">=600人次"),
        ("annual", "产出指标", "数量指标", "培训人次", ">=200人次"),
        ("midterm", "产出指标", "质量指标", "培训合格率", ">=90%"),
        ("annual", "产出指标", "质量指标", "培训合格率", ">=95%"),
    ]


@pytest.mark.parametrize(
    ("line", "l3", "value"),
    [
        ("2024年设备更新台数 =8台", "2024年设备更新台数", "=8台"),
        ("维修（护）道路长度 ≥ 3公里", "维修（护）道路长度", "≥ 3公里"),
        ("资金支付时限 2024年 12月前", "资金支付时限", "2024年 12月前"),
        ("补助标准（元/人·月） 300元", "补助标准（元/人·月）", "300元"),
        ("政策知晓率 有所提高", "政策知晓率", "有所提高"),
    ],
)
def test_line_row_label_keeps_digits_brackets_and_the_value_keeps_its_spaces(
    line: str, l3: str, value: str
) -> None:
    text = f"一级指标 二级指标 三级指标 指标值\n产出指标\n数量指标\n{line}\n{line}"
    got = read_text_block(block(text)).indicators
    assert [(i.l3, i.value) for i in got] == [(l3, value), (l3, value)]


def test_every_nonblank_line_is_used_or_unparsed() -> None:
    for text in (WRAPPED_ONE_PERIOD, WRAPPED_TWO_PERIODS, LINE_ROWS):
        lines = block(text + "\n部门公开表12\n第 3 页")
        result = read_text_block(lines)
        accounted = result.used | {u.line for u in result.unparsed}
        assert {no for no, t in lines if t.strip()} <= accounted
        assert {"部门公开表12", "第 3 页"} <= {u.text for u in result.unparsed}


# ------------------------------------------------------------------ a converter, in miniature

NAMES = [
    "新建农村公路里程",
    "改造老旧小区户数",
    "义务教育学校标准化建设达标率",
    "公共文化场馆免费开放天数",
    "退役军人优待证发放覆盖率",
    "高标准农田灌溉设施完好率",
    "城乡居民医保财政补助到位时间",
    "中小企业融资担保业务放大倍数",
    "残疾人康复服务人次",
    "森林防火巡护及宣传教育活动场次",
    "项目资金支出进度",
    "受益群众对服务质量满意度",
]
VALUES = [
    "≥98%",
    "按计划完成",
    "=120公里",
    "2024年11月底前完成全部拨付",
    "明显提升",
    "≤350万元",
    "不低于上年水平",
    "逐步完善",
    "1500户",
    "全面达到省定标准",
]
L2_OF = {
    "产出指标": ["数量指标", "质量指标", "时效指标"],
    "效益指标": ["社会效益指标", "可持续影响指标"],
    "满意度指标": ["服务对象满意度指标"],
}


def wrap(text: str, col: float) -> list[str]:
    lines, cur = [], ""
    for ch in text:
        if cur and width(cur + ch) > col:
            lines.append(cur)
            cur = ""
        cur += ch
    return [*lines, cur]


def make_rows(seed: int, n: int) -> list[Row]:
    rnd = random.Random(seed)
    rows: list[Row] = []
    for l1, l2s in L2_OF.items():
        for l2 in l2s:
            for _ in range(rnd.randint(1, max(1, n // 4))):
                rows.append((l1, l2, rnd.choice(NAMES), rnd.choice(VALUES)))
    return rows


def render(
    rows: list[Row],
    widths: tuple[float, float, float, float],
    periods: int = 1,
    noise_every: int = 0,
    blank_lines: bool = True,
    merge_l2: bool = False,
) -> str:
    """Lay rows out as a PDF converter writes a table: cells in column order, each wrapped
    at its column's width and vertically centred in its row, a cell's first line joined to
    the previous cell's last line when both sit on the same baseline."""
    w1, w2, w3, wv = widths
    out: list[str] = [*wrap("绩效指标", 2), *wrap("一级指标", w1)]
    header = " ".join(["二级指标", "三级指标", "指标值"] * periods)
    out.append(header)
    l1_seen = l2_seen = None
    for k, (l1, l2, l3, value) in enumerate(rows):
        if noise_every and k and k % noise_every == 0:
            # a page break: page number, page tag, the table's title and column header again
            out += [f"- {k} -", "部门公开表3", "项目支出绩效目标表", header]
        if l1 != l1_seen:
            out += wrap(l1, w1)
            l1_seen = l1
        columns = [(l2, w2), (l3, w3), (value, wv)]
        if merge_l2:  # one L2 cell over its rows, written before them like the L1
            if l2 != l2_seen:
                out += wrap(l2, w2)
                l2_seen = l2
            columns = columns[1:]
        cells = [wrap(c, w) for _ in range(periods) for c, w in columns]
        height = max(len(c) for c in cells)
        y_last = None
        for cell in cells:
            top = (height - len(cell)) / 2
            for j, text in enumerate(cell):
                if j == 0 and y_last == top:
                    out[-1] += " " + text
                else:
                    out.append(text)
            y_last = top + len(cell) - 1
    sep = "\n\n" if blank_lines else "\n"
    return sep.join(out)


def expected(rows: list[Row], periods: int) -> list[tuple[str | None, ...]]:
    names = ("midterm", "annual") if periods == 2 else (None,)
    return [(p, *r[:3], r[3]) for r in rows for p in names]


@pytest.mark.parametrize("periods", [1, 2])
@pytest.mark.parametrize(
    "widths", [(3, 5, 8, 6), (2.5, 4, 6, 4), (3, 6, 12, 9), (4, 8, 10, 5), (3, 5, 7, 10)]
)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rendered_tables_read_back_at_any_wrap_width(
    periods: int, widths: tuple[float, float, float, float], seed: int
) -> None:
    rows = make_rows(seed, 12)
    result = read_text_block(block(render(rows, widths, periods)))
    assert rows_of(result.indicators) == expected(rows, periods)
    assert result.unparsed == []


@pytest.mark.parametrize("periods", [1, 2])
@pytest.mark.parametrize("blank_lines", [True, False])
def test_page_break_furniture_never_enters_an_indicator(periods: int, blank_lines: bool) -> None:
    rows = make_rows(7, 16)
    text = render(rows, (3, 5, 8, 6), periods, noise_every=3, blank_lines=blank_lines)
    result = read_text_block(block(text))
    assert rows_of(result.indicators) == expected(rows, periods)
    furniture = {u.text for u in result.unparsed}
    assert furniture == {f"- {k} -" for k in range(3, len(rows), 3)} | {"部门公开表3", "项目支出绩效目标表"}


@pytest.mark.parametrize("widths", [(3, 5, 8, 6), (2.5, 4, 6, 4), (4, 8, 10, 5), (3, 5, 7, 10)])
@pytest.mark.parametrize("seed", [4, 5])
def test_l2_merged_over_its_rows_is_carried_down(
    widths: tuple[float, float, float, float], seed: int
) -> None:
    rows = make_rows(seed, 16)
    result = read_text_block(block(render(rows, widths, merge_l2=True)))
    assert rows_of(result.indicators) == expected(rows, 1)
    assert result.unparsed == []


def test_l2_stated_once_covers_the_rows_below_it() -> None:
    rows = [("产出指标", "数量指标", n, v) for n, v in zip(NAMES[:4], VALUES[:4], strict=True)]
    text = render(rows, (3, 5, 8, 6))
    # merge the L2 cells: keep the first, drop the repeats
    lines = text.split("\n\n")
    first = next(i for i, line in enumerate(lines) if line.startswith("数量指标"))
    kept: list[str] = []
    for i, line in enumerate(lines):
        if line.startswith("数量指标") and i != first:
            line = line.removeprefix("数量指标").strip()
            if not line:
                continue
        kept.append(line)
    result = read_text_block(block("\n\n".join(kept)))
    assert rows_of(result.indicators) == expected(rows, 1)


def render_rows(rows: list[Row], inline: bool, periods: int = 1, noise_every: int = 0) -> str:
    """Lay rows out one per line, labels on a line of their own or inline before the L3."""
    out = [
        "绩效指标",
        " ".join(["一级指标"] + ["二级指标", "三级指标", "指标值（包含数字及文字描述）"] * periods),
    ]
    l1_seen: str | None = None
    l2_seen: str | None = None
    for k, (l1, l2, l3, value) in enumerate(rows):
        if noise_every and k and k % noise_every == 0:
            out += [f"— {k} —", "部门公开表3"]
        lead = [label for label, seen in ((l1, l1_seen), (l2, l2_seen)) if label != seen]
        l1_seen, l2_seen = l1, l2
        if not inline:
            out += lead
            lead = []
        if periods == 2:  # two-period rows repeat the L2 before each half
            lead = [*lead, l2] if l2 not in lead else lead
        out.append(" ".join([*lead, l3, value] + [l2, l3, value] * (periods - 1)))
    return "\n\n".join(out)


@pytest.mark.parametrize("inline", [True, False])
@pytest.mark.parametrize("periods", [1, 2])
@pytest.mark.parametrize("seed", [1, 2])
def test_line_rows_read_back_with_labels_inline_or_alone(inline: bool, periods: int, seed: int) -> None:
    rows = make_rows(seed, 16)
    result = read_text_block(block(render_rows(rows, inline, periods, noise_every=5)))
    assert rows_of(result.indicators) == expected(rows, periods)
    assert {u.text for u in result.unparsed} == {f"— {k} —" for k in range(5, len(rows), 5)} | {"部门公开表3"}


# ------------------------------------------------------------------ the seeds, against gold

_TITLE = re.compile(r"绩效目标表|绩效目标（部门预算）|^\s*第[一二三四五六七八九十]+部分")


def _norm(s: object) -> str:
    return "" if s is None else "".join(unicodedata.normalize("NFKC", str(s)).split())


def _key(row: dict[str, object]) -> tuple[str, ...]:
    return tuple(_norm(row.get(k)) for k in ("period", "l3", "value", "l1", "l2"))


def seed_blocks(text: str) -> list[list[tuple[int, str]]]:
    """Indicator blocks: from the split header ("绩效" … "一级指") to the next table title."""
    lines = text.split("\n")
    found = []
    for k, line in enumerate(lines):
        if not _norm(line).startswith("一级指"):
            continue
        start = next(
            (b for b in range(k - 1, max(k - 10, 0), -1) if _norm(lines[b]) in ("绩效", "绩", "绩效指标")), k
        )
        end = next((m for m in range(k + 1, len(lines)) if _TITLE.search(lines[m])), len(lines))
        found.append([(n + 1, lines[n]) for n in range(start, end)])
    return found


@pytest.mark.seeds
@pytest.mark.parametrize("doc", ["000_b3305540f64cbee6", "001_e9903dd00c131094"])
def test_seed_documents_reach_f1_098(shared_dir: Path, doc: str) -> None:
    text = (shared_dir / "seeds" / f"{doc}.txt").read_text(encoding="utf-8")
    gold = json.loads((shared_dir / "gold" / f"{doc}.json").read_text(encoding="utf-8"))
    want = Counter(_key(i) for t in gold["tables"] for i in t["indicators"])
    got: Counter[tuple[str, ...]] = Counter()
    for lines in seed_blocks(text):
        for ind in read_text_block(lines).indicators:
            got[_key(ind.__dict__)] += 1
    tp = sum((want & got).values())
    precision, recall = tp / max(1, sum(got.values())), tp / max(1, sum(want.values()))
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    assert f1 >= 0.98, f"{doc}: F1 {f1:.3f} (P {precision:.3f} R {recall:.3f})"
