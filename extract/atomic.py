"""Output files written whole or not at all.

A file is written under a temporary name beside its destination and renamed over it only once
complete (``os.replace`` is atomic on POSIX and Windows), so an interrupted or failing writer
never leaves a half-written report or export where the previous good one was.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from os import PathLike
from pathlib import Path
from typing import IO
from uuid import uuid4

__all__ = ["atomic_output", "write_bytes_atomic", "write_text_atomic"]


@contextlib.contextmanager
def atomic_output(path: str | PathLike[str]) -> Iterator[IO[bytes]]:
    """A binary file object whose content replaces ``path`` when the block ends without error."""
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{uuid4().hex[:8]}.tmp")
    # 0o666 less the umask, like open(): a temporary file's 0o600 would otherwise stick
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes_atomic(path: str | PathLike[str], data: bytes) -> None:
    with atomic_output(path) as fh:
        fh.write(data)


def write_text_atomic(path: str | PathLike[str], text: str, encoding: str = "utf-8") -> None:
    write_bytes_atomic(path, text.encode(encoding))
