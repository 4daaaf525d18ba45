"""Qt list model of one board column (a status, optionally one swimlane): paged, live, droppable."""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from tracker_gui.domain.cards import Shown
from tracker_gui.domain.enums import Priority, StatusCategory
from tracker_gui.domain.models import IssueFilter, Status
from tracker_gui.ui.board.binding import BoardScope
from tracker_gui.ui.board.dnd import ISSUES_MIME, DraggedIssue, decode, encode
from tracker_gui.ui.board.moves import Placement, run_moves
from tracker_gui.ui.models.rowdiff import patch_rows
from tracker_gui.ui.permissions import VIEWER_TEXT
from tracker_gui.ui.store import IssueUpdate, Store
from tracker_gui.ui.widgets.card_style import card_tooltip

IssueRole = Qt.ItemDataRole.UserRole + 1  # the card (a Card, or an Issue changed live)
IssueIdRole = Qt.ItemDataRole.UserRole + 2  # int
DoneRole = Qt.ItemDataRole.UserRole + 3  # bool: the column's status is "done" (nothing overdue)

PAGE_SIZE = 60  # several screens of cards; fetchMore brings more while scrolling
AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class Lane:
    """One swimlane: the issues with one assignee (None = unassigned) or one priority."""

    kind: str  # "assignee" | "priority"
    value: str | int | None
    title: str

    def scope(self, flt: IssueFilter) -> IssueFilter:
        if self.kind == "assignee":
            if self.value is None:
                return dataclasses.replace(flt, assignees=(), unassigned=True)
            return dataclasses.replace(flt, assignees=(str(self.value),), unassigned=False)
        return dataclasses.replace(flt, priorities=(Priority(int(self.value or 0)),))

    def accepts(self, assignee: str | None, priority: int) -> bool:
        if self.kind == "assignee":
            return assignee == self.value
        return priority == self.value

    def matches(self, issue: Shown) -> bool:
        return self.accepts(issue.assignee, int(issue.priority))

    def admits(self, item: DraggedIssue) -> bool:
        return self.accepts(item.assignee, item.priority)

    def edits(self) -> tuple[tuple[str, Any], ...]:
        """The edit that puts an issue in this lane."""
        if self.kind == "assignee":
            return (("assignee", self.value),)
        return (("priority", Priority(int(self.value or 0))),)


def _order(issue: Shown) -> tuple[str, int]:
    return (issue.rank, issue.id)


