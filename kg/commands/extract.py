"""``kg extract``: documents → table records (JSON, JSON Lines or CSV)."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from extract import Document, ExtractError, document_paths, read_document, write_documents
from extract.atomic import write_text_atomic
from extract.cellsafe import printable
from extract.keys import generate_document_keys
from kg.outputs import check_output

__all__ = [
    "annotate",
    "batch_collection",
    "command",
    "document_keys",
    "extract_documents",
    "settle",
    "summary_line",
]


def _read(path_and_key: tuple[Path, str]) -> Document | ExtractError:
    path, key = path_and_key
    try:
        return annotate(read_document(path, key))
    except ExtractError as e:
        return e


# Extraction allocates millions of short-lived objects beside a large long-lived heap (the
# lexicons, the framework, the caches, the documents read so far): at the default gen-0
# threshold of 700 the collector rescans that heap often enough to cost ~8 % of the time.
_BATCH_GC_THRESHOLD = 50_000


def _collect_less() -> None:
    gen0, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(max(gen0, _BATCH_GC_THRESHOLD), gen1, gen2)


@contextmanager
def batch_collection() -> Iterator[None]:
    """Collect garbage less often while a batch of documents is read; afterwards the thresholds
    are restored and what :func:`settle` set aside is handed back to the collector."""
    old = gc.get_threshold()
    _collect_less()
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()


def settle() -> None:
    """A document read: its garbage collected, what it keeps set aside from later collections
    (the documents read so far only grow, and rescanning them is what makes a long batch slow)."""
    gc.collect(1)
    gc.freeze()


@lru_cache(maxsize=1 << 16)
def _verdict(value: str | None, year: int | None, name: str | None) -> tuple[bool, tuple[str, ...]]:
    # the target is a function of the value (and year), so they key the verdict with the name
    # that may qualify it; tables repeat rows so much that this halves extraction time
    from extract import parse_target
    from kg.vague import classify_target

    verdict = classify_target(value, parse_target(value, default_year=year), name)
    return verdict.vague, tuple(verdict.terms)


def annotate(doc: Document) -> Document:
    """Add the vagueness verdict to every parsed target (spaCy lives in ``kg``, not ``extract``)."""
    for table in doc.tables:
        for ind in table.indicators:
            if ind.target is not None:
                vague, terms = _verdict(ind.value, doc.budget_year, ind.l3)
                ind.target.vague = vague
                ind.target.vague_terms = list(terms)
    return doc


def extract_documents(
    paths: list[Path], jobs: int = 1, progress: bool = False
) -> list[tuple[Path, Document | ExtractError]]:
    """Read every path (in parallel when ``jobs`` > 1), keeping input order.

    Each document's ``source`` is its key (:mod:`extract.keys`): the file name, or a tail of
    its path where two inputs share a name.
    """
    bar = tqdm(total=len(paths), unit="doc", disable=not progress, file=sys.stderr)
    results: list[tuple[Path, Document | ExtractError]] = []
    keys = document_keys(paths)
    work = [(path, keys[path]) for path in paths]
    if jobs > 1 and len(paths) > 1:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_collect_less) as pool:
            for path, result in zip(paths, pool.map(_read, work, chunksize=4), strict=True):
                results.append((path, result))
                bar.update()
    else:
        with batch_collection():
            for item in work:
                results.append((item[0], _read(item)))
                settle()
                bar.update()
    bar.close()
    return results


def explain_paths(paths: list[Path], output: Path | None) -> None:
    """``--explain``: each document's tables line by line, printed or written as one web page."""
    from extract.explain import explain_source, render_html, render_text
    from extract.readers import read_source

    texts: list[str] = []
    pages: list[str] = []
    failed = 0
    files = document_paths(paths)
    if output is not None:
        check_output(output, inputs=files)
    for path in files:
        try:
            source = read_source(path)
        except ExtractError as e:
            failed += 1
            click.echo(f"error: {printable(str(e))}", err=True)
            continue
        tables = explain_source(source)
        if output is None:
            click.echo(render_text(path.name, tables))
        else:
            texts.append(render_text(path.name, tables))
            pages.append(render_html(path.name, tables))
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        body = "\n".join(pages) if output.suffix.lower() in (".html", ".htm") else "\n".join(texts)
        write_text_atomic(output, body)
        click.echo(f"wrote {output}", err=True)
    if failed:
        sys.exit(1)


