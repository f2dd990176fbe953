"""How time and memory grow with input size: one document of 1, 5, 20, 100 MB, one table of 10k/100k rows.

Each point runs in a fresh process (so its peak memory is its own) and prints, beside the
measured step, a baseline run in that same process: for extraction, decoding the bytes and
splitting the lines (the floor any parser pays); for the rules, building the rules' view of
the table (``kg.rules.prepare``, which ``run_rules`` also does, so "× baseline" near 1 means
the rule itself costs little).  The "per unit" columns show the curve: flat means linear.
The public APIs are called (``extract.parse_document``, ``kg.findings.run_rules``), so the
figures are those of whatever extraction and rules are current.  A point that exceeds
``--budget`` seconds is reported as such, and larger points of that curve are skipped.

    .venv/bin/python benchmarks/size_curve.py [--mb 1 5 20 100] [--rows 10000 100000] [--budget 300]

``--each`` times every rule apart instead, in one process per size: the table of ``--each`` rows
(or, with ``--tables``, a document of that many 12-row project tables; with ``--documents``, a
corpus of that many documents, plus the corpus-wide analyses of ``kg analyse``) is prepared once (the
baseline), kg.reuse's templates for it are built once (``reuse view``, which Q23, Q24 and Q28
share), then each rule runs on that view, then ``run_rules`` on the whole document; a rule over
``--rule-budget`` seconds is reported as such.  The growth columns divide each time by the one
before: linear is the growth of the sizes (×4 from 10k to 40k rows, ×2.5 to 100k).

    .venv/bin/python benchmarks/size_curve.py --each 10000 40000 100000
    .venv/bin/python benchmarks/size_curve.py --each 1000 4000 10000 --tables
    .venv/bin/python benchmarks/size_curve.py --each 250 1000 4000 --documents   # with kg.analysis.analyse

The inputs are made here from the bundled examples (``examples/``), never from shared data.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

EXAMPLES = REPO / "examples"


def _peak_mb() -> float | None:
    try:
        import resource
    except ImportError:  # Windows: no getrusage
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1 << 20) if sys.platform == "darwin" else peak / 1024


def _document_text(mb: float) -> str:
    """One document of about ``mb`` MB: the example disclosures' tables over and over."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    unit = "\n".join(texts) + "\n"
    copies = max(1, round(mb * 1e6 / len(unit.encode("utf-8"))))
    return unit * copies


@cache
def _example_rows() -> list[tuple[Any, ...]]:
    from extract import read_document

    return [
        (i.l1, i.l2, i.l3, i.value)
        for path in sorted(EXAMPLES.glob("*.txt"))
        for t in read_document(path).tables
        for i in t.indicators
        if i.l3
    ]


def _table_rows(n: int, seed: int = 1) -> list[dict[str, Any]]:
    """``n`` indicator rows shaped like the examples': recurring template labels and variants."""
    rng = random.Random(seed)
    pool = _example_rows()
    places = "东西南北安平江山河阳宁新兴华清龙泉湖川海云桂临长永和丰德庆昌盛兰"
    rows = []
    for k in range(n):
        l1, l2, l3, value = rng.choice(pool)
        if rng.random() < 0.6:  # a variant: a place, a number or a second label joined in
            extra = rng.choice(
                [rng.choice(places) + rng.choice(places), str(rng.randint(1, 5000)), rng.choice(pool)[2]]
            )
            l3 = l3 + extra if rng.random() < 0.5 else extra + l3
        rows.append({"period": None, "l1": l1, "l2": l2, "l3": l3, "value": value, "line": k + 10})
    return rows


@cache
def _goals() -> list[str]:
    from extract import read_document

    return [
        t.annual_goal
        for p in sorted(EXAMPLES.glob("*.txt"))
        for t in read_document(p).tables
        if t.annual_goal
    ]


def _one_table(n: int) -> dict[str, Any]:
    """A table of ``n`` rows with a goal and funding, so that the goal and money rules run too."""
    table = {
        "line": 1,
        "scope": "project",
        "name": "大表",
        "annual_goal": "；".join(_goals()),
        "funding": {"annual_total": 120.0},
        "indicators": _table_rows(n),
    }
    return {
        "source": "size_curve.txt",
        "department": "示例市医疗保障局",
        "budget_year": 2021,
        "tables": [table],
    }


