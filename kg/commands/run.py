"""``kg run``: the main job in one command."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from extract.cellsafe import printable
from kg.analysis import AnalysisOptions
from kg.job import run_job

__all__ = ["command"]


@click.command(name="run")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o", "--outdir", required=True, type=click.Path(file_okay=False, path_type=Path), help="Output folder."
)
@click.option("-j", "--jobs", type=int, default=1, show_default=True, help="Documents extracted in parallel.")
@click.option(
    "--rules-config", type=click.Path(exists=True, dir_okay=False), help="TOML/JSON rule thresholds."
)
def command(paths: tuple[Path, ...], outdir: Path, jobs: int, rules_config: str | None) -> None:
    """Extract, build, analyse and report on PATHS (files or folders) into OUTDIR.

    Writes OUTDIR/report.html (quality report; a page per department in
    OUTDIR/report_files/), OUTDIR/graph.html (interactive graph), OUTDIR/indicators.xlsx
    (one row per indicator, its findings beside it; .csv and .json: the extracted fields)
    and OUTDIR/store (the RDF store, for `kg query`).  Documents that cannot be read are named on stderr; the
    others are still processed and the exit code is 1.

    \b
    Example:
      kg run examples/ -o out/
      kg query --store out/store vague_targets
    """
    options = AnalysisOptions(rule_config=rules_config)
    result = run_job(
        list(paths), outdir, jobs=jobs, options=options, progress=True, say=lambda m: click.echo(m, err=True)
    )
    for error in result.errors:
        click.echo(f"error: {printable(str(error))}", err=True)
    tables = sum(len(d["tables"]) for d in result.documents)
    rows = sum(len(t["indicators"]) for d in result.documents for t in d["tables"])
    findings = len(result.analysis.findings) if result.analysis else 0
    click.echo(
        f"{len(result.documents)} documents, {tables} tables, {rows} indicators, {findings} findings\n"
        f"open {outdir / 'report.html'} and {outdir / 'graph.html'} in a browser;\n"
        f"indicators: {outdir / 'indicators.xlsx'} (also .csv, .json);\n"
        f"query the graph: kg query --store {outdir / 'store'} --list"
    )
    if result.errors:
        sys.exit(1)
