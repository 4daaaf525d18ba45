"""View > Backlog: the Backlog pane's dock (closed in the default layout) and its menu item."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from tracker_gui.ui.docked_window import DockedWindow
from tracker_gui.ui.docks import PaneDock
from tracker_gui.ui.panes.backlog_pane import BacklogPane
from tracker_gui.ui.store import Store

BACKLOG_DOCK = "backlog"
BACKLOG_KEYS = "Ctrl+Shift+B"


class BacklogUi(QObject):
    """Made with the window (the pane reads nothing until it is shown), so the saved layout
    puts its dock back where it was; opened on the project on screen."""

    def __init__(
        self,
        window: DockedWindow,
        store: Store,
        menu: QMenu,
        before: QAction,
        current_project: Callable[[], int | None],
        open_issue: Callable[[int], None],
    ) -> None:
        super().__init__(window)
        self._store = store
        self._current_project = current_project
        self.pane = BacklogPane(store)
        self.pane.issueActivated.connect(open_issue)
        self.dock: PaneDock = window.add_dock(BACKLOG_DOCK, "Backlog", "clock", self.pane)
        # The dock's own toggle is the menu item, as for the other panes: its check mark
        # follows the dock however it was closed.
        self.action = self.dock.toggleViewAction()
        self.action.setText("&Backlog")
        self.action.setObjectName("show-backlog")
        self.action.setShortcut(QKeySequence(BACKLOG_KEYS))
        self.action.setStatusTip("Plan sprints: drag issues from the backlog onto a sprint")
        self.action.triggered.connect(self._on_action_triggered)
        menu.insertAction(before, self.action)

    def open(self) -> PaneDock:
        """Show the pane on the project on screen and bring it forward."""
        project_id = self._current_project()
        project = next((p for p in self._store.projects() if p.id == project_id), None)
        if project is not None:
            self.pane.set_project(project.key)
        self.dock.show()
        self.dock.raise_()
        self.action.setChecked(True)
        return self.dock

    def _on_action_triggered(self, checked: bool) -> None:
        if checked:  # the dock is shown already; it opens on the board one looks at
            self.open()


def install(
    window: DockedWindow,
    store: Store,
    menu: QMenu,
    before: QAction,
    current_project: Callable[[], int | None],
    open_issue: Callable[[int], None],
) -> BacklogUi:
    return BacklogUi(window, store, menu, before, current_project, open_issue)
