"""Scorecards: what the report counts for one department, document or project table.

Defects are findings of severity H, M or L (:data:`DEFECTS`); an information-level note (``I``)
is counted apart and never as a defect.  A row *has a defect* when an H or M finding
(:data:`SERIOUS`) is about it; a target *cannot be checked* when the vagueness classifier flags it
or an H finding of the catalogue's families A (is the value measurable?) or B (are the numbers
sound?) is about it (:data:`UNCHECKABLE_FAMILIES`).

A row's dimension (产出/效益/满意度/成本) and vagueness are the ones the rules see
(:func:`kg.rules.prepare`: the framework mapping of ``kg.framework`` and ``kg.vague``).  The
funding reconciliation sums cost rows the way rule Q27 does (:func:`kg.rules.reading.money_wan` over
the annual rows, against the table's annual funding, with Q27's tolerance and coverage thresholds).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from kg.rules import RULES, SEVERITIES, Finding, RuleConfig
from kg.rules.base import INFO
from kg.rules.context import Row, TableView
from kg.rules.reading import money_wan

__all__ = [
    "DEFECTS",
    "DIMENSIONS",
    "INFO",
    "SERIOUS",
    "STATUSES",
    "UNCHECKABLE_FAMILIES",
    "UNKNOWN_DIMENSION",
    "Reconciliation",
    "Scorecard",
    "Tally",
    "dimension_of",
    "finding_rows",
    "reconcile",
    "severity_counts",
    "uncheckable_reason",
]

DIMENSIONS: tuple[str, ...] = ("产出", "效益", "满意度", "成本")
DEFECTS: tuple[str, ...] = SEVERITIES  # the rules' defect severities; INFO (I) is never one
SERIOUS: tuple[str, ...] = ("H", "M")
UNCHECKABLE_FAMILIES: tuple[str, ...] = ("A", "B")
VAGUE_REASON = "vague"  # the classifier's flag, where no rule says more
UNKNOWN_DIMENSION = "未识别"

Status = Literal["over", "under", "ok", "no funding", "no cost amounts"]
STATUSES: tuple[Status, ...] = ("over", "under", "ok", "no funding", "no cost amounts")


@dataclass(frozen=True)
class Reconciliation:
    """A table's annual funding against the money its annual cost rows name, both in 万元."""

    funding: float | None
    costs: float | None  # None when no cost row names an amount
    cost_rows: int
    status: Status

    @property
    def share(self) -> float | None:
        return self.costs / self.funding if self.costs is not None and self.funding else None


def reconcile(table: TableView, config: RuleConfig | None = None) -> Reconciliation:
    """Q27's comparison for one table, as figures rather than findings."""
    cfg = config or RuleConfig()
    amounts = [m[0] for r in table.annual_rows() if r.is_cost and (m := money_wan(r)) is not None]
    funding = table.funding_annual
    costs = sum(amounts) if amounts else None
    if not funding:
        status: Status = "no funding"
    elif costs is None:
        status = "no cost amounts"
    elif costs > funding * (1 + cfg.cost_tolerance):
        status = "over"
    elif costs < funding * cfg.cost_coverage_min:
        status = "under"
    else:
        status = "ok"
    return Reconciliation(funding, costs, len(amounts), status)


@dataclass(frozen=True)
class Scorecard:
    """Counts for one department, document or project table."""

    key: str  # department name, document source, or "source#table-index"
    label: str
    department: str
    source: str | None  # None for a department (it may span documents)
    line: int | None  # a project table's title line
    scope: str | None  # a table's scope (project / department)
    tables: int
    indicators: int
    vague: int
    by_rule: Mapping[str, int]  # rules that fired (defects only), in rule order
    by_severity: Mapping[str, int]  # H, M, L, all present
    missing: Mapping[str, int]  # dimension -> tables lacking it (only dimensions some table lacks)
    # 万元, reconciled: for a table as stated, for a department or document summed over the tables
    # where both funding and cost amounts are known
    funding: float | None
    costs: float | None
    reconciliation: Mapping[str, int]  # status -> tables
    # 万元 as stated, every table that states it: project tables, and department-wide tables apart
    # (a department-wide budget contains its projects' money, so the two are never added)
    stated: float | None = None
    stated_department: float | None = None
    defect_rows: int = 0  # rows an H or M finding is about
    uncheckable: int = 0  # rows whose target cannot be checked
    info: int = 0  # information-level notes, not defects

    @property
    def vague_share(self) -> float | None:
        return self.vague / self.indicators if self.indicators else None

    @property
    def findings(self) -> int:
        return sum(self.by_severity.values())

    @property
    def stated_any(self) -> float | None:
        """For one table, the funding it states whatever its scope."""
        return self.stated if self.stated is not None else self.stated_department

    @property
    def defect_share(self) -> float | None:
        return self.defect_rows / self.indicators if self.indicators else None


