"""Preferences: colour scheme and desktop notifications, written through Settings on OK."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from tracker_gui.ui.dialogs.backup_prefs import BackupSection
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.widgets import kit as ui
from tracker_gui.ui.widgets import style

THEMES = (("system", "Follow system"), ("light", "Light"), ("dark", "Dark"))
RELATIONS = (
    ("reporter", "Issues I reported"),
    ("assignee", "Issues assigned to me"),
    ("watcher", "Issues I watch"),
)


class PreferencesDialog(QDialog):
    """Picking a scheme previews it (`themeChanged`); Cancel puts the old one back."""

    themeChanged = Signal(str)

    def __init__(
        self, settings: Settings, parent: QWidget | None = None, statuses: Sequence[str] = ()
    ) -> None:
        super().__init__(parent)
        self.setObjectName("PreferencesDialog")
        self.setWindowTitle("Preferences")
        self.setMinimumWidth(420)
        style.install_style(self)
        self._settings = settings
        self._original_theme = str(settings.get("ui/theme"))

        self.theme_buttons: dict[str, QRadioButton] = {}
        self._theme_group = QButtonGroup(self)
        theme_row = QHBoxLayout()
        theme_row.setSpacing(16)
        for value, text in THEMES:
            button = QRadioButton(text)
            button.setObjectName(f"Theme_{value}")
            button.setChecked(value == self._original_theme)
            button.toggled.connect(self._on_theme_button_toggled)
            self._theme_group.addButton(button)
            self.theme_buttons[value] = button
            theme_row.addWidget(button)
        theme_row.addStretch(1)

        self.enabled_box = QCheckBox("Show desktop notifications")
        self.enabled_box.setChecked(bool(settings.get("notify/enabled")))
        self.enabled_box.toggled.connect(self._on_enabled_box_toggled)
        chosen = set(settings.get("notify/relations"))
        self.relation_boxes: dict[str, QCheckBox] = {}
        for value, text in RELATIONS:
            box = QCheckBox(text)
            box.setChecked(value in chosen)
            self.relation_boxes[value] = box
        # Target statuses: none ticked means every status notifies.
        wanted = [str(s) for s in settings.get("notify/statuses")]
        names = list(dict.fromkeys([*statuses, *wanted]))
        self.status_boxes: dict[str, QCheckBox] = {}
        for name in names:
            box = QCheckBox(name)
            box.setObjectName(f"NotifyStatus_{name}")
            box.setChecked(name in wanted)
            self.status_boxes[name] = box
        self.quiet_box = QCheckBox("Stay quiet while the Tracker window is focused")
        self.quiet_box.setChecked(bool(settings.get("notify/quiet_when_focused")))

        ok = QPushButton("Save")
        ok.setObjectName("Primary")
        ok.setDefault(True)
        ok.clicked.connect(self.accept)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)
        self.ok_button, self.cancel_button = ok, cancel
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(ok)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(8)
        heading = QLabel("Preferences")
        heading.setFont(ui.scaled_font(heading, 1.3, QFont.Weight.DemiBold))
        layout.addWidget(heading)
        layout.addSpacing(4)
        layout.addWidget(ui.section_title("Appearance"))
        layout.addLayout(theme_row)
        layout.addSpacing(12)
        layout.addWidget(ui.section_title("Notifications"))
        layout.addWidget(self.enabled_box)
        hint = style.muted(QLabel("When someone else moves one of these issues:"))
        layout.addWidget(hint)
        for box in self.relation_boxes.values():
            row = QHBoxLayout()
            row.setContentsMargins(20, 0, 0, 0)
            row.addWidget(box)
            layout.addLayout(row)
        if self.status_boxes:
            self.status_hint = style.muted(QLabel("Only when moved to (none ticked: any status):"))
            layout.addWidget(self.status_hint)
            grid = QGridLayout()
            grid.setContentsMargins(20, 0, 0, 0)
            grid.setHorizontalSpacing(16)
            for index, box in enumerate(self.status_boxes.values()):
                grid.addWidget(box, index // 3, index % 3)
            layout.addLayout(grid)
        layout.addWidget(self.quiet_box)
        layout.addSpacing(12)
        self.backups = BackupSection(settings)
        layout.addWidget(self.backups)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        self._on_enabled_box_toggled(self.enabled_box.isChecked())

    def theme(self) -> str:
        return next((v for v, b in self.theme_buttons.items() if b.isChecked()), "system")

    def accept(self) -> None:
        self._settings.set("ui/theme", self.theme())
        self._settings.set("notify/enabled", self.enabled_box.isChecked())
        self._settings.set(
            "notify/relations", [v for v, box in self.relation_boxes.items() if box.isChecked()]
        )
        self._settings.set(
            "notify/statuses", [n for n, box in self.status_boxes.items() if box.isChecked()]
        )
        self._settings.set("notify/quiet_when_focused", self.quiet_box.isChecked())
        self.backups.save(self._settings)
        self._settings.sync()
        super().accept()

    def reject(self) -> None:
        if self.theme() != self._original_theme:
            self.themeChanged.emit(self._original_theme)
        super().reject()

    def _on_theme_button_toggled(self, on: bool) -> None:
        if on:
            self.themeChanged.emit(self.theme())

    def _on_enabled_box_toggled(self, on: bool) -> None:
        for box in (*self.relation_boxes.values(), *self.status_boxes.values(), self.quiet_box):
            box.setEnabled(on)
