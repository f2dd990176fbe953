"""The indexes that keep the rules near-linear give what the all-pairs code they replaced gave.

Each reference below is the code as it stood before (kept here only as the oracle); hypothesis
draws small inputs from vocabularies narrow enough that matches, ties and repeats are common.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.iris import Minter

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
