"""The quick switcher (Ctrl+K): type a key or words, see matching issues, Enter opens one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QKeyEvent, QPainter, QPainterPath
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from tracker_gui.domain.enums import StatusCategory
from tracker_gui.domain.models import SearchHit, Segment
from tracker_gui.ui import theme
from tracker_gui.ui.icons import icon

AnyIndex = QModelIndex | QPersistentModelIndex
HitRole = Qt.ItemDataRole.UserRole + 1
# Typing settles for this long before a search runs: fast typists send one query, not five.
DEBOUNCE_MS = 60
LIMIT = 20
ROW_HEIGHT = 54
PAD = 12
EMPTY_HINT = "Type an issue key like TRK-12, a number in this project, or any words"
Finder = Callable[[str, str | None, int], list[SearchHit]]


class HitModel(QAbstractListModel):
    """The hits of the last search; replaced whole on each search (at most LIMIT rows)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hits: list[SearchHit] = []

    def set_hits(self, hits: Sequence[SearchHit]) -> None:
        self.beginResetModel()
        self.hits = list(hits)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.hits):
            return None
        hit = self.hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{hit.key} {hit.plain_title}"
        if role == HitRole:
            return hit
        if role == Qt.ItemDataRole.ToolTipRole:
            return hit.plain_title
        return None


def _category_colour(category: StatusCategory) -> tuple[QColor, QColor]:
    name = {StatusCategory.DONE: "success", StatusCategory.IN_PROGRESS: "accent"}.get(
        category, "muted_text"
    )
    soft = {"success": "success_soft", "accent": "accent_soft"}.get(name, "chip_bg")
    return theme.colour(name), theme.colour(soft)


def paint_runs(
    painter: QPainter,
    at: QPoint,
    width: float,
    runs: Sequence[Segment],
    font: QFont,
    colour: QColor,
) -> None:
    """Text runs on one baseline, matches bold on a soft accent mark, elided at `width`."""
    plain_m = QFontMetricsF(font)
    bold = QFont(font)
    bold.setWeight(QFont.Weight.Bold)
    bold_m = QFontMetricsF(bold)
    x = float(at.x())
    right = x + width
    ellipsis_w = plain_m.horizontalAdvance("…")
    for whole, matched in runs:
        metrics = bold_m if matched else plain_m
        text = whole
        advance = metrics.horizontalAdvance(text)
        clipped = x + advance > right
        if clipped:
            text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, right - x)
            advance = metrics.horizontalAdvance(text)
        if matched and text:
            mark = QRectF(x - 1, at.y() - metrics.ascent() - 1, advance + 2, metrics.height() + 2)
            path = QPainterPath()
            path.addRoundedRect(mark, 3, 3)
            painter.fillPath(path, theme.colour("accent_soft"))
        painter.setFont(bold if matched else font)
        painter.setPen(theme.colour("accent") if matched else colour)
        painter.drawText(QPoint(round(x), at.y()), text)
        x += advance
        if clipped or x + ellipsis_w > right:
            break


