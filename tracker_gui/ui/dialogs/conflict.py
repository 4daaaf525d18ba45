"""The dialog shown when a save lost a race: yours next to theirs (who, when); reload, overwrite
or merge field by field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tracker_gui.domain.models import Change, Issue
from tracker_gui.errors import ConflictError
from tracker_gui.ui import theme
from tracker_gui.ui.widgets import kit as ui
from tracker_gui.ui.widgets import style

RELOAD = "reload"
OVERWRITE = "overwrite"
MERGE = "merge"
DELETED = "deleted"
ATTRIBUTE = {"status": "status_id", "parent": "parent_id"}
FIELD_NAMES = {"due": "Due date", "parent": "Parent issue"}


def shown(
    field: str,
    value: Any,
    status_names: Mapping[int, str] | None = None,
    key_of: Callable[[int], str | None] | None = None,
    limit: int = 300,
) -> str:
    """A field's value as the conflict dialogs show it (status by name, parent by key)."""
    if value is None or value in ("", ()):
        return "Unassigned" if field == "assignee" else "—"
    if field == "status":  # an id (from an Issue) or already a name (from the store)
        if isinstance(value, int) or str(value).isdigit():
            return (status_names or {}).get(int(value), f"status {value}")
        return str(value)
    if field == "parent" and isinstance(value, int):
        return (key_of(value) if key_of else None) or f"#{value}"
    if field == "priority":
        return str(getattr(value, "label", value)).capitalize()
    if isinstance(value, Enum):
        return str(value.value).capitalize()
    if isinstance(value, tuple | list):
        return ", ".join(map(str, value))
    if isinstance(value, dt.date):
        return value.isoformat()
    if field == "estimate":
        return f"{float(value):g} h"
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


