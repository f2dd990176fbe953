"""Shared test fixtures.

Tests that read the real seed documents use ``shared_dir``; they skip, saying why,
on a fresh clone where ``../shared`` is not beside the repository.  Tests that open a page in
a real browser use ``chromium`` (and ``console`` to read what the page logged); they skip where
Chromium is not installed.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
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


@contextlib.contextmanager
def _lock_held_elsewhere(store_dir: Path) -> Iterator[None]:
    from kg.store import store_lock

    held, release = threading.Event(), threading.Event()

    def hold() -> None:  # another thread: the lock is reentrant only within one thread
        with store_lock(store_dir):
            held.set()
            release.wait(60)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(60)
        yield
    finally:
        release.set()
        holder.join()


@pytest.fixture
def other_build() -> Callable[[Path], contextlib.AbstractContextManager[None]]:
    """``with other_build(store):`` — another build holds the store's lock meanwhile."""
    return _lock_held_elsewhere


_TINY_TABLE = (
    "示例市医疗保障局2021年项目支出绩效目标表\n项目名称 {project}\n一级指标\t二级指标\t三级指标\t指标值\n"
    "产出指标\t数量指标\t培训次数\t≥{n}次\n满意度指标\t服务对象满意度指标\t群众满意度\t≥90%\n"
)


def _write_tiny_source(folder: Path, name: str, project: str = "甲项目", n: int = 10) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(_TINY_TABLE.format(project=project, n=n), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def tiny_source() -> Callable[..., Path]:
    """``tiny_source(folder, name, project=…, n=…)`` writes a one-table disclosure of our own."""
    return _write_tiny_source


def _kg(*args: str) -> tuple[int, str]:
    from click.testing import CliRunner

    from kg.cli import cli

    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.fixture(scope="session")
def kg() -> Callable[..., tuple[int, str]]:
    """``kg("build", …)`` runs the command line through click's runner: (exit code, output)."""
    return _kg
