"""The PDF reader: page text and table grids, from PDFs drawn at test time (``pdf_fixtures``)."""

from __future__ import annotations

import json
import random
import re
import unicodedata
from pathlib import Path

import pdf_fixtures as fx
import pytest
from click.testing import CliRunner

from extract.errors import ExtractError
from extract.readers import read_source, source_from_bytes
from extract.readers.pdf_page import Chunk, TextLine, join_wrapped, parse_unruled
from extract.source import Limits, Source
from kg.cli import cli


def read(data: bytes, limits: Limits | None = None) -> Source:
    return source_from_bytes(data, "table.pdf", limits)


def grid(source: Source, page: int | None = None) -> list[list[tuple[int, str, bool]]]:
    """Each grid row as (column, text, merged) per cell."""
    return [
        [(c.col, c.text, c.merged) for c in line.cells]
        for line in source.lines
        if line.cells is not None and (page is None or line.page == page)
    ]


def plain(source: Source) -> list[str]:
    return [line.text for line in source.lines if line.cells is None]


def test_merged_l1_and_l2_cells_are_marked_merged_in_the_rows_they_cover() -> None:
    rows = grid(read(fx.merged_project_table()))
    start = rows.index(
        [(0, "产出指标", False), (1, "数量指标", False), (2, "运维系统数量", False), (3, "≥13个", False)]
    )
    assert rows[start + 1] == [(0, "", True), (1, "", True), (2, "巡检次数", False), (3, "≥12次", False)]
    assert rows[start + 2][:2] == [(0, "", True), (1, "质量指标", False)]
    assert rows[start + 3][0] == (0, "满意度指标", False)


def test_the_title_comes_as_text_and_each_row_as_its_cells_joined_by_tabs() -> None:
    source = read(fx.merged_project_table())
    assert source.lines[0].cells is None and source.lines[0].text == "示例市数据局2024年项目支出绩效目标表"
    assert source.lines[1].text == "项目名称\t11000021Y000000390843-信息系统运维类项目"
    (name,) = [c for c in source.lines[1].cells or () if c.col == 1]
    assert name.colspan == 3
    funding = source.lines[3]
    assert funding.text == "项目资金（万元）\t年度资金总额\t120.50"


def test_a_border_drawn_twice_makes_no_empty_column() -> None:
    rows: list[fx.Row] = [fx.INDICATOR_HEADER, ["产出指标", "数量指标", "培训人次", "≥300人次"]]
    source = read(fx.build_pdf([fx.Page(["示例项目绩效目标表", fx.Table(fx.WIDE, rows, sliver=4.0)])]))
    assert [[text for _, text, _ in row] for row in grid(source)] == rows


def test_cells_carry_their_box_on_the_page_left_to_right() -> None:
    for line in read(fx.merged_project_table()).lines:
        boxes = [c.bbox for c in line.cells or () if c.bbox is not None]
        assert all(
            0 <= x0 < x1 <= fx.PAGE_W and 0 <= top < bottom <= fx.PAGE_H for x0, top, x1, bottom in boxes
        )
        assert [b[0] for b in boxes] == sorted(b[0] for b in boxes)


@pytest.mark.parametrize(
    ("pieces", "joined"),
    [
        (["11000021Y00000039", "0843-信息系统运维", "类项目"], "11000021Y000000390843-信息系统运维类项目"),
        (["1,063,371.77", "6545"], "1,063,371.776545"),
        (["完成各系统年度", "运行维护工作；"], "完成各系统年度运行维护工作；"),
        (["Data", "Management"], "Data Management"),
        (["self-", "evaluation"], "self-evaluation"),
        (["IT", "运维服务"], "IT运维服务"),
        (["≥", "95%"], "≥95%"),
        (["", " 年度目标 ", ""], "年度目标"),
    ],
)
def test_wrapped_pieces_join_with_nothing_between_cjk_and_digits_and_a_space_between_words(
    pieces: list[str], joined: str
) -> None:
    assert join_wrapped(pieces) == joined