class ConflictDialog(QDialog):
    """`choice` is "reload" (discard mine, the default), "overwrite" (apply mine on theirs) or
    "merge" (apply only the fields whose "Keep mine" box is ticked: `kept()`)."""

    def __init__(
        self,
        error: ConflictError,
        mine: Mapping[str, Any],
        parent: QWidget | None = None,
        *,
        status_names: Mapping[int, str] | None = None,
        key_of: Callable[[int], str | None] | None = None,
        history: Sequence[Change] = (),
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ConflictDialog")
        style.install_style(self)
        self.error = error
        self.mine = dict(mine)
        self.choice = RELOAD
        self._status_names = dict(status_names or {})
        self._key_of = key_of
        self._history = sorted(history, key=lambda c: c.id)
        self.keep_boxes: dict[str, QCheckBox] = {}
        current: Issue | None = error.current
        key = current.key if current is not None else "The issue"
        self.setWindowTitle(f"{key} changed while you were editing")
        self.setMinimumWidth(760)

        heading = QLabel(
            f"{key} was changed by {self._history[-1].actor if self._history else 'someone else'}"
            if current is not None
            else "This issue was deleted by someone else"
        )
        heading.setFont(ui.scaled_font(heading, 1.15, QFont.Weight.DemiBold))
        detail = style.muted(
            QLabel(
                f"Your change was not saved. {self._last_change_text()}Reload to keep their "
                "version, overwrite it with yours, or merge: tick the fields where yours wins."
                if current is not None
                else "Your change was not saved and cannot be applied any more."
            )
        )
        detail.setWordWrap(True)
        self.summary = detail
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("ConflictTable")
        self.table.setHorizontalHeaderLabels(
            ["Field", "Yours", "Theirs (now)", "Changed by", "Keep mine"]
        )
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setMinimumSectionSize(90)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        self._fill(current)

        self.reload_button = QPushButton("Reload (discard mine)")
        self.reload_button.setObjectName("ReloadButton")
        self.reload_button.clicked.connect(self._on_reload_button_clicked)
        self.overwrite_button = QPushButton("Overwrite with mine")
        self.overwrite_button.setObjectName("Primary")
        self.overwrite_button.setEnabled(current is not None and bool(self.mine))
        self.overwrite_button.clicked.connect(self._on_overwrite_button_clicked)
        self.merge_button = QPushButton("Merge (keep ticked fields of mine)")
        self.merge_button.setObjectName("MergeButton")
        self.merge_button.setEnabled(current is not None and bool(self.keep_boxes))
        self.merge_button.clicked.connect(self._on_merge_button_clicked)
        self.reload_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.reload_button)
        buttons.addWidget(self.merge_button)
        buttons.addWidget(self.overwrite_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(detail)
        layout.addWidget(self.table)
        layout.addSpacing(6)
        layout.addLayout(buttons)

    def rows(self) -> list[tuple[str, ...]]:
        """(field, yours, theirs) as shown."""
        out = []
        for r in range(self.table.rowCount()):
            cells = [self.table.item(r, c) for c in range(3)]  # field, yours, theirs
            out.append(tuple(cell.text() if cell else "" for cell in cells))
        return out

    def _fill(self, current: Issue | None) -> None:
        for field, value in self.mine.items():
            yours = self._show(field, value)
            if current is None:
                theirs = DELETED
            else:
                theirs = self._show(field, getattr(current, ATTRIBUTE.get(field, field), None))
            row = self.table.rowCount()
            self.table.insertRow(row)
            name = FIELD_NAMES.get(field, field.capitalize())
            cells = (name, yours, theirs, self._who_when(field) if current is not None else "")
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if col == 0:
                    font = item.font()
                    font.setWeight(QFont.Weight.DemiBold)
                    item.setFont(font)
                elif yours == theirs:
                    item.setForeground(theme.colour("muted_text"))
                self.table.setItem(row, col, item)
            if current is not None and yours != theirs:
                self._add_keep_box(row, field)
        self._fit_table()

    def _add_keep_box(self, row: int, field: str) -> None:
        box = QCheckBox()
        box.setObjectName(f"Keep_{field}")
        box.setChecked(True)
        box.setToolTip("Ticked: your value is saved. Unticked: theirs stays.")
        cell = QWidget()
        lay = QHBoxLayout(cell)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(box, 0, Qt.AlignmentFlag.AlignCenter)
        self.table.setCellWidget(row, 4, cell)
        self.keep_boxes[field] = box

    def kept(self) -> dict[str, Any]:
        """The fields (and my values) a merge writes: ticked ones that differ from theirs."""
        return {f: self.mine[f] for f, box in self.keep_boxes.items() if box.isChecked()}

    def changed_by(self) -> list[str]:
        """The "Changed by" cells as shown, one per field."""
        return [
            (self.table.item(r, 3) or QTableWidgetItem()).text()
            for r in range(self.table.rowCount())
        ]

    def _newest(self, field: str) -> Change | None:
        names = {field, ATTRIBUTE.get(field, field)}
        return next((c for c in reversed(self._history) if c.field in names), None)

    def _who_when(self, field: str) -> str:
        change = self._newest(field)
        if change is None:
            return "—"
        return f"{change.actor}, {self._when(change.at)}"

    @staticmethod
    def _when(at: dt.datetime) -> str:
        local = at.astimezone() if at.tzinfo else at
        today = dt.datetime.now(local.tzinfo).date()
        return local.strftime("%H:%M" if local.date() == today else "%d %b %H:%M")

    def _last_change_text(self) -> str:
        if not self._history:
            return ""
        last = self._history[-1]
        return f"Last changed by {last.actor} at {self._when(last.at)}. "

    def _fit_table(self) -> None:
        """Tall enough for every (wrapped) row: no inner scrolling, no empty space."""
        self.table.resizeRowsToContents()
        for row in range(self.table.rowCount()):
            self.table.setRowHeight(row, max(self.table.rowHeight(row) + 8, 34))
        height = self.table.horizontalHeader().sizeHint().height() + 2 * self.table.frameWidth()
        height += sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        self.table.setFixedHeight(height + 2)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_table()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_table()

    def _show(self, field: str, value: Any) -> str:
        return shown(field, value, self._status_names, self._key_of)

    def _on_reload_button_clicked(self) -> None:
        self.choice = RELOAD
        self.accept()

    def _on_merge_button_clicked(self) -> None:
        self.choice = MERGE
        self.accept()

    def _on_overwrite_button_clicked(self) -> None:
        self.choice = OVERWRITE
        self.accept()


# -- one field, from the editor that was saving it ---------------------------------------------
KEEP_MINE = "mine"
KEEP_THEIRS = "theirs"
EDITED = "edited"  # mine, changed in the dialog (text fields)
EDIT_AGAIN = "edit"  # back to the field's own editor, now starting from theirs
LATER = "later"  # closed: nothing written, the editor keeps mine unsaved
TEXT_FIELDS = {"title": 3, "description": 9, "comment": 7}  # edited in the dialog; lines shown
WORDS = {"due": "due date", "parent": "parent issue", "labels": "labels"}


@dataclass(frozen=True)
class FieldConflict:
    """An editor's save found the field changed since the editor started: mine against theirs."""

    key: str  # the issue's key
    field: str  # an editable field, or "comment"
    mine: Any
    theirs: Any
    changed_by: str | None
    changed_at: dt.datetime | None


def changed_when(at: dt.datetime | None) -> str:
    """`15:42` today, else `6 Dec 15:42`, in the computer's zone (stored times are UTC)."""
    if at is None:
        return ""
    local = ui.local_time(at)
    today = dt.datetime.now().astimezone().date()
    return local.strftime("%H:%M" if local.date() == today else "%d %b %H:%M").lstrip("0")


class FieldConflictDialog(QDialog):
    """Mine next to theirs for one field, with who changed theirs and when.

    `choice`: KEEP_MINE or EDITED (save `value()`), KEEP_THEIRS (write nothing, show theirs),
    EDIT_AGAIN (a non-text field: pick again in its editor) or LATER (closed, nothing decided).
    """

    def __init__(
        self,
        conflict: FieldConflict,
        parent: QWidget | None = None,
        *,
        status_names: Mapping[int, str] | None = None,
        key_of: Callable[[int], str | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("FieldConflictDialog")
        style.install_style(self, FIELD_STYLE)
        self.conflict = conflict
        self.choice = LATER
        field = conflict.field
        self._text = field in TEXT_FIELDS
        name = WORDS.get(field, field)
        who = conflict.changed_by or "Someone else"
        when = changed_when(conflict.changed_at)
        self.setWindowTitle(f"{conflict.key}: the {name} changed while you were editing")
        self.setMinimumWidth(620)

        self.heading = QLabel(f"{who} changed the {name} of {conflict.key}")
        self.heading.setObjectName("ConflictHeading")
        self.heading.setFont(ui.scaled_font(self.heading, 1.15, QFont.Weight.DemiBold))
        self.heading.setWordWrap(True)
        self.summary = style.muted(
            QLabel(
                "Yours is not saved yet. Keep yours, keep theirs, or edit yours "
                + ("and save that." if self._text else "(pick again).")
            )
        )
        self.summary.setWordWrap(True)
        by = conflict.changed_by or "someone else"
        self.who_label = QLabel(f"Changed by {by}" + (f" at {when}" if when else ""))
        self.who_label.setObjectName("ChangedBy")
        names = dict(status_names or {})
        self.mine_text = shown(field, conflict.mine, names, key_of, limit=10**9)
        self.theirs_text = shown(field, conflict.theirs, names, key_of, limit=10**9)
        mine_box, self.mine_edit = self._value_box("Yours (not saved)", self.mine_text, "Mine")
        theirs_box, _ = self._value_box("Theirs (saved now)", self.theirs_text, "Theirs")
        if self._text:
            assert self.mine_edit is not None
            self.mine_edit.setPlainText(str(conflict.mine or ""))
        values = QHBoxLayout()
        values.setSpacing(12)
        values.addWidget(mine_box, 1)
        values.addWidget(theirs_box, 1)

        self.keep_theirs_button = QPushButton("Keep theirs")
        self.keep_theirs_button.setObjectName("KeepTheirs")
        self.keep_theirs_button.clicked.connect(self._on_keep_theirs_button_clicked)
        self.edit_button = QPushButton("Edit mine" if self._text else "Pick again")
        self.edit_button.setObjectName("EditMine")
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.keep_mine_button = QPushButton("Keep mine")
        self.keep_mine_button.setObjectName("Primary")
        self.keep_mine_button.clicked.connect(self._on_keep_mine_button_clicked)
        self.keep_theirs_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.keep_theirs_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.keep_mine_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.who_label)
        layout.addLayout(values)
        layout.addSpacing(6)
        layout.addLayout(buttons)

    def _value_box(
        self, caption: str, text: str, name: str
    ) -> tuple[QWidget, QPlainTextEdit | None]:
        box = QFrame()
        box.setObjectName("Card")
        column = QVBoxLayout(box)
        column.setContentsMargins(12, 10, 12, 12)
        column.setSpacing(6)
        title = style.muted(QLabel(caption))
        title.setFont(ui.scaled_font(title, 0.9, QFont.Weight.DemiBold))
        column.addWidget(title)
        if not self._text:
            value = QLabel(text)
            value.setObjectName(f"{name}Value")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            column.addWidget(value)
            column.addStretch(1)
            return box, None
        editor = QPlainTextEdit()
        editor.setObjectName(f"{name}Text")
        editor.setPlainText(text)
        editor.setReadOnly(True)
        editor.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the buttons have it until "Edit mine"
        lines = TEXT_FIELDS[self.conflict.field]
        editor.setFixedHeight(editor.fontMetrics().lineSpacing() * lines + 16)
        column.addWidget(editor)
        return box, editor

    def value(self) -> Any:
        """What to save: mine, or mine as edited in the dialog."""
        if self.choice == EDITED and self.mine_edit is not None:
            return self.mine_edit.toPlainText()
        return self.conflict.mine

    def _on_keep_theirs_button_clicked(self) -> None:
        self.choice = KEEP_THEIRS
        self.accept()

    def _on_edit_button_clicked(self) -> None:
        if self.mine_edit is None:
            self.choice = EDIT_AGAIN
            self.accept()
            return
        self.mine_edit.setReadOnly(False)
        self.mine_edit.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.mine_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.edit_button.setEnabled(False)
        self.keep_mine_button.setText("Save edited")

    def _on_keep_mine_button_clicked(self) -> None:
        edited = self.mine_edit is not None and not self.mine_edit.isReadOnly()
        self.choice = EDITED if edited else KEEP_MINE
        self.accept()


FIELD_STYLE = """
QPlainTextEdit {{
    border: 1px solid {card_border}; border-radius: 6px; padding: 4px;
    background: {base_bg}; color: {text};
}}
QPlainTextEdit[readOnly="true"] {{ background: {alt_bg}; }}
QPlainTextEdit:focus {{ border-color: {accent}; }}
QLabel#ChangedBy {{ color: {text}; }}
"""
