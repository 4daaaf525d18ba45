"""The running timer in the status bar: the issue's key and the elapsed time; a click opens it."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from tracker_gui.ui import icons
from tracker_gui.ui.work_timer import WorkTimer, elapsed_text

TICK_MS = 1000


class TimerIndicator(QToolButton):
    """Hidden while no timer runs. Its menu stops (logging the time) or discards the timer."""

    openRequested = Signal(int)  # issue id

    def __init__(self, timer: WorkTimer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TimerIndicator")
        self._timer = timer
        self.setAutoRaise(True)
        self.setIconSize(QSize(14, 14))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        menu = QMenu(self)
        self.stop_action = QAction("Stop and log the time", self)
        self.stop_action.triggered.connect(self._on_stop_action_triggered)
        self.discard_action = QAction("Discard the timer", self)
        self.discard_action.triggered.connect(self._on_discard_action_triggered)
        menu.addAction(self.stop_action)
        menu.addAction(self.discard_action)
        self.setMenu(menu)
        self.clicked.connect(self._on_self_clicked)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self.refresh)
        timer.changed.connect(self.refresh)
        self.refresh_icons()
        self.refresh()

    def refresh_icons(self) -> None:
        self.setIcon(icons.icon("clock", "accent"))

    def refresh(self) -> None:
        """Show the key and the elapsed time now (each second while running)."""
        running = self._timer.running()
        if running is None:
            self._tick.stop()
            self.hide()
            return
        elapsed = elapsed_text(self._timer.elapsed())
        self.setText(f"{running.key}  {elapsed}")
        self.setToolTip(f"Timer running on {running.key} for {elapsed}: click to open the issue")
        self.setAccessibleName(f"Timer on {running.key}, {elapsed}")
        if not self._tick.isActive():
            self._tick.start()
        self.show()

    def _on_self_clicked(self) -> None:
        running = self._timer.running()
        if running is not None:
            self.openRequested.emit(running.issue_id)

    def _on_stop_action_triggered(self) -> None:
        self._timer.stop()

    def _on_discard_action_triggered(self) -> None:
        self._timer.discard()
