"""Backups of the local database: list them and restore one (File > Restore from Backup).

These take the BackupService itself, not the store: the restore dialog and the scheduler
work on the file, and a restore replaces what the store shows (the session reopens it).
"""

from __future__ import annotations

from pathlib import Path

from tracker_gui.errors import TrackerError
from tracker_gui.services.backups import BackupInfo, BackupService
from tracker_gui.ui.ops.core import OpResult, message_for


def list_backups(service: BackupService) -> OpResult[list[BackupInfo]]:
    """The backups, newest first."""
    try:
        return OpResult(service.list_backups())
    except TrackerError as exc:
        return OpResult(message=message_for(exc))


def restore(service: BackupService, source: Path) -> OpResult[BackupInfo]:
    """Replace the database with `source`; the value is the backup taken of what was there."""
    try:
        return OpResult(service.restore(source))
    except TrackerError as exc:
        return OpResult(message=f"Nothing was restored: {message_for(exc)}")
