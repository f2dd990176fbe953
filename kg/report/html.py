"""The report as HTML pages: an overview that opens on the first screen, and one page per department.

``report.html`` holds the first screen (:mod:`kg.report.headline`), the departments (the 100 worst;
all of them by name on ``report_files/departments.html`` … when there are more), rules, charts,
the most reused templates and the biggest copy groups; ``report_files/dNNNN.html`` holds one
department: its projects worst first, its documents, its copy groups and every finding, per
project, with the text as written, what is wrong in Chinese and English and the suggested rewrite.
A department with more than ``page_rows`` findings continues on ``dNNNN-2.html`` … (whole projects
per page), so no page grows with the corpus.

Every page is self-contained and works offline: CSS, charts (inline SVG) and a few lines of JS
inline, allowed by a Content-Security-Policy that names the script's hash and nothing else.
Information-level notes are hidden until a checkbox (plain CSS, no script) shows them.  Every text
from the documents goes through Jinja's autoescape.
"""

from __future__ import annotations

import base64
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import PurePosixPath

import jinja2

from kg.report.charts import AUTO, generate_charts
from kg.report.headline import reason_names
from kg.report.model import AchievementRow, CarryRow, FindingRow, IdenticalGroup, ReportModel, Scorecard
from kg.report.outcomes import NOTES, SHOWN
from kg.report.scorecard import DEFECTS, UNCHECKABLE_FAMILIES
from kg.rules import RULES

__all__ = ["PAGE_ROWS", "render_html_pages"]

PAGE_ROWS = 1500  # findings per department page, at most (a bigger project gets a page of its own)
_INDEX_GROUPS = 50  # copy groups listed on the overview; department pages list all of theirs
_INDEX_DEPARTMENTS = 100  # departments on the overview, worst first; all of them on departments.html …
_LIST_ROWS = 500  # … so many a page
_INDEX_BOILERPLATE = 200


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "—"


