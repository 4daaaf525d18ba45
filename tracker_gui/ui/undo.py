"""Undoable issue writes: QUndoCommands whose redo and undo both go through ui/ops."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtGui import QUndoCommand

from tracker_gui.domain import history
from tracker_gui.domain.models import Comment, Issue, MoveTo
from tracker_gui.ui.ops import comments
from tracker_gui.ui.ops import issues as ops
from tracker_gui.ui.ops.core import OpResult

# What the commands need of the store (ui.store.Store is one): a protocol rather than the
# class, since the store builds these commands (through ui/ops/undoable.py).
Store = ops.IssueHost


FIELD_WORDS = {
    "title": "title",
    "description": "description",
    "type": "type",
    "priority": "priority",
    "assignee": "assignee",
    "due": "due date",
    "estimate": "estimate",
    "parent": "parent",
    "labels": "labels",
}


@dataclass
class Outcome:
    """What the first redo() produced; kept outside the command, which Qt may delete."""

    result: OpResult[Issue] = field(default_factory=OpResult)

    @property
    def issue(self) -> Issue | None:
        return self.result.value


def field_value(issue: Issue, field: str) -> Any:
    """An issue's value for an editable field, as IssueService.edit accepts it back."""
    if field == "parent":
        return issue.parent_id
    return getattr(issue, field)


def encoded(issue: Issue, fields: Mapping[str, Any] | list[str]) -> dict[str, str | None]:
    return {f: history.encode(f, field_value(issue, f)) for f in fields}


class MoveIssueCommand(QUndoCommand):
    """Move an issue to a status (and a place in its column); undo puts it back where it was."""

    def __init__(
        self,
        store: Store,
        issue: Issue,
        status_id: int,
        after_id: int | None,
        before_id: int | None,
        outcome: Outcome,
    ) -> None:
        super().__init__()
        self._store = store
        self._outcome = outcome
        self._first = True
        self.issue_id = issue.id
        self._version = issue.version
        self._after_id = after_id
        self._before_id = before_id
        self.old_status, self.old_rank = issue.status_id, issue.rank
        self.new_status, self.new_rank = status_id, issue.rank
        if status_id == issue.status_id:
            self.setText(f"Reorder {issue.key}")
        else:
            self.setText(f"Move {issue.key} to {store.status_name(issue.project_id, status_id)}")

    def redo(self) -> None:
        if self._first:
            self._first = False
            self._outcome.result = ops.move_now(
                self._store,
                self.issue_id,
                self._version,
                self.new_status,
                self._after_id,
                self._before_id,
            )
            done = self._outcome.issue
            if done is not None and done.version == self._version:
                self.setObsolete(True)  # nothing moved: nothing to undo
                return
        else:
            done = ops.place(
                self._store,
                self.issue_id,
                self.new_status,
                self.new_rank,
                expect_status=self.old_status,
            ).value
        if done is None:
            self.setObsolete(True)
            return
        self.new_rank = done.rank

    def undo(self) -> None:
        done = ops.place(
            self._store,
            self.issue_id,
            self.old_status,
            self.old_rank,
            expect_status=self.new_status,
        ).value
        if done is None:
            self.setObsolete(True)
            return
        self.old_rank = done.rank


class EditIssueCommand(QUndoCommand):
    """Change fields of an issue; undo writes the old values back on the current version."""

    def __init__(
        self, store: Store, issue: Issue, changes: Mapping[str, Any], outcome: Outcome
    ) -> None:
        super().__init__()
        self._store = store
        self._outcome = outcome
        self._first = True
        self.issue_id = issue.id
        self._issue = issue
        self.after: dict[str, Any] = dict(changes)
        self.before: dict[str, Any] = {}
        self._after_state: dict[str, str | None] = {}
        self._before_state: dict[str, str | None] = {}
        words = ", ".join(FIELD_WORDS.get(f, f) for f in changes)
        self.setText(f"Edit {words} of {issue.key}")

    def redo(self) -> None:
        if self._first:
            self._first = False
            self._outcome.result = self._first_redo()
            done = self._outcome.issue
            if done is not None and done.version == self._issue.version:
                self.setObsolete(True)  # every value was already so: nothing to undo
                return
        else:
            done = self._apply(self.after, expect=self._before_state)
        if done is None:
            self.setObsolete(True)
            return
        self._after_state = encoded(done, list(self.after))

    def _first_redo(self) -> OpResult[Issue]:
        # A list or board read carries no description: take the old values from a full read.
        fresh = self._store.issue(self.issue_id)
        base = fresh if fresh is not None and fresh.version == self._issue.version else self._issue
        self.before = {f: field_value(base, f) for f in self.after}
        self._before_state = encoded(base, list(self.after))
        return ops.edit_now(self._store, self.issue_id, self._issue.version, self.after)

    def undo(self) -> None:
        done = self._apply(self.before, expect=self._after_state)
        if done is None:
            self.setObsolete(True)
            return
        self._before_state = encoded(done, list(self.before))

    def _apply(self, values: dict[str, Any], expect: dict[str, str | None]) -> Issue | None:
        current = self._store.issue(self.issue_id)
        if current is None:
            return None
        if encoded(current, list(expect)) != expect:
            ops.report_conflict(
                self._store,
                current,
                f"{current.key} was changed by someone else since; "
                "it was not undone or redone to avoid overwriting their change",
                kind="edit",
                mine=values,
            )
            return None
        return ops.edit_now(self._store, self.issue_id, current.version, values).value


