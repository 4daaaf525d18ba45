"""The filter pane: project, toggles, pickers and the query box make one IssueFilter."""

from __future__ import annotations

import datetime as dt
from typing import cast

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tracker_gui.domain.enums import CATEGORY_LABELS, IssueType, Priority, StatusCategory
from tracker_gui.domain.models import SavedFilter
from tracker_gui.domain.query import validate
from tracker_gui.domain.query_fields import ME, NONE
from tracker_gui.ui.dialogs import message
from tracker_gui.ui.ops import OpResult, filters
from tracker_gui.ui.panes.filter_codec import FilterQuery, decode, encode, to_issue_filter
from tracker_gui.ui.panes.query_completer import QueryCompleter
from tracker_gui.ui.store import Store
from tracker_gui.ui.widgets import kit as ui
from tracker_gui.ui.widgets import style
from tracker_gui.ui.widgets.flow_layout import FlowBox, HeightForWidthKeeper

DEBOUNCE_MS = 200
UNASSIGNED = ":none"
TOGGLES = (
    ("assigned_to_me", "Assigned to me"),
    ("reported_by_me", "Reported by me"),
    ("watching", "Watching"),
    ("due_this_week", "Due this week"),
    ("overdue", "Overdue"),
)


class FilterPane(QWidget):
    """Every user action ends in exactly one `store.set_filter` (text after a 200 ms pause)."""

    projectPicked = Signal(int)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FilterPane")
        self._store = store
        self._loading = False
        self._today = dt.date.today
        style.install_style(self)

        self.project_combo = QComboBox()
        self.project_combo.setObjectName("ProjectPicker")
        self.project_combo.setAccessibleName("Project")
        # A long project name is elided in the box (whole in its list), not widening the pane.
        self.project_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.project_combo.setMinimumContentsLength(12)
        self.project_combo.activated.connect(self._on_project_combo_activated)
        self.text_edit = QLineEdit()
        self.text_edit.setObjectName("FilterText")
        self.text_edit.setAccessibleName("Search or filter issues")
        self.text_edit.setPlaceholderText("Search or filter: crash assignee:me is:open")
        self.text_edit.setToolTip(
            'Words and "phrases" search titles, descriptions and comments.\n'
            'Fields: status:"In Review" assignee:me label:bug,ui priority>=high due:overdue\n'
            "created>-7d is:open has:due key:TRK-12 sort:-updated\n"
            "-word or -label:x excludes; a OR b; (parentheses) group."
        )
        self.text_edit.setClearButtonEnabled(True)
        self.text_edit.addAction(ui.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.text_edit.textChanged.connect(self._on_text_edit_text_changed)
        self.text_edit.returnPressed.connect(self._on_text_edit_return_pressed)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._on_debounce_timeout)
        self.query_error = style.error_label()  # red (#ErrorText), under the box
        self.query_error.setAccessibleName("Query error")
        self.completer = QueryCompleter(self.text_edit, self._completion_values)

        self.toggles: dict[str, QToolButton] = {}
        chips = FlowBox(spacing=6)
        chips.setAccessibleName("Quick filters")
        for name, text in TOGGLES:
            chip = QToolButton()
            chip.setObjectName("Chip")
            chip.setText(text)
            chip.setCheckable(True)
            chip.toggled.connect(self._on_chip_toggled)
            chips.add(chip)
            self.toggles[name] = chip

        self.type_picker = ui.MultiPicker("Type", self._type_choices)
        self.priority_picker = ui.MultiPicker("Priority", self._priority_choices)
        self.label_picker = ui.MultiPicker("Label", self._label_choices)
        self.assignee_picker = ui.MultiPicker("Assignee", self._assignee_choices)
        self.category_picker = ui.MultiPicker("Status", self._category_choices)
        pickers = FlowBox(spacing=6)
        pickers.setAccessibleName("Field filters")
        for picker in self._pickers():
            picker.setAccessibleName(f"Filter by {picker.text().lower()}")
            picker.changed.connect(self._on_picker_changed)
            pickers.add(picker)

        self.clear_button = QToolButton()
        self.clear_button.setObjectName("Flat")
        self.clear_button.setText("Clear all")
        self.clear_button.setIcon(ui.icon("close"))
        self.clear_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.clear_button.setToolTip("Remove every filter (keeps the project)")
        self.clear_button.clicked.connect(self._on_clear_button_clicked)

        self.saved_list = QListWidget()
        self.saved_list.setObjectName("SavedFilters")
        self.saved_list.setAccessibleName("Saved filters")
        self.saved_list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.saved_list.customContextMenuRequested.connect(self._on_saved_list_menu_requested)
        self.saved_list.itemClicked.connect(self._on_saved_list_item_clicked)
        self.saved_list.itemActivated.connect(self._on_saved_list_item_clicked)
        self.saved_list.currentItemChanged.connect(self._on_saved_list_current_changed)
        self.save_button = self._tool("add", "Save the current filter", self._on_save_clicked)
        self.rename_button = self._tool("edit", "Rename the saved filter", self._on_rename_clicked)
        self.delete_button = self._tool("trash", "Delete the saved filter", self._on_delete_clicked)
        self.saved_hint = style.muted(QLabel("No saved filters yet: set a filter up and press +."))
        self.saved_hint.setWordWrap(True)
        self.error_label = style.error_label()
        self.saved_menu: QMenu | None = None

        self._layout(chips, pickers)
        self._height_keeper = HeightForWidthKeeper(self)
        self._load_projects()
        self.reload_saved()
        self._sync_buttons()
        store.projectsChanged.connect(self._on_store_projects_changed)

    # -- public ----------------------------------------------------------------------------
    def focus_text(self) -> None:
        self.text_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.text_edit.selectAll()

    def query(self) -> FilterQuery:
        """What the widgets show now."""
        return FilterQuery(
            project=self._project_key(),
            **{name: chip.isChecked() for name, chip in self.toggles.items()},
            types=tuple(IssueType(v) for v in self.type_picker.values()),
            priorities=tuple(Priority.parse(v) for v in self.priority_picker.values()),
            labels=tuple(self.label_picker.values()),
            assignees=tuple(v for v in self.assignee_picker.values() if v != UNASSIGNED),
            unassigned=UNASSIGNED in self.assignee_picker.values(),
            categories=tuple(StatusCategory(v) for v in self.category_picker.values()),
            text=self.text_edit.text().strip(),
        )

    def set_query(self, query: FilterQuery) -> None:
        """Show `query` in the widgets and apply it (one filterChanged)."""
        self._loading = True
        try:
            index = self.project_combo.findData(self._project_id_for(query.project))
            self.project_combo.setCurrentIndex(max(index, 0))
            for name, chip in self.toggles.items():
                chip.setChecked(bool(getattr(query, name)))
            self.type_picker.set_values(t.value for t in query.types)
            self.priority_picker.set_values(p.label for p in query.priorities)
            self.label_picker.set_values(query.labels)
            who = list(query.assignees) + ([UNASSIGNED] if query.unassigned else [])
            self.assignee_picker.set_values(who)
            self.category_picker.set_values(c.value for c in query.categories)
            self.text_edit.setText(query.text)
        finally:
            self._loading = False
        self._debounce.stop()
        self.apply()

    def apply(self) -> None:
        """Build the IssueFilter from the widgets and hand it to the store.

        A query that does not read is shown under the box, and the board keeps its filter.
        """
        problem = validate(self.text_edit.text())
        style.show_error(self.query_error, problem or "")
        if problem:
            return
        query = self.query()
        pid = self.project_combo.currentData()
        flt = to_issue_filter(
            query, me=self._store.me, today=self._today(), project_ids=(pid,) if pid else ()
        )
        self._store.set_filter(flt)
        self._sync_saved(query)
        self._sync_buttons()

    # -- layout ------------------------------------------------------------------------------
    def _tool(self, glyph: str, tip: str, slot: object) -> QToolButton:
        button = QToolButton()
        button.setObjectName("Flat")
        button.setIcon(ui.icon(glyph))
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setAutoRaise(True)
        button.clicked.connect(slot)
        return button

    def _layout(self, chips: QWidget, pickers: QWidget) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 12, 12, 12)
        outer.setSpacing(8)
        outer.addWidget(self.project_combo)
        outer.addWidget(self.text_edit)
        outer.addWidget(self.query_error)
        outer.addSpacing(4)
        outer.addWidget(ui.section_title("Quick filters"))
        outer.addWidget(chips)
        outer.addSpacing(4)
        outer.addWidget(ui.section_title("Fields"))
        outer.addWidget(pickers)
        clear_row = QHBoxLayout()
        clear_row.addStretch(1)
        clear_row.addWidget(self.clear_button)
        outer.addLayout(clear_row)
        saved_head = QHBoxLayout()
        saved_head.setSpacing(2)
        saved_head.addWidget(ui.section_title("Saved filters"))
        saved_head.addStretch(1)
        for button in (self.save_button, self.rename_button, self.delete_button):
            saved_head.addWidget(button)
        outer.addLayout(saved_head)
        outer.addWidget(self.saved_list, 1)
        outer.addWidget(self.saved_hint)
        outer.addWidget(self.error_label)

    def _pickers(self) -> list[ui.MultiPicker]:
        return [
            self.type_picker,
            self.priority_picker,
            self.label_picker,
            self.assignee_picker,
            self.category_picker,
        ]

    # -- choices (read when a picker opens) ----------------------------------------------------
    def _type_choices(self) -> list[ui.Choice]:
        return [(t.value.capitalize(), t.value) for t in IssueType]

    def _priority_choices(self) -> list[ui.Choice]:
        return [(p.label.capitalize(), p.label) for p in sorted(Priority, reverse=True)]

    def _label_choices(self) -> list[ui.Choice]:
        pid = self.project_combo.currentData()
        pids = [pid] if pid else [p.id for p in self._store.projects()]
        names = sorted({lb.name for p in pids for lb in self._store.labels(p)}, key=str.casefold)
        for picked in self.label_picker.values():
            if picked not in names:
                names.append(picked)
        return [(name, name) for name in names]

    def _assignee_choices(self) -> list[ui.Choice]:
        out: list[ui.Choice] = [("Unassigned", UNASSIGNED)]
        for user in self._store.users():
            text = (
                user.display_name
                if user.display_name == user.username
                else (f"{user.display_name} ({user.username})")
            )
            out.append((text, user.username))
        return out

    def _category_choices(self) -> list[ui.Choice]:
        return [(name, cat.value) for cat, name in CATEGORY_LABELS.items()]

    def _completion_values(self, field: str) -> list[str]:
        """Values of the current project (or of all) that the query box offers for `field`."""
        pid = self.project_combo.currentData()
        projects = [p for p in self._store.projects() if not pid or p.id == pid]
        if field == "status":
            names = [s.name for p in projects for s in self._store.statuses(p.id)]
            return list(dict.fromkeys(names))
        if field == "label":
            return sorted({lb.name for p in projects for lb in self._store.labels(p.id)})
        if field in ("assignee", "reporter", "watching"):
            people = [u.username for u in self._store.users()]
            return [ME, *([NONE] if field == "assignee" else []), *people]
        if field == "project":
            return [p.key for p in self._store.projects()]
        return []

    # -- projects ----------------------------------------------------------------------------
    def _load_projects(self) -> None:
        keep = self.project_combo.currentData()
        self.project_combo.blockSignals(True)
        self.project_combo.clear()
        self.project_combo.addItem(ui.icon("project"), "All projects", 0)
        for project in self._store.projects():
            self.project_combo.addItem(f"{project.key} · {project.name}", project.id)
        self.project_combo.setCurrentIndex(max(self.project_combo.findData(keep or 0), 0))
        self.project_combo.blockSignals(False)

    def _project_key(self) -> str | None:
        pid = self.project_combo.currentData()
        if not pid:
            return None
        text = self.project_combo.currentText()
        return text.split(" · ", 1)[0]

    def _project_id_for(self, key: str | None) -> int:
        if not key:
            return 0
        for project in self._store.projects():
            if project.key == key.upper():
                return project.id
        raise ValueError(f"no project with key {key!r}")

    # -- slots -------------------------------------------------------------------------------
    def _on_store_projects_changed(self) -> None:
        self._load_projects()

    def _on_project_combo_activated(self, _index: int) -> None:
        self.label_picker.refresh()
        self.apply()
        pid = self.project_combo.currentData()
        if pid:
            self.projectPicked.emit(int(pid))

    def _on_chip_toggled(self, _on: bool) -> None:
        if not self._loading:
            self.apply()

    def _on_picker_changed(self) -> None:
        if not self._loading:
            self.apply()

    def _on_text_edit_text_changed(self, _text: str) -> None:
        if not self._loading:
            self._debounce.start()

    def _on_text_edit_return_pressed(self) -> None:
        self._debounce.stop()
        self.apply()

    def _on_debounce_timeout(self) -> None:
        self.apply()

    def _on_clear_button_clicked(self) -> None:
        self.set_query(FilterQuery(project=self._project_key()))

    # -- saved filters -------------------------------------------------------------------------
    def reload_saved(self) -> None:
        current = self._current_saved()
        keep = current.id if current else None
        self.saved_list.blockSignals(True)
        self.saved_list.clear()
        for saved in self._store.saved_filters():
            item = QListWidgetItem(ui.icon("filter"), saved.name)
            item.setData(Qt.ItemDataRole.UserRole, saved)
            item.setToolTip(saved.query)
            self.saved_list.addItem(item)
            if saved.id == keep:
                self.saved_list.setCurrentItem(item)
        self.saved_list.blockSignals(False)
        self.saved_hint.setVisible(self.saved_list.count() == 0)
        self._sync_buttons()

    def _sync_saved(self, query: FilterQuery) -> None:
        """A saved filter stays highlighted only while it is in force (not after Clear all)."""
        saved = self._current_saved()
        if saved is not None and not query.same_as(saved.query):
            self.saved_list.setCurrentRow(-1)
            self.saved_list.clearSelection()

    def _current_saved(self) -> SavedFilter | None:
        item = self.saved_list.currentItem()
        return cast(SavedFilter, item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _item_for(self, name: str) -> QListWidgetItem | None:
        for row in range(self.saved_list.count()):
            item = self.saved_list.item(row)
            if item.text() == name:
                return item
        return None

    def _sync_buttons(self) -> None:
        has = self._current_saved() is not None
        self.rename_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        self.clear_button.setEnabled(not self.query().is_empty())

    def _ask_name(self, title: str, text: str = "") -> str | None:
        return message.ask_text(self, title, "Name of the filter", text, ok="Save")

    def _write(self, result: OpResult[object]) -> bool:
        style.show_error(self.error_label, result.message)
        return result.ok

    def save_current(self, name: str) -> None:
        text = encode(self.query())
        if self._write(filters.save(self._store, name, text)):
            self.reload_saved()
            item = self._item_for(name)
            if item is not None:
                self.saved_list.setCurrentItem(item)

    def _on_save_clicked(self) -> None:
        name = self._ask_name("Save filter")
        if name:
            self.save_current(name)

    def _on_rename_clicked(self) -> None:
        saved = self._current_saved()
        if saved is None:
            return
        name = self._ask_name("Rename filter", saved.name)
        if name and name != saved.name and self._write(filters.rename(self._store, saved.id, name)):
            self.reload_saved()

    def _on_update_clicked(self) -> None:
        saved = self._current_saved()
        if saved is None:
            return
        text = encode(self.query())
        if self._write(filters.rename(self._store, saved.id, saved.name, text)):
            self.reload_saved()

    def _on_delete_clicked(self) -> None:
        saved = self._current_saved()
        if saved is None:
            return
        if not message.confirm(
            self, "Delete saved filter", f"Delete the saved filter “{saved.name}”?", yes="Delete"
        ):
            return
        if self._write(filters.delete(self._store, saved.id)):
            self.saved_list.setCurrentRow(-1)
            self.reload_saved()

    def _on_saved_list_item_clicked(self, item: QListWidgetItem) -> None:
        saved: SavedFilter = item.data(Qt.ItemDataRole.UserRole)
        try:
            query = decode(saved.query)
            self._project_id_for(query.project)
        except ValueError as exc:
            style.show_error(self.error_label, f"Cannot apply “{saved.name}”: {exc}")
            return
        style.show_error(self.error_label, "")
        before = self.project_combo.currentData()
        self.set_query(query)
        picked = self.project_combo.currentData()
        if picked and picked != before:
            self.projectPicked.emit(int(picked))

    def _on_saved_list_current_changed(self, *_items: object) -> None:
        self._sync_buttons()

    def _on_saved_list_menu_requested(self, pos: QPoint) -> None:
        item = self.saved_list.itemAt(pos)
        menu = QMenu(self)
        menu.setObjectName("SavedFilterMenu")
        if self.saved_menu is not None:
            self.saved_menu.deleteLater()
        self.saved_menu = menu
        if item is not None:
            self.saved_list.setCurrentItem(item)
            menu.addAction(
                ui.icon("filter"), "Apply", lambda: self._on_saved_list_item_clicked(item)
            )
            menu.addAction("Update with current filter", self._on_update_clicked)
            menu.addAction(ui.icon("edit"), "Rename…", self._on_rename_clicked)
            menu.addAction(ui.icon("trash"), "Delete…", self._on_delete_clicked)
            menu.addSeparator()
        menu.addAction(ui.icon("add"), "Save current filter…", self._on_save_clicked)
        menu.popup(self.saved_list.viewport().mapToGlobal(pos))
