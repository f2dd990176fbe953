"""Findings, rules and the registry the rule families add themselves to."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from kg.rules.config import RuleConfig, load_config
from kg.rules.context import DocView, Row, TableView, prepare
from kg.rules.text import Said

__all__ = ["ALL_SEVERITIES", "INFO", "RULES", "SEVERITIES", "Finding", "Hit", "Rule", "Severity", "rule"]

Severity = Literal["H", "M", "L", "I"]
# H: the value cannot be scored or contradicts itself; M: weak or misleading; L: stylistic.
# I: information, shown on demand and never counted as a defect (a bare "100%" read as "=").
SEVERITIES: tuple[Severity, ...] = ("H", "M", "L")  # the defect severities, the ones counted
INFO: Severity = "I"
ALL_SEVERITIES: tuple[Severity, ...] = (*SEVERITIES, INFO)


@dataclass(frozen=True)
class Finding:
    """One rule matched one indicator (``indicator_index`` set), one table, or a pair of tables.

    ``message`` is English, ``message_zh`` Chinese; ``suggestion_en``/``suggestion_zh`` propose a
    rewrite of the value or label (X, Y stand for figures only the author knows).  A finding is the
    primary one of its defect: ``secondary`` lists the rules that fired on the same row for the same
    defect and were folded under it, ``periods`` the 中期/年度 rows it covers when it repeats on both
    (see :mod:`kg.rules.merge`).
    """

    rule: str
    severity: Severity
    message: str
    source: str  # the document's file name
    table_index: int | None
    table: str | None  # the table (project) name
    line: int | None  # the indicator's line, else the table's
    table_line: int | None = None
    indicator_index: int | None = None
    indicator: str | None = None  # the L3 as written
    period: str | None = None
    text: str | None = None  # what the finding is about, as written (value, goal, label …)
    terms: tuple[str, ...] = ()  # matched words or other evidence
    related: tuple[int, ...] = ()  # other tables of the same document involved
    subject: str | None = None  # IRI of the indicator (or table) in the graph, set by kg.findings
    message_zh: str = ""
    suggestion_zh: str | None = None
    suggestion_en: str | None = None
    secondary: tuple[str, ...] = ()  # rule ids folded under this finding (same row, same defect)
    periods: tuple[str, ...] = ()  # "midterm", "annual": the rows of one indicator it stands for

    @property
    def is_defect(self) -> bool:
        return self.severity != INFO

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("terms", "related", "secondary", "periods"):
            data[key] = list(getattr(self, key))
        return data


@dataclass(frozen=True)
class Hit:
    """What a check yields; the rule fills in its id, default severity and the location."""

    said: Said  # what is wrong, in both languages, and a suggested rewrite
    row: Row | None = None
    terms: tuple[str, ...] = ()
    severity: Severity | None = None
    table: TableView | None = None
    text: str | None = None
    related: tuple[int, ...] = ()


Check = Callable[[DocView, RuleConfig], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    """A catalogue rule: ``rule(doc)`` runs it over one document dict (or a prepared view)."""

    id: str
    severity: Severity
    name: str
    name_zh: str
    family: str
    explanation: str
    check: Check = field(repr=False)

    def __call__(
        self, doc: Mapping[str, Any] | DocView, config: RuleConfig | Mapping[str, Any] | None = None
    ) -> list[Finding]:
        view = prepare(doc)
        cfg = load_config(config)
        return [self._finding(view, hit) for hit in self.check(view, cfg)]

    def _finding(self, view: DocView, hit: Hit) -> Finding:
        row = hit.row
        table_index = row.table if row is not None else (hit.table.index if hit.table is not None else None)
        table = view.tables[table_index] if table_index is not None else None
        return Finding(
            rule=self.id,
            severity=hit.severity or self.severity,
            message=hit.said.en,
            message_zh=hit.said.zh,
            suggestion_zh=hit.said.suggestion_zh,
            suggestion_en=hit.said.suggestion_en,
            source=view.source,
            table_index=table_index,
            table=table.name if table is not None else None,
            line=row.line if row is not None else (table.line if table is not None else None),
            table_line=table.line if table is not None else None,
            indicator_index=row.index if row is not None else None,
            indicator=row.l3 if row is not None else None,
            period=row.period if row is not None else None,
            text=hit.text if hit.text is not None else (row.value if row is not None else None),
            terms=tuple(hit.terms),
            related=tuple(hit.related),
        )


RULES: dict[str, Rule] = {}


def rule(
    id: str, severity: Severity, name: str, name_zh: str, family: str, explanation: str
) -> Callable[[Check], Rule]:
    """Register a check under a catalogue id; the decorated name becomes the Rule."""

    def register(check: Check) -> Rule:
        if id in RULES:
            raise ValueError(f"rule {id} registered twice")
        RULES[id] = Rule(id, severity, name, name_zh, family, " ".join(explanation.split()), check)
        return RULES[id]

    return register
