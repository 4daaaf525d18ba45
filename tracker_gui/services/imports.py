"""Write a checked import plan (users, workflow, labels, issues, history) in one transaction."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from tracker_gui.domain import history, link_history
from tracker_gui.domain.enums import StatusCategory
from tracker_gui.domain.models import Issue, Label, Project, Status, User
from tracker_gui.errors import StorageError, UserError
from tracker_gui.services import Services
from tracker_gui.services.bulk_writer import CHUNK, BulkWriter, issue_row, ranks_after
from tracker_gui.services.import_plan import (
    PlannedIssue,
    PlannedUser,
    ProjectPlan,
    Target,
    Ticker,
)
from tracker_gui.services.projects import DEFAULT_COLOURS
from tracker_gui.storage.tables import utcnow

log = logging.getLogger(__name__)


class PlanChanged(UserError):
    """The plan's issues came out different the second time (the file changed meanwhile)."""


@dataclass
class PlanWritten:
    """What the write did that the report shows."""

    project: str
    key_map: dict[str, str] = field(default_factory=dict)  # source key -> key given here


# -- reads the planners need ------------------------------------------------------------------
def target(services: Services, key: str) -> Target:
    """The project an import would write into, as it is now (None if it does not exist)."""
    project = services.projects.catalog.project_by_key(key)
    statuses = services.projects.catalog.statuses(project.id) if project else []
    return Target(key, project, statuses)


def project_exists(services: Services, key: str) -> bool:
    return services.projects.catalog.project_by_key(key) is not None


def user(services: Services, username: str) -> User | None:
    return services.projects.catalog.user(username)


def taken_uids(services: Services, uids: Sequence[str]) -> set[str]:
    """The ones of `uids` that issues here already have (archived ones included)."""
    return set(services.issues.repo.ids_by_uid(uids)) if uids else set()


def open_statuses_first(
    have: Sequence[tuple[str, StatusCategory]], new: Sequence[tuple[str, StatusCategory]]
) -> list[tuple[str, StatusCategory]]:
    """`have` with `new` added where a user expects them: a created to-do or in-progress
    status goes before the first done status (never after Done), a done one at the end."""
    cut = next((i for i, (_, c) in enumerate(have) if c == StatusCategory.DONE), len(have))
    opened = [s for s in new if s[1] != StatusCategory.DONE]
    closed = [s for s in new if s[1] == StatusCategory.DONE]
    return [*have[:cut], *opened, *have[cut:], *closed]


