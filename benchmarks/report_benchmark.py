"""Report benchmark: page weight and open time in headless Chromium at 100 and 1,000 documents.

For each corpus size a synthetic corpus (``benchmarks/synthetic.py``) is analysed, its report
written as ``kg report`` writes it (the overview plus one page per department), and then, in the
same run:

* weight: bytes of the overview, of the biggest department page, and of all pages together;
* open time: Chromium (headless, no network) loads the page and takes a screenshot once it is
  laid out, minus the same for a blank page (the baseline: starting the browser), median of
  ``--repeat`` runs, for the overview and for the biggest department page;
* the time to build the report model and to write the pages (the analysis is timed apart: it is
  the rules and the reuse analysis, not the report).

    python benchmarks/report_benchmark.py                       # 100 and 1,000 documents
    python benchmarks/report_benchmark.py --documents 100 --repeat 5

Goal: every page opens in under 3 s at 1,000 documents.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def _open_seconds(binary: str, page: Path, profile: Path) -> float:
    shot = profile / "shot.png"
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}",
        "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1280,800", f"--screenshot={shot}",
    ]  # fmt: skip
    start = time.perf_counter()
    subprocess.run([binary, *flags, page.as_uri()], capture_output=True, check=True, timeout=300)
    return time.perf_counter() - start


def _median_open(binary: str, page: Path, work: Path, repeat: int) -> float:
    times = []
    for i in range(repeat):
        profile = work / f"profile-{page.stem}-{i}"
        profile.mkdir(parents=True, exist_ok=True)
        times.append(_open_seconds(binary, page, profile))
    return statistics.median(times)


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
    baseline = _median_open(binary, blank, work, repeat)
    opened = {p: _median_open(binary, p, work, repeat) - baseline for p in (index, biggest)}
    total = sum(p.stat().st_size for p in pages)
    print(
        f"\n{documents} documents: {len(model.projects)} tables, {model.indicator_count} targets, "
        f"{len(model.findings)} findings, {len(model.departments)} departments\n"
        f"  analysis {t1 - t0:7.1f} s (rules and reuse; not the report)\n"
        f"  model    {t2 - t1:7.1f} s   pages written {t3 - t2:6.1f} s\n"
        f"  weight   overview {index.stat().st_size / 1e3:8.0f} KB · biggest department page "
        f"{biggest.stat().st_size / 1e3:6.0f} KB · all {len(pages)} pages {total / 1e6:6.1f} MB\n"
        f"  open     blank page (baseline) {baseline:5.2f} s · overview +{opened[index]:5.2f} s · "
        f"biggest department page +{opened[biggest]:5.2f} s (goal < {GOAL_SECONDS:.0f} s)"
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
