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

__all__ = ["split_captions", "split_glued"]

_VALUE_START = re.compile(r"(?<=[\u4e00-\u9fff)）])(?=[≥≤＞＜>=<＝≧≦═]|\d)")
_CMP_START = re.compile(r"(?<=[\d%％‰\u4e00-\u9fff)）])(?=[≥≤＞＜>＝≧≦═]|=(?!\d{0,3}[)）]))")
_AFTER_VALUE = re.compile(r"(?<=[%％‰])(?=[\u4e00-\u9fff\d])|(?<=\d)(?=[\u4e00-\u9fff])")
_DIGITS = re.compile(r"\d{3,12}")
_TAIL_VALUE = re.compile(
    r"(?:[≥≤＞＜>=<＝≧≦═]|约)?\d[\d.,]*\s*(?:[%％‰]|[\u4e00-\u9fff/]{0,4})$|"
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
    cuts |= _name_end_cuts(s)
    for m in _DIGITS.finditer(s):
        cuts.update(range(m.start() + 1, m.end()))
    # a label or caption is never cut inside
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


@lru_cache(maxsize=1 << 14)
def split_glued(text: str) -> tuple[str, ...]:
    """The pieces a cell may be made of; the cell itself when it shows no sign of glue."""
    s = text.strip()
    if len(s) < 4:
        return (s,) if s else ()
    captions = split_captions(s)
    if captions is not None:
        return captions
    labels = [m for m in _label_pattern().finditer(s)]
    if not labels and _caption_runs(s):
        labels = [m for m in _caption_pattern().finditer(s)]
    if not labels or (len(labels) == 1 and labels[0].start() == 0 and labels[0].end() == len(s)):
        # no label inside: glue shows only as a name running into its value ("…覆盖率100%")
        # or as a text written twice
        tail = _TAIL_VALUE.search(s)
        if tail and tail.start() >= 2 and _ends_name(s[: tail.start()]):
            return (s[: tail.start()], s[tail.start() :])
        return tuple(_halves(s))
    cuts = sorted(c for c in _cuts(s) if 0 < c < len(s))
    pieces: list[str] = []
    start = 0
    for c in [*cuts, len(s)]:
        if c > start:
            pieces.append(s[start:c])
            start = c
    out: list[str] = []
    for piece in pieces:
        for half in _halves(piece):
            out.extend(_value_tail(half))
    return tuple(p for p in out if p.strip())


def _ends_name(head: str) -> bool:
    return head.endswith(lexicon().shapes["name_ends"])
