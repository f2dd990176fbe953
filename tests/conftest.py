"""Shared test fixtures.

Tests that read the real seed documents use ``shared_dir``; they skip, saying why,
on a fresh clone where ``../shared`` is not beside the repository.  Tests that open a page in
a real browser use ``chromium`` (and ``console`` to read what the page logged); they skip where
Chromium is not installed.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
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


Chromium = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="session")
def chromium() -> Chromium:
    """``chromium(page, profile, *mode, size=(w, h))`` runs headless Chromium on a local page with
    every host name unresolvable; skips where the Debian package ``chromium`` is absent."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        pytest.skip("headless Chromium is not installed (Debian: apt-get install -y chromium)")

    def run(
        page: Path, profile: Path, *mode: str, size: tuple[int, int] = (1200, 800)
    ) -> subprocess.CompletedProcess[str]:
        flags = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            f"--user-data-dir={profile}",
            # no network at all: every host name fails to resolve
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--enable-logging=stderr",
            "--v=0",
            f"--window-size={size[0]},{size[1]}",
            "--virtual-time-budget=5000",
        ]
        return subprocess.run(
            [binary, *flags, *mode, page.as_uri()], capture_output=True, text=True, timeout=120, check=False
        )

    return run


def console_messages(stderr: str) -> list[str]:
    """Page console messages (errors, warnings, uncaught exceptions, CSP refusals) in Chromium's log."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


@pytest.fixture(scope="session")
def console() -> Callable[[str], list[str]]:
    return console_messages
