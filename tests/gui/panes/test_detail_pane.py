"""The detail pane shows every field, saves edits in place through the store, and reloads."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLayout, QWidget
from pytestqt.qtbot import QtBot

from tests.gui.pane_helpers import (
    OFFSCREEN_NOISE,
    World,
    choose,
    items,
    today,
)
from tracker_gui.domain.enums import IssueType, LinkKind, Priority
from tracker_gui.domain.models import IssueDetail, NewIssue
from tracker_gui.errors import ConflictError
from tracker_gui.ui.dialogs.conflict import ConflictDialog
from tracker_gui.ui.panes.detail_pane import DetailPane, FittingScroll

pytestmark = OFFSCREEN_NOISE


def fields_of(world: World, name: str) -> set[str]:
    return {c.field for c in world.services.feed.history(world.issues[name].id)}


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Click into a field, select what is there, type over it."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)


def widget_at(layout: QLayout | None, index: int) -> QWidget:
    """The widget at `index` in a row layout, failing the test if any step is missing."""
    assert layout is not None
    item = layout.itemAt(index)
    assert item is not None
    widget = item.widget()
    assert widget is not None
    return widget


def test_empty_state_until_an_issue_is_shown(world: World, pane: DetailPane) -> None:
    assert pane.stack.currentIndex() == 0
    assert pane.empty_title.text() == "No issue selected"
    pane.show_issue(world.issues["bug"].id)
    assert pane.stack.currentIndex() == 1
    pane.show_issue(None)
    assert pane.stack.currentIndex() == 0


def test_shows_every_field(world: World, pane: DetailPane, qtbot: QtBot) -> None:
    bug = world.issues["bug"]
    child = world.services.issues.create(
        NewIssue("TRK", "Check Safari 17", type=IssueType.SUBTASK, parent_key=bug.key)
    )
    world.services.issues.edit(bug.id, world.fresh("bug").version, {"estimate": 2.5})
    world.services.issues.link(bug.id, LinkKind.BLOCKS, "TRK-2")
    world.services.issues.comment(bug.id, "Seen on **iOS** too")
    world.services.issues.watch(bug.id, "carol")
    world.store.poll()
    reads: list[int] = []
    original = world.store.detail

    def read(issue_id: int) -> IssueDetail | None:
        reads.append(issue_id)
        return original(issue_id)

    world.store.detail = read  # type: ignore[method-assign]
    pane.show_issue(bug.id)
    assert reads == [bug.id], "one read per show"

    f = pane.fields
    assert pane.key_label.text() == "TRK-1"
    assert pane.title_edit.text() == "Login fails on Safari"
    assert f.status_combo.currentText() == "To Do"
    assert f.type_combo.currentText() == "Bug"
    assert f.priority_combo.currentText() == "High"
    assert f.assignee_combo.currentText() == "Alice Martin (alice)"
    assert f.labels_edit.text() == "ui"
    assert f.due_edit.due() == today() + dt.timedelta(days=1)
    assert f.estimate_spin.text() == "2.5 h"
    assert f.parent_edit.text() == "" and not f.parent_link.isVisibleTo(pane)
    assert f.reporter_label.text() == "Alice Martin (alice)"
    assert "just now" in f.created_label.text() and "just now" in f.updated_label.text()
    assert (
        "<b>" in pane.description.view.toHtml() or "font-weight" in pane.description.view.toHtml()
    )
    assert [c.comment.body for c in pane.comments.cards] == ["Seen on **iOS** too"]
    assert pane.subtasks.isVisibleTo(pane) and child.key in pane.subtasks.title.text() + child.key
    assert pane.links.title.text() == "Links (1)"
    assert pane.watchers.names_label.text() == "carol"
    assert pane.watchers.watch_button.text() == "Watch"
    lines = pane.history.lines()
    assert lines[-1] == "alice created the issue"
    assert "alice linked: blocks TRK-2" in lines and "alice commented" in lines

    pane.show_issue(child.id)
    assert pane.fields.parent_edit.text() == "TRK-1"
    assert pane.fields.parent_link.isVisibleTo(pane)
    # The other end's history tells the link too, in its own words.
    pane.show_issue(world.services.issues.by_key("TRK-2").id)
    assert "alice linked: blocked by TRK-1" in pane.history.lines()


def test_markdown_description_renders_and_edits(
    world: World, pane: DetailPane, qtbot: QtBot
) -> None:
    bug = world.issues["bug"]
    pane.show_issue(bug.id)
    assert "<h1" in pane.description.view.toHtml()
    qtbot.mouseClick(pane.description.edit_button, Qt.MouseButton.LeftButton)
    assert pane.description.editing()
    editor = pane.description.editor
    assert editor.toPlainText() == "# Heading\n\nSome **bold** text."
    editor.selectAll()
    qtbot.keyClicks(editor, "## Steps")
    qtbot.mouseClick(pane.description.save_button, Qt.MouseButton.LeftButton)
    assert world.fresh("bug").description == "## Steps"
    assert not pane.description.editing()
    qtbot.waitUntil(lambda: "<h2" in pane.description.view.toHtml())
    assert "description" in fields_of(world, "bug")


def test_title_edit_saves_on_enter(world: World, pane: DetailPane, qtbot: QtBot) -> None:
    pane.show_issue(world.issues["bug"].id)
    type_into(qtbot, pane.title_edit, "Login fails on Safari 17")
    qtbot.keyClick(pane.title_edit, Qt.Key.Key_Return)
    assert world.fresh("bug").title == "Login fails on Safari 17"
    qtbot.waitUntil(
        lambda: "alice renamed it to “Login fails on Safari 17”" in pane.history.lines()
    )
    assert pane.title_edit.text() == "Login fails on Safari 17"


def test_bad_title_shows_the_reason_inline(world: World, pane: DetailPane, qtbot: QtBot) -> None:
    pane.show_issue(world.issues["bug"].id)
    type_into(qtbot, pane.title_edit, "x" * 600)
    qtbot.keyClick(pane.title_edit, Qt.Key.Key_Return)
    assert world.fresh("bug").title == "Login fails on Safari"
    assert "600 characters" in pane.error_label.text()
    assert pane.title_edit.text() == "x" * 600, "what was typed is kept"


def test_fields_save_in_place(world: World, pane: DetailPane, qtbot: QtBot) -> None:
    pane.show_issue(world.issues["bug"].id)
    f = pane.fields
    choose(qtbot, f.priority_combo, "Highest")
    assert world.fresh("bug").priority == Priority.HIGHEST
    choose(qtbot, f.type_combo, "Story")
    assert world.fresh("bug").type == IssueType.STORY

    line = f.assignee_combo.lineEdit()
    assert line is not None
    type_into(qtbot, line, "carol")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert world.fresh("bug").assignee == "carol"
    qtbot.waitUntil(lambda: f.assignee_combo.currentText() == "Carol Diaz (carol)")
    choose(qtbot, f.assignee_combo, "Unassigned")
    assert world.fresh("bug").assignee is None

    type_into(qtbot, f.labels_edit, "ui, backend")
    qtbot.keyClick(f.labels_edit, Qt.Key.Key_Return)
    assert world.fresh("bug").labels == ("backend", "ui")

    qtbot.mouseClick(f.due_edit.clear_button, Qt.MouseButton.LeftButton)
    assert world.fresh("bug").due is None
    qtbot.mouseClick(f.due_edit.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(f.due_edit.date_edit, Qt.Key.Key_Up)  # the day section: one day later
    picked = f.due_edit.due()
    qtbot.keyClick(f.due_edit.date_edit, Qt.Key.Key_Return)
    assert picked is not None and world.fresh("bug").due == picked

    spin = f.estimate_spin
    type_into(qtbot, spin, "3.5")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert world.fresh("bug").estimate == 3.5

    type_into(qtbot, f.parent_edit, "trk-2")
    qtbot.keyClick(f.parent_edit, Qt.Key.Key_Return)
    assert world.fresh("bug").parent_id == world.issues["docs"].id
    qtbot.waitUntil(f.parent_link.isVisible)

    assert {"priority", "type", "assignee", "labels", "due", "estimate", "parent"} <= fields_of(
        world, "bug"
    )
    qtbot.waitUntil(lambda: "alice labels: added backend" in pane.history.lines())


def test_status_lists_only_allowed_moves(world: World, pane: DetailPane, qtbot: QtBot) -> None:
    flow = world.store.workflow(world.project.id)
    todo, doing, review, done = (s.id for s in flow.statuses)
    world.services.projects.set_transitions(world.project.id, [(todo, doing), (doing, done)])
    world.store.poll()
    pane.show_issue(world.issues["bug"].id)
    assert items(pane.fields.status_combo) == ["To Do", "In Progress"]
    choose(qtbot, pane.fields.status_combo, "In Progress")
    assert world.fresh("bug").status_id == doing
    qtbot.waitUntil(lambda: items(pane.fields.status_combo) == ["In Progress", "Done"])
    assert "alice moved it from To Do to In Progress" in pane.history.lines()
    assert review not in {pane.fields.status_combo.itemData(i) for i in range(2)}


def test_comment_with_ctrl_enter(world: World, pane: DetailPane, qtbot: QtBot) -> None:
    pane.show_issue(world.issues["bug"].id)
    box = pane.comments.compose
    assert not pane.comments.send_button.isEnabled()
    qtbot.keyClicks(box, "Fixed in *2.1*")
    qtbot.keyClick(box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    stored = world.services.issues.detail(world.issues["bug"].id).comments
    assert [c.body for c in stored] == ["Fixed in *2.1*"]
    assert box.toPlainText() == ""
    qtbot.waitUntil(lambda: len(pane.comments.cards) == 1 and pane.comments.cards[0].isVisible())
    card = pane.comments.cards[0]
    assert "<i>2.1</i>" in card.body.toHtml() or "italic" in card.body.toHtml()

    assert card.edit_button.isVisibleTo(pane)
    qtbot.mouseClick(card.edit_button, Qt.MouseButton.LeftButton)
    card.editor.selectAll()
    qtbot.keyClicks(card.editor, "Fixed in 2.2")
    qtbot.keyClick(card.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    stored = world.services.issues.detail(world.issues["bug"].id).comments
    assert [c.body for c in stored] == ["Fixed in 2.2"] and stored[0].edited_at is not None


def test_someone_elses_comment_cannot_be_edited(world: World, pane: DetailPane) -> None:
    world.connect("bob").issues.comment(world.issues["bug"].id, "from bob")
    pane.show_issue(world.issues["bug"].id)
    assert not pane.comments.cards[0].edit_button.isVisibleTo(pane)


def test_a_comment_by_a_long_name_does_not_widen_the_pane(
    world: World, pane: DetailPane, qtbot: QtBot
) -> None:
    """The pane's narrowest width comes from its fields, not from one comment's heading: a
    card 320 px wide forced the detail dock past the window's edge at 1366 px."""
    world.services.projects.ensure_user("barty", "Bartholomew Montgomery-Fitzwilliam")
    world.connect("barty").issues.comment(world.issues["bug"].id, "a remark")
    pane.show_issue(world.issues["bug"].id)
    card = pane.comments.cards[0]
    assert "Bartholomew" in card.author.text() and card.author.toolTip().startswith("Bart")
    assert card.minimumSizeHint().width() < 260
    pane.resize(300, 700)
    qtbot.waitUntil(lambda: card.width() <= 300)
    scroll = pane.findChild(FittingScroll, "DetailScroll")
    assert scroll is not None and scroll.minimumSizeHint().width() <= 300


