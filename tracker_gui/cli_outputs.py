"""What the command line prints for init, demo, projects, statuses and check."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING

from tracker_gui.cli_format import Output, line, table
from tracker_gui.domain.models import IssueFilter, Project

if TYPE_CHECKING:
    from tracker_gui.services import Services
    from tracker_gui.services.demo import DemoReport


def init_output(services: Services, project: Project, created: bool, fresh: bool) -> Output:
    where = services.database.label
    lines = [f"created the database {where}" if fresh else f"using the database {where}"]
    if created:
        statuses = ", ".join(line(s.name) for s in services.projects.statuses(project.id))
        lines.append(
            f"created project {project.key} ({line(project.name)}) with statuses: {statuses}"
        )
    else:
        count = services.issues.count(IssueFilter(project_ids=(project.id,)))
        lines.append(
            f"project {project.key} ({line(project.name)}) already exists ({count} issues)"
        )
    data = {"database": where, "created_database": fresh, "project": project.key,
            "created_project": created}  # fmt: skip
    return Output("\n".join(lines), data)


def demo_output(report: DemoReport) -> Output:
    key = report.project_key
    span = f"{key}-{report.first_number}..{key}-{report.last_number}" if report.issues else "none"
    text = (
        f"added {report.issues:,} issues to {key} ({span}): {report.comments:,} comments, "
        f"{report.links:,} links, {report.children:,} with a parent, {report.watchers:,} "
        f"watchers, {report.changes:,} history rows in {report.seconds:.1f} s"
    )
    return Output(text, {**asdict(report), "last_number": report.last_number})


def projects_output(services: Services, projects: Sequence[Project]) -> Output:
    counts = {p.id: services.issues.count(IssueFilter(project_ids=(p.id,))) for p in projects}
    data = [
        {"key": p.key, "name": p.name, "description": p.description, "archived": p.archived,
         "issues": counts[p.id]}
        for p in projects
    ]  # fmt: skip
    # An archived project (listed with --all) says so after its name.
    rows = [
        (p.key, str(counts[p.id]), line(p.name) + ("  (archived)" if p.archived else ""))
        for p in projects
    ]
    text = table(("KEY", "ISSUES", "NAME"), rows)
    return Output(text if projects else "no projects yet (run `tracker-gui init`)", data)


def statuses_output(services: Services, project: Project) -> Output:
    counts = services.issues.count_by_status(IssueFilter(project_ids=(project.id,)))
    statuses = services.projects.statuses(project.id)
    data = [
        {"name": s.name, "category": s.category.value, "position": s.position,
         "wip_limit": s.wip_limit, "colour": s.colour, "issues": counts.get(s.id, 0)}
        for s in statuses
    ]  # fmt: skip
    rows = [
        (line(s.name), s.category.value, str(s.wip_limit or "-"), str(counts.get(s.id, 0)))
        for s in statuses
    ]
    return Output(table(("STATUS", "CATEGORY", "WIP", "ISSUES"), rows), data)


def check_output(label: str, problems: list[str]) -> Output:
    data = {"database": label, "ok": not problems, "problems": problems}
    if not problems:
        return Output("ok", data)
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    return Output("\n".join(problems), data, f"{label}: {count} found")
