"""``kg report``: the indicator-quality report (HTML, Markdown, xlsx or the findings as CSV)."""

from __future__ import annotations

from pathlib import Path

import click

from kg.commands.analyse import analysis_options, load_documents
from kg.outputs import check_output

__all__ = ["command"]


@click.command(
    epilog="""\b
Examples:
  kg report --store kg-store -o report.html      (and report_files/)
  kg report --store kg-store -o report.xlsx
  kg report --from-json export.json -o report.md
  kg report --store kg-store -o findings.csv --rules-config rules.toml
"""
)
@click.argument("json_files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--store", "store_dir", type=click.Path(path_type=Path), help="Read the documents from this store."
)
@click.option(
    "--from-json", "from_json", is_flag=True, help="The FILES are extraction exports (.json/.jsonl)."
)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "md", "xlsx", "csv"]),
    help="Default: from the output's suffix (.html .md .xlsx .csv).",
)
@click.option("--title", default="绩效指标质量报告", show_default=True)
@click.option("--top", default=50, show_default=True, help="How many reused templates to list.")
@analysis_options
def command(
    json_files: tuple[Path, ...],
    store_dir: Path | None,
    from_json: bool,
    output: Path,
    fmt: str | None,
    title: str,
    top: int,
    threshold: float,
    label_threshold: float,
    rules_config: Path | None,
) -> None:
    """Write the indicator-quality report: first what to look at (the worst projects, the
    departments that copy, the targets that cannot be checked), then targets against what the
    self-evaluation tables say was achieved and targets carried over from an earlier year, then
    scorecards per department and project, charts, reused templates, copy groups and every
    finding with its document, line, the text as written, what is wrong and a suggested rewrite.

    The documents come from --store, or from extraction exports given as FILES.  With --store
    the report reads the findings `kg analyse` (or `kg build`, `kg run`) wrote back; it runs the
    rules itself only when the store holds none for its current documents, or --rules-config
    asks for other thresholds.  .html writes the overview page plus one page per department
    in a folder beside it (report.html → report_files/), all offline; .md holds the same
    tables, .xlsx one sheet per table, .csv the findings.
    """
    from kg.analysis import AnalysisOptions, analyse, read_stored_findings
    from kg.report import format_for_path, generate_report_model, write_report
    from kg.rules import Finding

    if bool(json_files) == (store_dir is not None):
        raise click.UsageError("give either --store DIR or export FILES")
    if from_json and not json_files:
        raise click.UsageError("--from-json needs export FILES")
    fmt = fmt or format_for_path(output)
    if fmt is None:
        raise click.UsageError(f"cannot tell the format from {output.name}: give --format html|md|xlsx|csv")
    check_output(output, inputs=json_files, stores=[store_dir])
    docs = load_documents(json_files, store_dir)
    options = AnalysisOptions(
        label_threshold=label_threshold,
        set_threshold=threshold,
        rule_config=str(rules_config) if rules_config else None,
    )
    stored: list[Finding] | None = None
    if store_dir is not None and rules_config is None:
        from kg.store import open_store

        stored = read_stored_findings(open_store(store_dir), docs)
        if stored is None:
            click.echo(
                f"{store_dir} holds no findings of its current documents (built with --no-analyse?):"
                " running the rules; `kg analyse --store` stores them",
                err=True,
            )
    try:
        analysis = analyse(docs, options, findings=stored)
    except ValueError as exc:  # a rules config naming unknown parameters
        raise click.ClickException(str(exc)) from exc
    model = generate_report_model(analysis, title=title, top_templates=top)
    written = write_report(model, output, fmt)
    pages = f", {len(written) - 1} department pages in {written[1].parent}" if len(written) > 1 else ""
    click.echo(
        f"wrote {output} ({fmt}: {len(model.documents)} documents, {model.indicator_count} indicators,"
        f" {len(model.defects)} defects, {model.info} information notes{pages})",
        err=True,
    )
