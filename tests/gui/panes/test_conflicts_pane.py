"""The Conflicts pane: every conflict and refusal listed, each settled from the pane."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QDockWidget
from pytestqt.qtbot import QtBot

from tests.gui.sync_fake import FakeEngine, conflict, refusal
from tracker_gui.domain.models import Issue
from tracker_gui.errors import ValidationError
from tracker_gui.ui import accessibility
from tracker_gui.ui.main_window import MainWindow
from tracker_gui.ui.models.conflict_model import BY, FIELD, ISSUE, MINE, THEIRS
from tracker_gui.ui.panes.conflicts_pane import ConflictsPane
from tracker_gui.ui.settings import Settings

Make = Callable[..., MainWindow]


def pane_of(window: MainWindow) -> ConflictsPane:
    assert window.sync_ui is not None
    return window.sync_ui.pane


def shown_pane(window: MainWindow) -> ConflictsPane:
    assert window.sync_ui is not None
    window.sync_ui.show_pane()
    return pane_of(window)


def cell(pane: ConflictsPane, row: int, column: int) -> str:
    return str(pane.model.index(row, column).data())


def click_cell(qtbot: QtBot, pane: ConflictsPane, row: int, column: int) -> None:
    rect = pane.table.visualRect(pane.model.index(row, column))
    qtbot.mouseClick(pane.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


@pytest.fixture
def engine() -> FakeEngine:
    return FakeEngine(
        [
            conflict(1, "TRK-1", "title"),
            conflict(2, "TRK-3", "priority", base="medium", mine="high", theirs="low"),
            refusal(3, "TRK-2", "status"),
        ]
    )


def test_the_pane_lists_every_conflict_and_refusal(
    make_sync_window: Make, engine: FakeEngine, qtmodeltester: object
) -> None:
    pane = shown_pane(make_sync_window(engine))
    qtmodeltester.check(pane.model)  # type: ignore[attr-defined]
    assert pane.model.rowCount() == 3
    assert [cell(pane, r, ISSUE) for r in range(3)] == ["TRK-1", "TRK-3", "TRK-2"]
    assert cell(pane, 0, FIELD) == "Title"
    assert cell(pane, 0, MINE) == "Fix the login page"
    assert cell(pane, 0, THEIRS) == "Fix login on Safari"
    assert cell(pane, 0, BY).startswith("bob, ")
    assert cell(pane, 2, THEIRS) == "Refused: viewers cannot change issues in TRK"
    # The first entry is selected and told in full below the table.
    assert pane.details.isVisible()
    assert "TRK-1" in pane.key_link.text()
    assert pane.values["Mine"][1].text() == "Fix the login page"
    assert pane.values["Theirs"][1].text() == "Fix login on Safari"
    assert pane.values["Base"][1].text() == "Fix login"
    assert pane.kind_label.text().startswith("changed on the server by bob, ")
    assert pane.keep_mine.isVisible() and pane.keep_theirs.isVisible()
    assert pane.edit_button.isVisible() and not pane.dismiss_button.isVisible()


def test_keep_mine_keeps_my_value_and_the_row_goes(
    qtbot: QtBot, make_sync_window: Make, engine: FakeEngine
) -> None:
    pane = shown_pane(make_sync_window(engine))
    qtbot.mouseClick(pane.keep_mine, Qt.MouseButton.LeftButton)
    assert engine.kept[("TRK-1", "title")] == "Fix the login page"
    assert [cell(pane, r, ISSUE) for r in range(pane.model.rowCount())] == ["TRK-3", "TRK-2"]
    assert pane.values["Mine"][1].text() == "high"  # the next entry is shown, ready to settle


def test_keep_theirs_keeps_the_server_value_and_the_row_goes(
    qtbot: QtBot, make_sync_window: Make, engine: FakeEngine
) -> None:
    pane = shown_pane(make_sync_window(engine))
    pane.select_entry(2)
    qtbot.mouseClick(pane.keep_theirs, Qt.MouseButton.LeftButton)
    assert engine.kept[("TRK-3", "priority")] == "low"
    assert [e.id for e in pane.model.entries()] == [1, 3]
    assert engine.waiting == 0  # theirs is already on the server: nothing to send


def test_edit_then_keep_starts_from_mine_and_keeps_what_was_typed(
    qtbot: QtBot, make_sync_window: Make, engine: FakeEngine
) -> None:
    pane = shown_pane(make_sync_window(engine))
    qtbot.mouseClick(pane.edit_button, Qt.MouseButton.LeftButton)
    assert pane.editor.isVisible()
    assert pane.editor.toPlainText() == "Fix the login page"
    assert not pane.keep_mine.isVisible()  # one way forward at a time: keep this or cancel
    pane.editor.setPlainText("Fix the login page on Safari")
    qtbot.mouseClick(pane.save_button, Qt.MouseButton.LeftButton)
    assert engine.kept[("TRK-1", "title")] == "Fix the login page on Safari"
    assert pane.model.row_of(1) == -1
    assert not pane.editor.isVisible()


def test_a_refusal_shows_the_server_message_and_dismiss_removes_it(
    qtbot: QtBot, make_sync_window: Make, engine: FakeEngine
) -> None:
    window = make_sync_window(engine)
    pane = shown_pane(window)
    pane.select_entry(3)
    assert pane.message_label.isVisible()
    assert pane.message_label.text().endswith("viewers cannot change issues in TRK")
    assert pane.dismiss_button.isVisible()
    assert not pane.keep_mine.isVisible() and not pane.edit_button.isVisible()
    qtbot.mouseClick(pane.dismiss_button, Qt.MouseButton.LeftButton)
    assert engine.kept[("TRK-2", "status")] == "In Progress"
    assert pane.model.row_of(3) == -1


def test_when_all_is_settled_the_pane_says_so(
    qtbot: QtBot, make_sync_window: Make, engine: FakeEngine
) -> None:
    pane = shown_pane(make_sync_window(engine))
    qtbot.mouseClick(pane.keep_theirs, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pane.keep_theirs, Qt.MouseButton.LeftButton)
    assert not pane.empty_title.isVisible()
    qtbot.mouseClick(pane.dismiss_button, Qt.MouseButton.LeftButton)
    assert pane.empty_title.isVisible()
    assert pane.empty_title.text() == "No conflicts."
    assert pane.empty_text.text() == "Everything you changed is on the server."


def test_the_empty_pane_counts_changes_still_waiting(qtbot: QtBot, make_sync_window: Make) -> None:
    engine = FakeEngine([conflict(1)])
    pane = shown_pane(make_sync_window(engine))
    qtbot.mouseClick(pane.keep_mine, Qt.MouseButton.LeftButton)  # mine goes out next sync
    qtbot.waitUntil(
        lambda: pane.empty_text.text() == "1 change waiting to be sent at the next sync."
    )


def test_clicking_a_key_opens_the_issue_in_the_detail_pane(
    qtbot: QtBot, make_sync_window: Make, make_issue: Callable[..., Issue]
) -> None:
    make_issue("First")
    second = make_issue("Second")
    window = make_sync_window(FakeEngine([conflict(1, second.key)]))
    pane = shown_pane(window)
    click_cell(qtbot, pane, 0, ISSUE)
    qtbot.waitUntil(lambda: window.detail_pane.issue_id() == second.id)
    assert window.docks["detail"].isVisible()


def test_the_keyboard_alone_settles_an_entry_and_opens_issues(
    qtbot: QtBot, make_sync_window: Make, make_issue: Callable[..., Issue]
) -> None:
    issues = [make_issue("One"), make_issue("Two")]
    engine = FakeEngine([conflict(1, issues[0].key), conflict(2, issues[1].key)])
    window = make_sync_window(engine)
    pane = shown_pane(window)
    qtbot.waitUntil(pane.table.hasFocus)
    qtbot.keyClick(pane.table, Qt.Key.Key_Down)
    assert pane.current_entry() is not None and pane.current_entry().id == 2  # type: ignore[union-attr]
    qtbot.keyClick(pane.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.detail_pane.issue_id() == issues[1].id)
    # Edit then keep: type, Ctrl+Enter keeps it; Esc would have cancelled.
    pane.edit_button.click()
    qtbot.keyClick(pane.editor, Qt.Key.Key_Escape)
    assert not pane.editor.isVisible() and engine.kept == {}
    pane.edit_button.click()
    qtbot.keyClicks(pane.editor, "Typed")
    qtbot.keyClick(pane.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert engine.kept[(issues[1].key, "title")] == "Typed"


def test_a_failed_resolution_says_why_and_keeps_the_row(
    qtbot: QtBot, make_sync_window: Make, engine: FakeEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_sync_window(engine)
    pane = shown_pane(window)

    def refuse(*_args: object, **_kw: object) -> None:
        raise ValidationError("title", "title: too long")

    monkeypatch.setattr(engine, "resolve", refuse)
    qtbot.mouseClick(pane.keep_mine, Qt.MouseButton.LeftButton)
    assert window.notice.isVisible()
    assert window.notice.message.text() == "title: too long"
    assert pane.model.row_of(1) == 0


def test_new_entries_are_inserted_without_a_reset(
    qtbot: QtBot, make_sync_window: Make, engine: FakeEngine
) -> None:
    window = make_sync_window(engine)
    pane = shown_pane(window)
    pane.select_entry(2)
    engine.arrive_on_sync = [refusal(4, "TRK-9", None, mine="New page", message="TRK is archived")]
    assert window.sync_ui is not None
    model = pane.model
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.rowsInserted):
        window.sync_ui.controller.sync_now()
    assert pane.current_entry().id == 2  # type: ignore[union-attr]  # the selection stayed
    row = pane.model.row_of(4)
    assert cell(pane, row, FIELD) == "New issue"  # a refused create has no field


def test_the_pane_is_a_dock_in_the_view_menu_and_its_layout_persists(
    qtbot: QtBot, make_sync_window: Make, engine: FakeEngine, gui_settings: Settings
) -> None:
    window = make_sync_window(engine)
    dock = window.docks["conflicts"]
    assert isinstance(dock, QDockWidget) and dock.objectName() == "conflicts"
    assert dock.toggleViewAction() in window.actions_.view_menu.actions()
    assert dock.toggleViewAction().text() == "Conflicts"
    dock.close()
    window.close()  # saves the layout
    again = make_sync_window(engine, gui_settings)
    assert not again.docks["conflicts"].isVisible()
    again.docks["conflicts"].toggleViewAction().trigger()
    assert again.docks["conflicts"].isVisible()


def test_a_window_without_an_engine_has_no_sync_parts(make_window: Make) -> None:
    window = make_window()
    assert window.sync_ui is None
    assert "conflicts" not in window.docks
    assert all(
        a.objectName() != "sync-now" for a in window.findChildren(type(window.actions_.find))
    )
    assert window.findChild(ConflictsPane) is None


def test_an_index_outside_the_model_reads_nothing(
    make_sync_window: Make, engine: FakeEngine
) -> None:
    pane = pane_of(make_sync_window(engine, show=False))
    assert pane.model.data(QModelIndex()) is None


def test_a_long_value_is_cut_in_the_details_but_edited_whole(
    qtbot: QtBot, make_sync_window: Make
) -> None:
    mine = "\n".join(f"Step {n}: do the thing" for n in range(1, 200))
    engine = FakeEngine([conflict(1, field="description", mine=mine, theirs="Short")])
    pane = shown_pane(make_sync_window(engine))
    shown_mine = pane.values["Mine"][1]
    assert shown_mine.text().startswith("Step 1: do the thing")
    assert shown_mine.text().endswith(" …") and "Step 9:" not in shown_mine.text()
    assert shown_mine.toolTip() == mine
    assert pane.table.height() > 3 * pane.table.verticalHeader().defaultSectionSize()
    qtbot.mouseClick(pane.edit_button, Qt.MouseButton.LeftButton)
    assert pane.editor.toPlainText() == mine


@pytest.mark.qt_log_ignore("This plugin does not support raise()")
def test_every_control_of_the_pane_and_the_sync_state_is_named(
    qtbot: QtBot, make_sync_window: Make, engine: FakeEngine
) -> None:
    window = make_sync_window(engine)
    pane = shown_pane(window)
    pane.select_entry(1)
    qtbot.waitUntil(pane.keep_mine.isVisible)
    seen = accessibility.interactive_widgets(pane)
    assert pane.keep_mine in seen and pane.table in seen
    assert not accessibility.unnamed(window), "\n".join(
        accessibility.describe(w) for w in accessibility.unnamed(window)
    )


def test_a_layout_saved_before_team_mode_still_shows_the_pane_as_a_tab(
    make_window: Make, make_sync_window: Make, engine: FakeEngine, gui_settings: Settings
) -> None:
    make_window().close()  # the layout of a local file, with no Conflicts pane in it
    window = make_sync_window(engine, gui_settings)
    dock = window.docks["conflicts"]
    assert not dock.isFloating()
    assert window.docks["issue-list"] in window.tabifiedDockWidgets(dock)


def test_a_sync_meanwhile_never_closes_the_editor_under_the_typing(
    qtbot: QtBot, make_sync_window: Make, engine: FakeEngine
) -> None:
    window = make_sync_window(engine)
    pane = shown_pane(window)
    qtbot.mouseClick(pane.edit_button, Qt.MouseButton.LeftButton)
    pane.editor.setPlainText("Half typed")
    engine.arrive_on_sync = [conflict(9, "TRK-7", "due", base=None, mine="2026-12-24", theirs=None)]
    assert window.sync_ui is not None
    with qtbot.waitSignal(pane.model.rowsInserted):
        window.sync_ui.controller.sync_now()
    assert pane.editor.isVisible() and pane.editor.toPlainText() == "Half typed"
    qtbot.mouseClick(pane.save_button, Qt.MouseButton.LeftButton)
    assert engine.kept[("TRK-1", "title")] == "Half typed"
