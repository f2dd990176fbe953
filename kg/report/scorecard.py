"""Scorecards: what the report counts for one department, document or project table.

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

from kg.rules import SEVERITIES, Finding, RuleConfig
from kg.rules.context import Row, TableView
from kg.rules.reading import money_wan

__all__ = [
    "DIMENSIONS",
    "STATUSES",
    "UNKNOWN_DIMENSION",
    "Reconciliation",
    "Scorecard",
    "Tally",
    "dimension_of",
    "reconcile",
    "severity_counts",
]

DIMENSIONS: tuple[str, ...] = ("产出", "效益", "满意度", "成本")
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
    by_rule: Mapping[str, int]  # rules that fired, in rule order
    by_severity: Mapping[str, int]  # H, M, L, all present
    missing: Mapping[str, int]  # dimension -> tables lacking it (only dimensions some table lacks)
    # 万元; for a table as stated, for a department or document summed over the tables where both are known
    funding: float | None
    costs: float | None
    reconciliation: Mapping[str, int]  # status -> tables

    @property
    def vague_share(self) -> float | None:
        return self.vague / self.indicators if self.indicators else None

    @property
    def findings(self) -> int:
        return sum(self.by_severity.values())


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
    counts = Counter(f.severity for f in findings)
    return {s: counts.get(s, 0) for s in SEVERITIES}


def _by_rule(findings: Iterable[Finding]) -> dict[str, int]:
    # like severity_counts, defects only: information (I) is shown, never counted
    counts = Counter(f.rule for f in findings if f.is_defect)
    return {r: counts[r] for r in sorted(counts)}


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

    def add_table(self, table: TableView, rec: Reconciliation) -> None:
        self.tables += 1
        self.indicators += len(table.rows)
        self.vague += sum(1 for r in table.rows if r.vague.vague)
        self.missing.update(_missing(table))
        self.statuses[rec.status] += 1
        if rec.costs is not None and rec.funding:
            self.funding = (self.funding or 0.0) + rec.funding
            self.costs = (self.costs or 0.0) + rec.costs

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
        )