# -- the write ----------------------------------------------------------------------------------
class _PlanWriter:
    """State of one import while it writes; every method runs inside the one transaction."""

    def __init__(self, services: Services, plan: ProjectPlan, out: PlanWritten) -> None:
        self.plan, self.out = plan, out
        self.bulk = BulkWriter(services)
        self.catalog = services.projects.catalog
        self.actor = services.actor
        self.now = utcnow()
        self.users: dict[str, int] = {}
        self.labels: dict[str, Label] = {}
        self.written: dict[str, tuple[int, str]] = {}  # only issues something points at
        self.queue: list[tuple[PlannedIssue, Issue, list[int]]] = []
        self.kept_through = 0  # file numbers a secured database was told to keep
        self.queued: set[str] = set()
        self.referenced = plan.referenced | {r for ln in plan.links for r in (ln.source, ln.target)}

    def flush(self, change_set: str | None) -> None:
        self.bulk.flush(change_set)

    def people(self) -> None:
        wanted = list(self.plan.users.values())
        if self.actor not in self.plan.users:
            wanted.append(PlannedUser(self.actor, self.actor))
        for planned in wanted:
            found = self.catalog.user(planned.username) or self.catalog.insert_user(
                planned.username, planned.display_name or planned.username, planned.email
            )
            self.users[planned.username] = found.id

    def project(self, target: Target) -> tuple[Project, list[Status]]:
        project = target.project
        if project is None:
            project = self.catalog.insert_project(self.plan.key, self.plan.name)
            self.bulk.change(project.id, None, self.actor, "project", None, project.key, self.now)
        have = [(s.name, s.category) for s in target.statuses]
        # A new project's workflow comes in the order the check gave it (the file's lists).
        order = open_statuses_first(have, target.to_create) if have else target.to_create
        by_name = {s.name: s for s in target.statuses}
        created = {name for name, _ in target.to_create}
        for position, (name, category) in enumerate(order):
            if name in created:
                colour = DEFAULT_COLOURS[category]
                self.catalog.insert_status(project.id, name, category.value, position, None, colour)
                if target.project is not None:
                    self.bulk.change(
                        project.id, None, self.actor, "status.added", None, name, self.now
                    )
            elif by_name[name].position != position:  # moved along to make room before Done
                self.catalog.update_status(by_name[name].id, {"position": position})
        self.labels = {lab.name.casefold(): lab for lab in self.catalog.labels(project.id)}
        for name, colour in self.plan.labels.items():
            if name.casefold() not in self.labels:
                self.labels[name.casefold()] = self.catalog.insert_label(project.id, name, colour)
        return project, self.catalog.statuses(project.id)

    def numbers(self, project: Project, source: str) -> Iterator[int]:
        """Reserve a block of numbers at once (the project row lock holds others off)."""
        first = self.bulk.reserve_numbers(project.id, self.plan.issue_count)
        yield from range(first, first + self.plan.issue_count)
        raise PlanChanged(f"{source}: the file changed while it was being imported")

    def issue(self, item: PlannedIssue, project: Project, status: Status, number: int,
              rank: str) -> None:  # fmt: skip
        """Queue one issue; the queue is written when full or when a parent in it is needed."""
        if item.parent in self.queued:
            self.write_queue(project)
        if self.plan.keep_numbers and number > self.kept_through:
            self.bulk.keep_numbers_through(project.id, number)
            self.kept_through = number
        created = item.created_at or self.now
        updated = max(created, item.updated_at or created)
        resolved = (item.resolved_at or updated) if status.category == StatusCategory.DONE else None
        reporter = item.reporter or self.actor
        parent_id = self.written[item.parent][0] if item.parent else None
        labels = [self.labels[lab.casefold()] for lab in item.labels]
        issue = Issue(
            id=0, uid=str(uuid.uuid4()), project_id=project.id, project_key=project.key,
            number=number, type=item.type, title=item.title, status_id=status.id,
            priority=item.priority, rank=rank, reporter=reporter, created_at=created,
            updated_at=updated, version=1, description=item.description,
            assignee=item.assignee, parent_id=parent_id, due=item.due, estimate=item.estimate,
            resolved_at=resolved, archived=item.archived,
            labels=tuple(sorted({lab.name for lab in labels})),
        )  # fmt: skip
        self.queue.append((item, issue, [lab.id for lab in labels]))
        self.queued.add(item.ref)
        if len(self.queue) >= CHUNK:
            self.write_queue(project)

    def write_queue(self, project: Project) -> None:
        """Insert the queued issues at once, then what hangs off them (ids are read back)."""
        if not self.queue:
            return
        users, bulk = self.users, self.bulk
        bulk.insert_issues(
            [
                issue_row(i, users[i.reporter], users[i.assignee] if i.assignee else None)
                for _, i, _ in self.queue
            ]
        )
        if self.plan.keep_numbers:  # numbers from the file: any gaps, so by uid
            by_uid = bulk.ids_by_uid({issue.uid for _, issue, _ in self.queue})
            ids = [by_uid[issue.uid] for _, issue, _ in self.queue]
        else:  # a block reserved for this import: one range read
            by_number = bulk.ids_by_number(project.id, [i.number for _, i, _ in self.queue])
            ids = [by_number[issue.number] for _, issue, _ in self.queue]
        for (item, issue, label_ids), issue_id in zip(self.queue, ids, strict=True):
            if item.ref in self.referenced:
                self.written[item.ref] = (issue_id, issue.key)
            if item.source_key:
                self.out.key_map[item.source_key] = issue.key
            for label_id in label_ids:
                bulk.label(issue_id, label_id)
            snapshot = history.snapshot(issue)  # the id is not part of it
            bulk.change(
                project.id, issue_id, issue.reporter, history.CREATED, None, snapshot,
                issue.created_at,
            )  # fmt: skip
            for c in item.comments:
                when = c.created_at or self.now
                bulk.comment(issue_id, users[c.author], c.body, when)
                bulk.change(project.id, issue_id, c.author, "comment", None, c.body[:200], when)
            for watcher in item.watchers:
                bulk.watcher(issue_id, users[watcher])
        self.queue, self.queued = [], set()
        self.flush(self.bulk.database.change_set)

    def links(self, project: Project) -> None:
        for link in self.plan.links:
            (source, _), (target, _) = self.written[link.source], self.written[link.target]
            self.bulk.link(link.kind.value, source, target)
            # Both ends, each naming the other by id, as IssueService.link writes them.
            for issue_id, other, outward in ((source, target, True), (target, source, False)):
                text = link_history.text(link.kind.value, other, outward)
                self.bulk.change(project.id, issue_id, self.actor, "link", None, text, self.now)


def write_plan(
    services: Services, plan: ProjectPlan, where: Target, ticker: Ticker, source: str
) -> PlanWritten:
    """One transaction, the whole import one change set; events go out only after it commits.

    `where` is the project as checked (with the statuses to create); `source` names the file
    in messages. Raises PlanChanged when the plan's issues differ from its count.
    """
    db = services.database
    if db.is_sqlite:
        # A checked copy first: an import is the one write too big to undo by hand.
        services.backups.backup_now("before-import")
    out = PlanWritten(plan.key)
    w = _PlanWriter(services, plan, out)
    with db.transaction():
        w.people()
        project, statuses = w.project(where)
        by_name = {s.name.casefold(): s for s in statuses}
        ranks = {
            name: iter(ranks_after(w.bulk.last_rank(by_name[name].id), count))
            for name, count in plan.per_status.items()
        }
        numbers = None if plan.keep_numbers else w.numbers(project, source)
        top = n = 0
        for n, item in enumerate(plan.issues(), 1):
            ticker(n, plan.issue_count)
            number = item.number if numbers is None else next(numbers)
            assert number is not None
            top = max(top, number)
            key = item.status.casefold()
            w.issue(item, project, by_name[key], number, next(ranks[key]))
        w.write_queue(project)
        if n != plan.issue_count:
            raise PlanChanged(f"{source}: the file changed while it was being imported")
        w.links(project)
        if plan.keep_numbers and top and w.bulk.writes_history:  # else the blocks did it
            w.catalog.update_project(project.id, {"next_number": top + 1})
        w.bulk.change(project.id, None, w.actor, "import", None, plan.note, w.now)
        w.flush(db.change_set)
        ticker(plan.issue_count, plan.issue_count, force=True)  # a late cancel still rolls back
    try:
        db.refresh_statistics()
        w.bulk.publish()
    except StorageError as exc:
        # The import has committed: reporting a failure now would invite a duplicate import.
        # The window's live feed reads the same Change rows on its next poll.
        log.warning("imported, but reading back its changes failed: %s", exc)
    return out


__all__ = [
    "PlanChanged",
    "PlanWritten",
    "open_statuses_first",
    "project_exists",
    "taken_uids",
    "target",
    "user",
    "write_plan",
]
