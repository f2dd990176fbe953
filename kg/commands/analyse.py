"""``kg analyse``: template reuse — the most reused indicator wordings and the projects that copy each other."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click
import rdflib

from extract.atomic import write_bytes_atomic
from kg.analysis import Analysis, AnalysisOptions, analyse, generate_analysis_graphs
from kg.commands.build import read_document_export
from kg.findings import count_by_rule
from kg.freshness import refresh_analyses
from kg.outputs import check_output
from kg.store import StoreError

__all__ = ["analysis_options", "command", "load_documents", "summarise"]


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


def analysis_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The analysis thresholds, shared by ``kg analyse`` and ``kg report``."""
    options = [
        click.option(
            "--threshold", default=0.8, show_default=True, type=click.FloatRange(0, 1),
            help="Jaccard on (template, value) rows from which two projects count as near-identical.",
        ),
        click.option(
            "--label-threshold", default=0.7, show_default=True, type=click.FloatRange(0, 1),
            help="Label similarity (same metric, matching subject) from which two labels are one template.",
        ),
        click.option(
            "--rules-config", type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="TOML or JSON file overriding the quality rules' thresholds.",
        ),
    ]  # fmt: skip
    for option in reversed(options):
        func = option(func)
    return func


def summarise(analysis: Analysis, top: int) -> dict[str, Any]:
    label = {n: a.get("label") for n, a in analysis.graph.nodes(data=True)}
    return {
        "documents": len(analysis.docs),
        "indicators": sum(len(t.members) for t in analysis.templates),
        "templates": len(analysis.templates),
        "findings": count_by_rule(analysis.findings, defects_only=True),
        "information": {
            rule: n for rule, n in count_by_rule(f for f in analysis.findings if not f.is_defect).items() if n
        },
        "top_templates": [asdict(r) for r in analysis.ranks[:top]],
        "identical_sets": [asdict(grp) for grp in analysis.identical],
        "communities": [sorted(label[p] for p in c) for c in analysis.communities],
        "boilerplate": [asdict(b) for b in analysis.boilerplate],
        "achievement": {
            "rows": len(analysis.outcomes.rows),
            "projects": [s.to_dict() for s in analysis.outcomes.projects],
            "departments": [s.to_dict() for s in analysis.outcomes.departments],
        },
        "year_over_year": [c.to_dict() for c in analysis.years],
    }


def _print_text(report: dict[str, Any]) -> None:
    echo = click.echo
    echo(
        f"{report['documents']} documents, {report['indicators']} indicators, {report['templates']} templates"
    )
    findings = report["findings"]
    echo(
        f"{sum(findings.values())} quality findings: "
        + ", ".join(f"{r} {n}" for r, n in sorted(findings.items()))
    )
    if report["information"]:
        echo(
            f"{sum(report['information'].values())} information notes (not defects): "
            + ", ".join(f"{r} {n}" for r, n in sorted(report["information"].items()))
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
    _print_outcomes(report)


def _share(value: float | None) -> str:
    return "  -" if value is None else f"{value:4.0%}"


def _print_outcomes(report: dict[str, Any]) -> None:
    echo = click.echo
    achievement = report["achievement"]
    echo(
        f"\nTargets vs achieved ({achievement['rows']} self-evaluation rows; met, missed, not comparable, missing):"
    )
    for s in achievement["projects"]:
        flag = "  [every target met exactly: set to be met]" if s["set_to_be_met"] else ""
        echo(
            f"  {_share(s['share_met'])} met  {s['met']}/{s['missed']}/{s['not_comparable']}/{s['missing']}"
            f"  {s['name']} ({s['department']}){flag}"
        )
    if not achievement["projects"]:
        echo("  no self-evaluation tables")
    echo(
        "\nTables beside the same project's table of an earlier year (unchanged/restated/changed/new/dropped):"
    )
    for c in report["year_over_year"]:
        counts = "/".join(str(n) for n in c["counts"].values())
        flag = "  [carried over]" if c["carried_over"] else ""
        echo(f"  {c['earlier']['year']}→{c['later']['year']}  {counts}  {c['later']['name']}{flag}")
    if not report["year_over_year"]:
        echo("  none")


@click.command(
    epilog="""\b
Examples:
  kg analyse --store kg-store
  kg analyse export.json --threshold 0.9 --format json
  kg analyse export.json --triples analyses.trig
"""
)
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--store", "store_dir", type=click.Path(path_type=Path), help="Read the documents from this store."
)
@click.option("--top", default=15, show_default=True, help="How many templates to list.")
@analysis_options
@click.option("--min-rows", default=3, show_default=True, help="Projects with fewer rows are not compared.")
@click.option(
    "--neighbours",
    default=5,
    show_default=True,
    type=click.IntRange(1),
    help="Near-identical projects kept per distinct indicator set.",
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
    help="Also write the results as RDF (TriG, one named graph per analysis).",
)
def command(
    files: tuple[Path, ...],
    store_dir: Path | None,
    top: int,
    threshold: float,
    min_rows: int,
    neighbours: int,
    label_threshold: float,
    rules_config: Path | None,
    share: float,
    ignore_values: bool,
    fmt: str,
    triples: Path | None,
) -> None:
    """Run the quality rules, the template-reuse and the outcome analyses; print what they found.

    FILES are extraction exports (.json/.jsonl); or give --store to read a built store, into
    which the results are then written back (named graphs of findings, templates and outcomes,
    which the named queries findings_by_rule, top_templates, copied_indicator_sets,
    similar_projects, targets_vs_achieved, achievement_by_project, achievement_by_department and
    targets_carried_over read).  Run it again after `kg build` changes the store.
    """
    if bool(files) == (store_dir is not None):
        raise click.UsageError("give either FILES or --store")
    if triples is not None:
        check_output(triples, inputs=files, stores=[store_dir] if store_dir else [])
    options = AnalysisOptions(
        label_threshold=label_threshold,
        set_threshold=threshold,
        min_rows=min_rows,
        neighbours=neighbours,
        compare_values=not ignore_values,
        boilerplate_share=share,
        rule_config=str(rules_config) if rules_config else None,
    )
    try:
        # from a store: read, analysed and written back under the build lock, so no build can
        # change the documents in between (a bare Oxigraph database is only read)
        fresh = refresh_analyses(store_dir, options, force=True) if store_dir is not None else None
        analysis = fresh or analyse(load_documents(files, store_dir), options)
    except ValueError as exc:  # a rules config naming unknown parameters
        raise click.ClickException(str(exc)) from exc
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    report = summarise(analysis, top)
    if fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        _print_text(report)
    if fresh is not None:
        click.echo(f"wrote the analyses into {store_dir}", err=True)
    if triples is not None:
        dataset = rdflib.Dataset()
        for iri, graph in generate_analysis_graphs(analysis).items():
            named = dataset.graph(rdflib.URIRef(iri))
            for triple in graph:
                named.add(triple)
        write_bytes_atomic(triples, dataset.serialize(format="trig", encoding="utf-8"))
        click.echo(f"wrote {triples}", err=True)
