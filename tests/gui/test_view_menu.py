"""View menu: every pane and view item is a check item whose mark follows what is open."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

from tracker_gui.domain.models import Issue
from tracker_gui.ui.main_window import MainWindow

Make = Callable[..., MainWindow]


def _pane_items(window: MainWindow) -> dict[str, QAction]:
    toggles = {d.toggleViewAction(): name for name, d in window.docks.items()}
    return {toggles[a]: a for a in window.actions_.view_menu.actions() if a in toggles}


def test_pane_items_show_a_check_mark_that_follows_the_pane(
    qtbot: QtBot, make_window: Make, three_issues: list[Issue]
) -> None:
    window = make_window()
    items = _pane_items(window)
    assert set(items) == set(window.docks)
    for name, action in items.items():
        assert action.isCheckable(), name
        # Fusion paints a checked item's icon instead of its check mark: no icon in the menu.
        assert not action.isIconVisibleInMenu(), name
        assert action.isChecked() == (not window.docks[name].isHidden()), name
    window.docks["activity"].close()
    assert not items["activity"].isChecked()
    items["activity"].trigger()
    qtbot.waitUntil(window.docks["activity"].isVisible)
    assert items["activity"].isChecked()


def test_board_and_list_items_are_check_items_in_the_menu(make_window: Make) -> None:
    window = make_window()
    for action in (window.actions_.show_board, window.actions_.show_list):
        assert action in window.actions_.view_menu.actions()
        assert action.isCheckable()
        assert not action.isIconVisibleInMenu()
        assert not action.icon().isNull()  # the toolbar keeps its icon
    window.actions_.show_list.trigger()
    assert window.actions_.show_list.isChecked()
    assert not window.actions_.show_board.isChecked()
