"""An outside change committed just before one of our own must still reach the board."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.services import Services
from tracker_gui.ui.store import Store


def test_an_own_write_does_not_skip_an_outside_change_not_yet_polled(
    qtbot: QtBot, store: Store, gui_services: Services, other_services: Services
) -> None:
    mine = gui_services.issues.create(NewIssue("TRK", "mine"))
    theirs = gui_services.issues.create(NewIssue("TRK", "theirs"))
    store.poll()
    _, doing, *_ = gui_services.projects.statuses(mine.project_id)
    seen: dict[int, int | None] = {}

    def on_issues_changed(updates: list) -> None:
        for u in updates:
            seen[u.issue_id] = u.issue.status_id if u.issue is not None else None

    store.issuesChanged.connect(on_issues_changed)
    # Bob moves his card (Change id N), then, before the next poll, we move ours (N+1...).
    latest = other_services.issues.get(theirs.id)
    other_services.issues.move(theirs.id, latest.version, doing.id)
    assert store.move_issue(mine, doing.id) is not None
    store.poll()
    assert seen.get(theirs.id) == doing.id, "bob's move never reached the window"
    shown = store.search(IssueFilter(project_ids=(mine.project_id,), status_ids=(doing.id,)))
    assert {i.id for i in shown} == {mine.id, theirs.id}
