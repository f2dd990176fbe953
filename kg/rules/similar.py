"""Comparing rows without comparing all pairs (rules Q21, Q22, Q25, Q28 on tables of 100k rows).

- :class:`JaccardIndex`: the earlier sets whose Jaccard with a new one reaches a threshold, by
  prefix filtering (Chaudhuri et al. 2006; Bayardo et al. 2007): sets with Jaccard ≥ t share a
  token among the first ``|x| - ⌈t·|x|⌉ + 1`` of each in one global token order, rarest first,
  so only rows sharing such a token are compared (:mod:`kg.reuse.setjoin`).  Exact: it finds
  every pair all-pairs would.
- :func:`longest_shared_prefixes`: for each key, its longest common prefix with any other key,
  which is the longer of its prefixes shared with its two neighbours in sorted order.
- :func:`first_containing`: for each word, the first text it occurs in, by one Aho–Corasick pass
  over the texts (rule Q28's unit costs), not one search of every text per word.
- :class:`JoinedBigrams`: whether a bigram occurs in the join of a table's rows less those of one
  name (rule Q25), from counts of the whole join, not by joining the rows again for each row.
"""

from __future__ import annotations

import math
import operator
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, pairwise

from kg.reuse.setjoin import prefix_size, token_order

__all__ = ["JaccardIndex", "JoinedBigrams", "bigrams", "first_containing", "longest_shared_prefixes"]


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter) if a or b else 0.0


