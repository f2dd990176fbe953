"""Where a command may write: never over one of its inputs, never inside a store.

``kg extract in.txt -o in.txt`` would replace the document with its records, and
``kg export -o STORE/HEAD`` would break the store; both are refused before anything is read,
with one line saying why.  The writing itself is atomic (:mod:`extract.atomic`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import click

__all__ = ["OutputError", "check_output"]


class OutputError(click.ClickException):
    """An output path that would destroy an input or a store (a command prints it and exits 1)."""


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def _store_around(path: Path) -> Path | None:
    from kg.store import StoreError, store_exists

    for folder in path.parents:
        try:
            if (folder / "HEAD").is_file() and store_exists(folder):
                return folder
        except (StoreError, OSError):
            continue
    return None


def check_output(output: Path, *, inputs: Iterable[Path] = (), stores: Iterable[Path | None] = ()) -> None:
    """Raise :class:`OutputError` if writing ``output`` would overwrite an input or touch a store.

    ``inputs`` are the files the command reads; ``stores`` the store folders it reads or writes
    (any folder holding a kg store is refused too, named or not).
    """
    target = output.resolve()
    if target.is_dir():
        raise OutputError(f"{output} is a folder; give a file name to write")
    for source in inputs:
        if source.is_file() and target.exists() and _same(source, target):
            raise OutputError(f"{output} is one of the inputs; writing it would overwrite that input")
    for store in (s for s in stores if s is not None):
        root = store.resolve()
        if target == root or root in target.parents:
            raise OutputError(f"{output} is inside the store {store}; write it elsewhere")
    around = _store_around(target)
    if around is not None:
        raise OutputError(f"{output} is inside the store {around}; write it elsewhere")
