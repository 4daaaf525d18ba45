"""What an operation's message looks like in the real widgets: inline, beside what was tried."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.gui.pane_helpers import World
from tests.support.faults import FaultPlan, disk_full
from tracker_gui.ui.dialogs.project_settings import ProjectSettingsDialog
from tracker_gui.ui.panes.detail_pane import DetailPane

LEFT = Qt.MouseButton.LeftButton


def test_a_link_to_an_unknown_key_is_refused_inline(
    world: World, pane: DetailPane, qtbot: QtBot
) -> None:
    bug = world.issues["bug"]
    pane.show_issue(bug.id)
    links = pane.links
    qtbot.keyClicks(links.key_edit, "TRK-99")
    qtbot.mouseClick(links.add_button, LEFT)
    assert links.error_label.isVisibleTo(pane)
    assert "TRK-99" in links.error_label.text()
    assert links.key_edit.text() == "TRK-99"  # kept, to be corrected
    assert world.services.issues.detail(bug.id).links == ()

    links.key_edit.setText(world.issues["docs"].key)
    qtbot.mouseClick(links.add_button, LEFT)
    assert not links.error_label.isVisibleTo(pane)
    assert [lk.other_key for lk in world.services.issues.detail(bug.id).links] == [
        world.issues["docs"].key
    ]


def test_a_comment_on_a_full_disk_says_so_and_keeps_the_text(
    world: World, pane: DetailPane, qtbot: QtBot
) -> None:
    bug = world.issues["bug"]
    pane.show_issue(bug.id)
    thread = pane.comments
    qtbot.keyClicks(thread.compose, "Seen on 17.2 too")
    plan = FaultPlan(world.services.database, disk_full)
    try:
        plan.arm(1)
        qtbot.mouseClick(thread.send_button, LEFT)
    finally:
        plan.remove()
    assert thread.error_label.isVisibleTo(pane)
    assert "is full" in thread.error_label.text()
    assert thread.compose.toPlainText() == "Seen on 17.2 too"
    assert world.services.issues.detail(bug.id).comments == ()
    assert world.store.undo_stack.count() == 0  # nothing to undo: nothing was written

    qtbot.mouseClick(thread.send_button, LEFT)
    assert not thread.error_label.isVisibleTo(pane)
    assert thread.compose.toPlainText() == ""
    assert [c.body for c in world.services.issues.detail(bug.id).comments] == ["Seen on 17.2 too"]


def test_project_settings_show_a_refused_status_inline(world: World, qtbot: QtBot) -> None:
    dialog = ProjectSettingsDialog(world.store, world.project.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    tab = dialog.statuses_tab
    qtbot.keyClicks(tab.new_name, "done")
    qtbot.mouseClick(tab.add_button, LEFT)
    assert tab.error_label.isVisibleTo(dialog)
    assert tab.error_label.text() == "A status named 'done' already exists"
    assert [s.name for s in world.services.projects.statuses(world.project.id)].count("Done") == 1
