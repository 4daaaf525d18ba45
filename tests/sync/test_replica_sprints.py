"""Sprints in a team member's offline copy: copied, kept up to date, written on the server only."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.secured import Secured
from tests.sync.helpers import engine, replica_view, server_view
from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.domain.sprints import SprintState
from tracker_gui.errors import PermissionDeniedError, UserError

pytestmark = pytest.mark.postgres


def _plan(db: Secured) -> None:
    adm = db.services("adm")
    adm.sprints.add("TRK", "Sprint 1", "2026-01-05", "2026-01-16")
    adm.sprints.add("TRK", "Sprint 2", "2026-01-19", "2026-01-30")
    made = [adm.issues.create(NewIssue("TRK", f"Issue {n}")) for n in (1, 2, 3)]
    adm.sprints.set_sprint([i.id for i in made[:2]], "Sprint 1")
    adm.sprints.start("TRK", "Sprint 1")


def test_the_copy_holds_the_sprints_and_follows_the_server(
    secured: Secured, tmp_path: Path
) -> None:
    _plan(secured)
    sync = engine(secured, "mem", tmp_path)
    sync.sync()
    assert replica_view(sync) == server_view(secured, "mem")
    local = sync.local_services()
    try:
        sprints = local.sprints.sprints("TRK")
        assert [(s.name, s.state, s.scope_start, s.issues) for s in sprints] == [
            ("Sprint 1", SprintState.ACTIVE, 2, 2),
            ("Sprint 2", SprintState.PLANNED, None, 0),
        ]
        found = local.issues.search(IssueFilter(query="sprint:current"), sort="key")
        assert [i.title for i in found] == ["Issue 1", "Issue 2"]
    finally:
        local.close()
    # On the server: one issue done, the sprint closed, the other carried to Sprint 2.
    adm = secured.services("adm")
    first = adm.issues.by_key("TRK-1")
    done = next(s for s in adm.projects.statuses(first.project_id) if s.name == "Done")
    adm.issues.move(first.id, first.version, done.id)
    adm.sprints.close("TRK", "Sprint 1", carry_to="Sprint 2")
    sync.sync()
    assert replica_view(sync) == server_view(secured, "mem")
    local = sync.local_services()
    try:
        closed = local.sprints.find("TRK", "Sprint 1")
        assert (closed.state, closed.scope_close, closed.done_close) == (SprintState.CLOSED, 2, 1)
        issues = local.issues.search(IssueFilter(), sort="key")
        assert local.sprints.names_of([i.id for i in issues]) == {
            issues[0].id: "Sprint 1",
            issues[1].id: "Sprint 2",
            issues[2].id: None,
        }
    finally:
        local.close()


def test_offline_planning_is_queued_and_sprint_admin_refused(
    secured: Secured, tmp_path: Path
) -> None:
    _plan(secured)
    sync = engine(secured, "mem", tmp_path)
    sync.sync()
    before = replica_view(sync)
    local = sync.local_services()  # the CLI's offline services: no server to send to
    try:
        with pytest.raises(UserError, match="adding a sprint needs the server"):
            local.sprints.add("TRK", "Sprint 3", "2026-02-02", "2026-02-13")
        with pytest.raises(UserError, match="starting a sprint needs the server"):
            local.sprints.start("TRK", "Sprint 2")
        with pytest.raises(UserError, match="closing a sprint needs the server"):
            local.sprints.close("TRK", "Sprint 1")
        assert replica_view(sync) == before  # refused: nothing changed, nothing queued
        third = local.issues.by_key("TRK-3")
        local.sprints.set_sprint([third.id], "sprint 1")  # seen at once in the copy
        made = local.sprints.create_in(local.issues, NewIssue("TRK", "Made offline"), "Sprint 2")
        assert local.sprints.names_of([third.id, made.id]) == {
            third.id: "Sprint 1",
            made.id: "Sprint 2",
        }
    finally:
        local.close()
    report = sync.sync()
    assert (report.pushed, report.conflicts, report.refused) == (3, 0, 0)
    assert replica_view(sync) == server_view(secured, "mem")
    adm = secured.services("adm")
    issues = adm.issues.search(IssueFilter(), sort="key")
    assert adm.sprints.names_of([i.id for i in issues]) == {
        issues[0].id: "Sprint 1",
        issues[1].id: "Sprint 1",
        issues[2].id: "Sprint 1",
        issues[3].id: "Sprint 2",
    }
    # The server's history says who planned them: the member, in the pushed actions.
    planned = [c for c in adm.feed.changes_since(0, limit=1000) if c.field == "sprint"]
    assert [c.actor for c in planned[-2:]] == [secured.logins["mem"]] * 2


def test_an_offline_sprint_change_meeting_another_is_a_conflict(
    secured: Secured, tmp_path: Path
) -> None:
    _plan(secured)
    sync = engine(secured, "mem", tmp_path)
    sync.sync()
    local = sync.local_services()
    try:
        third = local.issues.by_key("TRK-3")
        local.sprints.set_sprint([third.id], "Sprint 1")
    finally:
        local.close()
    adm = secured.services("adm")
    adm.sprints.set_sprint([adm.issues.by_key("TRK-3").id], "Sprint 2")  # meanwhile
    report = sync.sync()
    assert (report.pushed, report.conflicts) == (1, 1)
    assert adm.sprints.names_of([adm.issues.by_key("TRK-3").id]).popitem()[1] == "Sprint 2"
    assert replica_view(sync) == server_view(secured, "mem")  # theirs, until settled


def test_the_windows_copy_queues_planning_and_the_next_sync_sends_it(
    secured: Secured, tmp_path: Path
) -> None:
    _plan(secured)
    sync = engine(secured, "mem", tmp_path)
    sync.sync()
    local = sync.local_services(online=True)  # the window's services
    try:
        third = local.issues.by_key("TRK-3")
        local.sprints.set_sprint([third.id], "Sprint 1")
        assert local.sprints.names_of([third.id]) == {third.id: "Sprint 1"}
        assert sync.sync().pushed == 1
        # Sprint admin is the server's to decide: a member is refused there, in its words.
        with pytest.raises(PermissionDeniedError, match="needs admin"):
            local.sprints.add("TRK", "Sprint 3", "2026-02-02", "2026-02-13")
    finally:
        local.close()
    assert replica_view(sync) == server_view(secured, "mem")
