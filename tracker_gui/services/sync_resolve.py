"""Settle a conflict or refusal: keep theirs (the replica shows it already), keep mine or an
edited value (a new queued change based on what the replica shows now), or dismiss."""

from __future__ import annotations

from typing import Any

from tracker_gui.errors import NotFoundError, UserError, ValidationError
from tracker_gui.services import Services
from tracker_gui.services.sync_types import Keep
from tracker_gui.services.sync_values import edit_argument
from tracker_gui.storage.replica import entries


def resolve(
    local: Services,
    entry_id: int,
    *,
    keep: Keep | None = None,
    value: str | None = None,
    dismiss: bool = False,
) -> None:
    """On the replica (`local`: queued services), in one transaction."""
    db = local.database
    with db.transaction():
        entry = entries.get(db, entry_id)
        if entry is None:
            raise NotFoundError(f"no conflict or refusal with id {entry_id}")
        if entry.kind == "refused":
            if not dismiss:
                raise UserError(f"entry {entry_id} is a refusal: it can only be dismissed")
            entries.remove(db, entry_id)
            return
        if dismiss:
            raise UserError(f"entry {entry_id} is a conflict: keep mine or theirs, or a value")
        if keep == "theirs":
            entries.remove(db, entry_id)
            return
        wanted: Any = entry.mine if value is None else value
        if keep is None and value is None:
            raise UserError("say which to keep: --keep mine, --keep theirs or --value TEXT")
        _write(local, entry.issue_key, str(entry.field), wanted)
        entries.remove(db, entry_id)


def _write(local: Services, key: str, field: str, wanted: Any) -> None:
    issues = local.issues
    issue = issues.by_key(key)
    if field == "status":
        issues.transition(issue.id, issue.version, str(wanted))
    elif field == "archived":
        flag = wanted if isinstance(wanted, bool) else str(wanted).lower() == "true"
        issues.archive(issue.id, issue.version, flag)
    elif field == "rank":
        issues.move(issue.id, issue.version, exact_rank=str(wanted))
    elif field in ("title", "description", "type", "priority", "assignee", "due", "estimate"):
        issues.edit(issue.id, issue.version, {field: edit_argument(issues, field, wanted)})
    elif field == "parent":
        issues.edit(issue.id, issue.version, {"parent": wanted})
    elif field == "sprint":  # queued again by the copy's sprint service
        local.sprints.set_sprint([issue.id], None if wanted is None else str(wanted))
    else:
        raise ValidationError("field", f"cannot resolve a conflict on {field!r}")
