"""Turn a database made by today's app into one made before some migrations: those undone."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import peewee

from tracker_gui.storage import database as database_module

# What the release before the ownership marks lacked. Later migrations (0007 bigint ids,
# 0008 value checks) touch nothing of these two, so they may stay applied; 0009 indexes the
# change sets 0006 added, so it goes too, and 0010, which rebuilds 0009's full-text index.
BEFORE_MARKS_LACKED = (
    "0005_tracker_meta",
    "0006_change_set",
    "0009_fts_external",
    "0010_lean_storage",
)


def undo_migrations(target: Path | str, names: tuple[str, ...] = BEFORE_MARKS_LACKED) -> None:
    """Run `down()` of each named migration, newest first, and drop its record, so the file
    or database looks as one made without them (data written by today's services stays)."""
    if isinstance(target, Path) or not database_module.is_url(str(target)):
        db: peewee.Database = peewee.SqliteDatabase(str(target))
    else:
        dbname, params, _ = database_module._postgres_params(str(target))
        db = peewee.PostgresqlDatabase(dbname, **params)
    with db.atomic():
        for name in sorted(names, reverse=True):
            path = database_module.MIGRATIONS_DIR / f"{name}.py"
            spec = importlib.util.spec_from_file_location(f"undo_{name}", path)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            module.down(None, db)
            gone = db.execute_sql(f"DELETE FROM schema_migration WHERE name = {db.param}", (name,))
            assert gone.rowcount == 1, name
    db.close()
