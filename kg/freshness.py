"""Analyses that match their documents: detecting stale write-backs and rerunning them.

The findings and templates written back into a store are derived from all its documents at
once.  Each analysis graph records the digest of the documents it was computed from
(:func:`kg.store.documents_digest`); when the store's documents are no longer those (a build
killed after committing its documents, ``kg build --no-analyse``, a build racing an
analysis), the analyses are stale, and every command that reads them reruns them first
(:func:`refresh_if_stale`).  The analysis is computed and written under the store's build
lock, and the write is refused should the documents have changed meanwhile, so a store never
holds one corpus' documents with another's findings.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.store import (
    StoreError,
    derived_digests,
    documents_digest,
    live_path,
    open_store,
    read_documents,
    store_lock,
)

if TYPE_CHECKING:
    from kg.analysis import Analysis, AnalysisOptions

__all__ = ["analyses_stale", "refresh_analyses", "refresh_if_stale"]


def analyses_stale(store: ox.Store) -> bool:
    """Whether the analyses are missing or were derived from other documents than the store's.

    The analysis graphs are written together (one atomic write), each with the digest; so any
    recorded digest that differs, or none at all, means stale.
    """
    digest = documents_digest(read_documents(store).values())
    recorded = set(derived_digests(store).values())
    return recorded != {digest}


def _managed(store_dir: Path) -> bool:
    # a bare Oxigraph database (``oxigraph serve --location``) is queried, never written to
    live = live_path(store_dir)
    return live is not None and live != store_dir


def refresh_analyses(
    store_dir: Path | str,
    options: AnalysisOptions | None = None,
    *,
    force: bool = False,
    wait: float = 0,
) -> Analysis | None:
    """Rerun the analyses on the store's documents and write them back, if stale (or ``force``).

    Returns the new analysis, or None when the written-back one was current.  Raises
    :class:`StoreError` when another build holds the store for longer than ``wait`` seconds.
    """
    # imported here: the analyses pull in NetworkX and the rules, which checking needs not
    from kg.analysis import analyse, write_analysis
    from kg.reuse.store import read_store_documents

    store_dir = Path(store_dir)
    if not _managed(store_dir):
        return None
    with store_lock(store_dir, wait=wait):
        store = open_store(store_dir)
        if not force and not analyses_stale(store):
            return None
        digest = documents_digest(read_documents(store).values())
        analysis = analyse(read_store_documents(store), options)
        del store
        write_analysis(store_dir, analysis, derived_from=digest)
    return analysis


def refresh_if_stale(store_dir: Path | str, say: Callable[[str], None]) -> None:
    """What a command reading a store's analyses does first: rerun them if they are stale.

    Checking costs a read of the metadata graph; a store that cannot be written (another build
    holds it, a read-only folder) is read as it is, with a warning.
    """
    store_dir = Path(store_dir)
    try:
        if not _managed(store_dir) or not analyses_stale(open_store(store_dir)):
            return
        say(f"{store_dir}: the analyses do not match the documents (stale); rerunning them")
        analysis = refresh_analyses(store_dir)
    except (StoreError, OSError) as exc:
        say(f"warning: {store_dir}: the analyses are stale and could not be rerun: {exc}")
        return
    if analysis is not None:
        say(f"analyses rerun: {len(analysis.findings)} findings, {len(analysis.templates)} templates")
