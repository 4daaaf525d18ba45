"""Version 1: every table of tracker_gui.storage.tables as first released.

The tables module is the schema of version 1. When a later migration changes
a table, copy the affected model into this file first so version 1 stays fixed.
"""

from peewee import (
    AutoField,
    BigAutoField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    SmallIntegerField,
    TextField,
)

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


class IssueRowV1(tables.Base):
    """The issue table as version 1 made it (version 12 adds sprint_id)."""

    id = AutoField()
    uid = CharField(max_length=36, unique=True)
    project = ForeignKeyField(tables.ProjectRow, on_delete="CASCADE", backref="+")
    number = IntegerField()
    type = CharField(max_length=10)
    title = CharField(max_length=500)
    description = TextField(default="")
    status = ForeignKeyField(tables.StatusRow, on_delete="RESTRICT", backref="+")
    priority = SmallIntegerField()
    assignee = ForeignKeyField(tables.UserRow, null=True, on_delete="SET NULL", backref="+")
    reporter = ForeignKeyField(tables.UserRow, on_delete="RESTRICT", backref="+")
    parent = ForeignKeyField("self", null=True, on_delete="SET NULL", backref="+")
    rank = CharField(max_length=255)
    due = DateField(null=True)
    estimate = FloatField(null=True)
    created_at = tables.Timestamp(default=tables.utcnow)
    updated_at = tables.Timestamp(default=tables.utcnow)
    resolved_at = tables.Timestamp(null=True)
    version = IntegerField(default=1)
    archived = BooleanField(default=False)

    class Meta:
        table_name = "issue"
        indexes = (
            (("project", "number"), True),
            (("project", "status", "archived", "rank"), False),
            (("assignee", "archived"), False),
            (("reporter",), False),
            (("parent",), False),
            (("updated_at",), False),
        )


class ProjectRowV1(tables.ProjectRow):
    """The project as version 1 made it: without version 13's work calendar."""

    work_day_minutes = None
    week_days = None

    class Meta:
        table_name = "project"


# Tables later versions add: not part of version 1.
LATER = frozenset({"sprint", "worklog"})
_V1 = {tables.ChangeRow: ChangeRowV1, tables.IssueRow: IssueRowV1, tables.ProjectRow: ProjectRowV1}
VERSION_1 = tuple(_V1.get(t, t) for t in tables.ALL_TABLES if t._meta.table_name not in LATER)


def up(migrator, db):
    # Every model is in the list: binding refs or backrefs would, on leaving, rebind the
    # current tables (backrefs of ProjectRow) to whatever the copy was bound to (nothing).
    with db.bind_ctx(VERSION_1, bind_refs=False, bind_backrefs=False):
        # One by one in the listed order (parents first): sorting would put the copies after
        # the tables that reference the originals' names.
        for model in VERSION_1:
            db.create_tables([model])
