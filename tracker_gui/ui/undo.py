"""Undoable issue writes: QUndoCommands that go through the store (so the services) both ways."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from PySide6.QtGui import QUndoCommand

from tracker_gui.domain import history
from tracker_gui.domain.models import Comment, Issue, MoveTo
from tracker_gui.services import Services

T = TypeVar("T")


class Store(Protocol):
    """What the commands need of the store (ui.store.Store is one).

    A protocol rather than the class: the store builds these commands, so importing it
    from here would tie the two modules in a circle.
    """

    services: Services

    def call(self, fn: Callable[[], T]) -> T | None: ...

    def issue(self, issue_id: int) -> Issue | None: ...

    def issues_by_ids(self, ids: Sequence[int]) -> list[Issue]: ...

    def status_name(self, project_id: int, status_id: int) -> str: ...

    def edit_now(self, issue_id: int, version: int, changes: dict[str, Any]) -> Issue | None: ...

    def move_now(
        self,
        issue_id: int,
        version: int,
        status_id: int,
        after_id: int | None = None,
        before_id: int | None = None,
        exact_rank: str | None = None,
    ) -> Issue | None: ...

    def bulk_move_now(self, moves: list[MoveTo], text: str) -> list[Issue] | None: ...

    def place_issue(
        self, issue_id: int, status_id: int, rank: str, *, expect_status: int | None = None
    ) -> Issue | None: ...

    def report_conflict(
        self, current: Issue, message: str, *, kind: str, mine: dict[str, Any]
    ) -> None: ...


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

    issue: Issue | None = None


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
            done = self._store.move_now(
                self.issue_id, self._version, self.new_status, self._after_id, self._before_id
            )
            self._outcome.issue = done
            if done is not None and done.version == self._version:
                self.setObsolete(True)  # nothing moved: nothing to undo
                return
        else:
            done = self._store.place_issue(
                self.issue_id, self.new_status, self.new_rank, expect_status=self.old_status
            )
        if done is None:
            self.setObsolete(True)
            return
        self.new_rank = done.rank

    def undo(self) -> None:
        done = self._store.place_issue(
            self.issue_id, self.old_status, self.old_rank, expect_status=self.new_status
        )
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
            done = self._first_redo()
            self._outcome.issue = done
            if done is not None and done.version == self._issue.version:
                self.setObsolete(True)  # every value was already so: nothing to undo
                return
        else:
            done = self._apply(self.after, expect=self._before_state)
        if done is None:
            self.setObsolete(True)
            return
        self._after_state = encoded(done, list(self.after))

    def _first_redo(self) -> Issue | None:
        # A list or board read carries no description: take the old values from a full read.
        fresh = self._store.issue(self.issue_id)
        base = fresh if fresh is not None and fresh.version == self._issue.version else self._issue
        self.before = {f: field_value(base, f) for f in self.after}
        self._before_state = encoded(base, list(self.after))
        return self._store.edit_now(self.issue_id, self._issue.version, self.after)

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
            self._store.report_conflict(
                current,
                f"{current.key} was changed by someone else since; "
                "it was not undone or redone to avoid overwriting their change",
                kind="edit",
                mine=values,
            )
            return None
        return self._store.edit_now(self.issue_id, current.version, values)


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
        comment = self._store.call(
            lambda: self._store.services.issues.comment(self._issue_id, self._body)
        )
        if comment is None:
            self.setObsolete(True)
            return
        self._comment_id = comment.id
        self._outcome.comment = comment

    def undo(self) -> None:
        if self._comment_id is None:
            return
        comment_id = self._comment_id
        gone = self._store.call(lambda: self._store.services.issues.delete_comment(comment_id))
        if gone is None:
            self.setObsolete(True)  # it could not be deleted: the error was shown
        self._comment_id = None


@dataclass
class CommentOutcome:
    comment: Comment | None = None


@dataclass
class BulkOutcome:
    """What the first redo() of a bulk move produced (None: refused, nothing moved)."""

    issues: list[Issue] | None = None


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
            done = self._store.bulk_move_now(self._moves, self.text())
            self._outcome.issues = done
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
                    self._store.report_conflict(
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
        done = self._store.bulk_move_now(moves, self.text())
        if done is None:
            self.setObsolete(True)
            return target
        return {i.id: i for i in done}
