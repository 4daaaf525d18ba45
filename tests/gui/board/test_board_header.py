"""The board's top bar: its (i) keyboard help in both themes, the active filter as chips."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel, QToolTip
from pytestqt.qtbot import QtBot

from tests.gui.board_data import add_issues, project_id, statuses
from tracker_gui.domain.enums import Priority
from tracker_gui.domain.models import Issue, IssueFilter
from tracker_gui.services import Services
from tracker_gui.ui import theme
from tracker_gui.ui.board.board_header import MIN_WIDTH, BoardHeader
from tracker_gui.ui.board.board_pane import BoardPane
from tracker_gui.ui.main_window import MainWindow
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store


@pytest.fixture
def restore_look(qapp: QApplication) -> Iterator[None]:
    palette, sheet, style = qapp.palette(), qapp.styleSheet(), qapp.style().name()
    yield
    QToolTip.hideText()
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)
    qapp.setStyle(style)
    theme._state.dark = False
    theme._state.styled = False


def shown_tip(qapp: QApplication) -> QLabel:
    tips = [
        w
        for w in qapp.topLevelWidgets()
        if isinstance(w, QLabel) and w.objectName() == "qtooltip_label" and w.isVisible()
    ]
    assert len(tips) == 1
    return tips[0]


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_the_keyboard_help_tooltip_follows_the_theme(
    qtbot: QtBot, qapp: QApplication, restore_look: None, mode: str
) -> None:
    theme.apply_theme(qapp, mode)
    header = BoardHeader("none", 16)
    qtbot.addWidget(header)
    header.resize(900, 50)
    header.show()
    qtbot.waitExposed(header)
    QToolTip.showText(header.keys.mapToGlobal(QPoint(4, 4)), header.keys.toolTip(), header.keys)
    tip = shown_tip(qapp)
    image = tip.grab().toImage()
    background = image.pixelColor(2, image.height() // 2)
    window = theme.colour("window_bg")
    text = theme.colour("tooltip_text")
    if mode == "dark":
        # A dark box in a dark window, light text on it (it was a light box).
        assert background.lightness() < 80
        assert text.lightness() > 180
    else:
        assert abs(background.lightness() - window.lightness()) > 60
    assert abs(background.lightness() - text.lightness()) > 120


def test_the_active_filter_shows_as_chips_and_empty_columns_say_what_it_hides(
    board_services: Services, board_store: Store, board_settings: Settings, qtbot: QtBot
) -> None:
    todo, doing, _review, done = statuses(board_services)
    add_issues(board_services, 1, priority=Priority.HIGH)
    add_issues(board_services, 2)
    add_issues(board_services, 2, status=done.name)
    board = BoardPane(board_store, project_id(board_services), board_settings)
    qtbot.addWidget(board)
    board.resize(1300, 800)
    board.show()
    chips = board.header.filter_chips
    assert not chips.isVisible()  # nothing filtered, nothing to say
    view = {s.id: v for s, _lane, _m, v in board.cells()}
    assert view[done.id].empty_text() == "No issues"

    board_store.set_filter(IssueFilter(priorities=(Priority.HIGH,)))
    assert chips.isVisible() and chips.texts() == ["Priority: High"]
    assert board.header.filter_button.text().startswith("Filter: All issues")
    assert board.column_header(todo.id).count.text() == "1"
    assert view[done.id].empty_text() == "2 hidden by the filter"
    assert view[doing.id].empty_text() == "No issues"  # empty anyway

    board_store.set_filter(IssueFilter(query="zebra", labels=("ui",)))
    assert chips.texts() == ["Search: zebra", "Label: ui"]
    assert view[todo.id].empty_text() == "3 hidden by the filter"
    cleared: list[bool] = []
    board.filterClearRequested.connect(lambda: cleared.append(True))
    qtbot.mouseClick(chips.clear_button, Qt.MouseButton.LeftButton)
    assert cleared == [True]

    board_store.set_filter(IssueFilter())
    assert not chips.isVisible()
    assert view[done.id].empty_text() == "No issues"


def test_filter_changes_refill_the_chips_instead_of_making_new_widgets(
    qtbot: QtBot, board_services: Services, board_store: Store, board_settings: Settings
) -> None:
    """A session of searches must not pile up chip widgets (each was a new QLabel left for a
    deferred delete, and every style pass walked them all) nor re-run the row's style sheet."""
    add_issues(board_services, 2)
    board = BoardPane(board_store, project_id(board_services), board_settings)
    qtbot.addWidget(board)
    board.resize(1300, 800)
    board.show()
    chips = board.header.filter_chips
    sheet = chips.styleSheet()
    board_store.set_filter(IssueFilter(query="zebra", labels=("ui",)))
    made = set(map(id, chips.findChildren(QLabel)))
    for n in range(30):
        board_store.set_filter(IssueFilter(query=f"word{n}"))
        board_store.set_filter(IssueFilter(query="zebra", labels=("ui",)))
    assert chips.texts() == ["Search: zebra", "Label: ui"]
    assert set(map(id, chips.findChildren(QLabel))) == made  # the same two labels, refilled
    board_store.set_filter(IssueFilter(query="word"))
    shown = [c for c in chips.findChildren(QLabel) if c.isVisibleTo(chips)]
    assert [c.text() for c in shown] == ["Search: word"]  # the spare one is hidden
    assert chips.styleSheet() == sheet and "BoardFilterChip" in sheet


