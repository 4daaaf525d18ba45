"""The status bar's sync state: "Synced 12:03", "Offline, 3 changes waiting", "2 conflicts"."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from tracker_gui.services.sync_types import SyncStatus
from tracker_gui.ui import theme
from tracker_gui.ui.sync_text import entries_text, state_text, state_tip


class SyncStatusWidget(QWidget):
    """The state words, a "2 conflicts" link that raises the Conflicts pane, and Sync now."""

    entriesClicked = Signal()

    def __init__(self, sync_now: QAction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SyncStatus")
        self.state_label = QLabel()
        self.state_label.setObjectName("SyncState")
        self.state_label.setAccessibleName("Sync state")
        self.entries_button = QToolButton()
        self.entries_button.setObjectName("SyncEntries")
        self.entries_button.setAutoRaise(True)
        self.entries_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.entries_button.setToolTip("Show the Conflicts pane")
        self.entries_button.clicked.connect(self.entriesClicked)
        self.entries_button.hide()
        self.sync_button = QToolButton()
        self.sync_button.setObjectName("SyncNowButton")
        self.sync_button.setDefaultAction(sync_now)
        self.sync_button.setAutoRaise(True)
        self.sync_button.setIconSize(QSize(14, 14))
        self.sync_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 0, 4, 0)
        layout.setSpacing(4)
        layout.addWidget(self.state_label)
        layout.addWidget(self.entries_button)
        layout.addWidget(self.sync_button)
        self._status: SyncStatus | None = None
        self._syncing = False
        self.refresh_style()

    def state_text(self) -> str:
        return self.state_label.text()

    def entries_text(self) -> str:
        return self.entries_button.text() if self.entries_button.isVisibleTo(self) else ""

    def show_status(self, status: SyncStatus | None, syncing: bool) -> None:
        self._status, self._syncing = status, syncing
        if status is None:
            self.state_label.setText("Syncing…" if syncing else "")
            self.entries_button.hide()
            return
        self.state_label.setText(state_text(status, syncing))
        self.state_label.setToolTip(state_tip(status))
        entries = entries_text(status)
        self.entries_button.setText(entries)
        self.entries_button.setAccessibleName(f"{entries}: show the Conflicts pane")
        self.entries_button.setVisible(bool(entries))
        self.refresh_style()

    def refresh_style(self) -> None:
        offline = self._status is not None and self._status.state == "offline" and not self._syncing
        # Offline says so in the warning colour (as the live feed's "Polling" did); entries to
        # settle are the one thing here that asks for the user, in the danger colour.
        warn = f"color: {theme.colour('warning').name()}; font-weight: 600;"
        self.state_label.setStyleSheet(warn if offline else "")
        self.entries_button.setStyleSheet(
            f"QToolButton {{ color: {theme.colour('danger').name()}; font-weight: 600;"
            " padding: 0 4px; }"
        )
