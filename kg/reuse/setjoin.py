"""Pairs of sets that may reach a Jaccard threshold, found without comparing all pairs.

Prefix filtering (Chaudhuri et al. 2006; Bayardo et al. 2007): in one global token order, rarest
first, two sets with Jaccard ≥ t share a token among the first ``|x| - ⌈t·|x|⌉ + 1`` of each, and
their sizes are within a factor t of each other; taking the sets smallest first, the earlier set
of a pair needs only its first ``|y| - ⌈2t/(1+t)·|y|⌉ + 1`` tokens indexed (Bayardo et al.'s
AllPairs).  Only pairs meeting all that are candidates, so the work follows the pairs that could
be similar, not the square of the sets.  Candidates are a superset: the caller verifies each with
its own measure.
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
    # smallest sets first: each set then meets only sets no larger than itself, which must share
    # 2t/(1+t) of their own tokens with it, so they need index only a shorter prefix (AllPairs)
    indexed_share = 2 * threshold / (1 + threshold) if threshold > 0 else 0.0
    postings: defaultdict[Hashable, list[int]] = defaultdict(list)  # ids, smallest sets first
    too_small: defaultdict[Hashable, int] = defaultdict(int)  # how many of them no later set can use
    for j in sorted(range(len(sets)), key=lambda k: (len(sets[k]), k)):
        n = len(sets[j])
        if not n:
            continue
        ordered = sorted(sets[j], key=rank.__getitem__)
        low = math.ceil(threshold * n - _EPS) if threshold > 0 else 0
        found: set[int] = set()
        for token in ordered[: prefix_size(n, threshold)]:
            ids = postings.get(token, [])
            skip = too_small[token]
            while skip < len(ids) and len(sets[ids[skip]]) < low:
                skip += 1
            too_small[token] = skip
            found.update(ids[skip:])
        yield from ((min(i, j), max(i, j)) for i in sorted(found))
        for token in ordered[: prefix_size(n, indexed_share)]:
            postings[token].append(j)
