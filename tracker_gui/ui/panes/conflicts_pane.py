"""The Conflicts pane: every queued change the server did not take, and the way to settle it."""

from __future__ import annotations

import html

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tracker_gui.services.sync_types import ConflictEntry, Keep, SyncStatus
from tracker_gui.ui import theme
from tracker_gui.ui.models.conflict_model import (
    BASE,
    BY,
    FIELD,
    ISSUE,
    MINE,
    THEIRS,
    ConflictModel,
    EntryRole,
    by_text,
    detail_text,
    field_name,
    value_text,
)
from tracker_gui.ui.store import Store
from tracker_gui.ui.sync_controller import SyncController
from tracker_gui.ui.sync_text import waiting_text
from tracker_gui.ui.widgets import style
from tracker_gui.ui.widgets.provisional import PROVISIONAL_TIP, is_provisional

INTRO = "Changes of yours the server did not take as they were. Nothing is lost until you choose."
EMPTY_TITLE = "No conflicts."
ALL_SENT = "Everything you changed is on the server."
EXTRA_STYLE = """
QTableView#ConflictTable {{
    border: 1px solid {card_border}; border-radius: 6px; background: {base_bg};
    alternate-background-color: {alt_bg}; color: {text}; gridline-color: {separator};
    selection-background-color: {selection_bg}; selection-color: {selection_text};
}}
QTableView#ConflictTable QHeaderView::section {{
    background: {alt_bg}; color: {muted_text}; border: none;
    border-bottom: 1px solid {card_border}; padding: 6px 8px; font-weight: 600;
}}
QLabel#EmptyTitle {{ color: {text}; font-weight: 600; }}
QLabel#RefusedMessage {{
    color: {danger}; background: {danger_soft}; border-radius: 6px; padding: 6px 8px;
}}
QLabel#ValueText {{ color: {text}; }}
"""


