"""The detail pane's Sprint field: pick a planned or active sprint in place, undo it, see a
closed one read-only, follow changes made elsewhere, and ask before overwriting theirs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.gui.pane_helpers import OFFSCREEN_NOISE, World, choose, items
from tracker_gui.ui.dialogs.conflict import FieldConflictDialog
from tracker_gui.ui.panes.detail_pane import DetailPane
from tracker_gui.ui.panes.detail_sprint import NO_SPRINT

pytestmark = OFFSCREEN_NOISE
MON = dt.date(2026, 12, 7)


def sprint_of(world: World, name: str) -> str | None:
    issue_id = world.issues[name].id
    return world.services.sprints.names_of([issue_id])[issue_id]


def test_the_field_lists_open_sprints_and_saves_a_pick(
    world: World, pane: DetailPane, qtbot: QtBot
) -> None:
    add = world.services.sprints.add
    add("TRK", "Sprint 1", MON, MON + dt.timedelta(days=13))
    add("TRK", "Sprint 2", MON + dt.timedelta(days=14), MON + dt.timedelta(days=27))
    world.services.sprints.start("TRK", "Sprint 1")
    pane.show_issue(world.issues["bug"].id)
    combo = pane.fields.sprint_combo
    assert items(combo) == [NO_SPRINT, "Sprint 1 (active)", "Sprint 2"]
    assert combo.currentText() == NO_SPRINT and combo.isEnabled()
    choose(qtbot, combo, "Sprint 2")
    assert sprint_of(world, "bug") == "Sprint 2"
    qtbot.waitUntil(lambda: pane.history.lines()[0] == "alice planned it into Sprint 2")
    assert "sprint" in {c.field for c in world.services.feed.history(world.issues["bug"].id)}
    assert world.store.undo_stack.undoText() == f"Plan {world.issues['bug'].key} into Sprint 2"
    world.store.undo_stack.undo()
    assert sprint_of(world, "bug") is None
    qtbot.waitUntil(lambda: combo.currentText() == NO_SPRINT)
    choose(qtbot, combo, "Sprint 1 (active)")
    choose(qtbot, combo, NO_SPRINT)
    assert sprint_of(world, "bug") is None
    qtbot.waitUntil(
        lambda: pane.history.lines()[0] == "alice moved it from Sprint 1 to the backlog"
    )


def test_an_issue_of_a_closed_sprint_shows_it_read_only(
    world: World, pane: DetailPane, qtbot: QtBot
) -> None:
    add = world.services.sprints.add
    add("TRK", "Sprint 0", MON - dt.timedelta(days=14), MON - dt.timedelta(days=1))
    add("TRK", "Sprint 1", MON, MON + dt.timedelta(days=13))
    world.services.sprints.set_sprint([world.issues["docs"].id], "Sprint 0")
    done = next(s for s in world.store.statuses(world.project.id) if s.name == "Done")
    docs = world.fresh("docs")
    world.services.issues.move(docs.id, docs.version, done.id)
    world.services.sprints.start("TRK", "Sprint 0")
    world.services.sprints.close("TRK", "Sprint 0", None)  # done: it stays in Sprint 0
    pane.show_issue(world.issues["docs"].id)
    combo = pane.fields.sprint_combo
    assert combo.currentText() == "Sprint 0 (closed)"
    assert not combo.isEnabled()
    assert "closed" in combo.toolTip()
    pane.show_issue(world.issues["bug"].id)  # the next issue may be planned again
    assert combo.isEnabled()
    assert items(combo) == [NO_SPRINT, "Sprint 1"]
    assert combo.toolTip() == ""


def test_a_project_without_sprints_says_where_to_plan_one(world: World, pane: DetailPane) -> None:
    pane.show_issue(world.issues["bug"].id)
    combo = pane.fields.sprint_combo
    assert items(combo) == [NO_SPRINT]
    assert combo.toolTip().endswith("plan one in View > Backlog")


def test_a_sprint_set_elsewhere_arrives_live(world: World, pane: DetailPane, qtbot: QtBot) -> None:
    world.services.sprints.add("TRK", "Sprint 1", MON, MON + dt.timedelta(days=13))
    pane.show_issue(world.issues["bug"].id)
    combo = pane.fields.sprint_combo
    bob = world.connect("bob")
    bob.sprints.set_sprint([world.issues["bug"].id], "Sprint 1")
    world.store.poll()
    qtbot.waitUntil(lambda: combo.currentText() == "Sprint 1")


def answer_dialogs(act: Callable[[FieldConflictDialog], None]) -> list[FieldConflictDialog]:
    """Answer each field conflict dialog with `act` once its modal loop runs."""
    seen: list[FieldConflictDialog] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, FieldConflictDialog) and dialog.isVisible() and dialog not in seen:
            seen.append(dialog)
            act(dialog)
            return
        if len(seen) < 1:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return seen


def test_a_sprint_changed_elsewhere_meanwhile_asks_before_overwriting(
    world: World, pane: DetailPane, qtbot: QtBot
) -> None:
    add = world.services.sprints.add
    add("TRK", "Sprint 1", MON, MON + dt.timedelta(days=13))
    add("TRK", "Sprint 2", MON + dt.timedelta(days=14), MON + dt.timedelta(days=27))
    pane.show_issue(world.issues["bug"].id)
    combo = pane.fields.sprint_combo
    bob = world.connect("bob")
    bob.sprints.set_sprint([world.issues["bug"].id], "Sprint 1")  # the feed has not run yet
    assert combo.currentText() == NO_SPRINT
    seen = answer_dialogs(
        lambda d: qtbot.mouseClick(d.keep_theirs_button, Qt.MouseButton.LeftButton)
    )
    choose(qtbot, combo, "Sprint 2")
    assert [(d.mine_text, d.theirs_text) for d in seen] == [("Sprint 2", "Sprint 1")]
    assert sprint_of(world, "bug") == "Sprint 1", "theirs kept, nothing written"
    qtbot.waitUntil(lambda: combo.currentText() == "Sprint 1")


def test_a_live_update_never_replaces_the_list_being_chosen_from(
    world: World, pane: DetailPane, qtbot: QtBot
) -> None:
    world.services.sprints.add("TRK", "Sprint 1", MON, MON + dt.timedelta(days=13))
    pane.show_issue(world.issues["bug"].id)
    combo = pane.fields.sprint_combo
    combo.showPopup()
    qtbot.waitUntil(combo.view().isVisible)
    bob = world.connect("bob")
    bob.sprints.set_sprint([world.issues["bug"].id], "Sprint 1")
    world.store.poll()
    # The reload ran (it read the new version), and the open list still shows what it showed.
    qtbot.waitUntil(lambda: getattr(pane.detail(), "issue", world.issues["bug"]).version > 1)
    assert combo.currentText() == NO_SPRINT
    combo.hidePopup()
    pane.reload()
    assert combo.currentText() == "Sprint 1"