def test_links_subtasks_and_parent_activate_issues(
    world: World, pane: DetailPane, qtbot: QtBot
) -> None:
    bug = world.issues["bug"]
    child = world.services.issues.create(NewIssue("TRK", "Child", parent_key=bug.key))
    pane.show_issue(bug.id)
    activated: list[int] = []
    pane.issueActivated.connect(activated.append)

    links = pane.links
    qtbot.keyClicks(links.key_edit, "trk-3")
    qtbot.mouseClick(links.add_button, Qt.MouseButton.LeftButton)
    stored = world.services.issues.detail(bug.id).links
    assert [(lk.kind, lk.other_key) for lk in stored] == [(LinkKind.BLOCKS, "TRK-3")]
    qtbot.waitUntil(lambda: links.rows.count() == 1)

    row = widget_at(links.rows, 0)
    key_label = widget_at(row.layout(), 1)
    qtbot.mouseClick(key_label, Qt.MouseButton.LeftButton, pos=QPoint(4, key_label.height() // 2))
    assert activated == [world.issues["late"].id]

    sub_row = widget_at(pane.subtasks.rows, 0)
    sub_key = widget_at(sub_row.layout(), 1)
    qtbot.mouseClick(sub_key, Qt.MouseButton.LeftButton, pos=QPoint(4, sub_key.height() // 2))
    assert activated[-1] == child.id

    qtbot.keyClicks(links.key_edit, "NOPE-1")
    qtbot.mouseClick(links.add_button, Qt.MouseButton.LeftButton)
    assert "NOPE-1" in links.error_label.text() or "no issue" in links.error_label.text()

    remove = widget_at(row.layout(), 3)
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert world.services.issues.detail(bug.id).links == ()


def test_watch_and_unwatch_me(world: World, pane: DetailPane, qtbot: QtBot) -> None:
    pane.show_issue(world.issues["bug"].id)
    button = pane.watchers.watch_button
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert world.services.issues.detail(world.issues["bug"].id).watchers == ("alice",)
    qtbot.waitUntil(lambda: button.text() == "Stop watching")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert world.services.issues.detail(world.issues["bug"].id).watchers == ()


def test_reloads_when_another_process_changes_the_issue(
    world: World, pane: DetailPane, qtbot: QtBot
) -> None:
    pane.show_issue(world.issues["bug"].id)
    bob = world.connect("bob")
    bob.issues.edit(world.issues["bug"].id, world.fresh("bug").version, {"title": "Bob's title"})
    world.store.poll()
    qtbot.waitUntil(lambda: pane.title_edit.text() == "Bob's title")
    bob.issues.delete(world.issues["bug"].id, world.fresh("bug").version)
    world.store.poll()
    qtbot.waitUntil(lambda: pane.stack.currentIndex() == 0)
    assert pane.empty_title.text() == "TRK-1 is gone"


def test_another_field_changed_elsewhere_saves_and_a_stale_write_still_conflicts(
    world: World, pane: DetailPane, qtbot: QtBot
) -> None:
    pane.show_issue(world.issues["bug"].id)
    stale = world.fresh("bug")
    bob = world.connect("bob")
    bob.issues.edit(stale.id, stale.version, {"title": "Theirs"})
    # No poll: the pane still holds the old version, as when the live feed has not run yet.
    conflicts: list[ConflictError] = []
    world.store.conflictOccurred.connect(conflicts.append)
    choose(qtbot, pane.fields.priority_combo, "Lowest")
    assert conflicts == [], "the priority editor started from High, still stored: no conflict"
    now = world.fresh("bug")
    assert (now.title, now.priority) == ("Theirs", Priority.LOWEST)
    assert pane.error_label.text() == ""

    # A write on a version someone else has moved past is refused (the window's generic dialog).
    assert world.store.edit_issue(stale, {"title": "Mine"}) is None
    assert len(conflicts) == 1
    error = conflicts[0]
    assert error.current is not None and error.current.title == "Theirs"
    assert world.fresh("bug").title == "Theirs", "nothing overwritten silently"

    mine = {"priority": "high", "title": "Mine"}
    dialog = ConflictDialog(error, mine)
    qtbot.addWidget(dialog)
    assert dialog.rows() == [("Priority", "High", "Lowest"), ("Title", "Mine", "Theirs")]
    qtbot.mouseClick(dialog.overwrite_button, Qt.MouseButton.LeftButton)
    assert dialog.choice == "overwrite" and dialog.result() == ConflictDialog.DialogCode.Accepted

    dialog = ConflictDialog(error, mine)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.reload_button, Qt.MouseButton.LeftButton)
    assert dialog.choice == "reload"

    # "overwrite" applies mine on the version the error carries: it now succeeds.
    assert world.store.edit_issue(error.current, mine) is not None
    now = world.fresh("bug")
    assert (now.title, now.priority) == ("Mine", Priority.HIGH)


def test_conflict_dialog_names_statuses(world: World, qtbot: QtBot) -> None:
    flow = world.store.workflow(world.project.id)
    current = world.fresh("bug")
    error = ConflictError("changed", current)
    names = {s.id: s.name for s in flow.statuses}
    for mine in ({"status": flow.statuses[2].id}, {"status": "In Review"}):
        dialog = ConflictDialog(error, mine, status_names=names)
        qtbot.addWidget(dialog)
        assert dialog.rows() == [("Status", "In Review", "To Do")]


def test_conflict_dialog_for_a_deleted_issue(world: World, qtbot: QtBot) -> None:
    error = ConflictError("gone", None)
    dialog = ConflictDialog(error, {"title": "Mine"})
    qtbot.addWidget(dialog)
    assert dialog.rows() == [("Title", "Mine", "deleted")]
    assert not dialog.overwrite_button.isEnabled()
