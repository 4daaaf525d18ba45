"""View > Reports: the menu item now, the Reports pane (and the chart code) only when opened.

Nothing here imports the pane or `ui.charts`: the window's cold start stays as it was, and
the first open pays for them (see docs/reports.md for the figures).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from tracker_gui.services import Services
from tracker_gui.services.report_types import Report
from tracker_gui.ui import icons
from tracker_gui.ui.docked_window import DockedWindow
from tracker_gui.ui.docks import PaneDock
from tracker_gui.ui.report_job import Compute
from tracker_gui.ui.store import Store

if TYPE_CHECKING:  # the pane itself is imported on first use only
    from tracker_gui.ui.panes.reports_pane import ReportsPane

REPORTS_DOCK = "reports"
REPORTS_KEYS = "Ctrl+Shift+R"
CLOSE_WAIT_MS = 10_000  # a report still computing when the window closes


@dataclass(frozen=True)
class ReportSources:
    """What the composition root hands the window for reports (see ui/report_job.py)."""

    compute: Compute  # (kind, options) -> Report, called on a worker thread
    sprints: Callable[[str], Sequence[str]] | None = None  # project key -> sprint names


def sources_for(services: Services) -> ReportSources:
    """The reports service (services/reports.py, run on the pane's worker thread) and the
    project's sprints for the picker, from the composition root's services."""
    from tracker_gui.services.reports import ReportService  # only when a window opens

    reports = ReportService(services.database, services.projects.catalog)

    def sprint_names(project_key: str) -> list[str]:
        return [s.name for s in services.sprints.sprints(project_key)]

    return ReportSources(compute=reports.compute_options, sprints=sprint_names)


class ReportsUi(QObject):
    """The View menu's Reports item; makes the pane and its dock the first time it is used."""

    def __init__(
        self,
        window: DockedWindow,
        store: Store,
        menu: QMenu,
        before: QAction,
        sources: ReportSources | None,
        current_project: Callable[[], int | None],
    ) -> None:
        super().__init__(window)
        self._window, self._store, self._sources = window, store, sources
        self._current_project = current_project
        self.dock: PaneDock | None = None
        self.pane: ReportsPane | None = None
        self.action = QAction(icons.icon("chart"), "&Reports", window)
        self.action.setObjectName("show-reports")
        self.action.setCheckable(True)
        self.action.setIconVisibleInMenu(False)  # the check mark says whether it is open
        self.action.setShortcut(QKeySequence(REPORTS_KEYS))
        self.action.setStatusTip("Burndown, cumulative flow, cycle time and more")
        if sources is None:
            self.action.setEnabled(False)
            self.action.setStatusTip("Reports are not available for this database")
        self.action.triggered.connect(self._on_action_triggered)
        menu.insertAction(before, self.action)
        window.installEventFilter(self)  # remembers at close whether the pane was open
        if sources is not None and window.settings.get("ui/reports_open"):
            # Open at the last close: made now, before the window restores its saved layout,
            # so Qt puts it back where it was (only then; the default layout stays light).
            self._ensure(place=False)

    def open(self) -> PaneDock | None:
        """Show the Reports pane (making it the first time) and bring it forward."""
        dock = self._ensure()
        if dock is None:
            return None
        dock.show()
        dock.raise_()
        self.action.setChecked(True)  # also when opened by code (the last session, a test)
        return dock

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Close:
            # Before the window saves its layout and syncs the settings.
            self._window.settings.set("ui/reports_open", self.action.isChecked())
            if self.pane is not None:  # the database closes after the window: let SQL end
                self.pane.wait(CLOSE_WAIT_MS)
        return False

    def open_and_wait(self, msecs: int) -> Report | None:
        """Open the pane and wait for its report (the frozen app's smoke test); None when
        there is no reports service or the report failed."""
        if self.open() is None or self.pane is None:
            return None
        self.pane.refresh()
        self.pane.wait(msecs)
        for _ in range(10):  # the answer comes back through a queued signal
            QCoreApplication.processEvents()
        return self.pane.report()

    def _ensure(self, place: bool = True) -> PaneDock | None:
        if self.dock is not None or self._sources is None:
            return self.dock
        # Imported here, on first use, not at start; the charts come with it. A plain import
        # statement (not importlib) so that PyInstaller still sees it and bundles the pane.
        from tracker_gui.ui.panes.reports_pane import ReportsPane

        pane = ReportsPane(self._store, self._sources.compute, sprints=self._sources.sprints)
        project = next((p for p in self._store.projects() if p.id == self._current_project()), None)
        if project is not None:
            pane.set_project(project.key)
        window = self._window
        dock = window.add_dock(REPORTS_DOCK, "Reports", "chart", pane)
        # A tab beside the board. (restoreDockWidget, Qt's way to put back a dock made after
        # restoreState, left it outside its tab group now and then.)
        if place:
            centre = window.centre_dock()
            if centre is not None and not centre.isFloating():
                window.tabifyDockWidget(centre, dock)
            else:
                window.place_centre(dock)
        dock.toggleViewAction().toggled.connect(self.action.setChecked)
        status = window.statusBar()
        pane.exported.connect(lambda text: status.showMessage(text, 8000))
        self.dock, self.pane = dock, pane
        return dock

    def _on_action_triggered(self, checked: bool) -> None:
        if checked:
            self.open()
        elif self.dock is not None:
            self.dock.close()


def install(
    window: DockedWindow,
    store: Store,
    menu: QMenu,
    before: QAction,
    sources: ReportSources | None,
    current_project: Callable[[], int | None],
) -> ReportsUi:
    return ReportsUi(window, store, menu, before, sources, current_project)
