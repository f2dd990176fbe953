"""The indexes that keep the rules near-linear give what the all-pairs code they replaced gave.

Each reference below is the code as it stood before (kept here only as the oracle); hypothesis
draws small inputs from vocabularies narrow enough that matches, ties and repeats are common.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from itertools import combinations
from typing import Any

import networkx as nx
import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from kg.iris import Minter
from kg.lexicon import ACTIVITY_NOUNS, ACTIVITY_SYNONYMS, UPHOLD_OBJECTS
from kg.lexicon.patterns import POLICY_OBJECT, normalise
from kg.reuse import SimilarPair, similar_pairs
from kg.reuse.labels import char_ngrams
from kg.reuse.setjoin import candidate_pairs
from kg.reuse.templates import _as_sorted_sequences, _rapidfuzz_pairs
from kg.rules import prepare
from kg.rules.context import DocView, Row, TableView
from kg.rules.linkage import (
    _AFTER,
    _COST_SUFFIX,
    _COUNT_UNITS,
    _FLOOR_WORDS,
    _GOAL_FIGURE,
    _METRIC,
    _UNIT_COST_NOUNS,
    _figure_hits,
    _ProjectNames,
    _scaled,
    _subject_grams,
    _unanchored,
    _unit_costs,
    _unnamed_activities,
)
from kg.rules.reading import LOWER, comparator, has_any, money_wan
from kg.rules.similar import JoinedBigrams, first_containing
from kg.rules.text import say

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


# --- substrings and bigrams -------------------------------------------------------------------


@SETTINGS
@given(
    st.lists(st.text(alphabet="abc", max_size=4), max_size=8),
    st.lists(st.text(alphabet="abcd", max_size=8), max_size=8),
)
def test_each_word_is_placed_in_the_first_text_holding_it(words: list[str], texts: list[str]) -> None:  # fmt: skip
    expected = {
        w: next(i for i, t in enumerate(texts) if w in t) for w in words if w and any(w in t for t in texts)
    }
    assert first_containing(words, texts) == expected


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from("xyz"), st.text(alphabet="ab", max_size=3)), max_size=10))
def test_the_bigrams_of_a_join_less_one_key_are_those_of_joining_again(pieces: list[tuple[str, str]]) -> None:
    joined = JoinedBigrams([k for k, _ in pieces], [p for _, p in pieces])
    for key in "xyzw":
        again = "".join(p for k, p in pieces if k != key)
        assert [joined.contains(g, without=key) for g in ("aa", "ab", "ba", "bb")] == [
            g in again for g in ("aa", "ab", "ba", "bb")
        ]


# --- Q25 and Q28 against the code that compared every row with every other --------------------


def _figure_hits_row_by_row(table: TableView, goal: str, rows: tuple[Row, ...]) -> Iterator[Any]:
    text = normalise(goal)
    for m in _GOAL_FIGURE.finditer(text):
        keyword, unit = m.group(1), m.group(4)
        context = keyword + (_AFTER.match(text, m.end()) or _AFTER.match("")).group()  # type: ignore[union-attr]
        wanted, base = _scaled(float(m.group(3)), unit)
        words = char_ngrams(context, (2,))
        candidates: list[tuple[int, float, Row]] = []
        for row in rows:
            if row.target.number is None or not row.target.unit:
                continue
            number, row_base = _scaled(row.target.number, row.target.unit)
            if row_base == base:
                candidates.append((len(words & char_ngrams(row.name, (2,))), number, row))
        if any(abs(n - wanted) < 1e-9 and (shared or base != "%") for shared, n, _ in candidates):
            continue
        worded = [c for c in candidates if c[0]]
        if not worded:
            yield ("no_indicator", m.group())
            continue
        _, number, row = max(worded, key=lambda c: c[0])
        floor = bool(m.group(2) in _FLOOR_WORDS or m.group(5) or has_any(keyword, _FLOOR_WORDS))
        if floor and comparator(row) in LOWER and number >= wanted:
            continue
        yield ("mismatch", m.group(), row.index)


def _unnamed_activities_searching_names(goal: str, names: str) -> list[str]:
    missing = []
    for noun in has_any(goal, ACTIVITY_NOUNS):
        if any(word in names for word in (noun, *ACTIVITY_SYNONYMS.get(noun, ()))):
            continue
        planned = covered = False
        for m in re.finditer(noun, goal):
            after = goal[m.end() : m.end() + 8]
            clause = re.split(r"[，。；,;、]", after, maxsplit=1)[0]
            if POLICY_OBJECT.match(after) or (noun == "维护" and has_any(clause, UPHOLD_OBJECTS)):
                continue
            planned = True
            covered = covered or any(g in names for g in _subject_grams(clause[:6]))
        if planned and not covered:
            missing.append(noun)
    return missing


def _unanchored_joining_rows(doc: DocView, table: TableView) -> Iterator[tuple[int, str, str]]:
    own = normalise(" ".join(x for x in (table.name, table.goal_annual, table.goal_midterm) if x))
    names = [normalise(t.name) for t in doc.tables if t.scope == "project" and t.index != table.index]
    department = normalise(doc.department)
    for row in table.rows:
        if row.is_satisfaction or row.is_cost:
            continue
        grams = _subject_grams(row.name)
        if not grams or sum(len(p) for p in _METRIC.split(row.name)) > 8:
            continue
        others = "".join(r.name + normalise(r.description) for r in table.rows if r.name != row.name)
        if any(g in own or g in others for g in grams):
            continue
        foreign = {g: [n for n in names if g in n] for g in grams if g not in department}
        foreign = {g: found for g, found in foreign.items() if len(found) >= 2}
        if foreign:
            word = max(foreign, key=lambda g: len(foreign[g]))
            said = say(
                "Q25.unanchored", name=row.l3, words=f"「{word}」", others="、".join(foreign[word][:3])
            )
            yield row.index, word, said.en


NAMES = ["培训", "宣传", "检查", "体系", "建设", "救助", "资金", "系统"]
# (一级, 二级, the name's ending, a value) that belong together, so costs meet counts of their subject
KINDS = [
    (l1, l2, end, value)
    for l1, l2, ends, values in (
        ("产出指标", "数量指标", ("次数", "人数", ""), ("≥4次", "12次", "200人", "2万份")),
        ("成本指标", "经济成本指标", ("费用", "成本", "经费", ""), ("5万元", "≤20万元", "3000元", "≥90%")),
        ("产出指标", "质量指标", ("率", "合格率"), ("≥90%", "=100%", "98%")),
        ("效益指标", "社会效益指标", ("", "水平"), ("显著提高", "≥95%")),
    )
    for end in ends
    for value in values
]
GOALS = [
    "开展培训4次，宣传12次",
    "检查覆盖率达到95%以上",
    "至少组织1次救助，资金发放2万份",
    "建设体系，维护系统",
]

rows_st = st.lists(
    st.tuples(
        st.sampled_from(NAMES),
        st.sampled_from([*NAMES, ""]),
        st.sampled_from(KINDS),
        st.sampled_from([None, "", "体系", "根据台账"]),
    ),
    max_size=12,
)
tables_st = st.lists(
    st.tuples(
        st.sampled_from(["救助项目", "体系建设", "培训", "系统运维", "资金", None]),
        st.sampled_from([*GOALS, None]),
        st.sampled_from(["project", "project", "department"]),
        rows_st,
    ),
    min_size=1,
    max_size=8,
)


def _generated(tables: list[tuple[Any, ...]], department: str | None) -> dict[str, Any]:
    out = []
    for t, (name, goal, scope, rows) in enumerate(tables):
        indicators = [
            {"l1": l1, "l2": l2, "l3": a + b + end, "value": value, "description": desc, "line": 20 * t + i}
            for i, (a, b, (l1, l2, end, value), desc) in enumerate(rows)
        ]
        out.append(
            {"name": name, "annual_goal": goal, "scope": scope, "line": 20 * t, "indicators": indicators}
        )
    return {"source": "g.txt", "department": department, "budget_year": 2021, "tables": out}


COUNT, RATE = ("产出指标", "数量指标", "次数", "≥4次"), ("产出指标", "质量指标", "率", "≥90%")
COPIED = [  # a row about 体系 in a training project, while two other projects are about 体系
    ("体系建设", None, "project", [("培训", "", COUNT, None)]),
    ("体系建设", None, "project", []),
    ("培训", GOALS[0], "project", [("体系", "", RATE, None), ("培训", "", COUNT, "根据台账")]),
]


@SETTINGS
@given(tables_st, st.sampled_from([None, "示例市医疗保障局", "救助局"]))
@example(COPIED, None)
def test_q25_finds_what_it_found_row_by_row(tables: list[tuple[Any, ...]], department: str | None) -> None:
    view = prepare(_generated(tables, department))
    names = _ProjectNames(view)
    for table in view.tables:
        rows = table.annual_rows()
        if table.goal_annual:
            new = [
                ("mismatch", h.terms[0], h.row.index) if h.row is not None else ("no_indicator", h.terms[0])
                for h in _figure_hits(table, table.goal_annual, rows)
            ]
            assert new == list(_figure_hits_row_by_row(table, table.goal_annual, rows))
            joined = "".join(r.name for r in rows)
            goal = normalise(table.goal_annual)
            assert _unnamed_activities(goal, joined) == _unnamed_activities_searching_names(goal, joined)
        found = [(h.row.index, h.terms[0], h.said.en) for h in _unanchored(view, table, names) if h.row]
        assert found == list(_unanchored_joining_rows(view, table))


def _unit_costs_searching_rows(doc: DocView) -> dict[str, list[tuple[Row, float]]]:
    samples: dict[str, list[tuple[Row, float]]] = defaultdict(list)
    for table in doc.tables:
        counts = [
            r
            for r in table.annual_rows()
            if r.cat2 == "数量" and r.target.number and (r.target.unit or "") in _COUNT_UNITS
        ]
        for cost in table.annual_rows():
            money = money_wan(cost) if cost.is_cost else None
            if money is None:
                continue
            subject = _COST_SUFFIX.sub("", cost.name)
            if not has_any(subject, _UNIT_COST_NOUNS):
                continue
            match = next((r for r in counts if subject in r.name), None)
            if match is not None and match.target.number:
                samples[subject].append((cost, money[0] / match.target.number))
    return samples


@SETTINGS
@given(tables_st)
def test_q28_divides_each_cost_by_the_first_count_naming_its_subject(tables: list[tuple[Any, ...]]) -> None:
    view = prepare(_generated(tables, None))
    assert _unit_costs(view) == _unit_costs_searching_rows(view)
