"""The status bar (database, busy, issue count) and the inline notice for errors."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QSizePolicy,
    QStatusBar,
    QToolButton,
    QWidget,
)

from tracker_gui.ui import icons
from tracker_gui.ui.store import Store

NOTICE_MS = 8000
COUNT_DELAY_MS = 60


class StatusBar(QStatusBar):
    """Messages on the left (the bar's one message area); the database, busy indicator, feed
    mode and filtered issue count on the right as permanent widgets that a message never covers.

    The database once sat in the message area as a normal widget: a message shown before the
    window was visible (notifications unavailable, at start) left it showing underneath.
    """

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("StatusBar")
        self.setSizeGripEnabled(False)
        self._store = store
        self.database_icon = QLabel()
        self.database_icon.setContentsMargins(8, 0, 0, 0)
        self.refresh_icons()
        self.database_label = ElidedLabel(store.database_label)
        self.database_label.setObjectName("DatabaseLabel")
        self.database_label.setToolTip(f"Database: {store.database_label}")
        self.database_label.setAccessibleName("Database")
        self._busy_count = 0  # writes and transfers under way (each says busy, then done)
        self.busy = QProgressBar()
        self.busy.setObjectName("BusyIndicator")
        self.busy.setAccessibleName("Working")
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setFixedSize(72, 4)
        self.busy.hide()
        self.count_label = QLabel()
        self.count_label.setObjectName("IssueCount")
        self.addPermanentWidget(self.database_icon)
        self.addPermanentWidget(self.database_label)
        self.addPermanentWidget(self.busy)
        self.addPermanentWidget(self.count_label)
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(COUNT_DELAY_MS)
        self._count_timer.timeout.connect(self.refresh_count)
        store.busyChanged.connect(self._on_store_busy_changed)
        store.filterChanged.connect(self._on_store_filter_changed)
        store.issuesChanged.connect(self._on_store_issues_changed)
        self.refresh_count()

    def resizeEvent(self, event: QResizeEvent) -> None:
        # The path gets at most ~45% of the bar; the rest is the message area.
        self.database_label.setMaximumWidth(max(120, int(event.size().width() * 0.45)))
        super().resizeEvent(event)

    def refresh_icons(self) -> None:
        self.database_icon.setPixmap(icons.icon("database", "muted_text").pixmap(QSize(14, 14)))

    def refresh_count(self) -> int:
        """One COUNT query for the current filter (never per paint)."""
        n = self._store.count()
        self.count_label.setText(f"{n:,} issue{'' if n == 1 else 's'}")
        return n

    def set_database_label(self, text: str) -> None:
        self.database_label.set_full_text(text)
        self.database_label.setToolTip(f"Database: {text}")

    def _on_store_busy_changed(self, busy: bool) -> None:
        # Counted: a write during an export ends its own busy spell, not the export's.
        self._busy_count = max(0, self._busy_count + (1 if busy else -1))
        self.busy.setVisible(self._busy_count > 0)

    def _on_store_filter_changed(self, _flt: object) -> None:
        self._count_timer.start()

    def _on_store_issues_changed(self, _updates: list[object]) -> None:
        self._count_timer.start()


class ElidedLabel(QLabel):
    """A one-line label that shortens its text in the middle (paths keep both ends)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = text
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(60)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = text
        self._elide()
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()  # for the text shown now: padding and margins included
        extra = hint.width() - self.fontMetrics().horizontalAdvance(self.text())
        return QSize(self.fontMetrics().horizontalAdvance(self._full) + extra, hint.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(60, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(self.contentsRect().width(), 40)
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideMiddle, width)
        if shown != self.text():
            self.setText(shown)


class InlineNotice(QFrame):
    """A non-modal notice floating above the status bar; hides itself after a while."""

    dismissed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("InlineNotice")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.setSpacing(8)
        self.icon = QLabel()
        self.icon.setPixmap(icons.icon("warning").pixmap(QSize(18, 18)))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setIcon(icons.icon("close", "muted_text"))
        close.setIconSize(QSize(14, 14))
        close.setAutoRaise(True)
        close.setToolTip("Dismiss")
        close.setAccessibleName("Dismiss")
        close.clicked.connect(self._on_close_clicked)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.message, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.hide()

    def show_message(self, text: str, msec: int = NOTICE_MS) -> None:
        self.message.setText(text)
        self.reposition()
        self.show()
        self.raise_()
        self._timer.start(msec)

    def reposition(self) -> None:
        host = self.parentWidget()
        if host is None:
            return
        width = min(560, max(280, host.width() - 48))
        self.setFixedWidth(width)
        self.adjustSize()
        bar = getattr(host, "statusBar", None)
        bottom = host.height() - (bar().height() if callable(bar) else 0) - 16
        self.move((host.width() - width) // 2, bottom - self.height())

    def _on_close_clicked(self) -> None:
        self.hide()
        self.dismissed.emit()

    def _on_timer_timeout(self) -> None:
        self.hide()
