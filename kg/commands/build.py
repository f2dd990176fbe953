"""``kg build``: documents → named graphs in the persistent store, incrementally."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import click

from extract import document_paths, extract_paths
from kg.store import BuildEvent, StoreError, build_store

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


def _extracted(path: Path) -> Iterator[dict[str, Any] | Exception]:
    from kg.commands.extract import annotate  # the vagueness verdicts belong in the graph too

    for _path, result in extract_paths([path]):
        yield result if isinstance(result, Exception) else annotate(result).to_dict()


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
    click.echo(f"{event.action:8} {what}{extra}{detail}", err=err)


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
    help="After a build that changed the store, rerun the quality rules and reuse analysis on it "
    "(they span documents; on ~700 documents this takes 2–3 minutes: --no-analyse defers it to `kg analyse`).",
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
    load = read_document_export if from_json else _extracted
    on_event = (lambda e: _echo_event(e) if e.action == "failed" else None) if quiet else _echo_event
    try:
        report = build_store(store_dir, files, load, prune=prune, force=force, on_event=on_event)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    counts = ", ".join(f"{n} {action}" for action, n in report.summary().items())
    state = "updated" if report.committed else "unchanged"
    click.echo(f"{counts}; store {state}: {report.store_triples} triples in {store_dir}")
    if analyse and report.committed:
        # the analyses span documents: any change makes the written-back findings and templates stale
        from kg.analysis import analyse as run_analyses
        from kg.analysis import write_analysis
        from kg.reuse.store import read_store_documents
        from kg.store import open_store

        analysis = run_analyses(read_store_documents(open_store(store_dir)))
        written = write_analysis(store_dir, analysis)
        click.echo(
            f"analyses rerun: {len(analysis.findings)} findings, {len(analysis.templates)} templates ({written} triples)"
        )
    if report.count("failed"):
        sys.exit(1)
