"""Sprints in a team member's offline copy: copied, kept up to date, written on the server only."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.secured import Secured
from tests.sync.helpers import engine, replica_view, server_view
from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.domain.sprints import SprintState
from tracker_gui.errors import UserError

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


def test_offline_sprint_writes_are_refused_plainly_and_change_nothing(
    secured: Secured, tmp_path: Path
) -> None:
    _plan(secured)
    sync = engine(secured, "mem", tmp_path)
    sync.sync()
    before = replica_view(sync)
    local = sync.local_services()  # the CLI's offline services: no server to send to
    try:
        third = local.issues.by_key("TRK-3")
        with pytest.raises(UserError, match="planning issues in a sprint needs the server"):
            local.sprints.set_sprint([third.id], "Sprint 1")
        with pytest.raises(UserError, match="adding a sprint needs the server"):
            local.sprints.add("TRK", "Sprint 3", "2026-02-02", "2026-02-13")
        with pytest.raises(UserError, match="closing a sprint needs the server"):
            local.sprints.close("TRK", "Sprint 1")
        with pytest.raises(UserError, match="adding an issue to a sprint needs the server"):
            local.sprints.create_in(local.issues, NewIssue("TRK", "Offline"), "Sprint 1")
    finally:
        local.close()
    assert replica_view(sync) == before


def test_online_the_copy_sends_sprint_writes_to_the_server(
    secured: Secured, tmp_path: Path
) -> None:
    _plan(secured)
    sync = engine(secured, "mem", tmp_path)
    sync.sync()
    local = sync.local_services(online=True)  # the window's services
    try:
        third = local.issues.by_key("TRK-3")
        local.sprints.set_sprint([third.id], "Sprint 1")
        assert local.sprints.names_of([third.id]) == {third.id: "Sprint 1"}  # synced back
    finally:
        local.close()
    assert replica_view(sync) == server_view(secured, "mem")