class AddCommentCommand(QUndoCommand):
    """Add a comment; undo deletes it again, redo adds the same text anew (a new comment)."""

    def __init__(self, store: Store, issue: Issue, body: str, outcome: CommentOutcome) -> None:
        super().__init__()
        self._store = store
        self._issue_id = issue.id
        self._body = body
        self._outcome = outcome
        self._comment_id: int | None = None
        self.setText(f"Comment on {issue.key}")

    def redo(self) -> None:
        result = comments.add(self._store, self._issue_id, self._body)
        self._outcome.result = result
        comment = result.value
        if comment is None:
            self.setObsolete(True)
            return
        self._comment_id = comment.id

    def undo(self) -> None:
        if self._comment_id is None:
            return
        comment_id = self._comment_id
        if not comments.delete(self._store, comment_id).ok:
            self.setObsolete(True)  # it could not be deleted: the error was shown
        self._comment_id = None


@dataclass
class CommentOutcome:
    """What the first redo() of a comment produced."""

    result: OpResult[Comment] = field(default_factory=OpResult)

    @property
    def comment(self) -> Comment | None:
        return self.result.value


@dataclass
class BulkOutcome:
    """What the first redo() of a bulk move produced (None: refused, nothing moved)."""

    result: OpResult[list[Issue]] = field(default_factory=OpResult)

    @property
    def issues(self) -> list[Issue] | None:
        return self.result.value


class BulkMoveCommand(QUndoCommand):
    """A multi-card drop: one service call (one transaction, one change set) each way.

    Undo puts every card back in its old status at its old rank (and lane field) in one bulk
    call; a card someone moved or re-laned since makes it refuse, through the conflict flow,
    rather than overwrite their change.
    """

    def __init__(self, store: Store, moves: list[MoveTo], text: str, outcome: BulkOutcome) -> None:
        super().__init__()
        self._store = store
        self._moves = moves
        self._outcome = outcome
        self._first = True
        self._fields = sorted({f for m in moves for f, _ in m.edits})
        self._before: dict[int, Issue] = {}
        self._after: dict[int, Issue] = {}
        self.setText(text)

    def redo(self) -> None:
        if self._first:
            self._first = False
            ids = [m.issue_id for m in self._moves]
            self._before = {i.id: i for i in self._store.issues_by_ids(ids)}
            self._outcome.result = ops.bulk_move_now(self._store, self._moves, self.text())
            done = self._outcome.issues
            if done is None or all(
                d.version == m.version for d, m in zip(done, self._moves, strict=True)
            ):
                self.setObsolete(True)  # refused, or nothing changed: nothing to undo
                return
            self._after = {i.id: i for i in done}
            return
        self._after = self._put(self._after, expect=self._before)

    def undo(self) -> None:
        self._before = self._put(self._before, expect=self._after)

    def _put(self, target: dict[int, Issue], expect: dict[int, Issue]) -> dict[int, Issue]:
        """Every card to its state in `target`, if each is still as in `expect`."""
        current = {i.id: i for i in self._store.issues_by_ids(list(target))}
        fields = ["status_id", *self._fields]
        for issue_id, want in expect.items():
            now = current.get(issue_id)
            if now is None or any(getattr(now, f) != getattr(want, f) for f in fields):
                if now is not None:
                    ops.report_conflict(
                        self._store,
                        now,
                        f"{now.key} was changed by someone else since; the cards were "
                        "left where they are to avoid overwriting their change",
                        kind="move",
                        mine={"status": self._store.status_name(now.project_id, want.status_id)},
                    )
                self.setObsolete(True)
                return target
        moves = [
            MoveTo(
                issue_id,
                current[issue_id].version,
                state.status_id,
                exact_rank=state.rank,
                edits=tuple((f, field_value(state, f)) for f in self._fields),
            )
            for issue_id, state in target.items()
        ]
        done = ops.bulk_move_now(self._store, moves, self.text()).value
        if done is None:
            self.setObsolete(True)
            return target
        return {i.id: i for i in done}
