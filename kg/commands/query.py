"""``kg query``: run a named query, a .rq file or inline SPARQL on the store or an endpoint."""

from __future__ import annotations

from pathlib import Path

import click

from kg.freshness import refresh_if_stale
from kg.sparql import (
    FORMATS,
    QueryError,
    format_result,
    parse_binding,
    query_prefixes,
    resolve_query,
    run_query,
    run_remote_query,
)
from kg.store import StoreError, open_store
from kg.vocab import PREFIXES

__all__ = ["command"]


def _list_queries() -> str:
    from kg.queries import list_queries

    names = list_queries()
    if not names:
        return "no named queries\n"
    width = max(len(name) for name in names)
    return "".join(f"{name:{width}}  {description}\n" for name, description in sorted(names.items()))


@click.command(
    epilog="""\b
Examples:
  kg query --list
  kg query vague_targets --store kg-store
  kg query project_indicators --store kg-store --param 'projectName=医疗保障体系建设' --format csv
  kg query my.rq --store kg-store --format json
  kg query -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' --store kg-store
  kg query vague_targets --endpoint http://127.0.0.1:7878/query

\b
Parameter values: <http://…> is an IRI; "text", "text"@zh and "1"^^<datatype> are
literals; a bare number or true/false is typed; anything else is a plain string.
"""
)
@click.argument("query_spec", metavar="[NAME|FILE.rq]", required=False)
@click.option("-e", "--expression", help="SPARQL query text to run instead of NAME or FILE.")
@click.option(
    "--store", "store_dir", type=click.Path(path_type=Path), help="Store directory (from kg build)."
)
@click.option("--endpoint", help="SPARQL endpoint URL to query instead of a store.")
@click.option(
    "-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="Bind ?NAME to VALUE (repeatable)."
)
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--list", "list_only", is_flag=True, help="List the named queries with what each answers.")
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Endpoint timeout in seconds.")
def command(
    query_spec: str | None,
    expression: str | None,
    store_dir: Path | None,
    endpoint: str | None,
    params: tuple[str, ...],
    fmt: str,
    list_only: bool,
    timeout: float,
) -> None:
    """Run a SPARQL query and print its results.

    Triple patterns see the union of all named graphs.  Parameters are bound as RDF terms
    (a VALUES row at the head of the WHERE group), never pasted into the query text.
    """
    if list_only:
        click.echo(_list_queries(), nl=False)
        return
    if (query_spec is None) == (expression is None):
        raise click.UsageError("give exactly one of NAME, FILE.rq or -e 'SPARQL' (or --list)")
    if (store_dir is None) == (endpoint is None):
        raise click.UsageError("give exactly one of --store DIR or --endpoint URL")
    try:
        text = expression if expression is not None else resolve_query(query_spec or "")
        bindings = dict(parse_binding(p) for p in params)
        if endpoint is not None:
            result = run_remote_query(endpoint, text, bindings, timeout=timeout)
        else:
            assert store_dir is not None
            refresh_if_stale(store_dir, lambda msg: click.echo(msg, err=True))
            result = run_query(open_store(store_dir), text, bindings)
    except (QueryError, StoreError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(format_result(result, fmt, prefixes={**PREFIXES, **query_prefixes(text)}), nl=False)
