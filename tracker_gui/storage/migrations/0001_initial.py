"""Version 1: every table of tracker_gui.storage.tables as first released.

The tables module is the schema of version 1. When a later migration changes
a table, copy the affected model into this file first so version 1 stays fixed.
"""

from tracker_gui.storage import tables


def up(migrator, db):
    with db.bind_ctx(tables.ALL_TABLES):
        db.create_tables(tables.ALL_TABLES)
