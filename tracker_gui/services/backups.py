"""Backups of the local database: take one now, list them, restore one safely."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from tracker_gui.errors import StorageError
from tracker_gui.storage import backup, ownership
from tracker_gui.storage.backup import DEFAULT_KEEP, BackupInfo
from tracker_gui.storage.database import Database, is_url, migrate, quick_check_problems

log = logging.getLogger(__name__)

__all__ = ["BackupInfo", "BackupService"]


class BackupService:
    """Rotating backups of one open SQLite database (PostgreSQL: the server's job)."""

    def __init__(self, database: Database, keep: int = DEFAULT_KEEP) -> None:
        self.database = database
        self.keep = keep

    @property
    def available(self) -> bool:
        return self.database.is_sqlite

    def backup_now(self, reason: str = "manual", dest: Path | None = None) -> BackupInfo:
        """A checked copy; into the backups folder (rotated to `keep`) unless `dest` is given."""
        path = backup.take(self.database, reason, dest)
        if dest is None:
            # The copy just checked is the newest good one, whatever the folder's names say.
            backup.rotate(self.database, self.keep, spare=(path,))
        return BackupInfo(path, dt.datetime.now(), reason, path.stat().st_size, None)

    def list_backups(self) -> list[BackupInfo]:
        return backup.listing(self.database) if self.available else []

    def last_backup_age(self) -> dt.timedelta | None:
        found = backup.listing(self.database, count_issues=False) if self.available else []
        return dt.datetime.now() - found[0].taken_at if found else None

    def due(self, every: dt.timedelta = dt.timedelta(days=1)) -> bool:
        """Whether a scheduled backup should run now: none yet, or the last is too old."""
        if not self.available:
            return False
        age = self.last_backup_age()
        return age is None or age >= every

    def restore(self, source: Path) -> BackupInfo:
        """Replace the database with `source`; the current content is backed up first.

        The backup is checked before anything is touched; the copy into the live file is one
        transaction. Returns the backup of what was there before.
        """
        source = Path(source).expanduser()
        if not source.is_file():
            raise StorageError(f"no backup at {source}", "run `tracker-gui backups` to list them")
        ownership.check_backup_source(source)  # before the safety copy: nothing is written
        problems = quick_check_problems(source)
        if problems:
            raise StorageError(f"{source} is damaged: {problems[0]}", "pick another backup")
        # Not rotated yet: pruning now could delete `source` itself (the oldest) before it is read.
        path = backup.take(self.database, "before-restore")
        before = BackupInfo(path, dt.datetime.now(), "before-restore", path.stat().st_size, None)
        backup.restore_into(self.database, source)
        # An older backup may predate the current schema.
        migrate(self.database)
        # Only after a restore that worked, and never the backup just restored nor `before`.
        backup.rotate(self.database, self.keep, spare=(source, path))
        log.info("restored %s from %s (previous content in %s)", self.database.label, source,
                 before.path)  # fmt: skip
        return before


def restore_damaged(target: str, source: Path) -> Path:
    """Restore over a local file too damaged to open; returns where the damaged file went."""
    return backup.replace_damaged(Path(target), source)


def is_damaged(target: str) -> bool:
    """Whether `target` is a local file that SQLite's quick_check finds damaged."""
    path = Path(target).expanduser()
    return not is_url(target) and path.is_file() and bool(quick_check_problems(path))
