"""``kg validate``: the stored graph checked against the SHACL shapes of the ontology."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.store import StoreError, open_store

__all__ = ["command"]


@click.command(
    epilog="""\b
Examples:
  kg validate --store kg-store
  kg validate --store kg-store --warnings --limit 100
"""
)
@click.option("--store", "store_dir", required=True, type=click.Path(path_type=Path), help="Store directory.")
@click.option(
    "--warnings", "show_warnings", is_flag=True, help="Also list the warnings, not only count them."
)
@click.option("--limit", default=20, show_default=True, help="How many problems to list.")
def command(store_dir: Path, show_warnings: bool, limit: int) -> None:
    """Validate the graph a build stored against ontology/shapes.ttl.

    Violations (a malformed graph) make the exit status 1; warnings (a document that says less
    than it should, e.g. no department) are counted, and listed with --warnings.
    """
    from kg.conformance import validate_store

    try:
        report = validate_store(open_store(store_dir))
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    listed = report.problems if show_warnings else report.violations
    for problem in listed[:limit]:
        click.echo(f"{problem.severity}: <{problem.focus}> {problem.path}: {problem.message}")
    if len(listed) > limit:
        click.echo(f"… and {len(listed) - limit} more (--limit)")
    verdict = "conforms" if report.conforms else "does not conform"
    click.echo(
        f"{store_dir}: {report.graphs} graphs, {report.triples} triples {verdict} to the shapes: "
        f"{len(report.violations)} violations, {len(report.warnings)} warnings"
    )
    if not report.conforms:
        sys.exit(1)
