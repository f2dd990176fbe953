"""``kg push``: copy the store's named graphs to a SPARQL 1.1 Graph Store Protocol endpoint."""

from __future__ import annotations

from pathlib import Path

import click

from kg.freshness import refresh_if_stale
from kg.sparql import QueryError, push_graphs
from kg.store import StoreError, open_store

__all__ = ["command"]


@click.command(
    epilog="""\b
Examples:
  oxigraph serve --location remote-db --union-default-graph &
  kg push --store kg-store --endpoint http://127.0.0.1:7878/store
  kg query vague_targets --endpoint http://127.0.0.1:7878/query
"""
)
@click.option("--store", "store_dir", required=True, type=click.Path(path_type=Path), help="Store directory.")
@click.option(
    "--endpoint", required=True, help="Graph Store Protocol URL (oxigraph: http://HOST:PORT/store)."
)
@click.option(
    "--graph", "graphs", multiple=True, metavar="IRI", help="Push only this named graph (repeatable)."
)
@click.option("--timeout", type=float, default=120.0, show_default=True, help="Seconds per request.")
def command(store_dir: Path, endpoint: str, graphs: tuple[str, ...], timeout: float) -> None:
    """Replace each named graph of the store on a remote server (an HTTP PUT per graph).

    Graphs the remote holds that the store does not are left alone.  The named queries expect
    the server to answer over the union of its named graphs (oxigraph: --union-default-graph).
    """
    refresh_if_stale(store_dir, lambda msg: click.echo(msg, err=True))
    try:
        store = open_store(store_dir)
        pushed = push_graphs(
            store,
            endpoint,
            graphs=list(graphs) or None,
            timeout=timeout,
            on_graph=lambda iri, n: click.echo(f"put {iri} ({n} triples)"),
        )
    except (StoreError, QueryError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{len(pushed)} graphs, {sum(pushed.values())} triples pushed to {endpoint}")
