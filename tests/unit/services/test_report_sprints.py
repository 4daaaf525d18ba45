"""Burndown, velocity and time reports from a scripted sprint, on SQLite and PostgreSQL.

The sprints are planned, filled, started and closed, and time logged, through the real
services (report_history.Script), each action dated to a known instant.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.services.report_history import Script
from tracker_gui.errors import NotFoundError
from tracker_gui.services import Services
from tracker_gui.services.reports import ReportRequest, ReportService

NOW = dt.datetime(2026, 3, 5, 18)  # during the sprint's fourth day


def T(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour)


def D(day: int) -> dt.date:
    return dt.date(2026, 3, day)


def service(services: Services) -> ReportService:
    return ReportService(services.database, services.projects.catalog, clock=lambda: NOW)


def past(s: Script, name: str, start: dt.date, end: dt.date, planned: int, done: int) -> None:
    """A sprint of `planned` issues (made the day before it), `done` of them finished on its
    second day, closed on its last evening with the rest going back to the backlog."""
    at = dt.datetime.combine(start, dt.time(9))
    names = [f"{name}/{n}" for n in range(planned)]
    for n in names:
        s.create(n, at - dt.timedelta(days=1))
    s.add_sprint(name, start, end)
    s.put_in_sprint(names, name, at)
    s.start_sprint(name, at + dt.timedelta(hours=1))
    for n in names[:done]:
        s.move(n, "Done", at + dt.timedelta(days=1))
    s.close_sprint(name, dt.datetime.combine(end, dt.time(17)))


@pytest.fixture
def sprint(services: Services) -> Script:
    """Sprint 1 runs 2-6 Mar, started on the 2nd with P1..P5 (estimates 2-6 h); P1 done on
    the 3rd, P2 on the 4th, P6 (1.5 h) added on the 4th, P4 re-estimated to 8 h on the 5th,
    P3 done and P5 taken out on the 5th. Two sprints closed before it."""
    s = Script(services)
    past(s, "Sprint -1", D(1) - dt.timedelta(days=28), D(1) - dt.timedelta(days=15), 4, 4)
    past(s, "Sprint 0", D(1) - dt.timedelta(days=14), D(1), 6, 3)
    s.add_sprint("Sprint 1", D(2), D(6))
    for n, hours in enumerate((2.0, 3.0, 4.0, 5.0, 6.0), 1):
        s.create(f"P{n}", T(1, 10), estimate=hours)
    s.put_in_sprint([f"P{n}" for n in range(1, 6)], "Sprint 1", T(2, 9))
    s.start_sprint("Sprint 1", T(2, 10))
    s.move("P1", "Done", T(3, 10))
    s.create("P6", T(4, 9), estimate=1.5)
    s.move("P2", "Done", T(4, 11))
    s.put_in_sprint("P6", "Sprint 1", T(4, 12))
    s.edit("P4", T(5, 9), estimate=8.0)
    s.move("P3", "Done", T(5, 15))
    s.put_in_sprint("P5", None, T(5, 16))
    return s


def test_burndown_counts_remaining_issues_per_day_with_scope_changes(
    services: Services, sprint: Script
) -> None:
    report = service(services).compute(ReportRequest("burndown", "TRK", tz="UTC"))
    assert report.columns == ("date", "remaining", "ideal", "scope")
    assert report.rows == (
        (D(2), 5, 5.0, 5),
        (D(3), 4, 3.75, 5),
        (D(4), 4, 2.5, 6),
        (D(5), 2, 1.25, 5),
        (D(6), None, 0.0, None),  # tomorrow: not known yet
    )
    assert [(m.at, m.label) for m in report.markers] == [(2, "+1 issue"), (3, "-1 issue")]
    assert report.subtitle == "Sprint 1 · 2026-03-02 to 2026-03-06"


def test_burndown_by_estimate_uses_each_days_estimate(services: Services, sprint: Script) -> None:
    report = service(services).compute(
        ReportRequest("burndown", "TRK", sprint="sprint 1", by="estimate", tz="UTC")
    )
    assert [r[1:] for r in report.rows] == [
        (20.0, 20.0, 20.0),
        (18.0, 15.0, 20.0),
        (16.5, 10.0, 21.5),
        (9.5, 5.0, 18.5),
        (None, 0.0, None),
    ]
    assert [m.label for m in report.markers] == ["+1.5 hours", "-3 hours"]


def test_burndown_of_an_unknown_sprint_is_refused(services: Services, sprint: Script) -> None:
    with pytest.raises(NotFoundError, match="no sprint 'Sprint 9' in project TRK"):
        service(services).compute(ReportRequest("burndown", "TRK", sprint="Sprint 9"))


def test_velocity_lists_closed_sprints_in_order(services: Services, sprint: Script) -> None:
    report = service(services).compute(ReportRequest("velocity", "TRK"))
    assert report.columns == ("sprint", "committed", "completed")
    assert report.rows == (("Sprint -1", 4, 4), ("Sprint 0", 6, 3))


def test_time_report_sums_minutes_by_person_and_issue(services: Services, sprint: Script) -> None:
    sprint.log_work("P1", "bob", D(2), 90)
    sprint.log_work("P1", "bob", D(3), 30)
    sprint.log_work("P2", "carol", D(4), 45)
    sprint.log_work("P2", "bob", D(9), 60)  # outside the range
    report = service(services).compute(
        ReportRequest("time", "TRK", first=D(1), last=D(5), tz="UTC")
    )
    keys = {n: sprint.issues[n].key for n in ("P1", "P2")}
    assert report.rows == (("bob", keys["P1"], 120), ("carol", keys["P2"], 45))
    assert report.x == ("bob", "carol")
    assert report.series[0].values == (2.0, 0.75)


def test_time_report_per_issue_and_through_the_panes_call(
    services: Services, sprint: Script
) -> None:
    sprint.log_work("P2", "carol", D(4), 45)
    sprint.log_work("P1", "bob", D(2), 90)
    sprint.log_work("P2", "bob", D(3), 15)
    options = {"project": "TRK", "sprint": None, "from": D(1), "to": D(5), "by": "issue"}
    report = service(services).compute_options("time", options)
    k1, k2 = sprint.issues["P1"].key, sprint.issues["P2"].key
    assert report.columns == ("issue", "person", "minutes")
    assert report.rows == ((k1, "bob", 90), (k2, "bob", 15), (k2, "carol", 45))
    assert (report.x, report.series[0].values) == ((k1, k2), (1.5, 1.0))


def test_the_ideal_line_starts_from_the_scope_when_the_sprint_was_started(
    services: Services, sprint: Script
) -> None:
    """Sprint 2 (9-11 Mar, closed since) was filled on its second day and started after
    that: the ideal runs from those 2 issues, not from the empty first day. A planned sprint
    that has not begun (12-13 Mar) starts its ideal from what it holds now."""
    sprint.close_sprint("Sprint 1", T(6, 17))
    sprint.add_sprint("Sprint 2", D(9), D(11))
    sprint.create("Q1", T(9, 9))
    sprint.create("Q2", T(9, 9))
    sprint.put_in_sprint(["Q1", "Q2"], "Sprint 2", T(10, 10))
    sprint.start_sprint("Sprint 2", T(10, 11))
    sprint.close_sprint("Sprint 2", T(11, 17))
    at = dt.datetime(2026, 3, 11, 18)
    report = ReportService(services.database, services.projects.catalog, clock=lambda: at)
    rows = report.compute(ReportRequest("burndown", "TRK", sprint="Sprint 2", tz="UTC")).rows
    assert rows == ((D(9), 0, 2.0, 0), (D(10), 2, 1.0, 2), (D(11), 2, 0.0, 2))
    sprint.add_sprint("Sprint 3", D(12), D(13))
    sprint.put_in_sprint("Q1", "Sprint 3", dt.datetime(2026, 3, 11, 17, 30))
    rows = report.compute(ReportRequest("burndown", "TRK", sprint="Sprint 3", tz="UTC")).rows
    assert rows == ((D(12), None, 1.0, None), (D(13), None, 0.0, None))


def test_closing_with_carry_over_keeps_the_unfinished_in_the_closed_sprints_burndown(
    services: Services, sprint: Script
) -> None:
    """Sprint 1 closes at 17:00 on its last day; P4 and P6 (unfinished) go to Sprint 2. Its
    burndown still ends with those 2 remaining; Sprint 2's starts with them."""
    sprint.add_sprint("Sprint 2", D(9), D(10))
    sprint.close_sprint("Sprint 1", T(6, 17), carry_to="Sprint 2")
    after = dt.datetime(2026, 3, 9, 12)
    report = ReportService(services.database, services.projects.catalog, clock=lambda: after)
    one = report.compute(ReportRequest("burndown", "TRK", sprint="Sprint 1", tz="UTC"))
    assert one.rows[-1] == (D(6), 2, 0.0, 5)
    two = report.compute(ReportRequest("burndown", "TRK", sprint="Sprint 2", tz="UTC"))
    assert two.rows[0] == (D(9), 2, 2.0, 2)
    velocity = report.compute(ReportRequest("velocity", "TRK"))
    assert velocity.rows[-1] == ("Sprint 1", 5, 3)


def test_issues_put_in_at_the_very_instant_of_the_start_are_committed(
    services: Services,
) -> None:
    """A script (or a coarse clock) may stamp the last planning moves and the start alike:
    those issues were in the sprint when it started, so the ideal starts from them."""
    s = Script(services)
    s.create("A", T(1, 9))
    s.create("B", T(1, 9))
    s.add_sprint("Sprint 1", D(2), D(3))
    s.put_in_sprint(["A", "B"], "Sprint 1", T(2, 9))
    s.start_sprint("Sprint 1", T(2, 9))
    rows = service(services).compute(ReportRequest("burndown", "TRK", tz="UTC")).rows
    assert rows == ((D(2), 2, 2.0, 2), (D(3), 2, 0.0, 2))
