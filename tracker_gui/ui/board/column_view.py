"""The list view of one board column: card drag and drop, keyboard moves, a refusal overlay."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QProxyStyle,
    QScrollBar,
    QStyle,
    QStyleOption,
    QStyleOptionViewItem,
    QWidget,
)

from tracker_gui.ui.board.column_model import ColumnModel, IssueIdRole
from tracker_gui.ui.board.dnd import decode
from tracker_gui.ui.widgets.card_style import CARD_MARGIN_X, board_colours

BAR_WIDTH = 10
MOVE_MODIFIERS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
MOVE_HINT = "Ctrl+Shift+←/→ moves the selected cards to the next column; Ctrl+Shift+↑/↓ reorders"


class _DropLineStyle(QProxyStyle):
    """Draws the drop indicator as a short accent bar between cards instead of a thin box."""

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if element != QStyle.PrimitiveElement.PE_IndicatorItemViewItemDrop:
            super().drawPrimitive(element, option, painter, widget)
            return
        rect: QRect = option.rect
        if rect.height() > 0:  # "on item" is never offered: cards are not drop targets
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = board_colours().accent
        y = rect.top()
        left, right = rect.left() + CARD_MARGIN_X, rect.right() - CARD_MARGIN_X
        painter.setPen(QPen(colour, 3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.drawLine(left + 4, y, right - 4, y)
        painter.setPen(QPen(colour, 2))
        painter.setBrush(board_colours().card)
        painter.drawEllipse(QRectF(left - 2, y - 4, 8, 8))
        painter.restore()


_shared: list[_DropLineStyle] = []


def _drop_style() -> _DropLineStyle:
    """One proxy style for every column, owned by the application (styles outlive widgets)."""
    if not _shared:
        style = _DropLineStyle()
        style.setParent(QCoreApplication.instance())
        _shared.append(style)
    return _shared[0]


class ColumnView(QListView):
    """Cards of one ColumnModel. Signals carry what only the board can do (other columns)."""

    issueActivated = Signal(int)
    neighbourRequested = Signal(int)  # -1 / +1: move focus to the column on the left / right
    transferRequested = Signal(int)  # -1 / +1: move the selected cards to that column
    dragHovered = Signal(QPoint)  # global position of a drag over this view (board scrolls)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The real scroll bar stays hidden; an overlay one floats over the cards' right margin
        # so cards keep one width whether or not the column scrolls.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verticalScrollBar().setSingleStep(24)
        self._bar = QScrollBar(Qt.Orientation.Vertical, self)
        self._bar.setObjectName("BoardColumnScrollBar")
        self._bar.hide()
        native = self.verticalScrollBar()
        native.rangeChanged.connect(self._on_native_range_changed)
        native.valueChanged.connect(self._bar.setValue)
        self._bar.valueChanged.connect(native.setValue)
        self._refusal = ""
        self._empty_text = ""
        self._fit_rows: int | None = None
        self.setStyle(_drop_style())
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setUniformItemSizes(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QListView.Shape.NoFrame)
        self.setAutoScrollMargin(32)
        self.setMouseTracking(True)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_Hover, True)
        self.setAttribute(Qt.WidgetAttribute.WA_MacShowFocusRect, False)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Base, Qt.GlobalColor.transparent)
        self.setPalette(palette)
        self.viewport().setAutoFillBackground(False)
        self.setToolTip("")
        self.setWhatsThis(MOVE_HINT)
        self.doubleClicked.connect(self._on_self_double_clicked)

    def column_model(self) -> ColumnModel | None:
        model = self.model()
        return model if isinstance(model, ColumnModel) else None

    def selected_rows(self) -> list[int]:
        return sorted(i.row() for i in self.selectionModel().selectedRows()) if self.model() else []

    def current_issue_id(self) -> int | None:
        index = self.currentIndex()
        if index.isValid() and self.selectionModel().isSelected(index):
            return int(index.data(IssueIdRole))
        rows = self.selected_rows()
        return int(self.model().index(rows[0], 0).data(IssueIdRole)) if rows else None

    def set_writable(self, writable: bool) -> None:
        """Cards drag and drop only where this login may write (a viewer's board: neither)."""
        self.setDragEnabled(writable)
        self.setAcceptDrops(writable)
        self.setDragDropMode(
            QAbstractItemView.DragDropMode.DragDrop
            if writable
            else QAbstractItemView.DragDropMode.NoDragDrop
        )

    # -- sizing in swimlanes -------------------------------------------------------------
    def set_fit_rows(self, rows: int | None) -> None:
        """In a swimlane: be as tall as the cards (at most `rows` of them, then scroll)."""
        self._fit_rows = rows
        self.updateGeometry()

    def row_height(self) -> int:
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        return self.itemDelegate().sizeHint(option, QModelIndex()).height()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        model = self.model()
        if self._fit_rows is None or model is None:
            return hint
        rows = model.rowCount()
        lazy = self.column_model()
        if lazy is not None and not lazy.is_loaded():
            rows = lazy.total()  # reserve the room its cards will take once loaded
        shown = max(1, min(rows, self._fit_rows))
        return QSize(hint.width(), shown * self.row_height())

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint() if self._fit_rows is not None else super().minimumSizeHint()

    # -- overlay scroll bar --------------------------------------------------------------
    def _on_native_range_changed(self, low: int, high: int) -> None:
        self._bar.setRange(low, high)
        self._sync_bar()

    def _sync_bar(self) -> None:
        native = self.verticalScrollBar()
        self._bar.setPageStep(native.pageStep())
        self._bar.setSingleStep(native.singleStep())
        self._bar.setValue(native.value())
        self._bar.setVisible(native.maximum() > native.minimum())
        self._bar.setGeometry(self.width() - BAR_WIDTH, 2, BAR_WIDTH, self.height() - 4)
        self._bar.raise_()

    def updateGeometries(self) -> None:
        super().updateGeometries()
        self._sync_bar()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._sync_bar()

    # -- keyboard ------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        arrows = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: +1}
        if mods == MOVE_MODIFIERS and key in arrows:
            self.transferRequested.emit(arrows[Qt.Key(key)])
            return
        if mods == MOVE_MODIFIERS and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            model = self.column_model()
            if model is not None:
                model.shift(self.selected_rows(), -1 if key == Qt.Key.Key_Up else +1)
                self._reveal_selection()
            return
        if mods == Qt.KeyboardModifier.NoModifier and key in arrows:
            self.neighbourRequested.emit(arrows[Qt.Key(key)])
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != self.State.EditingState:
            issue_id = self.current_issue_id()
            if issue_id is not None:
                self.issueActivated.emit(issue_id)
            return
        super().keyPressEvent(event)

    def _reveal_selection(self) -> None:
        rows = self.selected_rows()
        if rows:
            self.scrollTo(self.model().index(rows[0], 0))

    def _on_self_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.issueActivated.emit(int(index.data(IssueIdRole)))

    # -- drag and drop -------------------------------------------------------------------
    def _check(self, event: QDragMoveEvent | QDropEvent) -> bool:
        """Whether the dragged cards may come here; a refusal is shown over the column."""
        model = self.column_model()
        items = decode(event.mimeData())
        reason = (model.refusal(items) or "") if model is not None and items else ""
        if reason != self._refusal:
            self._refusal = reason
            self.viewport().update()
        return model is not None and bool(items) and not reason

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if not decode(event.mimeData()):
            event.ignore()
            return
        self._check(event)
        super().dragEnterEvent(event)
        # Stay the drop target even for a forbidden move, so every dragMoveEvent below can
        # refuse it with the not-allowed cursor and dragLeaveEvent clears the overlay.
        event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self.dragHovered.emit(self.viewport().mapToGlobal(event.position().toPoint()))
        if not self._check(event):
            event.ignore()
            return
        super().dragMoveEvent(event)

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._clear_refusal()
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        allowed = self._check(event)
        self._clear_refusal()
        if not allowed:
            event.ignore()
            return
        super().dropEvent(event)

    def _clear_refusal(self) -> None:
        if self._refusal:
            self._refusal = ""
            self.viewport().update()

    def refusal(self) -> str:
        """Why the card being dragged over this column may not be dropped ("" when it may)."""
        return self._refusal

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._refusal:
            self._paint_refusal()
        elif self._fit_rows is None and self.model() is not None and not self.model().rowCount():
            painter = QPainter(self.viewport())
            painter.setPen(board_colours().faint)
            box = self.viewport().rect().adjusted(0, 16, 0, 0)
            flags = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            painter.drawText(box, flags | int(Qt.TextFlag.TextWordWrap), self.empty_text())
            painter.end()

    def empty_text(self) -> str:
        """What the column says while it has no cards."""
        return self._empty_text or "No issues"

    def set_empty_text(self, text: str) -> None:
        """Say `text` instead of "No issues" while empty ("": back to "No issues")."""
        if text != self._empty_text:
            self._empty_text = text
            self.viewport().update()

    def _paint_refusal(self) -> None:
        """A red wash over the column and a small card in the middle saying why not."""
        c = board_colours()
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(self.viewport().rect()).adjusted(4, 4, -4, -4)
        wash = QColor(c.danger_soft)
        wash.setAlphaF(0.82)
        painter.setPen(QPen(c.danger, 1.5, Qt.PenStyle.DashLine))
        painter.setBrush(wash)
        painter.drawRoundedRect(area, 8, 8)
        key, sep, rest = self._refusal.partition(": ")
        detail = rest[:1].upper() + rest[1:] if sep and " " not in key else self._refusal
        title_font = QFont(self.font())
        title_font.setWeight(QFont.Weight.DemiBold)
        width = area.width() - 48
        flags = int(Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap)
        body = QFontMetricsF(self.font()).boundingRect(QRectF(0, 0, width, 1000), flags, detail)
        title_h = QFontMetricsF(title_font).height()
        box_h = 16 + title_h + 4 + body.height() + 16
        box = QRectF(area.left() + 12, area.center().y() - box_h / 2, area.width() - 24, box_h)
        painter.setPen(QPen(c.danger, 1))
        painter.setBrush(c.card)
        painter.drawRoundedRect(box, 8, 8)
        painter.setPen(c.danger)
        painter.setFont(title_font)
        title_box = QRectF(box.left(), box.top() + 16, box.width(), title_h)
        painter.drawText(title_box, int(Qt.AlignmentFlag.AlignCenter), "Can't move here")
        painter.setPen(c.text)
        painter.setFont(self.font())
        body_box = QRectF(box.left() + 12, title_box.bottom() + 4, width, body.height())
        painter.drawText(body_box, flags, detail)
        painter.end()
