"""The Backups section of Preferences: daily backups on or off, and how many to keep."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from tracker_gui.ui.settings import Settings
from tracker_gui.ui.widgets import kit as ui
from tracker_gui.ui.widgets import style


class BackupSection(QWidget):
    """Reads the two settings on creation; `save` writes them (the dialog's OK)."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.enabled_box = QCheckBox("Back up the local database every day")
        self.enabled_box.setChecked(bool(settings.get("backup/enabled")))
        self.keep_spin = QSpinBox()
        self.keep_spin.setRange(1, 100)
        self.keep_spin.setValue(int(settings.get("backup/keep")))
        self.keep_spin.setSuffix(" backups")
        keep_row = QHBoxLayout()
        keep_row.setContentsMargins(20, 0, 0, 0)
        keep_row.addWidget(QLabel("Keep the last"))
        keep_row.addWidget(self.keep_spin)
        keep_row.addStretch(1)
        hint = style.muted(
            QLabel("Also taken before every import and upgrade. File > Restore from Backup…")
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(ui.section_title("Backups"))
        layout.addWidget(self.enabled_box)
        layout.addLayout(keep_row)
        layout.addWidget(hint)
        self.enabled_box.toggled.connect(self._on_enabled_box_toggled)
        self._on_enabled_box_toggled(self.enabled_box.isChecked())

    def save(self, settings: Settings) -> None:
        settings.set("backup/enabled", self.enabled_box.isChecked())
        settings.set("backup/keep", self.keep_spin.value())

    def _on_enabled_box_toggled(self, on: bool) -> None:
        self.keep_spin.setEnabled(on)
