"""Field values as a queued change and a conflict carry them: JSON values, named as in
`show --format json` (status by name, priority by its word), the parent by its uid."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tracker_gui.domain.models import Issue
from tracker_gui.services.issues import IssueService
from tracker_gui.storage.sprints_repo import SprintRepo

# The fields a queued edit compares one by one (three-way); labels merge per element.
FIELDS = (
    "title", "description", "type", "priority", "assignee", "due", "estimate", "parent",
    "status", "rank", "archived", "sprint",
)  # fmt: skip


def values(service: IssueService, issue: Issue) -> dict[str, Any]:
    """`issue`'s comparable fields, as JSON values."""
    status = service._workflow(issue.project_id).status(issue.status_id)
    parent = service.get(issue.parent_id).uid if issue.parent_id else None
    return {
        "title": issue.title,
        "description": issue.description,
        "type": str(issue.type),
        "priority": issue.priority.label,
        "assignee": issue.assignee,
        "due": issue.due.isoformat() if issue.due else None,
        "estimate": issue.estimate,
        "parent": parent,
        "status": status.name,
        "rank": issue.rank,
        "archived": issue.archived,
        "sprint": SprintRepo(service.db).name_of(issue.id),  # by name, as `show` gives it
    }


def changed(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """field -> [base, new] for every field the action changed."""
    return {f: [before[f], after[f]] for f in FIELDS if before[f] != after[f]}


def edit_argument(service: IssueService, field: str, value: Any) -> Any:
    """A JSON value turned back into what IssueService.edit takes for `field`."""
    if value is None:
        return None
    if field == "due":
        return dt.date.fromisoformat(value)
    if field == "parent":
        ids = service.repo.ids_by_uid([value])
        return service.get(ids[value]).key if value in ids else value
    return value


def shown(service: IssueService, field: str | None, value: Any) -> Any:
    """How an entry shows a value: a parent by its key where this side knows the issue."""
    if field == "parent" and isinstance(value, str):
        ids = service.repo.ids_by_uid([value])
        return service.get(ids[value]).key if value in ids else value
    return value
