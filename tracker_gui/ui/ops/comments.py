"""Comment writes (add, edit, delete) and the read a comment editor compares its start with."""

from __future__ import annotations

from tracker_gui.domain.models import Comment
from tracker_gui.services.field_state import CommentState, comment_state
from tracker_gui.ui.ops.core import Host, OpResult, read, run


def add(host: Host, issue_id: int, body: str) -> OpResult[Comment]:
    """Add at once (Edit > Undo goes through ops.undoable.add_comment instead)."""
    return run(host, lambda s: s.issues.comment(issue_id, body))


def edit(host: Host, comment_id: int, body: str) -> OpResult[Comment]:
    return run(host, lambda s: s.issues.edit_comment(comment_id, body))


def delete(host: Host, comment_id: int) -> OpResult[Comment]:
    return run(host, lambda s: s.issues.delete_comment(comment_id))


def state(host: Host, comment_id: int) -> OpResult[CommentState | None]:
    """The comment's text as stored now (None as value: it is gone)."""
    return read(host, lambda s: comment_state(s.issues, comment_id))
