"""Issue writes the user can take back: each pushes a command (ui/undo.py) on the undo stack.

The command's first redo runs the write at once; its result comes back here through the
command's outcome, so a caller sees the value or the message like any other operation.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtGui import QUndoStack

from tracker_gui.domain.models import Comment, Issue, MoveTo
from tracker_gui.ui.ops.core import OpResult, read
from tracker_gui.ui.ops.issues import IssueHost
from tracker_gui.ui.undo import (
    AddCommentCommand,
    BulkMoveCommand,
    BulkOutcome,
    CommentOutcome,
    EditIssueCommand,
    MoveIssueCommand,
    Outcome,
)


class UndoHost(IssueHost, Protocol):
    """An IssueHost with the window's undo stack (Edit > Undo, Edit > Redo)."""

    @property
    def undo_stack(self) -> QUndoStack: ...


def edit(host: UndoHost, issue: Issue, changes: dict[str, Any]) -> OpResult[Issue]:
    """Edit fields (Edit > Undo writes the old values back)."""
    outcome = Outcome()
    host.undo_stack.push(EditIssueCommand(host, issue, changes, outcome))
    return outcome.result


def move(
    host: UndoHost,
    issue: Issue,
    status_id: int,
    after_id: int | None = None,
    before_id: int | None = None,
) -> OpResult[Issue]:
    """Move or reorder; undo puts it back between its old neighbours."""
    outcome = Outcome()
    host.undo_stack.push(MoveIssueCommand(host, issue, status_id, after_id, before_id, outcome))
    return outcome.result


def bulk_move(host: UndoHost, moves: list[MoveTo], text: str) -> OpResult[list[Issue]]:
    """A multi-card drop as one user action: one service call, one undo step (`text`)."""
    outcome = BulkOutcome()
    host.undo_stack.push(BulkMoveCommand(host, moves, text, outcome))
    return outcome.result


def add_comment(host: UndoHost, issue_id: int, body: str) -> OpResult[Comment]:
    """Add a comment (Edit > Undo deletes it again)."""
    found = read(host, lambda s: s.issues.get(issue_id))
    issue = found.value
    if issue is None:  # gone, unreadable (its message), or offline
        return OpResult(message=found.message or "the issue no longer exists")
    outcome = CommentOutcome()
    host.undo_stack.push(AddCommentCommand(host, issue, body, outcome))
    return outcome.result
