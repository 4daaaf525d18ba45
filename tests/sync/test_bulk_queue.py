"""Writes on the offline copy beyond single-field edits: a multi-card move is queued as one
action; the window's deletes and unlinks go to the server when it answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.pgtcp import TcpCluster
from tests.support.secured import Secured, superuser
from tests.sync.helpers import engine
from tracker_gui.domain.enums import LinkKind
from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.errors import UserError

pytestmark = pytest.mark.postgres


def test_a_bulk_move_on_the_copy_reaches_the_server_as_one_change_set(
    secured: Secured, tmp_path: Path
) -> None:
    adm = secured.services("adm")
    for title in ("One", "Two", "Three"):
        adm.issues.create(NewIssue("TRK", title))
    secured.close()
    mem = engine(secured, "mem", tmp_path / "mem")
    mem.sync()
    local = mem.local_services()
    try:
        issues = sorted(local.issues.search(IssueFilter()), key=lambda i: i.number)
        done = next(s for s in local.projects.statuses(issues[0].project_id) if s.name == "Done")
        moved = local.issues.bulk_move([(i.id, i.version, done.id) for i in issues[:2]])
        assert {i.title for i in moved} == {"One", "Two"}
    finally:
        local.close()
    assert mem.status().waiting == 2  # one entry per moved issue, one action
    report = mem.sync()
    assert (report.pushed, report.conflicts, report.refused) == (2, 0, 0)
    with superuser(secured) as conn:
        rows = conn.execute(
            "SELECT i.title, s.name, c.change_set FROM change AS c"
            " JOIN issue AS i ON i.id = c.issue_id JOIN status AS s ON s.id = i.status_id"
            " WHERE c.field = 'status' ORDER BY i.title"
        ).fetchall()
    assert [(r[0], r[1]) for r in rows] == [("One", "Done"), ("Two", "Done")]
    assert len({r[2] for r in rows}) == 1  # pushed later, still one change set


def test_the_windows_copy_deletes_and_unlinks_on_the_server_when_it_answers(
    secured: Secured, tmp_path: Path, pg_tcp_cluster: TcpCluster
) -> None:
    adm = secured.services("adm")
    gone = adm.issues.create(NewIssue("TRK", "Duplicate of the login crash"))
    kept = adm.issues.create(NewIssue("TRK", "Login crash"))
    adm.issues.link(kept.id, LinkKind.RELATES, gone.key)
    secured.close()
    sync = engine(secured, "adm", tmp_path / "adm")
    sync.sync()
    window = sync.local_services(online=True)
    try:
        window.issues.unlink(kept.id, LinkKind.RELATES, gone.key)
        here = window.issues.get(gone.id)
        window.issues.delete(here.id, here.version)
        assert [i.title for i in window.issues.search(IssueFilter())] == ["Login crash"]
        assert not window.issues.detail(kept.id).links
    finally:
        window.close()
    server = secured.services("adm")
    assert [i.title for i in server.issues.search(IssueFilter())] == ["Login crash"]
    secured.close()

    pg_tcp_cluster.halt()
    try:
        window = sync.local_services(online=True)
        try:
            issue = window.issues.get(kept.id)
            with pytest.raises(UserError, match="deleting an issue needs the server"):
                window.issues.delete(issue.id, issue.version)
            assert window.issues.get(kept.id).title == "Login crash"  # nothing done here
        finally:
            window.close()
    finally:
        pg_tcp_cluster.resume()