class HitDelegate(QStyledItemDelegate):
    """Two lines per hit: key, title and status pill; then the matching snippet, muted."""

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        return QSize(option.rect.width(), ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        hit = index.data(HitRole)
        if not isinstance(hit, SearchHit):
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(option.rect).adjusted(6, 2, -6, -2)
        if option.state & QStyle.StateFlag.State_Selected:
            path = QPainterPath()
            path.addRoundedRect(rect, 7, 7)
            painter.fillPath(path, theme.colour("selection_bg"))
        elif option.state & QStyle.StateFlag.State_MouseOver:
            path = QPainterPath()
            path.addRoundedRect(rect, 7, 7)
            painter.fillPath(path, theme.colour("hover_bg"))
        font = QFont(option.font)
        metrics = QFontMetricsF(font)
        left = rect.left() + PAD
        # One line sits in the middle of the row; two lines start from the top.
        if hit.snippet:
            top_line = round(rect.top() + 8 + metrics.ascent())
        else:
            top_line = round(rect.center().y() - metrics.height() / 2 + metrics.ascent())
        # Key, in a column as wide as the widest key shown, so titles line up.
        key_font = QFont(font)
        key_font.setWeight(QFont.Weight.DemiBold)
        key_m = QFontMetricsF(key_font)
        painter.setFont(key_font)
        painter.setPen(theme.colour("muted_text"))
        painter.drawText(QPoint(round(left), top_line), hit.key)
        model = index.model()
        keys = [model.index(r, 0).data(HitRole) for r in range(model.rowCount())]
        widest = max((key_m.horizontalAdvance(h.key) for h in keys if h is not None), default=0)
        key_w = max(widest, key_m.horizontalAdvance(hit.key)) + 14
        # Status pill on the right.
        small = QFont(font)
        small.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        small_m = QFontMetricsF(small)
        text_colour, pill_bg = _category_colour(hit.category)
        pill_w = small_m.horizontalAdvance(hit.status) + 14
        pill_h = small_m.height() + 4
        pill_top = top_line - metrics.ascent() + (metrics.height() - pill_h) / 2
        pill = QRectF(rect.right() - PAD - pill_w, pill_top, pill_w, pill_h)
        path = QPainterPath()
        path.addRoundedRect(pill, pill.height() / 2, pill.height() / 2)
        painter.fillPath(path, pill_bg)
        painter.setFont(small)
        painter.setPen(text_colour)
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, hit.status)
        title_w = pill.left() - 10 - (left + key_w)
        paint_runs(painter, QPoint(round(left + key_w), top_line), title_w, hit.title,
                   font, theme.colour("text"))  # fmt: skip
        if hit.snippet:
            snippet_font = QFont(font)
            snippet_font.setPointSizeF(max(6.0, font.pointSizeF() * 0.92))
            baseline = round(top_line + metrics.height() + 5)
            width = rect.right() - PAD - (left + key_w)
            paint_runs(painter, QPoint(round(left + key_w), baseline), width, hit.snippet,
                       snippet_font, theme.colour("muted_text"))  # fmt: skip
        painter.restore()


class SearchInput(QLineEdit):
    """The query line: arrows and Enter act on the list below while typing stays here."""

    moved = Signal(int)  # rows to move the selection by
    submitted = Signal()

    STEPS = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 5, Qt.Key.Key_PageUp: -5}

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in self.STEPS:
            self.moved.emit(self.STEPS[Qt.Key(key)])
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submitted.emit()
        else:
            super().keyPressEvent(event)


