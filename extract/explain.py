"""How a document was read, line by line: the table finder's spans, the header's columns, the
role every cell got, and why a line went to ``unparsed``.

``explain_source`` runs the same stages as :func:`extract.pipeline.parse_source` and keeps what
each decided; ``render_text`` and ``render_html`` show it — a user checking a surprising row,
or a developer meeting a new layout, sees exactly how each line was taken.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from extract.cells import Tok
from extract.find import find_tables
from extract.interpret import Seg
from extract.locate import find_budget_year
from extract.pipeline import Reading, pipe_row_to_tabs, read_span_stages
from extract.source import Source

__all__ = ["LineReading", "TableExplanation", "explain_source", "render_html", "render_text"]

# the short names the roles are shown under
_ROLE_NAMES = {
    "rowhead": "row header", "l1": "L1", "l2": "L2", "l3": "L3", "comparator": "sign", "value": "value",
    "unit": "unit", "weight": "weight", "score": "score", "actual": "actual", "description": "description",
    "basis": "basis", "note": "note", "direction": "direction", "name": "project name", "unitname": "unit name",
    "code": "project code", "total": "amount", "fiscal": "fiscal amount", "other": "other funds",
    "goal": "goal", "task": "task", "subtotal": "sub-caption",
}  # fmt: skip


@dataclass
class LineReading:
    """One source line of a table: what it was taken as, and each cell's role where it has cells."""

    line: int
    page: int | None
    text: str
    taken_as: str  # title, header field, column header, row, furniture, unparsed …
    cells: list[tuple[str, str]] = field(default_factory=list)  # (cell text, role)
    reason: str | None = None


@dataclass
class TableExplanation:
    title: str
    kind: str
    scope: str
    start: int
    end: int
    layout: str
    columns: list[tuple[str, str, str | None]]  # (caption, role, period)
    tables: list[str]  # the records made: name and row count
    lines: list[LineReading]


def _segments(reading: Reading) -> dict[int, list[tuple[Seg, str]]]:
    """Every cell the interpreter placed (or could not), by the line it starts on."""
    out: dict[int, list[tuple[Seg, str]]] = {}
    for row in reading.rows:
        for index, seg in sorted(row.cells.items()):
            column = reading.schema.columns[index]
            role = _ROLE_NAMES.get(column.role, column.role)
            if column.period:
                role += f" ({column.period})"
            out.setdefault(seg.line, []).append((seg, role))
    for seg in reading.junk:
        out.setdefault(seg.line, []).append((seg, "fits no column"))
    return out


def _explain(source: Source, reading: Reading) -> TableExplanation:
    span, lines = reading.span, source.lines
    segments = _segments(reading)
    continued = {
        t.line for row in reading.rows for seg in row.cells.values() for t in seg.toks if t.line != seg.line
    }
    continued |= {t.line for seg in reading.junk for t in seg.toks if t.line != seg.line}
    header_lines = set(reading.schema.lines)
    unparsed = {u.line: u.reason for t in reading.tables for u in t.unparsed}
    indicator_lines = {i.line for t in reading.tables for i in t.indicators}
    out: list[LineReading] = []
    for j in range(span.start, span.end):
        no, text = j + 1, lines[j].text
        if not text.strip():
            continue
        page, _ = source.where(no)
        cells = [(_text(seg.toks, no), role) for seg, role in segments.get(no, [])]
        if span.titled and j == span.start:
            taken = "title"
        elif j in reading.furniture:
            taken = "page furniture"
        elif no in header_lines:
            taken = "column header"
        elif j < span.header or no in reading.header.used:
            taken = "header field"
        elif cells or no in indicator_lines:
            taken = "row"
        elif no in continued:
            taken = "cell continued"
        elif no in unparsed:
            taken = "unparsed"
        else:
            taken = "read by the wrapped-PDF-text reader" if reading.layout == "text" else "border"
        out.append(LineReading(no, page, pipe_row_to_tabs(text).strip(), taken, cells, unparsed.get(no)))
    columns = [(c.caption, _ROLE_NAMES.get(c.role, c.role), c.period) for c in reading.schema.columns]
    made = [f"{t.name or '(no name)'}: {len(t.indicators)} indicators" for t in reading.tables]
    return TableExplanation(
        span.title, span.kind, span.scope, span.start + 1, span.end, reading.layout, columns, made, out
    )


