"""``kg build``: documents → named graphs in the persistent store, incrementally."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import click

from extract import ExtractError, document_paths, read_document
from extract.cellsafe import printable
from kg.commands.extract import document_keys
from kg.freshness import refresh_analyses
from kg.store import BuildEvent, StoreError, build_store, store_lock

__all__ = ["command", "export_paths", "read_document_export"]


def read_document_export(path: Path) -> Iterator[dict[str, Any] | Exception]:
    """Document records from an extraction export.

    ``.jsonl``: one document per line.  ``.json``: one document, a list of documents, or an
    object whose ``documents`` key holds that list.
    """
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    yield _document(json.loads(line), f"{path}:{number}")
                except ValueError as exc:
                    yield exc
        return
    try:
        data = json.loads(text)
    except ValueError as exc:
        yield ValueError(f"{path}: not JSON ({exc})")
        return
    if isinstance(data, dict) and isinstance(data.get("documents"), list):
        data = data["documents"]
    items = data if isinstance(data, list) else [data]
    for index, item in enumerate(items):
        try:
            yield _document(item, f"{path}[{index}]")
        except ValueError as exc:
            yield exc


def _document(item: object, where: str) -> dict[str, Any]:
    if not isinstance(item, dict) or not isinstance(item.get("tables"), list) or "source" not in item:
        raise ValueError(f"{where}: not a document record (needs 'source' and 'tables')")
    return item


def _extractor(keys: dict[Path, str]) -> Callable[[Path], Iterator[dict[str, Any] | Exception]]:
    """A loader reading each source file under its key (the vagueness verdicts included)."""
    from kg.commands.extract import annotate

    def load(path: Path) -> Iterator[dict[str, Any] | Exception]:
        try:
            yield annotate(read_document(path, keys[path])).to_dict()
        except ExtractError as exc:
            yield exc

    return load


def export_paths(paths: Iterable[Path]) -> list[Path]:
    """Export files named, plus the ``.json``/``.jsonl`` files inside folders named (sorted)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = (p for p in path.rglob("*") if p.is_file() and p.suffix in (".json", ".jsonl"))
            files.extend(sorted(p for p in found if not p.name.startswith(".")))
        else:
            files.append(path)
    return files


def _echo_event(event: BuildEvent) -> None:
    what = event.graph or event.source
    extra = f" ({event.triples} triples)" if event.triples and event.action != "skipped" else ""
    detail = f" — {event.detail}" if event.detail else ""
    err = event.action == "failed"
    click.echo(printable(f"{event.action:8} {what}{extra}{detail}"), err=err)


@click.command(
    epilog="""\b
Examples:
  kg build seeds/ --store kg-store            # extract every source under seeds/
  kg build exports/ --from-json --store kg-store --prune
"""
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--store", "store_dir", required=True, type=click.Path(path_type=Path), help="Store directory.")
@click.option("--from-json", is_flag=True, help="PATHs are extraction exports (.json / .jsonl), not sources.")
@click.option("--prune", is_flag=True, help="Also drop documents that do not come from these PATHs.")
@click.option("--force", is_flag=True, help="Rebuild every document, changed or not.")
@click.option(
    "--analyse/--no-analyse",
    default=True,
    show_default=True,
    help="After the build, rerun the quality rules and reuse analysis if they no longer match the "
    "store's documents (they span documents; on ~700 documents this takes 2–3 minutes: --no-analyse "
    "defers it to `kg analyse`, or to the next command that reads them).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only failures and the summary.")
def command(
    paths: tuple[Path, ...],
    store_dir: Path,
    from_json: bool,
    prune: bool,
    force: bool,
    analyse: bool,
    quiet: bool,
) -> None:
    """Build or update the graph store from documents, one named graph per document.

    Incremental: a document whose source file is unchanged is skipped without being read; a
    changed one replaces its named graph; a document is dropped when its source file no longer
    exists, or when a rebuilt source no longer yields it.  Building from a subset of the
    sources keeps the others, unless --prune is given: then the store holds exactly the
    documents of these PATHs.  The store changes all at once when the build ends; an
    interrupted build leaves it as it was.  A source that fails to extract keeps its previous
    graph and makes the exit status 1.
    """
    files = export_paths(paths) if from_json else document_paths(paths)
    if not files:
        raise click.UsageError("no input files among PATHS")
    exports = [f for f in files if f.suffix in (".json", ".jsonl")]
    if exports and not from_json:
        raise click.UsageError(f"{exports[0]} looks like an extraction export: build it with --from-json")
    keys = None if from_json else document_keys(files)
    load = read_document_export if from_json else _extractor(keys or {})
    on_event = (lambda e: _echo_event(e) if e.action == "failed" else None) if quiet else _echo_event
    try:
        # one lock over the documents and the analyses derived from them: no other build can
        # slip its documents in between
        with store_lock(store_dir):
            report = build_store(
                store_dir, files, load, prune=prune, force=force, on_event=on_event, names=keys
            )
            counts = ", ".join(f"{n} {action}" for action, n in report.summary().items())
            state = "updated" if report.committed else "unchanged"
            click.echo(f"{counts}; store {state}: {report.store_triples} triples in {store_dir}")
            # checked even when nothing changed: a build killed before its analyses left them stale
            analysis = refresh_analyses(store_dir) if analyse else None
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    if analysis is not None:
        click.echo(f"analyses rerun: {len(analysis.findings)} findings, {len(analysis.templates)} templates")
    if report.count("failed"):
        sys.exit(1)