class _RowDelegate(QStyledItemDelegate):
    """Rows are selected whole: the current cell's focus frame would only add noise."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.state &= ~QStyle.StateFlag.State_HasFocus


class ConflictsPane(QWidget):
    """A table of entries over the selected entry's details and its actions."""

    issueActivated = Signal(int)  # the issue of an entry's key, to open in the detail pane

    def __init__(
        self, store: Store, controller: SyncController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ConflictsPane")
        self._store = store
        self._controller = controller
        self.model = ConflictModel(self)
        self._editing_id: int | None = None  # the entry whose value is being written
        style.install_style(self, EXTRA_STYLE)
        self.intro = intro = style.muted(QLabel(INTRO))
        intro.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_empty())
        self.stack.addWidget(self._build_list())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(intro)
        layout.addWidget(self.stack, 1)
        controller.entriesChanged.connect(self._on_controller_entries_changed)
        controller.statusChanged.connect(self._on_controller_status_changed)
        self.model.rowsRemoved.connect(self._on_model_rows_removed)
        self.model.rowsInserted.connect(self._on_model_rows_inserted)
        self.model.dataChanged.connect(self._on_model_data_changed)
        theme.notifier.changed.connect(self._on_theme_changed)
        self.set_entries(controller.entries)
        if controller.status is not None:
            self.set_status(controller.status)

    # -- building ------------------------------------------------------------------------
    def _build_empty(self) -> QWidget:
        page = QWidget()
        self.empty_title = QLabel(EMPTY_TITLE)
        self.empty_title.setObjectName("EmptyTitle")
        self.empty_text = style.muted(QLabel(ALL_SENT))
        self.empty_text.setObjectName("EmptyText")
        self.empty_text.setWordWrap(True)
        for label in (self.empty_title, self.empty_text):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        box = QVBoxLayout(page)
        box.addStretch(1)
        box.addWidget(self.empty_title)
        box.addWidget(self.empty_text)
        box.addStretch(2)
        return page

    def _build_list(self) -> QWidget:
        page = QWidget()
        self.table = QTableView()
        self.table.setObjectName("ConflictTable")
        self.table.setAccessibleName("Conflicts and refusals")
        self.table.setModel(self.model)
        self.table.setItemDelegate(_RowDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        fit, stretch = QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch
        for column in (ISSUE, FIELD, BY):
            header.setSectionResizeMode(column, fit)
        for column in (MINE, THEIRS, BASE):
            header.setSectionResizeMode(column, stretch)
        self.table.clicked.connect(self._on_table_clicked)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(8)
        box.addWidget(self.table, 1)
        box.addWidget(self._build_details())
        return page

    def _build_details(self) -> QFrame:
        card = QFrame()
        card.setObjectName("Card")
        self.key_link = QLabel()
        self.key_link.setObjectName("EntryKey")
        self.key_link.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.key_link.linkActivated.connect(self._on_key_link_activated)
        self.field_label = QLabel()
        self.field_label.setFont(_bold(self.field_label.font()))
        self.kind_label = style.muted(QLabel())
        head = QHBoxLayout()
        head.setSpacing(8)
        head.addWidget(self.key_link)
        head.addWidget(self.field_label)
        head.addWidget(self.kind_label, 1)
        self.message_label = QLabel()
        self.message_label.setObjectName("RefusedMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        self.values: dict[str, tuple[QLabel, QLabel]] = {}
        for row, name in enumerate(("Mine", "Theirs", "Base")):
            title = style.muted(QLabel(name))
            value = QLabel()
            value.setObjectName("ValueText")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(title, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, row, 1)
            self.values[name] = (title, value)
        grid.setColumnStretch(1, 1)
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("ValueEditor")
        self.editor.setAccessibleName("The value to keep")
        self.editor.setTabChangesFocus(True)
        self.editor.setFixedHeight(self.editor.fontMetrics().lineSpacing() * 4 + 14)
        self.save_button = self._button("&Keep this", self._on_save_clicked, primary=True)
        self.cancel_button = self._button("Cancel", self._on_cancel_clicked)
        QShortcut(QKeySequence("Ctrl+Return"), self.editor, self._on_save_clicked)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self.editor, self._on_cancel_clicked)
        self.keep_mine = self._button("Keep &mine", self._on_keep_mine_clicked)
        self.keep_theirs = self._button("Keep &theirs", self._on_keep_theirs_clicked)
        self.edit_button = self._button("Edit then &keep…", self._on_edit_clicked)
        self.dismiss_button = self._button("&Dismiss", self._on_dismiss_clicked)
        self.keep_mine.setToolTip("Send your value to the server again, over theirs")
        self.keep_theirs.setToolTip("Drop your change: the server's value stays")
        self.edit_button.setToolTip("Write the value to keep, starting from yours")
        self.dismiss_button.setToolTip("Drop this change: the server's state stays")
        self.actions_row = QHBoxLayout()
        for button in (self.keep_mine, self.keep_theirs, self.edit_button, self.dismiss_button):
            self.actions_row.addWidget(button)
        self.actions_row.addStretch(1)
        self.edit_row = QHBoxLayout()
        self.edit_row.addStretch(1)
        self.edit_row.addWidget(self.cancel_button)
        self.edit_row.addWidget(self.save_button)
        box = QVBoxLayout(card)
        box.setContentsMargins(12, 10, 12, 12)
        box.setSpacing(8)
        box.addLayout(head)
        box.addWidget(self.message_label)
        box.addLayout(grid)
        box.addWidget(self.editor)
        box.addLayout(self.edit_row)
        box.addLayout(self.actions_row)
        self.details = card
        self._set_editing(False)
        return card

    def _button(self, text: str, slot: object, primary: bool = False) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)
        if primary:
            button.setObjectName("Primary")
        button.clicked.connect(slot)
        return button

    # -- what the engine says ------------------------------------------------------------
    def set_entries(self, entries: list[ConflictEntry]) -> None:
        self.model.set_entries(entries)
        self._after_rows_changed()

    def set_status(self, status: SyncStatus) -> None:
        waiting = f"{waiting_text(status.waiting)} to be sent at the next sync."
        self.empty_text.setText(waiting if status.waiting else ALL_SENT)

    def current_entry(self) -> ConflictEntry | None:
        index = self.table.currentIndex()
        entry = index.data(EntryRole) if index.isValid() else None
        return entry if isinstance(entry, ConflictEntry) else None

    def select_entry(self, entry_id: int) -> None:
        row = self.model.row_of(entry_id)
        if row >= 0:
            self._select_row(row)

    def _select_row(self, row: int) -> None:
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().setCurrentIndex(self.model.index(row, ISSUE), flags)

    def _after_rows_changed(self) -> None:
        rows = self.model.rowCount()
        self.stack.setCurrentIndex(1 if rows else 0)
        self.intro.setVisible(bool(rows))  # the empty state speaks for itself
        if rows and not self.table.currentIndex().isValid():
            self._select_row(0)
        if not self._typing():
            self._show_entry(self.current_entry())

    def _typing(self) -> bool:
        """The editor is open on an entry still listed: a sync's new rows must not close it."""
        editing = self._editing_id
        return editing is not None and self.editor.isVisible() and self.model.row_of(editing) >= 0

    def _show_entry(self, entry: ConflictEntry | None) -> None:
        self.details.setVisible(entry is not None)
        if entry is None:
            return
        key, accent = html.escape(entry.key), theme.colour("accent").name()
        self.key_link.setText(f'<a href="{key}" style="color: {accent}">{key}</a>')
        self.key_link.setFont(_italic(self.key_link.font(), is_provisional(entry.key)))
        tip = f"Open {entry.key} in the detail pane"
        self.key_link.setToolTip(f"{tip}\n{PROVISIONAL_TIP}" if is_provisional(entry.key) else tip)
        self.field_label.setText(field_name(entry))
        conflict = entry.kind == "conflict"
        self.kind_label.setText(
            f"changed on the server by {by_text(entry)}" if conflict else "refused by the server"
        )
        self.message_label.setText(f"The server refused this change: {entry.message}")
        self.message_label.setVisible(not conflict)
        for name, value in (("Mine", entry.mine), ("Theirs", entry.theirs), ("Base", entry.base)):
            label = self.values[name][1]
            label.setText(detail_text(value))
            whole = value_text(value)
            label.setToolTip(whole if whole != label.text() else "")
        for name in ("Theirs", "Base"):
            for widget in self.values[name]:
                widget.setVisible(conflict)
        self._set_editing(False)

    def _set_editing(self, editing: bool) -> None:
        if not editing:
            self._editing_id = None
        self.editor.setVisible(editing)
        self.save_button.setVisible(editing)
        self.cancel_button.setVisible(editing)
        entry = self.current_entry()
        conflict = entry is not None and entry.kind == "conflict"
        for button in (self.keep_mine, self.keep_theirs, self.edit_button):
            button.setVisible(conflict and not editing)
        self.dismiss_button.setVisible(entry is not None and not conflict and not editing)

    # -- actions -------------------------------------------------------------------------
    def _resolve(
        self, *, keep: Keep | None = None, value: str | None = None, dismiss: bool = False
    ) -> bool:
        entry = self.current_entry()
        if entry is None:
            return False
        row = self.table.currentIndex().row()
        result = self._controller.resolve(entry.id, keep=keep, value=value, dismiss=dismiss)
        if result.ok and self.model.rowCount():
            self._select_row(min(row, self.model.rowCount() - 1))
            self.table.setFocus()
        return result.ok

    def _on_keep_mine_clicked(self) -> None:
        self._resolve(keep="mine")

    def _on_keep_theirs_clicked(self) -> None:
        self._resolve(keep="theirs")

    def _on_dismiss_clicked(self) -> None:
        self._resolve(dismiss=True)

    def _on_edit_clicked(self) -> None:
        entry = self.current_entry()
        if entry is None:
            return
        mine = value_text(entry.mine)
        self.editor.setPlainText("" if entry.mine is None else mine)
        self._set_editing(True)
        self._editing_id = entry.id
        self.editor.setFocus()
        self.editor.selectAll()

    def _on_save_clicked(self) -> None:
        if self.editor.isVisible():
            self._resolve(value=self.editor.toPlainText())

    def _on_cancel_clicked(self) -> None:
        self._set_editing(False)
        self.table.setFocus()

    def open_key(self, key: str) -> bool:
        """Open the entry's issue in the detail pane; say so when this copy no longer has it."""
        issue = self._store.issue_by_key(key)
        if issue is None:
            self._store.errorOccurred.emit(f"{key} is not in this copy any more")
            return False
        self.issueActivated.emit(issue.id)
        return True

    def _on_key_link_activated(self, key: str) -> None:
        self.open_key(key)

    def _on_table_clicked(self, index: QModelIndex) -> None:
        if index.column() == ISSUE:
            self.open_key(str(index.data(Qt.ItemDataRole.DisplayRole)))

    def _on_table_activated(self, index: QModelIndex) -> None:
        entry = index.data(EntryRole)
        if isinstance(entry, ConflictEntry):
            self.open_key(entry.key)

    def _on_table_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_entry(current.data(EntryRole) if current.isValid() else None)

    def _on_controller_entries_changed(self, entries: list[ConflictEntry]) -> None:
        self.set_entries(entries)

    def _on_controller_status_changed(self, status: SyncStatus) -> None:
        self.set_status(status)

    def _on_theme_changed(self, _dark: bool) -> None:
        if not self._typing():
            self._show_entry(self.current_entry())

    def _on_model_rows_removed(self, *_args: object) -> None:
        self._after_rows_changed()

    def _on_model_rows_inserted(self, *_args: object) -> None:
        self._after_rows_changed()

    def _on_model_data_changed(self, *_args: object) -> None:
        if not self._typing():
            self._show_entry(self.current_entry())


def _bold(font: QFont) -> QFont:
    out = QFont(font)
    out.setWeight(QFont.Weight.DemiBold)
    return out


def _italic(font: QFont, italic: bool) -> QFont:
    out = QFont(font)
    out.setItalic(italic)
    return out
