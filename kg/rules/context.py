"""A document dict read once into the views every rule needs.

Rules see rows with their labels mapped to the framework (kg.framework), the value
normalised (kg.lexicon.patterns.normalise), its parsed target (the record's own
``target`` when the export carries one, else ``extract.values.parse_target``) and its
vagueness (kg.vague).  Building this once per document keeps 32 rules from parsing every
value 32 times.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from extract.values import parse_target
from kg.framework import canonical_l1, canonical_l2
from kg.lexicon.patterns import normalise
from kg.vague import Vagueness, classify_target

__all__ = ["DocView", "Parsed", "Row", "TableView", "parse_value", "prepare"]

# framework concept (local name) -> the short category the catalogue writes
_L1 = {"output": "产出", "benefit": "效益", "satisfaction": "满意度", "cost": "成本"}
_L2 = {
    "outputQuantity": "数量",
    "outputQuality": "质量",
    "outputTimeliness": "时效",
    "outputCost": "成本",
    "benefitEconomic": "经济效益",
    "benefitSocial": "社会效益",
    "benefitEcological": "生态效益",
    "benefitSustainable": "可持续影响",
    "benefitSatisfaction": "满意度",
    "satisfactionRecipient": "满意度",
    "costEconomic": "成本",
    "costSocial": "成本",
    "costEcological": "成本",
}


@dataclass(frozen=True)
class Parsed:
    """The parts of a parsed target the rules compare (extract.records.Target, as plain values)."""

    kind: str = "empty"
    comparator: str | None = None
    number: float | None = None
    number_max: float | None = None
    unit: str | None = None
    date: str | None = None

    @classmethod
    def of(cls, target: Any) -> Parsed:
        get = target.get if isinstance(target, Mapping) else lambda k: getattr(target, k, None)
        number, number_max = get("number"), get("number_max")
        return cls(
            kind=get("kind") or "empty",
            comparator=get("comparator"),
            number=float(number) if number is not None else None,
            number_max=float(number_max) if number_max is not None else None,
            unit=get("unit"),
            date=get("date"),
        )


def parse_value(value: str | None) -> Parsed:
    return Parsed.of(parse_target(value))


@dataclass(frozen=True)
class Row:
    """One indicator row of a table, as the rules read it."""

    table: int
    index: int
    line: int
    l1: str | None
    l2: str | None
    l3: str
    value: str | None
    period: str | None
    description: str | None
    basis: str | None
    cat1: str | None  # 产出 / 效益 / 满意度 / 成本, or None when the label is unknown
    cat2: str | None  # 数量 / 质量 / 时效 / 成本 / 经济效益 / … / 满意度, or None
    text: str  # the value normalised: half width, ≥ ≤, no spaces
    name: str  # the L3 normalised the same way
    target: Parsed
    vague: Vagueness

    @property
    def is_cost(self) -> bool:
        return self.cat1 == "成本" or self.cat2 == "成本"

    @property
    def is_satisfaction(self) -> bool:
        return (
            self.cat1 == "满意度" or self.cat2 == "满意度" or "满意度" in self.name or "满意率" in self.name
        )


@dataclass(frozen=True)
class TableView:
    index: int
    name: str | None
    scope: str
    line: int
    title: str
    funding_annual: float | None
    funding_midterm: float | None
    goal_annual: str | None
    goal_midterm: str | None
    rows: tuple[Row, ...]
    basis_column: bool  # the table has a 指标值确定依据 column (the record says so)

    def annual_rows(self) -> tuple[Row, ...]:
        """The rows a one-year reading uses: the annual column where a table has two."""
        return tuple(r for r in self.rows if r.period != "midterm")


@dataclass(frozen=True, eq=False)
class DocView:
    """One document as the rules read it; compared by identity, so analyses can cache per view."""

    source: str
    department: str | None
    budget_year: int | None
    tables: tuple[TableView, ...]
    raw: Mapping[str, Any] = field(compare=False, repr=False)


def _categories(l1: str | None, l2: str | None) -> tuple[str | None, str | None]:
    c1 = canonical_l1(l1)
    c2 = canonical_l2(l2, c1 if c1 is not None else l1)
    name1 = _L1.get(str(c1).rsplit("/", 1)[-1]) if c1 is not None else None
    name2 = _L2.get(str(c2).rsplit("/", 1)[-1]) if c2 is not None else None
    if name1 is None and name2 is not None:
        # a table whose L1 column holds "年度绩效指标": the L2 still tells the family
        parent = {"数量": "产出", "质量": "产出", "时效": "产出", "满意度": "满意度", "成本": "成本"}
        name1 = parent.get(name2, "效益")
    return name1, name2


def _row(t_index: int, i_index: int, ind: Mapping[str, Any]) -> Row:
    value = ind.get("value")
    value = None if value is None else str(value)
    target = ind.get("target")
    parsed = Parsed.of(target) if target else parse_value(value)
    l1, l2 = ind.get("l1"), ind.get("l2")
    cat1, cat2 = _categories(l1, l2)
    return Row(
        table=t_index,
        index=i_index,
        line=int(ind.get("line") or 0),
        l1=l1,
        l2=l2,
        l3=str(ind.get("l3") or ""),
        value=value,
        period=ind.get("period"),
        description=ind.get("description"),
        basis=ind.get("basis"),
        cat1=cat1,
        cat2=cat2,
        text=normalise(value),
        name=normalise(ind.get("l3")),
        target=parsed,
        vague=classify_target(value, target or parsed, ind.get("l3")),
    )


def _has_basis_column(table: Mapping[str, Any]) -> bool:
    # the captions say it when the extractor kept them; else a basis filled in on some row does
    columns = table.get("columns") or ()
    if columns:
        return any("依据" in str(c) for c in columns)
    return any(ind.get("basis") is not None for ind in table.get("indicators") or ())


def prepare(doc: Mapping[str, Any] | DocView) -> DocView:
    """The view of one document dict (the gold / ``kg extract`` JSON shape)."""
    if isinstance(doc, DocView):
        return doc
    tables = []
    for t_index, table in enumerate(doc.get("tables") or ()):
        funding = table.get("funding") or {}
        rows = tuple(_row(t_index, i, ind) for i, ind in enumerate(table.get("indicators") or ()))
        tables.append(
            TableView(
                index=t_index,
                name=table.get("name"),
                scope=str(table.get("scope") or "project"),
                line=int(table.get("line") or 0),
                title=str(table.get("title") or ""),
                funding_annual=_amount(funding.get("annual_total")),
                funding_midterm=_amount(funding.get("midterm_total")),
                goal_annual=table.get("annual_goal"),
                goal_midterm=table.get("midterm_goal"),
                rows=rows,
                basis_column=_has_basis_column(table),
            )
        )
    year = doc.get("budget_year")
    return DocView(
        source=str(doc.get("source") or ""),
        department=doc.get("department"),
        budget_year=int(year) if year else None,
        tables=tuple(tables),
        raw=doc,
    )


def _amount(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
