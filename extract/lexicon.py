"""The words of a performance-target table, read from data: column captions, titles, table ends,
cell shapes (``extract/data/lexicon.toml``) and the indicator levels (``ontology/framework.ttl``).

Everything a layout could spell another way lives in those two files; this module only reads
them and answers questions: which role a column caption names (and for which period), which
kind of table a title names, whether a line ends an indicator block, whether a cell is an
L1/L2 label of the indicator framework.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

__all__ = [
    "CAPTION_ROLES",
    "IDENTITY_ROLES",
    "INDICATOR_ROLES",
    "TITLE_MAX",
    "caption_role",
    "fold",
    "is_end_marker",
    "label_levels",
    "lexicon",
    "strip_brackets",
    "title_kind",
]

_WS = re.compile(r"\s+")
_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "[", "】": "]", "［": "[", "］": "]", "：": ":"})
_INNER_GLOSS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")

# roles of indicator columns, and of the project fields a flat table repeats on its rows
INDICATOR_ROLES = frozenset(
    ("rowhead", "l1", "l2", "l3", "comparator", "value", "unit", "weight", "score", "actual", "description",
     "basis", "note", "direction", "seq")
)  # fmt: skip
IDENTITY_ROLES = frozenset(
    ("name", "unitname", "code", "total", "fiscal", "other", "goal", "task", "subtotal")
)
CAPTION_ROLES = INDICATOR_ROLES | IDENTITY_ROLES


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """NFKC, one spelling per bracket, no whitespace: the form words are compared in."""
    return _WS.sub("", unicodedata.normalize("NFKC", text).translate(_BRACKETS))


def strip_brackets(folded: str) -> str:
    """A folded label without its bracketed glosses ("产出指标(50分)", "预算(或投资规模)控制指标")."""
    previous = None
    while previous != folded:
        previous, folded = folded, _INNER_GLOSS.sub("", folded)
    return folded


@dataclass(frozen=True)
class Lexicon:
    captions: dict[str, str]  # folded caption -> role
    keywords: tuple[tuple[re.Pattern[str], str], ...]
    periods: tuple[tuple[str, str], ...]  # (word, period), longest first
    titles: tuple[tuple[re.Pattern[str], str], ...]
    department_words: tuple[str, ...]
    end_prefixes: tuple[str, ...]
    shapes: dict[str, tuple[str, ...]]
    fields: dict[str, tuple[str, ...]]
    money_subcaptions: frozenset[str]  # the columns a money caption splits into (合计 | 基本支出 …)
    either: dict[str, tuple[str, ...]]  # folded caption -> the roles its column may have, first the default


@cache
def lexicon() -> Lexicon:
    data: dict[str, Any] = tomllib.loads(
        resources.files("extract").joinpath("data/lexicon.toml").read_text(encoding="utf-8")
    )
    captions: dict[str, str] = {}
    for role, words in data["captions"].items():
        if role not in CAPTION_ROLES:
            raise ValueError(f"lexicon.toml: unknown caption role {role!r}")
        for word in words:
            captions.setdefault(fold(word), role)
    either: dict[str, tuple[str, ...]] = {}
    for word, roles in data["either"].items():
        if not roles or any(r not in CAPTION_ROLES for r in roles):
            raise ValueError(f"lexicon.toml: [either] {word!r}: unknown caption role in {roles!r}")
        either[fold(word)] = tuple(roles)
        captions[fold(word)] = roles[0]
    periods = sorted(
        ((fold(w), period) for period, words in data["periods"].items() for w in words),
        key=lambda item: -len(item[0]),
    )
    return Lexicon(
        captions=captions,
        keywords=tuple((re.compile(k["pattern"]), k["role"]) for k in data["keywords"]),
        periods=tuple(periods),
        titles=tuple((re.compile(t["pattern"]), t["kind"]) for t in data["titles"]),
        department_words=tuple(fold(w) for w in data["scope"]["department"]),
        end_prefixes=tuple(fold(w) for w in data["ends"]["prefixes"]),
        shapes={k: tuple(fold(w) for w in v) for k, v in data["shapes"].items()},
        fields={k: tuple(v) for k, v in data["fields"].items()},
        money_subcaptions=frozenset(fold(w) for w in data["money"]["subcaptions"]),
        either=either,
    )


@lru_cache(maxsize=1 << 14)
def caption_role(text: str, exact: bool = False) -> tuple[str | None, str | None]:
    """(role, period) of a column caption, (None, None) when the text is no caption.

    The period is ``midterm``/``annual`` where the caption names one ("指标值（年度）",
    "中期指标值"); a table has periods only when both sides appear in its header.  ``exact``:
    only captions the lexicon lists, not the keyword patterns (for pieces joined by guess).
    """
    lex = lexicon()
    s = fold(text).rstrip(":")
    if not s or len(s) > 24:
        return None, None
    period = next((p for word, p in lex.periods if word in s), None)
    bare = strip_brackets(s)
    candidates = [s, bare]
    for word, _ in lex.periods:
        if word in bare and bare != word:
            candidates.append(bare.replace(word, "", 1))
    for c in candidates:
        role = lex.captions.get(c)
        if role is not None:
            return role, period
    if exact or len(bare) > 14:
        return None, None
    for pattern, role in lex.keywords:
        if pattern.search(bare):
            return role, period
    return None, None


TITLE_MAX = 60  # a table's title is a short line: longer ones are prose that mentions a table


@lru_cache(maxsize=1 << 14)
def title_kind(line: str) -> str | None:
    """``target`` or ``self_evaluation`` when a line names a performance table, else None."""
    s = fold(line)
    if "表" not in s and "绩效目标" not in s:
        return None
    for pattern, kind in lexicon().titles:
        if pattern.search(s):
            return kind
    return None


def is_end_marker(text: str) -> bool:
    """Does a line (or cell) close an indicator block: a signature, a note, web-page furniture?"""
    s = fold(text).lstrip("-*•#|")
    return bool(s) and s.startswith(lexicon().end_prefixes)


# ---------------------------------------------------------------- indicator levels


@cache
def _framework_labels() -> tuple[frozenset[str], frozenset[str]]:
    """Folded L1 and L2 spellings: every prefLabel and altLabel of the framework's concepts."""
    from rdflib import Graph, Namespace  # imported here: extraction needs it for this only

    skos = Namespace("http://www.w3.org/2004/02/skos/core#")
    graph = Graph()
    graph.parse(source=str(resources.files("ontology").joinpath("framework.ttl")), format="turtle")
    levels: dict[str, set[str]] = {"l1": set(), "l2": set()}
    for concept in set(graph.subjects(skos.inScheme, None)):
        level = "l1" if (concept, skos.topConceptOf, None) in graph else "l2"
        for prop in (skos.prefLabel, skos.altLabel):
            for label in graph.objects(concept, prop):
                if getattr(label, "language", None) == "zh":
                    folded = fold(str(label))
                    levels[level].update({folded, strip_brackets(folded)})
    return frozenset(levels["l1"]), frozenset(levels["l2"])