def _text(toks: tuple[Tok, ...], line: int) -> str:
    """The part of a cell on one line (a cell wrapped over lines shows its whole text once)."""
    return "".join(t.text for t in toks)


def explain_source(source: Source) -> list[TableExplanation]:
    """Every table of a document with how each of its lines was read."""
    cache: dict[int, list[Tok]] = {}
    year = find_budget_year([pipe_row_to_tabs(t) for t in source.texts])
    return [
        _explain(source, read_span_stages(source.lines, span, year, cache))
        for span in find_tables(source.lines, cache)
    ]


def _where(item: LineReading) -> str:
    return f"p{item.page}:{item.line}" if item.page else str(item.line)


def render_text(name: str, tables: list[TableExplanation]) -> str:
    """A plain-text explanation, one block per table, one line per source line."""
    out = [f"{name}: {len(tables)} table(s)"]
    if not tables:
        out.append(
            "  no performance-target table found (no indicator header: 三级指标/指标名称 beside 指标值 …)"
        )
    for k, t in enumerate(tables, 1):
        out.append("")
        out.append(f"table {k}: lines {t.start}-{t.end}, {t.kind}, {t.scope}, read as {t.layout}")
        out.append(f"  title: {t.title or '(none: found by its indicator header)'}")
        out.append(
            "  columns: "
            + " | ".join(f"{c or '(blank)'}→{r}{f' [{p}]' if p else ''}" for c, r, p in t.columns)
        )
        out.append("  records: " + "; ".join(t.tables))
        for item in t.lines:
            where = _where(item).rjust(7)
            if item.cells:
                cells = "  ".join(f"[{role}] {text}" for text, role in item.cells)
                out.append(f"  {where}  {item.taken_as:>14}  {cells}")
            else:
                reason = f"  ({item.reason})" if item.reason else ""
                out.append(f"  {where}  {item.taken_as:>14}  {item.text}{reason}")
    return "\n".join(out) + "\n"


_STYLE = (
    "body{font:14px/1.5 sans-serif;margin:1.5em}table{border-collapse:collapse;margin:.5em 0 1.5em}"
    "td,th{border:1px solid #ccc;padding:2px 6px;vertical-align:top;text-align:left}"
    ".role{font-size:11px;color:#555;display:block}.unparsed{background:#fde2e2}.row{background:#eef7ee}"
    ".header{background:#eef2fb}.furniture{color:#999}"
)


def render_html(name: str, tables: list[TableExplanation]) -> str:
    """The same as a self-contained web page (no scripts, nothing fetched)."""
    e = html.escape
    parts = [
        "<!doctype html><html lang='zh'><head><meta charset='utf-8'>",
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{e(name)}: how it was read</title><style>{_STYLE}</style></head><body>",
        f"<h1>{e(name)}</h1><p>{len(tables)} table(s)</p>",
    ]
    for k, t in enumerate(tables, 1):
        parts.append(f"<h2>table {k}: {e(t.title or '(untitled)')}</h2>")
        parts.append(f"<p>lines {t.start}–{t.end} · {e(t.kind)} · {e(t.scope)} · read as {e(t.layout)}</p>")
        parts.append(
            "<p>columns: "
            + " | ".join(f"{e(c or '(blank)')} → <b>{e(r)}</b>" for c, r, _ in t.columns)
            + "</p>"
        )
        parts.append("<p>records: " + "; ".join(e(x) for x in t.tables) + "</p><table>")
        parts.append("<tr><th>line</th><th>taken as</th><th>cells (role) or text</th></tr>")
        for item in t.lines:
            css = {
                "row": "row",
                "unparsed": "unparsed",
                "column header": "header",
                "page furniture": "furniture",
            }
            klass = css.get(item.taken_as, "")
            if item.cells:
                body = " ".join(
                    f"<span>{e(text)}<span class='role'>{e(role)}</span></span>" for text, role in item.cells
                )
            else:
                body = e(item.text) + (f" <i>({e(item.reason)})</i>" if item.reason else "")
            parts.append(
                f"<tr class='{klass}'><td>{e(_where(item))}</td><td>{e(item.taken_as)}</td><td>{body}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)
