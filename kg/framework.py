"""Map indicator labels as written to the canonical framework concepts.

The mapping is read from ``ontology/framework.ttl`` (preferred and alternative
labels of the concepts at XKOS depth 1 and 2), never typed a second time here.
Labels are compared after folding width (NFKC), dropping whitespace and dropping a
trailing parenthesised explanation, so ``产出指标（预期提供的公共产品或服务）``
reads as ``产出指标``.  A level-2 label is read in the context of its level-1
concept, because ``满意度指标`` under ``效益指标`` (Guangdong/Shenzhen layout) is not
the same concept as ``满意度指标`` under ``满意度指标`` (Ministry of Finance layout).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from rdflib import Literal, URIRef

from kg.vocab import JXF, SKOS, XKOS, read_ontology_file

__all__ = [
    "canonical_l1",
    "canonical_l2",
    "concept_label",
    "dimension",
    "normalise_label",
]

_TRAILING_NOTE = re.compile(r"[(\[【][^()\[\]【】]*[)\]】]$")
_SPACE = re.compile(r"\s+")


def normalise_label(label: str) -> str:
    """Fold a label for lookup: NFKC, no whitespace, no trailing parenthesised note."""
    text = _SPACE.sub("", unicodedata.normalize("NFKC", label))
    while True:
        stripped = _TRAILING_NOTE.sub("", text)
        if stripped == text or not stripped:
            return text
        text = stripped


@dataclass(frozen=True)
class _Framework:
    level1: dict[str, URIRef]  # folded label -> concept
    level2: dict[str, frozenset[URIRef]]  # folded label -> concepts (the same label sits under several L1)
    broader: dict[URIRef, URIRef]
    broad_match: dict[URIRef, URIRef]
    pref_zh: dict[URIRef, str]


@cache
def _framework() -> _Framework:
    graph = read_ontology_file("framework.ttl")
    depth: dict[URIRef, int] = {}
    for level in graph.subjects(XKOS.depth, None):
        value = graph.value(level, XKOS.depth)
        for concept in graph.objects(level, SKOS.member):
            if isinstance(concept, URIRef) and isinstance(value, Literal):
                depth[concept] = int(value.toPython())
    level1: dict[str, URIRef] = {}
    level2: dict[str, set[URIRef]] = defaultdict(set)
    pref_zh: dict[URIRef, str] = {}
    for concept, d in depth.items():
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            for label in graph.objects(concept, prop):
                if not isinstance(label, Literal) or label.language != "zh":
                    continue
                if prop == SKOS.prefLabel:
                    pref_zh[concept] = str(label)
                key = normalise_label(str(label))
                if d == 1:
                    if level1.setdefault(key, concept) != concept:
                        raise ValueError(f"framework.ttl: level-1 label {key} names two concepts")
                else:
                    level2[key].add(concept)
    broader = {
        c: b
        for c in depth
        for b in graph.objects(c, SKOS.broader)
        if isinstance(b, URIRef) and depth.get(b) == 1
    }
    broad_match = {
        c: b
        for c in depth
        for b in graph.objects(c, SKOS.broadMatch)
        if isinstance(b, URIRef) and depth.get(b) == 1
    }
    return _Framework(level1, {k: frozenset(v) for k, v in level2.items()}, broader, broad_match, pref_zh)


def canonical_l1(label: str | None) -> URIRef | None:
    """The level-1 concept a written 一级指标 label means, or None when it is not one."""
    if not label:
        return None
    return _framework().level1.get(normalise_label(label))


def canonical_l2(label: str | None, l1: str | URIRef | None = None) -> URIRef | None:
    """The level-2 concept a written 二级指标 label means.

    ``l1`` is the row's level-1 label as written, or its concept: among the concepts
    spelled ``label``, the one under that level-1 concept wins.  A label under an
    unexpected level-1 (a misfiled row) still maps when only one concept is spelled
    so; an ambiguous label with no deciding ``l1`` gives None.
    """
    if not label:
        return None
    fw = _framework()
    candidates = fw.level2.get(normalise_label(label), frozenset())
    if not candidates:
        return None
    parent = l1 if isinstance(l1, URIRef) else canonical_l1(l1)
    if parent is not None:
        under = [c for c in candidates if fw.broader.get(c) == parent]
        if len(under) == 1:
            return under[0]
    if len(candidates) == 1:
        return next(iter(candidates))
    return None


def dimension(l1: URIRef | None, l2: URIRef | None) -> URIRef | None:
    """The level-1 concept a row belongs to whatever the layout (the 2021 framework's four).

    A level-2 concept placed under another level-1 by an older layout says where it
    belongs with ``skos:broadMatch`` (满意度 under 效益 → 满意度; 成本 under 产出 → 成本);
    otherwise its ``skos:broader`` decides, and without a level-2 concept the level-1 does.
    """
    fw = _framework()
    if l2 is not None:
        found = fw.broad_match.get(l2) or fw.broader.get(l2)
        if found is not None:
            return found
    return l1


def concept_label(concept: URIRef) -> str:
    """The Chinese preferred label of a framework concept."""
    if concept not in JXF:
        raise KeyError(f"{concept} is not a framework concept")
    return _framework().pref_zh[concept]
