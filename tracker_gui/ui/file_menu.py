"""File > Import and File > Export in the window: the flows they open and what follows them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QStatusBar, QWidget

from tracker_gui.domain.models import Project
from tracker_gui.interchange import ImportReport
from tracker_gui.ui.actions import Actions
from tracker_gui.ui.dialogs.import_export import ExportDialog, ImportFlow
from tracker_gui.ui.dialogs.import_review import summary as import_summary
from tracker_gui.ui.store import Store


class FileMenu(QObject):
    """Opens the import flow and the export dialog for the window, and reports their end."""

    def __init__(
        self,
        window: QWidget,
        store: Store,
        actions: Actions,
        status: QStatusBar,
        current_project: Callable[[], Project | None],
        open_board: Callable[[int], object],
    ) -> None:
        super().__init__(window)
        self.window, self.store, self.status = window, store, status
        self.current_project, self.open_board = current_project, open_board
        actions.import_menu.triggered.connect(self._on_import_menu_triggered)
        actions.export_menu.triggered.connect(self._on_export_menu_triggered)

    def start_import(self, kind: str, path: str | None = None) -> ImportFlow | None:
        """File > Import: pick a file (unless `path`), map CSV columns, review the dry run."""
        project = self.current_project()
        flow = ImportFlow(self.store, kind, self.window, project.key if project else None)
        flow.imported.connect(self._on_import_flow_imported)
        flow.finished.connect(flow.deleteLater)
        return flow if flow.start(path) else None

    def start_export(self, kind: str) -> ExportDialog:
        """File > Export: the export dialog (columns for CSV, where to save), opened."""
        dialog = ExportDialog(self.store, kind, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.exported.connect(self._on_export_dialog_exported)
        dialog.open()
        return dialog

    def _on_import_menu_triggered(self, action: QAction) -> None:
        self.start_import(str(action.data()))

    def _on_export_menu_triggered(self, action: QAction) -> None:
        self.start_export(str(action.data()))

    def _on_import_flow_imported(self, report: ImportReport) -> None:
        # A backup names every project it restored ("TRK, WR"): show the first one's board.
        key = (report.project or "").split(",")[0].strip()
        project = self.store.project_by_key(key) if key else None
        if project is not None:
            self.open_board(project.id)
        self.status.showMessage(f"{import_summary(report)} from {Path(report.path).name}", 8000)

    def _on_export_dialog_exported(self, message: str) -> None:
        self.status.showMessage(message, 8000)
