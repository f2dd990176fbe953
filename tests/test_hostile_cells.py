"""Spreadsheet and CSV outputs open safely: no formula runs, no control character crashes a writer."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from extract.cellsafe import csv_cell, is_formula_like, printable
from extract.io import write_documents
from kg.cli import cli
from kg.sparql import QueryResult, format_result

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
HOSTILE = "=cmd|' /C calc'!A0"
LINK = '=HYPERLINK("http://127.0.0.1/x","点击")'
TABLE = (
    "项目支出绩效目标表\n项目名称 甲项目\n一级指标\t二级指标\t三级指标\t指标值\n"
    f"产出指标\t数量指标\t{HOSTILE}\t=100%\n"
    f"产出指标\t质量指标\t{LINK}\t@SUM(A1)\n"
    "效益指标\t社会效益指标\t满意度\t-5%\n"
)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("value", "formula"),
    [
        ("=100%", True),
        ("=12次", True),
        ("+86 10 1234", True),
        ("-5%以上", True),
        ("@SUM(A1)", True),
        ("\t=1", True),
        ("-5%", False),
        ("+3", False),
        ("-0.5", False),
        ("-1,200", False),
        ("-", False),
        ("≥90%", False),
        ("", False),
    ],
)
def test_only_cells_a_spreadsheet_would_evaluate_count_as_formulas(value: str, formula: bool) -> None:
    assert is_formula_like(value) is formula
    assert csv_cell(value) == ("'" + value if formula else value)


def test_control_characters_and_lone_surrogates_become_visible_stand_ins() -> None:
    assert printable("a\x1bb\x07c\x00\x7f") == "a\u241bb\u2407c\u2400\u2421"
    assert printable("名\udcff称") == "名\ufffd称"
    assert printable("换行\n与\t制表") == "换行\n与\t制表"  # cells may hold these


def _doc(source: str = "hostile.txt") -> dict[str, Any]:
    rows = [(HOSTILE, "=100%"), (LINK, "=8万元"), ("说明\x1b[2J", "-5%")]
    return {
        "source": source,
        "tables": [
            {
                "line": 1,
                "scope": "project",
                "name": "甲",
                "indicators": [
                    {"l3": l3, "value": value, "line": i} for i, (l3, value) in enumerate(rows, 2)
                ],
            }
        ],
    }


def test_workbook_keeps_formula_like_text_as_text_exactly_as_written(tmp_path: Path) -> None:
    out = tmp_path / "rows.xlsx"
    write_documents([_doc("名\x1b称.txt")], out, "xlsx")
    sheet = load_workbook(out).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    cells = [{h: c for h, c in zip(header, row, strict=True)} for row in sheet.iter_rows(min_row=2)]
    assert [c["l3"].value for c in cells] == [HOSTILE, LINK, "说明\u241b[2J"]
    assert [c["value"].value for c in cells] == ["=100%", "=8万元", "-5%"]
    assert all(c["l3"].data_type == "s" and c["value"].data_type == "s" for c in cells)
    assert cells[0]["value"].quotePrefix and not cells[2]["value"].quotePrefix
    assert cells[0]["source"].value == "名\u241b称.txt"


def test_csv_prefixes_formula_like_cells_and_leaves_numbers_readable(tmp_path: Path) -> None:
    out = tmp_path / "rows.csv"
    write_documents([_doc()], out, "csv")
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [r["l3"] for r in rows] == ["'" + HOSTILE, "'" + LINK, "说明\u241b[2J"]
    assert [r["value"] for r in rows] == ["'=100%", "'=8万元", "-5%"]


def test_json_keeps_every_value_untouched(tmp_path: Path) -> None:
    out = tmp_path / "rows.json"
    write_documents([_doc()], out, "json")
    assert json.loads(out.read_text(encoding="utf-8"))[0] == _doc()


def test_kg_run_survives_control_characters_in_fields_and_file_names(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "响铃\x07文件.txt").write_text(TABLE, encoding="utf-8")
    shutil.copy(EXAMPLES / "示例市医疗保障局_2021.txt", src / "示例市医疗保障局_2021.txt")
    code, output = run("run", str(src), "-o", str(tmp_path / "out"))
    assert code == 0, output
    sheet = load_workbook(tmp_path / "out" / "indicators.xlsx").active
    assert sheet is not None
    texts = {c.value for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)}
    assert {"响铃\u2407文件.txt", HOSTILE, LINK, "@SUM(A1)"} <= texts
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)  # no formula anywhere
    rows = (tmp_path / "out" / "indicators.csv").read_text(encoding="utf-8-sig")
    assert "'" + HOSTILE in rows and "'@SUM(A1)" in rows


def test_bundled_example_targets_read_back_from_the_workbook_as_written(tmp_path: Path) -> None:
    example = EXAMPLES / "示例市医疗保障局_2021.txt"
    assert run("extract", str(example), "-o", str(tmp_path / "rows.json"), "-q")[0] == 0
    assert run("extract", str(example), "-o", str(tmp_path / "rows.xlsx"), "-q")[0] == 0
    docs = json.loads((tmp_path / "rows.json").read_text(encoding="utf-8"))
    written = [i["value"] for t in docs[0]["tables"] for i in t["indicators"]]
    assert {"=100%", "=12次", "=8万元"} <= set(written)
    sheet = load_workbook(tmp_path / "rows.xlsx").active
    assert sheet is not None
    column = [c.value for c in sheet[1]].index("value")
    assert [row[column].value for row in sheet.iter_rows(min_row=2)] == written


def test_report_csv_and_workbook_sanitise_their_cells(tmp_path: Path) -> None:
    export = tmp_path / "docs.json"
    write_documents([_doc()], export, "json")
    assert run("report", str(export), "-o", str(tmp_path / "findings.csv"))[0] == 0
    assert run("report", str(export), "-o", str(tmp_path / "report.xlsx"))[0] == 0
    cells = [
        c for row in csv.reader(io.StringIO((tmp_path / "findings.csv").read_text("utf-8-sig"))) for c in row
    ]
    assert not [c for c in cells if c[:1] in ("=", "+", "@") or (c[:1] == "-" and is_formula_like(c))]
    book = load_workbook(tmp_path / "report.xlsx")
    values = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert any(c.value == HOSTILE for c in values)
    assert not any(c.data_type == "f" for c in values)


def test_query_csv_output_is_safe_to_open_in_a_spreadsheet() -> None:
    result = QueryResult(
        "select",
        variables=["label", "n"],
        rows=[
            (
                ox.Literal(HOSTILE),
                ox.Literal("-5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
            )
        ],
    )
    rows = list(csv.reader(io.StringIO(format_result(result, "csv"))))
    assert rows == [["label", "n"], ["'" + HOSTILE, "-5"]]
    table = format_result(QueryResult("select", variables=["x"], rows=[(ox.Literal("a\x1b[2Jb"),)]), "table")
    assert "\x1b" not in table and "a\u241b[2Jb" in table
