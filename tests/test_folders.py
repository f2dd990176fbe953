"""Every file in a folder is read or named with the reason; `kg extract` and `kg run` on a mixed folder."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from render import SPEC, render

from extract import document_paths
from extract.errors import ExtractError
from extract.io import read_document
from extract.readers import READERS
from kg.cli import cli


def test_every_file_is_listed_whatever_its_suffix_and_hidden_ones_are_not(tmp_path: Path) -> None:
    for name in ("a.txt", "b.png", "c.zip", "d.unknown", "sub/e.docx", ".hidden.txt", ".git/config"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    found = [p.relative_to(tmp_path).as_posix() for p in document_paths([tmp_path])]
    assert found == ["a.txt", "b.png", "c.zip", "d.unknown", "sub/e.docx"]


def test_a_folder_deeper_than_the_recursion_limit_is_walked(tmp_path: Path) -> None:
    deep = tmp_path
    for _ in range(1100):  # rglob and os.walk recurse once per level
        deep = deep / "d"
        deep.mkdir()
    (deep / "t.txt").write_text("x", encoding="utf-8")
    try:
        assert document_paths([tmp_path]) == [deep / "t.txt"]
    finally:
        # shutil.rmtree (pytest's clean-up) recurses once per level too: take it down leaf first
        (deep / "t.txt").unlink()
        while deep != tmp_path:
            deep.rmdir()
            deep = deep.parent


def test_an_unreadable_sub_folder_is_named_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "ok.txt").write_text("x", encoding="utf-8")
    real_scandir, real_listdir = os.scandir, os.listdir

    def refuse(path: str | os.PathLike[str]) -> object:
        # the tests run as root, whom chmod does not stop: refuse the way the OS would
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    def refuse_list(path: str | os.PathLike[str]) -> list[str]:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_listdir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    monkeypatch.setattr(os, "listdir", refuse_list)
    found = document_paths([tmp_path])
    assert found == [tmp_path / "ok.txt", tmp_path / "locked"]
    with pytest.raises(ExtractError, match=r"locked: a folder that cannot be read \(Permission denied\)$"):
        read_document(tmp_path / "locked")


def test_a_link_to_a_folder_is_named_not_followed(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "t.txt").write_text("x", encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    found = document_paths([tmp_path])
    assert found == [tmp_path / "loop", tmp_path / "real" / "t.txt"]
    with pytest.raises(ExtractError, match="loop: a link to a folder, not followed"):
        read_document(tmp_path / "loop")


def mixed_folder(folder: Path) -> dict[str, str]:
    """Every readable format plus an image and a zip; returns the unreadable files and what names them."""
    for fmt, suffix in (
        ("txt", ".txt"),
        ("html", ".html"),
        ("docx", ".docx"),
        ("xlsx", ".xlsx"),
        ("xls", ".xls"),
        ("pdf", ".pdf"),
    ):
        (folder / f"table{suffix}").write_bytes(render(SPEC, fmt))
    (folder / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("inside.txt", "x")
    (folder / "bundle.zip").write_bytes(buf.getvalue())
    bad = {"scan.png": "not a document (a PNG image)", "bundle.zip": "not a document (a ZIP archive"}
    if ".pdf" not in READERS:
        bad["table.pdf"] = "not readable here (PDF bytes; no reader for .pdf files is installed)"
    return bad


def test_kg_extract_reads_every_readable_file_of_a_mixed_folder_and_names_the_rest(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    bad = mixed_folder(tmp_path / "in")
    result = CliRunner().invoke(cli, ["extract", str(tmp_path / "in"), "-o", str(tmp_path / "out.json")])
    assert (result.exit_code == 1 and result.exception is None) or isinstance(result.exception, SystemExit)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == len(bad)
    for name, says in bad.items():
        assert any(f"{name}: {says}" in line for line in errors)
    docs = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    readable = sorted(p.name for p in (tmp_path / "in").iterdir() if p.name not in bad)
    assert sorted(d["source"] for d in docs) == readable
    assert all(len(d["tables"][0]["indicators"]) == len(SPEC.rows) for d in docs)


def test_kg_run_on_a_mixed_folder_processes_every_readable_file(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    bad = mixed_folder(tmp_path / "in")
    result = CliRunner().invoke(cli, ["run", str(tmp_path / "in"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stderr
    docs = json.loads((tmp_path / "out" / "indicators.json").read_text(encoding="utf-8"))
    assert len(docs) == len(list((tmp_path / "in").iterdir())) - len(bad)
    assert (tmp_path / "out" / "report.html").is_file()


def test_kg_run_ends_cleanly_when_no_table_is_found_at_all(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "prose.txt").write_text("某市财政局2021年部门预算\n说明文字。\n", encoding="utf-8")
    (tmp_path / "in" / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 32)
    result = CliRunner().invoke(cli, ["run", str(tmp_path / "in"), "-o", str(tmp_path / "out")])
    assert isinstance(result.exception, SystemExit) and result.exit_code == 1  # the photo is named
    assert "photo.jpg: not a document (a JPEG image)" in result.stderr
    assert "1 documents, 0 tables" in result.stdout and (tmp_path / "out" / "report.html").is_file()
