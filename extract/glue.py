"""Cells glued together with no separator, cut back into pieces.

Some pages lose every cell border: ``产出指标数量指标农村义务教育学校改造覆盖率100%`` is four
cells, and a whole self-evaluation table can come as one line.  Nothing in the text marks the
cuts, so this module proposes them where the vocabulary and the value grammar allow one —
around a framework label (``数量指标``, ``产出指标(70分)``), where a value starts after a name
(``…覆盖率`` | ``100%``), before a value word closing a run (``…情况`` | ``稳步提高``), after an
indicator-name ending, between the halves of a repeated text, inside a run of digits — and
leaves it to the interpreter, which knows the table's columns, to choose among them: it may
join the pieces back at no cost.  Cells that show no sign of glue are left whole.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from extract.lexicon import _framework_labels, caption_role, lexicon
from extract.shapes import is_unit

__all__ = ["split_captions", "split_glued"]

# a value opens after a name, or after the sentence of an explanation ("…的比例。≥98%")
_VALUE_START = re.compile(r"(?<=[\u4e00-\u9fff)）。；;])(?=[≥≤＞＜>=<＝≧≦═]|\d)")
_CMP_START = re.compile(r"(?<=[\d%％‰\u4e00-\u9fff)）。；;，,])(?=[≥≤＞＜>＝≧≦═]|=(?!\d{0,3}[)）]))")
_AFTER_VALUE = re.compile(r"(?<=[%％‰])(?=[\u4e00-\u9fff\d])|(?<=\d)(?=[\u4e00-\u9fff])")
_DIGITS = re.compile(r"\d{3,12}")
_SIGNS = "≥≤＞＜>=<＝≧≦═"
# what any glue shows: a label or caption word, a value after a name, a text written twice
_MAYBE_GLUED = re.compile(
    r"指标|值|目标|[\u4e00-\u9fff)）][\d≥≤＞＜>=<＝≧≦═]|[\d%％]\D*[\u4e00-\u9fff]{2}|(.{2,}).*\1"
)
_DATE = re.compile(
    r"(?:19|20)\d\d年(?:\d{1,2}月)?(?:\d{1,2}日)?(?:底|末)?(?:前|以前|之前)?|\d{1,2}月(?:\d{1,2}日)?(?:底|末)?(?:前|以前|之前)?"
)
_TAIL_VALUE = re.compile(
    r"(?:[≥≤＞＜>=<＝≧≦═]|约)?\d[\d.,]*\s*(?:[%％‰]|[\u4e00-\u9fff/]{0,4})$|"
    r"(?:[≥≤＞＜>=<＝≧≦═])?(?:19|20)\d\d年(?:\d{1,2}月(?:\d{1,2}日)?)?(?:底|末)?(?:前|以前|之前|完成)?$|"
    r"(?:[≥≤＞＜>=<＝≧≦═])[^≥≤＞＜>=<＝≧≦═]{1,12}$"
)


@cache
def _label_pattern() -> re.Pattern[str]:
    l1, l2 = _framework_labels()
    words = sorted(
        {w for w in l1 | l2 if len(w) >= 3 and w.endswith(("指标", "值")) and "(" not in w},
        key=len,
        reverse=True,
    )
    gloss = r"(?:[(（][^()（）]{0,14}[)）])?"
    return re.compile("(?:" + "|".join(re.escape(w) for w in words) + ")" + gloss)


# short captions that are also ordinary words ("指标", "单位", "方向"): they only count inside a
# run of longer captions
_WEAK_CAPTIONS = 2


@cache
def _caption_pattern() -> re.Pattern[str]:
    words = sorted((w for w in lexicon().captions if len(w) >= 2), key=len, reverse=True)
    periods = "|".join(re.escape(w) for w, _ in lexicon().periods)
    return re.compile(f"(?:{'|'.join(re.escape(w) for w in words)})(?:[(（](?:{periods})[)）])?")


def _caption_runs(s: str) -> list[tuple[int, int]]:
    """Runs of three or more captions back to back inside a text (a glued header row)."""
    runs: list[tuple[int, int]] = []
    run: list[re.Match[str]] = []
    for m in _caption_pattern().finditer(s):
        if run and m.start() != run[-1].end():
            if sum(len(x.group()) > _WEAK_CAPTIONS for x in run) >= 3:
                runs.extend((x.start(), x.end()) for x in run)
            run = []
        run.append(m)
    if sum(len(x.group()) > _WEAK_CAPTIONS for x in run) >= 3:
        runs.extend((x.start(), x.end()) for x in run)
    return runs


@cache
def _value_word_pattern() -> re.Pattern[str]:
    words = sorted((w for w in lexicon().shapes["value_words"] if len(w) >= 2), key=len, reverse=True)
    return re.compile("(?:" + "|".join(re.escape(w) for w in words) + ")+$")


@cache
def _name_end_pattern() -> re.Pattern[str]:
    ends = sorted(lexicon().shapes["name_ends"], key=len, reverse=True)
    return re.compile("|".join(re.escape(e) for e in ends))


def _name_end_cuts(s: str) -> set[int]:
    """After an indicator-name ending followed by more text, but never inside a longer ending
    ("…数" | "量" is no cut: 数量 is one)."""
    spans = [(m.start(), m.end()) for k in range(len(s)) if (m := _name_end_pattern().match(s, k))]
    ends = {b for _, b in spans}
    inside = {c for a, b in spans for c in range(a + 1, b)}
    return {c for c in ends - inside if c < len(s) and "\u4e00" <= s[c] <= "\u9fff"}


@cache
def _end_pattern() -> re.Pattern[str]:
    words = sorted((w for w in lexicon().end_prefixes if len(w) >= 2), key=len, reverse=True)
    return re.compile(r"[.…]{2,}|" + "|".join(re.escape(w) for w in words))


@lru_cache(maxsize=1 << 14)
def split_captions(text: str) -> tuple[str, ...] | None:
    """A run of column captions with nothing between ("一级指标二级指标指标内容指标值"), cut
    into its captions; None unless captions cover it all (at least two of them)."""
    s = re.sub(r"\s+", "", text)
    if len(s) < 6 or len(s) > 120:
        return None
    best: list[tuple[str, ...] | None] = [None] * (len(s) + 1)
    best[0] = ()
    pattern = _caption_pattern()
    for i in range(len(s)):
        prefix = best[i]
        if prefix is None:
            continue
        for j in range(min(len(s), i + 24), i, -1):
            piece = s[i:j]
            if pattern.fullmatch(piece) and caption_role(piece)[0] is not None:
                candidate = (*prefix, piece)
                if best[j] is None or len(candidate) < len(best[j] or ()):
                    best[j] = candidate
    found = best[len(s)]
    return found if found is not None and len(found) >= 2 else None


def _cuts(s: str) -> set[int]:
    whole: list[tuple[int, int]] = [(m.start(), m.end()) for m in _label_pattern().finditer(s)]
    whole.extend(_caption_runs(s))
    cuts: set[int] = set()
    for a, b in whole:
        cuts.update((a, b))
    for pattern in (_VALUE_START, _CMP_START, _AFTER_VALUE):
        cuts.update(m.start() for m in pattern.finditer(s))
    cuts |= _name_end_cuts(s) | _unit_end_cuts(s)
    for m in _DIGITS.finditer(s):
        cuts.update(range(m.start() + 1, m.end()))
    # where the table's furniture starts: an ellipsis row, the total line, a note
    for m in _end_pattern().finditer(s):
        cuts.update((m.start(), m.end()) if m.group().strip(".…") == "" else (m.start(),))
    # a label, a caption or a date is never cut inside
    whole.extend((m.start(), m.end()) for m in _DATE.finditer(s))
    return {c for c in cuts if not any(a < c < b for a, b in whole)}


def _halves(piece: str) -> list[str]:
    """A text written twice in a row ("机关事务正常运转率机关事务正常运转率") is two cells."""
    n = len(piece)
    if n >= 4 and n % 2 == 0 and piece[: n // 2] == piece[n // 2 :]:
        return [piece[: n // 2], piece[n // 2 :]]
    return [piece]


def _value_tail(piece: str) -> list[str]:
    m = _value_word_pattern().search(piece)
    if m and m.start() >= 2:
        return [piece[: m.start()], piece[m.start() :]]
    return [piece]


Piece = tuple[str, bool]  # a piece, and whether the cut before it is certain


@lru_cache(maxsize=1 << 14)
def split_glued(text: str) -> tuple[Piece, ...]:
    """The pieces a cell may be made of, each with whether the cut before it is certain (around
    a label or a caption, between the halves of a repeated text, between a name and the
    explanation restating it); the cell itself when it shows no sign of glue."""
    s = text.strip()
    if len(s) < 4 or not _MAYBE_GLUED.search(s):
        return ((s, False),) if s else ()
    captions = split_captions(s)
    if captions is not None:
        return tuple((c, k > 0) for k, c in enumerate(captions))
    labels = [m for m in _label_pattern().finditer(s) if _label_boundary(s, m)]
    if not labels and _caption_runs(s):
        labels = [m for m in _caption_pattern().finditer(s)]
    if not labels or (len(labels) == 1 and labels[0].start() == 0 and labels[0].end() == len(s)):
        # no label inside: glue shows only as a name running into its value ("…覆盖率100%"),
        # as a text written twice, or as a name and its restatement
        tail = _TAIL_VALUE.search(s)
        # a comparator after a name opens its value; a bare number may be part of the name
        # ("村组干部230人"), unless the name ends like one ("…覆盖率100%")
        if (
            tail
            and tail.start() >= 2
            and (
                s[tail.start()] in _SIGNS
                or _ends_name(s[: tail.start()])
                or _DATE.fullmatch(s, tail.start())
                or re.search(r"[%％‰]$", s)
            )
        ):
            return ((s[: tail.start()], False), (s[tail.start() :], True))
        if len(s) >= _LONG_RUN and _row_like(s):
            # a long run may be a whole row glued: a name, its value, the explanation after it
            # ("劳务派遣员工数量" | "51名" | "考察…情况"): every cut the grammar allows, none certain
            return _uncertain_pieces(s)
        return _restated(s)
    strong = {m.start() for m in labels} | {m.end() for m in labels}
    strong |= {m.start() for m in _CMP_START.finditer(s)}  # a sign after a name opens the value
    return _pieces_at(s, _cuts(s), strong)


def _pieces_at(s: str, at: set[int], strong: set[int]) -> tuple[Piece, ...]:
    """``s`` cut at ``at`` (certain where in ``strong``), each piece cut again where it
    restates its name."""
    cuts = sorted(c for c in at if 0 < c < len(s))
    out: list[Piece] = []
    start = 0
    for c in [*cuts, len(s)]:
        if c > start:
            for k, (piece, certain) in enumerate(_restated(s[start:c])):
                out.append((piece, certain if k else start in strong))
            start = c
    # a piece repeating, or restating, the name before it is a cell of its own
    for k in range(1, len(out)):
        (a, _), (b, certain) = out[k - 1], out[k]
        if not certain and len(a) >= 4 and _ends_name(a) and (a == b or b.endswith(a[-4:])):
            out[k] = (b, True)
    return tuple((p, certain) for p, certain in out if p.strip())


# glued text this long with no label inside may hold several cells
_LONG_RUN = 12


_NAME_VALUE_WORDS = re.compile(
    r"[\u4e00-\u9fff]{3,}?(?P<cut>)(?:[≥≤＞＜>=<＝≧≦═]|约)?\d[\d.,]*[%％‰]?[\u4e00-\u9fff/]{0,3}?[\u4e00-\u9fff]{4,}$"
)


def _row_like(s: str) -> bool:
    """Glued text that reads as a name, its value and words after it: a name's ending right
    before a figure that more words follow ("劳务派遣员工数量" "51名" "考察…"), or before a word
    opening a value or an explanation ("…规范性" "合规反映…")."""
    m = _NAME_VALUE_WORDS.match(s)
    if m and _ends_name(s[: m.start("cut")]):
        return True
    return bool(_value_opening_cuts(s))


def _uncertain_pieces(s: str) -> tuple[Piece, ...]:
    return _pieces_at(s, _cuts(s) | _value_opening_cuts(s), set())


def _value_opening_cuts(s: str) -> set[int]:
    """Before a word that opens a value or an explanation ("合规", "足额到位", "反映…"), after
    a name's ending."""
    shapes = lexicon().shapes
    opens = (
        *shapes["value_opens"],
        *shapes["explanation_opens"],
        *(w for w in shapes["value_words"] if len(w) >= 2),
    )
    return {c for c in _name_end_cuts(s) if s.startswith(opens, c)}


