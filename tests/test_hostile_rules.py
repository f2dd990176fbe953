"""Q21 and Q22 on big tables: the same findings as comparing all pairs, without comparing all pairs."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import kg.rules.similar
from kg.reuse.labels import char_ngrams, ngram_jaccard
from kg.rules import RULES, load_config, prepare
from kg.rules.similar import JaccardIndex, longest_shared_prefixes
from kg.rules.structure import _YEAR, _duplicate_key

CFG = load_config(None)
WORDS = [
    "培训",
    "人次",
    "参保",
    "满意度",
    "覆盖率",
    "完成",
    "2020年",
    "2021年",
    "房租",
    "合格率",
    "时效",
    "维护",
]


def _doc(rows: list[tuple[str, str, str | None]]) -> dict[str, Any]:
    indicators = [
        {"l1": "产出指标", "l2": "数量指标", "l3": l3, "value": value, "period": period, "line": i}
        for i, (l3, value, period) in enumerate(rows, 2)
    ]
    return {
        "source": "big.txt",
        "tables": [{"line": 1, "scope": "project", "name": "表", "indicators": indicators}],
    }


def _all_pairs_q21(doc: dict[str, Any]) -> list[tuple[int, int]]:
    """The rule as first written: every row against every earlier one."""
    rows = [r for r in prepare(doc).tables[0].rows if r.l3]
    keys = [_duplicate_key(r) for r in rows]
    grams = [char_ngrams(k, (2,)) for k in keys]
    found = []
    for j, later in enumerate(rows):
        for i in range(j):
            first = rows[i]
            ya, yb = set(_YEAR.findall(first.l3)), set(_YEAR.findall(later.l3))
            if first.period != later.period or not keys[i] or (ya and yb and ya != yb):
                continue
            near = first.text == later.text and ngram_jaccard(grams[i], grams[j]) >= CFG.duplicate_jaccard
            if keys[i] == keys[j] or near:
                found.append((first.line, later.line))
                break
    return found


labels = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map("".join)
tables = st.lists(
    st.tuples(labels, st.sampled_from(["=100%", "≥90%", "12次"]), st.sampled_from([None, "annual"])),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(tables)
def test_q21_finds_what_comparing_all_pairs_finds(rows: list[tuple[str, str, str | None]]) -> None:
    doc = _doc(rows)
    found = [(int(f.message.split()[2]), f.line) for f in RULES["Q21"](prepare(doc), CFG)]
    assert found == _all_pairs_q21(doc)


@given(st.lists(st.text(alphabet="甲乙丙丁ab", max_size=6), max_size=30))
def test_each_key_gets_its_longest_prefix_shared_with_any_other(keys: list[str]) -> None:
    def common(a: str, b: str) -> str:
        n = 0
        while n < min(len(a), len(b)) and a[n] == b[n]:
            n += 1
        return a[:n]

    expected = [
        max((common(k, o) for j, o in enumerate(keys) if j != i), key=len, default="")
        for i, k in enumerate(keys)
    ]
    assert longest_shared_prefixes(keys) == expected


@given(
    st.lists(st.frozensets(st.sampled_from("abcdefgh"), max_size=6), max_size=25),
    st.sampled_from([0.5, 0.8, 1.0]),
)
def test_the_jaccard_index_misses_no_similar_earlier_set(
    sets: list[frozenset[str]], threshold: float
) -> None:
    index = JaccardIndex(sets, threshold)
    for j, tokens in enumerate(sets):
        brute = [i for i in range(j) if sets[i] and tokens and ngram_jaccard(sets[i], tokens) >= threshold]
        assert index.first_similar(tokens, before=j) == (brute[0] if brute else None)
        index.add(tokens)


def test_a_big_table_is_checked_with_a_bounded_number_of_comparisons_per_row(monkeypatch) -> None:
    rng = random.Random(7)
    chars = "东西南北安平江山河阳宁新兴华清龙泉湖川海云桂临长永和丰德庆昌盛兰培训参保服务人员覆盖完成检查宣传系统维护合格时效成本医疗保障经办次数"
    lexicon = [rng.choice(chars) + rng.choice(chars) for _ in range(600)] + WORDS
    rows = [
        ("".join(rng.choices(lexicon, k=rng.randint(2, 4))), rng.choice(["=100%", "≥90%"]), None)
        for _ in range(20_000)
    ]
    rows += rows[:2000]  # templates copied further down the table
    compared = 0
    real = kg.rules.similar._jaccard

    def counting(a: frozenset[str], b: frozenset[str]) -> float:
        nonlocal compared
        compared += 1
        return real(a, b)

    monkeypatch.setattr(kg.rules.similar, "_jaccard", counting)
    view = prepare(_doc(rows))
    assert list(RULES["Q21"](view, CFG))  # the table does hold duplicates
    list(RULES["Q22"](view, CFG))
    # all pairs would be 2·10⁸ comparisons; the index makes a few per row
    assert compared < 2 * len(rows), compared
