"""The report's first screen: what a reviewer should look at first, ranked.

Three lists, each cut to its top ``top`` entries (the details pages hold the rest):

* **worst projects**: the tables with the largest share of rows an H or M finding is about,
  the bigger funding first among tables equally bad (shares compared in steps of 10 %, so a
  table at 83 % with 2,000 万元 comes before one at 85 % with none);
* **departments that copy**: the departments with the largest share of their tables in a copy
  group (identical or near-identical indicator sets from the reuse analysis, or the same
  indicators with other targets: :func:`skeleton_groups`), with the money those tables state;
* **targets that cannot be checked**: per reason (the rule, or the vagueness flag) and per
  department, with examples as written (see :mod:`kg.report.scorecard` for what counts).

Beside them, the tiles' figures of the outcome sections (:mod:`kg.report.outcomes`): the share of
checkable targets met and the tables set to be met, the tables carried over from an earlier year.

Everything here is computed from the report model's own rows in one pass each: no pairs.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from kg.report.outcomes import Achievement, CarriedOver
from kg.report.rows import FindingRow, IdenticalGroup, IndicatorRow
from kg.report.scorecard import SERIOUS, VAGUE_REASON, Scorecard, uncheckable_reason
from kg.rules import RULES

__all__ = [
    "CheckReason",
    "CopyRank",
    "DepartmentCheck",
    "Headline",
    "ProjectRank",
    "SkeletonInput",
    "generate_headline",
    "reason_names",
    "skeleton_groups",
]

_SHARE_STEP = 10  # worst projects: shares compared in tenths, then money decides
_EXAMPLES = 3


@dataclass(frozen=True)
class ProjectRank:
    key: str  # the project scorecard's key
    label: str
    department: str
    source: str | None
    line: int | None
    rows: int
    defect_rows: int  # rows an H or M finding is about
    findings: Mapping[str, int]  # H and M findings per rule, commonest first
    table_rules: tuple[str, ...]  # rules with an H or M finding about the whole table
    funding: float | None  # 万元 as stated

    @property
    def share(self) -> float:
        return self.defect_rows / self.rows if self.rows else 0.0


@dataclass(frozen=True)
class CopyRank:
    department: str
    tables: int
    copied: int  # tables in any copy group
    identical: int  # … in a group of identical sets
    near: int  # … in a group of near-identical sets (and no identical one)
    skeleton: int  # … only in a group with the same indicators and other targets
    other_departments: int  # departments sharing a group with this one
    funding: float | None  # 万元 stated by the copied tables
    examples: tuple[str, ...]  # names of copied tables

    @property
    def share(self) -> float:
        return self.copied / self.tables if self.tables else 0.0


@dataclass(frozen=True)
class CheckReason:
    reason: str  # a rule id, or VAGUE_REASON
    name_zh: str
    name: str
    targets: int
    departments: int
    examples: tuple[str, ...]  # targets as written, commonest first


@dataclass(frozen=True)
class DepartmentCheck:
    department: str
    targets: int
    uncheckable: int
    reasons: Mapping[str, int]  # reason -> targets, commonest first
    examples: tuple[str, ...]

    @property
    def share(self) -> float:
        return self.uncheckable / self.targets if self.targets else 0.0


@dataclass(frozen=True)
class Headline:
    projects: list[ProjectRank]
    projects_with_defects: int  # of all project tables, those with any H/M finding
    projects_funding: float | None  # 万元 stated by the tables with H/M defects on half their rows or more
    projects_half: int  # … how many tables that is
    copying: list[CopyRank]
    copied_tables: int
    copied_funding: float | None
    reasons: list[CheckReason]
    checks: list[DepartmentCheck]
    uncheckable: int
    targets: int
    defect_rows: int
    # the outcome tiles: zero where there are no self-evaluation tables / no two years to compare
    evaluated_tables: int = 0  # self-evaluation tables
    targets_checked: int = 0  # their rows met or missed
    targets_met: int = 0
    set_to_be_met: int = 0  # tables whose every checked row was met at exactly its target
    compared_tables: int = 0  # tables beside the same project's of an earlier year
    carried_over: int = 0  # … copied forward: every target the earlier year's


def reason_names(reason: str) -> tuple[str, str]:
    """A reason's Chinese and English name."""
    if reason == VAGUE_REASON:
        return "模糊目标（无法量化或分级）", "vague target (no number, date or grade)"
    rule = RULES.get(reason)
    return (f"{reason} {rule.name_zh}", f"{reason} {rule.name}") if rule else (reason, reason)


