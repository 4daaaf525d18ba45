"""Two people edit one issue: the dialog names who changed what, and merges field by field."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from tracker_gui.domain.enums import Priority
from tracker_gui.domain.models import Issue
from tracker_gui.services import Services
from tracker_gui.ui.dialogs.conflict import ConflictDialog, FieldConflictDialog
from tracker_gui.ui.store import Store

Make = Callable[..., object]


def answer_when_shown(act: Callable[[ConflictDialog], None], seen: list[ConflictDialog]) -> None:
    """Drive the real modal dialog once `exec` has shown it."""

    def poll() -> None:
        dialog = next(
            (w for w in QApplication.topLevelWidgets() if isinstance(w, ConflictDialog)), None
        )
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, poll)
            return
        seen.append(dialog)
        dialog.grab().save(f"/tmp/conflict-{dialog.windowTitle().split()[0]}.png")
        act(dialog)

    QTimer.singleShot(0, poll)


def test_merge_keeps_my_ticked_fields_and_their_others(
    qtbot: QtBot,
    make_window: Make,
    store: Store,
    three_issues: list[Issue],
    other_services: Services,
    gui_services: Services,
) -> None:
    make_window()
    stale = three_issues[0]
    theirs = other_services.issues.get(stale.id)
    other_services.issues.edit(
        theirs.id, theirs.version, {"title": "Theirs", "priority": Priority.HIGHEST}
    )
    seen: list[ConflictDialog] = []

    def untick_title_and_merge(dialog: ConflictDialog) -> None:
        assert dialog.rows() == [
            ("Title", "Mine", "Theirs"),
            ("Priority", "Lowest", "Highest"),
            ("Description", "Mine too", "—"),
        ]
        who = dialog.changed_by()
        assert who[0].startswith("bob, ") and who[1].startswith("bob, ")
        assert not who[2].startswith("bob")
        assert "Last changed by bob at " in dialog.summary.text()
        assert dialog.windowTitle() == f"{stale.key} changed while you were editing"
        assert any(
            label.text() == f"{stale.key} was changed by bob"
            for label in dialog.findChildren(QLabel)
        )
        dialog.keep_boxes["title"].setChecked(False)
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)

    answer_when_shown(untick_title_and_merge, seen)
    store.edit_issue(
        stale, {"title": "Mine", "priority": Priority.LOWEST, "description": "Mine too"}
    )
    qtbot.waitUntil(lambda: gui_services.issues.get(stale.id).description == "Mine too")
    assert len(seen) == 1 and seen[0].choice == "merge"
    now = gui_services.issues.get(stale.id)
    assert (now.title, now.priority, now.description) == ("Theirs", Priority.LOWEST, "Mine too")


def test_reload_writes_nothing_of_mine(
    qtbot: QtBot,
    make_window: Make,
    store: Store,
    three_issues: list[Issue],
    other_services: Services,
    gui_services: Services,
) -> None:
    window = make_window()
    stale = three_issues[1]
    theirs = other_services.issues.get(stale.id)
    other_services.issues.edit(theirs.id, theirs.version, {"title": "Theirs"})
    seen: list[ConflictDialog] = []
    answer_when_shown(lambda d: qtbot.mouseClick(d.reload_button, Qt.MouseButton.LeftButton), seen)
    store.edit_issue(stale, {"title": "Mine"})
    qtbot.waitUntil(lambda: len(seen) == 1 and seen[0].result() != 0)
    qtbot.waitUntil(lambda: window.detail_pane.title_edit.text() == "Theirs")  # type: ignore[attr-defined]
    assert gui_services.issues.get(stale.id).title == "Theirs"
    assert seen[0].choice == "reload"


def test_in_the_window_a_title_conflict_asks_for_that_field_only(
    qtbot: QtBot,
    make_window: Make,
    store: Store,
    three_issues: list[Issue],
    other_services: Services,
    gui_services: Services,
) -> None:
    """The detail pane's own dialog comes, not the window's generic one; keep mine saves mine
    on bob's version and keeps bob's other change."""
    window = make_window()
    issue = three_issues[0]
    window.show_issue(issue.id, raise_detail=True)  # type: ignore[attr-defined]
    pane = window.detail_pane  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: pane.title_edit.text() == issue.title)
    pane.title_edit.setFocus()
    pane.title_edit.selectAll()
    qtbot.keyClicks(pane.title_edit, "Mine")
    theirs = other_services.issues.get(issue.id)
    other_services.issues.edit(
        issue.id, theirs.version, {"title": "Theirs", "priority": Priority.HIGHEST}
    )
    store.poll()
    generic: list[object] = []  # the window opens its generic dialog on this signal
    store.conflictOccurred.connect(generic.append)
    fields: list[FieldConflictDialog] = []

    def keep_mine() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, FieldConflictDialog):
            fields.append(dialog)
            qtbot.mouseClick(dialog.keep_mine_button, Qt.MouseButton.LeftButton)
        else:
            QTimer.singleShot(20, keep_mine)

    QTimer.singleShot(0, keep_mine)
    qtbot.keyClick(pane.title_edit, Qt.Key.Key_Return)
    assert [(d.mine_text, d.theirs_text) for d in fields] == [("Mine", "Theirs")]
    assert fields[0].parent() is window
    now = gui_services.issues.get(issue.id)
    assert (now.title, now.priority) == ("Mine", Priority.HIGHEST)
    assert generic == []
