"""Time-tracking writes and reads for the window: log work, remove a log, set the time left.

Logging work and setting the remaining time are undoable (Edit > Undo), like a comment and a
field edit; removing a log is not (as deleting a comment is not). Durations are read by the
service, so the window refuses the same text with the same words as the CLI.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from PySide6.QtGui import QUndoCommand, QUndoStack

from tracker_gui.domain.durations import WorkCalendar
from tracker_gui.domain.worklogs import TimeSpent, WorkLog
from tracker_gui.services import Services
from tracker_gui.services.worklogs import Duration, WorklogService
from tracker_gui.ui.ops.core import Host, OpResult, read, run


class TimeHost(Host, Protocol):
    """A Host with the window's undo stack (the store is one)."""

    @property
    def undo_stack(self) -> QUndoStack: ...


def _time(services: Services) -> WorklogService:
    return WorklogService.of(services)


# -- reads --------------------------------------------------------------------------------
def entries(host: Host, issue_id: int) -> OpResult[list[WorkLog]]:
    return read(host, lambda s: _time(s).entries(issue_id))


def spent(host: Host, issue_ids: Sequence[int]) -> OpResult[dict[int, TimeSpent]]:
    """Logged and remaining minutes of many issues in one batched read."""
    return read(host, lambda s: _time(s).spent(list(issue_ids)))


def calendar(host: Host, project_id: int) -> OpResult[WorkCalendar]:
    return read(host, lambda s: _time(s).calendar(project_id))


# -- writes that take effect at once ------------------------------------------------------
def log_now(
    host: Host, issue_id: int, duration: Duration, on: dt.date | None = None, note: str = ""
) -> OpResult[WorkLog]:
    return run(host, lambda s: _time(s).log(issue_id, duration, on, note))


def remove(host: Host, worklog_id: int, issue_id: int | None = None) -> OpResult[WorkLog]:
    return run(host, lambda s: _time(s).remove(worklog_id, issue_id))


def set_remaining_now(host: Host, issue_id: int, value: Duration | None) -> OpResult[TimeSpent]:
    return run(host, lambda s: _time(s).set_remaining(issue_id, value))


# -- undoable -----------------------------------------------------------------------------
@dataclass
class LogOutcome:
    """What the first redo() of a log produced (kept outside the command, which Qt may delete)."""

    result: OpResult[WorkLog] = field(default_factory=OpResult)


@dataclass
class RemainingOutcome:
    result: OpResult[TimeSpent] = field(default_factory=OpResult)


class LogWorkCommand(QUndoCommand):
    """Log time; undo removes that log, redo logs the same time anew (a new log)."""

    def __init__(
        self,
        host: Host,
        issue_id: int,
        key: str,
        duration: Duration,
        on: dt.date | None,
        note: str,
        outcome: LogOutcome,
    ) -> None:
        super().__init__()
        self._host = host
        self._issue_id = issue_id
        self._duration: Duration = duration
        self._on = on
        self._note = note
        self._outcome = outcome
        self._log_id: int | None = None
        self.setText(f"Log work on {key}")

    def redo(self) -> None:
        result = log_now(self._host, self._issue_id, self._duration, self._on, self._note)
        self._outcome.result = result
        if result.value is None:
            self.setObsolete(True)
            return
        # Again as read: a redo logs the same minutes on the same day whatever the text said.
        done = result.value
        self._log_id, self._duration, self._on = done.id, done.minutes, done.on

    def undo(self) -> None:
        if self._log_id is None:
            return
        if not remove(self._host, self._log_id, self._issue_id).ok:
            self.setObsolete(True)  # it could not be removed: the error was shown
        self._log_id = None


class SetRemainingCommand(QUndoCommand):
    """Set (or clear) the time left; undo puts back the value set before (or clears it)."""

    def __init__(
        self,
        host: Host,
        issue_id: int,
        key: str,
        before: int | None,
        value: Duration | None,
        outcome: RemainingOutcome,
    ) -> None:
        super().__init__()
        self._host = host
        self._issue_id = issue_id
        self._before = before
        self._value = value
        self._outcome = outcome
        self._first = True
        self.setText(f"Set the remaining time of {key}")

    def redo(self) -> None:
        result = set_remaining_now(self._host, self._issue_id, self._value)
        if self._first:
            self._first = False
            self._outcome.result = result
            if result.value is None:
                self.setObsolete(True)
                return
            done = result.value
            self._value = done.remaining if done.remaining_set else None
            if self._value == self._before:
                self.setObsolete(True)  # it was so already: nothing to undo
        elif result.value is None:
            self.setObsolete(True)

    def undo(self) -> None:
        if not set_remaining_now(self._host, self._issue_id, self._before).ok:
            self.setObsolete(True)


def log(
    host: TimeHost,
    issue_id: int,
    key: str,
    duration: Duration,
    on: dt.date | None = None,
    note: str = "",
) -> OpResult[WorkLog]:
    """Log time (Edit > Undo removes the log again)."""
    outcome = LogOutcome()
    host.undo_stack.push(LogWorkCommand(host, issue_id, key, duration, on, note, outcome))
    return outcome.result


def set_remaining(
    host: TimeHost, issue_id: int, key: str, before: int | None, value: Duration | None
) -> OpResult[TimeSpent]:
    """Set the time left, `None`/"" to clear it (Edit > Undo puts `before` back: the value
    set by hand before, None when it was the estimate minus logged)."""
    outcome = RemainingOutcome()
    host.undo_stack.push(SetRemainingCommand(host, issue_id, key, before, value, outcome))
    return outcome.result
