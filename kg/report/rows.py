"""The rows of the report model: one dataclass per kind of line a renderer prints."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kg.rules.base import INFO

__all__ = [
    "BoilerplateRow",
    "FindingRow",
    "GroupMember",
    "IdenticalGroup",
    "IndicatorRow",
    "RuleRow",
    "TemplateRow",
]


@dataclass(frozen=True)
class FindingRow:
    rule: str
    rule_name: str
    rule_name_zh: str
    severity: str
    message: str
    department: str
    source: str
    project: str | None  # the table's name
    project_key: str | None  # the project scorecard it counts in
    line: int | None
    indicator: str | None
    period: str | None
    text: str | None  # as written
    terms: tuple[str, ...]
    indicator_index: int | None = None
    # as the rules give them (kg.rules.Finding fields of the same names)
    message_zh: str | None = None
    suggestion_zh: str | None = None
    suggestion_en: str | None = None
    secondary: tuple[str, ...] = ()  # rules whose findings on the same row are folded into this one
    periods: tuple[str, ...] = ()  # "midterm", "annual": the periods whose identical rows this one stands for

    @property
    def is_info(self) -> bool:
        return self.severity == INFO

    rows: tuple[int, ...] = ()  # the rows it is about: its own, and the other period's where folded
    advice_zh: str | None = None  # what to do about any finding of the rule (kg/report/advice.toml)
    advice_en: str | None = None

    @property
    def row_keys(self) -> tuple[tuple[str, str, int], ...]:
        key = self.project_key
        return tuple((self.source, key, i) for i in self.rows) if key is not None else ()


@dataclass(frozen=True)
class RuleRow:
    id: str
    name: str
    name_zh: str
    severity: str  # the rule's default severity
    explanation: str
    findings: int  # defects (H, M, L)
    by_severity: Mapping[str, int]
    projects: int  # tables with at least one finding of the rule
    info: int = 0  # information-level notes of the rule (not in ``findings``)
    advice_zh: str | None = None
    advice_en: str | None = None


@dataclass(frozen=True)
class TemplateRow:
    label: str
    projects: int
    departments: int
    rows: int
    variants: tuple[str, ...]  # spellings, commonest first
    used_by: tuple[str, ...]  # "project (department, source)" of every table using it


@dataclass(frozen=True)
class GroupMember:
    project: str
    department: str
    source: str
    line: int | None
    project_key: str


@dataclass(frozen=True)
class IdenticalGroup:
    identical: bool
    min_jaccard: float
    members: tuple[GroupMember, ...]
    skeleton: bool = False  # the same indicators, the targets differ (see kg.report.headline.skeleton_groups)

    @property
    def kind(self) -> str:
        return "skeleton" if self.skeleton else "identical" if self.identical else "near-identical"


@dataclass(frozen=True)
class BoilerplateRow:
    department: str
    label: str
    projects: int
    of_projects: int
    share: float
    values: tuple[str, ...]


@dataclass(frozen=True)
class IndicatorRow:
    department: str
    source: str
    project: str
    project_key: str
    line: int
    period: str | None
    l1: str | None
    l2: str | None
    l3: str
    value: str | None
    dimension: str  # 产出 / 效益 / 满意度 / 成本 / 未识别
    vague: bool
    vague_terms: tuple[str, ...]
    rules: tuple[str, ...]  # rules that fired on this row
    index: int = 0  # the row's position in its table (a finding's indicator_index)

    @property
    def row_key(self) -> tuple[str, str, int]:
        return self.source, self.project_key, self.index
