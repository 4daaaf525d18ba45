"""The activity pane: who changed what, newest first, with avatars and relative times."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QTextDocument, QTextOption
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from tracker_gui.ui import icons, theme
from tracker_gui.ui.models.activity_model import (
    ActionRole,
    ActivityModel,
    ActorRole,
    IconNameRole,
    IssueIdRole,
    TimeTextRole,
)
from tracker_gui.ui.store import Store

PAD = 8
AVATAR = 28


def initials(name: str) -> str:
    parts = [p for p in name.replace(".", " ").replace("_", " ").split() if p]
    if len(parts) >= 2:
        return (parts[0][0] + parts[-1][0]).upper()
    return name[:2].upper() if name else "?"


class ActivityDelegate(QStyledItemDelegate):
    """Avatar bubble, 'actor action' wrapped over two lines at most, then a muted time line."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view
        # Laying out rich text is the costly part of sizeHint, asked for every row on every
        # layout pass: remember the wrapped height per (text, width).
        self._heights: dict[tuple[str, str, int], float] = {}

    def _document(self, index: QModelIndex | QPersistentModelIndex, width: float) -> QTextDocument:
        colours = theme.palette_colours()
        actor = html.escape(str(index.data(ActorRole) or ""))
        action = html.escape(str(index.data(ActionRole) or ""))
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(self._view.font())
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        doc.setDefaultTextOption(option)
        doc.setHtml(
            f"<span style='color:{colours['text'].name()}; font-weight:600'>{actor}</span>"
            f" <span style='color:{colours['text'].name()}'>{action}</span>"
        )
        doc.setTextWidth(max(40.0, width))
        return doc

    def _text_width(self) -> float:
        return float(self._view.viewport().width() - (PAD * 3 + AVATAR) - PAD - 20)

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        width = self._text_width()
        key = (str(index.data(ActorRole) or ""), str(index.data(ActionRole) or ""), int(width))
        height = self._heights.get(key)
        if height is None:
            if len(self._heights) > 5000:
                self._heights.clear()
            height = self._heights[key] = self._document(index, width).size().height()
        line = QFontMetrics(self._view.font()).height()
        text_height = min(height, line * 3 + 2)
        return QSize(self._view.viewport().width(), int(text_height + line + PAD * 2 + 2))

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        colours = theme.palette_colours()
        rect = option.rect
        state = option.state
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, colours["selection_bg"])
        elif state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, colours["alt_bg"])
        actor = str(index.data(ActorRole) or "")
        bubble = QRectF(rect.x() + PAD * 1.5, rect.y() + PAD + 2, AVATAR, AVATAR)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.avatar_colour(actor))
        painter.drawEllipse(bubble)
        small = QFont(self._view.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() - 1.5))
        small.setWeight(QFont.Weight.DemiBold)
        painter.setFont(small)
        painter.setPen(colours["avatar_text"])
        painter.drawText(bubble, int(Qt.AlignmentFlag.AlignCenter), initials(actor))
        left = bubble.right() + PAD * 1.5
        width = self._text_width()
        doc = self._document(index, width)
        line = QFontMetrics(self._view.font()).height()
        text_height = min(doc.size().height(), line * 3 + 2)
        painter.save()
        painter.translate(QPointF(left, rect.y() + PAD))
        painter.setClipRect(QRectF(0, 0, width, text_height))
        doc.drawContents(painter)
        painter.restore()
        icon_name = str(index.data(IconNameRole) or "activity")
        time_y = rect.y() + PAD + text_height + 2
        pix = icons.icon(icon_name, "faint_text").pixmap(QSize(12, 12))
        painter.drawPixmap(int(left), int(time_y + (line - 12) / 2), pix)
        painter.setFont(small)
        painter.setPen(colours["muted_text"])
        painter.drawText(
            QRectF(left + 16, time_y, width - 16, line),
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            str(index.data(TimeTextRole) or ""),
        )
        painter.setPen(colours["separator"])
        painter.drawLine(
            rect.bottomLeft() + QPointF(left - rect.x(), 0).toPoint(), rect.bottomRight()
        )
        painter.restore()


class ActivityPane(QWidget):
    """Recent changes by everyone; double-click or Enter opens the issue."""

    issueActivated = Signal(int)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ActivityModel(store, self)
        self.view = QListView(self)
        self.view.setObjectName("ActivityList")
        self.view.setAccessibleName("Activity")
        self.view.setModel(self.model)
        self.view.setItemDelegate(ActivityDelegate(self.view))
        self.view.setFrameShape(QListView.Shape.NoFrame)
        self.view.setMouseTracking(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setUniformItemSizes(False)
        # Rows wrap rich text, so each needs its own height: lay them out a screenful at a
        # time while the event loop is idle instead of all 200 before the first paint.
        self.view.setLayoutMode(QListView.LayoutMode.Batched)
        self.view.setBatchSize(25)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.activated.connect(self._on_view_activated)
        self.empty = QLabel("No activity yet.\nChanges by anyone show up here.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setObjectName("EmptyState")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.view)
        layout.addWidget(self.empty)
        self.model.rowsInserted.connect(self._update_empty)
        self.model.rowsRemoved.connect(self._update_empty)
        self.model.modelReset.connect(self._update_empty)
        theme.notifier.changed.connect(self._on_theme_changed)
        self._on_theme_changed(theme.is_dark())
        self._update_empty()

    def _update_empty(self, *_args: object) -> None:
        empty = self.model.rowCount() == 0
        self.empty.setVisible(empty)
        self.view.setVisible(not empty)

    def _on_theme_changed(self, _dark: bool) -> None:
        c = theme.palette_colours()
        self.view.setStyleSheet(
            f"QListView#ActivityList {{ background: {c['base_bg'].name()}; border: none; }}"
        )
        self.empty.setStyleSheet(
            f"color: {c['muted_text'].name()}; background: {c['base_bg'].name()};"
        )
        self.view.viewport().update()

    def _on_view_activated(self, index: QModelIndex) -> None:
        value = index.data(IssueIdRole)
        if value is not None:
            self.issueActivated.emit(int(value))
