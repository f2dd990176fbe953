"""An indicator label read as subject + metric, and how alike two labels are as indicators.

``基金发放到位率``, ``资金发放到位率`` and ``补助资金到位率`` are one indicator written three ways;
``培训合格率`` and ``培训覆盖率`` are two.  Character n-grams cannot tell these apart (short labels
that share most of their characters score alike either way), so a label is first read with the
lexicon in ``kg/lexicon/labels.toml``: prefixes (years, areas, populations) dropped, synonyms
folded (资金/基金/补助资金, 费/费用), the metric it ends with split off (到位率, 次数, 满意度,
时间 …), and from what remains, the subject, the words dropped that say how rather than what
(完成, 工作, 开展 …).  :func:`label_similarity` then compares two labels only when their metrics
are the same, by their subjects.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from kg.reuse.labels import char_ngrams, ngram_jaccard, normalise_label

__all__ = [
    "DEFAULT_LEXICON",
    "LabelKey",
    "LabelLexicon",
    "canonical_label",
    "contained_subjects",
    "label_similarity",
    "parse_label_lexicon",
    "read_label_lexicon",
]

DEFAULT_LEXICON = Path(__file__).resolve().parent.parent / "lexicon" / "labels.toml"

# a subject that is a suffix of the other's keeps the other's head noun (Chinese noun phrases put
# the head last: 信息系统 is a kind of 系统), so a shorter overlap suffices than for a subject found
# elsewhere inside the other (药品 in 药品抽检 names something else)
_SUFFIX_RATIO = 0.4
_INSIDE_RATIO = 0.75
_SAME_CHARACTERS = 0.95  # the same characters in another order: 降尘抑尘 / 抑尘降尘


def _alternation(words: Iterable[str]) -> re.Pattern[str] | None:
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return re.compile("|".join(map(re.escape, ordered))) if ordered else None


@dataclass(frozen=True)
class LabelKey:
    """A label as an indicator: ``metric`` ("" when it ends in none) and ``subject`` (what is measured)."""

    metric: str
    subject: str

    @property
    def text(self) -> str:
        return self.subject + self.metric


@dataclass(frozen=True)
class LabelLexicon:
    """The word lists of ``labels.toml``; :meth:`read` applies them to one label."""

    prefixes: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    synonyms: Mapping[str, str] = field(default_factory=dict)  # spelling -> canonical word
    modifiers: tuple[str, ...] = ()
    trailing: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()
    generic_metrics: Mapping[str, int] = field(default_factory=dict)
    _synonym_re: re.Pattern[str] | None = field(init=False, repr=False, compare=False, default=None)
    _modifier_re: re.Pattern[str] | None = field(init=False, repr=False, compare=False, default=None)
    # labels repeat across tables and documents: each is read once
    _cache: dict[str, LabelKey] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        # longest first everywhere, so that 补助资金 is read before 资金 and 人员数 before 数
        for name in ("prefixes", "suffixes", "modifiers", "trailing", "metrics"):
            ordered = tuple(sorted(set(getattr(self, name)), key=lambda w: (-len(w), w)))
            object.__setattr__(self, name, ordered)
        object.__setattr__(self, "_synonym_re", _alternation(self.synonyms))
        object.__setattr__(self, "_modifier_re", _alternation(self.modifiers))

    def read(self, label: str | None) -> LabelKey:
        text = label or ""
        if text not in self._cache:
            self._cache[text] = self._read(text)
        return self._cache[text]

    def _read(self, label: str) -> LabelKey:
        # symbols such as ★ mark rows, they are not part of the name
        key = "".join(ch for ch in normalise_label(label) if unicodedata.category(ch) != "So")
        key = _strip(_strip(key, self.prefixes), self.suffixes, end=True)
        if self._synonym_re is not None:
            key = self._synonym_re.sub(lambda m: self.synonyms[m.group()], key)
        metric = self._metric(key)
        subject = key[: len(key) - len(metric)]
        if self._modifier_re is not None:
            subject = self._modifier_re.sub("", subject)
        subject = _strip(_strip(subject, self.prefixes), self.trailing, end=True)
        return LabelKey(metric, subject)

    def _metric(self, key: str) -> str:
        for metric in self.metrics:
            if key.endswith(metric):
                return metric
        size = self.generic_metrics.get(key[-1:], 0)
        return key[-size:] if size and len(key) >= size else ""


def _strip(text: str, words: tuple[str, ...], *, end: bool = False) -> str:
    """``text`` without any of ``words`` at its start (or ``end``), repeatedly; never down to nothing."""
    changed = True
    while changed:
        changed = False
        for word in words:
            if len(text) > len(word) and (text.endswith(word) if end else text.startswith(word)):
                text, changed = (text[: -len(word)] if end else text[len(word) :]), True
                break
    return text


def parse_label_lexicon(data: Mapping[str, Any]) -> LabelLexicon:
    """A lexicon from the parsed TOML (see ``kg/lexicon/labels.toml`` for the keys)."""
    synonyms: dict[str, str] = {}
    for canonical, spellings in (data.get("synonyms") or {}).items():
        for spelling in spellings:
            synonyms[normalise_label(spelling)] = normalise_label(canonical)

    def words(name: str) -> tuple[str, ...]:
        return tuple(normalise_label(w) or w for w in data.get(name) or ())

    return LabelLexicon(
        prefixes=words("prefixes"),
        suffixes=tuple(data.get("suffixes") or ()),
        synonyms=synonyms,
        modifiers=words("modifiers"),
        trailing=words("trailing"),
        metrics=words("metrics"),
        generic_metrics={str(k): int(v) for k, v in (data.get("generic_metrics") or {}).items()},
    )


@cache
def _default_lexicon() -> LabelLexicon:
    return read_label_lexicon(DEFAULT_LEXICON)


def read_label_lexicon(path: Path | str = DEFAULT_LEXICON) -> LabelLexicon:
    """The lexicon in a TOML file; a broken file raises ``ValueError`` naming it."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: cannot read the label lexicon: {exc}") from exc
    return parse_label_lexicon(data)