# --- copy groups ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SkeletonInput:
    """One indicator row as the skeleton grouping sees it."""

    project_key: str
    template: str  # the template (reused wording) the row is an instance of
    value: str  # its target, normalised


def skeleton_groups(rows: Iterable[SkeletonInput], *, min_rows: int = 3) -> list[tuple[str, ...]]:
    """Tables with the same indicators (the same set of templates, at least ``min_rows``) whose
    targets are not all the same: a form filled in again with other numbers.  Tables whose
    targets are identical too are the reuse analysis's identical sets, not skeletons.

    Grouped by hashing each table's set once: linear in the rows.
    """
    templates: dict[str, set[str]] = defaultdict(set)
    values: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for r in rows:
        templates[r.project_key].add(r.template)
        values[r.project_key].add((r.template, r.value))
    by_set: dict[frozenset[str], list[str]] = defaultdict(list)
    for key, tpls in templates.items():
        if len(tpls) >= min_rows:
            by_set[frozenset(tpls)].append(key)
    groups = []
    for keys in by_set.values():
        if len(keys) > 1 and len({frozenset(values[k]) for k in keys}) > 1:
            groups.append(tuple(sorted(keys)))
    groups.sort(key=lambda g: (-len(g), g))
    return groups


# --- the three lists -----------------------------------------------------------------------------


def _worst_projects(
    projects: Sequence[Scorecard], serious: Mapping[str, list[tuple[str, int | None]]]
) -> list[ProjectRank]:
    ranked = []
    for p in projects:
        found = serious.get(p.key, [])
        if not found:
            continue
        per_rule = Counter(rule for rule, _ in found)
        ranked.append(
            ProjectRank(
                key=p.key,
                label=p.label,
                department=p.department,
                source=p.source,
                line=p.line,
                rows=p.indicators,
                defect_rows=p.defect_rows,
                findings=dict(per_rule.most_common()),
                table_rules=tuple(sorted({rule for rule, index in found if index is None})),
                funding=p.stated_any,
            )
        )
    ranked.sort(
        key=lambda r: (
            -int(r.share * _SHARE_STEP + 1e-9),
            -(r.funding or 0.0),
            -r.share,
            -len(r.table_rules),
            r.key,
        )
    )
    return ranked


def _copying(
    departments: Sequence[Scorecard],
    projects: Mapping[str, Scorecard],
    groups: Sequence[tuple[str, Sequence[str]]],
) -> list[CopyRank]:
    kinds: dict[str, set[str]] = defaultdict(set)  # project key -> group kinds it is in
    partners: dict[str, set[str]] = defaultdict(set)  # department -> other departments in its groups
    for kind, keys in groups:
        depts = {projects[k].department for k in keys if k in projects}
        for k in keys:
            kinds[k].add(kind)
        for d in depts:
            partners[d] |= depts - {d}
    by_dept: dict[str, list[str]] = defaultdict(list)
    for key in kinds:
        if key in projects:
            by_dept[projects[key].department].append(key)
    ranked = []
    for dept in departments:
        keys = sorted(by_dept.get(dept.key, []))
        if not keys:
            continue
        identical = [k for k in keys if "identical" in kinds[k]]
        near = [k for k in keys if "near-identical" in kinds[k] and "identical" not in kinds[k]]
        money = [projects[k].stated_any for k in keys]
        ranked.append(
            CopyRank(
                department=dept.key,
                tables=dept.tables,
                copied=len(keys),
                identical=len(identical),
                near=len(near),
                skeleton=len(keys) - len(identical) - len(near),
                other_departments=len(partners[dept.key]),
                funding=sum(m for m in money if m) or None,
                examples=tuple(dict.fromkeys(projects[k].label for k in keys))[:_EXAMPLES],
            )
        )
    ranked.sort(key=lambda r: (-r.share, -r.copied, -(r.funding or 0.0), r.department))
    return ranked


