"""The report's two outcome sections: targets beside what was achieved, and targets carried over.

Both are read from analyses that already exist (:mod:`kg.outcomes`), not recomputed:

* **achievement** (目标与完成): one row per self-evaluation table (绩效自评表) with its rows met,
  missed, not comparable and without an achieved value, weakest first as
  :func:`kg.outcomes.generate_outcomes` sorts them; the corpus totals; and the ``top`` missed rows
  that fell furthest short of their targets;
* **carried over** (逐年沿用): one row per pair of tables of the same project (or department) in two
  budget years (:func:`kg.outcomes.generate_year_comparisons`), the tables copied forward first.

The model keeps every table row (one per table, as the scorecards do); the renderers that a person
reads (HTML, Markdown) show the first :data:`SHOWN` and say how many more there are.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kg.outcomes import Outcomes, OutcomeSummary, RowOutcome, YearComparison

__all__ = [
    "NOTES",
    "SHOWN",
    "Achievement",
    "AchievementRow",
    "CarriedOver",
    "CarryRow",
    "MissedRow",
    "generate_achievement",
    "generate_carried_over",
]

SHOWN = 50  # table rows of each section on the overview and in Markdown; the workbook has them all
_DAYS_AS_WHOLE_TARGET = 365  # a deadline missed by a year ranks with a number missed by its whole size

# what the sections' counts mean, and what they say when there is nothing to show: one text for
# every renderer, so the formats cannot explain them differently
NOTES = {
    "achievement": (
        "Each row of a self-evaluation table (绩效自评表) puts its target beside what was achieved. "
        "Met (达成) and missed (未达成): both are numbers in one unit, or both dates, judged by the "
        "comparator written (≥, ≤, =, a range) or, without one, by the label (a cost, complaint or "
        "accident is a ceiling, anything else a floor). Not comparable (无法比较): a vague target, text "
        "on either side, or different units. Actual missing (缺完成值): no achieved value written. "
        "Share met counts met among met + missed. Set to be met (恰好达标): every checked row (two or "
        "more) met at exactly its target, as if the target had been written from the result. "
        "Weakest tables first."
    ),
    "missed": (
        "Missed targets, furthest short first as a share of the target (a deadline by its days "
        "late: a year late ranks with a target missed by its whole size)."
    ),
    "no_achievement": (
        "No self-evaluation table (绩效自评表) in these documents: there is nothing to check targets "
        "against. 本批文件中没有绩效自评表，无法对照目标检查完成情况。"
    ),
    "no_missed": "No checkable target was missed. 没有未达成的可核对目标。",
    "carried": (
        "A table beside the same project's (or the department's own) table of the nearest earlier "
        "year it discloses, matched by name within one department. Each later row is unchanged "
        "(未变: the same target text), restated (改写同值: the same figure written otherwise, ≥80% / "
        "80%), changed (已改) or new (新增); dropped (删除) counts the earlier rows left out. A table is "
        "carried over (整表沿用) when every one of its rows is an earlier row with the same target: "
        "the targets did not move with a year's results. The most copied first."
    ),
    "no_carried": (
        "No project or department appears in two budget years in these documents: there is nothing "
        "carried over to compare. 本批文件中没有同一项目或部门两个年度的表，无从比较逐年沿用。"
    ),
}


@dataclass(frozen=True)
class AchievementRow:
    """One self-evaluation table: its rows by verdict (see :class:`kg.outcomes.OutcomeSummary`)."""

    key: str  # source#table, the project scorecard's key
    project: str
    department: str
    source: str
    rows: int
    met: int
    missed: int
    not_comparable: int
    missing: int  # no achieved value written
    exact: int  # met at exactly the target
    share_met: float | None  # met among met + missed; None when no row could be checked
    set_to_be_met: bool  # every checked row (two or more) met at exactly its target

    @property
    def checked(self) -> int:
        return self.met + self.missed


@dataclass(frozen=True)
class MissedRow:
    """One target that was not reached, with how far short it fell."""

    key: str  # the project scorecard's key
    project: str
    department: str
    source: str
    line: int
    label: str
    value: str | None  # the target as written
    actual: str | None  # what was achieved, as written
    shortfall: float | None  # in the target's unit, or days late
    unit: str | None
    share_short: float | None  # the shortfall as a share of the target; None for dates and zero targets
    gap: float  # share_short, or for ranking days late as a share of a year, a zero target missed as 1

    @property
    def short_by(self) -> str:
        """How far short, with its unit as the tables write it: ``2%``, ``92日``, ``5万元``."""
        if self.shortfall is None:
            return ""
        return f"{self.shortfall:,.2f}".rstrip("0").rstrip(".") + (self.unit or "")


@dataclass(frozen=True)
class Achievement:
    tables: list[AchievementRow]  # every self-evaluation table, weakest first
    missed: list[MissedRow]  # the rows furthest short of their targets, at most ``top``
    missed_total: int  # every missed row
    rows: int
    met: int
    not_comparable: int
    missing: int

    @property
    def checked(self) -> int:
        return self.met + self.missed_total

    @property
    def share_met(self) -> float | None:
        return self.met / self.checked if self.checked else None

    @property
    def set_to_be_met(self) -> int:
        return sum(t.set_to_be_met for t in self.tables)


@dataclass(frozen=True)
class CarryRow:
    """One table beside the same project's (or department's) table of an earlier year."""

    key: str  # the later table's project scorecard key
    project: str  # the later table's name
    earlier_project: str
    department: str
    earlier_source: str
    later_source: str
    earlier_year: int
    later_year: int
    unchanged: int  # the same target text
    restated: int  # the same figure written otherwise (≥80% / 80%)
    changed: int
    new: int
    dropped: int  # earlier rows the later table no longer has
    carried_over: bool  # every later row an earlier one with the same target

    @property
    def later_rows(self) -> int:
        return self.unchanged + self.restated + self.changed + self.new

    @property
    def share_copied(self) -> float:
        """Later rows whose target is the earlier year's (unchanged or restated)."""
        return (self.unchanged + self.restated) / self.later_rows if self.later_rows else 0.0


