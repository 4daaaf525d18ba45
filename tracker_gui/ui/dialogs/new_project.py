"""The New Project dialog: key, name and a workflow preset; errors show inline, input is kept."""

from __future__ import annotations

import re

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from tracker_gui.domain.models import Project
from tracker_gui.domain.workflows import PRESETS, WorkflowPreset
from tracker_gui.ui import icons
from tracker_gui.ui.dialogs.message import fit_height
from tracker_gui.ui.ops import projects as project_ops
from tracker_gui.ui.store import Store
from tracker_gui.ui.widgets import style

EXTRA_STYLE = """
QLineEdit[error="true"] {{ border: 1px solid {danger}; border-radius: 4px; }}
QRadioButton#WorkflowChoice {{ font-weight: 600; }}
QRadioButton::indicator:checked {{
    border: 4px solid {accent}; border-radius: 7px; background: {base_bg};
    width: 6px; height: 6px;
}}
"""


def suggested_key(name: str) -> str:
    """A key from a name: the initials of several words, else the word's first letters."""
    words = re.findall(r"[A-Za-z][A-Za-z0-9]*", name)
    if not words:
        return ""
    key = "".join(w[0] for w in words) if len(words) >= 2 else words[0][:4]
    return key.upper()[:10] if len(key) >= 2 else words[0][:3].upper()


class NewProjectDialog(QDialog):
    """On Create, makes the project with the chosen preset; `created` is it (None if cancelled)."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NewProjectDialog")
        self.setWindowTitle("New project")
        self.setWindowIcon(icons.app_icon())
        self.setMinimumWidth(520)
        style.install_style(self, EXTRA_STYLE)
        self._store = store
        self.created: Project | None = None
        self._key_typed = False

        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("ProjectName")
        self.name_edit.setPlaceholderText("Website relaunch")
        self.name_edit.setAccessibleName("Project name")
        self.name_edit.textEdited.connect(self._on_name_edit_text_edited)
        self.key_edit = QLineEdit()
        self.key_edit.setObjectName("ProjectKey")
        self.key_edit.setPlaceholderText("WEB")
        self.key_edit.setAccessibleName("Project key")
        self.key_edit.setMaxLength(10)
        self.key_edit.setValidator(
            QRegularExpressionValidator(QRegularExpression("[A-Za-z][A-Za-z0-9]{0,9}"), self)
        )
        self.key_edit.textEdited.connect(self._on_key_edit_text_edited)
        key_hint = style.muted(QLabel("2-10 letters or digits; issues are numbered WEB-1, WEB-2…"))
        key_hint.setWordWrap(True)

        self.workflow_group = QButtonGroup(self)
        presets = QVBoxLayout()
        presets.setSpacing(2)
        self.workflow_buttons: dict[str, QRadioButton] = {}
        for preset in PRESETS.values():
            button = QRadioButton(preset.title)
            button.setObjectName("WorkflowChoice")
            button.setAccessibleName(f"Workflow: {preset.title}")
            button.setProperty("workflow", preset.word)
            self.workflow_group.addButton(button)
            self.workflow_buttons[preset.word] = button
            presets.addWidget(button)
            about = style.muted(QLabel(_describe(preset)))
            about.setWordWrap(True)
            about.setContentsMargins(24, 0, 0, 8)
            about.setBuddy(button)
            presets.addWidget(about)
        self.workflow_buttons["basic"].setChecked(True)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(10)
        form.addRow("&Name", self.name_edit)
        form.addRow("&Key", self.key_edit)
        form.addRow("", key_hint)
        form.addRow("Workflow", presets)

        self.error_label = style.error_label()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.reject)
        self.create_button = QPushButton("Create project")
        self.create_button.setObjectName("Primary")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self._on_create_button_clicked)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.create_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        self.setTabOrder(self.name_edit, self.key_edit)
        self.name_edit.setFocus()
        self._sync()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_height(self)

    def workflow(self) -> str:
        checked = self.workflow_group.checkedButton()
        return str(checked.property("workflow")) if checked is not None else "basic"

    def _on_name_edit_text_edited(self, text: str) -> None:
        if not self._key_typed:
            self.key_edit.setText(suggested_key(text))
        self._sync()

    def _on_key_edit_text_edited(self, text: str) -> None:
        self._key_typed = bool(text)
        upper = text.upper()
        if upper != text:
            position = self.key_edit.cursorPosition()
            self.key_edit.setText(upper)
            self.key_edit.setCursorPosition(position)
        self._sync()

    def _sync(self) -> None:
        ready = len(self.key_edit.text()) >= 2 and bool(self.name_edit.text().strip())
        self.create_button.setEnabled(ready)
        for edit in (self.key_edit, self.name_edit):
            if edit.property("error"):
                edit.setProperty("error", False)
                edit.style().unpolish(edit)
                edit.style().polish(edit)

    def _mark(self, edit: QLineEdit) -> None:
        edit.setProperty("error", True)
        edit.style().unpolish(edit)
        edit.style().polish(edit)
        edit.setFocus()

    def _on_create_button_clicked(self) -> None:
        key, name, word = self.key_edit.text(), self.name_edit.text(), self.workflow()
        outcome = project_ops.create_project(self._store, key, name, word)
        if outcome.value is None:
            style.show_error(self.error_label, outcome.message)
            self._mark(self.name_edit if outcome.message.startswith("name") else self.key_edit)
            return
        self.created = outcome.value
        self.accept()


def _describe(preset: WorkflowPreset) -> str:
    return f"{' → '.join(preset.status_names())}. {preset.summary}"