def document_keys(paths: list[Path]) -> dict[Path, str]:
    """The key of each path as given (keys are worked out on the resolved paths)."""
    resolved = {path: path.resolve() for path in paths}
    keys = generate_document_keys(resolved.values())
    return {path: keys[full] for path, full in resolved.items()}


def summary_line(doc: Document) -> str:
    if not doc.tables:
        return f"{doc.source}: no performance-target table found"
    indicators = sum(len(t.indicators) for t in doc.tables)
    unparsed = sum(len(t.unparsed) for t in doc.tables)
    return (
        f"{doc.source}: {len(doc.tables)} tables, {indicators} indicators, {unparsed} unparsed lines"
        f" ({doc.department or 'department unknown'}, {doc.budget_year or 'year unknown'})"
    )


@click.command(name="extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o", "--output", "output", type=click.Path(path_type=Path),
    help="File to write (required unless --explain prints to the terminal).",
)  # fmt: skip
@click.option(
    "--format", "fmt", type=click.Choice(["json", "jsonl", "csv", "xlsx"]), default=None,
    help="Output format (default: from the output suffix, else json).",
)  # fmt: skip
@click.option("-j", "--jobs", type=int, default=1, show_default=True, help="Documents read in parallel.")
@click.option("-q", "--quiet", is_flag=True, help="No per-document summary.")
@click.option(
    "--explain", is_flag=True,
    help="Show how each table was read: every line, the role each cell got, why a line went to unparsed "
    "(printed, or as a web page with -o FILE.html).",
)  # fmt: skip
def command(
    paths: tuple[Path, ...], output: Path | None, fmt: str | None, jobs: int, quiet: bool, explain: bool
) -> None:
    """Extract every performance-target table (绩效目标表) of PATHS (files or folders).

    Writes one record per document: its tables with header fields, funding (万元),
    goals, indicators with parsed targets, and every table line that became nothing
    (``unparsed``).  A file that cannot be read is reported on stderr and the others
    still processed; the exit code is then 1.

    \b
    Example:
      kg extract disclosures/ -o indicators.csv
      kg extract 2021_budget.txt -o tables.json --format json
      kg extract 2021_budget.pdf --explain            # how every line was read
      kg extract 2021_budget.pdf --explain -o why.html
    """
    if explain:
        explain_paths(list(paths), output)
        return
    if output is None:
        raise click.UsageError("-o/--output is required (or use --explain)")
    fmt = fmt or {".csv": "csv", ".jsonl": "jsonl", ".xlsx": "xlsx"}.get(output.suffix.lower(), "json")
    files = document_paths(paths)
    check_output(output, inputs=files)
    results = extract_documents(files, jobs=jobs, progress=len(files) > 1 and not quiet)
    docs: list[dict[str, Any]] = []
    failed = 0
    for _, result in results:
        if isinstance(result, ExtractError):
            failed += 1
            click.echo(f"error: {printable(str(result))}", err=True)
            continue
        docs.append(result.to_dict())
        if not quiet:
            click.echo(summary_line(result), err=True)
    output.parent.mkdir(parents=True, exist_ok=True)
    write_documents(docs, output, fmt)
    if not quiet:
        tables = sum(len(d["tables"]) for d in docs)
        rows = sum(len(t["indicators"]) for d in docs for t in d["tables"])
        click.echo(f"wrote {output}: {len(docs)} documents, {tables} tables, {rows} indicators", err=True)
    if failed:
        sys.exit(1)
