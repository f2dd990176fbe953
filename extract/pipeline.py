"""A document as its reader saw it → its performance tables, as records.

The stages, each in its own module: the **source reader** gave lines, with cells where the
file has a grid (``extract.readers``); the **table finder** anchors each table on its
indicator header and reaches back to its title and fields (``extract.find``); the header
fields above the indicators are read as key/value cells (``extract.header``); the **cell
interpreter** cuts the indicator block into cells (``extract.cells``, ``extract.glue``) and
decodes them into rows against the header's columns (``extract.schema``,
``extract.interpret``); rows become **records** (``extract.rows``), every target is parsed
(``extract.values``), and funding a table does not state is looked up in the rest of the
document (``extract.funding``).  PDF text whose cells are wrapped at their column's width
keeps its own way of recovering cells (``extract.layouts.pdf_text``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from extract.cells import Tok
from extract.find import TableSpan, find_tables, table_tokens
from extract.funding import fill_document_funding
from extract.header import HeaderFields, parse_header
from extract.interpret import Row, Seg, decode_rows
from extract.labels import fold
from extract.layouts.base import Line
from extract.layouts.pdf_text import read_wrapped_text
from extract.leadin import read_lead_in
from extract.lexicon import is_end_marker
from extract.locate import find_budget_year, find_department, is_page_furniture
from extract.records import Document, Funding, Table, Unparsed
from extract.rows import Block, read_rows
from extract.schema import Schema, overlay_subcaptions, settle_roles
from extract.shapes import valueness
from extract.source import Source, SourceLine, text_source
from extract.values import parse_target

__all__ = [
    "Reading",
    "parse_document",
    "parse_source",
    "pipe_row_to_tabs",
    "read_span",
    "read_span_stages",
    "split_code",
]

_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_PLACEHOLDER = re.compile(r"^[.…。·\-—]+$")


def pipe_row_to_tabs(line: str) -> str:
    """A Markdown pipe-table row ("| 产出指标 | 数量指标 | … |") as a tab row; a rule line is blank."""
    if "|" not in line:
        return line
    if _PIPE_RULE.match(line):
        return ""
    if _PIPE_ROW.match(line) or line.count("|") >= 2:
        return "\t".join(cell.strip() for cell in line.strip().strip("|").split("|"))
    return line.replace("|", "\t").strip()


def _table_name(title: str, header_name: str | None, scope: str, unit: str | None) -> str | None:
    if header_name:
        return header_name
    if scope == "department":
        return unit
    name = re.sub(r"^\s*\d+\s*[、.．]\s*", "", title)
    name = re.sub(r"\s*(?:项目支出)?绩效目标(?:申报|批复|自评)?表\s*$", "", name).strip()
    return name or None


def _furniture(lines: list[SourceLine], span: TableSpan) -> set[int]:
    """0-based lines of the span that carry nothing: repeated titles, page labels, repeated headers."""
    out: set[int] = set()
    title = fold(span.title) if span.titled else None
    last = max((j for j in range(span.start + 1, span.end) if lines[j].text.strip()), default=-1)
    for j in range(span.start + 1, span.end):
        text = lines[j].text
        if not text.strip():
            continue
        folded = fold(re.sub(r"^\s*#+\s*", "", text)).strip("|")
        # the title again after a page break, whole or cut short by the end of an excerpt (a
        # shorter line inside the table is a cell: the project a "<项目>绩效目标表" is named after)
        cut_short = j == last and len(folded) >= 8 and title is not None and title.startswith(folded)
        if (title and (folded == title or cut_short)) or (
            lines[j].cells is None
            and "\t" not in text
            and "|" not in text
            and is_page_furniture(text, bare_numbers=False)
        ):
            out.add(j)
    return out


def _block_tokens(
    lines: list[SourceLine], span: TableSpan, furniture: set[int], cache: dict[int, list[Tok]] | None = None
) -> tuple[list[Tok], list[Tok], Schema, list[Tok]]:
    """(tokens before the header on its line, the block's tokens, the schema, tokens after the block)."""
    assert span.schema is not None
    toks = table_tokens(lines, span.header, span.end, cache)
    before = toks[: span.header_token]
    schema = span.schema
    rest = toks[span.header_token + schema.used :]
    repeat_lines: set[int] = set()
    for at in span.repeats:
        n = len(schema.lines)
        repeat_lines.update(range(at + 1, at + 1 + n))
    rest = [t for t in rest if t.line - 1 not in furniture and t.line not in repeat_lines]
    # a second header row of sub-captions under a spanning caption
    if rest:
        first_line = [t for t in rest if t.line == rest[0].line]
        overlaid = overlay_subcaptions(schema, first_line)
        if overlaid is not None:
            schema = overlaid
            rest = rest[len(first_line) :]
    # glued text runs on past the table: cut at the first word that closes a block
    after: list[Tok] = []
    for k, t in enumerate(rest):
        if t.route == "glued" and is_end_marker(t.text):
            rest, after = rest[:k], rest[k:]
            break
    return before, rest, schema, after


@dataclass
class Reading:
    """How one table span was read, stage by stage: what ``kg extract --explain`` shows."""

    span: TableSpan
    schema: Schema
    header: HeaderFields
    furniture: set[int]  # 0-based lines that carry nothing
    rows: list[Row]
    junk: list[Seg]
    layout: str
    tables: list[Table]
    accounted: set[int]  # 1-based lines the tables account for


def read_span(
    lines: list[SourceLine],
    span: TableSpan,
    year: int | None = None,
    cache: dict[int, list[Tok]] | None = None,
) -> tuple[list[Table], set[int]]:
    """The table record(s) of one span — a flat table of several projects gives several — and
    the 1-based line numbers they account for."""
    reading = read_span_stages(lines, span, year, cache)
    return reading.tables, reading.accounted


def read_span_stages(
    lines: list[SourceLine],
    span: TableSpan,
    year: int | None = None,
    cache: dict[int, list[Tok]] | None = None,
) -> Reading:
    """Every stage's result for one table span."""
    assert span.schema is not None
    furniture = _furniture(lines, span)
    first = span.start + 1 if span.titled else span.start
    header_lines: list[Line] = [
        (j + 1, pipe_row_to_tabs(lines[j].text)) for j in range(first, span.header) if j not in furniture
    ]
    before, block, schema, after = _block_tokens(lines, span, furniture, cache)
    schema = settle_roles(schema, block)
    # what precedes the header on its own line (a page that is one long line): its text, whole
    for no in sorted({t.line for t in before}):
        pieces = [t for t in before if t.line == no]
        header_lines.append(
            (
                no,
                "".join(t.text for t in pieces)
                if pieces[0].route == "glued"
                else "\t".join(t.text for t in pieces),
            )
        )
    header = parse_header(header_lines)
    unparsed: list[Unparsed] = []
    used: set[int] = set()
    placeholders = [t for t in block if _PLACEHOLDER.match(t.text)]
    block = [t for t in block if not _PLACEHOLDER.match(t.text)]
    columns = schema.captions
    layout = "grid" if any(t.route == "grid" for t in block) else "cells"
    body = [(j + 1, lines[j].text) for j in range(span.header, span.end) if j not in furniture]
    wrapped: Block | None = None
    result = None if any(t.route in ("grid", "tab", "pipe") for t in block) else read_wrapped_text(body)
    if result is not None:
        # PDF text with cells wrapped at their column's width, side by side: its own cell cutter
        wrapped = Block(indicators=result.indicators, unparsed=result.unparsed, lines=set(result.used))
    rows: list[Row] = []
    junk: list[Seg] = []
    if (
        wrapped is not None
        and len(wrapped.indicators) >= 3
        and _quality([wrapped]) >= len(wrapped.indicators) * 0.9
    ):
        # nearly every row with a value that reads like one: nothing to compare it with
        blocks, layout = [wrapped], "text"
    else:
        rows, junk = decode_rows(block, schema)
        blocks = read_rows(rows, schema) or [Block()]
        unparsed.extend(_junk_records(junk, placeholders))
        if wrapped is not None and _quality([wrapped]) > _quality(blocks, len(junk)):
            blocks, unparsed, layout, rows, junk = [wrapped], [], "text", [], []
    unparsed.extend(
        Unparsed(t.line, t.text, "after the table's last row") for t in after if t.line - 1 < span.end
    )
    tables: list[Table] = []
    for n, part in enumerate(blocks):
        table = _table(span, header, part, n, columns, layout)
        for ind in table.indicators:
            ind.target = parse_target(ind.value, default_year=year)
        tables.append(table)
        used |= part.lines | {i.line for i in table.indicators}
    tables[0].unparsed = sorted(header.unparsed + unparsed + tables[0].unparsed, key=lambda u: u.line)
    accounted = ({span.start + 1} if span.titled else set()) | {j + 1 for j in furniture} | header.used | used
    accounted |= set(schema.lines) | {t.line for t in block} | {t.line for t in before}
    for at in span.repeats:
        accounted.update(range(at + 1, at + 1 + len(schema.lines)))
    accounted |= {u.line for t in tables for u in t.unparsed}
    missed = [
        Unparsed(j + 1, lines[j].text.strip(), "not read by any stage")
        for j in range(span.start, span.end)
        if lines[j].text.strip() and j + 1 not in accounted and not _is_border(lines[j].text)
    ]
    if missed:
        tables[-1].unparsed = sorted(tables[-1].unparsed + missed, key=lambda u: u.line)
    if span.end >= _last_content(lines):
        _drop_cut_row(tables[-1], _last_content(lines))
    for t in tables:
        t.end_line = span.end
    accounted |= {u.line for u in missed} | set(range(span.start + 1, span.end + 1))
    return Reading(span, schema, header, furniture, rows, junk, layout, tables, accounted)


def _quality(blocks: list[Block], junk: int = 0) -> float:
    """How convincing a reading of a block is: rows with a value that reads like one, little left over."""
    score = -float(junk)
    for b in blocks:
        score -= len(b.unparsed)
        for ind in b.indicators:
            score += 1.0 if ind.value and valueness(ind.value) > 0 else -0.5
            score -= 1.0 if valueness(ind.l3) > 1 else 0.0
    return score


def _last_content(lines: list[SourceLine]) -> int:
    """1 + the index of the document's last non-blank line (what a table must reach to end it)."""
    end = len(lines)
    while end and not lines[end - 1].text.strip():
        end -= 1
    return end


def _drop_cut_row(table: Table, last_line: int) -> None:
    """A document that stops inside a table's last row (an excerpt, a truncated page) leaves
    that row without its value: it is recorded as unparsed, not read as an indicator."""
    if not table.indicators:
        return
    last, others = table.indicators[-1], table.indicators[:-1]
    # in a self-evaluation whose rows state what was achieved, a last row without it stops
    # before its achieved value: its "value" may well be the end of its name
    achieved = (
        last.line >= last_line  # the document's very last line
        and len(others) >= 3
        and sum(1 for i in others if i.actual) >= 0.8 * len(others)
    )
    if not last.actual and (not last.value or achieved):
        cut = table.indicators.pop()
        text = " ".join(t for t in (cut.l3, cut.value) if t)
        table.unparsed.append(Unparsed(cut.line, text, "the document ends inside this row"))


def _is_border(text: str) -> bool:
    return not text.replace("|", "").strip()


def _junk_records(junk: list[Seg], placeholders: list[Tok]) -> list[Unparsed]:
    by_line: dict[int, list[str]] = {}
    for seg in junk:
        by_line.setdefault(seg.line, []).append(seg.text)
    out = [
        Unparsed(no, " ".join(texts), "cells that fit no column of the table")
        for no, texts in by_line.items()
    ]
    out.extend(Unparsed(t.line, t.text, "a placeholder row (……)") for t in placeholders)
    return out


_MONEY_UNIT = re.compile(r"[(（]\s*(万元|元)\s*[)）]|单位\s*[:：]\s*(万元|元)")


def _table(
    span: TableSpan, header: HeaderFields, part: Block, n: int, columns: list[str], layout: str
) -> Table:
    from extract.header import clean_org_name, parse_money

    ident = part.identity
    own = n > 0 or bool(ident.get("name"))
    name = ident.get("name") or (None if n > 0 else header.name)
    unit = ident.get("unitname")
    funding = header.funding if n == 0 and not own else Funding()
    if ident.get("total") or ident.get("fiscal"):
        stated = "元" if any("元" in c and "万元" not in c for c in columns) else None
        money = stated or header.money_unit or "万元"
        funding = Funding(
            annual_total=parse_money(ident["total"], money) if ident.get("total") else None,
            annual_fiscal=parse_money(ident["fiscal"], money) if ident.get("fiscal") else None,
            source="table",
        )
    line = span.start + 1
    if own:
        line = min([*part.identity_lines.values(), *(i.line for i in part.indicators)], default=line)
    table = Table(
        scope="department" if span.scope == "department" else "project",
        name=None,
        line=line,
        title=span.title,
        implementing_unit=clean_org_name(unit)
        if unit
        else (header.implementing_unit if n == 0 or not own else None),
        project_code=ident.get("code") or (header.project_code if not own else None),
        funding=funding,
        annual_goal=ident.get("goal") or (header.annual_goal if not own else None),
        midterm_goal=header.midterm_goal if not own else None,
        indicators=part.indicators,
        unparsed=list(part.unparsed),
        layout=layout,
        columns=columns,
        kind="self_evaluation" if span.kind == "self_evaluation" else "target",
    )
    table.name = name or _table_name(span.title, None, table.scope, table.implementing_unit)
    if table.name and table.project_code is None:
        table.project_code, table.name = split_code(table.name)
    return table


_CODE_NAME = re.compile(r"^([0-9A-Za-z]{8,}(?:-[0-9A-Za-z]+)*)\s*[-—－]\s*(\S.*)$")


def split_code(name: str) -> tuple[str | None, str]:
    """ "11000021Y000000390843-信息系统运维类项目": a project code written before the name."""
    m = _CODE_NAME.match(name.strip())
    if m and any(c.isdigit() for c in m.group(1)):
        return m.group(1), m.group(2).strip()
    return None, name


def parse_document(text: str, source: str) -> Document:
    """Pure: the text of one disclosure → its Document record (no I/O)."""
    return parse_source(text_source(text, source))


def parse_source(source: Source) -> Document:
    """Pure: a document as its reader saw it → its Document record (no I/O)."""
    texts = [pipe_row_to_tabs(t) for t in source.texts]
    cache: dict[int, list[Tok]] = {}
    spans = find_tables(source.lines, cache)
    doc = Document(
        source=source.name,
        department=find_department(
            texts, self_evaluation=bool(spans) and all(s.kind == "self_evaluation" for s in spans)
        ),
        budget_year=find_budget_year(texts),
        encoding=source.format,
        sha256=source.sha256 or hashlib.sha256("\n".join(source.texts).encode("utf-8")).hexdigest(),
    )
    inside: set[int] = set()
    previous_end = 0
    for span in spans:
        tables, _ = read_span(source.lines, span, doc.budget_year, cache)
        if tables:
            read_lead_in(tables[0], texts[max(previous_end, span.start - 200) : span.start])
        doc.tables.extend(tables)
        inside.update(range(span.start, span.end))
        previous_end = span.end
    outside = [t for i, t in enumerate(texts) if i not in inside]
    fill_document_funding(doc.tables, outside)
    paged = any(line.page for line in source.lines)
    for table in doc.tables:
        if table.implementing_unit is None and table.scope == "department":
            table.implementing_unit = table.name
        if paged:
            _pages(source, table)
    return doc


def _pages(source: Source, table: Table) -> None:
    """Paged sources: each record's page."""
    table.page, _ = source.where(table.line)
    for ind in table.indicators:
        ind.page, _ = source.where(ind.line)
    for item in table.unparsed:
        item.page, _ = source.where(item.line)
