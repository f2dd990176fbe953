"""``kg serve``: a read-only SPARQL endpoint and query page over a store."""

from __future__ import annotations

from pathlib import Path

import click

from kg.store import StoreError

__all__ = ["command"]


@click.command(
    epilog="""\b
Examples:
  kg serve --store kg-store                 # http://127.0.0.1:7878/
  curl 'http://127.0.0.1:7878/sparql?format=csv' --data-urlencode 'query=ASK { ?s ?p ?o }'
  kg serve --store kg-store --timeout 120 --max-rows 1000000
"""
)
@click.option("--store", "store_dir", required=True, type=click.Path(path_type=Path), help="Store directory.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=7878, show_default=True, type=click.IntRange(0, 65535), help="0 picks a free port."
)
@click.option(
    "--memory", is_flag=True, help="Hold the data in RAM (in each worker): slower start, faster queries."
)
@click.option(
    "--timeout",
    default=30.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds a query may run.",
)
@click.option(
    "--max-rows", default=100_000, show_default=True, type=click.IntRange(min=1),
    help="Largest answer (rows, or triples of a CONSTRUCT); a larger one is refused with a message.",
)  # fmt: skip
@click.option(
    "--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Queries answered at once."
)
@click.option("--allow-service", is_flag=True, help="Run SERVICE clauses (requests to other servers).")
@click.option(
    "--allow-host", "allowed_hosts", multiple=True, metavar="NAME",
    help="Also answer requests whose Host header names NAME (repeatable).",
)  # fmt: skip
@click.option("-v", "--verbose", is_flag=True, help="Log every request.")
def command(
    store_dir: Path,
    host: str,
    port: int,
    memory: bool,
    timeout: float,
    max_rows: int,
    workers: int,
    allow_service: bool,
    allowed_hosts: tuple[str, ...],
    verbose: bool,
) -> None:
    """Serve the store read-only over the SPARQL 1.1 Protocol at /sparql, with a query page at /.

    Queries see the union of all named graphs; updates and SERVICE are refused.  Each query
    runs in a worker process that is stopped after --timeout seconds or when the client
    leaves; answers beyond --max-rows are refused with a message.  On 127.0.0.1 only requests
    naming this machine (Host) from this server's own page or from tools (not from other web
    sites) are answered.  A `kg build` on the same store is picked up by the next request.
    Listening beyond loopback exposes the data to the network: it is allowed, with a warning.
    """
    from kg.freshness import refresh_if_stale
    from kg.server import is_loopback, make_server

    refresh_if_stale(store_dir, lambda msg: click.echo(msg, err=True))
    try:
        server = make_server(
            store_dir,
            host,
            port,
            memory=memory,
            verbose=verbose,
            timeout=timeout,
            max_rows=max_rows,
            workers=workers,
            allow_service=allow_service,
            allowed_hosts=allowed_hosts,
        )
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc}") from exc
    if not is_loopback(host):
        click.echo(f"warning: listening on {host}, reachable from other machines", err=True)
    bound_host, bound_port = str(server.server_address[0]), server.server_address[1]
    click.echo(f"serving {store_dir} read-only at http://{bound_host}:{bound_port}/ (Ctrl-C stops)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
