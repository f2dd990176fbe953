"""``kg analyse``: template reuse — the most reused indicator wordings and the projects that copy each other."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from kg.commands.build import read_document_export
from kg.reuse import (
    boilerplate_rows,
    communities,
    generate_reuse_graph,
    generate_reuse_triples,
    generate_templates,
    identical_sets,
    rank_templates,
    similar_pairs,
)

__all__ = ["command", "load_documents"]


def load_documents(files: Sequence[Path], store_dir: Path | None) -> list[dict[str, Any]]:
    """Document dicts from JSON exports, or read back from a store (shared with ``kg viz``)."""
    if store_dir is not None:
        from kg.reuse.store import read_store_documents
        from kg.store import StoreError, open_store

        try:
            return read_store_documents(open_store(store_dir))
        except StoreError as exc:
            raise click.ClickException(str(exc)) from exc
    docs: list[dict[str, Any]] = []
    for path in files:
        for item in read_document_export(path):
            if isinstance(item, Exception):
                raise click.ClickException(str(item))
            docs.append(item)
    return docs


def _report(docs: list[dict[str, Any]], opts: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    templates = generate_templates(docs, threshold=opts["label_threshold"])
    g = generate_reuse_graph(templates)
    label = {n: a.get("label") for n, a in g.nodes(data=True)}
    compare = dict(threshold=opts["threshold"], min_rows=opts["min_rows"], by_value=not opts["ignore_values"])
    pairs = similar_pairs(g, **compare)
    groups = identical_sets(g, **compare)
    report = {
        "documents": len(docs),
        "indicators": sum(len(t.members) for t in templates),
        "templates": len(templates),
        "top_templates": [asdict(r) for r in rank_templates(g, top=opts["top"])],
        "identical_sets": [asdict(grp) for grp in groups],
        "communities": [sorted(label[p] for p in c) for c in communities(g)],
        "boilerplate": [asdict(b) for b in boilerplate_rows(g, share=opts["share"])],
    }
    return report, generate_reuse_triples(templates, pairs)


def _print_text(report: dict[str, Any]) -> None:
    echo = click.echo
    echo(
        f"{report['documents']} documents, {report['indicators']} indicators, {report['templates']} templates"
    )
    echo("\nMost reused templates (projects, departments, rows):")
    for r in report["top_templates"]:
        echo(f"  {r['projects']:>3} {r['departments']:>3} {r['rows']:>4}  {r['label']}")
    if not report["top_templates"]:
        echo("  none used by two projects or more")
    echo("\nProjects with identical or near-identical indicator sets:")
    for grp in report["identical_sets"]:
        kind = "identical" if grp["identical"] else f"Jaccard ≥ {grp['min_jaccard']:.2f}"
        echo(f"  [{kind}] " + " | ".join(grp["labels"]))
    if not report["identical_sets"]:
        echo("  none")
    echo("\nCommunities of projects sharing templates:")
    for c in report["communities"]:
        echo("  " + " | ".join(c))
    echo("\nBoilerplate rows (in most projects of a department):")
    for b in report["boilerplate"]:
        echo(f"  {b['department']}: {b['label']} in {b['projects']}/{b['of_projects']} projects")
    if not report["boilerplate"]:
        echo("  none")


@click.command(
    epilog="""\b
Examples:
  kg analyse --store kg-store
  kg analyse export.json --threshold 0.9 --format json
  kg analyse export.json --triples reuse.ttl
"""
)
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--store", "store_dir", type=click.Path(path_type=Path), help="Read the documents from this store."
)
@click.option("--top", default=15, show_default=True, help="How many templates to list.")
@click.option(
    "--threshold",
    default=0.8,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="Jaccard on (template, value) rows from which two projects count as near-identical.",
)
@click.option("--min-rows", default=3, show_default=True, help="Projects with fewer rows are not compared.")
@click.option(
    "--label-threshold",
    default=0.7,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="Character 2–3-gram Jaccard from which two labels are one template.",
)
@click.option(
    "--share",
    default=0.6,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="Boilerplate: share of projects.",
)
@click.option(
    "--ignore-values",
    is_flag=True,
    help="Compare projects by their templates only, whatever targets they set.",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--triples",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the results as RDF (Turtle) for loading into a store.",
)
def command(
    files: tuple[Path, ...],
    store_dir: Path | None,
    top: int,
    threshold: float,
    min_rows: int,
    label_threshold: float,
    share: float,
    ignore_values: bool,
    fmt: str,
    triples: Path | None,
) -> None:
    """Find reused indicator templates and projects whose indicator sets are copies.

    FILES are extraction exports (.json/.jsonl); or give --store to read a built store.
    """
    if bool(files) == (store_dir is not None):
        raise click.UsageError("give either FILES or --store")
    docs = load_documents(files, store_dir)
    opts = dict(
        top=top,
        threshold=threshold,
        min_rows=min_rows,
        label_threshold=label_threshold,
        share=share,
        ignore_values=ignore_values,
    )
    report, graph = _report(docs, opts)
    if fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        _print_text(report)
    if triples is not None:
        graph.serialize(destination=triples, format="turtle")
        click.echo(f"wrote {triples} ({len(graph)} triples)", err=True)
