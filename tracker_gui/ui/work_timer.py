"""The work timer: one at a time, on one issue; stopping logs the time; it survives a restart.

The running timer (its database, issue and start) lives in the settings file, written when it
starts and cleared when it stops, so closing the window (or a crash) loses nothing: the next
window over the same database shows it still running, the elapsed time counted from the start.
The clock is injectable: tests move time on without sleeping.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from tracker_gui.domain.worklogs import WorkLog
from tracker_gui.ui.ops import OpResult
from tracker_gui.ui.ops import worklogs as ops
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store

log = logging.getLogger(__name__)
SETTING = "time/timer"
Clock = Callable[[], dt.datetime]  # now, timezone-aware


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class Running:
    """A running timer: on which issue, since when (aware UTC)."""

    issue_id: int
    key: str
    started: dt.datetime

    def elapsed(self, now: dt.datetime) -> dt.timedelta:
        return max(dt.timedelta(0), now - self.started)


def minutes_for(elapsed: dt.timedelta) -> int:
    """Whole minutes logged for a timed spell: rounded up, at least one."""
    return max(1, math.ceil(elapsed.total_seconds() / 60))


def elapsed_text(elapsed: dt.timedelta) -> str:
    """`0:07:05`, `12:00:00`: hours, minutes and seconds as a stopwatch shows them."""
    seconds = int(elapsed.total_seconds())
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


class WorkTimer(QObject):
    """Start, stop (logging the time as a work log) and restore the one running timer."""

    changed = Signal()  # started, stopped or discarded
    failed = Signal(str)  # a stop that could not log (the timer keeps running)

    def __init__(
        self,
        store: Store,
        settings: Settings,
        clock: Clock = utc_now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._settings = settings
        self.clock = clock
        self._running: Running | None = None
        self.restore()

    def running(self) -> Running | None:
        return self._running

    def runs_on(self, issue_id: int) -> bool:
        return self._running is not None and self._running.issue_id == issue_id

    def elapsed(self) -> dt.timedelta:
        return self._running.elapsed(self.clock()) if self._running else dt.timedelta(0)

    def start(self, issue_id: int, key: str) -> OpResult[Running]:
        """Start on an issue; a timer running on another is stopped (and logged) first."""
        if self._running is not None:
            if self._running.issue_id == issue_id:
                return OpResult(self._running)
            stopped = self.stop()
            if not stopped.ok:
                return OpResult(message=stopped.message or "the running timer could not stop")
        self._running = Running(issue_id, key, self.clock().astimezone(dt.UTC))
        self._save()
        self.changed.emit()
        return OpResult(self._running)

    def stop(self) -> OpResult[WorkLog]:
        """Stop and log the elapsed time, rounded up to whole minutes, on the day it started."""
        running = self._running
        if running is None:
            return OpResult(message="no timer is running")
        minutes = minutes_for(running.elapsed(self.clock()))
        day = running.started.astimezone().date()
        done = ops.log(self._store, running.issue_id, running.key, minutes, day, "")
        if done.value is None:
            self.failed.emit(done.message or "the time could not be logged")
            return done
        self._running = None
        self._save()
        self.changed.emit()
        return done

    def discard(self) -> None:
        """Stop without logging anything."""
        if self._running is not None:
            self._running = None
            self._save()
            self.changed.emit()

    def restore(self) -> None:
        """Pick up a timer left running over this database (at start, or by another window)."""
        raw = str(self._settings.get(SETTING) or "")
        found: Running | None = None
        if raw:
            try:
                doc = json.loads(raw)
                if doc.get("db") == self._store.database_label:
                    started = dt.datetime.fromisoformat(str(doc["started"]))
                    if started.tzinfo is None:
                        started = started.replace(tzinfo=dt.UTC)
                    found = Running(int(doc["issue"]), str(doc["key"]), started)
            except (ValueError, KeyError, TypeError, AttributeError):
                log.warning("ignoring an unreadable timer setting: %r", raw)
        if found != self._running:
            self._running = found
            self.changed.emit()

    def _save(self) -> None:
        running = self._running
        if running is None:
            self._settings.set(SETTING, "")
        else:
            doc = {
                "db": self._store.database_label,
                "issue": running.issue_id,
                "key": running.key,
                "started": running.started.isoformat(),
            }
            self._settings.set(SETTING, json.dumps(doc))
        self._settings.sync()
