"""Indicator blocks of PDF-converted text whose cells are separated by spaces, not tabs.

Two layouts come out of PDF converters:

* wrapped cells (``000``): every cell broken over lines at its column's width, cells on one
  baseline joined by a space, labels split ("一级指" / "标"), a two-period table (中期 left,
  年度 right) running through the same lines; read by :mod:`extract.layouts.pdf_cells`.
* line rows (``001``): one row per line, the L1/L2 labels alone on a line or inline before
  the L3, the value the last space-separated part(s) of the line; read here.

Both start from the token stream of :func:`extract.layouts.pdf_tokens.tokenize`.  Which
layout a block is in is read off that stream: wrapped cells split labels over lines and
leave many lines holding one content piece; line rows hold two or more on nearly every line.
"""

from __future__ import annotations

import re

from extract.labels import fold, label_levels
from extract.layouts.base import BlockResult, Line, account_for
from extract.layouts.pdf_cells import read_cells
from extract.layouts.pdf_tokens import Piece, Token, opens_value, periods_of, tokenize, valueness
from extract.records import Indicator, Period, Unparsed

__all__ = ["is_wrapped_text", "read_rows", "read_text_block", "read_wrapped_text"]


def _is_wrapped(tokens: list[Token]) -> bool:
    """Wrapped cells split labels over lines ("产出" / "指标") and leave many lines holding a
    single content piece; line rows keep every label whole and hold two or more per line."""
    if any(t.kind == "label" and t.pieces[-1].line != t.line for t in tokens):
        return True
    per_line: dict[int, int] = {}
    for t in tokens:
        if t.kind == "content":
            per_line[t.line] = per_line.get(t.line, 0) + 1
    if not per_line:
        return False
    single = sum(1 for n in per_line.values() if n == 1)
    return single / len(per_line) > 0.3


def is_wrapped_text(lines: list[Line]) -> bool:
    """Is a block PDF text whose cells wrap at their column's width (the layout ``read_cells`` reads)?"""
    return read_wrapped_text(lines) is not None


def read_wrapped_text(lines: list[Line]) -> BlockResult | None:
    """The block read as PDF text of wrapped cells, or None when it is not laid out so."""
    if not _splits_a_label(lines):
        return None
    tokens, furniture = tokenize(lines)
    if not (_is_wrapped(tokens) and any(t.kind == "label" and t.pieces[-1].line != t.line for t in tokens)):
        return None
    return _read_tokens(lines, tokens, furniture)


def _splits_a_label(lines: list[Line]) -> bool:
    """A quick look before tokenising: does some line end with the first part of a label that the
    next line finishes ("一级指" / "标", "社会效益" / "指标")?"""
    last = ""
    for _, text in lines:
        parts = text.split()
        if not parts:
            continue
        if last and not label_levels(last) and label_levels(fold(last + parts[0])):
            return True
        last = parts[-1]
    return False


def read_text_block(lines: list[Line]) -> BlockResult:
    """Read an indicator block of space-separated PDF text (wrapped cells or line rows)."""
    tokens, furniture = tokenize(lines)
    return _read_tokens(lines, tokens, furniture)


def _read_tokens(lines: list[Line], tokens: list[Token], furniture: list[Unparsed]) -> BlockResult:
    periods = periods_of(tokens)
    reader = read_cells if _is_wrapped(tokens) else read_rows
    indicators, leftovers = reader(tokens, periods)
    result = BlockResult(indicators=indicators, unparsed=furniture)
    for t in tokens:
        result.used.update(p.line for p in t.pieces)
    for piece, reason in leftovers:
        result.unparsed.append(Unparsed(piece.line, piece.text, reason))
    return account_for(lines, result)


# ---------------------------------------------------------------- line rows (layout 2)


def _value_start(parts: list[Piece]) -> int:
    """Index where the value begins among a row's content parts: the last part, plus the parts
    before it that are pieces of the same value ("=", "2021年" before "12月31日前")."""
    k = len(parts) - 1
    while k > 1:
        before, here = fold(parts[k - 1].text), fold(parts[k].text)
        # a name never opens with a comparator; a bare number or year runs on into its unit/date
        compared = opens_value(before)
        numeric = bool(re.match(r"^\d[\d.,]*[年月]?$", before)) and bool(re.match(r"^[\d%％]", here))
        if compared or numeric:
            k -= 1
        else:
            break
    return k


def _segments(line_tokens: list[Token], periods: int) -> list[tuple[list[Token], list[Piece]]]:
    """Cut a line into (labels, content parts) segments; a label after content opens a new one."""
    segs: list[tuple[list[Token], list[Piece]]] = []
    labels: list[Token] = []
    parts: list[Piece] = []
    for t in line_tokens:
        if t.kind == "header":
            continue
        if t.kind == "label":
            if parts:
                segs.append((labels, parts))
                labels, parts = [], []
            labels.append(t)
        else:
            parts.extend(t.pieces)
    if labels or parts:
        segs.append((labels, parts))
    if periods == 2 and len(segs) == 1 and len(segs[0][1]) == 4:
        # the L2 merged across both periods: L3 value L3 value
        labels, parts = segs[0]
        segs = [(labels, parts[:2]), ([], parts[2:])]
    return segs


def _join(pieces: list[Piece]) -> str:
    """Pieces of one line keep their space; a line break inside a cell joins with nothing."""
    text = ""
    for k, x in enumerate(pieces):
        text += (" " if k and pieces[k - 1].line == x.line else "") + x.text
    return text.strip()


def read_rows(
    tokens: list[Token], periods: tuple[Period, ...]
) -> tuple[list[Indicator], list[tuple[Piece, str]]]:
    """One row per line: labels set the context, the content parts are an L3 and its value."""
    by_line: dict[int, list[Token]] = {}
    for t in tokens:
        by_line.setdefault(t.line, []).append(t)
    l1: str | None = None
    l2: list[str | None] = [None] * len(periods)
    out: list[Indicator] = []
    leftovers: list[tuple[Piece, str]] = []
    pending: list[Piece] = []  # a name alone on its line: its value, or more of it, follows
    for no in sorted(by_line):
        segments = _segments(by_line[no], len(periods))
        for s, (labels, parts) in enumerate(segments):
            p = min(s, len(periods) - 1)
            # a line of labels alone heads both halves of a two-period table
            halves = range(len(periods)) if len(segments) == 1 and not parts else [p]
            for lab in labels:
                if lab.level == "l1":
                    l1, l2 = lab.text, [None] * len(periods)
                else:
                    for h in halves:
                        l2[h] = lab.text
            if labels and pending:
                leftovers.extend((x, "name without a value") for x in pending)
                pending = []
            if not parts:
                continue
            if len(parts) == 1:
                if valueness(parts[0].text) <= 0:
                    pending.append(parts[0])
                    continue
                if not pending:
                    leftovers.append((parts[0], "value without a name"))
                    continue
                name, value = pending, parts
            else:
                cut = _value_start(parts)
                name, value = pending + parts[:cut], parts[cut:]
            pending = []
            out.append(
                Indicator(
                    l1=l1,
                    l2=l2[p],
                    l3=_join(name),
                    value=_join(value) or None,
                    line=name[0].line,
                    period=periods[p],
                )
            )
    leftovers.extend((x, "name without a value") for x in pending)
    return out, leftovers
