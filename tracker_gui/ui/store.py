"""The Qt-side store: what widgets read, and ChangeEvents applied to the models as signals."""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

import tracker_gui.ui.pyside_compat  # noqa: F401  (before any Qt call: see the module)
from tracker_gui.domain.cards import Card
from tracker_gui.domain.enums import Role
from tracker_gui.domain.models import (
    Change,
    Comment,
    Issue,
    IssueDetail,
    IssueFilter,
    Label,
    MoveTo,
    NewIssue,
    Project,
    SavedFilter,
    SearchHit,
    Status,
    User,
)
from tracker_gui.domain.workflow import Workflow
from tracker_gui.errors import TrackerError
from tracker_gui.services import Services
from tracker_gui.services.backups import BackupService
from tracker_gui.services.feed import FeedService
from tracker_gui.services.field_state import (
    FieldState,
    field_state,
)
from tracker_gui.services.link_keys import link_keys
from tracker_gui.ui.live_feed import LiveFeed
from tracker_gui.ui.ops import core as ops_core
from tracker_gui.ui.ops import issues as issue_ops
from tracker_gui.ui.ops import undoable
from tracker_gui.ui.ops.core import message_for, unreachable
from tracker_gui.ui.ops.issues import PendingWrite
from tracker_gui.ui.transfers import Transfers

log = logging.getLogger(__name__)
T = TypeVar("T")
OFFLINE_WRITE = ops_core.OFFLINE_WRITE  # imported from here by widgets and tests
BULK_FIELDS = frozenset({"demo", "import"})
BULK_KEEP = 200  # per-issue rows of a bulk write still sent on (the activity pane shows them)
APPLIED_KEEP = 100_000  # applied Change ids remembered (to drop rows the feed reads twice)


def coalesce_bulk(events: list[Change]) -> list[Change]:
    """What views need of a bulk write's rows: project rows and the newest issue rows.

    Its summary row makes every view re-query, so per-issue updates for the rest are redundant.
    """
    if not any(e.field in BULK_FIELDS for e in events):
        return events
    ordered = sorted(events, key=lambda e: e.id)
    newest = {e.id for e in [e for e in ordered if e.issue_id is not None][-BULK_KEEP:]}
    return [e for e in ordered if e.issue_id is None or e.id in newest]


@dataclass(frozen=True, slots=True)
class IssueUpdate:
    """One issue after a change: `issue` is None when it is gone; `visible` = passes the filter."""

    issue_id: int
    issue: Issue | None
    visible: bool


