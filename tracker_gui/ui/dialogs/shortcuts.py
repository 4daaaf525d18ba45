"""Help > Keyboard Shortcuts: every shortcut of the window's actions, searchable."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tracker_gui.ui.widgets import style

NATIVE = QKeySequence.SequenceFormat.NativeText
# Qt.Key.Key_Back and above are media and office keys ("New", "Open", "Find") that most
# keyboards lack; the standard shortcuts carry them as extra bindings.
SPECIAL_KEYS = Qt.Key.Key_Back.value
EXTRA_STYLE = """
QTreeWidget#ShortcutTable {{
    border: 1px solid {separator}; border-radius: 6px;
    background: {base_bg}; alternate-background-color: {alt_bg};
}}
QTreeWidget#ShortcutTable::item {{ padding: 5px 8px; color: {text}; }}
QTreeWidget#ShortcutTable QHeaderView::section {{
    background: {window_bg}; color: {muted_text}; font-weight: 600;
    border: none; border-bottom: 1px solid {separator}; padding: 6px 8px;
}}
QLineEdit#ShortcutSearch {{
    border: 1px solid {separator}; border-radius: 6px; padding: 5px 8px;
    background: {base_bg}; color: {text};
}}
QLineEdit#ShortcutSearch:focus {{ border-color: {accent}; }}
"""


@dataclass(frozen=True)
class Shortcut:
    """One key sequence and what it does."""

    keys: str
    what: str


def _action_name(action: QAction) -> str:
    text = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    text = text.removesuffix("…").removesuffix("...").strip()
    return text or action.statusTip() or action.toolTip()


def _typed(sequence: QKeySequence) -> str:
    """The sequence as people type it; "" for one that needs a media or office key."""
    if sequence.isEmpty() or any(
        sequence[n].key().value >= SPECIAL_KEYS  # type: ignore[index]  # stubs lack __getitem__
        for n in range(sequence.count())
    ):
        return ""
    return sequence.toString(NATIVE)


def collect(window: QWidget) -> list[Shortcut]:
    """The shortcuts the window's actions and shortcut objects answer to: one row per action
    (its keys joined, the main one first), sorted by name."""
    found: dict[str, list[str]] = {}
    named: list[tuple[str, list[QKeySequence]]] = [
        (_action_name(a), a.shortcuts()) for a in window.findChildren(QAction)
    ]
    named += [(s.whatsThis() or s.objectName(), [s.key()]) for s in window.findChildren(QShortcut)]
    for name, sequences in named:
        for keys in filter(None, map(_typed, sequences)):
            if name and keys not in found.setdefault(name, []):
                found[name].append(keys)
    rows = [Shortcut(", ".join(keys), name) for name, keys in found.items() if keys]
    return sorted(rows, key=lambda s: (s.what.casefold(), s.keys))


def open_sheet(window: QWidget, extra: Iterable[tuple[str, str]] = ()) -> ShortcutsDialog:
    """The sheet for `window`'s shortcuts and the `extra` (keys, what) that panes answer to
    without an action, opened without blocking (closed, it is deleted)."""
    rows = collect(window) + [Shortcut(keys, what) for keys, what in extra]
    dialog = ShortcutsDialog(sorted(rows, key=lambda s: (s.what.casefold(), s.keys)), window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


class ShortcutsDialog(QDialog):
    """A two-column sheet (action, keys) with a search box that filters both columns."""

    def __init__(self, shortcuts: list[Shortcut], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ShortcutsDialog")
        self.setWindowTitle("Keyboard Shortcuts")
        self.setMinimumSize(480, 460)
        style.install_style(self, EXTRA_STYLE)
        self.search = QLineEdit()
        self.search.setObjectName("ShortcutSearch")
        self.search.setPlaceholderText("Search shortcuts: an action or a key")
        self.search.setAccessibleName("Search shortcuts")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search_text_changed)
        self.table = QTreeWidget()
        self.table.setObjectName("ShortcutTable")
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setRootIsDecorated(False)
        self.table.setAlternatingRowColors(True)
        self.table.setHeaderLabels(["Action", "Keys"])
        header = self.table.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        for shortcut in shortcuts:
            item = QTreeWidgetItem([shortcut.what, shortcut.keys])
            self.table.addTopLevelItem(item)
        self.nothing = QLabel("No shortcut matches.")
        self.nothing.setObjectName("NoShortcut")
        self.nothing.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.nothing.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(10)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.nothing)
        layout.addWidget(buttons)
        self.search.setFocus()

    def shown(self) -> list[tuple[str, str]]:
        """(action, keys) of the rows the search leaves in view."""
        rows = []
        for n in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(n)
            if item is not None and not item.isHidden():
                rows.append((item.text(0), item.text(1)))
        return rows

    def _on_search_text_changed(self, text: str) -> None:
        words = text.casefold().split()
        for n in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(n)
            if item is None:
                continue
            row = f"{item.text(0)} {item.text(1)}".casefold()
            item.setHidden(not all(word in row for word in words))
        self.nothing.setVisible(not self.shown())
