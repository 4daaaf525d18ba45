"""Time tracking on both backends: logs, remaining time, the Change log and the query language."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.conftest import Board
from tests.unit.helpers import EventLog, row_counts, stored_changes
from tracker_gui.domain.durations import WorkCalendar
from tracker_gui.domain.models import IssueFilter
from tracker_gui.errors import NotFoundError, ValidationError
from tracker_gui.services.worklogs import WorklogService


@pytest.fixture
def time(board: Board) -> WorklogService:
    return WorklogService.of(board.services)


def test_a_log_is_stored_with_its_user_day_minutes_and_note_and_logged_once(
    board: Board, time: WorklogService
) -> None:
    issue = board.new("Export crash", estimate=4.0)
    events = EventLog(board.services)
    before = board.services.feed.last_id()
    entry = time.log(issue.id, "1h30m", on=dt.date(2026, 12, 1), note="  reproduced it ")
    assert (entry.user, entry.on, entry.minutes, entry.note) == (
        "alice",
        dt.date(2026, 12, 1),
        90,
        "reproduced it",
    )
    assert time.entries(issue.id) == [entry]
    changes = stored_changes(board.services, before)
    assert [(c.field, c.old, c.new, c.issue_id) for c in changes] == [
        ("logged", None, "90", issue.id)
    ]
    assert events.events == changes
    spent = time.spent_on(issue.id)
    assert (spent.logged, spent.remaining, spent.remaining_set) == (90, 150, False)


def test_remaining_is_the_estimate_minus_logged_floored_at_zero_unless_set(
    board: Board, time: WorklogService
) -> None:
    issue = board.new("Estimate two hours", estimate=2.0)
    no_estimate = board.new("No estimate")
    time.log(issue.id, "3h")
    assert time.spent_on(issue.id).remaining == 0
    assert time.spent_on(no_estimate.id).remaining is None
    before = board.services.feed.last_id()
    after = time.set_remaining(issue.id, "1d")
    assert (after.logged, after.remaining, after.remaining_set) == (180, 480, True)
    assert time.set_remaining(issue.id, "").remaining == 0
    assert [(c.field, c.old, c.new) for c in stored_changes(board.services, before)] == [
        ("remaining", None, "480"),
        ("remaining", "480", None),
    ]
    assert board.get(issue).version == issue.version + 2


def test_removing_a_log_logs_its_minutes_and_an_unknown_id_is_not_found(
    board: Board, time: WorklogService
) -> None:
    issue = board.new("Two logs")
    first = time.log(issue.id, "45m")
    second = time.log(issue.id, "2h")
    before = board.services.feed.last_id()
    assert time.remove(first.id, issue.id) == first
    assert time.entries(issue.id) == [second]
    assert [(c.field, c.old, c.new) for c in stored_changes(board.services, before)] == [
        ("logged", "45", None)
    ]
    other = board.new("Another")
    with pytest.raises(NotFoundError, match=f"no work log {second.id} on {other.key}"):
        time.remove(second.id, other.id)
    with pytest.raises(NotFoundError, match="no work log 9999"):
        time.remove(9999)
    assert time.entries(issue.id) == [second]


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("soon", "duration: 'soon' is not a duration"),
        ("0m", "is no time at all"),
        ("2", "has no unit"),
        ("-1h", "is not a duration"),
        ("1000w", "the limit is 100,000"),
    ],
)
def test_an_unreadable_duration_is_refused_and_nothing_is_stored(
    board: Board, time: WorklogService, value: str, words: str
) -> None:
    issue = board.new("Bad input")
    counts = row_counts(board.services)
    with pytest.raises(ValidationError, match=words):
        time.log(issue.id, value)
    assert row_counts(board.services) == counts


def test_days_and_weeks_follow_the_projects_calendar(board: Board, time: WorklogService) -> None:
    issue = board.new("Short days")
    time.set_calendar(board.project.id, WorkCalendar(day_minutes=360, week_days=4))
    assert time.log(issue.id, "1d").minutes == 360
    assert time.log(issue.id, "1w").minutes == 1440
    assert time.estimate_hours("TRK", "1d") == 6.0
    assert time.estimate_hours("TRK", "1.5") == 1.5


def test_a_long_note_is_refused(board: Board, time: WorklogService) -> None:
    issue = board.new("Notes")
    with pytest.raises(ValidationError, match="the limit is 2,000"):
        time.log(issue.id, "1h", note="x" * 2001)
    assert time.entries(issue.id) == []


def test_logs_go_with_their_issue(board: Board, time: WorklogService) -> None:
    issue = board.new("Deleted later")
    time.log(issue.id, "1h")
    board.services.issues.delete(issue.id, board.get(issue).version)
    assert row_counts(board.services)["worklog"] == 0


def _keys(board: Board, query: str) -> list[str]:
    return [i.key for i in board.services.issues.search(IssueFilter(query=query))]


def test_the_query_language_compares_and_sorts_logged_and_remaining_time(
    board: Board, time: WorklogService
) -> None:
    small = board.new("Small", estimate=2.0)  # TRK-1
    big = board.new("Big", estimate=10.0)  # TRK-2
    board.new("Untracked")  # TRK-3
    time.log(small.id, "1h30m")
    time.log(big.id, "5h")
    assert _keys(board, "logged>4h") == ["TRK-2"]
    assert _keys(board, "logged>=1h30m") == ["TRK-1", "TRK-2"]
    assert _keys(board, "logged:0m") == ["TRK-3"]
    assert _keys(board, "remaining<=1d") == ["TRK-1", "TRK-2"]
    assert _keys(board, "remaining>4h") == ["TRK-2"]
    assert _keys(board, "sort:-logged") == ["TRK-2", "TRK-1", "TRK-3"]
    assert _keys(board, "sort:remaining") == ["TRK-1", "TRK-2", "TRK-3"]
    assert _keys(board, "sort:-remaining") == ["TRK-2", "TRK-1", "TRK-3"]
    # A day is the issue's project's: 5 h logged is more than a 4-hour day.
    time.set_calendar(board.project.id, WorkCalendar(day_minutes=240))
    assert _keys(board, "logged>1d") == ["TRK-2"]
    time.set_remaining(small.id, "0m")
    assert _keys(board, "remaining:0m") == ["TRK-1"]
