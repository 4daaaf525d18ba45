"""New issue, project settings and preferences dialogs, driven like a user."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLineEdit,
    QSpinBox,
)
from pytestqt.qtbot import QtBot

from tests.gui.pane_helpers import (
    OFFSCREEN_NOISE,
    World,
    choose,
    items,
    when_modal,
)
from tracker_gui.domain.enums import IssueType, Priority, StatusCategory
from tracker_gui.domain.models import IssueFilter
from tracker_gui.errors import TransitionError
from tracker_gui.ui.dialogs.message import MessageDialog
from tracker_gui.ui.dialogs.new_issue import NewIssueDialog
from tracker_gui.ui.dialogs.preferences import PreferencesDialog
from tracker_gui.ui.dialogs.project_settings import ProjectSettingsDialog
from tracker_gui.ui.settings import Settings

pytestmark = OFFSCREEN_NOISE


# -- new issue -------------------------------------------------------------------------------
def test_new_issue_dialog_creates_an_issue(world: World, qtbot: QtBot) -> None:
    flow = world.store.workflow(world.project.id)
    doing = flow.statuses[1]
    dialog = NewIssueDialog(world.store, world.project.id, status_id=doing.id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.create_button.isEnabled()
    assert dialog.status_combo.currentText() == "In Progress"
    qtbot.keyClicks(dialog.title_edit, "Crash on start")
    assert dialog.create_button.isEnabled()
    choose(qtbot, dialog.type_combo, "Bug")
    choose(qtbot, dialog.priority_combo, "Highest")
    qtbot.keyClicks(dialog.description_edit, "Steps:")
    qtbot.keyClick(dialog.description_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.description_edit, "1. start")
    choose(qtbot, dialog.assignee_combo, "Bob Chen (bob)")
    qtbot.keyClicks(dialog.labels_edit, "crash, ui")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == NewIssueDialog.DialogCode.Accepted
    created = dialog.created_issue
    assert created is not None
    stored = world.services.issues.get(created.id)
    assert (stored.title, stored.type, stored.priority, stored.assignee) == (
        "Crash on start",
        IssueType.BUG,
        Priority.HIGHEST,
        "bob",
    )
    assert stored.status_id == doing.id and stored.labels == ("crash", "ui")
    assert stored.description == "Steps:\n1. start" and stored.reporter == "alice"


def test_new_issue_dialog_keeps_input_and_shows_store_errors(world: World, qtbot: QtBot) -> None:
    dialog = NewIssueDialog(world.store, world.project.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.description_edit, "keep me")
    dialog.title_edit.setText("x" * 600)  # typing 600 keys one by one adds nothing to the test
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    # Compared rather than `is None`, which mypy would keep after the Return below sets it.
    assert (dialog.isVisible(), dialog.created_issue) == (True, None)
    assert dialog.error_label.isVisible()
    assert "600 characters" in dialog.error_label.text()
    assert dialog.title_edit.property("error") is True
    assert dialog.title_edit.text() == "x" * 600
    assert dialog.description_edit.toPlainText() == "keep me"
    assert world.store.count(IssueFilter(project_ids=(world.project.id,))) == 4

    dialog.title_edit.clear()
    qtbot.keyClicks(dialog.title_edit, "Fixed title")
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)
    assert dialog.created_issue is not None and dialog.created_issue.title == "Fixed title"
    assert not dialog.isVisible()


# -- project settings ------------------------------------------------------------------------
@pytest.fixture
def settings_dialog(world: World, qtbot: QtBot) -> ProjectSettingsDialog:
    dialog = ProjectSettingsDialog(world.store, world.project.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def stored_names(world: World) -> list[str]:
    return [s.name for s in world.services.projects.statuses(world.project.id)]


def select_row(qtbot: QtBot, table: QAbstractItemView, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_statuses_add_rename_reorder_and_wip(
    world: World, settings_dialog: ProjectSettingsDialog, qtbot: QtBot
) -> None:
    tab = settings_dialog.statuses_tab
    assert tab.table.rowCount() == 4
    qtbot.keyClicks(tab.new_name, "Blocked")
    choose(qtbot, tab.new_category, "In progress")
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert stored_names(world)[-1] == "Blocked"
    qtbot.waitUntil(lambda: tab.table.rowCount() == 5)

    # rename: double-click the name, type, Enter
    rect = tab.table.visualRect(tab.table.model().index(4, 0))
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    index = tab.table.model().index(4, 0)
    qtbot.waitUntil(lambda: isinstance(tab.table.indexWidget(index), QLineEdit))
    editor = tab.table.indexWidget(index)
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "On hold")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: stored_names(world)[-1] == "On hold")

    qtbot.waitUntil(lambda: tab.table.model().index(4, 0).data() == "On hold")
    select_row(qtbot, tab.table, 4)
    qtbot.mouseClick(tab.up_button, Qt.MouseButton.LeftButton)
    assert stored_names(world) == ["To Do", "In Progress", "In Review", "On hold", "Done"]
    qtbot.waitUntil(lambda: tab.table.model().index(3, 0).data() == "On hold")
    assert tab.selected() is not None and tab.selected().name == "On hold"  # type: ignore[union-attr]

    wip = tab.cell(1, 2)
    assert isinstance(wip, QSpinBox)
    qtbot.mouseClick(wip, Qt.MouseButton.LeftButton)
    wip.selectAll()
    qtbot.keyClicks(wip, "3")
    qtbot.keyClick(wip, Qt.Key.Key_Return)
    doing = world.services.projects.statuses(world.project.id)[1]
    assert (doing.name, doing.wip_limit) == ("In Progress", 3)

    qtbot.waitUntil(lambda: tab.cell(1, 2) is not wip)  # reloaded
    combo = tab.cell(3, 1)
    assert isinstance(combo, QComboBox)
    choose(qtbot, combo, "Done")
    assert world.services.projects.statuses(world.project.id)[3].category == StatusCategory.DONE


def test_status_colour_is_picked_with_the_colour_dialog(
    world: World, settings_dialog: ProjectSettingsDialog, qtbot: QtBot
) -> None:
    tab = settings_dialog.statuses_tab

    def pick(dialog: object) -> None:
        dialog.setCurrentColor(QColor("#12ab9f"))  # type: ignore[attr-defined]
        dialog.accept()  # type: ignore[attr-defined]

    when_modal(pick)
    qtbot.mouseClick(tab.cell(0, 3), Qt.MouseButton.LeftButton)
    assert world.services.projects.statuses(world.project.id)[0].colour == "#12ab9f"


def test_deleting_a_status_in_use_moves_its_issues(
    world: World, settings_dialog: ProjectSettingsDialog, qtbot: QtBot
) -> None:
    tab = settings_dialog.statuses_tab
    todo, _doing, review, _done = world.services.projects.statuses(world.project.id)
    select_row(qtbot, tab.table, 0)

    def move_to_review(dialog: MessageDialog) -> None:
        assert "4 issues use “To Do”" in dialog.text()
        assert dialog.choice is not None
        dialog.choice.setCurrentText("In Review")
        qtbot.mouseClick(dialog.push_buttons["ok"], Qt.MouseButton.LeftButton)

    when_modal(move_to_review)
    qtbot.mouseClick(tab.delete_button, Qt.MouseButton.LeftButton)
    assert stored_names(world) == ["In Progress", "In Review", "Done"]
    moved = world.services.issues.search(IssueFilter(project_ids=(world.project.id,)))
    assert {i.status_id for i in moved} == {review.id}
    qtbot.waitUntil(lambda: tab.table.rowCount() == 3)
    assert todo.id not in {s.id for s in world.store.statuses(world.project.id)}


def test_transitions_grid_is_saved_and_enforced(
    world: World, settings_dialog: ProjectSettingsDialog, qtbot: QtBot
) -> None:
    tab = settings_dialog.transitions_tab
    settings_dialog.tabs.setCurrentWidget(tab)
    todo, doing, _review, done = world.services.projects.statuses(world.project.id)
    assert tab.summary.text() == "Every move is allowed"
    for pair in ((todo.id, doing.id), (doing.id, done.id)):
        box = tab.boxes[pair]
        qtbot.mouseClick(
            box, Qt.MouseButton.LeftButton, pos=QPoint(box.width() // 2, box.height() // 2)
        )
    assert tab.summary.text() == "2 moves allowed"
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    stored = {
        (t.from_status_id, t.to_status_id)
        for t in world.services.projects.transitions(world.project.id)
    }
    assert stored == {(todo.id, doing.id), (doing.id, done.id)}

    bug = world.fresh("bug")
    with pytest.raises(TransitionError):
        world.services.issues.move(bug.id, bug.version, done.id)
    assert world.store.move_issue(bug, done.id) is None
    assert [s.name for s in world.store.workflow(world.project.id).targets(todo.id)] == [
        "In Progress"
    ]

    qtbot.mouseClick(tab.allow_all_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert world.services.projects.transitions(world.project.id) == []
    qtbot.waitUntil(lambda: tab.summary.text() == "Every move is allowed")


def test_labels_rename_and_colour(
    world: World, settings_dialog: ProjectSettingsDialog, qtbot: QtBot
) -> None:
    tab = settings_dialog.labels_tab
    settings_dialog.tabs.setCurrentWidget(tab)
    assert items_of(tab) == ["docs", "ui"]
    qtbot.keyClicks(tab.new_name, "backend")
    qtbot.keyClick(tab.new_name, Qt.Key.Key_Return)
    assert "backend" in {lb.name for lb in world.services.projects.labels(world.project.id)}
    qtbot.waitUntil(lambda: "backend" in items_of(tab))

    row = items_of(tab).index("ui")
    rect = tab.label_list.visualItemRect(tab.label_list.item(row))
    qtbot.mouseClick(tab.label_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseClick(tab.rename_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "frontend")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "frontend" in items_of(tab))
    assert world.fresh("bug").labels == ("frontend",)

    row = items_of(tab).index("frontend")
    tab.label_list.setCurrentRow(row)

    def pick(dialog: object) -> None:
        dialog.setCurrentColor(QColor("#aa3366"))  # type: ignore[attr-defined]
        dialog.accept()  # type: ignore[attr-defined]

    when_modal(pick)
    qtbot.mouseClick(tab.colour_button, Qt.MouseButton.LeftButton)
    colours = {lb.name: lb.colour for lb in world.services.projects.labels(world.project.id)}
    assert colours["frontend"] == "#aa3366"


def items_of(tab: object) -> list[str]:
    widget = tab.label_list  # type: ignore[attr-defined]
    return [widget.item(i).text() for i in range(widget.count())]


# -- preferences -----------------------------------------------------------------------------
def tick(qtbot: QtBot, box: QAbstractButton) -> None:
    """Click a check box or radio button on its indicator, where a user aims."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def test_preferences_write_settings(tmp_path: Path, qtbot: QtBot) -> None:
    settings = Settings(tmp_path / "prefs.ini")
    dialog = PreferencesDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    themes: list[str] = []
    dialog.themeChanged.connect(themes.append)
    assert dialog.theme_buttons["system"].isChecked()
    tick(qtbot, dialog.theme_buttons["dark"])
    assert themes == ["dark"]
    tick(qtbot, dialog.relation_boxes["watcher"])
    tick(qtbot, dialog.quiet_box)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    again = Settings(tmp_path / "prefs.ini")
    assert again.get("ui/theme") == "dark"
    assert again.get("notify/relations") == ["reporter", "assignee"]
    assert again.get("notify/quiet_when_focused") is True
    assert again.get("notify/enabled") is True


def test_preferences_cancel_restores_the_theme(tmp_path: Path, qtbot: QtBot) -> None:
    settings = Settings(tmp_path / "prefs.ini")
    dialog = PreferencesDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    themes: list[str] = []
    dialog.themeChanged.connect(themes.append)
    tick(qtbot, dialog.theme_buttons["light"])
    tick(qtbot, dialog.enabled_box)
    assert not dialog.relation_boxes["reporter"].isEnabled()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert themes == ["light", "system"]
    assert Settings(tmp_path / "prefs.ini").get("ui/theme") == "system"
    assert Settings(tmp_path / "prefs.ini").get("notify/enabled") is True


def test_items_helper_lists_combo_entries(world: World, qtbot: QtBot) -> None:
    dialog = NewIssueDialog(world.store, world.other_project.id)
    qtbot.addWidget(dialog)
    assert items(dialog.status_combo) == ["To Do", "In Progress", "In Review", "Done"]
    assert dialog.project_combo.currentText() == "WEB · Website"
