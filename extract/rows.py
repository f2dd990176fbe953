"""Decoded rows → indicator records, with merged cells carried down.

A row gives an indicator per period group that has an L3 (or per value column, where one L3
has a value per period); L1 and L2 carry down from the rows above until a row states its
own (a new L1 clears the L2).  A flat table that writes each project's own fields (名称,
金额, 目标) beside its indicators is cut into one block per project: a row stating any of
them opens the next block, and fields it leaves empty carry down (the unit, say).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.interpret import Row, Seg
from extract.records import Indicator, Period, Unparsed
from extract.schema import Schema
from extract.shapes import is_comparator

__all__ = ["Block", "read_rows"]

_SIGNS = {"≥", "≤", ">", "<", "=", "＝", "＞", "＜", "≧", "≦", "═", ">=", "<=", "≥=", "≤="}
# the fields that make a row the first of another project in a flat table
# (a goal alone does not: a goal cell broken by a page break goes on at the top of the next page)
_OPENS_BLOCK = ("name", "code", "total")
_IDENTITY = ("name", "unitname", "code", "total", "fiscal", "other", "goal")


@dataclass
class Block:
    """One project's share of a table: its own fields (as written) and its indicators."""

    identity: dict[str, str] = field(default_factory=dict)
    identity_lines: dict[str, int] = field(default_factory=dict)
    indicators: list[Indicator] = field(default_factory=list)
    unparsed: list[Unparsed] = field(default_factory=list)
    lines: set[int] = field(default_factory=set)


def _text(seg: Seg | None) -> str | None:
    if seg is None:
        return None
    text = seg.text.strip()
    return text or None


def _value(cells: dict[str, Seg]) -> str | None:
    value = _text(cells.get("value"))
    if value is None:
        return None
    sign = _text(cells.get("comparator")) or ""
    # 指标性质 holds a sign (≥) or a word (定性, 正向), which is no part of the value
    prefix = (
        sign
        if sign.replace(" ", "") in _SIGNS or (is_comparator(sign) and len(sign) <= 2 and not sign.isalpha())
        else ""
    )
    return prefix + value + (_text(cells.get("unit")) or "")


def read_rows(rows: list[Row], schema: Schema) -> list[Block]:
    cols = schema.columns
    two_periods = len(schema.periods) == 2
    groups = sorted({c.group for c in cols})
    l3_groups = {c.group for c in cols if c.role == "l3"}
    blocks = [Block()]
    l1: str | None = None
    l2: dict[int, str | None] = dict.fromkeys(groups)
    for row in rows:
        by_role: dict[tuple[str, int], Seg] = {}
        for index, seg in row.cells.items():
            by_role[(cols[index].role, cols[index].group)] = seg
        block = blocks[-1]
        identity = {role: seg for (role, _), seg in by_role.items() if role in _IDENTITY}
        if any(role in identity for role in _OPENS_BLOCK) and (
            block.indicators or _opens_again(block, identity)
        ):
            # fields the new row leaves empty are merged over it from above: the unit, or a name
            # cell spanning several budget lines of one project
            carried = {
                k: v
                for k, v in block.identity.items()
                if k in ("unitname", "name", "code") and k not in identity
            }
            block = Block(identity=carried)
            blocks.append(block)
        for role, seg in identity.items():
            text = _text(seg)
            if text is None:
                continue
            if role == "goal" and role in block.identity and not any(r in identity for r in _OPENS_BLOCK):
                block.identity[role] += text  # the rest of the goal, after a page break
                continue
            block.identity[role] = text
            block.identity_lines.setdefault(role, seg.line)
        block.lines.update(t.line for seg in row.cells.values() for t in seg.toks)
        if ("l1", 0) in by_role:
            l1 = _text(by_role[("l1", 0)])
            l2 = dict.fromkeys(groups)
        for g in groups:
            if ("l2", g) in by_role:
                l2[g] = _text(by_role[("l2", g)])
        for g in groups:
            cells = {role: seg for (role, group), seg in by_role.items() if group == g}
            l3_seg = cells.get("l3") if g in l3_groups else by_role.get(("l3", min(l3_groups, default=0)))
            value_columns = [
                (k, c) for k, c in enumerate(cols) if c.group == g and c.role == "value" and k in row.cells
            ]
            if l3_seg is None:
                if value_columns or "actual" in cells:
                    block.unparsed.append(
                        Unparsed(
                            row.line,
                            " ".join(s.text for s in row.cells.values()),
                            "a value without an indicator name",
                        )
                    )
                continue
            if g not in l3_groups and not value_columns:
                continue  # the shared L3 has no value in this group
            periods: list[tuple[Period, Seg | None]]
            if len(value_columns) > 1:
                periods = [(cols[k].period if two_periods else None, row.cells[k]) for k, _ in value_columns]  # type: ignore[misc]
            else:
                only = row.cells[value_columns[0][0]] if value_columns else None
                periods = [(_group_period(schema, g, two_periods), only)]
            for period, value_seg in periods:
                parts = dict(cells)
                if value_seg is not None:
                    parts["value"] = value_seg
                else:
                    parts.pop("value", None)
                block.indicators.append(
                    Indicator(
                        l1=l1,
                        l2=l2.get(g),
                        l3=l3_seg.text.strip(),
                        value=_value(parts),
                        line=l3_seg.line,
                        period=period,
                        description=_text(parts.get("description")),
                        basis=_text(parts.get("basis")),
                        actual=_text(parts.get("actual")),
                        weight=_text(parts.get("weight")),
                        score=_text(parts.get("score")),
                    )
                )
    # a row of project fields alone (a subtotal line of a flat table) is no project of its own
    kept = [b for b in blocks if b.indicators or b.unparsed]
    return kept or blocks[:1]


def _opens_again(block: Block, identity: dict[str, Seg]) -> bool:
    """A row restating a project field the current block already has starts another block."""
    return any(
        role in block.identity and _text(seg) is not None
        for role, seg in identity.items()
        if role in _OPENS_BLOCK
    )


def _group_period(schema: Schema, group: int, two_periods: bool) -> Period:
    if not two_periods:
        return None
    periods = [c.period for c in schema.columns if c.group == group and c.period]
    return periods[0] if periods else None  # type: ignore[return-value]
