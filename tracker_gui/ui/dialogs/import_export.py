"""File > Import and Export: the import flow (file, CSV mapping, review) and the export dialog."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QObject, QSize, QStandardPaths, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
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

from tracker_gui.domain.models import IssueFilter
from tracker_gui.interchange import COLUMNS, DEFAULT_COLUMNS
from tracker_gui.ui.dialogs.csv_mapping import CsvMappingDialog
from tracker_gui.ui.dialogs.import_review import KINDS, ImportOptions, ImportReviewDialog, plural
from tracker_gui.ui.dialogs.import_widgets import TaskProgress
from tracker_gui.ui.export_job import ExportJob
from tracker_gui.ui.store import Store
from tracker_gui.ui.widgets import kit as ui
from tracker_gui.ui.widgets import style

ColumnRole = Qt.ItemDataRole.UserRole + 1  # the export column id of a row in the column list
EXPORTS = {
    "csv": ("Export issues as CSV", "CSV files (*.csv)", "tracker-issues-{date}.csv"),
    "json": ("Export everything as JSON", "Tracker backup (*.json)", "tracker-backup-{date}.json"),
}
EXTRA_STYLE = """
QLabel#PathNote[tone="warning"] {{ color: {warning}; }}
QLabel#PathNote[tone="danger"] {{ color: {danger}; }}
"""


def choose_import_file(parent: QWidget, kind: str) -> str | None:
    """The open-file dialog for one kind of import; None when the user cancels it."""
    title = f"Import {KINDS[kind].title}"
    path, _ = QFileDialog.getOpenFileName(parent, title, "", KINDS[kind].filter)
    return path or None


class ImportFlow(QObject):
    """One File > Import from start to end: file, CSV mapping (CSV only), review, import."""

    imported = Signal(object)  # the committed ImportReport
    finished = Signal()  # the last dialog closed, imported or not

    def __init__(
        self, store: Store, kind: str, parent: QWidget, project_key: str | None = None
    ) -> None:
        super().__init__(parent)
        if kind not in KINDS:
            raise ValueError(f"unknown import kind {kind!r}")
        self.kind = kind
        self._store = store
        self._window = parent
        self._project_key = project_key
        self.path: Path | None = None
        self.mapping_dialog: CsvMappingDialog | None = None
        self.review_dialog: ImportReviewDialog | None = None

    def start(self, path: str | Path | None = None) -> bool:
        """Ask for the file unless `path` is given; False when the user picked none."""
        chosen = path or choose_import_file(self._window, self.kind)
        if not chosen:
            self.finished.emit()
            return False
        self.path = Path(chosen)
        if self.kind == "csv":
            dialog = CsvMappingDialog(self._store, self.path, self._project_key, self._window)
            dialog.accepted.connect(self._on_mapping_dialog_accepted)
            dialog.rejected.connect(self._on_mapping_dialog_rejected)
            self.mapping_dialog = dialog
            dialog.open()
        else:
            self.review(ImportOptions())
        return True

    def review(self, options: ImportOptions) -> ImportReviewDialog:
        """Open the review dialog and run the dry run in it."""
        assert self.path is not None
        dialog = ImportReviewDialog(self._store, self.kind, self.path, options, self._window)
        dialog.imported.connect(self.imported)
        dialog.backRequested.connect(self._on_review_dialog_back_requested)
        dialog.finished.connect(self._on_review_dialog_finished)
        if self.review_dialog is not None:
            self.review_dialog.deleteLater()
        self.review_dialog = dialog
        dialog.open()
        dialog.check()
        return dialog

    def _on_mapping_dialog_accepted(self) -> None:
        mapping = self.mapping_dialog
        assert mapping is not None
        options = ImportOptions(
            project=mapping.project_key(),
            mapping=mapping.mapping(),
            encoding=mapping.encoding(),
            create_statuses=mapping.create_statuses(),
        )
        self.review(options)

    def _on_mapping_dialog_rejected(self) -> None:
        self._wind_up()

    def _on_review_dialog_back_requested(self) -> None:
        if self.mapping_dialog is not None:
            review = self.review_dialog
            if review is not None:
                self.mapping_dialog.create_statuses_check.setChecked(
                    review.create_statuses_check.isChecked()
                )
            self.mapping_dialog.open()

    def _on_review_dialog_finished(self, _result: int) -> None:
        mapping = self.mapping_dialog
        if mapping is None or not mapping.isVisible():
            self._wind_up()

    def _wind_up(self) -> None:
        """The user is done with this import: its dialogs go, then `finished`."""
        for dialog in (self.mapping_dialog, self.review_dialog):
            if dialog is not None:
                dialog.deleteLater()
        self.finished.emit()


def default_export_path(kind: str) -> str:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    base = Path(folder) if folder and Path(folder).is_dir() else Path.home()
    name = EXPORTS[kind][2].format(date=dt.date.today().isoformat())
    target, n = base / name, 2
    while target.exists():
        target, n = base / f"{Path(name).stem}-{n}{Path(name).suffix}", n + 1
    return str(target)


class ExportDialog(QDialog):
    """Issues of the current filter as CSV (columns chosen and ordered) or everything as JSON.

    The file is written on a worker thread (ExportJob): the window keeps painting, the
    progress dialog's Cancel (or this dialog's) stops it, and no partial file is left.
    """

    exported = Signal(str)  # a one-line summary for the status bar
    progressStarted = Signal(object)  # TaskProgress, as the export begins

    def __init__(self, store: Store, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if kind not in EXPORTS:
            raise ValueError(f"unknown export kind {kind!r}")
        self.setObjectName("ExportDialog")
        self.kind = kind
        self._store = store
        self.result_counts: dict[str, int] | None = None
        self.job: ExportJob | None = None  # while the file is being written
        self._progress: TaskProgress | None = None
        self._pumping = False  # inside TaskProgress.progress, which processes events
        self._latest = (0, 0)  # the newest progress the worker reported
        title, self._filter, _ = EXPORTS[kind]
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        style.install_style(self, EXTRA_STYLE)

        self.heading = QLabel(title)
        self.heading.setFont(ui.scaled_font(self.heading, 1.3, QFont.Weight.DemiBold))
        self.scope_label = style.muted(QLabel())
        self.scope_label.setWordWrap(True)
        self.columns_list = QListWidget()
        self.columns_list.setObjectName("ExportColumns")
        self.columns_list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.columns_list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.columns_list.setFlow(QListView.Flow.TopToBottom)
        self.columns_list.setWrapping(True)
        self.columns_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.columns_list.setUniformItemSizes(True)
        self.columns_list.setGridSize(QSize(164, 30))
        self.columns_list.setMinimumHeight(6 * 30 + 12)
        self.columns_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.default_button = QPushButton("Default columns")
        self.default_button.clicked.connect(self._on_default_button_clicked)
        self.all_button = QPushButton("All columns")
        self.all_button.clicked.connect(self._on_all_button_clicked)
        self.path_edit = QLineEdit(default_export_path(kind))
        self.path_edit.setObjectName("ExportPath")
        self.path_edit.textChanged.connect(self._on_path_edit_text_changed)
        self.browse_button = QPushButton("Browse…")
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        self.path_note = QLabel()
        self.path_note.setObjectName("PathNote")
        self.error_label = style.error_label()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.export_button = QPushButton("Export")
        self.export_button.setObjectName("Primary")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self._fill_columns(DEFAULT_COLUMNS)
        self.columns_list.itemChanged.connect(self._on_columns_list_item_changed)
        self._describe_scope()
        self._layout()
        self._on_path_edit_text_changed(self.path_edit.text())
        self.export_button.setFocus()

    def _layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        title = QVBoxLayout()
        title.setSpacing(2)
        title.addWidget(self.heading)
        title.addWidget(self.scope_label)
        layout.addLayout(title)
        if self.kind == "csv":
            head = QHBoxLayout()
            head.addWidget(ui.section_title("Columns"))
            head.addStretch(1)
            head.addWidget(style.muted(QLabel("drag to reorder")))
            layout.addLayout(head)
            layout.addWidget(self.columns_list, 1)
            presets = QHBoxLayout()
            presets.setSpacing(8)
            presets.addWidget(self.default_button)
            presets.addWidget(self.all_button)
            presets.addStretch(1)
            layout.addLayout(presets)
        else:
            self.columns_list.hide()
        layout.addWidget(ui.section_title("Save to"))
        where = QHBoxLayout()
        where.setSpacing(8)
        where.addWidget(self.path_edit, 1)
        where.addWidget(self.browse_button)
        layout.addLayout(where)
        layout.addWidget(self.path_note)
        layout.addWidget(self.error_label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.export_button)
        layout.addLayout(buttons)

    def _describe_scope(self) -> None:
        if self.kind == "csv":
            count = self._store.count()
            scoped = self._store.filter != IssueFilter()
            what = "match the current filter" if scoped else "in all projects (no filter)"
            self.scope_label.setText(f"{plural(count, 'issues')} {what}.")
        else:
            projects = self._store.projects()
            self.scope_label.setText(
                f"A complete backup of {plural(len(projects), 'projects')} with every issue, "
                "comment, link, attachment and the history. File > Import > Backup restores it."
            )

    # -- API ---------------------------------------------------------------------------------
    def set_path(self, path: str | Path) -> None:
        self.path_edit.setText(str(path))

    def columns(self) -> list[str]:
        """The checked columns, in list order."""
        rows = (self.columns_list.item(n) for n in range(self.columns_list.count()))
        return [
            str(item.data(ColumnRole))
            for item in rows
            if item is not None and item.checkState() == Qt.CheckState.Checked
        ]

    def set_columns(self, columns: list[str] | tuple[str, ...]) -> None:
        self._fill_columns(columns)
        self._update_button()

    def export(self) -> ExportJob:
        """Start writing the file on a worker, with progress and Cancel (a cancelled or failed
        export leaves no file); `exported` and `result_counts` follow when it is written."""
        path = Path(self.path_edit.text().strip()).expanduser()
        style.show_error(self.error_label, "")
        columns = self.columns() if self.kind == "csv" else None
        return self._store.transfers.start_export(
            self.kind, path, columns=columns, listen=self._follow
        )

    def _follow(self, job: ExportJob) -> None:
        """Connect to `job` before its worker starts: one that fails at once is still heard."""
        verb = "Exporting issues" if self.kind == "csv" else "Exporting the database"
        progress = TaskProgress(self, self.windowTitle(), verb, delay_ms=300)
        self.job, self._progress = job, progress
        job.progressed.connect(self._on_job_progressed)
        job.succeeded.connect(self._on_job_succeeded)
        job.failed.connect(self._on_job_failed)
        job.cancelled.connect(self._on_job_cancelled)
        job.ended.connect(self._on_job_ended)
        progress.dialog.canceled.connect(job.cancel)
        self._set_running(True)
        self.progressStarted.emit(progress)  # also before the start: its listeners miss nothing

    def cancel_export(self) -> None:
        """Stop a running export and wait for it: its temporary file is gone on return."""
        if self.job is not None and self.job.is_running():
            self.job.cancel()
            self.job.wait()

    def done(self, result: int) -> None:
        # Closing the dialog (Escape, the title bar) while it writes cancels the export.
        self.cancel_export()
        super().done(result)

    # -- helpers -----------------------------------------------------------------------------
    def _fill_columns(self, checked: list[str] | tuple[str, ...]) -> None:
        self.columns_list.blockSignals(True)
        self.columns_list.clear()
        order = [*checked, *(c for c in COLUMNS if c not in checked)]
        for column in order:
            item = QListWidgetItem(COLUMNS[column])
            item.setData(ColumnRole, column)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsUserCheckable
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled
            )
            on = column in checked
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            self.columns_list.addItem(item)
        self.columns_list.blockSignals(False)

    def _note(self, tone: str, text: str) -> None:
        self.path_note.setProperty("tone", tone)
        self.path_note.setText(text)
        self.path_note.setVisible(bool(text))
        self.path_note.style().unpolish(self.path_note)
        self.path_note.style().polish(self.path_note)

    def _path_problem(self) -> str:
        text = self.path_edit.text().strip()
        if not text:
            return "Choose where to save the file."
        path = Path(text).expanduser()
        if path.is_dir():
            return "That is a folder: add a file name."
        if not path.parent.is_dir():
            return f"There is no folder {path.parent}."
        return ""

    def _update_button(self) -> None:
        ok = not self._path_problem() and (self.kind != "csv" or bool(self.columns()))
        self.export_button.setEnabled(ok and self.job is None)

    def _set_running(self, running: bool) -> None:
        for widget in (self.columns_list, self.default_button, self.all_button, self.path_edit,
                       self.browse_button):  # fmt: skip
            widget.setEnabled(not running)
        self._update_button()

    # -- slots -------------------------------------------------------------------------------
    def _on_path_edit_text_changed(self, text: str) -> None:
        problem = self._path_problem()
        if problem:
            self._note("danger", problem)
        elif Path(text.strip()).expanduser().exists():
            self._note("warning", "The file exists and will be replaced.")
        else:
            self._note("", "")
        self._update_button()

    def _on_browse_button_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.windowTitle(), self.path_edit.text(), self._filter
        )
        if path:
            self.set_path(path)

    def _on_columns_list_item_changed(self, _item: QListWidgetItem) -> None:
        self._update_button()

    def _on_default_button_clicked(self) -> None:
        self.set_columns(DEFAULT_COLUMNS)

    def _on_all_button_clicked(self) -> None:
        self.set_columns(list(COLUMNS))

    def _on_export_button_clicked(self) -> None:
        if self.export_button.isEnabled() and self.job is None:
            self.export()

    def _on_cancel_button_clicked(self) -> None:
        if self.job is not None:
            self.job.cancel()  # the dialog stays, saying so; a second click closes it
        else:
            self.reject()

    def _on_job_progressed(self, done: int, total: int) -> None:
        self._latest = (done, total)
        progress = self._progress
        if progress is None or self._pumping:
            return  # shown by the call below, which is still running
        self._pumping = True
        try:
            shown = None
            # TaskProgress.progress pumps events: newer ticks (and the outcome) arrive inside.
            while self._progress is not None and self._latest != shown:
                shown = self._latest
                progress.progress(*shown)
        finally:
            self._pumping = False
        if self._progress is None:  # the job ended inside: close it now that nothing is in it
            progress.close()

    def _on_job_succeeded(self, counts: dict[str, int]) -> None:
        path = self.job.path if self.job is not None else ""
        self._on_job_ended()
        self.result_counts = counts
        if self.kind == "csv":
            message = f"Exported {plural(counts.get('issues', 0), 'issues')} to {path}"
        else:
            shown = ", ".join(plural(n, what) for what, n in counts.items() if n)
            message = f"Exported {shown or 'an empty database'} to {path}"
        self.exported.emit(message)
        self.accept()

    def _on_job_failed(self, message: str) -> None:
        self._on_job_ended()
        style.show_error(self.error_label, message)

    def _on_job_cancelled(self) -> None:
        self._on_job_ended()
        style.show_error(self.error_label, "Export cancelled: no file was written.")

    def _on_job_ended(self) -> None:
        """The worker is done (called again by `ended` after the outcome: harmless)."""
        if self._progress is not None:
            if self._pumping:  # deleting it now would pull it from under its own call
                self._progress.dialog.hide()
            else:
                self._progress.close()
            self._progress = None
        self.job = None
        self._set_running(False)


__all__ = [
    "KINDS",
    "CsvMappingDialog",
    "ExportDialog",
    "ImportFlow",
    "ImportOptions",
    "ImportReviewDialog",
    "TaskProgress",
    "choose_import_file",
]
