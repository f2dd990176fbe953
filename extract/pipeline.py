"""A document's text → its performance-target tables, as records.

The stages: locate the tables (``extract.locate``), read each table's header fields
(``extract.header``), hand its indicator block to the reader of its layout (registry
``LAYOUTS``), parse every target (``extract.values``), then look up in the rest of the
document the funding a table does not state (``extract.funding``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from extract.funding import fill_document_funding
from extract.header import parse_header, split_cells
from extract.labels import fold
from extract.layouts.base import BlockResult, Line
from extract.layouts.pdf_text import read_text_block
from extract.layouts.tabbed import read_tab_block
from extract.locate import (
    TableSpan,
    find_budget_year,
    find_department,
    find_tables,
    is_page_furniture,
)
from extract.records import Document, Table, Unparsed
from extract.source import Source, text_source
from extract.values import parse_target

__all__ = [
    "LAYOUTS",
    "choose_layout",
    "parse_document",
    "parse_source",
    "parse_table",
    "pipe_row_to_tabs",
    "read_table",
]

# layout name -> reader of an indicator block; chosen per table by ``choose_layout``
LAYOUTS: dict[str, Callable[[list[Line]], BlockResult]] = {
    "tabbed": read_tab_block,
    "text": read_text_block,
}

_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def pipe_row_to_tabs(line: str) -> str:
    """A Markdown pipe-table row ("| 产出指标 | 数量指标 | … |") as the tab row the readers know.

    The rule line under a pipe header ("|---|---|") becomes blank: it holds no cell.
    """
    if "|" not in line:
        return line
    if _PIPE_RULE.match(line):
        return ""
    if _PIPE_ROW.match(line):
        return "\t".join(cell.strip() for cell in line.strip()[1:-1].split("|"))
    return line


_BLOCK_HEADER = re.compile(r"三级指标|指标名称|二级指标|三级指")
_HEADER_FRAGMENT = re.compile(r"^[绩效一二三级指标]{1,4}$")


def choose_layout(block: list[Line]) -> str:
    """Tab-separated when most non-blank lines hold tabs; PDF text otherwise."""
    content = [text for _, text in block if text.strip()]
    tabbed = sum(1 for text in content if "\t" in text.strip("\n"))
    return "tabbed" if content and tabbed * 2 >= len(content) else "text"


def _block_start(lines: list[str], span: TableSpan) -> int:
    first = span.title_index + 1 if span.titled else span.title_index
    start = next(
        (j for j in range(first, span.end) if _BLOCK_HEADER.search(fold(lines[j]))),
        span.end,
    )
    # a header split over lines ("绩效" / "指标" / "一级指" / "标") starts with its first fragment
    j = start - 1
    while j >= first:
        if not lines[j].strip():
            j -= 1
            continue
        if _HEADER_FRAGMENT.match(fold(lines[j])):
            start = j
            j -= 1
            continue
        break
    return start


def _captions(block: list[Line]) -> list[str]:
    """The indicator header's captions, for readers that do not report them."""
    for _, text in block:
        if _BLOCK_HEADER.search(fold(text)):
            return split_cells(text)
    return []


def _table_name(title: str, header_name: str | None, scope: str, unit: str | None) -> str | None:
    if header_name:
        return header_name
    if scope == "department":
        return unit
    # "3、省级医疗救助补助资金(冀财社[2019]101号) 绩效目标表" names its project
    name = re.sub(r"^\s*\d+\s*[、.．]\s*", "", title)
    name = re.sub(r"\s*(?:项目支出)?绩效目标(?:申报)?表\s*$", "", name).strip()
    return name or None


def parse_table(lines: list[str], span: TableSpan, year: int | None = None) -> Table:
    return read_table(lines, span, year)[0]


def read_table(lines: list[str], span: TableSpan, year: int | None = None) -> tuple[Table, set[int]]:
    """The table record and the line numbers that went into it (fields, indicators, furniture).

    A non-blank line of the span that no stage took becomes an unparsed record here, so
    nothing inside a table is ever dropped silently.
    """
    start = _block_start(lines, span)
    title_folded = fold(span.title)
    first = span.title_index + 1 if span.titled else span.title_index
    header_lines: list[Line] = [(j + 1, lines[j]) for j in range(first, start)]
    block: list[Line] = [(j + 1, lines[j]) for j in range(start, span.end)]
    furniture: set[int] = set()
    layout = choose_layout(block)

    def is_furniture(text: str) -> bool:
        return (span.titled and fold(re.sub(r"^\s*#+\s*", "", text)) == title_folded) or (
            layout == "tabbed" and is_page_furniture(text)
        )

    # repeated titles and page labels of a table continued over page breaks carry nothing
    for part in (header_lines, block):
        for no, text in part:
            if text.strip() and is_furniture(text):
                furniture.add(no)
    header = parse_header([(n, t) for n, t in header_lines if n not in furniture])
    result = LAYOUTS[layout]([(n, t) for n, t in block if n not in furniture])
    unit = header.implementing_unit
    table = Table(
        scope="department" if span.scope == "department" else "project",
        name=_table_name(span.title, header.name, span.scope, unit),
        line=span.title_index + 1,
        title=span.title,
        implementing_unit=unit,
        project_code=header.project_code,
        funding=header.funding,
        annual_goal=header.annual_goal,
        midterm_goal=header.midterm_goal,
        indicators=result.indicators,
        unparsed=sorted(header.unparsed + result.unparsed, key=lambda u: u.line),
        end_line=span.end,
        layout=layout,
        columns=result.columns or _captions(block),
    )
    for indicator in table.indicators:
        # a deadline without a year ("年底前") is the budget year's
        indicator.target = parse_target(indicator.value, default_year=year)
    accounted = ({span.title_index + 1} if span.titled else set()) | furniture | header.used | result.used
    accounted |= {u.line for u in table.unparsed}
    missed = [
        Unparsed(j + 1, lines[j].strip(), "not read by any stage")
        for j in range(span.title_index, span.end)
        if lines[j].strip() and j + 1 not in accounted
    ]
    if missed:
        table.unparsed = sorted(table.unparsed + missed, key=lambda u: u.line)
    return table, accounted | {u.line for u in missed}


def parse_document(text: str, source: str) -> Document:
    """Pure: the text of one disclosure → its Document record (no I/O)."""
    return parse_source(text_source(text, source))


def parse_source(source: Source) -> Document:
    """Pure: a document as its reader saw it → its Document record (no I/O)."""
    lines = [pipe_row_to_tabs(line) for line in source.texts]
    spans = find_tables(lines)
    doc = Document(
        source=source.name,
        department=find_department(lines),
        budget_year=find_budget_year(lines),
        encoding=source.format,
        sha256=source.sha256 or hashlib.sha256("\n".join(source.texts).encode("utf-8")).hexdigest(),
    )
    doc.tables = [parse_table(lines, span, doc.budget_year) for span in spans]
    inside: set[int] = set()
    for span in spans:
        inside.update(range(span.title_index, span.end))
    outside = [line for i, line in enumerate(lines) if i not in inside]
    fill_document_funding(doc.tables, outside)
    for table in doc.tables:
        if table.implementing_unit is None and table.scope == "department":
            table.implementing_unit = table.name
    return doc