class ColumnModel(QAbstractListModel):
    """The cards of one status (and lane) in rank order; pages in, follows `issuesChanged`.

    Invariant: the loaded cards are exactly the column's first `rowCount()` cards, so the next
    page starts at offset `rowCount()`. A changed card that sorts after the last loaded one is
    left for fetchMore unless the column is fully loaded.

    On its own it follows the store's signals and counts itself. On a board (`follow=False`)
    the board's coordinator drives it (`apply_updates`, `reload`, `refresh_status`) and owns its
    count (`set_total`): the board counts every cell before any cell changes its rows.
    """

    totalChanged = Signal(int)

    def __init__(
        self,
        store: Store,
        status: Status,
        *,
        total: int | None = None,
        lane: Lane | None = None,
        page_size: int = PAGE_SIZE,
        lazy: bool = False,
        bound: BoardScope | None = None,
        follow: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._bound = bound
        self._status = status
        self._lane = lane
        self._page_size = page_size
        self._counts_itself = total is None
        self._issues: list[Shown] = []
        self._exhausted = True
        self._total = 0
        self._tail_ok: set[int] = set()
        self._loaded = not lazy
        self._follows = follow
        if lazy:  # a swimlane cell below the fold: counts now, cards when it scrolls into view
            self._total = total or 0
        else:
            self._load(total)
        if follow:
            store.issuesChanged.connect(self._on_store_issues_changed)
            store.filterChanged.connect(self._on_store_filter_changed)
            store.workflowChanged.connect(self._on_store_workflow_changed)

    # -- what the board reads ------------------------------------------------------------
    @property
    def status(self) -> Status:
        return self._status

    @property
    def lane(self) -> Lane | None:
        return self._lane

    def scope(self) -> IssueFilter:
        flt = self._bound.apply(self._store.filter) if self._bound else self._store.filter
        return self._lane.scope(flt) if self._lane else flt

    def total(self) -> int:
        """How many cards the column holds (loaded or not)."""
        if not self._loaded or not self._follows:  # on a board: the board's count
            return self._total
        return len(self._issues) if self._exhausted else max(self._total, len(self._issues))

    def set_total(self, total: int) -> None:
        """The board's count for this cell (it counts every column at once)."""
        before = self.total()
        self._total = total
        self._emit_total(before)

    def fully_loaded(self) -> bool:
        return self._loaded and self._exhausted

    def is_loaded(self) -> bool:
        return self._loaded

    def ensure_loaded(self) -> None:
        """Load the first page of a lazy model (rows inserted, no reset)."""
        if self._loaded:
            return
        before = self.total()
        self._loaded = True
        page = self._store.column_page(self._status.id, 0, self._page_size, self.scope())
        self._exhausted = len(page) < self._page_size or len(page) >= self._total
        if page:
            self.beginInsertRows(QModelIndex(), 0, len(page) - 1)
            self._issues = list[Shown](page)
            self.endInsertRows()
        self._emit_total(before)

    def row_of(self, issue_id: int) -> int:
        for row, issue in enumerate(self._issues):
            if issue.id == issue_id:
                return row
        return -1

    def detach(self) -> None:
        """Stop following the store (the board drops this model)."""
        if not self._follows:
            return
        self._store.issuesChanged.disconnect(self._on_store_issues_changed)
        self._store.filterChanged.disconnect(self._on_store_filter_changed)
        self._store.workflowChanged.disconnect(self._on_store_workflow_changed)

    # -- loading -------------------------------------------------------------------------
    def _load(self, total: int | None) -> None:
        self._issues = self._first_page(total)

    def _first_page(self, total: int | None) -> list[Shown]:
        """Read the first page and the count; sets the count and `_exhausted`, not the rows."""
        if total is None and self._counts_itself:
            total = self._store.counts_by_status(self.scope()).get(self._status.id, 0)
        page = self._store.column_page(self._status.id, 0, self._page_size, self.scope())
        if total is not None:
            self._total = total  # else keep the board's count: it recounts on filter changes
        # An unknown total (None) waits for the board's recount; only a short page says "all".
        self._exhausted = len(page) < self._page_size or (total is not None and len(page) >= total)
        return list[Shown](page)

    def reload(self, total: int | None = None) -> None:
        """Read the first page again and patch the rows by difference (never a reset): the
        cards both pages hold keep their rows, so the selection, the scroll position and any
        persistent index stay, and the view repaints only what came, went or changed."""
        if not self._loaded:
            if total is not None:
                self.set_total(total)
            return
        before = self.total()
        patch_rows(self, self._issues, self._first_page(total))
        self._emit_total(before)

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._loaded and not self._exhausted

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self.canFetchMore(parent):
            return
        before = self.total()
        page = self._store.column_page(
            self._status.id, len(self._issues), self._page_size, self.scope()
        )
        self._exhausted = len(page) < self._page_size
        known = {i.id for i in self._issues}
        last = _order(self._issues[-1]) if self._issues else None
        fresh = [i for i in page if i.id not in known and (last is None or _order(i) > last)]
        if fresh:
            first = len(self._issues)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            self._issues.extend(fresh)
            self.endInsertRows()
        self._emit_total(before)

    # -- Qt model basics -----------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._issues)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._issues):
            return None
        issue = self._issues[index.row()]
        if role == IssueRole:
            return issue
        if role == IssueIdRole:
            return issue.id
        if role == DoneRole:
            return self._status.category == StatusCategory.DONE
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{issue.key} {issue.title}"
        if role == Qt.ItemDataRole.ToolTipRole:
            # The delegate's own tooltip (helpEvent) shows the assignee's display name too.
            return card_tooltip(issue)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def removeRows(self, row: int, count: int, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        # Qt calls this on the source after a MoveAction drag: the move already happened
        # in the store, so nothing is ever deleted here.
        return False

    # -- drag and drop -------------------------------------------------------------------
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [ISSUES_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        return encode(self.dragged(rows))

    def dragged(self, rows: Sequence[int]) -> list[DraggedIssue]:
        """The payload for the cards at `rows` (any order), top to bottom."""
        return [
            DraggedIssue(
                id=issue.id,
                key=issue.key,
                version=issue.version,
                project_id=issue.project_id,
                status_id=issue.status_id,
                assignee=issue.assignee,
                priority=int(issue.priority),
            )
            for issue in (self._issues[row] for row in sorted(set(rows)))
        ]

    def refusal(self, items: Sequence[DraggedIssue]) -> str | None:
        """Why these cards may not come into this column, or None when they may."""
        if not items:
            return "nothing to move"
        if not self._store.can_write(self._status.project_id):
            return VIEWER_TEXT
        flow = self._store.workflow(self._status.project_id)
        for item in items:
            if item.project_id != self._status.project_id:
                return f"{item.key} belongs to another project"
            if not flow.allows(item.status_id, self._status.id):
                try:
                    source = flow.status(item.status_id).name
                except KeyError:
                    source = "its status"
                return (
                    f"{item.key}: moving from {source!r} to {self._status.name!r} "
                    "is not allowed by the workflow"
                )
        return None

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        if action != Qt.DropAction.MoveAction or column > 0:
            return False
        return self.refusal(decode(data)) is None

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        if parent.isValid():  # dropped onto a card: put it above that card
            row = parent.row()
        self.place(decode(data), row)
        return True

    # -- moves ---------------------------------------------------------------------------
    def place(self, items: Sequence[DraggedIssue], row: int) -> None:
        """Put the cards, in order, at `row` (-1 or rowCount(): after the last loaded card)."""
        if not items:
            return
        moving = {i.id for i in items}
        if row < 0 or row > len(self._issues):
            row = len(self._issues)
        rest = [i for i in self._issues if i.id not in moving]
        cut = sum(1 for i in self._issues[:row] if i.id not in moving)
        after = rest[cut - 1].id if cut > 0 else None
        before = rest[cut].id if cut < len(rest) else None
        if self._unchanged(items, rest, cut):
            return
        edits_for = self._lane.edits() if self._lane else ()
        placements = []
        for item in items:
            edits = edits_for if self._lane and not self._lane.admits(item) else ()
            placements.append(Placement(item, self._status.id, after, before, edits))
            after = item.id
        if before is None and not self._exhausted:
            self._tail_ok.update(moving)
        try:
            run_moves(self._store, placements, self._status.name)
        finally:
            self._tail_ok.clear()

    def append(self, items: Sequence[DraggedIssue]) -> None:
        """Put the cards, in order, at the very end of the column (loaded or not)."""
        if self._exhausted:
            self.place(items, -1)
            return
        edits_for = self._lane.edits() if self._lane else ()
        placements, after = [], None
        for item in items:
            edits = edits_for if self._lane and not self._lane.admits(item) else ()
            placements.append(Placement(item, self._status.id, after, None, edits))
            after = item.id
        run_moves(self._store, placements, self._status.name)

    def shift(self, rows: Sequence[int], step: int) -> None:
        """Move the cards at `rows` above the previous card (step -1) or below the next (+1)."""
        chosen = sorted(set(rows))
        if not chosen or not all(0 <= r < len(self._issues) for r in chosen):
            return
        if step < 0:
            target = next((r for r in range(chosen[0] - 1, -1, -1) if r not in chosen), None)
            if target is not None:
                self.place(self.dragged(chosen), target)
        else:
            after = range(chosen[-1] + 1, len(self._issues))
            target = next((r for r in after if r not in chosen), None)
            if target is not None:
                self.place(self.dragged(chosen), target + 1)

    def _unchanged(self, items: Sequence[DraggedIssue], rest: list[Shown], cut: int) -> bool:
        if any(i.status_id != self._status.id for i in items):
            return False
        if self._lane and not all(self._lane.admits(i) for i in items):
            return False
        current = [i.id for i in self._issues]
        planned = [i.id for i in rest[:cut]] + [i.id for i in items] + [i.id for i in rest[cut:]]
        return current == planned

    # -- live updates --------------------------------------------------------------------
    def _belongs(self, update: IssueUpdate) -> bool:
        issue = update.issue
        return (
            issue is not None
            and update.visible
            and (self._bound is None or update.issue_id not in self._bound.excluded)
            and issue.status_id == self._status.id
            and (self._lane is None or self._lane.matches(issue))
        )

    def apply_updates(self, updates: Sequence[IssueUpdate]) -> None:
        """Insert, move, change or remove the cards these updates concern."""
        before = self.total()
        for update in updates:
            self._apply(update)
        self._emit_total(before)

    def _on_store_issues_changed(self, updates: list[IssueUpdate]) -> None:
        self.apply_updates(updates)

    def _count(self, step: int) -> None:
        if self._follows:  # on a board the board has counted it already
            self._total += step

    def _apply(self, update: IssueUpdate) -> None:
        if not self._loaded:
            self._count(1 if self._belongs(update) else 0)
            return
        row = self.row_of(update.issue_id)
        if not self._belongs(update):
            if row >= 0:
                self._remove(row)
                self._count(-1)
            return
        issue = update.issue
        assert issue is not None
        if row < 0:
            pos = bisect.bisect_left(self._issues, _order(issue), key=_order)
            if self._exhausted or pos < len(self._issues) or issue.id in self._tail_ok:
                self.beginInsertRows(QModelIndex(), pos, pos)
                self._issues.insert(pos, issue)
                self.endInsertRows()
            self._count(1)  # a re-rank from beyond the loaded page: the board corrects it
            return
        others = self._issues[:row] + self._issues[row + 1 :]
        pos = bisect.bisect_left(others, _order(issue), key=_order)
        if pos == len(others) and not self._exhausted and issue.id not in self._tail_ok:
            self._remove(row)  # re-ranked past the loaded cards: fetchMore brings it back
        elif pos == row:
            self._issues[row] = issue
            index = self.index(row)
            self.dataChanged.emit(index, index)
        else:
            self.beginMoveRows(
                QModelIndex(), row, row, QModelIndex(), pos if pos < row else pos + 1
            )
            del self._issues[row]
            self._issues.insert(pos, issue)
            self.endMoveRows()

    def _remove(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._issues[row]
        self.endRemoveRows()

    def _emit_total(self, before: int) -> None:
        if self.total() != before:
            self.totalChanged.emit(self.total())

    def _on_store_filter_changed(self, _flt: IssueFilter) -> None:
        self.reload()

    def _on_store_workflow_changed(self, project_id: int) -> None:
        if project_id == self._status.project_id:
            self.refresh_status()

    def refresh_status(self) -> None:
        """Take the status's new name, category or limit from the workflow, and reload."""
        project_id = self._status.project_id
        flow = self._store.workflow(project_id)
        current = next((s for s in flow.statuses if s.id == self._status.id), None)
        if current is None:  # the status was deleted; the board rebuilds its columns
            self.beginResetModel()
            self._issues, self._exhausted, self._total = [], True, 0
            self.endResetModel()
            return
        self._status = current
        self.reload()
