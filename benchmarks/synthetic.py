"""A synthetic corpus shaped like the gold annotations, scaled to any size.

Each synthetic document copies the table and indicator structure of one gold document (its
tables, indicator counts, L1/L2/L3 labels and value shapes) under a new department, with
project names, numbers, codes and funding varied.  Label reuse stays realistic: most L3
labels come from the template (so the same labels recur across departments, as they do in
real disclosures), some are drawn from the whole pool, a few are new variants.  Targets are
parsed from the varied values with the extractor's own ``parse_target``.  With ``copied`` a share
of the documents copies its template's indicators verbatim, labels and values (heavy copying, as
when a county pastes the city's tables).

    python benchmarks/synthetic.py --gold ../shared/gold --documents 800 -o corpus.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from extract import parse_target
from kg.commands.extract import _verdict

__all__ = ["generate_corpus", "load_templates", "main"]

# written for this benchmark: name parts that make plausible, distinct Chinese place and bureau names
_SYLLABLES = "东西南北安平江山河阳宁新兴华清龙泉湖川海云桂临长永和丰德庆昌盛兰"
_LEVELS = ("市", "县", "区")
_BUREAUS = (
    "医疗保障局", "教育局", "卫生健康委员会", "交通运输局", "农业农村局", "民政局",
    "生态环境局", "水务局", "文化广电旅游局", "人力资源和社会保障局", "财政局", "住房和城乡建设局",
)  # fmt: skip
_PROJECT_SUFFIXES = ("", "", "", "专项", "项目", "工程", "（续建）", "补助资金")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def load_templates(gold_dir: Path) -> list[dict[str, Any]]:
    """The gold documents, the shapes the corpus repeats."""
    templates = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold_dir.glob("*.json"))]
    if not templates:
        raise FileNotFoundError(f"no gold *.json in {gold_dir}")
    return templates


def _vary_number(match: re.Match[str], rng: random.Random) -> str:
    text = match.group()
    value = float(text) * rng.uniform(0.6, 1.4)
    if "." in text:
        return f"{value:.{len(text.split('.')[1])}f}"
    if text.startswith("20") and len(text) == 4:  # a year stays a year
        return str(rng.randint(2019, 2025))
    if 0 < float(text) <= 100 and text.isdigit():
        return str(min(100, max(1, round(value))))
    return str(max(1, round(value)))


def _vary_value(value: str | None, rng: random.Random) -> str | None:
    if value is None or rng.random() < 0.3:  # keep some values verbatim: real tables share them
        return value
    return _NUMBER.sub(lambda m: _vary_number(m, rng), value)


def _department(index: int, rng: random.Random) -> str:
    place = "".join(rng.choice(_SYLLABLES) for _ in range(2)) + rng.choice(_LEVELS)
    return place + _BUREAUS[index % len(_BUREAUS)]


def _money(value: float | None, rng: random.Random) -> float | None:
    return None if value is None else round(value * rng.uniform(0.2, 3.0), 2)


def generate_corpus(
    templates: list[dict[str, Any]], documents: int, *, seed: int = 0, copied: float = 0.0
) -> Iterator[dict[str, Any]]:
    """``documents`` synthetic document records, deterministic for a given seed.

    A share ``copied`` of them keeps the template's labels and values unchanged.
    """
    rng = random.Random(seed)
    pool = [
        (ind.get("l1"), ind.get("l2"), ind["l3"])
        for doc in templates
        for table in doc["tables"]
        for ind in table["indicators"]
    ]
    for index in range(documents):
        template = templates[index % len(templates)]
        department = _department(index, rng)
        year = rng.randint(2019, 2024)
        verbatim = rng.random() < copied
        line = 10
        tables = []
        for table in template["tables"]:
            line += rng.randint(5, 40)
            table_line = line
            indicators = []
            for ind in table["indicators"]:
                line += 1
                l1, l2, l3 = ind.get("l1"), ind.get("l2"), ind["l3"]
                draw = 1.0 if verbatim else rng.random()
                if draw < 0.15:
                    l1, l2, l3 = rng.choice(pool)
                elif draw < 0.20:
                    l3 = f"{l3}（{rng.choice(_SYLLABLES)}{rng.choice(_SYLLABLES)}）"
                value = ind.get("value") if verbatim else _vary_value(ind.get("value"), rng)
                target = asdict(parse_target(value, default_year=year))
                # the vagueness verdict, as `kg extract` adds it (cached per value)
                target["vague"], terms = _verdict(value, year, l3)
                target["vague_terms"] = list(terms)
                indicators.append(
                    {
                        "period": ind.get("period"),
                        "l1": l1,
                        "l2": l2,
                        "l3": l3,
                        "value": value,
                        "description": ind.get("description"),
                        "line": line,
                        "target": target,
                    }
                )
            funding = table.get("funding") or {}
            name = (
                table["name"]
                if table["scope"] == "department"
                else table["name"] + rng.choice(_PROJECT_SUFFIXES)
            )
            tables.append(
                {
                    "scope": table["scope"],
                    "name": department if table["scope"] == "department" else name,
                    "implementing_unit": department if rng.random() < 0.5 else None,
                    "project_code": f"{rng.randint(10**11, 10**12 - 1)}" if rng.random() < 0.4 else None,
                    "line": table_line,
                    "end_line": line,
                    "title": f"{table['name']}绩效目标表",
                    "layout": "synthetic",
                    "funding": {
                        "annual_total": _money(funding.get("annual_total"), rng),
                        "annual_fiscal": _money(funding.get("annual_fiscal"), rng),
                        "midterm_total": _money(funding.get("midterm_total"), rng),
                        "source": funding.get("source"),
                    },
                    "annual_goal": table.get("annual_goal"),
                    "midterm_goal": table.get("midterm_goal"),
                    "indicators": indicators,
                    "unparsed": [],
                }
            )
        yield {
            "source": f"synthetic_{index:05d}.txt",
            "department": department,
            "budget_year": year,
            "tables": tables,
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    default_gold = Path(__file__).resolve().parents[2] / "shared" / "gold"
    parser.add_argument("--gold", type=Path, default=default_gold, help="gold annotations [%(default)s]")
    parser.add_argument("--documents", type=int, default=800, help="documents to generate [%(default)s]")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--copied", type=float, default=0.0, help="share of documents copied verbatim [%(default)s]"
    )
    parser.add_argument("-o", "--output", type=Path, required=True, help="JSONL file to write")
    args = parser.parse_args(argv)
    templates = load_templates(args.gold)
    with args.output.open("w", encoding="utf-8") as out:
        for doc in generate_corpus(templates, args.documents, seed=args.seed, copied=args.copied):
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
    print(f"wrote {args.documents} documents to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
