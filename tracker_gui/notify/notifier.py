"""Sends notes through desktop-notifier on its own asyncio loop in a daemon thread.

desktop-notifier is asyncio-based and Qt's event loop cannot host it (QtAsyncio has no
`add_reader`), so the loop runs in a thread of its own. Clicks come back on that thread
through `on_clicked`; the Qt bridge turns them into a queued signal.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from tracker_gui.notify.policy import Note

log = logging.getLogger(__name__)

Clicked = Callable[[Note], None]
PROBE_TIMEOUT_S = 5.0


class Backend(Protocol):
    """Where notes go: desktop-notifier for real, a recorder in tests."""

    async def available(self) -> bool: ...

    async def send(self, note: Note, on_clicked: Callable[[], None]) -> None: ...


class DesktopBackend:
    """desktop-notifier: D-Bus on Linux, WinRT on Windows, UNUserNotificationCenter on macOS."""

    def __init__(self, app_name: str, icon: Path | None = None) -> None:
        from desktop_notifier import DesktopNotifier, Icon

        self._notifier = DesktopNotifier(
            app_name=app_name, app_icon=Icon(path=icon) if icon else None
        )

    async def available(self) -> bool:
        """Whether a notification service answers (the send itself only logs its failures)."""
        try:
            capabilities: Any = await asyncio.wait_for(
                self._notifier.get_capabilities(), PROBE_TIMEOUT_S
            )
        except Exception as exc:  # no bus, no server, a timeout: all mean "not here"
            log.info("desktop notifications unavailable: %s", exc)
            return False
        # The dummy backend (macOS outside an app bundle, old Windows) has no capabilities.
        return bool(capabilities)

    async def send(self, note: Note, on_clicked: Callable[[], None]) -> None:
        await self._notifier.send(
            title=note.summary, message=note.body, on_clicked=on_clicked, thread="tracker"
        )


class Notifier:
    """Runs a Backend on a private event loop; every call returns at once with a Future."""

    def __init__(self, backend: Backend, on_clicked: Clicked | None = None) -> None:
        self.backend = backend
        self.on_clicked = on_clicked
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="notifier", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_forever()

    def probe(self) -> concurrent.futures.Future[bool]:
        """Resolves to whether the backend can show notifications."""
        return asyncio.run_coroutine_threadsafe(self.backend.available(), self._loop)

    def send(self, note: Note) -> concurrent.futures.Future[None]:
        return asyncio.run_coroutine_threadsafe(
            self.backend.send(note, lambda: self._clicked(note)), self._loop
        )

    def _clicked(self, note: Note) -> None:
        if self.on_clicked is not None:
            try:
                self.on_clicked(note)
            except Exception:
                log.exception("notification click handler failed")

    def close(self) -> None:
        """Cancel what is still pending (a probe, a send) and stop the loop's thread."""
        if self._loop.is_running():
            done = asyncio.run_coroutine_threadsafe(_cancel_pending(), self._loop)
            try:
                done.result(timeout=2)
            except Exception:
                log.debug("notifier shutdown", exc_info=True)
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=2)


async def _cancel_pending() -> None:
    tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
