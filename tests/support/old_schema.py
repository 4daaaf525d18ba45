"""Turn a database made by today's app into one an older release left: later migrations undone."""

from __future__ import annotations

from pathlib import Path

import peewee
from playhouse.migrations import Runner

from tracker_gui.storage import database as database_module


def undo_migrations_from(target: Path | str, first_undone: str) -> None:
    """Run `down()` of every applied migration from `first_undone` on, newest first, and drop
    their records, so the file or database is what the release before `first_undone` made
    (data written by today's services stays; columns those migrations added go)."""
    if isinstance(target, Path) or not database_module.is_url(str(target)):
        db: peewee.Database = peewee.SqliteDatabase(str(target))
    else:
        dbname, params, _ = database_module._postgres_params(str(target))
        db = peewee.PostgresqlDatabase(dbname, **params)
    runner = Runner(db, str(database_module.MIGRATIONS_DIR), table_name="schema_migration")
    with db.atomic():
        undone = runner.down(first_undone)
    db.close()
    assert undone and undone[-1] == first_undone, undone
