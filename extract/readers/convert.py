"""Formats read through LibreOffice: .doc, .wps, .rtf, .odt → .docx; .et, .ods → .xlsx.

``soffice --headless --convert-to`` writes the converted file into a private temporary
folder, with a private user profile (so it neither waits for nor disturbs a LibreOffice the
user has open, and two conversions can run at once) and a time limit; the result is read
by the .docx or .xlsx reader.  Where ``soffice`` is not on PATH the file is named with the
package to install.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from extract.errors import ExtractError
from extract.source import Limits, Source

__all__ = ["TIMEOUT", "convert_with_libreoffice", "read_converted", "soffice_path"]

TIMEOUT = 120.0  # seconds one conversion may take
_INSTALL = "install LibreOffice (Debian/Ubuntu: apt install libreoffice-writer libreoffice-calc) so that `soffice` is on PATH"


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_libreoffice(data: bytes, name: str, source: str, target: str, limits: Limits) -> bytes:
    """The bytes of ``data`` (a ``source`` file, e.g. ".doc") converted to ``target`` (".docx")."""
    soffice = soffice_path()
    if soffice is None:
        raise ExtractError(name, f"reading {source} files needs LibreOffice: {_INSTALL}")
    with tempfile.TemporaryDirectory(prefix="jixiao-convert-") as tmp:
        folder = Path(tmp)
        # a fixed, plain file name: the user's may hold characters a command line mangles
        original = folder / f"document{source}"
        original.write_bytes(data)
        out = folder / "out"
        command = [
            soffice, "--headless", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--convert-to", target.lstrip("."), "--outdir", str(out), str(original),
        ]  # fmt: skip
        try:
            proc = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: a time-out ends soffice.bin too
            )
        except OSError as e:
            raise ExtractError(name, f"LibreOffice could not be started ({e})") from e
        try:
            output, _ = proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired as e:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise ExtractError(name, f"LibreOffice took over {TIMEOUT:.0f} s to convert it; gave up") from e
        converted = out / f"document{target}"
        if not converted.is_file():
            said = output.decode("utf-8", "replace").strip().splitlines()
            detail = f": {said[-1][:200]}" if said else ""
            raise ExtractError(name, f"LibreOffice could not convert it to {target}{detail}")
        size = converted.stat().st_size
        if size > limits.max_bytes:
            raise ExtractError(name, f"converted to {size:,} bytes, over the limit of {limits.max_bytes:,}")
        return converted.read_bytes()


def read_converted(
    data: bytes,
    name: str,
    limits: Limits,
    source: str,
    target: str,
    reader: Callable[[bytes, str, Limits], Source],
) -> Source:
    converted = reader(convert_with_libreoffice(data, name, source, target, limits), name, limits)
    converted.format = f"{source.lstrip('.')} via LibreOffice ({converted.format})"
    converted.sha256 = hashlib.sha256(data).hexdigest()
    return converted
