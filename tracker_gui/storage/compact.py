"""Give a SQLite file back the pages a migration freed (VACUUM after the compacting migrations)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import peewee

log = logging.getLogger("tracker_gui.storage.database")

# The migrations that free many of a file's pages (the full-text index's copy of the text;
# the index rebuilt smaller).
COMPACTING_MIGRATIONS = {"0009_fts_external", "0010_lean_storage"}


def after_migrating(database: Any, applied: Iterable[str]) -> None:
    """VACUUM a SQLite file when `applied` holds a compacting migration (outside any
    transaction; the file was backed up before migrating). A failure leaves a correct,
    larger file."""
    if not database.is_sqlite or not COMPACTING_MIGRATIONS & set(applied):
        return
    try:
        database.peewee.execute_sql("VACUUM")
    except peewee.DatabaseError as exc:
        log.warning(
            "VACUUM after migrating %s failed (%s); the file stays larger", database.target, exc
        )
    else:
        log.info("compacted %s after migrating (VACUUM)", database.target)
