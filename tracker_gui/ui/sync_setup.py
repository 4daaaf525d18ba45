"""Offline team mode in a window: the Conflicts pane, the status bar's sync state, Sync now.

`install` is called by the main window when it is given a SyncEngine; without one none of
this exists and the window keeps the live feed's words and the offline banner.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from tracker_gui.services.sync_types import SyncEngine, SyncReport, SyncStatus
from tracker_gui.ui import icons
from tracker_gui.ui.docked_window import DockedWindow
from tracker_gui.ui.docks import PaneDock
from tracker_gui.ui.panes.conflicts_pane import ConflictsPane
from tracker_gui.ui.status_bar import StatusBar
from tracker_gui.ui.store import Store
from tracker_gui.ui.sync_controller import SyncController
from tracker_gui.ui.sync_status import SyncStatusWidget
from tracker_gui.ui.sync_text import plural

CONFLICTS_DOCK = "conflicts"
SYNC_NOW_KEYS = "F5"
MESSAGE_MS = 8000
REFRESH_SOON_MS = 150


class SyncUi(QObject):
    """Everything offline team mode adds to one window; stops its worker when the window closes."""

    def __init__(
        self,
        window: DockedWindow,
        store: Store,
        status_bar: StatusBar,
        engine: SyncEngine,
        file_menu_anchor: QAction,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._status_bar = status_bar
        self.controller = SyncController(engine, store, self)
        self.sync_now = QAction(icons.icon("refresh"), "S&ync Now", window)
        self.sync_now.setObjectName("sync-now")
        self.sync_now.setShortcut(QKeySequence(SYNC_NOW_KEYS))
        self.sync_now.setStatusTip("Send your queued changes and fetch the team's")
        self.sync_now.setToolTip(f"Sync now ({SYNC_NOW_KEYS})")
        self.sync_now.triggered.connect(self._on_sync_now_triggered)
        _insert_after(window, file_menu_anchor, self.sync_now)
        self.pane = ConflictsPane(store, self.controller)
        self.dock: PaneDock = window.add_dock(CONFLICTS_DOCK, "Conflicts", "warning", self.pane)
        self.status = SyncStatusWidget(self.sync_now)
        status_bar.addPermanentWidget(self.status)
        self.status.entriesClicked.connect(self.show_pane)
        c = self.controller
        c.statusChanged.connect(self._on_controller_status_changed)
        c.syncingChanged.connect(self._on_controller_syncing_changed)
        c.synced.connect(self._on_controller_synced)
        c.replicaChanged.connect(store.poll)
        # A change made here is queued in the outbox: "1 change waiting" shows at once.
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(REFRESH_SOON_MS)
        self._soon.timeout.connect(c.refresh)
        store.changesArrived.connect(self._on_store_changes_arrived)
        window.installEventFilter(self)
        c.start()

    def show_pane(self) -> None:
        """Bring the Conflicts pane forward (it may be closed, or a tab behind the board)."""
        self.dock.show()
        self.dock.raise_()
        self.pane.table.setFocus()

    def stop(self) -> None:
        self.controller.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Close:
            self.stop()  # a sync under way finishes before the window's objects go
        return False

    def _show(self) -> None:
        self.status.show_status(self.controller.status, self.controller.syncing)
        self.sync_now.setEnabled(not self.controller.syncing)

    def _on_store_changes_arrived(self, _changes: list[object]) -> None:
        self._soon.start()

    def _on_sync_now_triggered(self) -> None:
        self.controller.sync_now()

    def _on_controller_status_changed(self, _status: SyncStatus) -> None:
        self._show()

    def _on_controller_syncing_changed(self, _syncing: bool) -> None:
        self._show()

    def _on_controller_synced(self, report: SyncReport) -> None:
        self._show()
        fresh = report.conflicts + report.refused
        if fresh:
            self._status_bar.showMessage(
                f"Sync: {plural(fresh, 'change needs', 'changes need')} you in the Conflicts pane",
                MESSAGE_MS,
            )

    def refresh_style(self) -> None:
        self.status.refresh_style()


def _insert_after(window: DockedWindow, anchor: QAction, action: QAction) -> None:
    """Put `action` just below `anchor` in whichever menu holds it (File, under Open)."""
    for menu in window.menuBar().findChildren(QMenu):
        actions = menu.actions()
        if anchor in actions:
            at = actions.index(anchor) + 1
            if at < len(actions):
                menu.insertAction(actions[at], action)
            else:
                menu.addAction(action)
            return
    window.addAction(action)


def install(
    window: DockedWindow,
    store: Store,
    status_bar: StatusBar,
    engine: SyncEngine,
    file_menu_anchor: QAction,
) -> SyncUi:
    """Add the Conflicts dock, the sync state and Sync now to `window`, and start following."""
    return SyncUi(window, store, status_bar, engine, file_menu_anchor)
