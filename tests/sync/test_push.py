"""Outbox and push, two clients in one process: per-field merging, conflicts and their
resolution, issues made offline, refusals, and a push whose answer was lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.secured import Secured, superuser
from tests.sync.helpers import engine, replica_view, server_view
from tracker_gui.domain.enums import LinkKind
from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.services import open_services
from tracker_gui.services.sync import SyncService
from tracker_gui.services.sync_push import _Maps, push_one
from tracker_gui.storage.postgres import provision
from tracker_gui.storage.replica import outbox

pytestmark = pytest.mark.postgres


@pytest.fixture
def two(secured: Secured, tmp_path: Path) -> tuple[SyncService, SyncService]:
    adm = secured.services("adm")
    adm.issues.create(NewIssue("TRK", "Login crash"))
    secured.close()
    a, b = engine(secured, "mem", tmp_path / "a"), engine(secured, "adm", tmp_path / "b")
    a.sync()
    b.sync()
    return a, b


def _edit(sync: SyncService, key: str, **changes: object) -> None:
    local = sync.local_services()
    try:
        issue = local.issues.by_key(key)
        local.issues.edit(issue.id, issue.version, changes)
    finally:
        local.close()


def _issue(sync: SyncService, key: str) -> tuple[str, str]:
    local = sync.local_services()
    try:
        issue = local.issues.by_key(key)
        return issue.title, issue.priority.label
    finally:
        local.close()


def test_edits_of_different_fields_are_both_kept(
    secured: Secured, two: tuple[SyncService, SyncService]
) -> None:
    a, b = two
    _edit(a, "TRK-1", title="Login crash on Wayland")
    _edit(b, "TRK-1", priority="high")
    assert a.status().waiting == 1
    first, second = a.sync(), b.sync()
    assert (first.pushed, first.conflicts, second.pushed, second.conflicts) == (1, 0, 1, 0)
    a.sync()
    assert _issue(a, "TRK-1") == _issue(b, "TRK-1") == ("Login crash on Wayland", "high")
    assert replica_view(a) == server_view(secured, "mem")
    assert replica_view(b) == server_view(secured, "adm")
    with superuser(secured) as conn:
        tagged = conn.execute(
            "SELECT field, origin IS NOT NULL, op_id IS NOT NULL FROM change"
            " WHERE field IN ('title', 'priority') ORDER BY id"
        ).fetchall()
    assert tagged == [("title", True, True), ("priority", True, True)]


def test_the_same_field_is_one_conflict_on_the_later_pusher_and_resolving_converges(
    secured: Secured, two: tuple[SyncService, SyncService]
) -> None:
    a, b = two
    _edit(a, "TRK-1", title="Title by A")
    _edit(b, "TRK-1", title="Title by B")
    assert a.sync().conflicts == 0
    report = b.sync()
    assert (report.pushed, report.conflicts, report.waiting) == (1, 1, 0)
    [entry] = b.conflicts()
    assert (entry.key, entry.field, entry.kind) == ("TRK-1", "title", "conflict")
    assert (entry.base, entry.mine, entry.theirs) == ("Login crash", "Title by B", "Title by A")
    assert entry.theirs_by == secured.logins["mem"] and entry.theirs_at is not None
    assert _issue(b, "TRK-1")[0] == "Title by A"  # the replica shows the server's value
    assert a.conflicts() == []
    b.resolve(entry.id, keep="mine")
    assert b.conflicts() == [] and b.status().waiting == 1
    assert b.sync().conflicts == 0
    a.sync()
    assert _issue(a, "TRK-1")[0] == _issue(b, "TRK-1")[0] == "Title by B"
    assert replica_view(a) == server_view(secured, "mem")


def test_an_issue_made_offline_gets_its_real_key_everywhere(
    secured: Secured, two: tuple[SyncService, SyncService]
) -> None:
    a, _ = two
    local = a.local_services()
    try:
        made = local.issues.create(
            NewIssue("TRK", "Made offline", description="dup of TRK-~1?",
                     watchers=(secured.logins["mem"],))
        )  # fmt: skip
        assert made.key == "TRK-~1"
        local.issues.link(local.issues.by_key("TRK-1").id, LinkKind.RELATES, "TRK-~1")
        local.issues.comment(made.id, "see TRK-~1 and TRK-1")
        assert [i.key for i in local.issues.search(IssueFilter(query="key:TRK-~1"))] == ["TRK-~1"]
    finally:
        local.close()
    report = a.sync()
    assert (report.pushed, report.conflicts, report.refused) == (3, 0, 0), a.conflicts()
    local = a.local_services()
    try:
        real = local.issues.by_key("TRK-~1")  # the provisional key still resolves
        assert real.key == "TRK-2" and real.description == "dup of TRK-2?"
        detail = local.issues.detail(real.id)
        assert [c.body for c in detail.comments] == ["see TRK-2 and TRK-1"]
        assert [lk.other_key for lk in detail.links] == ["TRK-1"]
        assert detail.watchers == (secured.logins["mem"],)
    finally:
        local.close()
    assert replica_view(a) == server_view(secured, "mem")


def test_a_member_demoted_while_offline_gets_refusals_and_the_servers_state(
    secured: Secured, two: tuple[SyncService, SyncService]
) -> None:
    a, _ = two
    _edit(a, "TRK-1", title="Edited while a member")
    local = a.local_services()
    try:
        local.issues.comment(local.issues.by_key("TRK-1").id, "a comment")
    finally:
        local.close()
    boss = open_services(secured.super_url)
    try:
        provision.grant(boss.database, secured.logins["mem"], "TRK", "viewer")
    finally:
        boss.close()
    report = a.sync()
    assert (report.pushed, report.refused, report.waiting) == (0, 2, 0)
    entries = a.conflicts()
    assert [(e.kind, e.field) for e in entries] == [("refused", "title"), ("refused", None)]
    assert all("not allowed" in e.message or "may not" in e.message for e in entries), entries
    assert entries[0].mine == "Edited while a member" and entries[1].mine == "a comment"
    assert _issue(a, "TRK-1")[0] == "Login crash"
    assert replica_view(a) == server_view(secured, "mem")
    a.resolve(entries[0].id, dismiss=True)
    assert len(a.conflicts()) == 1


def test_a_push_whose_answer_was_lost_is_not_applied_twice(
    secured: Secured, two: tuple[SyncService, SyncService]
) -> None:
    a, _ = two
    local = a.local_services()
    try:
        local.issues.comment(local.issues.by_key("TRK-1").id, "only once")
    finally:
        local.close()
    replica = a.open_replica()
    srv = secured.services("mem")
    try:
        with replica.reading():
            [op] = outbox.pending(replica)
            push_one(srv, op, "00000000-0000-4000-8000-000000000000", _Maps(replica))
    finally:
        replica.close()
    # The server committed; the replica never heard (its outbox still holds the op).
    assert a.status().waiting == 1
    assert a.sync().pushed == 1
    with superuser(secured) as conn:
        count = conn.execute("SELECT count(*) FROM comment WHERE body = 'only once'").fetchone()
    assert count == (1,)
    assert a.status().waiting == 0


def test_a_move_made_offline_lands_without_a_conflict_over_its_position(
    secured: Secured, two: tuple[SyncService, SyncService]
) -> None:
    a, b = two
    local = a.local_services()
    try:
        issue = local.issues.by_key("TRK-1")
        local.issues.transition(issue.id, issue.version, "In Progress")
        made = local.issues.create(NewIssue("TRK", "Made and moved offline"))
        local.issues.transition(made.id, made.version, "Done")
    finally:
        local.close()
    adm = secured.services("adm")  # meanwhile a card lands in both columns on the server
    for status in ("To Do", "In Progress", "Done"):
        there = adm.issues.create(NewIssue("TRK", f"Already in {status}"))
        if status != "To Do":
            adm.issues.transition(there.id, there.version, status)
    report = a.sync()
    assert (report.pushed, report.conflicts, report.refused) == (3, 0, 0), a.conflicts()
    b.sync()
    local = b.local_services()
    try:
        names = {
            s.id: s.name for s in local.projects.statuses(local.issues.by_key("TRK-1").project_id)
        }
        assert names[local.issues.by_key("TRK-1").status_id] == "In Progress"
        assert names[local.issues.by_key("TRK-5").status_id] == "Done"
    finally:
        local.close()


def test_the_status_says_syncing_while_another_process_holds_the_lock(
    two: tuple[SyncService, SyncService],
) -> None:
    from tracker_gui.storage.replica import lock

    a, _ = two
    assert a.status().state == "synced"
    with lock.held(a.path):  # as a sync in another process would
        assert a.status().state == "syncing"
    assert a.status().state == "synced"
