"""Undo and redo of moves and edits go through the services and the Change log."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from tracker_gui.domain.models import Issue, IssueFilter, MoveTo
from tracker_gui.errors import ConflictError
from tracker_gui.services import Services
from tracker_gui.ui.ops import conflicts
from tracker_gui.ui.store import Store


def column(services: Services, status_id: int) -> list[str]:
    flt = IssueFilter()
    return [i.key for i in services.issues.column(status_id, flt, 0, 100)]


def test_undo_moves_the_issue_back_between_its_old_neighbours(
    store: Store, three_issues: list[Issue], gui_services: Services
) -> None:
    todo, doing = store.statuses(three_issues[0].project_id)[:2]
    middle = three_issues[1]
    moved = store.move_issue(middle, doing.id)
    assert moved is not None and moved.status_id == doing.id
    assert column(gui_services, todo.id) == ["TRK-1", "TRK-3"]
    assert store.undo_stack.count() == 1
    assert store.undo_stack.undoText() == "Move TRK-2 to In Progress"

    store.undo_stack.undo()

    assert gui_services.issues.get(middle.id).status_id == todo.id
    assert column(gui_services, todo.id) == ["TRK-1", "TRK-2", "TRK-3"]
    statuses = [(c.old, c.new) for c in gui_services.feed.history(middle.id) if c.field == "status"]
    assert statuses == [(str(todo.id), str(doing.id)), (str(doing.id), str(todo.id))]

    store.undo_stack.redo()
    assert gui_services.issues.get(middle.id).status_id == doing.id
    assert len([c for c in gui_services.feed.history(middle.id) if c.field == "status"]) == 3


def test_undo_of_a_reorder_restores_the_order(
    store: Store, three_issues: list[Issue], gui_services: Services
) -> None:
    todo = store.statuses(three_issues[0].project_id)[0]
    last = three_issues[2]
    store.move_issue(last, todo.id, before_id=three_issues[0].id)
    assert column(gui_services, todo.id) == ["TRK-3", "TRK-1", "TRK-2"]
    store.undo_stack.undo()
    assert column(gui_services, todo.id) == ["TRK-1", "TRK-2", "TRK-3"]


def test_undo_of_an_edit_writes_the_old_values_back(
    store: Store, three_issues: list[Issue], gui_services: Services
) -> None:
    issue = three_issues[0]
    store.edit_issue(issue, {"title": "Write the CSV importer", "priority": "high"})
    assert store.undo_stack.undoText() == "Edit title, priority of TRK-1"
    store.undo_stack.undo()
    now = gui_services.issues.get(issue.id)
    assert (now.title, now.priority.label) == ("Write the importer", "medium")
    fields = [c.field for c in gui_services.feed.history(issue.id)]
    assert fields.count("title") == 2 and fields.count("priority") == 2
    store.undo_stack.redo()
    assert gui_services.issues.get(issue.id).title == "Write the CSV importer"


def test_undo_restores_a_description_a_list_read_did_not_carry(
    store: Store, make_issue: object, gui_services: Services
) -> None:
    full = make_issue("Documented", description="Steps:\n1. open\n2. crash")  # type: ignore[operator]
    listed = store.search(store.filter)[0]
    assert listed.id == full.id and listed.description == ""
    store.edit_issue(listed, {"description": "rewritten"})
    store.undo_stack.undo()
    assert gui_services.issues.get(full.id).description == "Steps:\n1. open\n2. crash"


def test_a_refused_move_does_not_stay_on_the_stack(
    qtbot: QtBot, store: Store, three_issues: list[Issue], gui_services: Services
) -> None:
    todo, doing, _review, done = store.statuses(three_issues[0].project_id)
    gui_services.projects.set_transitions(todo.project_id, [(todo.id, doing.id)])
    with qtbot.waitSignal(store.errorOccurred) as blocker:
        result = store.move_issue(gui_services.issues.get(three_issues[0].id), done.id)
    assert result is None
    assert "not allowed" in blocker.args[0]
    assert store.undo_stack.count() == 0
    assert gui_services.issues.get(three_issues[0].id).status_id == todo.id


def test_undo_does_not_overwrite_a_change_made_since(
    qtbot: QtBot,
    store: Store,
    three_issues: list[Issue],
    gui_services: Services,
    other_services: Services,
) -> None:
    issue = three_issues[0]
    mine = store.edit_issue(issue, {"title": "Mine"})
    assert mine is not None
    other_services.issues.edit(issue.id, mine.version, {"title": "Theirs"})
    with qtbot.waitSignal(store.conflictOccurred) as blocker:
        store.undo_stack.undo()
    error = blocker.args[0]
    assert isinstance(error, ConflictError)
    assert error.current.title == "Theirs"
    assert gui_services.issues.get(issue.id).title == "Theirs"
    assert store.undo_stack.count() == 0  # the command was dropped, not left half-done
    pending = store.pending_write
    assert pending is not None and pending.mine == {"title": "Write the importer"}


def test_a_stale_edit_raises_the_conflict_flow_and_overwrite_reapplies(
    qtbot: QtBot, store: Store, three_issues: list[Issue], other_services: Services
) -> None:
    stale = three_issues[1]
    current = other_services.issues.get(stale.id)
    other_services.issues.edit(current.id, current.version, {"priority": "lowest"})
    with qtbot.waitSignal(store.conflictOccurred):
        assert store.edit_issue(stale, {"title": "Mine wins"}) is None
    pending = store.pending_write
    assert pending is not None and pending.mine == {"title": "Mine wins"}
    result = conflicts.keep_mine(store, pending).value
    assert result is not None
    assert (result.title, result.priority.label) == ("Mine wins", "lowest")
    assert store.undo_stack.count() == 1


def test_a_change_that_changes_nothing_is_not_undoable(
    store: Store, three_issues: list[Issue]
) -> None:
    issue = three_issues[0]
    assert store.edit_issue(issue, {"title": issue.title}) is not None
    assert store.move_issue(issue, issue.status_id) is not None
    assert store.undo_stack.count() == 0


def test_undo_of_a_comment_deletes_it_and_redo_adds_it_again(
    store: Store, three_issues: list[Issue], gui_services: Services
) -> None:
    issue = three_issues[0]
    added = store.add_comment(issue.id, "Reproduced on **2.3**")
    assert added is not None
    assert store.undo_stack.undoText() == "Comment on TRK-1"
    assert [c.body for c in gui_services.issues.detail(issue.id).comments] == [
        "Reproduced on **2.3**"
    ]

    store.undo_stack.undo()
    assert gui_services.issues.detail(issue.id).comments == ()
    fields = [c.field for c in gui_services.feed.history(issue.id)]
    assert fields[-2:] == ["comment", "comment.deleted"]

    store.undo_stack.redo()
    assert [c.body for c in gui_services.issues.detail(issue.id).comments] == [
        "Reproduced on **2.3**"
    ]


def test_a_comment_that_cannot_be_added_leaves_nothing_to_undo(
    qtbot: QtBot, store: Store, three_issues: list[Issue], gui_services: Services
) -> None:
    with qtbot.waitSignal(store.errorOccurred) as blocker:
        assert store.add_comment(three_issues[0].id, "   ") is None
    assert "comment" in blocker.args[0]
    assert store.undo_stack.count() == 0
    assert gui_services.issues.detail(three_issues[0].id).comments == ()


def test_a_multi_card_drop_is_one_action_and_one_undo_step(
    store: Store, make_issue: Callable[..., Issue], gui_services: Services, other_services: Services
) -> None:
    from tracker_gui.ui.board.column_model import ColumnModel

    cards = [make_issue(f"card {n}") for n in range(5)]
    todo, doing = store.statuses(cards[0].project_id)[:2]
    source, target = ColumnModel(store, todo), ColumnModel(store, doing)
    calls: list[int] = []
    real = gui_services.issues.bulk_move

    def counted(moves: Sequence[tuple[int, int, int]] | Sequence[MoveTo]) -> list[Issue]:
        calls.append(len(moves))
        return real(moves)

    gui_services.issues.bulk_move = counted  # type: ignore[method-assign]

    def sets_since(start: int) -> set[str | None]:
        return {c.change_set for c in gui_services.feed.changes_since(start)}

    start = gui_services.feed.last_id()
    mime = source.mimeData([source.index(r, 0) for r in (0, 2, 4)])
    assert target.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert calls == [3], "one service call for the whole drop"
    assert column(gui_services, doing.id) == ["TRK-1", "TRK-3", "TRK-5"]
    assert len(sets_since(start)) == 1
    assert store.undo_stack.count() == 1
    assert store.undo_stack.undoText() == "Move 3 issues to In Progress"

    start = gui_services.feed.last_id()
    store.undo_stack.undo()
    assert column(gui_services, todo.id) == [f"TRK-{n}" for n in range(1, 6)]
    assert column(gui_services, doing.id) == []
    assert calls == [3, 3] and len(sets_since(start)) == 1

    store.undo_stack.redo()
    assert column(gui_services, doing.id) == ["TRK-1", "TRK-3", "TRK-5"]

    # Someone moves one of the cards meanwhile: undo refuses rather than overwrite it.
    moved = other_services.issues.get(cards[2].id)
    other_services.issues.move(moved.id, moved.version, todo.id)
    store.poll()
    conflicts: list[ConflictError] = []
    store.conflictOccurred.connect(conflicts.append)
    store.undo_stack.undo()
    assert conflicts and column(gui_services, doing.id) == ["TRK-1", "TRK-5"]
