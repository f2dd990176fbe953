"""``kg report``: the indicator-quality report (HTML, Markdown, xlsx or the findings as CSV)."""

from __future__ import annotations

from pathlib import Path

import click

from kg.commands.analyse import analysis_options, load_documents

__all__ = ["command"]


@click.command(
    epilog="""\b
Examples:
  kg report --store kg-store -o report.html
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
    """Write the indicator-quality report: scorecards per department and project, charts, reused
    templates, identical indicator sets and every finding with its document and line.

    The documents come from --store, or from extraction exports given as FILES.  The HTML page
    is one self-contained file that works offline; .md holds the same tables, .xlsx one sheet
    per table, .csv the findings.
    """
    from kg.analysis import AnalysisOptions, analyse
    from kg.report import format_for_path, generate_report_model, render_report

    if bool(json_files) == (store_dir is not None):
        raise click.UsageError("give either --store DIR or export FILES")
    if from_json and not json_files:
        raise click.UsageError("--from-json needs export FILES")
    fmt = fmt or format_for_path(output)
    if fmt is None:
        raise click.UsageError(f"cannot tell the format from {output.name}: give --format html|md|xlsx|csv")
    docs = load_documents(json_files, store_dir)
    options = AnalysisOptions(
        label_threshold=label_threshold,
        set_threshold=threshold,
        rule_config=str(rules_config) if rules_config else None,
    )
    try:
        analysis = analyse(docs, options)
    except ValueError as exc:  # a rules config naming unknown parameters
        raise click.ClickException(str(exc)) from exc
    model = generate_report_model(analysis, title=title, top_templates=top)
    output.write_bytes(render_report(model, fmt))
    click.echo(
        f"wrote {output} ({fmt}: {len(model.documents)} documents, {model.indicator_count} indicators,"
        f" {len(model.findings)} findings)",
        err=True,
    )
