"""Every editor of the detail pane saves from the value it started with: a field changed
elsewhere meanwhile is shown (mine, theirs, who) before anything is written; a change to
another field is no conflict; live updates never replace what the user is typing."""

from __future__ import annotations

import getpass
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from tests.gui.pane_helpers import OFFSCREEN_NOISE, choose
from tracker_gui.domain.enums import IssueType, Priority
from tracker_gui.domain.models import Issue, NewIssue
from tracker_gui.errors import ConflictError
from tracker_gui.services import Services, open_services
from tracker_gui.ui.dialogs.conflict import WORDS, FieldConflictDialog
from tracker_gui.ui.panes.detail_pane import DetailPane
from tracker_gui.ui.store import Store

pytestmark = OFFSCREEN_NOISE
TITLE = "Login fails on Safari"
DESCRIPTION = "Steps: open Safari, log in."


@dataclass
class Desk:
    """alice's detail pane over one issue, on the test's backend; `other()` is another process."""

    target: str
    services: Services
    store: Store
    pane: DetailPane
    issue: Issue
    conflicts: list[ConflictError]
    opened: list[Services] = field(default_factory=list)

    def other(self, actor: str = "bob") -> Services:
        """An independent connection (its own Database) acting as `actor`."""
        services = open_services(self.target, actor=actor)
        self.opened.append(services)
        return services

    def stored(self) -> Issue:
        return self.services.issues.get(self.issue.id)

    def project_id(self) -> int:
        return self.issue.project_id


@pytest.fixture
def desk(new_target: Callable[..., str], qtbot: QtBot, qapp: object) -> Iterator[Desk]:
    target = new_target()
    services = open_services(target, create=True, actor="alice")
    services.projects.ensure_user("alice", "Alice Martin")
    services.projects.ensure_user("bob", "Bob Chen")
    services.projects.ensure_project("TRK", "Tracker")
    issue = services.issues.create(
        NewIssue(
            "TRK",
            TITLE,
            type=IssueType.BUG,
            priority=Priority.HIGH,
            assignee="alice",
            description=DESCRIPTION,
        )
    )
    store = Store(services)
    conflicts: list[ConflictError] = []
    store.conflictOccurred.connect(conflicts.append)
    pane = DetailPane(store)
    qtbot.addWidget(pane)
    pane.resize(520, 900)
    pane.show()
    qtbot.waitExposed(pane)
    pane.show_issue(issue.id)
    desk = Desk(target, services, store, pane, issue, conflicts)
    yield desk
    pane.close()
    store.close()
    for extra in desk.opened:
        extra.close()
    services.close()


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Click into an editor, select what is there, type over it (nothing saved yet)."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)


@pytest.fixture
def on_dialog() -> Iterator[Callable[[Callable[[FieldConflictDialog], None]], list[Any]]]:
    """`on_dialog(act)` answers each field conflict dialog with `act` once its modal loop
    runs; the returned list grows with every dialog seen (it stays empty when none comes)."""
    running = [True]

    def start(act: Callable[[FieldConflictDialog], None]) -> list[Any]:
        seen: list[FieldConflictDialog] = []

        def poll() -> None:
            if not running[0]:
                return
            dialog = QApplication.activeModalWidget()
            fresh = not seen or seen[-1] is not dialog
            if isinstance(dialog, FieldConflictDialog) and dialog.isVisible() and fresh:
                seen.append(dialog)
                act(dialog)
            QTimer.singleShot(20, poll)

        QTimer.singleShot(0, poll)
        return seen

    yield start
    running[0] = False


OnDialog = Callable[[Callable[[FieldConflictDialog], None]], list[Any]]


def click(qtbot: QtBot, button: QWidget) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def cli_edit(target: str, key: str, title: str) -> None:
    """Another process: the real command line, `tracker-gui --db FILE edit KEY --title ...`."""
    exe = Path(sys.executable).parent / "tracker-gui"
    done = subprocess.run(
        [str(exe), "--db", target, "edit", key, "--title", title],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ.copy(),
    )
    assert done.returncode == 0, done.stderr


