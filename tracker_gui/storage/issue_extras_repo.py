"""What hangs off an issue: its labels, comments, links, watchers and attachments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from tracker_gui.domain.models import (
    Attachment,
    Comment,
    Link,
)
from tracker_gui.storage import bulk, convert
from tracker_gui.storage.database import Database
from tracker_gui.storage.postgres import writes
from tracker_gui.storage.prepared import CompiledCache
from tracker_gui.storage.tables import (
    AttachmentRow,
    CommentRow,
    IssueLabelRow,
    IssueRow,
    LinkRow,
    ProjectRow,
    UserRow,
    WatcherRow,
    rows,
    utcnow,
)


class IssueExtrasRepo:
    """Rows around an issue in and out (IssueRepo is one); callers own the transaction."""

    db: Database
    _texts: CompiledCache  # statement texts by shape, kept by IssueRepo

    # -- reads ---------------------------------------------------------------------------
    def comments(self, issue_id: int) -> list[Comment]:
        with self.db.reading():
            query = (
                CommentRow.select(CommentRow, UserRow.username.alias("author_name"))
                .join(UserRow, on=(CommentRow.author == UserRow.id))
                .where(CommentRow.issue == issue_id)
                .order_by(CommentRow.id)
                .objects()
            )
            return [convert.comment(r, r.author_name) for r in query]

    def comment(self, comment_id: int) -> Comment | None:
        with self.db.reading():
            row = (
                CommentRow.select(CommentRow, UserRow.username.alias("author_name"))
                .join(UserRow, on=(CommentRow.author == UserRow.id))
                .where(CommentRow.id == comment_id)
                .objects()
                .first()
            )
            return convert.comment(row, row.author_name) if row else None

    def links(self, issue_id: int) -> list[Link]:
        with self.db.reading():
            found = list(
                LinkRow.select()
                .where((LinkRow.source == issue_id) | (LinkRow.target == issue_id))
                .order_by(LinkRow.id)
            )
            others = {r.target_id if r.source_id == issue_id else r.source_id for r in found}
            info = {
                i: (f"{k}-{n}", t)
                for i, k, n, t in rows(
                    IssueRow.select(IssueRow.id, ProjectRow.key, IssueRow.number, IssueRow.title)
                    .join(ProjectRow, on=(IssueRow.project == ProjectRow.id))
                    .where(IssueRow.id.in_(list(others) or [0]))
                    .tuples()
                )
            }
            result = []
            for r in found:
                other = r.target_id if r.source_id == issue_id else r.source_id
                key, title = info.get(other, ("?", ""))
                result.append(convert.link(r, issue_id, key, title))
            return result

    def watchers(self, issue_id: int) -> list[str]:
        with self.db.reading():
            query = (
                UserRow.select(UserRow.username)
                .join(WatcherRow, on=(WatcherRow.user == UserRow.id))
                .where(WatcherRow.issue == issue_id)
                .order_by(UserRow.username)
                .tuples()
            )
            return [name for (name,) in rows(query)]

    def attachments(self, issue_id: int) -> list[Attachment]:
        with self.db.reading():
            query = (
                AttachmentRow.select(
                    AttachmentRow.id,
                    AttachmentRow.name,
                    AttachmentRow.size,
                    AttachmentRow.sha256,
                    AttachmentRow.created_at,
                    UserRow.username,
                )
                .join(UserRow, on=(AttachmentRow.uploader == UserRow.id))
                .where(AttachmentRow.issue == issue_id)
                .order_by(AttachmentRow.id)
                .tuples()
            )
            return [
                Attachment(i, issue_id, n, s, h, convert._time(c), u)
                for i, n, s, h, c, u in rows(query)
            ]

    def attachment_data(self, attachment_id: int) -> bytes:
        with self.db.reading():
            row = (
                AttachmentRow.select(AttachmentRow.data)
                .where(AttachmentRow.id == attachment_id)
                .first()
            )
            return bytes(row.data) if row else b""

    # -- writes (inside Database.transaction) --------------------------------------------
    def set_labels(self, issue_id: int, label_ids: Iterable[int]) -> None:
        if self.db.server_managed:
            writes.delete_through(self.db, "tracker_delete_issue_labels", issue_id)
        else:
            IssueLabelRow.delete().where(IssueLabelRow.issue == issue_id).execute()
        rows = [{"issue": issue_id, "label": lid} for lid in sorted(set(label_ids))]
        if rows:
            IssueLabelRow.insert_many(rows).execute()

    def add_labels(self, issue_id: int, label_ids: Sequence[int]) -> None:
        """The labels of a new issue (it has none yet): one INSERT."""
        wanted = sorted(set(label_ids))
        if not wanted:
            return
        mark = self.db.peewee.param
        sql = self._texts.get(
            ("labels", len(wanted)),
            lambda: (
                'INSERT INTO "issue_label" ("issue_id", "label_id") VALUES '
                + ", ".join([f"({mark}, {mark})"] * len(wanted))
            ),
        )
        params: list[Any] = []
        for label_id in wanted:
            params += (issue_id, label_id)
        self.db.peewee.execute_sql(sql, params)

    def add_labels_many(self, pairs: Iterable[tuple[int, int]]) -> None:
        bulk.insert(self.db, IssueLabelRow, ("issue", "label"), pairs)

    def insert_comments_many(self, rows: Iterable[tuple[int, int, str, dt.datetime]]) -> None:
        """(issue id, author id, body, created_at) rows, for generated or imported data.

        A secured database makes every comment the caller's, written now (its trigger)."""
        if self.db.server_managed:
            bulk.insert(self.db, CommentRow, ("issue", "body"), ((r[0], r[2]) for r in rows))
            return
        bulk.insert(self.db, CommentRow, ("issue", "author", "body", "created_at"), rows)

    def insert_links_many(self, rows: Iterable[tuple[str, int, int]]) -> None:
        """(kind, source id, target id) rows; the caller makes sure none exists yet."""
        bulk.insert(self.db, LinkRow, ("kind", "source", "target"), rows)

    def add_watchers_many(self, pairs: Iterable[tuple[int, int]]) -> None:
        """(issue id, user id) pairs; the caller makes sure none exists yet."""
        bulk.insert(self.db, WatcherRow, ("issue", "user"), pairs)

    def insert_comment(
        self,
        issue_id: int,
        author_id: int,
        body: str,
        created_at: dt.datetime | None = None,
        edited_at: dt.datetime | None = None,
    ) -> int:
        """A new comment; imports pass the original times."""
        values: dict[str, Any] = {
            "issue": issue_id,
            "author": author_id,
            "body": body,
            "edited_at": edited_at,
        }
        if created_at is not None:
            values["created_at"] = created_at
        return writes.insert_row(self.db, CommentRow, values)

    def delete_comment(self, comment_id: int) -> None:
        if self.db.server_managed:
            writes.delete_through(self.db, "tracker_delete_comment", comment_id)
            return
        CommentRow.delete().where(CommentRow.id == comment_id).execute()

    def update_comment(self, comment_id: int, body: str) -> None:
        values: dict[str, Any] = {"body": body}
        if not self.db.server_managed:
            values["edited_at"] = utcnow()
        CommentRow.update(**values).where(CommentRow.id == comment_id).execute()

    def insert_link(self, kind: str, source_id: int, target_id: int) -> int:
        return int(LinkRow.insert(kind=kind, source=source_id, target=target_id).execute())

    def find_link(self, kind: str, source_id: int, target_id: int) -> int | None:
        row = (
            LinkRow.select(LinkRow.id)
            .where(
                (LinkRow.kind == kind)
                & (LinkRow.source == source_id)
                & (LinkRow.target == target_id)
            )
            .first()
        )
        return row.id if row else None

    def delete_link(self, link_id: int) -> None:
        if self.db.server_managed:
            writes.delete_through(self.db, "tracker_delete_link", link_id)
            return
        LinkRow.delete().where(LinkRow.id == link_id).execute()

    def add_watcher(self, issue_id: int, user_id: int) -> bool:
        exists = (
            WatcherRow.select()
            .where((WatcherRow.issue == issue_id) & (WatcherRow.user == user_id))
            .exists()
        )
        if not exists:
            WatcherRow.insert(issue=issue_id, user=user_id).execute()
        return not exists

    def remove_watcher(self, issue_id: int, user_id: int) -> bool:
        if self.db.server_managed:
            return bool(writes.delete_through(self.db, "tracker_delete_watcher", issue_id, user_id))
        gone = (
            WatcherRow.delete()
            .where((WatcherRow.issue == issue_id) & (WatcherRow.user == user_id))
            .execute()
        )
        return bool(gone)

    def insert_attachment(
        self,
        issue_id: int,
        name: str,
        data: bytes,
        sha256: str,
        uploader_id: int,
        created_at: dt.datetime | None = None,
    ) -> int:
        values: dict[str, Any] = {
            "issue": issue_id,
            "name": name,
            "size": len(data),
            "sha256": sha256,
            "data": data,
            "uploader": uploader_id,
        }
        if created_at is not None:
            values["created_at"] = created_at
        return writes.insert_row(self.db, AttachmentRow, values)