def test_a_code_wrapped_between_digits_reads_back_as_one_token() -> None:
    code = "11000021Y000000390843-信息系统运维类项目"
    assert len(fx.wrap(code, 75.0 - 2 * fx.PAD)) >= 3  # the fixture really wraps it, digits included
    rows = grid(read(fx.narrow_code_table()))
    assert rows[1][0] == (0, code, False)


@pytest.mark.parametrize("rotated", [False, True], ids=["upright", "turned-by-Rotate"])
def test_a_two_period_header_spans_the_columns_of_each_period(rotated: bool) -> None:
    source = read(fx.two_period_table(rotated))
    first = next(line for line in source.lines if line.cells)
    assert [(c.col, c.colspan, c.text) for c in first.cells or ()] == [
        (0, 1, "一级指标"),
        (1, 1, "二级指标"),
        (2, 2, "中期目标"),
        (4, 2, "年度目标"),
    ]
    rows = grid(source)
    assert rows[1][:2] == [(0, "", True), (1, "", True)]
    assert [text for _, text, _ in rows[2]] == [
        "产出指标",
        "数量指标",
        "培训人次",
        "≥3000人次",
        "培训人次",
        "≥1000人次",
    ]


def test_every_line_knows_its_page_and_its_line_within_the_page() -> None:
    source = read(fx.continued_table())
    pages = [line.page for line in source.lines]
    assert pages == sorted(pages) and set(pages) == {1, 2}
    for page in (1, 2):
        numbers = [line.page_line for line in source.lines if line.page == page]
        assert numbers == list(range(1, len(numbers) + 1))
    assert source.where(len(source.lines)) == (2, pages.count(2))


@pytest.mark.parametrize("repeat_header", [True, False])
def test_a_table_continued_on_the_next_page_is_a_new_grid_on_the_same_columns(repeat_header: bool) -> None:
    source = read(fx.continued_table(repeat_header))
    second = [line for line in source.lines if line.page == 2]
    if not repeat_header:
        assert "指标" not in "".join(line.text for line in second)  # read only because it continues a table
    grids = {line.page: line.grid for line in source.lines if line.cells}
    assert grids[1] != grids[2]
    assert ("续表" in plain(source)) == repeat_header
    rows = grid(source, page=2)
    assert rows[-2] == [(0, "", False), (1, "", False), (2, "施工安全事故数", False), (3, "0起", False)]
    assert (3, "≥2000平方米", False) in grid(source, page=1)[1]


def test_a_page_after_a_table_that_ends_high_on_its_page_is_left_to_the_text_pass() -> None:
    budget = fx.Table([120.0, 120.0], [["收入", "支出"], ["1,200.00", "1,150.00"]])
    short = fx.Table(fx.WIDE, [fx.INDICATOR_HEADER, ["产出指标", "数量指标", "培训人次", "≥300人次"]])
    source = read(fx.build_pdf([fx.Page(["示例项目绩效目标表", short]), fx.Page([budget])]))
    assert [line.cells is None for line in source.lines if line.page == 2] == [True, True]
    assert [line.text for line in source.lines if line.page == 2] == ["收入 支出", "1,200.00 1,150.00"]


def test_a_cell_cut_by_the_page_break_gives_each_page_only_what_it_prints() -> None:
    source = read(fx.cut_cell_table())
    assert plain(source) == ["物业服务项目绩效目标表"]  # the clipped-away text is nowhere
    first = grid(source, page=1)[1][0][1]
    rest = grid(source, page=2)[0][0][1]
    assert first and rest and first + rest == fx.CUT_CELL
    assert grid(source, page=2)[0][1:] == [(1, "安保巡查次数", False), (2, "≥2次/日", False)]


