"""Is the database server still there? A cheap ping that also replaces a dead connection."""

from __future__ import annotations

import contextlib
import logging

import peewee

from tracker_gui.storage.database import Database

log = logging.getLogger(__name__)


def _drop(db: peewee.Database) -> None:
    """Forget a dead connection so the next use opens a new one (closing it may raise)."""
    with contextlib.suppress(Exception):
        db.close()
    if not db.is_closed():
        db.dispose()  # still "in a transaction" on a dead socket: reset peewee's state


def _select_one(db: peewee.Database) -> None:
    if db.is_closed():
        db.connect()
    db.execute_sql("SELECT 1").fetchone()


def ping(database: Database) -> bool:
    """True when a query goes through; on a dead connection, one reconnect is tried.

    A local SQLite file is always there. Never raises: a failure is simply False.
    """
    if database.is_sqlite:
        return True
    db = database.peewee
    with database.bound():
        for attempt in (1, 2):
            try:
                _select_one(db)
                return True
            except Exception as exc:  # every driver failure means "not now"
                log.info("ping %s (attempt %d): %s", database.label, attempt, exc)
                _drop(db)
    return False
