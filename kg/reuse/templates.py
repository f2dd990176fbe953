"""Indicator templates: indicator rows that measure the same thing, however the label is written.

Each label is read as subject + metric (``kg.reuse.canonical``, with the lexicon in
``kg/lexicon/labels.toml``): ``基金发放到位率``, ``资金发放到位率`` and ``补助资金到位率`` read the same
and fall into one group at once.  Groups with the same metric are then merged when their subjects
match (:func:`kg.reuse.canonical.label_similarity`): the candidates come from an index of the
subjects' parts (资金 inside 资金发放), of their characters (降尘抑尘 / 抑尘降尘), and of their
character n-grams (within a metric: the pairs a prefix filter cannot rule out, scored by rapidfuzz;
or MinHash LSH when there are more keys than that exact pass can afford); the similarity decides.  The 二级 label plays no part: 培训合格率 is one
template whether a table files it under 质量指标 or 产出指标.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, Literal

import numpy as np
from rapidfuzz import fuzz, process

from kg.iris import iter_table_sites
from kg.reuse.canonical import LabelKey, LabelLexicon, canonical_label, contained_subjects, label_similarity
from kg.reuse.labels import char_ngrams, normalise_label, normalise_value
from kg.reuse.setjoin import candidate_pairs

__all__ = [
    "IndicatorRef",
    "Template",
    "generate_templates",
    "iter_indicators",
    "project_key",
]

Method = Literal["auto", "fuzzy", "lsh"]

_BATCH = 65536  # candidate pairs scored per rapidfuzz call
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
    """Indicator rows that measure one thing: ``label`` is the commonest spelling, ``block`` the metric."""

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
    for site in iter_table_sites(docs):
        source = str(site.doc.get("source") or "")
        department = str(site.doc.get("department") or source)
        name = site.table.get("name") or f"{source} table {site.index + 1}"
        scope = site.table.get("scope") or "project"
        for i_index, ind in enumerate(site.indicators):
            label = ind.get("l3") or ""
            yield IndicatorRef(
                source=source,
                table=site.index,
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
                iri=site.indicator_iris[i_index],
                subject_iri=site.subject_iri,
            )


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
    dice = cutoff / 100
    # the prefix filter draws every pair that can reach the cutoff (a hair below it, so rounding
    # drops none); rapidfuzz then scores only those, not the square of a block
    jaccard = max(0.0, dice / (2 - dice) - 1e-6)
    pairs: list[tuple[int, int]] = []
    for members in by_block.values():
        if len(members) < 2:
            continue
        pairs.extend(
            (members[a], members[b]) for a, b in candidate_pairs([grams[i] for i in members], jaccard)
        )
        # two empty n-gram sets score 100 in rapidfuzz: a pair the prefix filter cannot see
        empty = [i for i in members if not grams[i]]
        pairs.extend((a, b) for k, a in enumerate(empty) for b in empty[k + 1 :])
    for start in range(0, len(pairs), _BATCH):
        batch = pairs[start : start + _BATCH]
        scores = process.cpdist(
            [seqs[a] for a, _ in batch],
            [seqs[b] for _, b in batch],
            scorer=fuzz.ratio,
            score_cutoff=cutoff,
            dtype=np.uint8,
            workers=-1,
        )
        yield from (pair for pair, score in zip(batch, scores.tolist(), strict=True) if score)


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


def _containment_pairs(keys: Sequence[LabelKey]) -> Iterator[tuple[int, int]]:
    index = {(k.metric, k.subject): i for i, k in enumerate(keys) if k.subject}
    for i, key in enumerate(keys):
        for part in contained_subjects(key.subject):
            j = index.get((key.metric, part))
            if j is not None:
                yield i, j


def _same_character_pairs(keys: Sequence[LabelKey]) -> Iterator[tuple[int, int]]:
    # each key is paired with the first (largest) key of its characters, not with all of them
    first: dict[tuple[str, str], int] = {}
    for i, key in enumerate(keys):
        if len(key.subject) >= 4:
            j = first.setdefault((key.metric, "".join(sorted(key.subject))), i)
            if j != i:
                yield i, j


def generate_templates(
    docs: Iterable[Mapping[str, Any]],
    *,
    threshold: float = 0.7,
    method: Method = "auto",
    lsh_above: int = 100_000,
    num_perm: int = 128,
    lexicon: LabelLexicon | None = None,
) -> list[Template]:
    """Group every indicator row of ``docs`` into templates, most reused first.

    ``threshold`` is the :func:`~kg.reuse.canonical.label_similarity` two distinct label readings
    need to fall into one template; ``method`` "auto" draws n-gram candidates with rapidfuzz per
    metric up to ``lsh_above`` distinct readings and with MinHash LSH beyond.  Each group joins the
    most similar larger group already chosen as a template (no chaining through intermediate
    spellings), so a template's representative is its commonest spelling.
    """
    groups: dict[LabelKey, list[IndicatorRef]] = defaultdict(list)
    for ref in iter_indicators(docs):
        reading = canonical_label(ref.label, lexicon)
        if reading.text:
            groups[reading].append(ref)

    keys = sorted(groups, key=lambda k: (-len(groups[k]), k.text, k.metric))
    blocks = [k.metric for k in keys]
    grams = [char_ngrams(k.subject) for k in keys]

    if method == "lsh" or (method == "auto" and len(keys) > lsh_above):
        ngram_pairs = _lsh_pairs(grams, blocks, threshold, num_perm)
    else:
        ngram_pairs = _rapidfuzz_pairs(grams, blocks, threshold)
    # keys are sorted larger-first, so the lower index of a pair is the would-be leader; the
    # similarity decides (candidates from n-grams are approximate, the others only possible)
    neighbours: dict[int, dict[int, float]] = defaultdict(dict)
    for a, b in chain(ngram_pairs, _containment_pairs(keys), _same_character_pairs(keys)):
        if a == b:
            continue
        sim = label_similarity(keys[a], keys[b])
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
            text = keys[lead].text
            templates[lead] = Template(
                id=_template_id(f"{keys[lead].metric}\x1f{text}"), label="", key=text, block=blocks[lead]
            )
        templates[lead].members.extend(groups[key])
    for tpl in templates.values():
        tpl.members.sort(key=lambda m: (m.source, m.table, m.index))
        tpl.label = tpl.variants[0]
    return sorted(templates.values(), key=lambda t: (-len(t.projects), -len(t.members), t.key))
