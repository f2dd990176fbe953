"""Finding similar rows without comparing all pairs (rules Q21, Q22 on tables of 100k rows).

- :class:`JaccardIndex`: the earlier sets whose Jaccard with a new one reaches a threshold, by
  prefix filtering (Chaudhuri et al. 2006; Bayardo et al. 2007): sets with Jaccard ≥ t share a
  token among the first ``|x| - ⌈t·|x|⌉ + 1`` of each in one global token order, rarest first,
  so only rows sharing such a token are compared.  Exact: it finds every pair all-pairs would.
- :func:`longest_shared_prefixes`: for each key, its longest common prefix with any other key,
  which is the longer of its prefixes shared with its two neighbours in sorted order.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise

__all__ = ["JaccardIndex", "longest_shared_prefixes"]


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter) if a or b else 0.0


class JaccardIndex:
    """Sets added one by one; :meth:`first_similar` finds the earliest one within a Jaccard threshold."""

    def __init__(self, universe: Iterable[frozenset[str]], threshold: float) -> None:
        # one global order, rarest token first, so that prefixes hold the selective tokens
        counts = Counter(token for tokens in universe for token in tokens)
        self._rank = {token: (n, token) for token, n in counts.items()}
        self._threshold = threshold
        # token -> set size -> ids in order of adding: the size filter skips whole lists
        self._postings: defaultdict[str, defaultdict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        self._sets: list[frozenset[str]] = []

    def _prefix(self, tokens: frozenset[str]) -> list[str]:
        ordered = sorted(tokens, key=lambda t: self._rank.get(t, (0, t)))
        # the small epsilon keeps 0.8 * 5 = 4.000000000000001 from rounding up to 5
        keep = len(ordered) - math.ceil(self._threshold * len(ordered) - 1e-9) + 1
        return ordered[: max(keep, 1)]

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
