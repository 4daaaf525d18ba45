"""An export running on a worker thread, reporting progress and its end through queued signals."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, SignalInstance

from tracker_gui.errors import TrackerError
from tracker_gui.interchange import ImportCancelled
from tracker_gui.ui.ops.core import file_message, message_for

log = logging.getLogger(__name__)
Tick = Callable[[int, int], None]
# The work: write the file, calling progress(done, total) and polling cancelled(); returns what
# was written, by kind. `finish` runs after it on the same thread (its connection is closed).
Work = Callable[[Tick, Callable[[], bool]], dict[str, int]]


class ExportJob(QObject):
    """Runs `work` once on its own thread; the window stays responsive and Cancel is heard.

    A database connection belongs to the thread that opened it: the worker reads through its
    own (peewee keeps one per thread) and `finish` closes it on that thread. Every signal is
    emitted from the worker and delivered queued on the thread that made the job, but only to
    the slots connected at the moment of the emit: connect them all before `start`.
    """

    progressed = Signal(int, int)  # done, total
    succeeded = Signal(object)  # dict[str, int]: what was written, by kind
    failed = Signal(str)  # a one-line message; no file was left behind
    cancelled = Signal()  # the user cancelled; no file was left behind
    ended = Signal()  # after any of the three

    def __init__(
        self, work: Work, finish: Callable[[], None], path: str, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._work = work
        self._finish = finish
        self.path = path
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="export", daemon=True)

    def start(self) -> None:
        """Run the worker; on a busy machine it may end before this returns (connect first)."""
        self._thread.start()

    def cancel(self) -> None:
        """Ask the worker to stop at its next progress check (within ~50 ms)."""
        self._stop.set()

    def is_running(self) -> bool:
        return self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the worker has ended (its temporary file is gone by then)."""
        if self._thread.ident is not None:
            self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        outcome: tuple[SignalInstance, tuple[object, ...]]
        try:
            counts = self._work(self.progressed.emit, self._stop.is_set)
            outcome = (self.succeeded, (counts,))
        except ImportCancelled:
            outcome = (self.cancelled, ())
        except TrackerError as exc:
            outcome = (self.failed, (message_for(exc),))
        except OSError as exc:
            outcome = (self.failed, (file_message(self.path, exc),))
        except Exception as exc:  # a bug: logged with its traceback, shown in one line
            log.exception("export to %s failed", self.path)
            outcome = (self.failed, (f"the export failed: {type(exc).__name__}: {exc}",))
        try:
            self._finish()  # before telling: whoever hears the outcome may close the database
        except Exception:  # closing a connection that only read: nothing the user can do
            log.warning("closing the export's connection failed", exc_info=True)
        signal, args = outcome
        signal.emit(*args)
        self.ended.emit()


__all__ = ["ExportJob", "Tick", "Work"]
