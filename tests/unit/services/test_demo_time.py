"""The demo logs time: on the days its issues were worked on, with a history row for each."""

from __future__ import annotations

import datetime as dt

from tracker_gui.domain.models import IssueFilter
from tracker_gui.services import Services
from tracker_gui.services.demo import fill_demo
from tracker_gui.services.worklogs import WorklogService


def _logs(services: Services) -> list[tuple[str, str, dt.date, int, str]]:
    time = WorklogService.of(services)
    issues = services.issues.search(IssueFilter(include_archived=True), limit=10_000)
    keys = {i.id: i.key for i in issues}
    return sorted(
        (keys[w.issue_id], w.user, w.on, w.minutes, w.note) for page in time.pages() for w in page
    )


def test_the_demo_logs_time_on_worked_issues_with_a_history_row_each(services: Services) -> None:
    report = fill_demo(services, 300, 7, "DEMO")
    logs = _logs(services)
    assert report.worklogs == len(logs) > 50
    issues = {i.key: i for i in services.issues.search(IssueFilter(include_archived=True))}
    today = dt.datetime.now(dt.UTC).date()
    for key, user, on, minutes, _ in logs:
        issue = issues[key]
        assert issue.assignee == user
        assert issue.created_at.date() <= on <= today
        assert 30 <= minutes <= 240 and minutes % 15 == 0
    logged = [c for c in services.feed.changes_since(0, limit=100_000) if c.field == "logged"]
    assert sorted(int(c.new or 0) for c in logged) == sorted(m for *_, m, _ in logs)
    assert [c.id for c in logged] == sorted(c.id for c in logged)
    assert [c.at for c in logged] == sorted(c.at for c in logged)  # ids follow time
