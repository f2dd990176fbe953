"""Shared test fixtures.

Tests that read the real seed documents use ``shared_dir``; they skip, saying why,
on a fresh clone where ``../shared`` is not beside the repository.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "seeds").is_dir() or not (SHARED / "gold").is_dir():
        pytest.skip(f"{SHARED} (seeds and gold annotations) is absent: only CI and the team have it")
    return SHARED


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO
