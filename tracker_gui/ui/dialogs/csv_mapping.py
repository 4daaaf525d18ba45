"""The CSV column-mapping dialog: guessed mapping, encoding choice, target project and a preview."""

from __future__ import annotations

import codecs
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tracker_gui.domain.validation import PROJECT_KEY_RE
from tracker_gui.interchange import detect_encoding, preview
from tracker_gui.interchange.csv_import import FIELDS, Preview
from tracker_gui.ui.store import Store
from tracker_gui.ui.widgets import kit as ui
from tracker_gui.ui.widgets import style

NONE = "(none)"
PREVIEW_ROWS = 8
# (shown, codec) in the order people look for them.
ENCODINGS = (
    ("UTF-8", "utf-8"),
    ("UTF-8 with BOM", "utf-8-sig"),
    ("UTF-16", "utf-16"),
    ("Windows-1252", "cp1252"),
    ("Latin-1", "latin-1"),
)
FIELD_NAMES = {
    "title": "Title",
    "description": "Description",
    "type": "Type",
    "status": "Status",
    "priority": "Priority",
    "assignee": "Assignee",
    "reporter": "Reporter",
    "labels": "Labels",
    "due": "Due date",
    "estimate": "Estimate",
    "created": "Created",
    "updated": "Updated",
    "resolved": "Resolved",
    "archived": "Archived",
    "key": "Key",
}
EXTRA_STYLE = """
QFrame#Banner {{ background: {danger_soft}; border: 1px solid {danger}; border-radius: 6px; }}
QFrame#Banner QLabel {{ color: {text}; }}
QLabel#Arrow {{ color: {faint_text}; }}
QComboBox[error="true"] {{ border: 1px solid {danger}; border-radius: 4px; }}
QTableWidget:disabled {{ color: {faint_text}; }}
"""


