"""Keyset-paged reads for exports: a page of issues and what hangs off them, in few queries."""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import Any, NamedTuple

from tracker_gui.domain.enums import LinkKind
from tracker_gui.domain.models import Attachment, Change, Comment, Issue, IssueFilter
from tracker_gui.domain.query import QueryContext
from tracker_gui.storage import convert, filtering
from tracker_gui.storage.database import Database
from tracker_gui.storage.tables import (
    AttachmentRow,
    ChangeRow,
    CommentRow,
    IssueLabelRow,
    IssueRow,
    LabelRow,
    LinkRow,
    UserRow,
    WatcherRow,
    rows,
)


class Span(NamedTuple):
    """The issues of one project numbered first..last: a page, as the reads of what hangs off
    its issues select them. A subquery on the (project, number) index: an IN list of 500 ids
    made peewee build a node per id, which cost more than the queries."""

    project_id: int
    first: int
    last: int

    def ids(self) -> Any:
        return IssueRow.select(IssueRow.id).where(
            (IssueRow.project == self.project_id) & IssueRow.number.between(self.first, self.last)
        )


class ExportRows:
    """Reads that page by key (`number > last`, `id > last`), never by OFFSET: each page costs
    the same however far the export has got. Callers hold one snapshot around all of them."""

    def __init__(self, database: Database) -> None:
        self.db = database

    def close_thread_connection(self) -> None:
        """Close the calling worker thread's own connection (peewee opens one per thread on
        first use); the main thread's, which the window reads through, is never touched."""
        if threading.current_thread() is threading.main_thread():
            return
        if not self.db.peewee.is_closed():
            self.db.peewee.close()

    def issue_uids(self) -> dict[int, str]:
        """Every issue's uid by id (links and history name issues of any project)."""
        with self.db.reading():
            return dict(IssueRow.select(IssueRow.id, IssueRow.uid).tuples().iterator())

    def condition(self, flt: IssueFilter, ctx: QueryContext) -> Any:
        """`flt` compiled once for every page (a QueryError when its query does not read)."""
        return filtering.where(flt, not self.db.is_sqlite, ctx)

    def issue_page(
        self, condition: Any, project_id: int, after: int, limit: int, with_description: bool
    ) -> list[Issue]:
        """Up to `limit` issues of one project numbered above `after`, by number, that meet
        `condition` (from `condition()`; True for all), with their labels."""
        where = (IssueRow.project == project_id) & (IssueRow.number > after)
        if condition is not True:
            where = where & condition
        query = (
            filtering.base_query(with_description)
            .where(where)
            .order_by(IssueRow.number)
            .limit(limit)
        )
        with self.db.reading():
            found = list(self.db.peewee.execute(query))
        # Row[3] is the number (filtering.ISSUE_COLUMNS); the rows are in number order.
        labels = self.labels_of(Span(project_id, found[0][3], found[-1][3])) if found else {}
        return [convert.issue(r, labels.get(r[0], ())) for r in found]

    def labels_of(self, span: Span) -> dict[int, tuple[str, ...]]:
        query = (
            IssueLabelRow.select(IssueLabelRow.issue, LabelRow.name)
            .join(LabelRow, on=(IssueLabelRow.label == LabelRow.id))
            .where(IssueLabelRow.issue.in_(span.ids()))
            .order_by(LabelRow.name)  # as IssueRepo orders them: a CSV cell lists them so
            .tuples()
        )
        found: dict[int, list[str]] = defaultdict(list)
        with self.db.reading():
            for issue_id, name in rows(query):
                found[issue_id].append(name)
        return {k: tuple(v) for k, v in found.items()}

    def watchers_of(self, span: Span) -> dict[int, list[str]]:
        query = (
            WatcherRow.select(WatcherRow.issue, UserRow.username)
            .join(UserRow, on=(WatcherRow.user == UserRow.id))
            .where(WatcherRow.issue.in_(span.ids()))
            .tuples()
        )
        found: dict[int, list[str]] = defaultdict(list)
        with self.db.reading():
            for issue_id, name in rows(query):
                found[issue_id].append(name)
        return {k: sorted(v) for k, v in found.items()}

    def comments_of(self, span: Span) -> dict[int, list[Comment]]:
        query = (
            CommentRow.select(
                CommentRow.id,
                CommentRow.issue,
                UserRow.username,
                CommentRow.body,
                CommentRow.created_at,
                CommentRow.edited_at,
            )
            .join(UserRow, on=(CommentRow.author == UserRow.id))
            .where(CommentRow.issue.in_(span.ids()))
            .order_by(CommentRow.id)
            .tuples()
        )
        found: dict[int, list[Comment]] = defaultdict(list)
        with self.db.reading():
            for cid, issue_id, author, body, created, edited in query.iterator():
                found[issue_id].append(
                    Comment(cid, issue_id, author, body, convert._time(created),
                            convert._opt_time(edited))
                )  # fmt: skip
        return found

    def outward_links_of(self, span: Span) -> dict[int, list[tuple[LinkKind, int]]]:
        """(kind, target id) of the links whose source is in `span`, oldest first."""
        query = (
            LinkRow.select(LinkRow.source, LinkRow.kind, LinkRow.target)
            .where(LinkRow.source.in_(span.ids()))
            .order_by(LinkRow.id)
            .tuples()
        )
        found: dict[int, list[tuple[LinkKind, int]]] = defaultdict(list)
        with self.db.reading():
            for source, kind, target in rows(query):
                found[source].append((LinkKind(kind), target))
        return found

    def attachments_of(self, span: Span) -> dict[int, list[Attachment]]:
        """What is known about each attachment but its bytes (read one at a time)."""
        query = (
            AttachmentRow.select(
                AttachmentRow.id,
                AttachmentRow.issue,
                AttachmentRow.name,
                AttachmentRow.size,
                AttachmentRow.sha256,
                AttachmentRow.created_at,
                UserRow.username,
            )
            .join(UserRow, on=(AttachmentRow.uploader == UserRow.id))
            .where(AttachmentRow.issue.in_(span.ids()))
            .order_by(AttachmentRow.id)
            .tuples()
        )
        found: dict[int, list[Attachment]] = defaultdict(list)
        with self.db.reading():
            for aid, issue_id, name, size, digest, created, uploader in rows(query):
                found[issue_id].append(
                    Attachment(aid, issue_id, name, size, digest, convert._time(created), uploader)
                )
        return found

    def change_total(self) -> int:
        with self.db.reading():
            return int(ChangeRow.select().count())

    def changes_after(self, change_id: int, limit: int) -> list[Change]:
        query = (
            ChangeRow.select(*convert.CHANGE_COLUMNS)
            .where(ChangeRow.id > change_id)
            .order_by(ChangeRow.id)
            .limit(limit)
        )
        with self.db.reading():
            # Driver tuples: peewee's per-value conversion cost more than the query.
            cursor = self.db.peewee.execute(query)
            return [convert.change_tuple(row) for row in cursor]


__all__ = ["ExportRows", "Span"]
