"""What an editor compares with before it saves: a field's stored value now, and who set it last."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tracker_gui.domain import history
from tracker_gui.domain.models import Comment, Issue
from tracker_gui.storage.sprints_repo import SprintRepo

if TYPE_CHECKING:
    from tracker_gui.services.issues import IssueService

# The fields an editor in the window saves, with the Change rows that set them. "created" is
# the fallback: a field nobody has changed since was set by whoever created the issue.
LOGGED_AS = {
    "title": ("title", "created"),
    "description": ("description", "created"),
    "type": ("type", "created"),
    "priority": ("priority", "created"),
    "assignee": ("assignee", "created"),
    "due": ("due", "created"),
    "estimate": ("estimate", "created"),
    "labels": ("labels", "created"),
    "parent": ("parent", "created"),
    "status": ("status", "created"),
    "sprint": ("sprint", "created"),  # by name here; the log holds the sprint id
}


@dataclass(frozen=True, slots=True)
class FieldState:
    """One field of an issue as stored now. `value` is in the editor's terms (the parent by
    key, the status by id); `issue.version` is the version a save goes on."""

    issue: Issue
    field: str
    value: Any
    changed_by: str | None
    changed_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class CommentState:
    """A comment as stored now; only its author can edit it, so the author changed it last."""

    comment: Comment
    changed_by: str
    changed_at: dt.datetime


def same(field: str, a: Any, b: Any) -> bool:
    """Equal as the Change log would record them (labels in any order, enums by name)."""
    if field == "labels":
        return sorted(n.casefold() for n in a or ()) == sorted(n.casefold() for n in b or ())
    if field in ("title", "assignee", "parent", "sprint"):
        a, b = (a or "").strip() or None, (b or "").strip() or None
        if field == "parent":
            return (a or "").upper() == (b or "").upper()
    return history.encode(field, a) == history.encode(field, b)


def field_state(issues: IssueService, issue_id: int, field: str) -> FieldState | None:
    """The stored value of `field` and the last Change row for it; None when the issue is gone."""
    if field not in LOGGED_AS:
        raise ValueError(f"no editor saves {field!r}")
    issue = issues.repo.get(issue_id)
    if issue is None:
        return None
    value: Any
    if field == "parent":
        value = issues.keys_for([issue.parent_id]).get(issue.parent_id) if issue.parent_id else None
    elif field == "status":
        value = issue.status_id
    elif field == "sprint":
        value = SprintRepo(issues.db).name_of(issue_id)
    else:
        value = getattr(issue, field)
    last = issues.repo.last_change(issue_id, LOGGED_AS[field])
    return FieldState(issue, field, value, last.actor if last else None, last.at if last else None)


def comment_state(issues: IssueService, comment_id: int) -> CommentState | None:
    """A comment's text as stored now (None when it was deleted)."""
    found = issues.repo.comment(comment_id)
    if found is None:
        return None
    return CommentState(found, found.author, found.edited_at or found.created_at)
