"""Rows to domain dataclasses: the only place that knows both shapes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from tracker_gui.domain.enums import IssueType, LinkKind, Priority, StatusCategory, stored
from tracker_gui.domain.models import (
    Change,
    Comment,
    Issue,
    Label,
    Link,
    Project,
    SavedFilter,
    Status,
    Transition,
    User,
)
from tracker_gui.storage.tables import ChangeRow, from_micros


def _date(value: Any) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    return dt.date.fromisoformat(str(value)[:10])


def _time(value: Any) -> dt.datetime:
    if type(value) is str:  # SQLite's text (comments, the Change log...)
        return dt.datetime.fromisoformat(value)
    if type(value) is int:  # an issue's times on SQLite (tables.Timestamp)
        return from_micros(value)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo else value
    return dt.datetime.fromisoformat(str(value))


def _opt_time(value: Any) -> dt.datetime | None:
    return None if value is None else _time(value)


def user(row: Any) -> User:
    return User(row.id, row.username, row.display_name or row.username, row.email or "")


def project(row: Any) -> Project:
    return Project(
        row.id, row.key, row.name, row.description or "", bool(row.archived), row.next_number
    )


def status(row: Any) -> Status:
    return Status(
        id=row.id,
        project_id=row.project_id,
        name=row.name,
        category=stored(StatusCategory, row.category),
        position=row.position,
        wip_limit=row.wip_limit,
        colour=row.colour or "",
    )


def transition(row: Any) -> Transition:
    return Transition(row.project_id, row.from_status_id, row.to_status_id)


def label(row: Any) -> Label:
    return Label(row.id, row.project_id, row.name, row.colour or "")


# Members by stored value: the enum's own constructor cost more than the rest of a row
# (a list of a few hundred issues spent a third of its Python time there).
_TYPES: dict[Any, IssueType] = {t.value: t for t in IssueType}
_PRIORITIES: dict[Any, Priority] = {int(p): p for p in Priority}


def issue(row: Sequence[Any], labels: tuple[str, ...] = ()) -> Issue:
    """`row` is a driver tuple in filtering.ISSUE_COLUMNS order, optionally then description."""
    (
        issue_id,
        uid,
        project_id,
        number,
        kind,
        title,
        status_id,
        priority,
        rank,
        parent_id,
        due,
        estimate,
        created_at,
        updated_at,
        resolved_at,
        version,
        archived,
        project_key,
        assignee,
        reporter,
        *rest,
    ) = row
    return Issue(
        id=issue_id,
        uid=uid,
        project_id=project_id,
        project_key=project_key,
        number=number,
        type=_TYPES.get(kind) or stored(IssueType, kind),
        title=title,
        status_id=status_id,
        priority=_PRIORITIES.get(priority) or stored(Priority, priority),
        rank=rank,
        reporter=reporter,
        created_at=_time(created_at),
        updated_at=_time(updated_at),
        version=version,
        description=(rest[0] or "") if rest else "",
        assignee=assignee,
        parent_id=parent_id,
        due=_date(due),
        estimate=estimate,
        resolved_at=None if resolved_at is None else _time(resolved_at),
        archived=bool(archived),
        labels=labels,
    )


def comment(row: Any, author: str) -> Comment:
    return Comment(
        row.id, row.issue_id, author, row.body, _time(row.created_at), _opt_time(row.edited_at)
    )


def link(row: Any, me: int, other_key: str, other_title: str) -> Link:
    return Link(
        id=row.id,
        kind=stored(LinkKind, row.kind),
        source_id=row.source_id,
        target_id=row.target_id,
        other_key=other_key,
        other_title=other_title,
        outward=row.source_id == me,
    )


def change(row: Any) -> Change:
    return Change(
        id=row.id,
        project_id=row.project_id,
        issue_id=row.issue_id,
        actor=row.actor,
        at=_time(row.at),
        field=row.field,
        old=row.old,
        new=row.new,
        change_set=row.change_set,
    )


# The Change columns read as driver tuples (change_tuple's order): on a long history a model
# object per row costs more than the query itself.
CHANGE_COLUMNS = (
    ChangeRow.id,
    ChangeRow.project,
    ChangeRow.issue_id,
    ChangeRow.actor,
    ChangeRow.at,
    ChangeRow.field,
    ChangeRow.old,
    ChangeRow.new,
    ChangeRow.change_set,
)


def change_tuple(row: Sequence[Any]) -> Change:
    """A Change from a driver tuple in CHANGE_COLUMNS order."""
    cid, project_id, issue_id, actor, at, field, old, new, change_set = row
    return Change(cid, project_id, issue_id, actor, _time(at), field, old, new, change_set)


def saved_filter(row: Any, owner: str) -> SavedFilter:
    return SavedFilter(row.id, row.name, row.query, owner)