class Store(QObject):
    """What every widget reads, and the changes applied to the models (`issuesChanged`, ...).

    Writes are ui/ops operations; imports and exports are `transfers` (ui/transfers.py).
    """

    issuesChanged = Signal(list)  # list[IssueUpdate]
    changesArrived = Signal(list)  # list[Change], oldest first, from this window or elsewhere
    workflowChanged = Signal(int)  # project id
    projectsChanged = Signal()
    filterChanged = Signal(object)  # IssueFilter
    errorOccurred = Signal(str)  # a one-line message for the user
    conflictOccurred = Signal(object)  # ConflictError (with .current)
    busyChanged = Signal(bool)
    integrityProblem = Signal(str)  # emitted from the checking thread, delivered queued
    connectionLost = Signal(str)  # the server went away (ui/connection_monitor.py takes over)
    rolesChanged = Signal()  # the database refused a write: what this login may do is re-read

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.undo_stack = QUndoStack(self)
        self._filter = IssueFilter()
        self._counts: dict[IssueFilter, dict[int, int]] = {}
        # First pages of a board's columns, read together; each is handed out once.
        self._first_pages: dict[tuple[IssueFilter, int], dict[int, list[Card]]] = {}
        self._workflows: dict[int, Workflow] = {}
        self._floor = services.feed.last_id()  # rows up to here were read with the models
        # Ids applied above the start point: the feed re-reads rows (its cursor is its own),
        # and on PostgreSQL ids do not commit in order, so a high-water mark would drop rows.
        self._applied: set[int] = set()
        self._unsubscribe = services.bus.subscribe(self._on_bus_events)
        self.live_feed = LiveFeed(self, parent=self)
        self.integrityProblem.connect(self._on_self_integrity_problem)
        # The last write attempted (what a conflict dialog shows as "mine"); set by ui/ops.
        self.pending_write: PendingWrite | None = None
        self.offline = False  # set by the connection monitor while the server is unreachable
        self._roles: dict[int, Role | None] = {}
        self.transfers = Transfers(self, parent=self)

    # -- life cycle ----------------------------------------------------------------------
    def start_live_feed(self) -> None:
        """Follow changes made elsewhere (tracker_gui.ui.live_feed: data_version or LISTEN)."""
        self.live_feed.start()

    def start_integrity_check(self) -> threading.Thread:
        """Run the file's quick_check off the GUI thread; damage is reported as an error.

        The window opens first: on a large file the full-file scan would delay it by seconds.
        """
        database = self.services.database

        def work() -> None:
            problems = database.quick_problems()
            if problems:
                self.integrityProblem.emit(
                    f"{database.label} is damaged ({problems[0]}): "
                    "stop editing, run `tracker-gui check` and restore a backup"
                )

        thread = threading.Thread(target=work, name="quick-check", daemon=True)
        thread.start()
        return thread

    def _on_self_integrity_problem(self, message: str) -> None:
        log.error("integrity check: %s", message)
        self.errorOccurred.emit(message)

    def close(self) -> None:
        self.live_feed.stop()
        self._unsubscribe()
        self.transfers.close()

    @property
    def me(self) -> str:
        return self.services.actor

    @property
    def database_label(self) -> str:
        return self.services.database.label

    @property
    def change_feed(self) -> FeedService:
        """The change log as the live feed reads it (ui/live_feed.py)."""
        return self.services.feed

    @property
    def is_local(self) -> bool:
        """A local SQLite file, rather than a shared server."""
        return self.services.database.is_sqlite

    @property
    def backups(self) -> BackupService:
        """The database's backups (File > Restore from Backup, the daily scheduler)."""
        return self.services.backups

    # -- filter --------------------------------------------------------------------------
    @property
    def filter(self) -> IssueFilter:
        return self._filter

    def set_filter(self, flt: IssueFilter) -> None:
        if flt != self._filter:
            self._filter = flt
            self.filterChanged.emit(flt)

    # -- reads ---------------------------------------------------------------------------
    def _read(self, fn: Callable[[], T], fallback: T) -> T:
        if self.offline:  # what is loaded stays on screen; no wait on a dead network
            return fallback
        try:
            return fn()
        except TrackerError as exc:
            unreachable(self, exc)
            self.errorOccurred.emit(message_for(exc))
            return fallback

    def projects(self) -> list[Project]:
        return self._read(self.services.projects.projects, [])

    def workflow(self, project_id: int) -> Workflow:
        if project_id not in self._workflows:
            self._workflows[project_id] = self.services.projects.workflow(project_id)
        return self._workflows[project_id]

    def statuses(self, project_id: int) -> list[Status]:
        return self.workflow(project_id).statuses

    def role(self, project_id: int) -> Role | None:
        """What this login may do in the project (cached until the database refuses a write)."""
        if project_id in self._roles:
            return self._roles[project_id]
        if self.offline:
            return Role.MEMBER  # not known yet: writes are refused while offline anyway
        try:
            role = self.services.projects.my_role(project_id)
        except TrackerError as exc:
            unreachable(self, exc)
            return None
        self._roles[project_id] = role
        return role

    def forget_roles(self) -> None:
        """Membership changed: re-read the roles and let every pane re-apply them."""
        self._roles.clear()
        self.rolesChanged.emit()

    def can_write(self, project_id: int) -> bool:
        """Members and admins create, edit, move and comment; viewers only read."""
        return self.role(project_id) in (Role.MEMBER, Role.ADMIN)

    def can_admin(self, project_id: int) -> bool:
        """Admins also change the workflow and the membership."""
        return self.role(project_id) == Role.ADMIN

    def users(self) -> list[User]:
        return self._read(self.services.projects.users, [])

    def labels(self, project_id: int) -> list[Label]:
        return self._read(lambda: self.services.projects.labels(project_id), [])

    def issue(self, issue_id: int) -> Issue | None:
        return self._read(lambda: self.services.issues.get(issue_id), None)

    def find(self, text: str, project_key: str | None = None, limit: int = 20) -> list[SearchHit]:
        """The quick switcher's hits (by key, then words), matches marked as segments."""
        return self._read(lambda: self.services.issues.find(text, limit, project_key), [])

    def issue_by_key(self, key: str) -> Issue | None:
        return self._read(lambda: self.services.issues.by_key(key), None)

    def detail(self, issue_id: int) -> IssueDetail | None:
        return self._read(lambda: self.services.issues.detail(issue_id), None)

    def field_state(self, issue_id: int, field: str) -> FieldState | None:
        """A field as stored now and who set it last: what an editor compares its start with."""
        return self._read(lambda: field_state(self.services.issues, issue_id, field), None)

    def column_page(
        self, status_id: int, offset: int, limit: int, flt: IssueFilter | None = None
    ) -> list[Card]:
        scope = self._filter if flt is None else flt
        if offset == 0 and len(scope.project_ids) == 1:
            # A board asks for every column's first page in turn: one query reads them all.
            pages = self._first_pages.get((scope, limit))
            if pages is None or status_id not in pages:
                flow = self.workflow(scope.project_ids[0])
                ids = [s.id for s in flow.statuses]
                if status_id in ids:
                    read = lambda: self.services.issues.first_pages(scope, ids, limit)  # noqa: E731
                    pages = self._read(read, None)
                    if pages is not None:
                        self._first_pages[(scope, limit)] = pages
            if pages is not None and status_id in pages:
                return pages.pop(status_id)
        return self._read(lambda: self.services.issues.column(status_id, scope, offset, limit), [])

    def search(
        self, flt: IssueFilter, sort: str = "key", offset: int = 0, limit: int | None = None
    ) -> list[Issue]:
        return self._read(
            lambda: self.services.issues.search(flt, sort=sort, offset=offset, limit=limit), []
        )

    def count(self, flt: IssueFilter | None = None) -> int:
        """How many issues match; the sum of counts_by_status, so one query serves both."""
        return sum(self.counts_by_status(flt).values())

    def counts_by_status(self, flt: IssueFilter | None = None) -> dict[int, int]:
        """Matching issues per status, cached per filter until the next change arrives
        (the board, the status bar and the list all ask after one filter switch)."""
        scope = flt or self._filter
        cached = self._counts.get(scope)
        if cached is None:
            cached = self._read(lambda: self.services.issues.count_by_status(scope), None)
            if cached is None:
                return {}
            self._counts[scope] = cached
        return dict(cached)

    def changes_in_sets(
        self, change_sets: Sequence[str], fields: Sequence[str] = ()
    ) -> list[Change]:
        """Every row (of `fields`) of whole change sets, oldest first."""
        return self._read(lambda: self.services.feed.changes_in_sets(change_sets, fields), [])

    def recent_changes(self, limit: int = 200) -> list[Change]:
        return self._read(lambda: self.services.feed.recent(limit), [])

    def saved_filters(self) -> list[SavedFilter]:
        return self._read(self.services.projects.saved_filters, [])

    # -- writes (the board and the tests call these; each is a ui/ops operation) ------
    def create_issue(self, new: NewIssue) -> Issue | None:
        return issue_ops.create(self, new).value

    def edit_issue(self, issue: Issue, changes: dict[str, Any]) -> Issue | None:
        """Edit fields through the undo stack (Edit > Undo writes the old values back)."""
        return undoable.edit(self, issue, changes).value

    def move_issue(
        self,
        issue: Issue,
        status_id: int,
        after_id: int | None = None,
        before_id: int | None = None,
    ) -> Issue | None:
        """Move or reorder through the undo stack; undo puts it back between its old neighbours."""
        return undoable.move(self, issue, status_id, after_id, before_id).value

    def bulk_move(self, moves: list[MoveTo], text: str) -> list[Issue] | None:
        """A multi-card drop as one user action: one service call, one undo step (`text`)."""
        return undoable.bulk_move(self, moves, text).value

    def add_comment(self, issue_id: int, body: str) -> Comment | None:
        """Add a comment through the undo stack (Edit > Undo deletes it again)."""
        return undoable.add_comment(self, issue_id, body).value

    def reload_issue(self, issue_id: int) -> Issue | None:
        """Re-read one issue and tell every model about its current state."""
        updates = self._updates_for([issue_id])
        if updates:
            self.issuesChanged.emit(updates)
            return updates[0].issue
        return None

    # -- more reads the window needs -----------------------------------------------------
    def status_name(self, project_id: int, status_id: int) -> str:
        try:
            return self.workflow(project_id).status(status_id).name
        except (KeyError, TrackerError):
            return f"status {status_id}"

    def status_label(self, status_id: int) -> str:
        """A status's name from any workflow read so far (its id when none has it)."""
        for workflow in self._workflows.values():
            try:
                return workflow.status(status_id).name
            except KeyError:
                continue
        return str(status_id)

    def issues_by_ids(self, ids: Sequence[int]) -> list[Issue]:
        """Many issues in one query (archived ones too); missing ids are left out."""
        if not ids:
            return []
        flt = IssueFilter(issue_ids=tuple(ids), include_archived=True)
        return self._read(lambda: self.services.issues.search(flt), [])

    def link_keys(self, ids: Sequence[int]) -> dict[int, str]:
        """Keys of linked issues as this login may read them; a hidden one is left out."""
        return self._read(lambda: link_keys(self.services, ids), {}) if ids else {}

    def history(self, issue_id: int) -> list[Change]:
        return self._read(lambda: self.services.feed.history(issue_id), [])

    def project_by_key(self, key: str) -> Project | None:
        return next((p for p in self.projects() if p.key == key), None)

    # -- incremental updates -------------------------------------------------------------
    def _on_bus_events(self, events: Sequence[Change]) -> None:
        # Rows another process committed below these ids are not lost: the live feed reads
        # from its own cursor, and only ids already applied are skipped (tests/gui/test_feed_gap).
        self.apply_changes(list(events))

    @contextmanager
    def held_changes(self) -> Iterator[None]:
        """Hold the changes published and read meanwhile, and apply them once, thinned.

        An import publishes every row it logs, a page at a time, and its progress pumps
        events: the feed must not read inside its transaction.
        """
        paused = self.live_feed.pause()
        held: list[Change] = []
        self._unsubscribe()
        release = self.services.bus.subscribe(held.extend)
        try:
            yield
        finally:
            release()
            self._unsubscribe = self.services.bus.subscribe(self._on_bus_events)
            if held:
                self.apply_changes(held, coalesce=True)
            if paused:
                self.live_feed.resume()

    def poll(self) -> int:
        """Read Change rows made elsewhere now and apply them; how many were new."""
        if self.offline:  # the connection monitor calls poll() once it is back
            return 0
        return self.live_feed.poll_now()

    def apply_changes(self, events: list[Change], *, coalesce: bool = False) -> list[Change]:
        """Apply Change rows read from the log (the live feed); returns those not seen before.

        With `coalesce`, a bulk write's rows are thinned (coalesce_bulk) but all count as seen.
        """
        fresh = [e for e in events if e.id > self._floor and e.id not in self._applied]
        if fresh:
            self._mark_applied(fresh)
            self._publish(coalesce_bulk(fresh) if coalesce else fresh)
        return fresh

    def _mark_applied(self, events: list[Change]) -> None:
        self._applied.update(e.id for e in events)
        if len(self._applied) > APPLIED_KEEP:
            newest = sorted(self._applied)[-APPLIED_KEEP // 2 :]
            self._floor = newest[0] - 1
            self._applied = set(newest)

    def _publish(self, events: list[Change]) -> None:
        """Turn applied Change rows into the store's signals (models update incrementally).

        Per-issue updates go out first, re-reads (a workflow, a bulk write) after: an update
        is a delta against what the views hold, so one sent after a re-read that already
        includes it would count its card twice (issue 14 item 9: an import into an open
        board left every column one too high per imported issue).
        """
        self._counts.clear()
        self._first_pages.clear()
        projects = {e.project_id for e in events if e.issue_id is None}
        for pid in projects:
            self._workflows.pop(pid, None)
        ids = sorted({e.issue_id for e in events if e.issue_id is not None})
        if ids:
            self.issuesChanged.emit(self._updates_for(ids))
        for pid in projects:
            self.workflowChanged.emit(pid)
        if any(e.field == "project" or e.field.startswith("project.") for e in events):
            self.projectsChanged.emit()
        if any(e.field in BULK_FIELDS for e in events):
            # Generated or imported issues log one summary row: every view re-queries.
            self.projectsChanged.emit()
            self.filterChanged.emit(self._filter)
        self.changesArrived.emit(events)

    def _updates_for(self, ids: list[int]) -> list[IssueUpdate]:
        try:
            visible = {
                i.id: i
                for i in self.services.issues.search(
                    dataclasses.replace(self._filter, issue_ids=tuple(ids)), sort="rank"
                )
            }
            rest = [i for i in ids if i not in visible]
            existing = (
                {
                    i.id: i
                    for i in self.services.issues.search(
                        IssueFilter(issue_ids=tuple(rest), include_archived=True)
                    )
                }
                if rest
                else {}
            )
        except TrackerError as exc:
            self.errorOccurred.emit(message_for(exc))
            return []
        out = []
        for issue_id in ids:
            if issue_id in visible:
                out.append(IssueUpdate(issue_id, visible[issue_id], True))
            else:
                out.append(IssueUpdate(issue_id, existing.get(issue_id), False))
        return out
