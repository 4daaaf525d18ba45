"""How issue fields are written into the Change log, and how to replay it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from tracker_gui.domain.models import Change, Issue

# Fields whose Change rows describe the issue's state (replayable), in display order.
STATE_FIELDS = (
    "title",
    "description",
    "type",
    "priority",
    "status",
    "assignee",
    "due",
    "estimate",
    "parent",
    "labels",
    "rank",
    "archived",
)
CREATED = "created"
DELETED = "deleted"


def encode(field: str, value: Any) -> str | None:
    """The text stored in Change.old/new for a field value (None stays None)."""
    if value is None:
        return None
    if field == "priority":
        return str(value.label) if hasattr(value, "label") else str(value)
    if field == "type":
        return str(getattr(value, "value", value))
    if field == "labels":
        return ",".join(sorted(value))
    if field == "archived":
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def state_of(issue: Issue) -> dict[str, str | None]:
    """An issue's replayable fields, encoded as the Change log encodes them."""
    # encode() spelled out for the fields whose type is fixed: an import of 10,000 issues
    # builds 10,000 of these, and twelve calls each were a tenth of its Python time.
    return {
        "title": issue.title,
        "description": issue.description,
        "type": encode("type", issue.type),
        "priority": encode("priority", issue.priority),
        "status": str(issue.status_id),
        "assignee": encode("assignee", issue.assignee),
        "due": encode("due", issue.due),
        "estimate": encode("estimate", issue.estimate),
        "parent": encode("parent", issue.parent_id),
        "labels": ",".join(sorted(issue.labels)),
        "rank": issue.rank,
        "archived": "true" if issue.archived else "false",
    }


def snapshot(issue: Issue) -> str:
    """The `new` text of a `created` Change: the whole initial state as JSON."""
    return json.dumps({"key": issue.key, **state_of(issue)}, sort_keys=True)


def replay(changes: Iterable[Change]) -> dict[str, str | None] | None:
    """Rebuild an issue's state from its Change rows; None if it was deleted (or never created)."""
    state: dict[str, str | None] | None = None
    for change in changes:
        if change.field == CREATED and change.new is not None:
            data = json.loads(change.new)
            state = {f: data.get(f) for f in STATE_FIELDS}
        elif change.field == DELETED:
            state = None
        elif state is not None and change.field in STATE_FIELDS:
            state[change.field] = change.new
    return state
