"""The window fits a small screen: 1024x640 and 1366x768, the board taking the width."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QRect, Qt
from pytestqt.qtbot import QtBot

from tracker_gui.domain.models import Issue
from tracker_gui.services import Services
from tracker_gui.ui.docks import PaneDock
from tracker_gui.ui.main_window import MainWindow

Make = Callable[..., MainWindow]


NARROW = 860  # px: too narrow for filter, board and detail side by side


def _sized(qtbot: QtBot, make_window: Make, width: int, height: int) -> MainWindow:
    window = make_window()
    window.resize(width, height)
    board = window.docks["board:TRK"]
    # The default dock sizes land one event-loop turn after the first show.
    qtbot.waitUntil(lambda: window.size().width() == width and board.width() > width // 2)
    return window


def _docked(window: MainWindow) -> list[PaneDock]:
    """Docks a person sees inside the window (not floating, not behind another tab)."""
    return [
        d
        for d in window.docks.values()
        if d.isVisible() and not d.isFloating() and not d.visibleRegion().isEmpty()
    ]


def _assert_nothing_overlaps_the_board(window: MainWindow) -> None:
    board = window.docks["board:TRK"]
    area: QRect = board.geometry()
    for dock in _docked(window):
        if dock is not board:
            assert not dock.geometry().intersects(area), (dock.objectName(), dock.geometry(), area)
    inside = window.rect()
    assert inside.contains(area), (area, inside)


@pytest.mark.parametrize(("width", "height"), [(1024, 640), (1366, 768)])
def test_the_window_fits_and_the_board_takes_most_of_the_width(
    qtbot: QtBot, make_window: Make, three_issues: list[Issue], width: int, height: int
) -> None:
    window = _sized(qtbot, make_window, width, height)
    hint = window.minimumSizeHint()
    assert hint.width() <= width and hint.height() <= height, hint
    assert (window.width(), window.height()) == (width, height)
    assert window.docks["detail"].isHidden()  # nothing opened yet: no empty pane in the way
    board = window.docks["board:TRK"]
    assert board.width() >= 0.7 * width
    _assert_nothing_overlaps_the_board(window)


def test_a_wider_window_gives_its_extra_width_to_the_board(
    qtbot: QtBot, make_window: Make, three_issues: list[Issue]
) -> None:
    window = _sized(qtbot, make_window, 1366, 768)
    window.show_issue(three_issues[0].id, raise_detail=True)
    sides = {n: window.docks[n].width() for n in ("filter", "detail")}
    board = window.docks["board:TRK"]
    before = board.width()
    window.resize(1900, 768)
    qtbot.waitUntil(lambda: board.width() > before)
    assert board.width() - before == 1900 - 1366
    assert {n: window.docks[n].width() for n in sides} == sides
    _assert_nothing_overlaps_the_board(window)


def test_the_detail_pane_comes_back_beside_the_board_when_an_issue_is_opened(
    qtbot: QtBot, make_window: Make, three_issues: list[Issue]
) -> None:
    window = _sized(qtbot, make_window, 1366, 768)
    detail = window.docks["detail"]
    assert detail.isHidden()
    board_pane = window.main_board()
    assert board_pane is not None
    board_pane.select_issue(three_issues[1].id)  # a click on a card
    qtbot.waitUntil(detail.isVisible)
    assert window.detail_pane.issue_id() == three_issues[1].id
    board = window.docks["board:TRK"]
    assert board.geometry().right() < detail.geometry().left()
    assert window.width() == 1366
    _assert_nothing_overlaps_the_board(window)


def test_at_1024_the_detail_opens_beside_the_board(
    qtbot: QtBot, make_window: Make, three_issues: list[Issue]
) -> None:
    window = _sized(qtbot, make_window, 1024, 640)
    window.show_issue(three_issues[0].id, raise_detail=True)
    detail, board = window.docks["detail"], window.docks["board:TRK"]
    qtbot.waitUntil(detail.isVisible)
    assert not window.tabifiedDockWidgets(detail)
    qtbot.waitUntil(lambda: board.geometry().right() < detail.geometry().left())
    assert window.width() == 1024  # the window did not grow past the screen
    assert window.minimumSizeHint().width() <= 1024
    _assert_nothing_overlaps_the_board(window)


def test_in_a_narrower_window_the_detail_opens_as_a_tab_beside_the_filter(
    qtbot: QtBot, make_window: Make, three_issues: list[Issue]
) -> None:
    window = _sized(qtbot, make_window, NARROW, 600)
    window.show_issue(three_issues[0].id, raise_detail=True)
    detail = window.docks["detail"]
    qtbot.waitUntil(detail.isVisible)
    assert window.docks["filter"] in window.tabifiedDockWidgets(detail)
    assert window.width() == NARROW  # the window did not grow past the screen
    _assert_nothing_overlaps_the_board(window)


def test_a_pane_the_user_closed_stays_closed_on_a_click(
    qtbot: QtBot, make_window: Make, three_issues: list[Issue]
) -> None:
    window = _sized(qtbot, make_window, 1366, 768)
    detail = window.docks["detail"]
    window.show_issue(three_issues[0].id, raise_detail=True)
    qtbot.waitUntil(detail.isVisible)
    detail.title_bar.close_button.click()
    assert detail.isHidden()
    window.show_issue(three_issues[1].id)  # a selection, not an "open"
    assert detail.isHidden()
    window.show_issue(three_issues[1].id, raise_detail=True)  # Enter or a double-click
    qtbot.waitUntil(detail.isVisible)


def test_reset_layout_with_nothing_open_keeps_the_detail_pane_away(
    qtbot: QtBot, make_window: Make, three_issues: list[Issue]
) -> None:
    window = _sized(qtbot, make_window, 1024, 640)
    window.actions_.reset_layout.trigger()
    assert window.docks["detail"].isHidden()
    assert window.minimumSizeHint().width() <= 1024
    window.show_issue(three_issues[0].id)  # a selection brings it back
    qtbot.waitUntil(window.docks["detail"].isVisible)


def test_the_detail_tab_moves_back_beside_the_board_in_a_wider_window(
    qtbot: QtBot, make_window: Make, three_issues: list[Issue]
) -> None:
    window = _sized(qtbot, make_window, NARROW, 600)
    window.show_issue(three_issues[0].id, raise_detail=True)
    detail, board = window.docks["detail"], window.docks["board:TRK"]
    qtbot.waitUntil(detail.isVisible)
    assert window.docks["filter"] in window.tabifiedDockWidgets(detail)
    window.resize(1600, 900)
    qtbot.waitUntil(lambda: not window.tabifiedDockWidgets(detail))
    qtbot.waitUntil(lambda: board.geometry().right() < detail.geometry().left())
    assert detail.width() >= 300
    _assert_nothing_overlaps_the_board(window)


def test_a_floating_filter_pane_does_not_pull_the_detail_out_of_the_window(
    qtbot: QtBot, make_window: Make, three_issues: list[Issue]
) -> None:
    window = _sized(qtbot, make_window, NARROW, 600)
    window.docks["filter"].setFloating(True)
    window.show_issue(three_issues[0].id, raise_detail=True)
    detail = window.docks["detail"]
    qtbot.waitUntil(detail.isVisible)
    assert detail.window() is window  # not tabbed into the floating filter's own window
    window.resize(1600, 900)
    qtbot.wait(50)
    assert detail.window() is window and detail.isVisible()
    assert window.dockWidgetArea(detail) != Qt.DockWidgetArea.NoDockWidgetArea


def test_a_long_project_name_still_fits_1024(
    qtbot: QtBot, make_window: Make, three_issues: list[Issue], gui_services: Services
) -> None:
    gui_services.projects.rename_project(
        "TRK", "Customer onboarding, billing and invoicing platform rewrite for the EMEA region"
    )
    window = _sized(qtbot, make_window, 1024, 640)
    assert window.width() == 1024
    assert window.minimumSizeHint().width() <= 1024
    _assert_nothing_overlaps_the_board(window)


def test_a_detail_pane_the_user_closed_stays_closed_after_a_restart(
    qtbot: QtBot, make_window: Make, three_issues: list[Issue]
) -> None:
    window = make_window()
    detail = window.docks["detail"]
    window.show_issue(three_issues[0].id, raise_detail=True)
    qtbot.waitUntil(detail.isVisible)
    detail.title_bar.close_button.click()  # the user closes the pane
    window.save_layout()
    window.close()

    again = make_window()  # the next session, same settings
    reopened = again.docks["detail"]
    again.show_issue(three_issues[1].id)  # a click on a card, not "open"
    qtbot.wait(20)
    assert reopened.isHidden()
    again.show_issue(three_issues[1].id, raise_detail=True)  # opened on purpose: back
    qtbot.waitUntil(reopened.isVisible)
