"""Due-date reminders with a fake clock: due or overdue, mine and open, once per issue a day."""

from __future__ import annotations

import dataclasses
import datetime as dt

from tests.unit.conftest import Board
from tracker_gui.domain.enums import IssueType, Priority
from tracker_gui.domain.models import Issue
from tracker_gui.notify.reminders import DueReminders, due_filter

TODAY = dt.date(2026, 3, 10)
NOW = dt.datetime(2026, 3, 1, 9, 0)


class FakeDay:
    def __init__(self, day: dt.date) -> None:
        self.day = day

    def __call__(self) -> dt.date:
        return self.day


def issue(n: int, due: dt.date | None, assignee: str | None = "alice", **extra: object) -> Issue:
    base = Issue(
        id=n,
        uid=f"u{n}",
        project_id=1,
        project_key="TRK",
        number=n,
        type=IssueType.TASK,
        title=f"Issue {n}",
        status_id=1,
        priority=Priority.MEDIUM,
        rank="a",
        reporter="bob",
        created_at=NOW,
        updated_at=NOW,
        version=1,
        assignee=assignee,
        due=due,
    )
    return dataclasses.replace(base, **extra)  # type: ignore[arg-type]


def test_due_today_and_overdue_are_told_with_their_day() -> None:
    reminders = DueReminders(FakeDay(TODAY))
    notes = reminders.check([issue(1, TODAY), issue(2, TODAY - dt.timedelta(days=3))], "alice")
    assert [(n.summary, n.body, n.issue_id) for n in notes] == [
        ("TRK-2 is overdue", "“Issue 2” is 3 days overdue (due 2026-03-07)", 2),
        ("TRK-1 is due today", "“Issue 1” is due today", 1),
    ]
    assert {n.kind for n in notes} == {"due"}


def test_not_due_not_mine_resolved_or_archived_are_not_told() -> None:
    reminders = DueReminders(FakeDay(TODAY))
    issues = [
        issue(1, TODAY + dt.timedelta(days=1)),
        issue(2, None),
        issue(3, TODAY, assignee="bob"),
        issue(4, TODAY, assignee=None),
        issue(5, TODAY, resolved_at=NOW),
        issue(6, TODAY, archived=True),
    ]
    assert reminders.check(issues, "alice") == []


def test_once_per_issue_per_day_then_again_the_next_day() -> None:
    day = FakeDay(TODAY)
    reminders = DueReminders(day)
    late = issue(1, TODAY - dt.timedelta(days=1))
    assert len(reminders.check([late], "alice")) == 1
    assert reminders.check([late], "alice") == []
    day.day = TODAY + dt.timedelta(days=1)
    [again] = reminders.check([late], "alice")
    assert again.body == "“Issue 1” is 2 days overdue (due 2026-03-09)"
    assert reminders.check([late], "alice") == []


def test_an_issue_that_becomes_due_is_told_on_that_day() -> None:
    day = FakeDay(TODAY)
    reminders = DueReminders(day)
    tomorrow = issue(1, TODAY + dt.timedelta(days=1))
    assert reminders.check([tomorrow], "alice") == []
    day.day = TODAY + dt.timedelta(days=1)
    assert [n.summary for n in reminders.check([tomorrow], "alice")] == ["TRK-1 is due today"]


def test_many_at_once_become_one_summary_each_still_once_a_day() -> None:
    reminders = DueReminders(FakeDay(TODAY))
    issues = [issue(n, TODAY - dt.timedelta(days=n % 2)) for n in range(1, 8)]
    [note] = reminders.check(issues, "alice")
    assert note.summary == "7 of your issues are due"
    assert note.body.startswith("4 overdue, 3 due today: ")
    assert set(note.issue_ids) == set(range(1, 8))
    assert reminders.check(issues, "alice") == []


def test_what_was_told_today_survives_a_restart() -> None:
    day = FakeDay(TODAY)
    first = DueReminders(day)
    first.check([issue(1, TODAY)], "alice")
    second = DueReminders(day)
    second.restore(first.state())
    assert second.check([issue(1, TODAY)], "alice") == []
    day.day = TODAY + dt.timedelta(days=1)
    assert first.state() == {}  # yesterday's entries are not kept
    assert len(second.check([issue(1, TODAY)], "alice")) == 1


def test_the_due_query_finds_my_open_due_issues(board: Board) -> None:
    """The filter the window runs, on both backends."""
    s = board.services
    today = dt.date.today()
    mine_due = board.new("mine, due", assignee="alice", due=today)
    mine_late = board.new("mine, late", assignee="alice", due=today - dt.timedelta(days=2))
    board.new("mine, later", assignee="alice", due=today + dt.timedelta(days=2))
    board.new("bob's, due", assignee="bob", due=today)
    done = board.new("mine, done", assignee="alice", due=today)
    s.issues.move(done.id, done.version, board.status("Done").id)
    found = s.issues.search(due_filter("alice", today))
    assert {i.id for i in found} == {mine_due.id, mine_late.id}
    notes = DueReminders(FakeDay(today)).check(found, "alice")
    assert [n.summary for n in notes] == [
        f"{mine_late.key} is overdue",
        f"{mine_due.key} is due today",
    ]
