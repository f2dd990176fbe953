"""Where the performance tables are: found by their indicator header, titled or not.

A table is anchored on its indicator header — a run of column captions that names the L3 (or
L1 and L2) beside a value, in any cell layout (``extract.schema``).  From the anchor it
reaches back to its title (a line naming a 绩效目标表, 申报表, 批复表, 自评表 …, which also
gives its kind) or, with no title, to the first line of the identity fields above the header
(项目名称, 单位名称 …), and forward through its rows until the next table, a line that closes
an indicator block (a signature, a note, page furniture of a web page: ``[ends]`` in the
lexicon), a section heading, or prose.  A header repeated with no new title or identity in
between is the same table continued over a page break.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from extract.cells import Tok, line_tokens
from extract.glue import _caption_pattern
from extract.lexicon import TITLE_MAX, caption_role, fold, is_end_marker, label_levels, lexicon, title_kind
from extract.schema import Schema, match_header
from extract.source import SourceLine

__all__ = ["TableSpan", "find_tables", "is_identity_line", "table_tokens"]

# reaches counted in lines holding text: a page converted one paragraph per cell puts a blank
# line between every two cells, which must not halve the reach
_LOOKBACK_TITLE = 80
_HEADER_TOKENS = 48  # more than a header ever takes (extract.schema reads at most 40)
_LOOKBACK_IDENTITY = 40
_HEADER_HINT = re.compile(r"指标|目标值|分值|得分|一级|三级")
_IDENTITY = re.compile(
    r"^(?:项目名称|项目支出名称|专项名称|项目编[码号]|部门[(（]单位[)）]名称|部门名称|单位名称|单位信息|"
    r"预算单位|填报单位|主管部门|实施单位|项目单位|年度资金总额|项目资金|资金情况|预算执行情况)"
)
_SECTION = re.compile(
    r"^\s*(?:#{1,6}\s|第[一二三四五六七八九十百]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|"
    r"附件|附表\s*\d)"
)
_PROSE = re.compile(r"[。；;]")


@dataclass
class TableSpan:
    """Line indices (0-based, end exclusive) of one table."""

    start: int
    header: int  # first line of the indicator header
    end: int
    title: str = ""
    titled: bool = False
    kind: str = "target"
    scope: str = "project"
    schema: Schema | None = None
    header_token: int = 0  # index, among the header line's tokens, where the header starts
    repeats: list[int] = field(default_factory=list)  # lines of headers repeated after page breaks


def is_identity_line(text: str) -> bool:
    return bool(_IDENTITY.match(fold(text)))


@lru_cache(maxsize=1 << 16)
def _title_cell(text: str) -> str:
    """The cell of a line that names the table ("2022年度项目支出绩效自评表 | 部门:某校 |"): on a
    line of several cells only one naming a table (…表), not a field key such as 绩效目标."""
    cells = [c for c in re.split(r"[\t|]", text) if c.strip()]
    if len(cells) > 1:
        for cell in cells:
            if "表" in cell and title_kind(fold(cell)):
                return cell.strip().strip("#* ")
        return ""
    return text.strip().strip("#*| ")


@lru_cache(maxsize=1 << 16)
def _is_title(text: str) -> str | None:
    s = fold(_title_cell(text)).strip("#*")
    if "\t" in text.strip() and "表" not in s:
        return None
    if not s or len(s) > TITLE_MAX or _PROSE.search(s):
        return None
    return title_kind(s)


def _tokens(lines: list[SourceLine], cache: dict[int, list[Tok]], i: int) -> list[Tok]:
    if i not in cache:
        cache[i] = line_tokens(i + 1, lines[i])
    return cache[i]


def table_tokens(
    lines: list[SourceLine],
    first: int,
    stop: int,
    cache: dict[int, list[Tok]] | None = None,
    limit: int | None = None,
) -> list[Tok]:
    """The tokens of lines [first, stop), each marked when a `|` border line precedes it."""
    cache = {} if cache is None else cache
    out: list[Tok] = []
    border = False
    for i in range(first, stop):
        text = lines[i].text
        if lines[i].cells is None and "|" in text and not text.replace("|", "").strip():
            border = True
            continue
        toks = _tokens(lines, cache, i)
        if toks and border:
            toks = [replace(toks[0], border=True), *toks[1:]]
            border = False
        out.extend(toks)
        if limit is not None and len(out) >= limit:
            break
    return out


def _find_header(lines: list[SourceLine], i: int, cache: dict[int, list[Tok]]) -> tuple[Schema, int] | None:
    """A header starting on line i (at any of its tokens), with the index of its first token."""
    text = lines[i].text
    if not _HEADER_HINT.search(text) or not _caption_pattern().search(text.replace(" ", "")):
        return None
    own = _tokens(lines, cache, i)
    # a header opens with a caption (or one split over two cells): most lines naming 指标 are rows
    if not any(_opens_header(own, k) for k in range(len(own))) and not (
        own and len(own) <= 2 and _is_fragment(own[-1].text)
    ):
        return None
    toks = table_tokens(lines, i, min(len(lines), i + 14), cache, limit=_HEADER_TOKENS)
    first_line = [k for k, t in enumerate(toks) if t.line == i + 1]
    for k in first_line:
        schema = match_header(toks, k)
        if schema is not None:
            return schema, k
    return None


def _opens_header(toks: list[Tok], k: int) -> bool:
    if caption_role(toks[k].text)[0] is not None and not label_levels(toks[k].text):
        return True
    return k + 1 < len(toks) and caption_role(toks[k].text + toks[k + 1].text, True)[0] is not None


@lru_cache(maxsize=1 << 12)
def _is_fragment(text: str) -> bool:
    """The first piece of a caption split over lines ("一级指", "绩效", "三级")."""
    s = fold(text)
    return 0 < len(s) <= 4 and any(c.startswith(s) for c in lexicon().captions)


def _anchors(lines: list[SourceLine], cache: dict[int, list[Tok]]) -> list[tuple[int, Schema, int]]:
    anchors: list[tuple[int, Schema, int]] = []
    i = 0
    while i < len(lines):
        found = _find_header(lines, i, cache)
        if found is None:
            i += 1
            continue
        schema, k = found
        anchors.append((i, schema, k))
        i = max(schema.lines) if schema.lines else i + 1
    return anchors


def _scope(texts: list[str]) -> str:
    words = lexicon().department_words
    return "department" if any(w in fold(t) for t in texts for w in words) else "project"


def find_tables(lines: list[SourceLine], cache: dict[int, list[Tok]] | None = None) -> list[TableSpan]:
    """The tables of a document; ``cache`` keeps each line's tokens for the stages after."""
    cache = {} if cache is None else cache
    anchors = _anchors(lines, cache)
    spans: list[TableSpan] = []
    barrier = 0  # no table reaches back past the previous table's header
    for at, schema, k in anchors:
        prev = spans[-1] if spans else None
        title_floor = _reach(lines, at, barrier, _LOOKBACK_TITLE)
        window = range(at - 1, title_floor - 1, -1)
        # a title naming a table (…表) before a bare heading (项目绩效目标), the nearest of each
        title_at = next(
            (j for j in window if _is_title(lines[j].text) and "表" in _title_cell(lines[j].text)), None
        )
        if title_at is None:
            title_at = next((j for j in window if _is_title(lines[j].text)), None)
        if title_at is not None:
            title_at = _first_of_repeats(lines, title_at, title_floor)
        ident = [
            j
            for j in range(_reach(lines, at, barrier, _LOOKBACK_IDENTITY), at)
            if is_identity_line(lines[j].text)
        ]
        if title_at is not None:
            ident = [j for j in ident if j > title_at]
        if prev is not None and prev.schema is not None and _continues(lines, prev, schema, title_at, ident):
            prev.repeats.append(at)
            barrier = max(schema.lines)
            continue
        if title_at is not None:
            start, titled, title = title_at, True, _title_cell(lines[title_at].text)
        elif ident:
            start, titled, title = ident[0], False, ""
        else:
            start, titled, title = at, False, ""
        if prev is not None and prev.end > start:
            prev.end = start
        header_texts = [lines[j].text for j in range(start, at + 1)]
        kind = title_kind(title) if titled else None
        if kind is None:
            kind = (
                "self_evaluation" if any(c.role in ("actual", "score") for c in schema.columns) else "target"
            )
        elif kind == "target" and any(c.role == "actual" for c in schema.columns):
            kind = "self_evaluation"
        spans.append(TableSpan(start, at, len(lines), title, titled, kind, _scope(header_texts), schema, k))
        barrier = max(schema.lines)
    for n, span in enumerate(spans):
        stop = spans[n + 1].start if n + 1 < len(spans) else len(lines)
        span.end = _block_end(lines, span, stop)
    return spans


