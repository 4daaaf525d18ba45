"""Run something once a window has painted for the first time (start-up work that can wait)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

LATEST_MS = 1000  # a window that is not painted (minimised, off screen) still gets it by then


class _FirstPaint(QObject):
    def __init__(self, widget: QWidget, action: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._action: Callable[[], None] | None = action
        widget.installEventFilter(self)
        QTimer.singleShot(LATEST_MS, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Paint and self._action:
            QTimer.singleShot(0, self, self._run)  # after this paint has reached the screen
        return False

    def _run(self) -> None:
        action, self._action = self._action, None
        if action is None:
            return
        self._widget.removeEventFilter(self)
        action()


def after_first_paint(widget: QWidget, action: Callable[[], None]) -> None:
    """Call `action` once, just after `widget` first paints (at the latest after a second)."""
    _FirstPaint(widget, action)
