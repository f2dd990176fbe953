"""``kg viz``: the interactive graph of departments, projects, indicators and shared templates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from extract.atomic import write_text_atomic
from kg.commands.analyse import load_documents
from kg.freshness import refresh_if_stale
from kg.outputs import check_output
from kg.viz import generate_viz_graph, generate_viz_html

__all__ = ["command"]


def _read_findings(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and isinstance(data.get("findings"), list):
        data = data["findings"]
    if not isinstance(data, list) or not all(isinstance(f, dict) for f in data):
        raise click.ClickException(f"{path}: expected a list of finding objects")
    return data


@click.command(
    epilog="""\b
Examples:
  kg viz --store kg-store -o graph.html
  kg viz --store kg-store -o mz.html --template 满意度
  kg viz --from-json export.json -o graph.html --department 元氏
  kg viz --from-json a.json b.json --findings more.json --no-rules -o graph.html
"""
)
@click.option(
    "--store", "store_dir", type=click.Path(path_type=Path), help="Read the documents from this store."
)
@click.argument("json_files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--from-json",
    "from_json",
    is_flag=True,
    help="The FILES are extraction exports (.json/.jsonl), as for kg build; the only kind kg viz reads.",
)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--department", help="Only this department (part of its name) and what hangs off it.")
@click.option("--project", help="Only this project, its indicators and where its templates recur.")
@click.option("--template", help="Only this template (part of its label) and the projects using it.")
@click.option(
    "--findings",
    "findings_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSON list of findings to colour indicators by (rule, severity, indicator or source/line, message);"
    " a store's own findings are always shown.",
)
@click.option(
    "--rules/--no-rules",
    default=True,
    show_default=True,
    help="With --from-json, run the quality rules and colour what they find.",
)
@click.option("--max-nodes", default=1500, show_default=True, help="Aggregate above this many nodes.")
@click.option("--title", default="绩效指标图谱 · jixiao-kg", show_default=True)
def command(
    json_files: tuple[Path, ...],
    store_dir: Path | None,
    from_json: bool,
    output: Path,
    department: str | None,
    project: str | None,
    template: str | None,
    findings_file: Path | None,
    rules: bool,
    max_nodes: int,
    title: str,
) -> None:
    """Write one self-contained HTML page (no network needed) with the graph to explore.

    The documents come from --store, or from extraction exports given as FILES.
    """
    if bool(json_files) == (store_dir is not None):
        raise click.UsageError("give either --store DIR or export FILES")
    if from_json and not json_files:
        raise click.UsageError("--from-json needs export FILES")
    check_output(
        output, inputs=[*json_files, *([findings_file] if findings_file else [])], stores=[store_dir]
    )
    if store_dir is not None:
        refresh_if_stale(store_dir, lambda msg: click.echo(msg, err=True))
    docs = load_documents(json_files, store_dir)
    findings = _read_findings(findings_file) if findings_file else []
    if store_dir is not None:
        from kg.reuse.store import read_store_findings
        from kg.store import open_store

        findings += read_store_findings(open_store(store_dir))
    elif rules:
        from kg.findings import findings_to_dicts, run_rules

        findings += findings_to_dicts(run_rules(docs))
    graph = generate_viz_graph(
        docs, findings=findings, department=department, project=project, template=template
    )
    if graph.number_of_nodes() == 0:
        raise click.ClickException("nothing matches the filters")
    write_text_atomic(output, generate_viz_html(graph, title=title, max_nodes=max_nodes))
    click.echo(f"wrote {output} ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges)", err=True)
