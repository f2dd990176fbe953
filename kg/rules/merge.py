"""One finding per defect: rules that fire on the same row for the same defect are folded under
the sharpest of them, and a finding repeated on the 中期 and 年度 rows of one indicator is one.

A reviewer counts defects, not rule hits: "医保基金监管能力 → 显著提高" is one unmeasurable row,
though Q01 (vague value) and Q20 (abstract name) both see it.  :data:`FOLDS` says which rule
gives way to which, and why; :func:`generate_primary_findings` applies it, then collapses the
periods.  Folded rules stay visible as the primary finding's ``secondary``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from kg.reuse.labels import normalise_label
from kg.rules.base import ALL_SEVERITIES, Finding

__all__ = ["FOLDS", "Fold", "collapse_periods", "fold_rows", "generate_primary_findings"]

# the value rules: each says the row cannot be scored as written, and how to rewrite it
_VALUE_RULES = ("Q01", "Q02", "Q03", "Q04", "Q05", "Q06")


@dataclass(frozen=True)
class Fold:
    """A finding of ``rule`` on a row gives way to a finding of any of ``under`` on that row.

    ``term``, when set, restricts the fold to findings of ``rule`` matching that term (a table-level
    rule may report several defects of one table).
    """

    rule: str
    under: tuple[str, ...]
    why: str
    term: str | None = None


FOLDS: tuple[Fold, ...] = (
    Fold("Q20", _VALUE_RULES, "an unmeasurable name with an unmeasurable value is one unmeasurable row"),
    Fold(
        "Q15",
        (*_VALUE_RULES, "Q16", "Q17"),
        "a value of the wrong kind for its 二级 is the symptom of a vague, misfiled or tautological row",
    ),
    Fold("Q24", ("Q03",), "a pasted lifetime row is reported where its value is judged"),
    Fold("Q10", ("Q06", "Q09"), "a satisfaction value with no number, or above 100 %, is said once"),
    Fold("Q18", ("Q27",), "no cost row and no cost amount beside stated funding is one gap", term="成本"),
)
_UNDER: dict[str, list[Fold]] = defaultdict(list)
for _fold in FOLDS:
    _UNDER[_fold.rule].append(_fold)
_RANK = {s: i for i, s in enumerate(ALL_SEVERITIES)}


def _host(finding: Finding, primaries: Sequence[Finding]) -> Finding | None:
    for fold in _UNDER.get(finding.rule, ()):
        if fold.term is not None and fold.term not in finding.terms:
            continue
        for primary in primaries:
            if primary.rule in fold.under:
                return primary
    return None


def _subject_key(f: Finding) -> tuple[str, int | None, int | None]:
    return f.source, f.table_index, f.indicator_index


def fold_rows(findings: Iterable[Finding]) -> list[Finding]:
    """Fold the findings of one subject (row, or table) per :data:`FOLDS`; order kept.

    The primary keeps its rule, message and suggestion; it takes the gravest severity of what it
    absorbs, and lists the folded rules in ``secondary``.
    """
    listed = list(findings)
    by_subject: dict[tuple[str, int | None, int | None], list[Finding]] = defaultdict(list)
    for f in listed:
        by_subject[_subject_key(f)].append(f)
    kept: dict[int, Finding] = {}  # id of a primary as found -> the primary with what it absorbed
    for group in by_subject.values():
        folded: dict[int, list[Finding]] = defaultdict(list)
        primaries = [f for f in group if not _UNDER.get(f.rule)]
        secondaries = [f for f in group if _UNDER.get(f.rule)]
        for f in secondaries:
            host = _host(f, primaries)
            if host is None:
                primaries.append(f)
            else:
                folded[id(host)].append(f)
        for p in primaries:
            under = folded.get(id(p), [])
            kept[id(p)] = p
            if under:
                worst = min((p, *under), key=lambda x: _RANK[x.severity]).severity
                secondary = (*p.secondary, *dict.fromkeys(u.rule for u in under))
                kept[id(p)] = replace(p, severity=worst, secondary=secondary)
    return [kept[id(f)] for f in listed if id(f) in kept]


def collapse_periods(findings: Iterable[Finding]) -> list[Finding]:
    """One finding for a rule repeating on the 中期 and 年度 rows of the same indicator.

    The annual row's finding stands for both (the year's target is the one evaluated); it lists
    the periods it covers and the union of their folded rules.
    """
    groups: dict[tuple[object, ...], list[Finding]] = defaultdict(list)
    out: list[Finding | tuple[object, ...]] = []
    for f in findings:
        if f.period is None or f.indicator is None:
            out.append(f)
            continue
        key = (f.source, f.table_index, f.rule, normalise_label(f.indicator))
        if key not in groups:
            out.append(key)
        groups[key].append(f)
    result: list[Finding] = []
    for item in out:
        if isinstance(item, Finding):
            result.append(item)
            continue
        members = groups[item]
        periods = tuple(dict.fromkeys(p for m in members for p in (m.period,) if p))
        first = next((m for m in members if m.period == "annual"), members[0])
        keep = first
        if len(periods) > 1:
            keep = replace(
                first,
                periods=periods,
                severity=min((m.severity for m in members), key=_RANK.__getitem__),
                secondary=tuple(dict.fromkeys(r for m in members for r in m.secondary)),
            )
        result.append(keep)
        # several findings of one rule on one period's row stay apart (two different defects)
        result.extend(m for m in members if m is not first and m.period == first.period)
    return result


def generate_primary_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Fold same-defect findings per row, then collapse 中期/年度 repeats; order kept."""
    return collapse_periods(fold_rows(findings))
