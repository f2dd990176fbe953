"""Indicator templates: indicator rows whose labels are the same, or nearly the same, text.

Labels are first grouped by their normalised key (exact matches, across all documents); the groups are
then merged into near-duplicates by the Jaccard similarity of their character 2–3-grams, only within a
block (the canonical L2 concept) so that "培训合格率" under 质量指标 never absorbs a cost indicator.
Pairs come from rapidfuzz inside each block (scoring the n-gram sets themselves, see
``_as_sorted_sequences``), or from MinHash LSH when there are more keys than a pairwise pass can afford;
either way a pair is kept only if its exact n-gram Jaccard passes.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from rapidfuzz import fuzz, process

from kg.framework import canonical_l2
from kg.iris import document_iris
from kg.reuse.labels import char_ngrams, ngram_jaccard, normalise_label, normalise_value

__all__ = [
    "IndicatorRef",
    "Template",
    "generate_templates",
    "iter_indicators",
    "project_key",
]

Method = Literal["auto", "fuzzy", "lsh"]

_CHUNK = 1024
_ID_BASE = 0x10000  # first code point above the surrogates
_ID_CHARS = 0x110000 - _ID_BASE


def project_key(source: str, table: int) -> str:
    """The key of one table (a project, or a department-wide table): its document and position."""
    return f"{source}#{table}"


@dataclass(frozen=True)
class IndicatorRef:
    """One indicator row, with where it comes from."""

    source: str
    table: int
    index: int
    line: int
    label: str
    key: str
    value: str
    l1: str | None
    l2: str | None
    department: str
    project: str
    scope: str
    period: str | None = None
    iri: str | None = None
    subject_iri: str | None = None

    @property
    def project_key(self) -> str:
        return project_key(self.source, self.table)


@dataclass
class Template:
    """Indicator rows that share one label, up to spelling: ``label`` is the commonest spelling."""

    id: str
    label: str
    key: str
    block: str
    members: list[IndicatorRef] = field(default_factory=list)

    @property
    def projects(self) -> frozenset[str]:
        return frozenset(m.project_key for m in self.members if m.scope == "project")

    @property
    def tables(self) -> frozenset[str]:
        return frozenset(m.project_key for m in self.members)

    @property
    def departments(self) -> frozenset[str]:
        return frozenset(m.department for m in self.members)

    @property
    def variants(self) -> list[str]:
        """Distinct spellings, commonest first."""
        return [label for label, _ in Counter(m.label for m in self.members).most_common()]


def iter_indicators(docs: Iterable[Mapping[str, Any]]) -> Iterator[IndicatorRef]:
    """Every indicator row of every table of ``docs`` (document dicts in the gold/export shape).

    Rows read back from a store carry their ``iri`` (and tables their ``subject``); otherwise the IRIs are
    the ones ``kg.triples`` gives the document.
    """
    for doc in docs:
        source = str(doc.get("source") or "")
        department = str(doc.get("department") or source)
        iris = document_iris(doc)
        for t_index, table in enumerate(doc.get("tables") or []):
            name = table.get("name") or f"{source} table {t_index + 1}"
            scope = table.get("scope") or "project"
            subject = table.get("subject") or (iris.subjects[t_index] if iris else None)
            for i_index, ind in enumerate(table.get("indicators") or []):
                label = ind.get("l3") or ""
                yield IndicatorRef(
                    source=source,
                    table=t_index,
                    index=i_index,
                    line=int(ind.get("line") or 0),
                    label=label,
                    key=normalise_label(label),
                    value=normalise_value(ind.get("value")),
                    l1=ind.get("l1"),
                    l2=ind.get("l2"),
                    department=department,
                    project=name,
                    scope=scope,
                    period=ind.get("period"),
                    iri=ind.get("iri") or (iris.indicators[t_index][i_index] if iris else None),
                    subject_iri=subject,
                )


def _default_block(ref: IndicatorRef) -> str:
    # the canonical L2 concept, so that 质量目标 and 质量指标 block together; an unknown L2 blocks by its text
    concept = canonical_l2(ref.l2, ref.l1)
    return str(concept) if concept is not None else normalise_label(ref.l2)


def _template_id(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _as_sorted_sequences(grams: Sequence[frozenset[str]]) -> list[str] | list[list[int]]:
    """Each n-gram set as the sorted sequence of its n-gram ids.

    Between two sorted sequences of distinct ids the longest common subsequence is the intersection,
    so rapidfuzz's Indel ratio on them is exactly the Dice coefficient of the sets.  Ids become
    supplementary-plane characters when they fit, which keeps rapidfuzz on its fast string path.
    """
    ids: dict[str, int] = {}
    encoded = [sorted(ids.setdefault(g, len(ids)) for g in sorted(s)) for s in grams]
    if len(ids) <= _ID_CHARS:
        return ["".join(chr(_ID_BASE + i) for i in seq) for seq in encoded]
    return encoded


def _rapidfuzz_pairs(
    grams: Sequence[frozenset[str]], blocks: Sequence[str], threshold: float
) -> Iterator[tuple[int, int]]:
    seqs = _as_sorted_sequences(grams)
    by_block: dict[str, list[int]] = defaultdict(list)
    for i, block in enumerate(blocks):
        by_block[block].append(i)
    # Jaccard J and Dice D rank alike: J ≥ t  ⇔  D ≥ 2t/(1+t); the small margin absorbs float rounding
    cutoff = max(0.0, 100 * 2 * threshold / (1 + threshold) - 0.01)
    for members in by_block.values():
        if len(members) < 2:
            continue
        block_seqs = [seqs[i] for i in members]
        # row chunks keep the score matrix small however large the block is
        for start in range(0, len(block_seqs), _CHUNK):
            scores = process.cdist(
                block_seqs[start : start + _CHUNK],
                block_seqs,
                scorer=fuzz.ratio,
                score_cutoff=cutoff,
                dtype=np.uint8,
                workers=-1,
            )
            rows, cols = np.nonzero(scores)
            for a, b in zip((rows + start).tolist(), cols.tolist(), strict=True):
                if a < b:
                    yield members[a], members[b]


def _lsh_pairs(
    grams: Sequence[frozenset[str]], blocks: Sequence[str], threshold: float, num_perm: int
) -> Iterator[tuple[int, int]]:
    from datasketch import MinHash, MinHashLSH

    # LSH recall drops for pairs just above its threshold, so candidates are drawn a little below it
    lsh = MinHashLSH(threshold=max(0.05, threshold * 0.8), num_perm=num_perm)
    hashes = MinHash.bulk(([g.encode("utf-8") for g in sorted(s)] for s in grams), num_perm=num_perm, seed=1)
    with lsh.insertion_session() as session:
        for i, mh in enumerate(hashes):
            session.insert(i, mh)
    for i, mh in enumerate(hashes):
        for j in lsh.query(mh):
            if i < j and blocks[i] == blocks[j]:
                yield i, j


def generate_templates(
    docs: Iterable[Mapping[str, Any]],
    *,
    threshold: float = 0.7,
    block_by: Callable[[IndicatorRef], str] | None = None,
    method: Method = "auto",
    lsh_above: int = 100_000,
    num_perm: int = 128,
) -> list[Template]:
    """Group every indicator row of ``docs`` into templates, most reused first.

    ``threshold`` is the n-gram Jaccard two distinct label keys need to fall into one template;
    ``method`` "auto" uses rapidfuzz per block up to ``lsh_above`` distinct keys and MinHash LSH beyond.
    Each group joins the most similar larger group already chosen as a template (no chaining through
    intermediate spellings), so a template's representative is its commonest spelling.
    """
    block_of = block_by or _default_block
    groups: dict[str, list[IndicatorRef]] = defaultdict(list)
    for ref in iter_indicators(docs):
        if ref.key:
            groups[ref.key].append(ref)

    keys = sorted(groups, key=lambda k: (-len(groups[k]), k))
    blocks = [Counter(block_of(r) for r in groups[k]).most_common(1)[0][0] for k in keys]
    grams = [char_ngrams(k) for k in keys]

    if method == "lsh" or (method == "auto" and len(keys) > lsh_above):
        pairs = _lsh_pairs(grams, blocks, threshold, num_perm)
    else:
        pairs = _rapidfuzz_pairs(grams, blocks, threshold)
    # keys are sorted larger-first, so the lower index of a pair is the would-be leader; the exact
    # Jaccard decides (LSH candidates are approximate, rapidfuzz scores are floats)
    neighbours: dict[int, dict[int, float]] = defaultdict(dict)
    for a, b in pairs:
        sim = ngram_jaccard(grams[a], grams[b])
        if sim >= threshold:
            neighbours[max(a, b)][min(a, b)] = sim

    leader_of: dict[int, int] = {}
    for i in range(len(keys)):
        best, best_sim = i, threshold
        for j, sim in sorted(neighbours.get(i, {}).items()):
            if leader_of[j] == j and (sim > best_sim or (best == i and sim >= best_sim)):
                best, best_sim = j, sim
        leader_of[i] = best

    templates: dict[int, Template] = {}
    for i, key in enumerate(keys):
        lead = leader_of[i]
        if lead not in templates:
            templates[lead] = Template(
                id=_template_id(keys[lead]), label="", key=keys[lead], block=blocks[lead]
            )
        templates[lead].members.extend(groups[key])
    for tpl in templates.values():
        tpl.members.sort(key=lambda m: (m.source, m.table, m.index))
        tpl.label = tpl.variants[0]
    return sorted(templates.values(), key=lambda t: (-len(t.projects), -len(t.members), t.key))