def _checks(
    targets: Iterable[IndicatorRow], reasons_of: Mapping[tuple[str, str, int], set[str]]
) -> tuple[list[CheckReason], list[DepartmentCheck], int, int]:
    per_dept: dict[str, Counter[str]] = defaultdict(Counter)
    rows_per_dept: Counter[str] = Counter()
    bad_per_dept: Counter[str] = Counter()
    examples: dict[str, Counter[str]] = defaultdict(Counter)
    dept_examples: dict[str, Counter[str]] = defaultdict(Counter)
    depts_of: dict[str, set[str]] = defaultdict(set)
    total = bad = 0
    for t in targets:
        total += 1
        rows_per_dept[t.department] += 1
        reasons = set(reasons_of.get(t.row_key, ())) or ({VAGUE_REASON} if t.vague else set())
        if not reasons:
            continue
        bad += 1
        bad_per_dept[t.department] += 1
        for reason in reasons:
            per_dept[t.department][reason] += 1
            depts_of[reason].add(t.department)
            examples[reason][t.value or "（空）"] += 1
        dept_examples[t.department][t.value or "（空）"] += 1
    reasons_list = []
    for reason, depts in depts_of.items():
        zh, en = reason_names(reason)
        count = sum(per_dept[d][reason] for d in depts)
        top = tuple(v for v, _ in examples[reason].most_common(_EXAMPLES))
        reasons_list.append(CheckReason(reason, zh, en, count, len(depts), top))
    reasons_list.sort(key=lambda r: (-r.targets, r.reason))
    checks = [
        DepartmentCheck(
            department=d,
            targets=rows_per_dept[d],
            uncheckable=n,
            reasons=dict(per_dept[d].most_common()),
            examples=tuple(v for v, _ in dept_examples[d].most_common(_EXAMPLES)),
        )
        for d, n in bad_per_dept.items()
    ]
    checks.sort(key=lambda c: (-c.share, -c.uncheckable, c.department))
    return reasons_list, checks, bad, total


def generate_headline(
    projects: Sequence[Scorecard],
    departments: Sequence[Scorecard],
    findings: Iterable[FindingRow],
    targets: Iterable[IndicatorRow],
    groups: Sequence[IdenticalGroup],
    achievement: Achievement | None = None,
    carried: CarriedOver | None = None,
    *,
    top: int = 10,
) -> Headline:
    """The first screen from the model's scorecards, findings, indicator rows and copy groups, and
    the outcome sections' totals (already summed: the tiles cost nothing more)."""
    serious: dict[str, list[tuple[str, int | None]]] = defaultdict(list)
    reasons_of: dict[tuple[str, str, int], set[str]] = defaultdict(set)
    for f in findings:
        if f.project_key is None:
            continue
        if f.severity in SERIOUS:
            serious[f.project_key].append((f.rule, f.indicator_index))
        if reason := uncheckable_reason(f.rule, f.severity):
            for row in f.row_keys:
                reasons_of[row].add(reason)
    worst = _worst_projects(projects, serious)
    half = [p for p in worst if p.share >= 0.5]
    by_key = {p.key: p for p in projects}
    keyed = [(g.kind, [m.project_key for m in g.members]) for g in groups]
    copying = _copying(departments, by_key, keyed)
    copied_keys = {k for _, keys in keyed for k in keys if k in by_key}
    money = [by_key[k].stated_any for k in copied_keys]
    reasons, checks, bad, total = _checks(targets, reasons_of)
    return Headline(
        projects=worst[:top],
        projects_with_defects=len(worst),
        projects_funding=sum(p.funding or 0.0 for p in half) or None,
        projects_half=len(half),
        copying=copying[:top],
        copied_tables=len(copied_keys),
        copied_funding=sum(m for m in money if m) or None,
        reasons=reasons,
        checks=checks[:top],
        uncheckable=bad,
        targets=total,
        defect_rows=sum(p.defect_rows for p in projects),
        evaluated_tables=len(achievement.tables) if achievement else 0,
        targets_checked=achievement.checked if achievement else 0,
        targets_met=achievement.met if achievement else 0,
        set_to_be_met=achievement.set_to_be_met if achievement else 0,
        compared_tables=len(carried.tables) if carried else 0,
        carried_over=carried.carried_over if carried else 0,
    )
