"""The New issue dialog: every field of a report; store errors show inline and keep the input."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker_gui.domain.enums import IssueType, Priority
from tracker_gui.domain.models import Issue, NewIssue
from tracker_gui.ui.ops import issues as issue_ops
from tracker_gui.ui.store import Store
from tracker_gui.ui.widgets import kit as ui
from tracker_gui.ui.widgets import style
from tracker_gui.ui.widgets.fields import (
    DueEdit,
    SubmitEdit,
    TokenCompleter,
    combo_username,
    fill_users,
    split_labels,
    status_icon,
)

EXTRA_STYLE = """
QLineEdit[error="true"], QPlainTextEdit[error="true"], QComboBox[error="true"] {{
    border: 1px solid {danger}; border-radius: 4px;
}}
"""
# The first word of a store message names the field it is about.
ERROR_FIELDS = {
    "title": "title_edit",
    "description": "description_edit",
    "label": "labels_edit",
    "status": "status_combo",
    "username": "assignee_combo",
    "parent": "title_edit",
}


class NewIssueDialog(QDialog):
    """On Create, calls store.create_issue; `created_issue` is the new Issue (None if cancelled)."""

    def __init__(
        self,
        store: Store,
        project_id: int,
        status_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("NewIssueDialog")
        self.setWindowTitle("New issue")
        self.setMinimumWidth(560)
        style.install_style(self, EXTRA_STYLE)
        self._store = store
        self._status_id = status_id
        self.created_issue: Issue | None = None
        self._users = store.users()

        self.project_combo = QComboBox()
        projects = store.projects()
        self._keys = {p.id: p.key for p in projects}
        for project in projects:
            self.project_combo.addItem(f"{project.key} · {project.name}", project.id)
        self.project_combo.setCurrentIndex(max(self.project_combo.findData(project_id), 0))
        self.project_combo.currentIndexChanged.connect(self._on_project_combo_changed)
        self.type_combo = QComboBox()
        for kind in IssueType:
            self.type_combo.addItem(ui.type_icon(kind), kind.value.capitalize(), kind.value)
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("NewTitle")
        self.title_edit.setPlaceholderText("What needs to be done?")
        self.title_edit.textChanged.connect(self._on_title_edit_text_changed)
        self.description_edit = SubmitEdit()
        self.description_edit.setObjectName("NewDescription")
        self.description_edit.setPlaceholderText("Details, steps to reproduce… (Markdown)")
        self.description_edit.setMinimumHeight(140)
        self.description_edit.submitted.connect(self._on_create_button_clicked)
        self.priority_combo = QComboBox()
        for level in sorted(Priority, reverse=True):
            self.priority_combo.addItem(
                ui.priority_icon(level), level.label.capitalize(), level.label
            )
        self.priority_combo.setCurrentIndex(self.priority_combo.findData(Priority.MEDIUM.label))
        self.status_combo = QComboBox()
        self.assignee_combo = QComboBox()
        self.assignee_combo.setEditable(True)
        self.assignee_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        fill_users(self.assignee_combo, self._users)
        self.labels_edit = QLineEdit()
        self.labels_edit.setPlaceholderText("Comma-separated, e.g. ui, backend")
        self._completer = TokenCompleter([], self.labels_edit)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.labels_edit.setCompleter(self._completer)
        self.due_edit = DueEdit()
        self.error_label = style.error_label()
        self.error_label.setObjectName("ErrorText")

        self.create_button = QPushButton("Create")
        self.create_button.setObjectName("Primary")
        self.create_button.setDefault(True)
        self.create_button.setEnabled(False)
        self.create_button.clicked.connect(self._on_create_button_clicked)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.reject)
        self._layout()
        self._on_project_combo_changed()
        self.title_edit.setFocus()

    def _layout(self) -> None:
        heading = QLabel("New issue")
        heading.setFont(ui.scaled_font(heading, 1.3, QFont.Weight.DemiBold))
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(8)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.project_combo, 2)
        top.addWidget(self.type_combo, 1)
        form.addRow(self._label("Project"), top)
        form.addRow(self._label("Title"), self.title_edit)
        form.addRow(self._label("Description"), self.description_edit)
        pair = QHBoxLayout()
        pair.setSpacing(8)
        pair.addWidget(self.status_combo, 1)
        pair.addWidget(self._label("Priority"))
        pair.addWidget(self.priority_combo, 1)
        form.addRow(self._label("Status"), pair)
        form.addRow(self._label("Assignee"), self.assignee_combo)
        form.addRow(self._label("Labels"), self.labels_edit)
        form.addRow(self._label("Due"), self.due_edit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.create_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)

    @staticmethod
    def _label(text: str) -> QLabel:
        return style.muted(QLabel(text))

    def new_issue(self) -> NewIssue:
        """What the form says now."""
        return NewIssue(
            project_key=self._keys.get(self.project_combo.currentData(), ""),
            title=self.title_edit.text(),
            type=IssueType(self.type_combo.currentData()),
            priority=Priority.parse(self.priority_combo.currentData()),
            status=self.status_combo.currentText() or None,
            assignee=combo_username(self.assignee_combo, self._users),
            description=self.description_edit.toPlainText(),
            labels=split_labels(self.labels_edit.text()),
            due=self.due_edit.due(),
        )

    def _mark(self, message: str) -> None:
        first = message.split(" ", 1)[0].strip("'\"").casefold() if message else ""
        target = next((name for word, name in ERROR_FIELDS.items() if first.startswith(word)), "")
        if "user name" in message:
            target = "assignee_combo"
        for name in set(ERROR_FIELDS.values()):
            widget = getattr(self, name)
            widget.setProperty("error", name == target)
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    # -- slots -------------------------------------------------------------------------------
    def _on_project_combo_changed(self, _index: int = 0) -> None:
        pid = self.project_combo.currentData()
        self.status_combo.clear()
        if pid is None:
            return
        for status in self._store.statuses(int(pid)):
            self.status_combo.addItem(status_icon(status), status.name, status.id)
        wanted = self.status_combo.findData(self._status_id) if self._status_id else 0
        self.status_combo.setCurrentIndex(max(wanted, 0))
        names = [label.name for label in self._store.labels(int(pid))]
        self._completer.model().setStringList(names)  # type: ignore[attr-defined]

    def _on_title_edit_text_changed(self, text: str) -> None:
        self.create_button.setEnabled(bool(text.strip()))

    def _on_create_button_clicked(self) -> None:
        if not self.title_edit.text().strip():
            return
        result = issue_ops.create(self._store, self.new_issue())
        issue = result.value
        if issue is None:
            message = result.message or "The issue was not created."
            style.show_error(self.error_label, message)
            self._mark(message)
            return
        self.created_issue = issue
        self.accept()