# -- (a) the same field changed elsewhere: the dialog, never a silent overwrite -------------
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("answer", ["theirs", "mine", "edit"])
def test_a_title_changed_by_the_cli_while_typing_asks_before_saving(
    desk: Desk, qtbot: QtBot, on_dialog: OnDialog, answer: str
) -> None:
    pane = desk.pane
    type_into(qtbot, pane.title_edit, "Mine: login fails on Safari 17")
    cli_edit(desk.target, desk.issue.key, "Theirs: Safari login broken")
    desk.store.poll()  # the live feed brings the CLI's change while alice is still typing
    qtbot.waitUntil(lambda: "Theirs: Safari login broken" in " ".join(pane.history.lines()))
    assert pane.title_edit.text() == "Mine: login fails on Safari 17", "typing is never replaced"

    def act(dialog: FieldConflictDialog) -> None:
        if answer == "theirs":
            click(qtbot, dialog.keep_theirs_button)
        elif answer == "mine":
            click(qtbot, dialog.keep_mine_button)
        else:
            click(qtbot, dialog.edit_button)
            assert dialog.mine_edit is not None and not dialog.mine_edit.isReadOnly()
            dialog.mine_edit.selectAll()
            qtbot.keyClicks(dialog.mine_edit, "Both: Safari 17 login broken")
            click(qtbot, dialog.keep_mine_button)

    seen = on_dialog(act)
    qtbot.keyClick(pane.title_edit, Qt.Key.Key_Return)
    assert len(seen) == 1
    dialog = seen[0]
    assert dialog.mine_text == "Mine: login fails on Safari 17"
    assert dialog.theirs_text == "Theirs: Safari login broken"
    assert dialog.who_label.text().startswith(f"Changed by {getpass.getuser()} at ")
    assert dialog.heading.text() == f"{getpass.getuser()} changed the title of TRK-1"
    expected = {
        "theirs": "Theirs: Safari login broken",
        "mine": "Mine: login fails on Safari 17",
        "edit": "Both: Safari 17 login broken",
    }[answer]
    assert desk.stored().title == expected
    assert pane.title_edit.text() == expected
    titles = [c.new for c in desk.services.feed.history(desk.issue.id) if c.field == "title"]
    assert titles == ["Theirs: Safari login broken"] + ([] if answer == "theirs" else [expected])
    assert desk.conflicts == []


def test_a_title_changed_elsewhere_before_the_live_feed_ran_asks_too(
    desk: Desk, qtbot: QtBot, on_dialog: OnDialog
) -> None:
    """No poll: the pane holds the old version; the dialog comes all the same (no generic one)."""
    type_into(qtbot, desk.pane.title_edit, "Mine")
    bob = desk.other("bob")
    bob.issues.edit(desk.issue.id, desk.stored().version, {"title": "Theirs"})
    seen = on_dialog(lambda d: click(qtbot, d.keep_mine_button))
    qtbot.keyClick(desk.pane.title_edit, Qt.Key.Key_Return)
    assert [(d.mine_text, d.theirs_text) for d in seen] == [("Mine", "Theirs")]
    assert seen[0].heading.text() == "bob changed the title of TRK-1"
    assert desk.stored().title == "Mine"
    assert desk.conflicts == []


def leave_window(widget: QWidget) -> None:
    """What the title sees when the user switches to another app (or the window closes)."""
    QApplication.sendEvent(
        widget, QFocusEvent(QEvent.Type.FocusOut, Qt.FocusReason.ActiveWindowFocusReason)
    )


