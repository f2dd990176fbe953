"""A table's indicator header: its column captions, read as the roles of the cells below them.

The header is found among the cells wherever they came from: one row of captions, one caption
per line, captions split over lines ("一级指" / "标"), glued into one run
("一级指标二级指标指标内容指标值"), or two rows where a caption spans sub-captions (其中: over
财政资金 | 其他资金).  Each caption maps to a role through the lexicon (``extract.lexicon``).
A header naming the L2/L3 columns twice is a two-period table (中期 left, 年度 right, as the
national form has them, unless the captions say otherwise); one L3 with a value per period
("实施周期指标值 | 年度指标值") gives each value column its period.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from extract.cells import Tok
from extract.lexicon import INDICATOR_ROLES, caption_role, fold, label_levels, lexicon, strip_brackets
from extract.shapes import is_direction

__all__ = ["Column", "Schema", "match_header", "settle_roles"]

# how many tokens a caption may have been split into ("一级指" "标", "绩" "效" "指" "标")
_MAX_PARTS = 4
_MAX_TOKENS = 40
# the roles that make a run of captions an indicator header
_CORE = {"l1", "l2", "l3", "value", "actual"}


# (role, period, caption as written, its first token, how many tokens it took)
_Picked = tuple[str, str | None, str, Tok, int]


@dataclass(frozen=True)
class Column:
    role: str
    period: str | None
    caption: str
    col: int | None = None  # the grid column (or cell index on a delimited line) the caption starts in
    span: int = 1
    group: int = 0  # which period group (0, or 1 for the right half of a two-period table)


@dataclass
class Schema:
    columns: list[Column]
    lines: list[int] = field(default_factory=list)  # the header's line numbers
    used: int = 0  # how many tokens of the run the header took
    width: int = 0  # cells on the header's line, empties included (tab, pipe and grid rows)

    @property
    def captions(self) -> list[str]:
        return [c.caption for c in self.columns]

    @property
    def periods(self) -> tuple[str | None, ...]:
        found = tuple(dict.fromkeys(c.period for c in self.columns if c.period))
        return found if len(found) == 2 else (None,)

    def signature(self) -> tuple[str, ...]:
        return tuple(c.role for c in self.columns)


def _caption(text: str, exact: bool = False) -> tuple[str | None, str | None]:
    role, period = caption_role(text, exact)
    if role is None or label_levels(text):
        return None, None
    return role, period


def match_header(toks: list[Tok], start: int = 0) -> Schema | None:
    """The header starting at ``toks[start]``, or None when the tokens there are no header.

    Captions are taken while they last, joining a caption's pieces (split over lines or
    cells); the run is a header when it names the indicator columns (an L3, or an L1 and an
    L2, beside a value or an achieved value).
    """
    picked: list[_Picked] = []
    per_line: dict[int, int] = {}
    for t in toks:
        per_line[t.line] = per_line.get(t.line, 0) + 1
    i = start
    while i < len(toks) and i - start < _MAX_TOKENS:
        if picked and toks[i].line != toks[i - 1].line and per_line[toks[i - 1].line] > 1:
            # a row of captions ends with its line, unless the next line holds captions only
            # (a header row broken by a line break inside a cell); a grid row always ends
            nxt = [t for t in toks[i:] if t.line == toks[i].line]
            if toks[i].route == "grid" or any(_caption(t.text)[0] is None for t in nxt):
                break
        found = None
        for n in range(min(_MAX_PARTS, len(toks) - i), 0, -1):
            parts = toks[i : i + n]
            if n > 1 and any(p.merged for p in parts):
                continue
            text = "".join(p.text for p in parts)
            role, period = _caption(text, exact=n > 1)
            if role is not None:
                found = (role, period, text, parts[0], n)
                break
        if found is None:
            break
        picked.append(found)
        i += found[4]
    picked = _generic_indicator(picked)
    roles = {p[0] for p in picked}
    core = roles & _CORE
    if not ("l3" in roles or {"l1", "l2"} <= roles) or len(core) < 2:
        return None
    # a header names its value column, or says 指标 in its level captions: "一级 二级 三级" over
    # amounts is a catalogue (政府购买服务目录), not indicators
    if not roles & {"value", "actual"} and not all(
        "指标" in fold(p[2]) for p in picked if p[0] in ("l1", "l2", "l3")
    ):
        return None
    if len([p for p in picked if p[0] in INDICATOR_ROLES and p[0] != "rowhead"]) < 3 and "l3" not in roles:
        return None
    columns = _columns(_unflatten(picked))
    first = toks[start]
    leading = min((c.col for c in columns if c.col is not None), default=0)
    if first.route == "grid" and leading > 0:
        # a caption-less column on the left (the merged 绩效指标 cell of the rows): a row header
        columns.insert(0, Column("rowhead", None, "", 0, leading, 0))
    if any(c.role == "actual" for c in columns) and not any(c.role in ("score", "weight") for c in columns):
        # a self-evaluation whose 分值/得分 captions were lost (merged over the header): the
        # scores are still there at the end of its rows
        columns.append(Column("score", None, "", None, 1, columns[-1].group))
    lines = sorted({t.line for t in toks[start:i]})
    return Schema(columns=columns, lines=lines, used=i - start, width=first.width)


_PARENTS = {"rowhead": ("l1", "l2", "l3"), "value": ("comparator", "value", "unit")}


def _generic_indicator(picked: list[_Picked]) -> list[_Picked]:
    """A header whose only name column is a generic 绩效指标 beside a value: that column holds the
    indicator, its L1 and L2 often glued before it ("产出指标数量指标举办发布仪式")."""
    roles = [p[0] for p in picked]
    if {"l1", "l2", "l3"} & set(roles) or "rowhead" not in roles or "value" not in roles:
        return picked
    k = roles.index("rowhead")
    if "指标" not in fold(picked[k][2]):
        return picked
    _, period, text, tok, n = picked[k]
    return [
        *picked[:k],
        ("l1", period, text, tok, n),
        ("l2", period, text, tok, n),
        ("l3", period, text, tok, n),
        *picked[k + 1 :],
    ]


def _unflatten(picked: list[_Picked]) -> list[_Picked]:
    """Two header rows written one after the other: the spanning captions of the first row
    (绩效指标 over 一级/二级/三级, 年度指标值 over 指标性质/指标值/度量单位), then the second row.
    The second row starts where an L1/L2/L3 caption follows captions that had none; each of
    its runs takes the place of the spanning caption it belongs under."""
    roles = [p[0] for p in picked]
    restart = next((k for k, r in enumerate(roles) if r in ("l1", "l2", "l3") and k > 0), None)
    if restart is None or any(r in ("l2", "l3") for r in roles[:restart]):
        return picked
    top, sub = picked[:restart], picked[restart:]
    if not any(p[0] in ("value", "actual", "weight", "score") for p in top):
        return picked
    out: list[_Picked] = []
    used = [False] * len(sub)
    for parent in top:
        children = _PARENTS.get(parent[0])
        run = [k for k, p in enumerate(sub) if not used[k] and children and p[0] in children]
        if run:
            for k in run:
                used[k] = True
            out.extend(sub[k] for k in run)
        else:
            out.append(parent)
    out.extend(p for k, p in enumerate(sub) if not used[k])
    return out


def _columns(picked: list[_Picked]) -> list[Column]:
    cols: list[Column] = []
    for role, period, text, tok, _ in picked:
        cols.append(Column(role, period, text, tok.col, tok.span))
    # a repeated L3 (or L2 after an L3) opens the second period group
    groups: list[int] = []
    group, seen_l3, seen_l2 = 0, False, False
    for c in cols:
        if c.role == "l3":
            if seen_l3:
                group = 1
            seen_l3 = True
        elif c.role == "l2":
            if seen_l3 and seen_l2 and group == 0:
                group = 1  # a second L2 after an L3: the right-hand period's columns
            seen_l2 = True
        groups.append(group)
    two_groups = group == 1
    out: list[Column] = []
    for c, g in zip(cols, groups, strict=True):
        period = c.period
        if two_groups and c.role not in ("l1", "rowhead"):
            period = period or ("midterm" if g == 0 else "annual")
        out.append(Column(c.role, period, c.caption, c.col, c.span, g))
    # spans of grid captions: up to the next caption's column
    fixed: list[Column] = []
    for k, c in enumerate(out):
        nxt = next((o.col for o in out[k + 1 :] if o.col is not None), None)
        span = (nxt - c.col) if (c.col is not None and nxt is not None and nxt > c.col) else c.span
        fixed.append(Column(c.role, c.period, c.caption, c.col, span, c.group))
    return fixed


def overlay_subcaptions(schema: Schema, toks: list[Tok]) -> Schema | None:
    """A second header row of sub-captions under spanning ones (其中: → 财政资金 | 其他资金,
    年度指标值 → 指标性质 | 指标值 | 度量单位): each spanning caption gives way to those under it."""
    if not toks or any(_caption(t.text)[0] is None for t in toks if not t.merged):
        return None
    subs = [t for t in toks if not t.merged]
    if not subs or all(fold(t.text) == fold(c.caption) for t, c in zip(subs, schema.columns, strict=False)):
        return None
    under: dict[int, list[Tok]] = {}
    for t in subs:
        at = next(
            (
                k
                for k, c in enumerate(schema.columns)
                if t.col is not None and c.col is not None and c.col <= t.col < c.col + max(1, c.span)
            ),
            None,
        )
        if at is not None:
            under.setdefault(at, []).append(t)
    if not under:
        return None
    columns: list[Column] = []
    for k, c in enumerate(schema.columns):
        for t in under.get(k, []):
            role, period = _caption(t.text)
            assert role is not None
            columns.append(Column(role, period or c.period, t.text, t.col, t.span, c.group))
        if k not in under:
            columns.append(c)
    return Schema(
        columns=columns, lines=[*schema.lines, toks[0].line], used=schema.used + len(toks), width=schema.width
    )


def _evidence(role: str, text: str) -> bool:
    """Whether a cell is of the kind a column of ``role`` holds (for captions heading either)."""
    if role in ("l1", "l2"):
        return role in label_levels(text)
    if role == "direction":
        return is_direction(text)
    return False


def settle_roles(schema: Schema, toks: list[Tok]) -> Schema:
    """The schema with each caption that may head either of two kinds of column (指标类型: the
    direction 正向/反向, or the L1 label 产出/效益) given the role its table's cells bear out.

    A role the header already has elsewhere is not taken twice; on a tie the lexicon's first stays.
    """
    either = lexicon().either
    taken = {c.role for c in schema.columns}
    columns = list(schema.columns)
    changed = False
    for k, column in enumerate(columns):
        roles = either.get(strip_brackets(fold(column.caption)))
        if not roles:
            continue
        free = [r for r in roles if r == column.role or r not in taken]
        votes = {r: sum(_evidence(r, t.text) for t in toks) for r in free}
        best = max(free, key=lambda r: (votes[r], r == roles[0]))
        if best != column.role and votes[best] > votes.get(column.role, 0):
            columns[k] = replace(column, role=best)
            taken.add(best)
            changed = True
    return replace(schema, columns=columns) if changed else schema
