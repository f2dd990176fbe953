"""The IRI scheme of the graph, in one place: ``kg.triples`` mints with it, and the analyses
(findings, templates, the graph view) name the same nodes with it without building a graph.

``doc/<stem>/table/<line>`` for a table, ``doc/<stem>/project/<line>`` for its project,
``…/table/<line>/indicator/<line>[-<period>]`` for an indicator, ``org/<name>`` for an
organisation; the n-th repeat of a path within one document gets a ``~n`` suffix.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from kg.vocab import ID

__all__ = [
    "DocumentIris",
    "Minter",
    "TableSite",
    "document_iris",
    "document_slug",
    "indicator_path",
    "iter_table_sites",
    "org_iri",
    "project_path",
    "table_path",
]


def document_slug(doc: Mapping[str, Any]) -> str | None:
    """The document's name in IRIs (its key, ``source``, less the suffix), or None without a source.

    The key is a file name, or a tail of its path where two inputs share that name
    (:mod:`extract.keys`): ``2021/预算.txt`` → ``2021%2F预算``, so they stay two documents.
    """
    source = PurePosixPath(str(doc.get("source") or "").replace("\\", "/"))
    key = str(source.with_suffix("")) if source.name else ""
    return quote(key, safe="") if key else None


def org_iri(name: str | None) -> str | None:
    # shared across documents on purpose: the same department in two documents is one node
    if not name or not name.strip():
        return None
    return str(ID[f"org/{quote(unicodedata.normalize('NFKC', name).strip(), safe='')}"])


def table_path(slug: str, line: int) -> str:
    return f"doc/{slug}/table/{line}"


def project_path(slug: str, line: int) -> str:
    return f"doc/{slug}/project/{line}"


def indicator_path(table_local: str, line: int, period: str | None) -> str:
    return f"{table_local}/indicator/{line}{f'-{period}' if period else ''}"


class Minter:
    """Local names unique within one document: a repeated path gets ``~2``, ``~3`` …"""

    def __init__(self) -> None:
        self._seen: set[str] = set()
        # the last suffix given to each path: every smaller one is taken, so the search resumes
        # there (k rows on one line cost k lookups, not k²/2)
        self._last: dict[str, int] = {}

    def __call__(self, path: str) -> str:
        n = self._last.get(path, 1)
        candidate = path if n == 1 else f"{path}~{n}"
        while candidate in self._seen:
            n += 1
            candidate = f"{path}~{n}"
        self._seen.add(candidate)
        self._last[path] = n
        return candidate


@dataclass(frozen=True)
class DocumentIris:
    tables: list[str]
    # what each table is about: its foaf:Project, or for a department-wide table the organisation
    subjects: list[str | None]
    indicators: list[list[str]]


def document_iris(doc: Mapping[str, Any]) -> DocumentIris | None:
    """IRIs of every table, table subject and indicator of ``doc``; None when it has no ``source``.

    Minted in the order ``kg.triples`` mints them per table: the table, its project, its
    indicators (funding and unparsed lines have paths of their own and never collide).
    """
    slug = document_slug(doc)
    if slug is None:
        return None
    mint = Minter()
    tables: list[str] = []
    subjects: list[str | None] = []
    indicators: list[list[str]] = []
    for table in doc.get("tables") or []:
        line = table.get("line") or 0
        local = mint(table_path(slug, line))
        tables.append(str(ID[local]))
        if (table.get("scope") or "project") == "department":
            subjects.append(org_iri(table.get("name")) or org_iri(doc.get("department")))
        else:
            subjects.append(str(ID[mint(project_path(slug, line))]))
        indicators.append(
            [
                str(ID[mint(indicator_path(local, ind.get("line") or 0, ind.get("period")))])
                for ind in table.get("indicators") or []
            ]
        )
    return DocumentIris(tables, subjects, indicators)


@dataclass(frozen=True)
class TableSite:
    """One table of a document with the IRIs of its nodes: what an analysis walks to name them."""

    doc: Mapping[str, Any]
    index: int
    table: Mapping[str, Any]
    iri: str | None
    subject_iri: str | None
    indicator_iris: list[str | None]

    @property
    def indicators(self) -> list[Mapping[str, Any]]:
        return list(self.table.get("indicators") or [])


def iter_table_sites(docs: Iterable[Mapping[str, Any]]) -> Iterator[TableSite]:
    """Every table of ``docs`` with its IRIs: those a store read-back carries (``iri``, ``subject``),
    else those ``kg.triples`` mints for the document (None for a document without ``source``)."""
    for doc in docs:
        iris = document_iris(doc)
        for t_index, table in enumerate(doc.get("tables") or []):
            rows = table.get("indicators") or []
            yield TableSite(
                doc=doc,
                index=t_index,
                table=table,
                iri=table.get("iri") or (iris.tables[t_index] if iris else None),
                subject_iri=table.get("subject") or (iris.subjects[t_index] if iris else None),
                indicator_iris=[
                    ind.get("iri") or (iris.indicators[t_index][i] if iris else None)
                    for i, ind in enumerate(rows)
                ],
            )
