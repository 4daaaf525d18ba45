"""A notification backend for tests that records every note the app sends, and can click one."""

from __future__ import annotations

import threading
from collections.abc import Callable

from tracker_gui.notify.policy import Note


class RecordingBackend:
    """Stands in for desktop-notifier where the test is about what is sent, not about D-Bus."""

    def __init__(self, available: bool = True) -> None:
        self.is_available = available
        self._notes: list[Note] = []
        self._clicks: list[Callable[[], None]] = []
        self._lock = threading.Lock()

    async def available(self) -> bool:
        return self.is_available

    async def send(self, note: Note, on_clicked: Callable[[], None]) -> None:
        with self._lock:
            self._notes.append(note)
            self._clicks.append(on_clicked)

    @property
    def sent(self) -> list[Note]:
        with self._lock:
            return list(self._notes)

    def click(self, index: int) -> None:
        """What the notification server does when the user clicks note `index`."""
        with self._lock:
            handler = self._clicks[index]
        handler()
