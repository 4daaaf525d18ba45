"""Project settings > Members: who may view, edit or administer the project (admins change it)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tracker_gui.domain.enums import Role
from tracker_gui.ui.ops import members as member_ops
from tracker_gui.ui.store import Store
from tracker_gui.ui.widgets import style

REMOVE = "remove"
ROLE_TEXT = {Role.VIEWER: "Viewer", Role.MEMBER: "Member", Role.ADMIN: "Admin"}


def supported(store: Store) -> bool:
    """Membership lives in the database's security layer: only where the services offer it."""
    return member_ops.supported(store)


class MembersTab(QWidget):
    """The member list; an admin changes a role or removes someone, a row at a time."""

    def __init__(self, store: Store, project_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MembersTab")
        self._store = store
        self._project_id = project_id
        self._admin = store.can_admin(project_id)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Login", "Role"])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(1, 140)
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft)
        self.table.verticalHeader().setDefaultSectionSize(38)
        self.table.setShowGrid(False)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("Login name of a team mate")
        self.role_box = self._role_combo(Role.MEMBER, removable=False)
        self.add_button = QPushButton("Add")
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.error_label = style.error_label()
        add_row = QHBoxLayout()
        add_row.addWidget(self.name_edit, 1)
        add_row.addWidget(self.role_box)
        add_row.addWidget(self.add_button)
        note = style.muted(
            QLabel(
                "Viewers read; members create, edit, move and comment; admins also change the "
                "workflow and who is a member."
                + ("" if self._admin else " Only a project admin can change this list.")
            )
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addLayout(add_row)
        layout.addWidget(self.error_label)
        for widget in (self.name_edit, self.role_box, self.add_button):
            widget.setEnabled(self._admin)
        self.reload()

    def _role_combo(self, role: Role, *, removable: bool) -> QComboBox:
        box = QComboBox()
        box.setMinimumWidth(120)
        for value, text in ROLE_TEXT.items():
            box.addItem(text, value.value)
        if removable:
            box.addItem("Remove", REMOVE)
        box.setCurrentIndex(box.findData(role.value))
        return box

    def members(self) -> list[tuple[str, str]]:
        """(login, role text) as shown."""
        out = []
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            box = self.table.cellWidget(row, 1)
            role = box.currentText() if isinstance(box, QComboBox) else ""
            out.append((item.text() if item else "", role))
        return out

    def reload(self) -> None:
        entries = member_ops.members(self._store, self._project_id).value or []
        pairs = sorted((m.username, m.role) for m in entries)
        self.table.setRowCount(0)
        for name, role in pairs:
            row = self.table.rowCount()
            self.table.insertRow(row)
            self.table.setItem(row, 0, QTableWidgetItem(name))
            box = self._role_combo(role, removable=True)
            box.setEnabled(self._admin)
            box.activated.connect(lambda _i, n=name, b=box: self._on_role_box_activated(n, b))
            self.table.setCellWidget(row, 1, box)

    def set_role(self, username: str, role: Role | None) -> bool:
        """Change (None: remove) a member's role through the database; False when refused."""
        result = member_ops.set_role(self._store, self._project_id, username, role)
        style.show_error(self.error_label, result.message)
        self.reload()
        return result.ok

    def _on_role_box_activated(self, username: str, box: QComboBox) -> None:
        data = str(box.currentData())
        self.set_role(username, None if data == REMOVE else Role(data))

    def _on_add_button_clicked(self) -> None:
        name = self.name_edit.text().strip()
        if not name:
            style.show_error(self.error_label, "Enter a login name")
            return
        if self.set_role(name, Role(str(self.role_box.currentData()))):
            self.name_edit.clear()


def install(dialog: Any, store: Store, project_id: int) -> MembersTab | None:
    """Lock the workflow tabs for non-admins; add the Members tab where membership exists."""
    if not store.can_admin(project_id):
        for tab in (dialog.statuses_tab, dialog.transitions_tab):
            tab.setEnabled(False)
            tab.setToolTip("Only a project admin can change the workflow")
    if not store.can_write(project_id):
        dialog.labels_tab.setEnabled(False)
    if not supported(store):
        return None
    tab = MembersTab(store, project_id)
    dialog.tabs.addTab(tab, "Members")
    return tab
