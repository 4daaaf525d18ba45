"""FeedService on both backends: the Change log as the live feed and the activity pane read it."""

from __future__ import annotations

from collections.abc import Callable

from tests.unit.conftest import Board
from tests.unit.helpers import change_ids
from tracker_gui.domain import history
from tracker_gui.domain.models import NewIssue
from tracker_gui.services import Services
from tracker_gui.services.feed import FeedCursor


def make_activity(board: Board) -> None:
    """Some history across two projects: 3 creates, an edit, a move, a comment."""
    s = board.services
    a = board.new("first")
    b = board.new("second")
    s.projects.ensure_project("OPS")
    s.issues.create(NewIssue("OPS", "ops work"))
    s.issues.edit(a.id, a.version, {"title": "first, renamed"})
    s.issues.move(b.id, b.version, board.status("Done").id)
    s.issues.comment(a.id, "a comment")


def test_last_id_is_the_newest_change(board: Board) -> None:
    s = board.services
    first = s.feed.last_id()
    assert first == max(change_ids(s))
    board.new("more")
    assert s.feed.last_id() == max(change_ids(s)) > first


def test_last_id_of_an_empty_log_is_zero(services: Services) -> None:
    assert services.feed.last_id() == 0
    assert services.feed.changes_since(0) == []


def test_changes_since_returns_exactly_the_newer_rows_in_order(board: Board) -> None:
    s = board.services
    make_activity(board)
    ids = change_ids(s)
    assert len(ids) >= 8
    everything = s.feed.changes_since(0)
    assert [c.id for c in everything] == ids
    for cut in (ids[0], ids[3], ids[-2], ids[-1]):
        newer = s.feed.changes_since(cut)
        assert [c.id for c in newer] == [i for i in ids if i > cut]
        assert newer == [c for c in everything if c.id > cut]
    assert [c.id for c in s.feed.changes_since(ids[2], limit=2)] == ids[3:5]


def test_changes_since_can_be_narrowed_to_projects(board: Board) -> None:
    s = board.services
    make_activity(board)
    ops = s.projects.project("OPS")
    only_ops = s.feed.changes_since(0, project_ids=(ops.id,))
    assert only_ops == [c for c in s.feed.changes_since(0) if c.project_id == ops.id]
    assert [c.field for c in only_ops] == ["project", history.CREATED]
    both = s.feed.changes_since(0, project_ids=(ops.id, board.project.id))
    assert both == s.feed.changes_since(0)


def test_recent_is_the_newest_rows_oldest_first(board: Board) -> None:
    s = board.services
    make_activity(board)
    ids = change_ids(s)
    assert [c.id for c in s.feed.recent(3)] == ids[-3:]
    assert [c.id for c in s.feed.recent(1000)] == ids


def test_history_is_one_issues_changes_in_order(board: Board) -> None:
    s = board.services
    a = board.new("mine")
    board.new("someone else's")
    a = s.issues.edit(a.id, a.version, {"priority": 5})
    s.issues.watch(a.id)
    assert [c.field for c in s.feed.history(a.id)] == [history.CREATED, "priority", "watch"]
    assert {c.issue_id for c in s.feed.history(a.id)} == {a.id}


def test_another_connection_sees_new_changes_through_the_feed(
    board: Board, make_services: Callable[..., Services], backend: str
) -> None:
    """The live feed path: a second process reads Change rows newer than the last one seen."""
    s = board.services
    other = make_services("bob")
    seen = other.feed.last_id()
    version_before = other.feed.data_version()
    issue = board.new("made by alice")
    edited = s.issues.edit(issue.id, issue.version, {"title": "renamed by alice"})
    news = other.feed.changes_since(seen)
    assert [(c.issue_id, c.field, c.actor) for c in news] == [
        (issue.id, history.CREATED, "alice"),
        (issue.id, "title", "alice"),
    ]
    assert other.issues.get(issue.id) == edited
    if backend == "sqlite":
        assert version_before is not None
        assert other.feed.data_version() != version_before
    else:
        assert version_before is None


def test_a_cursor_remembers_the_ids_below_it_not_seen_yet() -> None:
    cursor = FeedCursor(10, window=5)
    cursor.advance([11, 13, 14])
    assert (cursor.position, cursor.unseen()) == (14, (12,))
    cursor.advance([12])  # committed late
    assert cursor.unseen() == ()
    cursor.advance([20])
    assert (cursor.position, cursor.unseen()) == (20, (16, 17, 18, 19))
    cursor.advance([])
    assert cursor.position == 20
    cursor.advance([30])  # a gap wider than the window: only the window is watched
    assert cursor.unseen() == (26, 27, 28, 29)


def test_reading_a_page_returns_late_commits_and_nothing_when_nothing_changed(
    board: Board,
) -> None:
    make_activity(board)
    feed = board.services.feed
    ids = [e.id for e in feed.changes_since(0)]
    cursor = FeedCursor(ids[0] - 1)
    assert [e.id for e in feed.read_page(cursor, limit=2)] == ids[:2]  # one page at most
    assert [e.id for e in feed.read_page(cursor, limit=100)] == ids[2:]
    assert feed.read_page(cursor, limit=100) == []
    # A cursor that saw every row but the third (it committed late) reads only that one.
    late = FeedCursor(ids[0] - 1)
    late.advance(ids[:2] + ids[3:])
    assert [e.id for e in feed.read_page(late, limit=100)] == [ids[2]]
    assert feed.read_page(late, limit=100) == []