def test_clear_on_the_board_clears_the_window_filter(
    qtbot: QtBot, make_window: Callable[..., MainWindow], three_issues: list[Issue]
) -> None:
    window = make_window()
    board = window.main_board()
    assert board is not None
    qtbot.keyClicks(window.filter_pane.text_edit, "zebra")
    window.filter_pane.apply()
    chips = board.header.filter_chips
    assert chips.isVisible() and chips.texts() == ["Search: zebra"]
    assert board.header.summary.text() == "0 issues"
    qtbot.mouseClick(chips.clear_button, Qt.MouseButton.LeftButton)
    assert window.filter_pane.text_edit.text() == ""
    assert window.store.filter.is_empty()
    assert not chips.isVisible()
    assert board.header.summary.text() == "3 issues"


def test_a_narrow_header_drops_its_extras_instead_of_widening_the_window(qtbot: QtBot) -> None:
    header = BoardHeader("none", 8)
    qtbot.addWidget(header)
    header.set_title("Demo project", "DEMO")
    header.set_total(1794)
    header.resize(1200, 60)
    header.show()
    qtbot.waitExposed(header)
    extras = (header.group_label, header.keys, header.summary, header.lanes, header.filter_button)
    qtbot.waitUntil(lambda: all(w.isVisible() for w in extras))  # room for everything

    header.resize(MIN_WIDTH, 60)
    qtbot.waitUntil(lambda: not header.lanes.isVisible())
    assert header.title.isVisible() and header.title.text() == "Demo project"
    layout = header.layout()
    assert layout is not None and layout.sizeHint().width() <= MIN_WIDTH  # nothing squeezed

    header.resize(1200, 60)  # wider again: everything comes back
    qtbot.waitUntil(lambda: all(w.isVisible() for w in extras))


def test_a_long_project_name_is_elided_not_widening_the_board(qtbot: QtBot) -> None:
    name = "Customer onboarding, billing and invoicing platform rewrite for the EMEA region"
    header = BoardHeader("none", 8)
    qtbot.addWidget(header)
    header.set_title(name, "CUST")
    header.resize(MIN_WIDTH, 60)
    header.show()
    qtbot.waitExposed(header)
    qtbot.waitUntil(lambda: header.title.text().endswith("…"))
    assert name.startswith(header.title.text()[:-1])
    assert header.title.toolTip() == f"{name} (CUST)"  # the whole name is a hover away
    layout = header.layout()
    assert layout is not None and layout.sizeHint().width() <= MIN_WIDTH

    header.resize(1600, 60)  # room again: the whole name
    qtbot.waitUntil(lambda: header.title.text() == name)
