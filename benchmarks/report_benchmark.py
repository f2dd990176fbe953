"""Report benchmark: page weight and open time in headless Chromium at 100 and 1,000 documents.

For each corpus size a synthetic corpus (``benchmarks/synthetic.py``) is analysed, its report
written as ``kg report`` writes it (the overview plus one page per department), and then, in the
same run:

* weight: bytes of the overview, of the biggest department page, and of all pages together;
* open time: one headless Chromium (no network), driven over the DevTools protocol, is asked for
  the page; the time runs until the first frame drawn after its load event (parsing, styles,
  layout, paint), median of ``--repeat`` runs, for the overview and for the biggest department
  page, beside a blank page opened the same way (the baseline); and how tall the page is and how
  many elements it has;
* the time to build the report model and to write the pages (the analysis is timed apart: it is
  the rules and the reuse analysis, not the report).

    python benchmarks/report_benchmark.py                       # 100 and 1,000 documents
    python benchmarks/report_benchmark.py --documents 100 --repeat 5

Goal: every page opens in under 3 s at 1,000 documents.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import generate_corpus, load_templates

from kg.analysis import analyse
from kg.report import generate_report_model, write_report

GOAL_SECONDS = 3.0


def _chromium() -> str:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        sys.exit("headless Chromium is not installed (Debian: apt-get install -y chromium)")
    return binary


class Browser:
    """Headless Chromium driven over the DevTools protocol on a pipe (no extra package, no port)."""

    def __init__(self, binary: str, profile: Path) -> None:
        to_chrome, self._write = os.pipe()
        self._read, from_chrome = os.pipe()

        flags = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}",
            "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1280,800", "--remote-debugging-pipe",
        ]  # fmt: skip
        # Chromium reads commands on fd 3 and answers on fd 4: the shell puts the pipes there
        plumb = f'exec "$@" 3<&{to_chrome} 4>&{from_chrome}'
        self._proc = subprocess.Popen(
            ["sh", "-c", plumb, "sh", binary, *flags], pass_fds=(to_chrome, from_chrome),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(to_chrome)
        os.close(from_chrome)
        self._buffer = b""
        self._id = 0
        self._events: list[str] = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable", session=True)

    def _message(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            chunk = os.read(self._read, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return dict(json.loads(raw))

    def call(self, method: str, params: dict[str, Any] | None = None, *, session: bool = False) -> Any:
        self._id += 1
        message: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self._session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._message()
            if answer.get("id") == self._id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self._events.append(str(answer.get("method")))  # an event that came before the answer

    def open(self, page: Path) -> tuple[float, dict[str, Any]]:
        """Seconds from asking for ``page`` to its first frame drawn after the load event, and
        what the page then measures: its height in pixels and its number of elements."""
        self._events.clear()
        start = time.perf_counter()
        self.call("Page.navigate", {"url": page.as_uri()}, session=True)
        while "Page.loadEventFired" not in self._events:
            self._events.append(str(self._message().get("method")))
        probe = (
            "new Promise(done => requestAnimationFrame(() => setTimeout(() => done({"
            "height: document.documentElement.scrollHeight,"
            "elements: document.getElementsByTagName('*').length}))))"
        )
        result = self.call(
            "Runtime.evaluate",
            {"expression": probe, "awaitPromise": True, "returnByValue": True},
            session=True,
        )
        return time.perf_counter() - start, dict(result["result"]["value"])

    def close(self) -> None:
        self._proc.terminate()
        self._proc.wait(timeout=30)
        os.close(self._read)
        os.close(self._write)


def _median_open(browser: Browser, page: Path, repeat: int) -> tuple[float, dict[str, Any]]:
    runs = [browser.open(page) for _ in range(repeat)]
    return statistics.median(t for t, _ in runs), runs[-1][1]


def _run(documents: int, gold: Path, repeat: int, binary: str, work: Path) -> None:
    docs = list(generate_corpus(load_templates(gold), documents, seed=0))
    t0 = time.perf_counter()
    analysis = analyse(docs)
    t1 = time.perf_counter()
    model = generate_report_model(analysis)
    t2 = time.perf_counter()
    out = work / f"report-{documents}"
    written = write_report(model, out / "report.html")
    t3 = time.perf_counter()
    pages = [p for p in written if p.suffix == ".html"]
    index = out / "report.html"
    biggest = max((p for p in pages if p != index), key=lambda p: p.stat().st_size)
    blank = work / "blank.html"
    blank.write_text("<!doctype html><title>blank</title>", encoding="utf-8")
    browser = Browser(binary, work / f"profile-{documents}")
    try:
        baseline, _ = _median_open(browser, blank, repeat)
        opened = {p: _median_open(browser, p, repeat) for p in (index, biggest)}
    finally:
        browser.close()
    total = sum(p.stat().st_size for p in pages)
    print(
        f"\n{documents} documents: {len(model.projects)} tables, {model.indicator_count} targets, "
        f"{len(model.findings)} findings, {len(model.departments)} departments\n"
        f"  analysis {t1 - t0:7.1f} s (rules and reuse; not the report)\n"
        f"  model    {t2 - t1:7.1f} s   pages written {t3 - t2:6.1f} s\n"
        f"  weight   overview {index.stat().st_size / 1e3:8.0f} KB · biggest department page "
        f"{biggest.stat().st_size / 1e3:6.0f} KB · all {len(pages)} pages {total / 1e6:6.1f} MB\n"
        f"  open     blank page (baseline) {baseline:5.2f} s · overview {opened[index][0]:5.2f} s · "
        f"biggest department page {opened[biggest][0]:5.2f} s (goal < {GOAL_SECONDS:.0f} s)\n"
        f"  size     overview {opened[index][1]['height']:,} px tall, {opened[index][1]['elements']:,} elements · "
        f"biggest department page {opened[biggest][1]['height']:,} px, {opened[biggest][1]['elements']:,} elements"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    default_gold = Path(__file__).resolve().parents[2] / "shared" / "gold"
    parser.add_argument("--gold", type=Path, default=default_gold, help="gold annotations [%(default)s]")
    parser.add_argument("--documents", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--repeat", type=int, default=3, help="browser runs per page (median) [%(default)s]")
    args = parser.parse_args(argv)
    binary = _chromium()
    with tempfile.TemporaryDirectory(prefix="kg-report-bench-") as tmp:
        for n in args.documents:
            _run(n, args.gold, args.repeat, binary, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
