"""The IRIs ``kg.triples`` gives a document's tables, projects and indicators, so write-back links to them.

``kg.triples`` mints them while it builds a graph and exposes no function for them; this follows its
scheme (``doc/<stem>/table/<line>``, ``…/indicator/<line>[-<period>]``, ``doc/<stem>/project/<line>``, a
``~n`` suffix for the n-th repeat of a path within one document) and a test checks the result against the
graph ``kg.triples`` builds, so a change of scheme there fails loudly here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from kg.vocab import ID

__all__ = ["DocumentIris", "document_iris"]


@dataclass(frozen=True)
class DocumentIris:
    tables: list[str]
    # what each table is about: its foaf:Project, or for a department-wide table the organisation
    subjects: list[str | None]
    indicators: list[list[str]]


class _Minter:
    def __init__(self) -> None:
        self._seen: set[str] = set()

    def __call__(self, path: str) -> str:
        candidate, n = path, 1
        while candidate in self._seen:
            n += 1
            candidate = f"{path}~{n}"
        self._seen.add(candidate)
        return candidate


def _org(name: str | None) -> str | None:
    if not name or not name.strip():
        return None
    return str(ID[f"org/{quote(unicodedata.normalize('NFKC', name).strip(), safe='')}"])


def document_iris(doc: Mapping[str, Any]) -> DocumentIris | None:
    """IRIs of every table, table subject and indicator of ``doc``; None when it has no ``source``."""
    stem = PurePosixPath(str(doc.get("source") or "").replace("\\", "/")).stem
    if not stem:
        return None
    slug = quote(stem, safe="")
    mint = _Minter()
    tables: list[str] = []
    subjects: list[str | None] = []
    indicators: list[list[str]] = []
    for table in doc.get("tables") or []:
        # kg.triples mints in this order per table: the table, its project, funding, indicators, unparsed
        line = table.get("line") or 0
        local = mint(f"doc/{slug}/table/{line}")
        tables.append(str(ID[local]))
        if (table.get("scope") or "project") == "department":
            subjects.append(_org(table.get("name")) or _org(doc.get("department")))
        else:
            subjects.append(str(ID[mint(f"doc/{slug}/project/{line}")]))
        rows = []
        for ind in table.get("indicators") or []:
            period = ind.get("period")
            suffix = f"-{period}" if period else ""
            rows.append(str(ID[mint(f"{local}/indicator/{ind.get('line') or 0}{suffix}")]))
        indicators.append(rows)
    return DocumentIris(tables, subjects, indicators)
