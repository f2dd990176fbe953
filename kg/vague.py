"""Is a target value (指标值) vague?  Lexicon matching with spaCy, then a look at what is left.

A value is *vague* when it holds a degree, trend, direction, state, schedule or durability
phrase (quality-rules.md §4.1) and nothing measurable remains once those phrases are taken
out: no number (a bare year does not count), date, duration, frequency or grade.  So "显著提高"
and "2021年显著提高" are vague, "成效显著，节约医疗费用≥40%" is not.  Empty values and
placeholders ("—", "≥**%") are vague too: nothing can be scored against them.

Yes/no checks a document settles are not vague: 验收通过, 足额到位, 控制在预算内 (category
``binary`` or ``budget``), nor a pass word on an indicator naming such a fact (软件验收 → 合格).
Whether they are fit indicators is for the rules (a budget tautology is Q17's).  Given the
indicator's name, a generic lifetime is vague although it carries a number: "…影响年限 5年",
"政策持续发挥作用的期限 10 年" (category ``durability``).

Words are matched on jieba word tokens, not characters, so that 合格 does not fire inside
合格率 nor 安全 inside 安全性.  The jieba dictionary is a private copy holding the lexicon
as words and with degree+verb compounds (进一步提高, 不断完善) split, so both words are
reported; nothing else in the process sees those changes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import product
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.util import filter_spans

from kg.lexicon import (
    BINARY_NAME_TERMS,
    BINARY_VALUE_TERMS,
    CATEGORY_ORDER,
    CHECKABLE_CATEGORIES,
    DURABILITY_NAME_ENDS,
    DURABILITY_NAME_TERMS,
    PASS_WORDS,
    VAGUE_LEXICON,
)
from kg.lexicon.patterns import (
    CHINESE_COUNT,
    FREQ,
    FULL_DATE,
    GRADE,
    NUM,
    PLACEHOLDER,
    YEAR_ONLY,
    YEARS_VALUE,
    normalise,
)

__all__ = ["VAGUE_CATEGORIES", "Vagueness", "classify_target", "classify_text", "get_nlp"]

VAGUE_CATEGORIES: tuple[str, ...] = CATEGORY_ORDER
_RANK = {c: i for i, c in enumerate(CATEGORY_ORDER)}
# a year standing alone in a target ("2021年") never makes it measurable
_PLAIN_YEAR = range(1900, 2101)


@dataclass
class Vagueness:
    """The verdict on one value.

    ``category`` is the leading vague category when ``vague``; otherwise ``measurable`` (a
    number, date, duration, frequency or grade is present), ``binary``/``budget`` (a yes/no
    check: 验收通过, 控制在预算内) or ``text`` (words, none of them in the lexicon: descriptive
    values, left to rule Q05).  ``terms`` are the vague words
    found, in text order, with their ``categories``; they are empty for a value that is not
    vague, whose lexicon words a number neutralised ("成效显著" in "成效显著，节约医疗费用≥40%",
    "完成" in "2021年12月31日前完成") are in ``neutralised`` instead.
    """

    vague: bool
    category: str
    terms: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    neutralised: list[str] = field(default_factory=list)


def _lexicon_words() -> dict[str, str]:
    """Each phrase with its first category in CATEGORY_ORDER."""
    words: dict[str, str] = {}
    for category in sorted(VAGUE_LEXICON, key=_RANK.__getitem__):
        for term in VAGUE_LEXICON[category]:
            words.setdefault(term, category)
    return words


def _private_jieba(words: Mapping[str, str]) -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for term in words:
        tokenizer.add_word(term, tokenizer.suggest_freq(term, tune=False) + 10)
    # a compound the dictionary already knows (进一步提高) would hide both of its words
    heads = [w for w, c in words.items() if c in ("degree", "trend")]
    tails = [w for w, c in words.items() if c in ("direction", "state")]
    for head, tail in product(heads, tails):
        if head + tail not in words and tokenizer.FREQ.get(head + tail):
            tokenizer.del_word(head + tail)
    return tokenizer


@cache
def get_nlp() -> tuple[Language, PhraseMatcher, Matcher]:
    """The blank Chinese pipeline (jieba segmenter, private dictionary) and its matchers.

    Built once per process (about a second: jieba loads its dictionary); nothing is
    downloaded, ``spacy.blank`` needs no model.
    """
    import spacy

    words = _lexicon_words()
    # built as "char" and switched to jieba by hand: asking spacy.blank for the jieba
    # segmenter would also load jieba's global dictionary, a second, unused second of start-up
    nlp = spacy.blank("zh")
    tokenizer: Any = nlp.tokenizer
    tokenizer.segmenter = "jieba"
    tokenizer.jieba_seg = _private_jieba(words)
    phrases = PhraseMatcher(nlp.vocab, attr="ORTH")
    for category in CATEGORY_ORDER:
        terms = [t for t, c in words.items() if c == category]
        if terms:
            phrases.add(category, [nlp.make_doc(t) for t in terms])
    directions = list(VAGUE_LEXICON["direction"])
    gap = {"IS_PUNCT": False, "OP": "{1,8}"}
    matcher = Matcher(nlp.vocab)
    # 与省级平台建设完成同步: a deadline tied to someone else's event
    matcher.add("schedule", [[{"ORTH": "与"}, gap, {"ORTH": "同步"}]])
    # 与财政补助同步提高: a direction tied to another quantity, no level
    matcher.add("direction", [[{"ORTH": "与"}, gap, {"ORTH": "同步"}, {"ORTH": {"IN": directions}}]])
    # 与救助需求和经济发展水平相适应: a level set relative to something unstated
    matcher.add("state", [[{"ORTH": "与"}, gap, {"TEXT": {"REGEX": "^相?(?:适应|匹配|协调|衔接|一致)$"}}]])
    # 按照合同约定 / 根据文件要求 / 按上级规定: the deadline lives in another document
    matcher.add(
        "schedule",
        [
            [
                {"ORTH": {"IN": ["按", "按照", "根据", "依据"]}},
                {"IS_PUNCT": False, "OP": "{0,4}"},
                {"ORTH": {"IN": ["要求", "规定", "计划", "进度", "约定", "安排"]}},
            ]
        ],
    )
    # 控制在年度预算以内
    matcher.add(
        "budget",
        [
            [
                {"ORTH": "控制"},
                {"ORTH": "在", "OP": "?"},
                {"IS_PUNCT": False, "OP": "{0,3}"},
                {"TEXT": {"REGEX": "预算$"}},
                {"IS_PUNCT": False, "OP": "{0,2}"},
                {"ORTH": {"IN": ["内", "以内", "之内", "范围内"]}},
            ]
        ],
    )
    return nlp, phrases, matcher


def _measurable(rest: str) -> bool:
    if FULL_DATE.search(rest) or FREQ.search(rest) or CHINESE_COUNT.search(rest) or GRADE.search(rest):
        return True
    return bool(NUM.search(YEAR_ONLY.sub("", rest)))


@lru_cache(maxsize=65536)
def _analyse(text: str) -> tuple[bool, str, tuple[str, ...], tuple[str, ...]]:
    if not text:
        return True, "empty", (), ()
    if PLACEHOLDER.search(text):
        return True, "placeholder", (text,), ("placeholder",)
    nlp, phrases, matcher = get_nlp()
    doc = nlp.make_doc(text)
    labels: dict[tuple[int, int], str] = {}
    for match_id, start, end in [*phrases(doc), *matcher(doc)]:
        label = doc.vocab.strings[match_id]
        if _RANK[label] < _RANK[labels.get((start, end), "state")]:
            labels[(start, end)] = label
        labels.setdefault((start, end), label)
    spans = sorted(filter_spans([doc[s:e] for s, e in labels]), key=lambda span: span.start)
    terms = tuple(span.text for span in spans)
    cats = tuple(labels[(span.start, span.end)] for span in spans)
    rest = text
    for span in reversed(spans):
        rest = rest[: span.start_char] + " " + rest[span.end_char :]
    if _measurable(rest):
        return False, "measurable", terms, cats
    vague = [i for i, c in enumerate(cats) if c not in CHECKABLE_CATEGORIES]
    if vague:
        kept = tuple(cats[i] for i in vague)
        return True, min(kept, key=_RANK.__getitem__), tuple(terms[i] for i in vague), kept
    if terms:
        # only yes/no checks: settled by a document, so not vague (their words are neutralised)
        return False, min(cats, key=_RANK.__getitem__), terms, cats
    return False, "text", (), ()


def classify_text(value: str | None) -> Vagueness:
    """Classify a value from its text alone."""
    vague, category, terms, cats = _analyse(normalise(value))
    if not vague:
        return Vagueness(False, category, neutralised=list(terms))
    return Vagueness(True, category, list(terms), list(cats))


def _durability_name(name: str) -> str | None:
    """The word that makes an indicator name a generic lifetime (年限, 期限, 长期 …), if any."""
    bare = re.sub(r"[（(][^（）()]*[)）]$", "", name)
    for end in DURABILITY_NAME_ENDS:
        if bare.endswith(end):
            return end
    return next((t for t in DURABILITY_NAME_TERMS if t in bare), None)


def _in_light_of_name(verdict: Vagueness, value: str, name: str) -> Vagueness:
    if not verdict.vague and YEARS_VALUE.fullmatch(value) and (word := _durability_name(name)):
        return Vagueness(True, "durability", [word], ["durability"], verdict.neutralised)
    passes = verdict.vague and verdict.category == "state" and all(t in PASS_WORDS for t in verdict.terms)
    if passes and (any(t in name for t in BINARY_NAME_TERMS) or any(t in value for t in BINARY_VALUE_TERMS)):
        return Vagueness(False, "binary", neutralised=list(verdict.terms))
    return verdict


def _target_measurable(target: Any) -> bool:
    """Does the parsed target carry a level the text analysis may have missed?"""
    get = target.get if isinstance(target, Mapping) else lambda k: getattr(target, k, None)
    kind, number, unit, date = get("kind"), get("number"), get("unit"), get("date")
    if kind in ("quantity", "duration") and number is not None:
        # "2021年显著提高" read as the quantity 2021 年 is still only a year
        return not (unit in (None, "年") and float(number).is_integer() and int(number) in _PLAIN_YEAR)
    if kind == "date" and date:
        return bool(re.search(r"\d{4}\D+\d", str(date)))
    return False


def classify_target(value: str | None, target: Any = None, name: str | None = None) -> Vagueness:
    """Classify a value; ``target`` (an ``extract.records.Target`` or its dict) may add a level,
    ``name`` (the indicator's L3) may tell a binary check or a generic lifetime.

    The text decides which vague words are present; a parsed number, duration or full date
    in ``target`` that the text analysis did not see (a parser may read Chinese numerals the
    regexes miss) makes the value measurable.  With the name, "合格" on 软件验收 is a yes/no
    check (not vague) and "5年" on …影响年限 a generic lifetime (vague, ``durability``).
    """
    verdict = classify_text(value)
    if name:
        verdict = _in_light_of_name(verdict, normalise(value), normalise(name))
    open_to_target = verdict.vague and verdict.category not in ("empty", "placeholder", "durability")
    if open_to_target and target is not None and _target_measurable(target):
        return Vagueness(False, "measurable", verdict.terms, verdict.categories)
    return verdict