def _reach(lines: list[SourceLine], at: int, floor: int, n: int) -> int:
    """The first line of the ``n`` lines with text before ``at`` (not before ``floor``)."""
    j, seen = at, 0
    while j > floor and seen < n:
        j -= 1
        seen += bool(lines[j].text.strip())
    return j


def _first_of_repeats(lines: list[SourceLine], title_at: int, floor: int) -> int:
    """A title repeated after page breaks before its header: the table starts at its first copy."""
    own = _clean_title(lines[title_at].text)
    first = title_at
    for j in range(title_at - 1, floor - 1, -1):
        if _is_title(lines[j].text):
            if _clean_title(lines[j].text) != own:
                break
            first = j
    return first


def _continues(
    lines: list[SourceLine], prev: TableSpan, schema: Schema, title_at: int | None, ident: list[int]
) -> bool:
    """A header like the previous table's, with no new identity above it: a page-break repeat."""
    assert prev.schema is not None
    if schema.signature() != prev.schema.signature() or ident:
        return False
    # read from the last header repeated so far: a table repeated on every page stays linear
    since = prev.repeats[-1] + 1 if prev.repeats else None
    if _closing(lines, prev, title_at if title_at is not None else min(schema.lines) - 1, since)[1]:
        return False  # a section heading or prose closed the previous table: this one is new
    if title_at is None:
        return True
    return fold(lines[title_at].text) == fold(prev.title) if prev.titled else False


