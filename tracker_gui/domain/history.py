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


# Text the issue row holds already: a `created` Change written since migration 9 leaves it
# out (it was most of the log's size), and its readers take it from the row instead.
ROW_TEXT = ("title", "description")
# A field an issue starts without (no due date, no labels...): a `created` Change written
# since migration 10 leaves it out when it holds this value, and replay puts it back. Fixed
# values, never the dialog's current defaults: an old snapshot must replay the same forever.
EMPTY: dict[str, str | None] = {
    "assignee": None,
    "due": None,
    "estimate": None,
    "parent": None,
    "labels": "",
    "archived": "false",
}


def snapshot(issue: Issue) -> str:
    """The `new` text of a `created` Change: the initial state as compact JSON, but for
    ROW_TEXT (the row has it; older rows also carry it and "key") and for fields that are
    still EMPTY. Status, type, priority and rank are always there. See `replay`."""
    state = state_of(issue)
    kept = {
        f: v for f, v in state.items() if f not in ROW_TEXT and (f not in EMPTY or v != EMPTY[f])
    }
    return json.dumps(kept, sort_keys=True, separators=(",", ":"))


def replay(
    changes: Iterable[Change], row: dict[str, str | None] | None = None
) -> dict[str, str | None] | None:
    """Rebuild an issue's state from its Change rows; None if it was deleted (or never created).

    A field of ROW_TEXT its `created` snapshot lacks (newer ones) was, at creation, the `old`
    of the field's first later Change, or else what the row (`row`: state_of the issue as
    stored now) holds: no change since means the row still has the first value. Any other
    field it lacks started EMPTY (snapshots since migration 10 leave those out)."""
    state: dict[str, str | None] | None = None
    missing: set[str] = set()
    for change in changes:
        if change.field == CREATED and change.new is not None:
            data = json.loads(change.new)
            state = {f: data.get(f, EMPTY.get(f)) for f in STATE_FIELDS}
            missing = {f for f in ROW_TEXT if f not in data}
            if "status" not in data:  # no state at all (a build of 2026-12-07 wrote `{}`)
                missing = {f for f in STATE_FIELDS if f not in data}
        elif change.field == DELETED:
            state, missing = None, set()
        elif state is not None and change.field in STATE_FIELDS:
            if change.field in missing:
                missing.discard(change.field)
            state[change.field] = change.new
    if state is not None and missing and row is not None:
        for field in missing:
            state[field] = row.get(field)
    return state
