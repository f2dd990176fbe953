"""Indicator labels folded to a comparable key, and the character n-grams compared between keys."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["char_ngrams", "ngram_jaccard", "normalise_label", "normalise_value"]

_CN_DIGITS = "一二三四五六七八九十"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# leading enumeration a table author typed before the label: "1、", "1.", "1）", "(1)", "（一）", "一、",
# "①", "第一项", "指标1：", "指标1.".  NFKC has already turned full-width brackets and digits into ASCII.
_NUMBERING = re.compile(
    rf"^\s*(?:"
    rf"\(\s*(?:\d+|[{_CN_DIGITS}]+)\s*\)"
    rf"|(?:\d+|[{_CN_DIGITS}]+)\s*(?:[、．)]|\.(?!\d))"
    rf"|[{_CIRCLED}]"
    rf"|第[{_CN_DIGITS}\d]+[项条]"
    rf"|指标\s*\d+\s*(?:[:：、]|\.(?!\d))"
    rf")\s*"
)
# a unit in brackets after the label ("满意度（%）", "人数(人次)") names the measure, not the indicator
_TRAILING_UNIT = re.compile(r"\s*\([^()]{1,4}\)\s*$")
# the budget year recurs in labels copied from year to year ("2020年房租成本" / "2021年房租成本")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?=\s*年)")
# circled numbers survive NFKC only partly (① becomes "1"), so they are stripped before folding too
_CIRCLED_RE = re.compile(rf"^\s*[{_CIRCLED}]\s*")


def _fold(text: str) -> str:
    # NFKC maps full-width ASCII (１２ＡＢ（）％) to half width and compatibility forms to their base
    return unicodedata.normalize("NFKC", text).lower()


def _is_noise(ch: str) -> bool:
    # punctuation (P*), separators/spaces (Z*) and control/format characters (C*) carry no meaning in a label
    return unicodedata.category(ch)[0] in "PZC"


def _strip_noise(text: str) -> str:
    out = []
    for i, ch in enumerate(text):
        # a decimal point is meaning, not punctuation: "1.5倍" must not become "15倍"
        decimal = ch == "." and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()
        if decimal or not _is_noise(ch):
            out.append(ch)
    return "".join(out)


def normalise_label(label: str | None) -> str:
    """The comparison key of an indicator label.

    NFKC (full width to half width), lower case, leading numbering, a bracketed unit at the end, the
    digits of a year ("2020年" -> "年") and all punctuation and spaces removed.

    >>> normalise_label("（1）参保人员 满意度；")
    '参保人员满意度'
    """
    if not label:
        return ""
    text = _CIRCLED_RE.sub("", label)
    text = _fold(text)
    # numbering may be stacked ("1、（1）") so strip until nothing changes
    while True:
        stripped = _NUMBERING.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    text = _YEAR.sub("", _TRAILING_UNIT.sub("", text))
    key = _strip_noise(text)
    # a label that is nothing but numbering ("一、") keeps its folded text rather than vanishing
    return key or _strip_noise(_fold(label))


def normalise_value(value: str | None) -> str:
    """A target value folded for equality: NFKC, lower case, no whitespace (``≥ 98 %`` == ``≥98%``)."""
    if not value:
        return ""
    return "".join(ch for ch in _fold(value) if unicodedata.category(ch)[0] not in "ZC")


def char_ngrams(key: str, sizes: tuple[int, ...] = (2, 3)) -> frozenset[str]:
    """Character n-grams of ``key`` for every size in ``sizes``; a key shorter than all sizes is its own gram."""
    grams = {key[i : i + n] for n in sizes for i in range(len(key) - n + 1)}
    if not grams and key:
        grams.add(key)
    return frozenset(grams)


def ngram_jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard similarity of two n-gram sets (0.0 when both are empty)."""
    if not a and not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)