def test_switching_away_saves_quietly_or_keeps_the_text_when_it_conflicts(
    desk: Desk, qtbot: QtBot, on_dialog: OnDialog
) -> None:
    pane = desk.pane
    seen = on_dialog(lambda d: click(qtbot, d.keep_theirs_button))
    type_into(qtbot, pane.title_edit, "Mine, saved on leaving")
    leave_window(pane.title_edit)
    assert desk.stored().title == "Mine, saved on leaving"
    assert seen == []

    type_into(qtbot, pane.title_edit, "Mine again")
    bob = desk.other("bob")
    bob.issues.edit(desk.issue.id, desk.stored().version, {"title": "Theirs"})
    leave_window(pane.title_edit)
    assert seen == [], "no question while the user is away"
    assert desk.stored().title == "Theirs"
    assert pane.title_edit.text() == "Mine again"
    assert pane.error_label.text() == (
        "Not saved yet: bob changed the title meanwhile. Press Enter to compare."
    )
    desk.store.poll()
    qtbot.waitUntil(lambda: "bob renamed it to “Theirs”" in pane.history.lines())
    assert pane.title_edit.text() == "Mine again"
    pane.title_edit.setFocus()
    qtbot.keyClick(pane.title_edit, Qt.Key.Key_Return)
    assert [(d.mine_text, d.theirs_text) for d in seen] == [("Mine again", "Theirs")]
    assert desk.stored().title == "Theirs" and pane.title_edit.text() == "Theirs"
    assert pane.error_label.text() == ""


# -- (b) another field changed elsewhere: saved without a dialog, theirs stays --------------
@pytest.mark.parametrize("live", [True, False], ids=["fed", "not-yet-fed"])
def test_a_priority_changed_elsewhere_does_not_block_saving_the_title(
    desk: Desk, qtbot: QtBot, on_dialog: OnDialog, live: bool
) -> None:
    pane = desk.pane
    type_into(qtbot, pane.title_edit, "Mine: Safari 17")
    bob = desk.other("bob")
    bob.issues.edit(desk.issue.id, desk.stored().version, {"priority": Priority.LOWEST})
    if live:
        desk.store.poll()
        qtbot.waitUntil(lambda: pane.fields.priority_combo.currentText() == "Lowest")
    seen = on_dialog(lambda d: click(qtbot, d.keep_theirs_button))
    qtbot.keyClick(pane.title_edit, Qt.Key.Key_Return)
    assert seen == [] and desk.conflicts == []
    stored = desk.stored()
    assert (stored.title, stored.priority) == ("Mine: Safari 17", Priority.LOWEST)
    assert pane.error_label.text() == ""
    desk.store.poll()
    qtbot.waitUntil(lambda: pane.fields.priority_combo.currentText() == "Lowest")


def test_a_priority_picked_over_a_changed_one_asks_and_can_pick_again(
    desk: Desk, qtbot: QtBot, on_dialog: OnDialog
) -> None:
    combo = desk.pane.fields.priority_combo
    bob = desk.other("bob")
    bob.issues.edit(desk.issue.id, desk.stored().version, {"priority": Priority.LOWEST})
    assert combo.currentText() == "High"  # the feed has not run: alice still sees High
    seen = on_dialog(lambda d: click(qtbot, d.edit_button))
    choose(qtbot, combo, "Highest")
    assert [(d.mine_text, d.theirs_text) for d in seen] == [("Highest", "Lowest")]
    assert desk.stored().priority == Priority.LOWEST, "nothing written"
    assert combo.currentText() == "Lowest", "picking again starts from theirs"
    choose(qtbot, combo, "Medium")
    assert len(seen) == 1
    assert desk.stored().priority == Priority.MEDIUM


# -- (c) live updates refresh other fields, never the one being typed in -------------------
def test_live_updates_keep_the_title_being_typed_and_refresh_the_rest(
    desk: Desk, qtbot: QtBot
) -> None:
    pane = desk.pane
    fields = pane.fields
    type_into(qtbot, pane.title_edit, "Mine, half typed")
    bob = desk.other("bob")
    bob.issues.edit(
        desk.issue.id,
        desk.stored().version,
        {"title": "Theirs", "priority": Priority.LOWEST, "type": IssueType.STORY},
    )
    desk.store.poll()
    qtbot.waitUntil(lambda: fields.priority_combo.currentText() == "Lowest")
    assert fields.type_combo.currentText() == "Story"
    assert pane.title_edit.text() == "Mine, half typed", "the title being typed stays"
    assert desk.stored().title == "Theirs"


