"""Swimlanes: which lanes a board shows (by assignee or priority) and the lane header row."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFont, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from tracker_gui.domain import people
from tracker_gui.domain.enums import Priority
from tracker_gui.domain.models import IssueFilter, User
from tracker_gui.ui import theme
from tracker_gui.ui.board.column_model import Lane
from tracker_gui.ui.board.grid import CellGrid
from tracker_gui.ui.icons import icon
from tracker_gui.ui.store import Store
from tracker_gui.ui.widgets.card_style import board_colours

MODES = ("none", "assignee", "priority")
UNASSIGNED = "Unassigned"


def board_scope(flt: IssueFilter, project_id: int) -> IssueFilter:
    """The store's filter narrowed to one project (a filter naming other projects stays so)."""
    return flt if flt.project_ids else dataclasses.replace(flt, project_ids=(project_id,))


def candidate_lanes(mode: str, flt: IssueFilter, users: list[User]) -> list[Lane]:
    """Every lane the filter leaves possible, in display order (empty ones included)."""
    if mode == "priority":
        return [
            Lane("priority", int(p), p.name.title())
            for p in sorted(Priority, reverse=True)
            if not flt.priorities or p in flt.priorities
        ]
    if mode != "assignee":
        return []
    everyone = not flt.assignees and not flt.unassigned
    lanes = [
        Lane("assignee", u.username, people.user_shown(u))
        for u in sorted(users, key=lambda u: (u.display_name or u.username).casefold())
        if everyone or u.username in flt.assignees
    ]
    if everyone or flt.unassigned:
        lanes.append(Lane("assignee", None, UNASSIGNED))
    return lanes


def keep_lane(lane: Lane, count: int, me: str) -> bool:
    """Empty people lanes are hidden; priority lanes, "Unassigned" and my own always show."""
    return lane.kind == "priority" or lane.value in (None, me) or count > 0


class _Avatar(QWidget):
    """Initials in a coloured circle (the lane's person)."""

    def __init__(self, username: str, initials: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._username = username
        self._initials = initials
        self.setFixedSize(20, 20)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.avatar_colour(self._username))
        painter.drawEllipse(QRectF(self.rect()))
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.72))
        font.setWeight(QFont.Weight.Bold)
        painter.setFont(font)
        painter.setPen(board_colours().avatar_text)
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._initials)
        painter.end()


class LaneHeader(QWidget):
    """A lane's title row spanning the board: chevron (collapse), who or which priority, count."""

    toggled = Signal(bool)  # True = expanded

    def __init__(self, lane: Lane, initials: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lane = lane
        self.setObjectName("BoardLaneHeader")
        self._expanded = True
        self.chevron = QToolButton()
        self.chevron.setAutoRaise(True)
        self.chevron.setIconSize(QSize(14, 14))
        self.chevron.setToolTip("Collapse or expand this lane")
        self.chevron.clicked.connect(self._on_chevron_clicked)
        self.title = QLabel(lane.title)
        self.count = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 10, 8, 4)
        layout.setSpacing(8)
        layout.addWidget(self.chevron)
        if lane.kind == "assignee" and lane.value is not None:
            layout.addWidget(_Avatar(str(lane.value), initials or str(lane.value)[:2].upper()))
        elif lane.kind == "priority":
            badge = QLabel()
            badge.setPixmap(
                icon(f"priority-{Priority(int(lane.value or 3)).label}").pixmap(
                    QSize(16, 16), self.devicePixelRatioF()
                )
            )
            layout.addWidget(badge)
        layout.addWidget(self.title)
        layout.addWidget(self.count)
        layout.addStretch(1)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.restyle()

    def is_expanded(self) -> bool:
        return self._expanded

    def set_expanded(self, expanded: bool) -> None:
        if expanded != self._expanded:
            self._expanded = expanded
            self.restyle()
            self.toggled.emit(expanded)

    def set_count(self, count: int) -> None:
        self.count.setText(f"{count} issue{'s' if count != 1 else ''}")

    def restyle(self) -> None:
        c = board_colours()
        name = "chevron-down" if self._expanded else "chevron-right"
        self.chevron.setIcon(icon(name, "muted_text"))
        self.title.setStyleSheet(f"color: {c.text.name()}; font-weight: 600;")
        self.count.setStyleSheet(f"color: {c.muted.name()};")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.set_expanded(not self._expanded)
        super().mouseReleaseEvent(event)

    def _on_chevron_clicked(self) -> None:
        self.set_expanded(not self._expanded)


def shown_lanes(
    store: Store, mode: str, scope: IssueFilter, status_ids: list[int]
) -> list[tuple[Lane, dict[int, int]]]:
    """The lanes to show with their counts per status (one count query per candidate lane)."""
    if mode == "none":
        return []
    out = []
    for lane in candidate_lanes(mode, store.filter, store.users()):
        counts = store.counts_by_status(lane.scope(scope))
        if keep_lane(lane, sum(counts.get(s, 0) for s in status_ids), store.me):
            out.append((lane, counts))
    return out


PRELOAD = 400  # px below the visible part of the board whose lanes load their cards


def load_visible(
    lanes: list[tuple[LaneHeader, QWidget]], grid: CellGrid, viewport: QWidget, shown: bool
) -> None:
    """Load the cards of the open lanes in view (or about to be); `shown`: the board is."""
    bottom = viewport.height() + PRELOAD
    for n, (header, container) in enumerate(lanes):
        if not header.is_expanded():
            continue
        if not shown:  # not laid out yet: the first lanes, the rest on show
            if n >= 2:
                break
        elif container.mapTo(viewport, QPoint(0, 0)).y() > bottom:
            continue
        for cell in grid:
            if cell.lane == header.lane:
                cell.model.ensure_loaded()
