"""The Backlog pane: sprints and the backlog as drop targets, new/start/close, live updates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtWidgets import QApplication, QDialog, QListWidget
from pytestqt.qtbot import QtBot

from tests.gui.pane_helpers import OFFSCREEN_NOISE, shown
from tracker_gui.domain.models import Issue
from tracker_gui.domain.sprints import SprintState
from tracker_gui.services import Services
from tracker_gui.ui.dialogs.sprint_dialogs import CloseSprintDialog, NewSprintDialog
from tracker_gui.ui.panes.backlog_lists import EMPTY_SPRINT, IdRole, IssueDropList
from tracker_gui.ui.panes.backlog_pane import BacklogPane
from tracker_gui.ui.store import Store

COPY = Qt.DropAction.CopyAction
MOVE = Qt.DropAction.MoveAction
MON = dt.date(2026, 12, 7)


@pytest.fixture
def pane(qtbot: QtBot, store: Store) -> BacklogPane:
    return shown(qtbot, BacklogPane(store, today=lambda: MON), 520, 720)


@pytest.fixture
def five(make_issue: Callable[..., Issue]) -> list[Issue]:
    return [make_issue(f"Issue {n}") for n in range(1, 6)]


def titles(view: QListWidget) -> list[str]:
    return [view.item(r).text() for r in range(view.count())]


def keys(view: QListWidget) -> list[str]:
    return [t.split()[0] for t in titles(view)]


def select(view: QListWidget, *rows: int) -> None:
    view.setFocus()
    view.clearSelection()
    for row in rows:
        view.item(row).setSelected(True)


def drop_on(view: IssueDropList, mime: QMimeData) -> bool:
    """What Qt delivers as a drag crosses a list and is let go: enter, move, drop."""
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent

    at = QPointF(view.viewport().rect().center())
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(at, MOVE, mime, buttons, mods)
    QApplication.sendEvent(view.viewport(), enter)
    move = QDragMoveEvent(at, MOVE, mime, buttons, mods)
    QApplication.sendEvent(view.viewport(), move)
    if not move.isAccepted():
        return False
    drop = QDropEvent(at, MOVE, mime, buttons, mods)
    QApplication.sendEvent(view.viewport(), drop)
    return drop.isAccepted()


def dragged_from(view: QListWidget, *rows: int) -> QMimeData:
    """The payload the list hands Qt when a drag of those rows starts."""
    select(view, *rows)
    return view.mimeData(view.selectedItems())


def add_sprint(services: Services, name: str, days: int = 0, goal: str = "") -> None:
    start = MON + dt.timedelta(days=days)
    services.sprints.add("TRK", name, start, start + dt.timedelta(days=13), goal)


def test_sprints_show_dates_goal_count_and_state(
    gui_services: Services, five: list[Issue], store: Store, pane: BacklogPane, qtbot: QtBot
) -> None:
    add_sprint(gui_services, "Sprint 1", goal="Ship the importer")
    add_sprint(gui_services, "Sprint 2", days=14)
    gui_services.sprints.set_sprint([five[0].id, five[1].id], "Sprint 1")
    gui_services.sprints.start("TRK", "Sprint 1")
    pane.reload()
    first, second = pane.sections
    assert first.name_label.text() == "Sprint 1"
    assert first.state_label.text() == "Active"
    assert first.dates_label.text() == "7 Dec \u2013 20 Dec 2026"
    assert first.goal_label.text() == "Ship the importer" and not first.goal_label.isHidden()
    assert first.count_label.text() == "2 issues · 0 done"  # the active one's progress
    assert first.button.text() == "Close sprint…"
    assert keys(first.list) == [five[0].key, five[1].key]
    assert second.state_label.text() == "Planned"
    assert second.goal_label.isHidden()
    assert second.button.text() == "Start sprint"
    assert second.list.count() == 0 and second.list.empty_text() == EMPTY_SPRINT
    assert keys(pane.backlog) == [i.key for i in five[2:]]
    assert pane.backlog_count.text() == "3 issues"
    assert pane.no_sprints.isHidden()


def test_no_sprint_says_how_to_plan_one(five: list[Issue], pane: BacklogPane) -> None:
    pane.reload()
    assert pane.sections == []
    assert not pane.no_sprints.isHidden()
    assert pane.backlog.count() == 5


def test_dragging_backlog_rows_onto_a_sprint_plans_them_undoably(
    gui_services: Services, five: list[Issue], store: Store, pane: BacklogPane, qtbot: QtBot
) -> None:
    add_sprint(gui_services, "Sprint 1")
    pane.reload()
    sprint = pane.section("Sprint 1").list
    mime = dragged_from(pane.backlog, 1, 3)  # a multi-selection drag
    assert drop_on(sprint, mime)
    names = gui_services.sprints.names_of([i.id for i in five])
    assert [names[i.id] for i in five] == [None, "Sprint 1", None, "Sprint 1", None]
    qtbot.waitUntil(lambda: keys(pane.section("Sprint 1").list) == [five[1].key, five[3].key])
    assert keys(pane.backlog) == [five[0].key, five[2].key, five[4].key]
    assert pane.section("Sprint 1").count_label.text() == "2 issues"
    assert store.undo_stack.undoText() == "Plan 2 issues into Sprint 1"
    store.undo_stack.undo()
    names = gui_services.sprints.names_of([i.id for i in five])
    assert set(names.values()) == {None}
    qtbot.waitUntil(lambda: pane.backlog.count() == 5)


def test_dragging_a_sprint_row_back_to_the_backlog_unplans_it(
    gui_services: Services, five: list[Issue], pane: BacklogPane, qtbot: QtBot
) -> None:
    add_sprint(gui_services, "Sprint 1")
    gui_services.sprints.set_sprint([five[0].id, five[1].id], "Sprint 1")
    pane.reload()
    mime = dragged_from(pane.section("Sprint 1").list, 0)
    assert drop_on(pane.backlog, mime)
    assert gui_services.sprints.names_of([five[0].id]) == {five[0].id: None}
    qtbot.waitUntil(lambda: keys(pane.section("Sprint 1").list) == [five[1].key])
    assert five[0].key in keys(pane.backlog)


def test_dragging_between_sprints_moves_the_issue(
    gui_services: Services, five: list[Issue], pane: BacklogPane, qtbot: QtBot
) -> None:
    add_sprint(gui_services, "Sprint 1")
    add_sprint(gui_services, "Sprint 2", days=14)
    gui_services.sprints.set_sprint([five[0].id], "Sprint 1")
    pane.reload()
    mime = dragged_from(pane.section("Sprint 1").list, 0)
    assert drop_on(pane.section("Sprint 2").list, mime)
    assert gui_services.sprints.names_of([five[0].id]) == {five[0].id: "Sprint 2"}
    qtbot.waitUntil(lambda: keys(pane.section("Sprint 2").list) == [five[0].key])


def test_a_list_refuses_its_own_issues_and_other_projects(
    gui_services: Services, five: list[Issue], pane: BacklogPane
) -> None:
    add_sprint(gui_services, "Sprint 1")
    pane.reload()
    own = dragged_from(pane.backlog, 0)
    assert not drop_on(pane.backlog, own)  # already in the backlog: nothing to do
    gui_services.projects.ensure_project("WEB", "Website")
    from tracker_gui.domain.models import NewIssue

    web = gui_services.issues.create(NewIssue("WEB", "Elsewhere"))
    from tracker_gui.ui.board.dnd import DraggedIssue, encode

    foreign = encode([DraggedIssue(web.id, web.key, web.version, web.project_id, 1, None, 2)])
    assert not drop_on(pane.section("Sprint 1").list, foreign)
    assert gui_services.sprints.names_of([web.id]) == {web.id: None}


def test_a_card_dragged_from_the_board_lands_on_a_sprint(
    gui_services: Services,
    five: list[Issue],
    store: Store,
    gui_settings: object,
    pane: BacklogPane,
    qtbot: QtBot,
) -> None:
    from tracker_gui.ui.board.board_pane import BoardPane

    add_sprint(gui_services, "Sprint 1")
    pane.reload()
    board = shown(qtbot, BoardPane(store, five[0].project_id, gui_settings), 1000, 600)  # type: ignore[arg-type]
    _, _, model, _view = board.cells()[0]
    rows = [model.index(r, 0) for r in range(2)]
    mime = model.mimeData(rows)  # what the board hands Qt when two cards are dragged
    assert drop_on(pane.section("Sprint 1").list, mime)
    qtbot.waitUntil(lambda: pane.section("Sprint 1").list.count() == 2)
    assert model.rowCount() == 5  # the board keeps its cards (the sprint is not a column)


@OFFSCREEN_NOISE
def test_new_sprint_dialog_validates_and_creates(
    gui_services: Services, pane: BacklogPane, qtbot: QtBot
) -> None:
    add_sprint(gui_services, "Sprint 1")
    pane.reload()
    dialog = pane.new_sprint_dialog()
    qtbot.addWidget(dialog)
    # It starts the day after the last sprint ends, two weeks long.
    assert dialog.start_edit.date().toPython() == MON + dt.timedelta(days=14)
    assert dialog.end_edit.date().toPython() == MON + dt.timedelta(days=27)
    assert dialog.name_edit.text() == "Sprint 2"  # the next in the series, offered
    dialog.name_edit.clear()
    dialog.create_button.click()
    assert not dialog.error_label.isHidden()
    assert dialog.error_label.text() == "A sprint needs a name"
    dialog.name_edit.setText("sprint 1")
    dialog.create_button.click()
    assert dialog.error_label.text() == "The project already has a sprint named 'sprint 1'"
    dialog.name_edit.setText("Sprint 2")
    dialog.end_edit.setDate(dialog.start_edit.date().addDays(-1))
    dialog.create_button.click()
    assert dialog.error_label.text().startswith("The sprint ends (")
    assert dialog.result() != QDialog.DialogCode.Accepted
    dialog.end_edit.setDate(dialog.start_edit.date().addDays(9))
    dialog.goal_edit.setPlainText("Faster start")
    dialog.create_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    made = gui_services.sprints.find("TRK", "Sprint 2")
    assert (made.start, made.end, made.goal) == (
        MON + dt.timedelta(days=14),
        MON + dt.timedelta(days=23),
        "Faster start",
    )
    assert [s.name for s in pane.sprints()] == ["Sprint 1", "Sprint 2"]


def test_new_sprint_dialog_shows_the_service_message(
    gui_services: Services, pane: BacklogPane, qtbot: QtBot
) -> None:
    pane.reload()
    dialog = pane.new_sprint_dialog()
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("Sprint 1")
    add_sprint(gui_services, "Sprint 1")  # someone else took the name meanwhile
    dialog.create_button.click()
    assert dialog.error_label.text() == "TRK already has a sprint named 'Sprint 1'"
    assert dialog.result() != QDialog.DialogCode.Accepted


def test_start_button_starts_and_a_second_start_is_refused_plainly(
    gui_services: Services, five: list[Issue], pane: BacklogPane, qtbot: QtBot
) -> None:
    add_sprint(gui_services, "Sprint 1")
    add_sprint(gui_services, "Sprint 2", days=14)
    gui_services.sprints.set_sprint([five[0].id], "Sprint 1")
    pane.reload()
    pane.section("Sprint 1").button.click()
    started = gui_services.sprints.find("TRK", "Sprint 1")
    assert started.state is SprintState.ACTIVE and started.scope_start == 1
    qtbot.waitUntil(lambda: pane.section("Sprint 1").state_label.text() == "Active")
    assert pane.section("Sprint 1").button.text() == "Close sprint…"
    assert not pane.start_sprint("Sprint 2")
    assert not pane.error_label.isHidden()
    assert pane.error_label.text() == ("Sprint 'Sprint 1' is already active in TRK: close it first")
    assert gui_services.sprints.find("TRK", "Sprint 2").state is SprintState.PLANNED


def _started_with_two_done(gui_services: Services, five: list[Issue]) -> None:
    add_sprint(gui_services, "Sprint 1")
    add_sprint(gui_services, "Sprint 2", days=14)
    gui_services.sprints.set_sprint([i.id for i in five], "Sprint 1")
    gui_services.sprints.start("TRK", "Sprint 1")
    done = next(
        s for s in gui_services.projects.workflow(five[0].project_id).statuses if s.name == "Done"
    )
    for issue in five[:2]:
        fresh = gui_services.issues.get(issue.id)
        gui_services.issues.move(fresh.id, fresh.version, done.id)


def test_close_dialog_counts_unfinished_and_carries_to_the_next_sprint(
    gui_services: Services, five: list[Issue], pane: BacklogPane, qtbot: QtBot
) -> None:
    _started_with_two_done(gui_services, five)
    pane.reload()
    dialog = pane.close_dialog("Sprint 1")
    qtbot.addWidget(dialog)
    assert isinstance(dialog, CloseSprintDialog)
    assert "2 of 5 issues of Sprint 1 are done" in dialog.summary.text()
    assert "3 are unfinished" in dialog.summary.text()
    assert dialog.next_radio.isChecked() and dialog.sprint_combo.currentText() == "Sprint 2"
    assert dialog.carry_to() == "Sprint 2"
    assert pane.close_sprint("Sprint 1", dialog.carry_to())
    closed = gui_services.sprints.find("TRK", "Sprint 1")
    assert (closed.state, closed.scope_close, closed.done_close) == (SprintState.CLOSED, 5, 2)
    names = gui_services.sprints.names_of([i.id for i in five])
    assert [names[i.id] for i in five] == ["Sprint 1", "Sprint 1", *["Sprint 2"] * 3]
    qtbot.waitUntil(lambda: [s.name for s in pane.sprints()] == ["Sprint 2"])
    assert keys(pane.section("Sprint 2").list) == [i.key for i in five[2:]]


def test_close_dialog_backlog_choice_sends_unfinished_to_the_backlog(
    gui_services: Services, five: list[Issue], pane: BacklogPane, qtbot: QtBot
) -> None:
    _started_with_two_done(gui_services, five)
    pane.reload()
    dialog = pane.close_dialog("Sprint 1")
    qtbot.addWidget(dialog)
    dialog.backlog_radio.click()
    assert not dialog.sprint_combo.isEnabled()
    assert dialog.carry_to() is None
    assert pane.close_sprint("Sprint 1", dialog.carry_to())
    names = gui_services.sprints.names_of([i.id for i in five])
    assert [names[i.id] for i in five] == ["Sprint 1", "Sprint 1", None, None, None]
    qtbot.waitUntil(lambda: pane.backlog.count() == 3)


def test_close_dialog_without_a_planned_sprint_offers_the_backlog_only(
    gui_services: Services, five: list[Issue], qtbot: QtBot
) -> None:
    dialog = CloseSprintDialog("Sprint 1", 3, 5, [])
    qtbot.addWidget(dialog)
    assert not dialog.next_radio.isEnabled()
    assert dialog.backlog_radio.isChecked()
    assert dialog.carry_to() is None


def test_the_close_button_opens_the_dialog_and_closes_on_accept(
    gui_services: Services,
    five: list[Issue],
    pane: BacklogPane,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _started_with_two_done(gui_services, five)
    pane.reload()
    seen: list[CloseSprintDialog] = []

    def accept(dialog: CloseSprintDialog) -> int:
        seen.append(dialog)
        dialog.backlog_radio.setChecked(True)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(CloseSprintDialog, "exec", accept)
    pane.section("Sprint 1").button.click()
    assert len(seen) == 1
    assert gui_services.sprints.find("TRK", "Sprint 1").state is SprintState.CLOSED


def test_changes_from_elsewhere_arrive_live(
    gui_services: Services,
    other_services: Services,
    five: list[Issue],
    store: Store,
    pane: BacklogPane,
    qtbot: QtBot,
) -> None:
    add_sprint(gui_services, "Sprint 1")
    pane.reload()
    other_services.sprints.set_sprint([five[4].id], "Sprint 1")
    store.poll()
    qtbot.waitUntil(lambda: keys(pane.section("Sprint 1").list) == [five[4].key])
    assert five[4].key not in keys(pane.backlog)
    other_services.sprints.start("TRK", "Sprint 1")
    store.poll()
    qtbot.waitUntil(lambda: pane.section("Sprint 1").state_label.text() == "Active")


def test_double_click_opens_the_issue(five: list[Issue], pane: BacklogPane, qtbot: QtBot) -> None:
    pane.reload()
    with qtbot.waitSignal(pane.issueActivated) as opened:
        pane.backlog.itemActivated.emit(pane.backlog.item(2))
    assert opened.args == [five[2].id]
    assert pane.backlog.item(2).data(IdRole) == five[2].id


def test_done_issues_of_a_sprint_are_struck_out(
    gui_services: Services, five: list[Issue], pane: BacklogPane
) -> None:
    _started_with_two_done(gui_services, five)
    pane.reload()
    rows = pane.section("Sprint 1").list
    struck = [rows.item(r).font().strikeOut() for r in range(rows.count())]
    assert sorted(struck) == [False, False, False, True, True]


def test_new_sprint_button_opens_the_dialog(
    pane: BacklogPane, monkeypatch: pytest.MonkeyPatch
) -> None:
    pane.reload()
    seen: list[NewSprintDialog] = []

    def opened(dialog: NewSprintDialog) -> int:
        seen.append(dialog)
        return 0

    monkeypatch.setattr(NewSprintDialog, "exec", opened)
    pane.new_button.click()
    assert len(seen) == 1 and seen[0].windowTitle() == "New sprint"


def test_the_list_menu_moves_the_selection_without_a_drag(
    gui_services: Services, five: list[Issue], pane: BacklogPane, qtbot: QtBot
) -> None:
    add_sprint(gui_services, "Sprint 1")
    add_sprint(gui_services, "Sprint 2", days=14)
    pane.reload()
    select(pane.backlog, 0, 2)
    menu = pane.move_menu(pane.backlog)
    qtbot.addWidget(menu)
    texts = [a.text() for a in menu.actions()]
    assert texts == ["Move to Sprint 1", "Move to Sprint 2"]
    menu.actions()[1].trigger()
    names = gui_services.sprints.names_of([five[0].id, five[2].id])
    assert set(names.values()) == {"Sprint 2"}
    qtbot.waitUntil(lambda: pane.section("Sprint 2").list.count() == 2)
    sprint_list = pane.section("Sprint 2").list
    select(sprint_list, 0)
    menu = pane.move_menu(sprint_list)
    qtbot.addWidget(menu)
    assert [a.text() for a in menu.actions()] == ["Move to Sprint 1", "Move to the backlog"]
    menu.actions()[1].trigger()
    qtbot.waitUntil(lambda: pane.section("Sprint 2").list.count() == 1)


def test_a_viewer_can_neither_plan_nor_start(
    gui_services: Services,
    five: list[Issue],
    store: Store,
    pane: BacklogPane,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tracker_gui.domain.enums import Role

    add_sprint(gui_services, "Sprint 1")
    monkeypatch.setattr(store, "role", lambda _project_id: Role.VIEWER)
    pane.reload()
    section = pane.section("Sprint 1")
    assert section.button.isHidden()
    assert not pane.new_button.isEnabled()
    assert not section.list.acceptDrops() and not pane.backlog.dragEnabled()
    assert not drop_on(section.list, dragged_from(pane.backlog, 0))
    menu = pane.move_menu(pane.backlog)
    assert not any(a.isEnabled() for a in menu.actions())
    menu.deleteLater()


def test_a_long_backlog_shows_its_first_page_and_says_so(
    five: list[Issue], pane: BacklogPane, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker_gui.ui.ops import sprints as sprint_ops

    monkeypatch.setattr(sprint_ops, "SHOWN", 3)
    pane.reload()
    assert keys(pane.backlog) == [i.key for i in five[:3]]
    assert pane.backlog_count.text() == "5 issues · the first 3 shown"


def test_offline_the_pane_keeps_what_it_shows_and_refuses_writes_plainly(
    gui_services: Services, five: list[Issue], store: Store, pane: BacklogPane
) -> None:
    from tracker_gui.ui.store import OFFLINE_WRITE

    add_sprint(gui_services, "Sprint 1")
    pane.reload()
    store.offline = True  # the connection monitor's state while the server is away
    pane.reload()
    assert [s.sprint.name for s in pane.sections] == ["Sprint 1"]
    assert pane.backlog.count() == 5
    assert pane.error_label.isHidden()
    assert drop_on(pane.section("Sprint 1").list, dragged_from(pane.backlog, 0))
    assert pane.error_label.text() == OFFLINE_WRITE
    assert gui_services.sprints.names_of([five[0].id]) == {five[0].id: None}
