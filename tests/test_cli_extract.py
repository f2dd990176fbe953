"""``kg extract`` through click's runner."""

from __future__ import annotations

import csv
import gc
import io
import json
from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli
from kg.commands.extract import batch_collection, settle

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TABLE = "项目支出绩效目标表\n项目名称 甲\n一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t培训次数\t=1次\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_extract_a_folder_to_json_with_a_summary_per_document(tmp_path: Path) -> None:
    out = tmp_path / "rows.json"
    code, _, err = run("extract", str(EXAMPLES), "-o", str(out))
    assert code == 0
    docs = json.loads(out.read_text(encoding="utf-8"))
    assert len(docs) == len(list(EXAMPLES.iterdir()))
    assert "示例市医疗保障局_2021.txt: 2 tables, 17 indicators, 0 unparsed lines" in err
    target = docs[0]["tables"][0]["indicators"][0]["target"]
    assert set(target) >= {"kind", "comparator", "number", "unit", "date", "vague", "vague_terms"}


def test_csv_has_one_row_per_indicator_with_table_fields_repeated(tmp_path: Path) -> None:
    out = tmp_path / "rows.csv"
    code, _, _ = run("extract", str(EXAMPLES / "示例市医疗保障局_2021.txt"), "-o", str(out))
    assert code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM for Chinese
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 17
    assert {r["name"] for r in rows} == {"医保政策宣传", "医保基金监管"}
    vague = [r for r in rows if r["value"] == "按计划完成"]
    assert vague and vague[0]["vague"] == "True" and "按计划" in vague[0]["vague_terms"]


def test_jsonl_is_one_document_per_line(tmp_path: Path) -> None:
    out = tmp_path / "rows.jsonl"
    run("extract", str(EXAMPLES), "-o", str(out), "--format", "jsonl", "-q")
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(list(EXAMPLES.iterdir()))


def test_bad_files_are_named_and_the_rest_still_processed(tmp_path: Path) -> None:
    (tmp_path / "a_good.txt").write_text(TABLE, encoding="utf-8")
    (tmp_path / "b_fake.txt").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    (tmp_path / "c_empty.txt").write_bytes(b"")
    (tmp_path / "d_gbk.txt").write_bytes(TABLE.encode("gb18030"))
    out = tmp_path / "out.json"
    code, _, err = run("extract", str(tmp_path), "-o", str(out))
    assert code == 1
    # read as the PDF it is, whatever its name: the PDF reader names the damage
    assert any(
        "b_fake.txt" in line and "PDF" in line for line in err.splitlines() if line.startswith("error:")
    )
    assert "c_empty.txt: empty file" in err
    docs = json.loads(out.read_text(encoding="utf-8"))
    assert [d["source"] for d in docs] == ["a_good.txt", "d_gbk.txt"]
    assert docs[1]["encoding"] == "gb18030" and docs[1]["tables"][0]["indicators"][0]["l3"] == "培训次数"


def test_a_document_with_no_table_is_reported_not_an_error(tmp_path: Path) -> None:
    (tmp_path / "prose.txt").write_text("某市财政局2021年部门预算\n说明文字。\n", encoding="utf-8")
    code, _, err = run("extract", str(tmp_path / "prose.txt"), "-o", str(tmp_path / "o.json"))
    assert code == 0 and "prose.txt: no performance-target table found" in err


def test_parallel_jobs_give_the_same_records(tmp_path: Path) -> None:
    run("extract", str(EXAMPLES), "-o", str(tmp_path / "one.json"), "-q")
    run("extract", str(EXAMPLES), "-o", str(tmp_path / "two.json"), "-q", "--jobs", "2")
    assert (tmp_path / "one.json").read_text(encoding="utf-8") == (tmp_path / "two.json").read_text(
        encoding="utf-8"
    )


def test_help_shows_an_example() -> None:
    code, out, _ = run("extract", "--help")
    assert code == 0 and "Example:" in out and "kg extract" in out


def test_xlsx_is_a_workbook_with_one_row_per_indicator(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "rows.xlsx"
    code, _, _ = run("extract", str(EXAMPLES / "示例市医疗保障局_2021.txt"), "-o", str(out), "-q")
    assert code == 0
    sheet = load_workbook(out).active
    assert sheet is not None and sheet.max_row == 18
    header = [c.value for c in sheet[1]]
    assert header.index("l3") == header.index("l2") + 1 and "actual" in header


def test_a_batch_collects_garbage_less_often_and_restores_the_collector_after() -> None:
    before = gc.get_threshold()
    with batch_collection():
        assert gc.get_threshold()[0] >= 50_000
        assert gc.get_threshold()[1:] == before[1:]
        settle()  # what a read document keeps is set aside from later collections …
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0  # … and given back to the collector when the batch ends
