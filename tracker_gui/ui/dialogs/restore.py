"""File > Restore from Backup: pick one of the rotating backups, confirm, restore."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
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

from tracker_gui.services.backups import BackupInfo, BackupService
from tracker_gui.ui.dialogs import message
from tracker_gui.ui.ops import backups as backup_ops
from tracker_gui.ui.widgets import style

REASONS = {
    "manual": "Manual",
    "auto": "Scheduled",
    "before-import": "Before an import",
    "before-restore": "Before a restore",
}
HEADERS = ("Taken", "Size", "Issues", "Why")


def _size(n: int) -> str:
    if n < 1024:
        return f"{n:,} bytes"
    value = float(n)
    for unit in ("KB", "MB", "GB"):
        value /= 1024
        if value < 1024 or unit == "GB":
            break
    return f"{value:,.1f} {unit}"


def _reason(reason: str) -> str:
    if reason.startswith("before-") and reason not in REASONS:
        return "Before an upgrade"
    return REASONS.get(reason, reason)


def _ask(parent: QWidget, text: str) -> bool:
    return message.confirm(parent, "Restore from Backup", text, yes="Restore")


class RestoreDialog(QDialog):
    """Lists the backups newest first; `restored` carries the backup of the replaced content."""

    restored = Signal(str)

    def __init__(self, service: BackupService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("RestoreDialog")
        self.setWindowTitle("Restore from Backup")
        self.setMinimumSize(620, 360)
        style.install_style(self)
        self._service = service
        # Replaced by tests; a person answers a real message box.
        self.confirm: Callable[[str], bool] = lambda text: _ask(self, text)

        intro = QLabel(
            "Restoring replaces everything in this database with the backup you pick. "
            "What is there now is backed up first, so a restore can itself be undone."
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.message = QLabel()
        self.message.setObjectName("RestoreMessage")
        self.message.setWordWrap(True)
        self.message.hide()

        self.restore_button = QPushButton("Restore…")
        self.restore_button.setObjectName("Primary")
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        buttons.addWidget(self.restore_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 18)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.backups: list[BackupInfo] = []
        self.reload()

    def reload(self) -> None:
        listed = backup_ops.list_backups(self._service)
        self.backups = listed.value or []
        if listed.message:
            self._show(listed.message)
        self.table.setRowCount(len(self.backups))
        for row, info in enumerate(self.backups):
            cells = (
                f"{info.taken_at:%Y-%m-%d %H:%M:%S}",
                _size(info.size),
                "?" if info.issues is None else f"{info.issues:,}",
                _reason(info.reason),
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col in (1, 2):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                item.setToolTip(str(info.path))
                self.table.setItem(row, col, item)
        if not self.backups:
            self._show("No backups yet: they are taken daily, before imports and upgrades.")

    def _show(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def _on_table_selection_changed(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def _on_restore_button_clicked(self) -> None:
        info = self.selected()
        if info is None:
            return
        issues = "an unknown number of" if info.issues is None else f"{info.issues:,}"
        text = (
            f"Replace everything in this database with the backup of "
            f"{info.taken_at:%Y-%m-%d %H:%M} ({issues} issues)?"
        )
        if not self.confirm(text):
            return
        restored = backup_ops.restore(self._service, info.path)
        before = restored.value
        if before is None:
            self._show(restored.message)
            return
        self.restored.emit(str(before.path))
        self.accept()
