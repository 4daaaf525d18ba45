"""A QMainWindow made of docks: default arrangement, saved layout, tab-aware title bars."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabWidget, QWidget

from tracker_gui.ui.docks import PaneDock
from tracker_gui.ui.settings import Settings

# 2: every dock in one area (version 1 layouts split them over two areas, where Qt gave a
# wider window's room to the side panes): a version 1 layout is replaced by the default.
STATE_VERSION = 2
BOARD_PREFIX = "board:"
SIDE_WIDTH = 280
DETAIL_WIDTH = 392
SIDE_DOCKS = ("filter", "activity", "detail")  # keep their width; the board takes the rest
SCROLLED_DOCKS = ("filter",)  # tall panes that scroll rather than make the window taller
# Optional panes tabbed behind the centre (if made).
CENTRE_TABS = ("conflicts", "reports", "backlog")
CLOSED_DOCKS = ("reports", "backlog")  # closed in the default layout
AREA = Qt.DockWidgetArea.LeftDockWidgetArea


class DockedWindow(QMainWindow):
    """Docks by stable name ("filter", "board:TRK", ...); the layout persists in Settings."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setDockNestingEnabled(True)
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks
            | QMainWindow.DockOption.AllowTabbedDocks
            | QMainWindow.DockOption.AllowNestedDocks
        )
        self.setTabPosition(Qt.DockWidgetArea.AllDockWidgetAreas, QTabWidget.TabPosition.North)
        self.setDocumentMode(True)
        placeholder = QWidget(self)
        placeholder.setObjectName("CentralPlaceholder")
        self.setCentralWidget(placeholder)
        placeholder.hide()  # every pane is a dock; a hidden centre lets them fill the window
        self.docks: dict[str, PaneDock] = {}
        self._boards: list[PaneDock] = []
        self._sizes_pending = True
        self._title_timer = QTimer(self)
        self._title_timer.setSingleShot(True)
        self._title_timer.setInterval(0)
        self._title_timer.timeout.connect(self._update_title_bars)

    def add_dock(self, name: str, title: str, icon_name: str, pane: QWidget) -> PaneDock:
        dock = PaneDock(name, title, icon_name, pane, self, scroll=name in SCROLLED_DOCKS)
        dock.set_grows(name not in SIDE_DOCKS)
        dock.dockLocationChanged.connect(self._on_dock_layout_changed)
        dock.topLevelChanged.connect(self._on_dock_layout_changed)
        self.docks[name] = dock
        return dock

    def centre_dock(self) -> PaneDock | None:
        """The dock in the middle: the first board, else the issue list."""
        return self._boards[0] if self._boards else self.docks.get("issue-list")

    def place_centre(self, dock: PaneDock) -> None:
        """A board with nothing to tab with: beside the filter column, in the one dock area."""
        anchor = self.docks.get("filter")
        if anchor is not None and not anchor.isFloating() and not anchor.isHidden():
            self.splitDockWidget(anchor, dock, Qt.Orientation.Horizontal)
        else:
            self.addDockWidget(AREA, dock)

    def reset_layout(self) -> None:
        """Default arrangement: filter and activity left, boards and list centre, detail right.

        All in one dock area, so that the extra width of a wider window goes to the centre
        (the only docks that grow) and not to the side panes.
        """
        every = [*self.docks.values()]
        for dock in every:
            if dock.isFloating():
                dock.setFloating(False)  # while it is still in the layout: it docks again
            if self.dockWidgetArea(dock) != Qt.DockWidgetArea.NoDockWidgetArea:
                self.removeDockWidget(dock)
        filter_dock, list_dock = self.docks["filter"], self.docks["issue-list"]
        detail_dock, activity_dock = self.docks["detail"], self.docks["activity"]
        self.addDockWidget(AREA, filter_dock)
        centre = self._boards[0] if self._boards else list_dock
        self.splitDockWidget(filter_dock, centre, Qt.Orientation.Horizontal)
        # Split before tabbing: splitting a tabbed dock would add a tab instead.
        self.splitDockWidget(centre, detail_dock, Qt.Orientation.Horizontal)
        self.splitDockWidget(filter_dock, activity_dock, Qt.Orientation.Vertical)
        extra = [self.docks[n] for n in CENTRE_TABS if n in self.docks]
        for dock in [*self._boards[1:], list_dock, *extra]:
            if dock is not centre:
                self.tabifyDockWidget(centre, dock)
        for dock in every:
            dock.setVisible(dock.objectName() not in CLOSED_DOCKS)
        centre.raise_()
        self._sizes_pending = True
        if self.isVisible():
            self._apply_default_sizes()
        self._title_timer.start()

    def _apply_default_sizes(self) -> None:
        if not self._sizes_pending:
            return
        self._sizes_pending = False
        filter_dock, activity_dock = self.docks["filter"], self.docks["activity"]
        detail_dock = self.docks["detail"]
        centre = self._boards[0] if self._boards else self.docks["issue-list"]
        side = SIDE_WIDTH if self.width() >= 1280 else SIDE_WIDTH * 4 // 5
        detail = DETAIL_WIDTH if detail_dock.isVisible() else 0
        docks = [filter_dock, centre, detail_dock] if detail else [filter_dock, centre]
        sizes = [side, max(400, self.width() - side - detail), detail][: len(docks)]
        self.resizeDocks(docks, sizes, Qt.Orientation.Horizontal)
        height = max(self.height() - 120, 400)
        share = 0.58 if self.height() >= 800 else 0.68  # a short window: the filter first
        self.resizeDocks(
            [filter_dock, activity_dock],
            [int(height * share), int(height * (1 - share))],
            Qt.Orientation.Vertical,
        )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._sizes_pending:
            QTimer.singleShot(0, self._apply_default_sizes)

    # -- persistence ---------------------------------------------------------------------
    def save_layout(self) -> None:
        self.settings.set("window/geometry", bytes(self.saveGeometry().data()))
        self.settings.set("window/state", bytes(self.saveState(STATE_VERSION).data()))
        keys = [d.objectName().removeprefix(BOARD_PREFIX) for d in self._boards]
        self.settings.set("ui/open_boards", keys)
        if keys:
            self.settings.set("ui/last_project", keys[0])
        self.settings.sync()

    def restore_layout(self) -> bool:
        """Geometry and dock state from the last session; False when there was none."""
        geometry = self.settings.get("window/geometry")
        if geometry:
            self.restoreGeometry(QByteArray(geometry))
        state = self.settings.get("window/state")
        restored = bool(state) and self.restoreState(QByteArray(state), STATE_VERSION)
        if restored:
            self._sizes_pending = False
        self._title_timer.start()
        return restored

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        super().closeEvent(event)

    def _update_title_bars(self) -> None:
        for dock in self.docks.values():
            tabs = [
                d
                for d in self.tabifiedDockWidgets(dock)
                if isinstance(d, QDockWidget) and d.toggleViewAction().isChecked()
            ]
            dock.show_title(not tabs or dock.isFloating())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:
            self._title_timer.start()
        return super().event(event)

    def _on_dock_layout_changed(self, *_args: object) -> None:
        self._title_timer.start()
