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


class IssueRowV1(tables.IssueRow):
    """The issue as version 1 made it: without version 13's remaining time."""

    remaining_minutes = None  # a name in the class body that is no field: not inherited

    class Meta:
        table_name = "issue"


class ProjectRowV1(tables.ProjectRow):
    """The project as version 1 made it: without version 13's work calendar."""

    work_day_minutes = None
    week_days = None

    class Meta:
        table_name = "project"


_V1 = {tables.ChangeRow: ChangeRowV1, tables.IssueRow: IssueRowV1, tables.ProjectRow: ProjectRowV1}
_LATER = (tables.WorklogRow,)  # tables later versions create
VERSION_1 = tuple(_V1.get(t, t) for t in tables.ALL_TABLES if t not in _LATER)


def up(migrator, db):
    # Every model is in the list: binding refs or backrefs would, on leaving, rebind the
    # current tables (backrefs of ProjectRow) to whatever the copy was bound to (nothing).
    with db.bind_ctx(VERSION_1, bind_refs=False, bind_backrefs=False):
        # In the tables module's order (parents first): create_tables would sort by name,
        # and the copies' references name the current classes, not the copies.
        for model in VERSION_1:
            model.create_table()
