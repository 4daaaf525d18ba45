"""Every control a person can operate has a name assistive technology can read, in order."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tracker_gui.domain.models import IssueFilter
from tracker_gui.services import Services, open_services
from tracker_gui.services.demo import fill_demo
from tracker_gui.ui import accessibility
from tracker_gui.ui.main_window import MainWindow
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store

OFFSCREEN_RAISE = "This plugin does not support raise()"


@pytest.fixture
def demo_window(tmp_path: Path, qtbot: QtBot) -> Iterator[tuple[MainWindow, Services]]:
    services = open_services(str(tmp_path / "demo.db"), create=True, actor="alice")
    fill_demo(services, issues=80, seed=3)
    store = Store(services)
    window = MainWindow(store, Settings(tmp_path / "config" / "tracker-gui.ini"))
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    try:
        yield window, services
    finally:
        window.close()
        store.close()
        services.close()


def _report(widgets: list[QWidget]) -> str:
    return "\n".join(accessibility.describe(w) for w in widgets)


@pytest.mark.qt_log_ignore(OFFSCREEN_RAISE)
def test_no_visible_control_is_unnamed(
    qtbot: QtBot, demo_window: tuple[MainWindow, Services]
) -> None:
    window, services = demo_window
    issue = services.issues.search(IssueFilter(), limit=1)[0]
    window.show_issue(issue.id, raise_detail=True)  # the detail pane with every section
    qtbot.waitUntil(window.docks["detail"].isVisible)
    board = window.main_board()
    assert board is not None
    qtbot.waitUntil(lambda: board.select_issue(issue.id))
    seen = accessibility.interactive_widgets(window)
    assert len(seen) > 40  # the walk reached the panes, not just the toolbar
    assert not accessibility.unnamed(window), _report(accessibility.unnamed(window))

    # The panes behind the board's tab, and the dock title bars (float, close), too.
    window.actions_.show_list.trigger()
    qtbot.waitUntil(window.docks["issue-list"].isVisible)
    window.docks["activity"].setFloating(False)
    assert not accessibility.unnamed(window), _report(accessibility.unnamed(window))
    titles = [d.title_bar for d in window.docks.values() if d.titleBarWidget() is d.title_bar]
    assert titles
    for bar in titles:
        for button in (bar.float_button, bar.close_button):
            assert bar.title.text() in accessibility.accessible_name(button)


def _reading_order_ok(widgets: list[QWidget], root: QWidget) -> list[str]:
    """Each next control starts on the same row (further right) or lower down."""
    problems = []
    for before, after in itertools.pairwise(widgets):
        a = before.mapTo(root, QPoint(0, 0))
        b = after.mapTo(root, QPoint(0, 0))
        same_row = abs(a.y() - b.y()) < before.height() // 2
        if (same_row and b.x() < a.x()) or (not same_row and b.y() < a.y()):
            problems.append(
                f"{accessibility.accessible_name(before)} -> {accessibility.accessible_name(after)}"
            )
    return problems


def _tab_chain(root: QWidget) -> list[QWidget]:
    first = next(
        w
        for w in accessibility.interactive_widgets(root)
        if w.focusPolicy() & Qt.FocusPolicy.TabFocus
    )
    chain, widget = [first], first.nextInFocusChain()
    while widget is not None and widget is not first and len(chain) < 200:
        if (
            root.isAncestorOf(widget)
            and widget.isVisible()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and widget in accessibility.interactive_widgets(root)
        ):
            chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


def test_tab_goes_through_the_filter_pane_in_reading_order(
    demo_window: tuple[MainWindow, Services],
) -> None:
    window, _ = demo_window
    pane = window.filter_pane
    chain = _tab_chain(pane)
    names = [accessibility.accessible_name(w) for w in chain]
    assert chain[:2] == [pane.project_combo, pane.text_edit]
    assert "Saved filters" in names
    assert not _reading_order_ok(chain, pane), names