_COUNTED = re.compile(r"\d(?=[\u4e00-\u9fff])")


def _unit_end_cuts(s: str) -> set[int]:
    """After a figure's unit when words follow ("51名" | "考察…", "756万条" | "考察…"): the
    value ends there (the longer unit where both read as one)."""
    found = set()
    for m in _COUNTED.finditer(s):
        for n in (2, 1):
            end = m.end() + n
            if end < len(s) and "\u4e00" <= s[end] <= "\u9fff" and is_unit(s[m.end() : end]):
                found.add(end)
                break
    return found


def _restated(piece: str) -> tuple[Piece, ...]:
    """A name written twice, or a name followed by the explanation that restates it
    ("党建任务完成率" + "上级党组织要求完成党建工作任务完成率"): two cells."""
    halves = _halves(piece)
    if len(halves) == 2:
        return ((halves[0], False), (halves[1], True))
    cuts = sorted(_name_end_cuts(piece))
    for cut in cuts:
        head, rest = piece[:cut], piece[cut:]
        if len(head) >= 4 and len(rest) >= 4 and rest.endswith(head[-4:]):
            return ((head, False), (rest, True))
    if len(cuts) == 1 and cuts[0] >= 4 and len(piece) - cuts[0] >= 4 and not _ends_name(piece):
        # a name and an explanation that does not restate it ("消化利用农作物秸秆数量" +
        # "建立秸秆综合利用点"): a cut the decoder may take if the columns want it
        return ((piece[: cuts[0]], False), (piece[cuts[0] :], False))
    return tuple((p, k > 0 and False) for k, p in enumerate(_value_tail(piece)))


_VALUE_END = re.compile(r"(?:\d[\d.,]*[%％‰]?[\u4e00-\u9fff/]{0,3}|[%％‰)）])$")


def _label_boundary(s: str, m: re.Match[str]) -> bool:
    """A label inside glued text is a cell of its own where a cell can end before it: at the
    start, after another label, after a value; "机关干部满意度指标" is a name ending in one."""
    if m.start() == 0:
        return True
    head = s[: m.start()]
    return bool(_VALUE_END.search(head)) or any(x.end() == m.start() for x in _label_pattern().finditer(head))


def _ends_name(head: str) -> bool:
    return head.endswith(lexicon().shapes["name_ends"])