def dimension_of(row: Row) -> str:
    return row.cat1 or UNKNOWN_DIMENSION


def _has(rows: Sequence[Row], dimension: str) -> bool:
    if dimension == "满意度":
        return any(r.is_satisfaction for r in rows)
    if dimension == "效益":
        # satisfaction filed under 效益 (10号 layout) is not a benefit: Q18 says the same
        return any(r.cat1 == "效益" and not r.is_satisfaction for r in rows)
    if dimension == "成本":
        return any(r.is_cost for r in rows)
    return any(r.cat1 == dimension for r in rows)


def _missing(table: TableView) -> dict[str, int]:
    if not table.rows:
        return {}
    return {d: 1 for d in DIMENSIONS if not _has(table.rows, d)}


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """Defects per severity (H, M, L); information-level notes are not among them."""
    counts = Counter(str(f.severity) for f in findings)
    return {s: counts.get(s, 0) for s in DEFECTS}


def _by_rule(findings: Iterable[Finding]) -> dict[str, int]:
    # like severity_counts, defects only: information (I) is shown, never counted
    counts = Counter(f.rule for f in findings if f.is_defect)
    return {r: counts[r] for r in sorted(counts)}


RowKey = tuple[str, int, int]  # source, table index, indicator index


def finding_rows(f: Finding, table: TableView) -> tuple[int, ...]:
    """The indicator rows of ``table`` that ``f`` is about: its own, plus, where the rules folded
    the same indicator's 中期 and 年度 rows into one finding (its ``periods``), the other period's."""
    if f.indicator_index is None:
        return ()
    periods = set(f.periods)
    if len(periods) < 2 or f.indicator_index >= len(table.rows):
        return (f.indicator_index,)
    own = table.rows[f.indicator_index]
    return tuple(
        r.index
        for r in table.rows
        if r.index == own.index or (r.l3 == own.l3 and r.period in periods and r.period != own.period)
    )


def uncheckable_reason(rule_id: str, severity: str) -> str | None:
    """The rule id, when a finding of ``rule_id`` at ``severity`` says its row's target cannot be checked."""
    rule = RULES.get(rule_id)
    if severity == "H" and rule is not None and rule.family in UNCHECKABLE_FAMILIES:
        return rule_id
    return None


def _add(total: float | None, amount: float | None) -> float | None:
    return total if not amount else (total or 0.0) + amount


@dataclass
class Tally:
    """What a scorecard adds up, filled table by table."""

    tables: int = 0
    indicators: int = 0
    vague: int = 0
    missing: Counter[str] = field(default_factory=Counter)
    funding: float | None = None
    costs: float | None = None
    statuses: Counter[str] = field(default_factory=Counter)
    findings: list[Finding] = field(default_factory=list)
    stated: float | None = None
    stated_department: float | None = None
    vague_rows: set[RowKey] = field(default_factory=set)
    views: dict[tuple[str, int], TableView] = field(default_factory=dict)

    def rows_of(self, f: Finding) -> set[RowKey]:
        table = self.views.get((f.source, f.table_index)) if f.table_index is not None else None
        return {(f.source, table.index, i) for i in finding_rows(f, table)} if table is not None else set()

    def add_table(self, table: TableView, rec: Reconciliation, source: str = "") -> None:
        self.tables += 1
        self.views[source, table.index] = table
        self.indicators += len(table.rows)
        vague = {(source, table.index, r.index) for r in table.rows if r.vague.vague}
        self.vague += len(vague)
        self.vague_rows |= vague
        self.missing.update(_missing(table))
        self.statuses[rec.status] += 1
        if rec.costs is not None and rec.funding:
            self.funding = (self.funding or 0.0) + rec.funding
            self.costs = (self.costs or 0.0) + rec.costs
        if table.scope == "department":
            self.stated_department = _add(self.stated_department, rec.funding)
        else:
            self.stated = _add(self.stated, rec.funding)

    def card(self, key: str, label: str, department: str, **where: Any) -> Scorecard:
        return Scorecard(
            key=key,
            label=label,
            department=department,
            source=where.get("source"),
            line=where.get("line"),
            scope=where.get("scope"),
            tables=self.tables,
            indicators=self.indicators,
            vague=self.vague,
            by_rule=_by_rule(self.findings),
            by_severity=severity_counts(self.findings),
            missing={d: self.missing[d] for d in DIMENSIONS if self.missing[d]},
            funding=self.funding,
            costs=self.costs,
            reconciliation={s: self.statuses[s] for s in STATUSES if self.statuses[s]},
            stated=self.stated,
            stated_department=self.stated_department,
            defect_rows=len(set().union(*(self.rows_of(f) for f in self.findings if f.severity in SERIOUS))),
            uncheckable=len(
                self.vague_rows.union(
                    *(self.rows_of(f) for f in self.findings if uncheckable_reason(f.rule, f.severity))
                )
            ),
            info=sum(1 for f in self.findings if f.severity == INFO),
        )
