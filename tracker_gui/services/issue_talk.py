"""What is said about an issue and who follows it: comments, links, watchers, attachments."""

from __future__ import annotations

import hashlib

from tracker_gui.domain import validation
from tracker_gui.domain.enums import LinkKind
from tracker_gui.domain.models import (
    Comment,
)
from tracker_gui.errors import (
    NotFoundError,
    UserError,
    ValidationError,
)
from tracker_gui.services.issue_reads import IssueReads
from tracker_gui.services.link_log import link_rows
from tracker_gui.services.unit_of_work import ChangeRecord


class IssueTalk(IssueReads):
    """Each write one unit of work: the row, its Change record, its event after commit."""

    # -- comments, links, watchers -------------------------------------------------------
    def comment(self, issue_id: int, body: str) -> Comment:
        text = validation.comment(body)
        issue = self.get(issue_id)
        with self._work() as work:
            cid = self.repo.insert_comment(issue_id, self._actor_id(), text)
            work.add(
                [ChangeRecord(issue.project_id, issue_id, self.actor, "comment", None, text[:200])]
            )
            found = self.repo.comment(cid)
        assert found is not None
        return found

    def delete_comment(self, comment_id: int) -> Comment:
        """Remove one's own comment (undo of adding it); the Change log keeps that it was there.

        Returns the comment as it was."""
        current = self.repo.comment(comment_id)
        if current is None:
            raise NotFoundError("that comment no longer exists")
        if current.author != self.actor:
            raise UserError("only the author can delete a comment")
        issue = self.get(current.issue_id)
        with self._work() as work:
            self.repo.delete_comment(comment_id)
            work.add(
                [
                    ChangeRecord(
                        issue.project_id,
                        issue.id,
                        self.actor,
                        "comment.deleted",
                        current.body[:200],
                        None,
                    )
                ]
            )
        return current

    def edit_comment(self, comment_id: int, body: str) -> Comment:
        text = validation.comment(body)
        current = self.repo.comment(comment_id)
        if current is None:
            raise NotFoundError("that comment no longer exists")
        if current.author != self.actor:
            raise UserError("only the author can edit a comment")
        issue = self.get(current.issue_id)
        with self._work() as work:
            self.repo.update_comment(comment_id, text)
            work.add(
                [
                    ChangeRecord(
                        issue.project_id,
                        issue.id,
                        self.actor,
                        "comment.edited",
                        current.body[:200],
                        text[:200],
                    )
                ]
            )
            found = self.repo.comment(comment_id)
        assert found is not None
        return found

    def link(self, issue_id: int, kind: LinkKind, other_key: str) -> None:
        issue = self.get(issue_id)
        other = self.by_key(other_key)
        if other.id == issue.id:
            raise ValidationError("link", "an issue cannot link to itself")
        with self._work() as work:
            if self.repo.find_link(kind.value, issue.id, other.id) is not None:
                return
            self.repo.insert_link(kind.value, issue.id, other.id)
            work.add(link_rows(self.actor, "link", kind, issue, other))

    def unlink(self, issue_id: int, kind: LinkKind, other_key: str) -> None:
        issue = self.get(issue_id)
        other = self.by_key(other_key)
        with self._work() as work:
            link_id = self.repo.find_link(kind.value, issue.id, other.id)
            if link_id is None:
                raise NotFoundError(f"{issue.key} does not {kind.value} {other.key}")
            self.repo.delete_link(link_id)
            work.add(link_rows(self.actor, "unlink", kind, issue, other))

    def watch(self, issue_id: int, username: str | None = None, on: bool = True) -> None:
        issue = self.get(issue_id)
        who = username or self.actor
        with self._work() as work:
            uid = self._user_id(who, create=self.db.is_sqlite)
            assert uid is not None
            changed = (
                self.repo.add_watcher(issue_id, uid)
                if on
                else self.repo.remove_watcher(issue_id, uid)
            )
            if changed:
                work.log(issue.project_id, issue_id, "watch" if on else "unwatch", None, who)

    def attach(self, issue_id: int, name: str, data: bytes) -> None:
        name = validation.name("attachment name", name, limit=255)
        if len(data) > validation.ATTACHMENT_MAX_BYTES:
            raise ValidationError(
                "attachment",
                f"{name} is {len(data):,} bytes; the limit is {validation.ATTACHMENT_MAX_BYTES:,}",
            )
        issue = self.get(issue_id)
        digest = hashlib.sha256(data).hexdigest()
        with self.db.long_running(), self._work() as work:
            self.repo.insert_attachment(issue_id, name, data, digest, self._actor_id())
            work.log(issue.project_id, issue_id, "attachment", None, name)
