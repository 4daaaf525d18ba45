"""Export a whole database to the versioned tracker-gui JSON format (docs/json-format.md)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from tracker_gui.domain.models import Change, Issue, IssueFilter
from tracker_gui.interchange.json_refs import RefsOut
from tracker_gui.interchange.report import Cancelled, Progress, Ticker
from tracker_gui.services import Services

FORMAT = "tracker-gui"
VERSION = 1
_PAGE = 1000


def when(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _all_issues(services: Services) -> list[Issue]:
    repo, flt = services.issues.repo, IssueFilter(include_archived=True)
    found: list[Issue] = []
    while True:
        page = repo.search(flt, sort="key", offset=len(found), limit=_PAGE, with_description=True)
        found += page
        if len(page) < _PAGE:
            return found


def _issue(services: Services, issue: Issue, refs: RefsOut, status: str) -> dict[str, Any]:
    repo = services.issues.repo
    attachments = [
        {
            "name": a.name,
            "size": a.size,
            "sha256": a.sha256,
            "uploader": a.uploader,
            "created_at": when(a.created_at),
            "data": base64.b64encode(repo.attachment_data(a.id)).decode("ascii"),
        }
        for a in repo.attachments(issue.id)
    ]
    return {
        "uid": issue.uid,
        "number": issue.number,
        "type": issue.type.value,
        "title": issue.title,
        "description": issue.description,
        "status": status,
        "priority": issue.priority.label,
        "assignee": issue.assignee,
        "reporter": issue.reporter,
        "parent": refs.issue(issue.parent_id),
        "rank": issue.rank,
        "due": when(issue.due),
        "estimate": issue.estimate,
        "created_at": when(issue.created_at),
        "updated_at": when(issue.updated_at),
        "resolved_at": when(issue.resolved_at),
        "version": issue.version,
        "archived": issue.archived,
        "labels": sorted(issue.labels),
        "watchers": sorted(repo.watchers(issue.id)),
        "comments": [
            {
                "author": c.author,
                "body": c.body,
                "created_at": when(c.created_at),
                "edited_at": when(c.edited_at),
            }
            for c in repo.comments(issue.id)
        ],
        "links": [
            {"kind": link.kind.value, "target": refs.issue(link.target_id)}
            for link in repo.links(issue.id)
            if link.outward
        ],
        "attachments": attachments,
    }


def build(
    services: Services, progress: Progress | None = None, cancelled: Cancelled | None = None
) -> dict[str, Any]:
    """The whole database as one JSON-ready document; nothing in it is a database id."""
    catalog = services.projects.catalog
    ticker = Ticker(progress, cancelled)
    projects = sorted(catalog.projects(include_archived=True), key=lambda p: p.key)
    statuses = {p.id: catalog.statuses(p.id) for p in projects}
    issues = _all_issues(services)
    history: list[Change] = []
    while page := catalog.changes_since(history[-1].id if history else 0, 5000):
        history += page
    refs = RefsOut(
        {s.id: (s.project_id, s.name) for group in statuses.values() for s in group},
        {i.id: i.uid for i in issues},
    )
    by_project: dict[int, list[Issue]] = defaultdict(list)
    for issue in issues:
        by_project[issue.project_id].append(issue)
    users = sorted(catalog.users(), key=lambda u: u.username)
    done, out_projects = 0, []
    for project in projects:
        names = {s.id: s.name for s in statuses[project.id]}
        own = sorted(by_project[project.id], key=lambda i: i.number)
        out_issues = []
        for issue in own:
            out_issues.append(_issue(services, issue, refs, names[issue.status_id]))
            done += 1
            ticker(done, len(issues))
        out_projects.append(
            {
                "key": project.key,
                "name": project.name,
                "description": project.description,
                "archived": project.archived,
                "next_number": project.next_number,
                "statuses": [
                    {
                        "name": s.name,
                        "category": s.category.value,
                        "position": s.position,
                        "wip_limit": s.wip_limit,
                        "colour": s.colour,
                    }
                    for s in statuses[project.id]
                ],
                "transitions": sorted(
                    [names[t.from_status_id], names[t.to_status_id]]
                    for t in catalog.transitions(project.id)
                ),
                "labels": [
                    {"name": lab.name, "colour": lab.colour}
                    for lab in sorted(catalog.labels(project.id), key=lambda lab: lab.name)
                ],
                "issues": out_issues,
            }
        )
    keys = {p.id: p.key for p in projects}
    return {
        "format": FORMAT,
        "version": VERSION,
        "users": [
            {"username": u.username, "display_name": u.display_name, "email": u.email}
            for u in users
        ],
        "projects": out_projects,
        "saved_filters": sorted(
            (
                {"owner": f.owner, "name": f.name, "query": f.query}
                for u in users
                for f in catalog.saved_filters(u.id)
            ),
            key=lambda f: (f["owner"], f["name"]),
        ),
        "history": [
            {
                "project": keys[c.project_id],
                "issue": refs.issue(c.issue_id),
                "actor": c.actor,
                "at": when(c.at),
                "field": c.field,
                "old": refs.value(c.project_id, c.issue_id is not None, c.field, c.old),
                "new": refs.value(c.project_id, c.issue_id is not None, c.field, c.new),
            }
            for c in history
        ],
    }


def dumps(document: dict[str, Any]) -> str:
    """The file's text: UTF-8, one space of indent, keys in the documented order."""
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def export_json(
    services: Services,
    path: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> dict[str, int]:
    """Write the whole database to `path` (atomically); returns what it holds, by kind."""
    with services.database.snapshot():
        document = build(services, progress, cancelled)
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".export-", suffix=".json", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(dumps(document))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    issues = [i for p in document["projects"] for i in p["issues"]]
    return {
        "users": len(document["users"]),
        "projects": len(document["projects"]),
        "issues": len(issues),
        "comments": sum(len(i["comments"]) for i in issues),
        "attachments": sum(len(i["attachments"]) for i in issues),
        "history": len(document["history"]),
    }
