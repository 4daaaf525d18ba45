"""Version 1: every table of tracker_gui.storage.tables as first released.

The tables module is the schema of version 1. When a later migration changes
a table, copy the affected model into this file first so version 1 stays fixed.
"""

from peewee import BigAutoField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from tracker_gui.storage import tables


class ChangeRowV1(tables.Base):
    """The Change log as version 1 made it (version 6 adds change_set)."""

    id = BigAutoField()
    project = ForeignKeyField(tables.ProjectRow, on_delete="CASCADE", backref="+")
    issue_id = IntegerField(null=True, index=True)
    actor = CharField(max_length=63)
    at = DateTimeField(default=tables.utcnow)
    field = CharField(max_length=40)
    old = TextField(null=True)
    new = TextField(null=True)

    class Meta:
        table_name = "change"
        indexes = ((("project", "id"), False),)


VERSION_1 = tuple(ChangeRowV1 if t is tables.ChangeRow else t for t in tables.ALL_TABLES)


def up(migrator, db):
    # Every model is in the list: binding refs or backrefs would, on leaving, rebind the
    # current tables (backrefs of ProjectRow) to whatever the copy was bound to (nothing).
    with db.bind_ctx(VERSION_1, bind_refs=False, bind_backrefs=False):
        db.create_tables(VERSION_1)
