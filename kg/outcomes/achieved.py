"""Targets checked against what was achieved: the rows of self-evaluation tables (绩效自评表).

Each row's target (``value``) and achieved value (``actual``) are parsed alike, with
``extract.values.parse_target``, and the row is classified:

* ``met`` / ``missed`` — both are numbers in one unit (a unit written on one side only is taken
  for both; 万/亿/千 are scaled) or both dates; ``missed`` says by how much (``shortfall``, in the
  target's unit, or days) and ``attainment`` is achieved ÷ target.  Which way is better comes from
  the comparator written (≥ floor, ≤ ceiling, = exact, range), else from the label: a cost,
  complaint or accident (``kg.lexicon.NEG_TERMS``) is a ceiling, anything else a floor.
  A text target met word for word (``已完成`` / ``已完成``) is met too, unless it is vague.
* ``not_comparable`` — with the reason: a vague target, text on either side, different units …
* ``missing`` — no achieved value (blank, ``-``, ``/``, ``无``).

Rows are then summed per project table and per department: share met, the rows met at exactly
their target (``exact``: a table whose every comparable row is met exactly had targets set to be
met), and the rows without an achieved value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any, Literal

from extract import parse_target
from extract.records import Target
from kg.iris import iter_table_sites
from kg.lexicon import NEG_TERMS
from kg.lexicon.patterns import normalise

__all__ = [
    "Outcome",
    "OutcomeSummary",
    "Outcomes",
    "RowOutcome",
    "generate_outcomes",
    "parse_outcome",
]

Status = Literal["met", "missed", "not_comparable", "missing"]
STATUSES: tuple[Status, ...] = ("met", "missed", "not_comparable", "missing")

_MULTIPLIERS = {"万": 1e4, "亿": 1e8, "千": 1e3, "百": 1e2}
_ABOUT = 0.05  # "≈" (约, 左右) is met within 5 % of the number


@dataclass(frozen=True)
class Outcome:
    """The verdict on one target beside what was achieved."""

    status: Status
    reason: str = ""
    target_number: float | None = None
    actual_number: float | None = None
    unit: str | None = None
    attainment: float | None = None  # achieved ÷ target, for numbers
    shortfall: float | None = None  # how far short of the target (missed rows): target units, or days
    exact: bool = False  # achieved exactly the number (or date) targeted


def _scaled(number: float, unit: str | None) -> tuple[float, str | None]:
    if unit and len(unit) > 1 and unit[0] in _MULTIPLIERS:
        return number * _MULTIPLIERS[unit[0]], unit[1:]
    return number, unit


def _lower_is_better(label: str) -> bool:
    text = normalise(label)
    return any(term in text for term in NEG_TERMS)


def _direction(comparator: str | None, label: str) -> str:
    if comparator in ("≥", ">", "≤", "<", "=", "≈", "range"):
        return comparator
    return "≤" if _lower_is_better(label) else "≥"


def _judge(direction: str, actual: float, low: float, high: float | None) -> tuple[bool, float]:
    """(met, shortfall ≥ 0) of ``actual`` against a target ``low`` (… ``high`` for a range)."""
    if direction in ("≥", ">"):
        met = actual > low if direction == ">" else actual >= low
        return met, max(0.0, low - actual)
    if direction in ("≤", "<"):
        met = actual < low if direction == "<" else actual <= low
        return met, max(0.0, actual - low)
    if direction == "range" and high is not None:
        return low <= actual <= high, max(0.0, low - actual, actual - high)
    tolerance = abs(low) * _ABOUT if direction == "≈" else 1e-9
    return abs(actual - low) <= tolerance, abs(actual - low)


def _numbers(target: Target, actual: Target, label: str) -> Outcome:
    assert target.number is not None and actual.number is not None
    t_unit, a_unit = target.unit or actual.unit, actual.unit or target.unit
    low, t_base = _scaled(target.number, t_unit)
    high = _scaled(target.number_max, t_unit)[0] if target.number_max is not None else None
    got, a_base = _scaled(actual.number, a_unit)
    if t_base != a_base:
        return Outcome("not_comparable", f"units differ: {t_unit} vs {a_unit}", target.number, actual.number)
    met, short = _judge(_direction(target.comparator, label), got, low, high)
    # figures are given in the target's unit as written (万元 stays 万元)
    scale = low / target.number if target.number else 1.0
    return Outcome(
        status="met" if met else "missed",
        target_number=target.number,
        actual_number=round(got / scale, 6),
        unit=t_unit,
        attainment=got / low if low else None,
        shortfall=None if met else round(short / scale, 6),
        exact=abs(got - low) < 1e-9 and high is None,
    )


def _dates(target: Target, actual: Target) -> Outcome:
    assert target.date and actual.date
    due, done = date.fromisoformat(target.date), date.fromisoformat(actual.date)
    late = (done - due).days
    met = late >= 0 if target.comparator in ("≥", ">") else late <= 0
    short = None if met else float(abs(late))
    return Outcome("met" if met else "missed", "", None, None, "日", None, short, late == 0)


def parse_outcome(
    value: str | None,
    actual: str | None,
    *,
    label: str = "",
    year: int | None = None,
    vague: bool | None = None,
) -> Outcome:
    """The verdict on one row: target ``value`` beside ``actual``, both as written.

    ``label`` (the L3 name) decides which way is better when no comparator is written; ``vague``
    is the target's vagueness verdict where known (``kg.vague`` decides it otherwise).
    """
    achieved = parse_target(actual, default_year=year)
    if achieved.kind == "empty":
        return Outcome("missing", "no achieved value")
    target = parse_target(value, default_year=year)
    if target.kind == "empty":
        return Outcome("not_comparable", "no target")
    numeric = ("quantity", "duration")
    if target.kind in numeric and achieved.kind in numeric:
        judged = _numbers(target, achieved, label)
        if achieved.comparator is not None and judged.status != "not_comparable":
            # "≥266米" achieved: a result is a figure, a comparator in it is the target copied over
            return replace(judged, reason="achieved value written with a comparator, as a target")
        return judged
    if target.kind == "date" and achieved.kind == "date" and target.date and achieved.date:
        return _dates(target, achieved)
    if vague is None:
        from kg.vague import classify_target

        vague = classify_target(value, target).vague
    if vague:
        return Outcome("not_comparable", "vague target")
    if target.kind == "text" and normalise(value) == normalise(actual):
        return Outcome("met", "achieved as worded", exact=True)
    sides = {"target": target.kind, "achieved": achieved.kind}
    return Outcome("not_comparable", ", ".join(f"{k} is {v}" for k, v in sides.items() if v not in numeric))


@dataclass(frozen=True)
class RowOutcome:
    """One self-evaluation row and its verdict, with where it comes from."""

    source: str
    table: int
    index: int
    line: int
    department: str
    project: str
    label: str
    value: str | None
    actual: str | None
    outcome: Outcome
    iri: str | None = None
    table_iri: str | None = None

    @property
    def project_key(self) -> str:
        return f"{self.source}#{self.table}"

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k != "outcome"} | asdict(self.outcome)


@dataclass(frozen=True)
class OutcomeSummary:
    """Rows of one project table (``key`` = source#table) or one department (``key`` = its name)."""

    key: str
    name: str
    department: str
    rows: int
    met: int
    missed: int
    not_comparable: int
    missing: int
    exact: int  # met at exactly the target

    @property
    def share_met(self) -> float | None:
        """Met among the rows that could be checked (met + missed), None when none could."""
        checked = self.met + self.missed
        return self.met / checked if checked else None

    @property
    def set_to_be_met(self) -> bool:
        """Every checked row (at least two) met at exactly its target: the targets were set to be met."""
        return self.met + self.missed >= 2 and self.missed == 0 and self.exact == self.met

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"share_met": self.share_met, "set_to_be_met": self.set_to_be_met}


