"""The same project, or the same department, in two budget years: what was carried over unchanged.

Tables are matched within one department (its name folded), from each year the department
discloses to the nearest earlier year it discloses: a department-wide table to the department's
table, a project table to the project of the same name (folded with ``normalise_label``, or the same
characters in another order: 雾炮车降尘抑尘服务 / 雾炮车抑尘降尘服务).  Within a matched pair, rows
are matched by their label read as subject + metric (``kg.reuse.canonical``: exact reading, the
same characters, then one subject holding the other) and period, and each later row is
``unchanged`` (the target text is the same), ``restated`` (the same figure written otherwise:
``≥80%`` / ``80%``, ``10辆`` / ``10``), ``changed`` or ``new``; earlier rows left over are
``dropped``.  Every step looks names up in dictionaries: linear in the rows.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Literal

from extract import parse_target
from kg.iris import iter_table_sites
from kg.reuse.canonical import LabelKey, canonical_label, contained_subjects
from kg.reuse.labels import normalise_label, normalise_value

__all__ = [
    "Carry",
    "TableRef",
    "YearComparison",
    "generate_year_comparisons",
]

Change = Literal["unchanged", "restated", "changed", "new", "dropped"]
CHANGES: tuple[Change, ...] = ("unchanged", "restated", "changed", "new", "dropped")
_COMPARATORS = "≥≤><=≈"


@dataclass(frozen=True)
class TableRef:
    source: str
    table: int
    year: int
    name: str
    scope: str
    iri: str | None = None


@dataclass(frozen=True)
class Carry:
    """One indicator across the two years: ``earlier``/``later`` are (label, value, IRI) or None."""

    change: Change
    label: str
    earlier_value: str | None
    later_value: str | None
    earlier_iri: str | None = None
    later_iri: str | None = None


@dataclass(frozen=True)
class YearComparison:
    department: str
    earlier: TableRef
    later: TableRef
    rows: tuple[Carry, ...]

    def count(self, change: Change) -> int:
        return sum(r.change == change for r in self.rows)

    @property
    def carried_over(self) -> bool:
        """Every later row is an earlier one with the same target: the table was copied forward."""
        later = [r for r in self.rows if r.change != "dropped"]
        return bool(later) and all(r.change in ("unchanged", "restated") for r in later)

    def to_dict(self) -> dict[str, Any]:
        return {
            "department": self.department,
            "earlier": vars(self.earlier),
            "later": vars(self.later),
            "counts": {c: self.count(c) for c in CHANGES},
            "carried_over": self.carried_over,
        }


@dataclass(frozen=True)
class _Row:
    label: str
    reading: LabelKey
    period: str | None
    value: str | None
    iri: str | None
    year: int


@dataclass(frozen=True)
class _Table:
    ref: TableRef
    rows: tuple[_Row, ...]


def _tables(docs: Iterable[Mapping[str, Any]]) -> Iterator[tuple[str, _Table]]:
    for site in iter_table_sites(docs):
        year = site.doc.get("budget_year")
        department = normalise_label(str(site.doc.get("department") or ""))
        if not isinstance(year, int) or not department:
            continue
        rows = tuple(
            _Row(str(ind["l3"]), canonical_label(ind["l3"]), ind.get("period"), ind.get("value"), iri, year)
            for ind, iri in zip(site.indicators, site.indicator_iris, strict=True)
            if ind.get("l3")
        )
        scope = str(site.table.get("scope") or "project")
        ref = TableRef(
            str(site.doc.get("source") or ""),
            site.index,
            year,
            str(site.table.get("name") or ""),
            scope,
            site.iri,
        )
        yield department, _Table(ref, rows)


def _table_name(table: _Table) -> list[Any]:
    # a department's own table matches its table of the other year whatever it is called
    if table.ref.scope == "department":
        return ["department"]
    name = normalise_label(table.ref.name)
    return [name] if name else []


def _table_characters(table: _Table) -> list[Any]:
    return ["".join(sorted(name)) for name in _table_name(table) if name != "department"]


_TABLE_PASSES: tuple[tuple[Keys, Keys], ...] = (
    (_table_name, _table_name),
    (_table_characters, _table_characters),
)


Keys = Callable[[Any], Iterable[Any]]


def _match(
    earlier: Sequence[Any], later: Sequence[Any], passes: Sequence[tuple[Keys, Keys]]
) -> Iterator[tuple[Any, Any]]:
    """Pairs (earlier, later), each item used once, in passes of (index keys, lookup keys).

    A pass indexes the earlier items left under their index keys and gives each later item left
    the first earlier item found under one of its lookup keys.
    """
    left_early, left_late = list(earlier), list(later)
    for index_keys, lookup_keys in passes:
        index: dict[Any, deque[Any]] = defaultdict(deque)
        for item in left_early:
            for key in index_keys(item):
                index[key].append(item)
        taken: set[int] = set()
        still_late = []
        for item in left_late:
            found = None
            for key in lookup_keys(item):
                bucket = index.get(key)
                while bucket and id(bucket[0]) in taken:
                    bucket.popleft()  # each item is skipped once per bucket: linear overall
                if bucket:
                    found = bucket.popleft()
                    break
            if found is None:
                still_late.append(item)
            else:
                taken.add(id(found))
                yield found, item
        left_early = [item for item in left_early if id(item) not in taken]
        left_late = still_late


def _change(a: _Row, b: _Row) -> Change:
    before, after = normalise_value(a.value), normalise_value(b.value)
    if before == after:
        return "unchanged"
    if before.lstrip(_COMPARATORS) == after.lstrip(_COMPARATORS):
        return "restated"  # "≥80M" / "80M": the figure is the same, only a comparator came or went
    ta, tb = parse_target(a.value, default_year=a.year), parse_target(b.value, default_year=b.year)
    if ta.kind == "empty" or tb.kind == "empty":
        return "changed"
    same_unit = ta.unit == tb.unit or ta.unit is None or tb.unit is None
    figures = (ta.number, ta.number_max, ta.date) == (tb.number, tb.number_max, tb.date)
    has_figure = ta.number is not None or ta.date is not None
    return "restated" if has_figure and figures and same_unit else "changed"


def _reading(r: _Row) -> list[Any]:
    return [(r.period, r.reading)]


def _characters(r: _Row) -> list[Any]:
    return [(r.period, r.reading.metric, "".join(sorted(r.reading.subject)))]


def _whole(r: _Row) -> list[Any]:
    return [(r.period, r.reading.metric, r.reading.subject)]


def _parts(r: _Row) -> list[Any]:
    # the subject and every part of it that could stand for it (资金 for 资金发放)
    return [
        (r.period, r.reading.metric, s) for s in (r.reading.subject, *contained_subjects(r.reading.subject))
    ]


# one subject may hold the other either way round: the later one, then the earlier one
_ROW_PASSES: tuple[tuple[Keys, Keys], ...] = (
    (_reading, _reading),
    (_characters, _characters),
    (_whole, _parts),
    (_parts, _whole),
)


def _compare(department: str, earlier: _Table, later: _Table) -> YearComparison:
    pairs = list(_match(earlier.rows, later.rows, _ROW_PASSES))
    matched_early = {id(a) for a, _ in pairs}
    matched_late = {id(b): a for a, b in pairs}
    carries = []
    for row in later.rows:
        before = matched_late.get(id(row))
        if before is None:
            carries.append(Carry("new", row.label, None, row.value, None, row.iri))
        else:
            change = _change(before, row)
            carries.append(Carry(change, row.label, before.value, row.value, before.iri, row.iri))
    for row in earlier.rows:
        if id(row) not in matched_early:
            carries.append(Carry("dropped", row.label, row.value, None, row.iri, None))
    return YearComparison(department, earlier.ref, later.ref, tuple(carries))


def generate_year_comparisons(docs: Iterable[Mapping[str, Any]]) -> list[YearComparison]:
    """Each table compared with the same project's (or department's) table of the nearest earlier year."""
    by_department: dict[str, dict[int, list[_Table]]] = defaultdict(lambda: defaultdict(list))
    for department, table in _tables(docs):
        by_department[department][table.ref.year].append(table)
    found: list[YearComparison] = []
    for department, years in by_department.items():
        for before, after in pairwise(sorted(years)):
            for a, b in _match(years[before], years[after], _TABLE_PASSES):
                found.append(_compare(department, a, b))
    found.sort(key=lambda c: (c.department, c.later.year, c.later.source, c.later.table))
    return found
