"""Bulk issue inserts, and reading back the ids they were given, with today's repository."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from tracker_gui.errors import StorageError
from tracker_gui.services import Services

CHUNK = 500  # issues written before their ids are read back
_ROWS_PER_INSERT = 200  # 19 columns each: well under SQLite's bound-variable limit


def insert_issues(services: Services, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), _ROWS_PER_INSERT):
        services.issues.repo.insert_many(rows[start : start + _ROWS_PER_INSERT])


def ids_by_uid(services: Services, uids: Collection[str]) -> dict[str, int]:
    """uid -> id of issues just written (one indexed look-up per chunk of uids)."""
    ids = services.issues.repo.ids_by_uid(uids)
    if len(ids) != len(uids):
        _unread()
    return ids


def ids_by_number(services: Services, project_id: int, numbers: list[int]) -> dict[int, int]:
    """number -> id of issues just written: one range scan of the (project, number) index.

    Only for numbers from a block the import reserved, so the range holds no one else's.
    """
    ids = services.issues.repo.ids_by_number(project_id, min(numbers), max(numbers))
    if len(ids) != len(numbers) or any(n not in ids for n in numbers):
        _unread()
    return ids


def _unread() -> None:
    raise StorageError(
        "the import could not read back the issues it wrote; nothing was imported",
        "please report this as a bug",
    )