def test_a_department_table_is_extracted_end_to_end(tmp_path: Path) -> None:
    pdf = tmp_path / "部门整体.pdf"
    pdf.write_bytes(fx.department_table())
    out = tmp_path / "out.json"
    result = CliRunner().invoke(cli, ["extract", str(pdf), "-o", str(out)])
    assert result.exit_code == 0, result.output
    ((table,),) = [doc["tables"] for doc in json.loads(out.read_text(encoding="utf-8"))]
    assert (table["scope"], table["name"], table["page"]) == ("department", "示例市医疗保障局", 1)
    assert [(i["l1"], i["l2"], i["l3"], i["value"], i["page"]) for i in table["indicators"]] == [
        ("产出指标", "数量指标", "定点医药机构检查覆盖率", "100%", 1),
        ("产出指标", "时效指标", "医保待遇按时支付率", "≥98%", 1),
        ("满意度指标", "服务对象满意度指标", "参保群众满意度", "≥90%", 1),
    ]


def test_an_unruled_table_is_read_from_its_aligned_columns() -> None:
    source = read(fx.unruled_table())
    assert [[text for _, text, _ in row] for row in grid(source)] == fx.UNRULED_ROWS
    assert plain(source) == ["示例培训项目绩效目标表", "本表由示例单位编制。"]


def _line(top: float, *chunks: tuple[float, str]) -> TextLine:
    return TextLine(top, top + 9, [Chunk(text, x, x + 9 * len(text)) for x, text in chunks])


@pytest.mark.parametrize(
    ("tops", "rows"),
    [
        ([0, 11.25, 28, 45], [["产出指标", "培训班次及覆盖范围", "≥4次"], ["产出指标", "合格率", "≥95%"], ["效益指标", "能力提升", "明显"]]),
        ([0, 11.25, 22.5, 33.75], [["产出指标", "培训班次及", "≥4次"], ["", "覆盖范围", ""], ["产出指标", "合格率", "≥95%"], ["效益指标", "能力提升", "明显"]]),
    ],
    ids=["rows-set-apart-wrapped-line-joins", "one-pitch-every-line-a-row"],
)  # fmt: skip
def test_unruled_lines_join_into_a_row_only_where_rows_are_set_apart(
    tops: list[float], rows: list[list[str]]
) -> None:
    lines = [
        _line(tops[0], (0, "产出指标"), (100, "培训班次及"), (250, "≥4次")),
        _line(tops[1], (100, "覆盖范围")),
        _line(tops[2], (0, "产出指标"), (100, "合格率"), (250, "≥95%")),
        _line(tops[3], (0, "效益指标"), (100, "能力提升"), (250, "明显")),
    ]
    table = parse_unruled(lines)
    assert table is not None
    read_back = [["", "", ""] for _ in table.rows]
    for row, cells in zip(read_back, table.rows, strict=True):
        for cell in cells:
            row[cell.col] = cell.text
    assert read_back == rows


def test_prose_and_a_table_without_performance_words_stay_plain_text() -> None:
    budget = fx.Table([120.0, 120.0], [["收入", "支出"], ["1,200.00", "1,150.00"], ["结余", "50.00"]])
    prose = ["本部门主要职责是组织实施示例事务，", "推进示例工作高质量发展，完成年度各项任务。"]
    source = read(fx.build_pdf([fx.Page([*prose, budget])]))
    assert all(line.cells is None for line in source.lines)
    assert [line.text for line in source.lines] == [*prose, "收入 支出", "1,200.00 1,150.00", "结余 50.00"]


