"""ColumnModel: paging, live updates from the store, and drops that store status and rank."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from pytestqt.qtbot import QtBot

from tests.gui.board_data import (
    add_issues,
    bulk_issues,
    history_fields,
    mime_for,
    project_id,
    ranked_ids,
    statuses,
)
from tracker_gui.domain.enums import Priority
from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.services import Services
from tracker_gui.ui.board.column_model import (
    PAGE_SIZE,
    ColumnModel,
    DoneRole,
    IssueIdRole,
    IssueRole,
    Lane,
)
from tracker_gui.ui.board.dnd import ISSUES_MIME
from tracker_gui.ui.store import Store

if TYPE_CHECKING:
    from pytestqt.modeltest import ModelTester

MOVE = Qt.DropAction.MoveAction
ROOT = QModelIndex()


def ids(model: ColumnModel) -> list[int]:
    return [model.index(r, 0).data(IssueIdRole) for r in range(model.rowCount())]


def test_model_tester_empty_full_and_after_changes(
    board_services: Services, board_store: Store, qtmodeltester: ModelTester
) -> None:
    todo, doing, *_ = statuses(board_services)
    empty = ColumnModel(board_store, doing)
    qtmodeltester.check(empty)
    issues = add_issues(board_services, 5)
    model = ColumnModel(board_store, todo)
    qtmodeltester.check(model)
    board_services.issues.move(issues[0].id, issues[0].version, doing.id)
    board_services.issues.edit(issues[1].id, issues[1].version, {"title": "Renamed"})
    board_services.issues.move(issues[4].id, issues[4].version, after_id=issues[1].id)
    qtmodeltester.check(model)
    qtmodeltester.check(empty)
    assert ids(empty) == [issues[0].id]


def test_data_roles(board_services: Services, board_store: Store) -> None:
    todo, *_, done = statuses(board_services)
    (issue,) = add_issues(board_services, 1, labels=("ui",))
    model = ColumnModel(board_store, todo)
    index = model.index(0, 0)
    card = index.data(IssueRole)  # a light Card: what the card shows, by Issue's names
    shown = ("id", "key", "title", "type", "priority", "assignee", "due", "labels", "version")
    assert {f: getattr(card, f) for f in shown} == {f: getattr(issue, f) for f in shown}
    assert index.data(IssueIdRole) == issue.id
    assert index.data() == f"{issue.key} {issue.title}"
    assert "Labels: ui" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert index.data(DoneRole) is False
    assert ColumnModel(board_store, done).rowCount() == 0


def test_pages_in_200_at_a_time(board_services: Services, board_store: Store) -> None:
    todo = statuses(board_services)[0]
    bulk_issues(board_services, 1000, todo.id)
    model = ColumnModel(board_store, todo, total=1000)
    assert (model.rowCount(), model.total()) == (PAGE_SIZE, 1000)
    assert model.canFetchMore(ROOT)
    model.fetchMore(ROOT)
    assert model.rowCount() == 2 * PAGE_SIZE
    while model.canFetchMore(ROOT):
        model.fetchMore(ROOT)
        assert model.rowCount() <= 1000
    assert model.rowCount() == 1000
    assert ids(model) == ranked_ids(board_services, todo.id)


def test_live_updates_insert_remove_and_change_rows_without_reset(
    board_services: Services, board_store: Store, qtbot: QtBot
) -> None:
    todo, doing, *_ = statuses(board_services)
    first, second = add_issues(board_services, 2)
    source, target = ColumnModel(board_store, todo), ColumnModel(board_store, doing)
    resets: list[str] = []
    source.modelReset.connect(lambda: resets.append("source"))
    target.modelReset.connect(lambda: resets.append("target"))

    with qtbot.waitSignal(source.rowsInserted, timeout=1000) as inserted:
        (third,) = add_issues(board_services, 1)
    assert inserted.args[1:] == [2, 2]
    assert ids(source) == [first.id, second.id, third.id]

    with (
        qtbot.waitSignal(source.rowsRemoved, timeout=1000) as removed,
        qtbot.waitSignal(target.rowsInserted, timeout=1000),
    ):
        board_services.issues.move(first.id, first.version, doing.id)
    assert removed.args[1:] == [0, 0]
    assert ids(target) == [first.id]

    with qtbot.waitSignal(source.dataChanged, timeout=1000):
        board_services.issues.edit(second.id, second.version, {"title": "New title"})
    assert source.index(0, 0).data(IssueRole).title == "New title"

    with qtbot.waitSignal(source.rowsMoved, timeout=1000):
        board_services.issues.move(third.id, third.version, before_id=second.id)
    assert ids(source) == [third.id, second.id]
    assert resets == []
    assert (source.total(), target.total()) == (2, 1)


def test_change_beyond_the_loaded_page_waits_for_fetch_more(
    board_services: Services, board_store: Store, qtbot: QtBot
) -> None:
    todo = statuses(board_services)[0]
    bulk_issues(board_services, 250, todo.id)
    model = ColumnModel(board_store, todo, total=250)
    with qtbot.assertNotEmitted(model.rowsInserted), qtbot.waitSignal(model.totalChanged):
        (late,) = add_issues(board_services, 1)  # appended after card 250: not loaded yet
    assert (model.rowCount(), model.total()) == (PAGE_SIZE, 251)
    while model.canFetchMore(ROOT):  # scrolling to the bottom
        model.fetchMore(ROOT)
    assert model.rowCount() == 251
    assert ids(model)[-1] == late.id


def test_filter_change_patches_rows_and_keeps_the_kept_cards(
    board_services: Services, board_store: Store, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    todo = statuses(board_services)[0]
    a, c = add_issues(board_services, 2, priority=Priority.HIGH)
    (b,) = add_issues(board_services, 1)
    a, b, c = (board_services.issues.get(i.id) for i in (a, b, c))
    board_services.issues.move(b.id, b.version, after_id=a.id)  # rank order a, b, c
    model = ColumnModel(board_store, todo)
    qtmodeltester.check(model)  # keeps checking every signal the filter change emits
    assert ids(model) == [a.id, b.id, c.id]
    kept_a, dropped_b, kept_c = (QPersistentModelIndex(model.index(r, 0)) for r in range(3))
    removed: list[tuple[int, int]] = []
    model.rowsRemoved.connect(lambda _p, first, last: removed.append((first, last)))
    with qtbot.assertNotEmitted(model.modelReset):
        board_store.set_filter(IssueFilter(priorities=(Priority.HIGH,)))
    assert ids(model) == [a.id, c.id]
    assert removed == [(1, 1)]  # only b's row went
    assert (kept_a.row(), kept_a.data(IssueIdRole)) == (0, a.id)
    assert (kept_c.row(), kept_c.data(IssueIdRole)) == (1, c.id)
    assert not dropped_b.isValid()
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.rowsInserted):
        board_store.set_filter(IssueFilter())
    assert ids(model) == [a.id, b.id, c.id]
    assert (kept_a.row(), kept_c.row()) == (0, 2)


def test_mime_data_carries_ids_and_versions(board_services: Services, board_store: Store) -> None:
    todo = statuses(board_services)[0]
    issues = add_issues(board_services, 3)
    model = ColumnModel(board_store, todo)
    mime = mime_for(model, [2, 0])
    assert model.mimeTypes() == [ISSUES_MIME]
    payload = json.loads(bytes(mime.data(ISSUES_MIME).data()))
    assert [(i["id"], i["version"]) for i in payload["issues"]] == [
        (issues[0].id, issues[0].version),
        (issues[2].id, issues[2].version),
    ]
    assert model.supportedDropActions() == MOVE
    assert model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsDragEnabled
    assert model.flags(ROOT) & Qt.ItemFlag.ItemIsDropEnabled


def test_drop_between_columns_stores_status_rank_and_history(
    board_services: Services, board_store: Store
) -> None:
    todo, doing, *_ = statuses(board_services)
    a, b = add_issues(board_services, 2)
    x, y = add_issues(board_services, 2, status="In Progress")
    source, target = ColumnModel(board_store, todo), ColumnModel(board_store, doing)
    mime = mime_for(source, [1])
    assert target.canDropMimeData(mime, MOVE, 1, 0, ROOT)
    assert target.dropMimeData(mime, MOVE, 1, 0, ROOT)
    assert ranked_ids(board_services, doing.id) == [x.id, b.id, y.id]
    assert ids(target) == [x.id, b.id, y.id]
    assert ids(source) == [a.id]
    status_rows = [h for h in history_fields(board_services, b.id) if h[0] == "status"]
    assert status_rows == [("status", str(todo.id), str(doing.id))]
    # Qt asks the source to remove the dragged rows after a MoveAction: nothing is deleted.
    assert source.removeRows(0, 1, ROOT) is False
    assert board_services.issues.get(a.id).status_id == todo.id


def test_drop_within_a_column_reorders(board_services: Services, board_store: Store) -> None:
    todo = statuses(board_services)[0]
    a, b, c, d = add_issues(board_services, 4)
    model = ColumnModel(board_store, todo)
    assert model.dropMimeData(mime_for(model, [3]), MOVE, 1, 0, ROOT)
    assert ranked_ids(board_services, todo.id) == [a.id, d.id, b.id, c.id]
    assert ids(model) == [a.id, d.id, b.id, c.id]
    fields = [h[0] for h in history_fields(board_services, d.id)]
    assert fields == ["created", "rank"]


def test_drop_below_the_last_card_puts_it_last(
    board_services: Services, board_store: Store
) -> None:
    todo, doing, *_ = statuses(board_services)
    (a,) = add_issues(board_services, 1)
    x, y = add_issues(board_services, 2, status="In Progress")
    source, target = ColumnModel(board_store, todo), ColumnModel(board_store, doing)
    assert target.dropMimeData(mime_for(source, [0]), MOVE, -1, 0, ROOT)
    assert ranked_ids(board_services, doing.id) == [x.id, y.id, a.id]
    first, second = add_issues(board_services, 2)
    assert source.dropMimeData(mime_for(source, [0]), MOVE, source.rowCount(), 0, ROOT)
    assert ranked_ids(board_services, todo.id) == [second.id, first.id]


def test_drop_at_the_end_of_a_partly_loaded_column_shows_the_card(
    board_services: Services, board_store: Store
) -> None:
    todo, doing, *_ = statuses(board_services)
    bulk_issues(board_services, 300, doing.id)
    (a,) = add_issues(board_services, 1)
    source, target = ColumnModel(board_store, todo), ColumnModel(board_store, doing, total=300)
    assert target.dropMimeData(mime_for(source, [0]), MOVE, -1, 0, ROOT)
    assert ids(target)[-1] == a.id  # right below the last loaded card, not at 301
    assert ranked_ids(board_services, doing.id).index(a.id) == PAGE_SIZE


def test_multi_select_drop_keeps_relative_order(
    board_services: Services, board_store: Store
) -> None:
    todo, doing, *_ = statuses(board_services)
    a, b, c, d = add_issues(board_services, 4)
    (x,) = add_issues(board_services, 1, status="In Progress")
    source, target = ColumnModel(board_store, todo), ColumnModel(board_store, doing)
    assert target.dropMimeData(mime_for(source, [3, 0, 2]), MOVE, 0, 0, ROOT)
    assert ranked_ids(board_services, doing.id) == [a.id, c.id, d.id, x.id]
    assert ids(source) == [b.id]
    # One undo step puts all three back in their column.
    assert board_store.undo_stack.count() == 1
    board_store.undo_stack.undo()
    assert sorted(ranked_ids(board_services, todo.id)) == [a.id, b.id, c.id, d.id]
    assert ranked_ids(board_services, doing.id) == [x.id]


def test_forbidden_transition_is_refused_and_nothing_stored(
    board_services: Services, board_store: Store
) -> None:
    todo, doing, review, done = statuses(board_services)
    pid = project_id(board_services)
    board_services.projects.set_transitions(pid, [(todo.id, doing.id), (doing.id, review.id)])
    (a,) = add_issues(board_services, 1)
    before = history_fields(board_services, a.id)
    source, target = ColumnModel(board_store, todo), ColumnModel(board_store, done)
    mime = mime_for(source, [0])
    assert not target.canDropMimeData(mime, MOVE, 0, 0, ROOT)
    assert not target.dropMimeData(mime, MOVE, 0, 0, ROOT)
    assert "not allowed by the workflow" in (target.refusal(source.dragged([0])) or "")
    assert board_services.issues.get(a.id).status_id == todo.id
    assert history_fields(board_services, a.id) == before
    assert ColumnModel(board_store, doing).canDropMimeData(mime, MOVE, 0, 0, ROOT)


def test_keyboard_shift_reorders(board_services: Services, board_store: Store) -> None:
    todo = statuses(board_services)[0]
    a, b, c = add_issues(board_services, 3)
    model = ColumnModel(board_store, todo)
    model.shift([0], +1)
    assert ranked_ids(board_services, todo.id) == [b.id, a.id, c.id]
    model.shift([1, 2], -1)
    assert ranked_ids(board_services, todo.id) == [a.id, c.id, b.id]
    model.shift([0], -1)  # already first: nothing to do
    assert ranked_ids(board_services, todo.id) == [a.id, c.id, b.id]


def test_lane_models_follow_their_lane(board_services: Services, board_store: Store) -> None:
    todo = statuses(board_services)[0]
    board_services.projects.ensure_user("bob", "Bob")
    new = board_services.issues.create
    mine = new(NewIssue("TRK", "Mine", assignee="alice"))
    new(NewIssue("TRK", "Bob's", assignee="bob"))
    alice = ColumnModel(board_store, todo, lane=Lane("assignee", "alice", "alice"))
    bob = ColumnModel(board_store, todo, lane=Lane("assignee", "bob", "bob"))
    assert (alice.rowCount(), bob.rowCount()) == (1, 1)
    # A drop into bob's lane reassigns the card (and the two writes are one undo step).
    assert bob.dropMimeData(mime_for(alice, [0]), MOVE, -1, 0, ROOT)
    assert board_services.issues.get(mine.id).assignee == "bob"
    assert (alice.rowCount(), bob.rowCount()) == (0, 2)
    board_store.undo_stack.undo()
    assert board_services.issues.get(mine.id).assignee == "alice"


@pytest.mark.parametrize("row", [-1, 0, 1])
def test_drop_of_the_only_card_on_itself_writes_nothing(
    board_services: Services, board_store: Store, row: int
) -> None:
    todo = statuses(board_services)[0]
    (a,) = add_issues(board_services, 1)
    model = ColumnModel(board_store, todo)
    assert model.dropMimeData(mime_for(model, [0]), MOVE, row, 0, ROOT)
    assert [h[0] for h in history_fields(board_services, a.id)] == ["created"]


def test_priority_lane_drop_changes_the_priority(
    board_services: Services, board_store: Store
) -> None:
    todo = statuses(board_services)[0]
    (low,) = add_issues(board_services, 1, priority=Priority.LOW)
    high_lane = Lane("priority", int(Priority.HIGH), "High")
    source = ColumnModel(board_store, todo, lane=Lane("priority", int(Priority.LOW), "Low"))
    target = ColumnModel(board_store, todo, lane=high_lane)
    assert target.dropMimeData(mime_for(source, [0]), MOVE, 0, 0, ROOT)
    assert board_services.issues.get(low.id).priority == Priority.HIGH
    assert (source.rowCount(), ids(target)) == (0, [low.id])


def test_lazy_model_loads_on_demand_and_passes_the_tester(
    board_services: Services, board_store: Store, qtmodeltester: ModelTester, qtbot: QtBot
) -> None:
    todo = statuses(board_services)[0]
    issues = add_issues(board_services, 3)
    model = ColumnModel(board_store, todo, total=3, lazy=True)
    qtmodeltester.check(model)
    assert (model.rowCount(), model.total(), model.is_loaded()) == (0, 3, False)
    assert not model.canFetchMore(ROOT)
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.rowsInserted):
        model.ensure_loaded()
    assert ids(model) == [i.id for i in issues]
    assert model.fully_loaded()
    qtmodeltester.check(model)


def test_undo_puts_a_dropped_card_back_between_its_neighbours(
    board_services: Services, board_store: Store
) -> None:
    todo, doing, *_ = statuses(board_services)
    a, b, c = add_issues(board_services, 3)
    source, target = ColumnModel(board_store, todo), ColumnModel(board_store, doing)
    assert target.dropMimeData(mime_for(source, [1]), MOVE, -1, 0, ROOT)
    assert board_store.undo_stack.undoText() == f"Move {b.key} to In Progress"
    board_store.undo_stack.undo()
    assert ranked_ids(board_services, todo.id) == [a.id, b.id, c.id]
    assert ids(source) == [a.id, b.id, c.id]
    board_store.undo_stack.redo()
    assert ids(target) == [b.id]


def test_a_boards_columns_read_their_first_pages_in_one_query(
    board_services: Services, board_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    todo, doing, *_ = statuses(board_services)
    add_issues(board_services, 3)
    moved = add_issues(board_services, 2)
    for issue in moved:
        board_services.issues.move(issue.id, issue.version, doing.id)
    board_store.poll()
    calls: list[str] = []
    issues = board_services.issues
    for name in ("column", "first_pages"):
        real = getattr(issues, name)

        def spy(
            *a: object, _r: Callable[..., object] = real, _n: str = name, **k: object
        ) -> object:
            calls.append(_n)
            return _r(*a, **k)

        monkeypatch.setattr(issues, name, spy)
    scope = IssueFilter(project_ids=(todo.project_id,))
    board_store.set_filter(scope)
    models = [ColumnModel(board_store, s) for s in statuses(board_services)]
    assert [m.rowCount() for m in models] == [3, 2, 0, 0]
    assert calls == ["first_pages"]
    # A change hands out fresh pages: the next load reads again, still in one query.
    board_services.issues.move(moved[0].id, moved[0].version + 1, todo.id)
    board_store.poll()
    assert [m.rowCount() for m in models] == [4, 1, 0, 0]
    models[1].reload()
    assert models[1].rowCount() == 1 and calls[-1] == "first_pages"
