"""The issue list pane: a sortable, paged table of every issue the filter lets through."""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tracker_gui.ui import theme
from tracker_gui.ui.models.issue_table_model import (
    ASSIGNEE,
    COLUMNS,
    DUE,
    KEY,
    LABELS,
    LOGGED,
    PRIORITY,
    REMAINING,
    STATUS,
    TITLE,
    TYPE,
    UPDATED,
    IssueIdRole,
    IssueTableModel,
    LabelsRole,
    StatusColourRole,
)
from tracker_gui.ui.store import Store

ROW_HEIGHT = 36
TITLE_MIN = 260
WIDTHS = {  # everything but Title, which takes the rest (and at least TITLE_MIN)
    TYPE: 56,
    STATUS: 136,
    PRIORITY: 100,
    ASSIGNEE: 120,
    LABELS: 176,
    DUE: 100,
    UPDATED: 92,
    LOGGED: 80,
    REMAINING: 92,
}


class IssueRowDelegate(QStyledItemDelegate):
    """Status as a coloured dot + name, labels as chips, hover and selection as soft fills."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 8, ROW_HEIGHT)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        colours = theme.palette_colours()
        painter.save()
        rect = option.rect
        state = option.state
        if state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, colours["selection_bg"])
        elif state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, colours["alt_bg"])
        painter.setPen(colours["separator"])
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        painter.restore()
        column = index.column()
        if column == TYPE:
            icon = index.data(Qt.ItemDataRole.DecorationRole)
            if icon is not None:
                icon.paint(painter, QRect(rect.x() + 12, rect.center().y() - 8, 16, 16))
        elif column == ASSIGNEE:
            self._paint_assignee(painter, option, index, colours)
        elif column == STATUS:
            self._paint_status(painter, option, index, colours)
        elif column == LABELS:
            self._paint_labels(painter, option, index, colours)
        else:
            opt = QStyleOptionViewItem(option)
            self.initStyleOption(opt, index)
            opt.state &= ~QStyle.StateFlag.State_Selected
            opt.state &= ~QStyle.StateFlag.State_HasFocus
            opt.state &= ~QStyle.StateFlag.State_MouseOver
            opt.rect = rect.adjusted(8, 0, -4, 0)
            if column == TITLE:
                opt.font.setWeight(opt.font.Weight.Medium)
            style = opt.widget.style() if opt.widget else None
            if style is not None:
                style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)

    def _paint_status(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
        colours: dict[str, QColor],
    ) -> None:
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        dot = index.data(StatusColourRole) or colours["muted_text"]
        rect: QRect = option.rect
        fm = QFontMetrics(option.font)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pill_w = min(rect.width() - 16, fm.horizontalAdvance(text) + 32)
        pill = QRectF(rect.x() + 8, rect.center().y() - 11, pill_w, 22)
        tint = QColor(dot)
        tint.setAlpha(38 if not theme.is_dark() else 64)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(tint)
        painter.drawRoundedRect(pill, 11, 11)
        painter.setBrush(QColor(dot))
        painter.drawEllipse(QRectF(pill.x() + 9, pill.center().y() - 3.5, 7, 7))
        painter.setPen(colours["text"])
        text_rect = pill.adjusted(22, 0, -8, 0).toRect()
        painter.drawText(
            text_rect,
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            fm.elidedText(text, Qt.TextElideMode.ElideRight, text_rect.width()),
        )
        painter.restore()

    def _paint_assignee(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
        colours: dict[str, QColor],
    ) -> None:
        name = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        rect: QRect = option.rect
        fm = QFontMetrics(option.font)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not name:
            painter.setPen(colours["faint_text"])
            painter.drawText(
                rect.adjusted(8, 0, -4, 0), int(Qt.AlignmentFlag.AlignVCenter), "Unassigned"
            )
            painter.restore()
            return
        bubble = QRectF(rect.x() + 8, rect.center().y() - 10, 20, 20)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.avatar_colour(name))
        painter.drawEllipse(bubble)
        small = QFont(option.font)
        small.setPointSizeF(max(6.0, small.pointSizeF() - 2))
        small.setWeight(QFont.Weight.DemiBold)
        painter.setFont(small)
        painter.setPen(colours["avatar_text"])
        painter.drawText(bubble, int(Qt.AlignmentFlag.AlignCenter), name[:2].upper())
        painter.setFont(option.font)
        painter.setPen(colours["text"])
        text_rect = rect.adjusted(34, 0, -4, 0)
        painter.drawText(
            text_rect,
            int(Qt.AlignmentFlag.AlignVCenter),
            fm.elidedText(name, Qt.TextElideMode.ElideRight, text_rect.width()),
        )
        painter.restore()

    def _paint_labels(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
        colours: dict[str, QColor],
    ) -> None:
        labels = index.data(LabelsRole) or ()
        rect: QRect = option.rect
        font = option.font
        font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
        fm = QFontMetrics(font)
        painter.save()
        painter.setFont(font)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        x = rect.x() + 8
        right = rect.right() - 4
        more_width = fm.horizontalAdvance("+99") + 6
        for n, name in enumerate(labels):
            width = fm.horizontalAdvance(name) + 14
            last = n == len(labels) - 1
            room = right - x - (0 if last else more_width)
            if width > room:
                painter.setPen(colours["muted_text"])
                painter.drawText(
                    QRect(x, rect.y(), max(more_width, right - x), rect.height()),
                    int(Qt.AlignmentFlag.AlignVCenter),
                    f"+{len(labels) - n}",
                )
                break
            background, foreground = theme.label_colours(name)
            chip = QRectF(x, rect.center().y() - 10, width, 20)
            path = QPainterPath()
            path.addRoundedRect(chip, 6, 6)
            painter.fillPath(path, background)
            painter.setPen(foreground)
            painter.drawText(chip, int(Qt.AlignmentFlag.AlignCenter), name)
            x += width + 4
        painter.restore()


class IssueListPane(QWidget):
    """A table of issues: click selects (detail follows), Enter or double-click opens."""

    issueActivated = Signal(int)
    currentIssueChanged = Signal(object)  # issue id or None

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.model = IssueTableModel(store, self, active=False)  # loads when first shown
        self.view = QTableView(self)
        self.view.setObjectName("IssueTable")
        self.view.setAccessibleName("Issues")
        self.view.setModel(self.model)
        self.view.setItemDelegate(IssueRowDelegate(self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.setMouseTracking(True)
        self.view.setFrameShape(QTableView.Shape.NoFrame)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setIconSize(QSize(16, 16))
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.view.horizontalHeader()
        header.setObjectName("IssueTableHeader")
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setMinimumSectionSize(48)
        header.setStretchLastSection(False)
        self._fit_columns(initial=True)
        column, order = self.model.sort_state()
        header.setSortIndicator(column, order)
        header.setSortIndicatorShown(True)
        self.view.setSortingEnabled(True)
        header.sortIndicatorChanged.connect(self._on_header_sort_indicator_changed)
        self.view.activated.connect(self._on_view_activated)
        selection = self.view.selectionModel()
        selection.selectionChanged.connect(self._on_selection_changed)
        self.empty = QLabel("No issues match the filter", self.view.viewport())
        self.empty.setObjectName("EmptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.model.modelReset.connect(self._update_empty)
        self.model.rowsInserted.connect(self._update_empty)
        self.model.rowsRemoved.connect(self._update_empty)
        self.view.viewport().installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self._apply_header_style()
        theme.notifier.changed.connect(self._on_theme_changed)
        self._update_empty()

    def current_issue_id(self) -> int | None:
        index = self.view.currentIndex()
        value = index.data(IssueIdRole) if index.isValid() else None
        return int(value) if value is not None else None

    def select_issue(self, issue_id: int) -> bool:
        """Select the row of an issue if it is loaded; False otherwise."""
        row = self.model.row_of(issue_id)
        if row is None:
            return False
        index = self.model.index(row, TITLE)
        self.view.setCurrentIndex(index)
        # Centred by its key: centring the title cell scrolls a narrow list sideways.
        key = self.model.index(row, KEY)
        self.view.scrollTo(key, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self.empty.setGeometry(self.view.viewport().rect())
            self._fit_columns()
        return super().eventFilter(watched, event)

    def _fit_columns(self, initial: bool = False) -> None:
        """Short columns get set widths once; Title takes the rest (at least TITLE_MIN)."""
        header = self.view.horizontalHeader()
        if initial:
            fm = QFontMetrics(self.view.font())
            widths = {**WIDTHS, KEY: fm.horizontalAdvance("DEMO-00000") + 20}
            for column, width in widths.items():
                header.resizeSection(column, width)
        others = sum(header.sectionSize(c) for c in range(len(COLUMNS)) if c != TITLE)
        title = max(TITLE_MIN, self.view.viewport().width() - others)
        if header.sectionSize(TITLE) != title:
            header.resizeSection(TITLE, title)

    def _apply_header_style(self) -> None:
        c = theme.palette_colours()
        self.view.setStyleSheet(
            f"QTableView#IssueTable {{ background: {c['base_bg'].name()}; border: none; }}"
            f"QHeaderView::section {{ background: {c['base_bg'].name()};"
            f" color: {c['muted_text'].name()}; border: none;"
            f" border-bottom: 1px solid {c['separator'].name()}; padding: 6px 8px;"
            " font-weight: 600; }"
        )
        self.empty.setStyleSheet(f"color: {c['muted_text'].name()}; font-size: 11pt;")

    def _update_empty(self, *_args: object) -> None:
        self.empty.setGeometry(self.view.viewport().rect())
        self.empty.setVisible(self.model.rowCount() == 0)

    def _on_theme_changed(self, _dark: bool) -> None:
        self._apply_header_style()
        self.view.viewport().update()

    def _on_header_sort_indicator_changed(self, column: int, order: Qt.SortOrder) -> None:
        if self.model.can_sort(column, order):
            return
        # That order is not offered: put the indicator back where the rows really are.
        header = self.view.horizontalHeader()
        current, current_order = self.model.sort_state()
        header.blockSignals(True)
        header.setSortIndicator(current, current_order)
        header.blockSignals(False)

    def _on_view_activated(self, index: QModelIndex) -> None:
        value = index.data(IssueIdRole)
        if value is not None:
            self.issueActivated.emit(int(value))

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.view.selectionModel().selectedRows()
        value = rows[0].data(IssueIdRole) if rows else None
        self.currentIssueChanged.emit(int(value) if value is not None else None)
