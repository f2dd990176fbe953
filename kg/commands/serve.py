"""``kg serve``: a read-only SPARQL endpoint and query page over a store."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import click

from kg.store import StoreError

__all__ = ["command"]


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command(
    epilog="""\b
Examples:
  kg serve --store kg-store                 # http://127.0.0.1:7878/
  curl 'http://127.0.0.1:7878/sparql?format=csv' --data-urlencode 'query=ASK { ?s ?p ?o }'
"""
)
@click.option("--store", "store_dir", required=True, type=click.Path(path_type=Path), help="Store directory.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=7878, show_default=True, type=click.IntRange(0, 65535), help="0 picks a free port."
)
@click.option("--memory", is_flag=True, help="Hold the data in RAM: slower start, faster queries.")
@click.option("-v", "--verbose", is_flag=True, help="Log every request.")
def command(store_dir: Path, host: str, port: int, memory: bool, verbose: bool) -> None:
    """Serve the store read-only over the SPARQL 1.1 Protocol at /sparql, with a query page at /.

    Queries see the union of all named graphs; updates are refused.  A `kg build` on the same
    store is picked up by the next request.  Listening beyond loopback exposes the data to the
    network: it is allowed, with a warning.
    """
    from kg.server import make_server

    try:
        server = make_server(store_dir, host, port, memory=memory, verbose=verbose)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc}") from exc
    if not _is_loopback(host):
        click.echo(f"warning: listening on {host}, reachable from other machines", err=True)
    bound_host, bound_port = str(server.server_address[0]), server.server_address[1]
    click.echo(f"serving {store_dir} read-only at http://{bound_host}:{bound_port}/ (Ctrl-C stops)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
