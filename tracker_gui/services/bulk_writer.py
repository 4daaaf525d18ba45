"""Bulk writes of one action (an import, a restore, the demo) inside the caller's transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from tracker_gui.domain import rank
from tracker_gui.domain.models import Change, Issue
from tracker_gui.errors import StorageError
from tracker_gui.services import Services
from tracker_gui.services.unit_of_work import ChangeRecord

CHUNK = 500  # issues written before their ids are read back
_ROWS_PER_INSERT = 200  # 19 columns each: well under SQLite's bound-variable limit
# (project, issue, actor, field, old, new, at): history with the time it happened.
BulkChange = tuple[int, int | None, str, str, str | None, str | None, dt.datetime]


def issue_row(issue: Issue, reporter_id: int, assignee_id: int | None) -> dict[str, Any]:
    """The stored row of an issue written in bulk: the one place that spells its columns."""
    return {
        "uid": issue.uid,
        "project": issue.project_id,
        "number": issue.number,
        "type": issue.type.value,
        "title": issue.title,
        "description": issue.description,
        "status": issue.status_id,
        "priority": int(issue.priority),
        "assignee": assignee_id,
        "reporter": reporter_id,
        "parent": issue.parent_id,
        "rank": issue.rank,
        "due": issue.due,
        "estimate": issue.estimate,
        "created_at": issue.created_at,
        "updated_at": issue.updated_at,
        "resolved_at": issue.resolved_at,
        "version": issue.version,
        "archived": issue.archived,
    }


def ranks_after(last: str | None, count: int) -> list[str]:
    """`count` increasing rank keys that all sort after `last` (the current end of a column);
    an empty column gets them evenly spaced, with room to drop a card between any two."""
    if last is None:
        return rank.spread(count)
    keys: list[str] = []
    for _ in range(count):
        last = rank.between(last, None)
        keys.append(last)
    return keys


class BulkWriter:
    """Issues in chunks with their ids read back, what hangs off them, and history rows
    with their own times; `publish()` after the commit sends the Change rows written."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.database = services.database
        self.catalog = services.projects.catalog
        self.repo = services.issues.repo
        self.actor = services.actor
        self.log: list[BulkChange] = []
        self._labels: list[tuple[int, int]] = []
        self._before = self.catalog.last_change_id()

    # -- issues --------------------------------------------------------------------------
    def insert_issues(self, rows: Sequence[dict[str, Any]]) -> None:
        for start in range(0, len(rows), _ROWS_PER_INSERT):
            self.repo.insert_many(rows[start : start + _ROWS_PER_INSERT])

    def ids_by_uid(self, uids: Collection[str]) -> dict[str, int]:
        """uid -> id of issues just written (one indexed look-up per chunk of uids)."""
        ids = self.repo.ids_by_uid(uids)
        if len(ids) != len(uids):
            _unread()
        return ids

    def ids_by_number(self, project_id: int, numbers: Sequence[int]) -> dict[int, int]:
        """number -> id of issues just written: one range scan of the (project, number) index.

        Only for numbers from a block reserved by this write, so the range holds no one else's.
        """
        ids = self.repo.ids_by_number(project_id, min(numbers), max(numbers))
        try:
            return {n: ids[n] for n in numbers}
        except KeyError:
            _unread()
            raise

    def reserve_numbers(self, project_id: int, count: int) -> int:
        """The first of `count` numbers taken at once (the project row lock holds others off);
        a secured database keeps exactly these numbers on the issues this transaction writes."""
        return self.repo.reserve_numbers(project_id, count)

    def keep_numbers_through(self, project_id: int, top: int) -> None:
        """Before writing issues that carry their own numbers (up to `top`) into a project
        this transaction created: a secured database then keeps those numbers."""
        self.repo.reserve_through(project_id, top)

    @property
    def writes_history(self) -> bool:
        """False on a secured database: its triggers write the history (as who really did
        it, and when), and no login may write the Change log itself."""
        return not self.database.server_managed

    def last_rank(self, status_id: int) -> str | None:
        """The end of a column, archived cards included (they keep their slot)."""
        return self.repo.column_ranks(status_id)[1]

    # -- what hangs off an issue ---------------------------------------------------------
    def label(self, issue_id: int, label_id: int) -> None:
        self._labels.append((issue_id, label_id))

    def comment(
        self,
        issue_id: int,
        author_id: int,
        body: str,
        at: dt.datetime | None,
        edited_at: dt.datetime | None = None,
    ) -> None:
        self.repo.insert_comment(issue_id, author_id, body, at, edited_at)

    def comments(self, rows: Iterable[tuple[int, int, str, dt.datetime]]) -> None:
        """(issue id, author id, body, created_at) rows at once, in the order given."""
        self.repo.insert_comments_many(rows)

    def watcher(self, issue_id: int, user_id: int) -> None:
        self.repo.add_watcher(issue_id, user_id)

    def watchers(self, pairs: Iterable[tuple[int, int]]) -> None:
        """(issue id, user id) pairs none of which exists yet."""
        self.repo.add_watchers_many(pairs)

    def link(self, kind: str, source_id: int, target_id: int) -> None:
        self.repo.insert_link(kind, source_id, target_id)

    def links(self, rows: Iterable[tuple[str, int, int]]) -> None:
        """(kind, source id, target id) rows none of which exists yet."""
        self.repo.insert_links_many(rows)

    def attachment(
        self,
        issue_id: int,
        name: str,
        data: bytes,
        digest: str,
        uploader_id: int,
        at: dt.datetime | None,
    ) -> None:
        self.repo.insert_attachment(issue_id, name, data, digest, uploader_id, at)

    # -- history -------------------------------------------------------------------------
    def change(
        self,
        project_id: int,
        issue_id: int | None,
        actor: str,
        field: str,
        old: str | None,
        new: str | None,
        at: dt.datetime,
    ) -> None:
        self.log.append((project_id, issue_id, actor, field, old, new, at))

    def flush(self, change_set: str | None = None) -> None:
        """Write the history and labels gathered so far. `change_set` names one user action
        (an import passes its transaction's); restored or generated history has none."""
        if self.log and self.writes_history:
            self.catalog.append_changes_bulk(self.log, change_set)
        if self._labels:
            self.repo.add_labels_many(self._labels)
        self.log, self._labels = [], []

    def note(self, project_id: int, field: str, new: str) -> list[Change]:
        """One project-level Change row now, by whoever acts, returned with its id for the
        caller to publish after commit (a summary instead of every row)."""
        return self.catalog.append_changes(
            [ChangeRecord(project_id, None, self.actor, field, None, new)]
        )

    def publish(self) -> None:
        """After commit: the Change rows written (and any others since) go out, a page at a
        time; with no one listening (the command line) they are not read back at all."""
        bus = self.services.bus
        if not bus.listened:
            bus.last_published = max(bus.last_published, self.catalog.last_change_id())
            return
        after = self._before
        while True:
            page = self.catalog.changes_since(after, 1000)
            if not page:
                return
            bus.publish(page)
            after = page[-1].id


def _unread() -> None:
    raise StorageError(
        "the import could not read back the issues it wrote; nothing was imported",
        "please report this as a bug",
    )


__all__ = ["CHUNK", "BulkChange", "BulkWriter", "issue_row", "ranks_after"]