def _block_end(lines: list[SourceLine], span: TableSpan, stop: int) -> int:
    """The table's rows end at a line that closes the block, a section heading or prose."""
    return _closing(lines, span, stop)[0]


def _closing(
    lines: list[SourceLine], span: TableSpan, stop: int, first: int | None = None
) -> tuple[int, bool]:
    """(where the rows end, whether a line closed them before ``stop``), reading from ``first``."""
    assert span.schema is not None
    if first is None:
        first = max(span.schema.lines)  # the header's last line (1-based) is the rows' first index
    own = _clean_title(span.title) if span.titled else None
    prose = 0
    for j in range(first, stop):
        text = lines[j].text.strip()
        if not text:
            continue
        if _is_note_row(text):
            return _trim(lines, span.start, j), True
        cells = lines[j].cells
        written = [c for c in cells if c.text.strip()] if cells is not None else []
        # a grid row that is one cell across (a title, a note) or opens with 总分/合计得分 …
        if cells is not None and written and (len(written) == 1 or is_end_marker(written[0].text)):
            title = _is_title(written[0].text)
            if (title and _clean_title(written[0].text) != own) or is_end_marker(written[0].text):
                return _trim(lines, span.start, j), True
        if lines[j].cells is None:
            title = _is_title(text)
            if title and _clean_title(text) == own:
                continue  # the title repeated after a page break: the table goes on
            if is_end_marker(text) or _SECTION.match(text) or title:
                return _trim(lines, span.start, j), True
        if (
            lines[j].cells is None
            and len(text) > 60
            and _PROSE.search(text)
            and "\t" not in text
            and "|" not in text
        ):
            prose += 1
            if prose >= 3:
                return _trim(lines, span.start, j - 2), True
        else:
            prose = 0
    return _trim(lines, span.start, stop), False


_TAGS = re.compile(r"<[^>]{1,200}>")


def _is_note_row(text: str) -> bool:
    """A row whose first cell is a note's caption ("目标设置说明", "备注") closes the indicators."""
    first = fold(_TAGS.sub("", re.split(r"[\t|]", text.strip().strip("|"))[0]))
    return 2 <= len(first) <= 12 and first.endswith(("说明", "备注", "说明:", "备注:"))


def _clean_title(text: str) -> str:
    return fold(text).strip("#* ")


def _trim(lines: list[SourceLine], start: int, end: int) -> int:
    while end > start + 1 and not lines[end - 1].text.strip():
        end -= 1
    return end
