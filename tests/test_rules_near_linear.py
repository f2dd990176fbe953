"""The indexes that keep the rules near-linear give what the all-pairs code they replaced gave.

Each reference below is the code as it stood before (kept here only as the oracle); hypothesis
draws small inputs from vocabularies narrow enough that matches, ties and repeats are common.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations

import networkx as nx
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from kg.iris import Minter
from kg.reuse import SimilarPair, similar_pairs
from kg.reuse.labels import char_ngrams
from kg.reuse.setjoin import candidate_pairs
from kg.reuse.templates import _as_sorted_sequences, _rapidfuzz_pairs

SETTINGS = settings(max_examples=200, deadline=None)


# --- IRIs of rows sharing a line --------------------------------------------------------------


def _minted_one_by_one(paths: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for path in paths:
        candidate, n = path, 1
        while candidate in seen:
            n += 1
            candidate = f"{path}~{n}"
        seen.add(candidate)
        out.append(candidate)
    return out


@given(st.lists(st.sampled_from(["a", "b", "a~2", "a~3", "b~2", "a~2~2"]), max_size=30))
def test_repeated_paths_get_the_same_suffixes_as_trying_each_in_turn(paths: list[str]) -> None:
    mint = Minter()
    assert [mint(p) for p in paths] == _minted_one_by_one(paths)


# --- set similarity joins ---------------------------------------------------------------------

sets_of_tokens = st.lists(st.frozensets(st.sampled_from("abcdefg"), max_size=6), max_size=20)
thresholds = st.sampled_from([0.0, 0.3, 0.5, 2 / 3, 0.7, 0.8, 1.0])


@SETTINGS
@given(sets_of_tokens, thresholds)
def test_the_prefix_filter_draws_every_pair_reaching_the_threshold_once(
    sets: list[frozenset[str]], threshold: float
) -> None:
    drawn = list(candidate_pairs(sets, threshold))
    assert len(drawn) == len(set(drawn)) and all(i < j for i, j in drawn)
    similar = {
        (i, j)
        for i, j in combinations(range(len(sets)), 2)
        if sets[i] & sets[j] and len(sets[i] & sets[j]) / len(sets[i] | sets[j]) >= threshold
    }
    assert similar <= set(drawn)


def _similar_pairs_through_shared_rows(g: nx.Graph, threshold: float, min_rows: int) -> list[SimilarPair]:
    rows: dict[str, frozenset[tuple[str, str]]] = {}
    for p, kind in sorted(g.nodes(data="kind")):
        if kind == "project":
            found = frozenset((t, v) for t in g[p] for v in g.edges[p, t]["values"])
            if len(found) >= min_rows:
                rows[p] = found
    holders: dict[tuple[str, str], list[str]] = defaultdict(list)
    for p, r in rows.items():
        for row in r:
            holders[row].append(p)
    shared: Counter[tuple[str, str]] = Counter()
    for ps in holders.values():
        for a, b in combinations(sorted(ps), 2):
            shared[a, b] += 1
    pairs = []
    for (a, b), inter in shared.items():
        jac = inter / (len(rows[a]) + len(rows[b]) - inter)
        if jac >= threshold:
            pairs.append(SimilarPair(a, b, round(jac, 6)))
    pairs.sort(key=lambda s: (-s.jaccard, s.a, s.b))
    return pairs


projects = st.lists(
    st.lists(st.tuples(st.sampled_from("TUVWXY"), st.sampled_from(["=100%", "≥2次"])), max_size=6),
    max_size=12,
)


@SETTINGS
@given(projects, thresholds, st.sampled_from([1, 3]))
def test_similar_projects_are_the_pairs_sharing_rows_enough(
    tables: list[list[tuple[str, str]]], threshold: float, min_rows: int
) -> None:
    g = nx.Graph()
    for k, rows in enumerate(tables):
        g.add_node(f"project:d#{k:02}", kind="project")
        for template, value in rows:
            g.add_node(f"template:{template}", kind="template")
            if g.has_edge(f"project:d#{k:02}", f"template:{template}"):
                g.edges[f"project:d#{k:02}", f"template:{template}"]["values"].append(value)
            else:
                g.add_edge(f"project:d#{k:02}", f"template:{template}", values=[value])
    expected = _similar_pairs_through_shared_rows(g, threshold, min_rows)
    assert similar_pairs(g, threshold=threshold, min_rows=min_rows) == expected


def _rapidfuzz_pairs_of_whole_blocks(
    grams: list[frozenset[str]], blocks: list[str], threshold: float
) -> set[tuple[int, int]]:
    seqs = _as_sorted_sequences(grams)
    by_block: dict[str, list[int]] = defaultdict(list)
    for i, block in enumerate(blocks):
        by_block[block].append(i)
    cutoff = max(0.0, 100 * 2 * threshold / (1 + threshold) - 0.01)
    found = set()
    for members in by_block.values():
        block_seqs = [seqs[i] for i in members]
        scores = process.cdist(block_seqs, block_seqs, scorer=fuzz.ratio, score_cutoff=cutoff, dtype=np.uint8)
        for a, b in zip(*np.nonzero(scores), strict=True):
            if a < b:
                found.add((members[a], members[b]))
    return found


labels = st.text(alphabet="培训次数资金到位率宣传", max_size=7)


@SETTINGS
@given(st.lists(st.tuples(labels, st.sampled_from("率数")), max_size=25), thresholds)
def test_template_candidates_are_those_rapidfuzz_finds_scoring_whole_blocks(
    keys: list[tuple[str, str]], threshold: float
) -> None:
    grams = [char_ngrams(subject) for subject, _ in keys]
    blocks = [metric for _, metric in keys]
    assert set(_rapidfuzz_pairs(grams, blocks, threshold)) == _rapidfuzz_pairs_of_whole_blocks(
        grams, blocks, threshold
    )
