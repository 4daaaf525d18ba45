"""The Backlog pane from the keyboard and in its empty and cramped states: Shift+F10 or the
Menu key moves the selection, the empty states say what this user can do, and the sprints
share a short pane so each is seen whole."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from tests.gui.pane_helpers import OFFSCREEN_NOISE, shown
from tracker_gui.domain.enums import Role
from tracker_gui.domain.models import Issue
from tracker_gui.services import Services
from tracker_gui.ui.panes.backlog_lists import (
    EMPTY_SPRINT,
    EMPTY_SPRINT_READ_ONLY,
    SPRINT_ROWS,
    IssueDropList,
)
from tracker_gui.ui.panes.backlog_pane import (
    NO_SPRINTS,
    NO_SPRINTS_READ_ONLY,
    NO_TARGET,
    BacklogPane,
)
from tracker_gui.ui.store import Store

pytestmark = OFFSCREEN_NOISE
MON = dt.date(2026, 12, 7)
Key = Qt.Key


@pytest.fixture
def pane(qtbot: QtBot, store: Store) -> BacklogPane:
    return shown(qtbot, BacklogPane(store, today=lambda: MON), 520, 720)


@pytest.fixture
def five(make_issue: Callable[..., Issue]) -> list[Issue]:
    return [make_issue(f"Issue {n}") for n in range(1, 6)]


def add_sprint(services: Services, name: str, days: int = 0) -> None:
    start = MON + dt.timedelta(days=days)
    services.sprints.add("TRK", name, start, start + dt.timedelta(days=13))


def answer_menu(keys: list[Qt.Key], seen: list[list[str]]) -> None:
    """Once the popup menu is up: note its entries, then press `keys` in it."""

    def poll() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu) or not menu.isVisible():
            QTimer.singleShot(10, poll)
            return
        seen.append([a.text() for a in menu.actions()])
        for key in keys:
            QTest.keyClick(menu, key)

    QTimer.singleShot(0, poll)


@pytest.mark.parametrize("press", ["shift+f10", "menu"])
def test_the_keyboard_opens_the_move_menu_on_the_selection(
    press: str, gui_services: Services, five: list[Issue], pane: BacklogPane, qtbot: QtBot
) -> None:
    add_sprint(gui_services, "Sprint 1")
    add_sprint(gui_services, "Sprint 2", days=14)
    pane.reload()
    view = pane.backlog
    view.setFocus()
    qtbot.keyClick(view, Key.Key_Down)  # the first row is current; Down: the second
    qtbot.keyClick(view, Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)  # and the third
    seen: list[list[str]] = []
    answer_menu([Key.Key_Down, Key.Key_Down, Key.Key_Return], seen)  # the second entry
    if press == "menu":
        qtbot.keyClick(view, Key.Key_Menu)
    else:
        qtbot.keyClick(view, Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    assert seen == [["Move to Sprint 1", "Move to Sprint 2"]]
    moved = [five[1].id, five[2].id]
    qtbot.waitUntil(lambda: set(gui_services.sprints.names_of(moved).values()) == {"Sprint 2"})
    qtbot.waitUntil(lambda: pane.section("Sprint 2").list.count() == 2)
    assert gui_services.sprints.names_of([five[0].id]) == {five[0].id: None}


def test_with_no_sprint_to_move_to_the_menu_says_so(
    five: list[Issue], pane: BacklogPane, qtbot: QtBot
) -> None:
    pane.reload()
    pane.backlog.item(0).setSelected(True)
    menu = pane.move_menu(pane.backlog)
    qtbot.addWidget(menu)
    assert [(a.text(), a.isEnabled()) for a in menu.actions()] == [(NO_TARGET, False)]


def test_the_empty_states_say_what_this_user_can_do(
    gui_services: Services,
    five: list[Issue],
    store: Store,
    pane: BacklogPane,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pane.reload()
    assert pane.no_sprints.text() == NO_SPRINTS  # an admin (a local file: everyone)
    add_sprint(gui_services, "Sprint 1")
    pane.reload()
    assert pane.section("Sprint 1").list.empty_text() == EMPTY_SPRINT
    assert "Shift+F10" in EMPTY_SPRINT  # the way without a mouse is named
    monkeypatch.setattr(store, "role", lambda _project_id: Role.VIEWER)
    pane.reload()
    assert pane.section("Sprint 1").list.empty_text() == EMPTY_SPRINT_READ_ONLY
    gui_services.sprints.start("TRK", "Sprint 1")
    gui_services.sprints.close("TRK", "Sprint 1", None)
    pane.reload()
    assert pane.sections == [] and pane.no_sprints.text() == NO_SPRINTS_READ_ONLY
    assert not pane.no_sprints.isHidden()


def test_sprints_share_a_short_pane_and_each_is_seen_whole(
    gui_services: Services,
    make_issue: Callable[..., Issue],
    store: Store,
    qtbot: QtBot,
) -> None:
    add_sprint(gui_services, "Sprint 1")
    add_sprint(gui_services, "Sprint 2", days=14)
    issues = [make_issue(f"Issue {n}") for n in range(16)]
    gui_services.sprints.set_sprint([i.id for i in issues[:8]], "Sprint 1")
    gui_services.sprints.set_sprint([i.id for i in issues[8:]], "Sprint 2")
    pane = shown(qtbot, BacklogPane(store, today=lambda: MON), 520, 1100)
    pane.reload()
    row = pane.sections[0].list.row_height()

    def rows_shown(section_list: IssueDropList) -> int:
        return round(section_list.viewport().height() / row)

    qtbot.waitUntil(lambda: all(rows_shown(s.list) == SPRINT_ROWS for s in pane.sections))
    pane.resize(520, 700)  # a short pane: fewer rows each, both sprints still whole
    viewport = pane.sprint_scroll.viewport()

    def whole(n: int) -> bool:
        section = pane.sections[n]
        return section.mapTo(viewport, section.rect().bottomLeft()).y() <= viewport.height()

    qtbot.waitUntil(lambda: whole(0) and whole(1))
    assert all(2 <= rows_shown(s.list) < SPRINT_ROWS for s in pane.sections)
    assert pane.sprint_scroll.verticalScrollBar().value() == 0


def test_the_active_sprint_says_how_much_is_done_and_how_long_it_has(
    gui_services: Services, five: list[Issue], store: Store, qtbot: QtBot
) -> None:
    add_sprint(gui_services, "Sprint 1")  # 7 Dec - 20 Dec, both days count
    add_sprint(gui_services, "Sprint 2", days=14)
    gui_services.sprints.set_sprint([i.id for i in five[:3]], "Sprint 1")
    done = next(s for s in store.statuses(five[0].project_id) if s.name == "Done")
    first = gui_services.issues.get(five[0].id)
    gui_services.issues.move(first.id, first.version, done.id)
    gui_services.sprints.start("TRK", "Sprint 1")

    def on(day: dt.date) -> BacklogPane:
        pane = shown(qtbot, BacklogPane(store, today=lambda: day), 520, 720)
        pane.reload()
        return pane

    pane = on(MON + dt.timedelta(days=10))
    active, planned = pane.section("Sprint 1"), pane.section("Sprint 2")
    assert active.count_label.text() == "3 issues · 1 done"
    assert active.left_label.text() == "4 days left" and not active.left_label.isHidden()
    assert planned.left_label.isHidden()  # a planned sprint's clock has not started
    assert planned.count_label.text() == "0 issues"
    assert on(MON + dt.timedelta(days=13)).section("Sprint 1").left_label.text() == "last day"
    late = on(MON + dt.timedelta(days=15)).section("Sprint 1").left_label
    assert late.text() == "ended 2 days ago" and late.objectName() == "SprintOverdue"


def test_new_sprint_offers_the_next_name_in_the_series(
    gui_services: Services, pane: BacklogPane, qtbot: QtBot
) -> None:
    pane.reload()
    first = pane.new_sprint_dialog()
    qtbot.addWidget(first)
    assert first.name_edit.text() == "Sprint 1" and first.name_edit.selectedText() == "Sprint 1"
    add_sprint(gui_services, "Sprint 22")
    add_sprint(gui_services, "Sprint 23", days=14)
    gui_services.sprints.start("TRK", "Sprint 22")
    gui_services.sprints.close("TRK", "Sprint 22", None)  # closed ones count too
    gui_services.sprints.start("TRK", "Sprint 23")
    gui_services.sprints.close("TRK", "Sprint 23", None)
    pane.reload()
    dialog = pane.new_sprint_dialog()
    qtbot.addWidget(dialog)
    assert dialog.name_edit.text() == "Sprint 24"
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog.name_edit, Key.Key_Return)  # Enter takes the offer
    assert gui_services.sprints.find("TRK", "Sprint 24").name == "Sprint 24"
    assert [s.name for s in pane.sprints()] == ["Sprint 24"]
    retyped = pane.new_sprint_dialog()
    qtbot.addWidget(retyped)
    qtbot.keyClicks(retyped.name_edit, "Hardening")  # typing replaces the offer
    assert retyped.name_edit.text() == "Hardening"
    assert retyped.problem() == ""


def test_start_is_offered_only_when_no_sprint_is_active(
    gui_services: Services, five: list[Issue], pane: BacklogPane
) -> None:
    add_sprint(gui_services, "Sprint 1")
    add_sprint(gui_services, "Sprint 2", days=14)
    pane.reload()
    assert pane.section("Sprint 1").button.isEnabled()
    assert pane.section("Sprint 2").button.isEnabled()
    gui_services.sprints.start("TRK", "Sprint 1")
    pane.reload()
    waiting = pane.section("Sprint 2").button
    assert not waiting.isEnabled()
    assert waiting.toolTip() == "Sprint 1 is active: close it before starting another"
    assert pane.section("Sprint 1").button.isEnabled()  # Close sprint…
