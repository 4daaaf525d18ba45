"""Reports from a scripted history: every number asserted exactly, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.services.report_history import Script
from tracker_gui.errors import NotFoundError, ValidationError
from tracker_gui.services import Services
from tracker_gui.services.reports import ReportRequest, ReportService


def T(day: int, hour: int, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour)


def D(day: int, month: int = 3) -> dt.date:
    return dt.date(2026, month, day)


NOW = T(12, 12)  # the injected "now": after the whole history


def reports(services: Services, now: dt.datetime = NOW) -> ReportService:
    return ReportService(services.database, services.projects.catalog, clock=lambda: now)


@pytest.fixture
def history(services: Services) -> Script:
    """Eight issues of TRK moved on known days (UTC), in time order:

    G made 20 Feb, never moved.  H made 3 Mar 03:00 (2 Mar evening in New York).
    A: made 2 Mar 08:00, In Progress 3 Mar 12:00, Done 5 Mar 12:00 (cycle 2, lead 3.167)
    B: made 2 Mar 10:00, In Progress 4 Mar 09:00, Done 9 Mar 09:00 (cycle 5, lead 6.958)
    C: made 3 Mar 09:00, Done 4 Mar 15:00 straight from To Do (no cycle; lead 1.25)
    D: made 3 Mar 10:00, In Progress 5 Mar 10:00, In Review 6 Mar 10:00, Done 6 Mar 22:00
       (cycle 1.5, lead 3.5)
    E: made in progress 4 Mar 08:00, Done 7 Mar 08:00 (cycle 3 from creation, lead 3)
    F: made 5 Mar 08:00, In Progress 6 Mar 08:00, Done 8 Mar 08:00, reopened 8 Mar 20:00,
       Done 10 Mar 08:00 (cycle 4 to the last done, lead 5)
    Another project's issue moves on the same days and must not count.
    """
    s = Script(services)
    other = Script(services, "OTH")
    s.create("G", T(20, 9, month=2))
    s.create("A", T(2, 8))
    s.create("B", T(2, 10))
    other.create("X", T(2, 11))
    s.create("H", T(3, 3))
    s.create("C", T(3, 9))
    s.create("D", T(3, 10))
    s.move("A", "In Progress", T(3, 12))
    other.move("X", "Done", T(3, 13))
    s.create("E", T(4, 8), status="In Progress")
    s.move("B", "In Progress", T(4, 9))
    s.move("C", "Done", T(4, 15))
    s.create("F", T(5, 8))
    s.move("D", "In Progress", T(5, 10))
    s.move("A", "Done", T(5, 12))
    s.move("F", "In Progress", T(6, 8))
    s.move("D", "In Review", T(6, 10))
    s.move("D", "Done", T(6, 22))
    s.move("E", "Done", T(7, 8))
    s.move("F", "Done", T(8, 8))
    s.move("F", "In Progress", T(8, 20))
    s.move("B", "Done", T(9, 9))
    s.move("F", "Done", T(10, 8))
    return s


def compute(services: Services, kind: str, **kw: object) -> tuple[tuple[object, ...], ...]:
    request = ReportRequest(kind, "TRK", first=D(2), last=D(10), tz="UTC", **kw)  # type: ignore[arg-type]
    return reports(services).compute(request).rows


def test_cumulative_flow_counts_each_category_at_the_end_of_each_day(
    services: Services, history: Script
) -> None:
    report = reports(services).compute(
        ReportRequest("cfd", "trk", first=D(2), last=D(10), tz="UTC")
    )
    assert report.columns == ("date", "todo", "in_progress", "done")
    assert [r[1:] for r in report.rows] == [
        (3, 0, 0),  # 2 Mar: A, B and G (made in February) to do
        (5, 1, 0),
        (3, 3, 1),
        (3, 3, 2),
        (2, 3, 3),
        (2, 2, 4),
        (2, 2, 4),  # 8 Mar: F done and reopened the same day
        (2, 1, 5),
        (2, 0, 6),
    ]
    assert [r[0] for r in report.rows] == [D(d) for d in range(2, 11)]
    assert [s.name for s in report.series] == ["Done", "In Progress", "To Do"]
    assert report.stacked and report.series[0].values[-1] == 6.0


def test_cumulative_flow_by_status(services: Services, history: Script) -> None:
    rows = compute(services, "cfd", by="status")
    report = reports(services).compute(
        ReportRequest("cfd", "TRK", first=D(5), last=D(6), tz="UTC", by="status")
    )
    assert report.columns == ("date", "To Do", "In Progress", "In Review", "Done")
    assert report.rows == ((D(5), 3, 3, 0, 2), (D(6), 2, 3, 0, 3))
    assert rows[4] == (D(6), 2, 3, 0, 3)


def test_days_are_the_local_days_of_the_zone_asked_for(services: Services, history: Script) -> None:
    """H was made at 03:00 UTC on 3 Mar: still 2 Mar in New York (UTC-5 until the 8th)."""
    ny = reports(services).compute(
        ReportRequest("cfd", "TRK", first=D(2), last=D(3), tz="America/New_York")
    )
    assert [r[1] for r in ny.rows] == [4, 5]
    made = reports(services).compute(
        ReportRequest("created-resolved", "TRK", first=D(2), last=D(3), tz="America/New_York")
    )
    assert made.rows == ((D(2), 3, 0), (D(3), 2, 0))


def test_cycle_and_lead_time_per_issue_done_with_percentiles(
    services: Services, history: Script
) -> None:
    report = reports(services).compute(
        ReportRequest("cycle-time", "TRK", first=D(2), last=D(10), tz="UTC")
    )
    assert report.columns == ("key", "done", "cycle_days", "lead_days")
    keys = {i.id: i.key for i in history.issues.values()}
    k = {name: keys[issue.id] for name, issue in history.issues.items()}
    assert report.rows == (
        (k["C"], D(4), None, 1.25),
        (k["A"], D(5), 2.0, 3.17),
        (k["D"], D(6), 1.5, 3.5),
        (k["E"], D(7), 3.0, 3.0),
        (k["B"], D(9), 5.0, 6.96),
        (k["F"], D(10), 4.0, 5.0),
    )
    # nearest rank over [1.5, 2, 3, 4, 5]: 50% -> 3rd, 85% -> 5th, 95% -> 5th
    assert [g.value for g in report.guides] == [3.0, 5.0, 5.0]
    assert [(p.x, p.y) for p in report.points] == [
        (D(5), 2.0), (D(6), 1.5), (D(7), 3.0), (D(9), 5.0), (D(10), 4.0)
    ]  # fmt: skip
    lead = reports(services).compute(
        ReportRequest("cycle-time", "TRK", first=D(2), last=D(10), tz="UTC", by="lead")
    )
    assert [g.value for g in lead.guides] == [
        3.17,
        6.96,
        6.96,
    ]  # over [1.25, 3, 3.17, 3.5, 5, 6.96]
    assert len(lead.points) == 6


def test_a_range_keeps_only_issues_done_inside_it(services: Services, history: Script) -> None:
    report = reports(services).compute(
        ReportRequest("cycle-time", "TRK", first=D(6), last=D(8), tz="UTC")
    )
    assert [r[1] for r in report.rows] == [D(6), D(7)]  # F's done of the 8th was undone


def test_throughput_per_week(services: Services, history: Script) -> None:
    assert compute(services, "throughput") == ((D(2), 4), (D(9), 2))


def test_created_and_resolved_per_day_and_per_week(services: Services, history: Script) -> None:
    assert compute(services, "created-resolved") == (
        (D(2), 2, 0),
        (D(3), 3, 0),
        (D(4), 1, 1),
        (D(5), 1, 1),
        (D(6), 0, 1),
        (D(7), 0, 1),
        (D(8), 0, 0),
        (D(9), 0, 1),
        (D(10), 0, 1),
    )
    assert compute(services, "created-resolved", by="week") == ((D(2), 7, 4), (D(9), 0, 2))


def test_bad_requests_are_refused_in_plain_words(services: Services, history: Script) -> None:
    service = reports(services)
    with pytest.raises(NotFoundError, match="no project with key 'NOPE'"):
        service.compute(ReportRequest("cfd", "NOPE"))
    with pytest.raises(ValidationError, match="after"):
        service.compute(ReportRequest("cfd", "TRK", first=D(5), last=D(4)))
    with pytest.raises(ValidationError, match="time zone"):
        service.compute(ReportRequest("cfd", "TRK", tz="Mars/Olympus"))
    with pytest.raises(ValidationError, match="--by"):
        service.compute(ReportRequest("throughput", "TRK", by="status"))


def test_default_range_is_the_90_days_up_to_today(services: Services, history: Script) -> None:
    report = reports(services).compute(ReportRequest("throughput", "TRK", tz="UTC"))
    assert report.x[-1] == D(9) and report.rows[-1] == (D(9), 2)
    assert report.subtitle == "TRK · 2025-12-13 to 2026-03-12"


def test_a_deleted_issue_leaves_every_report(services: Services, history: Script) -> None:
    """A deleted issue's moves stay in the log, but it no longer counts anywhere (as if it
    had never been made), so the flow still adds up."""
    before = compute(services, "cfd")
    history.create("Z", T(2, 12))
    history.move("Z", "In Progress", T(3, 12))
    history.move("Z", "Done", T(4, 12))
    assert compute(services, "cfd")[-1] == (D(10), 2, 0, 7)
    z = services.issues.get(history.issues["Z"].id)
    services.issues.delete(z.id, z.version)
    assert compute(services, "cfd") == before
    assert len(compute(services, "cycle-time")) == 6


def test_days_follow_daylight_saving_time(services: Services) -> None:
    """Paris moves from UTC+1 to UTC+2 at 01:00 UTC on 29 Mar 2026: 22:30 UTC is 23:30 on
    the 28th, but on the 29th it is already 00:30 on the 30th."""
    s = Script(services)
    s.create("P", T(28, 22, month=3).replace(minute=30))  # 23:30 on the 28th
    s.create("Q", T(28, 23, month=3).replace(minute=30))  # 00:30 on the 29th
    s.create("R", T(29, 21, month=3).replace(minute=30))  # 23:30 on the 29th (summer time)
    s.create("S", T(29, 22, month=3).replace(minute=30))  # 00:30 on the 30th
    s.move("P", "Done", T(29, 22, month=3).replace(minute=45))  # 00:45 on the 30th
    request = ReportRequest("created-resolved", "TRK", first=D(28), last=D(30), tz="Europe/Paris")
    assert reports(services).compute(request).rows == (
        (D(28), 1, 0),
        (D(29), 2, 0),
        (D(30), 1, 1),
    )
    cfd = ReportRequest("cfd", "TRK", first=D(28), last=D(30), tz="Europe/Paris")
    assert [r[1:] for r in reports(services).compute(cfd).rows] == [(1, 0, 0), (3, 0, 0), (3, 0, 1)]


def test_a_range_with_nothing_done_says_so(services: Services, history: Script) -> None:
    report = reports(services).compute(
        ReportRequest("cycle-time", "TRK", first=D(1, month=1), last=D(31, month=1), tz="UTC")
    )
    assert (report.rows, report.points, report.guides) == ((), (), ())
    assert report.empty_text == "No issues done in this range"
