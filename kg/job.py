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
from kg.analysis import Analysis, AnalysisOptions, analyse, write_analysis
from kg.commands.extract import extract_documents
from kg.findings import findings_to_dicts
from kg.report import generate_report_model, render_indicators_xlsx, write_report
from kg.store import BuildReport, build_store
from kg.viz import generate_viz_graph, generate_viz_html

__all__ = ["JobResult", "run_job"]


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
    outdir.mkdir(parents=True, exist_ok=True)
    result = JobResult(outdir)
    files = document_paths(paths)
    say(f"extract: {len(files)} documents")
    extracted = extract_documents(files, jobs=jobs, progress=progress)
    by_path: dict[Path, Document] = {}
    for path, item in extracted:
        if isinstance(item, ExtractError):
            result.errors.append(item)
        else:
            by_path[path] = item
            result.documents.append(item.to_dict())
    for name, fmt in (("indicators.json", "json"), ("indicators.csv", "csv")):
        write_documents(result.documents, outdir / name, fmt)
        result.outputs[name] = outdir / name

    def load(path: Path) -> Iterator[dict[str, Any] | Exception]:
        # the records were just extracted: the store takes them, it does not read the file again
        yield by_path[path].to_dict() if path in by_path else ExtractError(path, "could not be extracted")

    say("build: the graph store")
    store_dir = outdir / "store"
    result.build = build_store(store_dir, [p for p, _ in extracted], load, prune=True)
    result.outputs["store"] = store_dir

    say("analyse: quality rules and template reuse")
    result.analysis = analyse(result.documents, options)
    write_analysis(store_dir, result.analysis)

    say("report: report.html (with report_files/), indicators.xlsx and graph.html")
    model = generate_report_model(result.analysis)
    write_report(model, outdir / "report.html")
    result.outputs["report.html"] = outdir / "report.html"
    # the extraction's columns with each row's findings beside it
    (outdir / "indicators.xlsx").write_bytes(render_indicators_xlsx(result.documents, model))
    result.outputs["indicators.xlsx"] = outdir / "indicators.xlsx"
    findings = findings_to_dicts(result.analysis.findings)
    graph = generate_viz_graph(result.documents, findings=findings, templates=result.analysis.templates)
    (outdir / "graph.html").write_text(generate_viz_html(graph, title="jixiao-kg"), encoding="utf-8")
    result.outputs["graph.html"] = outdir / "graph.html"
    return result
