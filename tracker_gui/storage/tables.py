"""The peewee tables, unbound: a Database binds them for the duration of each call."""

from __future__ import annotations

import datetime as dt
from typing import Any

from peewee import (
    AutoField,
    BigAutoField,
    BlobField,
    BooleanField,
    CharField,
    CompositeKey,
    DateField,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    SmallIntegerField,
    SqliteDatabase,
    TextField,
)

from tracker_gui.storage.binding import TABLES_DB, target


def rows(query: Any) -> list[Any]:
    """Materialise a query whose rows are tuples or dicts (the stubs type them as models)."""
    return list(query)


def utcnow() -> dt.datetime:
    """Naive UTC: both backends store it the same way, the UI converts to local time."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


_EPOCH = dt.datetime(1970, 1, 1)
_MICROSECOND = dt.timedelta(microseconds=1)


def micros(value: dt.datetime | dt.date | str) -> int:
    """A naive UTC time as whole microseconds since 1970 (a day: its midnight). An aware one
    loses its zone, as the text peewee wrote always did when read back."""
    if type(value) is not dt.datetime:
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        elif not isinstance(value, dt.datetime):
            value = dt.datetime.combine(value, dt.time())
    if value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    return (value - _EPOCH) // _MICROSECOND


def from_micros(value: int) -> dt.datetime:
    return _EPOCH + dt.timedelta(microseconds=value)


class Timestamp(DateTimeField):
    """An issue's created/updated/resolved time. SQLite keeps it as microseconds since 1970
    (an INTEGER: 8 bytes against the 26 of peewee's text, three times on every issue row and
    again in the updated_at index; migration 10 converted older rows); PostgreSQL keeps its
    timestamp. Reads take either form (storage/convert.py)."""

    def db_value(self, value: Any) -> Any:
        if value is not None and isinstance(target(self.model._meta.database), SqliteDatabase):
            return micros(value)
        return super().db_value(value)

    def python_value(self, value: Any) -> Any:
        if type(value) is int:
            return from_micros(value)
        return super().python_value(value)


class Base(Model):
    class Meta:
        legacy_table_names = False
        database = TABLES_DB  # each thread chooses the database behind it (storage/binding.py)


class UserRow(Base):
    id = AutoField()
    username = CharField(max_length=63, unique=True)
    display_name = CharField(max_length=200, default="")
    email = CharField(max_length=254, default="")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "app_user"


class ProjectRow(Base):
    id = AutoField()
    key = CharField(max_length=10, unique=True)
    name = CharField(max_length=200)
    description = TextField(default="")
    next_number = IntegerField(default=1)
    archived = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow)
    # Time tracking (version 13): how long `1d` and `1w` are in this project.
    work_day_minutes = IntegerField(default=480)
    week_days = IntegerField(default=5)

    class Meta:
        table_name = "project"


class StatusRow(Base):
    id = AutoField()
    project = ForeignKeyField(ProjectRow, on_delete="CASCADE", backref="statuses")
    name = CharField(max_length=60)
    category = CharField(max_length=20)
    position = IntegerField()
    wip_limit = IntegerField(null=True)
    colour = CharField(max_length=7, default="")

    class Meta:
        table_name = "status"
        indexes = ((("project", "name"), True),)


class TransitionRow(Base):
    id = AutoField()
    project = ForeignKeyField(ProjectRow, on_delete="CASCADE")
    from_status = ForeignKeyField(StatusRow, on_delete="CASCADE")
    to_status = ForeignKeyField(StatusRow, on_delete="CASCADE")

    class Meta:
        table_name = "transition"
        indexes = ((("project", "from_status", "to_status"), True),)


class SprintRow(Base):
    """A sprint (cycle) of a project (version 12): planned, active (one per project), closed."""

    id = AutoField()
    project = ForeignKeyField(ProjectRow, on_delete="CASCADE")
    name = CharField(max_length=60)
    start_date = DateField()
    end_date = DateField()
    goal = TextField(default="")
    state = CharField(max_length=8, default="planned")
    scope_start = IntegerField(null=True)
    scope_close = IntegerField(null=True)
    done_close = IntegerField(null=True)
    started_at = DateTimeField(null=True)
    closed_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)
    project_id: int

    class Meta:
        table_name = "sprint"


class IssueRow(Base):
    id = AutoField()
    uid = CharField(max_length=36, unique=True)
    project = ForeignKeyField(ProjectRow, on_delete="CASCADE")
    number = IntegerField()
    type = CharField(max_length=10)
    title = CharField(max_length=500)
    description = TextField(default="")
    status = ForeignKeyField(StatusRow, on_delete="RESTRICT")
    priority = SmallIntegerField()
    assignee = ForeignKeyField(UserRow, null=True, on_delete="SET NULL")
    reporter = ForeignKeyField(UserRow, on_delete="RESTRICT")
    parent = ForeignKeyField("self", null=True, on_delete="SET NULL")
    rank = CharField(max_length=255)
    due = DateField(null=True)
    estimate = FloatField(null=True)
    created_at = Timestamp(default=utcnow)
    updated_at = Timestamp(default=utcnow)
    resolved_at = Timestamp(null=True)
    version = IntegerField(default=1)
    archived = BooleanField(default=False)
    sprint = ForeignKeyField(SprintRow, null=True, on_delete="SET NULL")  # version 12
    # Set by hand (version 13); NULL: the estimate minus the time logged.
    remaining_minutes = IntegerField(null=True)

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


class LabelRow(Base):
    id = AutoField()
    project = ForeignKeyField(ProjectRow, on_delete="CASCADE")
    name = CharField(max_length=50)
    colour = CharField(max_length=7, default="")

    class Meta:
        table_name = "label"
        indexes = ((("project", "name"), True),)


class IssueLabelRow(Base):
    issue = ForeignKeyField(IssueRow, on_delete="CASCADE")
    label = ForeignKeyField(LabelRow, on_delete="CASCADE")

    class Meta:
        table_name = "issue_label"
        primary_key = CompositeKey("issue", "label")
        indexes = ((("label", "issue"), False),)


class CommentRow(Base):
    id = AutoField()
    issue = ForeignKeyField(IssueRow, on_delete="CASCADE")
    author = ForeignKeyField(UserRow, on_delete="RESTRICT")
    body = TextField()
    created_at = DateTimeField(default=utcnow)
    edited_at = DateTimeField(null=True)
    author_name: str  # filled by queries that join the author's user name

    class Meta:
        table_name = "comment"
        indexes = ((("issue", "id"), False),)


class LinkRow(Base):
    id = AutoField()
    kind = CharField(max_length=12)
    source = ForeignKeyField(IssueRow, on_delete="CASCADE")
    target = ForeignKeyField(IssueRow, on_delete="CASCADE")
    source_id: int
    target_id: int

    class Meta:
        table_name = "issue_link"
        indexes = ((("source", "kind", "target"), True), (("target",), False))


class WatcherRow(Base):
    issue = ForeignKeyField(IssueRow, on_delete="CASCADE")
    user = ForeignKeyField(UserRow, on_delete="CASCADE")

    class Meta:
        table_name = "watcher"
        primary_key = CompositeKey("issue", "user")
        indexes = ((("user", "issue"), False),)


class SavedFilterRow(Base):
    id = AutoField()
    owner = ForeignKeyField(UserRow, on_delete="CASCADE")
    name = CharField(max_length=60)
    query = TextField()
    owner_name: str  # filled by queries that join the owner's user name

    class Meta:
        table_name = "saved_filter"
        indexes = ((("owner", "name"), True),)


class AttachmentRow(Base):
    id = AutoField()
    issue = ForeignKeyField(IssueRow, on_delete="CASCADE")
    name = CharField(max_length=255)
    size = IntegerField()
    sha256 = CharField(max_length=64)
    data = BlobField()
    uploader = ForeignKeyField(UserRow, on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "attachment"


class ChangeRow(Base):
    """Append-only. `issue_id` is a plain column so history outlives a deleted issue."""

    id = BigAutoField()
    project = ForeignKeyField(ProjectRow, on_delete="CASCADE")
    issue_id = IntegerField(null=True, index=True)
    actor = CharField(max_length=63)
    at = DateTimeField(default=utcnow)
    field = CharField(max_length=40)
    old = TextField(null=True)
    new = TextField(null=True)
    # The UUID of the user action (one service transaction) that wrote the row (version 6).
    change_set = CharField(max_length=36, null=True)
    # The replica that pushed the row and the queued action's op id (version 11); NULL for
    # direct writes and older rows. PostgreSQL also has `txid` (not mapped: the pull reads it).
    origin = CharField(max_length=36, null=True)
    op_id = CharField(max_length=36, null=True)

    class Meta:
        table_name = "change"
        indexes = ((("project", "id"), False),)


class WorklogRow(Base):
    """Time spent on an issue (version 13). On a secured database the server sets `user`."""

    id = AutoField()
    issue = ForeignKeyField(IssueRow, on_delete="CASCADE")
    user = ForeignKeyField(UserRow, on_delete="RESTRICT")
    on_date = DateField()
    minutes = IntegerField()
    note = TextField(default="")
    created_at = DateTimeField(default=utcnow)
    user_name: str  # filled by queries that join the user's name

    class Meta:
        table_name = "worklog"
        indexes = ((("issue", "id"), False), (("user", "on_date"), False))


ALL_TABLES: tuple[type[Base], ...] = (
    UserRow,
    ProjectRow,
    StatusRow,
    TransitionRow,
    IssueRow,
    LabelRow,
    IssueLabelRow,
    CommentRow,
    LinkRow,
    WatcherRow,
    SavedFilterRow,
    AttachmentRow,
    ChangeRow,
    SprintRow,
    WorklogRow,
)
