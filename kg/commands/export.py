"""``kg export``: the store (or one of its graphs) as Turtle, N-Quads, TriG or JSON-LD."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pyoxigraph as ox

from extract.atomic import atomic_output
from kg.freshness import refresh_if_stale
from kg.outputs import check_output
from kg.store import StoreError, export_store, open_store

__all__ = ["command"]


@click.command(
    epilog="""\b
Examples:
  kg export --store kg-store --format trig -o graph.trig
  kg export --store kg-store --format ttl --graph https://w3id.org/jixiao-kg/graph/framework
"""
)
@click.option("--store", "store_dir", required=True, type=click.Path(path_type=Path), help="Store directory.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["ttl", "nq", "trig", "jsonld"]),
    default="trig",
    show_default=True,
    help="ttl merges all graphs into one (graph names are lost); nq, trig and jsonld keep them.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write [stdout]."
)
@click.option("--graph", "graph_iri", default=None, help="Export only this named graph.")
def command(store_dir: Path, fmt: str, output: Path | None, graph_iri: str | None) -> None:
    """Write the store's triples in an RDF syntax."""
    try:
        graph = ox.NamedNode(graph_iri) if graph_iri else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--graph") from exc
    if output is not None:
        check_output(output, stores=[store_dir])
    refresh_if_stale(store_dir, lambda msg: click.echo(msg, err=True))
    try:
        store = open_store(store_dir)
        if output is None:
            export_store(store, fmt, sys.stdout.buffer, graph=graph)
            sys.stdout.flush()
        else:
            with atomic_output(output) as fh:
                export_store(store, fmt, fh, graph=graph)
            click.echo(f"wrote {output} ({output.stat().st_size} bytes, {fmt})", err=True)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
