"""The dialog shown when a save lost a race: your values next to theirs; reload or overwrite."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tracker_gui.domain.models import Issue
from tracker_gui.errors import ConflictError
from tracker_gui.ui import theme
from tracker_gui.ui.panes import detail_style as style
from tracker_gui.ui.panes import detail_widgets as ui

RELOAD = "reload"
OVERWRITE = "overwrite"
DELETED = "deleted"
ATTRIBUTE = {"status": "status_id", "parent": "parent_id"}
FIELD_NAMES = {"due": "Due date", "parent": "Parent issue"}


class ConflictDialog(QDialog):
    """`choice` is "reload" (discard mine, the default) or "overwrite" (apply mine on theirs)."""

    def __init__(
        self,
        error: ConflictError,
        mine: Mapping[str, Any],
        parent: QWidget | None = None,
        *,
        status_names: Mapping[int, str] | None = None,
        key_of: Callable[[int], str | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ConflictDialog")
        style.install_style(self)
        self.error = error
        self.mine = dict(mine)
        self.choice = RELOAD
        self._status_names = dict(status_names or {})
        self._key_of = key_of
        current: Issue | None = error.current
        key = current.key if current is not None else "The issue"
        self.setWindowTitle(f"{key} changed while you were editing")
        self.setMinimumWidth(600)

        heading = QLabel(
            f"{key} was changed by someone else"
            if current is not None
            else "This issue was deleted by someone else"
        )
        heading.setFont(ui.scaled_font(heading, 1.15, QFont.Weight.DemiBold))
        detail = style.muted(
            QLabel(
                "Your change was not saved. Reload to keep their version, or overwrite it "
                "with yours."
                if current is not None
                else "Your change was not saved and cannot be applied any more."
            )
        )
        detail.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("ConflictTable")
        self.table.setHorizontalHeaderLabels(["Field", "Yours", "Theirs (now)"])
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
        self._fill(current)

        self.reload_button = QPushButton("Reload (discard mine)")
        self.reload_button.setObjectName("ReloadButton")
        self.reload_button.clicked.connect(self._on_reload_button_clicked)
        self.overwrite_button = QPushButton("Overwrite with mine")
        self.overwrite_button.setObjectName("Primary")
        self.overwrite_button.setEnabled(current is not None and bool(self.mine))
        self.overwrite_button.clicked.connect(self._on_overwrite_button_clicked)
        self.reload_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.reload_button)
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
            cells = [self.table.item(r, c) for c in range(3)]
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
            cells = (name, yours, theirs)
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
        self._fit_table()

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
        if value is None or value in ("", ()):
            return "Unassigned" if field == "assignee" else "—"
        if field == "status":  # an id (from an Issue) or already a name (from the store)
            if isinstance(value, int) or str(value).isdigit():
                return self._status_names.get(int(value), f"status {value}")
            return str(value)
        if field == "parent" and isinstance(value, int):
            return (self._key_of(value) if self._key_of else None) or f"#{value}"
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
        return text if len(text) <= 300 else text[:300] + "…"

    def _on_reload_button_clicked(self) -> None:
        self.choice = RELOAD
        self.accept()

    def _on_overwrite_button_clicked(self) -> None:
        self.choice = OVERWRITE
        self.accept()