def canonical_label(label: str | None, lexicon: LabelLexicon | None = None) -> LabelKey:
    """``label`` as subject + metric.

    >>> canonical_label("基金发放到位率") == canonical_label("补助资金到位率")
    True
    >>> canonical_label("2021年培训完成时间")
    LabelKey(metric='时间', subject='培训')
    """
    return (lexicon or _default_lexicon()).read(label)


def contained_subjects(subject: str) -> Iterator[str]:
    """Every part of ``subject`` that could stand for it (see :func:`label_similarity`), longest first.

    A template grouping looks these up among the other subjects of the same metric instead of
    comparing every pair.
    """
    size = len(subject)
    for length in range(size - 1, 1, -1):
        if length >= _INSIDE_RATIO * size:
            for start in range(size - length + 1):
                yield subject[start : start + length]
        elif length >= _SUFFIX_RATIO * size:
            yield subject[size - length :]


def _containment(short: str, long: str) -> float:
    """How well ``short`` stands for ``long`` when one holds the other, 0 when it does not.

    Scaled so that the least overlap that still counts (a suffix of 40 %, elsewhere 75 %) scores 0.7.
    """
    if len(short) < 2 or short not in long:
        return 0.0
    ratio = len(short) / len(long)
    if long.endswith(short) and ratio >= _SUFFIX_RATIO:
        return 0.7 + 0.3 * (ratio - _SUFFIX_RATIO) / (1 - _SUFFIX_RATIO)
    if ratio >= _INSIDE_RATIO:
        return 0.7 + 0.3 * (ratio - _INSIDE_RATIO) / (1 - _INSIDE_RATIO)
    return 0.0


def label_similarity(a: LabelKey, b: LabelKey) -> float:
    """How alike two labels are as indicators, 0 to 1 (0.7 and above: one indicator, by default).

    Labels with different metrics score 0 (培训次数 / 培训费); with one metric they are compared by
    subject: 1 when equal, the containment score when one subject holds the other (资金 in 资金发放),
    0.95 when the characters are the same in another order, else the character 2–3-gram Jaccard.
    Labels without a metric are compared whole by n-grams; an empty subject (a bare 满意度) equals
    only another empty one, since it says nothing about what is measured.
    """
    if a.metric != b.metric:
        return 0.0
    if a.subject == b.subject:
        return 1.0
    if not a.subject or not b.subject:
        return 0.0
    short, long = sorted((a.subject, b.subject), key=len)
    scores = [_containment(short, long), ngram_jaccard(char_ngrams(a.subject), char_ngrams(b.subject))]
    if len(short) >= 4 and sorted(short) == sorted(long):
        scores.append(_SAME_CHARACTERS)
    return max(scores)
