"""Column chrome: the rounded column background, the header (status, count, WIP) and quick add."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tracker_gui.domain.models import Status
from tracker_gui.ui.icons import icon
from tracker_gui.ui.widgets.card_style import board_colours

RADIUS = 10
COLLAPSED_TOP = 12  # where the text down a collapsed strip starts


class ColumnFrame(QWidget):
    """Paints a column's rounded background; `corners` is "all", "top" or "bottom".

    Collapsed (`set_collapsed_text`), it is a slim strip with the text running down it, and a
    click on it emits `expandRequested`.
    """

    expandRequested = Signal()

    def __init__(self, corners: str = "all", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._corners = corners
        self._tint: QColor | None = None
        self._collapsed_text: str | None = None

    def collapsed_text(self) -> str | None:
        """The text down the collapsed strip (None: the column is open)."""
        return self._collapsed_text

    def set_collapsed_text(self, text: str | None) -> None:
        if text == self._collapsed_text:
            return
        self._collapsed_text = text
        self.setCursor(Qt.CursorShape.PointingHandCursor if text else Qt.CursorShape.ArrowCursor)
        self.setToolTip(f"{text}: click to expand" if text else "")
        self.setAccessibleName(f"{text}, collapsed column" if text else "")
        self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._collapsed_text is not None and event.button() == Qt.MouseButton.LeftButton:
            self.expandRequested.emit()
            return
        super().mousePressEvent(event)

    def set_corners(self, corners: str) -> None:
        self._corners = corners
        self.update()

    def set_tint(self, tint: QColor | None) -> None:
        self._tint = tint
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        colours = board_colours()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect())
        path = QPainterPath()
        path.addRoundedRect(rect, RADIUS, RADIUS)
        square = QPainterPath()
        if self._corners == "top":
            square.addRect(rect.adjusted(0, rect.height() / 2, 0, 0))
        elif self._corners == "bottom":
            square.addRect(rect.adjusted(0, 0, 0, -rect.height() / 2))
        path = path.united(square) if not square.isEmpty() else path
        painter.fillPath(path, colours.column)
        if self._tint is not None:
            painter.fillPath(path, self._tint)
        if self._collapsed_text:
            self._paint_down(painter, self._collapsed_text, colours.column_header)
        painter.end()

    def _paint_down(self, painter: QPainter, text: str, colour: QColor) -> None:
        """`text` reading top to bottom, centred across the strip."""
        font = QFont(self.font())
        font.setWeight(QFont.Weight.DemiBold)
        metrics = QFontMetricsF(font)
        room = self.height() - 2 * COLLAPSED_TOP
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(0.0, room))
        painter.save()
        painter.setFont(font)
        painter.setPen(colour)
        painter.translate(self.width() / 2, COLLAPSED_TOP)
        painter.rotate(90)
        painter.drawText(QPointF(0, (metrics.ascent() - metrics.descent()) / 2), shown)
        painter.restore()


class QuickAdd(QLineEdit):
    """ "+ Add issue": Enter submits the title, Escape clears (a second Escape leaves the field)."""

    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("+ Add issue")
        self.setAcceptDrops(False)
        self.setClearButtonEnabled(False)
        self.setObjectName("BoardQuickAdd")
        self.setToolTip("Type a title and press Enter to add an issue here; Esc clears")
        self.setMaxLength(500)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            text = self.text().strip()
            if text:
                self.submitted.emit(text)
            return
        if event.key() == Qt.Key.Key_Escape:
            if self.text():
                self.clear()
            else:
                self.clearFocus()
            return
        super().keyPressEvent(event)


class ColumnHeader(ColumnFrame):
    """Status dot, name, count ("3 / 5" with a WIP limit; red and tinted over it), add buttons."""

    quickAdded = Signal(str)
    newIssueRequested = Signal()
    collapseToggled = Signal(bool)  # True: the user wants the column collapsed

    def __init__(self, status: Status, parent: QWidget | None = None) -> None:
        super().__init__("top", parent)
        self.setObjectName("BoardColumnHeader")
        self._status = status
        self._writable = True
        self._collapsed = False
        self._count = 0
        self.collapse_button = QToolButton()
        self.collapse_button.setAutoRaise(True)
        self.collapse_button.setIconSize(QSize(14, 14))
        self.collapse_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.collapse_button.clicked.connect(self._on_collapse_button_clicked)
        self.dot = QLabel()
        self.dot.setFixedSize(10, 10)
        self.name = QLabel()
        self.name.setObjectName("BoardColumnName")
        self.name.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.count = QLabel("0")
        self.count.setObjectName("BoardColumnCount")
        self.count.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.add_button = QToolButton()
        self.add_button.setIcon(icon("add", "muted_text"))
        self.add_button.setIconSize(QSize(16, 16))
        self.add_button.setAutoRaise(True)
        self.add_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.add_button.clicked.connect(self.newIssueRequested)
        self.quick_add = QuickAdd()
        self.quick_add.submitted.connect(self.quickAdded)
        top = QHBoxLayout()
        top.setContentsMargins(6, 0, 6, 0)
        top.setSpacing(6)
        top.addWidget(self.collapse_button)
        top.addWidget(self.dot)
        top.addWidget(self.name, 1)
        top.addWidget(self.count)
        top.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 4)
        layout.setSpacing(6)
        layout.addLayout(top)
        quick = QHBoxLayout()
        quick.setContentsMargins(8, 0, 8, 0)
        quick.addWidget(self.quick_add)
        layout.addLayout(quick)
        self.set_status(status)

    @property
    def status(self) -> Status:
        return self._status

    def set_status(self, status: Status) -> None:
        self._status = status
        self.name.setText(status.name)
        self.name.setToolTip(status.name)
        self.add_button.setToolTip(f"New issue in {status.name}…")
        self._show_parts()
        self.add_button.setAccessibleName(f"New issue in {status.name}")
        self.quick_add.setAccessibleName(f"Add an issue to {status.name}")
        self.restyle()

    def set_writable(self, writable: bool) -> None:
        """Enable, or disable and hide, the add button and the quick add (a viewer's board)."""
        self._writable = writable
        self._show_parts()

    def is_collapsed(self) -> bool:
        return self._collapsed

    def set_collapsed(self, collapsed: bool) -> None:
        """Only the expand button shows (the column below says its name and count)."""
        self._collapsed = collapsed
        self._show_parts()

    def _show_parts(self) -> None:
        shown = not self._collapsed
        for label in (self.dot, self.name, self.count):
            if label.isVisibleTo(self) != shown:
                label.setVisible(shown)
        adders: tuple[tuple[QWidget, bool], ...] = (
            (self.add_button, shown),
            (self.quick_add, False),
        )
        for part, keep_shape in adders:
            part.setEnabled(self._writable)
            policy = part.sizePolicy()
            policy.setRetainSizeWhenHidden(keep_shape)  # the add button keeps the header's shape
            part.setSizePolicy(policy)
            want = self._writable and shown
            if part.isVisibleTo(self) != want:
                part.setVisible(want)
        name = self._status.name
        self.collapse_button.setIcon(
            icon("chevron-right" if self._collapsed else "chevron-down", "muted_text")
        )
        self.collapse_button.setToolTip(f"Expand {name}" if self._collapsed else f"Collapse {name}")
        self.collapse_button.setAccessibleName(self.collapse_button.toolTip())

    def _on_collapse_button_clicked(self) -> None:
        self.collapseToggled.emit(not self._collapsed)

    def set_count(self, count: int) -> None:
        if count == self._count:
            return
        was_over = self.over_limit()
        self._count = count
        if self.over_limit() != was_over:
            self.restyle()  # the pill and the column tint change colour
        else:
            self._show_count()  # style sheets are costly: a new number needs none

    def _show_count(self) -> None:
        limit = self._status.wip_limit
        self.count.setText(f"{self._count} / {limit}" if limit else str(self._count))
        if limit:
            state = "over the" if self.over_limit() else "within the"
            self.count.setToolTip(f"{self._count} issues, {state} WIP limit of {limit}")
        else:
            self.count.setToolTip(f"{self._count} issues")

    def over_limit(self) -> bool:
        limit = self._status.wip_limit
        return limit is not None and self._count > limit

    def restyle(self) -> None:
        """Apply counts and colours (also after a theme change)."""
        c = board_colours()
        self._show_count()
        over = self.over_limit()
        self.setProperty("overLimit", over)
        dot = QColor(self._status.colour) if self._status.colour else c.muted
        self.dot.setStyleSheet(f"background: {dot.name()}; border-radius: 5px;")
        self.name.setStyleSheet(
            f"color: {c.column_header.name()}; font-weight: 600; background: transparent;"
        )
        pill_bg = c.danger if over else c.border
        text = QColor("#ffffff") if over else c.muted
        self.count.setStyleSheet(
            f"color: {text.name()}; background: {pill_bg.name()}; border-radius: 9px;"
            "padding: 1px 8px; font-weight: 600; min-height: 16px;"
        )
        tint = QColor(c.danger)
        tint.setAlphaF(0.12 if not c.dark else 0.2)
        self.set_tint(tint if over else None)
        self.quick_add.setStyleSheet(
            "QLineEdit#BoardQuickAdd {"
            f" background: transparent; color: {c.text.name()}; border: 1px solid transparent;"
            " border-radius: 6px; padding: 5px 8px; }"
            "QLineEdit#BoardQuickAdd:hover {"
            f" background: {c.card.name()}; border-color: {c.border.name()}; }}"
            "QLineEdit#BoardQuickAdd:focus {"
            f" background: {c.card.name()}; border-color: {c.accent.name()}; }}"
        )
