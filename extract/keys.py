"""Document keys: the name each input file goes by in the records (``source``) and the graph.

A file is known by its file name, which is what the disclosures are cited by, and never by its
absolute path (which would put the user's file system into every export).  Two inputs of one
name in different folders (``2021/预算.txt``, ``2022/预算.txt``) would then be one document;
they are told apart by the shortest tail of their paths that differs, the same depth for every
file of that name, so the keys do not depend on the order the files come in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import PurePath

from extract.cellsafe import printable

__all__ = ["generate_document_keys"]


def _tail(path: PurePath, depth: int) -> str:
    # a Windows drive counts as a folder: C:\a\x.txt and D:\a\x.txt are two documents
    parts = [path.drive.rstrip(":"), *path.parts[1:]] if path.drive else list(path.parts)
    parts = [p for p in parts if p not in ("", path.root)]
    return "/".join(parts[-depth:])


def generate_document_keys(paths: Iterable[PurePath]) -> dict[PurePath, str]:
    """Each path's key: its file name, or where names repeat the shortest distinguishing tail.

    ``paths`` should be absolute (resolved) so that tails reach folders the user named by
    ``..``; PureWindowsPath works as well as PurePosixPath.  Control characters and undecodable
    bytes in a name become visible stand-ins (:func:`extract.cellsafe.printable`).
    """
    by_name: dict[str, list[PurePath]] = defaultdict(list)
    for path in dict.fromkeys(paths):
        by_name[path.name].append(path)
    keys: dict[PurePath, str] = {}
    for name, group in by_name.items():
        depth = 1
        deepest = max(len(p.parts) + 1 for p in group)
        while len({_tail(p, depth) for p in group}) < len(group) and depth < deepest:
            depth += 1
        for path in group:
            keys[path] = printable(_tail(path, depth) or name)
    return keys