def _codec(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return encoding


class CsvMappingDialog(QDialog):
    """Continue gives mapping(), encoding(), project_key() and create_statuses() to the flow."""

    def __init__(
        self,
        store: Store,
        path: str | Path,
        project_key: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("CsvMappingDialog")
        self.setWindowTitle("Import CSV file")
        self.setMinimumSize(800, 600)
        self.resize(900, 720)
        style.install_style(self, EXTRA_STYLE)
        self._store = store
        self.path = Path(path)
        self.current: Preview | None = None
        self._projects = {p.key: p for p in store.projects()}

        self.encoding_combo = QComboBox()
        for text, codec in ENCODINGS:
            self.encoding_combo.addItem(text, codec)
        self.project_combo = QComboBox()
        self.project_combo.setEditable(True)
        self.project_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.project_combo.addItems(list(self._projects))
        self.project_combo.setEditText(project_key or next(iter(self._projects), ""))
        self.project_combo.setMinimumWidth(120)
        self.project_hint = style.muted(QLabel())
        self.create_statuses_check = QCheckBox("Create statuses the project lacks")
        self.banner = QFrame()
        self.banner.setObjectName("Banner")
        self.banner.hide()
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.use_suggested_button = QPushButton()
        self.use_suggested_button.hide()
        self.use_suggested_button.clicked.connect(self._on_use_suggested_button_clicked)
        self.field_combos: dict[str, QComboBox] = {}
        for fld in FIELDS:
            combo = QComboBox()
            combo.setMinimumWidth(170)
            combo.setMaxVisibleItems(16)
            combo.currentIndexChanged.connect(self._on_field_combo_changed)
            self.field_combos[fld] = combo
        self.preview_table = QTableWidget()
        self.preview_table.setObjectName("PreviewTable")
        self.preview_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.preview_table.setWordWrap(False)
        self.preview_table.setShowGrid(False)
        self.preview_table.setAlternatingRowColors(False)
        self.preview_table.verticalHeader().setDefaultSectionSize(28)
        self.preview_table.verticalHeader().hide()
        self.preview_table.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )
        self.preview_caption = style.muted(QLabel())
        self.next_button = QPushButton("Continue")
        self.next_button.setObjectName("Primary")
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self._on_next_button_clicked)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.reject)
        self._layout()

        detected = detect_encoding(self.path)
        if detected == "utf-8" and self.path.read_bytes()[:3] == codecs.BOM_UTF8:
            detected = "utf-8-sig"
        self.set_encoding(detected)
        self.encoding_combo.currentIndexChanged.connect(self._on_encoding_combo_changed)
        self.project_combo.editTextChanged.connect(self._on_project_combo_text_changed)
        self._on_project_combo_text_changed(self.project_combo.currentText())

    # -- layout ------------------------------------------------------------------------------
    def _layout(self) -> None:
        heading = QLabel("Import CSV file")
        heading.setFont(ui.scaled_font(heading, 1.3, QFont.Weight.DemiBold))
        where = style.muted(QLabel(self.path.name))
        where.setToolTip(str(self.path))

        options = QGridLayout()
        options.setHorizontalSpacing(12)
        options.setVerticalSpacing(8)
        options.addWidget(self._label("Encoding"), 0, 0)
        options.addWidget(self.encoding_combo, 0, 1)
        options.addWidget(self._label("Project"), 1, 0)
        options.addWidget(self.project_combo, 1, 1)
        options.addWidget(self.project_hint, 1, 2)
        options.addWidget(self.create_statuses_check, 2, 1, 1, 2)
        options.setColumnStretch(2, 1)
        self.encoding_combo.setMinimumWidth(180)
        self.project_combo.setMinimumWidth(180)
        problem = QHBoxLayout(self.banner)
        problem.setContentsMargins(12, 8, 8, 8)
        problem.setSpacing(12)
        problem.addWidget(self.problem_label, 1)
        problem.addWidget(self.use_suggested_button, 0, Qt.AlignmentFlag.AlignVCenter)

        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        half = (len(FIELDS) + 1) // 2
        for side in range(2):
            col = side * 4
            grid.addWidget(ui.section_title("Tracker field"), 0, col, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(ui.section_title("CSV column"), 0, col + 2)
        for n, fld in enumerate(FIELDS):
            row, col = 1 + n % half, (n // half) * 4
            text = FIELD_NAMES[fld] + (" *" if fld == "title" else "")
            grid.addWidget(self._label(text), row, col)
            arrow = QLabel("←")
            arrow.setObjectName("Arrow")
            grid.addWidget(arrow, row, col + 1)
            grid.addWidget(self.field_combos[fld], row, col + 2)
        grid.setColumnMinimumWidth(3, 24)
        grid.setColumnStretch(2, 1)
        grid.setColumnStretch(6, 1)

        buttons = QHBoxLayout()
        buttons.addWidget(style.muted(QLabel("* required")))
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        title = QVBoxLayout()
        title.setSpacing(2)
        title.addWidget(heading)
        title.addWidget(where)
        layout.addLayout(title)
        layout.addLayout(options)
        layout.addWidget(self.banner)
        layout.addSpacing(4)
        layout.addLayout(grid)
        layout.addSpacing(4)
        preview_title = QHBoxLayout()
        preview_title.addWidget(ui.section_title("Preview"))
        preview_title.addStretch(1)
        preview_title.addWidget(self.preview_caption)
        layout.addLayout(preview_title)
        layout.addWidget(self.preview_table, 1)
        layout.addLayout(buttons)

    @staticmethod
    def _label(text: str) -> QLabel:
        label = style.muted(QLabel(text))
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return label

    # -- what the flow reads -----------------------------------------------------------------
    def encoding(self) -> str:
        return str(self.encoding_combo.currentData())

    def set_encoding(self, encoding: str) -> None:
        """Choose an encoding (a codec name, e.g. "cp1252") and preview the file in it."""
        wanted = _codec(encoding)
        index = next(
            (i for i in range(self.encoding_combo.count())
             if _codec(self.encoding_combo.itemData(i)) == wanted),
            -1,
        )  # fmt: skip
        if index < 0:
            self.encoding_combo.addItem(encoding, encoding)
            index = self.encoding_combo.count() - 1
        if index == self.encoding_combo.currentIndex() and self.current is not None:
            return
        self.encoding_combo.blockSignals(True)
        self.encoding_combo.setCurrentIndex(index)
        self.encoding_combo.blockSignals(False)
        self.refresh()

    def mapping(self) -> dict[str, str]:
        """field -> CSV column, for the fields given a column."""
        return {
            fld: combo.currentText()
            for fld, combo in self.field_combos.items()
            if combo.currentIndex() > 0
        }

    def project_key(self) -> str:
        return self.project_combo.currentText().strip().upper()

    def create_statuses(self) -> bool:
        return self.create_statuses_check.isChecked()

    def preview_rows(self) -> list[list[str]]:
        """The cells the preview table shows, row by row."""
        table = self.preview_table
        return [
            [(table.item(r, c) or QTableWidgetItem()).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())
        ]

    def problem(self) -> str | None:
        return self.current.problem if self.current is not None else None

    # -- preview -----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the first rows again in the chosen encoding; keep the columns already chosen."""
        chosen = self.mapping() if self.current is not None else {}
        try:
            found = preview(self.path, self.encoding(), rows=PREVIEW_ROWS)
        except OSError as exc:
            found = Preview(self.encoding(), [], [], {}, f"{self.path}: {exc.strerror or exc}")
        self.current = found
        headers = list(dict.fromkeys(found.headers))
        for fld, combo in self.field_combos.items():
            wanted = chosen.get(fld) if fld in chosen else found.mapping.get(fld)
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(NONE)
            combo.addItems(headers)
            combo.setCurrentIndex(max(combo.findText(wanted or NONE), 0))
            combo.blockSignals(False)
        self._show_problem(found)
        self._fill_table(found)
        self._update_buttons()

    def _show_problem(self, found: Preview) -> None:
        text = found.problem or ""
        self.problem_label.setText(text[:1].upper() + text[1:])
        self.banner.setVisible(bool(text))
        suggested = found.suggested_encoding
        names = {_codec(codec): shown for shown, codec in ENCODINGS}
        shown = names.get(_codec(suggested)) if suggested else None
        self.use_suggested_button.setVisible(bool(text and shown))
        if shown:
            self.use_suggested_button.setText(f"Use {shown}")
            self.use_suggested_button.setProperty("codec", suggested)

    def _fill_table(self, found: Preview) -> None:
        table = self.preview_table
        table.clear()
        table.setColumnCount(len(found.headers))
        table.setRowCount(len(found.rows))
        self._label_columns()
        for r, cells in enumerate(found.rows):
            for c in range(len(found.headers)):
                text = cells[c] if c < len(cells) else ""
                item = QTableWidgetItem(text.replace("\n", " ⏎ "))
                item.setToolTip(text[:2000])
                table.setItem(r, c, item)
        table.setEnabled(found.problem is None)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.resizeColumnsToContents()
        for c in range(table.columnCount()):
            table.setColumnWidth(c, min(max(table.columnWidth(c), 90), 260))
        header.setStretchLastSection(True)
        rows = len(found.rows)
        self.preview_caption.setText(
            f"first {rows} row{'s' if rows != 1 else ''}" if rows else "no rows below the header"
        )

    def _label_columns(self) -> None:
        """Each column's header says which field it feeds."""
        names = self.current.headers if self.current is not None else []
        used = {col: FIELD_NAMES[fld] for fld, col in self.mapping().items()}
        for c, name in enumerate(names):
            item = QTableWidgetItem(f"{name}\n→ {used[name]}" if name in used else f"{name}\n—")
            item.setToolTip(
                f"{name} feeds the field {used[name]}"
                if name in used
                else f"{name} is not imported"
            )
            self.preview_table.setHorizontalHeaderItem(c, item)

    def _update_buttons(self) -> None:
        title_combo = self.field_combos["title"]
        title_combo.setProperty("error", title_combo.currentIndex() <= 0 and bool(self.current))
        title_combo.style().unpolish(title_combo)
        title_combo.style().polish(title_combo)
        ready = (
            self.current is not None
            and self.current.problem is None
            and "title" in self.mapping()
            and bool(PROJECT_KEY_RE.match(self.project_key()))
        )
        self.next_button.setEnabled(ready)

    # -- slots -------------------------------------------------------------------------------
    def _on_encoding_combo_changed(self, _index: int) -> None:
        self.refresh()

    def _on_use_suggested_button_clicked(self) -> None:
        codec = self.use_suggested_button.property("codec")
        if codec:
            self.set_encoding(str(codec))

    def _on_field_combo_changed(self, _index: int) -> None:
        self._label_columns()
        self._update_buttons()

    def _on_project_combo_text_changed(self, text: str) -> None:
        key = text.strip().upper()
        project = self._projects.get(key)
        if project is not None:
            hint = f"{project.name}: the issues are added to it"
        elif PROJECT_KEY_RE.match(key):
            hint = "a new project"
        else:
            hint = "2-10 letters or digits, starting with a letter"
        self.project_hint.setText(hint)
        self._update_buttons()

    def _on_next_button_clicked(self) -> None:
        if self.next_button.isEnabled():
            self.accept()
