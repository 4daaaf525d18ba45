"""Import Jira's CSV export of an issue search: keys, fields, repeated labels, comments, links."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from tracker_gui.domain import validation
from tracker_gui.domain.enums import IssueType, LinkKind, Priority
from tracker_gui.errors import ValidationError
from tracker_gui.interchange import apply
from tracker_gui.interchange.plan import (
    PlannedComment,
    PlannedIssue,
    PlannedLink,
    ProjectPlan,
    clean_issue,
    parents_first,
)
from tracker_gui.interchange.report import BadFile, Cancelled, ImportReport, Progress, Ticker
from tracker_gui.interchange.table import Header, Row, read_table
from tracker_gui.interchange.values import (
    parse_date,
    parse_datetime,
    parse_priority,
    parse_type,
    username_for,
)
from tracker_gui.services import Services, imports

T = TypeVar("T")
REQUIRED = ("Issue key", "Summary")
LINK_COLUMN = re.compile(r"^(inward|outward) issue link \((.+)\)$")
LINK_KINDS = {
    "blocks": LinkKind.BLOCKS,
    "relates": LinkKind.RELATES,
    "duplicate": LinkKind.DUPLICATES,
}


def import_jira(
    services: Services,
    path: str | os.PathLike[str],
    *,
    project: str | None = None,
    encoding: str = "utf-8",
    dry_run: bool = False,
    create_statuses: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportReport:
    """Keep Jira's keys when their project key is free here; otherwise number anew and say so."""
    report = ImportReport("jira", str(path), dry_run=dry_run)
    ticker = Ticker(progress, cancelled)
    try:
        header, rows = read_table(Path(path), encoding, REQUIRED, ticker)
        plan = _plan(services, header, rows, project, report, Path(path).name)
    except BadFile as exc:
        report.error(exc.where, exc.detail)
        return apply.refuse(report)
    return apply.run(services, plan, report, ticker, create_statuses=create_statuses)


class _Row:
    """One CSV record with error reporting that names the row and column."""

    def __init__(self, header: Header, row: Row, report: ImportReport) -> None:
        self.header, self.row, self.report = header, row, report
        self.where = f"row {row.number}"

    def text(self, column: str) -> str:
        return self.header.first(self.row, column)

    def all(self, column: str) -> list[str]:
        return self.header.every(self.row, column)

    def parsed(self, column: str, parse: Callable[[str], T], default: T) -> T:
        value = self.text(column)
        if not value:
            return default
        try:
            return parse(value)
        except ValueError as exc:
            self.report.error(f"{self.where}, column {column!r}", str(exc))
            return default


def _person(value: str, plan: ProjectPlan) -> str | None:
    if not value.strip():
        return None
    name = username_for(value)
    plan.add_user(name, value.strip() if value.strip() != name else "")
    return name


def _estimate(text: str) -> float:
    """Jira writes estimates in seconds; ours are hours."""
    try:
        return round(float(text) / 3600, 2)
    except ValueError:
        raise ValueError(f"{text!r} is not a number of seconds") from None


def _type(row: _Row) -> IssueType:
    value = row.text("Issue Type")
    if not value:
        return IssueType.TASK
    try:
        return parse_type(value)
    except ValueError:
        row.report.warn(f"{row.where}, column 'Issue Type'", f"{value!r} is imported as a task")
        return IssueType.TASK


def _comments(row: _Row, plan: ProjectPlan) -> list[PlannedComment]:
    out = []
    for n, cell in enumerate(row.all("Comment"), 1):
        if not cell.strip():
            continue
        parts = cell.split(";", 2)
        if len(parts) < 3:
            row.report.error(f"{row.where}, Comment {n}", "expected 'date;author;body'")
            continue
        try:
            when = parse_datetime(parts[0])
        except ValueError as exc:
            row.report.error(f"{row.where}, Comment {n}", str(exc))
            continue
        author = _person(parts[1], plan) or plan.fallback
        out.append(PlannedComment(author, parts[2], when))
    return out


def _links(row: _Row, key: str, header: Header) -> list[tuple[LinkKind, str, str]]:
    found = []
    for column in header.names:
        match = LINK_COLUMN.match(column.casefold())
        if not match:
            continue
        kind = LINK_KINDS.get(match.group(2).strip())
        for cell in row.all(column):
            other = cell.strip().upper()
            if kind is None:
                row.report.warn(f"{row.where}, column {column!r}", f"link to {other} skipped")
                continue
            pair = (key, other) if match.group(1) == "outward" else (other, key)
            found.append((kind, *pair))
    return found


