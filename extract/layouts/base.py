"""What every layout reader takes and gives.

A reader gets the lines of one table's indicator block (1-based line numbers kept, blank
lines included) and returns the indicators it read, the line numbers it used, and every
other non-blank line as an explicit unparsed record: nothing inside a table is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from extract.records import Indicator, Unparsed

__all__ = ["BlockReader", "BlockResult", "Line", "account_for"]

Line = tuple[int, str]


@dataclass
class BlockResult:
    indicators: list[Indicator] = field(default_factory=list)
    unparsed: list[Unparsed] = field(default_factory=list)
    used: set[int] = field(default_factory=set)
    columns: list[str] = field(default_factory=list)


class BlockReader(Protocol):
    def __call__(self, lines: list[Line]) -> BlockResult: ...


def account_for(
    lines: list[Line], result: BlockResult, reason: str = "not part of any indicator"
) -> BlockResult:
    """Add every non-blank line the reader neither used nor reported as an unparsed record."""
    seen = result.used | {u.line for u in result.unparsed}
    for no, text in lines:
        if text.strip() and no not in seen:
            result.unparsed.append(Unparsed(line=no, text=text.strip(), reason=reason))
    result.unparsed.sort(key=lambda u: u.line)
    return result