@dataclass(frozen=True)
class Outcomes:
    rows: list[RowOutcome]
    projects: list[OutcomeSummary]
    departments: list[OutcomeSummary]


def _self_evaluation_rows(docs: Iterable[Mapping[str, Any]]) -> Iterator[RowOutcome]:
    for site in iter_table_sites(docs):
        if site.table.get("kind") != "self_evaluation":
            continue
        source = str(site.doc.get("source") or "")
        year = site.doc.get("budget_year")
        for i_index, ind in enumerate(site.indicators):
            label = str(ind.get("l3") or "")
            target = ind.get("target")
            vague = target.get("vague") if isinstance(target, Mapping) and target else None
            yield RowOutcome(
                source=source,
                table=site.index,
                index=i_index,
                line=int(ind.get("line") or 0),
                department=str(site.doc.get("department") or source),
                project=str(site.table.get("name") or f"{source} table {site.index + 1}"),
                label=label,
                value=ind.get("value"),
                actual=ind.get("actual"),
                outcome=parse_outcome(
                    ind.get("value"), ind.get("actual"), label=label, year=year, vague=vague
                ),
                iri=site.indicator_iris[i_index],
                table_iri=site.iri,
            )


def _summaries(rows: list[RowOutcome], key_of: str) -> list[OutcomeSummary]:
    grouped: dict[str, list[RowOutcome]] = defaultdict(list)
    for row in rows:
        grouped[row.project_key if key_of == "project" else row.department].append(row)
    found = []
    for key, members in grouped.items():
        counts = {s: sum(r.outcome.status == s for r in members) for s in STATUSES}
        first = members[0]
        found.append(
            OutcomeSummary(
                key=key,
                name=first.project if key_of == "project" else first.department,
                department=first.department,
                rows=len(members),
                met=counts["met"],
                missed=counts["missed"],
                not_comparable=counts["not_comparable"],
                missing=counts["missing"],
                exact=sum(r.outcome.status == "met" and r.outcome.exact for r in members),
            )
        )
    # the weakest first: lowest share met, then most rows that could not be checked
    found.sort(key=lambda s: (s.share_met if s.share_met is not None else 2.0, -s.missing, s.key))
    return found


def generate_outcomes(docs: Iterable[Mapping[str, Any]]) -> Outcomes:
    """Every self-evaluation row of ``docs`` judged, and the sums per project table and department."""
    rows = list(_self_evaluation_rows(docs))
    return Outcomes(rows, _summaries(rows, "project"), _summaries(rows, "department"))
