"""Dock widgets for the panes: a compact title bar with an icon, float and close buttons."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from tracker_gui.ui import icons

TITLE_HEIGHT = 32
# A side pane's width cap: any real number keeps Qt from capping a non-growing dock at its
# size hint, so people can still widen it by hand.
SIDE_MAX_WIDTH = 16_777_214


class DockTitleBar(QWidget):
    """Icon, title, float and close; unhandled mouse events fall through so dragging still works."""

    def __init__(self, dock: QDockWidget, icon_name: str) -> None:
        super().__init__(dock)
        self.setObjectName("DockTitleBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setFixedHeight(TITLE_HEIGHT)
        self._dock = dock
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 0, 6, 0)
        layout.setSpacing(8)
        self.icon_label = QLabel()
        self.icon_label.setPixmap(icons.icon(icon_name, "muted_text").pixmap(QSize(16, 16)))
        self.icon_name = icon_name
        self.title = QLabel(dock.windowTitle())
        self.title.setObjectName("DockTitle")
        layout.addWidget(self.icon_label)
        layout.addWidget(self.title, 1)
        self.float_button = self._button("float", "Float or dock this pane")
        self.float_button.clicked.connect(self._on_float_button_clicked)
        self.close_button = self._button("close", "Close this pane (View menu brings it back)")
        self.close_button.clicked.connect(dock.close)
        layout.addWidget(self.float_button)
        layout.addWidget(self.close_button)
        dock.windowTitleChanged.connect(self._on_dock_window_title_changed)
        self._name_buttons(dock.windowTitle())

    def sizeHint(self) -> QSize:
        # QDockWidget lays the pane out below sizeHint().height(), not below the fixed height.
        return QSize(super().sizeHint().width(), TITLE_HEIGHT)

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), TITLE_HEIGHT)

    def _button(self, name: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setIcon(icons.icon(name, "muted_text"))
        button.setIconSize(QSize(14, 14))
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return button

    def _name_buttons(self, title: str) -> None:
        self.float_button.setAccessibleName(f"Float or dock the {title} pane")
        self.close_button.setAccessibleName(f"Close the {title} pane")

    def _on_dock_window_title_changed(self, title: str) -> None:
        self.title.setText(title)
        self._name_buttons(title)

    def refresh_icons(self) -> None:
        self.icon_label.setPixmap(icons.icon(self.icon_name, "muted_text").pixmap(QSize(16, 16)))

    def _on_float_button_clicked(self) -> None:
        self._dock.setFloating(not self._dock.isFloating())


class PaneScroller(QScrollArea):
    """Scrolls a pane up and down when its dock is shorter than the pane (never sideways)."""

    def __init__(self, pane: QWidget) -> None:
        super().__init__()
        self.setObjectName("PaneScroller")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(pane)

    def minimumSizeHint(self) -> QSize:
        pane = self.widget()
        width = pane.minimumSizeHint().width() if pane is not None else 0
        return QSize(width + self.verticalScrollBar().sizeHint().width(), 120)


class PaneDock(QDockWidget):
    """A pane in its dock: stable objectName (for saveState), closable, floatable, movable."""

    def __init__(
        self,
        name: str,
        title: str,
        icon_name: str,
        pane: QWidget,
        parent: QWidget | None = None,
        scroll: bool = False,
    ) -> None:
        super().__init__(title, parent)
        self.setObjectName(name)
        self._pane = pane
        # A tall pane (the filter) scrolls in a short window instead of growing the window.
        self.setWidget(PaneScroller(pane) if scroll else pane)
        self.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.icon_name = icon_name
        self.title_bar = DockTitleBar(self, icon_name)
        self._hidden_title = QWidget(self)
        self._hidden_title.setFixedHeight(0)
        self.setTitleBarWidget(self.title_bar)
        toggle = self.toggleViewAction()
        toggle.setIcon(icons.icon(icon_name))
        # Fusion draws a checked item's icon in place of its check mark: in the View menu the
        # check mark says whether the pane is open, so the icon stays out of the menu.
        toggle.setIconVisibleInMenu(False)

    def set_grows(self, grows: bool) -> None:
        """Whether extra window width goes to this pane (boards, the list) or not (sides).

        Within one dock area Qt gives extra room only to docks that can expand; every dock
        could, so the filter and detail panes took the width a wider window should give the
        board.
        """
        policy = self.sizePolicy()
        expanding, side = QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum
        policy.setHorizontalPolicy(expanding if grows else side)
        self.setSizePolicy(policy)
        if not grows:
            self.setMaximumWidth(SIDE_MAX_WIDTH)

    def pane(self) -> QWidget:
        return self._pane

    def show_title(self, shown: bool) -> None:
        """Tabbed panes already show their name on the tab: drop the title bar there."""
        wanted = self.title_bar if shown else self._hidden_title
        if self.titleBarWidget() is not wanted:
            self.setTitleBarWidget(wanted)
