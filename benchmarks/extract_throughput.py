"""Throughput of extraction, in MB/s, on the seed disclosures replicated to a corpus of ≥ 50 MB.

Prints, side by side in one run: the baseline (reading and decoding the files only, the I/O
floor), the pure parser (``parse_document``), parsing plus vagueness verdicts (what
``kg extract`` does per document) under Python's default garbage-collector thresholds, then
``kg extract``'s own loop (which collects less often while it reads a batch), the same with a
cold label cache per document, and ``kg extract``'s process pool over 2 workers.  Goal: ≥ 2 MB/s per core.

    .venv/bin/python benchmarks/extract_throughput.py [--seeds ../shared/seeds] [--mb 50]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from extract import read_document  # noqa: E402
from extract.decode import read_text  # noqa: E402
from extract.labels import fold, label_levels  # noqa: E402
from kg.commands.extract import _verdict, annotate, batch_collection, extract_documents  # noqa: E402


def build_corpus(seeds: Path, target_mb: float, into: Path) -> list[Path]:
    sources = sorted(p for p in seeds.iterdir() if p.is_file())
    if not sources:
        sys.exit(f"{seeds}: no seed documents")
    paths: list[Path] = []
    total = 0
    copy = 0
    while total < target_mb * 1e6:
        for src in sources:
            dst = into / f"{copy:04d}_{src.name}"
            shutil.copyfile(src, dst)
            paths.append(dst)
            total += dst.stat().st_size
        copy += 1
    return paths


def measure(
    label: str, paths: list[Path], run: Callable[[list[Path]], object], size: int, cores: int
) -> float:
    start = time.perf_counter()
    run(paths)
    seconds = time.perf_counter() - start
    rate = size / 1e6 / seconds
    print(f"{label:44} {seconds:8.2f} s {rate:8.2f} MB/s {rate / cores:8.2f} MB/s/core")
    return rate


def cold(path: Path) -> object:
    fold.cache_clear()
    label_levels.cache_clear()
    _verdict.cache_clear()
    return annotate(read_document(path))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "seeds")
    ap.add_argument("--mb", type=float, default=50.0, help="corpus size in MB")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = build_corpus(a.seeds, a.mb, Path(tmp))
        size = sum(p.stat().st_size for p in paths)
        print(f"corpus: {len(paths)} documents, {size / 1e6:.1f} MB (the seeds replicated)\n")
        print(f"{'run':44} {'time':>10} {'throughput':>13} {'per core':>18}")
        base = measure("baseline: read + decode only", paths, lambda ps: [read_text(p) for p in ps], size, 1)
        parse = measure(
            "parse_document (records, targets)", paths, lambda ps: [read_document(p) for p in ps], size, 1
        )
        measure(
            "parse + vagueness, default collector",
            paths,
            lambda ps: [annotate(read_document(p)) for p in ps],
            size,
            1,
        )
        full = measure(
            "kg extract, 1 job (batch collector)",
            paths,
            lambda ps: extract_documents(ps, jobs=1),
            size,
            1,
        )
        with batch_collection():
            measure("  same, cold caches per document", paths, lambda ps: [cold(p) for p in ps], size, 1)
        pool = measure("kg extract --jobs 2", paths, lambda ps: extract_documents(ps, jobs=2), size, 2)
        print(
            f"\nratios: parse/baseline {parse / base:.3f}, full/baseline {full / base:.3f}, "
            f"2 jobs/1 job {pool / full:.2f}x; goal 2 MB/s/core: {'met' if full >= 2 else 'NOT met'} ({full:.2f})"
        )


if __name__ == "__main__":
    main()