class JaccardIndex:
    """Sets added one by one; :meth:`first_similar` finds the earliest one within a Jaccard threshold."""

    def __init__(self, universe: Iterable[frozenset[str]], threshold: float) -> None:
        self._rank = token_order(universe)
        self._threshold = threshold
        # token -> set size -> ids in order of adding: the size filter skips whole lists
        self._postings: defaultdict[str, defaultdict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        self._sets: list[frozenset[str]] = []

    def _prefix(self, tokens: frozenset[str]) -> list[str]:
        ordered = sorted(tokens, key=lambda t: self._rank.get(t, (0, t)))
        return ordered[: prefix_size(len(ordered), self._threshold)]

    def first_similar(
        self, tokens: frozenset[str], before: int, accept: Callable[[int], bool] = lambda _id: True
    ) -> int | None:
        """The smallest id below ``before`` of an indexed set with Jaccard ≥ threshold that ``accept``s."""
        if not tokens or self._threshold <= 0:
            return None
        n = len(tokens)
        sizes = range(math.ceil(self._threshold * n - 1e-9), math.floor(n / self._threshold + 1e-9) + 1)
        best: int | None = None
        for token in self._prefix(tokens):
            by_size = self._postings.get(token)
            if by_size is None:
                continue
            for size in sizes:
                for other in by_size.get(size, ()):
                    if other >= before or (best is not None and other >= best):
                        break  # ids are in order: nothing earlier follows
                    if _jaccard(tokens, self._sets[other]) >= self._threshold and accept(other):
                        best = other
                        break
        return best

    def add(self, tokens: frozenset[str]) -> int:
        """Index one set; returns its id."""
        ident = len(self._sets)
        self._sets.append(tokens)
        if tokens:
            for token in self._prefix(tokens):
                self._postings[token][len(tokens)].append(ident)
        return ident


def longest_shared_prefixes(keys: Sequence[str]) -> list[str]:
    """For each key, the longest prefix it shares with any other key of ``keys`` (equal keys included)."""
    order = sorted(range(len(keys)), key=keys.__getitem__)
    shared = [""] * len(keys)
    for a, b in pairwise(order):
        prefix = _common_prefix(keys[a], keys[b])
        if len(prefix) > len(shared[a]):
            shared[a] = prefix
        if len(prefix) > len(shared[b]):
            shared[b] = prefix
    return shared


def _common_prefix(a: str, b: str) -> str:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return a[:n]


def first_containing(words: Iterable[str], texts: Sequence[str]) -> dict[str, int]:
    """For each non-empty word, the index of the first of ``texts`` it occurs in (absent: left out).

    Aho–Corasick: one automaton of the words, one pass over the texts.  Walking the words that end
    at a position stops at the first already placed, since a word placed earlier brings its own
    suffixes, which are its substrings, to a text no later than its own: linear in the input.
    """
    goto: list[dict[str, int]] = [{}]
    ends: list[str | None] = [None]  # the word ending at a state
    for word in dict.fromkeys(w for w in words if w):
        state = 0
        for ch in word:
            nxt = goto[state].get(ch)
            if nxt is None:
                nxt = goto[state][ch] = len(goto)
                goto.append({})
                ends.append(None)
            state = nxt
        ends[state] = word
    fail = [0] * len(goto)
    # the nearest state down the fail chain that ends a word (0: none)
    out = [0] * len(goto)
    queue = deque(goto[0].values())
    while queue:
        state = queue.popleft()
        for ch, nxt in goto[state].items():
            back = fail[state]
            while back and ch not in goto[back]:
                back = fail[back]
            target = goto[back].get(ch, 0)
            fail[nxt] = target if target != nxt else 0
            out[nxt] = fail[nxt] if ends[fail[nxt]] is not None else out[fail[nxt]]
            queue.append(nxt)
    first: dict[str, int] = {}
    for index, text in enumerate(texts):
        state = 0
        for ch in text:
            while state and ch not in goto[state]:
                state = fail[state]
            state = goto[state].get(ch, 0)
            hit = state if ends[state] is not None else out[state]
            while hit and (found := ends[hit]) is not None and found not in first:
                first[found] = index
                hit = out[hit]
    return first


def _bigrams(text: str) -> Iterator[str]:
    # each character added to the next, paired by map in C: no Python step per character
    return map(operator.add, text, text[1:])


def bigrams(text: str) -> frozenset[str]:
    """The two-character substrings of ``text``: a two-character word is in it iff it is among them."""
    return frozenset(_bigrams(text))


class JoinedBigrams:
    """The bigrams of ``"".join(pieces)`` once every piece of one key is left out, for any key.

    A bigram of the join lies inside one piece or spans two neighbouring non-empty pieces.  Leaving
    out a key's pieces removes their inner bigrams and the spans touching them, and adds a span
    across each run of them; counting that change against the whole join costs the key's own
    pieces, so asking for every key costs the input once, not once per key.
    """

    def __init__(self, keys: Sequence[str], pieces: Sequence[str]) -> None:
        kept = [(k, p) for k, p in zip(keys, pieces, strict=True) if p]  # empty pieces add nothing
        self._pieces = [p for _, p in kept]
        self._total = Counter(_bigrams("".join(self._pieces)))
        self._at: defaultdict[str, list[int]] = defaultdict(list)
        for i, (key, _) in enumerate(kept):
            self._at[key].append(i)
        self._change: dict[str, tuple[Counter[str], Counter[str]]] = {}

    def _span(self, left: int, right: int) -> str:
        return self._pieces[left][-1] + self._pieces[right][0]

    def _without(self, key: str) -> tuple[Counter[str], Counter[str]]:
        """The bigrams leaving out ``key``'s pieces takes away, and the spans it adds."""
        if key not in self._change:
            out = self._at.get(key, [])
            last = len(self._pieces) - 1
            lost = Counter(chain.from_iterable(_bigrams(self._pieces[i]) for i in out))
            lost.update(
                self._span(b, b + 1) for b in sorted({b for i in out for b in (i - 1, i) if 0 <= b < last})
            )
            joined = Counter(
                self._span(first - 1, end + 1) for first, end in _runs(out) if first > 0 and end < last
            )
            self._change[key] = (lost, joined)
        return self._change[key]

    def contains(self, gram: str, without: str) -> bool:
        """Whether the bigram ``gram`` occurs in the join of the pieces whose key is not ``without``."""
        lost, joined = self._without(without)
        return self._total[gram] - lost[gram] + joined[gram] > 0


def _runs(ascending: Sequence[int]) -> Iterator[tuple[int, int]]:
    """Maximal runs of consecutive integers, as (first, last)."""
    start = 0
    for k in range(1, len(ascending) + 1):
        if k == len(ascending) or ascending[k] != ascending[k - 1] + 1:
            if ascending:
                yield ascending[start], ascending[k - 1]
            start = k
