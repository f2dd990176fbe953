"""The records extraction produces: documents holding tables holding indicators.

Their JSON shape is the gold annotation schema (``../shared/gold/SCHEMA.md``) plus, per
table, ``unparsed`` (lines of the table that became nothing) and, per indicator, a
parsed ``target``.  Everything downstream (graph, analyses, reports) reads this shape,
as plain dicts, so that a JSON export can be fed back in without this package.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

__all__ = [
    "Document",
    "Funding",
    "Indicator",
    "Table",
    "Target",
    "Unparsed",
]

Period = Literal["midterm", "annual"] | None
Scope = Literal["project", "department"]
# a target table states what is promised before the year (申报表, 目标表, 批复表); a
# self-evaluation (绩效自评表) sets each target beside what was achieved after it
Kind = Literal["target", "self_evaluation"]


@dataclass
class Target:
    """A target value (指标值) parsed into comparable parts."""

    kind: Literal["quantity", "date", "duration", "text", "empty"] = "empty"
    comparator: str | None = None
    number: float | None = None
    number_max: float | None = None
    unit: str | None = None
    date: str | None = None
    vague: bool = False
    vague_terms: list[str] = field(default_factory=list)


@dataclass
class Indicator:
    l1: str | None
    l2: str | None
    l3: str
    value: str | None
    line: int
    period: Period = None
    description: str | None = None
    basis: str | None = None  # 指标值确定依据, where the table has that column
    target: Target | None = None
    # self-evaluation tables: 实际完成值 as written (the target stays in ``value``), and
    # the row's 分值/权重 and 得分 as written; target tables may state a weight too
    actual: str | None = None
    weight: str | None = None
    score: str | None = None
    page: int | None = None  # 1-based page, for sources that have pages (PDF)


@dataclass
class Funding:
    """Money in 万元; ``source`` is ``table`` or ``document`` (or None when nothing states it)."""

    annual_total: float | None = None
    annual_fiscal: float | None = None
    midterm_total: float | None = None
    source: Literal["table", "document"] | None = None

    def empty(self) -> bool:
        return self.annual_total is None and self.annual_fiscal is None and self.midterm_total is None


@dataclass
class Unparsed:
    line: int
    text: str
    reason: str = ""
    page: int | None = None


@dataclass
class Table:
    scope: Scope
    name: str | None
    line: int
    title: str = ""
    implementing_unit: str | None = None
    project_code: str | None = None
    funding: Funding = field(default_factory=Funding)
    annual_goal: str | None = None
    midterm_goal: str | None = None
    indicators: list[Indicator] = field(default_factory=list)
    unparsed: list[Unparsed] = field(default_factory=list)
    end_line: int = 0
    layout: str = ""
    columns: list[str] = field(default_factory=list)  # the indicator header's captions as written
    kind: Kind = "target"
    page: int | None = None  # 1-based page of the title (or first line), for paged sources


@dataclass
class Document:
    source: str
    department: str | None = None
    budget_year: int | None = None
    encoding: str = "utf-8"
    tables: list[Table] = field(default_factory=list)
    sha256: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
