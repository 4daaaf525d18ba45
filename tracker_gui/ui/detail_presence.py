"""The detail dock stays out of the way while it has nothing to show, and returns with an issue.

An empty detail pane took a third of a small screen and pushed the window past 1024 px. It
now hides until an issue is opened; where the window has no room beside the board, it opens
as a tab beside the filter instead of widening the window, and moves back beside the board
once the window is wide enough.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QMainWindow

from tracker_gui.ui.docks import PaneDock
from tracker_gui.ui.settings import Settings

SEPARATOR = 6  # a dock separator's width, a little generous
BESIDE_WIDTH = 360  # the detail pane moves back beside the board when it can be this wide


class DetailPresence(QObject):
    """Shows and hides `detail`; `beside` is the dock it tabs with when the window is narrow."""

    def __init__(
        self, window: QMainWindow, detail: PaneDock, beside: PaneDock, settings: Settings
    ) -> None:
        super().__init__(window)
        self._window = window
        self._settings = settings
        self._detail = detail
        self._beside = beside
        self._collapsed = False  # hidden by us, not by the user: an opened issue brings it back
        self._tabbed = False  # put in the tab group of `beside` by us, for want of width
        detail.toggleViewAction().triggered.connect(self._on_toggle_triggered)
        detail.title_bar.close_button.clicked.connect(self._on_close_clicked)
        window.installEventFilter(self)

    def collapsed(self) -> bool:
        return self._collapsed

    def collapse(self) -> None:
        """Hide the (empty) detail dock unless it floats on its own or the user closed it
        (in this session or an earlier one): then it stays closed until asked for."""
        if self._detail.isFloating():
            return
        if self._settings.get("ui/detail_closed"):
            self._collapsed = False
            self._detail.hide()
            return
        if not self._detail.isHidden() or not self._collapsed:
            self._collapsed = True
            self._detail.hide()

    def issue_opened(self, raise_dock: bool) -> None:
        """An issue is shown in the pane: bring the dock back if we hid it (or if asked)."""
        if not (self._collapsed or raise_dock):
            return
        came_back = self._detail.isHidden()
        self._collapsed = False
        if raise_dock:  # opened on purpose: the pane is wanted again
            self._settings.set("ui/detail_closed", False)
        if (
            came_back
            and not self._detail.isFloating()
            and not self._fits_beside()
            and self._docked(self._beside)
        ):  # a floating or closed filter pane is no tab group to join: stay docked as is
            self._window.tabifyDockWidget(self._beside, self._detail)
            self._tabbed = True
        self._detail.show()
        if raise_dock or came_back:
            self._detail.raise_()
        self._return_beside()

    def _docked(self, dock: PaneDock) -> bool:
        """Shown inside the main window (not floating, not closed)."""
        return not dock.isHidden() and not dock.isFloating()

    def _fits_beside(self, width: int = 0) -> bool:
        """Would the window keep its width with the detail dock beside the others?"""
        if self._window.tabifiedDockWidgets(self._detail):
            return True  # it lives in a tab group: showing it takes no width
        return self._room_for(max(width, self._detail.minimumSizeHint().width()))

    def _room_for(self, width: int) -> bool:
        needed = self._window.minimumSizeHint().width() + width + SEPARATOR
        return needed <= self._window.width()

    def _return_beside(self) -> None:
        """Out of the filter's tabs and back beside the board, once the window has room."""
        if not self._tabbed or self._detail.isHidden() or self._detail.isFloating():
            return
        if self._beside not in self._window.tabifiedDockWidgets(self._detail):
            self._tabbed = False  # the user moved it since: their place now
            return
        if not self._room_for(BESIDE_WIDTH):
            return
        self._tabbed = False
        area = self._window.dockWidgetArea(self._beside)
        if area == Qt.DockWidgetArea.NoDockWidgetArea:  # the filter pane floats by now
            area = Qt.DockWidgetArea.RightDockWidgetArea
        self._window.addDockWidget(area, self._detail, Qt.Orientation.Horizontal)
        self._detail.show()
        self._window.resizeDocks([self._detail], [BESIDE_WIDTH], Qt.Orientation.Horizontal)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Resize and self._tabbed:
            self._return_beside()
        return False

    def _on_toggle_triggered(self, checked: bool) -> None:
        self._collapsed = False  # the user decided (View menu)
        self._settings.set("ui/detail_closed", not checked)

    def _on_close_clicked(self) -> None:
        self._collapsed = False
        self._settings.set("ui/detail_closed", True)
