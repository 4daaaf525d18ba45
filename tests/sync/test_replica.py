"""The replica: a file of its own holding exactly what the login may read, kept up to date by
re-reading the rows the change log names."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.support.attacks import PASSWORD
from tests.support.secured import Secured, superuser
from tests.sync.helpers import engine, replica_view, server_view, tcp_url
from tracker_gui.domain.enums import StatusCategory
from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.errors import ConnectionFailedError, NotADatabaseError
from tracker_gui.services import open_services
from tracker_gui.services.sync import SyncService
from tracker_gui.storage.postgres import provision

pytestmark = pytest.mark.postgres


def _fill(db: Secured) -> None:
    adm = db.services("adm")
    one = adm.issues.create(NewIssue("TRK", "Login crash", description="Stack trace inside"))
    adm.issues.create(NewIssue("TRK", "Export is slow", parent_key=one.key))
    adm.issues.comment(one.id, "first comment " + "x" * 400)  # longer than a Change row keeps
    boss = open_services(db.super_url)
    try:
        boss.issues.create(NewIssue("OPS", "Secret ops plan"))
    finally:
        boss.close()


def test_first_sync_copies_exactly_what_the_login_may_read(
    secured: Secured, tmp_path: Path
) -> None:
    _fill(secured)
    sync = engine(secured, "mem", tmp_path)
    seen: list[tuple[int, int]] = []
    report = sync.sync(progress=lambda done, total: seen.append((done, total)))
    assert report.offline is False and report.pulled > 0 and report.pushed == 0
    assert seen[-1][0] == seen[-1][1]
    assert replica_view(sync) == server_view(secured, "mem")
    local = sync.local_services()
    try:
        assert [p.key for p in local.projects.projects(True)] == ["TRK"]  # OPS is not theirs
        found = local.issues.search(IssueFilter(text="stack trace"))
        assert [i.title for i in found] == ["Login crash"]  # full-text search works on it
        detail = local.issues.detail(local.issues.by_key("TRK-1").id)
        assert detail.comments[0].body.endswith("x" * 400)  # the row, not the cut Change text
        assert detail.children[0].title == "Export is slow"
    finally:
        local.close()
    assert stat.S_IMODE(sync.path.stat().st_mode) == 0o600
    assert PASSWORD.encode() not in sync.path.read_bytes()
    assert b"Secret ops plan" not in sync.path.read_bytes()


def test_a_replica_is_refused_as_a_database(secured: Secured, tmp_path: Path) -> None:
    sync = engine(secured, "mem", tmp_path)
    sync.sync()
    with pytest.raises(NotADatabaseError, match="offline copy of a team database"):
        open_services(sync.path)


def test_later_syncs_reread_the_rows_the_log_names(secured: Secured, tmp_path: Path) -> None:
    _fill(secured)
    sync = engine(secured, "vie", tmp_path)
    sync.sync()
    adm = secured.services("adm")
    one = adm.issues.by_key("TRK-1")
    adm.issues.edit(one.id, one.version, {"title": "Login crash on Wayland", "labels": ["ui"]})
    adm.issues.comment(one.id, "second " + "y" * 300)
    two = adm.issues.by_key("TRK-2")
    adm.issues.delete(two.id, two.version)
    adm.issues.create(NewIssue("TRK", "A new one"))
    adm.projects.add_status(one.project_id, "Review", StatusCategory.IN_PROGRESS)
    report = sync.sync()
    assert report.pulled >= 6
    assert replica_view(sync) == server_view(secured, "vie")
    again = sync.sync()
    assert again.pulled == 0  # nothing new: nothing counted twice


def test_a_project_the_login_lost_is_removed(secured: Secured, tmp_path: Path) -> None:
    _fill(secured)
    sync = engine(secured, "mem", tmp_path)
    sync.sync()
    boss = open_services(secured.super_url)
    try:
        provision.grant(boss.database, secured.logins["mem"], "TRK", None)
        provision.grant(boss.database, secured.logins["mem"], "OPS", "viewer")
    finally:
        boss.close()
    sync.sync()
    view = replica_view(sync)
    assert view == server_view(secured, "mem")
    assert [r[2] for r in view["issue"]] == [view["project"][0][0]]  # only OPS's issue
    assert b"Login crash" not in sync.path.read_bytes()


def test_unreachable_is_offline_but_a_wrong_password_is_not(
    secured: Secured, tmp_path: Path
) -> None:
    sync = engine(secured, "mem", tmp_path)
    sync.sync()
    report = SyncService(
        f"postgresql://{secured.logins['mem']}@127.0.0.1:1/{secured.name}?connect_timeout=3",
        password=PASSWORD,
        folder=tmp_path,
    ).sync()
    assert report.offline is True and report.waiting == 0
    wrong = SyncService(tcp_url(secured, "mem"), password="not it", folder=tmp_path)
    with pytest.raises(ConnectionFailedError, match="wrong password"):
        wrong.sync()


def test_a_label_made_by_an_edit_on_the_server_reaches_the_copy(
    secured: Secured, tmp_path: Path
) -> None:
    _fill(secured)
    sync = engine(secured, "vie", tmp_path)
    sync.sync()
    adm = secured.services("adm")
    one = adm.issues.by_key("TRK-1")
    adm.issues.edit(one.id, one.version, {"labels": ["brand-new"]})  # no workflow change
    assert sync.sync().pulled >= 1
    assert replica_view(sync) == server_view(secured, "vie")
    local = sync.local_services()
    try:
        assert local.issues.by_key("TRK-1").labels == ("brand-new",)
    finally:
        local.close()


def test_an_app_upgrade_migrates_the_copy_with_its_queue_intact(
    secured: Secured, tmp_path: Path
) -> None:
    """A copy made by the version before sync's migration (0011): opening it migrates it
    and keeps its mark; the change queued in it is still sent."""
    import sqlite3

    _fill(secured)
    sync = engine(secured, "mem", tmp_path)
    sync.sync()
    local = sync.local_services()
    try:
        local.issues.comment(local.issues.by_key("TRK-1").id, "queued before the upgrade")
    finally:
        local.close()
    conn = sqlite3.connect(sync.path)  # back to the schema before 0011
    for statement in (
        'DROP INDEX "change_op_id"', "DROP TABLE sync_op",
        'ALTER TABLE "change" DROP COLUMN "op_id"', 'ALTER TABLE "change" DROP COLUMN "origin"',
        "DELETE FROM schema_migration WHERE name = '0011_sync'",
    ):  # fmt: skip
        conn.execute(statement)
    conn.commit()
    conn.close()
    assert sync.status().waiting == 1  # opening migrates it
    with pytest.raises(NotADatabaseError, match="offline copy"):
        open_services(sync.path)  # still marked as a copy, not a database
    assert sync.sync().pushed == 1
    with superuser(secured) as server:
        sent = server.execute(
            "SELECT count(*) FROM comment WHERE body = 'queued before the upgrade'"
        )
        assert sent.fetchone() == (1,)
    local = sync.local_services()
    try:
        comments = local.issues.detail(local.issues.by_key("TRK-1").id).comments
        assert [c.body for c in comments][-1] == "queued before the upgrade"
    finally:
        local.close()


def test_a_damaged_copy_keeps_its_queue_and_is_copied_afresh(
    secured: Secured, tmp_path: Path
) -> None:
    import sqlite3

    _fill(secured)
    sync = engine(secured, "mem", tmp_path)
    sync.sync()
    local = sync.local_services()
    try:
        local.issues.comment(local.issues.by_key("TRK-1").id, "queued in a copy that broke")
        local.issues.create(NewIssue("TRK", "Made in a copy that broke"))
    finally:
        local.close()
    conn = sqlite3.connect(sync.path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'issue'").fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with sync.path.open("r+b") as fh:  # the issue table's page, overwritten
        fh.seek((root - 1) * size + 8)
        fh.write(b"\xff" * 200)
    report = sync.sync()
    assert (report.pushed, report.conflicts, report.refused, report.waiting) == (2, 0, 0, 0)
    assert replica_view(sync) == server_view(secured, "mem")
    aside = sorted(p.name for p in sync.path.parent.iterdir() if ".damaged-" in p.name)
    assert {n.rsplit(".", 1)[1] for n in aside} >= {"db", "json"}  # kept for a look
    kept = next(p for p in sync.path.parent.iterdir() if p.name.endswith(".json"))
    assert "queued in a copy that broke" in kept.read_text(encoding="utf-8")
    with superuser(secured) as server:
        made = server.execute(
            "SELECT count(*) FROM issue WHERE title = 'Made in a copy that broke'"
        )
        assert made.fetchone() == (1,)


def test_another_database_behind_the_same_url_is_copied_afresh(
    secured: Secured, tmp_path: Path
) -> None:
    _fill(secured)
    sync = engine(secured, "mem", tmp_path)
    sync.sync()
    replica = sync.open_replica()
    try:
        with replica.transaction():  # as if the copy had been made from another database
            replica.peewee.execute_sql("UPDATE replica_meta SET value = '1' WHERE name = 'server'")
            replica.peewee.execute_sql("DELETE FROM issue")
    finally:
        replica.close()
    report = sync.sync()
    assert report.pulled > 1  # the whole log again, not just what is new
    assert replica_view(sync) == server_view(secured, "mem")
