"""The one error extraction raises for input it cannot read.

Its ``str()`` is a single line naming the file (and line, when known), so the CLI can
print it as is, exit non-zero and go on with the other files.
"""

from __future__ import annotations

from os import PathLike

__all__ = ["ExtractError"]


class ExtractError(Exception):
    """A document that cannot be extracted, e.g. ``doc.txt: empty file``."""

    def __init__(self, path: str | PathLike[str], message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.message = message
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"

    def __reduce__(self) -> tuple[type[ExtractError], tuple[str, str, int | None]]:
        # keeps the error picklable for a process pool, whose default would pass only args
        return (type(self), (self.path, self.message, self.line))