def _issue(row: _Row, plan: ProjectPlan, key: str) -> PlannedIssue:
    parent = row.text("Parent") or row.text("Parent id") or row.text("Epic Link")
    return PlannedIssue(
        ref=key,
        where=row.where,
        title=row.text("Summary"),
        status=row.text("Status") or plan.default_status,
        type=_type(row),
        priority=row.parsed("Priority", parse_priority, Priority.MEDIUM),
        description=row.text("Description"),
        assignee=_person(row.text("Assignee"), plan),
        reporter=_person(row.text("Reporter"), plan) or _person(row.text("Creator"), plan),
        labels=tuple(w for cell in row.all("Labels") for w in cell.split()),
        due=row.parsed("Due Date", parse_date, None),
        estimate=row.parsed("Original Estimate", _estimate, None),
        created_at=row.parsed("Created", parse_datetime, None),
        updated_at=row.parsed("Updated", parse_datetime, None),
        resolved_at=row.parsed("Resolved", parse_datetime, None),
        parent=parent.strip() or None,
        source_key=key,
        comments=_comments(row, plan),
        watchers=tuple(w for w in (_person(c, plan) for c in row.all("Watchers")) if w),
    )


def _keys(header: Header, rows: list[Row], report: ImportReport) -> list[tuple[_Row, str]]:
    """Each row with its valid, unique key; bad and duplicate keys are errors."""
    seen: dict[str, int] = {}
    out = []
    for row in rows:
        item = _Row(header, row, report)
        key = item.text("Issue key").strip().upper()
        try:
            validation.split_key(key)
        except ValidationError as exc:
            report.error(f"{item.where}, column 'Issue key'", str(exc))
            continue
        if key in seen:
            report.error(
                f"{item.where}, column 'Issue key'",
                f"duplicate key {key} (also on row {seen[key]})",
            )
            continue
        seen[key] = row.number
        out.append((item, key))
    return out


def _target(services: Services, project: str | None, keys: list[str]) -> tuple[str, bool]:
    """The project key to import into, and whether Jira's numbers can be kept there."""
    prefixes = sorted({validation.split_key(k)[0] for k in keys})
    if project:
        key = validation.project_key(project)
    elif len(prefixes) == 1:
        key = prefixes[0]
    elif not prefixes:
        raise BadFile("the file", "no issues to import")
    else:
        raise BadFile(
            "column 'Issue key'",
            f"issues of several projects ({', '.join(prefixes)}): pass one project key to "
            "import them all into it",
        )
    free = not imports.project_exists(services, key)
    return key, free and len(prefixes) == 1


def _plan(
    services: Services,
    header: Header,
    rows: list[Row],
    project: str | None,
    report: ImportReport,
    file: str,
) -> ProjectPlan:
    items = _keys(header, rows, report)
    key, keep = _target(services, project, [k for _, k in items])
    target = apply.lookup(services, key)
    name = next((r.text("Project name") for r, _ in items if r.text("Project name")), key)
    plan = ProjectPlan(key, name[:200], f"jira export {file}", list, keep_numbers=keep)
    plan.fallback, plan.default_status = services.actor, target.initial_status
    by_id = {r.text("Issue id"): k for r, k in items if r.text("Issue id")}
    known = {k for _, k in items}
    issues, links = [], []
    for row, old in items:
        issue = _issue(row, plan, old)
        number = validation.split_key(old)[1]
        issue.number = number if keep else None
        if issue.parent:
            parent = by_id.get(issue.parent, issue.parent.upper())
            if parent not in known:
                report.warn(f"{row.where}, column 'Parent'", f"{issue.parent} is not in the file")
            issue.parent = parent if parent in known and parent != old else None
        if not keep or key != validation.split_key(old)[0]:
            note = f"Imported from {old}"
            issue.description = f"{issue.description.rstrip()}\n\n{note}".lstrip()
        clean_issue(report, issue)
        issues.append(issue)
        links += _links(row, old, header)
    issues.sort(key=lambda i: validation.split_key(i.ref)[1])
    ordered = parents_first(issues, report)
    for issue in ordered:
        plan.count_issue(issue)
    plan.links = _unique_links(links, known, report)
    plan.issues = lambda: ordered
    return plan


def _unique_links(
    links: list[tuple[LinkKind, str, str]], known: set[str], report: ImportReport
) -> list[PlannedLink]:
    """Jira lists a link on both ends; keep one, and skip links leaving the file."""
    out: dict[tuple[LinkKind, str, str], PlannedLink] = {}
    for kind, source, target in links:
        if source == target:
            continue
        missing = [k for k in (source, target) if k not in known]
        if missing:
            report.warn(f"link {source} {kind.value} {target}", f"{missing[0]} is not in the file")
            continue
        a, b = sorted((source, target)) if kind == LinkKind.RELATES else (source, target)
        out.setdefault((kind, a, b), PlannedLink(kind, source, target))
    return list(out.values())
