"""The Conflicts pane's rows: one per ConflictEntry, patched by difference as the list moves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from tracker_gui.services.sync_types import ConflictEntry
from tracker_gui.ui import icons, theme
from tracker_gui.ui.models.rowdiff import patch_rows
from tracker_gui.ui.sync_text import clock
from tracker_gui.ui.widgets.provisional import PROVISIONAL_TIP, is_provisional

AnyIndex = QModelIndex | QPersistentModelIndex
EntryRole = Qt.ItemDataRole.UserRole + 1  # the ConflictEntry of the row
KeyRole = Qt.ItemDataRole.UserRole + 2  # its issue key
ISSUE, FIELD, MINE, THEIRS, BY, BASE = range(6)
COLUMNS = ("Issue", "Field", "Mine", "Theirs", "Changed by", "Base")
EMPTY = "(empty)"
CELL_CHARS = 120  # a description in a cell: its first line, cut here; the details show it all


def field_name(entry: ConflictEntry) -> str:
    """ "Title", "Due date"; a refused create has no field: the whole new issue."""
    if entry.field is None:
        return "New issue"
    return entry.field.replace("_", " ").capitalize()


def value_text(value: object) -> str:
    """A value as `show --format json` gives it, for people: lists joined, None as (empty)."""
    if value is None or value in ("", [], ()):
        return EMPTY
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list | tuple):
        return ", ".join(value_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {value_text(v)}" for k, v in value.items())
    return str(value)


def cell_text(value: object) -> str:
    text = value_text(value)
    first, _, rest = text.partition("\n")
    if rest or len(first) > CELL_CHARS:
        return first[:CELL_CHARS].rstrip() + "…"
    return first


def detail_text(value: object, lines: int = 8, chars: int = 800) -> str:
    """A value for the details below the table: a long description is cut (the tooltip and
    the editor have it whole), so the table above keeps its room."""
    text = value_text(value)
    kept = "\n".join(text.splitlines()[:lines])[:chars]
    return kept if kept == text else kept.rstrip() + " …"


def by_text(entry: ConflictEntry, now: dt.datetime | None = None) -> str:
    """ "bob, 12:01"; a refusal is the server's own word."""
    if entry.kind == "refused":
        return "the server"
    who = entry.theirs_by or "someone"
    return f"{who}, {clock(entry.theirs_at, now)}" if entry.theirs_at else who


class ConflictModel(QAbstractTableModel):
    """A flat table of entries; `set_entries` edits the rows in place (never a reset), so the
    selection and the keyboard's place survive an entry settled or arriving."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ConflictEntry] = []

    def set_entries(self, entries: Sequence[ConflictEntry]) -> None:
        patch_rows(self, self._rows, list(entries), last_column=len(COLUMNS) - 1)

    def entries(self) -> list[ConflictEntry]:
        return list(self._rows)

    def row_of(self, entry_id: int) -> int:
        return next((n for n, e in enumerate(self._rows) if e.id == entry_id), -1)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flag = Qt.ItemFlag
        return flag.ItemIsEnabled | flag.ItemIsSelectable | flag.ItemNeverHasChildren

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry = self._rows[index.row()]
        column = index.column()
        if role == EntryRole:
            return entry
        if role == KeyRole:
            return entry.key
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry, column)
        if role == Qt.ItemDataRole.DecorationRole and column == ISSUE:
            return icons.icon("warning" if entry.kind == "conflict" else "close", "danger")
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == ISSUE:
                return theme.colour("accent")  # a link: a click opens the issue
            if column == THEIRS and entry.kind == "refused":
                return theme.colour("danger")
            if column in (BY, BASE):
                return theme.colour("muted_text")
        if role == Qt.ItemDataRole.FontRole and column == ISSUE and is_provisional(entry.key):
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._accessible(entry)
        return None

    def _display(self, entry: ConflictEntry, column: int) -> str:
        if column == ISSUE:
            return entry.key
        if column == FIELD:
            return field_name(entry)
        if column == MINE:
            return cell_text(entry.mine)
        if column == THEIRS:
            refused = entry.kind == "refused"
            return f"Refused: {entry.message}" if refused else cell_text(entry.theirs)
        if column == BY:
            return by_text(entry)
        if column == BASE:
            return "" if entry.kind == "refused" else cell_text(entry.base)
        return ""

    def _tooltip(self, entry: ConflictEntry, column: int) -> str | None:
        if column == ISSUE:
            tip = f"Open {entry.key} in the detail pane"
            return f"{tip}\n{PROVISIONAL_TIP}" if is_provisional(entry.key) else tip
        if column == MINE:
            return value_text(entry.mine)
        if column == THEIRS:
            return entry.message if entry.kind == "refused" else value_text(entry.theirs)
        if column == BASE:
            return value_text(entry.base)
        return None

    def _accessible(self, entry: ConflictEntry) -> str:
        if entry.kind == "refused":
            return f"{entry.key} {field_name(entry)}: refused, {entry.message}"
        return (
            f"{entry.key} {field_name(entry)}: mine {value_text(entry.mine)}, "
            f"theirs {value_text(entry.theirs)} by {by_text(entry)}"
        )
