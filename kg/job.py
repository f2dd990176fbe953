"""The main job, end to end: documents → records → store → analyses → report, graph view, tables.

``run_job`` is what ``kg run`` does; each step is the same library call the single-step
commands make, so ``kg run`` and ``kg extract`` + ``kg build`` + ``kg report`` + ``kg viz``
give the same outputs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extract import Document, ExtractError, document_paths, write_documents
from extract.atomic import write_bytes_atomic, write_text_atomic
from kg.analysis import Analysis, AnalysisOptions, analyse, write_analysis
from kg.commands.extract import extract_documents
from kg.findings import findings_to_dicts
from kg.freshness import refresh_analyses
from kg.outputs import check_output
from kg.report import generate_report_model, render_indicators_xlsx, write_report
from kg.store import (
    BuildReport,
    DocumentState,
    build_store,
    document_hash,
    documents_digest,
    open_store,
    read_documents,
    store_lock,
)
from kg.triples import document_graph_iri
from kg.viz import generate_viz_graph, generate_viz_html

__all__ = ["JobResult", "run_job"]

_TABLES = {"indicators.json": "json", "indicators.csv": "csv"}  # indicators.xlsx carries the findings too


@dataclass
class JobResult:
    outdir: Path
    documents: list[dict[str, Any]] = field(default_factory=list)
    errors: list[ExtractError] = field(default_factory=list)
    build: BuildReport | None = None
    analysis: Analysis | None = None
    outputs: dict[str, Path] = field(default_factory=dict)


def run_job(
    paths: list[Path],
    outdir: Path,
    *,
    jobs: int = 1,
    options: AnalysisOptions | None = None,
    progress: bool = False,
    say: Callable[[str], None] = lambda _msg: None,
) -> JobResult:
    files = document_paths(paths)
    store_dir = outdir / "store"
    for name in (*_TABLES, "indicators.xlsx", "report.html", "graph.html"):
        check_output(outdir / name, inputs=files, stores=[store_dir])
    outdir.mkdir(parents=True, exist_ok=True)
    result = JobResult(outdir)
    say(f"extract: {len(files)} documents")
    extracted = extract_documents(files, jobs=jobs, progress=progress)
    by_path: dict[Path, Document] = {}
    for path, item in extracted:
        if isinstance(item, ExtractError):
            result.errors.append(item)
        else:
            by_path[path] = item
            result.documents.append(item.to_dict())
    for name, fmt in _TABLES.items():
        write_documents(result.documents, outdir / name, fmt)
        result.outputs[name] = outdir / name

    def load(path: Path) -> Iterator[dict[str, Any] | Exception]:
        # the records were just extracted: the store takes them, it does not read the file again
        yield by_path[path].to_dict() if path in by_path else ExtractError(path, "could not be extracted")

    say("build: the graph store")
    with store_lock(store_dir):  # the documents and their analyses, with no other build between
        names = {path: doc.source for path, doc in by_path.items()}
        result.build = build_store(store_dir, [p for p, _ in extracted], load, prune=True, names=names)
        result.outputs["store"] = store_dir

        say("analyse: quality rules and template reuse")
        result.analysis = analyse(result.documents, options)
        digest = documents_digest(read_documents(open_store(store_dir)).values())
        if digest == _digest_of(result.documents):
            write_analysis(store_dir, result.analysis, derived_from=digest)
        else:
            # the store kept the previous graph of a document that failed now: its analyses
            # cover what the store holds, the report what was read
            refresh_analyses(store_dir, options, force=True)

    say("report: report.html (with report_files/), indicators.xlsx and graph.html")
    model = generate_report_model(result.analysis)
    write_report(model, outdir / "report.html")
    result.outputs["report.html"] = outdir / "report.html"
    # the extraction's columns with each row's findings beside it
    write_bytes_atomic(outdir / "indicators.xlsx", render_indicators_xlsx(result.documents, model))
    result.outputs["indicators.xlsx"] = outdir / "indicators.xlsx"
    findings = findings_to_dicts(result.analysis.findings)
    graph = generate_viz_graph(result.documents, findings=findings, templates=result.analysis.templates)
    write_text_atomic(outdir / "graph.html", generate_viz_html(graph, title="jixiao-kg"))
    result.outputs["graph.html"] = outdir / "graph.html"
    return result


def _digest_of(docs: list[dict[str, Any]]) -> str:
    """The store's documents digest had it been built from exactly ``docs``."""
    states = [DocumentState(document_graph_iri(d), "", "", document_hash(d), "", 0) for d in docs]
    return documents_digest(states)