def _wan(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


_PERIOD_NAMES = {"midterm": "中期", "annual": "年度"}


def _rule_zh(rule_id: str) -> str:
    rule = RULES.get(rule_id)
    return rule.name_zh if rule else ""


@cache
def _environment() -> jinja2.Environment:
    def load(name: str) -> str:
        return resources.files("kg.report").joinpath(name).read_text(encoding="utf-8")

    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(load),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    script = load("report.js").strip()
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    env.filters["period"] = lambda p: _PERIOD_NAMES.get(p, p)
    env.globals.update(
        css=load("report.css"),
        script=script,
        script_hash=f"sha256-{digest}",
        pct=_pct,
        wan=_wan,
        defects=DEFECTS,
        rule_zh=_rule_zh,
        reason_zh=lambda r: reason_names(r)[0],
        notes=NOTES,
    )
    return env


@dataclass
class _Department:
    card: Scorecard
    stem: str  # file name without .html
    projects: list[Scorecard] = field(default_factory=list)
    pages: list[list[Scorecard]] = field(default_factory=list)

    def file(self, page: int) -> str:
        return f"{self.stem}.html" if page == 1 else f"{self.stem}-{page}.html"


def _paginate(
    projects: Sequence[Scorecard], counts: Mapping[str, int], page_rows: int
) -> list[list[Scorecard]]:
    pages: list[list[Scorecard]] = [[]]
    rows = 0
    for p in projects:
        n = counts.get(p.key, 0)
        if pages[-1] and rows + n > page_rows:
            pages.append([])
            rows = 0
        pages[-1].append(p)
        rows += n
    return pages


def _worst_first(cards: Sequence[Scorecard]) -> list[Scorecard]:
    return sorted(cards, key=lambda c: (-(c.defect_share or 0.0), -(c.stated or 0.0), c.key))


def render_html_pages(
    model: ReportModel, *, name: str = "report.html", font: str | None = AUTO, page_rows: int = PAGE_ROWS
) -> dict[str, str]:
    """Every page, by its path relative to the output folder: ``name`` and the department pages
    under ``<name's stem>_files/``; ``font`` as for :func:`kg.report.charts.generate_charts`."""
    folder = f"{PurePosixPath(name).stem}_files"
    by_project: dict[str, list[FindingRow]] = defaultdict(list)
    for f in model.findings:
        by_project[f.project_key or f"{f.source}#"].append(f)
    departments = {d.key: _Department(d, f"d{i:04d}") for i, d in enumerate(model.departments, 1)}
    for p in model.projects:
        departments[p.department].projects.append(p)
    anchors = {p.key: f"p{i}" for i, p in enumerate(model.projects, 1)}
    page_of: dict[str, str] = {}
    counts = {k: len(v) for k, v in by_project.items()}
    for dept in departments.values():
        dept.pages = _paginate(dept.projects, counts, page_rows)
        for number, projects in enumerate(dept.pages, 1):
            for p in projects:
                page_of[p.key] = dept.file(number)

    def href_from(prefix: str) -> Callable[[str], str | None]:
        return lambda key: f"{prefix}{page_of[key]}#{anchors[key]}" if key in page_of else None

    env = _environment()
    files = {
        name: _render_index(model, env, folder, departments, href_from(f"{folder}/"), font),
        **_render_department_list(model, env, name, folder, departments),
    }
    groups_of: dict[str, list[IdenticalGroup]] = defaultdict(list)
    for g in model.identical:
        for member_dept in dict.fromkeys(m.department for m in g.members):
            groups_of[member_dept].append(g)
    documents: dict[str, list[Scorecard]] = defaultdict(list)
    for d in model.documents:
        documents[d.department].append(d)
    evaluated: dict[str, list[AchievementRow]] = defaultdict(list)
    for t in model.achievement.tables:
        evaluated[t.department].append(t)
    carried: dict[str, list[CarryRow]] = defaultdict(list)
    for c in model.carried.tables:
        carried[c.department].append(c)
    template = env.get_template("department.html.j2")
    href = href_from("")
    for dept in departments.values():
        pages = [dept.file(n) for n in range(1, len(dept.pages) + 1)]
        copied = {m.project_key for g in groups_of[dept.card.key] for m in g.members}
        for number, projects in enumerate(dept.pages, 1):
            sections = [(p, by_project.get(p.key, [])) for p in _worst_first(projects)]
            if number == 1:  # findings about no table of the department (none today), kept visible
                loose = [f for d in documents[dept.card.key] for f in by_project.get(f"{d.key}#", [])]
                if loose:
                    sections.append((replace(dept.card, label="文件级 document-level", key=""), loose))
            files[f"{folder}/{dept.file(number)}"] = template.render(
                m=model,
                d=dept.card,
                home=f"../{name}",
                page=number,
                pages=pages,
                projects=_worst_first(dept.projects),
                documents=documents[dept.card.key],
                evaluated=evaluated[dept.card.key],
                carried=carried[dept.card.key],
                groups=groups_of[dept.card.key],
                copied=sum(1 for p in dept.projects if p.key in copied),
                sections=sections,
                info_count=sum(1 for _, rows in sections for f in rows if f.is_info),
                anchor=lambda key: anchors.get(key, "other"),
                href=href,
                card_href=lambda c: href(c.key),
                none_href=lambda c: None,
            )
    return files


def _list_file(page: int) -> str:
    return "departments.html" if page == 1 else f"departments-{page}.html"


def _render_department_list(
    model: ReportModel,
    env: jinja2.Environment,
    name: str,
    folder: str,
    departments: Mapping[str, _Department],
) -> dict[str, str]:
    """Every department by name, ``_LIST_ROWS`` a page, when the overview cannot list them all."""
    if len(model.departments) <= _INDEX_DEPARTMENTS:
        return {}
    chunks = [model.departments[i : i + _LIST_ROWS] for i in range(0, len(model.departments), _LIST_ROWS)]
    pages = [_list_file(n) for n in range(1, len(chunks) + 1)]
    template = env.get_template("departments.html.j2")
    return {
        f"{folder}/{pages[n - 1]}": template.render(
            m=model,
            home=f"../{name}",
            page=n,
            pages=pages,
            cards=cards,
            first=cards[0].label,
            last=cards[-1].label,
            card_href=lambda c: departments[c.key].file(1) if c.key in departments else None,
            info_count=0,
        )
        for n, cards in enumerate(chunks, 1)
    }


def _total(amounts: Iterable[float | None]) -> float | None:
    known = [a for a in amounts if a is not None]
    return sum(known) if known else None


def _render_index(
    model: ReportModel,
    env: jinja2.Environment,
    folder: str,
    departments: Mapping[str, _Department],
    href: Callable[[str], str | None],
    font: str | None,
) -> str:
    projects = model.projects
    statuses: dict[str, int] = defaultdict(int)
    for p in projects:
        for s, n in p.reconciliation.items():
            statuses[s] += n
    funding = {
        "stated": sum(d.stated or 0.0 for d in model.departments)
        if any(d.stated for d in model.departments)
        else None,
        "department": sum(d.stated_department or 0.0 for d in model.departments)
        if any(d.stated_department for d in model.departments)
        else None,
        "reconciled": statuses.get("ok", 0),
        "statuses": dict(statuses),
    }

    def dept_href(name: str) -> str | None:
        return f"{folder}/{departments[name].file(1)}" if name in departments else None

    return env.get_template("index.html.j2").render(
        m=model,
        charts=generate_charts(model, font=font),
        severity_total={s: sum(r.by_severity[s] for r in model.rules) for s in DEFECTS},
        funding=funding,
        href=href,
        dept_href=dept_href,
        card_href=lambda c: dept_href(c.key),
        departments=_worst_first(model.departments)[:_INDEX_DEPARTMENTS],
        all_departments=f"{folder}/{_list_file(1)}",
        groups=model.identical[:_INDEX_GROUPS],
        shown=SHOWN,
        boilerplate=model.boilerplate[:_INDEX_BOILERPLATE],
        uncheckable_rules=sorted(
            r.id for r in RULES.values() if r.family in UNCHECKABLE_FAMILIES and r.severity == "H"
        ),
        info_count=0,
    )
