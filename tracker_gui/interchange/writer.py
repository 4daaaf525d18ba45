"""Write a checked ProjectPlan (users, workflow, labels, issues, history) in one transaction."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterator

from tracker_gui.domain import history, link_history
from tracker_gui.domain.enums import StatusCategory
from tracker_gui.domain.models import Issue, Label, Project, Status
from tracker_gui.errors import StorageError
from tracker_gui.interchange.bulk import CHUNK, ids_by_number, ids_by_uid, insert_issues
from tracker_gui.interchange.plan import PlannedIssue, PlannedUser, ProjectPlan, Target
from tracker_gui.interchange.report import BadFile, ImportReport, Ticker
from tracker_gui.interchange.values import ranks_after
from tracker_gui.services import Services
from tracker_gui.services.projects import DEFAULT_COLOURS
from tracker_gui.storage.tables import utcnow

log = logging.getLogger(__name__)

BulkChange = tuple[int, int | None, str, str, str | None, str | None, dt.datetime]


class _Writer:
    """State of one import while it writes; every method runs inside the one transaction."""

    def __init__(self, services: Services, plan: ProjectPlan, report: ImportReport) -> None:
        self.services, self.plan, self.report = services, plan, report
        self.catalog, self.repo = services.projects.catalog, services.issues.repo
        self.actor = services.actor
        self.now = utcnow()
        self.log: list[BulkChange] = []
        self.pairs: list[tuple[int, int]] = []
        self.users: dict[str, int] = {}
        self.labels: dict[str, Label] = {}
        self.written: dict[str, tuple[int, str]] = {}  # only issues something points at
        self.queue: list[tuple[PlannedIssue, Issue, list[int]]] = []
        self.queued: set[str] = set()
        self.referenced = plan.referenced | {r for ln in plan.links for r in (ln.source, ln.target)}

    def flush(self) -> None:
        # The whole import is one action: one change set (its transaction's).
        self.catalog.append_changes_bulk(self.log, self.services.database.change_set)
        self.repo.add_labels_many(self.pairs)
        self.log, self.pairs = [], []

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
            self.log.append((project.id, None, self.actor, "project", None, project.key, self.now))
        start = max((s.position for s in target.statuses), default=-1) + 1
        for offset, (name, category) in enumerate(target.to_create):
            colour = DEFAULT_COLOURS[category]
            self.catalog.insert_status(
                project.id, name, category.value, start + offset, None, colour
            )
            if target.project is not None:
                self.log.append(
                    (project.id, None, self.actor, "status.added", None, name, self.now)
                )
        self.labels = {lab.name.casefold(): lab for lab in self.catalog.labels(project.id)}
        for name, colour in self.plan.labels.items():
            if name.casefold() not in self.labels:
                self.labels[name.casefold()] = self.catalog.insert_label(project.id, name, colour)
        return project, self.catalog.statuses(project.id)

    def numbers(self, project: Project) -> Iterator[int]:
        """Reserve a block of numbers at once (the project row lock holds others off)."""
        first = self.repo.next_number(project.id)
        count = self.plan.issue_count
        self.catalog.update_project(project.id, {"next_number": first + count})
        yield from range(first, first + count)
        raise BadFile(self.report.path, "the file changed while it was being imported")

    def issue(self, item: PlannedIssue, project: Project, status: Status, number: int,
              rank: str) -> None:  # fmt: skip
        """Queue one issue; the queue is written when full or when a parent in it is needed."""
        if item.parent in self.queued:
            self.write_queue(project)
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

    def _row(self, issue: Issue) -> dict[str, object]:
        return {
            "uid": issue.uid,
            "project": issue.project_id,
            "number": issue.number,
            "type": issue.type.value,
            "title": issue.title,
            "description": issue.description,
            "status": issue.status_id,
            "priority": int(issue.priority),
            "assignee": self.users[issue.assignee] if issue.assignee else None,
            "reporter": self.users[issue.reporter],
            "parent": issue.parent_id,
            "rank": issue.rank,
            "due": issue.due,
            "estimate": issue.estimate,
            "created_at": issue.created_at,
            "updated_at": issue.updated_at,
            "resolved_at": issue.resolved_at,
            "archived": issue.archived,
            "version": 1,
        }

    def write_queue(self, project: Project) -> None:
        """Insert the queued issues at once, then what hangs off them (ids are read back)."""
        if not self.queue:
            return
        insert_issues(self.services, [self._row(issue) for _, issue, _ in self.queue])
        if self.plan.keep_numbers:  # numbers from the file: any gaps, so by uid
            by_uid = ids_by_uid(self.services, {issue.uid for _, issue, _ in self.queue})
            ids = [by_uid[issue.uid] for _, issue, _ in self.queue]
        else:  # a block reserved for this import: one range read
            by_number = ids_by_number(
                self.services, project.id, [issue.number for _, issue, _ in self.queue]
            )
            ids = [by_number[issue.number] for _, issue, _ in self.queue]
        for (item, issue, label_ids), issue_id in zip(self.queue, ids, strict=True):
            if item.ref in self.referenced:
                self.written[item.ref] = (issue_id, issue.key)
            if item.source_key:
                self.report.key_map[item.source_key] = issue.key
            self.pairs += [(issue_id, label_id) for label_id in label_ids]
            snapshot = history.snapshot(issue)  # the id is not part of it
            row = (project.id, issue_id, issue.reporter, history.CREATED, None, snapshot)
            self.log.append((*row, issue.created_at))
            for c in item.comments:
                when = c.created_at or self.now
                self.repo.insert_comment(issue_id, self.users[c.author], c.body, when)
                text = c.body[:200]
                self.log.append((project.id, issue_id, c.author, "comment", None, text, when))
            for watcher in item.watchers:
                self.repo.add_watcher(issue_id, self.users[watcher])
        self.queue, self.queued = [], set()
        self.flush()

    def links(self, project: Project) -> None:
        for link in self.plan.links:
            (source, _), (target, _) = self.written[link.source], self.written[link.target]
            self.repo.insert_link(link.kind.value, source, target)
            # Both ends, each naming the other by id, as IssueService.link writes them.
            for issue_id, other, outward in ((source, target, True), (target, source, False)):
                text = link_history.text(link.kind.value, other, outward)
                self.log.append((project.id, issue_id, self.actor, "link", None, text, self.now))


def write(
    services: Services, plan: ProjectPlan, target: Target, report: ImportReport, ticker: Ticker
) -> None:
    """One transaction; events go out only after it commits."""
    if services.database.is_sqlite:
        # A checked copy first: an import is the one write too big to undo by hand.
        services.backups.backup_now("before-import")
    before = services.projects.catalog.last_change_id()
    w = _Writer(services, plan, report)
    with services.database.transaction():
        w.people()
        project, statuses = w.project(target)
        by_name = {s.name.casefold(): s for s in statuses}
        ranks = {
            name: iter(ranks_after(w.repo.column_ranks(by_name[name].id)[1], count))
            for name, count in plan.per_status.items()
        }
        numbers = None if plan.keep_numbers else w.numbers(project)
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
            raise BadFile(report.path, "the file changed while it was being imported")
        w.links(project)
        if plan.keep_numbers and top:
            w.catalog.update_project(project.id, {"next_number": top + 1})
        w.log.append((project.id, None, w.actor, "import", None, plan.note, w.now))
        w.flush()
        ticker(plan.issue_count, plan.issue_count, force=True)  # a late cancel still rolls back
    try:
        services.database.refresh_statistics()
        publish(services, before)
    except StorageError as exc:
        # The import has committed: reporting a failure now would invite a duplicate import.
        # The window's live feed reads the same Change rows on its next poll.
        log.warning("imported, but reading back its changes failed: %s", exc)


def publish(services: Services, after: int) -> None:
    """After commit: the Change rows written (and any others since) go out, a page at a time."""
    if not services.bus.listened:
        # No window listens (the command line): reading 10,000 rows back would go to no one.
        last = services.projects.catalog.last_change_id()
        services.bus.last_published = max(services.bus.last_published, last)
        return
    while True:
        page = services.projects.catalog.changes_since(after, 1000)
        if not page:
            return
        services.bus.publish(page)
        after = page[-1].id
