"""Computes reports on a worker thread, one at a time, so the window never waits for SQL.

The computation is a plain callable handed in by the composition root (`app.py`):
`compute(kind, options) -> Report`, run on a thread of this job's own pool. A newer request
makes any result still on its way stale: only the last request's answer is delivered.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from tracker_gui.errors import TrackerError
from tracker_gui.services.report_types import Report
from tracker_gui.ui.ops.core import message_for

log = logging.getLogger(__name__)

Options = Mapping[str, object]
Compute = Callable[[str, Options], Report]


class _Relay(QObject):
    """Carries a worker's answer back to the thread that owns the job (queued)."""

    done = Signal(int, object)  # request number, Report
    failed = Signal(int, str)  # request number, a one-line message


class _Run(QRunnable):
    def __init__(self, number: int, compute: Compute, kind: str, options: Options, relay: _Relay):
        super().__init__()
        self._number, self._compute, self._relay = number, compute, relay
        self._kind, self._options = kind, dict(options)

    def run(self) -> None:
        try:
            report = self._compute(self._kind, self._options)
        except TrackerError as exc:
            self._relay.failed.emit(self._number, message_for(exc))
        except Exception as exc:  # a bug: logged in full, shown in one line
            log.exception("the %s report failed", self._kind)
            self._relay.failed.emit(self._number, f"the report failed: {type(exc).__name__}: {exc}")
        else:
            self._relay.done.emit(self._number, report)


class ReportJob(QObject):
    """Asks for reports; `finished(report)` or `failed(message)` for the latest request only."""

    started = Signal()
    finished = Signal(object)  # Report
    failed = Signal(str)

    def __init__(self, compute: Compute, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._compute = compute
        # One thread: requests queue behind each other instead of opening many connections.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_relay_done)
        self._relay.failed.connect(self._on_relay_failed)
        self._latest = 0

    def request(self, kind: str, options: Options) -> int:
        """Start computing; returns the request's number (the latest wins)."""
        self._latest += 1
        self._pool.clear()  # requests not yet started are already out of date
        self._pool.start(_Run(self._latest, self._compute, kind, options, self._relay))
        self.started.emit()
        return self._latest

    def is_busy(self) -> bool:
        return self._pool.activeThreadCount() > 0

    def wait(self, msecs: int = -1) -> bool:
        """Block until the worker is idle (closing the window; tests)."""
        return self._pool.waitForDone(msecs)

    def _on_relay_done(self, number: int, report: object) -> None:
        if number == self._latest and isinstance(report, Report):
            self.finished.emit(report)

    def _on_relay_failed(self, number: int, message: str) -> None:
        if number == self._latest:
            self.failed.emit(message)
