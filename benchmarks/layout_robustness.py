"""How well extraction holds when the same documents lose or change their cell separators.

Each text document of a gold set is re-laid-out in ways real conversions damage tables: every
separator between cells (tabs, or the spaces between words on a line) becomes a tab, a line
break (one cell per line), a single space, or nothing at all (cells glued).  The gold stays the
same, so the accuracy meter (``../shared/tools/score_extraction.py``) scores each variant against
it beside the documents as given, in the same run: a reader that learned its documents'
separators, not the table, loses most here.

    .venv/bin/python benchmarks/layout_robustness.py [--set realworld|seeds|both]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from meter import indicator_f1, run_meter, table_recall  # noqa: E402  (the tests' meter helper)

from extract import read_document  # noqa: E402

SHARED = REPO.parent / "shared"
SETS = {
    "realworld": (SHARED / "realworld" / "docs", SHARED / "realworld" / "gold"),
    "seeds": (SHARED / "seeds", SHARED / "gold"),
}
_BETWEEN_WORDS = re.compile(r"(?<=\S) +(?=\S)")


def _relayout(separator: str) -> Callable[[str], str]:
    """A document with each separator between cells on a line replaced by ``separator``:
    tabs where the line has tabs (the empty cells a row opens with vanish, as in a copy from
    a web page), else runs of spaces between words; pipe rows keep their pipes."""

    def apply(text: str) -> str:
        out = []
        for line in text.split("\n"):
            if "|" in line:
                out.append(line)
            elif "\t" in line:
                out.append(re.sub(r"\t+", separator, line.strip("\t")))
            else:
                out.append(_BETWEEN_WORDS.sub(separator, line))
        return "\n".join(out)

    return apply


VARIANTS: dict[str, Callable[[str], str]] = {
    "as given": lambda text: text,
    "tab": _relayout("\t"),
    "one cell per line": _relayout("\n"),
    "single space": _relayout(" "),
    "glued": _relayout(""),
}


def score(docs: Path, gold: Path, variant: Callable[[str], str], work: Path) -> str:
    work.mkdir(parents=True, exist_ok=True)
    for path in sorted(docs.glob("*.txt")):
        (work / path.name).write_text(variant(path.read_text(encoding="utf-8")), encoding="utf-8")
    records = [read_document(p).to_dict() for p in sorted(work.glob("*.txt"))]
    report = run_meter(SHARED, gold, records, work / "meter")
    return f"table recall {table_recall(report):5.3f}   indicator F1 {indicator_f1(report):5.3f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", choices=[*SETS, "both"], default="both")
    a = ap.parse_args()
    names = list(SETS) if a.set == "both" else [a.set]
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            docs, gold = SETS[name]
            if not docs.is_dir() or not gold.is_dir():
                print(f"{name}: {docs} or {gold} is absent, skipped")
                continue
            print(f"{name} ({docs})")
            for label, variant in VARIANTS.items():
                print(f"  {label:20} {score(docs, gold, variant, Path(tmp) / name / label)}")


if __name__ == "__main__":
    main()