def test_a_scan_is_named_as_a_scan_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(fx.scanned_pdf(pages=3))
    with pytest.raises(ExtractError) as caught:
        read_source(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and "scanned PDF" in message and "OCR" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (fx.damaged_pdf(), "not a readable PDF"),
        (b"%PDF-1.4\nthis is not really a PDF", "not a readable PDF"),
        (fx.encrypted_pdf(), "encrypted PDF"),
    ],
    ids=["truncated", "garbage", "encrypted"],
)
def test_an_unreadable_pdf_is_one_line_naming_the_file(data: bytes, reason: str) -> None:
    with pytest.raises(ExtractError) as caught:
        source_from_bytes(data, "broken.pdf")
    assert str(caught.value).startswith("broken.pdf: ") and reason in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_pdf_damaged_anywhere_is_read_or_named_never_a_traceback() -> None:
    good = fx.continued_table()
    rng = random.Random(8)
    outcomes = set()
    for _ in range(40):
        data = bytearray(good)
        for _ in range(rng.choice([1, 8, 40])):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            cut = len(data) if rng.random() < 0.7 else rng.randrange(len(data) // 2, len(data))
            read(bytes(data[:cut]))
            outcomes.add("read")
        except ExtractError as e:
            assert str(e).startswith("table.pdf: ") and "\n" not in str(e)
            outcomes.add("named")
    assert outcomes == {"read", "named"}


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        (Limits(max_pages=1), "too many pages (2; limit 1)"),
        (Limits(max_cols=3), "page 1: a table row of 4 columns (limit 3)"),
        (Limits(max_rows=5), "page 2: more than 5 table rows"),
        (Limits(max_field_chars=6), "page 1: a cell of 8 characters (limit 6)"),
    ],
)
def test_a_pdf_over_a_limit_is_refused_naming_the_page(limits: Limits, message: str) -> None:
    with pytest.raises(ExtractError, match=re.escape(f"table.pdf: {message}")):
        read(fx.continued_table(), limits)


def test_a_folder_of_pdfs_reads_the_good_ones_and_names_the_bad(tmp_path: Path) -> None:
    (tmp_path / "a_good.pdf").write_bytes(fx.merged_project_table())
    (tmp_path / "b_scan.pdf").write_bytes(fx.scanned_pdf())
    (tmp_path / "c_cut.pdf").write_bytes(fx.damaged_pdf())
    out = tmp_path / "out.json"
    result = CliRunner().invoke(cli, ["extract", str(tmp_path), "-o", str(out)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "b_scan.pdf: no text layer" in result.output and "c_cut.pdf: not a readable PDF" in result.output
    (doc,) = json.loads(out.read_text(encoding="utf-8"))
    assert doc["source"] == "a_good.pdf" and len(doc["tables"][0]["indicators"]) == 4


def _norm(text: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def _holds(texts: list[str], wanted: str | None) -> bool:
    """Is ``wanted`` one cell, or adjacent cells read together (sign, number and unit split)?"""
    if wanted is None:
        return True
    target = _norm(wanted)
    for start in range(len(texts)):
        joined = ""
        for text in texts[start:]:
            joined += text
            if joined == target:
                return True
            if not target.startswith(joined):
                break
    return False


@pytest.mark.seeds
@pytest.mark.parametrize("name", ["rf_05_beijing_tuiyi-junren-shiwu-ju_2026", "rf_06_guangzhou_zhengwu-shuju-ju_2026", "rf_07_guojia_xinfang-ju_2024"])  # fmt: skip
def test_every_gold_row_of_a_real_pdf_is_a_grid_row_on_its_page_in_order(shared_dir: Path, name: str) -> None:
    folder = shared_dir / "realworld" / "pdf"
    if not (folder / "gold" / f"{name}.json").is_file():
        pytest.skip(f"{folder} (real PDFs with gold) is absent")
    gold = json.loads((folder / "gold" / f"{name}.json").read_text(encoding="utf-8"))
    rows = [
        (line.page, [_norm(c.text) for c in line.cells if not c.merged])
        for line in read_source(folder / f"{name}.pdf").lines
        if line.cells is not None
    ]
    at = 0
    for table in gold["tables"]:
        for ind in table["indicators"]:
            # a 绩效指标 cell may print L1, L2 and L3 run together, as the PDF does on one form
            labels = {_norm(ind["l3"]), _norm((ind["l1"] or "") + (ind["l2"] or "") + ind["l3"])}
            found = next(
                (
                    i
                    for i in range(at, len(rows))
                    if rows[i][0] == ind["page"]
                    and labels & set(rows[i][1])
                    and _holds(rows[i][1], ind["value"])
                    and _holds(rows[i][1], ind.get("actual"))
                ),
                None,
            )
            assert found is not None, f"page {ind['page']}: {ind['l3']} {ind['value']} {ind.get('actual')}"
            at = found
