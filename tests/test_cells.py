"""Cell recovery: each way a source keeps (or loses) its cell borders."""

from __future__ import annotations

import pytest

from extract.cells import is_row_separator, line_tokens
from extract.source import Cell, SourceLine, grid_line


def texts(line: str) -> list[str]:
    return [t.text for t in line_tokens(7, SourceLine(line))]


@pytest.mark.parametrize(
    "line, route",
    [
        ("产出指标\t数量指标\t培训次数\t=1次", "tab"),
        ("| 产出指标 | 数量指标 | 培训次数 | =1次 |", "pipe"),
        ("产出指标 数量指标 培训次数 =1次", "space"),
    ],
)
def test_every_separator_gives_the_same_cells(line: str, route: str) -> None:
    toks = line_tokens(7, SourceLine(line))
    assert [t.text for t in toks] == ["产出指标", "数量指标", "培训次数", "=1次"]
    assert {t.route for t in toks} == {route} and {t.line for t in toks} == {7}
    assert toks[0].first and toks[-1].last and not any(t.first for t in toks[1:])


def test_tab_cells_keep_their_column_and_empty_cells_their_place() -> None:
    toks = line_tokens(1, SourceLine("\t\t会议次数\t=2次"))
    assert [(t.text, t.col, t.width) for t in toks] == [("会议次数", 2, 4), ("=2次", 3, 4)]


def test_one_cell_per_line_is_one_token() -> None:
    (tok,) = line_tokens(3, SourceLine("  受益脱贫(监测)人口数 "))
    assert (tok.text, tok.route, tok.first, tok.last) == ("受益脱贫(监测)人口数", "line", True, True)


def test_a_run_of_spaces_separates_more_strongly_than_one_space() -> None:
    toks = line_tokens(1, SourceLine("培训 人次    ≥500人次"))
    assert [(t.text, t.gap) for t in toks] == [("培训", 0), ("人次", 1), ("≥500人次", 2)]


def test_a_pipe_cell_closed_by_its_pipe_cannot_run_on_and_a_line_of_pipes_is_a_row_border() -> None:
    (closed,) = line_tokens(1, SourceLine("通过本项目实施,有效提高全面健康水平。 |"))
    (open_end,) = line_tokens(2, SourceLine("自治区本级部门2019年项目"))
    assert closed.closed and not open_end.closed
    assert is_row_separator("||||") and is_row_separator("|") and not is_row_separator("| 甲 |")


def test_a_line_break_inside_a_cjk_cell_shown_as_a_space_joins_with_nothing() -> None:
    assert texts("| 经济效益 指标 | 产 出 指 标 (50分) |") == ["经济效益指标", "产出指标(50分)"]


def test_grid_rows_keep_columns_and_merged_cells_and_open_at_their_first_written_cell() -> None:
    line = grid_line(
        [Cell("", 0, merged=True), Cell("质量指标", 1), Cell("合格率", 2), Cell("100%", 3, colspan=2)]
    )
    toks = line_tokens(9, line)
    assert [(t.text, t.col, t.merged, t.span) for t in toks] == [
        ("", 0, True, 1), ("质量指标", 1, False, 1), ("合格率", 2, False, 1), ("100%", 3, False, 2),
    ]  # fmt: skip
    assert [t.first for t in toks] == [False, True, False, False] and toks[-1].last


def test_a_grid_cell_holding_glued_cells_is_cut_too() -> None:
    line = grid_line([Cell("产出指标数量指标举办发布仪式", 3), Cell("1", 6)])
    assert [(t.text, t.col) for t in line_tokens(1, line)] == [
        ("产出指标", 3), ("数量指标", 3), ("举办发布仪式", 3), ("1", 6),
    ]  # fmt: skip