def _many_tables(n: int, rows: int = 12, seed: int = 2) -> dict[str, Any]:
    """A document of ``n`` project tables of ``rows`` rows; one in ten pastes one of 20 indicator sets."""
    rng = random.Random(seed)
    pool = _table_rows(rows * n // 2 + rows * 20, seed)
    pasted = [pool[k * rows : (k + 1) * rows] for k in range(20)]
    goals = _goals()
    places = "东西南北安平江山河阳宁新兴华清龙泉湖川海云桂临长永和丰德庆昌盛兰"
    tables = []
    for t in range(n):
        own = rng.choice(pasted) if rng.random() < 0.1 else rng.sample(pool, rows)
        indicators = [dict(r, line=t * 40 + 2 + i) for i, r in enumerate(own)]
        name = rng.choice(["医保政策宣传", "医保基金监管", "健康教育宣传经费", "信息系统运维"]) + rng.choice(
            places
        )
        tables.append(
            {
                "line": t * 40 + 1,
                "scope": "project",
                "name": name,
                "annual_goal": rng.choice(goals),
                "funding": {"annual_total": float(rng.choice([10, 25, 120, 900]))},
                "indicators": indicators,
            }
        )
    return {
        "source": "size_curve.txt",
        "department": "示例市医疗保障局",
        "budget_year": 2021,
        "tables": tables,
    }


class _Late(Exception):
    pass


def _timed(run: Any, budget: float) -> float | None:
    """Seconds ``run()`` took, or None past ``budget`` (no limit where there is no SIGALRM)."""
    import signal

    def late(signum: int, frame: Any) -> None:
        raise _Late

    alarm = hasattr(signal, "setitimer")
    if alarm:
        previous = signal.signal(signal.SIGALRM, late)
        signal.setitimer(signal.ITIMER_REAL, budget)
    start = time.perf_counter()
    try:
        run()
        return time.perf_counter() - start
    except _Late:
        return None
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def _point_each(n: int, shape: str, budget: float) -> dict[str, Any]:
    from kg.findings import run_rules
    from kg.rules import RULES, load_config, prepare
    from kg.rules.copies import reuse_view

    if shape == "documents":  # a corpus: documents of three tables, each department's year
        docs = [
            dict(_many_tables(3, seed=k), source=f"d{k}.txt", department=f"部门{k // 2}") for k in range(n)
        ]
        for k, doc in enumerate(docs):
            doc["budget_year"] = 2021 + k % 2
    else:
        docs = [_many_tables(n) if shape == "tables" else _one_table(n)]
    run_rules([_many_tables(3)])  # loads the lexicons and spaCy once
    cfg = load_config(None)
    start = time.perf_counter()
    views = [prepare(doc) for doc in docs]
    seconds: dict[str, float | None] = {"prepare": time.perf_counter() - start}
    seconds["reuse view"] = _timed(lambda: [reuse_view(v) for v in views], budget)
    for rule_id in sorted(RULES):
        seconds[rule_id] = _timed(lambda rule_id=rule_id: [RULES[rule_id](v, cfg) for v in views], budget)
    late = [k for k, v in seconds.items() if v is None]
    seconds["run_rules"] = None if late else _timed(lambda: run_rules(docs), budget * 4)
    if shape == "documents":  # the corpus-wide analyses of kg analyse, beside the rules
        from kg.analysis import AnalysisOptions, analyse

        no_rules = AnalysisOptions(rule_config={"disabled": sorted(RULES)})
        seconds["analyse, no rules"] = _timed(lambda: analyse(docs, no_rules), budget * 4)
    return {"size": n, "seconds": seconds, "peak_mb": _peak_mb()}


def _each(sizes: list[int], shape: str, budget: float) -> None:
    what = {
        "rows": "rows in one table",
        "tables": "project tables of 12 rows in one document",
        "documents": "documents of three tables (a corpus)",
    }[shape]
    print(f"\neach rule on {what}: seconds, and growth over the size before (linear: the sizes' growth)")
    print("baseline: kg.rules.prepare in the same process; run_rules: every rule, merged, prepare included")
    results = []
    for n in sizes:
        cmd = [sys.executable, __file__, "--point", "each", str(n), shape, str(budget)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    growth = [f"×{b / a:g}" for a, b in pairwise(sizes)]
    print(f"{'':<20}" + "".join(f"{n:>10}" for n in sizes) + "".join(f"{g:>9}" for g in growth))
    for key in results[0]["seconds"]:
        times = [r["seconds"][key] for r in results]
        shown = "".join(f"{'> ' + format(budget, 'g') if t is None else format(t, '.3f'):>10}" for t in times)
        ratios = "".join(
            f"{(b / a if a and b is not None else float('nan')):>9.1f}" for a, b in pairwise(times)
        )
        label = f"{key} (baseline)" if key == "prepare" else key
        print(f"{label:<20}{shown}{ratios}")
    print(f"{'peak MB':<20}" + "".join(f"{r['peak_mb'] or 0:>10.0f}" for r in results))


def _point_extract(mb: float) -> dict[str, Any]:
    from extract import parse_document

    data = _document_text(mb).encode("utf-8")
    parse_document(_document_text(0.01), "warm.txt")  # loads the lexicons once
    start = time.perf_counter()
    data.decode("utf-8").splitlines()
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    doc = parse_document(data.decode("utf-8"), "size_curve.txt")
    seconds = time.perf_counter() - start
    rows = sum(len(t.indicators) for t in doc.tables)
    return {
        "size": len(data) / 1e6,
        "baseline": baseline,
        "seconds": seconds,
        "items": rows,
        "peak_mb": _peak_mb(),
    }


def _point_rules(n: int, which: str) -> dict[str, Any]:
    from kg.findings import run_rules
    from kg.rules import prepare

    doc = {
        "source": "size_curve.txt",
        "department": "示例市医疗保障局",
        "budget_year": 2021,
        "tables": [{"line": 1, "scope": "project", "name": "大表", "indicators": _table_rows(n)}],
    }
    warm = {
        "source": "warm.txt",
        "tables": [{"line": 1, "scope": "project", "name": "小表", "indicators": _table_rows(50)}],
    }
    run_rules([warm], rules=None if which == "all" else [which])  # loads the lexicons and spaCy once
    start = time.perf_counter()
    prepare(doc)
    baseline = time.perf_counter() - start
    rules = None if which == "all" else [which]
    start = time.perf_counter()
    found = run_rules([doc], rules=rules)
    seconds = time.perf_counter() - start
    return {"size": n, "baseline": baseline, "seconds": seconds, "items": len(found), "peak_mb": _peak_mb()}


def _run_point(args: list[str], budget: float) -> dict[str, Any] | None:
    cmd = [sys.executable, __file__, "--point", *args]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=budget, check=True)
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as exc:
        sys.exit(f"point {args} failed:\n{exc.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _curve(title: str, unit: str, points: list[tuple[float, list[str]]], budget: float) -> None:
    print(f"\n{title}")
    print(
        f"{'size':>10} {'baseline s':>11} {'measured s':>11} {'s per ' + unit:>12} {'× baseline':>11} {'peak MB':>8} {'found':>8}"
    )
    for size, args in points:
        result = _run_point(args, budget)
        if result is None:
            print(
                f"{size:>10g} {'':>11} {'> ' + format(budget, 'g'):>11}   (over budget: larger sizes skipped)"
            )
            return
        per = result["seconds"] / result["size"]
        ratio = result["seconds"] / result["baseline"] if result["baseline"] else float("inf")
        peak = "n/a" if result["peak_mb"] is None else f"{result['peak_mb']:.0f}"
        print(
            f"{result['size']:>10.4g} {result['baseline']:>11.3f} {result['seconds']:>11.2f} {per:>12.4g}"
            f" {ratio:>11.1f} {peak:>8} {result['items']:>8}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mb", type=float, nargs="*", default=[1, 5, 20, 100], help="document sizes")
    parser.add_argument("--rows", type=int, nargs="*", default=[10_000, 100_000], help="table sizes")
    parser.add_argument("--rules", nargs="*", default=["Q21", "Q22", "all"], help="rules to time, or all")
    parser.add_argument("--budget", type=float, default=300, help="seconds allowed per point")
    parser.add_argument("--each", type=int, nargs="*", help="sizes at which to time every rule apart")
    parser.add_argument("--tables", action="store_true", help="with --each: sizes count tables, not rows")
    parser.add_argument("--documents", action="store_true", help="with --each: sizes count documents")
    parser.add_argument("--rule-budget", type=float, default=120, help="with --each: seconds per rule")
    parser.add_argument("--point", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.point:  # one measurement, in this fresh process
        kind, size, *rest = args.point
        if kind == "each":
            result = _point_each(int(size), rest[0], float(rest[1]))
        elif kind == "extract":
            result = _point_extract(float(size))
        else:
            result = _point_rules(int(size), rest[0])
        print(json.dumps(result))
        return 0
    if args.each:
        shape = "documents" if args.documents else "tables" if args.tables else "rows"
        _each(args.each, shape, args.rule_budget)
        return 0
    print(
        f"python {sys.version.split()[0]}; each point in its own process; budget {args.budget:g} s per point"
    )
    if args.mb:
        points = [(mb, ["extract", str(mb)]) for mb in args.mb]
        _curve(
            "extraction of one document (extract.parse_document), baseline: decode + split lines",
            "MB",
            points,
            args.budget,
        )
    for rule in args.rules:
        points = [(n, ["rules", str(n), rule]) for n in args.rows]
        what = "every rule" if rule == "all" else f"rule {rule}"
        _curve(
            f"{what} on one table (kg.findings.run_rules), baseline: kg.rules.prepare",
            "row",
            points,
            args.budget,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
