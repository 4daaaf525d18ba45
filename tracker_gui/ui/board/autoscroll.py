"""Scrolls the board sideways while a card is dragged near its left or right edge."""

from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import QAbstractScrollArea, QFrame, QScrollArea

EDGE = 56  # px from the edge where scrolling starts
STEP = 18  # px per tick
TICK_MS = 30


def scroll_areas() -> tuple[QScrollArea, QScrollArea]:
    """The board's header strip and body: the strip scrolls sideways with the body."""
    strip, body = QScrollArea(), QScrollArea()
    strip.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    strip.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    strip.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
    for area in (strip, body):
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidgetResizable(True)
        area.setStyleSheet("QScrollArea { background: transparent; }")
        area.viewport().setAutoFillBackground(False)
    body.horizontalScrollBar().valueChanged.connect(strip.horizontalScrollBar().setValue)
    return strip, body


class EdgeScroller(QObject):
    """Call `hover(global_pos)` on every drag move; it keeps scrolling until the cursor leaves."""

    def __init__(self, area: QScrollArea) -> None:
        super().__init__(area)
        self._area = area
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    def direction(self, global_pos: QPoint) -> int:
        viewport = self._area.viewport()
        x = viewport.mapFromGlobal(global_pos).x()
        if x < EDGE:
            return -1
        return 1 if x > viewport.width() - EDGE else 0

    def hover(self, global_pos: QPoint) -> None:
        if self.direction(global_pos) and not self._timer.isActive():
            self._timer.start()

    def _on_timer_timeout(self) -> None:
        dragging = QGuiApplication.mouseButtons() != Qt.MouseButton.NoButton
        step = self.direction(QCursor.pos()) if dragging else 0
        if not step:
            self._timer.stop()
            return
        bar = self._area.horizontalScrollBar()
        bar.setValue(bar.value() + step * STEP)
