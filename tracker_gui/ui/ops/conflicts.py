"""Settling a conflict the user saw in the dialog: keep mine, or merge field by field."""

from __future__ import annotations

import dataclasses
from typing import Any, Protocol

from tracker_gui.domain.models import Issue
from tracker_gui.ui.ops import undoable
from tracker_gui.ui.ops.core import OpResult
from tracker_gui.ui.ops.issues import PendingWrite

GONE = "the issue no longer exists"


class ConflictHost(undoable.UndoHost, Protocol):
    def reload_issue(self, issue_id: int) -> Issue | None: ...


def keep_mine(host: ConflictHost, pending: PendingWrite) -> OpResult[Issue]:
    """Re-apply the user's change on the current version of the issue."""
    current = host.issue(pending.issue_id)
    if current is None:
        host.errorOccurred.emit(GONE)
        return OpResult(message=GONE)
    if pending.moves:  # the same drop on the cards' current versions
        now = {i.id: i for i in host.issues_by_ids([m.issue_id for m in pending.moves])}
        fresh = [
            dataclasses.replace(m, version=now[m.issue_id].version)
            for m in pending.moves
            if m.issue_id in now
        ]
        done = undoable.bulk_move(host, fresh, pending.text) if fresh else OpResult([])
        return OpResult(done.value[0] if done.value else None, done.message, done.conflict)
    if pending.kind == "move":
        target = current.status_id if pending.status_id is None else pending.status_id
        return undoable.move(host, current, target, pending.after_id, pending.before_id)
    return undoable.edit(host, current, pending.mine)


def merge(host: ConflictHost, pending: PendingWrite, kept: dict[str, Any]) -> OpResult[Issue]:
    """Apply only the `kept` fields of mine on the current version (theirs for the rest)."""
    if pending.kind != "edit" or set(kept) == set(pending.mine):
        if kept:
            return keep_mine(host, pending)
        return OpResult(host.reload_issue(pending.issue_id))
    current = host.issue(pending.issue_id)
    if current is None:
        host.errorOccurred.emit(GONE)
        return OpResult(message=GONE)
    if kept:
        return undoable.edit(host, current, kept)
    return OpResult(host.reload_issue(current.id))
