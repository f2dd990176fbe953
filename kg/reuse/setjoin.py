"""Pairs of sets that may reach a Jaccard threshold, found without comparing all pairs.

Prefix filtering (Chaudhuri et al. 2006; Bayardo et al. 2007): in one global token order, rarest
first, two sets with Jaccard ≥ t share a token among the first ``|x| - ⌈t·|x|⌉ + 1`` of each, and
their sizes are within a factor t of each other.  Only pairs meeting both are candidates, so the
work follows the pairs that could be similar, not the square of the sets.  Candidates are a
superset: the caller verifies each with its own measure.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Collection, Hashable, Iterable, Iterator, Sequence
from typing import Any

__all__ = ["candidate_pairs", "prefix_size", "token_order"]

# float products such as 0.8 * 5 = 4.000000000000001 must not round a bound the wrong way
_EPS = 1e-9


def prefix_size(n: int, threshold: float) -> int:
    """How many of a set's first tokens (in :func:`token_order`) any similar set shares one of."""
    return max(n - math.ceil(threshold * n - _EPS) + 1, 1)


def token_order(sets: Iterable[Collection[Any]]) -> dict[Any, tuple[int, Any]]:
    """Each token's sort key: rarest first, ties by the token itself, so prefixes hold selective tokens."""
    counts = Counter(token for tokens in sets for token in tokens)
    return {token: (n, token) for token, n in counts.items()}


def candidate_pairs(sets: Sequence[Collection[Hashable]], threshold: float) -> Iterator[tuple[int, int]]:
    """Each pair ``(i, j)``, ``i < j``, of non-empty sets that may have a Jaccard ≥ ``threshold``, once.

    Every pair that does is among them; empty sets are never paired.  With ``threshold`` ≤ 0 the
    candidates are the pairs sharing a token.
    """
    rank = token_order(sets)
    # token -> set size -> ids in order of adding, so a size outside the bounds skips a whole list
    postings: defaultdict[Hashable, defaultdict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for j, tokens in enumerate(sets):
        n = len(tokens)
        if not n:
            continue
        prefix = sorted(tokens, key=rank.__getitem__)[: prefix_size(n, threshold)]
        low = math.ceil(threshold * n - _EPS) if threshold > 0 else 0
        high = math.floor(n / threshold + _EPS) if threshold > 0 else math.inf
        found: set[int] = set()
        for token in prefix:
            by_size = postings.get(token)
            if by_size is None:
                continue
            for size, ids in by_size.items():
                if low <= size <= high:
                    found.update(ids)
        yield from ((i, j) for i in sorted(found))
        for token in prefix:
            postings[token][n].append(j)
