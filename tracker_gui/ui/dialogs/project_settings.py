"""Project settings: statuses (name, category, WIP limit, colour, order), transitions, labels."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tracker_gui.domain.enums import CATEGORY_LABELS, StatusCategory
from tracker_gui.domain.models import IssueFilter, Label, Status
from tracker_gui.ui.dialogs import message
from tracker_gui.ui.dialogs import project_settings_members as members
from tracker_gui.ui.ops import OpResult
from tracker_gui.ui.ops import projects as project_ops
from tracker_gui.ui.store import Store
from tracker_gui.ui.widgets import kit as ui
from tracker_gui.ui.widgets import style

CATEGORIES = tuple(CATEGORY_LABELS.items())
NAME, CATEGORY, WIP, COLOUR = range(4)


ROW_HEIGHT = 40


def padded(widget: QWidget) -> QWidget:
    """A cell widget with breathing room inside its table cell."""
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(6, 4, 6, 4)
    layout.addWidget(widget)
    return box


class _Tab(QWidget):
    """A settings tab: a store write shows its error inline; reloads after workflow changes."""

    def __init__(self, store: Store, project_id: int) -> None:
        super().__init__()
        self.store = store
        self.project_id = project_id
        self.error_label = style.error_label()
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(0)
        self._reload_timer.timeout.connect(self._on_reload_timer_timeout)
        store.workflowChanged.connect(self._on_store_workflow_changed)

    def write(self, result: OpResult[object]) -> bool:
        style.show_error(self.error_label, result.message)
        self._reload_timer.start()
        return result.ok

    def reload(self) -> None:
        raise NotImplementedError

    def _on_reload_timer_timeout(self) -> None:
        self.reload()

    def _on_store_workflow_changed(self, project_id: int) -> None:
        if project_id == self.project_id:
            self._reload_timer.start()


class StatusesTab(_Tab):
    """One row per status in board order; edits save as soon as they are made."""

    def __init__(self, store: Store, project_id: int) -> None:
        super().__init__(store, project_id)
        self.statuses: list[Status] = []
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("StatusTable")
        self.table.setHorizontalHeaderLabels(["Name", "Category", "WIP limit", "Colour"])
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.table.setShowGrid(False)
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for col, width in ((CATEGORY, 160), (WIP, 110), (COLOUR, 130)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            self.table.setColumnWidth(col, width)
        self.table.itemChanged.connect(self._on_table_item_changed)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.up_button = QPushButton("Move up")
        self.up_button.clicked.connect(lambda: self._on_move_clicked(-1))
        self.down_button = QPushButton("Move down")
        self.down_button.clicked.connect(lambda: self._on_move_clicked(1))
        self.delete_button = QPushButton(ui.icon("trash"), "Delete…")
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.new_name = QLineEdit()
        self.new_name.setObjectName("NewStatusName")
        self.new_name.setPlaceholderText("New status name")
        self.new_name.returnPressed.connect(self._on_add_button_clicked)
        self.new_category = QComboBox()
        for category, text in CATEGORIES:
            self.new_category.addItem(text, category.value)
        self.add_button = QPushButton(ui.icon("add"), "Add status")
        self.add_button.clicked.connect(self._on_add_button_clicked)

        side = QVBoxLayout()
        for button in (self.up_button, self.down_button, self.delete_button):
            side.addWidget(button)
        side.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.table, 1)
        body.addLayout(side)
        adder = QHBoxLayout()
        adder.addWidget(self.new_name, 1)
        adder.addWidget(self.new_category)
        adder.addWidget(self.add_button)
        hint = style.muted(QLabel("Double-click a name to rename it. WIP limit 0 means no limit."))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addLayout(body, 1)
        layout.addWidget(hint)
        layout.addLayout(adder)
        layout.addWidget(self.error_label)
        self.reload()

    def reload(self) -> None:
        keep = self.selected()
        self.statuses = self.store.statuses(self.project_id)
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for row, status in enumerate(self.statuses):
            self.table.insertRow(row)
            name = QTableWidgetItem(status.name)
            name.setData(Qt.ItemDataRole.UserRole, status.id)
            self.table.setItem(row, NAME, name)
            category = QComboBox()
            for value, text in CATEGORIES:
                category.addItem(text, value.value)
            category.setCurrentIndex(category.findData(status.category.value))
            category.activated.connect(lambda _i, s=status, c=category: self._set_category(s, c))
            self.table.setCellWidget(row, CATEGORY, padded(category))
            wip = QSpinBox()
            wip.setRange(0, 10_000)
            wip.setSpecialValueText("None")
            wip.setValue(status.wip_limit or 0)
            wip.editingFinished.connect(lambda s=status, w=wip: self._set_wip(s, w.value()))
            self.table.setCellWidget(row, WIP, padded(wip))
            colour = QToolButton()
            colour.setIcon(ui.dot(status.colour or "#6b778c", 14))
            colour.setText(status.colour or "Default")
            colour.setToolTip("Pick the column colour")
            colour.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            colour.setAutoRaise(True)
            colour.clicked.connect(lambda _=False, s=status: self._on_colour_clicked(s))
            self.table.setCellWidget(row, COLOUR, padded(colour))
            if keep is not None and status.id == keep.id:
                self.table.selectRow(row)
        self.table.blockSignals(False)
        self._on_table_selection_changed()

    def cell(self, row: int, column: int) -> QWidget | None:
        """The editor in a cell (category combo, WIP spin box, colour button)."""
        box = self.table.cellWidget(row, column)
        layout = box.layout() if box is not None else None
        item = layout.itemAt(0) if layout is not None else None
        return item.widget() if item is not None else None

    def selected(self) -> Status | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        if len(rows) != 1 or not self.statuses:
            return None
        row = rows.pop()
        return self.statuses[row] if row < len(self.statuses) else None

    def _set_category(self, status: Status, combo: QComboBox) -> None:
        category = StatusCategory(combo.currentData())
        if category != status.category:
            self.write(project_ops.update_status(self.store, status.id, category=category))

    def _set_wip(self, status: Status, value: int) -> None:
        limit = value or None
        if limit != status.wip_limit:
            self.write(project_ops.update_status(self.store, status.id, wip_limit=limit))

    def pick_colour(self, initial: str) -> str | None:
        dialog = QColorDialog(QColor(initial or "#6b778c"), self)
        dialog.setObjectName("ColourDialog")
        dialog.setOption(QColorDialog.ColorDialogOption.DontUseNativeDialog)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.currentColor().name()

    def _on_colour_clicked(self, status: Status) -> None:
        chosen = self.pick_colour(status.colour)
        if chosen and chosen != status.colour:
            self.write(project_ops.update_status(self.store, status.id, colour=chosen))

    def _on_table_item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() != NAME:
            return
        sid, name = int(item.data(Qt.ItemDataRole.UserRole)), item.text().strip()
        self.write(project_ops.update_status(self.store, sid, name=name))

    def _on_table_selection_changed(self) -> None:
        status = self.selected()
        index = self.statuses.index(status) if status else -1
        self.up_button.setEnabled(index > 0)
        self.down_button.setEnabled(0 <= index < len(self.statuses) - 1)
        self.delete_button.setEnabled(status is not None and len(self.statuses) > 1)

    def _on_move_clicked(self, step: int) -> None:
        status = self.selected()
        if status is None:
            return
        ids = [s.id for s in self.statuses]
        i = ids.index(status.id)
        j = i + step
        if not 0 <= j < len(ids):
            return
        ids[i], ids[j] = ids[j], ids[i]
        self.write(project_ops.reorder_statuses(self.store, self.project_id, ids))

    def _on_add_button_clicked(self) -> None:
        name = self.new_name.text().strip()
        if not name:
            return
        category = StatusCategory(self.new_category.currentData())
        if self.write(project_ops.add_status(self.store, self.project_id, name, category)):
            self.new_name.clear()

    def ask_move_target(self, status: Status, count: int, others: list[Status]) -> int | None:
        plural = "issue uses" if count == 1 else "issues use"
        index = message.ask_item(
            self,
            f"Delete “{status.name}”",
            f"{count} {plural} “{status.name}”. Move them to:",
            [s.name for s in others],
            ok="Move and delete",
        )
        return others[index].id if index is not None else None

    def _on_delete_button_clicked(self) -> None:
        status = self.selected()
        if status is None:
            return
        scope = IssueFilter(project_ids=(self.project_id,), include_archived=True)
        count = self.store.counts_by_status(scope).get(status.id, 0)
        others = [s for s in self.statuses if s.id != status.id]
        move_to: int | None = None
        if count:
            move_to = self.ask_move_target(status, count, others)
            if move_to is None:
                return
        elif not message.confirm(
            self, "Delete status", f"Delete the status “{status.name}”?", "No issue uses it.",
            yes="Delete status",
        ):  # fmt: skip
            return
        self.write(project_ops.delete_status(self.store, status.id, move_to))


class TransitionsTab(_Tab):
    """A from x to grid of checkboxes; nothing ticked means every move is allowed."""

    def __init__(self, store: Store, project_id: int) -> None:
        super().__init__(store, project_id)
        self.boxes: dict[tuple[int, int], QCheckBox] = {}
        self._ids: list[int] = []
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setHorizontalSpacing(14)
        self.grid.setVerticalSpacing(8)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_host)
        self.summary = style.muted(QLabel())
        self.summary.setObjectName("TransitionSummary")
        self.allow_all_button = QPushButton("Allow every move")
        self.allow_all_button.clicked.connect(self._on_allow_all_button_clicked)
        self.save_button = QPushButton("Save transitions")
        self.save_button.setObjectName("Primary")
        self.save_button.clicked.connect(self._on_save_button_clicked)
        intro = QLabel(
            "Tick the moves the workflow allows: each row is where an issue is, each column "
            "where it may go."
        )
        intro.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.allow_all_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.error_label)
        self.reload()

    def pairs(self) -> set[tuple[int, int]]:
        return {pair for pair, box in self.boxes.items() if box.isChecked()}

    def reload(self) -> None:
        flow = self.store.workflow(self.project_id)
        ids = [s.id for s in flow.statuses]
        if ids == self._ids:
            return  # keep unsaved ticks when only names or colours changed
        self._ids = ids
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()  # type: ignore[union-attr]
        self.boxes = {}
        corner = style.muted(QLabel("from \\ to"))
        self.grid.addWidget(corner, 0, 0)
        for col, target in enumerate(flow.statuses, start=1):
            head = QLabel(f"<b>{ui.escape(target.name)}</b>")
            self.grid.addWidget(head, 0, col, Qt.AlignmentFlag.AlignCenter)
        for row, source in enumerate(flow.statuses, start=1):
            self.grid.addWidget(QLabel(f"<b>{ui.escape(source.name)}</b>"), row, 0)
            for col, target in enumerate(flow.statuses, start=1):
                if source.id == target.id:
                    self.grid.addWidget(
                        style.muted(QLabel("—")), row, col, Qt.AlignmentFlag.AlignCenter
                    )
                    continue
                box = QCheckBox()
                box.setToolTip(f"{source.name} → {target.name}")
                box.setChecked(flow.restricted and flow.allows(source.id, target.id))
                box.toggled.connect(self._on_box_toggled)
                self.boxes[(source.id, target.id)] = box
                self.grid.addWidget(box, row, col, Qt.AlignmentFlag.AlignCenter)
        self.grid.setRowStretch(len(flow.statuses) + 1, 1)
        self.grid.setColumnStretch(len(flow.statuses) + 1, 1)
        self._on_box_toggled()

    def _on_box_toggled(self, _on: bool = False) -> None:
        count = len(self.pairs())
        self.summary.setText(
            f"{count} move{'s' if count != 1 else ''} allowed" if count else "Every move is allowed"
        )

    def _on_allow_all_button_clicked(self) -> None:
        for box in self.boxes.values():
            box.setChecked(False)

    def _on_save_button_clicked(self) -> None:
        pairs = sorted(self.pairs())
        self._ids = []  # re-read what was stored
        self.write(project_ops.set_transitions(self.store, self.project_id, pairs))


class LabelsTab(_Tab):
    """The project's labels: add, rename in place, pick a colour."""

    def __init__(self, store: Store, project_id: int) -> None:
        super().__init__(store, project_id)
        self.labels: list[Label] = []
        self.label_list = QListWidget()
        self.label_list.setObjectName("LabelList")
        self.label_list.setIconSize(QSize(12, 12))
        self.label_list.itemChanged.connect(self._on_list_item_changed)
        self.rename_button = QPushButton(ui.icon("edit"), "Rename")
        self.rename_button.clicked.connect(self._on_rename_button_clicked)
        self.colour_button = QPushButton("Colour…")
        self.colour_button.clicked.connect(self._on_colour_button_clicked)
        self.new_name = QLineEdit()
        self.new_name.setObjectName("NewLabelName")
        self.new_name.setPlaceholderText("New label")
        self.new_name.returnPressed.connect(self._on_add_button_clicked)
        self.add_button = QPushButton(ui.icon("add"), "Add label")
        self.add_button.clicked.connect(self._on_add_button_clicked)
        side = QVBoxLayout()
        side.addWidget(self.rename_button)
        side.addWidget(self.colour_button)
        side.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.label_list, 1)
        body.addLayout(side)
        adder = QHBoxLayout()
        adder.addWidget(self.new_name, 1)
        adder.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addLayout(body, 1)
        layout.addLayout(adder)
        layout.addWidget(self.error_label)
        self.reload()

    def reload(self) -> None:
        current = self.current()
        self.labels = self.store.labels(self.project_id)
        self.label_list.blockSignals(True)
        self.label_list.clear()
        for label in self.labels:
            item = QListWidgetItem(ui.dot(ui.label_colour(label.name, label.colour)), label.name)
            item.setData(Qt.ItemDataRole.UserRole, label.id)
            item.setSizeHint(QSize(0, 30))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            self.label_list.addItem(item)
            if current is not None and label.id == current.id:
                self.label_list.setCurrentItem(item)
        self.label_list.blockSignals(False)

    def current(self) -> Label | None:
        # None when no row is current, which PySide6's stub leaves out.
        item: QListWidgetItem | None = self.label_list.currentItem()
        if item is None:
            return None
        lid = item.data(Qt.ItemDataRole.UserRole)
        return next((lb for lb in self.labels if lb.id == lid), None)

    def _on_list_item_changed(self, item: QListWidgetItem) -> None:
        lid = item.data(Qt.ItemDataRole.UserRole)
        label = next((lb for lb in self.labels if lb.id == lid), None)
        name = item.text().strip()
        if label is not None and name != label.name:
            self.write(project_ops.update_label(self.store, label, name, label.colour))

    def _on_rename_button_clicked(self) -> None:
        item = self.label_list.currentItem()
        if item is not None:
            self.label_list.editItem(item)

    def _on_colour_button_clicked(self) -> None:
        label = self.current()
        if label is None:
            return
        dialog = QColorDialog(QColor(label.colour or "#6b778c"), self)
        dialog.setObjectName("ColourDialog")
        dialog.setOption(QColorDialog.ColorDialogOption.DontUseNativeDialog)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            colour = dialog.currentColor().name()
            self.write(project_ops.update_label(self.store, label, label.name, colour))

    def _on_add_button_clicked(self) -> None:
        name = self.new_name.text().strip()
        if not name:
            return
        if self.write(project_ops.add_label(self.store, self.project_id, name)):
            self.new_name.clear()


class ProjectSettingsDialog(QDialog):
    """Statuses, Transitions and Labels of one project; every change is saved at once."""

    def __init__(self, store: Store, project_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ProjectSettingsDialog")
        style.install_style(self)
        project = next((p for p in store.projects() if p.id == project_id), None)
        self.setWindowTitle(f"Project settings · {project.key if project else project_id}")
        self.resize(720, 500)
        self.statuses_tab = StatusesTab(store, project_id)
        self.transitions_tab = TransitionsTab(store, project_id)
        self.labels_tab = LabelsTab(store, project_id)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.statuses_tab, "Statuses")
        self.tabs.addTab(self.transitions_tab, "Transitions")
        self.tabs.addTab(self.labels_tab, "Labels")
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self.members_tab = members.install(self, store, project_id)
        # Enter in a name or WIP field must not press "Move up" (a dialog's auto-default button).
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
