"""The fields above a table's indicators: project name, units, code, funding, goals, tasks.

Every layout writes them as "key value" cells: tab-separated, space-separated, a key on one
line and its value on the next, a key split over two lines ("总体" / "目标"), two periods
side by side ("中期资金总额： 14840.70 年度资金总额： 4946.90").  One reader serves all of
them: cut each line into cells, recognise keys from a vocabulary, give each key the cells
after it, and let a key with no value on its line collect the lines that follow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from extract.labels import fold, is_row_header
from extract.layouts.base import Line
from extract.lexicon import lexicon
from extract.records import Funding, Unparsed

__all__ = [
    "HeaderFields",
    "clean_org_name",
    "is_amount",
    "money_unit",
    "parse_header",
    "parse_money",
    "split_cells",
    "split_keys",
]


@cache
def _roles() -> dict[str, str]:
    """Folded key -> what it holds, from the lexicon's ``[fields]``."""
    out: dict[str, str] = {}
    for role, keys in lexicon().fields.items():
        for key in keys:
            out.setdefault(fold(key).rstrip(":"), role)
    return out


@cache
def _glued_keys() -> re.Pattern[str]:
    """Keys long enough to be found inside a run of text with no separators."""
    keys = sorted((k for k in _roles() if len(k) >= 4), key=len, reverse=True)
    return re.compile("|".join(re.escape(k) for k in keys))


# "(一)财政拨款小计", "1、一般公共预算": a key numbered in a list of funding sources
_ENUMERATOR = re.compile(r"^(?:[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十\d]{1,3}[、.．])")
_UNIT_IN_KEY = re.compile(r"[（(]\s*(万元|元)\s*[）)]")
_KEY_TAIL = re.compile(r"[（(][^）)]*[）)]$")
_FIGURE = r"-?\d[\d,]*(?:\.\d+)?"
_NUMBER = re.compile(rf"^{_FIGURE}$")
_INLINE = re.compile(r"^([^:：]{2,14}?[:：])\s*(.+)$")
_UNIT_LINE = re.compile(r"(?:金额)?单位\s*[:：]\s*(万元|元)")
_CODE_UNIT = re.compile(r"^[\dA-Za-z\-]{3,}\s*([\u4e00-\u9fff（）()]{2,40})$")
_YEAR_LINE = re.compile(r"^[（(]?20\d\d年度?[）)]?$")
_BRACKET_UNIT = re.compile(r"^[（(](万元|元)[）)]$")
_HTML = re.compile(r"<[^>]{1,200}>")
_AMOUNT_COMMA = re.compile(rf"^({_FIGURE}(?:万元|元)?)[，,；;](\S+)$")
_PART_OF = re.compile(r"^其中[:]?\s*")
_ROW_HEADER_BITS = {"年度", "主要", "任务", "绩效", "总体", "目标", "指标", "中期", "长期", "总体目标"}


@dataclass
class HeaderFields:
    name: str | None = None
    implementing_unit: str | None = None
    department: str | None = None
    project_code: str | None = None
    funding: Funding = field(default_factory=Funding)
    annual_goal: str | None = None
    midterm_goal: str | None = None
    used: set[int] = field(default_factory=set)
    unparsed: list[Unparsed] = field(default_factory=list)
    money_unit: str | None = None  # the unit the fields state money in (万元 unless they say 元)


def split_cells(text: str) -> list[str]:
    """Tab cells where there are tabs, else space-separated runs (PDF text), with a key a line
    break split ("年度本级 预算金额") joined back."""
    if "\t" in text:
        return [c.strip() for c in text.split("\t")]
    parts = [piece for part in text.split() for piece in _amount_then_key(part)]
    out: list[str] = []
    for part in parts:
        if out and _key(out[-1])[0] is None and _key(out[-1] + part)[0] is not None:
            out[-1] += part
        else:
            out.append(part)
    return out


def _amount_then_key(part: str) -> list[str]:
    """ "86.5，其中财政拨款": an amount and the next key of a sentence of funding fields, apart."""
    m = _AMOUNT_COMMA.match(part)
    return [m.group(1), m.group(2)] if m and _key(m.group(2))[0] is not None else [part]


