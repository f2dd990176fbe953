"""`kg extract --explain`: how every line of a table was read."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from extract.explain import explain_source
from extract.source import text_source
from kg.cli import cli

PAGE = """示例县教育局项目支出绩效目标表
项目名称\t校舍维修
一级指标\t二级指标\t三级指标\t指标值
产出指标\t数量指标\t维修校舍面积\t≥1200平方米
\t\t附注文字\t甲\t乙\t丙\t丁
\t时效指标\t完工时间\t2024年10月底前
"""


def test_every_line_of_a_table_says_what_it_was_taken_as() -> None:
    (table,) = explain_source(text_source(PAGE, "page.txt"))
    taken = {item.line: item.taken_as for item in table.lines}
    assert taken == {1: "title", 2: "header field", 3: "column header", 4: "row", 5: "row", 6: "row"}
    assert [r for _, r, _ in table.columns] == ["L1", "L2", "L3", "value"]


def test_each_cell_shows_its_role_and_cells_that_fit_nowhere_say_so() -> None:
    (table,) = explain_source(text_source(PAGE, "page.txt"))
    rows = {item.line: item.cells for item in table.lines}
    assert rows[4] == [
        ("产出指标", "L1"),
        ("数量指标", "L2"),
        ("维修校舍面积", "L3"),
        ("≥1200平方米", "value"),
    ]
    assert ("完工时间", "L3") in rows[6] and ("2024年10月底前", "value") in rows[6]
    assert any(role == "fits no column" for _, role in rows[5])


def test_explain_prints_each_table_line_by_line(tmp_path: Path) -> None:
    doc = tmp_path / "page.txt"
    doc.write_text(PAGE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(doc), "--explain"])
    assert result.exit_code == 0
    assert "table 1: lines 1-6, target, project" in result.stdout
    assert "[L3] 维修校舍面积  [value] ≥1200平方米" in result.stdout


def test_explain_writes_a_self_contained_web_page(tmp_path: Path) -> None:
    doc, out = tmp_path / "page.txt", tmp_path / "why.html"
    doc.write_text(PAGE.replace("校舍维修", "<script>alert(1)</script>"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(doc), "--explain", "-o", str(out)])
    assert result.exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "default-src 'none'" in page and "<script>" not in page
    assert "维修校舍面积" in page and "L3" in page


def test_without_explain_an_output_file_is_required(tmp_path: Path) -> None:
    doc = tmp_path / "page.txt"
    doc.write_text(PAGE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(doc)])
    assert result.exit_code == 2 and "-o/--output is required" in result.output
