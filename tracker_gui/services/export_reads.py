"""Reads for exports: the whole database a page at a time, inside one consistent snapshot."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tracker_gui.domain.enums import LinkKind
from tracker_gui.domain.models import (
    Attachment,
    Change,
    Comment,
    Issue,
    IssueFilter,
    Label,
    Project,
    SavedFilter,
    Status,
    Transition,
    User,
)
from tracker_gui.domain.sprints import Sprint
from tracker_gui.storage.catalog_repo import CatalogRepo
from tracker_gui.storage.database import Database
from tracker_gui.storage.export_rows import ExportRows, Span
from tracker_gui.storage.issues_repo import IssueRepo
from tracker_gui.storage.sprints_repo import SprintRepo

if TYPE_CHECKING:
    from tracker_gui.services import Services

PAGE = 500  # issues per page: also the length of the IN lists of the per-page reads
CHANGE_PAGE = 2000


@dataclass(frozen=True, slots=True)
class IssueBundle:
    """One issue with what hangs off it, as a full export writes it."""

    issue: Issue
    watchers: tuple[str, ...]
    comments: tuple[Comment, ...]
    links: tuple[tuple[LinkKind, int], ...]  # outward links: (kind, target issue id)
    attachments: tuple[Attachment, ...]  # without their bytes: attachment_data reads those


class ExportReads:
    """Every read an export makes. Memory stays flat: pages are keyed by number or id (no
    OFFSET scans), and nothing is held beyond the page being written and the uid of each
    issue (~100 bytes an issue: what links and history refer to)."""

    def __init__(self, database: Database, catalog: CatalogRepo, repo: IssueRepo) -> None:
        self.db = database
        self.catalog = catalog
        self.repo = repo
        self.rows = ExportRows(database)

    @classmethod
    def of(cls, services: Services) -> ExportReads:
        return cls(services.database, services.projects.catalog, services.issues.repo)

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """One consistent view for the whole export; it never blocks writers."""
        with self.db.snapshot():
            yield

    def close_thread_connection(self) -> None:
        """After an export on a worker thread: close that thread's connection."""
        self.rows.close_thread_connection()

    # -- the catalogue (small) ---------------------------------------------------------------
    def projects(self) -> list[Project]:
        return sorted(self.catalog.projects(include_archived=True), key=lambda p: p.key)

    def statuses(self, project_id: int) -> list[Status]:
        return self.catalog.statuses(project_id)

    def transitions(self, project_id: int) -> list[Transition]:
        return self.catalog.transitions(project_id)

    def labels(self, project_id: int) -> list[Label]:
        return self.catalog.labels(project_id)

    def users(self) -> list[User]:
        return sorted(self.catalog.users(), key=lambda u: u.username)

    def saved_filters(self, owner_id: int) -> list[SavedFilter]:
        return self.catalog.saved_filters(owner_id)

    def sprints(self) -> list[Sprint]:
        return SprintRepo(self.db).every()

    def issue_sprints(self) -> dict[int, int]:
        """issue id -> its sprint's id, for the issues in one."""
        return SprintRepo(self.db).planned_issues()

    def issue_uids(self) -> dict[int, str]:
        return self.rows.issue_uids()

    def count(self, flt: IssueFilter) -> int:
        return self.repo.count(flt)

    def change_total(self) -> int:
        """Rows in the Change log (for progress: a full export writes issues, then these)."""
        return self.rows.change_total()

    # -- pages ------------------------------------------------------------------------------
    def matching(
        self,
        flt: IssueFilter,
        *,
        sort: str = "key",
        with_description: bool = False,
        page: int | None = None,
    ) -> Iterator[list[Issue]]:
        """The issues `flt` finds in `sort` order (a key of storage.filtering.SORTS; by key,
        project key then number, unless told), a page at a time."""
        page = page or PAGE
        if sort != "key":  # no export asks for another order today: plain pages will do
            offset = 0
            while found := self.repo.search(flt, sort=sort, offset=offset, limit=page,
                                            with_description=with_description):  # fmt: skip
                yield found
                offset += len(found)
            return
        condition = self.rows.condition(flt, self.repo.query_context())
        for project in self.projects():
            after = 0
            while found := self.rows.issue_page(
                condition, project.id, after, page, with_description
            ):
                yield found
                after = found[-1].number
                if len(found) < page:
                    break

    def bundles(self, project_id: int, *, page: int | None = None) -> Iterator[list[IssueBundle]]:
        """Every issue of a project (archived too) by number, with comments, watchers, links
        and attachment details, a page at a time."""
        page = page or PAGE
        after = 0
        while issues := self.rows.issue_page(True, project_id, after, page, True):
            span = Span(project_id, issues[0].number, issues[-1].number)
            watchers = self.rows.watchers_of(span)
            comments = self.rows.comments_of(span)
            links = self.rows.outward_links_of(span)
            attachments = self.rows.attachments_of(span)
            yield [
                IssueBundle(
                    i,
                    tuple(watchers.get(i.id, ())),
                    tuple(comments.get(i.id, ())),
                    tuple(links.get(i.id, ())),
                    tuple(attachments.get(i.id, ())),
                )
                for i in issues
            ]
            after = issues[-1].number
            if len(issues) < page:
                return

    def keys_for(self, ids: Iterable[int]) -> dict[int, str]:
        """Issue keys by id (a CSV's Parent column)."""
        return self.repo.keys_for(ids) if ids else {}

    def attachment_data(self, attachment_id: int) -> bytes:
        return self.repo.attachment_data(attachment_id)

    def changes(self, *, page: int | None = None) -> Iterator[list[Change]]:
        """The whole Change log, oldest first, a page at a time."""
        page = page or CHANGE_PAGE
        after = 0
        while found := self.rows.changes_after(after, page):
            yield found
            after = found[-1].id


__all__ = ["ExportReads", "IssueBundle"]
