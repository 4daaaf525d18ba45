"""Migration 0013 on a database made before it: issues keep their data and gain time tracking."""

from __future__ import annotations

from collections.abc import Callable

from tests.support.old_schema import undo_migrations
from tracker_gui.domain.durations import WorkCalendar
from tracker_gui.domain.models import NewIssue
from tracker_gui.services import open_services
from tracker_gui.services.worklogs import WorklogService


def test_an_older_database_gains_work_logs_remaining_time_and_calendars(
    new_target: Callable[..., str],
) -> None:
    target = new_target()
    made = open_services(target, create=True, actor="alice")
    made.projects.ensure_project("TRK")
    made.issues.create(NewIssue("TRK", "Made before time tracking", estimate=2.0))
    made.close()
    undo_migrations(target, ("0013_worklog",))
    services = open_services(target, actor="alice")
    try:
        time = WorklogService.of(services)
        issue = services.issues.by_key("TRK-1")
        assert issue.title == "Made before time tracking"
        assert time.calendar(issue.project_id) == WorkCalendar()
        assert time.spent_on(issue.id).remaining == 120  # from the estimate: none set
        assert time.log(issue.id, "30m").minutes == 30
        assert time.spent_on(issue.id).remaining == 90
    finally:
        services.close()
