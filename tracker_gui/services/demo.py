"""Fills a project with realistic, deterministic demo data, fast enough for 100,000 issues."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tracker_gui.domain import history
from tracker_gui.domain.enums import StatusCategory
from tracker_gui.domain.models import Issue, Status
from tracker_gui.errors import ValidationError
from tracker_gui.services import demo_sprints, demo_time
from tracker_gui.services.bulk_writer import BulkWriter, issue_row, ranks_after
from tracker_gui.services.demo_plan import (
    DEMO_NAME,
    LABELS,
    MAX_ISSUES,
    USERS,
    DemoPlan,
    final_at,
    final_status,
    plan_issues,
)
from tracker_gui.storage.sprints_repo import SprintRepo
from tracker_gui.storage.worklog_repo import WorklogRepo

if TYPE_CHECKING:
    from tracker_gui.services import Services

Progress = Callable[[int, int], None]
_CHUNK = 500


@dataclass(frozen=True)
class DemoReport:
    """What `fill_demo` added, and how long it took."""

    project_key: str
    issues: int
    first_number: int
    users: int
    labels: int
    comments: int
    links: int
    children: int
    watchers: int
    changes: int
    seconds: float
    worklogs: int = 0
    sprints: int = 0

    @property
    def last_number(self) -> int:
        return self.first_number + self.issues - 1


def fill_demo(
    services: Services,
    issues: int,
    seed: int = 1,
    project_key: str = "DEMO",
    progress: Progress | None = None,
) -> DemoReport:
    """Add `issues` generated issues to `project_key` (created if new) in one transaction.

    The same seed gives the same issues; a second run appends with continuing numbers.
    Nothing is published per issue: one summary event follows the commit.
    """
    if not 0 <= issues <= MAX_ISSUES:
        raise ValidationError("issues", f"the number of issues must be 0..{MAX_ISSUES:,}")
    started = time.perf_counter()
    rng = random.Random(seed)
    # Anchored to today (UTC) so a run made the same day is identical and some issues are overdue.
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, hour=12, minute=0, second=0, microsecond=0)
    catalog = services.projects.catalog
    before = catalog.last_change_id()
    with services.database.transaction():
        users = [
            services.projects.ensure_user(name, display, f"{name}@example.com")
            for name, display in USERS
        ]
        project, _ = services.projects.ensure_project(project_key, DEMO_NAME)
        labels = [services.projects.ensure_label(project.id, n, c) for n, c in LABELS]
        statuses = services.projects.statuses(project.id)
        if not statuses:
            raise ValidationError("status", f"project {project.key} has no statuses")
        bulk = BulkWriter(services)
        first = bulk.reserve_numbers(project.id, issues)
        plans = plan_issues(rng, issues, first, statuses, now)
        writer = _Writer(bulk, project.id, project.key, [u.id for u in users], progress)
        writer.logs = demo_time.plan_logs(plans, seed, now)
        writer.sprints = _sprints(services, project.id, plans, seed, now)
        writer.write(plans, statuses, [lab.name for lab in labels], [lab.id for lab in labels])
        summary = bulk.note(project.id, "demo", f"{issues} issues")
    services.bus.publish(summary)
    services.database.refresh_statistics()
    # A secured database writes its own history (the generated one stays out): count it.
    changes = writer.changes if bulk.writes_history else catalog.count_changes(project.id, before)
    return DemoReport(
        project_key=project.key,
        issues=issues,
        first_number=first,
        users=len(users),
        labels=len(labels),
        comments=sum(len(p.comments) for p in plans),
        links=sum(len(p.links) for p in plans),
        children=sum(1 for p in plans if p.parent is not None),
        watchers=sum(len(p.watchers) for p in plans),
        changes=changes,
        seconds=time.perf_counter() - started,
        worklogs=len(writer.logs),
        sprints=len(writer.sprints[1]) if writer.sprints else 0,
    )


def _sprints(
    services: Services, project_id: int, plans: list[DemoPlan], seed: int, now: dt.datetime
) -> tuple[demo_sprints.SprintPlan, list[int]] | None:
    """Plan the demo's sprints and store them (not on a project that has sprints already:
    a second run only adds issues)."""
    repo = SprintRepo(services.database)
    if not plans or repo.sprints(project_id):
        return None
    plan = demo_sprints.plan_sprints(plans, seed, now)
    keep = ("name", "start", "end", "goal", "state", "started_at", "closed_at",
            "scope_start", "scope_close", "done_close")  # fmt: skip
    ids = []
    for sprint in plan.sprints:
        values = {k: getattr(sprint, k) for k in keep}
        values["start_date"], values["end_date"] = values.pop("start"), values.pop("end")
        ids.append(repo.restore(project_id, values))
    return plan, ids


class _Writer:
    """Stores planned issues with the repositories' bulk helpers, parents before children."""

    def __init__(
        self,
        bulk: BulkWriter,
        project_id: int,
        project_key: str,
        user_ids: list[int],
        progress: Progress | None,
    ) -> None:
        self.bulk = bulk
        self.project_id = project_id
        self.key = project_key
        self.user_ids = user_ids
        self.names = [name for name, _ in USERS]
        self.progress = progress
        self.changes = 0
        self.ids: dict[int, int] = {}
        self.logs: list[demo_time.PlannedLog] = []  # time spent (demo_time), set before write
        # (plan, stored sprint ids) from demo_sprints, set before write; None: no sprints.
        self.sprints: tuple[demo_sprints.SprintPlan, list[int]] | None = None

    def write(
        self,
        plans: list[DemoPlan],
        statuses: Sequence[Status],
        label_names: list[str],
        label_ids: list[int],
    ) -> None:
        if not plans:
            return
        ranks = self._ranks(plans, statuses)
        depth: dict[int, int] = {}
        for p in plans:
            depth[p.number] = depth.get(p.parent, -1) + 1 if p.parent is not None else 0
        done = 0
        # Children need their parent's id, so each level is read back before the next goes in.
        for level in range(max(depth.values()) + 1):
            numbers = [p.number for p in plans if depth[p.number] == level]
            rows = [
                self._row(p, statuses[0], ranks[p.number])
                for p in plans
                if depth[p.number] == level
            ]
            for start in range(0, len(rows), _CHUNK):
                self.bulk.insert_issues(rows[start : start + _CHUNK])
                done += len(rows[start : start + _CHUNK])
                if self.progress is not None:
                    self.progress(done, len(plans))
            self.ids.update(self.bulk.ids_by_number(self.project_id, numbers))
        for p in plans:
            for i in p.labels:
                self.bulk.label(self.ids[p.number], label_ids[i])
        # In time order, so comment ids (the order the detail pane shows) follow the clock.
        comments = sorted(
            (
                (self.ids[p.number], self.user_ids[a], body, at)
                for p in plans
                for a, at, body in p.comments
            ),
            key=lambda c: c[3],
        )
        self.bulk.comments(comments)
        self.bulk.links(
            sorted({(k.value, self.ids[p.number], self.ids[o]) for p in plans for k, o in p.links})
        )
        self.bulk.watchers(
            (self.ids[p.number], self.user_ids[w]) for p in plans for w in p.watchers
        )
        WorklogRepo(self.bulk.database).insert_many(
            (self.ids[w.number], self.user_ids[w.user], w.on, w.minutes, w.note, w.at)
            for w in self.logs
        )
        self._history(plans, statuses[0], ranks, label_names)

    def _ranks(self, plans: list[DemoPlan], statuses: Sequence[Status]) -> dict[int, str]:
        """Board order per column, highest priority first, after any cards already there."""
        columns: dict[int, list[DemoPlan]] = {s.id: [] for s in statuses}
        for p in plans:
            columns[final_status(p, statuses[0]).id].append(p)
        ranks: dict[int, str] = {}
        for status_id, members in columns.items():
            members.sort(key=lambda p: (-p.priority, p.number))
            keys = ranks_after(self.bulk.last_rank(status_id), len(members))
            ranks.update((p.number, key) for p, key in zip(members, keys, strict=True))
        return ranks

    def _row(self, p: DemoPlan, initial: Status, rank_key: str) -> dict[str, Any]:
        final = final_at(p)
        done = bool(p.path) and p.path[-1][0].category == StatusCategory.DONE
        updated = max([p.created, final] + [at for _, at, _ in p.comments])
        names = self.names
        issue = Issue(
            id=0,
            uid=str(uuid.uuid4()),
            project_id=self.project_id,
            project_key=self.key,
            number=p.number,
            type=p.type,
            title=p.title,
            status_id=final_status(p, initial).id,
            priority=p.priority,
            rank=rank_key,
            reporter=names[p.reporter],
            created_at=p.created,
            updated_at=max(updated, p.archived_at or updated),
            version=1 + len(p.path) + (1 if p.archived_at else 0),
            description=p.description,
            parent_id=self.ids[p.parent] if p.parent is not None else None,
            due=p.due,
            estimate=p.estimate,
            resolved_at=final if done else None,
            archived=p.archived_at is not None,
        )
        assignee = self.user_ids[p.assignee] if p.assignee is not None else None
        row = issue_row(issue, self.user_ids[p.reporter], assignee)
        if self.sprints is not None:
            plan, ids = self.sprints
            index = plan.now_in.get(p.number)
            row["sprint"] = None if index is None else ids[index]
        return row

    def _history(
        self, plans: list[DemoPlan], initial: Status, ranks: dict[int, str], label_names: list[str]
    ) -> None:
        """A `created` snapshot per issue, then its moves, comments and links, in time order.

        Watchers get no rows: 50,000 "started watching" entries would only bury the moves.
        """
        rows: list[
            tuple[int, int | None, str, str, str | None, str | None, dt.datetime, str | None]
        ] = []
        pid, names = self.project_id, self.names
        for p in plans:
            issue_id = self.ids[p.number]
            snapshot = Issue(
                id=issue_id,
                uid="",
                project_id=pid,
                project_key=self.key,
                number=p.number,
                type=p.type,
                title=p.title,
                status_id=initial.id,
                priority=p.priority,
                rank=ranks[p.number],
                reporter=names[p.reporter],
                created_at=p.created,
                updated_at=p.created,
                version=1,
                description=p.description,
                assignee=names[p.assignee] if p.assignee is not None else None,
                parent_id=self.ids[p.parent] if p.parent is not None else None,
                due=p.due,
                estimate=p.estimate,
                labels=tuple(sorted(label_names[i] for i in p.labels)),
            )
            created = history.snapshot(snapshot)
            rows.append(
                (pid, issue_id, names[p.reporter], history.CREATED, None, created, p.created, None)
            )
            previous = initial.id
            for status, at, who in p.path:
                rows.append(
                    (pid, issue_id, names[who], "status", str(previous), str(status.id), at, None)
                )
                previous = status.id
            for author, at, body in p.comments:
                rows.append((pid, issue_id, names[author], "comment", None, body[:200], at, None))
            for kind, other in p.links:
                text = f"{kind.value} {self.key}-{other}"
                rows.append((pid, issue_id, names[p.reporter], "link", None, text, p.created, None))
            if p.archived_at is not None:
                closer = names[p.assignee if p.assignee is not None else p.reporter]
                rows.append(
                    (pid, issue_id, closer, "archived", "false", "true", p.archived_at, None)
                )
        for w in self.logs:
            rows.append(
                (pid, self.ids[w.number], names[w.user], "logged", None, str(w.minutes), w.at,
                 None)
            )  # fmt: skip
        if self.sprints is not None:
            plan, ids = self.sprints
            lead = names[demo_sprints.LEAD]
            rows += demo_sprints.history(plan, ids, self.ids, pid, lead)
        # Ids then follow time, so "the newest changes" are the ones with the highest ids.
        # A sprint's close and the moves it carried share a change set (the reports read
        # them as one action): consecutive rows of one set are flushed together.
        rows.sort(key=lambda r: r[6])
        for change_set, run in itertools.groupby(rows, key=lambda r: r[7]):
            for row in run:
                self.bulk.change(*row[:7])
            self.bulk.flush(change_set)
        self.changes = len(rows)


__all__ = ["LABELS", "USERS", "DemoReport", "fill_demo"]
