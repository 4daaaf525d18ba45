"""The demo plans sprints: six closed, one active, one planned, each consistent with its history,
so every report has something to show on the demo, on both backends."""

from __future__ import annotations

import datetime as dt
import itertools

from tracker_gui.domain.models import IssueFilter
from tracker_gui.domain.sprints import SprintState
from tracker_gui.services import Services
from tracker_gui.services.demo import fill_demo
from tracker_gui.services.report_types import KINDS
from tracker_gui.services.reports import ReportRequest, ReportService


def test_the_demo_has_closed_active_and_planned_sprints_matching_their_history(
    services: Services,
) -> None:
    report = fill_demo(services, 1500, 3, "DEMO")
    sprints = services.sprints.sprints("DEMO")
    assert report.sprints == len(sprints) == 8
    states = [s.state for s in sprints]
    assert states == [SprintState.CLOSED] * 6 + [SprintState.ACTIVE, SprintState.PLANNED]
    today = dt.datetime.now(dt.UTC).date()
    active = sprints[6]
    assert active.start <= today <= active.end and active.start.weekday() == 0
    for before, after in itertools.pairwise(sprints):
        assert after.start == before.end + dt.timedelta(days=1)
        assert after.end - after.start == dt.timedelta(days=13)

    reports = ReportService(services.database, services.projects.catalog)
    velocity = reports.compute(ReportRequest("velocity", "DEMO"))
    assert velocity.rows == tuple((s.name, s.scope_start, s.done_close) for s in sprints[:6])
    assert all(0 < done <= scope for _, scope, done in velocity.rows)  # type: ignore[operator]
    for s in sprints[:6]:
        assert s.scope_close is not None and s.done_close is not None
        # The burndown, rebuilt from the change log, ends where the stored figures say.
        rows = reports.compute(ReportRequest("burndown", "DEMO", sprint=s.name, tz="UTC")).rows
        assert rows[-1][1] == s.scope_close - s.done_close
        assert rows[-1][3] == s.scope_close
    burndown = reports.compute(ReportRequest("burndown", "DEMO", tz="UTC"))
    known = [r for r in burndown.rows if r[1] is not None]
    assert burndown.rows[0][0] == active.start and 0 < len(known) <= 14
    assert known[0][3] >= active.scope_start > 0  # type: ignore[operator]

    # The issues' sprint column is where their last `sprint` Change row put them.
    changes = services.feed.changes_since(0, limit=1_000_000)
    last: dict[int, str | None] = {}
    for c in changes:
        if c.field == "sprint" and c.issue_id is not None:
            last[c.issue_id] = c.new
    names = services.sprints.names_of(list(last))
    by_id = {str(s.id): s.name for s in sprints}
    assert last and {i: by_id.get(v or "") for i, v in last.items()} == names
    # A close and the moves it carried form one action (one change set).
    for c in changes:
        if c.field == "sprint_state" and c.new == "closed":
            carried = [x for x in changes if x.change_set == c.change_set and x.field == "sprint"]
            assert c.change_set and all(x.at == c.at for x in carried)

    for kind in KINDS:
        found = reports.compute(ReportRequest(kind, "DEMO", tz="UTC"))
        assert found.rows, kind


def test_a_second_demo_run_adds_issues_and_no_sprints(services: Services) -> None:
    fill_demo(services, 300, 1, "DEMO")
    again = fill_demo(services, 50, 2, "DEMO")
    assert again.sprints == 0 and len(services.sprints.sprints("DEMO")) == 8
    assert len(services.issues.search(IssueFilter(include_archived=True))) == 350