_SUFFIXES = ("类指标", "指标", "目标", "值")
_LEAD = re.compile(
    r"^(?:[★☆*※]+|[一二三四五六七八九十]+[、.]|\d{1,2}[、.](?!\d)|[(][一二三四五六七八九十\d]+[)])"
)


def _stem(label: str) -> str:
    for suffix in _SUFFIXES:
        if label.endswith(suffix) and len(label) > len(suffix):
            return label[: -len(suffix)]
    return label


@lru_cache(maxsize=1 << 16)
def label_levels(text: str) -> frozenset[str]:
    """The indicator levels ("l1", "l2") a cell could be: empty for anything else.

    A label is a framework spelling (``ontology/framework.ttl``) after folding, with bracketed
    glosses ("产出指标（50分）", "成本指标(必填硬性指标)"), a leading mark or number, a trailing
    等 and the 指标/目标/值 suffix allowed to differ; a compound ("社会、经济、生态效益指标")
    is a label when each part is.  成本指标 and 满意度指标 are both levels: the row decides.
    """
    l1, l2 = _framework_labels()
    s = strip_brackets(_LEAD.sub("", fold(text))).rstrip("等:")
    if not s or len(s) > 20:
        return frozenset()
    found: set[str] = set()
    forms = {s, _stem(s)}
    for level, words in (("l1", l1), ("l2", l2)):
        if any(f in words for f in forms if f):
            found.add(level)
    if not found:
        stem = _stem(s)
        parts = [p for p in re.split(r"[、,/和及与]", stem) if p]
        if len(parts) > 1:
            tail = parts[-1][-2:]  # "社会、经济、生态效益" → each part + 效益
            if all(p in l2 or p + "指标" in l2 or (p + tail) + "指标" in l2 for p in parts):
                found.add("l2")
    return frozenset(found)
