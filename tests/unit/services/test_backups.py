"""Rotating backups: checked copies, rotation, listing, a safe restore, one before each import."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.errors import StorageError
from tracker_gui.interchange import import_csv
from tracker_gui.services import Services, open_services
from tracker_gui.services.backups import BackupService
from tracker_gui.storage.backup import backups_dir


@pytest.fixture
def local(tmp_path: Path) -> Iterator[Services]:
    """A SQLite file (backups are for local files; PostgreSQL is tested at the end)."""
    services = open_services(str(tmp_path / "tracker-1.db"), create=True, actor="alice")
    services.projects.ensure_project("TRK", "Tracker")
    services.issues.create(NewIssue("TRK", "keep me"))
    yield services
    services.close()


def test_a_backup_is_a_checked_copy_in_the_backups_folder(local: Services) -> None:
    info = BackupService(local.database).backup_now()
    assert info.path.parent == backups_dir()
    assert info.path.name.startswith("tracker-1-") and info.path.name.endswith("-manual.db")
    conn = sqlite3.connect(info.path)
    assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    assert conn.execute("SELECT title FROM issue").fetchall() == [("keep me",)]
    conn.close()
    assert not list(backups_dir().glob("*.partial"))


def test_only_the_last_n_are_kept_newest_first(local: Services) -> None:
    service = BackupService(local.database, keep=3)
    made = [service.backup_now().path for _ in range(5)]
    listed = service.list_backups()
    assert [b.path for b in listed] == made[::-1][:3]
    assert all(b.issues == 1 for b in listed)
    assert not made[0].exists() and not made[1].exists()


def test_due_when_none_yet_or_the_last_is_old(local: Services) -> None:
    service = BackupService(local.database)
    assert service.due()
    service.backup_now("auto")
    assert not service.due()
    assert service.due(every=dt.timedelta(0))


def test_restore_brings_the_backup_back_and_keeps_what_was_there(local: Services) -> None:
    service = BackupService(local.database)
    saved = service.backup_now().path
    local.issues.create(NewIssue("TRK", "made after the backup"))
    before = service.restore(saved)
    titles = sorted(i.title for i in local.issues.search(_all(local)))
    assert titles == ["keep me"]
    conn = sqlite3.connect(before.path)
    rows = sorted(r[0] for r in conn.execute("SELECT title FROM issue"))
    conn.close()
    assert rows == ["keep me", "made after the backup"]
    assert before.reason == "before-restore"


def test_restoring_the_oldest_backup_at_the_keep_limit_keeps_it(local: Services) -> None:
    service = BackupService(local.database, keep=3)
    made = [service.backup_now().path for _ in range(3)]
    local.issues.create(NewIssue("TRK", "made after the backups"))
    before = service.restore(made[0])  # the oldest: pruning first would delete it
    assert [i.title for i in local.issues.search(_all(local))] == ["keep me"]
    listed = [b.path for b in service.list_backups()]
    assert made[0] in listed and made[0].exists()  # the one just restored
    assert listed[0] == before.path  # the newest good one: what was there before
    # Pruned after the restore: the keep limit holds for the others.
    assert listed == [before.path, made[2], made[0]]
    again = service.restore(made[0])  # and it can be restored once more
    assert made[0].exists() and again.path.exists()


def test_a_failed_restore_prunes_nothing(local: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    from tracker_gui.storage import backup

    service = BackupService(local.database, keep=2)
    made = [service.backup_now().path for _ in range(2)]

    def broken(database: object, source: Path) -> None:
        raise StorageError("the disk is full")

    monkeypatch.setattr(backup, "restore_into", broken)
    with pytest.raises(StorageError, match="the disk is full"):
        service.restore(made[0])
    assert all(p.exists() for p in made)
    assert [b.reason for b in service.list_backups()] == ["before-restore", "manual", "manual"]


def test_a_damaged_backup_is_refused_and_nothing_changes(local: Services, tmp_path: Path) -> None:
    service = BackupService(local.database)
    good = service.backup_now().path
    bad = tmp_path / "bad.db"
    data = bytearray(good.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page + 100 : page * 2 - 100] = b"\xff" * (page - 200)  # smash page 2
    bad.write_bytes(bytes(data))
    count = len(service.list_backups())
    with pytest.raises(StorageError, match="is damaged"):
        service.restore(bad)
    assert [i.title for i in local.issues.search(_all(local))] == ["keep me"]
    assert len(service.list_backups()) == count  # refused before backing anything up
    with pytest.raises(StorageError, match="no backup at"):
        service.restore(tmp_path / "missing.db")


def test_an_import_is_preceded_by_a_backup(local: Services, tmp_path: Path) -> None:
    csv = tmp_path / "few.csv"
    csv.write_text("Summary\nfirst\nsecond\n", encoding="utf-8")
    import_csv(local, csv, project="TRK")
    (before,) = BackupService(local.database).list_backups()
    assert before.reason == "before-import"
    assert before.issues == 1


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres"])
def test_postgres_backups_are_refused_with_a_hint(
    backend: str, make_services: Callable[..., Services]
) -> None:
    services = make_services("alice")
    assert not services.database.is_sqlite
    service = BackupService(services.database)
    assert service.list_backups() == [] and not service.due()
    with pytest.raises(StorageError, match="pg_dump"):
        service.backup_now()


def _all(services: Services) -> IssueFilter:
    return IssueFilter(include_archived=True)


def test_rotation_never_removes_the_backup_just_taken(local: Services) -> None:
    service = BackupService(local.database, keep=1)
    first = service.backup_now().path
    # A file dated in the future (a clock that was wrong) sorts first: it must not push the
    # backup just taken, the newest good one, out of the keep limit.
    future = backups_dir() / "tracker-1-29991231-235959-000000-manual.db"
    future.write_bytes(b"not a database")
    made = service.backup_now().path
    assert made.exists()
    assert [b.path for b in service.list_backups()] == [future, made]
    assert not first.exists()
