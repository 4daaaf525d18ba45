"""The import review dialog: a dry run's findings, the target project, then the import itself."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker_gui.interchange import ImportReport
from tracker_gui.ui import theme
from tracker_gui.ui.dialogs.import_widgets import (
    ImportOptions,
    MessageRole,
    ProblemDelegate,
    SeverityRole,
    TaskProgress,
    WhereRole,
    backup_keys_note,
    counted,
    create_statuses_text,
    jira_renumbered_note,
    plural,
    size_text,
    summary,
)
from tracker_gui.ui.store import Store
from tracker_gui.ui.widgets import kit as ui
from tracker_gui.ui.widgets import style


@dataclass(frozen=True)
class ImportKind:
    name: str  # the interchange kind
    title: str  # what the menu and the dialogs call it
    filter: str  # QFileDialog name filter
    keyed: bool  # the target project key can be chosen


KINDS = {
    "trello": ImportKind("trello", "Trello board", "Trello board (*.json);;All files (*)", True),
    "jira": ImportKind("jira", "Jira issues", "Jira CSV export (*.csv);;All files (*)", True),
    "csv": ImportKind("csv", "CSV file", "CSV files (*.csv *.txt);;All files (*)", True),
    "json": ImportKind("json", "Tracker backup", "Tracker backup (*.json);;All files (*)", False),
}
BACKUP_NOTE = (
    "A backup restores its own projects, users and history. A new database's empty project "
    "makes way for it; a project whose key is taken here can come in under a new key."
)
EXTRA_STYLE = """
QLabel#Banner {{ border-radius: 6px; padding: 8px 10px; color: {text}; }}
QLabel#Banner[tone="success"] {{ background: {success_soft}; border: 1px solid {success}; }}
QLabel#Banner[tone="warning"] {{ background: {warning_soft}; border: 1px solid {warning}; }}
QLabel#Banner[tone="danger"] {{ background: {danger_soft}; border: 1px solid {danger}; }}
QLabel#Count {{ color: {text}; }}
QLineEdit[error="true"] {{ border: 1px solid {danger}; border-radius: 4px; }}
"""


class ImportReviewDialog(QDialog):
    """The dry run's findings and the target project; Import runs it with progress and cancel."""

    progressStarted = Signal(object)  # TaskProgress, as a check or the import begins
    imported = Signal(object)  # the committed ImportReport
    backRequested = Signal()  # CSV: back to the column mapping

    CHECK_DELAY_MS = 400  # a dry run shows progress only when it takes a while

    def __init__(
        self,
        store: Store,
        kind: str,
        path: str | Path,
        options: ImportOptions | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ImportReviewDialog")
        self.kind = KINDS[kind]
        self.path = Path(path)
        self.options = options or ImportOptions()
        self.report: ImportReport | None = None
        self.completed = False
        self._store = store
        self.setWindowTitle(f"Import {self.kind.title}")
        self.setMinimumSize(640, 520)
        self.resize(680, 580)
        style.install_style(self, EXTRA_STYLE)

        self.heading = QLabel(f"Import {self.kind.title}")
        self.heading.setFont(ui.scaled_font(self.heading, 1.3, QFont.Weight.DemiBold))
        self.key_edit = QLineEdit(self.options.project or "")
        self.key_edit.setObjectName("ProjectKey")
        self.key_edit.setMaximumWidth(140)
        pattern = QRegularExpression("[A-Za-z][A-Za-z0-9]{0,9}")
        self.key_edit.setValidator(QRegularExpressionValidator(pattern, self.key_edit))
        self.key_edit.textEdited.connect(self._on_key_edit_text_edited)
        self.key_edit.editingFinished.connect(self._on_key_edit_editing_finished)
        self.key_edit.installEventFilter(self)
        self.key_hint = style.muted(QLabel())
        self._missing: list[str] = []  # named by the last check that refused them
        self.create_statuses_check = QCheckBox(create_statuses_text([]))
        self.create_statuses_check.setChecked(self.options.create_statuses)
        self.create_statuses_check.toggled.connect(self._on_create_statuses_check_toggled)
        self.rename_check = QCheckBox("Import under new keys")
        self.rename_check.setObjectName("RenameProjects")
        self.rename_check.setChecked(self.options.rename_projects)
        self.rename_check.setVisible(self.options.rename_projects)
        self.rename_check.toggled.connect(self._on_rename_check_toggled)
        self.banner = QLabel()
        self.banner.setObjectName("Banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.counts_title = ui.section_title("Will create")
        self.counts = QFrame()
        self.counts.setObjectName("Card")
        self.counts_grid = QGridLayout(self.counts)
        self.counts_grid.setContentsMargins(16, 12, 16, 12)
        self.counts_grid.setHorizontalSpacing(24)
        self.counts_grid.setVerticalSpacing(10)
        self.keys_note = style.muted(QLabel())
        self.keys_note.setWordWrap(True)
        self.keys_note.hide()
        self.problems_title = ui.section_title("Problems")
        self.problems = QListWidget()
        self.problems.setObjectName("Problems")
        self.problems.setItemDelegate(ProblemDelegate(self.problems))
        self.problems.setResizeMode(QListView.ResizeMode.Adjust)
        self.problems.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.problems.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.problems.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.problems.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.no_problems = style.muted(QLabel("No problems found."))
        self.error_label = style.error_label()
        self.back_button = QPushButton("Back")
        self.back_button.setVisible(kind == "csv")
        self.back_button.clicked.connect(self._on_back_button_clicked)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.reject)
        self.import_button = QPushButton("Import")
        self.import_button.setObjectName("Primary")
        self.import_button.setDefault(True)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self._recheck = QTimer(self)
        self._recheck.setSingleShot(True)
        self._recheck.setInterval(400)
        self._recheck.timeout.connect(self._on_recheck_timeout)
        self._checked_key = self.key_edit.text()
        self._source_key: str | None = None
        self._layout()
        theme.notifier.changed.connect(self._on_theme_changed)

    def _layout(self) -> None:
        where = style.muted(QLabel(f"{self.path.name} · {size_text(self.path)}"))
        where.setToolTip(str(self.path))
        target = QGridLayout()
        target.setHorizontalSpacing(12)
        target.setVerticalSpacing(8)
        if self.kind.keyed:
            label = style.muted(QLabel("Project key"))
            target.addWidget(label, 0, 0, Qt.AlignmentFlag.AlignRight)
            row = QHBoxLayout()
            row.setSpacing(8)
            row.addWidget(self.key_edit)
            row.addWidget(self.key_hint, 1)
            target.addLayout(row, 0, 1)
            target.addWidget(self.create_statuses_check, 1, 1)
        else:
            note = style.muted(QLabel(BACKUP_NOTE))
            note.setWordWrap(True)
            target.addWidget(note, 0, 0, 1, 2)
            target.addWidget(self.rename_check, 1, 0, 1, 2)
        target.setColumnStretch(1, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        title = QVBoxLayout()
        title.setSpacing(2)
        title.addWidget(self.heading)
        title.addWidget(where)
        layout.addLayout(title)
        layout.addLayout(target)
        layout.addWidget(self.banner)
        layout.addWidget(self.counts_title)
        layout.addWidget(self.counts)
        layout.addWidget(self.keys_note)
        layout.addWidget(self.problems_title)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.no_problems)
        layout.addStretch(0)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)

    # -- API ---------------------------------------------------------------------------------
    def project_key(self) -> str | None:
        return (self.key_edit.text().strip().upper() or None) if self.kind.keyed else None

    def current_options(self) -> ImportOptions:
        return ImportOptions(
            self.project_key() or self.options.project,
            self.options.mapping,
            self.options.encoding,
            self.create_statuses_check.isChecked(),
            self.rename_check.isChecked(),
        )

    def problem_rows(self) -> list[tuple[str, str]]:
        """(severity, text) of every problem shown, top to bottom."""
        rows = (self.problems.item(n) for n in range(self.problems.count()))
        return [(str(item.data(SeverityRole)), item.text()) for item in rows if item is not None]

    def check(self) -> ImportReport | None:
        """The dry run: what the file would create and every problem; Import only if none."""
        self.import_button.setEnabled(False)
        self._checked_key = self.key_edit.text()
        report = self._run("Checking the file", dry_run=True, delay_ms=self.CHECK_DELAY_MS)
        if report is not None:
            self._show(report)
        return report

    def run_import(self) -> ImportReport | None:
        """Import for real in one transaction; Cancel on the progress dialog rolls it all back."""
        if not self.import_button.isEnabled():
            return None
        self.import_button.setEnabled(False)
        report = self._run("Importing issues", dry_run=False, delay_ms=0)
        if report is None:
            self.import_button.setEnabled(self.report is not None and self.report.ok)
            return None
        if not report.committed:  # the database changed since the dry run
            self._show(report)
            self._set_banner("danger", "The file was refused: nothing was imported.")
            return None
        self._show(report)
        self._finish(report)
        self.imported.emit(report)
        return report

    # -- work --------------------------------------------------------------------------------
    def _run(self, verb: str, *, dry_run: bool, delay_ms: int) -> ImportReport | None:
        self._set_banner("", "")
        style.show_error(self.error_label, "")
        self._mark_key(False)
        progress = TaskProgress(self, self.windowTitle(), verb, path=self.path, delay_ms=delay_ms)
        self.progressStarted.emit(progress)
        try:
            result = self._store.transfers.import_file(
                self.kind.name,
                self.path,
                dry_run=dry_run,
                progress=progress.progress,
                cancelled=progress.cancelled,
                **self.current_options().kwargs(self.kind.name),
            )
        finally:
            progress.close()
        report = result.value
        if report is None and result.message:
            style.show_error(self.error_label, result.message)
            self._mark_key(result.message.startswith("project key"))
            for stale in (self.counts_title, self.counts, self.keys_note, self.problems_title,
                          self.problems, self.no_problems):  # fmt: skip
                stale.hide()
            self.key_hint.setText("")
            self._set_banner("danger", "Nothing was imported." if not dry_run else "")
        elif report is None and dry_run and self.report is None:
            self.reject()  # cancelling the first check abandons the import
        elif report is None:
            what = "The check was cancelled." if dry_run else "Import cancelled: nothing changed."
            self._set_banner("warning", what)
        return report

    def _show(self, report: ImportReport) -> None:
        self.report = report
        for section in (self.counts_title, self.problems_title):
            section.show()
        if self.kind.keyed and report.project and not self.key_edit.text():
            self.key_edit.setText(report.project)
            self._checked_key = report.project
        if not self.create_statuses_check.isChecked():  # checked, they are not missing any more
            self._missing = list(report.missing_statuses)
        self.create_statuses_check.setText(create_statuses_text(self._missing))
        self._update_key_hint()
        self._fill_counts(report)
        self._fill_problems(report)
        if self.kind.name == "jira":
            text = self._jira_keys_note(report)
            self.keys_note.setText(text)
            self.keys_note.setVisible(bool(text))
        elif self.kind.name == "json":
            self._show_backup_keys(report)
        total = sum(n for _, n in counted(report))
        ready = report.ok and total > 0 and not report.committed
        self.import_button.setEnabled(ready)
        issues = report.created.get("issues", 0) + report.created.get("subtasks", 0)
        self.import_button.setText(f"Import {plural(issues, 'issues')}" if issues else "Import")
        if not report.ok and not report.committed:
            errors = len(report.errors) + report.hidden_errors
            self._set_banner(
                "danger", f"{plural(errors, 'problems')} to fix first: nothing can be imported yet."
            )

    def _jira_keys_note(self, report: ImportReport) -> str:
        """Whether Jira's keys survive: only in a new project with the same key."""
        if self._source_key is None and not report.committed:
            self._source_key = report.project  # the first check targets the file's own key
        if report.committed:
            return jira_renumbered_note(report)
        key = report.project
        if key and key == self._source_key and self._store.project_by_key(key) is None:
            return f"Jira's keys are kept: {key}-1 stays {key}-1."
        if key:
            return f"The issues get new numbers in {key}; each description ends with its Jira key."
        return ""

    def _show_backup_keys(self, report: ImportReport) -> None:
        """Offer new keys when the backup's project keys are taken here; say what they became."""
        clashes: dict[str, str] = getattr(report, "clashes", {})
        renaming = self.rename_check.isChecked()
        self.rename_check.setVisible(not report.committed and (bool(clashes) or renaming))
        text = backup_keys_note(report, renaming)
        self.keys_note.setText(text)
        self.keys_note.setVisible(bool(text))

    def _fill_counts(self, report: ImportReport) -> None:
        while self.counts_grid.count():
            item = self.counts_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        pairs = counted(report)
        self.counts_title.setText(("Created" if report.committed else "Will create").upper())
        for n, (what, count) in enumerate(pairs):
            number = QLabel(f"{count:,}")
            number.setObjectName("Count")
            number.setFont(ui.scaled_font(number, 1.5, QFont.Weight.DemiBold))
            name = style.muted(QLabel(what if count != 1 else plural(1, what).split(" ", 1)[1]))
            row, col = divmod(n, 5)
            self.counts_grid.addWidget(number, row * 2, col)
            self.counts_grid.addWidget(name, row * 2 + 1, col)
        if not pairs:
            self.counts_grid.addWidget(style.muted(QLabel("Nothing to import.")), 0, 0)
        for col in range(5):
            self.counts_grid.setColumnMinimumWidth(col, 72)
        self.counts_grid.setColumnStretch(5, 1)  # tiles pack to the left
        self.counts.setVisible(True)

    def _fill_problems(self, report: ImportReport) -> None:
        self.problems.clear()
        rows: list[tuple[str, str, str]] = [
            (p.severity, p.where, p.message) for p in report.problems
        ]
        if report.hidden:
            rows.append(("more", f"… and {report.hidden:,} more problems", ""))
        for severity, where, message in rows:
            item = QListWidgetItem(f"{where}\n{message}" if message else where)
            item.setData(SeverityRole, severity)
            item.setData(WhereRole, where)
            item.setData(MessageRole, message)
            item.setToolTip(f"{where}: {message}" if message else where)
            self.problems.addItem(item)
        errors = len(report.errors) + report.hidden_errors
        warnings = len(report.warnings) + report.hidden - report.hidden_errors
        parts = [plural(errors, "errors")] if errors else []
        parts += [plural(warnings, "warnings")] if warnings else []
        self.problems_title.setText("Problems · " + ", ".join(parts) if parts else "Problems")
        self.problems.setVisible(bool(report.problems))
        self.no_problems.setVisible(not report.problems)

    def _finish(self, report: ImportReport) -> None:
        self.completed = True
        self._set_banner("success", f"{summary(report)}.")
        self.heading.setText(f"Imported {self.kind.title}")
        self.key_edit.setEnabled(False)
        self.create_statuses_check.hide()
        self.rename_check.hide()
        self._update_key_hint()
        self.back_button.hide()
        self.import_button.hide()
        self.cancel_button.setText("Close")
        self.cancel_button.setObjectName("Primary")
        self.cancel_button.setDefault(True)
        self.cancel_button.style().unpolish(self.cancel_button)
        self.cancel_button.style().polish(self.cancel_button)
        self.cancel_button.clicked.disconnect(self.reject)
        self.cancel_button.clicked.connect(self.accept)

    def _set_banner(self, tone: str, text: str) -> None:
        self.banner.setProperty("tone", tone)
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)

    def _mark_key(self, bad: bool) -> None:
        self.key_edit.setProperty("error", bad)
        self.key_edit.style().unpolish(self.key_edit)
        self.key_edit.style().polish(self.key_edit)

    def _update_key_hint(self) -> None:
        key = self.project_key()
        project = self._store.project_by_key(key) if key else None
        if self.completed:
            self.key_hint.setText(project.name if project is not None else "")
        elif project is not None:
            self.key_hint.setText(f"{project.name}: the issues are added to it")
        else:
            self.key_hint.setText("a new project" if key else "")
        # Missing statuses can only be created in a project that exists already.
        self.create_statuses_check.setVisible(
            not self.completed and (project is not None or self.create_statuses_check.isChecked())
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Return in the key field checks the new key; it must not also press Import."""
        if (
            watched is self.key_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self._on_key_edit_editing_finished()
            return True
        return super().eventFilter(watched, event)

    # -- slots -------------------------------------------------------------------------------
    def _on_key_edit_text_edited(self, text: str) -> None:
        if text != text.upper():
            at = self.key_edit.cursorPosition()
            self.key_edit.setText(text.upper())
            self.key_edit.setCursorPosition(at)
        self.import_button.setEnabled(False)
        self._recheck.start()

    def _on_key_edit_editing_finished(self) -> None:
        if self.key_edit.text() != self._checked_key and not self.completed:
            self._recheck.stop()
            self.check()

    def _on_recheck_timeout(self) -> None:
        if self.key_edit.text() != self._checked_key and not self.completed:
            self.check()
        elif self.report is not None and not self.completed:
            self._show(self.report)

    def _on_create_statuses_check_toggled(self, _checked: bool) -> None:
        if not self.completed:
            self.check()

    def _on_rename_check_toggled(self, _checked: bool) -> None:
        if not self.completed:
            self.check()

    def _on_import_button_clicked(self) -> None:
        self.run_import()

    def _on_back_button_clicked(self) -> None:
        self.backRequested.emit()
        self.reject()

    def _on_theme_changed(self, _dark: bool) -> None:
        if self.report is not None:
            self._fill_problems(self.report)
