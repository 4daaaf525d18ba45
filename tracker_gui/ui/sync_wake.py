"""A teammate's commit wakes the window's sync at once: LISTEN on the team server.

The window reads its offline copy, so without this it would learn of others' changes at its
next timed sync (every 30 s). The server announces every committed change on the channel the
live feed uses (migration 0004); a notification starts a sync (or one more after the run under
way). The listener connects after a sync that reached the server (so an unreachable server
never holds the GUI thread in a connect), and again after the next such sync when it dropped;
the timed sync goes on meanwhile, so nothing depends on it but the speed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier

from tracker_gui.errors import TrackerError
from tracker_gui.services.feed import Listener
from tracker_gui.services.sync import Offline
from tracker_gui.services.sync_types import SyncReport
from tracker_gui.ui.sync_controller import SyncController

log = logging.getLogger(__name__)


class SyncWake(QObject):
    """Starts `controller`'s sync when the server announces a commit."""

    def __init__(
        self,
        listen: Callable[[], Listener],
        controller: SyncController,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._listen = listen
        self._controller = controller
        self._listener: Listener | None = None
        self._notifier: QSocketNotifier | None = None
        self._again = False  # a commit announced during a run: one more run after it
        controller.syncingChanged.connect(self._on_controller_syncing_changed)
        controller.synced.connect(self._on_controller_synced)

    @property
    def listening(self) -> bool:
        return self._listener is not None

    def start(self) -> None:
        if self._listener is not None:
            return
        try:
            listener = self._listen()
        except (TrackerError, Offline) as exc:
            log.info("no LISTEN on the team server (%s): after the next sync", exc)
            return
        self._listener = listener
        notifier = QSocketNotifier(listener.fileno(), QSocketNotifier.Type.Read, self)
        notifier.activated.connect(self._on_notifier_activated)
        self._notifier = notifier

    def stop(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def _on_notifier_activated(self) -> None:
        assert self._listener is not None
        try:
            announced = self._listener.drain()
        except TrackerError as exc:  # ListenerLost: the server went away
            log.info("the team server's LISTEN connection dropped (%s)", exc)
            self.stop()
            return
        if announced and not self._controller.sync_now():
            self._again = True

    def _on_controller_synced(self, report: SyncReport) -> None:
        if not report.offline:
            self.start()

    def _on_controller_syncing_changed(self, syncing: bool) -> None:
        if not syncing and self._again:
            self._again = False
            self._controller.sync_now()