class QuickSwitcher(QDialog):
    """A command-palette popup over the window; `issueChosen(id)` when a hit is opened."""

    issueChosen = Signal(int)

    def __init__(self, find: Finder, project_key: str | None, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Popup | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("QuickSwitcher")
        # An opaque window with square corners: rounded corners need a translucent window,
        # which without a compositor (plain X11, remote desktops) shows black corners.
        self._find = find
        self._project_key = project_key
        self._searched = ""
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self._on_timer_timeout)

        self.frame = QFrame(self)
        self.frame.setObjectName("QuickSwitcherFrame")
        self.edit = SearchInput()
        self.edit.setObjectName("QuickSwitcherInput")
        self.edit.setPlaceholderText("Go to issue: key or words…")
        self.edit.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.edit.setClearButtonEnabled(True)
        self.edit.textChanged.connect(self._on_edit_text_changed)
        self.edit.moved.connect(self._on_edit_moved)
        self.edit.submitted.connect(self._on_edit_submitted)
        self.model = HitModel(self)
        self.view = QListView()
        self.view.setObjectName("QuickSwitcherList")
        self.view.setModel(self.model)
        self.view.setItemDelegate(HitDelegate(self.view))
        self.view.setMouseTracking(True)
        self.view.setUniformItemSizes(True)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # The delegate elides to the width: a sideways scroll bar would only waste a row.
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.clicked.connect(self._on_view_clicked)
        self.hint = QLabel(EMPTY_HINT)
        self.hint.setObjectName("QuickSwitcherHint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.footer = QLabel("↑ ↓ to move   ·   Enter to open   ·   Esc to close")
        self.footer.setObjectName("QuickSwitcherFooter")
        self.count = QLabel("")
        self.count.setObjectName("QuickSwitcherFooter")
        self._layout()
        self._style()
        self._show_state()

    def _layout(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.frame)
        inner = QVBoxLayout(self.frame)
        inner.setContentsMargins(10, 10, 10, 8)
        inner.setSpacing(8)
        inner.addWidget(self.edit)
        inner.addWidget(self.view, 1)
        inner.addWidget(self.hint, 1)
        foot = QHBoxLayout()
        foot.setContentsMargins(6, 0, 6, 0)
        foot.addWidget(self.footer)
        foot.addStretch(1)
        foot.addWidget(self.count)
        inner.addLayout(foot)
        self.resize(640, 440)

    def _style(self) -> None:
        c = theme.colour
        self.setStyleSheet(
            f"""
            #QuickSwitcher {{ background: {c("base_bg").name()}; }}
            #QuickSwitcherFrame {{ background: {c("base_bg").name()};
                border: 1px solid {c("card_hover_border").name()}; border-radius: 0; }}
            #QuickSwitcherInput {{ font-size: 15px; padding: 8px 8px; border: none;
                border-bottom: 1px solid {c("separator").name()}; border-radius: 0;
                background: transparent; }}
            #QuickSwitcherList {{ background: transparent; }}
            #QuickSwitcherHint {{ color: {c("muted_text").name()}; padding: 24px; }}
            #QuickSwitcherFooter {{ color: {c("faint_text").name()}; font-size: 11px; }}
            """
        )

    # -- public ------------------------------------------------------------------------
    def popup_over(self, window: QWidget) -> None:
        """Show centred near the top of `window`, like a command palette."""
        width = min(680, max(420, window.width() - 80))
        self.resize(width, min(460, max(260, window.height() - 120)))
        top_left = window.mapToGlobal(QPoint((window.width() - width) // 2, 70))
        self.move(top_left)
        self.show()
        self.edit.setFocus()

    def reset(self, project_key: str | None) -> None:
        """Empty again, for a new look-up; a bare number now means an issue of `project_key`."""
        self._project_key = project_key
        self.edit.clear()
        self.timer.stop()  # clear() started it
        self._searched = ""
        self.model.set_hits([])
        self._show_state()

    def hits(self) -> list[SearchHit]:
        return list(self.model.hits)

    def search_now(self) -> None:
        """Run the pending search at once (Enter must not open a stale first hit)."""
        self.timer.stop()
        text = self.edit.text().strip()
        if text == self._searched:
            return
        self._searched = text
        hits = self._find(text, self._project_key, LIMIT) if text else []
        self.model.set_hits(hits)
        if hits:
            self.view.setCurrentIndex(self.model.index(0, 0))
        self._show_state()

    # -- internals ---------------------------------------------------------------------
    def _show_state(self) -> None:
        hits = self.model.rowCount()
        self.view.setVisible(hits > 0)
        self.hint.setVisible(hits == 0)
        if not self._searched:
            self.hint.setText(EMPTY_HINT)
        else:
            self.hint.setText(f"No issue matches “{self._searched}”")
        more = "+" if hits == LIMIT else ""
        noun = "issue" if hits == 1 else "issues"
        self.count.setText(f"{hits}{more} {noun}" if hits else "")

    def _move(self, step: int) -> None:
        rows = self.model.rowCount()
        if not rows:
            return
        row = self.view.currentIndex().row()
        row = max(0, min(rows - 1, (row if row >= 0 else -1) + step))
        self.view.setCurrentIndex(self.model.index(row, 0))

    def _open(self, index: QModelIndex) -> None:
        hit = index.data(HitRole) if index.isValid() else None
        if isinstance(hit, SearchHit):
            self.issueChosen.emit(hit.issue_id)
            self.accept()

    def _on_edit_moved(self, step: int) -> None:
        self.search_now()
        self._move(step)

    def _on_edit_submitted(self) -> None:
        self.search_now()
        self._open(self.view.currentIndex())

    def _on_edit_text_changed(self, _text: str) -> None:
        self.timer.start()

    def _on_timer_timeout(self) -> None:
        self.search_now()

    def _on_view_clicked(self, index: QModelIndex) -> None:
        self._open(index)