@lru_cache(maxsize=1 << 14)
def _key(cell: str) -> tuple[str | None, str | None]:
    """(role, money unit stated in the key) for a cell, or (None, None) if it is not a key."""
    s = _ENUMERATOR.sub("", fold(cell).rstrip(":："))
    s = s.replace("（", "(").replace("）", ")").replace("：", ":")
    unit_match = _UNIT_IN_KEY.search(cell)
    unit = unit_match.group(1) if unit_match else None
    roles = _roles()
    for candidate in (s, _KEY_TAIL.sub("", s), _KEY_TAIL.sub("", s).rstrip(":")):
        if candidate in roles:
            return roles[candidate], unit
    part = _PART_OF.sub("", s)
    if part != s and roles.get(part) in ("fiscal", "other"):
        return roles[part], unit  # "其中财政拨款", "其中：其他资金": a part of the total above
    return None, None


def split_keys(cell: str) -> list[str]:
    """A cell holding keys and values with nothing between ("项目名称农村学校改造补助资金",
    "项目主管部门青山区教育局项目执行单位化工区学校") cut into key and value cells."""
    s = cell.strip()
    if _key(s)[0] is not None or len(s) < 5:
        return [s]
    cuts = sorted(
        {m.start() for m in _glued_keys().finditer(s)} | {m.end() for m in _glued_keys().finditer(s)}
    )
    if not cuts:
        return [s]
    if cuts[0] != 0:
        # a long run of words of its own (a page's text) before the fields: they open at the
        # first key naming the project or unit
        found = [
            m
            for m in _glued_keys().finditer(s)
            if _roles().get(m.group()) in ("name", "unit", "dept", "code")
        ]
        if len(s) < 60 or not found:
            return [s]
        cuts = sorted({0, *(c for c in cuts if c >= found[0].start())})
    pieces = [s[a:b].strip(":： ") for a, b in zip(cuts, [*cuts[1:], len(s)], strict=True)]
    return [p for p in pieces if p]


def money_unit(line: str) -> str | None:
    """The unit a "单位：万元" / "金额单位：元" line sets, or None."""
    m = _UNIT_LINE.search(fold(line)) if "单位" in line else None
    return m.group(1) if m else None


def is_amount(cell: str) -> bool:
    return bool(_NUMBER.match(fold(cell)))


def parse_money(text: str, unit: str | None) -> float | None:
    s = fold(text).replace("，", ",")
    m = re.match(r"^-?\d[\d,]*(?:\.\d+)?", s)
    if not m:
        return None
    value = float(m.group(0).replace(",", ""))
    rest = s[m.end() :]
    if rest.startswith(("%", "‰")):
        return None  # a rate (and glued figures run into one): not an amount of money
    if rest.startswith("万元"):
        unit = "万元"
    elif rest.startswith("元"):
        unit = "元"
    return round(value / 10000, 6) if unit == "元" else value


def clean_org_name(text: str) -> str:
    """ "0102025 深圳市医疗保障局" / "国家医疗保障局[257]" → the name alone."""
    s = re.sub(r"^[\dA-Za-z\-]+\s*", "", text.strip())
    s = re.sub(r"\s*[\[［(（]\s*\d+\s*[\]］)）]\s*$", "", s)
    return s.strip()


def _clean_text(text: str) -> str:
    return re.sub(r"\s+", " ", _HTML.sub(" ", text)).strip()


_CELL_FIGURE = re.compile(rf"^(?:{_FIGURE}%?|[-—/]+)$")  # an amount, a rate, or a dash for none


def _amount_row_cell(out: HeaderFields, st: _State, cell: str) -> None:
    """One amount of a money row written one cell per line; the row's amount is the one under
    全年预算数 (else the first) once the row is complete."""
    assert st.amount_row is not None
    role, unit, values = st.amount_row
    values.append(cell)
    if len(values) < len(st.budget_lines):
        return
    at = next((k for k, c in enumerate(st.budget_lines) if c.startswith("全年预算数")), 0)
    st.amount_row = None
    _apply_key(out, st, role, unit, [values[at]] if _amount([values[at]], st) is not None else [])


def _pairs_goal(st: _State) -> bool:
    """An 实际完成情况 caption right after a goal key with no text yet: the goal's lines come
    beside (or among) what was achieved of them."""
    if st.open_roles == ["annual_goal"] and not st.open_text:
        st.paired = True
    return st.paired


# where a numbered goal opens ("目标2：", or "2、", "2)", "(2)" at the start of a sentence), its number in a group
_GOAL_MARK = re.compile(
    r"目标\s*(\d+)\s*[:：]|(?:^|(?<=[。；;]))\s*(?:(\d+)\s*[、.．:：)）]|[(（](\d+)[)）])"
)