def test_live_updates_keep_the_assignee_being_typed_and_refresh_the_rest(
    desk: Desk, qtbot: QtBot
) -> None:
    fields = desk.pane.fields
    line = fields.assignee_combo.lineEdit()
    assert line is not None
    type_into(qtbot, line, "dave")
    bob = desk.other("bob")
    bob.issues.edit(
        desk.issue.id, desk.stored().version, {"priority": Priority.LOWEST, "labels": ("ui",)}
    )
    desk.store.poll()
    qtbot.waitUntil(lambda: fields.priority_combo.currentText() == "Lowest")
    assert fields.labels_edit.text() == "ui"
    assert line.text() == "dave", "the assignee being typed stays"
    assert desk.stored().assignee == "alice"


def test_escape_after_a_held_back_live_update_shows_theirs(desk: Desk, qtbot: QtBot) -> None:
    pane = desk.pane
    type_into(qtbot, pane.title_edit, "Mine, half typed")
    bob = desk.other("bob")
    bob.issues.edit(desk.issue.id, desk.stored().version, {"title": "Theirs"})
    desk.store.poll()
    qtbot.waitUntil(lambda: "bob renamed it to “Theirs”" in pane.history.lines())
    assert pane.title_edit.text() == "Mine, half typed"
    qtbot.keyClick(pane.title_edit, Qt.Key.Key_Escape)
    assert pane.title_edit.text() == "Theirs"
    assert desk.stored().title == "Theirs"


