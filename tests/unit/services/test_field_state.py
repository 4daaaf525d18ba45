"""field_state / comment_state on both backends: what an editor compares its start value with."""

from __future__ import annotations

from collections.abc import Callable

from tests.unit.conftest import Board
from tracker_gui.domain.enums import Priority
from tracker_gui.services import Services
from tracker_gui.services.field_state import comment_state, field_state, same


def test_a_field_reads_as_stored_with_who_set_it_last(
    board: Board, make_services: Callable[..., Services]
) -> None:
    alice = board.services
    parent = board.new("Parent")
    issue = board.new("First title", priority=Priority.HIGH)
    created = field_state(alice.issues, issue.id, "title")
    assert created is not None
    assert (created.value, created.changed_by) == ("First title", "alice")

    bob = make_services("bob")
    bob.issues.edit(issue.id, issue.version, {"title": "Bob's title", "parent": parent.key})
    title = field_state(alice.issues, issue.id, "title")
    assert title is not None
    assert (title.value, title.changed_by, title.issue.version) == ("Bob's title", "bob", 2)
    assert title.changed_at is not None and title.changed_at >= created.issue.created_at
    # a field bob did not touch still names its creator
    priority = field_state(alice.issues, issue.id, "priority")
    assert priority is not None and (priority.value, priority.changed_by) == (
        Priority.HIGH,
        "alice",
    )
    moved = field_state(alice.issues, issue.id, "parent")
    assert moved is not None and (moved.value, moved.changed_by) == (parent.key, "bob")
    status = field_state(alice.issues, issue.id, "status")
    assert status is not None and status.value == issue.status_id


def test_a_deleted_issue_or_comment_has_no_state(board: Board) -> None:
    issue = board.new("Short-lived")
    comment = board.services.issues.comment(issue.id, "words")
    board.services.issues.delete_comment(comment.id)
    assert comment_state(board.services.issues, comment.id) is None
    board.services.issues.delete(issue.id, issue.version)
    assert field_state(board.services.issues, issue.id, "title") is None


def test_a_comment_reads_its_own_text_and_edit_time(board: Board) -> None:
    issue = board.new("Discussed")
    comment = board.services.issues.comment(issue.id, "first")
    board.services.issues.edit_comment(comment.id, "second")
    state = comment_state(board.services.issues, comment.id)
    assert state is not None
    assert (state.comment.body, state.changed_by) == ("second", "alice")
    assert state.changed_at == state.comment.edited_at


def test_same_compares_as_the_change_log_records() -> None:
    assert same("labels", ("ui", "backend"), ("Backend", "ui"))
    assert same("priority", Priority.LOW, "low")
    assert same("title", " Title ", "Title")
    assert same("parent", "trk-2", "TRK-2") and same("assignee", "", None)
    assert not same("title", "Mine", "Theirs")