def _goal_number(m: re.Match[str]) -> str:
    return next(g for g in m.groups() if g)


def _planned_goal(lines: list[str]) -> str:
    """The planned goal among a self-evaluation's goal lines: the first cell of rows of cells;
    else, numbered, each number's first line (goals come before their achievement, whether the
    two alternate or follow as blocks); else the first half of the lines."""
    rows = [[c.strip() for c in line.split("\t") if c.strip()] for line in lines if line.strip()]
    if any(len(r) >= 2 for r in rows):
        return "".join(r[0] for r in rows if len(r) >= 2)
    texts = [" ".join(r) for r in rows if not _CELL_FIGURE.match(fold(" ".join(r)))]  # a score among them
    numbers = [_GOAL_MARK.match(t) for t in texts]
    if any(numbers):
        seen: set[str] = set()
        keep, goal = False, []
        for text, m in zip(texts, numbers, strict=True):
            if m:
                n = _goal_number(m)
                keep = n not in seen
                seen.add(n)
            if keep:
                goal.append(text)
        return "".join(goal)
    return "".join(texts[: max(1, len(texts) // 2)])


def _split_goals(text: str) -> tuple[str, str]:
    """Side-by-side 中期目标 / 年度目标 share one text stream: the annual part restarts the numbering."""
    marks = [m for m in _GOAL_MARK.finditer(text) if _goal_number(m) == "1"]
    if len(marks) >= 2:
        cut = marks[1].start()
        return text[:cut].strip(), text[cut:].strip()
    return text, ""


@dataclass
class _State:
    money_unit: str | None = None
    open_roles: list[str] = field(default_factory=list)
    open_text: list[str] = field(default_factory=list)
    open_roles_filled: bool = False
    pending_value: tuple[str, str | None] | None = None
    totals_order: list[str] = field(default_factory=list)
    task_total: float = 0.0
    task_fiscal: float = 0.0
    task_rows: int = 0
    sum_row: tuple[float, float | None] | None = None
    in_tasks: bool = False
    total: float | None = None  # a 资金总额 that is the year's or the project's, decided at the end
    budget_column: int | None = None
    # a row of money captions with nothing beside them (预算支出总额 | 财政拨款 | 其他资金): their
    # amounts come on a row below, one per column, after an optional row of sub-captions
    captions: list[tuple[str, str | None]] = field(default_factory=list)
    widths: list[int] | None = None
    # an execution block written one cell per line: its captions so far (年初预算数, 全年预算数 …),
    # then a row's key and the amounts still to come under them
    budget_lines: list[str] = field(default_factory=list)
    amount_row: tuple[str, str | None, list[str]] | None = None
    # a self-evaluation's goal block: 预期目标 beside 实际完成情况, the lines below holding both
    paired: bool = False
    pair_lines: list[str] = field(default_factory=list)
    # the field a value on its own line just filled ("" for one not kept): a cell wrapped over
    # lines may go on below
    wrapped: str | None = None


def parse_header(lines: list[Line], money_unit: str | None = "万元") -> HeaderFields:
    out = HeaderFields()
    st = _State(money_unit=money_unit)
    fragments: list[tuple[int, str]] = []

    def close_open() -> None:
        if not st.open_roles:
            return
        text = "".join(st.open_text).strip()
        if st.open_roles_filled:
            pass
        elif st.paired:
            _set_goal(out, "annual_goal", _planned_goal(st.pair_lines))
        elif st.open_roles == ["midterm_goal", "annual_goal"]:
            mid, ann = _split_goals(text)
            _set_goal(out, "midterm_goal", mid)
            _set_goal(out, "annual_goal", ann)
        elif len(st.open_roles) == 1 and st.open_roles[0].endswith("_goal"):
            _set_goal(out, st.open_roles[0], text)
        st.open_roles, st.open_text, st.open_roles_filled = [], [], False
        st.paired, st.pair_lines = False, []

    for no, raw in lines:
        text = raw.strip()
        if not text:
            continue
        folded = fold(text)
        unit_line = _UNIT_LINE.search(folded)
        if unit_line:
            st.money_unit = unit_line.group(1)
            out.used.add(no)
            continue
        # a key broken over lines: "总体" / "目标", "项目资金" / "（万元）", "总" / "体" / "目" / "标"
        if fragments:
            joined = "".join(f for _, f in fragments) + folded
            role, unit = _key(joined)
            if role:
                out.used.update({n for n, _ in fragments} | {no})
                fragments = []
                close_open()
                _apply_key(out, st, role, unit, [])
                continue
            if len(joined) <= 8 and "\t" not in raw and not st.open_roles and _is_key_prefix(joined):
                fragments.append((no, folded))
                continue
            out.unparsed.extend(Unparsed(n, f, "header line not understood") for n, f in fragments)
            fragments = []
        if _YEAR_LINE.match(folded):
            out.used.add(no)  # the table's year, stated again under its title
            continue
        bracket_unit = _BRACKET_UNIT.match(folded)
        if bracket_unit:
            st.money_unit = bracket_unit.group(1)
            out.used.add(no)
            continue
        wrapped, st.wrapped = st.wrapped, None
        if wrapped is not None and _wraps_on(folded, raw):
            # "兰溪路-真南路下立交工" / "程": the rest of a value wrapped at its cell's width
            if wrapped and getattr(out, wrapped):
                setattr(out, wrapped, getattr(out, wrapped) + folded)
            out.used.add(no)
            continue
        cells = [piece for c in split_cells(text) if c for piece in split_keys(c)]
        if st.captions and _caption_grid_row(out, st, cells):
            out.used.add(no)
            continue
        st.captions = []
        if st.in_tasks and "\t" in raw and _task_row(st, cells):
            out.used.add(no)
            continue
        consumed = _parse_cells(out, st, cells, close_open)
        if consumed:
            out.used.add(no)
            continue
        if _is_row_header_text(folded) or (cells and is_row_header(cells[0]) and len(cells) == 1):
            out.used.add(no)
            continue
        if st.pending_value is not None and len(st.budget_lines) >= 2 and st.pending_value[0] in _MONEY_ROLES:
            # a money row under an execution block's captions, one cell per line: its amounts follow
            st.amount_row = (*st.pending_value, [])
            st.pending_value = None
        if st.amount_row is not None and len(cells) == 1 and _CELL_FIGURE.match(fold(cells[0])):
            _amount_row_cell(out, st, cells[0])
            out.used.add(no)
            continue
        st.amount_row = None
        if st.pending_value is not None:
            # "项目名称" alone on its line, its value on the next (web-page text, one cell per line)
            role, unit = st.pending_value
            st.pending_value = None
            _apply_key(out, st, role, unit, cells)
            out.used.add(no)
            st.wrapped = _WRAPPED_FIELDS.get(role) if len(cells) == 1 and len(cells[0]) >= 4 else None
            continue
        if len(st.open_roles) == 2 and len(cells) == 2 and "\t" in raw:
            # side-by-side goal cells of a tab table: each cell is its own period's text
            for role, cell in zip(st.open_roles, cells, strict=True):
                _set_goal(out, role, cell)
            st.open_roles_filled = True
            out.used.add(no)
            continue
        if st.open_roles:
            st.open_text.append(_clean_text(raw))
            st.pair_lines.append(raw)
            out.used.add(no)
            continue
        unit_match = _CODE_UNIT.match(text)
        if unit_match and out.implementing_unit is None:
            out.implementing_unit = clean_org_name(text)
            out.used.add(no)
            continue
        if len(folded) <= 6 and "\t" not in raw and _is_key_prefix(folded):
            fragments = [(no, folded)]
            continue
        if st.in_tasks and "\t" in raw:
            out.used.add(no)  # a task's content continued on its own row
            continue
        out.unparsed.append(Unparsed(no, text, "header line not understood"))
    out.unparsed.extend(Unparsed(n, f, "header line not understood") for n, f in fragments)
    close_open()
    _finish_funding(out, st)
    out.money_unit = st.money_unit
    return out


def _is_key_prefix(folded: str) -> bool:
    return any(key.startswith(folded) for key in _roles())


def _is_row_header_text(folded: str) -> bool:
    return folded in _ROW_HEADER_BITS


def _set_goal(out: HeaderFields, role: str, text: str) -> None:
    text = _clean_text(text)
    if not text:
        return
    current = getattr(out, role)
    setattr(out, role, text if current is None else current + text)


def _parse_cells(out: HeaderFields, st: _State, cells: list[str], close_open: object) -> bool:
    """Read key/value cells of one line; False when the line holds no key at all.

    Cells before the first key are the value of a key left open on the line above (项目资金总额 /
    10,308,000.00 年度资金申请总额), or a label of the form's own (公开14表), set aside.
    """
    first_key = next((k for k, c in enumerate(cells) if _key(c)[0] is not None or _inline_key(c)), None)
    if first_key is None:
        return False
    if first_key > 0 and not all(is_row_header(c) for c in cells[:first_key]):
        if st.pending_value is not None:
            open_role, open_unit = st.pending_value
            st.pending_value = None
            _apply_key(out, st, open_role, open_unit, cells[:first_key])
        cells = cells[first_key:]
    groups: list[tuple[str, str | None, list[str]]] = []
    for cell in cells:
        role, unit = _key(cell)
        if role is None:
            inline = _INLINE.match(cell)
            if inline:
                role, unit = _key(inline.group(1))
                if role is not None:
                    groups.append((role, unit, [inline.group(2)]))
                    continue
        if role is not None:
            groups.append((role, unit, []))
        elif groups:
            groups[-1][2].append(cell)
        elif is_row_header(cell):
            continue
        else:
            return False
    if not groups:
        return False
    if all(role == "achieved_goal" for role, _, _ in groups) and _pairs_goal(st):
        return True  # 实际完成情况 under a goal key: the goal block comes in pairs
    assert callable(close_open)
    close_open()
    st.pending_value = None
    money = [(role, unit) for role, unit, values in groups if role in _MONEY_ROLES and not values]
    if len(money) >= 2 and len(money) == len(groups):
        st.captions, st.widths = money, None
        st.totals_order = [r for r, _ in money if r in ("annual_total", "midterm_total")] or st.totals_order
        return True
    fiscal_index = 0
    totals_here = [g[0] for g in groups if g[0] in ("annual_total", "midterm_total")]
    if totals_here:
        st.totals_order = totals_here
    keys = [c for c in cells if _key(c)[0] or _inline_key(c)]
    columns = [fold(key) for g, key in zip(groups, keys, strict=False) if g[0] == "budget_columns"]
    if len(groups) == 1 and len(columns) == 1:
        st.budget_lines.append(columns[0])  # one caption per line
    elif not columns and not any(role in _MONEY_ROLES for role, _, _ in groups):
        st.budget_lines = []
    if len(columns) >= 2:
        # the caption row of a budget-execution block: which of the amounts below is the budget
        # (年初预算数 | 全年预算数 | 全年执行数: the year's budget is the one after adjustments)
        st.budget_column = next((k for k, c in enumerate(columns) if c.startswith("全年预算数")), 0)
    for (role, unit, values), cell in zip(groups, keys, strict=False):
        if role == "fiscal":
            target = st.totals_order[fiscal_index] if fiscal_index < len(st.totals_order) else "annual_total"
            fiscal_index += 1
            amount = _amount(values, st)
            # 当年/本年财政拨款 is the year's, whatever came before it
            this_year = "当年" in cell or "本年" in cell
            first_for_year = target == "annual_total" and out.funding.annual_fiscal is None
            if amount is not None and (this_year or first_for_year):
                out.funding.annual_fiscal = parse_money(amount, unit or st.money_unit)
            elif (this_year or target == "annual_total") and not values:
                st.pending_value = ("fiscal_year" if this_year else "fiscal", unit)
            continue
        _apply_key(out, st, role, unit, values)
    return True


def _inline_key(cell: str) -> bool:
    inline = _INLINE.match(cell)
    return bool(inline) and _key(inline.group(1))[0] is not None  # type: ignore[union-attr]


def _amount(values: list[str], st: _State) -> str | None:
    """The amount among a key's cells: the one under 全年预算数 in a budget-execution block,
    else the first that reads as money."""
    amounts = [v for v in values if parse_money(v, None) is not None]
    if not amounts:
        return None
    k = st.budget_column if st.budget_column is not None and st.budget_column < len(amounts) else 0
    return amounts[k]


def _apply_key(out: HeaderFields, st: _State, role: str, unit: str | None, values: list[str]) -> None:
    text = " ".join(values).strip()
    if role == "money_unit":
        if unit:
            st.money_unit = unit
        return
    if role == "tasks":
        st.in_tasks = True
        return
    if role in ("annual_total", "midterm_total", "total"):
        amount = _amount(values, st)
        if amount is not None:
            if role == "total":
                st.total = parse_money(amount, unit or st.money_unit)
            elif getattr(out.funding, role) is None:
                setattr(out.funding, role, parse_money(amount, unit or st.money_unit))
        elif not text:
            st.pending_value = (role, unit)
        return
    if role == "budget_columns":
        return
    if role in ("fiscal", "fiscal_year"):  # a 财政拨款 key whose amount came on the next line
        amount = _amount(values, st)
        if amount is not None and (role == "fiscal_year" or out.funding.annual_fiscal is None):
            out.funding.annual_fiscal = parse_money(amount, unit or st.money_unit)
        return
    if role == "achieved_goal":
        _pairs_goal(st)
        return
    if role.endswith("_goal"):
        if text:
            _set_goal(out, role, text)
        else:
            if role not in st.open_roles:
                st.open_roles.append(role)
            if st.open_roles == ["annual_goal", "midterm_goal"]:
                st.open_roles = ["midterm_goal", "annual_goal"]
        return
    if not text:
        if role in ("name", "unit", "dept", "code", "info"):
            st.pending_value = (role, unit)
        return
    if role == "name" and out.name is None:
        out.name = text
    elif role == "unit" and out.implementing_unit is None:
        out.implementing_unit = clean_org_name(text)
    elif role == "dept" and out.department is None:
        out.department = clean_org_name(text)
    elif role == "code" and out.project_code is None:
        out.project_code = text


# the fields a value on its own line fills, by the key's role
_WRAPPED_FIELDS = {"name": "name", "unit": "implementing_unit", "dept": "department", "info": ""}


def _wraps_on(folded: str, raw: str) -> bool:
    """A line that can only be the last piece of a wrapped cell: a few characters, no number,
    no separator, no key or start of one."""
    return (
        0 < len(folded) <= 4
        and "\t" not in raw
        and not any(ch.isdigit() for ch in folded)
        and _key(folded)[0] is None
        and not _is_key_prefix(folded)
    )


_MONEY_ROLES = ("annual_total", "midterm_total", "total", "fiscal", "other")


def _caption_grid_row(out: HeaderFields, st: _State, cells: list[str]) -> bool:
    """A row under a row of money captions: its sub-captions (合计 | 基本支出 | 项目支出, one group
    per caption from the right, each opening with 合计), or its amounts, one per column."""
    folded = [fold(c) for c in cells]
    if folded and st.widths is None and all(c in lexicon().money_subcaptions for c in folded):
        groups = sum(1 for c in folded if c in ("合计", "小计"))
        if groups and folded[0] in ("合计", "小计") and groups <= len(st.captions):
            sizes: list[int] = []
            for c in folded:
                if c in ("合计", "小计"):
                    sizes.append(0)
                sizes[-1] += 1
            st.widths = [1] * (len(st.captions) - groups) + sizes
            return True
        return False
    if not cells or not all(is_amount(c) for c in cells):
        return False
    widths = st.widths or [1] * len(st.captions)
    if sum(widths) != len(cells):
        return False  # the amounts do not line up with the captions: read no figure rather than a wrong one
    at = 0
    for (role, unit), width in zip(st.captions, widths, strict=True):
        _apply_key(out, st, role, unit, [cells[at]])  # under a caption split 合计/…, the 合计
        at += width
    st.captions = []
    return True


def _task_row(st: _State, cells: list[str]) -> bool:
    numbers = [c for c in cells if _NUMBER.match(fold(c))]
    if len(numbers) < 2:
        return False
    total = parse_money(numbers[0], st.money_unit)
    fiscal = parse_money(numbers[1], st.money_unit)
    if any("合计" in fold(c) or "总计" in fold(c) for c in cells):
        st.sum_row = (total or 0.0, fiscal)
    else:
        st.task_total += total or 0.0
        st.task_fiscal += fiscal or 0.0
        st.task_rows += 1
    return True


def _finish_funding(out: HeaderFields, st: _State) -> None:
    f = out.funding
    if st.total is not None:
        if f.annual_total is None:
            f.annual_total = st.total
        elif f.midterm_total is None:
            f.midterm_total = st.total
    if f.annual_total is None:
        if st.sum_row is not None:
            f.annual_total, f.annual_fiscal = st.sum_row
        elif st.task_rows:
            f.annual_total, f.annual_fiscal = round(st.task_total, 6), round(st.task_fiscal, 6)
    if not f.empty():
        f.source = "table"
