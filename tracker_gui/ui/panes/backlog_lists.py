"""The Backlog pane's pieces: issue lists one drags between, and a sprint's section.

A list carries the board's drag payload (ui/board/dnd.py), so cards dragged from a board land
on a sprint too, and issues dragged from here land on a board column. A drop here is a copy
as far as the source knows: the sprint is the store's to change, and every view re-reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QMimeData, QPoint, QSize, Qt, Signal
from PySide6.QtGui import (
    QDrag,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker_gui.domain.models import Issue
from tracker_gui.domain.sprints import Sprint, SprintState
from tracker_gui.ui import theme
from tracker_gui.ui.board.dnd import ISSUES_MIME, DraggedIssue, decode, encode
from tracker_gui.ui.widgets import kit as ui
from tracker_gui.ui.widgets import style

IdRole = Qt.ItemDataRole.UserRole
COPY = Qt.DropAction.CopyAction
MOVE = Qt.DropAction.MoveAction
SPRINT_ROWS = 6  # rows a sprint's list shows before it scrolls
DASH = "\u2013"
EMPTY_SPRINT = "Drag issues here, or pick Move to from an issue's menu (Shift+F10)"
EMPTY_SPRINT_READ_ONLY = "No issues planned into this sprint yet"
EMPTY_BACKLOG = "No open issues outside a sprint"


def span_text(start: dt.date, end: dt.date) -> str:
    """`1 Dec - 14 Dec 2026` (an en dash); the first year only when the years differ."""
    first = f"{start.day} {start:%b}" + (f" {start.year}" if start.year != end.year else "")
    return f"{first} {DASH} {end.day} {end:%b} {end.year}"


def count_text(n: int) -> str:
    return f"{n:,} issue{'s' if n != 1 else ''}"


def time_left(end: dt.date, today: dt.date) -> str:
    """How long an active sprint has to run, its last day included (or how long it is over)."""
    days = (end - today).days + 1
    if days == 1:
        return "last day"
    if days > 1:
        return f"{days} days left"
    over = -days + 1
    return f"ended {over} day{'s' if over != 1 else ''} ago"


class IssueDropList(QListWidget):
    """Issues as rows; drops issues of its project on itself (`issuesDropped(ids, target)`).

    `target` is the sprint's name (None: the backlog). Done issues are shown struck out.
    """

    issuesDropped = Signal(list, object)  # issue ids, target sprint name or None
    issueActivated = Signal(int)

    menuRequested = Signal()  # the keyboard's context menu: Shift+F10 or the Menu key

    def __init__(
        self,
        target: str | None,
        empty_text: str,
        parent: QWidget | None = None,
        *,
        read_only_text: str | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("BacklogList" if target is None else "SprintList")
        self.setAccessibleName("Backlog" if target is None else f"Issues of {target}")
        self.target = target
        self.project_id = 0
        self._empty_text = empty_text
        self._texts = (empty_text, read_only_text or empty_text)  # (writable, read-only)
        self._issues: dict[int, Issue] = {}
        self._writable = True
        self._most = 0  # rows shown before it scrolls (0: it takes the room it is given)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(MOVE)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(False)  # a sprint has no order of its own: the whole list
        self.setUniformItemSizes(True)
        self.setIconSize(QSize(16, 16))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.itemActivated.connect(self._on_self_item_activated)

    # -- content -------------------------------------------------------------------------
    def set_issues(self, issues: Sequence[Issue], done: set[int]) -> None:
        """Show `issues` in order; those in a `done` status are struck out."""
        self.clear()
        self._issues = {i.id: i for i in issues}
        for issue in issues:
            item = QListWidgetItem(ui.type_icon(issue.type), f"{issue.key}   {issue.title}")
            item.setData(IdRole, issue.id)
            item.setToolTip(f"{issue.key}: {issue.title}")
            if issue.status_id in done:
                font = QFont(self.font())
                font.setStrikeOut(True)
                item.setFont(font)
                item.setForeground(theme.colour("muted_text"))
            self.addItem(item)
        self.viewport().update()

    def issue_ids(self) -> list[int]:
        return list(self._issues)

    def row_of(self, issue_id: int) -> int:
        for row in range(self.count()):
            if self.item(row).data(IdRole) == issue_id:
                return row
        return -1

    def set_writable(self, writable: bool) -> None:
        """A viewer reads the plan: no drag from here, no drop on it."""
        self._writable = writable
        self.setDragEnabled(writable)
        self.setAcceptDrops(writable)
        self._empty_text = self._texts[0 if writable else 1]  # no "drag here" it cannot take
        self.viewport().update()

    def row_height(self) -> int:
        return self.sizeHintForRow(0) if self.count() else self.fontMetrics().height() + 12

    def fit_rows(self, most: int) -> None:
        """As tall as its rows (at least two, at most `most`), so sprints stack compactly."""
        self._most = most
        self.setFixedHeight(self.height_for(min(max(self.count(), 2), most)))

    def height_for(self, rows: int) -> int:
        """The list's height showing `rows` rows, its frame included."""
        return rows * self.row_height() + 2 * self.frameWidth() + 4

    def current_row_point(self) -> QPoint:
        """Where a menu opened from the keyboard belongs: below the current row's text."""
        chosen = self.selectedItems()
        item: QListWidgetItem | None = self.currentItem() or (chosen[0] if chosen else None)
        if item is None:
            return QPoint(8, 8)
        rect = self.visualItemRect(item)
        return QPoint(rect.left() + 24, rect.bottom())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        shift_f10 = (
            event.key() == Qt.Key.Key_F10 and event.modifiers() == Qt.KeyboardModifier.ShiftModifier
        )
        if shift_f10 or event.key() == Qt.Key.Key_Menu:
            event.accept()
            self.menuRequested.emit()
            return
        super().keyPressEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._most:  # measured again once the style sheet's padding applies to the rows
            self.fit_rows(self._most)

    # -- drag ----------------------------------------------------------------------------
    def mimeTypes(self) -> list[str]:
        return [ISSUES_MIME]

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:
        chosen = [self._issues[int(item.data(IdRole))] for item in items]
        return encode([dragged(i) for i in chosen])

    def supportedDropActions(self) -> Qt.DropAction:
        return MOVE | COPY

    def startDrag(self, _actions: Qt.DropAction) -> None:
        # Qt's own drag would take the rows out of this list on a move: the store decides.
        items = self.selectedItems()
        if not items:
            return
        drag = QDrag(self)
        drag.setMimeData(self.mimeData(items))
        drag.exec(MOVE | COPY, MOVE)

    # -- drop ----------------------------------------------------------------------------
    def accepts(self, mime: QMimeData | None) -> list[int]:
        """The dropped issues this list takes (its project's, not already here)."""
        if not self._writable or not self.project_id:
            return []
        items = decode(mime)
        if not items or any(i.project_id != self.project_id for i in items):
            return []
        ids = [i.id for i in items if i.id not in self._issues]
        return ids

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.accepts(event.mimeData()):
            event.setDropAction(COPY)
            event.accept()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self.accepts(event.mimeData()):
            event.setDropAction(COPY)
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        ids = self.accepts(event.mimeData())
        if not ids:
            event.ignore()
            return
        event.setDropAction(COPY)
        event.accept()
        self.issuesDropped.emit(ids, self.target)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.count():
            return
        painter = QPainter(self.viewport())
        painter.setPen(theme.colour("faint_text"))
        flags = int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap)
        painter.drawText(self.viewport().rect().adjusted(8, 0, -8, 0), flags, self._empty_text)
        painter.end()

    def empty_text(self) -> str:
        return self._empty_text

    def _on_self_item_activated(self, item: QListWidgetItem) -> None:
        self.issueActivated.emit(int(item.data(IdRole)))


