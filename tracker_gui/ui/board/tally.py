"""Exact board counts from live changes: which cell a card left and which it entered."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tracker_gui.domain import history
from tracker_gui.domain.enums import Priority
from tracker_gui.domain.models import Change, Issue
from tracker_gui.ui.board.column_model import Lane
from tracker_gui.ui.store import IssueUpdate


@dataclass(frozen=True, slots=True)
class CardState:
    """The fields that decide where a card sits on a board (column, lane) and if it shows."""

    project_id: int
    status_id: int
    assignee: str | None
    priority: int
    archived: bool


def state_of(issue: Issue) -> CardState:
    return CardState(
        issue.project_id, issue.status_id, issue.assignee, int(issue.priority), issue.archived
    )


def state_before(issue: Issue, changes: Sequence[Change]) -> CardState | None:
    """The card as it was before `changes` (its Change rows in one batch, oldest first).

    None when it did not exist before (created in this batch).
    """
    state = state_of(issue)
    status, assignee, priority, archived = (
        state.status_id,
        state.assignee,
        state.priority,
        state.archived,
    )
    for change in reversed(changes):  # newest first, so the oldest "old" value wins
        if change.field == history.CREATED:
            return None
        if change.field == "status" and change.old is not None:
            status = int(change.old)
        elif change.field == "assignee":
            assignee = change.old
        elif change.field == "priority" and change.old is not None:
            priority = int(Priority.parse(change.old))
        elif change.field == "archived":
            archived = change.old == "true"
    return CardState(state.project_id, status, assignee, priority, archived)


# A board cell: (status id, swimlane or None).
CellKey = tuple[int, Lane | None]


class Tally:
    """Card counts per board cell, kept exact from live updates without asking the database.

    `note` runs before the cells apply a batch, and moves the counts at once: a card loaded
    somewhere on the board is known to have left that cell; any other card is counted where it
    shows now. Its Change rows (which arrive right after the updates) say where it was, and
    `resolve` takes it off there; when they cannot (a filter beyond the project, a deleted card,
    no Change rows), `resolve` says the counts are no longer exact.
    """

    def __init__(self) -> None:
        self.project_id = 0
        self.totals: dict[CellKey, int] = {}
        self._unseen: list[tuple[IssueUpdate, CellKey | None]] = []

    def reset(self, project_id: int, totals: dict[CellKey, int]) -> None:
        self.project_id = project_id
        self.totals = dict(totals)
        self._unseen = []

    def note(
        self,
        updates: Sequence[IssueUpdate],
        loaded_in: Callable[[int], CellKey | None],
        key_for: Callable[[CardState], CellKey | None],
    ) -> set[CellKey]:
        """Before the cells apply `updates`: count each card where it is now; the touched cells."""
        touched: set[CellKey] = set()
        for update in updates:
            issue = update.issue
            if issue is not None and issue.project_id != self.project_id:
                continue
            new = key_for(state_of(issue)) if issue is not None and update.visible else None
            old = loaded_in(update.issue_id)
            if old is not None:
                touched |= self._move(old, new)
            else:
                self._unseen.append((update, new))
                touched |= self._move(None, new)  # where it was: from its Change rows
        return touched

    def pending(self) -> bool:
        return bool(self._unseen)

    def resolve(
        self,
        changes: Sequence[Change],
        key_for: Callable[[CardState], CellKey | None],
        simple_filter: bool,
    ) -> tuple[set[CellKey], bool]:
        """Take the noted unseen cards off where they were; (touched cells, whether exact)."""
        by_issue: dict[int, list[Change]] = {}
        for change in changes:
            if change.issue_id is not None:
                by_issue.setdefault(change.issue_id, []).append(change)
        exact = True
        touched: set[CellKey] = set()
        for update, _new in self._unseen:
            rows = by_issue.get(update.issue_id)
            if update.issue is None or not rows or not simple_filter:
                exact = False  # a deleted card, a filtered one, or a reload: where was it?
                continue
            before = state_before(update.issue, rows)
            old = key_for(before) if before is not None and not before.archived else None
            touched |= self._move(old, None)
        self._unseen = []
        return touched, exact

    def _move(self, old: CellKey | None, new: CellKey | None) -> set[CellKey]:
        if old == new:
            return set()
        touched: set[CellKey] = set()
        for key, step in ((old, -1), (new, +1)):
            if key is not None:
                self.totals[key] = self.totals.get(key, 0) + step
                touched.add(key)
        return touched
