"""Issue reads and the checks every issue write shares (found, current, conflict)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

from tracker_gui.domain import validation
from tracker_gui.domain.cards import Card
from tracker_gui.domain.enums import ROLE_RANK, Role
from tracker_gui.domain.models import (
    Issue,
    IssueDetail,
    IssueFilter,
    SearchHit,
)
from tracker_gui.domain.workflow import Workflow
from tracker_gui.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from tracker_gui.services.base import ServiceBase
from tracker_gui.services.bus import EventBus
from tracker_gui.storage.catalog_repo import CatalogRepo
from tracker_gui.storage.database import Database
from tracker_gui.storage.issue_rows import Written
from tracker_gui.storage.issues_repo import IssueRepo
from tracker_gui.storage.postgres.membership import MembershipRepo
from tracker_gui.storage.quick_find import QuickFind


class IssueReads(ServiceBase):
    """Reads of issues (one query each, no transaction) and the write helpers built on them."""

    def __init__(
        self,
        database: Database,
        catalog: CatalogRepo,
        issues: IssueRepo,
        bus: EventBus,
        actor: str,
    ) -> None:
        super().__init__(database, catalog, issues, bus, actor)
        # `assignee:me` in a query means whoever these services act as.
        issues.me = actor
        self._members = MembershipRepo(database)

    # -- reads ---------------------------------------------------------------------------
    def get(self, issue_id: int) -> Issue:
        found = self.repo.get(issue_id)
        if found is None:
            raise NotFoundError(f"issue {issue_id} does not exist (or was deleted)")
        return found

    def by_key(self, key: str) -> Issue:
        project, number = validation.split_key(key)
        found = self.repo.find_by_key(project, number)
        if found is None:
            raise NotFoundError(f"no issue {project}-{number}")
        return found

    def detail(self, issue_id: int) -> IssueDetail:
        issue = self.get(issue_id)
        parent = self.repo.get(issue.parent_id) if issue.parent_id else None
        return IssueDetail(
            issue=issue,
            comments=tuple(self.repo.comments(issue_id)),
            links=tuple(self.repo.links(issue_id)),
            watchers=tuple(self.repo.watchers(issue_id)),
            children=tuple(self.repo.children(issue_id)),
            parent_key=parent.key if parent else None,
            attachments=tuple(self.repo.attachments(issue_id)),
            history=tuple(self.catalog.history(issue_id)),
        )

    def search(
        self,
        flt: IssueFilter,
        *,
        sort: str | None = None,
        offset: int = 0,
        limit: int | None = None,
        with_description: bool = False,
    ) -> list[Issue]:
        """Matching issues; descriptions only when asked (the board and lists never show them).

        `sort` is a key of storage.filtering.SORTS; None lets `flt.query` decide (its
        `sort:` term, else relevance to its words, else key order).
        """
        return self.repo.search(
            flt, sort=sort, offset=offset, limit=limit, with_description=with_description
        )

    def find(self, text: str, limit: int = 20, project_key: str | None = None) -> list[SearchHit]:
        """The quick switcher's hits: the issue `TRK-12` (or `12` in `project_key`) names,
        then issues whose title, description or comments hold the words, best first; the
        word being typed also matches as a prefix. Matches come marked as segments."""
        return QuickFind(self.db).find(text, project_key, limit)

    def keys_for(self, issue_ids: Iterable[int]) -> dict[int, str]:
        """id -> key (TRK-42) of the given issues; deleted ones are left out."""
        return self.repo.keys_for(issue_ids)

    def count(self, flt: IssueFilter) -> int:
        return self.repo.count(flt)

    def count_by_status(self, flt: IssueFilter) -> dict[int, int]:
        return self.repo.count_by_status(flt)

    def column(
        self, status_id: int, flt: IssueFilter, offset: int = 0, limit: int = 200
    ) -> list[Card]:
        """One board column page in rank order: light cards (what a card shows, labels
        included) in one query; `get()` has the whole issue."""
        scoped = IssueFilter(**{**_fields(flt), "status_ids": (status_id,)})
        return self.repo.cards(scoped, offset=offset, limit=limit)

    def first_pages(
        self, flt: IssueFilter, status_ids: Sequence[int], limit: int = 60
    ) -> dict[int, list[Card]]:
        """The first `limit` cards of each status, as column() gives them, in one query
        (what a board shows first)."""
        return self.repo.first_pages(flt, status_ids, limit)

    # -- helpers -------------------------------------------------------------------------
    def _workflow(self, project_id: int, token: int | None = None) -> Workflow:
        """Kept between calls until the change log says the workflow changed (`token`: the
        log's project-level high-water mark, when the caller has just read it)."""
        return self.catalog.workflow(project_id, token)

    def _after(self, issue: Issue, expected_version: int, written: Written, **fields: Any) -> Issue:
        """The issue as written: what was read before plus the new values and what the
        database returned. Only exact when the write was made from the version read (else
        it is read back)."""
        if issue.version != expected_version:
            return self.get(issue.id)
        return dataclasses.replace(
            issue,
            **fields,
            version=written.version,
            updated_at=written.updated_at,
            resolved_at=written.resolved_at,
            archived=written.archived,
        )

    def _current(self, issue_id: int, what: str) -> Issue:
        """The issue as stored now; a caller holding a version of a deleted one has a conflict."""
        found = self.repo.get(issue_id)
        if found is None:
            raise ConflictError(f"{what}: the issue was deleted by someone else", None)
        return found

    def _conflict(
        self, issue_id: int, what: str, need: Role = Role.MEMBER
    ) -> ConflictError | PermissionDeniedError:
        current = self.repo.get(issue_id)
        if current is None:
            return ConflictError(f"{what}: the issue was deleted by someone else", None)
        # Row-level security hides a row from a write the role may not make: zero rows
        # then means "not allowed", not "changed by someone else".
        role = self._members.my_role(current.project_id) if self.db.server_managed else None
        if self.db.server_managed and (role is None or ROLE_RANK[role] < ROLE_RANK[need]):
            shown = role.value if role is not None else "no role"
            return PermissionDeniedError(
                f"{what} {current.key}: not allowed for {self.actor} ({shown} in "
                f"{current.project_key}; needs {need.value})"
            )
        return ConflictError(
            f"{current.key} was changed by someone else (now version {current.version}); "
            "reload it and try again",
            current,
        )

    def _unchanged(self, issue: Issue, expected_version: int, what: str) -> Issue:
        """A call that changes nothing: fine, unless it was made from a stale version (then
        another save came first and the caller's read-modify-write would be lost)."""
        if issue.version != expected_version:
            raise self._conflict(issue.id, what)
        return issue

    def _resolve_parent(self, project_id: int, parent: Any, issue_id: int = 0) -> int | None:
        if parent in (None, "", 0):
            return None
        target = self.by_key(parent) if isinstance(parent, str) else self.get(int(parent))
        if target.id == issue_id:
            raise ValidationError("parent", "an issue cannot be its own parent")
        if target.project_id != project_id:
            raise ValidationError("parent", "the parent must be in the same project")
        seen, walk = set(), target
        while walk.parent_id is not None and walk.parent_id not in seen:
            if walk.parent_id == issue_id:
                raise ValidationError("parent", "that would make a cycle of parents")
            seen.add(walk.parent_id)
            walk = self.get(walk.parent_id)
        return target.id

    def _label_ids(
        self, project_id: int, names: Sequence[str]
    ) -> tuple[list[int], tuple[str, ...]]:
        ids, shown = [], []
        known = self.catalog.labels_by_name(project_id) if names else {}
        for raw in names:
            name = validation.name("label", raw, limit=validation.LABEL_MAX)
            label = known.get(name.lower()) or self.catalog.insert_label(project_id, name)
            known = {**known, label.name.lower(): label}
            if label.id not in ids:
                ids.append(label.id)
                shown.append(label.name)
        return ids, tuple(sorted(shown))

    def _user_id(self, username: str | None, *, create: bool = False) -> int | None:
        """As ServiceBase's, from the catalog cache when the user is known."""
        found = self.catalog.user_id(username) if username is not None else None
        return found if found is not None else super()._user_id(username, create=create)

    @staticmethod
    def _assignee_name(username: str | None) -> str | None:
        """The user name `_assignee` stored (None for nobody)."""
        return None if username in (None, "") else validation.username(str(username))

    def _assignee(self, username: str | None) -> int | None:
        if username in (None, ""):
            return None
        return self._user_id(validation.username(str(username)), create=self.db.is_sqlite)


def _fields(flt: IssueFilter) -> dict[str, Any]:
    return {name: getattr(flt, name) for name in IssueFilter.__dataclass_fields__}