def dragged(issue: Issue) -> DraggedIssue:
    """An issue as the board's drag payload carries it."""
    return DraggedIssue(
        issue.id,
        issue.key,
        issue.version,
        issue.project_id,
        issue.status_id,
        issue.assignee,
        int(issue.priority),
    )


class SprintSection(QFrame):
    """One planned or active sprint: name, state, dates, count, goal, its issues, one button."""

    startRequested = Signal(str)
    closeRequested = Signal(str)

    def __init__(
        self, sprint: Sprint, parent: QWidget | None = None, *, today: dt.date | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("SprintSection")
        self.sprint = sprint
        active = sprint.state is SprintState.ACTIVE
        self.name_label = QLabel(sprint.name)
        self.name_label.setObjectName("SprintName")
        self.name_label.setFont(ui.scaled_font(self.name_label, 1.05, QFont.Weight.DemiBold))
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)
        self.state_label = QLabel(sprint.state.value.capitalize())
        self.state_label.setObjectName("SprintStateActive" if active else "SprintState")
        self.dates_label = style.muted(QLabel(span_text(sprint.start, sprint.end)))
        self.dates_label.setObjectName("SprintDates")
        self.count_label = style.muted(QLabel(count_text(sprint.issues)))
        self.count_label.setObjectName("SprintCount")
        # The active sprint's clock: how many days it has left, or that it is overdue.
        self.left_label = QLabel()
        self.left_label.setVisible(active and today is not None)
        over = today is not None and today > sprint.end
        self.left_label.setObjectName("SprintOverdue" if over else "SprintLeft")
        if not over:
            style.muted(self.left_label)
        if active and today is not None:
            self.left_label.setText(time_left(sprint.end, today))
        self.button = QPushButton("Close sprint…" if active else "Start sprint")
        self.button.setObjectName("SprintAction")
        self.button.setAccessibleName(f"{'Close' if active else 'Start'} {sprint.name}")
        self.button.clicked.connect(self._on_button_clicked)
        self.goal_label = style.muted(QLabel(sprint.goal))
        self.goal_label.setObjectName("SprintGoal")
        self.goal_label.setTextFormat(Qt.TextFormat.PlainText)
        self.goal_label.setWordWrap(True)
        self.goal_label.setVisible(bool(sprint.goal.strip()))
        self.list = IssueDropList(sprint.name, EMPTY_SPRINT, read_only_text=EMPTY_SPRINT_READ_ONLY)
        self.list.setObjectName("SprintList")

        head = QHBoxLayout()
        head.setSpacing(8)
        head.addWidget(self.name_label)
        head.addWidget(self.state_label)
        head.addStretch(1)
        head.addWidget(self.button)
        facts = QHBoxLayout()
        facts.setSpacing(12)
        facts.addWidget(self.dates_label)
        facts.addWidget(self.count_label)
        facts.addWidget(self.left_label)
        facts.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 10, 12, 12)
        column.setSpacing(4)
        column.addLayout(head)
        column.addLayout(facts)
        column.addWidget(self.goal_label)
        column.addSpacing(4)
        column.addWidget(self.list)

    def show_done(self, done: int) -> None:
        """The count with how many of the issues are done ("9 issues · 3 done")."""
        total = self.sprint.issues
        self.count_label.setText(count_text(total) + (f" · {done:,} done" if total else ""))

    def set_admin(self, admin: bool) -> None:
        """Starting and closing are a project admin's (the button hides for others)."""
        self.button.setVisible(admin)

    def _on_button_clicked(self) -> None:
        if self.sprint.state is SprintState.ACTIVE:
            self.closeRequested.emit(self.sprint.name)
        else:
            self.startRequested.emit(self.sprint.name)
