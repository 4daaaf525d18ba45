"""Compile an IssueFilter into a peewee WHERE expression (parameterised, both backends)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from peewee import JOIN, SQL, NodeList, fn

from tracker_gui.domain.models import IssueFilter
from tracker_gui.domain.query import QueryContext, parse
from tracker_gui.storage import search, time_sql
from tracker_gui.storage.tables import (
    IssueLabelRow,
    IssueRow,
    LabelRow,
    ProjectRow,
    StatusRow,
    UserRow,
    WatcherRow,
)

Assignee = UserRow.alias("assignee_user")
Reporter = UserRow.alias("reporter_user")

ISSUE_COLUMNS = (
    IssueRow.id,
    IssueRow.uid,
    IssueRow.project,
    IssueRow.number,
    IssueRow.type,
    IssueRow.title,
    IssueRow.status,
    IssueRow.priority,
    IssueRow.rank,
    IssueRow.parent,
    IssueRow.due,
    IssueRow.estimate,
    IssueRow.created_at,
    IssueRow.updated_at,
    IssueRow.resolved_at,
    IssueRow.version,
    IssueRow.archived,
    ProjectRow.key.alias("project_key"),
    Assignee.username.alias("assignee_name"),
    Reporter.username.alias("reporter_name"),
)

# What a board card shows (domain.cards.Card order, its labels aside).
CARD_COLUMNS = (
    IssueRow.id,
    IssueRow.project,
    ProjectRow.key.alias("project_key"),
    IssueRow.number,
    IssueRow.type,
    IssueRow.title,
    IssueRow.status,
    IssueRow.priority,
    IssueRow.rank,
    Assignee.username.alias("assignee_name"),
    IssueRow.due,
    IssueRow.version,
    IssueRow.archived,
)

# Each ends in a unique column: ranks repeat across columns and projects, and without a
# last tie-break PostgreSQL may return equal rows in either order (a CI run caught it).
SORTS: dict[str, tuple[Any, ...]] = {
    "rank": (IssueRow.rank, IssueRow.id),
    "key": (ProjectRow.key, IssueRow.number),
    "-key": (ProjectRow.key, IssueRow.number.desc()),
    "updated": (IssueRow.updated_at, IssueRow.id),
    "-updated": (IssueRow.updated_at.desc(), IssueRow.id.desc()),
    "created": (IssueRow.created_at, IssueRow.id),
    "-created": (IssueRow.created_at.desc(), IssueRow.id.desc()),
    "priority": (IssueRow.priority, IssueRow.rank, IssueRow.id),
    "-priority": (IssueRow.priority.desc(), IssueRow.rank, IssueRow.id),
    "title": (IssueRow.title, IssueRow.id),
    "-title": (IssueRow.title.desc(), IssueRow.id),
    "due": (IssueRow.due, IssueRow.id),
    "-due": (IssueRow.due.desc(), IssueRow.id.desc()),
    "status": (StatusRow.position, IssueRow.rank, IssueRow.id),
    "-status": (StatusRow.position.desc(), IssueRow.rank.desc(), IssueRow.id.desc()),
    "type": (IssueRow.type, IssueRow.id),
    "-type": (IssueRow.type.desc(), IssueRow.id.desc()),
    "assignee": (Assignee.username, IssueRow.id),
    "-assignee": (Assignee.username.desc(), IssueRow.id.desc()),
    # Time tracking: unknown remaining time (no estimate, none set) sorts last either way.
    "logged": (time_sql.logged(), IssueRow.id),
    "-logged": (time_sql.logged().desc(), IssueRow.id.desc()),
    "remaining": (time_sql.remaining().asc(nulls="LAST"), IssueRow.id),
    "-remaining": (time_sql.remaining().desc(nulls="LAST"), IssueRow.id.desc()),
}


def count_query(flt: IssueFilter, *columns: Any) -> Any:
    """A SELECT of `columns` over issues with only the joins the filter needs (for counts:
    at 100,000 issues every unneeded join costs a lookup per row)."""
    # A compiled `flt.query` needs no join: it tests issue columns and id subqueries only.
    query = IssueRow.select(*columns)
    if flt.assignees or any(getattr(c, "model", None) is Assignee for c in columns):
        query = query.join(Assignee, JOIN.LEFT_OUTER, on=(IssueRow.assignee == Assignee.id))
        query = query.switch(IssueRow)
    if flt.reporters:
        query = query.join(Reporter, on=(IssueRow.reporter == Reporter.id)).switch(IssueRow)
    if flt.overdue_on is not None:
        query = query.join(StatusRow, on=(IssueRow.status == StatusRow.id)).switch(IssueRow)
    return query


def base_query(with_description: bool = False) -> Any:
    columns = (*ISSUE_COLUMNS, IssueRow.description) if with_description else ISSUE_COLUMNS
    return (
        IssueRow.select(*columns)
        .join(ProjectRow, on=(IssueRow.project == ProjectRow.id))
        .switch(IssueRow)
        .join(StatusRow, on=(IssueRow.status == StatusRow.id))
        .switch(IssueRow)
        .join(Assignee, JOIN.LEFT_OUTER, on=(IssueRow.assignee == Assignee.id))
        .switch(IssueRow)
        .join(Reporter, on=(IssueRow.reporter == Reporter.id))
    )


def _contains(column: Any, word: str, postgres: bool) -> Any:
    needle = word.lower()
    if postgres:
        # The database's default collation: ICU is not in every server build, and the
        # UTF-8 ctype of a real server folds every script (a "C" ctype only ASCII).
        return fn.strpos(fn.lower(column), needle) > 0
    # SQLite's lower() folds only ASCII: Python's is registered on each connection.
    return fn.instr(fn.tracker_lower(column), needle) > 0


def where(flt: IssueFilter, postgres: bool, ctx: QueryContext | None = None) -> Any:
    """The conjunction of every part of the filter that is set (True when none is).

    `flt.query` is parsed (a QueryError for bad text) and compiled against `ctx`.
    """
    parts: list[Any] = []
    query = parse(flt.query) if flt.query else None
    if query is not None:
        compiled = search.compile_query(query, ctx or QueryContext("", dt.date.today()), postgres)
        if compiled is not None:
            parts.append(compiled)
    if flt.project_ids:
        project: Any = IssueRow.project
        if not postgres and query is not None and search.requires_words(query):
            # `+project_id` is no index term: SQLite then reads the word's hits by id (from
            # FTS5) and checks their project, instead of walking the project's open issues
            # through an index and probing each (0.2 against 1.3 ms for 116 of 10,000).
            project = NodeList((SQL("+"), IssueRow.project), glue="")
        parts.append(project.in_(flt.project_ids))
    if flt.issue_ids:
        parts.append(IssueRow.id.in_(flt.issue_ids))
    if not (flt.include_archived or (query is not None and query.include_archived)):
        parts.append(IssueRow.archived == False)  # noqa: E712 (peewee expression)
    if flt.status_ids:
        parts.append(IssueRow.status.in_(flt.status_ids))
    # Status conditions as id subqueries, so the planner can use the issue(status) index.
    if flt.status_names:
        named = StatusRow.select(StatusRow.id).where(
            fn.lower(StatusRow.name).in_([n.lower() for n in flt.status_names])
        )
        parts.append(IssueRow.status.in_(named))
    if flt.categories:
        grouped = StatusRow.select(StatusRow.id).where(
            StatusRow.category.in_([c.value for c in flt.categories])
        )
        parts.append(IssueRow.status.in_(grouped))
    who: list[Any] = []
    if flt.assignees:
        who.append(Assignee.username.in_(flt.assignees))
    if flt.unassigned:
        who.append(IssueRow.assignee.is_null())
    if who:
        parts.append(who[0] if len(who) == 1 else (who[0] | who[1]))
    if flt.reporters:
        parts.append(Reporter.username.in_(flt.reporters))
    if flt.types:
        parts.append(IssueRow.type.in_([t.value for t in flt.types]))
    if flt.priorities:
        parts.append(IssueRow.priority.in_([int(p) for p in flt.priorities]))
    if flt.labels:
        parts.append(_label_condition(flt, postgres))
    if flt.watched_by:
        watched = (
            WatcherRow.select(WatcherRow.issue)
            .join(UserRow, on=(WatcherRow.user == UserRow.id))
            .where(UserRow.username == flt.watched_by)
        )
        parts.append(IssueRow.id.in_(watched))
    for word in flt.text.split():
        contains = _contains if postgres else _contains_sqlite
        parts.append(
            contains(IssueRow.title, word, postgres)
            | contains(IssueRow.description, word, postgres)
        )
    if flt.due_before is not None:
        parts.append(IssueRow.due < flt.due_before)
    if flt.overdue_on is not None:
        parts.append((IssueRow.due < flt.overdue_on) & (StatusRow.category != "done"))
    expr: Any = True
    for part in parts:
        expr = part if expr is True else (expr & part)
    return expr


def _label_condition(flt: IssueFilter, postgres: bool) -> Any:
    """Issues with any of the filter's labels.

    Alone, a label drives the search: the ids from the (label, issue) index. Beside a status
    or an assignee, SQLite walks those issues from the board's indexes anyway, and then each
    one's own (issue, label) key answers faster than a list of every issue holding a common
    label, built first (0.7 against 1.2 ms for 183 hits among 10,000 issues)."""
    if postgres or not (flt.status_ids or flt.assignees):
        return IssueRow.id.in_(_labelled(flt, postgres))
    held = IssueLabelRow.select(SQL("1")).where(
        (IssueLabelRow.issue == IssueRow.id) & IssueLabelRow.label.in_(_label_ids(flt, postgres))
    )
    return fn.EXISTS(held)


def _labelled(flt: IssueFilter, postgres: bool) -> Any:
    """The ids of issues with any of the filter's labels, as nested id lists: the few
    matching labels first (folded by name over the project's labels only), then the
    (label, issue) index; a join would scan every issue's labels to find them."""
    return IssueLabelRow.select(IssueLabelRow.issue).where(
        IssueLabelRow.label.in_(_label_ids(flt, postgres))
    )


def _label_ids(flt: IssueFilter, postgres: bool) -> Any:
    """The ids of the labels the filter names, folded by name (the project's labels only)."""
    if postgres:
        # Both sides through the server's lower(): what it folds (its collation decides)
        # matches either way, and an exact name always does.
        wanted: Any = None
        for name in flt.labels:
            same = fn.lower(LabelRow.name) == fn.lower(name)
            wanted = same if wanted is None else (wanted | same)
    else:
        # SQLite's lower() folds ASCII only: Python's, over the few label rows, folds "Ä" too.
        names = [n.lower() for n in flt.labels]
        wanted = fn.tracker_lower(LabelRow.name).in_(names)
    labels = LabelRow.select(LabelRow.id).where(wanted)
    if flt.project_ids:
        labels = labels.where(LabelRow.project.in_(flt.project_ids))
    return labels


def _contains_sqlite(column: Any, word: str, postgres: bool = False) -> Any:
    """`word` in `column`, case-insensitively, as Python's lower() folds (so "ärger" finds
    "Ärger"), with SQLite's own LIKE wherever that gives the same answer.

    SQLite's LIKE and lower() fold ASCII only. Text that is all ASCII (as many bytes as
    characters) folds the same either way, and an ASCII word can only come from ASCII
    letters but for a handful (the Kelvin sign K, dotted capital I): so only rows that hold
    other characters are folded by the registered Python function, not every row.
    """
    needle = word.lower()
    ascii_only = fn.length(column.cast("BLOB")) == fn.length(column)
    folded = fn.instr(fn.tracker_lower(column), needle) > 0
    if needle.isascii():
        # LIKE folds ASCII on both sides (wildcards in the word escaped): ~2x faster than
        # instr(lower(...)), which copies every text to fold it.
        return column.contains(needle) | (~ascii_only & folded)
    return ~ascii_only & folded
