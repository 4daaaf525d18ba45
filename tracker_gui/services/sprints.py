"""Sprints: plan, start and close them, and put issues in them; each write one transaction.

History: every change of an issue's sprint is a `sprint` Change row (old/new: the sprint id as
text, None for the backlog); adding, starting or closing a sprint is a `sprint_state` row of the
project (old/new: the state; old None for a new sprint). On a secured database the triggers
write those rows and count the figures (storage/postgres/sql_sprints.py); here the same rows
are named for SQLite.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tracker_gui.domain import sprints as rules
from tracker_gui.domain.enums import ROLE_RANK, Role
from tracker_gui.domain.models import Issue, IssueFilter, NewIssue, Project
from tracker_gui.domain.sprints import Closed, Sprint, SprintState
from tracker_gui.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    UserError,
    ValidationError,
)
from tracker_gui.services.base import ServiceBase
from tracker_gui.services.unit_of_work import ChangeRecord
from tracker_gui.storage.postgres.membership import MembershipRepo
from tracker_gui.storage.sprints_repo import SprintRepo
from tracker_gui.storage.tables import utcnow

if TYPE_CHECKING:
    from tracker_gui.services.issues import IssueService

SPRINT = "sprint"
_MANY = 2000
_FEW = 20
SPRINT_STATE = "sprint_state"


def _id_text(sprint_id: int | None) -> str | None:
    return None if sprint_id is None else str(sprint_id)


class SprintService(ServiceBase):
    """Sprint admin (project admins on a shared database) and issue planning (members)."""

    @functools.cached_property
    def rows(self) -> SprintRepo:
        return SprintRepo(self.db)

    @functools.cached_property
    def _members(self) -> MembershipRepo:
        return MembershipRepo(self.db)

    # -- reads -----------------------------------------------------------------------------
    def project(self, key: str) -> Project:
        found = self.catalog.project_by_key(key.strip().upper())
        if found is None:
            raise NotFoundError(f"no project with key {key!r}")
        return found

    def sprints(self, project_key: str) -> list[Sprint]:
        return self.rows.sprints(self.project(project_key).id)

    def find(self, project_key: str, name: str) -> Sprint:
        """The project's sprint of that name (any case); an unknown one names the others."""
        project = self.project(project_key)
        found = self.rows.by_name(project.id, name)
        if found is None:
            known = ", ".join(s.name for s in self.rows.sprints(project.id)) or "none yet"
            raise NotFoundError(f"no sprint {name.strip()!r} in {project.key} (sprints: {known})")
        return found

    def current(self, project_ids: Sequence[int] = ()) -> dict[int, Sprint]:
        """`sprint:current`: project id -> its active sprint."""
        return self.rows.active(project_ids)

    def names_of(self, issue_ids: Sequence[int]) -> dict[int, str | None]:
        """issue id -> the name of its sprint (None: the backlog)."""
        if len(issue_ids) > _MANY:
            # A long list (`list --format json` of a whole project): the planned issues in
            # one read of the partial index beat hundreds of IN lists.
            planned = self.rows.planned_issues()
            ids: dict[int, int | None] = {i: planned.get(i) for i in issue_ids}
        else:
            ids = self.rows.sprint_ids_of(issue_ids)
        names = self.rows.names(s for s in ids.values() if s is not None)
        return {i: (None if s is None else names.get(s)) for i, s in ids.items()}

    # -- sprint admin ----------------------------------------------------------------------
    def _need(self, project: Project, role: Role, what: str) -> None:
        """A clear refusal before the database's own (row-level security would say less)."""
        if not self.db.server_managed:
            return
        mine = self._members.my_role(project.id)
        if mine is None or ROLE_RANK[mine] < ROLE_RANK[role]:
            shown = mine.value if mine is not None else "no role"
            raise PermissionDeniedError(
                f"{what} in {project.key}: not allowed for {self.actor}"
                f" ({shown}; needs {role.value})"
            )

    def add(
        self, project_key: str, name: str, start: str | dt.date, end: str | dt.date, goal: str = ""
    ) -> Sprint:
        """Plan a sprint (`start`, `end`: YYYY-MM-DD text or dates; both days count)."""
        project = self.project(project_key)
        title = rules.name(name)
        first, last = rules.span(start, end)
        aim = rules.goal(goal)
        self._need(project, Role.ADMIN, "adding a sprint")
        with self._work() as work:
            if self.rows.by_name(project.id, title) is not None:
                raise ValidationError("name", f"{project.key} already has a sprint named {title!r}")
            sprint_id = self.rows.insert(project.id, title, first, last, aim)
            # A project row, so other windows (and the CLI's readers) see the new sprint live.
            work.log(project.id, None, SPRINT_STATE, None, SprintState.PLANNED.value)
            made = self.rows.get(sprint_id)
        assert made is not None
        return made

    def start(self, project_key: str, name: str) -> Sprint:
        sprint = self.find(project_key, name)
        project = self.project(project_key)
        if sprint.state is not SprintState.PLANNED:
            raise UserError(f"sprint {sprint.name!r} is already {sprint.state.value}")
        self._need(project, Role.ADMIN, "starting a sprint")
        with self._work() as work:
            other = self.rows.active([project.id]).get(project.id)
            if other is not None:
                raise UserError(
                    f"sprint {other.name!r} is already active in {project.key}: close it first"
                )
            scope, _ = self.rows.count(sprint.id)
            figures = {"scope_start": scope, "started_at": utcnow()}
            try:
                self._changed(self.rows.set_state(sprint.id, SprintState.ACTIVE, figures))
            except ValidationError:  # the one-active index: another start won the race
                raise UserError(f"another sprint was started in {project.key} meanwhile") from None
            work.log(project.id, None, SPRINT_STATE, "planned", "active")
            started = self.rows.get(sprint.id)
        assert started is not None
        return started

    def close(self, project_key: str, name: str, carry_to: str | None = None) -> Closed:
        """Close the active sprint; its unfinished issues go to `carry_to` (a planned sprint
        of the project) or, with None, back to the backlog, in the same transaction."""
        sprint = self.find(project_key, name)
        project = self.project(project_key)
        if sprint.state is not SprintState.ACTIVE:
            what = "has not started" if sprint.state is SprintState.PLANNED else "is closed already"
            raise UserError(f"sprint {sprint.name!r} {what}: only the active sprint closes")
        target: Sprint | None = None
        if carry_to is not None and carry_to.strip():
            target = self.find(project_key, carry_to)
            if target.id == sprint.id:
                raise ValidationError(
                    "carry-to", "unfinished issues cannot stay in a closed sprint"
                )
            if target.state is not SprintState.PLANNED:
                raise ValidationError(
                    "carry-to",
                    f"sprint {target.name!r} is {target.state.value}; carry to a planned one",
                )
        self._need(project, Role.ADMIN, "closing a sprint")
        with self._work() as work:
            scope, done = self.rows.count(sprint.id)
            figures = {"scope_close": scope, "done_close": done, "closed_at": utcnow()}
            # The figures are counted before anything leaves the sprint.
            self._changed(self.rows.set_state(sprint.id, SprintState.CLOSED, figures))
            work.log(project.id, None, SPRINT_STATE, "active", "closed")
            to_id = None if target is None else target.id
            moved = []
            for issue_id, version in self.rows.unfinished(sprint.id):
                if self.rows.set_issue_sprint(issue_id, version, to_id) is None:
                    raise ConflictError("an issue of the sprint changed meanwhile; try again", None)
                work.log(project.id, issue_id, SPRINT, _id_text(sprint.id), _id_text(to_id))
                moved.append(issue_id)
            closed = self.rows.get(sprint.id)
            keys = self.repo.keys_for(moved) if moved else {}
        assert closed is not None
        return Closed(
            closed, tuple(keys[i] for i in moved), None if target is None else target.name
        )

    def _changed(self, count: int) -> None:
        if count == 0:  # hidden by row-level security, or gone
            raise PermissionDeniedError(f"that sprint cannot be changed by {self.actor}")

    # -- planning issues -------------------------------------------------------------------
    def set_sprint(self, issue_ids: Sequence[int], name: str | None) -> list[Issue]:
        """Put the issues in the sprint called `name` of each one's project (None or "": the
        backlog), in one transaction; an issue already there is left alone."""
        wanted = (name or "").strip() or None
        issues = self._issues(issue_ids)
        if any(i is None for i in issues):
            raise NotFoundError("an issue of the selection was deleted by someone else")
        chosen: dict[int, Sprint | None] = {}
        for issue in issues:
            assert issue is not None
            if issue.project_id in chosen or wanted is None:
                chosen.setdefault(issue.project_id, None)
                continue
            sprint = self.find(issue.project_key, wanted)
            if sprint.state is SprintState.CLOSED:
                raise ValidationError(SPRINT, f"sprint {sprint.name!r} is closed")
            chosen[issue.project_id] = sprint
        rows: list[ChangeRecord] = []
        out: list[Issue] = []
        with self._work() as work:
            current = self.rows.sprint_ids_of(issue_ids)  # what the log's `old` says
            for issue in issues:
                assert issue is not None
                target = chosen[issue.project_id]
                to_id = None if target is None else target.id
                was = current.get(issue.id)
                if was == to_id:
                    out.append(issue)
                    continue
                version = self.rows.set_issue_sprint(issue.id, issue.version, to_id)
                if version is None:
                    raise self._refused(issue)
                rows.append(
                    ChangeRecord(
                        issue.project_id,
                        issue.id,
                        self.actor,
                        SPRINT,
                        _id_text(was),
                        _id_text(to_id),
                    )
                )
                # The row as read, at its new version (a re-read each would double a bulk's time).
                out.append(dataclasses.replace(issue, version=version))
            work.add(rows)
        return out

    def _issues(self, issue_ids: Sequence[int]) -> list[Issue | None]:
        """The issues as stored now (None: gone); a bulk's in a few reads, not one each."""
        if len(issue_ids) <= _FEW:
            return [self.repo.get(i) for i in issue_ids]
        found: dict[int, Issue] = {}
        for start in range(0, len(issue_ids), 500):
            chunk = tuple(issue_ids[start : start + 500])
            flt = IssueFilter(issue_ids=chunk, include_archived=True)
            found.update((i.id, i) for i in self.repo.search(flt, with_description=True))
        return [found.get(i) for i in issue_ids]

    def _refused(self, issue: Issue) -> UserError:
        if self.db.server_managed:
            project = self.project(issue.project_key)
            self._need(project, Role.MEMBER, f"planning {issue.key}")
        return ConflictError(f"{issue.key} was changed by someone else; try again", None)

    def create_in(self, issues: IssueService, new: NewIssue, name: str) -> Issue:
        """Report an issue straight into a sprint: one transaction, both rows logged."""
        if name.strip():
            sprint = self.find(new.project_key, name)
            if sprint.state is SprintState.CLOSED:
                raise ValidationError(SPRINT, f"sprint {sprint.name!r} is closed")
        with self.db.transaction():
            made = issues.create(new)
            if name.strip():
                made = self.set_sprint([made.id], name)[0]
        return made
