"""Reports on a secured PostgreSQL database read as the login: a member of the project gets
the numbers the owner gets, a login of another project is told the project does not exist."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.pgcluster import PgCluster
from tests.support.secured import Secured, drop, make_secured
from tests.unit.services.report_history import Script
from tests.unit.services.test_reports import D, T, reports
from tracker_gui.errors import NotFoundError
from tracker_gui.services.reports import ReportRequest

pytestmark = pytest.mark.postgres


@pytest.fixture
def secured(pg_cluster: PgCluster) -> Iterator[Secured]:
    db = make_secured(pg_cluster)
    # The history is written by the triggers (the services as the owner), then dated.
    s = Script(db.services("postgres"))
    s.create("A", T(2, 9))
    s.create("B", T(2, 10))
    s.move("A", "In Progress", T(3, 9))
    s.move("A", "Done", T(4, 9))
    s.move("B", "Done", T(4, 12))
    yield db
    drop(db)


REQUEST = ReportRequest("cfd", "TRK", first=D(2), last=D(4), tz="UTC")


def test_a_member_and_a_viewer_read_the_same_numbers(secured: Secured) -> None:
    expected = ((D(2), 2, 0, 0), (D(3), 1, 1, 0), (D(4), 0, 0, 2))
    for who in ("mem", "vie"):
        assert reports(secured.services(who)).compute(REQUEST).rows == expected
    cycle = reports(secured.services("vie")).compute(
        ReportRequest("cycle-time", "TRK", first=D(2), last=D(4), tz="UTC")
    )
    assert [r[2:] for r in cycle.rows] == [(1.0, 2.0), (None, 2.08)]


def test_a_login_of_another_project_sees_no_such_project(secured: Secured) -> None:
    with pytest.raises(NotFoundError, match="no project with key 'TRK'"):
        reports(secured.services("out")).compute(REQUEST)
