"""The Qt-side store: the only object that calls services; turns ChangeEvents into signals."""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
from collections.abc import Callable, Sequence
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
from tracker_gui.errors import (
    ConflictError,
    ConnectionFailedError,
    PermissionDeniedError,
    TrackerError,
)
from tracker_gui.interchange import (
    DEFAULT_COLUMNS as DEFAULT_EXPORT_COLUMNS,
)
from tracker_gui.interchange import (
    ImportCancelled,
    ImportRejected,
    ImportReport,
    export_csv,
    export_json,
    import_csv,
    import_jira,
    import_json,
    import_trello,
)
from tracker_gui.services import Services
from tracker_gui.services.export_reads import ExportReads
from tracker_gui.services.field_state import (
    CommentState,
    FieldState,
    comment_state,
    field_state,
)
from tracker_gui.services.link_keys import link_keys
from tracker_gui.ui.export_job import ExportJob
from tracker_gui.ui.live_feed import LiveFeed
from tracker_gui.ui.undo import (
    AddCommentCommand,
    BulkMoveCommand,
    BulkOutcome,
    CommentOutcome,
    EditIssueCommand,
    MoveIssueCommand,
    Outcome,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
BULK_FIELDS = frozenset({"demo", "import"})
IMPORTERS: dict[str, Callable[..., ImportReport]] = {
    "trello": import_trello,
    "jira": import_jira,
    "csv": import_csv,
    "json": import_json,
}
Tick = Callable[[int, int], None]
OFFLINE_WRITE = (
    "Not saved: Tracker is offline (the database server cannot be reached). "
    "What you entered is kept; save again once it reconnects."
)
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


@dataclass(frozen=True)
class PendingWrite:
    """The write a conflict interrupted: what the user wanted (readable) and how to redo it."""

    kind: str  # "edit" | "move"
    issue_id: int
    mine: dict[str, Any]
    apply: Callable[[Issue], Issue | None]


class Store(QObject):
    """Reads and writes for every widget; models update incrementally from `issuesChanged`."""

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
        self._pending: PendingWrite | None = None
        self.offline = False  # set by the connection monitor while the server is unreachable
        self._roles: dict[int, Role | None] = {}
        self._exports: set[ExportJob] = set()  # running on worker threads

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
        for job in list(self._exports):  # before the database closes under it: no file left
            job.cancel()
            job.wait()

    @property
    def me(self) -> str:
        return self.services.actor

    @property
    def database_label(self) -> str:
        return self.services.database.label

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
            self._note_unreachable(exc)
            self.errorOccurred.emit(str(exc))
            return fallback

    def _note_unreachable(self, exc: TrackerError) -> None:
        if isinstance(exc, ConnectionFailedError) and exc.unreachable:
            self.connectionLost.emit(str(exc))

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
            self._note_unreachable(exc)
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

    def comment_state(self, comment_id: int) -> CommentState | None:
        """A comment's text as stored now (a comment editor compares its start with it)."""
        return self._read(lambda: comment_state(self.services.issues, comment_id), None)

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

    # -- writes --------------------------------------------------------------------------
    def call(self, fn: Callable[[], T]) -> T | None:
        """Run one service write; user-facing failures become signals, never tracebacks."""
        if self.offline:
            self.errorOccurred.emit(OFFLINE_WRITE)
            return None
        self.busyChanged.emit(True)
        try:
            return fn()
        except ConflictError as exc:
            self.conflictOccurred.emit(exc)
        except PermissionDeniedError as exc:
            self._roles.clear()  # demoted mid-session: the UI asks again and hides what it must
            self.errorOccurred.emit(str(exc))
            self.rolesChanged.emit()
        except TrackerError as exc:
            self._note_unreachable(exc)
            self.errorOccurred.emit(OFFLINE_WRITE if self.offline else str(exc))
        finally:
            self.busyChanged.emit(False)
        return None

    def create_issue(self, new: NewIssue) -> Issue | None:
        return self.call(lambda: self.services.issues.create(new))

    def edit_issue(self, issue: Issue, changes: dict[str, Any]) -> Issue | None:
        """Edit fields through the undo stack (Edit > Undo writes the old values back)."""
        outcome = Outcome()
        self.undo_stack.push(EditIssueCommand(self, issue, changes, outcome))
        return outcome.issue

    def move_issue(
        self,
        issue: Issue,
        status_id: int,
        after_id: int | None = None,
        before_id: int | None = None,
    ) -> Issue | None:
        """Move or reorder through the undo stack; undo puts it back between its old neighbours."""
        outcome = Outcome()
        self.undo_stack.push(MoveIssueCommand(self, issue, status_id, after_id, before_id, outcome))
        return outcome.issue

    def bulk_move(self, moves: list[MoveTo], text: str) -> list[Issue] | None:
        """A multi-card drop as one user action: one service call, one undo step (`text`)."""
        outcome = BulkOutcome()
        self.undo_stack.push(BulkMoveCommand(self, moves, text, outcome))
        return outcome.issues

    def add_comment(self, issue_id: int, body: str) -> Comment | None:
        """Add a comment through the undo stack (Edit > Undo deletes it again)."""
        issue = self.issue(issue_id)
        if issue is None:
            return None
        outcome = CommentOutcome()
        self.undo_stack.push(AddCommentCommand(self, issue, body, outcome))
        return outcome.comment

    # -- writes without undo (the undo commands and conflict resolution use these) -------
    def edit_now(self, issue_id: int, version: int, changes: dict[str, Any]) -> Issue | None:
        self._pending = PendingWrite(
            "edit",
            issue_id,
            dict(changes),
            lambda current: self.edit_issue(current, changes),
        )
        return self.call(lambda: self.services.issues.edit(issue_id, version, changes))

    def move_now(
        self,
        issue_id: int,
        version: int,
        status_id: int,
        after_id: int | None = None,
        before_id: int | None = None,
        exact_rank: str | None = None,
    ) -> Issue | None:
        self._pending = PendingWrite(
            "move",
            issue_id,
            {"status": self._status_name_of(status_id)},
            lambda current: self.move_issue(current, status_id, after_id, before_id),
        )
        return self.call(
            lambda: self.services.issues.move(
                issue_id,
                version,
                status_id,
                after_id=after_id,
                before_id=before_id,
                exact_rank=exact_rank,
            )
        )

    def bulk_move_now(self, moves: list[MoveTo], text: str) -> list[Issue] | None:
        """All or none of `moves` in one transaction (IssueService.bulk_move)."""
        if not moves:
            return []
        first = moves[0]
        self._pending = PendingWrite(
            "move",
            first.issue_id,
            {"status": self._status_name_of(first.status_id)},
            lambda _current: self._bulk_again(moves, text),
        )
        return self.call(lambda: self.services.issues.bulk_move(moves))

    def _bulk_again(self, moves: list[MoveTo], text: str) -> Issue | None:
        """Keep mine after a conflict: the same drop on the cards' current versions."""
        current = {i.id: i for i in self.issues_by_ids([m.issue_id for m in moves])}
        fresh = [
            dataclasses.replace(m, version=current[m.issue_id].version)
            for m in moves
            if m.issue_id in current
        ]
        done = self.bulk_move(fresh, text) if fresh else None
        return done[0] if done else None

    def place_issue(
        self, issue_id: int, status_id: int, rank: str, *, expect_status: int | None = None
    ) -> Issue | None:
        """Put an issue back in `status_id` at `rank` (just below its holder if that is taken).

        With `expect_status`, refuse (as a conflict) when the issue is no longer in that status.
        """
        current = self.issue(issue_id)
        if current is None:
            return None
        if expect_status is not None and current.status_id != expect_status:
            self.report_conflict(
                current,
                f"{current.key} was moved by someone else since; it was left where it is",
                kind="move",
                mine={"status": self._status_name_of(status_id)},
            )
            return None
        return self.move_now(issue_id, current.version, status_id, exact_rank=rank)

    def report_conflict(
        self, current: Issue, message: str, *, kind: str, mine: dict[str, Any]
    ) -> None:
        """Raise the conflict flow for a write the store refused before calling the services."""
        if kind == "move":
            status = next(
                (s for s in self.statuses(current.project_id) if s.name == mine.get("status")),
                None,
            )
            target = status.id if status else current.status_id
            self._pending = PendingWrite(
                kind, current.id, mine, lambda issue: self.move_issue(issue, target)
            )
        else:
            self._pending = PendingWrite(
                kind, current.id, mine, lambda issue: self.edit_issue(issue, mine)
            )
        self.conflictOccurred.emit(ConflictError(message, current))

    @property
    def pending_write(self) -> PendingWrite | None:
        """The last write attempted (what a conflict dialog shows as "mine")."""
        return self._pending

    def overwrite(self, pending: PendingWrite) -> Issue | None:
        """Re-apply the user's change on the current version of the issue."""
        current = self.issue(pending.issue_id)
        if current is None:
            self.errorOccurred.emit("the issue no longer exists")
            return None
        return pending.apply(current)

    def merge(self, pending: PendingWrite, kept: dict[str, Any]) -> Issue | None:
        """Apply only the `kept` fields of mine on the current version (theirs for the rest)."""
        if pending.kind != "edit" or set(kept) == set(pending.mine):
            return self.overwrite(pending) if kept else self.reload_issue(pending.issue_id)
        current = self.issue(pending.issue_id)
        if current is None:
            self.errorOccurred.emit("the issue no longer exists")
            return None
        return self.edit_issue(current, kept) if kept else self.reload_issue(current.id)

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

    def _status_name_of(self, status_id: int) -> str:
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

    # -- import and export (tracker_gui.interchange) --------------------------------------
    def import_file(
        self,
        kind: str,
        path: str | os.PathLike[str],
        *,
        dry_run: bool = False,
        progress: Tick | None = None,
        cancelled: Callable[[], bool] | None = None,
        **options: Any,
    ) -> ImportReport | None:
        """Check (`dry_run`) or import a file of `kind` ("trello", "jira", "csv", "json").

        Returns the report: with errors when the file was refused (nothing written), committed
        after an import. None when cancelled (rolled back; no signal) or when it failed
        (errorOccurred). `options` go to the importer: project, mapping, encoding, create_statuses.
        """
        importer = IMPORTERS.get(kind)
        if importer is None:
            self.errorOccurred.emit(f"unknown import kind {kind!r}")
            return None
        # Progress pumps events: no feed read inside the transaction.
        paused = self.live_feed.pause()
        # The import publishes every row it logged, a page at a time; hold them and apply once.
        held: list[Change] = []
        self._unsubscribe()
        release = self.services.bus.subscribe(held.extend)
        self.busyChanged.emit(True)
        try:
            with self.services.database.long_running():
                return importer(
                    self.services,
                    path,
                    dry_run=dry_run,
                    progress=progress,
                    cancelled=cancelled,
                    **options,
                )
        except ImportRejected as exc:
            return exc.report
        except ImportCancelled:
            return None
        except TrackerError as exc:
            self.errorOccurred.emit(str(exc))
        except OSError as exc:
            self.errorOccurred.emit(f"{os.fspath(path)}: {exc.strerror or exc}")
        finally:
            release()
            self._unsubscribe = self.services.bus.subscribe(self._on_bus_events)
            self.busyChanged.emit(False)
            if held:
                self.apply_changes(held, coalesce=True)
            if paused:
                self.live_feed.resume()
        return None

    def start_export(
        self,
        kind: str,
        path: str | os.PathLike[str],
        *,
        flt: IssueFilter | None = None,
        columns: Sequence[str] | None = None,
        listen: Callable[[ExportJob], None] | None = None,
    ) -> ExportJob:
        """Start writing the issues `flt` finds (default: the current filter) as CSV with
        `columns`, or ("json") the whole database, on a worker thread; the job reports.

        `listen(job)` runs before the worker starts: connect the job's signals there. A signal
        reaches only the slots connected when it is emitted, so a worker that fails at once (a
        folder gone) would otherwise tell no one. The file appears only once complete: a cancel
        or a failure leaves none behind.
        """
        if kind not in ("csv", "json"):
            raise ValueError(f"unknown export kind {kind!r}")
        services = self.services
        scope = self._filter if flt is None else flt
        chosen = tuple(columns) if columns is not None else DEFAULT_EXPORT_COLUMNS

        def work(progress: Tick, cancelled: Callable[[], bool]) -> dict[str, int]:
            # On the worker's own connection: minutes, not the interactive seconds.
            with services.database.long_running():
                if kind == "csv":
                    rows = export_csv(
                        services, path, scope, chosen, progress=progress, cancelled=cancelled
                    )
                    return {"issues": rows}
                return export_json(services, path, progress=progress, cancelled=cancelled)

        job = ExportJob(work, ExportReads.of(services).close_thread_connection, os.fspath(path))
        if listen is not None:
            listen(job)
        job.ended.connect(self._on_export_job_ended)  # a method: delivered on this thread
        self._exports.add(job)
        self.busyChanged.emit(True)
        job.start()
        return job

    def _on_export_job_ended(self) -> None:
        job = self.sender()
        if isinstance(job, ExportJob):
            self._exports.discard(job)
        self.busyChanged.emit(False)

    # -- incremental updates -------------------------------------------------------------
    def _on_bus_events(self, events: Sequence[Change]) -> None:
        # Rows another process committed below these ids are not lost: the live feed reads
        # from its own cursor, and only ids already applied are skipped (tests/gui/test_feed_gap).
        self.apply_changes(list(events))

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
            self.errorOccurred.emit(str(exc))
            return []
        out = []
        for issue_id in ids:
            if issue_id in visible:
                out.append(IssueUpdate(issue_id, visible[issue_id], True))
            else:
                out.append(IssueUpdate(issue_id, existing.get(issue_id), False))
        return out