@dataclass(frozen=True)
class CarriedOver:
    tables: list[CarryRow]  # every pair of years, the most copied first
    carried_over: int  # pairs whose later table is the earlier one copied forward
    kept: int  # later rows whose target is the earlier one's (unchanged or restated)
    later_rows: int


def _share_short(row: RowOutcome) -> float | None:
    o = row.outcome
    return o.shortfall / abs(o.target_number) if o.shortfall is not None and o.target_number else None


def _gap(row: RowOutcome) -> float:
    o = row.outcome
    if o.shortfall is None:
        return 0.0
    if o.target_number is None:  # a date: shortfall in days
        return o.shortfall / _DAYS_AS_WHOLE_TARGET
    # a target of zero (no accident) missed at all is missed by its whole size
    return o.shortfall / abs(o.target_number) if o.target_number else 1.0


def _summary_row(s: OutcomeSummary, department: str, source: str) -> AchievementRow:
    return AchievementRow(
        key=s.key,
        project=s.name,
        department=department,
        source=source,
        rows=s.rows,
        met=s.met,
        missed=s.missed,
        not_comparable=s.not_comparable,
        missing=s.missing,
        exact=s.exact,
        share_met=s.share_met,
        set_to_be_met=s.set_to_be_met,
    )


def generate_achievement(
    outcomes: Outcomes, department_of: Mapping[str, str], *, top: int = 20
) -> Achievement:
    """The achievement section; ``department_of`` names each source's department as the report does."""
    source_of = {r.project_key: r.source for r in outcomes.rows}
    tables = []
    for s in outcomes.projects:
        source = source_of.get(s.key, "")
        tables.append(_summary_row(s, department_of.get(source, s.department), source))
    missed = [r for r in outcomes.rows if r.outcome.status == "missed"]
    # the furthest short first; a heap keeps this linear in the rows at any corpus size
    worst = heapq.nsmallest(top, missed, key=lambda r: (-_gap(r), r.source, r.table, r.index))
    return Achievement(
        tables=tables,
        missed=[
            MissedRow(
                key=r.project_key,
                project=r.project,
                department=department_of.get(r.source, r.department),
                source=r.source,
                line=r.line,
                label=r.label,
                value=r.value,
                actual=r.actual,
                shortfall=r.outcome.shortfall,
                unit=r.outcome.unit,
                share_short=_share_short(r),
                gap=_gap(r),
            )
            for r in worst
        ],
        missed_total=len(missed),
        rows=len(outcomes.rows),
        met=sum(t.met for t in tables),
        not_comparable=sum(t.not_comparable for t in tables),
        missing=sum(t.missing for t in tables),
    )


def _carry_row(c: YearComparison, department_of: Mapping[str, str]) -> CarryRow:
    later_department = department_of.get(c.later.source, c.department)
    return CarryRow(
        key=f"{c.later.source}#{c.later.table}",
        project=c.later.name or later_department,
        earlier_project=c.earlier.name or department_of.get(c.earlier.source, c.department),
        department=later_department,
        earlier_source=c.earlier.source,
        later_source=c.later.source,
        earlier_year=c.earlier.year,
        later_year=c.later.year,
        unchanged=c.count("unchanged"),
        restated=c.count("restated"),
        changed=c.count("changed"),
        new=c.count("new"),
        dropped=c.count("dropped"),
        carried_over=c.carried_over,
    )


def generate_carried_over(
    comparisons: Iterable[YearComparison], department_of: Mapping[str, str]
) -> CarriedOver:
    """The carried-over section: tables copied forward first, then by the share of targets kept."""
    rows = [_carry_row(c, department_of) for c in comparisons]
    rows.sort(
        key=lambda r: (not r.carried_over, -r.share_copied, -r.unchanged, r.department, r.later_year, r.key)
    )
    return CarriedOver(
        tables=rows,
        carried_over=sum(r.carried_over for r in rows),
        kept=sum(r.unchanged + r.restated for r in rows),
        later_rows=sum(r.later_rows for r in rows),
    )