# -- (d) a comment being edited is compared with the comment's own text ---------------------
@pytest.mark.parametrize("answer", ["theirs", "mine"])
def test_a_comment_edited_elsewhere_meanwhile_asks(
    desk: Desk, qtbot: QtBot, on_dialog: OnDialog, answer: str
) -> None:
    comment = desk.services.issues.comment(desk.issue.id, "First words")
    desk.store.poll()
    comments = desk.pane.comments
    qtbot.waitUntil(lambda: len(comments.cards) == 1)
    card = comments.cards[0]
    click(qtbot, card.edit_button)
    card.editor.selectAll()
    qtbot.keyClicks(card.editor, "Mine: better words")
    # alice again, in another process (only the author may edit a comment)
    desk.other("alice").issues.edit_comment(comment.id, "Theirs: other words")
    desk.store.poll()
    assert card.editor.toPlainText() == "Mine: better words"
    keep = "keep_theirs_button" if answer == "theirs" else "keep_mine_button"
    seen = on_dialog(lambda d: click(qtbot, getattr(d, keep)))
    qtbot.keyClick(card.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert [(d.mine_text, d.theirs_text) for d in seen] == [
        ("Mine: better words", "Theirs: other words")
    ]
    assert seen[0].heading.text() == "alice changed the comment of TRK-1"
    body = desk.services.issues.detail(desk.issue.id).comments[0].body
    assert body == ("Theirs: other words" if answer == "theirs" else "Mine: better words")
    assert not card.editing()


def test_a_comment_saves_without_a_dialog_when_only_the_issue_changed(
    desk: Desk, qtbot: QtBot, on_dialog: OnDialog
) -> None:
    desk.services.issues.comment(desk.issue.id, "First words")
    desk.store.poll()
    comments = desk.pane.comments
    qtbot.waitUntil(lambda: len(comments.cards) == 1)
    card = comments.cards[0]
    click(qtbot, card.edit_button)
    card.editor.selectAll()
    qtbot.keyClicks(card.editor, "Mine: better words")
    bob = desk.other("bob")
    bob.issues.edit(desk.issue.id, desk.stored().version, {"title": "Theirs"})
    bob.issues.comment(desk.issue.id, "bob's own comment")
    desk.store.poll()
    seen = on_dialog(lambda d: click(qtbot, d.keep_theirs_button))
    qtbot.keyClick(card.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert seen == []
    bodies = [c.body for c in desk.services.issues.detail(desk.issue.id).comments]
    assert bodies == ["Mine: better words", "bob's own comment"]


# -- (e) the description editor likewise ---------------------------------------------------
def test_a_description_changed_elsewhere_asks_and_can_be_merged_by_hand(
    desk: Desk, qtbot: QtBot, on_dialog: OnDialog
) -> None:
    section = desk.pane.description
    click(qtbot, section.edit_button)
    section.editor.selectAll()
    qtbot.keyClicks(section.editor, "Mine: steps for Safari 17")
    bob = desk.other("bob")
    bob.issues.edit(desk.issue.id, desk.stored().version, {"description": "Theirs: a video"})
    desk.store.poll()
    qtbot.waitUntil(lambda: "Theirs: a video" in section.view.toPlainText())
    assert section.editor.toPlainText() == "Mine: steps for Safari 17"

    def merge(dialog: FieldConflictDialog) -> None:
        click(qtbot, dialog.edit_button)
        assert dialog.mine_edit is not None
        dialog.mine_edit.moveCursor(dialog.mine_edit.textCursor().MoveOperation.End)
        qtbot.keyClicks(dialog.mine_edit, " + their video")
        click(qtbot, dialog.keep_mine_button)

    seen = on_dialog(merge)
    click(qtbot, section.save_button)
    assert [(d.mine_text, d.theirs_text) for d in seen] == [
        ("Mine: steps for Safari 17", "Theirs: a video")
    ]
    assert desk.stored().description == "Mine: steps for Safari 17 + their video"
    assert not section.editing()
    assert "their video" in section.view.toPlainText()


def test_a_description_saves_without_a_dialog_when_another_field_changed(
    desk: Desk, qtbot: QtBot, on_dialog: OnDialog
) -> None:
    section = desk.pane.description
    click(qtbot, section.edit_button)
    section.editor.selectAll()
    qtbot.keyClicks(section.editor, "Mine: steps")
    bob = desk.other("bob")
    bob.issues.edit(desk.issue.id, desk.stored().version, {"title": "Theirs"})
    desk.store.poll()
    seen = on_dialog(lambda d: click(qtbot, d.keep_theirs_button))
    click(qtbot, section.save_button)
    assert seen == [] and desk.conflicts == []
    stored = desk.stored()
    assert (stored.title, stored.description) == ("Theirs", "Mine: steps")


@pytest.mark.parametrize("name", ["status", "labels", "estimate", "assignee", "parent"])
def test_every_field_editor_asks_when_its_field_changed_elsewhere(
    desk: Desk, qtbot: QtBot, on_dialog: OnDialog, name: str
) -> None:
    """bob's value is shown as the field shows it (by name, key, hours); keep mine wins."""
    fields = desk.pane.fields
    statuses = {s.name: s.id for s in desk.services.projects.workflow(desk.project_id()).statuses}
    other = desk.services.issues.create(NewIssue("TRK", "Another"))
    third = desk.services.issues.create(NewIssue("TRK", "A third"))
    bob = desk.other("bob")
    version = desk.stored().version
    if name == "status":
        bob.issues.move(desk.issue.id, version, statuses["Done"])
    else:
        theirs = {"labels": ("backend",), "estimate": 8.0, "assignee": "bob", "parent": other.key}
        bob.issues.edit(desk.issue.id, version, {name: theirs[name]})
    # The feed has not run: alice's editor still starts from what she saw.
    seen = on_dialog(lambda d: click(qtbot, d.keep_mine_button))
    editor = {
        "labels": fields.labels_edit,
        "estimate": fields.estimate_spin,
        "parent": fields.parent_edit,
    }
    typed = {"labels": "ui", "estimate": "2", "parent": third.key.lower()}
    if name == "status":
        choose(qtbot, fields.status_combo, "In Progress")
    elif name == "assignee":
        choose(qtbot, fields.assignee_combo, "Unassigned")
    else:
        type_into(qtbot, editor[name], typed[name])
        qtbot.keyClick(editor[name], Qt.Key.Key_Return)
    shown = {
        "status": ("In Progress", "Done"),
        "labels": ("ui", "backend"),
        "estimate": ("2 h", "8 h"),
        "assignee": ("Unassigned", "bob"),
        "parent": (third.key, other.key),
    }
    assert [(d.conflict.field, d.mine_text, d.theirs_text) for d in seen] == [(name, *shown[name])]
    assert seen[0].heading.text() == f"bob changed the {WORDS.get(name, name)} of TRK-1"
    stored = desk.stored()
    mine = {
        "status": stored.status_id == statuses["In Progress"],
        "labels": stored.labels == ("ui",),
        "estimate": stored.estimate == 2.0,
        "assignee": stored.assignee is None,
        "parent": stored.parent_id == third.id,
    }
    assert mine[name], stored
