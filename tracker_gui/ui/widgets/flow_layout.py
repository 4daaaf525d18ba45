"""A box whose children flow left to right and wrap like words, each at its size hint."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QWidget, QWidgetItem


class FlowLayout(QLayout):
    """Places items at their size hint, wrapping to a new row when the next one does not fit."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def add(self, widget: QWidget) -> None:
        self.addChildWidget(widget)
        self.addItem(QWidgetItem(widget))

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._place(rect, move=True)

    def widest(self) -> int:
        """The widest item: narrower than this, an item would have to be squeezed."""
        hints = [item.sizeHint().width() for item in self._shown()]
        m = self.contentsMargins()
        return max(hints, default=0) + m.left() + m.right()

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        width = self.widest()
        return QSize(width, self.heightForWidth(width))

    def _shown(self) -> list[QLayoutItem]:
        shown = []
        for item in self._items:
            widget = item.widget()
            if widget is None or not widget.isHidden():
                shown.append(item)
        return shown

    def _place(self, rect: QRect, move: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line = area.x(), area.y(), 0
        for item in self._shown():
            hint = item.sizeHint()
            if x + hint.width() > area.right() + 1 and line > 0:
                x, y, line = area.x(), y + line + self._gap, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._gap
            line = max(line, hint.height())
        return y + line - rect.y() + m.bottom()


class FlowBox(QWidget):
    """Chips or pickers that wrap; its minimum height follows its width and its children.

    A flow inside a box layout used to keep the height of its last layout: a picker whose
    text grew ("Status: In progress") wrapped onto a row that had no room, and the row
    overlapped the next section or was cut to a sliver.
    """

    def __init__(self, spacing: int = 6, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flow = FlowLayout(self, spacing)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def add(self, widget: QWidget) -> None:
        self.flow.add(widget)
        self._fit()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self.flow.heightForWidth(width)

    def minimumSizeHint(self) -> QSize:
        width = self.flow.widest()
        return QSize(width, self.heightForWidth(max(self.width(), width)))

    def sizeHint(self) -> QSize:
        return self.minimumSizeHint()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:
            self._fit()  # a child's size hint changed: its row may wrap differently now
        return handled

    def _fit(self) -> None:
        width = max(self.width(), self.flow.widest())
        height = self.heightForWidth(width)
        if self.minimumHeight() != height:
            self.setMinimumHeight(height)
            self.updateGeometry()


class HeightForWidthKeeper(QObject):
    """Holds a pane at least as tall as its layout needs at its current width.

    Qt honours height-for-width only in top-level windows: inside a dock, a pane's minimum
    comes from its children's one-line minimums, so wrapped chips and wrapped labels were
    squeezed into each other when the dock was short.
    """

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self._widget = widget
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() in (
            QEvent.Type.Resize,
            QEvent.Type.LayoutRequest,
        ):
            self.fit()
        return False

    def fit(self) -> None:
        layout = self._widget.layout()
        if layout is None or not layout.hasHeightForWidth():
            return
        height = layout.totalHeightForWidth(max(1, self._widget.width()))
        if height > 0 and self._widget.minimumHeight() != height:
            self._widget.setMinimumHeight(height)
