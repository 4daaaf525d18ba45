"""The detail pane builds its widgets once: opening another issue refills them, never remakes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.gui.pane_helpers import OFFSCREEN_NOISE, World
from tracker_gui.domain.enums import LinkKind
from tracker_gui.domain.models import NewIssue
from tracker_gui.ui.panes.detail_pane import DetailPane

pytestmark = OFFSCREEN_NOISE


def test_another_issue_refills_the_same_widgets(world: World, pane: DetailPane) -> None:
    bug, docs = world.issues["bug"], world.issues["docs"]
    issues = world.services.issues
    issues.comment(bug.id, "First on the bug")
    issues.comment(bug.id, "Second on the bug")
    issues.comment(docs.id, "Only one on the docs")
    issues.link(bug.id, LinkKind.BLOCKS, docs.key)
    for n in range(2):
        issues.create(NewIssue("TRK", f"Part {n + 1}", parent_key=bug.key))
    pane.show_issue(bug.id)
    cards = list(pane.comments.cards)
    subtask_rows = list(pane.subtasks._pool.rows)
    link_pool = list(pane.links._pool.rows)
    assert [c.comment.body for c in cards] == ["First on the bug", "Second on the bug"]
    assert len(subtask_rows) == 2 and len(link_pool) == 1

    pane.show_issue(docs.id)
    assert pane.comments.cards == cards[:1]  # the same card, refilled
    assert cards[0].comment.body == "Only one on the docs"
    assert cards[0].body.toPlainText().strip() == "Only one on the docs"
    assert not cards[1].isVisibleTo(pane)  # the spare one hidden, not deleted
    assert not pane.subtasks.isVisibleTo(pane)  # docs has no subtasks
    assert pane.links._pool.rows == link_pool  # "is blocked by TRK-1", in the same row
    assert link_pool[0].isVisibleTo(pane)

    pane.show_issue(bug.id)
    assert pane.comments.cards == cards and all(c.isVisibleTo(pane) for c in cards)
    assert [c.comment.body for c in cards] == ["First on the bug", "Second on the bug"]
    assert pane.subtasks._pool.rows == subtask_rows
    assert [r.title.text() for r in subtask_rows] == ["Part 1", "Part 2"]  # type: ignore[attr-defined]


def test_a_comment_being_edited_is_not_refilled_by_a_reload(
    world: World, pane: DetailPane, qtbot: QtBot
) -> None:
    bug = world.issues["bug"]
    world.services.issues.comment(bug.id, "Mine")
    pane.show_issue(bug.id)
    card = pane.comments.cards[0]
    qtbot.mouseClick(card.edit_button, Qt.MouseButton.LeftButton)
    card.editor.setPlainText("Half typed")
    world.connect("bob").issues.comment(bug.id, "bob chimes in")
    pane.reload()
    assert card.editing() and card.editor.toPlainText() == "Half typed"
    docs = world.issues["docs"]
    world.services.issues.comment(docs.id, "On the docs")
    pane.show_issue(docs.id)  # another issue: the same card shows its comment, reading
    assert pane.comments.cards == [card]
    assert not card.editing() and card.body.isVisibleTo(pane)
    assert card.comment.body == "On the docs"
