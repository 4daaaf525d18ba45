"""Writes on the replica that are also queued for the server: the normal issue service, with
each user action written to the replica (seen at once) and into its outbox, in one transaction.

An entry holds the op id (a UUID), the action's change set, and per field the base value (as
the replica showed it when the action was taken) and the new value; labels and watchers as
elements added or removed, comments as text to append. An issue made here gets the
provisional key `<PROJECT>-~<n>` until the server numbers it.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from tracker_gui.domain.enums import LinkKind
from tracker_gui.domain.models import Comment, Issue, IssueFilter, MoveTo, NewIssue
from tracker_gui.errors import NotFoundError
from tracker_gui.services import Services, server_calls, sprints_offline
from tracker_gui.services.issues import IssueService
from tracker_gui.services.sync_values import changed, values
from tracker_gui.storage.replica import outbox

OFFLINE_ONLY = "{what} needs the server: connect and try again"


class QueuedIssueService(IssueService):
    """IssueService over a replica: each supported write is also queued for the server."""

    def by_key(self, key: str) -> Issue:
        """A provisional key keeps resolving once the server has numbered its issue."""
        try:
            return super().by_key(key)
        except NotFoundError:
            real = outbox.real_keys(self.db).get(key.strip().upper())
            if real is None:
                raise
            return super().by_key(real)

    def search(
        self,
        flt: IssueFilter,
        *,
        sort: str | None = None,
        offset: int = 0,
        limit: int | None = None,
        with_description: bool = False,
    ) -> list[Issue]:
        """`key:TRK-~1` keeps finding the issue once the server has numbered it."""
        if "-~" in flt.query:
            keys = outbox.real_keys(self.db)
            flt = dataclasses.replace(flt, query=outbox.rewrite(flt.query, keys))
        return super().search(
            flt, sort=sort, offset=offset, limit=limit, with_description=with_description
        )

    def _queue(self, kind: str, issue_uid: str | None, body: dict[str, Any]) -> None:
        outbox.add(self.db, str(uuid.uuid4()), kind, issue_uid, body)

    def create(self, new: NewIssue) -> Issue:
        with self.db.transaction():
            made = super().create(new)
            n = outbox.next_provisional(self.db)
            key = f"{made.project_key}-~{n}"
            outbox.make_provisional(self.db, made.id, n, key, made.uid)
            issue = self.get(made.id)
            body = {"provisional": key, "project": issue.project_key, "labels": list(issue.labels),
                    "watchers": list(new.watchers)}  # fmt: skip
            body.update(values(self, issue))
            self._queue("create", issue.uid, body)
        return issue

    def _changing(self, issue_id: int, kind: str, write: Callable[[], Issue]) -> Issue:
        with self.db.transaction():
            before = self.get(issue_id)
            base = values(self, before)
            after = write()
            fields = changed(base, values(self, after))
            old, new = set(before.labels), set(after.labels)
            body: dict[str, Any] = {"key": before.key, "fields": fields}
            if old != new:
                body["labels_add"] = sorted(new - old)
                body["labels_remove"] = sorted(old - new)
            if fields or old != new:
                self._queue(kind, before.uid, body)
        return after

    def edit(self, issue_id: int, expected_version: int, changes: Mapping[str, Any]) -> Issue:
        return self._changing(
            issue_id, "edit", lambda: IssueService.edit(self, issue_id, expected_version, changes)
        )  # fmt: skip

    def move(
        self,
        issue_id: int,
        expected_version: int,
        status_id: int | None = None,
        *,
        after_id: int | None = None,
        before_id: int | None = None,
        exact_rank: str | None = None,
    ) -> Issue:
        def write() -> Issue:
            return IssueService.move(
                self, issue_id, expected_version, status_id,
                after_id=after_id, before_id=before_id, exact_rank=exact_rank,
            )  # fmt: skip

        return self._changing(issue_id, "move", write)

    def archive(self, issue_id: int, expected_version: int, archived: bool = True) -> Issue:
        return self._changing(
            issue_id, "archive",
            lambda: IssueService.archive(self, issue_id, expected_version, archived),
        )  # fmt: skip

    def comment(self, issue_id: int, body: str) -> Comment:
        with self.db.transaction():
            issue = self.get(issue_id)
            made = super().comment(issue_id, body)
            self._queue("comment", issue.uid, {"key": issue.key, "body": made.body})
        return made

    def link(self, issue_id: int, kind: LinkKind, other_key: str) -> None:
        with self.db.transaction():
            issue = self.get(issue_id)
            other = self.by_key(other_key)
            super().link(issue_id, kind, other_key)
            body = {"key": issue.key, "kind": kind.value, "other": other.uid,
                    "other_key": other.key}  # fmt: skip
            self._queue("link", issue.uid, body)

    def watch(self, issue_id: int, username: str | None = None, on: bool = True) -> None:
        with self.db.transaction():
            issue = self.get(issue_id)
            who = username or self.actor
            super().watch(issue_id, who, on)
            self._queue("watch", issue.uid, {"key": issue.key, "user": who, "on": on})

    def bulk_move(self, moves: Sequence[tuple[int, int, int]] | Sequence[MoveTo]) -> list[Issue]:
        """A multi-card drop: one transaction here, one entry per moved issue in the outbox,
        all in the drop's change set (pushed later, it is still one action for the others)."""
        ids = [m.issue_id if isinstance(m, MoveTo) else m[0] for m in moves]
        with self.db.transaction():
            before = {i: self.get(i) for i in ids}
            bases = {i: values(self, b) for i, b in before.items()}
            after = IssueService.bulk_move(self, moves)
            for issue in after:
                was = before[issue.id]
                fields = changed(bases[issue.id], values(self, issue))
                if fields:
                    self._queue("move", was.uid, {"key": was.key, "fields": fields})
        return after

    # Writes the outbox cannot hold yet: made on the server when it answers (then the copy is
    # brought up to date), refused offline rather than done here and never sent.
    online: Callable[[], Services] | None = None  # the server as this login (Offline raised)
    settle: Callable[[], object] | None = None  # a sync after such a write

    def _on_server(self, what: str, act: Callable[[Services], Any]) -> Any:
        return server_calls.on_server(self.online, self.settle, OFFLINE_ONLY.format(what=what), act)

    def delete(self, issue_id: int, expected_version: int) -> None:
        self._on_server(
            "deleting an issue", lambda srv: srv.issues.delete(issue_id, expected_version)
        )

    def delete_comment(self, comment_id: int) -> Comment:
        result: Comment = self._on_server(
            "deleting a comment", lambda srv: srv.issues.delete_comment(comment_id)
        )
        return result

    def edit_comment(self, comment_id: int, body: str) -> Comment:
        result: Comment = self._on_server(
            "editing a comment", lambda srv: srv.issues.edit_comment(comment_id, body)
        )
        return result

    def unlink(self, issue_id: int, kind: LinkKind, other_key: str) -> None:
        self._on_server("removing a link", lambda srv: srv.issues.unlink(issue_id, kind, other_key))

    def attach(self, issue_id: int, name: str, data: bytes) -> None:
        self._on_server("attaching a file", lambda srv: srv.issues.attach(issue_id, name, data))


def queued(
    local: Services,
    online: Callable[[], Services] | None = None,
    settle: Callable[[], object] | None = None,
) -> Services:
    """`local` (services over a replica) whose issue writes are queued for the server; with
    `online`, the writes the outbox cannot hold yet are made on the server, then `settle`."""
    issues = QueuedIssueService(
        local.database, local.issues.catalog, local.issues.repo, local.bus, local.actor
    )
    issues.online, issues.settle = online, settle
    sprints = sprints_offline.offline(local, online, settle)
    return dataclasses.replace(local, issues=issues, sprints=sprints)
