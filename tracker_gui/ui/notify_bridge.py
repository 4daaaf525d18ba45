"""Qt side of notifications: remote status changes and due dates in, notes out, clicks back.

Status changes come only from the live feed's `remoteChanges` (rows this window wrote go
through the bus and never reach it), so the user's own changes never notify. One change set
(a bulk move, an import) is one notification however the feed's reads cut its rows. The notes
go to desktop-notifier (tracker_gui.notify.Notifier), or to `QSystemTrayIcon.showMessage`
where no notification service answers; where neither works, `unavailable` says so once.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QSystemTrayIcon

from tracker_gui.domain.models import Change, IssueFilter
from tracker_gui.notify.policy import (
    Batcher,
    Note,
    Prefs,
    StatusMove,
    ToldSets,
    relations_of,
    wanted,
)
from tracker_gui.notify.reminders import DueReminders, due_filter
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store

if TYPE_CHECKING:  # the notifier (and asyncio) loads after the window is up
    from tracker_gui.notify.notifier import Notifier

log = logging.getLogger(__name__)

PENDING, NATIVE, TRAY, NONE = "pending", "native", "tray", "none"
REMINDER_MS = 10 * 60_000
TRAY_MESSAGE_MS = 8000
UNAVAILABLE = (
    "Desktop notifications are not available here (no notification service or tray); "
    "changes by others still show on the board and in Activity"
)


def read_prefs(settings: Settings) -> Prefs:
    return Prefs(
        enabled=bool(settings.get("notify/enabled")),
        relations=frozenset(settings.get("notify/relations")),
        statuses=frozenset(settings.get("notify/statuses")),
        quiet_when_focused=bool(settings.get("notify/quiet_when_focused")),
    )


class NotifyBridge(QObject):
    """Decides, batches and delivers; `issueRequested` when a note about an issue is clicked."""

    issueRequested = Signal(int)
    raiseRequested = Signal()  # a click on a note about several issues
    noteShown = Signal(object)  # Note: every note delivered (the tray keeps the history)
    channelChanged = Signal(str)
    unavailable = Signal(str)  # once, when no channel works
    _clicked = Signal(object)  # Note, from the notifier's thread (delivered queued)
    _probed = Signal(bool)

    def __init__(
        self,
        store: Store,
        settings: Settings,
        notifier: Notifier | None,
        *,
        tray: QSystemTrayIcon | None = None,
        focused: Callable[[], bool] = lambda: False,
        today: Callable[[], dt.date] = dt.date.today,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._settings = settings
        self._notifier = notifier
        self._tray = tray
        self._focused = focused
        self.channel = PENDING
        self._queued: list[Note] = []
        self._last_tray_note: Note | None = None
        self.batcher = Batcher(clock=clock)
        self._told = ToldSets()
        self.reminders = DueReminders(today)
        self.reminders.restore(self._stored_reminders())
        self._flush = QTimer(self)
        self._flush.setSingleShot(True)
        self._flush.timeout.connect(self._on_flush_timeout)
        self._reminder_timer = QTimer(self)
        self._reminder_timer.setInterval(REMINDER_MS)
        self._reminder_timer.timeout.connect(self._on_reminder_timer_timeout)
        self._clicked.connect(self._on_self_clicked)
        self._probed.connect(self._on_self_probed)
        if notifier is not None:
            notifier.on_clicked = self._clicked.emit
        if tray is not None:
            tray.messageClicked.connect(self._on_tray_message_clicked)
        store.live_feed.remoteChanges.connect(self._on_feed_remote_changes)

    def start(self) -> None:
        """Find out which channel works (asynchronously), then check due dates."""
        if self._notifier is None:
            self._on_self_probed(False)
        else:
            self._notifier.probe().add_done_callback(self._on_probe_done)
        self._reminder_timer.start()
        QTimer.singleShot(0, self.check_reminders)

    def close(self) -> None:
        self._flush.stop()
        self._reminder_timer.stop()
        if self._notifier is not None:
            self._notifier.close()

    def prefs(self) -> Prefs:
        return read_prefs(self._settings)

    # -- status changes ------------------------------------------------------------------
    def moves_for(self, events: list[Change]) -> list[StatusMove]:
        """The status changes among `events` on issues the user is involved in."""
        rows = [e for e in events if e.field == "status" and e.issue_id is not None and e.new]
        if not rows:
            return []
        me = self._store.me
        ids = sorted({e.issue_id for e in rows if e.issue_id is not None})
        issues = {i.id: i for i in self._store.issues_by_ids(ids)}
        watched_filter = IssueFilter(issue_ids=tuple(ids), watched_by=me, include_archived=True)
        watched = {i.id for i in self._store.search(watched_filter)}
        moves = []
        for event in rows:
            issue = issues.get(event.issue_id or 0)
            if issue is None:
                continue
            relations = relations_of(me, issue.reporter, issue.assignee, issue.id in watched)
            if not relations:
                continue
            try:
                status = self._store.status_name(issue.project_id, int(event.new or 0))
            except ValueError:
                status = str(event.new)
            moves.append(
                StatusMove(
                    event.id, issue.id, issue.key, issue.title, event.actor, status, relations
                )
            )
        return moves

    def whole_sets(self, events: list[Change]) -> list[Change]:
        """`events` with every change set completed, each set once.

        The feed reads committed rows a page at a time, so one action's rows can arrive in
        two reads (rows 1-28, then 29-30). A set's transaction committed all of its rows at
        once: at its first status row, read its status rows whole; its later rows are
        skipped. Rows without a set (older history) pass as they are.
        """
        loose = [e for e in events if e.change_set is None]
        # Only sets with a status row here cost a read (a comment or an edit notifies nothing).
        fresh = self._told.new_sets(e.change_set for e in events if e.field == "status")
        if not fresh:
            return loose
        whole = self._store.changes_in_sets(fresh, fields=("status",))
        return sorted([*loose, *whole], key=lambda e: e.id)

    def _on_feed_remote_changes(self, events: list[Change]) -> None:
        prefs = self.prefs()
        if not prefs.enabled:
            return
        focused = self._focused()
        events = self.whole_sets(events)
        moves = [m for m in self.moves_for(events) if wanted(m, prefs, focused=focused)]
        if moves:
            self.batcher.add(moves)
            self._flush.start(int(self.batcher.remaining() * 1000))

    def _on_flush_timeout(self) -> None:
        if not self.batcher.ready():
            self._flush.start(max(1, int(self.batcher.remaining() * 1000)))
            return
        for note in self.batcher.take():
            self.deliver(note)

    # -- due dates -----------------------------------------------------------------------
    def check_reminders(self) -> list[Note]:
        """Remind about issues assigned to me that are due or overdue (once per issue a day)."""
        if not self.prefs().enabled:
            return []
        me = self._store.me
        issues = self._store.search(due_filter(me, self.reminders.today()))
        notes = self.reminders.check(issues, me)
        if notes:
            state = self.reminders.state()
            self._settings.set("notify/reminded", [f"{k}={v}" for k, v in state.items()])
        for note in notes:
            self.deliver(note)
        return notes

    def _stored_reminders(self) -> dict[str, str]:
        pairs = (str(item).partition("=") for item in self._settings.get("notify/reminded"))
        return {k: v for k, _, v in pairs if v}

    def _on_reminder_timer_timeout(self) -> None:
        self.check_reminders()

    # -- delivery ------------------------------------------------------------------------
    def deliver(self, note: Note) -> None:
        self.noteShown.emit(note)
        self._send(note)

    def _send(self, note: Note) -> None:
        if self.channel == PENDING:
            self._queued.append(note)
        elif self.channel == NATIVE and self._notifier is not None:
            self._notifier.send(note)
        elif self.channel == TRAY and self._tray is not None:
            self._last_tray_note = note
            self._tray.showMessage(
                note.summary, note.body, QSystemTrayIcon.MessageIcon.Information, TRAY_MESSAGE_MS
            )

    def _on_probe_done(self, future: Future[bool]) -> None:
        # Runs on the notifier's thread: hand the answer to the GUI thread through a signal.
        try:
            ok = bool(future.result())
        except Exception:
            log.exception("probing the notification service failed")
            ok = False
        self._probed.emit(ok)

    def _on_self_probed(self, ok: bool) -> None:
        if ok:
            channel = NATIVE
        elif self._tray is not None and self._tray.isVisible():
            channel = TRAY
        else:
            channel = NONE
        log.info("notifications go through: %s", channel)
        self.channel = channel
        self.channelChanged.emit(channel)
        if channel == NONE:
            self.unavailable.emit(UNAVAILABLE)
        queued, self._queued = self._queued, []
        for note in queued:
            self._send(note)

    def _on_self_clicked(self, note: Note) -> None:
        if note.issue_id is not None:
            self.issueRequested.emit(note.issue_id)
        else:
            self.raiseRequested.emit()

    def _on_tray_message_clicked(self) -> None:
        if self._last_tray_note is not None:
            self._on_self_clicked(self._last_tray_note)
